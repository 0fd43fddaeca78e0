/**
 * The offsite backup job and its restore verification, as typed definitions derived from the environment's
 * config, for both variants of `backup/packagecloud-backup.sh`:
 *
 * - VM: a systemd service and timer, written at first boot (`vmFirstBootExtension`, a hook into
 *   constructs/first-boot.ts) and run as root with the instance role.
 * - GKE: two Kubernetes CronJobs and their service accounts (`kubernetesObjects`), built with the typed models of
 *   `kubernetes-models` (validated against the Kubernetes OpenAPI schema) and written at synth to
 *   `cdktf.out/kubernetes/<env>/backup-jobs.yaml` (`kubernetesFiles`).
 *
 * @example
 *   const files = kubernetesFiles([env]);        // { "kubernetes/ops/backup-jobs.yaml": "..." }
 *   const hook = vmFirstBootExtension(env);      // write_files + runcmd entries for cloud-init
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { IContainer, IPodSpec, IVolume } from "kubernetes-models/v1";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { stringify } from "yaml";
import type { EnvironmentConfig } from "../config";
import type { FirstBootExtension } from "../constructs/first-boot";
import { STS_AUDIENCE } from "../constructs/gke-aws-federation";
import { cloudSqlConnectionName, gkeClusterName, resourceName } from "../config/naming";
import { BACKUP_NAMES } from "../monitoring/from-config";
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
  // verify-restore: the restore timeout bounds each of its steps (an xbstream is unpacked, then prepared), and the
  // scratch server gets MYSQLD_START_TIMEOUT_SECONDS (15 min) to open it.
  const steps = command === "backup" ? (t.dumpMinutes + t.uploadMinutes) * attempts : t.fetchMinutes * attempts + 2 * t.restoreMinutes + 15;
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

function cronJob(env: EnvironmentConfig, options: { name: string; schedule: string; command: "backup" | "verify-restore"; serviceAccount: string; pod: Omit<IPodSpec, "restartPolicy" | "serviceAccountName"> }): CronJob {
  const k = env.backupJob.kubernetes;
  const labels = { "app.kubernetes.io/name": options.name, "app.kubernetes.io/part-of": "packagecloud", "packagecloud.io/environment": env.name };
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
          // restartPolicy Never). The evicted run wrote its failure metric on SIGTERM (the script's trap).
          podFailurePolicy: { rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] }] },
          activeDeadlineSeconds: worstCaseSeconds(env, options.command),
          // A finished Job and its pod go after a day: the pod's generic ephemeral volumes (the 200 GiB work disk,
          // the scratch MySQL's data) are deleted with the pod, so a kept pod would keep paying for its disks.
          // The outcome lives on in the metrics and Cloud Logging.
          ttlSecondsAfterFinished: 86400,
          template: {
            metadata: { labels },
            spec: {
              ...options.pod,
              serviceAccountName: options.serviceAccount,
              // The Kubernetes API token is never needed. Workload Identity does not need it either: the GKE
              // metadata server identifies the pod itself, and Google's own module binds its service accounts
              // with automount off (terraform-google-kubernetes-engine, modules/workload-identity:
              // automount_service_account_token defaults to false).
              automountServiceAccountToken: false,
              restartPolicy: "Never",
              // On SIGTERM (eviction, activeDeadlineSeconds) the script stops its step and writes and pushes its
              // failure metric (curl bounded to 20 s): room for that before the kubelet's SIGKILL (default 30 s).
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

/** The ServiceAccounts and CronJobs of an environment, validated against the Kubernetes schema. */
export function kubernetesObjects(env: EnvironmentConfig): Array<ServiceAccount | CronJob> {
  const k = env.backupJob.kubernetes;
  const roles = gkeRoleNames(env);
  const metrics = { PUSHGATEWAY_URL: k.pushgatewayUrl };
  // Generic ephemeral volumes: a persistent disk of its own for each run, created with the pod and deleted with it
  // (the PVC is owned by the pod: Kubernetes "Ephemeral Volumes", "Lifecycle and PersistentVolumeClaim"), never the
  // node's boot disk; its size is its limit (the filesystem is that big, and a full disk fails the step, not the node).
  const bigWork = (gi: number, name = "work"): IVolume => ({
    name,
    ephemeral: { volumeClaimTemplate: { spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: `${gi}Gi` } } } } },
  });

  const backupAws = awsAccess(env, roles.backup);
  const backup = cronJob(env, {
    name: "packagecloud-offsite-backup",
    schedule: cron(env.backupJob.schedule.backupUtc),
    command: "backup",
    serviceAccount: k.backupServiceAccount,
    pod: {
      volumes: [bigWork(200), ...backupAws.volumes],
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
    name: "packagecloud-restore-verify",
    schedule: cron(env.backupJob.schedule.restoreVerificationUtc),
    command: "verify-restore",
    serviceAccount: k.restoreServiceAccount,
    pod: {
      volumes: [
        bigWork(200),
        { name: "age-identity", secret: { secretName: k.ageIdentitySecret, defaultMode: 0o400 } },
        // The scratch MySQL's data: as large as the restored database, so a disk of its own (not the node's boot
        // disk, where an emptyDir lives), deleted with the pod.
        bigWork(200, "mysql-data"),
        { name: "mysql-run", emptyDir: { medium: "Memory", sizeLimit: "16Mi" } },
        // Sort files of the load: on the node's disk, capped (the kubelet evicts the pod past its sizeLimit).
        { name: "mysql-tmp", emptyDir: { sizeLimit: "2Gi" } },
        ...restoreAws.volumes,
      ],
      // The scratch MySQL runs beside the check as a native sidecar (an init container that keeps running and
      // is stopped when the check ends), listening on loopback only: nothing outside the pod reaches it.
      initContainers: [
        {
          name: "scratch-mysql",
          image: k.images.scratchMysql,
          restartPolicy: "Always",
          args: ["--bind-address=127.0.0.1", "--skip-name-resolve", "--innodb-buffer-pool-size=512M"],
          // A string: the YAML below is written so that kubectl's YAML 1.1 reader keeps it one ("yes" is a boolean
          // there, and EnvVar.value must be a string).
          env: [{ name: "MYSQL_ALLOW_EMPTY_PASSWORD", value: "yes" }],
          startupProbe: { exec: { command: ["mysqladmin", "--host=127.0.0.1", "ping"] }, periodSeconds: 5, failureThreshold: 60 },
          volumeMounts: [
            { name: "mysql-data", mountPath: "/var/lib/mysql" },
            { name: "mysql-run", mountPath: "/var/run/mysqld" },
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
              RESTORE_DB_HOST: "127.0.0.1",
              RESTORE_DB_PORT: "3306",
              RESTORE_DB_USER: "root",
              WORK_DIR,
              HOME: WORK_DIR,
            }),
            ...(restoreAws.env ?? []),
          ],
          volumeMounts: [
            { name: "work", mountPath: WORK_DIR },
            { name: "age-identity", mountPath: "/var/run/secrets/age", readOnly: true },
            ...(restoreAws.mounts ?? []),
          ],
          resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "2", memory: "2Gi" } },
          securityContext: restricted(BACKUP_UID),
        },
      ],
    },
  });

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
    backup,
    restore,
  ];
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

/** Files to write into the synth output, keyed by their path relative to it. */
export function kubernetesFiles(envs: readonly EnvironmentConfig[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const env of envs) {
    const objects = kubernetesObjects(env);
    for (const object of objects) object.validate();
    const body = kubectlYaml(objects.map((object) => object.toJSON()));
    const placeholders = manifestPlaceholders(env, body);
    const header =
      `# Generated by packagecloud-infra at synth (backup/jobs.ts) for ${env.name}: apply with operator/ci/kubectl-apply.sh ${env.name}\n` +
      `${PLACEHOLDER_HEADER} ${placeholders.length > 0 ? placeholders.join(", ") : "none"}\n`;
    files[`kubernetes/${env.name}/backup-jobs.yaml`] = header + body;
  }
  return files;
}
