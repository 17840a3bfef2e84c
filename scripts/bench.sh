#!/usr/bin/env bash
# Benchmarks: build, then run the named benchmark against real services it starts itself (influxd
# on its own port, a PostgreSQL database it creates and drops; results in bench-results/*.json).
#   pipeline (default, `npm run bench`): the whole pipeline at rising load, table + targets
#   scale (`npm run bench:scale`): 100,000 points and 10,000 gateway connections, memory per point/connection
#   scale-out (`npm run bench:scale-out`): Mosquitto, 1 vs 2 ingest, 2 alerting on leases, SIGKILL takeover
#   ingest, alarms: the narrower benchmarks (`npm run bench:ingest`, `npm run bench:alarms`)
#   commit (`npm run bench:commit`): the alarm commit hop alone, locking vs one-statement, alternated
#   chaos (`npm run chaos`): faults one at a time under steady load, audited for lost/duplicated data
# usage: scripts/bench.sh [pipeline|scale|scale-out|ingest|alarms|commit|chaos|all] [bench options…]
#   e.g. scripts/bench.sh pipeline --seconds 5 --max-step 3    scripts/bench.sh scale --gateways 2000
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/ensure.sh"
cd "$REPO_ROOT" || exit 1
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
ensure_apt_packages influxdb mosquitto
ensure_node_modules
ensure_postgres
# 10,000 gateway sessions need more descriptors than the usual soft limit of 1,024 (ingest holds
# one per session, each simulator one per gateway it runs).
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ] || [ "$hard" -ge 65536 ]; then ulimit -n 65536; else ulimit -n "$hard"; fi
npx nx run-many -t build --outputStyle=static >/dev/null || die "build failed (run npm run build to see why)"
# `npm run bench -- --seconds 5` means the default benchmark with options
if [ $# -eq 0 ] || [[ "$1" == -* ]]; then which=pipeline; else which=$1; shift; fi
case "$which" in
  pipeline | ingest | alarms | commit | scale-out | chaos) exec node dist/apps/bench/src/main.js "$which" "$@" ;;
  scale)
    [ "$(ulimit -n)" -ge 12000 ] || echo "warning: only $(ulimit -n) file descriptors (hard limit $hard): fewer than 10,000 gateways will connect" >&2
    exec node dist/apps/bench/src/main.js scale "$@" ;;
  all)
    node dist/apps/bench/src/main.js pipeline "$@" || exit 1
    node dist/apps/bench/src/main.js scale-out || exit 1
    exec node dist/apps/bench/src/main.js scale ;;
  *) die "unknown benchmark '$which' (known: pipeline, scale, scale-out, ingest, alarms, commit, chaos, all)" ;;
esac
