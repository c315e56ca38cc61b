#!/bin/sh
# Create or upgrade Temporal's PostgreSQL schemas (persistence + visibility).
#
# Runs once per `docker compose up` in the one-shot `temporal-admin-tools`
# service (image temporalio/admin-tools, which ships temporal-sql-tool and the
# schema files under /etc/temporal/schema). This replaces the schema step of
# the deprecated temporalio/auto-setup image.
#
# Idempotent: `setup-schema -v 0.0` only creates the schema_version
# bookkeeping tables when they are missing, and `update-schema` applies just
# the versioned migrations newer than what the database already records. So
# the same script both initialises a new volume and upgrades an existing one
# after the server/admin-tools tags are bumped.
#
# Environment (names follow the temporalio/server image):
#   POSTGRES_SEEDS      PostgreSQL host                      (required)
#   POSTGRES_USER       role that owns the Temporal databases (required)
#   POSTGRES_PWD        its password                          (required)
#   DB_PORT             PostgreSQL port                       (default 5432)
#   DBNAME              persistence database                  (default temporal)
#   VISIBILITY_DBNAME   visibility database                   (default temporal_visibility)
#   SQL_PLUGIN          temporal-sql-tool plugin              (default postgres12)
#   SCHEMA_DIR          schema root                           (default /etc/temporal/schema/postgresql/v12)
#   SKIP_DB_CREATE      "true" (default): the databases already exist, created
#                       by deploy/postgres/init.sql; "false": create them here
#                       (needs a role with CREATEDB)
#   MAX_ATTEMPTS        tries while waiting for PostgreSQL    (default 60, 2 s apart)
set -eu

: "${POSTGRES_SEEDS:?POSTGRES_SEEDS must be set}"
: "${POSTGRES_USER:?POSTGRES_USER must be set}"
: "${POSTGRES_PWD:?POSTGRES_PWD must be set}"
DB_PORT="${DB_PORT:-5432}"
DBNAME="${DBNAME:-temporal}"
VISIBILITY_DBNAME="${VISIBILITY_DBNAME:-temporal_visibility}"
SQL_PLUGIN="${SQL_PLUGIN:-postgres12}"
SCHEMA_DIR="${SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}"
SKIP_DB_CREATE="${SKIP_DB_CREATE:-true}"
MAX_ATTEMPTS="${MAX_ATTEMPTS:-60}"

# temporal-sql-tool reads the password from SQL_PASSWORD; passing it via the
# environment keeps it out of the process list.
SQL_PASSWORD="${POSTGRES_PWD}"
export SQL_PASSWORD

log() { echo "setup-schema: $*"; }

sql_tool() {
  db="$1"
  shift
  temporal-sql-tool \
    --plugin "${SQL_PLUGIN}" \
    --ep "${POSTGRES_SEEDS}" \
    -p "${DB_PORT}" \
    -u "${POSTGRES_USER}" \
    --db "${db}" \
    "$@"
}

for dir in "${SCHEMA_DIR}/temporal/versioned" "${SCHEMA_DIR}/visibility/versioned"; do
  if [ ! -d "${dir}" ]; then
    log "schema directory ${dir} not found (wrong admin-tools image?)" >&2
    exit 1
  fi
done

# depends_on: service_healthy already orders us after PostgreSQL; this loop
# only rides out a restart or a slow first init.
log "waiting for PostgreSQL at ${POSTGRES_SEEDS}:${DB_PORT} (database ${DBNAME})"
attempt=1
until out="$(sql_tool "${DBNAME}" setup-schema -v 0.0 2>&1)"; do
  if echo "${out}" | grep -qi "does not exist"; then
    if [ "${SKIP_DB_CREATE}" = "true" ]; then
      echo "${out}" >&2
      log "database ${DBNAME} does not exist. It is created by deploy/postgres/init.sql" \
        "on a fresh volume only; create it (and ${VISIBILITY_DBNAME}) by hand or set" \
        "SKIP_DB_CREATE=false with a role that has CREATEDB" >&2
      exit 1
    fi
    log "database ${DBNAME} missing; creating ${DBNAME} and ${VISIBILITY_DBNAME}"
    sql_tool "${DBNAME}" create-database
    sql_tool "${VISIBILITY_DBNAME}" create-database
    continue
  fi
  if [ "${attempt}" -ge "${MAX_ATTEMPTS}" ]; then
    echo "${out}" >&2
    log "PostgreSQL not usable after ${attempt} attempts; giving up" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 2
done
echo "${out}"

log "upgrading ${DBNAME} from ${SCHEMA_DIR}/temporal/versioned"
sql_tool "${DBNAME}" update-schema -d "${SCHEMA_DIR}/temporal/versioned"

log "setting up ${VISIBILITY_DBNAME}"
sql_tool "${VISIBILITY_DBNAME}" setup-schema -v 0.0
log "upgrading ${VISIBILITY_DBNAME} from ${SCHEMA_DIR}/visibility/versioned"
sql_tool "${VISIBILITY_DBNAME}" update-schema -d "${SCHEMA_DIR}/visibility/versioned"

log "done"
