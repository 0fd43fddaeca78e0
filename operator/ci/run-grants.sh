#!/usr/bin/env bash
# Runs the database grants Job of one environment (cdktf.out/kubernetes/<env>/run-once/database-grants.yaml, written
# by backup/database-grants.ts) and waits for it: deletes the previous run's Job (a Job's pod template is immutable,
# so `kubectl apply` cannot update it), creates it, waits for completion, prints its log. The grants are idempotent:
# run it after every apply of the gke stack. Refuses a manifest that still holds placeholder values (exit 4), as
# operator/ci/kubectl-apply.sh does. First applies what the Job needs and may not exist yet (00-namespace.yaml: the
# Namespace and its ServiceAccount, the backup's; 10-network-policies.yaml: its egress policy), then copies the admin
# password from Secret Manager (packagecloud-<env>-sql-admin) into the Kubernetes Secret the Job mounts
# (packagecloud-sql-admin), never through a file or the command line.
#   operator/ci/run-grants.sh <env>
set -euo pipefail
env_name=${1:?usage: run-grants.sh <env>}
root=$(cd "$(dirname "$0")/../.." && pwd)
dir="$root/cdktf.out/kubernetes/$env_name"
file="$dir/run-once/database-grants.yaml"
needs=("$dir/00-namespace.yaml" "$dir/10-network-policies.yaml")
for f in "$file" "${needs[@]}"; do
  if [[ ! -f "$f" ]]; then
    echo "run-grants.sh: ${f#"$root"/} not found (the synth job's artifact): synthesize first" >&2
    exit 1
  fi
done
for f in "$file" "${needs[@]}"; do
  header=$(grep -m 1 '^# placeholder-fields:' "$f" || true)
  fields=${header#\# placeholder-fields: }
  if [[ -z "$header" || "$fields" != none ]]; then
    echo "run-grants.sh: refusing to run ${file#"$root"/}: placeholder values in ${f#"$root"/}: ${fields:-(no header)}. Replace each in config/environments.ts and synthesize again." >&2
    exit 4
  fi
done
for tool in kubectl gcloud; do
  if ! command -v "$tool" >/dev/null; then
    echo "run-grants.sh: $tool is required but was not found" >&2
    exit 127
  fi
done
namespace=$(sed -n 's/^  namespace: //p' "$file" | head -n 1)
name=$(sed -n 's/^  name: //p' "$file" | head -n 1)
# The proxy's last argument is the instance connection name, <project>:<region>:<instance> (the instance
# packagecloud-<env>-mysql, or packagecloud-<env>-mysql-<n> after a rebuild: config gcp.sql.instanceGeneration).
project=$(grep -m 1 -oE '^ +- [a-z][-a-z0-9]+:[a-z0-9-]+:packagecloud-[a-z0-9-]+-mysql(-[0-9]+)?$' "$file" | sed -E 's/^ +- //; s/:.*//')
secret="packagecloud-$env_name-sql-admin"
kubectl apply -f "${needs[0]}" -f "${needs[1]}"
gcloud secrets versions access latest --secret="$secret" --project="$project" |
  kubectl -n "$namespace" create secret generic packagecloud-sql-admin --from-file=password=/dev/stdin --dry-run=client -o yaml |
  kubectl apply -f -
kubectl delete -f "$file" --ignore-not-found --wait=true
kubectl create -f "$file"
status=0
kubectl -n "$namespace" wait --for=condition=complete --timeout=600s "job/$name" || status=$?
kubectl -n "$namespace" logs "job/$name" -c grants || true
exit "$status"
