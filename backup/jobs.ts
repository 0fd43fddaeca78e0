/**
 * The offsite backup job and its restore verification, as typed definitions derived from the environment's
 * config, for both variants of `backup/packagecloud-backup.sh`:
 *
 * - VM: a systemd service and timer, written at first boot (`vmFirstBootExtension`, a hook into
 *   constructs/first-boot.ts) and run as root with the instance role.
 * - GKE: two Kubernetes CronJobs (`kubernetesObjects`), their Namespace and service accounts (`backupNamespace`,
 *   `backupServiceAccounts`), built with the typed models of `kubernetes-models` (validated against the Kubernetes
 *   OpenAPI schema) and written at synth to `cdktf.out/kubernetes/<env>/` by backup/manifests.ts.
 *
 * @example
 *   const jobs = kubernetesObjects(env);         // [CronJob packagecloud-offsite-backup, CronJob packagecloud-restore-verify]
 *   const hook = vmFirstBootExtension(env);      // write_files + runcmd entries for cloud-init
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { IContainer, IPodSpec, IVolume } from "kubernetes-models/v1";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { stringify } from "yaml";
import type { EnvironmentConfig } from "../config";
import type { FirstBootExtension } from "../constructs/first-boot";
import { STS_AUDIENCE } from "../constructs/gke-aws-federation";
import { cloudSqlConnectionName, gkeClusterName, resourceName } from "../config/naming";
import { BACKUP_NAMES } from "../monitoring/from-config";
import { pushgatewayUrl } from "../monitoring/metrics-path";
import { placeholderFields } from "../config/placeholders";

/** The script, shipped as is by first boot and by the container image (backup/Dockerfile). */
export const BACKUP_SCRIPT_SOURCE = path.join(__dirname, "packagecloud-backup.sh");
export const backupScript = (): string => fs.readFileSync(BACKUP_SCRIPT_SOURCE, "utf8");

/** Where the VM installs it, and where the image has it. */
export const BACKUP_SCRIPT_PATH = "/usr/local/sbin/packagecloud-backup";

/** Ubuntu's prometheus-node-exporter reads its textfile collector from here (the package's default). */
export const VM_TEXTFILE_DIR = "/var/lib/prometheus/node-exporter";
/** Seed 000: packagecloud's database_backups service writes its xbstream files here. */
export const VM_XBSTREAM_DIR = "/var/opt/packagecloud/backups";

export const VM_UNIT = "packagecloud-offsite-backup";
export const VM_ENV_FILE = `/etc/packagecloud-backup/${VM_UNIT}.env`;

/** Names of the IAM roles pods assume with their projected service-account token (created in the storage stack). */
export const gkeRoleNames = (env: EnvironmentConfig) => ({
  backup: resourceName(env.name, "offsite-backup-gke"),
  restore: resourceName(env.name, "restore-verify-gke"),
  app: resourceName(env.name, "app-gke"),
});


/** The cluster's OIDC issuer, as GKE puts it in the `iss` claim of service-account tokens. */
export function clusterIssuer(env: EnvironmentConfig): string {
  return `https://container.googleapis.com/v1/projects/${env.gcp.project}/locations/${env.gcp.cluster.location}/clusters/${gkeClusterName(env)}`;
}

/**
 * The Cloud SQL IAM database user of the backup job. For MySQL it is the service account's email without
 * `@<project>.iam.gserviceaccount.com`, i.e. its account id (cloud-sql-proxy v2.25.3 README.md, "Configuring IAM
 * Database Authentication": "For a service account, this is the service account's email address without the
 * `@project-id.iam.gserviceaccount.com` suffix"; for PostgreSQL only `.gserviceaccount.com` is dropped).
 */
export const backupDatabaseUser = (env: EnvironmentConfig) => resourceName(env.name, "backup");

const seconds = (minutes: number) => String(minutes * 60);

/** Settings both variants share (see the script's usage()). */
function commonEnvironment(env: EnvironmentConfig): Record<string, string> {
  const job = env.backupJob;
  return {
    BACKUP_BUCKET: env.storage.offsiteBackups.bucketName,
    BACKUP_PREFIX: env.storage.offsiteBackups.prefix,
    BACKUP_ENVIRONMENT: env.name,
    BACKUP_NAME: BACKUP_NAMES.offsite,
    AWS_DEFAULT_REGION: env.aws.region,
    STEP_ATTEMPTS: String(job.attempts),
    DUMP_TIMEOUT_SECONDS: seconds(job.timeouts.dumpMinutes),
    UPLOAD_TIMEOUT_SECONDS: seconds(job.timeouts.uploadMinutes),
    FETCH_TIMEOUT_SECONDS: seconds(job.timeouts.fetchMinutes),
    RESTORE_TIMEOUT_SECONDS: seconds(job.timeouts.restoreMinutes),
  };
}

