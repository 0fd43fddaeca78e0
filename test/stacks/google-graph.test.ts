/**
 * The order a first apply into an empty project needs, read from the synthesized JSON's dependency graph
 * (references plus depends_on, transitively) of every Google stack of both environments, in both cluster modes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ENV_NAMES, type EnvName } from "../../config";
import { sharedStack, type Synthesized } from "../support/synth";
import { TerraformGraph, type Address } from "../support/terraform-graph";
import { existingClusterStack } from "./gke-modes";

const STACKS: Array<[string, () => Synthesized]> = [
  ...ENV_NAMES.flatMap((env: EnvName): Array<[string, () => Synthesized]> => [
    [`packagecloud-${env}-gke`, () => sharedStack(env, "gke")],
    [`packagecloud-${env}-dns`, () => sharedStack(env, "dns")],
  ]),
  ["packagecloud-ops-gke (existing shared cluster)", () => existingClusterStack("ops")],
];

/**
 * The APIs each Google type calls, written by hand from hashicorp/terraform-provider-google v6.50.0 (the REST client
 * or `{{…BasePath}}` its create, read, update and delete functions use, google/services/<service>/<file>), not from
 * constructs/google-apis.ts, whose ordering this test judges. A type of the stacks missing here fails the test.
 */
const CALLS: Readonly<Record<string, readonly string[]>> = {
  google_compute_network: ["compute.googleapis.com"], // compute/resource_compute_network.go: ComputeBasePath
  google_compute_subnetwork: ["compute.googleapis.com"], // compute/resource_compute_subnetwork.go
  google_compute_router: ["compute.googleapis.com"], // compute/resource_compute_router.go
  google_compute_router_nat: ["compute.googleapis.com"], // compute/resource_compute_router_nat.go
  google_compute_global_address: ["compute.googleapis.com"], // compute/resource_compute_global_address.go; the data source: NewComputeClient
  // servicenetworking/resource_service_networking_connection.go: NewServiceNetworkingClient, and NewResourceManagerClient
  // (the project number of the network's project); the network itself is a compute resource it names.
  google_service_networking_connection: ["servicenetworking.googleapis.com", "cloudresourcemanager.googleapis.com"],
  google_kms_key_ring: ["cloudkms.googleapis.com"], // kms/resource_kms_key_ring.go: KMSBasePath
  google_kms_crypto_key: ["cloudkms.googleapis.com"], // kms/resource_kms_crypto_key.go
  google_kms_crypto_key_iam_member: ["cloudkms.googleapis.com"], // kms/iam_kms_crypto_key.go: NewKmsClient
  // container/resource_container_cluster.go: NewContainerClient. The cluster also evaluates the project's Binary
  // Authorization policy when binary_authorization is set (cloud.google.com/binary-authorization/docs/getting-started-cli).
  google_container_cluster: ["container.googleapis.com", "binaryauthorization.googleapis.com"],
  // container/resource_container_node_pool.go: NewContainerClient, and NewComputeClient's InstanceGroupManagers.Get
  // (:1149) on every read.
  google_container_node_pool: ["container.googleapis.com", "compute.googleapis.com"],
  google_service_account: ["iam.googleapis.com"], // resourcemanager/resource_google_service_account.go: NewIamClient
  google_service_account_iam_member: ["iam.googleapis.com"], // resourcemanager/iam_service_account.go: NewIamClient
  google_project_iam_member: ["cloudresourcemanager.googleapis.com"], // resourcemanager/iam_project.go: NewResourceManagerClient
  google_project: ["cloudresourcemanager.googleapis.com"], // resourcemanager/data_source_google_project.go → resourceGoogleProjectRead
  // sql/resource_sql_database_instance.go: NewSqlAdminClient. Its service-networking pre-check on create (:2873)
  // skips itself when the list call fails (:2874-2877), so it needs no API of its own.
  google_sql_database_instance: ["sqladmin.googleapis.com"],
  google_sql_database: ["sqladmin.googleapis.com"], // sql/resource_sql_database.go: SQLBasePath
  google_sql_user: ["sqladmin.googleapis.com"], // sql/resource_sql_user.go: NewSqlAdminClient
  google_secret_manager_secret: ["secretmanager.googleapis.com"], // secretmanager/resource_secret_manager_secret.go
  google_secret_manager_secret_version: ["secretmanager.googleapis.com"], // secretmanager/resource_secret_manager_secret_version.go
  google_redis_instance: ["redis.googleapis.com"], // redis/resource_redis_instance.go: RedisBasePath
  google_logging_metric: ["logging.googleapis.com"], // logging/resource_logging_metric.go: LoggingBasePath
  google_monitoring_alert_policy: ["monitoring.googleapis.com"], // monitoring/resource_monitoring_alert_policy.go
  // dns/resource_dns_record_set.go: NewDnsClient (its one ComputeBasePath only spells a network URL; no call).
  google_dns_record_set: ["dns.googleapis.com"],
};
/** google_project_service_identity calls the API it names (serviceusage's generateServiceIdentity for that service). */
const SERVICE_IDENTITY = "google_project_service_identity";
/** Enabled by hand before the first stack (docs/first-deploy.md, "What must exist before the first stack"). */
const ENABLED_BEFORE_ANY_STACK = ["serviceusage.googleapis.com", "cloudresourcemanager.googleapis.com"];

