/**
 * The drift report, from plan JSON shaped as `terraform show -json` writes it (Terraform 1.11): what counts as
 * drift, what is noise, how the report reads, and the exit codes.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DRIFT_EXIT, diffAttributes, driftFromPlan, exitCode, renderMarkdown, summarize, writeReports, type StackDriftReport } from "../operator/lib/drift-report";

const bucketVersioning = (status: string) => ({ bucket: "b", expected_bucket_owner: "", mfa: null, versioning_configuration: [{ mfa_delete: "", status }] });

const planWith = (parts: Record<string, unknown>) => ({
  configuration: {
    root_module: {
      resources: [
        { address: "aws_s3_bucket_versioning.v", expressions: { bucket: { references: ["aws_s3_bucket.b.id"] }, versioning_configuration: [{ status: { constant_value: "Enabled" } }] } },
        { address: "aws_s3_bucket.b", expressions: { bucket: { constant_value: "b" } } },
        { address: "aws_security_group.sg", expressions: { name: { constant_value: "sg" } } },
      ],
    },
  },
  ...parts,
});

describe("driftFromPlan", () => {
  it("reports a configured attribute changed outside Terraform, recorded → actual", () => {
    const report = driftFromPlan("s", planWith({
      resource_drift: [{ address: "aws_s3_bucket_versioning.v", type: "aws_s3_bucket_versioning", mode: "managed", change: { actions: ["update"], before: bucketVersioning("Enabled"), after: bucketVersioning("Suspended") } }],
    }));
    expect(report.status).toBe("drifted");
    expect(report.drift).toEqual([{ address: "aws_s3_bucket_versioning.v", type: "aws_s3_bucket_versioning", kind: "changed", attributes: [{ path: "versioning_configuration[0].status", from: "Enabled", to: "Suspended" }] }]);
  });

  it("ignores attributes the code does not set, which every first refresh fills in (the bucket's legacy mirrors)", () => {
    const report = driftFromPlan("s", planWith({
      resource_drift: [{ address: "aws_s3_bucket.b", type: "aws_s3_bucket", change: { actions: ["update"], before: { bucket: "b", versioning: [{ enabled: false }], tags: null }, after: { bucket: "b", versioning: [{ enabled: true }], tags: {} } } }],
    }));
    expect(report).toEqual({ stack: "s", status: "clean", drift: [], pending: [] });
  });

  it("always compares tags, which the provider's default tags fill", () => {
    const report = driftFromPlan("s", planWith({
      resource_drift: [{ address: "aws_s3_bucket.b", type: "aws_s3_bucket", change: { actions: ["update"], before: { tags_all: { Environment: "pre" } }, after: { tags_all: { Environment: "prod" } } } }],
    }));
    expect(report.drift[0].attributes).toEqual([{ path: "tags_all.Environment", from: "pre", to: "prod" }]);
  });

  it("reports a deleted resource, and the create the next apply would do", () => {
    const report = driftFromPlan("s", planWith({
      resource_drift: [{ address: "aws_cloudwatch_metric_alarm.a", type: "aws_cloudwatch_metric_alarm", change: { actions: ["delete"], before: { alarm_name: "a" }, after: null } }],
      resource_changes: [{ address: "aws_cloudwatch_metric_alarm.a", type: "aws_cloudwatch_metric_alarm", change: { actions: ["create"], before: null, after: { alarm_name: "a" }, after_unknown: { arn: true } } }],
    }));
    expect(report.drift).toEqual([{ address: "aws_cloudwatch_metric_alarm.a", type: "aws_cloudwatch_metric_alarm", kind: "deleted", attributes: [] }]);
    expect(report.pending).toEqual([expect.objectContaining({ address: "aws_cloudwatch_metric_alarm.a", actions: ["create"] })]);
  });

  it("reports a security-group rule that no rule resource manages, and not the managed ones", () => {
    const report = driftFromPlan("s", planWith({
      prior_state: {
        values: {
          root_module: {
            resources: [
              {
                address: "aws_security_group.sg",
                type: "aws_security_group",
                mode: "managed",
                values: {
                  id: "sg-1",
                  ingress: [
                    { protocol: "tcp", from_port: 443, to_port: 443, cidr_blocks: ["0.0.0.0/0"], ipv6_cidr_blocks: [], description: "HTTPS" },
                    { protocol: "tcp", from_port: 3389, to_port: 3389, cidr_blocks: ["0.0.0.0/0"], ipv6_cidr_blocks: [], description: "debugging" },
                  ],
                  egress: [],
                },
              },
              { address: "aws_vpc_security_group_ingress_rule.https", type: "aws_vpc_security_group_ingress_rule", mode: "managed", values: { security_group_id: "sg-1", ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "0.0.0.0/0" } },
            ],
          },
        },
      },
    }));
    expect(report.drift).toEqual([
      { address: "aws_security_group.sg", type: "aws_security_group", kind: "changed", attributes: [{ path: "ingress", from: "only the rules Terraform manages", to: ["+ tcp 3389 from 0.0.0.0/0 (debugging)"] }] },
    ]);
  });

  it("counts what the next apply would change as drift even when the refresh saw nothing (code never deployed)", () => {
    const report = driftFromPlan("s", planWith({
      resource_changes: [{ address: "aws_s3_bucket_versioning.v", type: "aws_s3_bucket_versioning", change: { actions: ["update"], before: bucketVersioning("Suspended"), after: bucketVersioning("Enabled") } }],
    }));
    expect(report.status).toBe("drifted");
    expect(report.pending[0].attributes).toEqual([{ path: "versioning_configuration[0].status", from: "Suspended", to: "Enabled" }]);
  });

  it("ignores no-op and read changes and data sources", () => {
    const report = driftFromPlan("s", planWith({
      resource_changes: [
        { address: "aws_s3_bucket.b", type: "aws_s3_bucket", change: { actions: ["no-op"], before: {}, after: {} } },
        { address: "data.aws_eip.x", type: "aws_eip", mode: "data", change: { actions: ["read"], before: null, after: {} } },
      ],
    }));
    expect(report.status).toBe("clean");
  });
});

describe("diffAttributes", () => {
  it("never prints a sensitive value", () => {
    expect(diffAttributes({ password: "old" }, { password: "new" }, { beforeSensitive: { password: true }, afterSensitive: { password: true } })).toEqual([
      { path: "password", from: "(sensitive)", to: "(sensitive)" },
    ]);
  });

  it("marks values only known after apply", () => {
    expect(diffAttributes({ arn: "a" }, {}, { afterUnknown: { arn: true } })).toEqual([{ path: "arn", from: "a", to: "(known after apply)" }]);
  });
});

describe("the report", () => {
  const drifted: StackDriftReport = {
    stack: "packagecloud-pre-storage",
    status: "drifted",
    drift: [{ address: "aws_s3_bucket_versioning.v", type: "aws_s3_bucket_versioning", kind: "changed", attributes: [{ path: "versioning_configuration[0].status", from: "Enabled", to: "Suspended" }] }],
    pending: [],
  };
  const clean: StackDriftReport = { stack: "packagecloud-pre-vm", status: "clean", drift: [], pending: [] };
  const failed: StackDriftReport = { stack: "packagecloud-pre-dns", status: "error", drift: [], pending: [], error: "Error: No valid credential sources found" };

  it("exits 0 when clean, 2 on drift, 3 when a stack could not be planned (whatever else drifted)", () => {
    expect(exitCode(summarize("pre", "aws", [clean]))).toBe(DRIFT_EXIT.clean);
    expect(exitCode(summarize("pre", "aws", [clean, drifted]))).toBe(DRIFT_EXIT.drifted);
    expect(exitCode(summarize("pre", "aws", [drifted, failed]))).toBe(DRIFT_EXIT.unplannable);
    expect(DRIFT_EXIT).toEqual({ clean: 0, usage: 1, drifted: 2, unplannable: 3 });
  });

  it("reads as stack, resource, attribute, recorded → actual, and shows why a stack could not be planned", () => {
    const markdown = renderMarkdown(summarize("pre", "aws", [drifted, clean, failed], new Date("2026-01-01T00:00:00Z")));
    expect(markdown).toContain("# Drift report: pre (aws)");
    expect(markdown).toContain("## packagecloud-pre-storage: drifted");
    expect(markdown).toContain("| `aws_s3_bucket_versioning.v` | `versioning_configuration[0].status` | `Enabled` | `Suspended` |");
    expect(markdown).toContain("## packagecloud-pre-vm: clean");
    expect(markdown).toMatch(/## packagecloud-pre-dns: error\n\nCould not be planned; its drift is unknown:\n\n```\nError: No valid credential sources found/);
  });

  it("writes JSON for machines and Markdown for people", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-drift-report-"));
    try {
      const report = summarize("pre", "aws", [drifted]);
      const files = writeReports(report, dir);
      expect(JSON.parse(fs.readFileSync(files.json, "utf8"))).toEqual(report);
      expect(fs.readFileSync(files.markdown, "utf8")).toContain("packagecloud-pre-storage: drifted");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
