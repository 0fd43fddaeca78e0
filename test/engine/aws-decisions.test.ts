/**
 * Calibrating the decision-table method on the one provider with a real binary here (issue 28 §1). The stand-in
 * providers answer from tables read out of the Google, Cloudflare and time providers' sources; whether reading a
 * provider's source that way predicts what the provider does can only be checked where the provider itself runs.
 * So the same kind of table was written for hashicorp/aws (emulator/standin/decisions/aws.ts, from the provider's
 * source, file:line per entry) and is held here against the real binary, aws 5.100.0 from the mirror, started by
 * Terraform itself for every command as in the pipeline:
 *
 *  - a small stack of the types the product uses is applied into moto, then each group of edits is planned with
 *    `plan -refresh=false` (the state is what the apply wrote; only the configuration changed) and the plan read
 *    with `terraform show -json`. For every edit the table's entry for the edited path predicts "replace" or
 *    "update" (a conditional entry is evaluated on the edited configuration); the binary's `actions` and
 *    `replace_paths` for that resource must agree. The binary is the independent oracle: no expectation below is
 *    written by hand except which path an edit touches.
 *  - the defaults the table records are compared with the values the binary planned for the create;
 *  - the refusals the table records for a handful of paths are compared with `terraform validate`'s diagnostics
 *    on a configuration that breaks each of them once.
 *
 * Edits are grouped so that no plan edits a resource twice or edits a resource another edit in the same plan
 * replaces (the dependent's action would then be the cascade's, not the edit's).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AWS_DECISIONS } from "../../emulator/standin/decisions/aws";
import type { AttributeDecision, Refusal } from "../../emulator/standin/decisions/types";
import { startEmulator, type Emulator } from "../../emulator/lib/moto";
import { terraform, terraformEnv, terraformOk } from "../../operator/lib/terraform";
import { AWS_SERVICES } from "../../stacks/target";

type Body = Record<string, any>;
type Config = { resource: Record<string, Record<string, Body>> } & Record<string, unknown>;

const REGION = "us-west-1";
const ZONE = "us-west-1b";
// moto's own sample image: it launches without MOTO_AMIS_PATH.
const AMI = "ami-12c6146b";
const b64 = (text: string) => Buffer.from(text).toString("base64");
const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
const POLICY = (action: string) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] });
const BUCKET_POLICY = (action: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: action, Resource: "arn:aws:s3:::calibration-logs/*" },
    ],
  });
const TOPIC_POLICY = (service: string) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sns:Publish", Resource: "*" }] });

/** The stack under test: the types the product's stacks use, in the shapes they use them. */
function baseConfig(endpoint: string): Config {
  return {
    terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } } },
    provider: {
      aws: {
        region: REGION,
        access_key: "testing",
        secret_key: "testing",
        s3_use_path_style: true,
        skip_credentials_validation: true,
        skip_metadata_api_check: "true",
        max_retries: 3,
        endpoints: [Object.fromEntries(AWS_SERVICES.map((service) => [service, endpoint]))],
      },
    },
    resource: {
      aws_vpc: { main: { cidr_block: "10.42.0.0/16", enable_dns_hostnames: true, tags: { Name: "calibration" } } },
      aws_subnet: { main: { vpc_id: "${aws_vpc.main.id}", cidr_block: "10.42.1.0/24", availability_zone: ZONE } },
      aws_route_table: { main: { vpc_id: "${aws_vpc.main.id}" }, other: { vpc_id: "${aws_vpc.main.id}" } },
      aws_route_table_association: { main: { subnet_id: "${aws_subnet.main.id}", route_table_id: "${aws_route_table.main.id}" } },
      aws_security_group: {
        web: { name_prefix: "calibration-", description: "web from anywhere", vpc_id: "${aws_vpc.main.id}", tags: { Name: "web" } },
      },
      aws_vpc_security_group_ingress_rule: {
        https: {
          security_group_id: "${aws_security_group.web.id}",
          cidr_ipv4: "0.0.0.0/0",
          from_port: 443,
          to_port: 443,
          ip_protocol: "tcp",
          description: "https",
        },
      },
      aws_kms_key: { disk: { description: "disk key", deletion_window_in_days: 7 } },
      aws_kms_alias: { disk: { name: "alias/calibration-disk", target_key_id: "${aws_kms_key.disk.key_id}" } },
      aws_ebs_volume: { data: { availability_zone: ZONE, size: 8, type: "gp2", encrypted: true, kms_key_id: "${aws_kms_key.disk.arn}" } },
      aws_instance: {
        vm: {
          ami: AMI,
          instance_type: "t3.micro",
          subnet_id: "${aws_subnet.main.id}",
          vpc_security_group_ids: ["${aws_security_group.web.id}"],
          ebs_optimized: false,
          monitoring: false,
          user_data_base64: b64("#cloud-config\n"),
          metadata_options: { http_endpoint: "enabled", http_tokens: "required" },
          root_block_device: { volume_size: 8, volume_type: "gp3", encrypted: true },
        },
        aux: {
          ami: AMI,
          instance_type: "t3.micro",
          subnet_id: "${aws_subnet.main.id}",
          metadata_options: { http_tokens: "optional" },
          root_block_device: { volume_size: 8 },
        },
      },
      aws_volume_attachment: {
        data: {
          device_name: "/dev/sdf",
          volume_id: "${aws_ebs_volume.data.id}",
          instance_id: "${aws_instance.vm.id}",
          stop_instance_before_detaching: true,
        },
      },
      aws_s3_bucket: { logs: { bucket: "calibration-logs", force_destroy: true } },
      aws_s3_bucket_lifecycle_configuration: {
        logs: {
          bucket: "${aws_s3_bucket.logs.id}",
          rule: [
            {
              id: "expire",
              status: "Enabled",
              filter: [{ prefix: "" }],
              expiration: [{ days: 30 }],
              noncurrent_version_expiration: [{ noncurrent_days: 30 }],
            },
          ],
        },
      },
      aws_iam_role: { app: { name: "calibration-app", assume_role_policy: TRUST, description: "application role" } },
      aws_iam_policy: { app: { name: "calibration-app", description: "application policy", policy: POLICY("s3:GetObject") } },
      aws_iam_group: { ops: { name: "calibration-ops" }, readers: { name: "calibration-readers" } },
      aws_iam_user: { ops: { name: "calibration-operator", force_destroy: true } },
      aws_iam_user_group_membership: { ops: { user: "${aws_iam_user.ops.name}", groups: ["${aws_iam_group.ops.name}"] } },
      aws_iam_instance_profile: { app: { name: "calibration-app", role: "${aws_iam_role.app.name}" } },
      aws_iam_role_policy_attachment: { app: { role: "${aws_iam_role.app.name}", policy_arn: "${aws_iam_policy.app.arn}" } },
      aws_s3_bucket_public_access_block: {
        logs: {
          bucket: "${aws_s3_bucket.logs.id}",
          block_public_acls: true,
          block_public_policy: true,
          ignore_public_acls: true,
          restrict_public_buckets: true,
        },
      },
      aws_s3_bucket_versioning: { logs: { bucket: "${aws_s3_bucket.logs.id}", versioning_configuration: [{ status: "Enabled" }] } },
      aws_s3_bucket_policy: { logs: { bucket: "${aws_s3_bucket.logs.id}", policy: BUCKET_POLICY("s3:GetObject") } },
      aws_s3_bucket_server_side_encryption_configuration: {
        logs: {
          bucket: "${aws_s3_bucket.logs.id}",
          rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.disk.arn}" }] }],
        },
      },
      aws_s3_object: { readme: { bucket: "${aws_s3_bucket.logs.id}", key: "README", content: "calibration", content_type: "text/plain" } },
      aws_network_interface: { extra: { subnet_id: "${aws_subnet.main.id}", description: "extra interface" } },
      aws_sns_topic_policy: { alerts: { arn: "${aws_sns_topic.alerts.arn}", policy: TOPIC_POLICY("cloudwatch.amazonaws.com") } },
      aws_sns_topic: { alerts: { name: "calibration-alerts" } },
      aws_sns_topic_subscription: { mail: { topic_arn: "${aws_sns_topic.alerts.arn}", protocol: "email", endpoint: "oncall@example.invalid" } },
      aws_cloudwatch_metric_alarm: {
        cpu: {
          alarm_name: "calibration-cpu",
          comparison_operator: "GreaterThanThreshold",
          evaluation_periods: 2,
          metric_name: "CPUUtilization",
          namespace: "AWS/EC2",
          period: 300,
          statistic: "Average",
          threshold: 80,
          treat_missing_data: "breaching",
          alarm_actions: ["${aws_sns_topic.alerts.arn}"],
        },
      },
    },
  };
}

