/**
 * The aws provider's own decisions for every AWS resource type and attribute path the synthesized stacks set (both
 * environments, both targets), in the shape the stand-ins' tables use (./types.ts): what forces replacement, what the
 * provider refuses, the defaults it plans, the import ids it parses. This table exists to calibrate the method the
 * Google, Cloudflare and time tables rely on (issue 28 §1): the same kind of facts, read from the provider's source,
 * are held against the real hashicorp/aws 5.100.0 binary in test/engine/aws-decisions.test.ts, which plans edits
 * against a deployment in moto and compares the binary's `requires_replace` with the entry for every edited path.
 *
 * Provenance, honestly stated. The binary in the mirror was built from commit AWS_PROVIDER_COMMIT below (its Go build
 * info, `vcs.revision`; the tag v5.100.0). The provider's repository is too large to fetch here, and the source
 * index holds each file at one or a few crawled commits, none of them the tag's: every `source` is "<file>:<line>"
 * in the stored copy named in AWS_SOURCES_READ (the commit each file was read at). Some copies are older than v5.100.0
 * (the aws-sdk-go v1 era, v4 to v5.3x), some newer (v6.x, which adds identity annotations above the schemas, so
 * lines shift). That a decision did not change between the copy read and v5.100.0 is checked against the binary
 * for every path the calibration test edits; for the other paths it rests on the copy. Where a copy predates an
 * attribute, the entry says so.
 *
 * Counts: 49 types (47 resources, 2 data sources), 228 attribute paths, 78 of them replace.
 */
import type { TypeDecision } from "./types";

/** The commit the mirror's terraform-provider-aws_v5.100.0_x5 was built from (`vcs.revision` in its build info). */
export const AWS_PROVIDER_COMMIT = "f7a3b98da589ab1d52756b0dcee0dbf2de83d635";

/** Each provider file cited below, and the commit of the stored copy that was read (lines refer to it). */
export const AWS_SOURCES_READ: Readonly<Record<string, string>> = {
  "internal/service/ec2/ec2_instance_state.go": "1640b08c7ee1f62a25427f05e75ccbb8068bc258",
  "internal/service/backup/plan.go": "01f431114674c27cf790fafb67ac274bf8f765e1",
  "internal/service/backup/selection.go": "00a35305dc1b297a6fcdecdfbba33f1e63c3da39",
  "internal/service/backup/vault.go": "050ac11163cab8cdae5936a7f40b0e528ff780df",
  "internal/service/backup/vault_lock_configuration.go": "01606926a0c0ab9174aec440f976a48b0baee722",
  "internal/service/cloudwatch/metric_alarm.go": "055611a654738da73e7b1e2b5d2b7672c6d4d531",
  "internal/service/ec2/ebs_volume.go": "0073593e7d6993ba482409f4dc35438daaa79bb3",
  "internal/service/ec2/ebs_volume_attachment.go": "0620f2a6a126dfcbc4aecbc9a117b0fbea1656ff",
  "internal/service/ec2/ec2_availability_zone_data_source.go": "0d551e1c8a11412f4277fe8ce9e4035e9c600201",
  "internal/service/ec2/ec2_eip.go": "01606926a0c0ab9174aec440f976a48b0baee722",
  "internal/service/ec2/ec2_instance.go": "0015dfcd06d5d78e5e1c3cabe8cea837d379d1c7",
  "internal/service/ec2/ec2_instance_type_offerings_data_source.go": "0593466d96e383de3f75587805537f6e590ebf4e",
  "internal/service/ec2/vpc_.go": "00081ce41cc691433ac19bf42227cdabffd0454d",
  "internal/service/ec2/vpc_default_security_group.go": "01f431114674c27cf790fafb67ac274bf8f765e1",
  "internal/service/ec2/vpc_internet_gateway.go": "08923b68b5ad6fcfdd38362fb5247e39a9b07add",
  "internal/service/ec2/vpc_network_interface.go": "01c08000ddb14181b5bd19201d8fca311dc570e4",
  "internal/service/ec2/vpc_route_table.go": "022092419b7cda11527df3c6b51cbfe1876c1722",
  "internal/service/ec2/vpc_route_table_association.go": "0be71beb458ad8875e0acc5c91519c0ceeb214aa",
  "internal/service/ec2/vpc_security_group.go": "01606926a0c0ab9174aec440f976a48b0baee722",
  "internal/service/ec2/vpc_security_group_egress_rule.go": "050ac11163cab8cdae5936a7f40b0e528ff780df",
  "internal/service/ec2/vpc_security_group_ingress_rule.go": "00a322094b4b9ade8a81b244345dbcf4b52ee8d6",
  "internal/service/ec2/vpc_subnet.go": "00cda125a19d31754cb0d073cf551264c57955cb",
  "internal/service/iam/group.go": "0614c9f0140eb525ea7b5d179de864254c4998cf",
  "internal/service/iam/group_policy_attachment.go": "00a35305dc1b297a6fcdecdfbba33f1e63c3da39",
  "internal/service/iam/instance_profile.go": "013f1736b90439e5a19567a87d3e5cd11858c420",
  "internal/service/iam/openid_connect_provider.go": "01606926a0c0ab9174aec440f976a48b0baee722",
  "internal/service/iam/policy.go": "01ccd9a2d118a3e81a9649759bf14303526dc9e6",
  "internal/service/iam/role.go": "0040ea6911af00bea2cca6dbb14e86829826ad8e",
  "internal/service/iam/role_policy.go": "02f97af85f89a04e8ed89f5e8b64a9a67f3cfe07",
  "internal/service/iam/role_policy_attachment.go": "04c79849dbe7fbe76c3054b364357bcdaade9ac5",
  "internal/service/iam/user.go": "058fd401f211b1533358038ada6a36b311c9c5e3",
  "internal/service/iam/user_group_membership.go": "01f431114674c27cf790fafb67ac274bf8f765e1",
  "internal/service/kms/alias.go": "01c08000ddb14181b5bd19201d8fca311dc570e4",
  "internal/service/kms/key.go": "00a35305dc1b297a6fcdecdfbba33f1e63c3da39",
  "internal/service/s3/bucket.go": "0070bcd12c952f14c5434a6f351ef7b6fa791226",
  "internal/service/s3/bucket_lifecycle_configuration.go": "01606926a0c0ab9174aec440f976a48b0baee722",
  "internal/service/s3/bucket_logging.go": "01f431114674c27cf790fafb67ac274bf8f765e1",
  "internal/service/s3/bucket_metric.go": "033c721bf1eda7db79395cd73acb54c7efa57ffc",
  "internal/service/s3/bucket_object_lock_configuration.go": "01c08000ddb14181b5bd19201d8fca311dc570e4",
  "internal/service/s3/bucket_ownership_controls.go": "01c08000ddb14181b5bd19201d8fca311dc570e4",
  "internal/service/s3/bucket_policy.go": "0073593e7d6993ba482409f4dc35438daaa79bb3",
  "internal/service/s3/bucket_public_access_block.go": "01606926a0c0ab9174aec440f976a48b0baee722",
  "internal/service/s3/bucket_replication_configuration.go": "028665b1da302bba194da41a89298ff76df05e60",
  "internal/service/s3/bucket_server_side_encryption_configuration.go": "01606926a0c0ab9174aec440f976a48b0baee722",
  "internal/service/s3/bucket_versioning.go": "01c08000ddb14181b5bd19201d8fca311dc570e4",
  "internal/service/s3/object.go": "033c721bf1eda7db79395cd73acb54c7efa57ffc",
  "internal/service/sns/topic.go": "00a35305dc1b297a6fcdecdfbba33f1e63c3da39",
  "internal/service/sns/topic_policy.go": "00a35305dc1b297a6fcdecdfbba33f1e63c3da39",
  "internal/service/sns/topic_subscription.go": "04a2e6e5bc625ec85ea8c678219b483fc674877e",
};

