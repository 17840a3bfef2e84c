#!/usr/bin/env bash
# `npm run demo`: the platform on one node with the embedded broker, and a simulated district.
#
# On a fresh Debian machine of this kind it installs what is missing (Debian's influxdb and
# mosquitto-clients, npm dependencies), uses PostgreSQL on 127.0.0.1:5432 (or says how to get it),
# starts its own influxd on its own port and data folder (.run/influxdb) unless INFLUX_URL points at
# a running one, builds, starts ingest, provisions the demo district and runs its gateways.
# Everything it started stops with Ctrl-C. Secrets are generated once into .demo/ (mode 0600).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/ensure.sh"
cd "$REPO_ROOT" || exit 1
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false

RUN="$REPO_ROOT/.run" DEMO="$REPO_ROOT/.demo"
mkdir -p "$RUN/logs" && mkdir -p -m 700 "$DEMO"
pids=()
cleanup() {
  trap - INT TERM EXIT
  say "stopping the demo …"
  # newest first: the simulator before the platform, the platform before InfluxDB
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    local pid=${pids[i]}
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  say "stopped. Data stays in .run/ (delete it to start afresh)."
}
trap 'cleanup; exit 130' INT TERM
trap cleanup EXIT

ensure_apt_packages influxdb mosquitto-clients fonts-wqy-microhei
ensure_node_modules
ensure_postgres

