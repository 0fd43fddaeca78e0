#!/usr/bin/env bash
# The pipeline's Terraform steps for one synthesized stack (the synth job's artifact).
#   operator/ci/terraform.sh validate <stack>   init without backend, validate
#   operator/ci/terraform.sh plan <stack>       init, plan to plan.tfplan, GitLab report in plan-report.json
#   operator/ci/terraform.sh apply <stack>      apply exactly the reviewed plan.tfplan; protected layers guarded
# plan and apply refuse a stack whose environment still holds placeholder values (exit 4).
set -euo pipefail

action=${1:?usage: terraform.sh validate|plan|apply <stack>}
stack=${2:?usage: terraform.sh validate|plan|apply <stack>}
root=$(cd "$(dirname "$0")/../.." && pwd)
dir="$root/cdktf.out/stacks/$stack"
if [[ ! -f "$dir/cdk.tf.json" ]]; then
  echo "terraform.sh: no synthesized stack $stack in cdktf.out (the synth job's artifact)" >&2
  exit 1
fi
cd "$dir"

# This repository's stand-in values (config/placeholders.ts) never reach a real plan: refuse before `init`, naming
# each field. The stack's own Terraform precondition (stacks/placeholder-guard.ts) refuses too, for any other caller.
refuse_placeholders() {
  local fields
  fields=$(node -e 'const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(((c.locals || {}).placeholder_fields || []).join(", "))' cdk.tf.json)
  if [[ -n "$fields" ]]; then
    echo "terraform.sh: refusing to $action $stack: its environment still holds this repository's placeholder values in $fields. Replace each in config/environments.ts (drop its placeholder(...) marker)." >&2
    exit 4
  fi
}

case "$action" in
  validate)
    terraform init -backend=false -input=false
    terraform validate
    ;;
  plan)
    refuse_placeholders
    terraform init -input=false
    terraform plan -input=false -out=plan.tfplan
    terraform show -json plan.tfplan > plan.json
    node "$root/operator/ci/plan-report.js" plan.json > plan-report.json
    cat plan-report.json
    ;;
  apply)
    refuse_placeholders
    if [[ ! -f plan.tfplan ]]; then
      echo "terraform.sh: no reviewed plan for $stack (the plan job's artifact): refusing to apply an unreviewed change" >&2
      exit 1
    fi
    if [[ "${PROTECTED_LAYER:-false}" == "true" && "${CONFIRM_DEPLOY:-}" != "$stack" ]]; then
      echo "terraform.sh: $stack is a protected layer: re-run this job with CONFIRM_DEPLOY=$stack" >&2
      exit 3
    fi
    terraform init -input=false
    if [[ "${PROTECTED_LAYER:-false}" == "true" ]]; then
      terraform show -json plan.tfplan > plan.json
      node "$root/operator/ci/plan-report.js" plan.json --guard "$stack"
    fi
    terraform apply -input=false plan.tfplan
    ;;
  *)
    echo "terraform.sh: unknown action $action (validate, plan, apply)" >&2
    exit 2
    ;;
esac
