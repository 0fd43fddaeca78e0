/**
 * The backup jobs' generated definitions: the CronJobs (validated against the Kubernetes OpenAPI schema by
 * kubernetes-models, and held to the issue's invariants), the VM's first-boot hook and units, the config checks,
 * and the GKE federation's trust policies at synth.
 */
import { gunzipSync } from "node:zlib";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { ConfigError, ENV_NAMES, loadEnvironments, parseEnvironment } from "../../config";
import { ENVIRONMENTS } from "../../config/environments";
import {
  BACKUP_SCRIPT_PATH,
  BACKUP_SCRIPT_SOURCE,
  backupDatabaseUser,
  backupScript,
  CLOUD_SQL_PROXY_VERSION,
  cloudSqlProxyArgs,
  clusterIssuer,
  backupServiceAccounts,
  gkeRoleNames,
  kubectlYaml,
  manifestPlaceholders,
  PLACEHOLDER_HEADER,
  kubernetesObjects,
  systemdService,
  systemdTimer,
  VM_ENV_FILE,
  VM_TEXTFILE_DIR,
  vmEnvironment,
  vmFirstBootExtension,
  VM_RESTORE_USER,
  vmSysusers,
  worstCaseSeconds,
} from "../../backup/jobs";
import { kubernetesFiles, manifestObjects, manifestSet } from "../../backup/manifests";
import { EXPORTER_PORTS } from "../../constructs/packagecloud-vm";
import { GkeAwsFederation } from "../../constructs/gke-aws-federation";
import { cloudSqlConnectionName } from "../../config/naming";
import { constructStack, sharedStack, sharedStorage, synth, Synthesized } from "../support/synth";
import PROXY_FLAGS from "./cloud-sql-proxy-flags.json";

const envs = loadEnvironments();

