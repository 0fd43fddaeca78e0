/**
 * hashicorp/google and hashicorp/google-beta v6.50.0: what the provider decides for every resource type, data source
 * and attribute path the gke and dns stacks set (both environments, the gke stack's dedicated and `existing` cluster
 * modes, Cloud DNS in pre and Cloudflare in ops), read from the provider's source at the tag. Sources are paths in
 * github.com/hashicorp/terraform-provider-google at v6.50.0 (`git show v6.50.0:<path>`), except the one type the
 * stacks take from google-beta (google_project_service_identity: google-beta/services/..., same tag of
 * terraform-provider-google-beta). The google and google-beta files of every other type used here are the same at
 * the tag, google-beta's package paths aside, except resource_compute_router.go, resource_compute_subnetwork.go,
 * resource_container_cluster.go, resource_container_node_pool.go, node_config.go, resource_kms_crypto_key.go,
 * resource_google_project_service.go and resource_sql_database_instance.go (beta-only fields): the stacks use
 * google's for those, so google's are what was read.
 *
 * All these types are terraform-plugin-sdk v2 resources (`*schema.Resource`), so refusals are worded as the SDK's
 * validators word them (terraform-plugin-sdk v2.37.0 helper/validation, helper/schema/schema.go validate*Attribute).
 * Entries marked "not set by the stacks" are defaults the provider plans, or schema facts the bindings lose
 * (sensitive, write_only, max_items, schema versions), for paths the stacks leave unset.
 *
 * Review method: each type's schema was read attribute by attribute for ForceNew, ValidateFunc, Default,
 * ConflictsWith/ExactlyOneOf/AtLeastOneOf/RequiredWith, Sensitive/WriteOnly, MaxItems/MinItems, DiffSuppressFunc;
 * then its CustomizeDiff, importer and create (project handling). A DiffSuppressFunc makes the provider treat two
 * spellings as equal (a self link and a name); the stand-ins compare values as written, which only matters when
 * a configuration changes spelling, and is noted where it applies.
 */
import type { AttributePath, Refusal, Replacement, SourceRef, TypeDecision } from "./types";

const ALWAYS: Replacement = { kind: "always" };
const NOT_SET = "not set by the stacks";

/** tpgresource.DefaultProviderProject (google/tpgresource/utils.go:861, via GetProjectFromDiff :121): a CustomizeDiff
 *  that fails the plan when neither the resource nor the provider names a project. */
const PROJECT_IN_PLAN = (source: SourceRef): TypeDecision["missingProject"] => ({
  at: "plan",
  message: "Failed to retrieve project, pid: , err: project: required field is not set",
  source,
});
/** tpgresource.GetProject (google/tpgresource/utils.go:101, GetProjectFromSchema field_helpers.go:318) in the create:
 *  the plan goes through and the apply fails. */
const PROJECT_AT_APPLY = (source: SourceRef): TypeDecision["missingProject"] => ({
  at: "apply",
  message: "project: required field is not set",
  source,
});

/** tpgresource.ParseImportId (google/tpgresource/import.go:36): the formats in order, Go's unanchored
 *  FindStringSubmatch; a missing project, region or zone is then the provider's (setDefaultValues :94). */
function parseImportId(formats: readonly string[]): Pick<TypeDecision, "importIds" | "importFormats" | "importRefusal"> {
  return {
    importIds: formats.map((f) => f.replace(/[\^$]/g, "").replace(/\(\?P<(\w+)>[^)]*\)/g, "{{$1}}")),
    importFormats: formats,
    // import.go:91: fmt.Errorf("Import id %q doesn't match any of the accepted formats: %v", d.Id(), idRegexes)
    importRefusal: `Import id "{id}" doesn't match any of the accepted formats: [${formats.join(" ")}]`,
  };
}

/** verify.ValidateRegexp (google/verify/validation.go:406). */
const validateRegexp = (regex: string, exceptEmpty = false): Refusal => ({
  kind: "pattern",
  regex,
  message: `"{key}" ("{value}") doesn't match regexp ${JSON.stringify(regex)}`,
  ...(exceptEmpty ? { exceptEmpty } : {}),
});
/** verify.ValidateGCEName (google/verify/validation.go:103): ValidateRegexp of a Compute Engine name. */
const GCE_NAME = validateRegexp("^(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)$");
/** verify.ValidateRFC1035Name(min, max) (google/verify/validation.go:164): two checks, both reported. */
const rfc1035Name = (min: number, max: number): Refusal[] => [
  { kind: "length", min, max, message: `"{key}" ("{value}") must be between ${min} and ${max} characters long` },
  { kind: "pattern", regex: "^[a-z]([-a-z0-9]*[a-z0-9])?$", message: `"{key}" ("{value}") must match regex "^[a-z]([-a-z0-9]*[a-z0-9])?$"` },
];
/** verify.ValidateIpCidrRange (google/verify/validation.go:187): net.ParseCIDR. */
const IP_CIDR_RANGE: Refusal = {
  kind: "rule",
  rule: "ip-cidr-range",
  message: `"{key}" is not a valid IP CIDR range: invalid CIDR address: {value}`,
};
/** validation.IsCIDRNetwork(min, max) (terraform-plugin-sdk v2.37.0 helper/validation/network.go:103). */
const cidrNetwork = (min: number, max: number, exceptEmpty = false): Refusal => ({
  kind: "rule",
  rule: "cidr-network",
  params: [min, max],
  message: `expected "{key}" to contain a network Value with between ${min} and ${max} significant bits`,
  ...(exceptEmpty ? { exceptEmpty } : {}),
});
/** verify.ValidateRFC3339Date (google/verify/validation.go:358): time.Parse(time.RFC3339, v); the message is Go's
 *  parse error, whose tail names the first element that failed. */
const RFC3339_DATE: Refusal = { kind: "rule", rule: "rfc3339-date", message: `parsing time "{value}" as "2006-01-02T15:04:05Z07:00": cannot parse` };
/** validateIAMMember (google/tpgiamresource/resource_iam_member.go:42). */
const IAM_MEMBER: Refusal[] = [
  { kind: "rule", rule: "not-deleted-principal", message: "invalid value for {key} (Terraform does not support IAM members for deleted principals)" },
  {
    kind: "pattern",
    regex: "(.+:.+|projectOwners|projectReaders|projectWriters|allUsers|allAuthenticatedUsers)",
    message: `invalid value "{value}" for {key} (IAM members must have one of the values outlined here: https://cloud.google.com/billing/docs/reference/rest/v1/Policy#Binding)`,
  },
];

/** verify.ServiceAccountLinkRegex (google/verify/validation.go:62-80), composed as Go composes it. */
const PROJECT_REGEX = "(?:(?:[-a-z0-9]{1,63}\\.)*(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?):)?(?:[0-9]{1,19}|(?:[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?))";
const PROJECT_REGEX_WILDCARD =
  "(?:(?:[-a-z0-9]{1,63}\\.)*(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?):)?(?:[0-9]{1,19}|(?:[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)|-)";
const SERVICE_ACCOUNT_LINK_REGEX =
  `projects/${PROJECT_REGEX_WILDCARD}/serviceAccounts/(` +
  [
    `${PROJECT_REGEX}@[a-z]+.gserviceaccount.com$`,
    "[0-9]{1,20}-compute@developer.gserviceaccount.com",
    "[a-z]([-a-z0-9]{4,28}[a-z0-9])?@[-a-z0-9\\.]{1,63}\\.iam\\.gserviceaccount\\.com$",
  ].join("|") +
  ")";

/** The cluster name's inline ValidateFunc (google/services/container/resource_container_cluster.go:277-297): four
 *  checks, each reported. */
const GKE_CLUSTER_NAME: Refusal[] = [
  { kind: "length", max: 40, message: '"{key}" cannot be longer than 40 characters' },
  { kind: "pattern", regex: "^[a-z0-9-]+$", message: '"{key}" can only contain lowercase letters, numbers and hyphens' },
  { kind: "pattern", regex: "^[a-z]", message: '"{key}" must start with a letter' },
  { kind: "pattern", regex: "[a-z0-9]$", message: '"{key}" must end with a number or a letter' },
];
/** validateRecordNameTrailingDot (google/services/dns/resource_dns_record_set.go:977). */
const DNS_NAME_TRAILING_DOT: Refusal = {
  kind: "pattern",
  regex: "\\.$",
  message: '"{key}" ("{value}") doesn\'t end with ".", name field must end with trailing dot, for example test.example.com. (note the trailing dot)',
};
/** validateKmsCryptoKeyRotationPeriod (google/services/kms/kms_utils.go:138): "<seconds>s", at least 86400, at most
 *  9 fractional digits; its messages name no key. Wrapped in verify.OrEmpty at the schema. */
const KMS_ROTATION_PERIOD: Refusal = { kind: "rule", rule: "kms-rotation-period", message: "Rotation period must be greater than one day" };
/** validateProjectServiceService (google/services/resourcemanager/resource_google_project_service.go:75): not the
 *  banned bigquery-json.googleapis.com (:39), and a domain. */
const PROJECT_SERVICE: Refusal[] = [
  {
    kind: "rule",
    rule: "not-in",
    params: ["bigquery-json.googleapis.com"],
    message: "expected {key} to not match any of [bigquery-json.googleapis.com], got {value}",
  },
  { kind: "pattern", regex: "\\.", message: "expected {value} to be a domain like serviceusage.googleapis.com" },
];
/** privateNetworkLinkRegex (google/services/sql/resource_sql_database_instance.go:47). */
const PRIVATE_NETWORK_LINK_REGEX = `^(?:http(?:s)?://.+/)?projects/(${PROJECT_REGEX})/global/networks/((?:[a-z](?:[-a-z0-9]*[a-z0-9])?))$`;

/** ValidateEmptyStrings (google/provider/provider_validators.go:55): the provider's string settings may not be "". */
const EMPTY_STRING: Refusal = { kind: "rule", rule: "not-empty", message: "expected a non-empty string" };

// Named key lists, as the Go source names them.
const SUBNETWORK_LOG_CONFIG_KEYS: readonly AttributePath[] = [
  "google_compute_subnetwork.log_config.aggregation_interval",
  "google_compute_subnetwork.log_config.flow_sampling",
  "google_compute_subnetwork.log_config.metadata",
  "google_compute_subnetwork.log_config.filter_expr",
];
const PRIVATE_CLUSTER_CONFIG_KEYS: readonly AttributePath[] = [
  "google_container_cluster.private_cluster_config.enable_private_endpoint",
  "google_container_cluster.private_cluster_config.enable_private_nodes",
  "google_container_cluster.private_cluster_config.master_ipv4_cidr_block",
  "google_container_cluster.private_cluster_config.private_endpoint_subnetwork",
  "google_container_cluster.private_cluster_config.master_global_access_config",
];
const ALERT_DOCUMENTATION_KEYS: readonly AttributePath[] = [
  "google_monitoring_alert_policy.documentation.content",
  "google_monitoring_alert_policy.documentation.mime_type",
  "google_monitoring_alert_policy.documentation.subject",
  "google_monitoring_alert_policy.documentation.links",
];
const BACKUP_CONFIGURATION_KEYS: readonly AttributePath[] = [
  "google_sql_database_instance.settings.backup_configuration.binary_log_enabled",
  "google_sql_database_instance.settings.backup_configuration.enabled",
  "google_sql_database_instance.settings.backup_configuration.start_time",
  "google_sql_database_instance.settings.backup_configuration.location",
  "google_sql_database_instance.settings.backup_configuration.point_in_time_recovery_enabled",
  "google_sql_database_instance.settings.backup_configuration.backup_retention_settings",
  "google_sql_database_instance.settings.backup_configuration.transaction_log_retention_days",
];
const IP_CONFIGURATION_KEYS: readonly AttributePath[] = [
  "google_sql_database_instance.settings.ip_configuration.authorized_networks",
  "google_sql_database_instance.settings.ip_configuration.ipv4_enabled",
  "google_sql_database_instance.settings.ip_configuration.private_network",
  "google_sql_database_instance.settings.ip_configuration.allocated_ip_range",
  "google_sql_database_instance.settings.ip_configuration.enable_private_path_for_google_cloud_services",
  "google_sql_database_instance.settings.ip_configuration.psc_config",
  "google_sql_database_instance.settings.ip_configuration.ssl_mode",
  "google_sql_database_instance.settings.ip_configuration.server_ca_mode",
  "google_sql_database_instance.settings.ip_configuration.server_ca_pool",
  "google_sql_database_instance.settings.ip_configuration.custom_subject_alternative_names",
];
const MAINTENANCE_WINDOW_KEYS: readonly AttributePath[] = [
  "google_sql_database_instance.settings.maintenance_window.day",
  "google_sql_database_instance.settings.maintenance_window.hour",
  "google_sql_database_instance.settings.maintenance_window.update_track",
];
const INSIGHTS_CONFIG_KEYS: readonly AttributePath[] = [
  "google_sql_database_instance.settings.insights_config.query_insights_enabled",
  "google_sql_database_instance.settings.insights_config.query_string_length",
  "google_sql_database_instance.settings.insights_config.record_application_tags",
  "google_sql_database_instance.settings.insights_config.record_client_address",
  "google_sql_database_instance.settings.insights_config.query_plans_per_minute",
];

