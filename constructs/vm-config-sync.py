#!/usr/bin/python3
"""packagecloud-config-sync: makes the VM match its configuration bundle in S3 (constructs/vm-config.ts).

Run by packagecloud-config-sync.timer every few minutes, as root, with the instance role. Terraform writes the
bundle (one S3 object, so a change is all-or-nothing); this reads it, and:
  1. writes every file whose content, owner or mode differs (atomically: temp file + rename);
  2. fetches every secret from SSM Parameter Store (SecureString, decrypted with the instance role) and writes it
     the same way; a parameter not put yet is reported and retried at the next run;
  3. runs every command whose inputs (the command itself and the files it names in `after`) changed since it last
     succeeded, in bundle order, stopping at the first failure (later commands may need the earlier ones).
Every command is idempotent by contract, so running one again only converges. Exit 0: everything applied;
exit 1: something is missing or failed (the unit shows failed; the next run tries again).

Usage: packagecloud-config-sync --bucket B --key K --region R [--root DIR] [--state DIR] [--commands run|print]
Only python3's standard library and the aws CLI: both are on the VM before the first run (first boot installs
awscli from the Ubuntu archive before it enables the timer).
"""
import argparse
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


def install(root, path, data, owner, permissions):
    """Writes data at path with owner and mode unless it is already exactly so. Returns True if it changed."""
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
    os.replace(tmp, target)
    log(f"wrote {path}")
    return True


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

    bundle_file = os.path.join(args.state, "bundle.json")
    got = aws(["s3api", "get-object", "--bucket", args.bucket, "--key", args.key, bundle_file], args.region)
    if got.returncode != 0:
        log(f"cannot read s3://{args.bucket}/{args.key}: {got.stderr.strip()}")
        return 1
    version = json.loads(got.stdout or "{}").get("VersionId", "unversioned")
    with open(bundle_file, encoding="utf-8") as f:
        bundle = json.load(f)
    log(f"bundle s3://{args.bucket}/{args.key} version {version}")

    for item in bundle.get("files", []):
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
                if f.read() == key:
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