export const AWS_DECISIONS: readonly TypeDecision[] = [
  {
    // Backup resources are left out of the emulator target (moto implements AWS Backup only in part): not calibrated against the binary.
    type: "aws_backup_plan",
    provider: "aws",
    source: "internal/service/backup/plan.go:36",
    attributes: [
      { path: "aws_backup_plan.name", source: "internal/service/backup/plan.go:81", replace: { kind: "always" } },
      { path: "aws_backup_plan.rule", source: "internal/service/backup/plan.go:86", note: "set of rules; UpdateBackupPlan changes them in place" },
      { path: "aws_backup_plan.rule.completion_window", source: "internal/service/backup/plan.go:91", default: 180 },
      { path: "aws_backup_plan.rule.copy_action", source: "internal/service/backup/plan.go:96" },
      {
        path: "aws_backup_plan.rule.copy_action.destination_vault_arn",
        source: "internal/service/backup/plan.go:101",
        refuse: [{ kind: "rule", rule: "arn", message: "must be a valid ARN (verify.ValidARN)" }],
      },
      { path: "aws_backup_plan.rule.copy_action.lifecycle", source: "internal/service/backup/plan.go:106" },
      { path: "aws_backup_plan.rule.copy_action.lifecycle.delete_after", source: "internal/service/backup/plan.go:116" },
      { path: "aws_backup_plan.rule.lifecycle", source: "internal/service/backup/plan.go:136" },
      { path: "aws_backup_plan.rule.lifecycle.delete_after", source: "internal/service/backup/plan.go:146" },
      {
        path: "aws_backup_plan.rule.recovery_point_tags",
        source: "internal/service/backup/plan.go:158",
        note: "map attribute; tags are changed in place (TagResource/UntagResource)",
      },
      {
        path: "aws_backup_plan.rule.rule_name",
        source: "internal/service/backup/plan.go:159",
        refuse: [
          { kind: "length", min: 1, max: 50 },
          { kind: "pattern", regex: "^[0-9A-Za-z_.-]+$", message: "must contain only alphanumeric characters, hyphens, underscores, and periods" },
        ],
      },
      { path: "aws_backup_plan.rule.schedule", source: "internal/service/backup/plan.go:167" },
      { path: "aws_backup_plan.rule.start_window", source: "internal/service/backup/plan.go:176", default: 60 },
      {
        path: "aws_backup_plan.rule.target_vault_name",
        source: "internal/service/backup/plan.go:181",
        refuse: [
          { kind: "length", min: 2, max: 50 },
          { kind: "pattern", regex: "^[0-9A-Za-z_-]+$", message: "must contain only alphanumeric characters, hyphens, and underscores" },
        ],
      },
    ],
  },
  {
    type: "aws_backup_selection",
    provider: "aws",
    source: "internal/service/backup/selection.go:34",
    importIds: ["<plan-id>|<selection-id>"],
    attributes: [
      {
        path: "aws_backup_selection.iam_role_arn",
        source: "internal/service/backup/selection.go:139",
        replace: { kind: "always" },
        refuse: [{ kind: "rule", rule: "arn", message: "must be a valid ARN (verify.ValidARN)" }],
      },
      {
        path: "aws_backup_selection.name",
        source: "internal/service/backup/selection.go:44",
        replace: { kind: "always" },
        refuse: [
          { kind: "length", min: 1, max: 50 },
          { kind: "pattern", regex: "^[0-9A-Za-z_.-]+$" },
        ],
      },
      { path: "aws_backup_selection.plan_id", source: "internal/service/backup/selection.go:152", replace: { kind: "always" } },
      {
        path: "aws_backup_selection.resources",
        source: "internal/service/backup/selection.go:182",
        replace: { kind: "always" },
        note: "every attribute of a selection is ForceNew: the resource has no Update",
      },
    ],
  },
  {
    type: "aws_backup_vault",
    provider: "aws",
    source: "internal/service/backup/vault.go:27",
    attributes: [
      { path: "aws_backup_vault.force_destroy", source: "internal/service/backup/vault.go:47", default: false },
      {
        path: "aws_backup_vault.kms_key_arn",
        source: "internal/service/backup/vault.go:52",
        replace: { kind: "always" },
        refuse: [{ kind: "rule", rule: "arn", message: "must be a valid ARN (verify.ValidARN)" }],
      },
      {
        path: "aws_backup_vault.name",
        source: "internal/service/backup/vault.go:59",
        replace: { kind: "always" },
        refuse: [
          { kind: "length", min: 2, max: 50 },
          { kind: "pattern", regex: "^[a-zA-Z0-9\\-\\_]*$", message: "must consist of letters, numbers, and hyphens." },
        ],
      },
    ],
  },
  {
    // the resource has no Update: every argument is ForceNew
    type: "aws_backup_vault_lock_configuration",
    provider: "aws",
    source: "internal/service/backup/vault_lock_configuration.go:24",
    attributes: [
      {
        path: "aws_backup_vault_lock_configuration.backup_vault_name",
        source: "internal/service/backup/vault_lock_configuration.go:35",
        replace: { kind: "always" },
        refuse: [{ kind: "pattern", regex: "^[0-9A-Za-z_.-]{1,50}$" }],
      },
      {
        path: "aws_backup_vault_lock_configuration.changeable_for_days",
        source: "internal/service/backup/vault_lock_configuration.go:45",
        replace: { kind: "always" },
        refuse: [{ kind: "range", min: 3 }],
      },
      {
        path: "aws_backup_vault_lock_configuration.max_retention_days",
        source: "internal/service/backup/vault_lock_configuration.go:51",
        replace: { kind: "always" },
        note: "ForceNew: a retention change deletes and re-puts the lock; AWS refuses to delete a COMPLIANCE lock once changeable_for_days has passed",
      },
      {
        path: "aws_backup_vault_lock_configuration.min_retention_days",
        source: "internal/service/backup/vault_lock_configuration.go:56",
        replace: { kind: "always" },
      },
    ],
  },
  {
    // every argument but alarm_name is changed in place by PutMetricAlarm
    type: "aws_cloudwatch_metric_alarm",
    provider: "aws",
    source: "internal/service/cloudwatch/metric_alarm.go:39",
    attributes: [
      { path: "aws_cloudwatch_metric_alarm.actions_enabled", source: "internal/service/cloudwatch/metric_alarm.go:51", default: true },
      {
        path: "aws_cloudwatch_metric_alarm.alarm_actions",
        source: "internal/service/cloudwatch/metric_alarm.go:56",
        refuse: [{ kind: "rule", rule: "arn-or-ec2-automate-arn", message: "each action must be an ARN (verify.ValidARN or validEC2AutomateARN)" }],
      },
      {
        path: "aws_cloudwatch_metric_alarm.alarm_description",
        source: "internal/service/cloudwatch/metric_alarm.go:67",
        refuse: [{ kind: "length", min: 0, max: 1024 }],
      },
      {
        path: "aws_cloudwatch_metric_alarm.alarm_name",
        source: "internal/service/cloudwatch/metric_alarm.go:72",
        replace: { kind: "always" },
        refuse: [{ kind: "length", min: 1, max: 255 }],
      },
      {
        path: "aws_cloudwatch_metric_alarm.comparison_operator",
        source: "internal/service/cloudwatch/metric_alarm.go:82",
        refuse: [
          {
            kind: "enum",
            values: [
              "GreaterThanOrEqualToThreshold",
              "GreaterThanThreshold",
              "LessThanThreshold",
              "LessThanOrEqualToThreshold",
              "LessThanLowerOrGreaterThanUpperThreshold",
              "LessThanLowerThreshold",
              "GreaterThanUpperThreshold",
            ],
          },
        ],
        note: "enum.Validate[types.ComparisonOperator]",
      },
      {
        path: "aws_cloudwatch_metric_alarm.datapoints_to_alarm",
        source: "internal/service/cloudwatch/metric_alarm.go:87",
        refuse: [{ kind: "range", min: 1 }],
      },
      {
        path: "aws_cloudwatch_metric_alarm.dimensions",
        source: "internal/service/cloudwatch/metric_alarm.go:92",
        refuse: [{ kind: "conflicts_with", paths: ["aws_cloudwatch_metric_alarm.metric_query"] }],
      },
      {
        path: "aws_cloudwatch_metric_alarm.evaluation_periods",
        source: "internal/service/cloudwatch/metric_alarm.go:104",
        refuse: [{ kind: "range", min: 1 }],
      },
      {
        path: "aws_cloudwatch_metric_alarm.metric_name",
        source: "internal/service/cloudwatch/metric_alarm.go:131",
        refuse: [
          { kind: "length", min: 1, max: 255 },
          { kind: "conflicts_with", paths: ["aws_cloudwatch_metric_alarm.metric_query"] },
          {
            kind: "rule",
            rule: "statistic-or-extended",
            message: "One of `statistic` or `extended_statistic` must be set for a cloudwatch metric alarm",
          },
        ],
        note: "the CustomizeDiff (line of CustomizeDiff in this file) refuses a metric_name with neither or both of statistic/extended_statistic",
      },
      {
        path: "aws_cloudwatch_metric_alarm.namespace",
        source: "internal/service/cloudwatch/metric_alarm.go:232",
        refuse: [
          { kind: "length", min: 1, max: 255 },
          { kind: "pattern", regex: "[^:].*", message: "must not contain colon characters" },
          { kind: "conflicts_with", paths: ["aws_cloudwatch_metric_alarm.metric_query"] },
        ],
      },
      {
        path: "aws_cloudwatch_metric_alarm.ok_actions",
        source: "internal/service/cloudwatch/metric_alarm.go:241",
        refuse: [
          { kind: "rule", rule: "max-items-5", message: "at most 5 actions" },
          { kind: "rule", rule: "arn-or-ec2-automate-arn", message: "each action must be an ARN" },
        ],
      },
      {
        path: "aws_cloudwatch_metric_alarm.period",
        source: "internal/service/cloudwatch/metric_alarm.go:253",
        refuse: [
          { kind: "rule", rule: "period-10-20-30-or-multiple-of-60", message: "must be 10, 20, 30 or a multiple of 60" },
          { kind: "conflicts_with", paths: ["aws_cloudwatch_metric_alarm.metric_query"] },
        ],
      },
      {
        path: "aws_cloudwatch_metric_alarm.statistic",
        source: "internal/service/cloudwatch/metric_alarm.go:262",
        refuse: [
          { kind: "enum", values: ["SampleCount", "Average", "Sum", "Minimum", "Maximum"] },
          { kind: "conflicts_with", paths: ["aws_cloudwatch_metric_alarm.extended_statistic", "aws_cloudwatch_metric_alarm.metric_query"] },
        ],
      },
      {
        path: "aws_cloudwatch_metric_alarm.threshold",
        source: "internal/service/cloudwatch/metric_alarm.go:270",
        refuse: [{ kind: "conflicts_with", paths: ["aws_cloudwatch_metric_alarm.threshold_metric_id"] }],
      },
      {
        path: "aws_cloudwatch_metric_alarm.treat_missing_data",
        source: "internal/service/cloudwatch/metric_alarm.go:281",
        refuse: [{ kind: "enum", values: ["missing", "ignore", "breaching", "notBreaching"] }],
        default: "missing",
        note: "StringInSlice(missingData_Values(), true): compared case-insensitively",
      },
    ],
  },
  {
    // adopts the VPC's default group; delete is a no-op (schema.NoopContext)
    type: "aws_default_security_group",
    provider: "aws",
    source: "internal/service/ec2/vpc_default_security_group.go:22",
    attributes: [
      {
        path: "aws_default_security_group.tags",
        source: "internal/service/ec2/vpc_default_security_group.go:70",
        note: "map attribute; tags are changed in place (TagResource/UntagResource)",
      },
      { path: "aws_default_security_group.vpc_id", source: "internal/service/ec2/vpc_default_security_group.go:72", replace: { kind: "always" } },
    ],
  },
  {
    // The instance kept running across a data-volume restore (constructs/packagecloud-vm.ts). Deleting it only stops
    // managing the state; the instance is left as it is (resourceInstanceStateDelete).
    type: "aws_ec2_instance_state",
    provider: "aws",
    source: "internal/service/ec2/ec2_instance_state.go:19",
    importIds: ["<instance-id>"],
    attributes: [
      { path: "aws_ec2_instance_state.instance_id", source: "internal/service/ec2/ec2_instance_state.go:42", replace: { kind: "always" } },
      { path: "aws_ec2_instance_state.state", source: "internal/service/ec2/ec2_instance_state.go:47", refuse: [{ kind: "enum", values: ["running", "stopped"] }] },
    ],
  },
  {
    type: "aws_ebs_volume",
    provider: "aws",
    source: "internal/service/ec2/ebs_volume.go:31",
    importIds: ["<volume-id>"],
    attributes: [
      { path: "aws_ebs_volume.availability_zone", source: "internal/service/ec2/ebs_volume.go:55", replace: { kind: "always" } },
      { path: "aws_ebs_volume.encrypted", source: "internal/service/ec2/ebs_volume.go:64", replace: { kind: "always" } },
      { path: "aws_ebs_volume.final_snapshot", source: "internal/service/ec2/ebs_volume.go:70", default: false },
      {
        path: "aws_ebs_volume.kms_key_id",
        source: "internal/service/ec2/ebs_volume.go:80",
        replace: { kind: "always" },
        refuse: [{ kind: "rule", rule: "arn", message: "must be a valid ARN (verify.ValidARN)" }],
      },
      {
        path: "aws_ebs_volume.size",
        source: "internal/service/ec2/ebs_volume.go:98",
        refuse: [{ kind: "at_least_one_of", paths: ["aws_ebs_volume.size", "aws_ebs_volume.snapshot_id"] }],
        note: "ModifyVolume grows the volume in place; the filesystem does not grow (REFERENCE §6)",
      },
      {
        path: "aws_ebs_volume.tags",
        source: "internal/service/ec2/ebs_volume.go:111",
        note: "map attribute; tags are changed in place (TagResource/UntagResource)",
      },
      {
        path: "aws_ebs_volume.type",
        source: "internal/service/ec2/ebs_volume.go:119",
        refuse: [
          {
            kind: "rule",
            rule: "iops-for-type",
            message: "'iops' must be set for io1/io2 and must not be set for gp2, st1, sc1, standard (CustomizeDiff)",
          },
        ],
        note: "no ValidateFunc on type in the copy read; ModifyVolume changes it in place",
      },
    ],
  },
  {
    type: "aws_eip",
    provider: "aws",
    source: "internal/service/ec2/ec2_eip.go:33",
    attributes: [
      {
        path: "aws_eip.domain",
        source: "internal/service/ec2/ec2_eip.go:84",
        replace: { kind: "always" },
        refuse: [{ kind: "enum", values: ["vpc", "standard"] }],
      },
      { path: "aws_eip.network_interface", source: "internal/service/ec2/ec2_eip.go:108", note: "in place: disassociate/associate" },
      {
        path: "aws_eip.tags",
        source: "internal/service/ec2/ec2_eip.go:139",
        note: "map attribute; tags are changed in place (TagResource/UntagResource)",
      },
    ],
  },
  {
    type: "aws_iam_group",
    provider: "aws",
    source: "internal/service/iam/group.go:25",
    attributes: [
      {
        path: "aws_iam_group.name",
        source: "internal/service/iam/group.go:41",
        refuse: [
          {
            kind: "pattern",
            regex: "^[0-9A-Za-z=,.@\\-_+]+$",
            message: "must only contain alphanumeric characters, hyphens, underscores, commas, periods, @ symbols, plus and equals signs",
          },
        ],
        note: "renamed in place by UpdateGroup (not ForceNew)",
      },
    ],
  },
  {
    type: "aws_iam_group_policy_attachment",
    provider: "aws",
    source: "internal/service/iam/group_policy_attachment.go:31",
    importIds: ["<group-name>/<policy_arn>"],
    attributes: [
      { path: "aws_iam_group_policy_attachment.group", source: "internal/service/iam/group_policy_attachment.go:42", replace: { kind: "always" } },
      {
        path: "aws_iam_group_policy_attachment.policy_arn",
        source: "internal/service/iam/group_policy_attachment.go:47",
        replace: { kind: "always" },
        refuse: [{ kind: "rule", rule: "arn", message: "must be a valid ARN (verify.ValidARN)" }],
      },
    ],
  },
  {
    type: "aws_iam_instance_profile",
    provider: "aws",
    source: "internal/service/iam/instance_profile.go:42",
    attributes: [
      {
        path: "aws_iam_instance_profile.name",
        source: "internal/service/iam/instance_profile.go:62",
        replace: { kind: "always" },
        refuse: [
          { kind: "rule", rule: "iam-resource-name-128", message: "validResourceName(128)" },
          { kind: "conflicts_with", paths: ["aws_iam_instance_profile.name_prefix"] },
        ],
      },
      {
        path: "aws_iam_instance_profile.role",
        source: "internal/service/iam/instance_profile.go:84",
        note: "in place: RemoveRoleFromInstanceProfile/AddRoleToInstanceProfile",
      },
    ],
  },
  {
    type: "aws_iam_openid_connect_provider",
    provider: "aws",
    source: "internal/service/iam/openid_connect_provider.go:31",
    attributes: [
      {
        path: "aws_iam_openid_connect_provider.client_id_list",
        source: "internal/service/iam/openid_connect_provider.go:43",
        refuse: [{ kind: "rule", rule: "each-length-1-255", message: "each client id 1-255 characters" }],
      },
      {
        path: "aws_iam_openid_connect_provider.tags",
        source: "internal/service/iam/openid_connect_provider.go:51",
        note: "map attribute; tags are changed in place (TagResource/UntagResource)",
      },
      {
        path: "aws_iam_openid_connect_provider.url",
        source: "internal/service/iam/openid_connect_provider.go:62",
        replace: { kind: "always" },
        refuse: [{ kind: "rule", rule: "openid-url", message: "validOpenIDURL: an https URL" }],
      },
    ],
  },
  {
    type: "aws_iam_policy",
    provider: "aws",
    source: "internal/service/iam/policy.go:41",
    attributes: [
      {
        path: "aws_iam_policy.description",
        source: "internal/service/iam/policy.go:61",
        replace: { kind: "always" },
        note: "ForceNew: IAM has no API to change a managed policy's description",
      },
      {
        path: "aws_iam_policy.name",
        source: "internal/service/iam/policy.go:66",
        replace: { kind: "always" },
        refuse: [
          { kind: "rule", rule: "iam-resource-name-128", message: "validResourceName(128)" },
          { kind: "conflicts_with", paths: ["aws_iam_policy.name_prefix"] },
        ],
      },
      {
        path: "aws_iam_policy.policy",
        source: "internal/service/iam/policy.go:88",
        refuse: [{ kind: "rule", rule: "iam-policy-json", message: "verify.ValidIAMPolicyJSON" }],
        note: "in place: CreatePolicyVersion + SetDefaultPolicyVersion",
      },
    ],
  },
  {
    type: "aws_iam_role",
    provider: "aws",
    source: "internal/service/iam/role.go:33",
    attributes: [
      {
        path: "aws_iam_role.assume_role_policy",
        source: "internal/service/iam/role.go:49",
        refuse: [{ kind: "rule", rule: "json", message: "validation.StringIsJSON" }],
      },
      {
        path: "aws_iam_role.description",
        source: "internal/service/iam/role.go:64",
        refuse: [
          { kind: "length", min: 0, max: 1000 },
          { kind: "pattern", regex: "^[^“‘]*$", message: "cannot contain specially formatted single or double quotes: [“‘]" },
        ],
      },
      {
        path: "aws_iam_role.max_session_duration",
        source: "internal/service/iam/role.go:122",
        refuse: [{ kind: "range", min: 3600, max: 43200 }],
        default: 3600,
      },
      {
        path: "aws_iam_role.name",
        source: "internal/service/iam/role.go:128",
        replace: { kind: "always" },
        refuse: [
          { kind: "rule", rule: "iam-resource-name-64", message: "validResourceName(64)" },
          { kind: "conflicts_with", paths: ["aws_iam_role.name_prefix"] },
        ],
      },
    ],
  },
  {
    type: "aws_iam_role_policy",
    provider: "aws",
    source: "internal/service/iam/role_policy.go:33",
    importIds: ["<role-name>:<policy-name>"],
    attributes: [
      {
        path: "aws_iam_role_policy.name",
        source: "internal/service/iam/role_policy.go:45",
        replace: { kind: "always" },
        refuse: [
          { kind: "rule", rule: "role-policy-name", message: "validRolePolicyName" },
          { kind: "conflicts_with", paths: ["aws_iam_role_policy.name_prefix"] },
        ],
      },
      {
        path: "aws_iam_role_policy.policy",
        source: "internal/service/iam/role_policy.go:61",
        refuse: [{ kind: "rule", rule: "iam-policy-json-10240", message: "verify.ValidIAMPolicyJSON, at most 10240 characters" }],
      },
      {
        path: "aws_iam_role_policy.role",
        source: "internal/service/iam/role_policy.go:72",
        replace: { kind: "always" },
        refuse: [{ kind: "rule", rule: "role-policy-role", message: "validRolePolicyRole" }],
      },
    ],
  },
  {
    type: "aws_iam_role_policy_attachment",
    provider: "aws",
    source: "internal/service/iam/role_policy_attachment.go:17",
    importIds: ["<role-name>/<policy_arn>"],
    attributes: [
      { path: "aws_iam_role_policy_attachment.policy_arn", source: "internal/service/iam/role_policy_attachment.go:32", replace: { kind: "always" } },
      { path: "aws_iam_role_policy_attachment.role", source: "internal/service/iam/role_policy_attachment.go:27", replace: { kind: "always" } },
    ],
  },
  {
    type: "aws_iam_user",
    provider: "aws",
    source: "internal/service/iam/user.go:32",
    attributes: [
      { path: "aws_iam_user.force_destroy", source: "internal/service/iam/user.go:48", default: false },
      {
        path: "aws_iam_user.name",
        source: "internal/service/iam/user.go:54",
        refuse: [{ kind: "pattern", regex: "^[0-9A-Za-z=,.@\\-_+]+$" }],
        note: "renamed in place by UpdateUser (not ForceNew)",
      },
    ],
  },
  {
    type: "aws_iam_user_group_membership",
    provider: "aws",
    source: "internal/service/iam/user_group_membership.go:28",
    importIds: ["<user-name>/<group-name1>/..."],
    attributes: [
      {
        path: "aws_iam_user_group_membership.groups",
        source: "internal/service/iam/user_group_membership.go:46",
        note: "in place: AddUserToGroup/RemoveUserFromGroup",
      },
      { path: "aws_iam_user_group_membership.user", source: "internal/service/iam/user_group_membership.go:40", replace: { kind: "always" } },
    ],
  },
  {
    type: "aws_instance",
    provider: "aws",
    source: "internal/service/ec2/ec2_instance.go:39",
    importIds: ["<instance-id>"],
    attributes: [
      {
        path: "aws_instance.ami",
        source: "internal/service/ec2/ec2_instance.go:61",
        replace: { kind: "always" },
        refuse: [{ kind: "at_least_one_of", paths: ["aws_instance.ami", "aws_instance.launch_template"] }],
      },
      { path: "aws_instance.availability_zone", source: "internal/service/ec2/ec2_instance.go:78", replace: { kind: "always" } },
      { path: "aws_instance.disable_api_termination", source: "internal/service/ec2/ec2_instance.go:216" },
      { path: "aws_instance.ebs_optimized", source: "internal/service/ec2/ec2_instance.go:298", replace: { kind: "always" } },
      {
        path: "aws_instance.iam_instance_profile",
        source: "internal/service/ec2/ec2_instance.go:374",
        note: "in place: ReplaceIamInstanceProfileAssociation",
      },
      {
        path: "aws_instance.instance_type",
        source: "internal/service/ec2/ec2_instance.go:388",
        refuse: [{ kind: "at_least_one_of", paths: ["aws_instance.instance_type", "aws_instance.launch_template"] }],
        note: "in place, but the provider stops the instance, modifies the type and starts it again",
      },
      { path: "aws_instance.metadata_options", source: "internal/service/ec2/ec2_instance.go:467" },
      {
        path: "aws_instance.metadata_options.http_endpoint",
        source: "internal/service/ec2/ec2_instance.go:474",
        refuse: [{ kind: "enum", values: ["disabled", "enabled"] }],
      },
      {
        path: "aws_instance.metadata_options.http_put_response_hop_limit",
        source: "internal/service/ec2/ec2_instance.go:480",
        refuse: [{ kind: "range", min: 1, max: 64 }],
      },
      {
        path: "aws_instance.metadata_options.http_tokens",
        source: "internal/service/ec2/ec2_instance.go:486",
        refuse: [{ kind: "enum", values: ["optional", "required"] }],
      },
      {
        path: "aws_instance.metadata_options.instance_metadata_tags",
        source: "internal/service/ec2/ec2_instance.go:492",
        refuse: [{ kind: "enum", values: ["disabled", "enabled"] }],
      },
      { path: "aws_instance.monitoring", source: "internal/service/ec2/ec2_instance.go:501" },
      {
        path: "aws_instance.network_interface",
        source: "internal/service/ec2/ec2_instance.go:506",
        refuse: [
          {
            kind: "conflicts_with",
            paths: [
              "aws_instance.associate_public_ip_address",
              "aws_instance.subnet_id",
              "aws_instance.private_ip",
              "aws_instance.secondary_private_ips",
              "aws_instance.vpc_security_group_ids",
              "aws_instance.security_groups",
              "aws_instance.ipv6_addresses",
              "aws_instance.ipv6_address_count",
              "aws_instance.source_dest_check",
            ],
          },
        ],
        note: "a set block: a changed element changes its ForceNew children",
      },
      { path: "aws_instance.network_interface.device_index", source: "internal/service/ec2/ec2_instance.go:519", replace: { kind: "always" } },
      {
        path: "aws_instance.network_interface.network_interface_id",
        source: "internal/service/ec2/ec2_instance.go:530",
        replace: { kind: "always" },
      },
      {
        path: "aws_instance.root_block_device",
        source: "internal/service/ec2/ec2_instance.go:609",
        note: '"For the root volume, you can only modify the following: volume size, volume type, and the Delete on Termination flag."',
      },
      { path: "aws_instance.root_block_device.delete_on_termination", source: "internal/service/ec2/ec2_instance.go:618", default: true },
      { path: "aws_instance.root_block_device.encrypted", source: "internal/service/ec2/ec2_instance.go:627", replace: { kind: "always" } },
      { path: "aws_instance.root_block_device.kms_key_id", source: "internal/service/ec2/ec2_instance.go:639", replace: { kind: "always" } },
      { path: "aws_instance.root_block_device.volume_size", source: "internal/service/ec2/ec2_instance.go:656" },
      {
        path: "aws_instance.root_block_device.volume_type",
        source: "internal/service/ec2/ec2_instance.go:661",
        refuse: [{ kind: "enum", values: ["standard", "io1", "io2", "gp2", "sc1", "st1", "gp3"] }],
      },
      {
        path: "aws_instance.tags",
        source: "internal/service/ec2/ec2_instance.go:703",
        note: "map attribute; tags are changed in place (TagResource/UntagResource)",
      },
      {
        path: "aws_instance.user_data_base64",
        source: "internal/service/ec2/ec2_instance.go:826",
        replace: { kind: "conditional", rule: "user_data_replace_on_change" },
        refuse: [
          { kind: "rule", rule: "base64", message: "must be base64-encoded" },
          { kind: "conflicts_with", paths: ["aws_instance.user_data"] },
        ],
        note: "replaced only when user_data_replace_on_change is true (default false); otherwise updated in place with StopInstances -> ModifyInstanceAttribute -> StartInstances (REFERENCE §6)",
      },
    ],
  },
  {
    type: "aws_internet_gateway",
    provider: "aws",
    source: "internal/service/ec2/vpc_internet_gateway.go:22",
    attributes: [
      {
        path: "aws_internet_gateway.tags",
        source: "internal/service/ec2/vpc_internet_gateway.go:48",
        note: "map attribute; tags are changed in place (TagResource/UntagResource)",
      },
      {
        path: "aws_internet_gateway.vpc_id",
        source: "internal/service/ec2/vpc_internet_gateway.go:50",
        note: "in place: DetachInternetGateway/AttachInternetGateway",
      },
    ],
  },
  {
    type: "aws_kms_alias",
    provider: "aws",
    source: "internal/service/kms/alias.go:18",
    attributes: [
      {
        path: "aws_kms_alias.name",
        source: "internal/service/kms/alias.go:35",
        replace: { kind: "always" },
        refuse: [
          { kind: "rule", rule: "kms-alias-name", message: "validNameForResource: alias/ prefix, not alias/aws/" },
          { kind: "conflicts_with", paths: ["aws_kms_alias.name_prefix"] },
        ],
      },
      { path: "aws_kms_alias.target_key_id", source: "internal/service/kms/alias.go:58", note: "in place: UpdateAlias" },
    ],
  },
  {
    type: "aws_kms_key",
    provider: "aws",
    source: "internal/service/kms/key.go:42",
    attributes: [
      {
        path: "aws_kms_key.deletion_window_in_days",
        source: "internal/service/kms/key.go:76",
        refuse: [{ kind: "range", min: 7, max: 30 }],
        note: "only read by Delete (ScheduleKeyDeletion)",
      },
      {
        path: "aws_kms_key.description",
        source: "internal/service/kms/key.go:81",
        refuse: [{ kind: "length", min: 0, max: 8192 }],
        note: "in place: UpdateKeyDescription",
      },
      { path: "aws_kms_key.enable_key_rotation", source: "internal/service/kms/key.go:87", default: false },
      {
        path: "aws_kms_key.policy",
        source: "internal/service/kms/key.go:114",
        refuse: [{ kind: "rule", rule: "iam-policy-json", message: "sdkv2.IAMPolicyDocumentSchemaOptionalComputed: a JSON policy document" }],
      },
    ],
  },
  {
    type: "aws_network_interface",
    provider: "aws",
    source: "internal/service/ec2/vpc_network_interface.go:28",
    attributes: [
      { path: "aws_network_interface.description", source: "internal/service/ec2/vpc_network_interface.go:65" },
      { path: "aws_network_interface.security_groups", source: "internal/service/ec2/vpc_network_interface.go:182" },
      { path: "aws_network_interface.subnet_id", source: "internal/service/ec2/vpc_network_interface.go:193", replace: { kind: "always" } },
      {
        path: "aws_network_interface.tags",
        source: "internal/service/ec2/vpc_network_interface.go:198",
        note: "map attribute; tags are changed in place (TagResource/UntagResource)",
      },
    ],
  },
  {
    type: "aws_route_table",
    provider: "aws",
    source: "internal/service/ec2/vpc_route_table.go:47",
    attributes: [
      {
        path: "aws_route_table.route",
        source: "internal/service/ec2/vpc_route_table.go:78",
        note: "set in attribute mode: routes are added, replaced and deleted in place",
      },
      {
        path: "aws_route_table.tags",
        source: "internal/service/ec2/vpc_route_table.go:149",
        note: "map attribute; tags are changed in place (TagResource/UntagResource)",
      },
      { path: "aws_route_table.vpc_id", source: "internal/service/ec2/vpc_route_table.go:151", replace: { kind: "always" } },
    ],
  },
  {
    type: "aws_route_table_association",
    provider: "aws",
    source: "internal/service/ec2/vpc_route_table_association.go:19",
    importIds: ["<subnet-id>/<route-table-id>", "<gateway-id>/<route-table-id>"],
    attributes: [
      {
        path: "aws_route_table_association.route_table_id",
        source: "internal/service/ec2/vpc_route_table_association.go:36",
        note: "in place: ReplaceRouteTableAssociation",
      },
      {
        path: "aws_route_table_association.subnet_id",
        source: "internal/service/ec2/vpc_route_table_association.go:40",
        replace: { kind: "always" },
        refuse: [{ kind: "exactly_one_of", paths: ["aws_route_table_association.subnet_id", "aws_route_table_association.gateway_id"] }],
      },
    ],
  },
  {
    type: "aws_s3_bucket",
    provider: "aws",
    source: "internal/service/s3/bucket.go:35",
    importIds: ["<bucket-name>"],
    attributes: [
      {
        path: "aws_s3_bucket.bucket",
        source: "internal/service/s3/bucket.go:46",
        replace: { kind: "always" },
        refuse: [
          { kind: "length", min: 0, max: 63 },
          { kind: "conflicts_with", paths: ["aws_s3_bucket.bucket_prefix"] },
        ],
      },
      { path: "aws_s3_bucket.force_destroy", source: "internal/service/s3/bucket.go:372", default: false },
      {
        path: "aws_s3_bucket.object_lock_enabled",
        source: "internal/service/s3/bucket.go (line not pinned: the stored copy read predates the attribute)",
        replace: { kind: "always" },
        note: "ForceNew: Object Lock can only be enabled when the bucket is created. The only path whose line is not pinned; the calibration edit holds the binary to it",
      },
    ],
  },
  {
    // plugin-framework resource: only bucket and expected_bucket_owner carry RequiresReplace
    type: "aws_s3_bucket_lifecycle_configuration",
    provider: "aws",
    source: "internal/service/s3/bucket_lifecycle_configuration.go:53",
    attributes: [
      {
        path: "aws_s3_bucket_lifecycle_configuration.bucket",
        source: "internal/service/s3/bucket_lifecycle_configuration.go:79",
        replace: { kind: "always" },
        refuse: [{ kind: "length", min: 1, max: 63 }],
      },
      {
        path: "aws_s3_bucket_lifecycle_configuration.rule",
        source: "internal/service/s3/bucket_lifecycle_configuration.go:107",
        refuse: [{ kind: "rule", rule: "size-at-least-1", message: "at least one rule" }],
      },
      {
        path: "aws_s3_bucket_lifecycle_configuration.rule.abort_incomplete_multipart_upload",
        source: "internal/service/s3/bucket_lifecycle_configuration.go:142",
      },
      {
        path: "aws_s3_bucket_lifecycle_configuration.rule.abort_incomplete_multipart_upload.days_after_initiation",
        source: "internal/service/s3/bucket_lifecycle_configuration.go:149",
      },
      { path: "aws_s3_bucket_lifecycle_configuration.rule.expiration", source: "internal/service/s3/bucket_lifecycle_configuration.go:155" },
      { path: "aws_s3_bucket_lifecycle_configuration.rule.expiration.days", source: "internal/service/s3/bucket_lifecycle_configuration.go:166" },
      {
        path: "aws_s3_bucket_lifecycle_configuration.rule.expiration.expired_object_delete_marker",
        source: "internal/service/s3/bucket_lifecycle_configuration.go:173",
      },
      { path: "aws_s3_bucket_lifecycle_configuration.rule.filter", source: "internal/service/s3/bucket_lifecycle_configuration.go:190" },
      {
        path: "aws_s3_bucket_lifecycle_configuration.rule.id",
        source: "internal/service/s3/bucket_lifecycle_configuration.go:120",
        refuse: [{ kind: "length", min: 1, max: 255 }],
      },
      {
        path: "aws_s3_bucket_lifecycle_configuration.rule.noncurrent_version_expiration",
        source: "internal/service/s3/bucket_lifecycle_configuration.go:292",
      },
      {
        path: "aws_s3_bucket_lifecycle_configuration.rule.noncurrent_version_expiration.noncurrent_days",
        source: "internal/service/s3/bucket_lifecycle_configuration.go:310",
        refuse: [{ kind: "range", min: 1 }],
      },
      {
        path: "aws_s3_bucket_lifecycle_configuration.rule.status",
        source: "internal/service/s3/bucket_lifecycle_configuration.go:134",
        refuse: [{ kind: "enum", values: ["Enabled", "Disabled"] }],
      },
    ],
  },
  {
    type: "aws_s3_bucket_logging",
    provider: "aws",
    source: "internal/service/s3/bucket_logging.go:27",
    attributes: [
      {
        path: "aws_s3_bucket_logging.bucket",
        source: "internal/service/s3/bucket_logging.go:39",
        replace: { kind: "always" },
        refuse: [{ kind: "length", min: 1, max: 63 }],
      },
      { path: "aws_s3_bucket_logging.target_bucket", source: "internal/service/s3/bucket_logging.go:51" },
      { path: "aws_s3_bucket_logging.target_prefix", source: "internal/service/s3/bucket_logging.go:131" },
    ],
  },
  {
    type: "aws_s3_bucket_metric",
    provider: "aws",
    source: "internal/service/s3/bucket_metric.go:29",
    importIds: ["<bucket>:<name>"],
    attributes: [
      { path: "aws_s3_bucket_metric.bucket", source: "internal/service/s3/bucket_metric.go:41", replace: { kind: "always" } },
      { path: "aws_s3_bucket_metric.filter", source: "internal/service/s3/bucket_metric.go:46" },
      {
        path: "aws_s3_bucket_metric.filter.prefix",
        source: "internal/service/s3/bucket_metric.go:58",
        refuse: [
          {
            kind: "at_least_one_of",
            paths: ["aws_s3_bucket_metric.filter.access_point", "aws_s3_bucket_metric.filter.prefix", "aws_s3_bucket_metric.filter.tags"],
          },
        ],
      },
      {
        path: "aws_s3_bucket_metric.name",
        source: "internal/service/s3/bucket_metric.go:72",
        replace: { kind: "always" },
        refuse: [{ kind: "length", min: 1, max: 64 }],
      },
    ],
  },
  {
    type: "aws_s3_bucket_object_lock_configuration",
    provider: "aws",
    source: "internal/service/s3/bucket_object_lock_configuration.go:20",
    attributes: [
      {
        path: "aws_s3_bucket_object_lock_configuration.bucket",
        source: "internal/service/s3/bucket_object_lock_configuration.go:31",
        replace: { kind: "always" },
        refuse: [{ kind: "length", min: 1, max: 63 }],
      },
      { path: "aws_s3_bucket_object_lock_configuration.rule", source: "internal/service/s3/bucket_object_lock_configuration.go:50" },
      {
        path: "aws_s3_bucket_object_lock_configuration.rule.default_retention",
        source: "internal/service/s3/bucket_object_lock_configuration.go:56",
      },
      {
        path: "aws_s3_bucket_object_lock_configuration.rule.default_retention.days",
        source: "internal/service/s3/bucket_object_lock_configuration.go:62",
        refuse: [{ kind: "conflicts_with", paths: ["aws_s3_bucket_object_lock_configuration.rule.default_retention.years"] }],
      },
      {
        path: "aws_s3_bucket_object_lock_configuration.rule.default_retention.mode",
        source: "internal/service/s3/bucket_object_lock_configuration.go:67",
        refuse: [{ kind: "enum", values: ["GOVERNANCE", "COMPLIANCE"] }],
      },
    ],
  },
  {
    type: "aws_s3_bucket_ownership_controls",
    provider: "aws",
    source: "internal/service/s3/bucket_ownership_controls.go:19",
    attributes: [
      { path: "aws_s3_bucket_ownership_controls.bucket", source: "internal/service/s3/bucket_ownership_controls.go:31", replace: { kind: "always" } },
      { path: "aws_s3_bucket_ownership_controls.rule", source: "internal/service/s3/bucket_ownership_controls.go:37" },
      {
        path: "aws_s3_bucket_ownership_controls.rule.object_ownership",
        source: "internal/service/s3/bucket_ownership_controls.go:44",
        refuse: [{ kind: "enum", values: ["BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced"] }],
      },
    ],
  },
  {
    type: "aws_s3_bucket_policy",
    provider: "aws",
    source: "internal/service/s3/bucket_policy.go:26",
    attributes: [
      { path: "aws_s3_bucket_policy.bucket", source: "internal/service/s3/bucket_policy.go:38", replace: { kind: "always" } },
      {
        path: "aws_s3_bucket_policy.policy",
        source: "internal/service/s3/bucket_policy.go:43",
        refuse: [{ kind: "rule", rule: "iam-policy-json", message: "sdkv2.IAMPolicyDocumentSchemaRequired: a JSON policy document" }],
      },
    ],
  },
  {
    type: "aws_s3_bucket_public_access_block",
    provider: "aws",
    source: "internal/service/s3/bucket_public_access_block.go:24",
    attributes: [
      { path: "aws_s3_bucket_public_access_block.block_public_acls", source: "internal/service/s3/bucket_public_access_block.go:36", default: false },
      {
        path: "aws_s3_bucket_public_access_block.block_public_policy",
        source: "internal/service/s3/bucket_public_access_block.go:41",
        default: false,
      },
      {
        path: "aws_s3_bucket_public_access_block.bucket",
        source: "internal/service/s3/bucket_public_access_block.go:46",
        replace: { kind: "always" },
      },
      {
        path: "aws_s3_bucket_public_access_block.ignore_public_acls",
        source: "internal/service/s3/bucket_public_access_block.go:51",
        default: false,
      },
      {
        path: "aws_s3_bucket_public_access_block.restrict_public_buckets",
        source: "internal/service/s3/bucket_public_access_block.go:56",
        default: false,
      },
    ],
  },
  {
    type: "aws_s3_bucket_replication_configuration",
    provider: "aws",
    source: "internal/service/s3/bucket_replication_configuration.go:19",
    attributes: [
      {
        path: "aws_s3_bucket_replication_configuration.bucket",
        source: "internal/service/s3/bucket_replication_configuration.go:30",
        replace: { kind: "always" },
        refuse: [{ kind: "length", min: 1, max: 63 }],
      },
      {
        path: "aws_s3_bucket_replication_configuration.role",
        source: "internal/service/s3/bucket_replication_configuration.go:36",
        refuse: [{ kind: "rule", rule: "arn", message: "must be a valid ARN (verify.ValidARN)" }],
      },
      {
        path: "aws_s3_bucket_replication_configuration.rule",
        source: "internal/service/s3/bucket_replication_configuration.go:46",
        refuse: [{ kind: "rule", rule: "max-items-1000", message: "at most 1000 rules" }],
      },
      {
        path: "aws_s3_bucket_replication_configuration.rule.delete_marker_replication",
        source: "internal/service/s3/bucket_replication_configuration.go:53",
      },
      {
        path: "aws_s3_bucket_replication_configuration.rule.delete_marker_replication.status",
        source: "internal/service/s3/bucket_replication_configuration.go:59",
        refuse: [{ kind: "enum", values: ["Enabled", "Disabled"] }],
      },
      { path: "aws_s3_bucket_replication_configuration.rule.destination", source: "internal/service/s3/bucket_replication_configuration.go:67" },
      {
        path: "aws_s3_bucket_replication_configuration.rule.destination.bucket",
        source: "internal/service/s3/bucket_replication_configuration.go:92",
        refuse: [{ kind: "rule", rule: "arn", message: "must be a valid ARN (verify.ValidARN)" }],
      },
      {
        path: "aws_s3_bucket_replication_configuration.rule.destination.metrics",
        source: "internal/service/s3/bucket_replication_configuration.go:111",
      },
      {
        path: "aws_s3_bucket_replication_configuration.rule.destination.metrics.status",
        source: "internal/service/s3/bucket_replication_configuration.go:134",
        refuse: [{ kind: "enum", values: ["Enabled", "Disabled"] }],
      },
      {
        path: "aws_s3_bucket_replication_configuration.rule.destination.storage_class",
        source: "internal/service/s3/bucket_replication_configuration.go:173",
        refuse: [
          {
            kind: "enum",
            values: [
              "STANDARD",
              "REDUCED_REDUNDANCY",
              "STANDARD_IA",
              "ONEZONE_IA",
              "INTELLIGENT_TIERING",
              "GLACIER",
              "DEEP_ARCHIVE",
              "OUTPOSTS",
              "GLACIER_IR",
              "SNOW",
              "EXPRESS_ONEZONE",
            ],
          },
        ],
        note: "s3.StorageClass_Values(): the SDK enum at build time",
      },
      { path: "aws_s3_bucket_replication_configuration.rule.filter", source: "internal/service/s3/bucket_replication_configuration.go:195" },
      {
        path: "aws_s3_bucket_replication_configuration.rule.id",
        source: "internal/service/s3/bucket_replication_configuration.go:241",
        refuse: [{ kind: "length", min: 0, max: 255 }],
      },
      { path: "aws_s3_bucket_replication_configuration.rule.priority", source: "internal/service/s3/bucket_replication_configuration.go:251" },
      {
        path: "aws_s3_bucket_replication_configuration.rule.status",
        source: "internal/service/s3/bucket_replication_configuration.go:292",
        refuse: [{ kind: "enum", values: ["Enabled", "Disabled"] }],
      },
    ],
  },
  {
    type: "aws_s3_bucket_server_side_encryption_configuration",
    provider: "aws",
    source: "internal/service/s3/bucket_server_side_encryption_configuration.go:27",
    attributes: [
      {
        path: "aws_s3_bucket_server_side_encryption_configuration.bucket",
        source: "internal/service/s3/bucket_server_side_encryption_configuration.go:39",
        replace: { kind: "always" },
        refuse: [{ kind: "length", min: 1, max: 63 }],
      },
      {
        path: "aws_s3_bucket_server_side_encryption_configuration.rule",
        source: "internal/service/s3/bucket_server_side_encryption_configuration.go:51",
      },
      {
        path: "aws_s3_bucket_server_side_encryption_configuration.rule.apply_server_side_encryption_by_default",
        source: "internal/service/s3/bucket_server_side_encryption_configuration.go:56",
      },
      {
        path: "aws_s3_bucket_server_side_encryption_configuration.rule.apply_server_side_encryption_by_default.kms_master_key_id",
        source: "internal/service/s3/bucket_server_side_encryption_configuration.go:62",
      },
      {
        path: "aws_s3_bucket_server_side_encryption_configuration.rule.apply_server_side_encryption_by_default.sse_algorithm",
        source: "internal/service/s3/bucket_server_side_encryption_configuration.go:66",
        refuse: [{ kind: "enum", values: ["AES256", "aws:kms", "aws:kms:dsse"] }],
        note: "enum.Validate[types.ServerSideEncryption]: the SDK enum at build time",
      },
      {
        path: "aws_s3_bucket_server_side_encryption_configuration.rule.bucket_key_enabled",
        source: "internal/service/s3/bucket_server_side_encryption_configuration.go:74",
      },
    ],
  },
  {
    type: "aws_s3_bucket_versioning",
    provider: "aws",
    source: "internal/service/s3/bucket_versioning.go:21",
    attributes: [
      {
        path: "aws_s3_bucket_versioning.bucket",
        source: "internal/service/s3/bucket_versioning.go:32",
        replace: { kind: "always" },
        refuse: [{ kind: "length", min: 1, max: 63 }],
      },
      { path: "aws_s3_bucket_versioning.versioning_configuration", source: "internal/service/s3/bucket_versioning.go:48" },
      {
        path: "aws_s3_bucket_versioning.versioning_configuration.status",
        source: "internal/service/s3/bucket_versioning.go:60",
        refuse: [
          { kind: "enum", values: ["Enabled", "Suspended", "Disabled"] },
          {
            kind: "rule",
            rule: "no-disable-after-enable",
            message: "versioning_configuration.status cannot be updated from 'Enabled' or 'Suspended' to 'Disabled' (CustomizeDiff)",
          },
        ],
      },
    ],
  },
  {
    type: "aws_s3_object",
    provider: "aws",
    source: "internal/service/s3/object.go:54",
    attributes: [
      { path: "aws_s3_object.bucket", source: "internal/service/s3/object.go:82", replace: { kind: "always" } },
      {
        path: "aws_s3_object.content",
        source: "internal/service/s3/object.go:122",
        refuse: [{ kind: "conflicts_with", paths: ["aws_s3_object.source", "aws_s3_object.content_base64"] }],
        note: "in place: the object is uploaded again",
      },
      { path: "aws_s3_object.content_type", source: "internal/service/s3/object.go:144", note: "in place: the object is uploaded again" },
      { path: "aws_s3_object.key", source: "internal/service/s3/object.go:163", replace: { kind: "always" } },
    ],
  },
  {
    type: "aws_security_group",
    provider: "aws",
    source: "internal/service/ec2/vpc_security_group.go:43",
    attributes: [
      {
        path: "aws_security_group.description",
        source: "internal/service/ec2/vpc_security_group.go:66",
        replace: { kind: "always" },
        refuse: [{ kind: "length", min: 0, max: 255 }],
        default: "Managed by Terraform",
        note: "ForceNew: EC2 has no API to change a group description",
      },
      {
        path: "aws_security_group.name_prefix",
        source: "internal/service/ec2/vpc_security_group.go:86",
        replace: { kind: "always" },
        refuse: [
          { kind: "length", min: 0, max: 229 },
          { kind: "pattern", regex: "^(?!sg-)", message: "cannot begin with sg-" },
          { kind: "conflicts_with", paths: ["aws_security_group.name"] },
        ],
        note: "length limit is 255 - id.UniqueIDSuffixLength (26)",
      },
      {
        path: "aws_security_group.tags",
        source: "internal/service/ec2/vpc_security_group.go:106",
        note: "map attribute; tags are changed in place (TagResource/UntagResource)",
      },
      { path: "aws_security_group.vpc_id", source: "internal/service/ec2/vpc_security_group.go:108", replace: { kind: "always" } },
    ],
  },
  {
    // the schema is the package variable topicSchema; resourceTopic() wraps it with resourceTopicCustomizeDiff
    type: "aws_sns_topic",
    provider: "aws",
    source: "internal/service/sns/topic.go:40",
    attributes: [
      { path: "aws_sns_topic.kms_master_key_id", source: "internal/service/sns/topic.go:117" },
      {
        path: "aws_sns_topic.name",
        source: "internal/service/sns/topic.go:136",
        replace: { kind: "always" },
        refuse: [
          { kind: "conflicts_with", paths: ["aws_sns_topic.name_prefix"] },
          {
            kind: "rule",
            rule: "topic-name",
            message: "invalid topic name: ^[0-9A-Za-z_-]{1,256}$ (fifo: ^[0-9A-Za-z_-]{1,251}\\.fifo$), checked by CustomizeDiff on create",
          },
        ],
      },
    ],
  },
  {
    type: "aws_sns_topic_policy",
    provider: "aws",
    source: "internal/service/sns/topic_policy.go:31",
    attributes: [
      {
        path: "aws_sns_topic_policy.arn",
        source: "internal/service/sns/topic_policy.go:39",
        replace: { kind: "always" },
        refuse: [{ kind: "rule", rule: "arn", message: "must be a valid ARN (verify.ValidARN)" }],
      },
      {
        path: "aws_sns_topic_policy.policy",
        source: "internal/service/sns/topic_policy.go:49",
        refuse: [{ kind: "rule", rule: "iam-policy-json", message: "sdkv2.IAMPolicyDocumentSchemaRequired" }],
      },
    ],
  },
  {
    // the schema is the package variable subscriptionSchema; resourceTopicSubscription() adds resourceTopicSubscriptionCustomizeDiff
    type: "aws_sns_topic_subscription",
    provider: "aws",
    source: "internal/service/sns/topic_subscription.go:34",
    importIds: ["<subscription-arn>"],
    attributes: [
      { path: "aws_sns_topic_subscription.endpoint", source: "internal/service/sns/topic_subscription.go:59", replace: { kind: "always" } },
      { path: "aws_sns_topic_subscription.endpoint_auto_confirms", source: "internal/service/sns/topic_subscription.go:64", default: false },
      {
        path: "aws_sns_topic_subscription.protocol",
        source: "internal/service/sns/topic_subscription.go:94",
        replace: { kind: "always" },
        refuse: [{ kind: "enum", values: ["application", "firehose", "lambda", "sms", "sqs", "email", "email-json", "http", "https"] }],
        note: "subscriptionProtocol_Values()",
      },
      {
        path: "aws_sns_topic_subscription.topic_arn",
        source: "internal/service/sns/topic_subscription.go:132",
        replace: { kind: "always" },
        refuse: [{ kind: "rule", rule: "arn", message: "must be a valid ARN (verify.ValidARN)" }],
      },
    ],
  },
  {
    type: "aws_subnet",
    provider: "aws",
    source: "internal/service/ec2/vpc_subnet.go:42",
    attributes: [
      {
        path: "aws_subnet.availability_zone",
        source: "internal/service/ec2/vpc_subnet.go:71",
        replace: { kind: "always" },
        refuse: [{ kind: "conflicts_with", paths: ["aws_subnet.availability_zone_id"] }],
      },
      {
        path: "aws_subnet.cidr_block",
        source: "internal/service/ec2/vpc_subnet.go:85",
        replace: { kind: "always" },
        refuse: [{ kind: "rule", rule: "ipv4-cidr-network", message: "verify.ValidIPv4CIDRNetworkAddress" }],
      },
      { path: "aws_subnet.map_public_ip_on_launch", source: "internal/service/ec2/vpc_subnet.go:165", default: false },
      {
        path: "aws_subnet.tags",
        source: "internal/service/ec2/vpc_subnet.go:186",
        note: "map attribute; tags are changed in place (TagResource/UntagResource)",
      },
      { path: "aws_subnet.vpc_id", source: "internal/service/ec2/vpc_subnet.go:188", replace: { kind: "always" } },
    ],
  },
  {
    type: "aws_volume_attachment",
    provider: "aws",
    source: "internal/service/ec2/ebs_volume_attachment.go:32",
    importIds: ["<device-name>:<volume-id>:<instance-id>"],
    attributes: [
      { path: "aws_volume_attachment.device_name", source: "internal/service/ec2/ebs_volume_attachment.go:65", replace: { kind: "always" } },
      { path: "aws_volume_attachment.instance_id", source: "internal/service/ec2/ebs_volume_attachment.go:74", replace: { kind: "always" } },
      {
        path: "aws_volume_attachment.stop_instance_before_detaching",
        source: "internal/service/ec2/ebs_volume_attachment.go:83",
        note: "UpdateWithoutTimeout is schema.NoopContext: only read when the attachment is deleted (then the instance is stopped and not started again, REFERENCE §6)",
      },
      { path: "aws_volume_attachment.volume_id", source: "internal/service/ec2/ebs_volume_attachment.go:87", replace: { kind: "always" } },
    ],
  },
  {
    type: "aws_vpc",
    provider: "aws",
    source: "internal/service/ec2/vpc_.go:43",
    attributes: [
      {
        path: "aws_vpc.cidr_block",
        source: "internal/service/ec2/vpc_.go:75",
        replace: { kind: "always" },
        refuse: [
          { kind: "rule", rule: "ipv4-cidr-16-28", message: "validation.IsCIDRNetwork(16, 28)" },
          { kind: "conflicts_with", paths: ["aws_vpc.ipv4_netmask_length"] },
        ],
      },
      { path: "aws_vpc.enable_dns_hostnames", source: "internal/service/ec2/vpc_.go:99" },
      { path: "aws_vpc.enable_dns_support", source: "internal/service/ec2/vpc_.go:104", default: true },
      {
        path: "aws_vpc.tags",
        source: "internal/service/ec2/vpc_.go:173",
        note: "map attribute; tags are changed in place (TagResource/UntagResource)",
      },
    ],
  },
  {
    // the stored copy read is an early plugin-framework version (tfsdk.Schema); the decisions (security_group_id RequiresReplace, source kind change replaces) are those the v5.100.0 binary planned in the calibration
    type: "aws_vpc_security_group_ingress_rule",
    provider: "aws",
    source: "internal/service/ec2/vpc_security_group_ingress_rule.go:32",
    attributes: [
      {
        path: "aws_vpc_security_group_ingress_rule.cidr_ipv4",
        source: "internal/service/ec2/vpc_security_group_ingress_rule.go:57",
        replace: { kind: "conditional", rule: "security-group-rule-source-kind" },
        refuse: [
          { kind: "rule", rule: "ipv4-cidr-network", message: "fwvalidators.IPv4CIDRNetworkAddress" },
          {
            kind: "exactly_one_of",
            paths: [
              "aws_vpc_security_group_ingress_rule.cidr_ipv4",
              "aws_vpc_security_group_ingress_rule.cidr_ipv6",
              "aws_vpc_security_group_ingress_rule.prefix_list_id",
              "aws_vpc_security_group_ingress_rule.referenced_security_group_id",
            ],
          },
        ],
        note: "a new value is modified in place (ModifySecurityGroupRules); ModifyPlan in the same file requires replacement when the rule switches to another kind of source (cidr_ipv4, cidr_ipv6, prefix_list_id, referenced_security_group_id)",
      },
      {
        path: "aws_vpc_security_group_ingress_rule.cidr_ipv6",
        source: "internal/service/ec2/vpc_security_group_ingress_rule.go:64",
        replace: { kind: "conditional", rule: "security-group-rule-source-kind" },
        refuse: [{ kind: "rule", rule: "ipv6-cidr-network", message: "fwvalidators.IPv6CIDRNetworkAddress" }],
        note: "see cidr_ipv4",
      },
      { path: "aws_vpc_security_group_ingress_rule.description", source: "internal/service/ec2/vpc_security_group_ingress_rule.go:71" },
      {
        path: "aws_vpc_security_group_ingress_rule.from_port",
        source: "internal/service/ec2/vpc_security_group_ingress_rule.go:75",
        refuse: [{ kind: "range", min: -1, max: 65535 }],
      },
      {
        path: "aws_vpc_security_group_ingress_rule.ip_protocol",
        source: "internal/service/ec2/vpc_security_group_ingress_rule.go:89",
        note: 'normalized by NormalizeIPProtocol ("tcp" = "6")',
      },
      {
        path: "aws_vpc_security_group_ingress_rule.security_group_id",
        source: "internal/service/ec2/vpc_security_group_ingress_rule.go:108",
        replace: { kind: "always" },
      },
      {
        path: "aws_vpc_security_group_ingress_rule.tags",
        source: "internal/service/ec2/vpc_security_group_ingress_rule.go:118",
        note: "map attribute; tags are changed in place (TagResource/UntagResource)",
      },
      {
        path: "aws_vpc_security_group_ingress_rule.to_port",
        source: "internal/service/ec2/vpc_security_group_ingress_rule.go:120",
        refuse: [{ kind: "range", min: -1, max: 65535 }],
      },
    ],
  },
  {
    // shares the ingress rule's schema (resourceSecurityGroupRule); attribute lines cite the ingress file
    type: "aws_vpc_security_group_egress_rule",
    provider: "aws",
    source: "internal/service/ec2/vpc_security_group_egress_rule.go:14",
    attributes: [
      {
        path: "aws_vpc_security_group_egress_rule.cidr_ipv4",
        source: "internal/service/ec2/vpc_security_group_ingress_rule.go:57",
        replace: { kind: "conditional", rule: "security-group-rule-source-kind" },
        refuse: [
          { kind: "rule", rule: "ipv4-cidr-network", message: "fwvalidators.IPv4CIDRNetworkAddress" },
          {
            kind: "exactly_one_of",
            paths: [
              "aws_vpc_security_group_egress_rule.cidr_ipv4",
              "aws_vpc_security_group_egress_rule.cidr_ipv6",
              "aws_vpc_security_group_egress_rule.prefix_list_id",
              "aws_vpc_security_group_egress_rule.referenced_security_group_id",
            ],
          },
        ],
        note: "a new value is modified in place (ModifySecurityGroupRules); ModifyPlan in the same file requires replacement when the rule switches to another kind of source (cidr_ipv4, cidr_ipv6, prefix_list_id, referenced_security_group_id)",
      },
      {
        path: "aws_vpc_security_group_egress_rule.cidr_ipv6",
        source: "internal/service/ec2/vpc_security_group_ingress_rule.go:64",
        replace: { kind: "conditional", rule: "security-group-rule-source-kind" },
        refuse: [{ kind: "rule", rule: "ipv6-cidr-network", message: "fwvalidators.IPv6CIDRNetworkAddress" }],
        note: "see cidr_ipv4",
      },
      { path: "aws_vpc_security_group_egress_rule.description", source: "internal/service/ec2/vpc_security_group_ingress_rule.go:71" },
      {
        path: "aws_vpc_security_group_egress_rule.from_port",
        source: "internal/service/ec2/vpc_security_group_ingress_rule.go:75",
        refuse: [{ kind: "range", min: -1, max: 65535 }],
      },
      {
        path: "aws_vpc_security_group_egress_rule.ip_protocol",
        source: "internal/service/ec2/vpc_security_group_ingress_rule.go:89",
        note: 'normalized by NormalizeIPProtocol ("tcp" = "6")',
      },
      {
        path: "aws_vpc_security_group_egress_rule.security_group_id",
        source: "internal/service/ec2/vpc_security_group_ingress_rule.go:108",
        replace: { kind: "always" },
      },
      {
        path: "aws_vpc_security_group_egress_rule.tags",
        source: "internal/service/ec2/vpc_security_group_ingress_rule.go:118",
        note: "map attribute; tags are changed in place (TagResource/UntagResource)",
      },
      {
        path: "aws_vpc_security_group_egress_rule.to_port",
        source: "internal/service/ec2/vpc_security_group_ingress_rule.go:120",
        refuse: [{ kind: "range", min: -1, max: 65535 }],
      },
    ],
  },
  {
    type: "data.aws_availability_zone",
    provider: "aws",
    source: "internal/service/ec2/ec2_availability_zone_data_source.go:21",
    missingObject:
      'tfresource.SingularDataSourceFindError("EC2 Availability Zone", err): "no matching EC2 Availability Zone found" (internal/service/ec2/ec2_availability_zone_data_source.go:122)',
    attributes: [{ path: "data.aws_availability_zone.name", source: "internal/service/ec2/ec2_availability_zone_data_source.go:39" }],
  },
  {
    // an empty result is not an error: instance_types is an empty list (the stack's postcondition refuses it)
    type: "data.aws_ec2_instance_type_offerings",
    provider: "aws",
    source: "internal/service/ec2/ec2_instance_type_offerings_data_source.go:21",
    attributes: [
      {
        path: "data.aws_ec2_instance_type_offerings.filter",
        source: "internal/service/ec2/ec2_instance_type_offerings_data_source.go:30",
        note: "customFiltersSchema(): a set of {name, values}",
      },
      {
        path: "data.aws_ec2_instance_type_offerings.filter.name",
        source: "internal/service/ec2/ec2_instance_type_offerings_data_source.go:30",
        note: "declared by customFiltersSchema() (internal/service/ec2/filters.go); the line is the filter attribute's",
      },
      {
        path: "data.aws_ec2_instance_type_offerings.filter.values",
        source: "internal/service/ec2/ec2_instance_type_offerings_data_source.go:30",
        note: "declared by customFiltersSchema() (internal/service/ec2/filters.go); the line is the filter attribute's",
      },
      {
        path: "data.aws_ec2_instance_type_offerings.location_type",
        source: "internal/service/ec2/ec2_instance_type_offerings_data_source.go:41",
        refuse: [{ kind: "enum", values: ["region", "availability-zone", "availability-zone-id", "outpost"] }],
      },
    ],
  },
];
