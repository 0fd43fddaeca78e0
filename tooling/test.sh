#!/usr/bin/env bash
# `npm test`: the one type-check (tsc --noEmit) and every jest test, side by side. tsc needs ~15 s of one core;
# the first jest files are deployments that mostly wait, so running both at once costs no CPU and saves the
# type-check's wall time (docs/speed.md). Both must pass; tsc's findings print after jest's report.
# Arguments go to jest (e.g. `npm test -- test/config.test.ts`).
set -uo pipefail
cd "$(dirname "$0")/.."
tsc_log=$(mktemp)
trap 'rm -f "$tsc_log"' EXIT
npx tsc --noEmit -p . >"$tsc_log" 2>&1 &
tsc_pid=$!
# Six workers on two cores: the long engine files start first (test/support/sequencer.js) and mostly wait, and
# the remaining workers keep both cores busy with the CPU-bound files meanwhile.
npx jest --maxWorkers=6 "$@"
jest_status=$?
wait "$tsc_pid"
tsc_status=$?
if [ "$tsc_status" -ne 0 ]; then
  echo "tsc --noEmit failed (exit $tsc_status):" >&2
  cat "$tsc_log" >&2
fi
[ "$jest_status" -eq 0 ] && [ "$tsc_status" -eq 0 ]
