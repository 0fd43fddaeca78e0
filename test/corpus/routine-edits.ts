/**
 * The routine edits an SRE makes on day two, each with the plan it must produce against the deployed world
 * (issue 28 §2): an in-place update (or a create) of exactly the thing it names, and no delete, no replace, no
 * update that stops a running instance. Judged by test/support/routine-edits.ts with the pipeline's own guard
 * (operator/ci/plan-report.js --guard) on each environment's one engine deployment.
 *
 * The expected addresses are written by hand from what each edit names, not read from the code. A new layer adds
 * its own edits here; an edit the configuration cannot express is a code edit (`code`), undone after its synth.
 */
import type { EnvName } from "../../config";
import type { Layer } from "../../config/naming";

/** An environment's raw configuration (config/environments.ts), as plain data the edit may change in place. */
export type RawEnvironment = Record<string, any>;

export interface RoutineEdit {
  /** What the SRE does, in their words. */
  readonly name: string;
  /** The stack whose plan is judged. */
  readonly layer: Layer;
  /** The environments it applies to. @default both */
  readonly envs?: readonly EnvName[];
  /** Changes the environment's configuration (a copy of config/environments.ts's entry). */
  readonly config?: (env: RawEnvironment, name: EnvName) => void;
  /** Changes a file the stacks ship (repository-relative path), as a fix to it would. */
  readonly file?: { readonly path: string; readonly change: (text: string) => string };
  /** Changes code the stacks are built from; returns the undo. */
  readonly code?: () => () => void;
  /** The plan it must produce: addresses updated in place and created; nothing else may change. */
  readonly expect: { readonly update?: readonly string[]; readonly create?: readonly string[] } | "no changes";
  /** Why the expectation is what it is, when it is not obvious. */
  readonly why?: string;
}