# --- PostgreSQL database -------------------------------------------------------------------------
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/safety_watch}
db_name=${DATABASE_URL##*/}; db_name=${db_name%%\?*}
admin_url=${DATABASE_URL%/*}/postgres
if ! psql "$admin_url" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db_name'" | grep -q 1; then
  psql "$admin_url" -qc "CREATE DATABASE \"$db_name\"" || die "cannot create database $db_name at ${DATABASE_URL%/*}"
  say "created database $db_name"
fi

# --- secrets (generated once, kept private) --------------------------------------------------------
secrets="$DEMO/secrets.env"
if [ ! -f "$secrets" ]; then
  (umask 077; {
    echo "SERVICE_MQTT_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
    echo "ADMIN_USERNAME=admin"
    echo "ADMIN_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
    echo "JWT_SECRET=$(head -c 32 /dev/urandom | base64 | tr -d '/+=')"
  } > "$secrets")
fi
# the demo's regulator and enterprise user (the hazard register's demo), also for a .demo/ made before them
for v in DEMO_DUTY_PASSWORD DEMO_SAFETY_PASSWORD; do
  grep -q "^$v=" "$secrets" || (umask 077; echo "$v=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')" >> "$secrets")
done
set -a; source "$secrets"; set +a

# --- InfluxDB -----------------------------------------------------------------------------------
if [ -n "${INFLUX_URL:-}" ] && curl -fs -o /dev/null "$INFLUX_URL/ping"; then
  say "using InfluxDB at $INFLUX_URL"
else
  influx_port=${DEMO_INFLUX_PORT:-18086}
  port_in_use "$influx_port" && die "port $influx_port is taken; set DEMO_INFLUX_PORT or INFLUX_URL"
  mkdir -p "$RUN/influxdb"/{meta,data,wal}
  # the repository's one influxd configuration, shared with the integration specs (libs/testing)
  sed -e "s|@DIR@|$RUN/influxdb|g" -e "s|@BIND@|127.0.0.1:$((influx_port + 2))|" -e "s|@HTTP@|127.0.0.1:$influx_port|" -e "s|@AUTH@|false|" \
    "$REPO_ROOT/scripts/lib/influxd.conf" > "$RUN/influxdb/influxd.conf"
  influxd run -config "$RUN/influxdb/influxd.conf" >"$RUN/logs/influxd.log" 2>&1 &
  pids+=($!)
  export INFLUX_URL="http://127.0.0.1:$influx_port"
  for _ in $(seq 1 100); do curl -fs -o /dev/null "$INFLUX_URL/ping" && break; sleep 0.2; done
  curl -fs -o /dev/null "$INFLUX_URL/ping" || die "influxd did not start; see $RUN/logs/influxd.log"
  say "InfluxDB running at $INFLUX_URL (data in .run/influxdb)"
fi

# --- MQTT port ------------------------------------------------------------------------------------
export MQTT_PORT=${MQTT_PORT:-1883}
if port_in_use "$MQTT_PORT"; then
  alt=11883
  say "port $MQTT_PORT is taken (another MQTT broker?); the platform's broker uses $alt instead"
  port_in_use "$alt" && die "port $alt is taken too; set MQTT_PORT to a free port"
  MQTT_PORT=$alt
fi
export INGEST_HTTP_PORT=${INGEST_HTTP_PORT:-3001} ALERTING_HTTP_PORT=${ALERTING_HTTP_PORT:-3002} API_PORT=${API_PORT:-3000}
export SPOOL_DIR="$RUN/spool" LOG_FORMAT=${LOG_FORMAT:-pretty} BROKER_URL="mqtt://127.0.0.1:$MQTT_PORT"
for v in INGEST_HTTP_PORT ALERTING_HTTP_PORT API_PORT; do port_in_use "${!v}" && die "port ${!v} is taken; set $v to a free port"; done

# --- build and start ----------------------------------------------------------------------------
say "building …"
npx nx run-many -t build --outputStyle=static >"$RUN/logs/build.log" 2>&1 || die "build failed; see $RUN/logs/build.log"

node scripts/start.mjs >"$RUN/logs/platform.log" 2>&1 &
pids+=($!)
for port in "$INGEST_HTTP_PORT" "$ALERTING_HTTP_PORT" "$API_PORT"; do
  for _ in $(seq 1 150); do curl -fs -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.2; done
  curl -fs -o /dev/null "http://127.0.0.1:$port/health" || die "the platform did not start (no answer on port $port); see $RUN/logs/platform.log"
done
say "platform running: MQTT on port $MQTT_PORT, API and console on http://127.0.0.1:$API_PORT/"

sim="node dist/apps/simulator/src/main.js"
export SIMULATOR_BROKER_URL="mqtt://127.0.0.1:$MQTT_PORT" SIMULATOR_CREDENTIALS="$DEMO/credentials.json"
$sim provision >"$RUN/logs/provision.log" 2>&1 || die "provisioning failed; see $RUN/logs/provision.log"
# hazards in every state and a public report, through the api's REST endpoints (idempotent)
SIMULATOR_API_URL="http://127.0.0.1:$API_PORT" $sim hazards >"$RUN/logs/hazards.log" 2>&1 || die "recording the demo hazards failed; see $RUN/logs/hazards.log"
$sim run >"$RUN/logs/simulator.log" 2>&1 &
pids+=($!)

say "waiting for readings in InfluxDB …"
count=0
for _ in $(seq 1 60); do
  count=$(curl -fsS "$INFLUX_URL/query" --data-urlencode "db=${INFLUX_DB:-safety_watch}" \
    --data-urlencode 'q=SELECT count(value) FROM reading WHERE time > now() - 1m' | grep -o '"values":\[\[[^]]*\]' | grep -o '[0-9]*\]$' | tr -d ']')
  [ -n "$count" ] && [ "$count" -gt 0 ] && break
  sleep 1
done
[ -n "$count" ] && [ "$count" -gt 0 ] || die "no readings reached InfluxDB; see $RUN/logs/"

# the district's risk levels (风险等级) now; alerting's daily job grades it anyway within GRADING_INTERVAL_MS
cli="node dist/apps/cli/src/main.js"
if graded=$($cli grades compute 2>"$RUN/logs/grading.log"); then say "$graded"; else warn "risk grading failed; see $RUN/logs/grading.log"; fi

cat <<MSG

  The demo district is live: $count readings stored in the last minute and counting.

  console            http://127.0.0.1:$API_PORT/   (user $ADMIN_USERNAME, password in .demo/secrets.env)
                     also demo.duty (regulator, 3205) and demo.safety (the steel works) — passwords in .demo/secrets.env;
                     隐患 shows the demo's major hazards in every state, 举报 a public report waiting for triage
  REST API           http://127.0.0.1:$API_PORT/api/v1 · OpenAPI http://127.0.0.1:$API_PORT/docs · live feed ws://127.0.0.1:$API_PORT/ws
  MQTT broker        mqtt://127.0.0.1:$MQTT_PORT   (gateway credentials: .demo/credentials.json)
  health · metrics   ingest :$INGEST_HTTP_PORT · alerting :$ALERTING_HTTP_PORT · api :$API_PORT  (/health, /metrics)
  InfluxDB           $INFLUX_URL   (database ${INFLUX_DB:-safety_watch}, measurement reading)
  logs               .run/logs/

  Inject an incident:  $sim incident co_leak   (also cooling_water_loss, hopper_over_temperature, gateway_silent)
                       — it shows up as an alarm on the console's board and on the live feed within a second
  Risk levels:         the console's 区域概览 (by level, reasons on hover); regrade now with $cli grades compute
  Query readings:      curl -G $INFLUX_URL/query --data-urlencode db=safety_watch --data-urlencode "q=SELECT * FROM reading ORDER BY time DESC LIMIT 5"

  Ctrl-C stops everything the demo started.
MSG
tail -n 0 -F "$RUN/logs/platform.log" &
pids+=($!)
while :; do
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { warn "a demo process ($pid) exited; see $RUN/logs/"; exit 1; }; done
  sleep 2
done