/** Environment of the restore verification's checks. */
function verifyEnvironment(env: EnvironmentConfig): Record<string, string> {
  const v = env.backupJob.verify;
  return {
    VERIFY_TABLES: v.tables.join(" "),
    VERIFY_NONEMPTY_TABLES: v.nonEmptyTables.join(" "),
    VERIFY_CANARY_QUERY: v.canary.query,
    VERIFY_CANARY_EXPECTED: v.canary.expected,
  };
}

/** Longest a run can take: every attempt of every step timing out, plus a margin for listing and metrics. */
export function worstCaseSeconds(env: EnvironmentConfig, command: "backup" | "verify-restore"): number {
  const t = env.backupJob.timeouts;
  const attempts = env.backupJob.attempts;
  // verify-restore: the download (every attempt), its checksum (a step of its own, bounded by the fetch timeout),
  // the restore timeout bounding each restore step (an xbstream is unpacked, then prepared), and the scratch
  // server's MYSQLD_START_TIMEOUT_SECONDS (15 min) to open it. The backup checksums inside its dump step.
  const steps = command === "backup" ? (t.dumpMinutes + t.uploadMinutes) * attempts : t.fetchMinutes * (attempts + 1) + 2 * t.restoreMinutes + 15;
  return steps * 60 + 15 * 60;
}

// --- VM: systemd -------------------------------------------------------------------------------------------

/**
 * The VM's two jobs. The verification runs on the VM itself: the 2 TB data disk has room for a scratch copy,
 * packagecloud's omnibus has the MySQL that wrote the backup, and the VM already holds the live data the
 * backups contain. It is bounded (CPU, memory, idle I/O) so that it cannot starve the application.
 */
export const VM_JOBS = {
  backup: {
    unit: VM_UNIT,
    envFile: VM_ENV_FILE,
    description: (env: EnvironmentConfig) => `packagecloud offsite database backup: newest xbstream, age-encrypted, to s3://${env.storage.offsiteBackups.bucketName}`,
    timer: "Daily packagecloud offsite database backup",
    at: (env: EnvironmentConfig) => env.backupJob.schedule.backupUtc,
    limits: ["Nice=10"],
  },
  "verify-restore": {
    unit: "packagecloud-restore-verify",
    envFile: "/etc/packagecloud-backup/packagecloud-restore-verify.env",
    description: (env: EnvironmentConfig) => `packagecloud restore verification: newest offsite xbstream from s3://${env.storage.offsiteBackups.bucketName}, opened by a scratch server and checked`,
    timer: "Daily packagecloud restore verification",
    at: (env: EnvironmentConfig) => env.backupJob.schedule.restoreVerificationUtc,
    // Two of the c4.2xlarge's eight vCPUs and 3 GiB of its 15: the scratch server's buffer pool (512M) and
    // xtrabackup --prepare (100M by default) fit with room to spare.
    limits: ["Nice=19", "CPUQuota=200%", "MemoryMax=3G"],
  },
} as const;
export type VmJob = keyof typeof VM_JOBS;

/** The age identity (private key) the VM's verification decrypts with: put there out of band, never by Terraform. */
export const VM_AGE_IDENTITY_FILE = "/etc/packagecloud-backup/age-identity";
/** The unprivileged user the scratch server runs as (mysqld refuses root), created by systemd-sysusers. */
export const VM_RESTORE_USER = "packagecloud-restore";
export const VM_SYSUSERS_FILE = `/etc/sysusers.d/${VM_RESTORE_USER}.conf`;
export const vmSysusers = () => `u ${VM_RESTORE_USER} - "packagecloud restore verification (scratch MySQL)" /nonexistent /usr/sbin/nologin\n`;

/** The VM's environment file of a job: the offsite bucket with the instance role; work on the 2 TB data disk. */
export function vmEnvironment(env: EnvironmentConfig, job: VmJob = "backup"): Record<string, string> {
  // The encrypted copy, and the unpacked restore, are as large as the backup: the data disk, not the 8 GB root.
  const common = { ...commonEnvironment(env), WORK_DIR: "/var/opt/packagecloud" };
  if (job === "backup") {
    return {
      ...common,
      BACKUP_SOURCE: "xbstream",
      XBSTREAM_DIR: VM_XBSTREAM_DIR,
      DAILY_BACKUP_NAME: BACKUP_NAMES.daily,
      XBSTREAM_SETTLE_MINUTES: String(env.backupJob.vm.xbstreamSettleMinutes),
      AGE_RECIPIENT: env.backupJob.ageRecipient,
      METRICS_FILE: `${VM_TEXTFILE_DIR}/packagecloud_offsite_backup.prom`,
    };
  }
  const vm = env.backupJob.vm;
  return {
    ...common,
    ...verifyEnvironment(env),
    RESTORE_SOURCE: "xbstream",
    XBSTREAM_BIN: vm.binaries.xbstream,
    XTRABACKUP_BIN: vm.binaries.xtrabackup,
    MYSQLD_BIN: vm.binaries.mysqld,
    MYSQL_BIN: vm.binaries.mysql,
    SCRATCH_RESERVE_PERCENT: String(vm.scratchReservePercent),
    MYSQLD_USER: VM_RESTORE_USER,
    VERIFY_DATABASE: vm.database,
    SCRATCH_MYSQLD_MEMORY: "512M",
    AGE_IDENTITY_FILE: VM_AGE_IDENTITY_FILE,
    // Its own file: each run rewrites its file whole, so the two jobs cannot share one.
    METRICS_FILE: `${VM_TEXTFILE_DIR}/packagecloud_restore_verify.prom`,
  };
}