describe.each(ENV_NAMES)("Kubernetes backup jobs of %s", (name) => {
  const env = envs[name];
  const cronJobs = kubernetesObjects(env);
  const serviceAccounts = backupServiceAccounts(env);
  const byName = (n: string) => cronJobs.find((c) => c.metadata?.name === n)!;

  it("validates every object against the Kubernetes schema", () => {
    expect([...serviceAccounts, ...cronJobs].map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual([
      `ServiceAccount/${env.backupJob.kubernetes.backupServiceAccount}`,
      `ServiceAccount/${env.backupJob.kubernetes.restoreServiceAccount}`,
      "CronJob/packagecloud-offsite-backup",
      "CronJob/packagecloud-restore-verify",
    ]);
    for (const object of [...serviceAccounts, ...cronJobs]) expect(() => object.validate()).not.toThrow();
  });

  it.each(["packagecloud-offsite-backup", "packagecloud-restore-verify"])("%s: Forbid, deadlines, backoff, resources, non-root, read-only root", (job) => {
    const spec = byName(job).spec!;
    expect(spec.concurrencyPolicy).toBe("Forbid");
    expect(spec.timeZone).toBe("Etc/UTC");
    const jobSpec = spec.jobTemplate.spec!;
    expect(jobSpec.backoffLimit).toBe(1);
    expect(jobSpec.activeDeadlineSeconds).toBe(worstCaseSeconds(env, job.endsWith("backup") ? "backup" : "verify-restore"));
    const pod = jobSpec.template.spec!;
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    expect(pod.automountServiceAccountToken).toBe(false);
    for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
      expect(container.image).toMatch(/@sha256:[0-9a-f]{64}$/);
      expect(container.resources?.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(container.resources?.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(container.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    }
  });

  it("runs at the configured UTC times", () => {
    const cron = (hhmm: string) => `${Number(hhmm.slice(3))} ${Number(hhmm.slice(0, 2))} * * *`;
    expect(byName("packagecloud-offsite-backup").spec!.schedule).toBe(cron(env.backupJob.schedule.backupUtc));
    expect(byName("packagecloud-restore-verify").spec!.schedule).toBe(cron(env.backupJob.schedule.restoreVerificationUtc));
  });

  it("reaches AWS with a projected, audience-bound token for its own role, never a static key", () => {
    for (const [job, role] of [["packagecloud-offsite-backup", gkeRoleNames(env).backup], ["packagecloud-restore-verify", gkeRoleNames(env).restore]] as const) {
      const pod = byName(job).spec!.jobTemplate.spec!.template.spec!;
      const main = pod.containers[0];
      const vars = Object.fromEntries((main.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));
      expect(vars.AWS_ROLE_ARN).toBe(`arn:aws:iam::${env.aws.accountId}:role/${role}`);
      expect(vars.AWS_WEB_IDENTITY_TOKEN_FILE).toBe("/var/run/secrets/aws/token");
      expect(Object.keys(vars)).not.toContain("AWS_SECRET_ACCESS_KEY");
      const token = pod.volumes!.find((v) => v.name === "aws-token")!.projected!.sources![0].serviceAccountToken;
      expect(token).toEqual({ path: "token", audience: "sts.amazonaws.com", expirationSeconds: 3600 });
    }
  });

  describe("the Cloud SQL login: Cloud SQL Auth Proxy v2 as a native sidecar, automatic IAM authentication", () => {
    const pod = byName("packagecloud-offsite-backup").spec!.jobTemplate.spec!.template.spec!;
    const main = pod.containers[0];
    const proxy = pod.initContainers?.find((c) => c.name === "cloud-sql-proxy");
    const vars = Object.fromEntries((main.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));

    it("dumps through the proxy on 127.0.0.1 as the IAM database user, with no password, and pushes metrics to the configured Pushgateway", () => {
      expect(main.command).toEqual([BACKUP_SCRIPT_PATH, "backup"]);
      expect(vars).toMatchObject({
        BACKUP_SOURCE: "mysqldump",
        DB_HOST: "127.0.0.1",
        DB_PORT: "3306",
        DB_USER: `packagecloud-${name}-backup`,
        DB_AUTH: "none",
        // Both environments run a dedicated cluster: this repository's Pushgateway (monitoring/pushgateway.ts).
        PUSHGATEWAY_URL: "http://prometheus-pushgateway.monitoring.svc:9091",
      });
      // Nothing that carries or fetches a database credential: no password file, no token, no extra client flags.
      expect(Object.keys(vars).filter((k) => /PASSWORD|PWD|TOKEN(?!_FILE$)|EXTRA_ARGS|GCE_METADATA/.test(k))).toEqual([]);
      expect(Object.values(vars).filter((v) => typeof v === "object" && JSON.stringify(v).includes("configMapKeyRef"))).toEqual([]);
    });

    it("runs the proxy v2 as a native sidecar with exactly these flags (cloud-sql-proxy v2.25.3: cmd/root.go, examples/k8s-sidecar)", () => {
      expect(proxy).toBeDefined();
      expect(proxy!.restartPolicy).toBe("Always");
      expect(proxy!.command).toBeUndefined(); // the image's ENTRYPOINT is /cloud-sql-proxy (its Dockerfile)
      expect(proxy!.args).toEqual([
        "--auto-iam-authn",
        "--private-ip",
        "--address=127.0.0.1",
        "--port=3306",
        "--health-check",
        "--http-address=127.0.0.1",
        "--http-port=9801",
        "--structured-logs",
        "--exit-zero-on-sigterm",
        `${env.gcp.project}:${env.gcp.region}:packagecloud-${name}-mysql`,
      ]);
      expect(proxy!.image).toBe(env.backupJob.kubernetes.images.cloudSqlProxy);
      expect(proxy!.image).toMatch(/^gcr\.io\/cloud-sql-connectors\/cloud-sql-proxy@sha256:[0-9a-f]{64}$/);
    });

    it("listens on loopback only: no container port, every address 127.0.0.1", () => {
      expect(proxy!.ports).toBeUndefined();
      const addresses = proxy!.args!.filter((a) => /^--(http-)?address=/.test(a));
      expect(addresses).toEqual(["--address=127.0.0.1", "--http-address=127.0.0.1"]);
    });

    it("starts the dump only after the proxy's /startup answers (startup probe through `cloud-sql-proxy wait` on loopback)", () => {
      expect(proxy!.startupProbe).toEqual({
        exec: { command: ["/cloud-sql-proxy", "wait", "--http-address=127.0.0.1", "--http-port=9801", "--max=2s"] },
        periodSeconds: 2,
        timeoutSeconds: 5,
        failureThreshold: 30,
      });
      // The probe's `wait` must finish inside the probe's timeout, or the kubelet counts a slow start as a failure.
      const max = Number(/--max=(\d+)s/.exec(proxy!.startupProbe!.exec!.command!.join(" "))![1]);
      expect(max).toBeLessThan(proxy!.startupProbe!.timeoutSeconds!);
    });

    it("runs the proxy as the image's nonroot user (65532) with the restricted security context and bounded resources", () => {
      expect(proxy!.securityContext).toEqual({
        runAsNonRoot: true,
        runAsUser: 65532,
        runAsGroup: 65532,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      });
      expect(proxy!.resources).toEqual({ requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "512Mi" } });
    });

    it("logs in as the MySQL IAM user of the Workload Identity its Kubernetes service account is bound to", () => {
      // MySQL IAM user = the service account's email without "@<project>.iam.gserviceaccount.com" (cloud-sql-proxy
      // v2.25.3 README.md, "Configuring IAM Database Authentication").
      const sa = serviceAccounts.find((o) => o.metadata?.name === env.backupJob.kubernetes.backupServiceAccount)!;
      const email = sa.metadata!.annotations!["iam.gke.io/gcp-service-account"];
      expect(email).toBe(`${backupDatabaseUser(env)}@${env.gcp.project}.iam.gserviceaccount.com`);
      expect(vars.DB_USER).toBe(email.slice(0, email.indexOf("@")));
      expect(pod.serviceAccountName).toBe(env.backupJob.kubernetes.backupServiceAccount);
    });
  });

  describe("against the gke stack that creates the instance and the identity", () => {
    const gke = sharedStack(name, "gke");

    it("names the instance the gke stack creates, in its provider's project and region", () => {
      const instance = gke.resource("google_sql_database_instance", "database");
      expect(gke.json.provider.google).toEqual([expect.objectContaining({ project: env.gcp.project, region: env.gcp.region })]);
      expect(instance.region).toBe(env.gcp.region);
      expect(cloudSqlConnectionName(env)).toBe(`${env.gcp.project}:${env.gcp.region}:${instance.name}`);
    });

    it("logs in as the service account the gke stack creates, binds to the job's namespace/service account, and registers as a Cloud SQL IAM user", () => {
      expect(gke.resource("google_service_account", "offsite_backup_service_account").account_id).toBe(backupDatabaseUser(env));
      expect(gke.resource("google_service_account_iam_member", "offsite_backup_workload_identity_binding").member).toBe(
        `serviceAccount:${env.gcp.project}.svc.id.goog[${env.backupJob.kubernetes.namespace}/${env.backupJob.kubernetes.backupServiceAccount}]`,
      );
      const roles = Object.values(gke.resources("google_project_iam_member"))
        .filter((m: any) => m.member === "serviceAccount:${google_service_account.offsite_backup_service_account.email}")
        .map((m: any) => m.role);
      expect(roles.sort()).toEqual(["roles/cloudsql.client", "roles/cloudsql.instanceUser"]);
      expect(gke.resource("google_sql_user", "database_iam_backup")).toMatchObject({ type: "CLOUD_IAM_SERVICE_ACCOUNT" });
    });
  });

  it("writes cdktf.out/kubernetes/<env>/ in apply order: namespace and service accounts, policies, metrics, CronJobs; the grants Job apart", () => {
    const files = kubernetesFiles([env]);
    expect(Object.keys(files)).toEqual([
      `kubernetes/${name}/00-namespace.yaml`,
      `kubernetes/${name}/10-network-policies.yaml`,
      `kubernetes/${name}/20-metrics.yaml`,
      `kubernetes/${name}/backup-jobs.yaml`,
      `kubernetes/${name}/run-once/database-grants.yaml`,
    ]);
    const docs = parseAllDocuments(files[`kubernetes/${name}/backup-jobs.yaml`]).map((d) => d.toJSON());
    expect(docs.map((d) => d.kind)).toEqual(["CronJob", "CronJob"]);
    for (const doc of docs) expect(() => new CronJob(doc).validate()).not.toThrow();
    const first = parseAllDocuments(files[`kubernetes/${name}/00-namespace.yaml`]).map((d) => d.toJSON());
    expect(first.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      "Namespace/packagecloud",
      "Namespace/monitoring",
      "ServiceAccount/packagecloud-offsite-backup",
      "ServiceAccount/packagecloud-restore-verify",
      "ServiceAccount/prometheus-pushgateway",
    ]);
    for (const doc of first.filter((d) => d.kind === "ServiceAccount")) expect(() => new ServiceAccount(doc).validate()).not.toThrow();
  });
});

describe("VM job facts (packagecloud's upgrade docs; node_exporter scraped)", () => {
  it("names packagecloud's client and database, the complete-file rule and the scratch reserve in the verification's environment", () => {
    const backup = vmEnvironment(envs.ops, "backup");
    const verify = vmEnvironment(envs.ops, "verify-restore");
    expect(verify.MYSQL_BIN).toBe("/opt/packagecloud/embedded/mysqlclient/bin/mysql");
    expect(verify.VERIFY_DATABASE).toBe("packages_onpremise");
    expect(verify.SCRATCH_RESERVE_PERCENT).toBe("20");
    expect(backup.XBSTREAM_SETTLE_MINUTES).toBe("30");
    expect(backup.METRICS_FILE.startsWith(`${VM_TEXTFILE_DIR}/`)).toBe(true);
  });

  it("node_exporter's port is open to Prometheus in the VM's security group", () => {
    expect(EXPORTER_PORTS["node-exporter"]).toBe(9100);
  });
});

describe("GKE: scratch space and disruptions", () => {
  const cronJobs = kubernetesObjects(envs.ops);
  const claim = (volumes: NonNullable<ReturnType<typeof podOf>["volumes"]>, name: string) => volumes.find((v) => v.name === name)!.ephemeral!.volumeClaimTemplate!.spec;
  const podOf = (name: string) => cronJobs.find((c) => c.metadata?.name === name)!.spec!.jobTemplate.spec!.template.spec!;

  it.each(["packagecloud-offsite-backup", "packagecloud-restore-verify"])("%s: large data on per-pod pd-balanced disks, every emptyDir capped, evictions retried, not evictable by the autoscaler, pods and disks gone an hour after", (name) => {
    const job = cronJobs.find((c) => c.metadata?.name === name)!.spec!.jobTemplate.spec!;
    const volumes = job.template.spec!.volumes!;
    for (const v of volumes) if (v.emptyDir) expect(v.emptyDir.sizeLimit).toBeDefined();
    // The default work disk, on GKE's pd-balanced class (standard-rwo), named rather than the cluster's default.
    expect(claim(volumes, "work")).toEqual({ accessModes: ["ReadWriteOnce"], storageClassName: "standard-rwo", resources: { requests: { storage: "200Gi" } } });
    expect(job.podFailurePolicy).toEqual({ rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] }] });
    expect(job.template.spec!.restartPolicy).toBe("Never"); // podFailurePolicy requires it
    // A finished Job's pod keeps its disks: an hour, not a day (issue 29: 3 x 200 GiB per environment a day).
    expect(job.ttlSecondsAfterFinished).toBe(3600);
    expect(job.template.spec!.terminationGracePeriodSeconds).toBe(90); // the SIGTERM trap pushes its metric first
    // Cluster Autoscaler FAQ: a pod annotated safe-to-evict "false" keeps its node from scale-down.
    expect(job.template.metadata!.annotations).toEqual({ "cluster-autoscaler.kubernetes.io/safe-to-evict": "false" });
  });

  it("sizes the scratch MySQL's datadir from configuration: by default the source instance's disk (gcp.sql.diskGb)", () => {
    expect(claim(podOf("packagecloud-restore-verify").volumes!, "mysql-data").resources!.requests!.storage).toBe("500Gi"); // ops: gcp.sql.diskGb 500
    const pre = kubernetesObjects(envs.pre).find((c) => c.metadata?.name === "packagecloud-restore-verify")!.spec!.jobTemplate.spec!.template.spec!;
    expect(claim(pre.volumes!, "mysql-data").resources!.requests!.storage).toBe("50Gi"); // pre: 50
    const sized = { ...envs.ops, backupJob: { ...envs.ops.backupJob, kubernetes: { ...envs.ops.backupJob.kubernetes, restoreDataDiskGiB: 1200, workDiskGiB: 300 } } };
    const pod = kubernetesObjects(sized).find((c) => c.metadata?.name === "packagecloud-restore-verify")!.spec!.jobTemplate.spec!.template.spec!;
    expect(claim(pod.volumes!, "mysql-data").resources!.requests!.storage).toBe("1200Gi");
    expect(claim(pod.volumes!, "work").resources!.requests!.storage).toBe("300Gi");
  });
});

