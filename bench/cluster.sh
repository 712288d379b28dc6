#!/usr/bin/env bash
# The cluster benchmark (issue 6) against a private, throw-away PostgreSQL and RabbitMQ on loopback.
#
#   ./bench/cluster.sh                      # baselines, then 1, 2 and 3 cluster-mode Host processes (~3 min)
#   ./bench/cluster.sh --quick              # shorter phases; other arguments go to the `cluster` command
#
# Starts one PostgreSQL and one RabbitMQ with scripts/lib (as scripts/test.sh does; installs them with apt-get when
# missing), exports AGGREGATOR_TEST_POSTGRES and AGGREGATOR_TEST_RABBITMQ, runs
#   dotnet run -c Release --project bench/Aggregator.Benchmarks -- cluster "$@"
# and always stops both services on exit. The benchmark starts and kills its own Host processes and drops the schemas
# and queues it created. The exit code is the benchmark's; its last line is the RESULT line.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOG_TAG=cluster.sh
# shellcheck source=../scripts/lib/common.sh
source "$ROOT/scripts/lib/common.sh"
# shellcheck source=../scripts/lib/postgres.sh
source "$ROOT/scripts/lib/postgres.sh"
# shellcheck source=../scripts/lib/rabbitmq.sh
source "$ROOT/scripts/lib/rabbitmq.sh"

cleaned=0
cleanup() {
  local rc=$?
  if [ "$cleaned" -eq 1 ]; then return "$rc"; fi
  cleaned=1
  trap '' INT TERM
  set +e
  rabbit_stop
  pg_stop
  return "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet) is not on PATH"
cd "$ROOT"

missing=()
pg_installed || missing+=(postgresql)
rabbit_installed || missing+=(rabbitmq-server)
if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi

pg_start
rabbit_start
export AGGREGATOR_TEST_POSTGRES="$PG_CONNECTION_STRING"
export AGGREGATOR_TEST_RABBITMQ="$RABBIT_URL"
# Where the servers run from, so the benchmark can read their CPU time (/proc, their process trees).
export AGGREGATOR_BENCH_PG_DIR="$PG_DIR" AGGREGATOR_BENCH_RABBIT_DIR="$RABBIT_DIR"
log "AGGREGATOR_TEST_POSTGRES=$AGGREGATOR_TEST_POSTGRES"
log "AGGREGATOR_TEST_RABBITMQ=$AGGREGATOR_TEST_RABBITMQ"

log "dotnet run -c Release --project bench/Aggregator.Benchmarks -- cluster $*"
rc=0
dotnet run -c Release --project bench/Aggregator.Benchmarks -- cluster "$@" || rc=$?
exit "$rc"