const envFile = (vars: Record<string, string>) =>
  `${Object.entries(vars)
    .map(([name, value]) => `${name}=${/^[A-Za-z0-9_./:@+-]*$/.test(value) ? value : JSON.stringify(value)}`)
    .join("\n")}\n`;

export function systemdService(env: EnvironmentConfig, job: VmJob = "backup"): string {
  const j = VM_JOBS[job];
  return `[Unit]
Description=${j.description(env)}
Documentation=man:systemd.service(5)
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
EnvironmentFile=${j.envFile}
ExecStart=${BACKUP_SCRIPT_PATH} ${job}
# The script times out every step itself; this bounds the whole run (seed 000: a stalled upload hung for days).
TimeoutStartSec=${worstCaseSeconds(env, job)}
${j.limits.join("\n")}
IOSchedulingClass=idle
PrivateTmp=yes
ProtectSystem=full
ProtectHome=yes
NoNewPrivileges=yes
`;
}

export function systemdTimer(env: EnvironmentConfig, job: VmJob = "backup"): string {
  const j = VM_JOBS[job];
  return `[Unit]
Description=${j.timer}

[Timer]
OnCalendar=*-*-* ${j.at(env)}:00 UTC
# A run missed while the instance was down starts at the next boot.
Persistent=true
AccuracySec=1min
Unit=${j.unit}.service

[Install]
WantedBy=timers.target
`;
}

export function vmFirstBootExtension(env: EnvironmentConfig): FirstBootExtension {
  const jobs = Object.keys(VM_JOBS) as VmJob[];
  return {
    // awscli: the upload and download (the instance role through IMDSv2); age: the encryption;
    // prometheus-node-exporter: serves the jobs' textfiles (VM_TEXTFILE_DIR, the package's default textfile
    // directory) on :9100, which the VM's security group opens to prometheusCidrs (constructs/packagecloud-vm.ts,
    // EXPORTER_PORTS); the package enables and starts its service.
    packages: ["awscli", "age", "prometheus-node-exporter"],
    writeFiles: [
      // As in the repository, comments included: the whole user data is gzipped (constructs/first-boot.ts).
      { path: BACKUP_SCRIPT_PATH, owner: "root:root", permissions: "0755", content: backupScript() },
      { path: VM_SYSUSERS_FILE, owner: "root:root", permissions: "0644", content: vmSysusers() },
      ...jobs.flatMap((job) => [
        { path: VM_JOBS[job].envFile, owner: "root:root", permissions: "0600", content: envFile(vmEnvironment(env, job)) },
        { path: `/etc/systemd/system/${VM_JOBS[job].unit}.service`, owner: "root:root", permissions: "0644", content: systemdService(env, job) },
        { path: `/etc/systemd/system/${VM_JOBS[job].unit}.timer`, owner: "root:root", permissions: "0644", content: systemdTimer(env, job) },
      ]),
    ],
    runcmd: [
      ["mkdir", "-p", VM_TEXTFILE_DIR],
      ["systemd-sysusers", VM_SYSUSERS_FILE],
      ["systemctl", "daemon-reload"],
      ...jobs.map((job) => ["systemctl", "enable", "--now", `${VM_JOBS[job].unit}.timer`]),
    ],
  };
}

// --- GKE: Kubernetes ---------------------------------------------------------------------------------------

const TOKEN_DIR = "/var/run/secrets/aws";
const WORK_DIR = "/work";

const cron = (hhmm: string) => {
  const [hour, minute] = hhmm.split(":").map(Number);
  return `${minute} ${hour} * * *`;
};

/** Non-root, read-only root filesystem, no privilege escalation, no capabilities. */
export const restricted = (runAsUser: number) => ({
  runAsNonRoot: true,
  runAsUser,
  runAsGroup: runAsUser,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" as const },
});