describe("manifests as kubectl reads them (YAML 1.1)", () => {
  // kubectl decodes manifests with sigs.k8s.io/yaml over go-yaml v2, a YAML 1.1 resolver: `yes` is a boolean there.
  const asKubectl = (text: string) => parseAllDocuments(text, { version: "1.1" }).map((d) => d.toJSON());
  const as12 = (text: string) => parseAllDocuments(text, { version: "1.2" }).map((d) => d.toJSON());

  it.each(ENV_NAMES)("every generated manifest of %s reads back as its objects under YAML 1.1 and 1.2 alike", (name) => {
    const env = envs[name];
    const files = kubernetesFiles([env]);
    for (const [file, manifests] of Object.entries(manifestSet(env))) {
      const objects = manifestObjects(manifests);
      const text = files[`kubernetes/${name}/${file}`];
      expect(asKubectl(text)).toEqual(objects);
      expect(as12(text)).toEqual(objects);
    }
  });

  it("fails if: the manifest is written as YAML 1.2 plain scalars (an env value `yes` becomes a boolean)", () => {
    // A value YAML 1.1 reads as a boolean, in the restore CronJob's verify container (the jobs hold none today: the
    // writer must keep it a string whatever the configuration puts there).
    const objects = kubernetesObjects(envs.ops).map((o) => JSON.parse(JSON.stringify(o.toJSON())));
    objects[1].spec.jobTemplate.spec.template.spec.containers[0].env.push({ name: "VERIFY_STRICT", value: "yes" });
    const before = objects.map((o) => stringify(o, { lineWidth: 0 })).join("---\n");
    expect(before).toMatch(/value: yes\n/);
    const read = asKubectl(before);
    expect(read).not.toEqual(objects);
    const env = read[1].spec.jobTemplate.spec.template.spec.containers[0].env;
    expect(env[env.length - 1]).toEqual({ name: "VERIFY_STRICT", value: true });
    // ...which the Kubernetes schema refuses (EnvVar.value must be a string), as the API server would.
    expect(() => new CronJob(read[1]).validate()).toThrow(/value must be string/);
    expect(asKubectl(kubectlYaml(objects))).toEqual(objects);
  });
});