/** One edit: the attribute path it touches (relative to the resource) and the change. */
interface Edit {
  readonly address: string;
  readonly path: string;
  readonly change: (body: Body) => void;
}

const set = (key: string, value: unknown) => (body: Body) => {
  body[key] = value;
};
const edit = (address: string, path: string, change: (body: Body) => void): Edit => ({ address, path, change });

const PLANS: readonly (readonly Edit[])[] = [
  [
    edit("aws_security_group.web", "description", set("description", "web from anywhere, exporters from Prometheus")),
    edit("aws_ebs_volume.data", "size", set("size", 16)),
    edit("aws_instance.vm", "user_data_base64", set("user_data_base64", b64("#cloud-config\nruncmd: [true]\n"))),
    edit("aws_instance.aux", "metadata_options.http_tokens", (b) => (b.metadata_options.http_tokens = "required")),
    edit("aws_s3_bucket.logs", "force_destroy", set("force_destroy", false)),
    edit("aws_kms_key.disk", "description", set("description", "data disk key")),
    edit("aws_iam_role.app", "name", set("name", "calibration-app-renamed")),
    edit("aws_sns_topic.alerts", "name", set("name", "calibration-alerts-renamed")),
    edit("aws_iam_group.ops", "name", set("name", "calibration-operators")),
    edit("aws_s3_bucket_lifecycle_configuration.logs", "rule.expiration.days", (b) => (b.rule[0].expiration[0].days = 60)),
    edit("aws_route_table_association.main", "route_table_id", set("route_table_id", "${aws_route_table.other.id}")),
    edit("aws_subnet.main", "map_public_ip_on_launch", set("map_public_ip_on_launch", true)),
    edit("aws_volume_attachment.data", "stop_instance_before_detaching", set("stop_instance_before_detaching", false)),
    edit("aws_iam_user.ops", "name", set("name", "calibration-operator-2")),
    edit("aws_s3_bucket_public_access_block.logs", "block_public_policy", set("block_public_policy", false)),
    edit("aws_s3_object.readme", "content", set("content", "calibration, second edition")),
    edit("aws_network_interface.extra", "description", set("description", "extra interface, renamed")),
  ],
  [
    edit("aws_ebs_volume.data", "availability_zone", set("availability_zone", "us-west-1c")),
    edit("aws_instance.vm", "ami", set("ami", "ami-0123456789abcdef0")),
    edit("aws_subnet.main", "cidr_block", set("cidr_block", "10.42.2.0/24")),
    edit("aws_kms_alias.disk", "name", set("name", "alias/calibration-data-disk")),
    edit("aws_iam_policy.app", "description", set("description", "application policy, reworded")),
    edit("aws_cloudwatch_metric_alarm.cpu", "threshold", set("threshold", 90)),
    edit("aws_sns_topic_subscription.mail", "endpoint", set("endpoint", "oncall-2@example.invalid")),
    edit("aws_vpc_security_group_ingress_rule.https", "cidr_ipv4", set("cidr_ipv4", "10.0.0.0/8")),
    edit("aws_iam_role.app", "max_session_duration", set("max_session_duration", 7200)),
    edit("aws_s3_bucket_lifecycle_configuration.logs", "rule.noncurrent_version_expiration.noncurrent_days", (b) => {
      b.rule[0].noncurrent_version_expiration[0].noncurrent_days = 90;
    }),
    edit("aws_iam_user_group_membership.ops", "groups", set("groups", ["${aws_iam_group.ops.name}", "${aws_iam_group.readers.name}"])),
    edit("aws_iam_instance_profile.app", "name", set("name", "calibration-app-profile")),
    edit("aws_s3_bucket_versioning.logs", "versioning_configuration.status", (b) => (b.versioning_configuration[0].status = "Suspended")),
    edit("aws_s3_bucket_policy.logs", "policy", set("policy", BUCKET_POLICY("s3:ListBucket"))),
    edit("aws_s3_bucket_server_side_encryption_configuration.logs", "rule.apply_server_side_encryption_by_default.sse_algorithm", (b) => {
      b.rule[0].apply_server_side_encryption_by_default = [{ sse_algorithm: "AES256" }];
    }),
    edit("aws_s3_object.readme", "key", set("key", "README.md")),
    edit("aws_sns_topic_policy.alerts", "policy", set("policy", TOPIC_POLICY("events.amazonaws.com"))),
  ],
  [
    edit("aws_volume_attachment.data", "device_name", set("device_name", "/dev/sdg")),
    edit("aws_instance.vm", "instance_type", set("instance_type", "t3.small")),
    edit("aws_instance.aux", "root_block_device.volume_size", (b) => (b.root_block_device.volume_size = 16)),
    edit("aws_s3_bucket.logs", "bucket", set("bucket", "calibration-logs-renamed")),
    edit("aws_kms_key.disk", "deletion_window_in_days", set("deletion_window_in_days", 14)),
    edit("aws_iam_policy.app", "policy", set("policy", POLICY("s3:PutObject"))),
    edit("aws_sns_topic.alerts", "kms_master_key_id", set("kms_master_key_id", "alias/aws/sns")),
    edit("aws_cloudwatch_metric_alarm.cpu", "alarm_name", set("alarm_name", "calibration-cpu-high")),
    edit("aws_vpc_security_group_ingress_rule.https", "cidr_ipv6", (b) => {
      delete b.cidr_ipv4;
      b.cidr_ipv6 = "::/0";
    }),
    edit("aws_iam_role.app", "description", set("description", "application role, reworded")),
    edit("aws_iam_role_policy_attachment.app", "policy_arn", set("policy_arn", "arn:aws:iam::aws:policy/ReadOnlyAccess")),
  ],
  [
    edit("aws_instance.vm", "ebs_optimized", set("ebs_optimized", true)),
    edit("aws_instance.aux", "monitoring", set("monitoring", true)),
    edit("aws_s3_bucket.logs", "object_lock_enabled", set("object_lock_enabled", true)),
    edit("aws_ebs_volume.data", "type", set("type", "gp3")),
    edit("aws_kms_key.disk", "enable_key_rotation", set("enable_key_rotation", true)),
    edit("aws_cloudwatch_metric_alarm.cpu", "evaluation_periods", set("evaluation_periods", 3)),
    edit("aws_security_group.web", "tags", set("tags", { Name: "web", Role: "packagecloud" })),
    edit("aws_vpc.main", "enable_dns_hostnames", set("enable_dns_hostnames", false)),
    edit("aws_iam_group.ops", "name", set("name", "calibration-ops-2")),
  ],
];