const BACKUP_UID = 65532;
const MYSQL_UID = 999;
/** The proxy image's user: `USER 65532` on distroless/static:nonroot (its Dockerfile at the tag below). */
const PROXY_UID = 65532;

/**
 * The Cloud SQL Auth Proxy release whose flags, image and Kubernetes examples the backup job follows; pin the
 * digest of `gcr.io/cloud-sql-connectors/cloud-sql-proxy:<this version>` in `backupJob.kubernetes.images.cloudSqlProxy`.
 * Source: https://github.com/GoogleCloudPlatform/cloud-sql-proxy/tree/v2.25.3 (cmd/root.go, docs/cmd/,
 * examples/k8s-sidecar/job_with_sidecar.yaml, examples/k8s-health-check/proxy_with_http_health_check.yaml).
 */
export const CLOUD_SQL_PROXY_VERSION = "2.25.3";
/** Where the proxy listens for the dump, and where its health check answers: both on loopback only. */
export const CLOUD_SQL_PROXY_PORT = 3306;
export const CLOUD_SQL_PROXY_HEALTH_PORT = 9801;

/**
 * The proxy's arguments (flags of cmd/root.go at v2.25.3; test/backup/cloud-sql-proxy-flags.json lists them all).
 * Not used, on purpose: `--max-sigterm-delay` (a native sidecar is sent SIGTERM only after the dump's container
 * has ended, so no connection is left to drain); `--run-connection-test` (it would make the proxy exit before the
 * dump starts, so the script could not record the failure in its metrics: the dump fails and reports instead);
 * `--quitquitquit`/`--admin-port` (only for sidecars that are not native: the kubelet stops this one).
 */
export function cloudSqlProxyArgs(env: EnvironmentConfig): string[] {
  return [
    // Automatic IAM database authentication: the proxy logs in with the pod's Workload Identity token (an
    // ephemeral certificate over TLS 1.3 that verifies the server); the client sends the user and no password.
    "--auto-iam-authn",
    // The instance has no public IP (constructs/cloud-sql-mysql.ts); private IP needs a VPC-native cluster in the
    // instance's network (examples/k8s-sidecar/README.md): the dedicated cluster is (constructs/gke-cluster.ts,
    // ipAllocationPolicy), and the instance joins an existing cluster's network.
    "--private-ip",
    // Explicit although the default: the listener must never face the pod network.
    "--address=127.0.0.1",
    // A fixed port: the proxy then opens its listener without asking the Admin API for the engine first.
    `--port=${CLOUD_SQL_PROXY_PORT}`,
    // /startup, /readiness, /liveness, here on loopback only (the default is "localhost"): the startup probe
    // reads /startup with the proxy's own `wait` subcommand inside the container, so no port faces the pod network.
    "--health-check",
    "--http-address=127.0.0.1",
    `--http-port=${CLOUD_SQL_PROXY_HEALTH_PORT}`,
    // JSON log entries, which Cloud Logging on GKE parses into severity and message.
    "--structured-logs",
    // The kubelet stops the sidecar with SIGTERM when the dump ends: exit 0 then, not 143 (as job_with_sidecar.yaml).
    "--exit-zero-on-sigterm",
    cloudSqlConnectionName(env),
  ];
}

/**
 * The proxy as a native sidecar (an init container with `restartPolicy: Always`, Kubernetes >= 1.29): started
 * before the backup container, which starts only once the startup probe passed, and stopped by the kubelet when
 * the backup container has ended (examples/k8s-sidecar/job_with_sidecar.yaml at v2.25.3).
 */
export function cloudSqlProxySidecar(env: EnvironmentConfig, args: string[] = cloudSqlProxyArgs(env)): IContainer {
  return {
    name: "cloud-sql-proxy",
    image: env.backupJob.kubernetes.images.cloudSqlProxy,
    restartPolicy: "Always",
    args,
    startupProbe: {
      // `cloud-sql-proxy wait` polls http://<http-address>:<http-port>/startup until it answers 200 (cmd/root.go,
      // runWaitCmd); /startup answers 200 once the listeners are open (internal/healthcheck). An exec probe,
      // because a kubelet httpGet probe would need the health server on the pod IP.
      exec: { command: ["/cloud-sql-proxy", "wait", "--http-address=127.0.0.1", `--http-port=${CLOUD_SQL_PROXY_HEALTH_PORT}`, "--max=2s"] },
      periodSeconds: 2,
      timeoutSeconds: 5,
      failureThreshold: 30,
    },
    // One connection (the dump): memory grows with connections, CPU with the bytes relayed (the examples' notes).
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "512Mi" } },
    securityContext: restricted(PROXY_UID),
  };
}

