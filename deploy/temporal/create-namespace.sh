#!/bin/sh
# Create the Temporal namespace and the custom search attributes the
# joint-approval workflows upsert.
#
# Runs in the one-shot `temporal-create-namespace` service (image
# temporalio/admin-tools, which ships the `temporal` CLI). Safe to run on every
# `docker compose up`: an existing namespace or search attribute is left alone.
#
# With SQL (PostgreSQL) visibility, custom search attributes belong to a
# namespace, so they are registered with --namespace.
#
# Environment:
#   TEMPORAL_ADDRESS        frontend gRPC address            (default temporal:7233)
#   DEFAULT_NAMESPACE       namespace to create              (default default)
#   NAMESPACE_RETENTION     workflow history retention       (default 720h = 30 days)
#   MAX_ATTEMPTS            tries per wait loop, 2 s apart   (default 90)
set -eu

TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"
NAMESPACE="${DEFAULT_NAMESPACE:-default}"
RETENTION="${NAMESPACE_RETENTION:-720h}"
MAX_ATTEMPTS="${MAX_ATTEMPTS:-90}"
export TEMPORAL_ADDRESS

# name:type pairs. Keep in sync with workflows/search-attributes.ts.
SEARCH_ATTRIBUTES="
CaseStatus:Keyword
LeadDept:Keyword
MatterCode:Keyword
CaseAlert:Keyword
PendingDepts:KeywordList
CaseDeadline:Datetime
"

log() { echo "create-namespace: $*"; }

# wait_until DESCRIPTION COMMAND...: retry COMMAND until it succeeds.
wait_until() {
  what="$1"
  shift
  attempt=1
  until "$@" >/dev/null 2>&1; do
    if [ "${attempt}" -ge "${MAX_ATTEMPTS}" ]; then
      log "gave up waiting for ${what} after ${attempt} attempts; last error:" >&2
      "$@" >&2 || true
      exit 1
    fi
    attempt=$((attempt + 1))
    sleep 2
  done
}

cluster_serving() {
  temporal operator cluster health --address "${TEMPORAL_ADDRESS}" | grep -q SERVING
}

log "waiting for the Temporal frontend at ${TEMPORAL_ADDRESS}"
wait_until "the frontend to report SERVING" cluster_serving
log "frontend is SERVING"

if temporal operator namespace describe --namespace "${NAMESPACE}" >/dev/null 2>&1; then
  log "namespace ${NAMESPACE} already exists"
else
  log "creating namespace ${NAMESPACE} (retention ${RETENTION})"
  if ! out="$(temporal operator namespace create --namespace "${NAMESPACE}" --retention "${RETENTION}" 2>&1)"; then
    if echo "${out}" | grep -qi "already"; then
      log "namespace ${NAMESPACE} already exists (created concurrently)"
    else
      echo "${out}" >&2
      exit 1
    fi
  fi
fi

namespace_known() {
  temporal operator namespace describe --namespace "${NAMESPACE}"
}
wait_until "namespace ${NAMESPACE} to become visible" namespace_known

existing_attributes() {
  temporal operator search-attribute list --namespace "${NAMESPACE}"
}

# Probe query that the frontend only accepts once its search-attribute cache
# knows the attribute, so callers (api, worker) never race a fresh attribute.
probe_query() {
  case "$2" in
    Datetime) echo "$1 > '1970-01-01T00:00:00Z'" ;;
    *) echo "$1 = '__probe__'" ;;
  esac
}

attribute_queryable() {
  temporal workflow count --namespace "${NAMESPACE}" --query "$(probe_query "$1" "$2")"
}

add_attribute() {
  name="$1"
  type="$2"
  current="$(existing_attributes 2>/dev/null | awk -v n="${name}" '$1 == n { print $2 }')"
  if [ "${current}" = "${type}" ]; then
    log "search attribute ${name} (${type}) already registered"
    return 0
  elif [ -n "${current}" ]; then
    log "search attribute ${name} exists with type ${current}, expected ${type}" >&2
    exit 1
  fi
  log "registering search attribute ${name} (${type})"
  attempt=1
  until out="$(temporal operator search-attribute create --namespace "${NAMESPACE}" \
    --name "${name}" --type "${type}" 2>&1)"; do
    if echo "${out}" | grep -qi "already"; then
      log "search attribute ${name} already registered"
      return 0
    fi
    # A namespace created a moment ago may not be in every cache yet.
    if [ "${attempt}" -ge "${MAX_ATTEMPTS}" ]; then
      echo "${out}" >&2
      log "could not register ${name}" >&2
      exit 1
    fi
    attempt=$((attempt + 1))
    sleep 2
  done
}

for entry in ${SEARCH_ATTRIBUTES}; do
  add_attribute "${entry%%:*}" "${entry#*:}"
done

for entry in ${SEARCH_ATTRIBUTES}; do
  name="${entry%%:*}"
  wait_until "search attribute ${name} to be queryable" attribute_queryable "${name}" "${entry#*:}"
done

log "namespace ${NAMESPACE} ready; its search attributes:"
existing_attributes