describe("placeholders are refused before kubectl apply (operator/ci/kubectl-apply.sh)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubectl-apply-"));
  const script = path.join(__dirname, "..", "..", "operator", "ci", "kubectl-apply.sh");
  const run = (files: Record<string, string>, extra: Record<string, string> = {}) => {
    const root = path.join(dir, String(Math.random()).slice(2));
    fs.mkdirSync(path.join(root, "operator", "ci"), { recursive: true });
    fs.copyFileSync(script, path.join(root, "operator", "ci", "kubectl-apply.sh"));
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, "cdktf.out", file)), { recursive: true });
      fs.writeFileSync(path.join(root, "cdktf.out", file), text);
    }
    // A stand-in kubectl first on PATH: it prints what it was asked to do, and answers api-resources as a cluster
    // with (or, with NO_GMP, without) Managed Service for Prometheus' managed collection.
    fs.mkdirSync(path.join(root, "bin"));
    fs.writeFileSync(
      path.join(root, "bin", "kubectl"),
      '#!/bin/sh\nif [ "$1" = api-resources ]; then [ -n "$NO_GMP" ] || printf "clusterpodmonitorings.monitoring.googleapis.com\\npodmonitorings.monitoring.googleapis.com\\nrules.monitoring.googleapis.com\\n"; exit 0; fi\necho "kubectl $*"\n',
      { mode: 0o755 },
    );
    return spawnSync("bash", [path.join(root, "operator", "ci", "kubectl-apply.sh"), "ops", "--server-side"], { encoding: "utf8", env: { PATH: `${path.join(root, "bin")}:/usr/bin:/bin`, ...extra } });
  };
  const clean = () => Object.fromEntries(Object.entries(kubernetesFiles([envs.ops])).map(([f, t]) => [f, t.replace(/^# placeholder-fields: .*$/m, `${PLACEHOLDER_HEADER} none`)]));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("names every placeholder field the ops manifest holds (the all-zero digests, the example account id, the age recipient)", () => {
    const text = kubernetesFiles([envs.ops])["kubernetes/ops/backup-jobs.yaml"];
    const header = text.split("\n").find((l) => l.startsWith(PLACEHOLDER_HEADER))!;
    expect(header).toBe(`${PLACEHOLDER_HEADER} aws.accountId, backupJob.ageRecipient, backupJob.kubernetes.images.backup, backupJob.kubernetes.images.scratchMysql, backupJob.kubernetes.images.cloudSqlProxy`);
  });

  it("fails if: the manifest still holds placeholders (exit 4 before kubectl, naming the fields)", () => {
    const result = run(kubernetesFiles([envs.ops]));
    expect(result.stdout).toBe(""); // kubectl never ran
    expect(result.stderr).toMatch(/refusing to apply cdktf\.out\/kubernetes\/ops\/backup-jobs\.yaml: it still holds this repository's placeholder values in aws\.accountId, .*backupJob\.kubernetes\.images\.backup/);
    expect(result.status).toBe(4);
  });

  it("refuses an unmarked all-zero digest too, and lets a clean manifest through to kubectl", () => {
    const env = envs.ops;
    expect(manifestPlaceholders(env, "image: example.com/x@sha256:" + "0".repeat(64))).toEqual([`image digest sha256:${"0".repeat(64)}`]);
    const clean = run({ "kubernetes/ops/backup-jobs.yaml": `${PLACEHOLDER_HEADER} none\napiVersion: v1\nkind: ServiceAccount\n` });
    expect(clean.stderr).toBe("");
    expect(clean.stdout).toMatch(/^kubectl apply --server-side -f \/.*\/cdktf\.out\/kubernetes\/ops\n$/);
    expect(clean.status).toBe(0);
  });

  it("applies the whole synthesized directory (kubectl orders its files: 00-namespace.yaml first) where the cluster serves PodMonitoring and Rules", () => {
    const result = run(clean());
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^kubectl apply --server-side -f \/.*\/cdktf\.out\/kubernetes\/ops\n$/);
    expect(result.status).toBe(0);
  });

  it("fails if: the cluster does not serve Managed Service for Prometheus' kinds (exit 5 before applying anything, naming the setting)", () => {
    const result = run(clean(), { NO_GMP: "1" });
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/does not serve podmonitorings\.monitoring\.googleapis\.com[\s\S]*monitoring_config\.managed_prometheus\.enabled = true/);
    expect(result.status).toBe(5);
  });
});

