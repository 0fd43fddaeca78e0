/**
 * docs/architecture.md is drawn from the synthesized stacks (tooling/lib/architecture.ts): it must be the file
 * the code generates today, and show what talks to what.
 */
import * as fs from "node:fs";
import { loadEnvironments, type EnvName, type EnvironmentConfig } from "../config";
import { ARCHITECTURE_FILE, architectureMarkdown, synthesizeStacks } from "../tooling/lib/architecture";

const environments = loadEnvironments();
const generated = architectureMarkdown(synthesizeStacks(environments));

/** The Mermaid block of one environment's section. */
function section(markdown: string, env: EnvName): string {
  const match = new RegExp(`## \`${env}\`\\n\\n\`\`\`mermaid\\n([\\s\\S]*?)\`\`\``).exec(markdown);
  if (!match) throw new Error(`no diagram for ${env}`);
  return match[1]!;
}

const edge = (from: string, label: string, to: string) => `n_${from} -->|"${label}"| n_${to}`;

describe("docs/architecture.md", () => {
  it("is the file `npm run docs` generates from the code today", () => {
    const committed = fs.existsSync(ARCHITECTURE_FILE) ? fs.readFileSync(ARCHITECTURE_FILE, "utf8") : "(missing)";
    // A plain message rather than a diff of two large files: the fix is always the same command.
    expect(committed === generated ? "up to date" : "docs/architecture.md is stale: run `npm run docs` and commit the result").toBe("up to date");
  });

  it("is the same every time (sorted, no timestamps)", () => {
    expect(architectureMarkdown(synthesizeStacks(environments))).toBe(generated);
  });

  it("shows the deploy order of every environment's stacks from their dependencies", () => {
    expect(generated).toContain(`${"n_packagecloud_ops_storage"} -->|"deploy before"| n_packagecloud_ops_vm`);
    expect(generated).toContain(`${"n_packagecloud_ops_gke"} -->|"deploy before"| n_packagecloud_ops_dns`);
    expect(generated).toContain(`${"n_packagecloud_pre_gke"} -->|"deploy before"| n_packagecloud_pre_dns`);
  });

  it("draws users → DNS → ingress address → cluster → Cloud SQL and Redis (GKE variant)", () => {
    const ops = section(generated, "ops");
    expect(ops).toContain(edge("external_users", "HTTPS", "dns_cloudflare_dns_record_record"));
    // The record's address comes from a data source in the dns stack, found by name in the gke stack.
    expect(ops).toContain(edge("dns_cloudflare_dns_record_record", "points to", "gke_google_compute_global_address_ingress_address"));
    expect(ops).toContain(`n_gke_google_compute_global_address_ingress_address -.->|"GCE Ingress (Helm chart)"| n_gke_google_container_cluster_cluster`);
    expect(ops).toContain(edge("gke_google_container_cluster_cluster", "private IP", "gke_google_sql_database_instance_database"));
    expect(ops).toContain(edge("gke_google_container_cluster_cluster", "private IP", "gke_google_redis_instance_redis"));
    expect(section(generated, "pre")).toContain(edge("external_users", "HTTPS", "dns_google_dns_record_set_record"));
  });

  it("draws CloudFront → package bucket → replica, and who may write the package bucket", () => {
    const ops = section(generated, "ops");
    expect(ops).toContain(`n_external_cloudfront -.->|"origin"| n_storage_aws_s3_bucket_packages_source`);
    expect(ops).toContain(edge("storage_aws_s3_bucket_packages_source", "replicates, not deletes", "storage_aws_s3_bucket_packages_replica"));
    expect(ops).toContain(edge("storage_aws_iam_user_application_user", "reads, writes", "storage_aws_s3_bucket_packages_source"));
    expect(ops).toMatch(/n_storage_aws_s3_bucket_packages_replica\[\("<b>S3 bucket<\/b><br\/>packages-gitlab-com-replica \(eu-central-1\)"\)\]/);
  });

  it("draws the backup jobs' put-only access to the Object-Locked bucket, across stacks for the VM", () => {
    const ops = section(generated, "ops");
    expect(ops).toMatch(/n_storage_aws_s3_bucket_offsite_backups_bucket\[\("[^"]*gitlab-packagecloud-db-offsite-backups \(us-west-1, Object Lock COMPLIANCE 30 d\)"\)\]/);
    expect(ops).toContain(edge("storage_aws_iam_role_offsite_backups_uploader_role", "uploads, put-only", "storage_aws_s3_bucket_offsite_backups_bucket"));
    // The vm stack attaches the storage stack's policies by ARN: resolved by the policy's name.
    // The VM's backup job uploads and its restore verification reads back; nothing on it may delete.
    expect(ops).toContain(edge("vm_aws_instance_vm_instance", "uploads, reads back, never deletes", "storage_aws_s3_bucket_offsite_backups_bucket"));
    expect(ops).toContain(edge("vm_aws_ebs_volume_vm_data_volume", "snapshots", "vm_aws_backup_plan_snapshots_plan"));
    expect(ops).toContain(edge("vm_aws_backup_vault_snapshots_vault", "copy", "vm_aws_backup_vault_snapshots_copy_vault"));
  });

  it("draws alarms → SNS topic → paging, and Cloud SQL alerts → notification channels", () => {
    const ops = section(generated, "ops");
    expect(ops).toContain(edge("storage_aws_cloudwatch_metric_alarm_offsite_backup_alarms_stale", "watches", "storage_aws_s3_bucket_offsite_backups_bucket"));
    expect(ops).toContain(edge("storage_aws_cloudwatch_metric_alarm_offsite_backup_alarms_stale", "notifies", "storage_aws_sns_topic_alerts"));
    expect(ops).toContain(edge("storage_aws_sns_topic_alerts", "pages", "external_https_pagerduty_cloudwatch_url"));
    expect(ops).toContain(edge("gke_google_monitoring_alert_policy_database_backup_alerts_failed", "notifies", "external_gcp_channels"));
  });

  it("groups resources of a kind with the same connections, and keeps sub-resources out", () => {
    const ops = section(generated, "ops");
    expect(ops).toContain("<b>2 × CloudWatch alarm</b><br/>packagecloud-ops-offsite-db-backup-stale<br/>packagecloud-ops-offsite-db-backup-too-small");
    expect(ops).toMatch(/<b>2 × GKE node pool<\/b><br\/>packagecloud-background-[0-9a-f]{8}<br\/>packagecloud-serving-[0-9a-f]{8}/);
    expect(ops).not.toMatch(/aws_s3_bucket_versioning_|aws_kms_key_/);
    expect(generated).toMatch(/Not drawn as nodes[^\n]*`aws_s3_bucket_versioning` ×7/);
  });

  it("follows the variant: with `vm`, the DNS record points at the Elastic IP of the instance", () => {
    const vm = { ...environments, ops: { ...environments.ops, variant: "vm" } } as Record<EnvName, EnvironmentConfig>;
    const markdown = architectureMarkdown(synthesizeStacks(vm));
    const ops = section(markdown, "ops");
    expect(ops).toContain(edge("dns_cloudflare_dns_record_record", "points to", "vm_aws_eip_vm_public_address"));
    expect(ops).toContain("n_vm_aws_eip_vm_public_address --> n_vm_aws_instance_vm_instance");
    expect(markdown).toContain(`n_packagecloud_ops_vm -->|"deploy before"| n_packagecloud_ops_dns`);
  });
});
