/**
 * The stand-in providers' schemas as derived from the prebuilt bindings, checked on types the stacks use against
 * the providers' own sources at the pinned tags (the engine test proves the derivation on the real aws provider).
 */
import { ENV_NAMES } from "../../config";
import { LAYER_CLOUDS, LAYERS } from "../../config/naming";
import {
  BINDINGS,
  bindingsProviderVersion,
  deriveProviderSchema,
  PROVIDER_ADDRESSES,
  standinSchema,
  type SchemaBlock,
  type StandinProvider,
} from "../../emulator/standin/schema";
import { existingClusterStack } from "../stacks/gke-modes";
import { sharedStack, type Synthesized } from "../support/synth";

const google = deriveProviderSchema("@cdktf/provider-google", {
  types: ["google_sql_database_instance", "google_sql_user", "google_dns_record_set", "data.google_project", "google_container_node_pool"],
});
const cloudflare = deriveProviderSchema("@cdktf/provider-cloudflare", { types: ["cloudflare_dns_record"] });
const time = deriveProviderSchema("@cdktf/provider-time", { types: ["time_sleep"] });

function block(root: SchemaBlock, ...path: string[]): SchemaBlock {
  return path.reduce((b, name) => {
    const next = b.block_types?.[name]?.block;
    if (!next) throw new Error(`no block ${name} in ${path.join(".")}`);
    return next;
  }, root);
}

describe("google (SDKv2; hashicorp/terraform-provider-google v6.50.0)", () => {
  const instance = google.resource_schemas.google_sql_database_instance.block;

  it("keeps MaxItems: 1 blocks as list blocks of at most one (resource_sql_database_instance.go:191 settings)", () => {
    expect(instance.block_types?.settings).toMatchObject({ nesting_mode: "list", max_items: 1 });
    expect(instance.block_types?.settings.min_items).toBeUndefined();
    expect(block(instance, "settings").block_types?.ip_configuration).toMatchObject({ nesting_mode: "list", max_items: 1 });
    // :492 authorized_networks is a TypeSet of resources without MaxItems.
    const networks = block(instance, "settings", "ip_configuration").block_types?.authorized_networks;
    expect(networks?.nesting_mode).toBe("set");
    expect(networks?.max_items).toBeUndefined();
    expect(networks?.block.attributes?.value).toEqual({ type: "string", required: true });
  });

  it("has required, optional+computed and computed-only attributes, and the SDK's single timeouts block", () => {
    expect(block(instance, "settings").attributes?.tier).toEqual({ type: "string", required: true });
    expect(instance.attributes?.database_version).toEqual({ type: "string", required: true });
    expect(instance.attributes?.encryption_key_name).toEqual({ type: "string", optional: true, computed: true });
    expect(instance.attributes?.connection_name).toEqual({ type: "string", computed: true });
    // A computed-only TypeList of resources is an attribute of list(object) in SDKv2, not a block.
    expect(instance.attributes?.ip_address).toEqual({
      type: ["list", ["object", { ip_address: "string", time_to_retire: "string", type: "string" }]],
      computed: true,
    });
    expect(instance.block_types?.timeouts).toEqual({
      nesting_mode: "single",
      block: { attributes: { create: { type: "string", optional: true }, delete: { type: "string", optional: true }, update: { type: "string", optional: true } } },
    });
  });

  it("adds the flags the bindings lose (decision tables), e.g. root_password sensitive and password_wo write-only", () => {
    expect(instance.attributes?.root_password).toEqual({ type: "string", optional: true, sensitive: true });
    expect(google.resource_schemas.google_sql_user.block.attributes?.password_wo).toMatchObject({ write_only: true });
    expect(google.resource_schemas.google_sql_database_instance.version).toBe(0);
  });

  it("derives data sources and the provider block (without the alias cdktf adds)", () => {
    const project = google.data_source_schemas.google_project.block;
    expect(project.attributes?.project_id).toEqual({ type: "string", optional: true });
    expect(project.attributes?.number).toEqual({ type: "string", computed: true });
    expect(google.resource_schemas.google_dns_record_set.block.attributes?.rrdatas).toEqual({ type: ["list", "string"], optional: true });
    expect(google.provider.block.attributes?.alias).toBeUndefined();
    expect(google.provider.block.attributes?.project).toEqual({ type: "string", optional: true });
    expect(Object.keys(google.resource_schemas).sort()).toEqual(
      ["google_container_node_pool", "google_dns_record_set", "google_sql_database_instance", "google_sql_user"].sort(),
    );
  });
});

