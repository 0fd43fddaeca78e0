/**
 * Adopting what exists (config `adopt`): Terraform `import` blocks, so that the first plan imports the buckets and
 * the public DNS record that predate this project instead of trying to create them.
 *
 * Import ids (checked against each provider's import function at the pinned version):
 * - every `aws_s3_bucket*` resource: the bucket name (AWS provider docs, "Import" section of each resource);
 * - `cloudflare_dns_record`: `<zone_id>/<dns_record_id>` (cloudflare/terraform-provider-cloudflare v5.14.0,
 *   internal/services/dns_record/resource.go, ImportState: `"<zone_id>/<dns_record_id>"`);
 * - `google_dns_record_set`: `projects/<project>/managedZones/<zone>/rrsets/<name>/<type>`, the name with its
 *   trailing dot (hashicorp/terraform-provider-google v6.50.0, google/services/dns/resource_dns_record_set.go,
 *   resourceDnsRecordSetImportState).
 *
 * An import block whose resource is already in state is a no-op, so the entries are harmless after the first
 * apply, and they stay: `adopt.existingObjects` (default keep) decides, on every apply, that an adopted bucket's
 * lifecycle never expires what was in it (config/existing-objects.ts, docs/adoption.md).
 */
import type { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import type { DnsRecord } from "@cdktf/provider-cloudflare/lib/dns-record";
import type { DnsRecordSet } from "@cdktf/provider-google/lib/dns-record-set";
import { ADOPTABLE_BUCKETS, type AdoptableBucket, type EnvironmentConfig } from "../config";
import { existingObjectsOf } from "../config/existing-objects";
import type { SecureBucket } from "../constructs/secure-bucket";
import type { DeployTarget } from "./target";

/**
 * The real target adopts what the config names. An emulator starts empty, so it adopts only when asked to
 * (the adoption test creates the buckets first); otherwise `npm run local` would fail importing what is not there.
 */
export function targetAdopts(target: DeployTarget): boolean {
  return target.kind === "aws" || target.adoptExisting === true;
}

export interface AdoptableStorage {
  readonly buckets: Readonly<Record<AdoptableBucket, SecureBucket>>;
  /** The package bucket's replication configuration (a part of the `packages` bucket). */
  readonly replication: S3BucketReplicationConfigurationA;
}

export function adoptStorage(env: EnvironmentConfig, target: DeployTarget, storage: AdoptableStorage): void {
  // On every target, the emulator's too: what an adopted bucket's lifecycle may delete is a property of the
  // configuration, and the emulator deployment must plan the lifecycle the real one gets.
  for (const role of ADOPTABLE_BUCKETS) {
    if (existingObjectsOf(env.adopt, role) === "keep") storage.buckets[role].keepExistingObjects();
  }
  const wanted = env.adopt?.buckets;
  if (!wanted || !targetAdopts(target)) return;
  for (const role of ADOPTABLE_BUCKETS) {
    const parts = wanted[role];
    if (!parts) continue;
    const bucket = storage.buckets[role];
    bucket.adoptExisting(parts.filter((p) => p !== "replication"));
    if (parts.includes("replication")) storage.replication.importFrom(bucket.configuredBucketName);
  }
}

/** The import id of the environment's public record, or undefined when it is not adopted. */
export function dnsRecordImportId(env: EnvironmentConfig): string | undefined {
  const adopt = env.adopt?.dnsRecord;
  if (!adopt) return undefined;
  const dns = env.dns;
  if (dns.provider === "cloudflare") return `${dns.zoneId}/${adopt.cloudflareRecordId}`;
  return `projects/${env.gcp.project}/managedZones/${dns.managedZone}/rrsets/${dns.recordName}./A`;
}

export function adoptDnsRecord(env: EnvironmentConfig, record: DnsRecord | DnsRecordSet): void {
  const id = dnsRecordImportId(env);
  if (id) record.importFrom(id);
}
