#!/usr/bin/env bash
# packagecloud's offsite database backup and its restore verification (seed 004's copycat-db and "Phoenix").
#
#   packagecloud-backup backup          dump -> compress -> encrypt (age) -> upload to the Object-Locked bucket
#   packagecloud-backup verify-restore  newest offsite backup -> decrypt -> load into a scratch database -> check
#
# A mysqldump backup (GKE) is loaded into a scratch database of a running MySQL; an xbstream backup (VM) is
# unpacked, prepared with the xtrabackup of the MySQL that wrote it, and opened by a scratch server of that same
# MySQL on a private socket, which is stopped and deleted afterwards.
#
# One script, two ways to run it: a systemd timer on the VM (BACKUP_SOURCE=xbstream: the newest local xbstream
# that packagecloud's database_backups service writes) and a Kubernetes CronJob on GKE (BACKUP_SOURCE=mysqldump:
# Cloud SQL as an IAM database user, through the Cloud SQL Auth Proxy sidecar). Configuration comes from the
# environment (a systemd EnvironmentFile, the CronJob's env): see usage() below.
#
# Seed 000: an upload once stalled and stopped every later backup. Here every step runs under `timeout` (killed
# after a grace period), retries are bounded, and the run ends with a non-zero exit code that is also written to
# the metrics. Metrics (node_exporter textfile format, written atomically, optionally pushed to a Pushgateway):
#   packagecloud_backup_last_success_timestamp_seconds  only on success (a failure keeps the previous value)
#   packagecloud_backup_last_size_bytes                 size of the newest successful backup (as uploaded)
#   packagecloud_backup_last_exit_code                  every run
#   packagecloud_backup_count                           backups under the prefix after the last success
#   packagecloud_backup_last_restore_verified_timestamp_seconds, packagecloud_backup_last_restore_exit_code
#   packagecloud_backup_last_interrupted_timestamp_seconds, …_last_restore_interrupted_timestamp_seconds (SIGTERM)
#
# Issue 29: on SIGTERM (an eviction, a drain, the Job's deadline) the run pushes its metrics first, with exit code
# 143 and the interrupted timestamp, and only then waits for its step and cleans up, so that the metrics reach the
# Pushgateway within the pod's grace period whatever the cleanup costs. Nothing long runs in the foreground: bash
# runs a trap only between commands, so every long command is a step (run_step) and no output is read through
# $(…) while it is produced.
set -euo pipefail
umask 077

readonly EXIT_CONFIG=2   # missing or bad configuration
readonly EXIT_SOURCE=3   # no database dump (database unreachable, dump failed or timed out, no xbstream found)
readonly EXIT_UPLOAD=4   # upload refused, failed or timed out after every attempt
readonly EXIT_FETCH=5    # verify-restore: no backup found, download failed, checksum mismatch, decryption failed
readonly EXIT_RESTORE=6  # verify-restore: loading into the scratch database (or preparing and opening it) failed
readonly EXIT_CHECK=7    # verify-restore: restored data does not match the expectations
readonly EXIT_NO_BACKUP=8  # verify-restore: the listing worked and holds no backup yet (before the first backup)
readonly EXIT_INTERRUPTED=143  # SIGTERM/SIGINT (128 + 15): evicted, drained, past its deadline; not a failure

