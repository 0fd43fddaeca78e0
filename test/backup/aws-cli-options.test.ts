/**
 * Every `aws` call of the backup script uses only options the CLIs it runs with accept: Ubuntu 22.04's awscli
 * 1.22.34 (the VM; not installable here) and Debian bookworm's 2.9.19 (the GKE image). The option lists are
 * generated from those releases' sources (test/backup/aws-cli-options.json, "_source" says where each comes from).
 * A call the lists do not know fails here, before a production run answers "Unknown options" (exit 252).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { BACKUP_SCRIPT_SOURCE } from "../../backup/jobs";

interface OptionLists {
  readonly versions: Record<string, { readonly global: string[]; readonly commands: Record<string, string[]> }>;
}
const LISTS: OptionLists = JSON.parse(fs.readFileSync(path.join(__dirname, "aws-cli-options.json"), "utf8"));

/** Each AWS CLI call of a script: its command ("s3 cp") and the --options it passes. */
export function awsCalls(script: string): Array<{ command: string; options: string[]; line: string }> {
  const joined = script.replace(/\\\n\s*/g, " ");
  const calls: Array<{ command: string; options: string[]; line: string }> = [];
  for (const line of joined.split("\n")) {
    if (/^\s*#/.test(line)) continue;
    // `awscli` is the script's wrapper (it adds --endpoint-url, a global option, when S3_ENDPOINT_URL is set).
    const match = /\b(?:awscli|aws)\s+(s3api|s3|sts)\s+([a-z0-9-]+)(.*)$/.exec(line);
    if (!match) continue;
    calls.push({ command: `${match[1]} ${match[2]}`, options: [...match[3].matchAll(/(?<![\w-])--([a-z0-9-]+)/g)].map((m) => m[1]), line: line.trim() });
  }
  return calls;
}

function unknownOptions(script: string): string[] {
  const problems: string[] = [];
  for (const call of awsCalls(script)) {
    for (const [version, list] of Object.entries(LISTS.versions)) {
      const known = list.commands[call.command];
      if (!known) { problems.push(`${version}: no option list for "aws ${call.command}"`); continue; }
      for (const option of call.options) {
        if (!known.includes(option) && !list.global.includes(option)) problems.push(`${version}: aws ${call.command} --${option}`);
      }
    }
  }
  return problems;
}

describe("the backup script's AWS CLI calls against the option lists of awscli 1.22.34 and 2.9.19", () => {
  const script = fs.readFileSync(BACKUP_SCRIPT_SOURCE, "utf8");

  it("finds every call (upload, listing, count, download) and --endpoint-url is a global option of both", () => {
    expect(awsCalls(script).map((c) => c.command).sort()).toEqual(["s3 cp", "s3api get-object", "s3api list-objects-v2", "s3api list-objects-v2"]);
    for (const list of Object.values(LISTS.versions)) expect(list.global).toEqual(expect.arrayContaining(["endpoint-url", "query", "output", "cli-read-timeout", "cli-connect-timeout"]));
  });

  it("uses no option either version lacks", () => {
    expect(unknownOptions(script)).toEqual([]);
  });

  it("fails if: the upload asks for --checksum-algorithm SHA256 (the call before this fix)", () => {
    const before = script.replace("awscli s3 cp --only-show-errors", "awscli s3 cp --only-show-errors --checksum-algorithm SHA256");
    expect(unknownOptions(before)).toEqual(["1.22.34: aws s3 cp --checksum-algorithm", "2.9.19: aws s3 cp --checksum-algorithm"]);
  });
});
