/**
 * AWS access from GKE without static keys: the cluster's service-account token issuer registered as an IAM
 * OpenID Connect provider, and one IAM role per Kubernetes service account, each trusting only that service
 * account's projected tokens (`sub = system:serviceaccount:<namespace>:<name>`, `aud = sts.amazonaws.com`) and
 * holding only the managed policies given (attached by reference: their content stays with their owners).
 *
 * Pods mount a projected service-account token with audience `sts.amazonaws.com` and set `AWS_ROLE_ARN` and
 * `AWS_WEB_IDENTITY_TOKEN_FILE`; the AWS SDKs and CLI then call `AssumeRoleWithWebIdentity` themselves.
 *
 * No thumbprint: IAM verifies the issuer's JWKS endpoint against its own library of trusted root CAs, and the
 * AWS provider 5.100.0 makes `thumbprint_list` optional (CreateOpenIDConnectProvider API reference,
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html). GKE's issuer
 * (container.googleapis.com) serves a publicly trusted certificate, and Google rotates it: a pinned thumbprint
 * would only break the federation on rotation.
 *
 * @example
 *   new GkeAwsFederation(this, "GkeFederation", {
 *     environment: "ops", issuer: "https://container.googleapis.com/v1/projects/p/locations/us-east1/clusters/c",
 *     roles: { backup: { roleName: "packagecloud-ops-offsite-backup-gke", namespace: "packagecloud",
 *       serviceAccount: "packagecloud-offsite-backup", policyArns: { uploader: uploaderPolicy.arn } } },
 *   });
 */
import { Construct } from "constructs";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { EnvName } from "../config";
import { type PolicyStatement, policyDocument } from "./policy-document";

/** The audience STS requires in web-identity tokens it accepts for this provider. */
export const STS_AUDIENCE = "sts.amazonaws.com";

export interface WorkloadRole {
  readonly roleName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly description: string;
  /** Managed policies to attach, keyed by a stable name (the key becomes part of the Terraform address). */
  readonly policyArns: Readonly<Record<string, string>>;
}

export interface GkeAwsFederationProps {
  readonly environment: EnvName;
  /** The cluster's issuer: https://container.googleapis.com/v1/projects/<project>/locations/<location>/clusters/<name> */
  readonly issuer: string;
  /** One role per Kubernetes service account, keyed by a stable name. */
  readonly roles: Readonly<Record<string, WorkloadRole>>;
}

const ISSUER = /^https:\/\/container\.googleapis\.com\/v1\/projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/locations\/[a-z0-9-]+\/clusters\/[a-z0-9-]+$/;
const K8S_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The trust policy of a role for one Kubernetes service account. */
export function webIdentityTrust(providerArn: string, issuer: string, namespace: string, serviceAccount: string): PolicyStatement {
  // IAM names the token's claims after the provider URL without its scheme (IAM User Guide, "Available keys for
  // AWS web identity federation": <provider>:sub, <provider>:aud).
  const provider = issuer.replace(/^https:\/\//, "");
  return {
    Sid: "KubernetesServiceAccount",
    Effect: "Allow",
    Principal: { Federated: providerArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: {
        [`${provider}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
        [`${provider}:aud`]: STS_AUDIENCE,
      },
    },
  };
}

export class GkeAwsFederation extends Construct {
  readonly provider: IamOpenidConnectProvider;
  readonly roles: Record<string, IamRole> = {};

  constructor(scope: Construct, id: string, props: GkeAwsFederationProps) {
    super(scope, id);
    const where = `GkeAwsFederation ${this.node.path}`;
    if (!ISSUER.test(props.issuer)) {
      throw new Error(
        `${where}: issuer ${JSON.stringify(props.issuer)} must be a GKE cluster issuer, https://container.googleapis.com/v1/projects/<project>/locations/<location>/clusters/<name>`,
      );
    }
    const seen = new Map<string, string>();
    for (const [key, role] of Object.entries(props.roles)) {
      for (const [field, value] of [["namespace", role.namespace], ["serviceAccount", role.serviceAccount]] as const) {
        if (!K8S_NAME.test(value)) throw new Error(`${where}: roles.${key}.${field} ${JSON.stringify(value)} must be a Kubernetes name (RFC 1123 label)`);
      }
      const subject = `${role.namespace}/${role.serviceAccount}`;
      const first = seen.get(subject);
      if (first) {
        throw new Error(`${where}: roles.${key} trusts ${subject}, as roles.${first} does: each role trusts its own service account, so one pod cannot hold both roles' rights`);
      }
      seen.set(subject, key);
    }

    this.provider = new IamOpenidConnectProvider(this, "Provider", {
      url: props.issuer,
      clientIdList: [STS_AUDIENCE],
      tags: { Name: `${props.environment}-gke-service-accounts` },
    });

    for (const [key, role] of Object.entries(props.roles)) {
      const iamRole = new IamRole(this, `${key}-role`, {
        name: role.roleName,
        description: role.description,
        maxSessionDuration: 3600,
        assumeRolePolicy: policyDocument([webIdentityTrust(this.provider.arn, props.issuer, role.namespace, role.serviceAccount)]),
      });
      this.roles[key] = iamRole;
      for (const [policyKey, arn] of Object.entries(role.policyArns)) {
        new IamRolePolicyAttachment(this, `${key}-${policyKey}`, { role: iamRole.name, policyArn: arn });
      }
    }
  }
}