/** AWS credentials: the projected token for the role (default), or the fallback access key Secret. */
function awsAccess(env: EnvironmentConfig, role: string): { env: IContainer["env"]; volumes: IVolume[]; mounts: IContainer["volumeMounts"] } {
  const auth = env.backupJob.kubernetes.awsAuth;
  if (auth.mode === "access-key") {
    const fromSecret = (name: string) => ({ name, valueFrom: { secretKeyRef: { name: auth.secretName, key: name } } });
    return { env: [fromSecret("AWS_ACCESS_KEY_ID"), fromSecret("AWS_SECRET_ACCESS_KEY")], volumes: [], mounts: [] };
  }
  return {
    env: [
      { name: "AWS_ROLE_ARN", value: `arn:aws:iam::${env.aws.accountId}:role/${role}` },
      { name: "AWS_WEB_IDENTITY_TOKEN_FILE", value: `${TOKEN_DIR}/token` },
      { name: "AWS_ROLE_SESSION_NAME", value: role },
    ],
    volumes: [
      {
        name: "aws-token",
        projected: { sources: [{ serviceAccountToken: { path: "token", audience: STS_AUDIENCE, expirationSeconds: 3600 } }] },
      },
    ],
    mounts: [{ name: "aws-token", mountPath: TOKEN_DIR, readOnly: true }],
  };
}

const envList = (vars: Record<string, string>) => Object.entries(vars).map(([name, value]) => ({ name, value }));

/** The CronJobs' names; their pods carry them as `app.kubernetes.io/name` (the NetworkPolicies select by it). */
export const JOB_NAMES = { backup: "packagecloud-offsite-backup", restore: "packagecloud-restore-verify" } as const;

/** Labels of a workload's objects and pods: its name, the product, the environment. */
export const workloadLabels = (env: EnvironmentConfig, name: string) => ({
  "app.kubernetes.io/name": name,
  "app.kubernetes.io/part-of": "packagecloud",
  "packagecloud.io/environment": env.name,
});

/**
 * The storage class of every disk the jobs create: GKE's built-in `standard-rwo` (Compute Engine PD CSI driver,
 * pd-balanced, WaitForFirstConsumer, reclaimPolicy Delete), named so that a cluster whose default class is
 * something else (pd-ssd `premium-rwo`, pd-standard `standard`) changes nothing. pd-balanced rather than pd-ssd: the
 * jobs stream (a single-threaded dump, upload, download, one client loading the restore), which pd-balanced's
 * throughput serves at half pd-ssd's price; both count against the region's SSD_TOTAL_GB quota, so the disks are
 * held only while a run needs them (ttlSecondsAfterFinished below). pd-standard would spare that quota but writes a
 * large restore too slowly for the restore timeout.
 */
export const SCRATCH_STORAGE_CLASS = "standard-rwo";

/** The work disk of each run (backupJob.kubernetes.workDiskGiB, default 200 GiB). */
export const workDiskGiB = (env: EnvironmentConfig): number => env.backupJob.kubernetes.workDiskGiB ?? 200;
/** The scratch MySQL's datadir (backupJob.kubernetes.restoreDataDiskGiB, default the source instance's disk). */
export const restoreDataDiskGiB = (env: EnvironmentConfig): number => env.backupJob.kubernetes.restoreDataDiskGiB ?? env.gcp.sql.diskGb;

/**
 * How long a finished Job (and so its pod, and the pod's generic ephemeral disks) is kept. Short, on purpose: a
 * kept pod keeps its disks (the PVC is owned by the pod: Kubernetes "Ephemeral Volumes"), and finished runs' disks
 * (work and restore datadir, sized with the database) would sit on the region's SSD quota for nothing. A failure
 * pages within minutes, its log stays in Cloud Logging and its outcome in the metrics; an hour leaves time for
 * `kubectl describe` after the page.
 */
export const FINISHED_JOB_TTL_SECONDS = 3600;

/**
 * The cluster autoscaler evicts a pod to remove an underused node unless it carries this annotation set to "false"
 * (Cluster Autoscaler FAQ, "What types of pods can prevent CA from removing a node?"). An evicted backup restarts
 * its dump from the start: hours lost, and before issue 29 a page for nothing.
 */
export const SAFE_TO_EVICT = { "cluster-autoscaler.kubernetes.io/safe-to-evict": "false" } as const;

