/**
 * The backup job's settings checked together (config/backup-job-schema.ts checks each on its own): what the
 * binaries are, what the canary reads, whether the recipient is a key age accepts, and whether a run fits
 * before the next one. Run by the guardrails on every schema-valid environment.
 */
import type { EnvironmentConfig } from "./schema";

/** A problem at a field path (the guardrails' Problem; declared here so this file does not import them back). */
interface Problem {
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

const at = (field: string, message: string): Problem => ({ path: field.split("."), message });

/**
 * The file names each binary has in the builds the job supports: Percona's (packagecloud's omnibus ships
 * Percona Server's xtrabackup and xbstream) and MariaDB's (mariadb-backup, mbstream; the test stand-in).
 * A path whose last part is none of these names a directory or another program: the job would fail at
 * 04:30 with "permission denied" or run the wrong tool.
 */
export const BINARY_NAMES: Readonly<Record<"xbstream" | "xtrabackup" | "mysqld", readonly string[]>> = {
  xbstream: ["xbstream", "mbstream"],
  xtrabackup: ["xtrabackup", "mariabackup", "mariadb-backup"],
  mysqld: ["mysqld", "mariadbd"],
};

function binaries(env: EnvironmentConfig): Problem[] {
  const problems: Problem[] = [];
  for (const [key, names] of Object.entries(BINARY_NAMES) as Array<[keyof typeof BINARY_NAMES, readonly string[]]>) {
    const file = env.backupJob.vm.binaries[key];
    const parts = file.split("/");
    const base = parts[parts.length - 1]!;
    if (file.endsWith("/") || parts.slice(1).some((p) => p === "" || p === "." || p === "..")) {
      problems.push(at(`backupJob.vm.binaries.${key}`, `must be the path of the ${key} program itself (no trailing /, no empty, . or .. parts), e.g. /opt/packagecloud/embedded/bin/${names[0]}`));
    } else if (!names.includes(base)) {
      problems.push(at(`backupJob.vm.binaries.${key}`, `must name the ${key} program (a file called ${names.join(" or ")}), not a directory or another program: e.g. ${[...parts.slice(0, -1), names[0]].join("/")}`));
    }
  }
  return problems;
}

/** Schemas MySQL keeps about itself: a query on them succeeds on an empty or unrelated server. */
const SYSTEM_SCHEMAS = ["information_schema", "mysql", "performance_schema", "sys"];

/**
 * The canary must read a table the verification checks, in the restored database: `SELECT 1`, `SELECT NOW()` or a
 * query on information_schema returns its value from any server, so it would pass with an empty restore.
 */
function canary(env: EnvironmentConfig): Problem[] {
  const { query } = env.backupJob.verify.canary;
  const tables = env.backupJob.verify.tables;
  const database = env.backupJob.vm.database;
  const identifier = "`?([A-Za-z_][A-Za-z0-9_]*)`?";
  const read = [...query.matchAll(new RegExp(`\\b(?:FROM|JOIN)\\s+(?:${identifier}\\s*\\.\\s*)?${identifier}`, "gi"))].map((m) => ({
    schema: m[1]?.toLowerCase(),
    table: m[2]!,
  }));
  const system = read.find((r) => SYSTEM_SCHEMAS.includes((r.schema ?? r.table).toLowerCase()));
  if (system || /\b(information_schema|performance_schema)\b/i.test(query)) {
    return [at("backupJob.verify.canary.query", `must read the restored data, not MySQL's own schemas (${SYSTEM_SCHEMAS.join(", ")}): those answer the same on an empty server`)];
  }
  const reads = read.some((r) => tables.includes(r.table) && (r.schema === undefined || r.schema === database.toLowerCase()));
  if (!reads) {
    return [
      at(
        "backupJob.verify.canary.query",
        `must read one of verify.tables (${tables.join(", ")}) with FROM or JOIN${read.length > 0 ? ` in ${database}` : ""}: a query that reads no restored table (SELECT 1, SELECT NOW()) passes with an empty restore`,
      ),
    ];
  }
  return [];
}

// --- age recipients: Bech32 (BIP 173), which age uses for its keys --------------------------------------------

const BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

function polymod(values: readonly number[]): number {
  const generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= generator[i]!;
  }
  return chk >>> 0;
}