/** Defaults the table records, checked against the values the binary planned at create (attributes left unset above). */
const DEFAULTS: readonly { address: string; path: string }[] = [
  { address: "aws_vpc.main", path: "enable_dns_support" },
  { address: "aws_subnet.main", path: "map_public_ip_on_launch" },
  { address: "aws_kms_key.disk", path: "enable_key_rotation" },
  { address: "aws_ebs_volume.data", path: "final_snapshot" },
  { address: "aws_iam_role.app", path: "max_session_duration" },
  { address: "aws_cloudwatch_metric_alarm.cpu", path: "actions_enabled" },
  { address: "aws_instance.vm", path: "root_block_device.delete_on_termination" },
  { address: "aws_sns_topic_subscription.mail", path: "endpoint_auto_confirms" },
];

/** Values that break one refusal each, on resources of their own: `terraform validate` must refuse every one. */
const REFUSALS: readonly { address: string; path: string; body: Body }[] = [
  {
    address: "aws_instance.bad_tokens",
    path: "metadata_options.http_tokens",
    body: { ami: AMI, instance_type: "t3.micro", metadata_options: { http_tokens: "sometimes" } },
  },
  { address: "aws_iam_role.bad_duration", path: "max_session_duration", body: { name: "bad", assume_role_policy: TRUST, max_session_duration: 60 } },
  { address: "aws_kms_key.bad_window", path: "deletion_window_in_days", body: { deletion_window_in_days: 3 } },
  { address: "aws_security_group.bad_description", path: "description", body: { name: "bad", description: "x".repeat(256) } },
  {
    address: "aws_cloudwatch_metric_alarm.bad_missing",
    path: "treat_missing_data",
    body: {
      alarm_name: "bad",
      comparison_operator: "GreaterThanThreshold",
      evaluation_periods: 1,
      metric_name: "m",
      namespace: "n",
      period: 60,
      statistic: "Average",
      threshold: 1,
      treat_missing_data: "maybe",
    },
  },
  {
    address: "aws_cloudwatch_metric_alarm.bad_comparison",
    path: "comparison_operator",
    body: {
      alarm_name: "bad2",
      comparison_operator: "Above",
      evaluation_periods: 1,
      metric_name: "m",
      namespace: "n",
      period: 60,
      statistic: "Average",
      threshold: 1,
    },
  },
  {
    address: "aws_s3_bucket_lifecycle_configuration.bad_status",
    path: "rule.status",
    body: { bucket: "b", rule: [{ id: "r", status: "On", filter: [{ prefix: "" }] }] },
  },
  {
    address: "aws_vpc_security_group_ingress_rule.bad_port",
    path: "from_port",
    body: { security_group_id: "sg-1", cidr_ipv4: "0.0.0.0/0", ip_protocol: "tcp", from_port: 70000, to_port: 443 },
  },
  { address: "aws_backup_vault.bad_name", path: "name", body: { name: "a" } },
  {
    address: "aws_sns_topic_subscription.bad_protocol",
    path: "protocol",
    body: { topic_arn: "arn:aws:sns:us-west-1:123456789012:t", protocol: "pigeon", endpoint: "x" },
  },
  {
    address: "aws_s3_bucket_server_side_encryption_configuration.bad_sse",
    path: "rule.apply_server_side_encryption_by_default.sse_algorithm",
    body: { bucket: "b", rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: "rot13" }] }] },
  },
  { address: "aws_eip.bad_domain", path: "domain", body: { domain: "internet" } },
  {
    address: "aws_s3_bucket_versioning.bad_status",
    path: "versioning_configuration.status",
    body: { bucket: "b", versioning_configuration: [{ status: "Maybe" }] },
  },
  { address: "aws_s3_bucket_ownership_controls.bad_owner", path: "rule.object_ownership", body: { bucket: "b", rule: [{ object_ownership: "Me" }] } },
  {
    address: "aws_s3_bucket_object_lock_configuration.bad_mode",
    path: "rule.default_retention.mode",
    body: { bucket: "b", rule: [{ default_retention: [{ mode: "FOREVER", days: 1 }] }] },
  },
  { address: "data.aws_ec2_instance_type_offerings.bad_location", path: "location_type", body: { location_type: "planet" } },
];