log() { printf '%s packagecloud-backup[%s]: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${COMMAND:-}" "$*" >&2; }

usage() {
  cat >&2 <<'EOF'
usage: packagecloud-backup backup|verify-restore

common:   BACKUP_BUCKET, BACKUP_PREFIX (e.g. backups/), BACKUP_ENVIRONMENT (ops), BACKUP_NAME (label, offsite-db),
          METRICS_FILE (node_exporter textfile), PUSHGATEWAY_URL (optional), WORK_DIR (default $TMPDIR),
          STEP_ATTEMPTS (3), RETRY_DELAY_SECONDS (10), LIST_TIMEOUT_SECONDS (120), AWS_* (the AWS CLI's own)
backup:   BACKUP_SOURCE=xbstream: XBSTREAM_DIR (/var/opt/packagecloud/backups), DAILY_BACKUP_NAME (daily-db),
          XBSTREAM_SETTLE_MINUTES (30: the newest file not modified for this long is complete)
          BACKUP_SOURCE=mysqldump: DB_HOST, DB_PORT, DB_SOCKET, DB_USER, DB_NAME, DB_AUTH (none|password-file),
          DB_PASSWORD_FILE; AGE_RECIPIENT (public key: the job cannot decrypt),
          DUMP_TIMEOUT_SECONDS (7200), UPLOAD_TIMEOUT_SECONDS (7200)
verify:   AGE_IDENTITY_FILE (private key, out of band), VERIFY_TABLES, VERIFY_NONEMPTY_TABLES,
          VERIFY_CANARY_QUERY, VERIFY_CANARY_EXPECTED, FETCH_TIMEOUT_SECONDS (7200), RESTORE_TIMEOUT_SECONDS (14400),
          CHECK_TIMEOUT_SECONDS (900: each check's query)
          RESTORE_SOURCE=mysqldump (default): RESTORE_DB_HOST/PORT/SOCKET/USER/AUTH/PASSWORD_FILE,
          RESTORE_KEEP_DATABASE (a new or empty database to restore into and keep, instead of a dropped scratch one)
          RESTORE_SOURCE=xbstream: XBSTREAM_BIN, XTRABACKUP_BIN, MYSQLD_BIN (the binaries of the MySQL that wrote
          the backup), MYSQL_BIN (its client), VERIFY_DATABASE (packages_onpremise), SCRATCH_RESERVE_PERCENT, MYSQLD_USER (required as root: the scratch server's
          user), SCRATCH_MYSQLD_MEMORY (512M), MYSQLD_START_TIMEOUT_SECONDS (900)
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
  [last_interrupted_timestamp_seconds]="Unix time a backup run was last interrupted (SIGTERM); exit code 143."
  [last_restore_interrupted_timestamp_seconds]="Unix time a restore verification was last interrupted (SIGTERM); exit code 143."
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
# The step runs in the background and the script `wait`s for it: bash runs a trap only between commands, and
# `wait` is the one it interrupts, so a SIGTERM (a pod evicted, its activeDeadlineSeconds reached, systemd
# stopping the unit) reaches the TERM trap at once instead of after the step; the trap stops the step (timeout
# passes the signal on to its command) and writes the failure metric. Its stdin is /dev/null (no step reads it).
run_step() {
  local seconds=$1
  shift
  local status=0
  if declare -F "$1" >/dev/null; then set -- "$BASH" "$SELF" __fn "$@"; fi
  timeout --kill-after=30 "$seconds" "$@" &
  STEP_PID=$!
  wait "$STEP_PID" || status=$?
  STEP_PID=""
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

# MYSQL_BIN: a client off PATH (the VM: packagecloud's /opt/packagecloud/embedded/mysqlclient/bin/mysql).
mysql_client() { if [[ -n "${MYSQL_BIN:-}" ]]; then echo "$MYSQL_BIN"; elif command -v mariadb >/dev/null; then echo mariadb; else echo mysql; fi; }
mysqldump_client() { if command -v mysqldump >/dev/null; then echo mysqldump; else echo mariadb-dump; fi; }

# The dump pipeline, run by `timeout` as its own process group (so a timeout kills every member). The encrypted
# stream is checksummed as it is written (tee), into <out>.sha256: no second pass over a file of hundreds of GB.
dump_pipeline() {
  local out=$1
  set -o pipefail
  case "$BACKUP_SOURCE" in
    mysqldump)
      db_args DB_
      # --single-transaction: a consistent InnoDB snapshot without locking the tables for the whole dump.
      # The dump names no database (no USE): it loads into whichever scratch database the restore creates.
      "$(mysqldump_client)" "${DB_ARGS[@]}" --single-transaction --quick --triggers --hex-blob --no-tablespaces \
        "$DB_NAME" | gzip -6 | age -r "$AGE_RECIPIENT" | tee "$out" | sha256sum >"$out.sha256"
      ;;
    xbstream)
      gzip -6 <"$SOURCE_FILE" | age -r "$AGE_RECIPIENT" | tee "$out" | sha256sum >"$out.sha256"
      ;;
  esac
}

# checksum <file>: the file's SHA-256 (a step of its own: reading hundreds of GB takes minutes).
checksum() { sha256sum "$1"; }

# Newest complete xbstream that packagecloud's database_backups service wrote (seed 000's naming), sets
# SOURCE_FILE. Complete: not modified for XBSTREAM_SETTLE_MINUTES (every write updates the mtime, so a file still
# being written is younger); a younger one is skipped, naming it, and the newest older one is taken.
newest_xbstream() {
  local settle=${XBSTREAM_SETTLE_MINUTES:-30} young
  young=$(find "$XBSTREAM_DIR" -maxdepth 2 -type f -name 'packagecloud-streamed-database-backup.*.xbstream' -mmin "-$settle" 2>/dev/null | head -n 1)
  [[ -z "$young" ]] || log "source: skipping $young, modified in the last $settle minutes (still being written)"
  SOURCE_FILE=$(find "$XBSTREAM_DIR" -maxdepth 2 -type f -name 'packagecloud-streamed-database-backup.*.xbstream' \
    -not -mmin "-$settle" -printf '%T@ %p\n' 2>/dev/null | sort -n | tail -n 1 | cut -d' ' -f2-)
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

# Every AWS call goes through here. Only options the oldest CLI the jobs run with accepts (the VM's Ubuntu 22.04
# awscli 1.22.34, the image's Debian bookworm awscli 2.9.19): test/backup/aws-cli-options.test.ts checks each
# call against both option lists. S3_ENDPOINT_URL (optional): an S3-compatible or VPC endpoint; these CLIs
# predate AWS_ENDPOINT_URL (CLI 1.29 / 2.13), so it becomes --endpoint-url (the tests' emulator uses it).
awscli() {
  if [[ -n "${S3_ENDPOINT_URL:-}" ]]; then aws --endpoint-url "$S3_ENDPOINT_URL" "$@"; else aws "$@"; fi
}

# shellcheck disable=SC2016 # backquotes are JMESPath literals, not shell
s3_count() {
  run_step "$LIST_TIMEOUT_SECONDS" awscli s3api list-objects-v2 --bucket "$BACKUP_BUCKET" --prefix "$BACKUP_PREFIX" \
    --query 'length(Contents[?ends_with(Key, `.age`)] || `[]`)' --output text
}

upload() {
  local file=$1 key=$2 sha256=$3
  # The whole file's SHA-256 as metadata for the restore to check (and, for an xbstream, its unpacked size, so the
  # restore can check its disk space first), and no Object Lock headers: the bucket's default retention applies
  # (and the uploader may not set its own). No --checksum-algorithm: neither CLI the jobs run with has it on `s3 cp`
  # (awscli 2.9.19 answers "Unknown options: --checksum-algorithm,SHA256" and exits 252; 1.22.34's option list,
  # test/backup/aws-cli-options.json, has none either). Object Lock's rule that a PutObject/UploadPart carry Content-MD5 or
  # a flexible checksum (S3 User Guide, "Using S3 Object Lock": "Content-MD5 ... required") is met by the
  # Content-MD5 their botocore adds to every PutObject and UploadPart (handlers.py conditionally_calculate_md5);
  # the engine test uploads into a locked bucket of the emulator, which refuses a PutObject without either.
  awscli s3 cp --only-show-errors --metadata "sha256=$sha256${SOURCE_BYTES:+,source-bytes=$SOURCE_BYTES}" \
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
      log "source: no complete packagecloud-streamed-database-backup.*.xbstream under $XBSTREAM_DIR"
      finish "$EXIT_SOURCE"
    fi
    SOURCE_BYTES=$(stat -c %s "$SOURCE_FILE")
    export SOURCE_FILE SOURCE_BYTES
    log "source: $SOURCE_FILE ($SOURCE_BYTES bytes)"
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
  read -r sha256 _ <"$out.sha256"
  key="${BACKUP_PREFIX}packagecloud-${BACKUP_ENVIRONMENT}-db-$started.$ext.gz.age"
  log "dump: $size bytes encrypted, sha256 $sha256; uploading to s3://$BACKUP_BUCKET/$key"
  if ! with_retries "upload" "$UPLOAD_TIMEOUT_SECONDS" upload "$out" "$key" "$sha256"; then
    log "upload: failed"
    finish "$EXIT_UPLOAD"
  fi
  rm -f "$out"
  s3_count >"$WORK/count" && count=$(<"$WORK/count") || count=""
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
  if [[ ! -r "$AGE_IDENTITY_FILE" ]]; then
    log "configuration: AGE_IDENTITY_FILE ($AGE_IDENTITY_FILE) is not readable: put the environment's age identity there (docs/disaster-recovery.md, \"Backup keys\")"
    finish "$EXIT_CONFIG"
  fi
  local suffix key object sha256 expected source_bytes database
  case "${RESTORE_SOURCE:=mysqldump}" in
    mysqldump) suffix=.sql.gz.age ;;
    xbstream)
      suffix=.xbstream.gz.age
      require XBSTREAM_BIN XTRABACKUP_BIN MYSQLD_BIN
      local bin
      for bin in XBSTREAM_BIN XTRABACKUP_BIN MYSQLD_BIN ${MYSQL_BIN:+MYSQL_BIN}; do
        if ! command -v "${!bin}" >/dev/null; then
          log "configuration: $bin (${!bin}) is not an executable: name the binary of the MySQL that wrote the backups"
          finish "$EXIT_CONFIG"
        fi
      done
      if [[ -n "${RESTORE_KEEP_DATABASE:-}" ]]; then
        log "configuration: RESTORE_KEEP_DATABASE is for SQL dumps; restore an xbstream with the runbook's drill"
        finish "$EXIT_CONFIG"
      fi
      if ((EUID == 0)) && [[ -z "${MYSQLD_USER:-}" ]]; then
        log "configuration: MYSQLD_USER is not set: running as root, the scratch server needs an unprivileged user"
        finish "$EXIT_CONFIG"
      fi
      ;;
    *) log "configuration: RESTORE_SOURCE must be mysqldump or xbstream, not '$RESTORE_SOURCE'"; finish "$EXIT_CONFIG" ;;
  esac

  # shellcheck disable=SC2016 # backquotes are JMESPath literals, not shell
  # Steps write to files, never into $(…): bash waits for a command substitution before it runs a trap. An empty
  # prefix has no Contents at all (null): `|| []` makes that "None", not a JMESPath error.
  if ! run_step "$LIST_TIMEOUT_SECONDS" awscli s3api list-objects-v2 --bucket "$BACKUP_BUCKET" --prefix "$BACKUP_PREFIX" \
    --query "sort_by(Contents[?ends_with(Key, \`$suffix\`)] || \`[]\`, &LastModified)[-1].Key" --output text >"$WORK/key" ||
    ! key=$(<"$WORK/key"); then
    log "fetch: cannot list s3://$BACKUP_BUCKET/$BACKUP_PREFIX"
    finish "$EXIT_FETCH"
  fi
  if [[ -z "$key" || "$key" == None ]]; then
    # Its own exit code: before the first backup this is the expected answer, not a broken fetch (the rules page
    # on it only once the first backup was reported or its due date passed).
    log "fetch: no *$suffix backup under s3://$BACKUP_BUCKET/$BACKUP_PREFIX yet: nothing to verify"
    finish "$EXIT_NO_BACKUP"
  fi
  object="$WORK/restore$suffix"
  log "fetch: s3://$BACKUP_BUCKET/$key"
  # One call returns the body, and the SHA-256 (and unpacked size) the backup job recorded when it uploaded it.
  if ! with_retries "download" "$FETCH_TIMEOUT_SECONDS" awscli s3api get-object --cli-read-timeout 120 \
    --bucket "$BACKUP_BUCKET" --key "$key" --query '[Metadata.sha256, Metadata."source-bytes"]' --output text "$object" >"$WORK/expected"; then
    finish "$EXIT_FETCH"
  fi
  read -r expected source_bytes <"$WORK/expected"
  log "fetch: checking its sha256"
  if ! run_step "$FETCH_TIMEOUT_SECONDS" checksum "$object" >"$WORK/sha256"; then
    log "fetch: could not checksum $object"
    finish "$EXIT_FETCH"
  fi
  read -r sha256 _ <"$WORK/sha256"
  if [[ "$sha256" != "$expected" ]]; then
    log "fetch: sha256 $sha256 does not match the uploaded sha256 '$expected'"
    finish "$EXIT_FETCH"
  fi

  if [[ "$RESTORE_SOURCE" == xbstream ]]; then
    restore_physical "$object" "$source_bytes"
    database=${VERIFY_DATABASE:-packages_onpremise}
  else
    # RESTORE_KEEP_DATABASE (drills, a real restore): load into this database and keep it.
    database=${RESTORE_KEEP_DATABASE:-"packagecloud_restore_check_$(date -u +%Y%m%d%H%M%S)_$$"}
    [[ -n "${RESTORE_KEEP_DATABASE:-}" ]] || SCRATCH_DB=$database
    if [[ -n "${RESTORE_KEEP_DATABASE:-}" ]]; then
      keep_database_empty "$database"
    elif ! run_step 60 sql -e "CREATE DATABASE \`$database\`"; then
      log "restore: cannot create the scratch database $database"
      finish "$EXIT_RESTORE"
    fi
    log "restore: loading into $database"
    if ! run_step "$RESTORE_TIMEOUT_SECONDS" restore_pipeline "$object" "$database"; then
      log "restore: loading failed"
      finish "$EXIT_RESTORE"
    fi
  fi
  check_restored "$database"
  metric "${METRIC_PREFIX}_last_restore_verified_timestamp_seconds" "$BACKUP_NAME" "$(date +%s)"
  log "verify-restore: $key restores and passes every check"
  finish 0
}

# query <sql arguments...>: one query as a step (a COUNT(*) of a large table takes minutes); its output in
# $WORK/answer, or empty when it failed.
query() {
  if run_step "$CHECK_TIMEOUT_SECONDS" sql "$@" >"$WORK/answer" 2>/dev/null; then ANSWER=$(<"$WORK/answer"); else ANSWER=""; fi
}

# The checks of backupJob.verify against the restored database; exits 7 naming every failed check.
check_restored() {
  local database=$1 failed=0 table
  for table in $VERIFY_TABLES; do
    query -e "SELECT 1 FROM information_schema.tables WHERE table_schema = '$database' AND table_name = '$table'"
    if [[ -z "$ANSWER" ]]; then
      log "check: table $table is missing"
      failed=1
    fi
  done
  for table in ${VERIFY_NONEMPTY_TABLES:-}; do
    query "$database" -e "SELECT COUNT(*) FROM \`$table\`"
    if [[ ! "$ANSWER" =~ ^[0-9]+$ || "$ANSWER" -eq 0 ]]; then
      log "check: table $table is empty or unreadable"
      failed=1
    else
      log "check: $table has $ANSWER rows"
    fi
  done
  if [[ -n "${VERIFY_CANARY_QUERY:-}" ]]; then
    query "$database" -e "$VERIFY_CANARY_QUERY"
    local value=$ANSWER
    if [[ "$value" != "${VERIFY_CANARY_EXPECTED:-}" ]]; then
      log "check: canary returned '$value', expected '${VERIFY_CANARY_EXPECTED:-}'"
      failed=1
    fi
  fi
  if ((failed)); then finish "$EXIT_CHECK"; fi
}

# RESTORE_KEEP_DATABASE names a new database or an existing one without tables: the rebuilt Cloud SQL instance's
# `packagecloud`, which the gke stack creates empty (docs/disaster-recovery.md, "Into the rebuilt instance").
# One that holds a table is refused: a restore never loads over data.
keep_database_empty() {
  local database=$1 tables
  if ! run_step 60 sql -e "CREATE DATABASE IF NOT EXISTS \`$database\`" ||
    ! run_step 60 sql -e "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '$database'" >"$WORK/tables" ||
    ! tables=$(<"$WORK/tables") || [[ ! "$tables" =~ ^[0-9]+$ ]]; then
    log "restore: cannot create or inspect the database $database"
    finish "$EXIT_RESTORE"
  fi
  if ((tables > 0)); then
    log "restore: $database already holds $tables tables: RESTORE_KEEP_DATABASE loads only into a new or empty database"
    finish "$EXIT_RESTORE"
  fi
}

restore_pipeline() {
  local object=$1 scratch=$2
  set -o pipefail
  db_args RESTORE_DB_
  age -d -i "$AGE_IDENTITY_FILE" "$object" | gunzip | "$(mysql_client)" "${DB_ARGS[@]}" "$scratch"
}

# --- xbstream: a physical backup, opened by a scratch server of the MySQL that wrote it ----------------------

# shellcheck disable=SC2153 # XBSTREAM_BIN comes from the environment (see usage)
unpack_pipeline() {
  local object=$1 data=$2
  set -o pipefail
  age -d -i "$AGE_IDENTITY_FILE" "$object" | gunzip | "$XBSTREAM_BIN" -x -C "$data"
}

prepare_backup() { "$XTRABACKUP_BIN" --prepare --target-dir="$1" >"$2" 2>&1; }

# restore_physical <object> <unpacked bytes or empty>: unpack, prepare (apply the redo log, as a restore would),
# and open the result with a scratch server on a private socket; the checks then run against it.
restore_physical() {
  local object=$1 source_bytes=$2 restore="$WORK/restore"
  local data="$restore/data" run="$restore/run" avail need
  mkdir -p "$data" "$run/tmp"
  if [[ "$source_bytes" =~ ^[0-9]+$ ]]; then
    # The unpacked files, a fifth more for what --prepare writes, and 1 GiB for the scratch server.
    avail=$(df --output=avail -B1 "$restore" | tail -n 1 | tr -d ' ')
    need=$((source_bytes + source_bytes / 5 + 1073741824))
    if ((avail < need)); then
      log "restore: $restore has $avail bytes free; unpacking this backup needs about $need"
      finish "$EXIT_RESTORE"
    fi
    # On the VM the scratch copy shares packagecloud's data disk: it must leave SCRATCH_RESERVE_PERCENT of the
    # disk free, so that the verification can never fill the disk under the application.
    local size reserve
    size=$(df --output=size -B1 "$restore" | tail -n 1 | tr -d ' ')
    reserve=$((size * ${SCRATCH_RESERVE_PERCENT:-0} / 100))
    if ((avail - need < reserve)); then
      log "restore: unpacking this backup (about $need bytes) would leave less than ${SCRATCH_RESERVE_PERCENT}% of $restore's disk free ($avail bytes free): the verification does not starve packagecloud; grow the disk or lower backupJob.vm.scratchReservePercent"
      finish "$EXIT_RESTORE"
    fi
  fi
  log "restore: unpacking into $data"
  if ! run_step "$RESTORE_TIMEOUT_SECONDS" unpack_pipeline "$object" "$data"; then
    log "restore: unpacking the xbstream failed"
    finish "$EXIT_RESTORE"
  fi
  rm -f "$object"
  log "restore: preparing (applying the redo log)"
  if ! run_step "$RESTORE_TIMEOUT_SECONDS" prepare_backup "$data" "$restore/prepare.log"; then
    log "restore: $XTRABACKUP_BIN --prepare failed: $(tail -n 5 "$restore/prepare.log" | tr '\n' ' ')"
    finish "$EXIT_RESTORE"
  fi
  start_scratch_server "$data" "$run"
}

start_scratch_server() {
  local data=$1 run=$2 args=() line name value waited=0
  # The InnoDB settings the backup was taken with (page size, data files, undo tablespaces): the server can only
  # open the files with the same ones. --loose-: an option this server does not know is a warning, not a refusal.
  if [[ -r "$data/backup-my.cnf" ]]; then
    while IFS= read -r line; do
      name=${line%%=*} value=${line#*=}
      name=${name//[[:space:]]/} value=${value#"${value%%[![:space:]]*}"}
      [[ "$name" == innodb_* ]] && args+=("--loose-$name=$value")
    done <"$data/backup-my.cnf"
  fi
  if ((EUID == 0)); then
    # mysqld refuses to run as root: it drops to MYSQLD_USER, who owns the restore and can only traverse $WORK.
    # A step: the restore is as large as the database.
    run_step "$RESTORE_TIMEOUT_SECONDS" chown -R "$MYSQLD_USER" "$data" "$run" || { log "restore: cannot hand the restore to $MYSQLD_USER"; finish "$EXIT_RESTORE"; }
    chmod 0711 "$WORK" "$(dirname "$data")"
    args+=("--user=$MYSQLD_USER")
  fi
  log "restore: starting a scratch server on $run/mysqld.sock (no network, no grant tables)"
  # shellcheck disable=SC2153 # MYSQLD_BIN comes from the environment (see usage)
  # Only options MySQL 5.7, 8.x and MariaDB all document (no --skip-log-bin, documented from MySQL 8.0 only; a
  # binary log would land in the scratch directory, which is deleted at the end).
  "$MYSQLD_BIN" --no-defaults --datadir="$data" --socket="$run/mysqld.sock" --pid-file="$run/mysqld.pid" \
    --log-error="$run/error.log" --tmpdir="$run/tmp" --skip-networking --skip-grant-tables \
    --innodb-buffer-pool-size="${SCRATCH_MYSQLD_MEMORY:-512M}" "${args[@]}" </dev/null >/dev/null 2>&1 &
  SCRATCH_SERVER_PID=$!
  # Exported: the steps run_step starts are fresh processes of this script.
  export RESTORE_DB_SOCKET="$run/mysqld.sock" RESTORE_DB_USER=root RESTORE_DB_AUTH=none RESTORE_DB_HOST="" RESTORE_DB_PORT=""
  until run_step 10 sql -e "SELECT 1" >/dev/null 2>&1; do
    if ! kill -0 "$SCRATCH_SERVER_PID" 2>/dev/null || ((waited >= ${MYSQLD_START_TIMEOUT_SECONDS:-900})); then
      log "restore: the scratch server did not open the backup: $(tail -n 5 "$run/error.log" 2>/dev/null | tr '\n' ' ')"
      finish "$EXIT_RESTORE"
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

# Stops the scratch server (SIGTERM is a clean shutdown; SIGKILL after 120 s).
stop_scratch_server() {
  local waited=0
  kill -TERM "$SCRATCH_SERVER_PID" 2>/dev/null || return 0
  while kill -0 "$SCRATCH_SERVER_PID" 2>/dev/null && ((waited < 120)); do
    sleep 1
    waited=$((waited + 1))
  done
  kill -KILL "$SCRATCH_SERVER_PID" 2>/dev/null || true
  wait "$SCRATCH_SERVER_PID" 2>/dev/null || true
}

# --- the end of every run -----------------------------------------------------------------------------------

FINISHED=0
finish() {
  local code=$1 interrupted
  if [[ "$COMMAND" == __* ]] || ((FINISHED)); then exit "$code"; fi
  FINISHED=1
  # Interrupted mid-step (SIGTERM): signal the step (timeout passes the signal on to its command), but wait for it
  # only after the metrics are out: the kubelet's SIGKILL comes terminationGracePeriodSeconds after SIGTERM.
  if [[ -n "${STEP_PID:-}" ]]; then kill -TERM "$STEP_PID" 2>/dev/null || true; fi
  if [[ "$COMMAND" == backup ]]; then
    metric "${METRIC_PREFIX}_last_exit_code" "$BACKUP_NAME" "$code"
    interrupted="${METRIC_PREFIX}_last_interrupted_timestamp_seconds"
    if ((code != 0)); then
      carry_over "${METRIC_PREFIX}_last_success_timestamp_seconds" "$BACKUP_NAME"
      carry_over "${METRIC_PREFIX}_last_size_bytes" "$BACKUP_NAME"
      carry_over "${METRIC_PREFIX}_count" "$BACKUP_NAME"
    fi
  else
    metric "${METRIC_PREFIX}_last_restore_exit_code" "$BACKUP_NAME" "$code"
    interrupted="${METRIC_PREFIX}_last_restore_interrupted_timestamp_seconds"
    ((code == 0)) || carry_over "${METRIC_PREFIX}_last_restore_verified_timestamp_seconds" "$BACKUP_NAME"
  fi
  if ((code == EXIT_INTERRUPTED)); then metric "$interrupted" "$BACKUP_NAME" "$(date +%s)"; else carry_over "$interrupted" "$BACKUP_NAME"; fi
  write_metrics || log "metrics: could not be written"
  # Then the cleanup, however long it takes.
  if [[ -n "${STEP_PID:-}" ]]; then
    wait "$STEP_PID" 2>/dev/null || true
    STEP_PID=""
  fi
  if [[ -n "${SCRATCH_SERVER_PID:-}" ]]; then stop_scratch_server; fi
  if [[ -n "${SCRATCH_DB:-}" ]]; then
    # The scratch database always goes, whatever the checks said.
    run_step 300 sql -e "DROP DATABASE IF EXISTS \`$SCRATCH_DB\`" || log "restore: could not drop $SCRATCH_DB"
  fi
  [[ -z "${WORK:-}" ]] || rm -rf "$WORK"
  if ((code == EXIT_INTERRUPTED)); then
    log "$COMMAND: interrupted (exit code $code): the next attempt decides"
  elif ((code != 0)); then
    log "$COMMAND: failed with exit code $code"
  fi
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
  CHECK_TIMEOUT_SECONDS=${CHECK_TIMEOUT_SECONDS:-900}
  # The metrics are written however the run ends (an unexpected error included): a broken job must page, not
  # go quiet.
  trap 'status=$?; ((FINISHED)) || finish "$(( status == 0 ? 1 : status ))"' EXIT
  trap 'log "interrupted"; finish "$EXIT_INTERRUPTED"' TERM INT
  require BACKUP_BUCKET BACKUP_PREFIX BACKUP_ENVIRONMENT
  WORK=$(mktemp -d "${WORK_DIR:-${TMPDIR:-/tmp}}/packagecloud-backup.XXXXXX")
  case "$COMMAND" in
    backup) cmd_backup ;;
    verify-restore) cmd_verify_restore ;;
  esac
}

main "$@"
