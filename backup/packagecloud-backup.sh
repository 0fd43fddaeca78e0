#!/usr/bin/env bash
# packagecloud's offsite database backup and its restore verification (seed 004's copycat-db and "Phoenix").
#
#   packagecloud-backup backup          dump -> compress -> encrypt (age) -> upload to the Object-Locked bucket
#   packagecloud-backup verify-restore  newest offsite backup -> decrypt -> load into a scratch database -> check
#
# One script, two ways to run it: a systemd timer on the VM (BACKUP_SOURCE=xbstream: the newest local xbstream
# that packagecloud's database_backups service writes) and a Kubernetes CronJob on GKE (BACKUP_SOURCE=mysqldump:
# Cloud SQL over its private IP as an IAM database user). Configuration comes from the environment (a systemd
# EnvironmentFile, the CronJob's env): see usage() below.
#
# Seed 000: an upload once stalled and stopped every later backup. Here every step runs under `timeout` (killed
# after a grace period), retries are bounded, and the run ends with a non-zero exit code that is also written to
# the metrics. Metrics (node_exporter textfile format, written atomically, optionally pushed to a Pushgateway):
#   packagecloud_backup_last_success_timestamp_seconds  only on success (a failure keeps the previous value)
#   packagecloud_backup_last_size_bytes                 size of the newest successful backup (as uploaded)
#   packagecloud_backup_last_exit_code                  every run
#   packagecloud_backup_count                           backups under the prefix after the last success
#   packagecloud_backup_last_restore_verified_timestamp_seconds, packagecloud_backup_last_restore_exit_code
set -euo pipefail
umask 077

readonly EXIT_CONFIG=2   # missing or bad configuration
readonly EXIT_SOURCE=3   # no database dump (database unreachable, dump failed or timed out, no xbstream found)
readonly EXIT_UPLOAD=4   # upload refused, failed or timed out after every attempt
readonly EXIT_FETCH=5    # verify-restore: no backup found, download failed, checksum mismatch, decryption failed
readonly EXIT_RESTORE=6  # verify-restore: loading into the scratch database failed
readonly EXIT_CHECK=7    # verify-restore: restored data does not match the expectations

