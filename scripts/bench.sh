#!/usr/bin/env bash
# Benchmarks (`npm run bench`, `npm run bench:ingest`): build, then run the named benchmark against
# real services it starts itself (influxd on its own port, a PostgreSQL database it creates and drops).
# usage: scripts/bench.sh [all|ingest|alarms] [bench options…]   e.g. scripts/bench.sh ingest --seconds 20 --gateways 400
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/ensure.sh"
cd "$REPO_ROOT" || exit 1
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
ensure_apt_packages influxdb mosquitto
ensure_node_modules
ensure_postgres
npx nx run-many -t build --outputStyle=static >/dev/null || die "build failed (run npm run build to see why)"
which=${1:-all}
[ $# -gt 0 ] && shift
case "$which" in
  ingest | alarms | scale-out) exec node dist/apps/bench/src/main.js "$which" "$@" ;;
  all)
    node dist/apps/bench/src/main.js ingest "$@" || exit 1
    exec node dist/apps/bench/src/main.js alarms "$@" ;;
  *) die "unknown benchmark '$which' (known: ingest, alarms, scale-out, all)" ;;
esac