/**
 * Which service agent may use the key of each CMEK consumer, where the consumer names its key, and the service whose
 * agent the stack requests (google_project_service_identity) before the grant: every one, since the provider enables
 * APIs in batches and "comes with its API" orders nothing (issue 22 item 2).
 */
const CMEK_CONSUMERS = [
  { type: "google_sql_database_instance", keyField: (r: any) => r.encryption_key_name, agent: "@gcp-sa-cloud-sql.iam.gserviceaccount.com", service: "sqladmin.googleapis.com" },
  { type: "google_redis_instance", keyField: (r: any) => r.customer_managed_key, agent: "@cloud-redis.iam.gserviceaccount.com", service: "redis.googleapis.com" },
  { type: "google_container_cluster", keyField: (r: any) => r.database_encryption?.key_name, agent: "@container-engine-robot.iam.gserviceaccount.com", service: "container.googleapis.com" },
];

function body(out: Synthesized, address: Address): any {
  const [type, name] = address.replace(/^data\./, "").split(".");
  return (address.startsWith("data.") ? out.json.data : out.json.resource)[type][name];
}

function referenced(value: unknown, type: string): string | undefined {
  return typeof value === "string" ? value.match(new RegExp(`\\$\\{(${type}\\.[a-z0-9_]+)`))?.[1] : undefined;
}

