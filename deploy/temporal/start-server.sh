#!/bin/sh
# Start the Temporal server with deploy/temporal/config/joint-approval.yaml.
#
# Shared by both deployments: `npm run cluster` runs it with TEMPORAL_SERVER pointing at the
# Go-built binary (~/.cache/joint-approval/temporal-server-v1.29.1/server); docker-compose.yml runs
# it in the temporalio/server image, whose binary is `temporal-server` on PATH. The services to
# start are the arguments (default: frontend, history, matching and worker in this one process).
#
# Environment: see the header of config/joint-approval.yaml; besides,
#   TEMPORAL_SERVER        server binary                        (default temporal-server)
#   TEMPORAL_CONFIG_DIR    directory of joint-approval.yaml     (default: config/ next to this script)
set -eu

here="$(cd "$(dirname "$0")" && pwd)"
config_dir="${TEMPORAL_CONFIG_DIR:-${here}/config}"

# Listening on every interface (a container): tell peers the address they can reach us at.
if [ "${BIND_ON_IP:-127.0.0.1}" = "0.0.0.0" ] && [ -z "${TEMPORAL_BROADCAST_ADDRESS:-}" ]; then
  TEMPORAL_BROADCAST_ADDRESS="$(hostname -i | awk '{print $1}')"
  export TEMPORAL_BROADCAST_ADDRESS
fi

[ "$#" -gt 0 ] || set -- frontend history matching worker
services=""
for service in "$@"; do services="${services} --service ${service}"; done

# shellcheck disable=SC2086 # one word per flag
exec "${TEMPORAL_SERVER:-temporal-server}" --root "${config_dir}" --config . --env joint-approval \
  --allow-no-auth start ${services}
