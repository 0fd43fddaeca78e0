/**
 * Google APIs as Terraform dependencies. Every Google resource and data source of a stack waits for the
 * `google_project_service` of each API it calls, so that a first apply into a project where the APIs are off
 * succeeds: the provider retries only while an activation is in progress, and answers SERVICE_DISABLED otherwise.
 *
 * cdktf's construct-level `node.addDependency` never reaches Terraform's `depends_on` between resources of one
 * stack; ordering must be on the resources themselves, which is what `enableGoogleApis` writes.
 *
 * @example
 *   // last line of a stack's constructor: enables what the stack's resources need and orders them after it
 *   enableGoogleApis(this);
 */
import type { Construct } from "constructs";
import { TerraformDataSource, TerraformResource, TerraformStack, dependable } from "cdktf";
import { ProjectService } from "@cdktf/provider-google/lib/project-service";

/**
 * The APIs each Google resource type calls. A type missing here fails synth: add it with the API its REST calls
 * go to (the provider's `*BasePath` for the service, in google/transport/config.go at the pinned tag).
 */
export const APIS_OF_TYPE: Readonly<Record<string, readonly string[]>> = {
  google_compute_network: ["compute.googleapis.com"],
  google_compute_subnetwork: ["compute.googleapis.com"],
  google_compute_router: ["compute.googleapis.com"],
  google_compute_router_nat: ["compute.googleapis.com"],
  google_compute_global_address: ["compute.googleapis.com"],
  google_service_networking_connection: ["servicenetworking.googleapis.com", "compute.googleapis.com"],
  google_kms_key_ring: ["cloudkms.googleapis.com"],
  google_kms_crypto_key: ["cloudkms.googleapis.com"],
  google_kms_crypto_key_iam_member: ["cloudkms.googleapis.com"],
  // The cluster evaluates the project's Binary Authorization policy: that API must be on too.
  google_container_cluster: ["container.googleapis.com", "binaryauthorization.googleapis.com"],
  // Every read of a pool also gets its instance group managers from Compute (google v6.50.0,
  // services/container/resource_container_node_pool.go:1149).
  google_container_node_pool: ["container.googleapis.com", "compute.googleapis.com"],
  google_service_account: ["iam.googleapis.com"],
  google_service_account_iam_member: ["iam.googleapis.com"],
  // projects.getIamPolicy/setIamPolicy and projects.get are Cloud Resource Manager calls.
  google_project_iam_member: ["cloudresourcemanager.googleapis.com"],
  google_project: ["cloudresourcemanager.googleapis.com"],
  google_sql_database_instance: ["sqladmin.googleapis.com"],
  google_sql_database: ["sqladmin.googleapis.com"],
  google_sql_user: ["sqladmin.googleapis.com"],
  google_secret_manager_secret: ["secretmanager.googleapis.com"],
  google_secret_manager_secret_version: ["secretmanager.googleapis.com"],
  google_redis_instance: ["redis.googleapis.com"],
  google_logging_metric: ["logging.googleapis.com"],
  google_monitoring_alert_policy: ["monitoring.googleapis.com"],
  google_dns_record_set: ["dns.googleapis.com"],
};

/** The resource that creates a service's agent on request: it needs the service it names, not a fixed API. */
export const SERVICE_IDENTITY_TYPE = "google_project_service_identity";

type GoogleElement = TerraformResource | TerraformDataSource;

/**
 * APIs the first deploy enables by hand before any stack runs (docs/first-deploy.md, prerequisites: enabling an API
 * goes through them, hashicorp/terraform-provider-google#16883). The stack still declares them, never disabling.
 */
export const PREREQUISITE_APIS: readonly string[] = ["serviceusage.googleapis.com", "cloudresourcemanager.googleapis.com"];

/**
 * A data source that calls only prerequisite APIs gets no depends_on (issue 22 item 6): Terraform defers a data
 * source's read to apply whenever anything in its depends_on has a pending change, and every attribute is then
 * unknown. For `data.google_project` that made the project number unknown on any edit of the Resource Manager API's
 * `google_project_service`, and each key grant's `member` (ForceNew) planned a replacement. Its API is on before the
 * first plan, so the read never has to wait.
 */
export function readsWithoutWaiting(element: GoogleElement): boolean {
  return element instanceof TerraformDataSource && apisOf(element).every((api) => PREREQUISITE_APIS.includes(api));
}

function googleElements(scope: Construct): GoogleElement[] {
  return scope.node
    .findAll()
    .filter((c): c is GoogleElement => c instanceof TerraformResource || c instanceof TerraformDataSource)
    .filter((c) => c.terraformResourceType.startsWith("google_") && c.terraformResourceType !== "google_project_service");
}

/** The APIs one resource or data source needs, as the map above (or its `service`, for a service identity) says. */
export function apisOf(element: GoogleElement): readonly string[] {
  const type = element.terraformResourceType;
  // `serviceInput` is the configured value (`service` itself reads back as a token).
  if (type === SERVICE_IDENTITY_TYPE) return [String((element as unknown as { serviceInput: string }).serviceInput)];
  const apis = APIS_OF_TYPE[type];
  if (apis === undefined) {
    throw new Error(`${element.node.path}: no API is known for ${type}; add it to APIS_OF_TYPE in constructs/google-apis.ts`);
  }
  return apis;
}

/** The construct id of an API's `google_project_service` (Terraform name `api_<first label>`). */
export function apiId(api: string): string {
  return `api-${api.split(".")[0]}`;
}

/**
 * Enables every API the stack's Google resources need (never disabling one on destroy: other stacks and people use
 * them too) and puts each API in the `depends_on` of every resource and data source that calls it. Call it last in
 * the stack's constructor; a validation fails synth if a Google resource added later lacks its API dependency.
 */
export function enableGoogleApis(stack: TerraformStack): Map<string, ProjectService> {
  const elements = googleElements(stack);
  const needed = [...new Set(elements.flatMap(apisOf))].sort();
  const services = new Map<string, ProjectService>();
  for (const api of needed) {
    services.set(api, new ProjectService(stack, apiId(api), { service: api, disableOnDestroy: false, disableDependentServices: false }));
  }
  // Bare addresses, as cdktf writes `dependsOn: [resource]`: Terraform refuses a `${…}` template in JSON depends_on
  // ("Invalid expression … A single static variable reference is required"). One token per API, so the check below
  // can find it again.
  const address = new Map([...services].map(([api, service]) => [api, dependable(service)]));
  for (const element of elements) {
    if (readsWithoutWaiting(element)) continue;
    const own = apisOf(element).map((api) => address.get(api)!);
    element.dependsOn = [...new Set([...(element.dependsOn ?? []), ...own])];
  }
  stack.node.addValidation({
    validate: () =>
      googleElements(stack).flatMap((element) =>
        (readsWithoutWaiting(element) ? [] : apisOf(element))
          .filter((api) => !(address.has(api) && (element.dependsOn ?? []).includes(address.get(api)!)))
          .map((api) => `${element.node.path}: ${element.terraformResourceType} must depend on google_project_service for ${api}; create it before enableGoogleApis(stack)`),
      ),
  });
  return services;
}
