# shellcheck shell=bash
# The private PostgreSQL and RabbitMQ that tests and benchmarks run against, started and stopped as one: what
# scripts/test.sh and bench/cluster.sh share. Source scripts/lib/common.sh first.
#
#   services_start   installs postgresql and rabbitmq-server with apt-get when missing, starts one private instance of
#                    each, exports AGGREGATOR_TEST_POSTGRES, AGGREGATOR_TEST_RABBITMQ, AGGREGATOR_TEST_POSTGRES_PGDATA,
#                    _PGCTL, _PGUSER (an outage test stops and restarts the server) and AGGREGATOR_TEST_RABBITMQ_CTL
#   services_stop    stops both and deletes their temp dirs; safe to call twice or when services_start never ran
#   services_trap    installs the EXIT/INT/TERM traps that call services_stop exactly once, keeping the exit code

# shellcheck source=postgres.sh
source "$(dirname "${BASH_SOURCE[0]}")/postgres.sh"
# shellcheck source=rabbitmq.sh
source "$(dirname "${BASH_SOURCE[0]}")/rabbitmq.sh"

services_start() {
  local missing=()
  pg_installed || missing+=(postgresql)
  rabbit_installed || missing+=(rabbitmq-server)
  if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi

  pg_start
  rabbit_start
  export AGGREGATOR_TEST_POSTGRES="$PG_CONNECTION_STRING"
  export AGGREGATOR_TEST_RABBITMQ="$RABBIT_URL"
  export AGGREGATOR_TEST_POSTGRES_PGDATA="$PG_DATA" AGGREGATOR_TEST_POSTGRES_PGCTL="$PG_CTL" AGGREGATOR_TEST_POSTGRES_PGUSER="$PG_RUN_AS"
  export AGGREGATOR_TEST_RABBITMQ_CTL="$RABBIT_CTL"
  log "AGGREGATOR_TEST_POSTGRES=$AGGREGATOR_TEST_POSTGRES"
  log "AGGREGATOR_TEST_RABBITMQ=$AGGREGATOR_TEST_RABBITMQ"
}

SERVICES_STOPPED=0
services_stop() {
  local rc=$?
  if [ "$SERVICES_STOPPED" -eq 1 ]; then return "$rc"; fi
  SERVICES_STOPPED=1
  trap '' INT TERM   # a second Ctrl-C must not cut the cleanup short
  set +e
  rabbit_stop
  pg_stop
  return "$rc"
}

services_trap() {
  trap services_stop EXIT
  trap 'log "interrupted"; exit 130' INT
  trap 'log "terminated"; exit 143' TERM
}
