/**
 * `gcloud`, as a MODEL for the runbook's steps (docs/first-deploy.md): the subcommands the runbook and
 * operator/ci/run-grants.sh use, answered from the stand-in providers' world (what the gke stack made) and a state
 * file of its own (what the runbook's steps made by hand: enabled services, secrets created with gcloud). The
 * machine's real gcloud cannot be used: Terraform's objects live only in the stand-ins, and Secret Manager, GKE and
 * Cloud SQL have no emulator here.
 *
 *   GCLOUD_MODEL_STATE    the state file (JSON), made on first use
 *   GCLOUD_MODEL_STANDINS the stand-ins' side channel URL (emulator/standin/server.ts)
 *   KUBECONFIG            where get-credentials writes the cluster's context
 *   KUBECTL_MODEL_LEDGER  the kubectl model's ledger, made by get-credentials for the cluster it reached
 *
 * Refuses as the APIs do where the runbook's order matters: Secret Manager answers SERVICE_DISABLED until its API is
 * enabled (by the runbook's `gcloud services enable` or by the gke stack), a secret version that does not exist is
 * NOT_FOUND, a cluster or instance nobody made is NOT_FOUND.
 */
import * as fs from "node:fs";
import { stringify } from "yaml";
import { Ledger } from "../kubernetes/ledger";

interface State {
  services: string[];
  secrets: Record<string, string[]>;
}

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function flagsOf(argv: string[]): { args: string[]; flags: Record<string, string> } {
  const args: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a.startsWith("--") && a.includes("=")) {
      const [k, ...v] = a.slice(2).split("=");
      flags[k] = v.join("=");
    } else if (a.startsWith("--") && ["location", "project", "secret", "data-file", "region", "zone"].includes(a.slice(2))) flags[a.slice(2)] = argv[++i];
    else if (a.startsWith("--")) flags[a.slice(2)] = "true";
    else args.push(a);
  }
  return { args, flags };
}

async function standins(route: string): Promise<any> {
  const url = process.env.GCLOUD_MODEL_STANDINS;
  if (!url) fail("gcloud model: GCLOUD_MODEL_STANDINS is not set");
  const response = await fetch(`${url}${route}`);
  return response.json();
}

async function main(): Promise<void> {
  const stateFile = process.env.GCLOUD_MODEL_STATE;
  if (!stateFile) fail("gcloud model: GCLOUD_MODEL_STATE is not set");
  const state: State = fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, "utf8")) : { services: [], secrets: {} };
  const save = () => fs.writeFileSync(stateFile, JSON.stringify(state));
  const { args, flags } = flagsOf(process.argv.slice(2));
  const project = flags.project;
  const objects = async (type: string) => ((await standins("/objects")) as Array<{ type: string; value: any }>).filter((o) => o.type === type);
  const enabled = async (service: string) =>
    state.services.includes(`${project}/${service}`) || (await objects("google_project_service")).some((o) => o.value.service === service && o.value.project === project);
  const command = args.join(" ");

  if (command.startsWith("services enable")) {
    for (const service of args.slice(2)) if (!state.services.includes(`${project}/${service}`)) state.services.push(`${project}/${service}`);
    save();
    process.stderr.write(`Operation "operations/model" finished successfully.\n`);
    return;
  }
  if (command.startsWith("secrets ")) {
    if (!(await enabled("secretmanager.googleapis.com"))) {
      fail(`ERROR: (gcloud.secrets) PERMISSION_DENIED: Secret Manager API has not been used in project ${project} before or it is disabled. reason: SERVICE_DISABLED`);
    }
    if (args[1] === "create") {
      const name = args[2];
      if (state.secrets[`${project}/${name}`] || (await objects("google_secret_manager_secret")).some((o) => o.value.secret_id === name)) {
        fail(`ERROR: (gcloud.secrets.create) ALREADY_EXISTS: Secret [projects/${project}/secrets/${name}] already exists.`);
      }
      const data = flags["data-file"] === "-" ? fs.readFileSync(0, "utf8") : fs.readFileSync(flags["data-file"], "utf8");
      state.secrets[`${project}/${name}`] = [data];
      save();
      process.stderr.write(`Created version [1] of the secret [${name}].\n`);
      return;
    }
    if (args[1] === "versions" && args[2] === "access") {
      const name = flags.secret;
      const own = state.secrets[`${project}/${name}`];
      if (own) return void process.stdout.write(own[own.length - 1]);
      // A secret Terraform wrote (secret_data_wo): the newest value the stand-ins received for it.
      const written = ((await standins("/write-only")) as Array<{ type: string; attribute: string; refs: string[]; value: string }>).filter(
        (w) => w.type === "google_secret_manager_secret_version" && w.attribute === "secret_data_wo" && w.refs.some((r) => r.endsWith(`/secrets/${name}`)),
      );
      if (written.length === 0) fail(`ERROR: (gcloud.secrets.versions.access) NOT_FOUND: Secret [projects/${project}/secrets/${name}] not found or has no versions.`);
      process.stdout.write(written[written.length - 1].value);
      return;
    }
  }
  if (command.startsWith("container clusters describe") || command.startsWith("container clusters get-credentials")) {
    const name = args[3];
    const cluster = (await objects("google_container_cluster")).find((o) => o.value.name === name && o.value.location === flags.location && o.value.project === project);
    if (!cluster) fail(`ERROR: (gcloud.container.clusters.${args[2]}) ResponseError: code=404, message=Not found: projects/${project}/locations/${flags.location}/clusters/${name}.`);
    if (args[2] === "describe") return void process.stdout.write(stringify({ name, location: flags.location, privateClusterConfig: cluster.value.private_cluster_config, workloadIdentityConfig: cluster.value.workload_identity_config, monitoringConfig: cluster.value.monitoring_config }));
    const context = `gke_${project}_${flags.location}_${name}`;
    fs.writeFileSync(process.env.KUBECONFIG!, `apiVersion: v1\nkind: Config\ncurrent-context: ${context}\ncontexts:\n- name: ${context}\n`);
    // The cluster this kubeconfig reaches: a fresh API server, serving Managed Prometheus' kinds when it is on.
    const gmp = Boolean(cluster.value.monitoring_config?.[0]?.managed_prometheus?.[0]?.enabled);
    if (!fs.existsSync(process.env.KUBECTL_MODEL_LEDGER!)) Ledger.empty(gmp).save(process.env.KUBECTL_MODEL_LEDGER!);
    process.stderr.write(`Fetching cluster endpoint and auth data.\nkubeconfig entry generated for ${name}.\n`);
    return;
  }
  if (command.startsWith("sql instances describe")) {
    const name = args[3];
    const instance = (await objects("google_sql_database_instance")).find((o) => o.value.name === name && o.value.project === project);
    if (!instance) fail(`ERROR: (gcloud.sql.instances.describe) HTTPError 404: The Cloud SQL instance does not exist.`);
    return void process.stdout.write(stringify({ name, region: instance.value.region, databaseVersion: instance.value.database_version, settings: { tier: instance.value.settings?.[0]?.tier, ipConfiguration: instance.value.settings?.[0]?.ip_configuration } }));
  }
  fail(`gcloud model: ${command} is not modelled`);
}

main().catch((error: unknown) => fail(`gcloud model: ${error instanceof Error ? error.message : String(error)}`));
