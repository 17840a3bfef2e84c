#!/bin/bash
# Runs once, inside the influxdb:2.7 container, right after the entrypoint's first-start `influx setup`
# (the entrypoint's run-parts executes /docker-entrypoint-initdb.d/*.sh; the file must be executable).
# The influx CLI is already configured with the admin token, and the entrypoint exports
# DOCKER_INFLUXDB_INIT_ORG_ID and DOCKER_INFLUXDB_INIT_BUCKET_ID.
#
# The apps speak InfluxDB's v1 API (/write, /query): map database V1_DB (retention policy
# "autogen") onto the bucket, and create the v1 user V1_USERNAME/V1_PASSWORD with read and
# write access to that bucket only. docker-compose.yml sets V1_* from the apps' INFLUX_DB,
# INFLUX_USERNAME and INFLUX_PASSWORD (the influx CLI itself would read INFLUX_* as flag defaults).
set -euo pipefail

: "${DOCKER_INFLUXDB_INIT_BUCKET_ID:?not set by the influxdb entrypoint}"
: "${DOCKER_INFLUXDB_INIT_ORG:?}"
: "${V1_DB:?}"
: "${V1_USERNAME:?}"
: "${V1_PASSWORD:?}"

echo "v1 compat: DBRP ${V1_DB}/autogen -> bucket ${DOCKER_INFLUXDB_INIT_BUCKET:-} (${DOCKER_INFLUXDB_INIT_BUCKET_ID})"
if ! influx v1 dbrp list --org "${DOCKER_INFLUXDB_INIT_ORG}" --db "${V1_DB}" --hide-headers 2>/dev/null | grep -q .; then
  influx v1 dbrp create \
    --org "${DOCKER_INFLUXDB_INIT_ORG}" \
    --db "${V1_DB}" \
    --rp autogen \
    --bucket-id "${DOCKER_INFLUXDB_INIT_BUCKET_ID}" \
    --default
fi

echo "v1 compat: v1 user ${V1_USERNAME} (read/write on the bucket)"
if ! influx v1 auth list --org "${DOCKER_INFLUXDB_INIT_ORG}" --username "${V1_USERNAME}" --hide-headers 2>/dev/null | grep -q .; then
  influx v1 auth create \
    --org "${DOCKER_INFLUXDB_INIT_ORG}" \
    --username "${V1_USERNAME}" \
    --password "${V1_PASSWORD}" \
    --read-bucket "${DOCKER_INFLUXDB_INIT_BUCKET_ID}" \
    --write-bucket "${DOCKER_INFLUXDB_INIT_BUCKET_ID}" \
    --description "safety-watch apps (v1 API)"
fi