function cronJob(env: EnvironmentConfig, options: { name: string; schedule: string; command: "backup" | "verify-restore"; serviceAccount: string; pod: Omit<IPodSpec, "restartPolicy" | "serviceAccountName"> }): CronJob {
  const k = env.backupJob.kubernetes;
  const labels = workloadLabels(env, options.name);
  return new CronJob({
    metadata: { name: options.name, namespace: k.namespace, labels },
    spec: {
      schedule: options.schedule,
      timeZone: "Etc/UTC",
      // Never two runs at once: a slow backup is not overtaken by the next one (they would compete for the dump).
      concurrencyPolicy: "Forbid",
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: { labels },
        spec: {
          // The script retries each step itself; one more pod only for a lost node.
          backoffLimit: 1,
          // A pod evicted by a disruption (node drain in the GKE maintenance window, preemption: the pod gets the
          // DisruptionTarget condition) is replaced without counting against backoffLimit (Kubernetes "Handling
          // retriable and non-retriable pod failures with Pod failure policy", GA in 1.31; needs
          // restartPolicy Never). The evicted run pushed exit code 143 on SIGTERM (the script's trap), which the
          // rules do not page on: the replacement's outcome decides (monitoring/prometheus-rules.ts).
          podFailurePolicy: { rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] }] },
          activeDeadlineSeconds: worstCaseSeconds(env, options.command),
          ttlSecondsAfterFinished: FINISHED_JOB_TTL_SECONDS,
          template: {
            metadata: { labels, annotations: { ...SAFE_TO_EVICT } },
            spec: {
              ...options.pod,
              serviceAccountName: options.serviceAccount,
              // The Kubernetes API token is never needed. Workload Identity does not need it either: the GKE
              // metadata server identifies the pod itself, and Google's own module binds its service accounts
              // with automount off (terraform-google-kubernetes-engine, modules/workload-identity:
              // automount_service_account_token defaults to false).
              automountServiceAccountToken: false,
              restartPolicy: "Never",
              // On SIGTERM (eviction, activeDeadlineSeconds) the script signals its step and pushes its metrics
              // first (curl bounded to 20 s), then cleans up: room for that before the kubelet's SIGKILL.
              terminationGracePeriodSeconds: 90,
              securityContext: { runAsNonRoot: true, fsGroup: BACKUP_UID, seccompProfile: { type: "RuntimeDefault" } },
              nodeSelector: { "packagecloud.io/pool": "background" },
            },
          },
        },
      },
    },
  });
}

/**
 * A generic ephemeral volume: a persistent disk of its own for each run, created with the pod and deleted with it
 * (the PVC is owned by the pod: Kubernetes "Ephemeral Volumes", "Lifecycle and PersistentVolumeClaim"), never the
 * node's boot disk; its size is its limit (the filesystem is that big, and a full disk fails the step, not the node).
 */
const scratchDisk = (name: string, gi: number): IVolume => ({
  name,
  ephemeral: { volumeClaimTemplate: { spec: { accessModes: ["ReadWriteOnce"], storageClassName: SCRATCH_STORAGE_CLASS, resources: { requests: { storage: `${gi}Gi` } } } } },
});

/**
 * The scratch MySQL of the restore verification holds a plaintext copy of production (users, tokens) for hours:
 * it has no network listener at all, and its root password is made in the pod for each run.
 * - `--skip-networking`: no TCP listener (the client and the probe use the socket in a memory-backed volume the two
 *   containers share); `--bind-address=127.0.0.1` as well, so that dropping the first still leaves loopback only.
 * - `--mysqlx=OFF`: MySQL 8's X Protocol listens on *:33060 by default and is not covered by --bind-address.
 * - `MYSQL_ROOT_HOST=localhost`: the official image's entrypoint creates root@'%' unless told otherwise
 *   (docker-library/mysql 8.0 docker-entrypoint.sh: `file_env 'MYSQL_ROOT_HOST' '%'`; a value other than
 *   localhost adds root@<that host>); localhost is the socket only.
 * - `MYSQL_ROOT_PASSWORD_FILE`: the entrypoint reads the password from that file (`file_env`), written by an init
 *   container from /dev/urandom into a memory-backed volume, never in the manifest, the environment or a log
 *   (MYSQL_RANDOM_ROOT_PASSWORD would print it: "GENERATED ROOT PASSWORD"). No MYSQL_ALLOW_EMPTY_PASSWORD.
 * - `--skip-log-bin`: the binary log is on by default in MySQL 8 and would write every restored row a second time.
 */
export const SCRATCH_MYSQL = {
  socketDir: "/var/run/mysqld",
  socket: "/var/run/mysqld/mysqld.sock",
  authDir: "/var/run/scratch-mysql",
  passwordFile: "/var/run/scratch-mysql/password",
  args: ["--skip-networking", "--bind-address=127.0.0.1", "--mysqlx=OFF", "--skip-log-bin", "--skip-name-resolve", "--innodb-buffer-pool-size=512M"],
} as const;

/** The Namespace the jobs run in (and the application, gcp.workload.namespace), created before anything in it. */
export function backupNamespace(env: EnvironmentConfig): Namespace {
  return new Namespace({
    metadata: {
      name: env.backupJob.kubernetes.namespace,
      labels: {
        "app.kubernetes.io/part-of": "packagecloud",
        // Pod Security Admission: report what breaks the restricted profile. Not enforced here: the application's
        // Helm chart deploys into this namespace too, and this repository does not decide its pods' settings.
        // Every pod of this repository meets the restricted profile (test/backup/lockdown.test.ts).
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
      },
    },
  });
}