log() { printf '%s packagecloud-backup[%s]: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${COMMAND:-}" "$*" >&2; }

usage() {
  cat >&2 <<'EOF'
usage: packagecloud-backup backup|verify-restore

common:   BACKUP_BUCKET, BACKUP_PREFIX (e.g. backups/), BACKUP_ENVIRONMENT (ops), BACKUP_NAME (label, offsite-db),
          METRICS_FILE (node_exporter textfile), PUSHGATEWAY_URL (optional), WORK_DIR (default $TMPDIR),
          STEP_ATTEMPTS (3), RETRY_DELAY_SECONDS (10), LIST_TIMEOUT_SECONDS (120), AWS_* (the AWS CLI's own)
backup:   BACKUP_SOURCE=xbstream: XBSTREAM_DIR (/var/opt/packagecloud/backups), DAILY_BACKUP_NAME (daily-db)
          BACKUP_SOURCE=mysqldump: DB_HOST, DB_PORT, DB_SOCKET, DB_USER, DB_NAME, DB_AUTH (none|password-file),
          DB_PASSWORD_FILE; AGE_RECIPIENT (public key: the job cannot decrypt),
          DUMP_TIMEOUT_SECONDS (7200), UPLOAD_TIMEOUT_SECONDS (7200)
verify:   AGE_IDENTITY_FILE (private key, out of band), RESTORE_DB_HOST/PORT/SOCKET/USER/AUTH/PASSWORD_FILE,
          VERIFY_TABLES, VERIFY_NONEMPTY_TABLES, VERIFY_CANARY_QUERY, VERIFY_CANARY_EXPECTED,
          FETCH_TIMEOUT_SECONDS (7200), RESTORE_TIMEOUT_SECONDS (14400), RESTORE_KEEP_DATABASE (a new
          database to restore into and keep, instead of a dropped scratch one)
EOF
}

require() {
  local name
  for name in "$@"; do
    if [[ -z "${!name:-}" ]]; then
      log "configuration: $name is not set"
      finish "$EXIT_CONFIG"
    fi
  done
}

# --- metrics ------------------------------------------------------------------------------------------------

METRIC_PREFIX=packagecloud_backup

# Previous value of a metric line in the textfile, so that a failed run keeps the last success (and its size).
previous_value() {
  local metric=$1 label=$2 file=${METRICS_FILE:-}
  [[ -n "$file" && -r "$file" ]] || return 0
  awk -v m="$metric" -v l="backup=\"$label\"" '$1 == m "{" l "}" { v = $2 } END { if (v != "") print v }' "$file"
}

declare -A METRIC_VALUES=()
declare -a METRIC_ORDER=()
metric() { # metric <name> <label> <value>
  local key="$1{backup=\"$2\"}"
  [[ -n "${METRIC_VALUES[$key]+set}" ]] || METRIC_ORDER+=("$key")
  METRIC_VALUES[$key]=$3
}
carry_over() { # keep the previous value of a metric this run does not replace
  local value
  value=$(previous_value "$1" "$2")
  [[ -z "$value" ]] || metric "$1" "$2" "$value"
}

declare -A HELP=(
  [last_success_timestamp_seconds]="Unix time the newest successful backup finished."
  [last_size_bytes]="Size in bytes of the newest successful backup."
  [last_exit_code]="Exit code of the last run (0 = success)."
  [count]="Backups currently kept."
  [last_restore_verified_timestamp_seconds]="Unix time the newest backup was last restored and checked successfully."
  [last_restore_exit_code]="Exit code of the last restore verification (0 = success)."
)

render_metrics() {
  local key name seen=" " short
  for key in "${METRIC_ORDER[@]}"; do
    name=${key%%\{*}
    if [[ "$seen" != *" $name "* ]]; then
      short=${name#"${METRIC_PREFIX}_"}
      printf '# HELP %s %s\n# TYPE %s gauge\n' "$name" "${HELP[$short]:-packagecloud backup metric}" "$name"
      seen+="$name "
    fi
    printf '%s %s\n' "$key" "${METRIC_VALUES[$key]}"
  done
}

write_metrics() {
  local body
  body=$(render_metrics)
  if [[ -n "${METRICS_FILE:-}" ]]; then
    # Atomic: node_exporter never reads a half-written file (write beside it, then rename).
    local tmp
    mkdir -p "$(dirname "$METRICS_FILE")"
    tmp=$(mktemp "${METRICS_FILE}.XXXXXX")
    printf '%s\n' "$body" >"$tmp"
    chmod 0644 "$tmp"
    mv -f "$tmp" "$METRICS_FILE"
  fi
  if [[ -n "${PUSHGATEWAY_URL:-}" ]]; then
    # POST, not PUT: only the metrics sent now are replaced in the group, so a failed run (which sends no
    # success timestamp) leaves the previous success in place.
    local url="${PUSHGATEWAY_URL%/}/metrics/job/packagecloud-backup/environment/${BACKUP_ENVIRONMENT:-unknown}/backup/${BACKUP_NAME}"
    if ! printf '%s\n' "$body" | timeout 30 curl --silent --show-error --fail --max-time 20 -X POST --data-binary @- "$url"; then
      log "metrics: push to $url failed (the run's own result stands)"
    fi
  fi
}

# --- steps --------------------------------------------------------------------------------------------------

# run_step <seconds> <command...>: one attempt, hard timeout, killed (SIGKILL) 30 s after SIGTERM is ignored.
# A shell function runs as a fresh process of this script (`__fn`): `timeout` can only run programs.
run_step() {
  local seconds=$1
  shift
  local status=0
  if declare -F "$1" >/dev/null; then set -- "$BASH" "$SELF" __fn "$@"; fi
  timeout --kill-after=30 "$seconds" "$@" || status=$?
  if ((status == 124 || status == 137)); then log "step timed out after ${seconds}s: ${*:1:4}"; fi
  return "$status"
}

# with_retries <what> <seconds> <command...>: up to STEP_ATTEMPTS attempts, each under its own timeout.
with_retries() {
  local what=$1 seconds=$2 attempt=1 status
  shift 2
  while true; do
    status=0
    run_step "$seconds" "$@" || status=$?
    if ((status == 0)); then return 0; fi
    log "$what: attempt $attempt of $STEP_ATTEMPTS failed (exit $status)"
    if ((attempt >= STEP_ATTEMPTS)); then return "$status"; fi
    attempt=$((attempt + 1))
    sleep "$RETRY_DELAY_SECONDS"
  done
}

# MySQL client arguments for DB_* (backup) or RESTORE_DB_* (verify-restore); the password goes through
# MYSQL_PWD, never the command line. No password (none) is also how the GKE job logs in to Cloud SQL: through the
# Cloud SQL Auth Proxy on loopback, which does the IAM authentication itself (backup/jobs.ts).
db_args() {
  local p=$1
  local host_var="${p}HOST" port_var="${p}PORT" socket_var="${p}SOCKET" user_var="${p}USER" auth_var="${p}AUTH"
  local file_var="${p}PASSWORD_FILE"
  DB_ARGS=()
  if [[ -n "${!socket_var:-}" ]]; then DB_ARGS+=("--socket=${!socket_var}"); fi
  if [[ -n "${!host_var:-}" ]]; then DB_ARGS+=("--host=${!host_var}" "--protocol=TCP"); fi
  if [[ -n "${!port_var:-}" ]]; then DB_ARGS+=("--port=${!port_var}"); fi
  if [[ -n "${!user_var:-}" ]]; then DB_ARGS+=("--user=${!user_var}"); fi
  case "${!auth_var:-none}" in
    none) unset MYSQL_PWD ;;
    password-file)
      if [[ -z "${!file_var:-}" || ! -r "${!file_var}" ]]; then log "configuration: ${file_var} must name a readable file"; finish "$EXIT_CONFIG"; fi
      MYSQL_PWD=$(<"${!file_var}")
      export MYSQL_PWD
      ;;
    *) log "configuration: ${auth_var} must be none or password-file"; finish "$EXIT_CONFIG" ;;
  esac
}

mysql_client() { if command -v mariadb >/dev/null; then echo mariadb; else echo mysql; fi; }
mysqldump_client() { if command -v mysqldump >/dev/null; then echo mysqldump; else echo mariadb-dump; fi; }

# The dump pipeline, run by `timeout` as its own process group (so a timeout kills every member).
dump_pipeline() {
  local out=$1
  set -o pipefail
  case "$BACKUP_SOURCE" in
    mysqldump)
      db_args DB_
      # --single-transaction: a consistent InnoDB snapshot without locking the tables for the whole dump.
      # The dump names no database (no USE): it loads into whichever scratch database the restore creates.
      "$(mysqldump_client)" "${DB_ARGS[@]}" --single-transaction --quick --triggers --hex-blob --no-tablespaces \
        "$DB_NAME" | gzip -6 | age -r "$AGE_RECIPIENT" >"$out"
      ;;
    xbstream)
      gzip -6 <"$SOURCE_FILE" | age -r "$AGE_RECIPIENT" >"$out"
      ;;
  esac
}