/** And the other way round: a value the table records no refusal for passes the binary's validate. */
const ACCEPTED: readonly { address: string; path: string; body: Body }[] = [
  // ebs_volume.go declares no ValidateFunc on type; a wrong type fails only at CreateVolume.
  { address: "aws_ebs_volume.odd_type", path: "type", body: { availability_zone: ZONE, size: 1, type: "gp9" } },
];

// ------------------------------------------------------------------------------------------------------------------
// The table and how an entry predicts a plan
// ------------------------------------------------------------------------------------------------------------------

/** The refusals `terraform validate` decides from the value alone (ValidateFunc, framework validators). */
const VALUE_REFUSALS = new Set<Refusal["kind"]>(["enum", "range", "length", "pattern"]);

/** "aws_instance" for "aws_instance.vm", "data.aws_x" for "data.aws_x.y". */
const typeOf = (address: string) =>
  address
    .split(".")
    .slice(0, address.startsWith("data.") ? 2 : 1)
    .join(".");
/** The prefix Terraform's diagnostics give an object's snippet context: "resource.aws_x.y." or "data.aws_x.y.". */
const contextOf = (address: string) => `${address.startsWith("data.") ? "" : "resource."}${address}.`;

function decisionFor(type: string, attributePath: string): AttributeDecision {
  const entry = AWS_DECISIONS.find((t) => t.type === type)?.attributes.find((a) => a.path === `${type}.${attributePath}`);
  if (!entry) throw new Error(`the table has no entry for ${type}.${attributePath}: add it (emulator/standin/decisions/aws.ts)`);
  return entry;
}

