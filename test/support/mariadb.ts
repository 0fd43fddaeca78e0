/**
 * A scratch MariaDB server in a directory of its own (never the system service): Debian's server binaries on a
 * private socket and a free loopback port, root by socket authentication. Tests that need a MySQL-compatible server
 * start one here.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { requireTool } from "../../operator/lib/tools";
import { freePort } from "../../emulator/lib/ports";

export interface ScratchMariadb {
  readonly port: number;
  readonly socket: string;
  /** Statements as root over the socket; their output (batch, no column names). Throws on failure. */
  asRoot(sql: string): string;
  stop(): Promise<void>;
}

export async function startMariadb(work: string): Promise<ScratchMariadb> {
  requireTool("mariadbd");
  requireTool("mariadb-install-db");
  requireTool("mariadb");
  const port = await freePort();
  const datadir = path.join(work, "data");
  const socket = path.join(work, "mysql.sock");
  fs.mkdirSync(work, { recursive: true });
  const install = spawnSync("mariadb-install-db", ["--no-defaults", `--datadir=${datadir}`, "--auth-root-authentication-method=socket", "--skip-test-db", "--user=root"], { encoding: "utf8" });
  if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.stderr}`);
  const mysqld: ChildProcess = spawn("mariadbd", [
    "--no-defaults", `--datadir=${datadir}`, `--socket=${socket}`, `--port=${port}`, "--bind-address=127.0.0.1", "--user=root",
    "--innodb-buffer-pool-size=16M", "--skip-log-bin", `--pid-file=${path.join(work, "mysql.pid")}`, `--log-error=${path.join(work, "mysql.err")}`,
  ]);
  const asRoot = (sql: string): string => {
    const result = spawnSync("mariadb", ["--no-defaults", `--socket=${socket}`, "--user=root", "--batch", "--skip-column-names", "-e", sql], { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`mariadb: ${result.stderr}`);
    return result.stdout.trim();
  };
  for (let i = 0; ; i += 1) {
    if (spawnSync("mariadb", ["--no-defaults", `--socket=${socket}`, "--user=root", "-e", "SELECT 1"]).status === 0) break;
    if (i > 150) throw new Error(`MariaDB did not start: ${fs.existsSync(path.join(work, "mysql.err")) ? fs.readFileSync(path.join(work, "mysql.err"), "utf8") : ""}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    port,
    socket,
    asRoot,
    stop: async () => {
      if (mysqld.exitCode !== null) return;
      const exited = new Promise((resolve) => mysqld.once("exit", resolve));
      mysqld.kill("SIGTERM");
      await exited;
    },
  };
}
