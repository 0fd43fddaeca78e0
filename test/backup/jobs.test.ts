/**
 * The backup jobs' generated definitions: the CronJobs (validated against the Kubernetes OpenAPI schema by
 * kubernetes-models, and held to the issue's invariants), the VM's first-boot hook and units, the config checks,
 * and the GKE federation's trust policies at synth.
 */
import { gzipSync } from "node:zlib";
import { parse, parseAllDocuments } from "yaml";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { ConfigError, ENV_NAMES, loadEnvironments, parseEnvironment } from "../../config";
import { ENVIRONMENTS } from "../../config/environments";
import {
  BACKUP_SCRIPT_PATH,
  backupScript,
  clusterIssuer,
  gkeRoleNames,
  kubernetesFiles,
  kubernetesObjects,
  systemdService,
  systemdTimer,
  VM_ENV_FILE,
  vmEnvironment,
  vmFirstBootExtension,
  VM_RESTORE_USER,
  vmSysusers,
  worstCaseSeconds,
} from "../../backup/jobs";
import { cloudConfig } from "../../constructs/first-boot";
import { GkeAwsFederation } from "../../constructs/gke-aws-federation";
import { constructStack, sharedStorage, synth, Synthesized } from "../support/synth";

const envs = loadEnvironments();

describe.each(ENV_NAMES)("Kubernetes backup jobs of %s", (name) => {
  const env = envs[name];
  const objects = kubernetesObjects(env);
  const cronJobs = objects.filter((o): o is CronJob => o.kind === "CronJob");
  const byName = (n: string) => cronJobs.find((c) => c.metadata?.name === n)!;

  it("validates every object against the Kubernetes schema", () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual([
      `ServiceAccount/${env.backupJob.kubernetes.backupServiceAccount}`,
      `ServiceAccount/${env.backupJob.kubernetes.restoreServiceAccount}`,
      "CronJob/packagecloud-offsite-backup",
      "CronJob/packagecloud-restore-verify",
    ]);
    for (const object of objects) expect(() => object.validate()).not.toThrow();
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

  it("dumps Cloud SQL as an IAM database user over TLS, and pushes metrics to the configured Pushgateway", () => {
    const main = byName("packagecloud-offsite-backup").spec!.jobTemplate.spec!.template.spec!.containers[0];
    const vars = Object.fromEntries((main.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));
    expect(vars).toMatchObject({ BACKUP_SOURCE: "mysqldump", DB_AUTH: "gcp-iam", DB_EXTRA_ARGS: "--ssl", PUSHGATEWAY_URL: env.backupJob.kubernetes.pushgatewayUrl });
    expect(vars.DB_HOST).toEqual({ configMapKeyRef: { name: env.backupJob.kubernetes.databaseConfigMap, key: "host" } });
    expect(main.command).toEqual([BACKUP_SCRIPT_PATH, "backup"]);
  });

  it("writes cdktf.out/kubernetes/<env>/backup-jobs.yaml whose documents parse back into valid objects", () => {
    const files = kubernetesFiles([env]);
    expect(Object.keys(files)).toEqual([`kubernetes/${name}/backup-jobs.yaml`]);
    const docs = parseAllDocuments(files[`kubernetes/${name}/backup-jobs.yaml`]).map((d) => d.toJSON());
    expect(docs.map((d) => d.kind)).toEqual(["ServiceAccount", "ServiceAccount", "CronJob", "CronJob"]);
    for (const doc of docs) {
      const model = doc.kind === "CronJob" ? new CronJob(doc) : new ServiceAccount(doc);
      expect(() => model.validate()).not.toThrow();
    }
  });
});

describe("the Kubernetes schema check", () => {
  it("fails if a CronJob has no schedule (kubernetes-models' OpenAPI validation)", () => {
    const job = kubernetesObjects(envs.ops).find((o) => o.kind === "CronJob") as CronJob;
    const broken = new CronJob({ ...job.toJSON(), spec: { ...job.spec!, schedule: undefined as unknown as string } });
    expect(() => broken.validate()).toThrow(/must have required property 'schedule'|schedule/);
  });
});

describe("VM variant", () => {
  const env = envs.ops;

  it("installs the script, the restore user, both jobs' environments and units at first boot, and enables both timers", () => {
    const ext = vmFirstBootExtension(env);
    expect(ext.packages).toEqual(["awscli", "age"]);
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

  it.each(ENV_NAMES)("keeps the user data of %s, gzipped as Terraform sends it, under EC2's 16 KB limit", (name) => {
    // EC2 API reference, RunInstances: "User data is limited to 16 KB" (before base64 encoding), i.e. the gzip.
    const userData = cloudConfig({
      dataDisk: { volumeId: "vol-0123456789abcdef0", mountPoint: "/var/opt/packagecloud" },
      apt: envs[name].vm.packagecloudApt,
      extensions: [vmFirstBootExtension(envs[name])],
    });
    expect(parse(userData.replace(/^#cloud-config\n/, "")).write_files).toHaveLength(11);
    expect(gzipSync(userData, { level: 6 }).length).toBeLessThan(16 * 1024);
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
