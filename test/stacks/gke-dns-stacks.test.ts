import { App, Testing } from "cdktf";
import { ENV_NAMES, loadEnvironments, type EnvironmentConfig, type EnvName } from "../../config";
import { buildApp } from "../../stacks/app";
import { GkeStack, ingressAddressName } from "../../stacks/gke-stack";
import { sharedStack, synth, testApp, UNIT_TARGET } from "../support/synth";
import { DnsStack } from "../../stacks/dns-stack";

const envs = loadEnvironments();

describe.each(ENV_NAMES)("packagecloud-%s-gke", (name) => {
  const env = envs[name];
  const out = sharedStack(name, "gke");

  it("uses the environment's project and region", () => {
    expect(out.json.provider.google).toEqual([expect.objectContaining({ project: env.gcp.project, region: env.gcp.region })]);
  });

  it("keeps its state in the environment's GCS bucket, under its own prefix, on the real target", () => {
    // The shared unit synth uses local state; the real target is what the pipeline plans.
    const stack = new GkeStack(testApp(), { env, target: { kind: "aws", remoteState: true } });
    expect(synth(stack).json.terraform.backend).toEqual({ gcs: { bucket: env.state.gcsBucket, prefix: `packagecloud/${name}/packagecloud-${name}-gke` } });
  });

  it("runs its own cluster where config says", () => {
    expect(out.resource("google_container_cluster", "cluster")).toMatchObject({ name: `packagecloud-${name}-gke`, location: env.gcp.cluster.location });
  });

  it("differs from the other environment only as config says: SQL tier and availability, Redis tier", () => {
    const sql = out.resource("google_sql_database_instance", "database").settings;
    expect(sql).toMatchObject({ tier: env.gcp.sql.tier, availability_type: env.gcp.sql.availability });
    expect(sql.backup_configuration.backup_retention_settings).toEqual({ retained_backups: env.gcp.sql.retainedBackups, retention_unit: "COUNT" });
    expect(out.resource("google_redis_instance", "redis")).toMatchObject({ tier: env.gcp.redis.tier, memory_size_gb: env.gcp.redis.memoryGb });
  });

  it("binds the application's Kubernetes service account from config", () => {
    expect(out.resource("google_service_account_iam_member", "app_workload_identity_binding").member).toBe(
      `serviceAccount:${env.gcp.project}.svc.id.goog[${env.gcp.workload.namespace}/${env.gcp.workload.serviceAccount}]`,
    );
  });

  it("enables every API it uses, and never disables one on destroy", () => {
    const services = Object.values(out.resources("google_project_service")) as any[];
    expect(services.map((s) => s.service).sort()).toEqual([
      "binaryauthorization.googleapis.com",
      "cloudkms.googleapis.com",
      "cloudresourcemanager.googleapis.com",
      "compute.googleapis.com",
      "container.googleapis.com",
      "iam.googleapis.com",
      "logging.googleapis.com",
      "monitoring.googleapis.com",
      "redis.googleapis.com",
      "secretmanager.googleapis.com",
      "servicenetworking.googleapis.com",
      "sqladmin.googleapis.com",
    ]);
    for (const s of services) expect(s.disable_on_destroy).toBe(false);
  });

  it("reserves the ingress's global address under the name the DNS stack looks up", () => {
    expect(out.resource("google_compute_global_address", "ingress_address")).toMatchObject({ name: ingressAddressName(env), address_type: "EXTERNAL" });
  });

  it("keeps the Terraform addresses of its stateful resources", () => {
    expect(Object.keys(out.resources("google_sql_database_instance"))).toEqual(["database"]);
    expect(Object.keys(out.resources("google_redis_instance"))).toEqual(["redis"]);
    expect(Object.keys(out.resources("google_container_cluster"))).toEqual(["cluster"]);
    expect(Object.keys(out.resources("google_kms_crypto_key")).sort()).toEqual(["kms_cloudsql", "kms_gke_secrets", "kms_redis"]);
  });
});