# Newest xbstream that packagecloud's database_backups service wrote (seed 000's naming), sets SOURCE_FILE.
newest_xbstream() {
  SOURCE_FILE=$(find "$XBSTREAM_DIR" -maxdepth 2 -type f -name 'packagecloud-streamed-database-backup.*.xbstream' \
    -printf '%T@ %p\n' 2>/dev/null | sort -n | tail -n 1 | cut -d' ' -f2-)
  [[ -n "$SOURCE_FILE" ]]
}

# The VM's own daily backups, exported the same way (seed 002: a missing backup must show).
daily_metrics() {
  local name=${DAILY_BACKUP_NAME:-daily-db} count newest
  count=$( (find "$XBSTREAM_DIR" -maxdepth 2 -type f -name 'packagecloud-streamed-database-backup.*.xbstream' 2>/dev/null || true) | wc -l)
  metric "${METRIC_PREFIX}_count" "$name" "$count"
  if ((count > 0)); then
    newest=$(find "$XBSTREAM_DIR" -maxdepth 2 -type f -name 'packagecloud-streamed-database-backup.*.xbstream' -printf '%T@ %s\n' | sort -n | tail -n 1)
    metric "${METRIC_PREFIX}_last_success_timestamp_seconds" "$name" "${newest%%.*}"
    metric "${METRIC_PREFIX}_last_size_bytes" "$name" "${newest##* }"
    metric "${METRIC_PREFIX}_last_exit_code" "$name" 0
  else
    carry_over "${METRIC_PREFIX}_last_success_timestamp_seconds" "$name"
    carry_over "${METRIC_PREFIX}_last_size_bytes" "$name"
    metric "${METRIC_PREFIX}_last_exit_code" "$name" 1
  fi
}

