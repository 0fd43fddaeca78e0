/**
 * Customer-managed encryption keys for the GKE variant: one key ring per environment, one key per service, each
 * usable only by that service's Google-managed service agent. Rotation every 90 days; `prevent_destroy`
 * because destroying a key destroys every byte it encrypts.
 *
 * @example
 *   const kms = new GoogleKms(this, "Kms", { environment: "ops", region: "us-east1", projectNumber, services: ["cloudsql"] });
 *   kms.keyId("cloudsql")
 */
import { Construct } from "constructs";
import { KmsCryptoKey } from "@cdktf/provider-google/lib/kms-crypto-key";
import { KmsCryptoKeyIamMember } from "@cdktf/provider-google/lib/kms-crypto-key-iam-member";
import { KmsKeyRing } from "@cdktf/provider-google/lib/kms-key-ring";
import type { EnvName } from "../config";
import { resourceName } from "./naming";

/** The service agents that encrypt with a customer key, by the service they serve. */
export const SERVICE_AGENTS = {
  cloudsql: (projectNumber: string) => `service-${projectNumber}@gcp-sa-cloud-sql.iam.gserviceaccount.com`,
  redis: (projectNumber: string) => `service-${projectNumber}@cloud-redis.iam.gserviceaccount.com`,
  "gke-secrets": (projectNumber: string) => `service-${projectNumber}@container-engine-robot.iam.gserviceaccount.com`,
} as const;
export type EncryptedService = keyof typeof SERVICE_AGENTS;

export interface GoogleKmsProps {
  readonly environment: EnvName;
  /** Keys must live in the region of the resources they encrypt. */
  readonly region: string;
  readonly projectNumber: string;
  readonly services: readonly EncryptedService[];
}

export class GoogleKms extends Construct {
  private readonly keys = new Map<EncryptedService, KmsCryptoKey>();

  constructor(scope: Construct, id: string, props: GoogleKmsProps) {
    super(scope, id);
    const ring = new KmsKeyRing(this, "KeyRing", { name: resourceName(props.environment, "gke"), location: props.region });
    for (const service of props.services) {
      const key = new KmsCryptoKey(this, service, {
        name: service,
        keyRing: ring.id,
        purpose: "ENCRYPT_DECRYPT",
        rotationPeriod: `${90 * 24 * 3600}s`,
        lifecycle: { preventDestroy: true },
      });
      new KmsCryptoKeyIamMember(this, `${service}-agent`, {
        cryptoKeyId: key.id,
        role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
        member: `serviceAccount:${SERVICE_AGENTS[service](props.projectNumber)}`,
      });
      this.keys.set(service, key);
    }
  }

  /** The key's resource id, for `encryption_key_name` and its kin. */
  keyId(service: EncryptedService): string {
    const key = this.keys.get(service);
    if (!key) throw new Error(`GoogleKms ${this.node.path}: no key for ${service}; add it to services`);
    return key.id;
  }
}