describe("cloudflare (plugin framework; cloudflare/terraform-provider-cloudflare v5.14.0)", () => {
  const record = cloudflare.resource_schemas.cloudflare_dns_record.block;

  it("requires name, ttl, type and zone_id (internal/services/dns_record/schema.go)", () => {
    for (const name of ["name", "type", "zone_id"]) expect(record.attributes?.[name]).toEqual({ type: "string", required: true });
    expect(record.attributes?.ttl).toEqual({ type: "number", required: true });
    expect(record.attributes?.id).toEqual({ type: "string", computed: true });
    expect(record.attributes?.tags).toEqual({ type: ["set", "string"], optional: true, computed: true });
    expect(record.block_types).toBeUndefined();
  });

  it("keeps SingleNestedAttributes as nested_type, with their own flags", () => {
    // settings: Computed+Optional, each field Computed+Optional (bool, default false).
    expect(record.attributes?.settings).toEqual({
      nested_type: {
        nesting_mode: "single",
        attributes: {
          flatten_cname: { type: "bool", optional: true, computed: true },
          ipv4_only: { type: "bool", optional: true, computed: true },
          ipv6_only: { type: "bool", optional: true, computed: true },
        },
      },
      optional: true,
      computed: true,
    });
    // data: Optional, every field Optional; flags alone cannot tell it from an object type, the framework does.
    expect(record.attributes?.data?.nested_type?.nesting_mode).toBe("single");
    expect(record.attributes?.data?.nested_type?.attributes.flags).toEqual({ type: "dynamic", optional: true });
    expect(record.attributes?.data?.nested_type?.attributes.priority).toEqual({ type: "number", optional: true });
    expect(record.attributes?.data?.type).toBeUndefined();
  });

  it("derives the provider block", () => {
    expect(cloudflare.provider.block.attributes?.api_token).toEqual({ type: "string", optional: true });
    expect(Object.keys(cloudflare.provider.block.attributes ?? {}).sort()).toEqual(
      ["api_key", "api_token", "api_user_service_key", "base_url", "email", "user_agent_operator_suffix"].sort(),
    );
  });
});

describe("time (plugin framework; hashicorp/time v0.13.1)", () => {
  it("time_sleep: optional durations, a map of triggers, a computed id", () => {
    expect(time.resource_schemas.time_sleep).toEqual({
      version: 0,
      block: {
        attributes: {
          create_duration: { type: "string", optional: true },
          destroy_duration: { type: "string", optional: true },
          id: { type: "string", computed: true },
          triggers: { type: ["map", "string"], optional: true },
        },
      },
    });
    expect(time.provider).toEqual({ version: 0, block: {} });
  });
});

describe("asking for types", () => {
  it("refuses a type the bindings do not have, naming where it looked", () => {
    expect(() => deriveProviderSchema("@cdktf/provider-google", { types: ["google_project_service_identity"] })).toThrow(
      "@cdktf/provider-google has no resource google_project_service_identity (looked for lib/project-service-identity/index.js)",
    );
  });

  it("finds google-beta-only types in google-beta, and data sources by data.<type>", () => {
    const beta = deriveProviderSchema("@cdktf/provider-google-beta", { types: ["google_project_service_identity", "data.google_container_cluster"] });
    expect(beta.resource_schemas.google_project_service_identity.block.attributes?.service).toEqual({ type: "string", required: true });
    expect(beta.data_source_schemas.google_container_cluster.block.attributes?.name).toMatchObject({ type: "string" });
  });
});

describe("the stand-ins' identities", () => {
  it("names each provider's address and the version its bindings were generated from", () => {
    expect(PROVIDER_ADDRESSES.cloudflare).toBe("registry.terraform.io/cloudflare/cloudflare");
    expect(Object.fromEntries((["google", "google-beta", "cloudflare", "time", "aws"] as const).map((p) => [p, bindingsProviderVersion(BINDINGS[p])]))).toEqual({
      google: "6.50.0",
      "google-beta": "6.50.0",
      cloudflare: "5.14.0",
      time: "0.13.1",
      aws: "5.100.0",
    });
    expect(standinSchema("time", { types: ["time_sleep"] })).toEqual(time);
  });
});

