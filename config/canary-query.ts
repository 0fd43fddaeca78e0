/**
 * One read, not a script (issue 29 §4): the restore verification runs `backupJob.verify.canary.query` with
 * `mysql -e` against the restored copy (backup/packagecloud-backup.sh). The mysql client runs every `;`-separated
 * statement of an -e string, and its own commands too: `\! <command>` runs a shell command, `\.` a file (MySQL
 * Reference Manual, "mysql Client Commands"). MySQL runs `/*! … *\/` "executable comments" as code (Reference Manual,
 * "Comments"), and `--` or `#` can hide the rest of a line. So the canary is one SELECT with no terminator, comment or
 * backslash, that writes nothing (no INTO) and calls nothing with effects outside the query (files, sleeps, locks).
 *
 * (config/backup-job-checks.ts then checks what it reads: a table the verification checks, in the restored schema.)
 */
import type { EnvironmentConfig } from "./schema";

/** Functions that reach outside a read: files, time, server locks, user-level locks. */
const SIDE_EFFECTS = ["LOAD_FILE", "SLEEP", "BENCHMARK", "GET_LOCK", "RELEASE_LOCK", "RELEASE_ALL_LOCKS", "IS_FREE_LOCK", "SYS_EXEC", "SYS_EVAL"];

/** Why the canary is not a single plain SELECT, or undefined. */
export function checkCanaryStatement(query: string): string | undefined {
  if (!/^\s*SELECT\s/i.test(query)) return undefined; // the schema says "must be a SELECT statement"
  if (query.includes(";")) {
    return "must be one statement with no ';' (not even a trailing one): mysql -e runs every ;-separated statement, so a second one would run against the restored production copy; drop the ';'";
  }
  if (/--|#|\/\*/.test(query)) {
    return "must not contain comments (--, #, /* */): MySQL runs /*! ... */ comments as code, and a comment can hide the rest of a statement; write the SELECT alone";
  }
  if (query.includes("\\")) {
    return "must not contain a backslash: the mysql client runs backslash commands from -e (\\! runs a shell command); write the SELECT without one";
  }
  if (/\bINTO\b/i.test(query)) return "must not contain INTO: SELECT ... INTO writes (a file, a variable); the canary only reads one value";
  const effect = SIDE_EFFECTS.find((fn) => new RegExp(`\\b${fn}\\s*\\(`, "i").test(query));
  if (effect) return `must not call ${effect}(): the canary reads one value from a table, nothing outside it (files, time, locks)`;
  if (/\bFOR\s+(UPDATE|SHARE)\b|\bLOCK\s+IN\s+SHARE\s+MODE\b/i.test(query)) return "must not lock rows (FOR UPDATE, FOR SHARE, LOCK IN SHARE MODE): the canary is a plain read";
  return undefined;
}

export function checkCanary(env: EnvironmentConfig): Array<{ path: Array<string | number>; message: string }> {
  const problem = checkCanaryStatement(env.backupJob.verify.canary.query);
  return problem ? [{ path: ["backupJob", "verify", "canary", "query"], message: problem }] : [];
}