export const GOOGLE_DECISIONS: readonly TypeDecision[] = [
  {
    type: "google_compute_global_address",
    provider: "google",
    source: "google/services/compute/resource_compute_global_address.go:37",
    // resource_compute_global_address.go:297
    idFormat: "projects/{{project}}/global/addresses/{{name}}",
    needsProject: true,
    missingProject: PROJECT_IN_PLAN("google/services/compute/resource_compute_global_address.go:56"),
    // google/services/compute/resource_compute_global_address.go:598
    ...parseImportId(["^projects/(?P<project>[^/]+)/global/addresses/(?P<name>[^/]+)$", "^(?P<project>[^/]+)/(?P<name>[^/]+)$", "^(?P<name>[^/]+)$"]),
    notModelled: [
      "tpgresource.SetLabelsDiff computes terraform_labels and effective_labels from labels and the provider's default_labels in the plan; the stand-ins leave them computed (known after apply), which changes no replacement or refusal",
    ],
    attributes: [
      { path: "google_compute_global_address.name", source: "google/services/compute/resource_compute_global_address.go:60", replace: ALWAYS },
      { path: "google_compute_global_address.address", source: "google/services/compute/resource_compute_global_address.go:72", replace: ALWAYS },
      {
        path: "google_compute_global_address.address_type",
        source: "google/services/compute/resource_compute_global_address.go:81",
        replace: ALWAYS,
        refuse: [{ kind: "enum", values: ["EXTERNAL", "INTERNAL", ""] }],
        default: "EXTERNAL",
        note: 'diff suppressed by tpgresource.EmptyOrDefaultStringSuppress("EXTERNAL") (not modelled)',
      },
      { path: "google_compute_global_address.description", source: "google/services/compute/resource_compute_global_address.go:93", replace: ALWAYS },
      {
        path: "google_compute_global_address.ip_version",
        source: "google/services/compute/resource_compute_global_address.go:99",
        replace: ALWAYS,
        refuse: [{ kind: "enum", values: ["IPV4", "IPV6", ""] }],
        note: 'diff suppressed by tpgresource.EmptyOrDefaultStringSuppress("IPV4") (not modelled)',
      },
      {
        path: "google_compute_global_address.network",
        source: "google/services/compute/resource_compute_global_address.go:117",
        replace: ALWAYS,
        note: "diff suppressed by tpgresource.CompareSelfLinkOrResourceName (not modelled)",
      },
      {
        path: "google_compute_global_address.prefix_length",
        source: "google/services/compute/resource_compute_global_address.go:128",
        replace: ALWAYS,
      },
      { path: "google_compute_global_address.purpose", source: "google/services/compute/resource_compute_global_address.go:139", replace: ALWAYS },
    ],
  },
  {
    type: "google_compute_network",
    provider: "google",
    source: "google/services/compute/resource_compute_network.go:39",
    // resource_compute_network.go:340
    idFormat: "projects/{{project}}/global/networks/{{name}}",
    needsProject: true,
    missingProject: PROJECT_IN_PLAN("google/services/compute/resource_compute_network.go:57"),
    // google/services/compute/resource_compute_network.go:718
    ...parseImportId(["^projects/(?P<project>[^/]+)/global/networks/(?P<name>[^/]+)$", "^(?P<project>[^/]+)/(?P<name>[^/]+)$", "^(?P<name>[^/]+)$"]),
    attributes: [
      { path: "google_compute_network.name", source: "google/services/compute/resource_compute_network.go:61", replace: ALWAYS, refuse: [GCE_NAME] },
      {
        path: "google_compute_network.auto_create_subnetworks",
        source: "google/services/compute/resource_compute_network.go:74",
        replace: ALWAYS,
        default: true,
      },
      {
        path: "google_compute_network.network_firewall_policy_enforcement_order",
        source: "google/services/compute/resource_compute_network.go:121",
        refuse: [{ kind: "enum", values: ["BEFORE_CLASSIC_FIREWALL", "AFTER_CLASSIC_FIREWALL", ""] }],
        default: "AFTER_CLASSIC_FIREWALL",
        note: NOT_SET,
      },
      {
        path: "google_compute_network.routing_mode",
        source: "google/services/compute/resource_compute_network.go:180",
        refuse: [{ kind: "enum", values: ["REGIONAL", "GLOBAL", ""] }],
      },
      {
        path: "google_compute_network.delete_default_routes_on_create",
        source: "google/services/compute/resource_compute_network.go:209",
        default: false,
      },
    ],
  },
  {
    type: "google_compute_router",
    provider: "google",
    source: "google/services/compute/resource_compute_router.go:56",
    // resource_compute_router.go:341
    idFormat: "projects/{{project}}/regions/{{region}}/routers/{{name}}",
    needsProject: true,
    missingProject: PROJECT_IN_PLAN("google/services/compute/resource_compute_router.go:75"),
    // google/services/compute/resource_compute_router.go:580
    ...parseImportId([
      "^projects/(?P<project>[^/]+)/regions/(?P<region>[^/]+)/routers/(?P<name>[^/]+)$",
      "^(?P<project>[^/]+)/(?P<region>[^/]+)/(?P<name>[^/]+)$",
      "^(?P<region>[^/]+)/(?P<name>[^/]+)$",
      "^(?P<name>[^/]+)$",
    ]),
    attributes: [
      { path: "google_compute_router.name", source: "google/services/compute/resource_compute_router.go:79", replace: ALWAYS, refuse: [GCE_NAME] },
      {
        path: "google_compute_router.network",
        source: "google/services/compute/resource_compute_router.go:91",
        replace: ALWAYS,
        note: "diff suppressed by tpgresource.CompareSelfLinkOrResourceName (not modelled)",
      },
      {
        path: "google_compute_router.region",
        source: "google/services/compute/resource_compute_router.go:220",
        replace: ALWAYS,
        note: "diff suppressed by tpgresource.CompareSelfLinkOrResourceName (not modelled)",
      },
    ],
  },
  {
    type: "google_compute_router_nat",
    provider: "google",
    source: "google/services/compute/resource_compute_router_nat.go:195",
    // resource_compute_router_nat.go:838
    idFormat: "{{project}}/{{region}}/{{router}}/{{name}}",
    needsProject: true,
    missingProject: PROJECT_IN_PLAN("google/services/compute/resource_compute_router_nat.go:214"),
    // google/services/compute/resource_compute_router_nat.go:1265
    ...parseImportId([
      "^projects/(?P<project>[^/]+)/regions/(?P<region>[^/]+)/routers/(?P<router>[^/]+)/(?P<name>[^/]+)$",
      "^(?P<project>[^/]+)/(?P<region>[^/]+)/(?P<router>[^/]+)/(?P<name>[^/]+)$",
      "^(?P<region>[^/]+)/(?P<router>[^/]+)/(?P<name>[^/]+)$",
      "^(?P<router>[^/]+)/(?P<name>[^/]+)$",
    ]),
    attributes: [
      {
        path: "google_compute_router_nat.name",
        source: "google/services/compute/resource_compute_router_nat.go:218",
        replace: ALWAYS,
        refuse: [...rfc1035Name(2, 63)],
      },
      {
        path: "google_compute_router_nat.router",
        source: "google/services/compute/resource_compute_router_nat.go:226",
        replace: ALWAYS,
        note: "diff suppressed by tpgresource.CompareSelfLinkOrResourceName (not modelled)",
      },
      {
        path: "google_compute_router_nat.source_subnetwork_ip_ranges_to_nat",
        source: "google/services/compute/resource_compute_router_nat.go:233",
        refuse: [{ kind: "enum", values: ["ALL_SUBNETWORKS_ALL_IP_RANGES", "ALL_SUBNETWORKS_ALL_PRIMARY_IP_RANGES", "LIST_OF_SUBNETWORKS"] }],
      },
      {
        path: "google_compute_router_nat.icmp_idle_timeout_sec",
        source: "google/services/compute/resource_compute_router_nat.go:302",
        default: 30,
        note: NOT_SET,
      },
      { path: "google_compute_router_nat.log_config", source: "google/services/compute/resource_compute_router_nat.go:321" },
      { path: "google_compute_router_nat.log_config.enable", source: "google/services/compute/resource_compute_router_nat.go:328" },
      {
        path: "google_compute_router_nat.log_config.filter",
        source: "google/services/compute/resource_compute_router_nat.go:333",
        refuse: [{ kind: "enum", values: ["ERRORS_ONLY", "TRANSLATIONS_ONLY", "ALL"] }],
      },
      {
        path: "google_compute_router_nat.nat_ip_allocate_option",
        source: "google/services/compute/resource_compute_router_nat.go:362",
        refuse: [{ kind: "enum", values: ["MANUAL_ONLY", "AUTO_ONLY", ""] }],
      },
      {
        path: "google_compute_router_nat.region",
        source: "google/services/compute/resource_compute_router_nat.go:385",
        replace: ALWAYS,
        note: "diff suppressed by tpgresource.CompareSelfLinkOrResourceName (not modelled)",
      },
      {
        path: "google_compute_router_nat.tcp_established_idle_timeout_sec",
        source: "google/services/compute/resource_compute_router_nat.go:418",
        default: 1200,
        note: NOT_SET,
      },
      {
        path: "google_compute_router_nat.tcp_time_wait_timeout_sec",
        source: "google/services/compute/resource_compute_router_nat.go:425",
        default: 120,
        note: NOT_SET,
      },
      {
        path: "google_compute_router_nat.tcp_transitory_idle_timeout_sec",
        source: "google/services/compute/resource_compute_router_nat.go:432",
        default: 30,
        note: NOT_SET,
      },
      {
        path: "google_compute_router_nat.type",
        source: "google/services/compute/resource_compute_router_nat.go:439",
        replace: ALWAYS,
        refuse: [{ kind: "enum", values: ["PUBLIC", "PRIVATE", ""] }],
        default: "PUBLIC",
        note: NOT_SET,
      },
      {
        path: "google_compute_router_nat.udp_idle_timeout_sec",
        source: "google/services/compute/resource_compute_router_nat.go:450",
        default: 30,
        note: NOT_SET,
      },
    ],
  },
  {
    type: "google_compute_subnetwork",
    provider: "google",
    source: "google/services/compute/resource_compute_subnetwork.go:103",
    // resource_compute_subnetwork.go:668
    idFormat: "projects/{{project}}/regions/{{region}}/subnetworks/{{name}}",
    needsProject: true,
    missingProject: PROJECT_IN_PLAN("google/services/compute/resource_compute_subnetwork.go:124"),
    // google/services/compute/resource_compute_subnetwork.go:1403
    ...parseImportId([
      "^projects/(?P<project>[^/]+)/regions/(?P<region>[^/]+)/subnetworks/(?P<name>[^/]+)$",
      "^(?P<project>[^/]+)/(?P<region>[^/]+)/(?P<name>[^/]+)$",
      "^(?P<region>[^/]+)/(?P<name>[^/]+)$",
      "^(?P<name>[^/]+)$",
    ]),
    attributes: [
      {
        path: "google_compute_subnetwork.name",
        source: "google/services/compute/resource_compute_subnetwork.go:128",
        replace: ALWAYS,
        refuse: [GCE_NAME],
      },
      {
        path: "google_compute_subnetwork.network",
        source: "google/services/compute/resource_compute_subnetwork.go:141",
        replace: ALWAYS,
        note: "diff suppressed by tpgresource.CompareSelfLinkOrResourceName (not modelled)",
      },
      {
        path: "google_compute_subnetwork.ip_cidr_range",
        source: "google/services/compute/resource_compute_subnetwork.go:175",
        refuse: [IP_CIDR_RANGE],
        replace: { kind: "conditional", rule: "cidr-shrink" },
        note: 'customdiff.ForceNewIfChange("ip_cidr_range", IsShrinkageIpCidr) (:122, :41): a range that does not contain the old one replaces; an expansion updates',
      },
      {
        path: "google_compute_subnetwork.log_config",
        source: "google/services/compute/resource_compute_subnetwork.go:208",
        note: "diff suppressed by subnetworkLogConfigDiffSuppress (not modelled)",
      },
      {
        path: "google_compute_subnetwork.log_config.aggregation_interval",
        source: "google/services/compute/resource_compute_subnetwork.go:219",
        refuse: [
          {
            kind: "enum",
            values: ["INTERVAL_5_SEC", "INTERVAL_30_SEC", "INTERVAL_1_MIN", "INTERVAL_5_MIN", "INTERVAL_10_MIN", "INTERVAL_15_MIN", ""],
          },
          { kind: "at_least_one_of", paths: SUBNETWORK_LOG_CONFIG_KEYS },
        ],
        default: "INTERVAL_5_SEC",
      },
      {
        path: "google_compute_subnetwork.log_config.filter_expr",
        source: "google/services/compute/resource_compute_subnetwork.go:230",
        refuse: [{ kind: "at_least_one_of", paths: SUBNETWORK_LOG_CONFIG_KEYS }],
        default: "true",
        note: NOT_SET,
      },
      {
        path: "google_compute_subnetwork.log_config.flow_sampling",
        source: "google/services/compute/resource_compute_subnetwork.go:239",
        refuse: [{ kind: "at_least_one_of", paths: SUBNETWORK_LOG_CONFIG_KEYS }],
        default: 0.5,
      },
      {
        path: "google_compute_subnetwork.log_config.metadata",
        source: "google/services/compute/resource_compute_subnetwork.go:250",
        refuse: [
          { kind: "enum", values: ["EXCLUDE_ALL_METADATA", "INCLUDE_ALL_METADATA", "CUSTOM_METADATA", ""] },
          { kind: "at_least_one_of", paths: SUBNETWORK_LOG_CONFIG_KEYS },
        ],
        default: "INCLUDE_ALL_METADATA",
      },
      { path: "google_compute_subnetwork.private_ip_google_access", source: "google/services/compute/resource_compute_subnetwork.go:296" },
      {
        path: "google_compute_subnetwork.region",
        source: "google/services/compute/resource_compute_subnetwork.go:322",
        replace: ALWAYS,
        note: "diff suppressed by tpgresource.CompareSelfLinkOrResourceName (not modelled)",
      },
      { path: "google_compute_subnetwork.secondary_ip_range", source: "google/services/compute/resource_compute_subnetwork.go:348" },
      {
        path: "google_compute_subnetwork.secondary_ip_range.range_name",
        source: "google/services/compute/resource_compute_subnetwork.go:362",
        refuse: [GCE_NAME],
      },
      {
        path: "google_compute_subnetwork.secondary_ip_range.ip_cidr_range",
        source: "google/services/compute/resource_compute_subnetwork.go:371",
        refuse: [IP_CIDR_RANGE],
      },
    ],
  },
  {
    type: "google_container_cluster",
    provider: "google",
    source: "google/services/container/resource_container_cluster.go:229",
    // resource_container_cluster.go:2766, containerClusterFullName :7255
    idFormat: "projects/{{project}}/locations/{{location}}/clusters/{{name}}",
    schemaVersion: 2,
    needsProject: true,
    missingProject: PROJECT_AT_APPLY("google/services/container/resource_container_cluster.go:2471"),
    // google/services/container/resource_container_cluster.go:7219
    ...parseImportId([
      "projects/(?P<project>[^/]+)/locations/(?P<location>[^/]+)/clusters/(?P<name>[^/]+)",
      "(?P<project>[^/]+)/(?P<location>[^/]+)/(?P<name>[^/]+)",
      "(?P<location>[^/]+)/(?P<name>[^/]+)",
    ]),
    notModelled: [
      'tpgresource.SetDiffForLabelsWithCustomizedName("resource_labels") (:247): terraform_labels from resource_labels and default_labels, left computed here',
      "customdiff.ForceNewIfChange on enable_l4_ilb_subsetting and enable_fqdn_network_policy when turned on (:239-240, isBeenEnabled :209): the stacks set neither",
      "containerClusterAutopilotCustomizeDiff, containerClusterNodeVersionRemoveDefaultCustomizeDiff (refuses node_version with remove_default_node_pool on create), containerClusterSurgeSettingsCustomizeDiff, containerClusterEnableK8sBetaApisCustomizeDiff, containerClusterNodeVersionCustomizeDiff (:7349-7520): about enable_autopilot, node_version, min_master_version, cluster_autoscaling and enable_k8s_beta_apis, none of which the stacks set",
      "the project is only read by the create (GetProject :2471): a missing project fails the apply, not the plan (no DefaultProviderProject in CustomizeDiff :237)",
    ],
    attributes: [
      {
        path: "google_container_cluster.name",
        source: "google/services/container/resource_container_cluster.go:272",
        replace: ALWAYS,
        refuse: GKE_CLUSTER_NAME,
      },
      { path: "google_container_cluster.location", source: "google/services/container/resource_container_cluster.go:305", replace: ALWAYS },
      { path: "google_container_cluster.deletion_protection", source: "google/services/container/resource_container_cluster.go:321", default: true },
      {
        path: "google_container_cluster.addons_config.ray_operator_config",
        source: "google/services/container/resource_container_cluster.go:559",
        refuse: [
          {
            kind: "at_least_one_of",
            paths: [
              "google_container_cluster.addons_config.http_load_balancing",
              "google_container_cluster.addons_config.horizontal_pod_autoscaling",
              "google_container_cluster.addons_config.network_policy_config",
              "google_container_cluster.addons_config.cloudrun_config",
              "google_container_cluster.addons_config.gcp_filestore_csi_driver_config",
              "google_container_cluster.addons_config.dns_cache_config",
              "google_container_cluster.addons_config.gce_persistent_disk_csi_driver_config",
              "google_container_cluster.addons_config.gke_backup_agent_config",
              "google_container_cluster.addons_config.config_connector_config",
              "google_container_cluster.addons_config.gcs_fuse_csi_driver_config",
              "google_container_cluster.addons_config.stateful_ha_config",
              "google_container_cluster.addons_config.ray_operator_config",
              "google_container_cluster.addons_config.parallelstore_csi_driver_config",
              "google_container_cluster.addons_config.lustre_csi_driver_config",
            ],
          },
        ],
        maxItems: 3,
        note: NOT_SET,
      },
      {
        path: "google_container_cluster.binary_authorization",
        source: "google/services/container/resource_container_cluster.go:909",
        note: "diff suppressed by BinaryAuthorizationDiffSuppress (not modelled)",
      },
      {
        path: "google_container_cluster.binary_authorization.evaluation_mode",
        source: "google/services/container/resource_container_cluster.go:924",
        refuse: [
          { kind: "enum", values: ["DISABLED", "PROJECT_SINGLETON_POLICY_ENFORCE"] },
          { kind: "conflicts_with", paths: ["google_container_cluster.binary_authorization.enabled"] },
        ],
      },
      {
        path: "google_container_cluster.enable_kubernetes_alpha",
        source: "google/services/container/resource_container_cluster.go:936",
        replace: ALWAYS,
        default: false,
        note: NOT_SET,
      },
      { path: "google_container_cluster.enable_legacy_abac", source: "google/services/container/resource_container_cluster.go:968", default: false },
      {
        path: "google_container_cluster.enable_shielded_nodes",
        source: "google/services/container/resource_container_cluster.go:975",
        refuse: [{ kind: "conflicts_with", paths: ["google_container_cluster.enable_autopilot"] }],
        default: true,
      },
      {
        path: "google_container_cluster.initial_node_count",
        source: "google/services/container/resource_container_cluster.go:1014",
        replace: ALWAYS,
      },
      { path: "google_container_cluster.maintenance_policy", source: "google/services/container/resource_container_cluster.go:1050" },
      {
        path: "google_container_cluster.maintenance_policy.recurring_window",
        source: "google/services/container/resource_container_cluster.go:1081",
        refuse: [
          {
            kind: "exactly_one_of",
            paths: [
              "google_container_cluster.maintenance_policy.daily_maintenance_window",
              "google_container_cluster.maintenance_policy.recurring_window",
            ],
          },
        ],
      },
      {
        path: "google_container_cluster.maintenance_policy.recurring_window.start_time",
        source: "google/services/container/resource_container_cluster.go:1092",
        refuse: [RFC3339_DATE],
      },
      {
        path: "google_container_cluster.maintenance_policy.recurring_window.end_time",
        source: "google/services/container/resource_container_cluster.go:1097",
        refuse: [RFC3339_DATE],
      },
      {
        path: "google_container_cluster.maintenance_policy.recurring_window.recurrence",
        source: "google/services/container/resource_container_cluster.go:1102",
        note: "diff suppressed by rfc5545RecurrenceDiffSuppress (not modelled)",
      },
      {
        path: "google_container_cluster.maintenance_policy.maintenance_exclusion",
        source: "google/services/container/resource_container_cluster.go:1110",
        maxItems: 20,
        note: NOT_SET,
      },
      { path: "google_container_cluster.master_auth", source: "google/services/container/resource_container_cluster.go:1334" },
      {
        path: "google_container_cluster.master_auth.client_certificate_config",
        source: "google/services/container/resource_container_cluster.go:1342",
        replace: ALWAYS,
      },
      {
        path: "google_container_cluster.master_auth.client_certificate_config.issue_client_certificate",
        source: "google/services/container/resource_container_cluster.go:1350",
        replace: ALWAYS,
      },
      {
        path: "google_container_cluster.master_auth.client_key",
        source: "google/services/container/resource_container_cluster.go:1366",
        sensitive: true,
        note: NOT_SET,
      },
      { path: "google_container_cluster.master_authorized_networks_config", source: "google/services/container/resource_container_cluster.go:1382" },
      {
        path: "google_container_cluster.network",
        source: "google/services/container/resource_container_cluster.go:1405",
        replace: ALWAYS,
        default: "default",
        note: "diff suppressed by tpgresource.CompareSelfLinkOrResourceName (not modelled)",
      },
      {
        path: "google_container_cluster.subnetwork",
        source: "google/services/container/resource_container_cluster.go:1544",
        replace: ALWAYS,
        note: "diff suppressed by tpgresource.CompareSelfLinkOrResourceName (not modelled)",
      },
      {
        path: "google_container_cluster.ip_allocation_policy",
        source: "google/services/container/resource_container_cluster.go:1577",
        replace: ALWAYS,
        refuse: [{ kind: "conflicts_with", paths: ["google_container_cluster.cluster_ipv4_cidr"] }],
      },
      {
        path: "google_container_cluster.ip_allocation_policy.cluster_secondary_range_name",
        source: "google/services/container/resource_container_cluster.go:1609",
        replace: ALWAYS,
        refuse: [
          {
            kind: "conflicts_with",
            paths: [
              "google_container_cluster.ip_allocation_policy.cluster_ipv4_cidr_block",
              "google_container_cluster.ip_allocation_policy.services_ipv4_cidr_block",
            ],
          },
        ],
      },
      {
        path: "google_container_cluster.ip_allocation_policy.services_secondary_range_name",
        source: "google/services/container/resource_container_cluster.go:1618",
        replace: ALWAYS,
        refuse: [
          {
            kind: "conflicts_with",
            paths: [
              "google_container_cluster.ip_allocation_policy.cluster_ipv4_cidr_block",
              "google_container_cluster.ip_allocation_policy.services_ipv4_cidr_block",
            ],
          },
        ],
      },
      {
        path: "google_container_cluster.ip_allocation_policy.stack_type",
        source: "google/services/container/resource_container_cluster.go:1627",
        refuse: [{ kind: "enum", values: ["IPV4", "IPV4_IPV6"] }],
        default: "IPV4",
        note: NOT_SET,
      },
      {
        path: "google_container_cluster.remove_default_node_pool",
        source: "google/services/container/resource_container_cluster.go:1702",
        refuse: [{ kind: "conflicts_with", paths: ["google_container_cluster.enable_autopilot"] }],
      },
      { path: "google_container_cluster.control_plane_endpoints_config", source: "google/services/container/resource_container_cluster.go:1709" },
      {
        path: "google_container_cluster.control_plane_endpoints_config.dns_endpoint_config",
        source: "google/services/container/resource_container_cluster.go:1717",
      },
      {
        path: "google_container_cluster.control_plane_endpoints_config.dns_endpoint_config.allow_external_traffic",
        source: "google/services/container/resource_container_cluster.go:1731",
      },
      {
        path: "google_container_cluster.private_cluster_config",
        source: "google/services/container/resource_container_cluster.go:1759",
        note: "diff suppressed by containerClusterPrivateClusterConfigSuppress (not modelled)",
      },
      {
        path: "google_container_cluster.private_cluster_config.enable_private_endpoint",
        source: "google/services/container/resource_container_cluster.go:1773",
        refuse: [{ kind: "at_least_one_of", paths: PRIVATE_CLUSTER_CONFIG_KEYS }],
        note: "diff suppressed by containerClusterPrivateClusterConfigSuppress (not modelled)",
      },
      {
        path: "google_container_cluster.private_cluster_config.enable_private_nodes",
        source: "google/services/container/resource_container_cluster.go:1780",
        replace: ALWAYS,
        refuse: [{ kind: "at_least_one_of", paths: PRIVATE_CLUSTER_CONFIG_KEYS }],
        note: "diff suppressed by containerClusterPrivateClusterConfigSuppress (not modelled)",
      },
      {
        path: "google_container_cluster.private_cluster_config.master_ipv4_cidr_block",
        source: "google/services/container/resource_container_cluster.go:1788",
        replace: ALWAYS,
        refuse: [cidrNetwork(28, 28, true), { kind: "at_least_one_of", paths: PRIVATE_CLUSTER_CONFIG_KEYS }],
      },
      { path: "google_container_cluster.resource_labels", source: "google/services/container/resource_container_cluster.go:1841" },
      { path: "google_container_cluster.workload_identity_config", source: "google/services/container/resource_container_cluster.go:1894" },
      {
        path: "google_container_cluster.workload_identity_config.workload_pool",
        source: "google/services/container/resource_container_cluster.go:1905",
      },
      { path: "google_container_cluster.database_encryption", source: "google/services/container/resource_container_cluster.go:1965" },
      {
        path: "google_container_cluster.database_encryption.state",
        source: "google/services/container/resource_container_cluster.go:1973",
        refuse: [{ kind: "enum", values: ["ENCRYPTED", "DECRYPTED"] }],
      },
      { path: "google_container_cluster.database_encryption.key_name", source: "google/services/container/resource_container_cluster.go:1979" },
      // Updated in place: UpdateMonitoringConfig (resource_container_cluster.go:4428); no ForceNew, no validator on these.
      { path: "google_container_cluster.monitoring_config", source: "google/services/container/resource_container_cluster.go:1181" },
      {
        path: "google_container_cluster.monitoring_config.enable_components",
        source: "google/services/container/resource_container_cluster.go:1189",
        note: "the provider sends the list whenever the block is set; the API refuses unknown components (not modelled)",
      },
      { path: "google_container_cluster.monitoring_config.managed_prometheus", source: "google/services/container/resource_container_cluster.go:1198" },
      { path: "google_container_cluster.monitoring_config.managed_prometheus.enabled", source: "google/services/container/resource_container_cluster.go:1206" },
      { path: "google_container_cluster.release_channel", source: "google/services/container/resource_container_cluster.go:1988" },
      {
        path: "google_container_cluster.release_channel.channel",
        source: "google/services/container/resource_container_cluster.go:1996",
        refuse: [{ kind: "enum", values: ["UNSPECIFIED", "RAPID", "REGULAR", "STABLE", "EXTENDED"] }],
      },
      {
        path: "google_container_cluster.datapath_provider",
        source: "google/services/container/resource_container_cluster.go:2052",
        replace: ALWAYS,
        refuse: [{ kind: "enum", values: ["DATAPATH_PROVIDER_UNSPECIFIED", "LEGACY_DATAPATH", "ADVANCED_DATAPATH"] }],
        note: 'diff suppressed by tpgresource.EmptyOrDefaultStringSuppress("DATAPATH_PROVIDER_UNSPECIFIED") (not modelled)',
      },
      {
        path: "google_container_cluster.enable_cilium_clusterwide_network_policy",
        source: "google/services/container/resource_container_cluster.go:2061",
        default: false,
        note: NOT_SET,
      },
      {
        path: "google_container_cluster.enable_intranode_visibility",
        source: "google/services/container/resource_container_cluster.go:2067",
        refuse: [{ kind: "conflicts_with", paths: ["google_container_cluster.enable_autopilot"] }],
      },
      {
        path: "google_container_cluster.enable_l4_ilb_subsetting",
        source: "google/services/container/resource_container_cluster.go:2074",
        default: false,
        note: NOT_SET,
      },
      {
        path: "google_container_cluster.disable_l4_lb_firewall_reconciliation",
        source: "google/services/container/resource_container_cluster.go:2080",
        default: false,
        note: NOT_SET,
      },
      {
        path: "google_container_cluster.enable_multi_networking",
        source: "google/services/container/resource_container_cluster.go:2086",
        default: false,
        note: NOT_SET,
      },
      {
        path: "google_container_cluster.enable_fqdn_network_policy",
        source: "google/services/container/resource_container_cluster.go:2092",
        default: false,
        note: NOT_SET,
      },
      {
        path: "google_container_cluster.node_config.secondary_boot_disks",
        source: "google/services/container/node_config.go:318",
        maxItems: 127,
        note: "not set by the stacks (remove_default_node_pool); the cluster's node_config is schemaNodeConfig() (resource_container_cluster.go:1439), MaxItems :321",
      },
      {
        path: "google_container_cluster.node_pool.node_config.secondary_boot_disks",
        source: "google/services/container/node_config.go:318",
        maxItems: 127,
        note: "not set by the stacks; the cluster's node_pool blocks use schemaNodePool's node_config, MaxItems :321",
      },
      {
        path: "google_container_cluster.master_authorized_networks_config.cidr_blocks",
        source: "google/services/container/resource_container_cluster.go:56",
      },
      {
        path: "google_container_cluster.master_authorized_networks_config.gcp_public_cidrs_access_enabled",
        source: "google/services/container/resource_container_cluster.go:65",
      },
      {
        path: "google_container_cluster.master_authorized_networks_config.cidr_blocks.cidr_block",
        source: "google/services/container/resource_container_cluster.go:81",
        refuse: [cidrNetwork(0, 32)],
      },
      {
        path: "google_container_cluster.master_authorized_networks_config.cidr_blocks.display_name",
        source: "google/services/container/resource_container_cluster.go:87",
      },
    ],
  },
  {
    type: "google_container_node_pool",
    provider: "google",
    source: "google/services/container/resource_container_node_pool.go:40",
    // resource_container_node_pool.go:604
    idFormat: "projects/{{project}}/locations/{{location}}/clusters/{{cluster}}/nodePools/{{name}}",
    schemaVersion: 1,
    needsProject: true,
    missingProject: PROJECT_IN_PLAN("google/services/container/resource_container_node_pool.go:62"),
    // google/services/container/resource_container_node_pool.go:905
    ...parseImportId([
      "projects/(?P<project>[^/]+)/locations/(?P<location>[^/]+)/clusters/(?P<cluster>[^/]+)/nodePools/(?P<name>[^/]+)",
      "(?P<project>[^/]+)/(?P<location>[^/]+)/(?P<cluster>[^/]+)/(?P<name>[^/]+)",
      "(?P<location>[^/]+)/(?P<cluster>[^/]+)/(?P<name>[^/]+)",
    ]),
    notModelled: [
      "resourceNodeConfigEmptyGuestAccelerator (resource_container_cluster.go:2404): about node_config.guest_accelerator, not set by the stacks",
    ],
    attributes: [
      { path: "google_container_node_pool.cluster", source: "google/services/container/resource_container_node_pool.go:78", replace: ALWAYS },
      { path: "google_container_node_pool.location", source: "google/services/container/resource_container_node_pool.go:84", replace: ALWAYS },
      { path: "google_container_node_pool.autoscaling", source: "google/services/container/resource_container_node_pool.go:147" },
      {
        path: "google_container_node_pool.autoscaling.min_node_count",
        source: "google/services/container/resource_container_node_pool.go:154",
        refuse: [{ kind: "range", min: 0 }],
      },
      {
        path: "google_container_node_pool.autoscaling.max_node_count",
        source: "google/services/container/resource_container_node_pool.go:161",
        refuse: [{ kind: "range", min: 0 }],
      },
      {
        path: "google_container_node_pool.autoscaling.total_min_node_count",
        source: "google/services/container/resource_container_node_pool.go:168",
        refuse: [{ kind: "range", min: 0 }],
      },
      {
        path: "google_container_node_pool.autoscaling.total_max_node_count",
        source: "google/services/container/resource_container_node_pool.go:175",
        refuse: [{ kind: "range", min: 0 }],
      },
      {
        path: "google_container_node_pool.autoscaling.location_policy",
        source: "google/services/container/resource_container_node_pool.go:182",
        refuse: [{ kind: "enum", values: ["BALANCED", "ANY"] }],
      },
      { path: "google_container_node_pool.upgrade_settings", source: "google/services/container/resource_container_node_pool.go:255" },
      {
        path: "google_container_node_pool.upgrade_settings.max_surge",
        source: "google/services/container/resource_container_node_pool.go:263",
        refuse: [{ kind: "range", min: 0 }],
      },
      {
        path: "google_container_node_pool.upgrade_settings.max_unavailable",
        source: "google/services/container/resource_container_node_pool.go:271",
        refuse: [{ kind: "range", min: 0 }],
      },
      {
        path: "google_container_node_pool.upgrade_settings.strategy",
        source: "google/services/container/resource_container_node_pool.go:279",
        refuse: [{ kind: "enum", values: ["SURGE", "BLUE_GREEN"] }],
        default: "SURGE",
        note: NOT_SET,
      },
      {
        path: "google_container_node_pool.initial_node_count",
        source: "google/services/container/resource_container_node_pool.go:292",
        replace: ALWAYS,
      },
      { path: "google_container_node_pool.management", source: "google/services/container/resource_container_node_pool.go:314" },
      {
        path: "google_container_node_pool.management.auto_repair",
        source: "google/services/container/resource_container_node_pool.go:322",
        default: true,
      },
      {
        path: "google_container_node_pool.management.auto_upgrade",
        source: "google/services/container/resource_container_node_pool.go:329",
        default: true,
      },
      { path: "google_container_node_pool.name", source: "google/services/container/resource_container_node_pool.go:339", replace: ALWAYS },
      {
        path: "google_container_node_pool.node_config",
        source: "google/services/container/node_config.go:136",
        replace: ALWAYS,
        note: "schemaNodeConfig() (node_pool :355): ForceNew on the block (:141), i.e. adding or removing it; machine_type, disk_size_gb, disk_type, image_type, labels, resource_labels and workload_metadata_config update in place (resource_container_node_pool.go nodePoolUpdate :1430)",
      },
      {
        path: "google_container_node_pool.node_config.disk_size_gb",
        source: "google/services/container/node_config.go:147",
        refuse: [{ kind: "range", min: 10 }],
      },
      { path: "google_container_node_pool.node_config.disk_type", source: "google/services/container/node_config.go:155" },
      {
        path: "google_container_node_pool.node_config.image_type",
        source: "google/services/container/node_config.go:237",
        note: "diff suppressed by tpgresource.CaseDiffSuppress (not modelled)",
      },
      { path: "google_container_node_pool.node_config.labels", source: "google/services/container/node_config.go:245" },
      {
        path: "google_container_node_pool.node_config.resource_labels",
        source: "google/services/container/node_config.go:254",
        note: "diff suppressed by containerNodePoolResourceLabelsDiffSuppress (not modelled)",
      },
      {
        path: "google_container_node_pool.node_config.secondary_boot_disks",
        source: "google/services/container/node_config.go:318",
        replace: ALWAYS,
        maxItems: 127,
        note: NOT_SET,
      },
      { path: "google_container_node_pool.node_config.machine_type", source: "google/services/container/node_config.go:360" },
      { path: "google_container_node_pool.node_config.metadata", source: "google/services/container/node_config.go:367", replace: ALWAYS },
      {
        path: "google_container_node_pool.node_config.oauth_scopes",
        source: "google/services/container/node_config.go:384",
        replace: ALWAYS,
        note: "diff suppressed by containerClusterAddedScopesSuppress (not modelled)",
      },
      {
        path: "google_container_node_pool.node_config.preemptible",
        source: "google/services/container/node_config.go:400",
        replace: ALWAYS,
        default: false,
        note: NOT_SET,
      },
      {
        path: "google_container_node_pool.node_config.spot",
        source: "google/services/container/node_config.go:440",
        replace: ALWAYS,
        default: false,
        note: NOT_SET,
      },
      { path: "google_container_node_pool.node_config.service_account", source: "google/services/container/node_config.go:448", replace: ALWAYS },
      {
        path: "google_container_node_pool.node_config.shielded_instance_config",
        source: "google/services/container/node_config.go:470",
        replace: ALWAYS,
      },
      {
        path: "google_container_node_pool.node_config.shielded_instance_config.enable_secure_boot",
        source: "google/services/container/node_config.go:479",
        replace: ALWAYS,
        default: false,
      },
      {
        path: "google_container_node_pool.node_config.shielded_instance_config.enable_integrity_monitoring",
        source: "google/services/container/node_config.go:486",
        replace: ALWAYS,
        default: true,
      },
      { path: "google_container_node_pool.node_config.workload_metadata_config", source: "google/services/container/node_config.go:548" },
      {
        path: "google_container_node_pool.node_config.workload_metadata_config.mode",
        source: "google/services/container/node_config.go:556",
        refuse: [{ kind: "enum", values: ["MODE_UNSPECIFIED", "GCE_METADATA", "GKE_METADATA"] }],
      },
    ],
  },
  {
    type: "google_dns_record_set",
    provider: "google",
    source: "google/services/dns/resource_dns_record_set.go:103",
    // resource_dns_record_set.go:422
    idFormat: "projects/{{project}}/managedZones/{{managed_zone}}/rrsets/{{name}}/{{type}}",
    needsProject: true,
    missingProject: PROJECT_IN_PLAN("google/services/dns/resource_dns_record_set.go:114"),
    // google/services/dns/resource_dns_record_set.go:666
    ...parseImportId([
      "projects/(?P<project>[^/]+)/managedZones/(?P<managed_zone>[^/]+)/rrsets/(?P<name>[^/]+)/(?P<type>[^/]+)",
      "(?P<project>[^/]+)/(?P<managed_zone>[^/]+)/(?P<name>[^/]+)/(?P<type>[^/]+)",
      "(?P<managed_zone>[^/]+)/(?P<name>[^/]+)/(?P<type>[^/]+)",
    ]),
    attributes: [
      {
        path: "google_dns_record_set.managed_zone",
        source: "google/services/dns/resource_dns_record_set.go:118",
        replace: ALWAYS,
        note: "diff suppressed by tpgresource.CompareSelfLinkOrResourceName (not modelled)",
      },
      {
        path: "google_dns_record_set.name",
        source: "google/services/dns/resource_dns_record_set.go:126",
        replace: ALWAYS,
        refuse: [DNS_NAME_TRAILING_DOT],
      },
      {
        path: "google_dns_record_set.rrdatas",
        source: "google/services/dns/resource_dns_record_set.go:134",
        refuse: [{ kind: "exactly_one_of", paths: ["google_dns_record_set.rrdatas", "google_dns_record_set.routing_policy"] }],
        note: "diff suppressed by rrdatasDnsDiffSuppress (not modelled)",
      },
      { path: "google_dns_record_set.ttl", source: "google/services/dns/resource_dns_record_set.go:241" },
      { path: "google_dns_record_set.type", source: "google/services/dns/resource_dns_record_set.go:247" },
    ],
  },
  {
    type: "google_kms_crypto_key",
    provider: "google",
    source: "google/services/kms/resource_kms_crypto_key.go:40",
    // resource_kms_crypto_key.go:296
    idFormat: "{{key_ring}}/cryptoKeys/{{name}}",
    schemaVersion: 1,
    // resourceKMSCryptoKeyImport (:517) through ParseKmsCryptoKeyId (google/services/kms/kms_utils.go:181).
    importIds: [
      "{{project}}/{{location}}/{{key_ring_name}}/{{name}}",
      "{{location}}/{{key_ring_name}}/{{name}}",
      "projects/{{project}}/locations/{{location}}/keyRings/{{key_ring_name}}/cryptoKeys/{{name}}",
    ],
    importFormats: [
      `^(?P<project>${PROJECT_REGEX})/(?P<location>[a-z0-9-]+)/(?P<key_ring_name>[a-zA-Z0-9_-]{1,63})/(?P<name>[a-zA-Z0-9_-]{1,63})$`,
      "^(?P<location>[a-z0-9-]+)/(?P<key_ring_name>[a-zA-Z0-9_-]{1,63})/(?P<name>[a-zA-Z0-9_-]{1,63})$",
      `^(?P<key_ring>projects/(?P<project>${PROJECT_REGEX})/locations/(?P<location>[a-z0-9-]+)/keyRings/(?P<key_ring_name>[a-zA-Z0-9_-]{1,63}))/cryptoKeys/(?P<name>[a-zA-Z0-9_-]{1,63})$`,
    ],
    importRefusal:
      "Invalid CryptoKey id format, expecting `{projectId}/{locationId}/{KeyringName}/{cryptoKeyName}` or `{locationId}/{keyRingName}/{cryptoKeyName}, got id: {id}`",
    notModelled: [
      "no project attribute: the project is part of key_ring, so a missing project cannot happen for this type",
      "tpgresource.SetLabelsDiff (:66) computes terraform_labels/effective_labels from labels and the provider's default_labels in the plan; the stacks set no key labels, and the stand-ins leave them computed",
    ],
    attributes: [
      {
        path: "google_kms_crypto_key.key_ring",
        source: "google/services/kms/resource_kms_crypto_key.go:71",
        replace: ALWAYS,
        note: "diff suppressed by kmsCryptoKeyRingsEquivalent (not modelled)",
      },
      { path: "google_kms_crypto_key.name", source: "google/services/kms/resource_kms_crypto_key.go:79", replace: ALWAYS },
      {
        path: "google_kms_crypto_key.purpose",
        source: "google/services/kms/resource_kms_crypto_key.go:118",
        replace: ALWAYS,
        default: "ENCRYPT_DECRYPT",
      },
      {
        path: "google_kms_crypto_key.rotation_period",
        source: "google/services/kms/resource_kms_crypto_key.go:128",
        refuse: [{ ...KMS_ROTATION_PERIOD, exceptEmpty: true }],
      },
    ],
  },
  {
    type: "google_kms_crypto_key_iam_member",
    provider: "google",
    source: "google/provider/provider_mmv1_resources.go:1625",
    // tpgiamresource/resource_iam_member.go:244, KmsCryptoKeyIamUpdater.GetResourceId kms/iam_kms_crypto_key.go:116
    idFormat: "{{crypto_key_id}}/{{role}}/{{member}}",
    // tpgiamresource iamMemberImport (google/tpgiamresource/resource_iam_member.go:106): "<resource> <role> <member>
    // [condition title]", split on white space; crypto_key_id (:136, CryptoIdParseFunc, google/services/kms/iam_kms_crypto_key.go:60, reads the key id as ParseKmsCryptoKeyId does).
    importIds: ["{{crypto_key_id}} {{role}} {{member}}"],
    importFormats: ["^\\s*(?P<crypto_key_id>\\S+)\\s+(?P<role>\\S+)\\s+(?P<member>\\S+)"],
    importRefusal: "Wrong number of parts to Member id [{id}]; expected 'resource_name role member [condition_title]'.",
    notModelled: ["no project attribute: the project is part of crypto_key_id"],
    attributes: [
      { path: "google_kms_crypto_key_iam_member.role", source: "google/tpgiamresource/resource_iam_member.go:63", replace: ALWAYS },
      {
        path: "google_kms_crypto_key_iam_member.member",
        source: "google/tpgiamresource/resource_iam_member.go:68",
        replace: ALWAYS,
        refuse: IAM_MEMBER,
        note: "diff suppressed by iamMemberCaseDiffSuppress (not modelled)",
      },
      { path: "google_kms_crypto_key_iam_member.crypto_key_id", source: "google/services/kms/iam_kms_crypto_key.go:32", replace: ALWAYS },
    ],
  },
  {
    type: "google_project_iam_member",
    provider: "google",
    source: "google/provider/provider_mmv1_resources.go:1645",
    // tpgiamresource/resource_iam_member.go:244, ProjectIamUpdater.GetResourceId resourcemanager/iam_project.go:103
    idFormat: "{{project}}/{{role}}/{{member}}",
    // tpgiamresource iamMemberImport (google/tpgiamresource/resource_iam_member.go:106): "<resource> <role> <member>
    // [condition title]", split on white space; project (:136, ProjectIdParseFunc, google/services/resourcemanager/iam_project.go:53).
    importIds: ["{{project}} {{role}} {{member}}"],
    importFormats: ["^\\s*(?P<project>\\S+)\\s+(?P<role>\\S+)\\s+(?P<member>\\S+)"],
    importRefusal: "Wrong number of parts to Member id [{id}]; expected 'resource_name role member [condition_title]'.",
    notModelled: ["project is Required here (iam_project.go:33), so Terraform itself refuses a missing one; the provider's project is not used"],
    attributes: [
      { path: "google_project_iam_member.role", source: "google/tpgiamresource/resource_iam_member.go:63", replace: ALWAYS },
      {
        path: "google_project_iam_member.member",
        source: "google/tpgiamresource/resource_iam_member.go:68",
        replace: ALWAYS,
        refuse: IAM_MEMBER,
        note: "diff suppressed by iamMemberCaseDiffSuppress (not modelled)",
      },
      {
        path: "google_project_iam_member.project",
        source: "google/services/resourcemanager/iam_project.go:31",
        replace: ALWAYS,
        note: "diff suppressed by CompareProjectName (not modelled)",
      },
    ],
  },
  {
    type: "google_service_account_iam_member",
    provider: "google",
    source: "google/provider/provider_mmv1_resources.go:1651",
    // tpgiamresource/resource_iam_member.go:244, ServiceAccountIamUpdater.GetResourceId resourcemanager/iam_service_account.go:105
    idFormat: "{{service_account_id}}/{{role}}/{{member}}",
    // tpgiamresource iamMemberImport (google/tpgiamresource/resource_iam_member.go:106): "<resource> <role> <member>
    // [condition title]", split on white space; service_account_id (:136, ServiceAccountIdParseFunc, google/services/resourcemanager/iam_service_account.go:56).
    importIds: ["{{service_account_id}} {{role}} {{member}}"],
    importFormats: ["^\\s*(?P<service_account_id>\\S+)\\s+(?P<role>\\S+)\\s+(?P<member>\\S+)"],
    importRefusal: "Wrong number of parts to Member id [{id}]; expected 'resource_name role member [condition_title]'.",
    notModelled: ["no project attribute: the project is part of service_account_id"],
    attributes: [
      { path: "google_service_account_iam_member.role", source: "google/tpgiamresource/resource_iam_member.go:63", replace: ALWAYS },
      {
        path: "google_service_account_iam_member.member",
        source: "google/tpgiamresource/resource_iam_member.go:68",
        replace: ALWAYS,
        refuse: IAM_MEMBER,
        note: "diff suppressed by iamMemberCaseDiffSuppress (not modelled)",
      },
      {
        path: "google_service_account_iam_member.service_account_id",
        source: "google/services/resourcemanager/iam_service_account.go:34",
        replace: ALWAYS,
        refuse: [validateRegexp(SERVICE_ACCOUNT_LINK_REGEX)],
      },
    ],
  },
  {
    type: "google_kms_key_ring",
    provider: "google",
    source: "google/services/kms/resource_kms_key_ring.go:36",
    // resource_kms_key_ring.go:141
    idFormat: "projects/{{project}}/locations/{{location}}/keyRings/{{name}}",
    needsProject: true,
    missingProject: PROJECT_IN_PLAN("google/services/kms/resource_kms_key_ring.go:52"),
    // google/services/kms/resource_kms_key_ring.go:224
    ...parseImportId([
      "^projects/(?P<project>[^/]+)/locations/(?P<location>[^/]+)/keyRings/(?P<name>[^/]+)$",
      "^(?P<project>[^/]+)/(?P<location>[^/]+)/(?P<name>[^/]+)$",
      "^(?P<location>[^/]+)/(?P<name>[^/]+)$",
    ]),
    attributes: [
      { path: "google_kms_key_ring.location", source: "google/services/kms/resource_kms_key_ring.go:56", replace: ALWAYS },
      { path: "google_kms_key_ring.name", source: "google/services/kms/resource_kms_key_ring.go:63", replace: ALWAYS },
    ],
  },
  {
    type: "google_logging_metric",
    provider: "google",
    source: "google/services/logging/resource_logging_metric.go:37",
    // resource_logging_metric.go:392
    idFormat: "{{name}}",
    needsProject: true,
    missingProject: PROJECT_IN_PLAN("google/services/logging/resource_logging_metric.go:55"),
    // google/services/logging/resource_logging_metric.go:647
    ...parseImportId(["(?P<project>[^ ]+) (?P<name>[^ ]+)", "(?P<name>[^ ]+)"]),
    attributes: [
      { path: "google_logging_metric.filter", source: "google/services/logging/resource_logging_metric.go:59" },
      { path: "google_logging_metric.name", source: "google/services/logging/resource_logging_metric.go:65" },
      { path: "google_logging_metric.description", source: "google/services/logging/resource_logging_metric.go:164" },
      { path: "google_logging_metric.metric_descriptor", source: "google/services/logging/resource_logging_metric.go:184" },
      {
        path: "google_logging_metric.metric_descriptor.metric_kind",
        source: "google/services/logging/resource_logging_metric.go:195",
        refuse: [{ kind: "enum", values: ["DELTA", "GAUGE", "CUMULATIVE"] }],
      },
      {
        path: "google_logging_metric.metric_descriptor.value_type",
        source: "google/services/logging/resource_logging_metric.go:203",
        refuse: [{ kind: "enum", values: ["BOOL", "INT64", "DOUBLE", "STRING", "DISTRIBUTION", "MONEY"] }],
      },
      { path: "google_logging_metric.metric_descriptor.unit", source: "google/services/logging/resource_logging_metric.go:228", default: "1" },
    ],
  },
  {
    type: "google_monitoring_alert_policy",
    provider: "google",
    source: "google/services/monitoring/resource_monitoring_alert_policy.go:43",
    // resource_monitoring_alert_policy.go:1342 (name is the API's projects/<p>/alertPolicies/<n>)
    idFormat: "{{name}}",
    needsProject: true,
    missingProject: PROJECT_IN_PLAN("google/services/monitoring/resource_monitoring_alert_policy.go:61"),
    // google/services/monitoring/resource_monitoring_alert_policy.go:1656
    ...parseImportId(["(?P<project>[^ ]+) (?P<name>[^ ]+)", "(?P<name>[^ ]+)"]),
    attributes: [
      {
        path: "google_monitoring_alert_policy.combiner",
        source: "google/services/monitoring/resource_monitoring_alert_policy.go:65",
        refuse: [{ kind: "enum", values: ["AND", "OR", "AND_WITH_MATCHING_RESOURCE"] }],
      },
      { path: "google_monitoring_alert_policy.conditions", source: "google/services/monitoring/resource_monitoring_alert_policy.go:72" },
      { path: "google_monitoring_alert_policy.conditions.display_name", source: "google/services/monitoring/resource_monitoring_alert_policy.go:81" },
      {
        path: "google_monitoring_alert_policy.conditions.condition_matched_log",
        source: "google/services/monitoring/resource_monitoring_alert_policy.go:267",
      },
      {
        path: "google_monitoring_alert_policy.conditions.condition_matched_log.filter",
        source: "google/services/monitoring/resource_monitoring_alert_policy.go:275",
      },
      {
        path: "google_monitoring_alert_policy.conditions.condition_prometheus_query_language",
        source: "google/services/monitoring/resource_monitoring_alert_policy.go:368",
      },
      {
        path: "google_monitoring_alert_policy.conditions.condition_prometheus_query_language.query",
        source: "google/services/monitoring/resource_monitoring_alert_policy.go:379",
      },
      {
        path: "google_monitoring_alert_policy.conditions.condition_prometheus_query_language.disable_metric_validation",
        source: "google/services/monitoring/resource_monitoring_alert_policy.go:401",
      },
      {
        path: "google_monitoring_alert_policy.conditions.condition_prometheus_query_language.duration",
        source: "google/services/monitoring/resource_monitoring_alert_policy.go:413",
      },
      {
        path: "google_monitoring_alert_policy.conditions.condition_prometheus_query_language.evaluation_interval",
        source: "google/services/monitoring/resource_monitoring_alert_policy.go:421",
      },
      { path: "google_monitoring_alert_policy.display_name", source: "google/services/monitoring/resource_monitoring_alert_policy.go:1018" },
      { path: "google_monitoring_alert_policy.alert_strategy", source: "google/services/monitoring/resource_monitoring_alert_policy.go:1026" },
      {
        path: "google_monitoring_alert_policy.alert_strategy.auto_close",
        source: "google/services/monitoring/resource_monitoring_alert_policy.go:1033",
      },
      {
        path: "google_monitoring_alert_policy.alert_strategy.notification_rate_limit",
        source: "google/services/monitoring/resource_monitoring_alert_policy.go:1073",
      },
      {
        path: "google_monitoring_alert_policy.alert_strategy.notification_rate_limit.period",
        source: "google/services/monitoring/resource_monitoring_alert_policy.go:1081",
      },
      { path: "google_monitoring_alert_policy.documentation", source: "google/services/monitoring/resource_monitoring_alert_policy.go:1093" },
      {
        path: "google_monitoring_alert_policy.documentation.content",
        source: "google/services/monitoring/resource_monitoring_alert_policy.go:1104",
        refuse: [{ kind: "at_least_one_of", paths: ALERT_DOCUMENTATION_KEYS }],
      },
      {
        path: "google_monitoring_alert_policy.documentation.mime_type",
        source: "google/services/monitoring/resource_monitoring_alert_policy.go:1133",
        refuse: [{ kind: "at_least_one_of", paths: ALERT_DOCUMENTATION_KEYS }],
        default: "text/markdown",
      },
      {
        path: "google_monitoring_alert_policy.enabled",
        source: "google/services/monitoring/resource_monitoring_alert_policy.go:1153",
        default: true,
        note: NOT_SET,
      },
      { path: "google_monitoring_alert_policy.notification_channels", source: "google/services/monitoring/resource_monitoring_alert_policy.go:1159" },
      {
        path: "google_monitoring_alert_policy.severity",
        source: "google/services/monitoring/resource_monitoring_alert_policy.go:1173",
        refuse: [{ kind: "enum", values: ["CRITICAL", "ERROR", "WARNING", ""] }],
      },
    ],
  },
  {
    type: "google_project_service",
    provider: "google",
    source: "google/services/resourcemanager/resource_google_project_service.go:90",
    // resource_google_project_service.go:166
    idFormat: "{{project}}/{{service}}",
    needsProject: true,
    missingProject: PROJECT_IN_PLAN("google/services/resourcemanager/resource_google_project_service.go:109"),
    // resourceGoogleProjectServiceImport (:142): strings.Split(id, "/") must give two parts.
    importIds: ["{{project}}/{{service}}"],
    importFormats: ["^(?P<project>[^/]*)/(?P<service>[^/]*)$"],
    importRefusal: "Invalid google_project_service id format for import, expecting `{project}/{service}`, found {id}",
    attributes: [
      {
        path: "google_project_service.service",
        source: "google/services/resourcemanager/resource_google_project_service.go:113",
        replace: ALWAYS,
        refuse: PROJECT_SERVICE,
      },
      { path: "google_project_service.disable_dependent_services", source: "google/services/resourcemanager/resource_google_project_service.go:127" },
      {
        path: "google_project_service.disable_on_destroy",
        source: "google/services/resourcemanager/resource_google_project_service.go:132",
        default: true,
      },
    ],
  },
  {
    type: "google_project_service_identity",
    provider: "google-beta",
    source: "google-beta/services/resourcemanager/resource_project_service_identity.go:32",
    // google-beta resource_project_service_identity.go:120
    idFormat: "projects/{{project}}/services/{{service}}",
    needsProject: true,
    missingProject: PROJECT_IN_PLAN("google-beta/services/resourcemanager/resource_project_service_identity.go:45"),
    notModelled: ["no importer (the resource has no Importer at the tag)"],
    attributes: [
      {
        path: "google_project_service_identity.service",
        source: "google-beta/services/resourcemanager/resource_project_service_identity.go:49",
        replace: ALWAYS,
      },
    ],
  },
  {
    type: "google_redis_instance",
    provider: "google",
    source: "google/services/redis/resource_redis_instance.go:80",
    // resource_redis_instance.go:773
    idFormat: "projects/{{project}}/locations/{{region}}/instances/{{name}}",
    needsProject: true,
    missingProject: PROJECT_IN_PLAN("google/services/redis/resource_redis_instance.go:99"),
    // google/services/redis/resource_redis_instance.go:1249
    ...parseImportId([
      "^projects/(?P<project>[^/]+)/locations/(?P<region>[^/]+)/instances/(?P<name>[^/]+)$",
      "^(?P<project>[^/]+)/(?P<region>[^/]+)/(?P<name>[^/]+)$",
      "^(?P<region>[^/]+)/(?P<name>[^/]+)$",
      "^(?P<name>[^/]+)$",
    ]),
    notModelled: [
      "tpgresource.SetLabelsDiff computes terraform_labels and effective_labels from labels and the provider's default_labels in the plan; the stand-ins leave them computed (known after apply), which changes no replacement or refusal",
    ],
    attributes: [
      { path: "google_redis_instance.memory_size_gb", source: "google/services/redis/resource_redis_instance.go:104" },
      {
        path: "google_redis_instance.name",
        source: "google/services/redis/resource_redis_instance.go:109",
        replace: ALWAYS,
        refuse: [validateRegexp("^[a-z][a-z0-9-]{0,39}[a-z0-9]$")],
      },
      { path: "google_redis_instance.auth_enabled", source: "google/services/redis/resource_redis_instance.go:126", default: false },
      {
        path: "google_redis_instance.authorized_network",
        source: "google/services/redis/resource_redis_instance.go:134",
        replace: ALWAYS,
        note: "diff suppressed by tpgresource.CompareSelfLinkOrResourceName (not modelled)",
      },
      {
        path: "google_redis_instance.connect_mode",
        source: "google/services/redis/resource_redis_instance.go:144",
        replace: ALWAYS,
        refuse: [{ kind: "enum", values: ["DIRECT_PEERING", "PRIVATE_SERVICE_ACCESS", ""] }],
        default: "DIRECT_PEERING",
      },
      { path: "google_redis_instance.customer_managed_key", source: "google/services/redis/resource_redis_instance.go:152", replace: ALWAYS },
      { path: "google_redis_instance.labels", source: "google/services/redis/resource_redis_instance.go:164" },
      { path: "google_redis_instance.maintenance_policy", source: "google/services/redis/resource_redis_instance.go:184" },
      { path: "google_redis_instance.maintenance_policy.weekly_maintenance_window", source: "google/services/redis/resource_redis_instance.go:198" },
      {
        path: "google_redis_instance.maintenance_policy.weekly_maintenance_window.day",
        source: "google/services/redis/resource_redis_instance.go:206",
        refuse: [{ kind: "enum", values: ["DAY_OF_WEEK_UNSPECIFIED", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"] }],
      },
      {
        path: "google_redis_instance.maintenance_policy.weekly_maintenance_window.start_time",
        source: "google/services/redis/resource_redis_instance.go:221",
      },
      {
        path: "google_redis_instance.maintenance_policy.weekly_maintenance_window.start_time.hours",
        source: "google/services/redis/resource_redis_instance.go:228",
        refuse: [{ kind: "range", min: 0, max: 23 }],
      },
      {
        path: "google_redis_instance.maintenance_policy.weekly_maintenance_window.start_time.minutes",
        source: "google/services/redis/resource_redis_instance.go:235",
        refuse: [{ kind: "range", min: 0, max: 59 }],
      },
      { path: "google_redis_instance.persistence_config", source: "google/services/redis/resource_redis_instance.go:291" },
      {
        path: "google_redis_instance.persistence_config.persistence_mode",
        source: "google/services/redis/resource_redis_instance.go:299",
        refuse: [{ kind: "enum", values: ["DISABLED", "RDB"] }],
      },
      {
        path: "google_redis_instance.persistence_config.rdb_snapshot_period",
        source: "google/services/redis/resource_redis_instance.go:309",
        refuse: [{ kind: "enum", values: ["ONE_HOUR", "SIX_HOURS", "TWELVE_HOURS", "TWENTY_FOUR_HOURS", ""] }],
      },
      {
        path: "google_redis_instance.redis_version",
        source: "google/services/redis/resource_redis_instance.go:362",
        replace: { kind: "conditional", rule: "redis-version-decrease" },
        note: 'customdiff.ForceNewIfChange("redis_version", isRedisVersionDecreasing) (:98, :43): a lower REDIS_x_y replaces, an upgrade updates',
      },
      { path: "google_redis_instance.region", source: "google/services/redis/resource_redis_instance.go:370", replace: ALWAYS },
      {
        path: "google_redis_instance.tier",
        source: "google/services/redis/resource_redis_instance.go:407",
        replace: ALWAYS,
        refuse: [{ kind: "enum", values: ["BASIC", "STANDARD_HA", ""] }],
        default: "BASIC",
      },
      {
        path: "google_redis_instance.transit_encryption_mode",
        source: "google/services/redis/resource_redis_instance.go:418",
        replace: ALWAYS,
        refuse: [{ kind: "enum", values: ["SERVER_AUTHENTICATION", "DISABLED", ""] }],
        default: "DISABLED",
      },
      { path: "google_redis_instance.auth_string", source: "google/services/redis/resource_redis_instance.go:581", sensitive: true, note: NOT_SET },
    ],
  },
  {
    type: "google_secret_manager_secret",
    provider: "google",
    source: "google/services/secretmanager/resource_secret_manager_secret.go:64",
    // resource_secret_manager_secret.go:463
    idFormat: "projects/{{project}}/secrets/{{secret_id}}",
    needsProject: true,
    missingProject: PROJECT_IN_PLAN("google/services/secretmanager/resource_secret_manager_secret.go:85"),
    // google/services/secretmanager/resource_secret_manager_secret.go:782
    ...parseImportId([
      "^projects/(?P<project>[^/]+)/secrets/(?P<secret_id>[^/]+)$",
      "^(?P<project>[^/]+)/(?P<secret_id>[^/]+)$",
      "^(?P<secret_id>[^/]+)$",
    ]),
    notModelled: [
      "tpgresource.SetLabelsDiff computes terraform_labels and effective_labels from labels and the provider's default_labels in the plan; the stand-ins leave them computed (known after apply), which changes no replacement or refusal",
      "secretManagerSecretAutoCustomizeDiff (:39) and SetAnnotationsDiff: replication.auto's customer-managed key and annotations, which the stacks do not set",
    ],
    attributes: [
      {
        path: "google_secret_manager_secret.replication",
        source: "google/services/secretmanager/resource_secret_manager_secret.go:89",
        replace: ALWAYS,
      },
      {
        path: "google_secret_manager_secret.replication.auto",
        source: "google/services/secretmanager/resource_secret_manager_secret.go:98",
        replace: ALWAYS,
        refuse: [
          {
            kind: "exactly_one_of",
            paths: ["google_secret_manager_secret.replication.user_managed", "google_secret_manager_secret.replication.auto"],
          },
        ],
      },
      {
        path: "google_secret_manager_secret.secret_id",
        source: "google/services/secretmanager/resource_secret_manager_secret.go:174",
        replace: ALWAYS,
      },
      { path: "google_secret_manager_secret.labels", source: "google/services/secretmanager/resource_secret_manager_secret.go:211" },
      {
        path: "google_secret_manager_secret.deletion_protection",
        source: "google/services/secretmanager/resource_secret_manager_secret.go:340",
        default: false,
      },
    ],
  },
  {
    type: "google_secret_manager_secret_version",
    provider: "google",
    source: "google/services/secretmanager/resource_secret_manager_secret_version.go:75",
    // resource_secret_manager_secret_version.go:230 (name is the API's <secret>/versions/<n>)
    idFormat: "{{name}}",
    // resourceSecretManagerSecretVersionImport (:409): ParseImportId("(?P<name>.+)"), then the name must be
    // projects/{{project}}/secrets/{{secret}}/versions/{{version}} (:418, :422).
    importIds: ["projects/{{project}}/secrets/{{secret}}/versions/{{version}}"],
    importFormats: ["^(?P<name>(?P<secret>projects/.+/secrets/.+)/versions/(?P<version>.+))$"],
    importRefusal: "Version name does not fit the format `projects/{{project}}/secrets/{{secret}}/versions/{{version}}`",
    notModelled: ["no project attribute: the project is part of secret (a secret's id)"],
    attributes: [
      {
        path: "google_secret_manager_secret_version.secret_data_wo_version",
        source: "google/services/secretmanager/resource_secret_manager_secret_version.go:93",
        replace: ALWAYS,
        default: 0,
      },
      {
        path: "google_secret_manager_secret_version.secret_data",
        source: "google/services/secretmanager/resource_secret_manager_secret_version.go:100",
        replace: ALWAYS,
        sensitive: true,
        note: NOT_SET,
      },
      {
        path: "google_secret_manager_secret_version.secret_data_wo",
        source: "google/services/secretmanager/resource_secret_manager_secret_version.go:108",
        refuse: [{ kind: "conflicts_with", paths: ["google_secret_manager_secret_version.secret_data"] }],
        writeOnly: true,
      },
      {
        path: "google_secret_manager_secret_version.secret",
        source: "google/services/secretmanager/resource_secret_manager_secret_version.go:117",
        replace: ALWAYS,
        note: "diff suppressed by tpgresource.CompareSelfLinkOrResourceName (not modelled)",
      },
      {
        path: "google_secret_manager_secret_version.enabled",
        source: "google/services/secretmanager/resource_secret_manager_secret_version.go:124",
        default: true,
        note: NOT_SET,
      },
      {
        path: "google_secret_manager_secret_version.deletion_policy",
        source: "google/services/secretmanager/resource_secret_manager_secret_version.go:151",
        default: "DELETE",
      },
      {
        path: "google_secret_manager_secret_version.is_secret_data_base64",
        source: "google/services/secretmanager/resource_secret_manager_secret_version.go:162",
        replace: ALWAYS,
        default: false,
        note: NOT_SET,
      },
    ],
  },
  {
    type: "google_service_account",
    provider: "google",
    source: "google/services/resourcemanager/resource_google_service_account.go:37",
    // resource_google_service_account.go:171 (sa.Name)
    idFormat: "projects/{{project}}/serviceAccounts/{{email}}",
    needsProject: true,
    missingProject: PROJECT_IN_PLAN("google/services/resourcemanager/resource_google_service_account.go:50"),
    // google/services/resourcemanager/resource_google_service_account.go:339
    ...parseImportId(["projects/(?P<project>[^/]+)/serviceAccounts/(?P<email>[^/]+)", "(?P<project>[^/]+)/(?P<email>[^/]+)", "(?P<email>[^/]+)"]),
    notModelled: [
      "resourceServiceAccountCustomDiff (:377, ResourceServiceAccountCustomDiffFunc :356) plans email as <account_id>@<project>.iam.gserviceaccount.com on create; the stand-ins leave it known after apply, which is the same value after apply",
    ],
    attributes: [
      {
        path: "google_service_account.account_id",
        source: "google/services/resourcemanager/resource_google_service_account.go:69",
        replace: ALWAYS,
        refuse: [...rfc1035Name(6, 30)],
      },
      { path: "google_service_account.display_name", source: "google/services/resourcemanager/resource_google_service_account.go:76" },
      {
        path: "google_service_account.disabled",
        source: "google/services/resourcemanager/resource_google_service_account.go:81",
        default: false,
        note: NOT_SET,
      },
    ],
  },
  {
    type: "google_service_networking_connection",
    provider: "google",
    source: "google/services/servicenetworking/resource_service_networking_connection.go:36",
    // resource_service_networking_connection.go:164, connectionId.Id :367
    idFormat: "{{network|urlquery}}:{{service|urlquery}}",
    // resourceServiceNetworkingConnectionImportState (:345) through parseConnectionId: "<network>:<service>",
    // both URL-encoded.
    importIds: ["{{network}}:{{service}}"],
    importFormats: ["^(?P<network>[^:]*):(?P<service>[^:]*)$"],
    importRefusal: "Failed to parse service networking connection id, value: {id}",
    notModelled: ["no project attribute: the project is part of network"],
    attributes: [
      {
        path: "google_service_networking_connection.network",
        source: "google/services/servicenetworking/resource_service_networking_connection.go:53",
        replace: ALWAYS,
        note: "diff suppressed by tpgresource.CompareSelfLinkOrResourceName (not modelled)",
      },
      {
        path: "google_service_networking_connection.service",
        source: "google/services/servicenetworking/resource_service_networking_connection.go:66",
        replace: ALWAYS,
      },
      {
        path: "google_service_networking_connection.reserved_peering_ranges",
        source: "google/services/servicenetworking/resource_service_networking_connection.go:72",
      },
      {
        path: "google_service_networking_connection.deletion_policy",
        source: "google/services/servicenetworking/resource_service_networking_connection.go:78",
        refuse: [{ kind: "enum", values: ["ABANDON", ""] }],
      },
    ],
  },
  {
    type: "google_sql_database",
    provider: "google",
    source: "google/services/sql/resource_sql_database.go:36",
    // resource_sql_database.go:192
    idFormat: "projects/{{project}}/instances/{{instance}}/databases/{{name}}",
    needsProject: true,
    missingProject: PROJECT_IN_PLAN("google/services/sql/resource_sql_database.go:54"),
    // google/services/sql/resource_sql_database.go:447
    ...parseImportId([
      "^projects/(?P<project>[^/]+)/instances/(?P<instance>[^/]+)/databases/(?P<name>[^/]+)$",
      "^instances/(?P<instance>[^/]+)/databases/(?P<name>[^/]+)$",
      "^(?P<project>[^/]+)/(?P<instance>[^/]+)/(?P<name>[^/]+)$",
      "^(?P<instance>[^/]+)/(?P<name>[^/]+)$",
    ]),
    attributes: [
      { path: "google_sql_database.instance", source: "google/services/sql/resource_sql_database.go:58", replace: ALWAYS },
      { path: "google_sql_database.name", source: "google/services/sql/resource_sql_database.go:65", replace: ALWAYS },
      {
        path: "google_sql_database.charset",
        source: "google/services/sql/resource_sql_database.go:72",
        note: "diff suppressed by tpgresource.CaseDiffSuppress (not modelled)",
      },
      { path: "google_sql_database.collation", source: "google/services/sql/resource_sql_database.go:83" },
      { path: "google_sql_database.deletion_policy", source: "google/services/sql/resource_sql_database.go:93", default: "DELETE" },
    ],
  },
  {
    type: "google_sql_database_instance",
    provider: "google",
    source: "google/services/sql/resource_sql_database_instance.go:146",
    // resource_sql_database_instance.go:1947 (the read sets instance.Name; the create's projects/{{project}}/instances/{{name}} at :1333 does not survive it)
    idFormat: "{{name}}",
    needsProject: true,
    missingProject: PROJECT_IN_PLAN("google/services/sql/resource_sql_database_instance.go:163"),
    // google/services/sql/resource_sql_database_instance.go:2366
    ...parseImportId(["projects/(?P<project>[^/]+)/instances/(?P<name>[^/]+)", "(?P<project>[^/]+)/(?P<name>[^/]+)", "(?P<name>[^/]+)"]),
    notModelled: [
      "customdiff.ForceNewIf on master_instance_name and replica_configuration.0.cascadable_replica, IfValueChange on instance_type (:165-172): replicas and promotion, which the stacks do not configure",
      'pitrSupportDbCustomizeDiff (:1209) refuses point_in_time_recovery_enabled on MySQL ("point_in_time_recovery_enabled is only available for the following [POSTGRES SQLSERVER]..."); the stacks use binary_log_enabled',
    ],
    attributes: [
      { path: "google_sql_database_instance.region", source: "google/services/sql/resource_sql_database_instance.go:178", replace: ALWAYS },
      {
        path: "google_sql_database_instance.deletion_protection",
        source: "google/services/sql/resource_sql_database_instance.go:185",
        default: true,
      },
      {
        path: "google_sql_database_instance.settings",
        source: "google/services/sql/resource_sql_database_instance.go:191",
        refuse: [{ kind: "at_least_one_of", paths: ["google_sql_database_instance.settings", "google_sql_database_instance.clone"] }],
      },
      { path: "google_sql_database_instance.settings.tier", source: "google/services/sql/resource_sql_database_instance.go:204" },
      {
        path: "google_sql_database_instance.settings.edition",
        source: "google/services/sql/resource_sql_database_instance.go:209",
        refuse: [{ kind: "enum", values: ["ENTERPRISE", "ENTERPRISE_PLUS"] }],
      },
      {
        path: "google_sql_database_instance.settings.activation_policy",
        source: "google/services/sql/resource_sql_database_instance.go:247",
        default: "ALWAYS",
        note: NOT_SET,
      },
      {
        path: "google_sql_database_instance.settings.availability_type",
        source: "google/services/sql/resource_sql_database_instance.go:323",
        refuse: [{ kind: "enum", values: ["REGIONAL", "ZONAL"] }],
        default: "ZONAL",
      },
      { path: "google_sql_database_instance.settings.backup_configuration", source: "google/services/sql/resource_sql_database_instance.go:344" },
      {
        path: "google_sql_database_instance.settings.backup_configuration.binary_log_enabled",
        source: "google/services/sql/resource_sql_database_instance.go:351",
        refuse: [{ kind: "at_least_one_of", paths: BACKUP_CONFIGURATION_KEYS }],
      },
      {
        path: "google_sql_database_instance.settings.backup_configuration.enabled",
        source: "google/services/sql/resource_sql_database_instance.go:357",
        refuse: [{ kind: "at_least_one_of", paths: BACKUP_CONFIGURATION_KEYS }],
      },
      {
        path: "google_sql_database_instance.settings.backup_configuration.start_time",
        source: "google/services/sql/resource_sql_database_instance.go:363",
        refuse: [{ kind: "at_least_one_of", paths: BACKUP_CONFIGURATION_KEYS }],
      },
      {
        path: "google_sql_database_instance.settings.backup_configuration.transaction_log_retention_days",
        source: "google/services/sql/resource_sql_database_instance.go:383",
        refuse: [{ kind: "at_least_one_of", paths: BACKUP_CONFIGURATION_KEYS }],
      },
      {
        path: "google_sql_database_instance.settings.backup_configuration.backup_retention_settings",
        source: "google/services/sql/resource_sql_database_instance.go:390",
        refuse: [{ kind: "at_least_one_of", paths: BACKUP_CONFIGURATION_KEYS }],
      },
      {
        path: "google_sql_database_instance.settings.backup_configuration.backup_retention_settings.retained_backups",
        source: "google/services/sql/resource_sql_database_instance.go:398",
      },
      {
        path: "google_sql_database_instance.settings.backup_configuration.backup_retention_settings.retention_unit",
        source: "google/services/sql/resource_sql_database_instance.go:403",
        default: "COUNT",
      },
      { path: "google_sql_database_instance.settings.database_flags", source: "google/services/sql/resource_sql_database_instance.go:421" },
      {
        path: "google_sql_database_instance.settings.disk_autoresize",
        source: "google/services/sql/resource_sql_database_instance.go:427",
        default: true,
      },
      {
        path: "google_sql_database_instance.settings.disk_autoresize_limit",
        source: "google/services/sql/resource_sql_database_instance.go:433",
        default: 0,
        note: NOT_SET,
      },
      {
        path: "google_sql_database_instance.settings.disk_size",
        source: "google/services/sql/resource_sql_database_instance.go:449",
        replace: { kind: "conditional", rule: "decrease" },
        note: 'customdiff.ForceNewIfChange("settings.0.disk_size", compute.IsDiskShrinkage) (:164; compute/resource_compute_disk.go:68): a smaller disk replaces the instance, a bigger one updates',
      },
      {
        path: "google_sql_database_instance.settings.disk_type",
        source: "google/services/sql/resource_sql_database_instance.go:455",
        replace: ALWAYS,
        note: "diff suppressed by caseDiffDashSuppress (not modelled)",
      },
      { path: "google_sql_database_instance.settings.ip_configuration", source: "google/services/sql/resource_sql_database_instance.go:485" },
      {
        path: "google_sql_database_instance.settings.ip_configuration.ipv4_enabled",
        source: "google/services/sql/resource_sql_database_instance.go:499",
        refuse: [{ kind: "at_least_one_of", paths: IP_CONFIGURATION_KEYS }],
        default: true,
      },
      {
        path: "google_sql_database_instance.settings.ip_configuration.private_network",
        source: "google/services/sql/resource_sql_database_instance.go:506",
        refuse: [validateRegexp(PRIVATE_NETWORK_LINK_REGEX, true), { kind: "at_least_one_of", paths: IP_CONFIGURATION_KEYS }],
        replace: { kind: "conditional", rule: "cleared" },
        note: "privateNetworkCustomizeDiff (:1183): removing the private network replaces; diff suppressed by tpgresource.CompareSelfLinkRelativePaths (not modelled)",
      },
      {
        path: "google_sql_database_instance.settings.ip_configuration.enable_private_path_for_google_cloud_services",
        source: "google/services/sql/resource_sql_database_instance.go:520",
        refuse: [{ kind: "at_least_one_of", paths: IP_CONFIGURATION_KEYS }],
      },
      {
        path: "google_sql_database_instance.settings.ip_configuration.ssl_mode",
        source: "google/services/sql/resource_sql_database_instance.go:573",
        refuse: [
          { kind: "enum", values: ["ALLOW_UNENCRYPTED_AND_ENCRYPTED", "ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"] },
          { kind: "at_least_one_of", paths: IP_CONFIGURATION_KEYS },
        ],
      },
      { path: "google_sql_database_instance.settings.maintenance_window", source: "google/services/sql/resource_sql_database_instance.go:635" },
      {
        path: "google_sql_database_instance.settings.maintenance_window.day",
        source: "google/services/sql/resource_sql_database_instance.go:641",
        refuse: [
          { kind: "range", min: 1, max: 7 },
          { kind: "at_least_one_of", paths: MAINTENANCE_WINDOW_KEYS },
        ],
      },
      {
        path: "google_sql_database_instance.settings.maintenance_window.hour",
        source: "google/services/sql/resource_sql_database_instance.go:648",
        refuse: [
          { kind: "range", min: 0, max: 23 },
          { kind: "at_least_one_of", paths: MAINTENANCE_WINDOW_KEYS },
        ],
      },
      {
        path: "google_sql_database_instance.settings.maintenance_window.update_track",
        source: "google/services/sql/resource_sql_database_instance.go:655",
        refuse: [{ kind: "at_least_one_of", paths: MAINTENANCE_WINDOW_KEYS }],
      },
      {
        path: "google_sql_database_instance.settings.pricing_plan",
        source: "google/services/sql/resource_sql_database_instance.go:665",
        default: "PER_USE",
        note: NOT_SET,
      },
      { path: "google_sql_database_instance.settings.user_labels", source: "google/services/sql/resource_sql_database_instance.go:671" },
      { path: "google_sql_database_instance.settings.insights_config", source: "google/services/sql/resource_sql_database_instance.go:678" },
      {
        path: "google_sql_database_instance.settings.insights_config.query_insights_enabled",
        source: "google/services/sql/resource_sql_database_instance.go:685",
        refuse: [{ kind: "at_least_one_of", paths: INSIGHTS_CONFIG_KEYS }],
      },
      {
        path: "google_sql_database_instance.settings.insights_config.query_string_length",
        source: "google/services/sql/resource_sql_database_instance.go:691",
        refuse: [
          { kind: "range", min: 1, max: 1048576 },
          { kind: "at_least_one_of", paths: INSIGHTS_CONFIG_KEYS },
        ],
        default: 1024,
        note: NOT_SET,
      },
      {
        path: "google_sql_database_instance.settings.insights_config.record_application_tags",
        source: "google/services/sql/resource_sql_database_instance.go:699",
        refuse: [{ kind: "at_least_one_of", paths: INSIGHTS_CONFIG_KEYS }],
      },
      {
        path: "google_sql_database_instance.settings.insights_config.record_client_address",
        source: "google/services/sql/resource_sql_database_instance.go:705",
        refuse: [{ kind: "at_least_one_of", paths: INSIGHTS_CONFIG_KEYS }],
      },
      {
        path: "google_sql_database_instance.settings.deletion_protection_enabled",
        source: "google/services/sql/resource_sql_database_instance.go:772",
      },
      { path: "google_sql_database_instance.settings.retain_backups_on_delete", source: "google/services/sql/resource_sql_database_instance.go:777" },
      {
        path: "google_sql_database_instance.database_version",
        source: "google/services/sql/resource_sql_database_instance.go:807",
        note: "diff suppressed by databaseVersionDiffSuppress (not modelled)",
      },
      {
        path: "google_sql_database_instance.encryption_key_name",
        source: "google/services/sql/resource_sql_database_instance.go:814",
        replace: ALWAYS,
      },
      {
        path: "google_sql_database_instance.root_password",
        source: "google/services/sql/resource_sql_database_instance.go:821",
        sensitive: true,
        note: NOT_SET,
      },
      { path: "google_sql_database_instance.name", source: "google/services/sql/resource_sql_database_instance.go:866", replace: ALWAYS },
      {
        path: "google_sql_database_instance.replica_configuration",
        source: "google/services/sql/resource_sql_database_instance.go:903",
        note: "not set by the stacks; :909 marks the block Sensitive, which the SDK drops for blocks (only attributes carry it)",
      },
      {
        path: "google_sql_database_instance.replica_configuration.password",
        source: "google/services/sql/resource_sql_database_instance.go:967",
        replace: ALWAYS,
        refuse: [
          {
            kind: "at_least_one_of",
            paths: [
              "google_sql_database_instance.replica_configuration.cascadable_replica",
              "google_sql_database_instance.replica_configuration.ca_certificate",
              "google_sql_database_instance.replica_configuration.client_certificate",
              "google_sql_database_instance.replica_configuration.client_key",
              "google_sql_database_instance.replica_configuration.connect_retry_interval",
              "google_sql_database_instance.replica_configuration.dump_file_path",
              "google_sql_database_instance.replica_configuration.failover_target",
              "google_sql_database_instance.replica_configuration.master_heartbeat_period",
              "google_sql_database_instance.replica_configuration.password",
              "google_sql_database_instance.replica_configuration.ssl_cipher",
              "google_sql_database_instance.replica_configuration.username",
              "google_sql_database_instance.replica_configuration.verify_server_certificate",
            ],
          },
        ],
        sensitive: true,
        note: NOT_SET,
      },
      {
        path: "google_sql_database_instance.server_ca_cert",
        source: "google/services/sql/resource_sql_database_instance.go:1036",
        sensitive: true,
        note: NOT_SET,
      },
      { path: "google_sql_database_instance.settings.database_flags.value", source: "google/services/sql/resource_sql_database_instance.go:68" },
      { path: "google_sql_database_instance.settings.database_flags.name", source: "google/services/sql/resource_sql_database_instance.go:73" },
    ],
  },
  {
    type: "google_sql_user",
    provider: "google",
    source: "google/services/sql/resource_sql_user.go:61",
    // resource_sql_user.go:341
    idFormat: "{{name}}/{{host}}/{{instance}}",
    schemaVersion: 1,
    needsProject: true,
    missingProject: PROJECT_IN_PLAN("google/services/sql/resource_sql_user.go:78"),
    // resourceSqlUserImporter (:595): 3, 4 or 5 parts split on "/".
    importIds: ["{{project}}/{{instance}}/{{name}}", "{{project}}/{{instance}}/{{host}}/{{name}}"],
    importFormats: [
      "^(?P<project>[^/]*)/(?P<instance>[^/]*)/(?P<name>[^/]*)$",
      "^(?P<project>[^/]*)/(?P<instance>[^/]*)/(?P<host>[^/]*)/(?P<name>[^/]*)$",
      "^(?P<project>[^/]*)/(?P<instance>[^/]*)/(?P<host>[^/]*/[^/]*)/(?P<name>[^/]*)$",
    ],
    importRefusal:
      "Invalid specifier. Expecting {project}/{instance}/{name} for postgres instance and {project}/{instance}/{host}/{name} for MySQL instance",
    attributes: [
      { path: "google_sql_user.host", source: "google/services/sql/resource_sql_user.go:85", replace: ALWAYS },
      { path: "google_sql_user.instance", source: "google/services/sql/resource_sql_user.go:93", replace: ALWAYS },
      {
        path: "google_sql_user.name",
        source: "google/services/sql/resource_sql_user.go:100",
        replace: ALWAYS,
        note: "diff suppressed by diffSuppressIamUserName (not modelled)",
      },
      {
        path: "google_sql_user.password",
        source: "google/services/sql/resource_sql_user.go:108",
        refuse: [{ kind: "conflicts_with", paths: ["google_sql_user.password_wo"] }],
        sensitive: true,
        note: NOT_SET,
      },
      {
        path: "google_sql_user.password_wo",
        source: "google/services/sql/resource_sql_user.go:117",
        refuse: [{ kind: "conflicts_with", paths: ["google_sql_user.password"] }],
        writeOnly: true,
      },
      {
        path: "google_sql_user.password_wo_version",
        source: "google/services/sql/resource_sql_user.go:126",
        refuse: [{ kind: "required_with", paths: ["google_sql_user.password_wo"] }],
      },
      {
        path: "google_sql_user.type",
        source: "google/services/sql/resource_sql_user.go:133",
        replace: ALWAYS,
        note: 'diff suppressed by tpgresource.EmptyOrDefaultStringSuppress("BUILT_IN") (not modelled)',
      },
      {
        path: "google_sql_user.deletion_policy",
        source: "google/services/sql/resource_sql_user.go:217",
        refuse: [{ kind: "enum", values: ["ABANDON", ""] }],
      },
    ],
  },
  {
    type: "data.google_compute_global_address",
    provider: "google",
    source: "google/services/compute/data_source_google_compute_global_address.go:27",
    needsProject: true,
    missingProject: {
      at: "read",
      message: "project: required field is not set",
      source: "google/services/compute/data_source_google_compute_global_address.go:103",
    },
    // :108-112: GlobalAddresses.Get(project, name); a 404 is transport_tpg.HandleDataSourceNotFoundError
    // (google/transport/transport.go:176): fmt.Errorf("%s not found", url), url = the id built at :108.
    identity: ["project", "name"],
    missingObject: "projects/{{project}}/global/addresses/{{name}} not found",
    attributes: [
      {
        path: "data.google_compute_global_address.name",
        source: "google/services/compute/data_source_google_compute_global_address.go:32",
        note: "Required; no validator",
      },
    ],
  },
  {
    type: "data.google_container_cluster",
    provider: "google",
    source: "google/services/container/data_source_google_container_cluster.go:27",
    needsProject: true,
    missingProject: {
      at: "read",
      message: "project: required field is not set",
      source: "google/services/container/data_source_google_container_cluster.go:53",
    },
    // :58 id = containerClusterFullName(project, location, name) ("projects/%s/locations/%s/clusters/%s",
    // resource_container_cluster.go); resourceContainerClusterRead clears the id on a 404 and :75-77 fails with it.
    identity: ["project", "location", "name"],
    missingObject: "projects/{{project}}/locations/{{location}}/clusters/{{name}} not found",
    notModelled: [
      "location falls back to the provider's region or zone (tpgresource.GetLocation, :48); the stacks always set it",
      "the schema is the resource's, every attribute computed (DatasourceSchemaFromResourceSchema, google/tpgresource/datasource_helpers.go:29): no validators reach the data source",
    ],
    attributes: [
      {
        path: "data.google_container_cluster.name",
        source: "google/services/container/data_source_google_container_cluster.go:32",
        note: 'AddRequiredFieldsToSchema("name"); no validator',
      },
      {
        path: "data.google_container_cluster.location",
        source: "google/services/container/data_source_google_container_cluster.go:35",
        note: 'AddOptionalFieldsToSchema("project", "location"); no validator',
      },
    ],
  },
  {
    type: "data.google_project",
    provider: "google",
    source: "google/services/resourcemanager/data_source_google_project.go:28",
    needsProject: true,
    missingProject: {
      at: "read",
      message: "no project value set. `project_id` must be set at the resource level, or a default `project` value must be specified on the provider",
      source: "google/services/resourcemanager/data_source_google_project.go:50",
    },
    // :57 resourceGoogleProjectRead clears the id for a project that is gone or not ACTIVE; :65-67.
    identity: ["project_id"],
    missingObject: "projects/{{project_id}} not found or not in ACTIVE state",
    attributes: [
      {
        path: "data.google_project.project_id",
        source: "google/services/resourcemanager/data_source_google_project.go:34",
        refuse: [
          {
            kind: "rule",
            rule: "ds-project-id",
            params: [PROJECT_REGEX],
            message:
              '"{value}" project_id must be 6 to 30 with lowercase letters, digits, hyphens and start with a letter. Trailing hyphens are prohibited.',
          },
        ],
        note: "verify.ValidateDSProjectID (google/verify/validation.go:226): the last path segment must match ProjectRegex",
      },
    ],
  },
  {
    type: "provider",
    provider: "google",
    source: "google/provider/provider.go:104",
    notModelled: [
      "credentials, impersonation and the provider's environment fallbacks (GOOGLE_PROJECT, GOOGLE_REGION...; transport_tpg config loading) are not read: a stand-in knows only the configuration Terraform sends it",
    ],
    attributes: [
      { path: "provider.project", source: "google/provider/provider.go:104", refuse: [EMPTY_STRING] },
      { path: "provider.region", source: "google/provider/provider.go:116", refuse: [EMPTY_STRING] },
      {
        path: "provider.default_labels",
        source: "google/provider/provider.go:173",
        note: "merged into each labelled resource's terraform_labels by tpgresource.SetLabelsDiff; not modelled",
      },
    ],
  },
  {
    type: "provider",
    provider: "google-beta",
    source: "google-beta/provider/provider.go:104",
    notModelled: ["as google's (the same provider.go at the tag, google-beta's paths aside)"],
    attributes: [
      { path: "provider.project", source: "google-beta/provider/provider.go:104", refuse: [EMPTY_STRING] },
      { path: "provider.region", source: "google-beta/provider/provider.go:116", refuse: [EMPTY_STRING] },
      { path: "provider.default_labels", source: "google-beta/provider/provider.go:173" },
    ],
  },
];