describe("every Google, DNS and time type the stacks use", () => {
  // Both environments, the GKE stack in dedicated and existing cluster mode, and the DNS stack.
  const stacks: Array<[string, Synthesized]> = [];
  for (const env of ENV_NAMES) {
    for (const layer of LAYERS.filter((l) => LAYER_CLOUDS[l] !== "aws")) stacks.push([`${env}/${layer}`, sharedStack(env, layer)]);
    stacks.push([`${env}/gke (existing cluster)`, existingClusterStack(env)]);
  }

  /** Which stand-in serves an object: its `provider` meta-argument ("google-beta", "google.alias"), else its type's prefix. */
  const standinOf = (type: string, object: { provider?: string }): StandinProvider => {
    const name = (object.provider ?? type.split("_")[0]).split(".")[0];
    if (!(name in BINDINGS) || name === "aws") throw new Error(`${type}: no stand-in for provider ${name}`);
    return name as StandinProvider;
  };

  /** Keys of a configured object that the derived schema does not have, or has as the other kind. */
  function unknownKeys(where: string, config: Record<string, unknown>, block: SchemaBlock, out: string[], top = true): string[] {
    for (const [key, value] of Object.entries(config)) {
      if (top && ["count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection", "import", "//"].includes(key)) continue;
      const sub = block.block_types?.[key];
      if (sub) {
        const items = sub.nesting_mode === "single" ? [value] : Array.isArray(value) ? value : [value];
        for (const item of items) if (item && typeof item === "object") unknownKeys(`${where}.${key}`, item as Record<string, unknown>, sub.block, out, false);
      } else if (!block.attributes?.[key]) out.push(`${where}.${key}`);
      else if (block.attributes[key].computed && !block.attributes[key].optional && !block.attributes[key].required) out.push(`${where}.${key} (computed only)`);
    }
    return out;
  }

  it("derives from the bindings of the provider it is configured with, and knows every key the stacks set", () => {
    const used = new Map<StandinProvider, Set<string>>();
    const objects: Array<{ where: string; provider: StandinProvider; type: string; data: boolean; config: Record<string, unknown> }> = [];
    for (const [name, stack] of stacks) {
      for (const [kind, data] of [["resource", false], ["data", true]] as const) {
        for (const [type, byName] of Object.entries<Record<string, any>>(stack.json[kind] ?? {})) {
          if (type.startsWith("aws_")) continue;
          for (const [objectName, config] of Object.entries(byName)) {
            const provider = standinOf(type, config);
            if (!used.has(provider)) used.set(provider, new Set());
            used.get(provider)!.add(data ? `data.${type}` : type);
            objects.push({ where: `${name}: ${data ? "data." : ""}${type}.${objectName}`, provider, type, data, config });
          }
        }
      }
    }
    expect([...used.keys()].sort()).toEqual(["cloudflare", "google", "google-beta", "time"]);
    const schemas = new Map([...used].map(([provider, types]) => [provider, standinSchema(provider, { types: [...types] })]));
    const unknown: string[] = [];
    for (const { where, provider, type, data, config } of objects) {
      const schema = schemas.get(provider)!;
      unknownKeys(where, config, (data ? schema.data_source_schemas : schema.resource_schemas)[type].block, unknown);
    }
    expect(unknown).toEqual([]);
  });
});

/**
 * The independent oracle for what the bindings lose: every `Sensitive: true`, `WriteOnly: true`, `MaxItems` above 1
 * and `SchemaVersion` in the google v6.50.0 sources of the resource types the stacks use, found with
 * `git grep -n -E "Sensitive: *true|WriteOnly: *true|MaxItems: *([2-9]|[1-9][0-9]+)|SchemaVersion:"` over those
 * files and written here by hand (file:line at the tag). The derived schemas must carry exactly these: one the
 * decision tables miss, or one they invent, fails.
 */