describe("the Kubernetes schema check", () => {
  it("fails if a CronJob has no schedule (kubernetes-models' OpenAPI validation)", () => {
    const job = kubernetesObjects(envs.ops).find((o) => o.kind === "CronJob") as CronJob;
    const broken = new CronJob({ ...job.toJSON(), spec: { ...job.spec!, schedule: undefined as unknown as string } });
    expect(() => broken.validate()).toThrow(/must have required property 'schedule'|schedule/);
  });
});

describe("the Cloud SQL Auth Proxy's flags, against the proxy's own command reference", () => {
  // test/backup/cloud-sql-proxy-flags.json: every flag of cloud-sql-proxy and of its `wait` subcommand at the tag,
  // extracted from docs/cmd/cloud-sql-proxy.md and docs/cmd/cloud-sql-proxy_wait.md (generated from cmd/root.go).
  const root = PROXY_FLAGS.root as Record<string, string>;
  const wait = PROXY_FLAGS.wait as Record<string, string>;
  const parse = (arg: string) => /^--([a-z0-9-]+)(?:=(.*))?$/.exec(arg);
  const valid = (flags: Record<string, string>, arg: string): string | undefined => {
    const m = parse(arg);
    if (!m) return `${arg}: not a --flag`;
    const type = flags[m[1]];
    if (type === undefined) return `--${m[1]}: no such flag`;
    if (type === "bool" && m[2] !== undefined) return `--${m[1]}: a boolean flag, given a value`;
    if (type !== "bool" && m[2] === undefined) return `--${m[1]}: needs a value (${type})`;
    if ((type === "int" || type === "uint") && !/^\d+$/.test(m[2]!)) return `--${m[1]}: needs a number`;
    if (type === "duration" && !/^\d+(ms|s|m|h)$/.test(m[2]!)) return `--${m[1]}: needs a Go duration`;
    return undefined;
  };

  it("reads the flags of the release the job pins (CLOUD_SQL_PROXY_VERSION)", () => {
    expect(PROXY_FLAGS.tag).toBe(`v${CLOUD_SQL_PROXY_VERSION}`);
    expect(PROXY_FLAGS.sources).toEqual([
      `https://github.com/GoogleCloudPlatform/cloud-sql-proxy/blob/v${CLOUD_SQL_PROXY_VERSION}/docs/cmd/cloud-sql-proxy.md`,
      `https://github.com/GoogleCloudPlatform/cloud-sql-proxy/blob/v${CLOUD_SQL_PROXY_VERSION}/docs/cmd/cloud-sql-proxy_wait.md`,
    ]);
  });

  it.each(ENV_NAMES)("passes %s's proxy only flags it has, typed as it declares them, and one instance connection name last", (name) => {
    const args = cloudSqlProxyArgs(envs[name]);
    const flags = args.slice(0, -1);
    expect(flags.map((a) => valid(root, a)).filter(Boolean)).toEqual([]);
    expect(new Set(flags.map((a) => parse(a)![1])).size).toBe(flags.length);
    // INSTANCE_CONNECTION_NAME: <project>:<region>:<instance> ("cloud-sql-proxy my-project:us-central1:my-db-server").
    expect(args[args.length - 1]).toMatch(/^[a-z][-a-z0-9]{4,28}[a-z0-9]:[a-z]+-[a-z]+\d:[a-z][-a-z0-9]*$/);
  });

  it("uses the health check server only together with --health-check (cmd/root.go ignores --http-port otherwise)", () => {
    const flags = cloudSqlProxyArgs(envs.ops);
    expect(flags).toContain("--health-check");
    const pod = (kubernetesObjects(envs.ops).find((o) => o.kind === "CronJob" && o.metadata?.name === "packagecloud-offsite-backup") as CronJob).spec!.jobTemplate.spec!.template.spec!;
    const probe = pod.initContainers!.find((c) => c.name === "cloud-sql-proxy")!.startupProbe!.exec!.command!;
    expect(probe.slice(0, 2)).toEqual(["/cloud-sql-proxy", "wait"]);
    expect(probe.slice(2).map((a) => valid(wait, a)).filter(Boolean)).toEqual([]);
    // The probe asks the address and port the proxy serves its health check on.
    for (const flag of ["--http-address", "--http-port"]) {
      expect(probe.find((a) => a.startsWith(`${flag}=`))).toBe(flags.find((a) => a.startsWith(`${flag}=`)));
    }
  });

  it("fails if a flag is misspelt, unknown, or given the wrong kind of value (the check itself)", () => {
    expect(valid(root, "--auto-iam-auth")).toBe("--auto-iam-auth: no such flag");
    expect(valid(root, "--private-ip=true")).toBe("--private-ip: a boolean flag, given a value");
    expect(valid(root, "--port")).toBe("--port: needs a value (int)");
    expect(valid(root, "--port=mysql")).toBe("--port: needs a number");
    expect(valid(wait, "--max=2")).toBe("--max: needs a Go duration");
    expect(valid(wait, "--auto-iam-authn")).toBe("--auto-iam-authn: no such flag");
  });
});

