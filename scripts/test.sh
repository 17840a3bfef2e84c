#!/usr/bin/env bash
# THE test command (`npm test`): everything a change must pass, on a fresh Debian 12 machine too.
#
#   1. installs what is missing: Debian influxdb, mosquitto, mosquitto-clients, python3-pymodbus
#      (+ python3-serial-asyncio, which its server module imports) and mbpoll (the integration tests
#      start their own influxd, mosquitto and pymodbus server on free ports), chromium and
#      fonts-wqy-microhei (the console's browser tests and the PDF report: Debian's browser, a CJK
#      font), poppler-utils (pdftotext/pdftoppm check the PDF report), systemd (systemd-analyze verify
#      checks deploy/systemd; nothing is started), node_modules,
#      and a reachable PostgreSQL (TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres)
#   2. lint + typecheck of every project (nx)
#   3. unit specs of every project (jest.unit.config.cts)
#   4. build of every project (nx)
#   5. integration and e2e specs (jest.int.config.cts, in band)
#
# Stops at the first failing step, exits non-zero if anything failed, and always ends with one line
#   tests: N passed, N failed
# summed over the unit and integration runs (from jest's --json result files in tmp/). A suite that
# could not run at all (compile error, crash in a hook) counts as one failed test; a jest run that
# left no result file counts as one failed test too.
set -uo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/ensure.sh"
cd "$REPO_ROOT" || exit 1

export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false CI=${CI:-}
export FORCE_COLOR=${FORCE_COLOR:-0}

ensure_apt_packages influxdb mosquitto mosquitto-clients docker-compose python3-pymodbus python3-serial-asyncio mbpoll chromium fonts-wqy-microhei poppler-utils systemd
ensure_node_modules
ensure_postgres

RESULTS_DIR="$REPO_ROOT/tmp"
UNIT_RESULTS="$RESULTS_DIR/unit-results.json"
INT_RESULTS="$RESULTS_DIR/int-results.json"
mkdir -p "$RESULTS_DIR"
rm -f "$UNIT_RESULTS" "$INT_RESULTS"
ran_unit=0 ran_int=0

summary() {
  node - "$ran_unit" "$UNIT_RESULTS" "$ran_int" "$INT_RESULTS" <<'NODE'
const fs = require('node:fs');
const [ranUnit, unitFile, ranInt, intFile] = process.argv.slice(2);
let passed = 0;
let failed = 0;
for (const [ran, file, label] of [[ranUnit, unitFile, 'unit'], [ranInt, intFile, 'integration']]) {
  if (ran !== '1') continue;
  let r;
  try {
    r = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    console.error(`(${label}: jest wrote no readable result file ${file}: ${e.message}; counted as 1 failed)`);
    failed += 1;
    continue;
  }
  passed += r.numPassedTests || 0;
  failed += (r.numFailedTests || 0) + (r.numRuntimeErrorTestSuites || 0);
}
console.log(`tests: ${passed} passed, ${failed} failed`);
NODE
}

finish() {
  local rc=$1 step=${2:-}
  echo
  if [ "$rc" -ne 0 ]; then
    printf 'FAILED: %s (exit %s)\n' "$step" "$rc" >&2
  fi
  summary || rc=1
  exit "$rc"
}

run_step() {
  local name=$1
  shift
  say "$name: $*"
  local started=$SECONDS
  "$@"
  local rc=$?
  say "$name: exit $rc after $((SECONDS - started)) s"
  [ "$rc" -eq 0 ] || finish "$rc" "$name"
}

run_step "lint + typecheck" npx nx run-many -t lint typecheck --outputStyle=static
# the deployment's compose file must stay valid (docker-compose validates it without a Docker engine)
run_step "compose config" docker-compose -f docker/docker-compose.yml --env-file docker/.env.example config -q
ran_unit=1
run_step "unit tests" npx jest -c jest.unit.config.cts --passWithNoTests --json --outputFile="$UNIT_RESULTS"
run_step "build" npx nx run-many -t build --outputStyle=static
ran_int=1
run_step "integration tests" npx jest -c jest.int.config.cts --runInBand --json --outputFile="$INT_RESULTS"
finish 0
