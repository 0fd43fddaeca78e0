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

# The gke stack's Cloud SQL admin password (constructs/cloud-sql-mysql.ts): an ephemeral variable that Terraform
# passes only to write-only arguments (never in plan files or state), needed by plan and by apply. Read from its
# Secret Manager secret; on the first deploy (the secret or its first version not found) a new one is generated
# here, and Terraform writes it into the secret. A routine run's value is sent but unused (write-only arguments
# are applied on create and when their _wo_version changes). Any other gcloud error stops the job.
admin_password() {
  local info secret project err
  info=$(node -e 'const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); if ((c.variable || {}).sql_admin_password) { const s = Object.values(c.resource.google_secret_manager_secret)[0]; console.log(s.secret_id + " " + c.provider.google[0].project); }' cdk.tf.json)
  [[ -z "$info" || -n "${TF_VAR_sql_admin_password:-}" ]] && return 0
  read -r secret project <<<"$info"
  err=$(mktemp)
  if TF_VAR_sql_admin_password=$(gcloud secrets versions access latest --secret="$secret" --project="$project" 2>"$err"); then
    export TF_VAR_sql_admin_password
  elif grep -q NOT_FOUND "$err"; then
    TF_VAR_sql_admin_password=$(openssl rand -hex 32)
    export TF_VAR_sql_admin_password
    echo "terraform.sh: $secret has no version yet (first deploy): a new admin password was generated; Terraform writes it there" >&2
  else
    cat "$err" >&2
    echo "terraform.sh: cannot read the Cloud SQL admin password from Secret Manager ($secret in $project)" >&2
    exit 5
  fi
  rm -f "$err"
}

case "$action" in
  validate)
    terraform init -backend=false -input=false
    terraform validate
    ;;
  plan)
    refuse_placeholders
    admin_password
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
    admin_password
    terraform apply -input=false plan.tfplan
    ;;
  *)
    echo "terraform.sh: unknown action $action (validate, plan, apply)" >&2
    exit 2
    ;;
esac
