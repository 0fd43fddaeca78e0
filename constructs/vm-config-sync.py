#!/usr/bin/python3
"""packagecloud-config-sync: makes the VM match its configuration bundle in S3 (constructs/vm-config.ts).

Run by packagecloud-config-sync.timer every few minutes, as root, with the instance role. Terraform writes the
bundle (one S3 object, so a change is all-or-nothing); this reads it, and:
  0. replaces itself first when the bundle carries a different agent (`agent` names its file): the new copy must
     start (`--help`) before it is swapped in (temp file + rename), then it is run in this one's place, once, and
     does the rest; a new copy that does not start is refused, the running one stays, and nothing else is applied;
  1. writes every file whose content, owner or mode differs (atomically: temp file + rename); its own service and
     timer are files like any other, and a command of the bundle reloads them;
  2. fetches every secret from SSM Parameter Store (SecureString, decrypted with the instance role) and writes it
     the same way; a parameter not put yet is reported and retried at the next run;
  3. runs every command whose inputs (the command itself and the files it names in `after`) changed since it last
     succeeded, and every command marked `always`, in bundle order, stopping at the first failure (later commands
     may need the earlier ones).
Every command is idempotent by contract, so running one again only converges. Exit 0: everything applied;
exit 1: something is missing or failed (the unit shows failed; the next run tries again). One run at a time: a
second one (by hand, say) waits for the lock in the state directory.

Usage: packagecloud-config-sync --bucket B --key K --region R [--root DIR] [--state DIR] [--commands run|print]
Only python3's standard library and the aws CLI: both are on the VM before the first run (the bootstrap installs
awscli from the Ubuntu archive before it starts the agent).
"""
import argparse
import fcntl
import grp
import hashlib
import json
import os
import pwd
import subprocess
import sys
import tempfile


def log(message):
    print(f"packagecloud-config-sync: {message}", file=sys.stderr, flush=True)


def aws(args, region):
    return subprocess.run(["aws", "--region", region, *args], capture_output=True, text=True)


def under(root, path):
    return os.path.join(root, path.lstrip("/"))


def owner_ids(owner):
    user, _, group = owner.partition(":")
    return pwd.getpwnam(user).pw_uid, grp.getgrnam(group or user).gr_gid


class Refused(Exception):
    pass


def install(root, path, data, owner, permissions, check=None):
    """Writes data at path with owner and mode unless it is already exactly so. Returns True if it changed.

    check(temp_path) returns a problem (str) or None; on a problem the file stays as it was and Refused is raised."""
    target = under(root, path)
    mode = int(permissions, 8)
    uid, gid = owner_ids(owner) if os.geteuid() == 0 else (os.geteuid(), os.getegid())
    try:
        st = os.stat(target)
        with open(target, "rb") as f:
            if f.read() == data and (st.st_mode & 0o7777) == mode and (st.st_uid, st.st_gid) == (uid, gid):
                return False
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(target), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".packagecloud-config-")
    try:
        os.fchmod(fd, mode)
        if os.geteuid() == 0:
            os.fchown(fd, uid, gid)
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    problem = check(tmp) if check else None
    if problem:
        os.unlink(tmp)
        raise Refused(f"{path}: {problem}")
    os.replace(tmp, target)
    log(f"wrote {path}")
    return True


def starts(candidate):
    """The check for a new agent: it must at least load and parse its arguments."""
    run = subprocess.run([sys.executable, candidate, "--help"], capture_output=True, text=True)
    return None if run.returncode == 0 else f"the new agent does not start (exit {run.returncode}): {run.stderr.strip()[-500:]}"


def digest(root, command):
    h = hashlib.sha256(json.dumps(command["run"]).encode())
    for path in command.get("after", []):
        try:
            with open(under(root, path), "rb") as f:
                h.update(hashlib.sha256(f.read()).digest())
        except FileNotFoundError:
            h.update(b"missing")
    return h.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bucket", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--region", required=True)
    parser.add_argument("--root", default="/", help="prefix for every path (tests)")
    parser.add_argument("--state", default="/var/lib/packagecloud-config")
    parser.add_argument("--commands", choices=["run", "print"], default="run", help="print: list the commands due, run none (tests)")
    args = parser.parse_args()
    os.makedirs(args.state, mode=0o700, exist_ok=True)
    lock = open(os.path.join(args.state, "lock"), "w")  # closed on exec or exit, which releases it
    fcntl.flock(lock, fcntl.LOCK_EX)

    bundle_file = os.path.join(args.state, "bundle.json")
    got = aws(["s3api", "get-object", "--bucket", args.bucket, "--key", args.key, bundle_file], args.region)
    if got.returncode != 0:
        log(f"cannot read s3://{args.bucket}/{args.key}: {got.stderr.strip()}")
        return 1
    version = json.loads(got.stdout or "{}").get("VersionId", "unversioned")
    with open(bundle_file, encoding="utf-8") as f:
        bundle = json.load(f)
    log(f"bundle s3://{args.bucket}/{args.key} version {version}")

    agent = bundle.get("agent")
    for item in bundle.get("files", []):
        if item["path"] != agent:
            continue
        try:
            replaced = install(args.root, item["path"], item["content"].encode("utf-8"), item["owner"], item["permissions"], check=starts)
        except Refused as refused:
            log(f"refused {refused}; keeping the installed agent and applying nothing else")
            return 1
        if replaced and os.environ.get("PACKAGECLOUD_CONFIG_SYNC_REPLACED") != version:
            log("replaced itself with the bundle's agent; running it")
            sys.stdout.flush()
            sys.stderr.flush()
            os.environ["PACKAGECLOUD_CONFIG_SYNC_REPLACED"] = version
            os.execv(sys.executable, [sys.executable, under(args.root, agent), *sys.argv[1:]])

    for item in bundle.get("files", []):
        if item["path"] != agent:
            install(args.root, item["path"], item["content"].encode("utf-8"), item["owner"], item["permissions"])

    missing = set()
    for secret in bundle.get("secrets", []):
        got = aws(["ssm", "get-parameter", "--name", secret["parameter"], "--with-decryption", "--query", "Parameter.Value", "--output", "text"], args.region)
        if got.returncode != 0:
            missing.add(secret["path"])
            log(f"secret {secret['parameter']} for {secret['path']} is not readable yet ({got.stderr.strip()}); put it with "
                f"`aws ssm put-parameter --type SecureString --name {secret['parameter']} --value file://...` (docs/vm.md)")
            continue
        value = got.stdout[:-1] if got.stdout.endswith("\n") else got.stdout
        install(args.root, secret["path"], (value + "\n").encode(), secret["owner"], secret["permissions"])

    failed = False
    for command in bundle.get("commands", []):
        waiting = [p for p in command.get("after", []) if p in missing]
        if waiting:
            log(f"{command['id']}: waits for {', '.join(waiting)}")
            failed = True
            break
        done_file = os.path.join(args.state, f"done-{command['id']}")
        key = digest(args.root, command)
        try:
            with open(done_file, encoding="utf-8") as f:
                if f.read() == key and not command.get("always"):
                    continue
        except FileNotFoundError:
            pass
        if args.commands == "print":
            print(json.dumps({"id": command["id"], "run": command["run"]}), flush=True)
        else:
            log(f"{command['id']}: running {' '.join(command['run'])}")
            if subprocess.run(command["run"]).returncode != 0:
                log(f"{command['id']}: failed; the next run tries again")
                failed = True
                break
        with open(done_file, "w", encoding="utf-8") as f:
            f.write(key)
    return 1 if failed or missing else 0


if __name__ == "__main__":
    sys.exit(main())