/** The table's conditional rules, evaluated on the configuration before and after the edit. */
const CONDITIONS: Readonly<Record<string, (before: Body, after: Body) => boolean>> = {
  // ec2_instance.go CustomizeDiff: customdiff.ForceNewIf("user_data_base64", user_data_replace_on_change).
  user_data_replace_on_change: (_before, after) => after.user_data_replace_on_change === true,
  // vpc_security_group_ingress_rule.go ModifyPlan: a new kind of source (cidr_ipv4, cidr_ipv6, ...) replaces.
  "security-group-rule-source-kind": (before, after) => {
    const kind = (body: Body) => ["cidr_ipv4", "cidr_ipv6", "prefix_list_id", "referenced_security_group_id"].find((k) => body[k] !== undefined);
    return kind(before) !== kind(after);
  },
};

function predictsReplace(decision: AttributeDecision, before: Body, after: Body): boolean {
  if (!decision.replace) return false;
  if (decision.replace.kind === "always") return true;
  const condition = CONDITIONS[decision.replace.rule];
  if (!condition) throw new Error(`${decision.path}: no evaluator for conditional rule ${decision.replace.rule}`);
  return condition(before, after);
}

/** A plan's change for one resource: `terraform show -json` resource_changes[].change. */
interface PlannedChange {
  readonly actions: readonly string[];
  readonly replace_paths?: readonly (readonly (string | number)[])[];
}