# shellcheck disable=SC2016 # backquotes are JMESPath literals, not shell
s3_count() {
  run_step "$LIST_TIMEOUT_SECONDS" aws s3api list-objects-v2 --bucket "$BACKUP_BUCKET" --prefix "$BACKUP_PREFIX" \
    --query 'length(Contents[?ends_with(Key, `.age`)] || `[]`)' --output text
}

upload() {
  local file=$1 key=$2 sha256=$3
  # A checksum S3 verifies on every part, the whole file's SHA-256 as metadata for the restore to check, and no
  # Object Lock headers: the bucket's default retention applies (and the uploader may not set its own).
  aws s3 cp --only-show-errors --checksum-algorithm SHA256 --metadata "sha256=$sha256" \
    --cli-connect-timeout 30 --cli-read-timeout 120 "$file" "s3://$BACKUP_BUCKET/$key"
}

# --- commands -----------------------------------------------------------------------------------------------

cmd_backup() {
  require BACKUP_SOURCE AGE_RECIPIENT
  local started ext out key size sha256 count
  started=$(date -u +%Y%m%dT%H%M%SZ)
  if [[ "$BACKUP_SOURCE" == xbstream ]]; then
    XBSTREAM_DIR=${XBSTREAM_DIR:-/var/opt/packagecloud/backups}
    daily_metrics
    if ! newest_xbstream; then
      log "source: no packagecloud-streamed-database-backup.*.xbstream under $XBSTREAM_DIR"
      finish "$EXIT_SOURCE"
    fi
    export SOURCE_FILE
    log "source: $SOURCE_FILE"
    ext=xbstream
  elif [[ "$BACKUP_SOURCE" == mysqldump ]]; then
    require DB_NAME
    ext=sql
  else
    log "configuration: BACKUP_SOURCE must be xbstream or mysqldump, not '$BACKUP_SOURCE'"
    finish "$EXIT_CONFIG"
  fi

  out="$WORK/packagecloud-${BACKUP_ENVIRONMENT}-db-$started.$ext.gz.age"
  if ! with_retries "dump" "$DUMP_TIMEOUT_SECONDS" dump_pipeline "$out"; then
    log "dump: failed"
    finish "$EXIT_SOURCE"
  fi
  size=$(stat -c %s "$out")
  sha256=$(sha256sum "$out" | cut -d' ' -f1)
  key="${BACKUP_PREFIX}packagecloud-${BACKUP_ENVIRONMENT}-db-$started.$ext.gz.age"
  log "dump: $size bytes encrypted, sha256 $sha256; uploading to s3://$BACKUP_BUCKET/$key"
  if ! with_retries "upload" "$UPLOAD_TIMEOUT_SECONDS" upload "$out" "$key" "$sha256"; then
    log "upload: failed"
    finish "$EXIT_UPLOAD"
  fi
  rm -f "$out"
  count=$(s3_count) || count=""
  metric "${METRIC_PREFIX}_last_success_timestamp_seconds" "$BACKUP_NAME" "$(date +%s)"
  metric "${METRIC_PREFIX}_last_size_bytes" "$BACKUP_NAME" "$size"
  if [[ "$count" =~ ^[0-9]+$ ]]; then metric "${METRIC_PREFIX}_count" "$BACKUP_NAME" "$count"; else carry_over "${METRIC_PREFIX}_count" "$BACKUP_NAME"; fi
  log "backup: done, s3://$BACKUP_BUCKET/$key"
  finish 0
}

