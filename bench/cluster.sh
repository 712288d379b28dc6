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
# shellcheck source=../scripts/lib/services.sh
source "$ROOT/scripts/lib/services.sh"
services_trap

command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet) is not on PATH"
cd "$ROOT"

services_start
# Where the servers run from, so the benchmark can read their CPU time (/proc, their process trees).
export AGGREGATOR_BENCH_PG_DIR="$PG_DIR" AGGREGATOR_BENCH_RABBIT_DIR="$RABBIT_DIR"

log "dotnet run -c Release --project bench/Aggregator.Benchmarks -- cluster $*"
rc=0
dotnet run -c Release --project bench/Aggregator.Benchmarks -- cluster "$@" || rc=$?
exit "$rc"