/** The jobs' ServiceAccounts (the grants Job runs as the backup's: backup/database-grants.ts). */
export function backupServiceAccounts(env: EnvironmentConfig): ServiceAccount[] {
  const k = env.backupJob.kubernetes;
  const serviceAccount = (name: string, annotations: Record<string, string>) =>
    new ServiceAccount({
      metadata: { name, namespace: k.namespace, annotations, labels: { "app.kubernetes.io/part-of": "packagecloud" } },
      // Only the projected, audience-bound token is mounted (where a pod asks for it).
      automountServiceAccountToken: false,
    });
  return [
    // Workload Identity: the backup pod's Cloud SQL Auth Proxy logs in to Cloud SQL as this Google service account.
    serviceAccount(k.backupServiceAccount, { "iam.gke.io/gcp-service-account": `${backupDatabaseUser(env)}@${env.gcp.project}.iam.gserviceaccount.com` }),
    serviceAccount(k.restoreServiceAccount, {}),
  ];
}

/** The two CronJobs, validated against the Kubernetes schema. */
export function kubernetesObjects(env: EnvironmentConfig): CronJob[] {
  const k = env.backupJob.kubernetes;
  const roles = gkeRoleNames(env);
  const metrics = { PUSHGATEWAY_URL: pushgatewayUrl(env) };

  const backupAws = awsAccess(env, roles.backup);
  const backup = cronJob(env, {
    name: JOB_NAMES.backup,
    schedule: cron(env.backupJob.schedule.backupUtc),
    command: "backup",
    serviceAccount: k.backupServiceAccount,
    pod: {
      volumes: [scratchDisk("work", workDiskGiB(env)), ...backupAws.volumes],
      initContainers: [cloudSqlProxySidecar(env)],
      containers: [
        {
          name: "backup",
          image: k.images.backup,
          command: [BACKUP_SCRIPT_PATH, "backup"],
          env: [
            ...envList({
              ...commonEnvironment(env),
              ...metrics,
              BACKUP_SOURCE: "mysqldump",
              // Through the proxy sidecar, as the IAM database user: the proxy logs in, the client sends no password.
              DB_HOST: "127.0.0.1",
              DB_PORT: String(CLOUD_SQL_PROXY_PORT),
              DB_USER: backupDatabaseUser(env),
              DB_AUTH: "none",
              DB_NAME: "packagecloud",
              AGE_RECIPIENT: env.backupJob.ageRecipient,
              WORK_DIR,
              HOME: WORK_DIR, // the root filesystem is read-only; the AWS CLI writes its cache under $HOME
            }),
            ...(backupAws.env ?? []),
          ],
          volumeMounts: [{ name: "work", mountPath: WORK_DIR }, ...(backupAws.mounts ?? [])],
          resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "2", memory: "2Gi" } },
          securityContext: restricted(BACKUP_UID),
        },
      ],
    },
  });

  const restoreAws = awsAccess(env, roles.restore);
  const restore = cronJob(env, {
    name: JOB_NAMES.restore,
    schedule: cron(env.backupJob.schedule.restoreVerificationUtc),
    command: "verify-restore",
    serviceAccount: k.restoreServiceAccount,
    pod: {
      volumes: [
        scratchDisk("work", workDiskGiB(env)),
        { name: "age-identity", secret: { secretName: k.ageIdentitySecret, defaultMode: 0o400 } },
        // The scratch MySQL's data: the whole restored database, so a disk of its own sized from configuration
        // (not the node's boot disk, where an emptyDir lives), deleted with the pod.
        scratchDisk("mysql-data", restoreDataDiskGiB(env)),
        // The server's socket (and pid file): shared with the check, which connects through it.
        { name: "mysql-run", emptyDir: { medium: "Memory", sizeLimit: "16Mi" } },
        // This run's root password: in memory, written by the init container below, read by both containers.
        { name: "scratch-auth", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
        // Sort files of the load: on the node's disk, capped (the kubelet evicts the pod past its sizeLimit).
        { name: "mysql-tmp", emptyDir: { sizeLimit: "2Gi" } },
        ...restoreAws.volumes,
      ],
      initContainers: [
        {
          // Runs to completion before the sidecar starts (init containers run in order). umask 027: the file is
          // the check's (uid 65532) and readable by the pod's fsGroup (65532), which the MySQL container's user
          // (999) is given as a supplementary group; nobody else reads it. Hex: safe inside the entrypoint's SQL.
          name: "scratch-password",
          image: k.images.backup,
          command: ["sh", "-c", `umask 027 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\n' > ${SCRATCH_MYSQL.passwordFile}`],
          volumeMounts: [{ name: "scratch-auth", mountPath: SCRATCH_MYSQL.authDir }],
          resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "32Mi" } },
          securityContext: restricted(BACKUP_UID),
        },
        {
          // A native sidecar (an init container that keeps running and is stopped when the check ends).
          name: "scratch-mysql",
          image: k.images.scratchMysql,
          restartPolicy: "Always",
          args: [...SCRATCH_MYSQL.args],
          env: [
            { name: "MYSQL_ROOT_HOST", value: "localhost" },
            { name: "MYSQL_ROOT_PASSWORD_FILE", value: SCRATCH_MYSQL.passwordFile },
          ],
          // Ready once the entrypoint has exec'd the real server (PID 1 is mysqld, no longer the entrypoint, whose
          // temporary init server answers on the same socket) and it answers a ping on the socket.
          startupProbe: {
            exec: { command: ["sh", "-c", `[ "$(cat /proc/1/comm)" = mysqld ] && mysqladmin --socket=${SCRATCH_MYSQL.socket} ping`] },
            periodSeconds: 5,
            failureThreshold: 120,
          },
          volumeMounts: [
            { name: "mysql-data", mountPath: "/var/lib/mysql" },
            { name: "mysql-run", mountPath: SCRATCH_MYSQL.socketDir },
            { name: "scratch-auth", mountPath: SCRATCH_MYSQL.authDir, readOnly: true },
            { name: "mysql-tmp", mountPath: "/tmp" },
          ],
          resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } },
          securityContext: restricted(MYSQL_UID),
        },
      ],
      containers: [
        {
          name: "verify",
          image: k.images.backup,
          command: [BACKUP_SCRIPT_PATH, "verify-restore"],
          env: [
            ...envList({
              ...commonEnvironment(env),
              ...metrics,
              ...verifyEnvironment(env),
              AGE_IDENTITY_FILE: "/var/run/secrets/age/identity",
              RESTORE_DB_SOCKET: SCRATCH_MYSQL.socket,
              RESTORE_DB_USER: "root",
              RESTORE_DB_AUTH: "password-file",
              RESTORE_DB_PASSWORD_FILE: SCRATCH_MYSQL.passwordFile,
              WORK_DIR,
              HOME: WORK_DIR,
            }),
            ...(restoreAws.env ?? []),
          ],
          volumeMounts: [
            { name: "work", mountPath: WORK_DIR },
            { name: "age-identity", mountPath: "/var/run/secrets/age", readOnly: true },
            { name: "mysql-run", mountPath: SCRATCH_MYSQL.socketDir },
            { name: "scratch-auth", mountPath: SCRATCH_MYSQL.authDir, readOnly: true },
            ...(restoreAws.mounts ?? []),
          ],
          resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "2", memory: "2Gi" } },
          securityContext: restricted(BACKUP_UID),
        },
      ],
    },
  });

  return [backup, restore];
}