describe("packagecloud-<env>-dns", () => {
  it("ops: a proxied Cloudflare record with automatic TTL, pointing at the GKE ingress address", () => {
    const out = sharedStack("ops", "dns");
    const dns = envs.ops.dns;
    expect(out.resource("cloudflare_dns_record", "record")).toMatchObject({
      zone_id: dns.provider === "cloudflare" ? dns.zoneId : "",
      name: "packages.gitlab.com",
      type: "A",
      proxied: true,
      ttl: 1,
      content: "${data.google_compute_global_address.gke_ingress_address.address}",
    });
    expect(out.json.data.google_compute_global_address.gke_ingress_address.name).toBe(ingressAddressName(envs.ops));
    expect(out.json.provider.cloudflare).toEqual([{}]);
  });

  it("pre: a record in the existing Cloud DNS zone for packages.pre.gke.gitlab.net", () => {
    const out = sharedStack("pre", "dns");
    expect(out.resource("google_dns_record_set", "record")).toMatchObject({
      managed_zone: "pre-gke-gitlab-net",
      name: "packages.pre.gke.gitlab.net.",
      type: "A",
      ttl: 300,
      rrdatas: ["${data.google_compute_global_address.gke_ingress_address.address}"],
    });
    expect(out.resources("cloudflare_dns_record")).toEqual({});
  });

  it("keeps its state in GCS, one key per environment and stack", () => {
    const stack = new DnsStack(testApp(), { env: envs.ops, target: { kind: "aws", remoteState: true } });
    expect(synth(stack).json.terraform.backend).toEqual({
      gcs: { bucket: envs.ops.state.gcsBucket, prefix: "packagecloud/ops/packagecloud-ops-dns" },
    });
  });
});

describe("switching an environment's variant", () => {
  function synthAll(variant: "gke" | "vm"): Record<string, string> {
    const environments = { ...envs, ops: { ...envs.ops, variant } } as Record<EnvName, EnvironmentConfig>;
    const app: App = testApp();
    buildApp(app, { environments, target: UNIT_TARGET });
    return Object.fromEntries(app.node.children.map((s: any) => [s.node.id, Testing.synth(s, true)]));
  }
  const gke = synthAll("gke");
  const vm = synthAll("vm");

  it("moves DNS to the VM's Elastic IP", () => {
    const record = JSON.parse(vm["packagecloud-ops-dns"]).resource.cloudflare_dns_record.record;
    expect(record.content).toBe("${data.aws_eip.vm_address.public_ip}");
    expect(JSON.parse(vm["packagecloud-ops-dns"]).data.aws_eip.vm_address.filter).toEqual([{ name: "tag:Name", values: ["packagecloud-ops-vm"] }]);
  });

  it("changes nothing else but the VM's daily-backup alarms, which exist only where the VM writes them", () => {
    const changed = Object.keys(gke).filter((stack) => gke[stack] !== vm[stack]);
    expect(changed).toEqual(["packagecloud-ops-storage", "packagecloud-ops-dns"]);
    // In storage, only the daily backups' request metrics and alarms are added (config/backup-writers.ts).
    const before = JSON.parse(gke["packagecloud-ops-storage"]).resource;
    const after = JSON.parse(vm["packagecloud-ops-storage"]).resource;
    const added = Object.entries(after).flatMap(([type, byName]: [string, any]) =>
      Object.keys(byName).filter((name) => JSON.stringify(byName[name]) !== JSON.stringify(before[type]?.[name])).map((name) => `${type}.${name}`),
    );
    expect(added.sort()).toEqual([
      "aws_cloudwatch_metric_alarm.daily_backup_alarms_stale",
      "aws_cloudwatch_metric_alarm.daily_backup_alarms_too_small",
      "aws_s3_bucket_metric.daily_backup_alarms_request_metrics",
    ]);
    expect(Object.keys(before).every((type) => Object.keys(before[type]).every((name) => name in after[type]))).toBe(true);
  });
});
