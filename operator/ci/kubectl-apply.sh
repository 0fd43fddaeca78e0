#!/usr/bin/env bash
# Applies the synthesized Kubernetes manifests of one environment (cdktf.out/kubernetes/<env>/*.yaml, the synth
# job's artifact), refusing any that still holds this repository's placeholder values (exit 4), as
# operator/ci/terraform.sh refuses them before `terraform plan`. backup/manifests.ts writes the fields into each file's
# `# placeholder-fields:` header (image digests of all zeros, example account ids, the example age recipient).
#
# kubectl applies a directory's files in lexical order and each file's documents in order: 00-namespace.yaml (the
# Namespaces and ServiceAccounts) first, then 10-network-policies.yaml, 20-metrics.yaml (dedicated clusters: the
# Pushgateway and Managed Service for Prometheus' PodMonitoring and Rules), backup-jobs.yaml. run-once/ is not
# applied (operator/ci/run-grants.sh runs it). Where a file holds Managed Service for Prometheus' kinds, the
# cluster must serve them (managed collection enabled) or the apply would stop halfway: checked first (exit 5).
#   operator/ci/kubectl-apply.sh <env> [kubectl apply options...]
set -euo pipefail
env_name=${1:?usage: kubectl-apply.sh <env> [kubectl apply options...]}
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
dir="$root/cdktf.out/kubernetes/$env_name"
shopt -s nullglob
files=("$dir"/*.yaml)
if ((${#files[@]} == 0)); then
  echo "kubectl-apply.sh: no manifests for $env_name in cdktf.out/kubernetes (the synth job's artifact)" >&2
  exit 1
fi
refused=0
for file in "${files[@]}"; do
  header=$(grep -m 1 '^# placeholder-fields:' "$file" || true)
  fields=${header#\# placeholder-fields: }
  if [[ -z "$header" ]]; then
    echo "kubectl-apply.sh: ${file#"$root"/} has no '# placeholder-fields:' header: re-synthesize it" >&2
    refused=1
  elif [[ "$fields" != none ]]; then
    echo "kubectl-apply.sh: refusing to apply ${file#"$root"/}: it still holds this repository's placeholder values in $fields. Replace each in config/environments.ts (drop its placeholder(...) marker) and synthesize again." >&2
    refused=1
  fi
done
((refused == 0)) || exit 4
if ! command -v kubectl >/dev/null; then
  echo "kubectl-apply.sh: kubectl is required but was not found. Get it: https://kubernetes.io/docs/tasks/tools/ (the cluster's minor version, or one minor apart)" >&2
  exit 127
fi
if grep -q -x 'apiVersion: monitoring.googleapis.com/v1' "${files[@]}"; then
  served=$(kubectl api-resources --api-group=monitoring.googleapis.com -o name)
  for kind in podmonitorings.monitoring.googleapis.com rules.monitoring.googleapis.com; do
    if ! grep -q -x "$kind" <<<"$served"; then
      echo "kubectl-apply.sh: the cluster does not serve $kind: Managed Service for Prometheus' managed collection is off. Enable it on the cluster (google_container_cluster monitoring_config.managed_prometheus.enabled = true, or gcloud container clusters update <cluster> --enable-managed-prometheus), then apply again." >&2
      exit 5
    fi
  done
fi
exec kubectl apply "$@" -f "$dir"