describe("the exit codes the rules tell apart", () => {
  it("are the script's own: 143 interrupted (128 + SIGTERM), 8 no backup to verify yet", () => {
    const { EXIT_CODES } = require("../../monitoring/definitions");
    const script = backupScript();
    expect(script).toMatch(new RegExp(`^readonly EXIT_INTERRUPTED=${EXIT_CODES.interrupted}\\b`, "m"));
    expect(script).toMatch(new RegExp(`^readonly EXIT_NO_BACKUP=${EXIT_CODES.noBackupYet}\\b`, "m"));
    expect(EXIT_CODES).toEqual({ interrupted: 143, noBackupYet: 8 });
    // The TERM trap finishes with it.
    expect(script).toContain(`trap 'log "interrupted"; finish "$EXIT_INTERRUPTED"' TERM INT`);
  });
});

describe("the script's database login modes", () => {
  // db_args alone, as the script runs its steps (`packagecloud-backup __fn <function>`): no database needed.
  const dbArgs = (vars: Record<string, string>) =>
    spawnSync("bash", [BACKUP_SCRIPT_SOURCE, "__fn", "db_args", "DB_"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH, ...vars },
    });

  it("accepts none (the GKE job through the proxy) and password-file", () => {
    expect(dbArgs({ DB_AUTH: "none", DB_HOST: "127.0.0.1" }).status).toBe(0);
    expect(dbArgs({ DB_AUTH: "password-file", DB_PASSWORD_FILE: "/dev/null" }).status).toBe(0);
  });

  it("fails if DB_AUTH is gcp-iam: the token-as-password login is gone (exit 2, configuration)", () => {
    const run = dbArgs({ DB_AUTH: "gcp-iam" });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/configuration: DB_AUTH must be none or password-file/);
  });
});

