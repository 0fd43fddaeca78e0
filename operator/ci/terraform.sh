#!/usr/bin/env bash
# The pipeline's Terraform steps for one synthesized stack (the synth job's artifact).
#   operator/ci/terraform.sh validate <stack>   init without backend, validate
#   operator/ci/terraform.sh plan <stack>       init, plan to plan.tfplan, GitLab report in plan-report.json; with
#                                               DNS_PREFLIGHT_ENVIRONMENT=<env> (the dns stacks' plan jobs), the DNS
#                                               pre-flight first while the stack's state holds nothing (its first apply)
#   operator/ci/terraform.sh apply <stack>      apply exactly the reviewed plan.tfplan; protected layers guarded
# plan and apply refuse a stack whose environment still holds placeholder values (exit 4).
# Tools: bash, node, npm (the job image) and terraform (the job's before_script); nothing else (test/ci-tools.test.ts).
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

# The dns stack's first apply must not happen before the DNS pre-flight (operator/dns-preflight.ts) has read the
# live records at the environment's name: it refuses a CNAME there, several A records, or a missing adopted record.
# The plan job of each dns stack sets DNS_PREFLIGHT_ENVIRONMENT, and a deploy job applies only a plan such a job
# made, so no first apply escapes it. Once the state holds resources the record is Terraform's own, and the
# pre-flight (which refuses a record that nothing adopts) no longer applies. It needs the project's runtime
# dependencies, installed here only then, and reads Cloud DNS or Cloudflare with the job's own credentials.
dns_preflight() {
  [[ -n "${DNS_PREFLIGHT_ENVIRONMENT:-}" ]] || return 0
  local state held code=0
  state=$(terraform state pull)
  held=$(printf '%s' "$state" | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(s.trim() === "" ? 0 : (JSON.parse(s).resources || []).length))')
  if [[ "$held" != 0 ]]; then
    echo "terraform.sh: $stack holds $held resources: not its first apply, no DNS pre-flight"
    return 0
  fi
  echo "terraform.sh: first apply of $stack: the DNS pre-flight for $DNS_PREFLIGHT_ENVIRONMENT"
  (cd "$root" && npm ci --omit=dev --prefer-offline --no-audit --no-fund && npm run --silent dns:preflight -- "$DNS_PREFLIGHT_ENVIRONMENT") || code=$?
  if [[ $code -ne 0 ]]; then
    echo "terraform.sh: the DNS pre-flight refused or failed (exit $code): no plan for the first apply of $stack" >&2
    exit 5
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
    dns_preflight
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