/**
 * Whether a lowercase Bech32 string's checksum holds (BIP 173, "Checksum"; age encodes X25519 recipients as
 * Bech32 with the HRP "age": C2SP age spec, "The X25519 recipient type"). A mistyped character fails it; age
 * itself would refuse the recipient only when the backup runs.
 */
export function bech32ChecksumHolds(text: string): boolean {
  const sep = text.lastIndexOf("1");
  if (sep < 1 || text.length - sep - 1 < 6) return false;
  const hrp = text.slice(0, sep);
  const data = [...text.slice(sep + 1)].map((c) => BECH32.indexOf(c));
  if (data.some((d) => d < 0)) return false;
  const expanded = [...[...hrp].map((c) => c.charCodeAt(0) >> 5), 0, ...[...hrp].map((c) => c.charCodeAt(0) & 31)];
  return polymod([...expanded, ...data]) === 1;
}

function recipient(env: EnvironmentConfig): Problem[] {
  return bech32ChecksumHolds(env.backupJob.ageRecipient)
    ? []
    : [at("backupJob.ageRecipient", "has a wrong Bech32 checksum (a character is mistyped): age would refuse it at the first backup; copy it again from `age-keygen -y identity.txt`")];
}

// --- run times -------------------------------------------------------------------------------------------------

/**
 * The longest a run can take, in minutes: every attempt of every step timing out, plus 15 minutes for listing
 * and metrics; the verification's download is checksummed in a step bounded by the fetch timeout, its restore
 * timeout bounds unpack and prepare each, and the scratch server gets 15 minutes to start. The same formula as
 * `worstCaseSeconds` in backup/jobs.ts, which sets the jobs' own deadlines (test/backup-job-checks.test.ts holds
 * them equal).
 */
export function worstCaseMinutes(env: EnvironmentConfig, command: "backup" | "verify-restore"): number {
  const t = env.backupJob.timeouts;
  const attempts = env.backupJob.attempts;
  const steps = command === "backup" ? (t.dumpMinutes + t.uploadMinutes) * attempts : t.fetchMinutes * (attempts + 1) + 2 * t.restoreMinutes + 15;
  return steps + 15;
}

/** Both jobs run daily: a worst-case run longer than a day is still running when the next one starts. */
const INTERVAL_MINUTES = 24 * 60;

function runTimes(env: EnvironmentConfig): Problem[] {
  const t = env.backupJob.timeouts;
  const a = env.backupJob.attempts;
  const problems: Problem[] = [];
  const backup = worstCaseMinutes(env, "backup");
  if (backup >= INTERVAL_MINUTES) {
    problems.push(
      at(
        "backupJob.timeouts",
        `let a backup run take up to ${(backup / 60).toFixed(1)} h (attempts ${a} × (dumpMinutes ${t.dumpMinutes} + uploadMinutes ${t.uploadMinutes}) + 15 min), longer than the 24 h until the next daily run: lower the timeouts or attempts`,
      ),
    );
  }
  const verify = worstCaseMinutes(env, "verify-restore");
  if (verify >= INTERVAL_MINUTES) {
    problems.push(
      at(
        "backupJob.timeouts",
        `let a restore verification take up to ${(verify / 60).toFixed(1)} h ((attempts ${a} + 1 checksum) × fetchMinutes ${t.fetchMinutes} + 2 × restoreMinutes ${t.restoreMinutes} + 30 min), longer than the 24 h until the next daily run: lower the timeouts or attempts`,
      ),
    );
  }
  return problems;
}

export function checkBackupJob(env: EnvironmentConfig): Problem[] {
  return [...binaries(env), ...canary(env), ...recipient(env), ...runTimes(env)];
}