sql() {
  db_args RESTORE_DB_
  "$(mysql_client)" "${DB_ARGS[@]}" --batch --skip-column-names "$@"
}

cmd_verify_restore() {
  require AGE_IDENTITY_FILE VERIFY_TABLES
  local key object sha256 expected scratch table rows value
  # shellcheck disable=SC2016 # backquotes are JMESPath literals, not shell
  if ! key=$(run_step "$LIST_TIMEOUT_SECONDS" aws s3api list-objects-v2 --bucket "$BACKUP_BUCKET" --prefix "$BACKUP_PREFIX" \
    --query 'sort_by(Contents[?ends_with(Key, `.sql.gz.age`)], &LastModified)[-1].Key' --output text) ||
    [[ -z "$key" || "$key" == None ]]; then
    log "fetch: no *.sql.gz.age backup under s3://$BACKUP_BUCKET/$BACKUP_PREFIX"
    finish "$EXIT_FETCH"
  fi
  object="$WORK/restore.sql.gz.age"
  log "fetch: s3://$BACKUP_BUCKET/$key"
  # One call returns the body and the SHA-256 the backup job recorded when it uploaded it.
  if ! expected=$(with_retries "download" "$FETCH_TIMEOUT_SECONDS" aws s3api get-object --cli-read-timeout 120 \
    --bucket "$BACKUP_BUCKET" --key "$key" --query 'Metadata.sha256' --output text "$object"); then
    finish "$EXIT_FETCH"
  fi
  sha256=$(sha256sum "$object" | cut -d' ' -f1)
  if [[ "$sha256" != "$expected" ]]; then
    log "fetch: sha256 $sha256 does not match the uploaded sha256 '$expected'"
    finish "$EXIT_FETCH"
  fi

  # RESTORE_KEEP_DATABASE (drills, a real restore): load into this new database and keep it.
  scratch=${RESTORE_KEEP_DATABASE:-"packagecloud_restore_check_$(date -u +%Y%m%d%H%M%S)_$$"}
  [[ -n "${RESTORE_KEEP_DATABASE:-}" ]] || SCRATCH_DB=$scratch
  if ! run_step 60 sql -e "CREATE DATABASE \`$scratch\`"; then
    log "restore: cannot create the scratch database $scratch"
    finish "$EXIT_RESTORE"
  fi
  log "restore: loading into $scratch"
  if ! run_step "$RESTORE_TIMEOUT_SECONDS" restore_pipeline "$object" "$scratch"; then
    log "restore: loading failed"
    finish "$EXIT_RESTORE"
  fi
  local failed=0
  for table in $VERIFY_TABLES; do
    if [[ -z $(sql -e "SELECT 1 FROM information_schema.tables WHERE table_schema = '$scratch' AND table_name = '$table'") ]]; then
      log "check: table $table is missing"
      failed=1
    fi
  done
  for table in ${VERIFY_NONEMPTY_TABLES:-}; do
    rows=$(sql "$scratch" -e "SELECT COUNT(*) FROM \`$table\`" 2>/dev/null) || rows=""
    if [[ ! "$rows" =~ ^[0-9]+$ || "$rows" -eq 0 ]]; then
      log "check: table $table is empty or unreadable"
      failed=1
    else
      log "check: $table has $rows rows"
    fi
  done
  if [[ -n "${VERIFY_CANARY_QUERY:-}" ]]; then
    value=$(sql "$scratch" -e "$VERIFY_CANARY_QUERY" 2>/dev/null) || value=""
    if [[ "$value" != "${VERIFY_CANARY_EXPECTED:-}" ]]; then
      log "check: canary returned '$value', expected '${VERIFY_CANARY_EXPECTED:-}'"
      failed=1
    fi
  fi
  if ((failed)); then finish "$EXIT_CHECK"; fi
  metric "${METRIC_PREFIX}_last_restore_verified_timestamp_seconds" "$BACKUP_NAME" "$(date +%s)"
  log "verify-restore: $key restores and passes every check"
  finish 0
}

