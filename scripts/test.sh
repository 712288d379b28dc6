#!/usr/bin/env bash
# Runs every test of Aggregator.sln against a private, throw-away PostgreSQL and RabbitMQ on loopback.
#
#   ./scripts/test.sh                         # everything
#   ./scripts/test.sh --filter 'FullyQualifiedName~Host'   # extra arguments go to `dotnet test`
#   AGGREGATOR_TEST_SKIP_SERVICES=1 ./scripts/test.sh     # no PostgreSQL/RabbitMQ (quick local runs;
#                                                         # or export AGGREGATOR_TEST_* for your own)
#
# Installs postgresql and rabbitmq-server with apt-get when they are missing (Debian/Ubuntu, root or
# sudo), starts one instance of each in temp dirs on free loopback ports, exports
#   AGGREGATOR_TEST_POSTGRES  Npgsql connection string, e.g. Host=127.0.0.1;Port=25432;Username=postgres;Database=aggregator_test
#   AGGREGATOR_TEST_RABBITMQ  amqp://guest:guest@127.0.0.1:25672/
#   AGGREGATOR_TEST_POSTGRES_PGDATA, _PGCTL, _PGUSER  the server's data directory, its pg_ctl and the OS user
#                             to run pg_ctl as (empty: ourselves), so an outage test can stop and restart it
#   AGGREGATOR_TEST_RABBITMQ_CTL  a rabbitmqctl bound to the private node (fault tests: stop_app / start_app)
# builds, runs `dotnet test Aggregator.sln -c Release --no-build -m:1` (one test project at a time), and always stops both services and deletes their
# temp dirs on exit. The exit code is dotnet test's. Ports and timeouts: see scripts/lib/*.sh.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOG_TAG=test.sh
# shellcheck source=lib/common.sh
source "$ROOT/scripts/lib/common.sh"
# shellcheck source=lib/services.sh
source "$ROOT/scripts/lib/services.sh"
services_trap

command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet) is not on PATH"
cd "$ROOT"

if [ "${AGGREGATOR_TEST_SKIP_SERVICES:-0}" = "1" ]; then
  log "AGGREGATOR_TEST_SKIP_SERVICES=1: not starting PostgreSQL or RabbitMQ; tests that need one skip" \
    "unless you set it (AGGREGATOR_TEST_POSTGRES=${AGGREGATOR_TEST_POSTGRES:-unset}," \
    "AGGREGATOR_TEST_RABBITMQ=${AGGREGATOR_TEST_RABBITMQ:-unset})"
else
  services_start
fi

log "dotnet test Aggregator.sln -c Release $*"
started=$(now_ms)
rc=0
summary=$(mktemp)
# The cluster fault tests append their recovery times here (tests/Aggregator.Host.Tests/ClusterMode/RecoveryReport.cs).
AGGREGATOR_TEST_RECOVERY_REPORT=$(mktemp)
export AGGREGATOR_TEST_RECOVERY_REPORT
# Build once (in parallel), then run the test projects one at a time (-m:1): some tests stop and restart the shared
# PostgreSQL or RabbitMQ, and another project's tests must not be running against it meanwhile.
if ! dotnet build Aggregator.sln -c Release -nologo -clp:ErrorsOnly; then
  log "build FAILED"
  exit 1
fi
dotnet test Aggregator.sln -c Release --no-build -m:1 --logger "console;verbosity=minimal" "$@" | tee "$summary" || rc=$?
if [ "$rc" -eq 0 ]; then
  log "tests passed in $(since "$started")"
else
  log "tests FAILED (dotnet test exit code $rc) after $(since "$started")"
fi
# One total over all test projects, as a plain closing line: "tests: N passed, N failed, N skipped".
awk '/(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$summary"
if [ -s "$AGGREGATOR_TEST_RECOVERY_REPORT" ]; then
  log "cluster fault tests, time to recover:"
  while IFS= read -r line; do log "  $line"; done < "$AGGREGATOR_TEST_RECOVERY_REPORT"
fi
rm -f "$summary" "$AGGREGATOR_TEST_RECOVERY_REPORT"
exit "$rc"