/**
 * The YAML of objects as kubectl reads it: kubectl (sigs.k8s.io/yaml over go-yaml v2) resolves plain scalars by
 * YAML 1.1, where `yes`, `on`, `y`, `0777` and `1:20` are not strings. Written with the yaml package's 1.1 schema,
 * every string such a resolver would read otherwise is quoted, which YAML 1.2 reads the same way
 * (test/backup/jobs.test.ts parses each file with both and compares with the objects).
 */
export const kubectlYaml = (objects: readonly object[]): string =>
  objects.map((object) => stringify(object, { lineWidth: 0, version: "1.1" })).join("---\n");

/** The header line naming the placeholder fields a manifest still holds; operator/ci/kubectl-apply.sh refuses it. */
export const PLACEHOLDER_HEADER = "# placeholder-fields:";

/**
 * Fields of `env` holding this repository's stand-in values (config/placeholders.ts) whose value appears in
 * `text` (as a whole, or inside a longer string such as a role ARN), and image digests of all zeros but one digit.
 */
export function manifestPlaceholders(env: EnvironmentConfig, text: string): string[] {
  const valueOf = (field: string) => field.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], env);
  const fields = placeholderFields(env).filter((field) => {
    const value = valueOf(field);
    return typeof value === "string" && text.includes(value);
  });
  const named = fields.map((f) => String(valueOf(f))).join("\n");
  // A digest of (almost) all zeros is nobody's image, marked or not.
  const zeroDigests = [...new Set([...text.matchAll(/@sha256:(0{63}[0-9a-f])\b/g)].map((m) => m[1]))].filter((d) => !named.includes(d)).map((d) => `image digest sha256:${d}`);
  return [...fields, ...zeroDigests];
}