describe("the schema facts the bindings lose, against a hand-written list from the google sources", () => {
  const SENSITIVE = [
    "google_container_cluster.master_auth.client_key", // container/resource_container_cluster.go:1369
    "google_redis_instance.auth_string", // redis/resource_redis_instance.go:585
    "google_secret_manager_secret_version.secret_data", // secretmanager/resource_secret_manager_secret_version.go:105
    "google_sql_database_instance.replica_configuration.password", // sql/resource_sql_database_instance.go:971
    "google_sql_database_instance.root_password", // sql/resource_sql_database_instance.go:824
    "google_sql_database_instance.server_ca_cert", // sql/resource_sql_database_instance.go:1039 (a computed list of objects: an attribute)
    "google_sql_user.password", // sql/resource_sql_user.go:111
    // sql/resource_sql_database_instance.go:909 marks the replica_configuration block Sensitive: the SDK keeps the
    // flag for attributes only (terraform-plugin-sdk v2.37.0 helper/schema/core_schema.go: coreConfigSchemaAttribute
    // copies it, :166; coreConfigSchemaBlock, :180, does not), so the block is not here.
  ];
  const WRITE_ONLY = [
    "google_secret_manager_secret_version.secret_data_wo", // secretmanager/resource_secret_manager_secret_version.go:112
    "google_sql_user.password_wo", // sql/resource_sql_user.go:120
  ];
  const MAX_ITEMS: Record<string, number> = {
    "google_container_cluster.addons_config.ray_operator_config": 3, // container/resource_container_cluster.go:564
    "google_container_cluster.maintenance_policy.maintenance_exclusion": 20, // container/resource_container_cluster.go:1113
    // container/node_config.go:321, in schemaNodeConfig(), which the cluster's node_config, its node_pool blocks'
    // node_config and the node pool's node_config all use.
    "google_container_cluster.node_config.secondary_boot_disks": 127,
    "google_container_cluster.node_pool.node_config.secondary_boot_disks": 127,
    "google_container_node_pool.node_config.secondary_boot_disks": 127,
  };
  const VERSIONS: Record<string, number> = {
    google_container_cluster: 2, // container/resource_container_cluster.go:257
    google_container_node_pool: 1, // container/resource_container_node_pool.go:54
    google_kms_crypto_key: 1, // kms/resource_kms_crypto_key.go:57
    google_sql_user: 1, // sql/resource_sql_user.go:81
  };
  const TYPES = [
    "google_compute_global_address",
    "google_compute_network",
    "google_compute_router",
    "google_compute_router_nat",
    "google_compute_subnetwork",
    "google_container_cluster",
    "google_container_node_pool",
    "google_dns_record_set",
    "google_kms_crypto_key",
    "google_kms_crypto_key_iam_member",
    "google_kms_key_ring",
    "google_logging_metric",
    "google_monitoring_alert_policy",
    "google_project_iam_member",
    "google_project_service",
    "google_redis_instance",
    "google_secret_manager_secret",
    "google_secret_manager_secret_version",
    "google_service_account",
    "google_service_account_iam_member",
    "google_service_networking_connection",
    "google_sql_database",
    "google_sql_database_instance",
    "google_sql_user",
  ];
  const derived = deriveProviderSchema("@cdktf/provider-google", { types: TYPES });
  const found = { sensitive: [] as string[], writeOnly: [] as string[], maxItems: {} as Record<string, number>, versions: {} as Record<string, number> };
  const walk = (prefix: string, b: SchemaBlock): void => {
    for (const [name, a] of Object.entries(b.attributes ?? {})) {
      if (a.sensitive) found.sensitive.push(`${prefix}.${name}`);
      if (a.write_only) found.writeOnly.push(`${prefix}.${name}`);
    }
    for (const [name, bt] of Object.entries(b.block_types ?? {})) {
      if ((bt.max_items ?? 0) > 1) found.maxItems[`${prefix}.${name}`] = bt.max_items!;
      walk(`${prefix}.${name}`, bt.block);
    }
  };
  for (const [type, entry] of Object.entries(derived.resource_schemas)) {
    walk(type, entry.block);
    if (entry.version !== 0) found.versions[type] = entry.version;
  }

  it("derives every type the list covers", () => expect(Object.keys(derived.resource_schemas).sort()).toEqual([...TYPES].sort()));
  it("marks exactly the sensitive attributes", () => expect(found.sensitive.sort()).toEqual([...SENSITIVE].sort()));
  it("marks exactly the write-only attributes", () => expect(found.writeOnly.sort()).toEqual([...WRITE_ONLY].sort()));
  it("limits exactly the blocks with MaxItems above 1", () => expect(found.maxItems).toEqual(MAX_ITEMS));
  it("versions exactly the types with a SchemaVersion", () => expect(found.versions).toEqual(VERSIONS));
});