describe("VM variant", () => {
  const env = envs.ops;

  it("installs the script, the restore user, both jobs' environments and units at first boot, and enables both timers", () => {
    const ext = vmFirstBootExtension(env);
    expect(ext.packages).toEqual(["awscli", "age", "prometheus-node-exporter"]); // node_exporter serves the textfiles on :9100
    expect(ext.writeFiles.map((f) => f.path)).toEqual([
      BACKUP_SCRIPT_PATH,
      "/etc/sysusers.d/packagecloud-restore.conf",
      VM_ENV_FILE,
      "/etc/systemd/system/packagecloud-offsite-backup.service",
      "/etc/systemd/system/packagecloud-offsite-backup.timer",
      "/etc/packagecloud-backup/packagecloud-restore-verify.env",
      "/etc/systemd/system/packagecloud-restore-verify.service",
      "/etc/systemd/system/packagecloud-restore-verify.timer",
    ]);
    expect(ext.writeFiles[0].content).toBe(backupScript());
    // The environment files hold bucket names and paths, no secret, and are root's alone anyway.
    expect(ext.writeFiles.filter((f) => f.path.endsWith(".env")).map((f) => f.permissions)).toEqual(["0600", "0600"]);
    expect(ext.runcmd).toEqual([
      ["mkdir", "-p", "/var/lib/prometheus/node-exporter"],
      ["systemd-sysusers", "/etc/sysusers.d/packagecloud-restore.conf"],
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", "--now", "packagecloud-offsite-backup.timer"],
      ["systemctl", "enable", "--now", "packagecloud-restore-verify.timer"],
    ]);
  });

  it("verifies the newest offsite xbstream with packagecloud's own MySQL, as an unprivileged scratch server, with the age identity placed out of band", () => {
    const vars = vmEnvironment(env, "verify-restore");
    expect(vars).toMatchObject({
      RESTORE_SOURCE: "xbstream",
      XBSTREAM_BIN: env.backupJob.vm.binaries.xbstream,
      XTRABACKUP_BIN: env.backupJob.vm.binaries.xtrabackup,
      MYSQLD_BIN: env.backupJob.vm.binaries.mysqld,
      MYSQLD_USER: VM_RESTORE_USER,
      VERIFY_DATABASE: env.backupJob.vm.database,
      VERIFY_TABLES: env.backupJob.verify.tables.join(" "),
      AGE_IDENTITY_FILE: "/etc/packagecloud-backup/age-identity",
      WORK_DIR: "/var/opt/packagecloud",
      BACKUP_BUCKET: env.storage.offsiteBackups.bucketName,
    });
    // Each job rewrites its own textfile whole: they must not share one.
    expect(vars.METRICS_FILE).not.toBe(vmEnvironment(env).METRICS_FILE);
    expect(Object.keys(vars).filter((k) => /SECRET|ACCESS_KEY|AGE_RECIPIENT/.test(k))).toEqual([]);
    expect(vmSysusers()).toBe(`u ${VM_RESTORE_USER} - "packagecloud restore verification (scratch MySQL)" /nonexistent /usr/sbin/nologin\n`);
  });

  it("bounds the verification's CPU, memory and I/O so that it cannot starve packagecloud, and runs it at its own time", () => {
    const service = systemdService(env, "verify-restore");
    expect(service).toContain("ExecStart=/usr/local/sbin/packagecloud-backup verify-restore");
    // Every attempt of the download timing out, then the unpack and the prepare (each bounded by the restore
    // timeout), then the scratch server's 15 minutes to open, plus 15 minutes for listing and metrics; and the
    // download's checksum, a step of its own bounded by the fetch timeout (it never runs in the foreground).
    const t = env.backupJob.timeouts;
    expect(worstCaseSeconds(env, "verify-restore")).toBe((t.fetchMinutes * (env.backupJob.attempts + 1) + 2 * t.restoreMinutes + 15 + 15) * 60);
    expect(service).toContain(`TimeoutStartSec=${worstCaseSeconds(env, "verify-restore")}`);
    expect(service).toMatch(/^CPUQuota=200%$/m);
    expect(service).toMatch(/^MemoryMax=3G$/m);
    expect(service).toMatch(/^IOSchedulingClass=idle$/m);
    expect(systemdTimer(env, "verify-restore")).toContain(`OnCalendar=*-*-* ${env.backupJob.schedule.restoreVerificationUtc}:00 UTC`);
  });

  it("copies the newest local xbstream with the instance role (no key in the environment file)", () => {
    const vars = vmEnvironment(env);
    expect(vars).toMatchObject({ BACKUP_SOURCE: "xbstream", XBSTREAM_DIR: "/var/opt/packagecloud/backups", BACKUP_BUCKET: env.storage.offsiteBackups.bucketName });
    expect(Object.keys(vars).filter((k) => /SECRET|ACCESS_KEY/.test(k))).toEqual([]);
  });

  it("bounds the service by the worst case of its steps, and runs daily at the configured time", () => {
    expect(systemdService(env)).toContain(`TimeoutStartSec=${worstCaseSeconds(env, "backup")}`);
    expect(systemdTimer(env)).toContain(`OnCalendar=*-*-* ${env.backupJob.schedule.backupUtc}:00 UTC`);
    expect(systemdTimer(env)).toContain("Persistent=true");
  });

  it.each(ENV_NAMES)("keeps the user data %s's instance gets under EC2's 16 KB limit, the backup job travelling in the bundle", (name) => {
    // EC2 API reference, RunInstances: "User data is limited to 16 KB" (before base64 encoding). The instance gets
    // only the bootstrap; the scripts, the backup job and its units are in the config bundle (an S3 object).
    const instance = sharedStack(name, "vm").resource("aws_instance", "vm_instance");
    expect(Buffer.from(instance.user_data_base64, "base64").length).toBeLessThan(16 * 1024);
    expect(gunzipSync(Buffer.from(instance.user_data_base64, "base64")).toString("utf8")).not.toContain(BACKUP_SCRIPT_PATH);
  });
});