const normalizePath = (p: readonly (string | number)[]) => p.filter((x) => typeof x === "string").join(".");

/** Undefined when the binary planned what the table predicts, else the disagreement, naming both sides. */
function judge(edit: Edit, decision: AttributeDecision, replace: boolean, change: PlannedChange | undefined): string | undefined {
  const entry = `table entry ${decision.path} (${decision.source}) ${JSON.stringify(decision.replace ?? "in place")} predicts ${
    replace ? "replace" : "update in place"
  }`;
  if (!change) return `${edit.address} ${edit.path}: ${entry}; the binary planned no change at all`;
  const paths = (change.replace_paths ?? []).map(normalizePath);
  const binary = `the binary planned ${JSON.stringify(change.actions)} with replace_paths ${JSON.stringify(paths)}`;
  const replaced = change.actions.includes("delete") && change.actions.includes("create");
  if (replace && !(replaced && paths.includes(edit.path))) return `${edit.address} ${edit.path}: ${entry}; ${binary}`;
  if (!replace && !(change.actions.length === 1 && change.actions[0] === "update")) return `${edit.address} ${edit.path}: ${entry}; ${binary}`;
  return undefined;
}

// ------------------------------------------------------------------------------------------------------------------
// One deployment, four plans, one validate
// ------------------------------------------------------------------------------------------------------------------

const timings: Record<string, number> = {};
let emulator: Emulator;
let dir: string;
let env: NodeJS.ProcessEnv;
let base: Config;
let created: Record<string, any>;
let baseline: { code: number; stdout: string; stderr: string };
const planned: { edit: Edit; before: Body; after: Body; change?: PlannedChange }[] = [];
let validation: {
  code: number;
  diagnostics: { severity: string; summary: string; detail?: string; snippet?: { context?: string; code?: string } }[];
};