describe.each(STACKS)("%s: first-apply order", (_label, load) => {
  let out: Synthesized;
  let graph: TerraformGraph;
  beforeAll(() => {
    out = load();
    graph = new TerraformGraph(out.json);
  });

  const apiResource = (api: string): Address | undefined =>
    graph.ofType("google_project_service").find((a) => body(out, a).service === api);

  it("every Google resource and data source comes after the enablement of each API it calls", () => {
    const missing: string[] = [];
    for (const node of graph.nodes()) {
      const type = TerraformGraph.typeOf(node);
      if (!type.startsWith("google_") || type === "google_project_service") continue;
      const apis = type === SERVICE_IDENTITY ? [body(out, node).service] : CALLS[type];
      if (apis === undefined) {
        missing.push(`${node}: no API mapped for ${type}`);
        continue;
      }
      // A data source on prerequisite APIs only reads at plan time (next test); those APIs are on before any plan.
      if (node.startsWith("data.") && apis.every((api) => ENABLED_BEFORE_ANY_STACK.includes(api))) continue;
      for (const api of apis) {
        const enabling = apiResource(api);
        if (enabling === undefined) missing.push(`${node}: ${api} is not enabled in this stack`);
        else if (!graph.orders(enabling, node)) missing.push(`${node} does not wait for ${enabling} (${api})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("no data source a key grant reads has a depends_on, so its read is never deferred to apply (issue 22 item 6)", () => {
    // A deferred read makes every attribute unknown: the project number in each grant's member (ForceNew) then
    // plans a replacement of every key grant on a routine edit of the Resource Manager API's enablement.
    const problems: string[] = [];
    for (const grant of graph.ofType("google_kms_crypto_key_iam_member")) {
      for (const ancestor of graph.ancestors(grant)) {
        if (ancestor.startsWith("data.") && (body(out, ancestor).depends_on ?? []).length > 0) problems.push(`${grant} reads ${ancestor}, which has depends_on`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("the propagation wait runs again for a new or replaced grant: its triggers name every grant it waits for", () => {
    const isGrant = (a: string) => /^google_(kms_crypto_key|project)_iam_member\./.test(a);
    const waits = graph.ofType("time_sleep");
    for (const grant of graph.ofType("google_kms_crypto_key_iam_member")) expect(waits.some((w) => (body(out, w).depends_on ?? []).includes(grant))).toBe(true);
    for (const wait of waits) {
      const triggers = JSON.stringify(body(out, wait).triggers ?? {});
      for (const grant of (body(out, wait).depends_on ?? []).filter(isGrant)) expect(`${wait} triggers: ${triggers}`).toContain(`\${${grant}.id}`);
    }
  });

  it("fails if the private service connection can be created before the Service Networking agent exists, holds roles/servicenetworking.serviceAgent and the grant has propagated (provider issue #14720, issue 22 item 5)", () => {
    for (const connection of graph.ofType("google_service_networking_connection")) {
      const grant = graph.ofType("google_project_iam_member").find((g) => body(out, g).role === "roles/servicenetworking.serviceAgent");
      const identity = graph.ofType("google_project_service_identity").find((i) => body(out, i).service === "servicenetworking.googleapis.com");
      const wait = graph.ofType("time_sleep").find((w) => (body(out, w).depends_on ?? []).includes(grant));
      expect([grant, identity, wait].every(Boolean)).toBe(true);
      expect(graph.orders(identity!, grant!)).toBe(true);
      expect(graph.orders(grant!, wait!)).toBe(true);
      expect(graph.orders(wait!, connection)).toBe(true);
      expect(body(out, grant!).member).toMatch(/^serviceAccount:service-\$\{data\.google_project\.project\.number\}@service-networking\.iam\.gserviceaccount\.com$/);
    }
  });

  it("each CMEK consumer comes after the grant of its key to its service agent, and the grant after the agent exists", () => {
    const problems: string[] = [];
    for (const consumer of CMEK_CONSUMERS) {
      for (const node of graph.ofType(consumer.type)) {
        const key = referenced(consumer.keyField(body(out, node)), "google_kms_crypto_key");
        if (key === undefined) {
          problems.push(`${node}: names no customer key of this stack`);
          continue;
        }
        const grants = graph
          .ofType("google_kms_crypto_key_iam_member")
          .filter((g) => referenced(body(out, g).crypto_key_id, "google_kms_crypto_key") === key)
          .filter((g) => body(out, g).role === "roles/cloudkms.cryptoKeyEncrypterDecrypter" && String(body(out, g).member).includes(consumer.agent));
        if (grants.length === 0) problems.push(`${node}: no grant of ${key} to *${consumer.agent}`);
        for (const grant of grants) {
          if (!graph.orders(grant, node)) problems.push(`${node} does not wait for ${grant}`);
          if (consumer.service !== undefined) {
            const identity = graph.ofType(SERVICE_IDENTITY).find((i) => body(out, i).service === consumer.service);
            if (identity === undefined) problems.push(`${grant}: no ${SERVICE_IDENTITY} creates the agent of ${consumer.service}`);
            else if (!graph.orders(identity, grant)) problems.push(`${grant} does not wait for ${identity}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("the Workload Identity binding comes after the cluster whose identity pool it names", () => {
    const bindings = graph.ofType("google_service_account_iam_member").filter((b) => body(out, b).role === "roles/iam.workloadIdentityUser");
    const clusters = [...graph.ofType("google_container_cluster"), ...graph.ofType("data.google_container_cluster")];
    for (const binding of bindings) {
      expect(clusters.length).toBeGreaterThan(0);
      for (const cluster of clusters) expect(`${binding} after ${cluster}: ${graph.orders(cluster, binding)}`).toBe(`${binding} after ${cluster}: true`);
    }
  });

  it("alert policies come after the log-based metrics their queries read", () => {
    for (const policy of graph.ofType("google_monitoring_alert_policy")) {
      const text = JSON.stringify(body(out, policy).condition ?? body(out, policy).conditions ?? []);
      for (const metric of graph.ofType("google_logging_metric")) {
        const name = String(body(out, metric).name);
        if (!text.includes(`user_${name}`)) continue;
        expect(`${policy} after ${metric}: ${graph.orders(metric, policy)}`).toBe(`${policy} after ${metric}: true`);
      }
    }
  });
});

describe("construct-level dependencies", () => {
  it("are never used between resources: node.addDependency does not become a depends_on (REFERENCE.md §4)", () => {
    const root = path.join(__dirname, "..", "..");
    const offenders = ["stacks", "constructs"].flatMap((dir) =>
      fs
        .readdirSync(path.join(root, dir))
        .filter((f) => f.endsWith(".ts"))
        .filter((f) => /\.node\.addDependency\(/.test(fs.readFileSync(path.join(root, dir, f), "utf8")))
        .map((f) => `${dir}/${f}`),
    );
    expect(offenders).toEqual([]);
  });
});

describe("the graph reader", () => {
  const json = {
    resource: {
      google_a: { one: { x: "${google_b.two.id}" }, three: { depends_on: ["google_a.one"] } },
      google_b: { two: { y: "literal google_a.three" } },
    },
    data: { google_c: { four: { z: "${google_a.three.name}" } } },
  };
  const graph = new TerraformGraph(json);

  it("follows references inside ${} and depends_on, transitively, and ignores plain text", () => {
    expect(graph.orders("google_b.two", "google_a.one")).toBe(true);
    expect(graph.orders("google_b.two", "data.google_c.four")).toBe(true);
    expect(graph.orders("google_a.three", "google_b.two")).toBe(false);
  });
});