export const ROUTINE_EDITS: readonly RoutineEdit[] = [
  // ---- storage ------------------------------------------------------------------------------------------------
  {
    name: "one more alert e-mail",
    layer: "storage",
    config: (env) => env.monitoring.notifications.emails.push("oncall-second@example.com"),
    expect: { create: ["aws_sns_topic_subscription.alerts_email_oncall_second_example_com"] },
  },
  {
    name: "longer noncurrent-version retention of the package bucket",
    layer: "storage",
    // ops adopts its package buckets with existingObjects "keep" (config/existing-objects.ts): no version expires
    // there until an operator records "may-expire", so the retention has nothing to change.
    envs: ["pre"],
    config: (env) => (env.storage.packages.noncurrentVersionDays += 7),
    expect: { update: ["aws_s3_bucket_lifecycle_configuration.packages_source_lifecycle", "aws_s3_bucket_lifecycle_configuration.packages_replica_lifecycle"] },
    why: "the replica keeps noncurrent versions as long as the source (replication copies every version)",
  },
  // ---- vm -----------------------------------------------------------------------------------------------------
  {
    name: "the first admin network",
    layer: "vm",
    config: (env) => (env.network.adminCidrs = ["198.51.100.7/32"]),
    expect: { create: ["aws_vpc_security_group_ingress_rule.vm_ssh_from_198_51_100_7_32"] },
    why: "a rule of its own; the security group (its description is ForceNew) and its other rules stay",
  },
  {
    name: "a bigger data disk",
    layer: "vm",
    config: (env) => (env.vm.dataVolumeGiB += 512),
    expect: { update: ["aws_ebs_volume.vm_data_volume"] },
    why: "ModifyVolume grows it online; the agent grows the xfs to match",
  },
  {
    name: "a fix to the VM's configuration agent",
    layer: "vm",
    file: { path: "constructs/vm-config-sync.py", change: (text) => `${text}\n# routine fix: a comment stands for any change\n` },
    expect: { update: ["aws_s3_object.vm_config_bundle"] },
    why: "the agent ships in the bundle and replaces itself; user data is the bootstrap only",
  },
  {
    name: "a fix to the backup script",
    layer: "vm",
    file: { path: "backup/packagecloud-backup.sh", change: (text) => `${text}\n# routine fix: a comment stands for any change\n` },
    expect: { update: ["aws_s3_object.vm_config_bundle"] },
  },
  {
    name: "a newer packagecloud version",
    layer: "vm",
    config: (env) => (env.vm.packagecloudApt.version = `${env.vm.packagecloudApt.version}+1`),
    expect: { update: ["aws_s3_object.vm_config_bundle"] },
    why: "the pinned version travels in the bundle; the agent installs it and holds it (docs/vm.md), the instance stays",
  },
  {
    name: "an AMI bump",
    layer: "vm",
    config: (env) => (env.vm.amiId = "ami-0123456789abcdef0"),
    expect: "no changes",
    why: "the running instance keeps its image (ignore_changes); the new AMI reaches the next rebuilt instance (docs/vm.md)",
  },
  // ---- gke (through the stand-ins, which decide replacement as google v6.50.0's source does) --------------------
  {
    name: "a bigger machine type for the serving node pool",
    layer: "gke",
    // One size up from whatever the environment runs (n2-standard-2 → -4, -4 → -8).
    config: (env) => {
      const pool = env.gcp.cluster.nodePools.serving;
      pool.machineType = String(pool.machineType).replace(/-(\d+)$/, (_m: string, cpus: string) => `-${Number(cpus) * 2}`);
    },
    expect: { update: ["google_container_node_pool.cluster_pool_serving"] },
    why: "node_config.machine_type is updated in place (node_config.go; UpdateNodePool); the pool's name keeps its hash",
  },
  {
    name: "a bigger disk for the background node pool",
    layer: "gke",
    config: (env) => (env.gcp.cluster.nodePools.background.diskGb += 50),
    expect: { update: ["google_container_node_pool.cluster_pool_background"] },
  },
  {
    name: "a bigger Cloud SQL tier",
    layer: "gke",
    // Twice the CPUs and memory of whatever the environment runs (db-custom-<cpus>-<MiB>).
    config: (env) => (env.gcp.sql.tier = String(env.gcp.sql.tier).replace(/^db-custom-(\d+)-(\d+)$/, (_m: string, cpus: string, mib: string) => `db-custom-${Number(cpus) * 2}-${Number(mib) * 2}`)),
    expect: { update: ["google_sql_database_instance.database"] },
  },
  {
    name: "a bigger Cloud SQL disk",
    layer: "gke",
    config: (env) => (env.gcp.sql.diskGb += 100),
    expect: "no changes",
    why: "autoresize owns a running instance's size (the stack ignores disk_size after create, as the provider's docs advise); diskGb sizes a new instance (config/schema.ts)",
  },
  {
    name: "one more Cloud SQL flag",
    layer: "gke",
    code: () => {
      // Loaded here, not at the top: edit-synth.ts changes shipped files before any product module loads.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const flags = require("../../constructs/cloud-sql-mysql").MYSQL_FLAGS as Record<string, string>;
      flags.long_query_time = "2";
      return () => delete flags.long_query_time;
    },
    expect: { update: ["google_sql_database_instance.database"] },
  },
  {
    name: "more Redis memory",
    layer: "gke",
    config: (env) => (env.gcp.redis.memoryGb += 1),
    expect: { update: ["google_redis_instance.redis"] },
  },
  {
    name: "the cluster's maintenance window an hour earlier",
    layer: "gke",
    config: (env) => {
      const [hour, minute] = String(env.gcp.cluster.maintenanceStartUtc).split(":");
      env.gcp.cluster.maintenanceStartUtc = `${String((Number(hour) + 23) % 24).padStart(2, "0")}:${minute}`;
    },
    expect: { update: ["google_container_cluster.cluster"] },
  },
  {
    name: "one more authorized network for the control plane",
    layer: "gke",
    config: (env) => env.gcp.cluster.masterAuthorizedNetworks.push({ name: "oncall", cidr: "10.251.0.0/24" }),
    expect: { update: ["google_container_cluster.cluster"] },
  },
  {
    name: "a shorter rotation period for the customer keys",
    layer: "gke",
    config: (env) => (env.gcp.kmsRotationDays = 60),
    expect: { update: ["google_kms_crypto_key.kms_cloudsql", "google_kms_crypto_key.kms_redis", "google_kms_crypto_key.kms_gke_secrets"] },
  },
  // ---- dns ----------------------------------------------------------------------------------------------------
  {
    name: "a longer DNS TTL",
    layer: "dns",
    // ops's record is proxied by Cloudflare, whose TTL is always 1 (automatic): no TTL to edit there.
    envs: ["pre"],
    config: (env) => (env.dns.ttl = 600),
    expect: { update: ["google_dns_record_set.record"] },
  },
];