function timed<T>(step: string, action: () => T): T {
  const started = Date.now();
  try {
    return action();
  } finally {
    timings[step] = (timings[step] ?? 0) + (Date.now() - started) / 1000;
  }
}

const write = (config: unknown) => fs.writeFileSync(path.join(dir, "main.tf.json"), `${JSON.stringify(config, null, 2)}\n`);
const bodyAt = (config: Config, address: string): Body => {
  const [type, name] = address.split(".");
  const body = config.resource[type]?.[name];
  if (!body) throw new Error(`${address} is not in the calibration stack`);
  return body;
};
const showJson = (plan: string) => JSON.parse(terraformOk(["show", "-json", plan], dir, env).stdout);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-aws-decisions-"));
  emulator = await startEmulator();
  env = terraformEnv();
  base = baseConfig(emulator.endpoint);
  write(base);
  timed("init", () => terraformOk(["init", "-input=false"], dir, env));
  timed("create plan", () => terraformOk(["plan", "-input=false", "-out=create.tfplan"], dir, env));
  created = timed("show", () => showJson("create.tfplan"));
  timed("apply", () => terraformOk(["apply", "-input=false", "create.tfplan"], dir, env));
  baseline = timed("plans", () => terraform(["plan", "-input=false", "-refresh=false", "-detailed-exitcode"], dir, env));

  for (const [i, edits] of PLANS.entries()) {
    const config = structuredClone(base);
    for (const e of edits) {
      const before = structuredClone(bodyAt(base, e.address));
      e.change(bodyAt(config, e.address));
      planned.push({ edit: e, before, after: bodyAt(config, e.address) });
    }
    write(config);
    const file = `edit-${i}.tfplan`;
    timed("plans", () => terraformOk(["plan", "-input=false", "-refresh=false", `-out=${file}`], dir, env));
    const plan = timed("show", () => showJson(file));
    for (const p of planned.filter((x) => edits.includes(x.edit))) {
      p.change = plan.resource_changes?.find((r: any) => r.address === p.edit.address && !r.action_reason?.startsWith("delete_because"))?.change;
    }
  }

  // The refusals: a configuration with the broken resources only (validate needs no state and no API).
  const broken: Config = { terraform: base.terraform, provider: base.provider, resource: {}, data: {} };
  for (const r of [...REFUSALS, ...ACCEPTED]) {
    const [kind, type, name] = r.address.startsWith("data.") ? r.address.split(".") : ["resource", ...r.address.split(".")];
    ((broken[kind] as Config["resource"])[type] ??= {})[name] = r.body;
  }
  write(broken);
  const run = timed("validate", () => terraform(["validate", "-json"], dir, env));
  validation = { code: run.code, diagnostics: JSON.parse(run.stdout).diagnostics ?? [] };
  const replacing = planned.filter((p) => predictsReplace(decisionFor(typeOf(p.edit.address), p.edit.path), p.before, p.after)).length;
  const types = new Set(planned.map((p) => typeOf(p.edit.address))).size;
  process.stdout.write(
    `aws-decisions: ${planned.length} edits (${replacing} replace, ${planned.length - replacing} in place) over ${types} types in ${
      PLANS.length
    } plans, ` + `${DEFAULTS.length} defaults, ${REFUSALS.length} refusals, ${ACCEPTED.length} accepted; timings (s): ${JSON.stringify(timings)}\n`,
  );
}, 600_000);

