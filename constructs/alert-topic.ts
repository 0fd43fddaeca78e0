/**
 * One SNS topic per environment for every CloudWatch alarm, encrypted with a customer key that CloudWatch may use,
 * with its subscriptions: e-mail addresses from config, and HTTPS endpoints (PagerDuty's CloudWatch integration)
 * read from Terraform variables at deploy time, so no integration key is in code or config.
 *
 * @example
 *   const alerts = new AlertTopic(this, "Alerts", { environment: "ops", accountId, emails, httpsEndpointVariables });
 *   alerts.topicArn  // alarm_actions
 */
import { Construct } from "constructs";
import { TerraformVariable } from "cdktf";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import type { EnvName } from "../config";
import { EncryptionKey } from "./encryption-key";
import { resourceName } from "./naming";
import { policyDocument } from "./policy-document";

export interface AlertTopicProps {
  readonly environment: EnvName;
  readonly accountId: string;
  readonly emails: readonly string[];
  /** Terraform variable names, each holding one HTTPS endpoint (TF_VAR_<name>). */
  readonly httpsEndpointVariables: readonly string[];
}

export class AlertTopic extends Construct {
  readonly topic: SnsTopic;
  readonly topicArn: string;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    if (props.httpsEndpointVariables.length === 0) {
      throw new Error(`AlertTopic ${this.node.path}: httpsEndpointVariables must name at least one paging endpoint; e-mail alone is not an alerting channel`);
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
    for (const email of props.emails) {
      new SnsTopicSubscription(this, `email-${email.replace(/[^a-zA-Z0-9]+/g, "-")}`, { topicArn: this.topic.arn, protocol: "email", endpoint: email });
    }
    for (const name of props.httpsEndpointVariables) {
      const endpoint = new TerraformVariable(this, name, {
        type: "string",
        sensitive: true,
        nullable: false,
        description: `HTTPS endpoint for ${resourceName(props.environment, "alerts")} (set TF_VAR_${name}; it may carry an integration key)`,
      });
      // The variable's name is what the operator sets; keep it exactly as configured.
      endpoint.overrideLogicalId(name);
      new SnsTopicSubscription(this, `https-${name}`, {
        topicArn: this.topic.arn,
        protocol: "https",
        endpoint: endpoint.stringValue,
        endpointAutoConfirms: true,
      });
    }
  }
}
