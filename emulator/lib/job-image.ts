/**
 * What a pipeline job has to run with: the commands of its image, `node:20.20.2-bookworm` (tooling/pipeline.ts
 * NODE_IMAGE), written out by hand from the image's recipe, plus what its before_script installs. A model of the
 * image (no container runs here): test/engine/pipeline-deploy.test.ts runs the jobs on a PATH of exactly these
 * commands, and test/ci-tools.test.ts holds every plan, deploy and drift job's commands to them.
 *
 * The recipe, layer by layer (each list: the package, then the commands it puts on PATH):
 * - debian:bookworm, the packages of priority required that debuerreotype's minbase variant installs, and apt;
 * - buildpack-deps:bookworm-curl (docker-library/buildpack-deps debian/bookworm/curl/Dockerfile, commit 8330ca1):
 *   ca-certificates (which depends on openssl), curl, gnupg, netbase, sq, wget;
 * - buildpack-deps:bookworm-scm (debian/bookworm/scm/Dockerfile): git, mercurial (which depends on python3),
 *   openssh-client, subversion, procps;
 * - buildpack-deps:bookworm (debian/bookworm/Dockerfile): autoconf, automake, bzip2, dpkg-dev, file, g++, gcc,
 *   imagemagick, libtool, make, patch, unzip, xz-utils and -dev libraries (pkg-config through libglib2.0-dev);
 * - node:20-bookworm (nodejs/docker-node, Dockerfile-debian.template: `FROM buildpack-deps:bookworm`): Node's release
 *   tarball into /usr/local (bin/node, npm, npx, corepack), `ln -s .../node /usr/local/bin/nodejs`, yarn 1.x into
 *   /opt with /usr/local/bin/yarn and yarnpkg, and docker-entrypoint.sh.
 * Not in it, among what this machine has: gcloud, kubectl, terraform, moto_server, aws, rsync, jq, sudo, shellcheck.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The commands of node:20.20.2-bookworm, by the package (or layer) that provides them. */
export const NODE_IMAGE_COMMANDS: Readonly<Record<string, readonly string[]>> = {
  // debian:bookworm
  bash: ["bash"],
  dash: ["sh", "dash"],
  coreutils: [
    "[", "arch", "base32", "base64", "basename", "cat", "chgrp", "chmod", "chown", "cksum", "comm", "cp", "csplit", "cut", "date", "dd", "df",
    "dirname", "du", "echo", "env", "expand", "expr", "factor", "false", "fmt", "fold", "groups", "head", "id", "install", "join", "link", "ln",
    "logname", "ls", "md5sum", "mkdir", "mkfifo", "mknod", "mktemp", "mv", "nice", "nl", "nohup", "nproc", "numfmt", "od", "paste", "pr",
    "printenv", "printf", "pwd", "readlink", "realpath", "rm", "rmdir", "seq", "sha1sum", "sha256sum", "sha512sum", "shred", "shuf", "sleep",
    "sort", "split", "stat", "stdbuf", "stty", "sum", "sync", "tac", "tail", "tee", "test", "timeout", "touch", "tr", "true", "truncate",
    "tsort", "tty", "uname", "unexpand", "uniq", "unlink", "wc", "whoami", "yes",
  ],
  debianutils: ["which", "run-parts", "savelog"],
  diffutils: ["diff", "cmp", "sdiff"],
  findutils: ["find", "xargs"],
  grep: ["grep", "egrep", "fgrep"],
  sed: ["sed"],
  mawk: ["awk", "mawk"],
  gzip: ["gzip", "gunzip", "zcat"],
  tar: ["tar"],
  hostname: ["hostname"],
  "util-linux": ["getopt", "flock", "setsid", "more", "logger", "rev"],
  mount: ["mount", "umount"],
  "perl-base": ["perl"],
  dpkg: ["dpkg", "dpkg-deb", "dpkg-query"],
  apt: ["apt", "apt-get", "apt-cache", "apt-mark"],
  gpgv: ["gpgv"],
  // buildpack-deps:bookworm-curl
  openssl: ["openssl"],
  curl: ["curl"],
  gnupg: ["gpg", "gpgconf", "gpg-agent", "dirmngr"],
  sq: ["sq"],
  wget: ["wget"],
  // buildpack-deps:bookworm-scm
  git: ["git"],
  mercurial: ["hg"],
  python3: ["python3"],
  "openssh-client": ["ssh", "scp", "ssh-keygen"],
  subversion: ["svn"],
  procps: ["ps", "kill", "pgrep", "pkill", "free", "top", "uptime"],
  // buildpack-deps:bookworm
  bzip2: ["bzip2", "bunzip2"],
  "xz-utils": ["xz", "unxz", "xzcat"],
  unzip: ["unzip"],
  file: ["file"],
  make: ["make"],
  patch: ["patch"],
  gcc: ["gcc", "cc", "cpp"],
  "g++": ["g++", "c++"],
  "pkg-config": ["pkg-config"],
  // node:20-bookworm
  node: ["node", "nodejs", "npm", "npx", "corepack"],
  yarn: ["yarn", "yarnpkg"],
};

/** Every command of the image. */
export function imageCommands(): Set<string> {
  return new Set(Object.values(NODE_IMAGE_COMMANDS).flat());
}

/** Where the image keeps its commands: its PATH (node's images keep Debian's default). */
export const IMAGE_PATH = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

/** The machine's copy of an image command, looked up where the image has its commands (never pyenv, gcloud's dir...). */
function imageCommandOnThisMachine(command: string): string | undefined {
  return IMAGE_PATH.map((dir) => path.join(dir, command)).find((file) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  });
}

/** The machine's copy of a tool an install step installs, looked up on the whole PATH. */
function toolOnThisMachine(tool: string, searchPath: string): string | undefined {
  return searchPath
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, tool))
    .find((file) => fs.existsSync(file));
}

export interface JobPath {
  /** The directory to put on the job's PATH, alone. */
  readonly dir: string;
  /** Image commands this machine lacks (left out: a job that needs one fails, as it should if the image lacked it). */
  readonly missing: string[];
}

/**
 * A directory of symlinks to this machine's binaries: every command of the image this machine has, plus the tools
 * the job's install step installs (`installs`: modelled by putting them on the PATH, since the real install step
 * downloads them; the step itself then runs and finds them present). Fails if an installed tool is not here.
 */
export function jobPathDir(dir: string, installs: readonly string[], searchPath: string = process.env.PATH ?? ""): JobPath {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const missing: string[] = [];
  for (const command of imageCommands()) {
    const found = imageCommandOnThisMachine(command);
    if (found) fs.symlinkSync(found, path.join(dir, command));
    else missing.push(command);
  }
  for (const tool of installs) {
    const found = toolOnThisMachine(tool, searchPath);
    if (!found) throw new Error(`${tool} is installed by the job's before_script, but this machine has none to stand for it`);
    fs.rmSync(path.join(dir, tool), { force: true });
    fs.symlinkSync(found, path.join(dir, tool));
  }
  return { dir, missing: missing.sort() };
}