restore_pipeline() {
  local object=$1 scratch=$2
  set -o pipefail
  db_args RESTORE_DB_
  age -d -i "$AGE_IDENTITY_FILE" "$object" | gunzip | "$(mysql_client)" "${DB_ARGS[@]}" "$scratch"
}

# --- the end of every run -----------------------------------------------------------------------------------

FINISHED=0
finish() {
  local code=$1
  if [[ "$COMMAND" == __* ]] || ((FINISHED)); then exit "$code"; fi
  FINISHED=1
  if [[ -n "${SCRATCH_DB:-}" ]]; then
    # The scratch database always goes, whatever the checks said.
    run_step 300 sql -e "DROP DATABASE IF EXISTS \`$SCRATCH_DB\`" || log "restore: could not drop $SCRATCH_DB"
  fi
  if [[ "$COMMAND" == backup ]]; then
    metric "${METRIC_PREFIX}_last_exit_code" "$BACKUP_NAME" "$code"
    if ((code != 0)); then
      carry_over "${METRIC_PREFIX}_last_success_timestamp_seconds" "$BACKUP_NAME"
      carry_over "${METRIC_PREFIX}_last_size_bytes" "$BACKUP_NAME"
      carry_over "${METRIC_PREFIX}_count" "$BACKUP_NAME"
    fi
  else
    metric "${METRIC_PREFIX}_last_restore_exit_code" "$BACKUP_NAME" "$code"
    ((code == 0)) || carry_over "${METRIC_PREFIX}_last_restore_verified_timestamp_seconds" "$BACKUP_NAME"
  fi
  write_metrics || log "metrics: could not be written"
  [[ -z "${WORK:-}" ]] || rm -rf "$WORK"
  ((code == 0)) || log "$COMMAND: failed with exit code $code"
  exit "$code"
}

main() {
  COMMAND=${1:-}
  SELF=$(readlink -f "${BASH_SOURCE[0]}")
  case "$COMMAND" in
    __fn) shift; "$@"; exit ;; # one step, run by run_step under `timeout`
    backup | verify-restore) ;;
    *) usage; exit "$EXIT_CONFIG" ;;
  esac
  BACKUP_NAME=${BACKUP_NAME:-offsite-db}
  STEP_ATTEMPTS=${STEP_ATTEMPTS:-3}
  RETRY_DELAY_SECONDS=${RETRY_DELAY_SECONDS:-10}
  LIST_TIMEOUT_SECONDS=${LIST_TIMEOUT_SECONDS:-120}
  DUMP_TIMEOUT_SECONDS=${DUMP_TIMEOUT_SECONDS:-7200}
  UPLOAD_TIMEOUT_SECONDS=${UPLOAD_TIMEOUT_SECONDS:-7200}
  FETCH_TIMEOUT_SECONDS=${FETCH_TIMEOUT_SECONDS:-7200}
  RESTORE_TIMEOUT_SECONDS=${RESTORE_TIMEOUT_SECONDS:-14400}
  # The metrics are written however the run ends (an unexpected error included): a broken job must page, not
  # go quiet.
  trap 'status=$?; ((FINISHED)) || finish "$(( status == 0 ? 1 : status ))"' EXIT
  trap 'log "interrupted"; finish 143' TERM INT
  require BACKUP_BUCKET BACKUP_PREFIX BACKUP_ENVIRONMENT
  WORK=$(mktemp -d "${WORK_DIR:-${TMPDIR:-/tmp}}/packagecloud-backup.XXXXXX")
  case "$COMMAND" in
    backup) cmd_backup ;;
    verify-restore) cmd_verify_restore ;;
  esac
}

main "$@"
