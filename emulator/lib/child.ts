/**
 * Stopping a helper server that exits when its stdin closes (the stand-in providers): close
 * stdin, wait for the exit, remove its directory.
 */
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";

export async function stopThroughStdin(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.stdin!.end();
    await exited;
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
