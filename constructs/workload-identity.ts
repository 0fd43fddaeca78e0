/**
 * The application's Google identity: a Google service account with the roles packagecloud needs in GCP, bound
 * through Workload Identity to its Kubernetes service account, so pods get short-lived credentials and no key
 * file exists anywhere.
 *
 * @example
 *   const app = new WorkloadIdentity(this, "App", { environment: "ops", project, namespace: "packagecloud", serviceAccount: "packagecloud", cluster });
 *   app.email
 */
import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member";
import type { EnvName } from "../config";
import { resourceName } from "../config/naming";

/** Connect to Cloud SQL through the connector/proxy, and log in as an IAM database user. */
export const APP_ROLES = ["roles/cloudsql.client", "roles/cloudsql.instanceUser"] as const;

export interface WorkloadIdentityProps {
  readonly environment: EnvName;
  readonly project: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /**
   * The cluster (or its data source): the binding names the cluster's identity pool, which exists only once the
   * cluster does ("Identity Pool does not exist" otherwise).
   */
  readonly cluster: ITerraformDependable;
  /**
   * Names the Google service account (`packagecloud-<env>-<component>`) and says what it is for.
   * @default - "app": the application
   */
  readonly component?: string;
}

export class WorkloadIdentity extends Construct {
  readonly account: ServiceAccount;
  readonly email: string;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    const accountId = resourceName(props.environment, props.component ?? "app");
    // IAM refuses service account ids outside 6-30 characters (google_service_account: account_id).
    if (!/^[a-z](?:[-a-z0-9]{4,28}[a-z0-9])$/.test(accountId)) {
      throw new Error(`WorkloadIdentity ${this.node.path}: account id "${accountId}" must be 6-30 lowercase letters, digits and hyphens: shorten component "${props.component}"`);
    }
    this.account = new ServiceAccount(this, "ServiceAccount", {
      accountId,
      displayName: `packagecloud ${props.component ?? "application"} (${props.namespace}/${props.serviceAccount})`,
    });
    this.email = this.account.email;
    for (const role of APP_ROLES) {
      new ProjectIamMember(this, `role-${role.replace(/^roles\//, "").replace(/\./g, "-")}`, {
        project: props.project,
        role,
        member: `serviceAccount:${this.account.email}`,
      });
    }
    new ServiceAccountIamMember(this, "WorkloadIdentityBinding", {
      serviceAccountId: this.account.name,
      role: "roles/iam.workloadIdentityUser",
      member: `serviceAccount:${props.project}.svc.id.goog[${props.namespace}/${props.serviceAccount}]`,
      dependsOn: [props.cluster],
    });
  }
}
