/**
 * One SNS topic per environment for every CloudWatch alarm, encrypted with a customer key that CloudWatch may use,
 * with its subscriptions: e-mail addresses from config, and HTTPS endpoints (PagerDuty's CloudWatch integration)
 * read from Terraform variables at deploy time, so no integration key is in code or config.
 *
 * @example
 *   const alerts = new AlertTopic(this, "Alerts", { environment: "ops", accountId, emails, httpsEndpoints });
 *   alerts.topicArn  // alarm_actions
 */
import { Construct } from "constructs";
import { TerraformVariable } from "cdktf";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import type { EnvName, HttpsReceiver } from "../config";
import { distinctIds } from "./construct-ids";
import { EncryptionKey } from "./encryption-key";
import { resourceName } from "../config/naming";
import { policyDocument } from "./policy-document";

/** Each e-mail address's subscription id, distinct even where two addresses read alike (construct-ids.ts). */
export function emailSubscriptionIds(emails: readonly string[]): Array<[string, string]> {
  return distinctIds(emails, (email) => `email-${email.replace(/[^a-zA-Z0-9]+/g, "-")}`);
}

export interface AlertTopicProps {
  readonly environment: EnvName;
  readonly accountId: string;
  readonly emails: readonly string[];
  /** HTTPS endpoints, each held in a Terraform variable (TF_VAR_<variable>), and who receives it. */
  readonly httpsEndpoints: readonly { readonly variable: string; readonly receiver: HttpsReceiver }[];
  /**
   * A default for each endpoint variable, for a target that sends nothing (the emulator), so its working directories
   * plan with plain Terraform and no TF_VAR_ set. Never on a real target: a missing endpoint must stop the plan.
   * @default - none: TF_VAR_<variable> is required
   */
  readonly endpointDefault?: (variable: string) => string;
}

/**
 * Whether each receiver confirms SNS's subscription by itself. `endpoint_auto_confirms = true` makes the provider
 * wait for the confirmation during apply; for an endpoint that never confirms by itself the apply then fails on
 * its timeout (aws_sns_topic_subscription: "endpoint_auto_confirms - Whether the endpoint is capable of auto
 * confirming subscription (e.g., PagerDuty)"). PagerDuty's CloudWatch integration confirms itself.
 */
export const RECEIVER_AUTO_CONFIRMS: Record<HttpsReceiver, boolean> = { pagerduty: true, webhook: false };

export class AlertTopic extends Construct {
  readonly topic: SnsTopic;
  readonly topicArn: string;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    if (props.httpsEndpoints.length === 0) {
      throw new Error(`AlertTopic ${this.node.path}: httpsEndpoints must name at least one paging endpoint; e-mail alone is not an alerting channel`);
    }
    const key = new EncryptionKey(this, "Key", {
      alias: resourceName(props.environment, "alerts"),
      description: "Encrypts the packagecloud alert topic",
      allowServices: { accountId: props.accountId, principals: ["cloudwatch.amazonaws.com"] },
    });
    this.topic = new SnsTopic(this, "Default", { name: resourceName(props.environment, "alerts"), kmsMasterKeyId: key.arn });
    this.topicArn = this.topic.arn;
    new SnsTopicPolicy(this, "Policy", {
      arn: this.topic.arn,
      policy: policyDocument([
        {
          Sid: "CloudWatchAlarmsPublish",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: "sns:Publish",
          Resource: this.topic.arn,
          Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
        },
      ]),
    });
    for (const [email, id] of emailSubscriptionIds(props.emails)) {
      new SnsTopicSubscription(this, id, { topicArn: this.topic.arn, protocol: "email", endpoint: email });
    }
    for (const { variable: name, receiver } of props.httpsEndpoints) {
      const endpoint = new TerraformVariable(this, name, {
        type: "string",
        sensitive: true,
        nullable: false,
        description: `HTTPS endpoint for ${resourceName(props.environment, "alerts")} (set TF_VAR_${name}; it may carry an integration key)`,
        ...(props.endpointDefault ? { default: props.endpointDefault(name) } : {}),
      });
      // The variable's name is what the operator sets; keep it exactly as configured.
      endpoint.overrideLogicalId(name);
      new SnsTopicSubscription(this, `https-${name}`, {
        topicArn: this.topic.arn,
        protocol: "https",
        endpoint: endpoint.stringValue,
        endpointAutoConfirms: RECEIVER_AUTO_CONFIRMS[receiver],
      });
    }
  }
}