describe("config: backupJob", () => {
  const rejection = (change: (job: any) => void): string => {
    const copy = structuredClone(ENVIRONMENTS.ops) as any;
    change(copy.backupJob);
    try {
      parseEnvironment("ops", copy);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error("the configuration was accepted");
  };

  it("fails if an image is not pinned by digest", () => {
    expect(rejection((j) => (j.kubernetes.images.backup = "registry.gitlab.com/x/backup:latest"))).toMatch(/backupJob\.kubernetes\.images\.backup = .*must be an image pinned by digest/);
  });
  it("fails if the Cloud SQL Auth Proxy image is a tag, not a digest", () => {
    expect(rejection((j) => (j.kubernetes.images.cloudSqlProxy = "gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.25.3"))).toMatch(
      /backupJob\.kubernetes\.images\.cloudSqlProxy = .*must be an image pinned by digest/,
    );
  });
  it("fails if the removed databaseConfigMap is still set (the proxy replaced it)", () => {
    expect(rejection((j) => (j.kubernetes.databaseConfigMap = "packagecloud-database"))).toMatch(/databaseConfigMap/);
  });
  it("fails if the age recipient is not a public key (e.g. a pasted private identity)", () => {
    expect(rejection((j) => (j.ageRecipient = "AGE-SECRET-KEY-1QQQQ"))).toMatch(/backupJob\.ageRecipient = .*must be an age X25519 public key/);
  });
  it("fails if a non-empty table is not an expected table", () => {
    expect(rejection((j) => (j.verify.nonEmptyTables = ["builds"]))).toMatch(/backupJob\.verify\.nonEmptyTables\.0 = "builds": must also be listed in verify\.tables/);
  });
  it("fails if a table name could inject SQL", () => {
    expect(rejection((j) => (j.verify.tables = ["users; DROP DATABASE x"]))).toMatch(/must be a plain MySQL table name/);
  });
  it("fails if the verification runs at the same time as the backup", () => {
    expect(rejection((j) => (j.schedule.restoreVerificationUtc = j.schedule.backupUtc))).toMatch(/restoreVerificationUtc.*must differ from schedule\.backupUtc/);
  });
  it("fails if a VM binary is not an absolute path (it lands in a systemd environment file)", () => {
    expect(rejection((j) => (j.vm.binaries.mysqld = "mysqld"))).toMatch(/backupJob\.vm\.binaries\.mysqld = "mysqld": must be an absolute path/);
    expect(rejection((j) => (j.vm.binaries.xtrabackup = "/opt/x; rm -rf /"))).toMatch(/backupJob\.vm\.binaries\.xtrabackup = .*must be an absolute path/);
  });
  it("fails if the VM's database name could inject SQL", () => {
    expect(rejection((j) => (j.vm.database = "packagecloud' OR '1"))).toMatch(/backupJob\.vm\.database = .*must be a plain MySQL database name/);
  });
  it("fails if the restore-verification alert window is shorter than a day", () => {
    expect(rejection((j) => (j.restoreVerificationMaxAgeHours = 12))).toMatch(/restoreVerificationMaxAgeHours must be at least 25/);
  });
});

describe("GKE federation (storage stack)", () => {
  const out = sharedStorage("ops");
  const env = envs.ops;
  const issuer = clusterIssuer(env);
  const host = issuer.replace("https://", "");

  it("registers the cluster's issuer with the STS audience and no pinned thumbprint", () => {
    expect(issuer).toBe("https://container.googleapis.com/v1/projects/gitlab-ops/locations/us-east1/clusters/packagecloud-ops-gke");
    const provider = out.resource("aws_iam_openid_connect_provider", "gke_federation_provider");
    expect(provider.url).toBe(issuer);
    expect(provider.client_id_list).toEqual(["sts.amazonaws.com"]);
    expect(provider.thumbprint_list).toBeUndefined();
  });

  it.each([
    ["backup", "packagecloud-offsite-backup", ["offsite_backups_uploader_policy"]],
    ["restore", "packagecloud-restore-verify", ["offsite_backups_reader_policy"]],
    ["app", "packagecloud", ["application_packages_policy", "application_cdn_policy"]],
  ])("the %s role trusts only system:serviceaccount:packagecloud:%s with aud sts.amazonaws.com, and holds only its policies", (key, serviceAccount, policies) => {
    const role = out.resource("aws_iam_role", `gke_federation_${key}_role`);
    const trust = Synthesized.policy(role.assume_role_policy);
    expect(trust.Statement).toEqual([
      {
        Sid: "KubernetesServiceAccount",
        Effect: "Allow",
        Principal: { Federated: "${aws_iam_openid_connect_provider.gke_federation_provider.arn}" },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { [`${host}:sub`]: `system:serviceaccount:packagecloud:${serviceAccount}`, [`${host}:aud`]: "sts.amazonaws.com" } },
      },
    ]);
    const attached = Object.values(out.resources("aws_iam_role_policy_attachment"))
      .filter((a: any) => a.role === `\${aws_iam_role.gke_federation_${key}_role.name}`)
      .map((a: any) => a.policy_arn);
    expect(attached.sort()).toEqual(policies.map((p) => `\${aws_iam_policy.${p}.arn}`).sort());
  });

  it("fails if two roles trust the same service account", () => {
    const { stack } = constructStack();
    const role = { roleName: "r1", namespace: "packagecloud", serviceAccount: "same", description: "d", policyArns: {} };
    expect(() => new GkeAwsFederation(stack, "Fed", { environment: "ops", issuer, roles: { a: role, b: { ...role, roleName: "r2" } } })).toThrow(
      /roles\.b trusts packagecloud\/same, as roles\.a does/,
    );
  });

  it("fails if the issuer is not a GKE cluster issuer", () => {
    const { stack } = constructStack();
    expect(() => new GkeAwsFederation(stack, "Fed", { environment: "ops", issuer: "https://container.googleapis.com/", roles: {} })).toThrow(/issuer .* must be a GKE cluster issuer/);
  });

  it("synthesizes with validations on", () => {
    const { stack } = constructStack();
    new GkeAwsFederation(stack, "Fed", { environment: "ops", issuer, roles: {} });
    expect(() => synth(stack)).not.toThrow();
  });
});

describe("the backup job's Google identity (gke stack)", () => {
  it("fails if the Google service account id would exceed 30 characters", () => {
    const { WorkloadIdentity } = require("../../constructs/workload-identity");
    const { stack } = constructStack();
    expect(() => new WorkloadIdentity(stack, "Backup", { environment: "ops", project: "gitlab-ops", namespace: "packagecloud", serviceAccount: "x", component: "offsite-backup" })).toThrow(
      /account id "packagecloud-ops-offsite-backup" must be 6-30 lowercase letters/,
    );
  });
});