afterAll(async () => {
  await emulator?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

it("deploys the calibration stack and plans it clean before any edit (the edits below are the only differences)", () => {
  expect({ code: baseline.code, stderr: baseline.stderr }).toEqual({ code: 0, stderr: "" });
});

describe("every edit is planned by the binary as the table predicts (replace, with the edited path in replace_paths, or update in place)", () => {
  const cases = PLANS.flat().map((e) => [`${e.address} ${e.path}`, e] as const);
  it.each(cases)("%s", (_name, e) => {
    const p = planned.find((x) => x.edit === e)!;
    const decision = decisionFor(typeOf(e.address), e.path);
    expect(judge(e, decision, predictsReplace(decision, p.before, p.after), p.change)).toBeUndefined();
  });

  it("covers both outcomes across several types", () => {
    const outcomes = planned.map((p) => predictsReplace(decisionFor(typeOf(p.edit.address), p.edit.path), p.before, p.after));
    expect(outcomes.filter(Boolean).length).toBeGreaterThanOrEqual(10);
    expect(outcomes.filter((x) => !x).length).toBeGreaterThanOrEqual(10);
    expect(new Set(planned.map((p) => typeOf(p.edit.address))).size).toBeGreaterThanOrEqual(25);
  });
});

describe("the defaults the table records are the values the binary plans for an unset attribute", () => {
  it.each(DEFAULTS.map((d) => [`${d.address} ${d.path}`, d] as const))("%s", (_name, d) => {
    const decision = decisionFor(typeOf(d.address), d.path);
    expect(decision.default).toBeDefined();
    const after = created.resource_changes.find((r: any) => r.address === d.address).change.after;
    const value = d.path.split(".").reduce((v: any, k) => (Array.isArray(v) ? v[0] : v)?.[k], after);
    expect({ path: decision.path, value }).toEqual({ path: decision.path, value: decision.default });
  });
});

describe("the refusals the table records are refused by the binary's validate", () => {
  it("fails validation", () => {
    expect(validation.code).not.toBe(0);
  });

  it.each(REFUSALS.map((r) => [`${r.address} ${r.path}`, r] as const))("%s", (_name, r) => {
    const decision = decisionFor(typeOf(r.address), r.path);
    expect((decision.refuse ?? []).some((x) => VALUE_REFUSALS.has(x.kind))).toBe(true);
    const leaf = r.path.split(".").at(-1)!;
    // e.g. summary `expected http_tokens to be one of ["optional" "required"], got sometimes`, context
    // `resource.aws_instance.bad_tokens.metadata_options`; the framework says `Attribute rule[0].status value must be ...`.
    const found = validation.diagnostics.filter(
      (d) =>
        d.severity === "error" && `${d.summary} ${d.detail ?? ""}`.includes(leaf) && `${d.snippet?.context ?? ""}.`.startsWith(contextOf(r.address)),
    );
    expect(found.map((d) => d.summary)).not.toEqual([]);
  });

  it.each(ACCEPTED.map((r) => [`${r.address} ${r.path}`, r] as const))("%s is accepted, as the table records no value refusal for it", (_name, r) => {
    // No value check on the path (a plan-time rule such as the volume's iops-for-type CustomizeDiff is not validate's business).
    expect((decisionFor(typeOf(r.address), r.path).refuse ?? []).filter((x) => VALUE_REFUSALS.has(x.kind))).toEqual([]);
    expect(validation.diagnostics.filter((d) => `${d.snippet?.context ?? ""}.`.startsWith(contextOf(r.address)))).toEqual([]);
  });
});

describe("the comparison can fail", () => {
  const e = edit("aws_security_group.web", "description", set("description", "changed"));
  const replaced: PlannedChange = { actions: ["delete", "create"], replace_paths: [["description"]] };

  it("accepts the entry that agrees with a recorded replacement", () => {
    expect(judge(e, decisionFor("aws_security_group", "description"), true, replaced)).toBeUndefined();
  });

  it("names type, path, table entry and the binary's answer when an entry predicts update in place but the binary replaces", () => {
    const wrong: AttributeDecision = { path: "aws_security_group.description", source: "internal/service/ec2/vpc_security_group.go:66" };
    expect(judge(e, wrong, predictsReplace(wrong, {}, {}), replaced)).toMatch(
      /^aws_security_group\.web description: table entry aws_security_group\.description \(internal\/service\/ec2\/vpc_security_group\.go:66\) "in place" predicts update in place; the binary planned \["delete","create"\] with replace_paths \["description"\]$/,
    );
  });

  it("refuses a replacement the binary made for another path than the edited one", () => {
    expect(judge(e, decisionFor("aws_security_group", "description"), true, { actions: ["delete", "create"], replace_paths: [["vpc_id"]] })).toMatch(
      /replace_paths \["vpc_id"\]/,
    );
  });
});
