/**
 * Customer-managed encryption keys for the GKE variant: one key ring per environment, one key per service, each
 * usable only by that service's Google-managed service agent. Rotation every 90 days; `prevent_destroy`
 * because destroying a key destroys every byte it encrypts.
 *
 * What a first apply into an empty project needs, in order (issue 11 items 2-3, issue 22 items 2 and 6):
 * - the agent must exist before a grant names it, or IAM answers "Service account … does not exist" and the
 *   provider does not retry. Cloud SQL's agent is created only on request (Cloud Foundation Fabric's
 *   modules/project/service-agents.yaml marks it `jit: true`); Memorystore's (cloud-redis) and GKE's
 *   (container-engine-robot) come with their APIs, but the provider enables APIs in batches
 *   (transport/batcher.go, serviceusage_batching.go), so `container` or `redis` may be enabled in a later batch than
 *   `cloudkms`, and "comes with the API" gives no order against the grant. So every agent is requested with
 *   google-beta's `google_project_service_identity` (generateServiceIdentity, idempotent; GA google 6.50.0 has no
 *   such resource) and its grant depends on that identity, which itself waits for its API (enableGoogleApis).
 * - the grant names the agent by its documented address, `service-<project number>@…`, not by the identity's
 *   `email`: the provider notes that generateServiceIdentity "may not return the service identity's details"
 *   (google-beta v6.50.0, google-beta/services/resourcemanager/resource_project_service_identity.go:126-127).
 * - IAM grants are eventually consistent: "typically propagate in 2 minutes, but could potentially take 7
 *   minutes or longer" (cloud.google.com/iam/docs/access-change-propagation). `ready` waits after every grant;
 *   consumers depend on it, so no create races its key grant. The wait's `triggers` name every grant, so a new or
 *   replaced grant replaces the wait and it runs again (time_sleep runs only on create).
 * @example
 *   const kms = new GoogleKms(this, "Kms", { environment: "ops", region: "us-east1", projectNumber, services: ["cloudsql"], betaProvider });
 *   new SqlDatabaseInstance(this, "Db", { encryptionKeyName: kms.keyId("cloudsql"), dependsOn: [kms.ready] });
 */
import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { KmsCryptoKey } from "@cdktf/provider-google/lib/kms-crypto-key";
import { KmsCryptoKeyIamMember } from "@cdktf/provider-google/lib/kms-crypto-key-iam-member";
import { KmsKeyRing } from "@cdktf/provider-google/lib/kms-key-ring";
import { GoogleProjectServiceIdentity } from "@cdktf/provider-google-beta/lib/google-project-service-identity";
import { Sleep } from "@cdktf/provider-time/lib/sleep";
import type { EnvName } from "../config";
import { resourceName } from "../config/naming";

interface ServiceAgent {
  readonly email: (projectNumber: string) => string;
  /** The API whose agent this is: requested with generateServiceIdentity before any grant names it. */
  readonly service: string;
}

/** The service agents that encrypt with a customer key, by the service they serve. */
export const SERVICE_AGENTS: Readonly<Record<"cloudsql" | "redis" | "gke-secrets", ServiceAgent>> = {
  // Cloud SQL CMEK docs: create the agent with `gcloud beta services identity create --service=sqladmin.googleapis.com`.
  cloudsql: { email: (n) => `service-${n}@gcp-sa-cloud-sql.iam.gserviceaccount.com`, service: "sqladmin.googleapis.com" },
  redis: { email: (n) => `service-${n}@cloud-redis.iam.gserviceaccount.com`, service: "redis.googleapis.com" },
  "gke-secrets": { email: (n) => `service-${n}@container-engine-robot.iam.gserviceaccount.com`, service: "container.googleapis.com" },
};
export type EncryptedService = keyof typeof SERVICE_AGENTS;

/** Google's documented IAM propagation time, typically (see above). */
export const IAM_PROPAGATION_SECONDS = 120;

export interface GoogleKmsProps {
  readonly environment: EnvName;
  /** Keys must live in the region of the resources they encrypt. */
  readonly region: string;
  /** The project's number, read from the project (data "google_project"), never typed into config. */
  readonly projectNumber: string;
  readonly services: readonly EncryptedService[];
  /** The google-beta provider, for google_project_service_identity. */
  readonly betaProvider: TerraformProvider;
  /** @default - 90 days between automatic rotations */
  readonly rotationDays?: number;
}

export class GoogleKms extends Construct {
  private readonly keys = new Map<EncryptedService, KmsCryptoKey>();
  readonly grants = new Map<EncryptedService, KmsCryptoKeyIamMember>();
  readonly identities = new Map<EncryptedService, GoogleProjectServiceIdentity>();
  /** Done once every grant has had time to propagate: customer-key consumers depend on this. */
  readonly ready: Sleep;

  constructor(scope: Construct, id: string, props: GoogleKmsProps) {
    super(scope, id);
    const ring = new KmsKeyRing(this, "KeyRing", { name: resourceName(props.environment, "gke"), location: props.region });
    for (const service of props.services) {
      const agent = SERVICE_AGENTS[service];
      const key = new KmsCryptoKey(this, service, {
        name: service,
        keyRing: ring.id,
        purpose: "ENCRYPT_DECRYPT",
        rotationPeriod: `${(props.rotationDays ?? 90) * 24 * 3600}s`,
        lifecycle: { preventDestroy: true },
      });
      const identity = new GoogleProjectServiceIdentity(this, `${service}-agent-identity`, { provider: props.betaProvider, service: agent.service });
      this.identities.set(service, identity);
      this.grants.set(
        service,
        new KmsCryptoKeyIamMember(this, `${service}-agent`, {
          cryptoKeyId: key.id,
          role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
          member: `serviceAccount:${agent.email(props.projectNumber)}`,
          dependsOn: [identity],
        }),
      );
      this.keys.set(service, key);
    }
    this.ready = new Sleep(this, "GrantPropagation", {
      createDuration: `${IAM_PROPAGATION_SECONDS}s`,
      triggers: Object.fromEntries([...this.grants].map(([service, grant]) => [service, grant.id])),
      dependsOn: [...this.grants.values()],
    });
  }

  /** The key's resource id, for `encryption_key_name` and its kin. */
  keyId(service: EncryptedService): string {
    const key = this.keys.get(service);
    if (!key) throw new Error(`GoogleKms ${this.node.path}: no key for ${service}; add it to services`);
    return key.id;
  }
}
