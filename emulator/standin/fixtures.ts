/**
 * What exists in Google and Cloudflare before packagecloud's first deploy, seeded into the stand-ins' world the way
 * the AWS adoption test creates buckets in moto first: the environment's GCP project (data.google_project reads
 * it), the shared cluster an `existing`-mode gke stack reads (data.google_container_cluster), and the public DNS
 * record each environment adopts (config `adopt.dnsRecord`), pointing at an old address, so the first plan imports
 * it and updates it. Objects are seeded as the providers store them (their ids in the providers' formats); the stacks'
 * import ids are parsed by the stand-ins with the providers' own formats (decisions/), never looked up here.
 */
import type { EnvironmentConfig } from "../../config";
import type { Standins } from "./client";
import { STANDIN_PROJECT_NUMBER } from "./provider";

/** The address the record points at before packagecloud moves (TEST-NET-1, RFC 5737). */
export const OLD_RECORD_ADDRESS = "192.0.2.10";

export interface SeededRecord {
  readonly type: "google_dns_record_set" | "cloudflare_dns_record";
  /** The object's id, as the provider stores it. */
  readonly id: string;
}

export interface Seeded {
  readonly project: string;
  readonly cluster?: { readonly name: string; readonly location: string };
  readonly record?: SeededRecord;
}

/** Seeds what the environment's stacks expect to exist already; every stack of one world reads the same objects. */
export async function seedExisting(standins: Standins, env: EnvironmentConfig, options: { readonly adoptedRecord?: boolean } = {}): Promise<Seeded> {
  const project = env.gcp.project;
  // The project the stacks deploy into: google/services/resourcemanager/data_source_google_project.go reads it by
  // project_id and fails for a project that does not exist.
  await standins.seed({
    provider: "google",
    type: "google_project",
    id: `projects/${project}`,
    value: { project_id: project, name: project, number: STANDIN_PROJECT_NUMBER },
  });
  const cluster = env.gcp.cluster.mode === "existing" ? await seedSharedCluster(standins, env) : undefined;
  // The adopted record may be left for later (the pipeline journey shows the DNS pre-flight refusing its absence).
  return { project, cluster, record: options.adoptedRecord === false ? undefined : await seedAdoptedDnsRecord(standins, env) };
}

/** The shared cluster of `existing` mode, with Workload Identity on (gke-cluster.ts's postcondition checks it). */
async function seedSharedCluster(standins: Standins, env: EnvironmentConfig): Promise<{ name: string; location: string }> {
  const c = env.gcp.cluster;
  if (c.mode !== "existing") throw new Error("seedSharedCluster: the environment's cluster is not in existing mode");
  const project = env.gcp.project;
  await standins.seed({
    provider: "google",
    type: "google_container_cluster",
    // resource_container_cluster.go containerClusterFullName: projects/%s/locations/%s/clusters/%s
    id: `projects/${project}/locations/${c.location}/clusters/${c.name}`,
    value: {
      project,
      name: c.name,
      location: c.location,
      network: `projects/${project}/global/networks/default`,
      subnetwork: `projects/${project}/regions/${env.gcp.region}/subnetworks/default`,
      workload_identity_config: [{ workload_pool: `${project}.svc.id.goog` }],
      endpoint: "10.0.0.2",
    },
  });
  return { name: c.name, location: c.location };
}

/** Seeds the record the environment adopts; undefined when it adopts none. */
export async function seedAdoptedDnsRecord(standins: Standins, env: EnvironmentConfig): Promise<SeededRecord | undefined> {
  const adopt = env.adopt?.dnsRecord;
  if (!adopt) return undefined;
  const dns = env.dns;
  if (dns.provider === "cloudflare") {
    // Cloudflare's record id (internal/services/dns_record/model.go: ID), the one config names.
    const id = adopt.cloudflareRecordId;
    if (!id) throw new Error(`${env.name}: adopt.dnsRecord names no cloudflareRecordId`);
    await standins.seed({
      provider: "cloudflare",
      type: "cloudflare_dns_record",
      id,
      value: { zone_id: dns.zoneId, name: dns.recordName, type: "A", content: OLD_RECORD_ADDRESS, ttl: dns.ttl, proxied: dns.proxied },
    });
    return { type: "cloudflare_dns_record", id };
  }
  // google/services/dns/resource_dns_record_set.go:422: d.SetId("projects/%s/managedZones/%s/rrsets/%s/%s").
  const name = `${dns.recordName}.`;
  const id = `projects/${env.gcp.project}/managedZones/${dns.managedZone}/rrsets/${name}/A`;
  await standins.seed({
    provider: "google",
    type: "google_dns_record_set",
    id,
    value: { project: env.gcp.project, managed_zone: dns.managedZone, name, type: "A", ttl: dns.ttl, rrdatas: [OLD_RECORD_ADDRESS] },
  });
  return { type: "google_dns_record_set", id };
}
