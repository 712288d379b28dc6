# shellcheck shell=bash
# A private, throw-away PostgreSQL server for tests: fresh initdb in a temp dir, loopback only, trust auth.
# Source scripts/lib/common.sh first. Reused by test.sh and later load / fault scripts.
#
#   pg_start   sets PG_BIN, PG_DIR, PG_PORT, PG_DATABASE, PG_CONNECTION_STRING (Npgsql form), and for tests that
#              stop and restart the server themselves (a store outage): PG_DATA (the data directory), PG_CTL (its
#              pg_ctl) and PG_RUN_AS (the OS user pg_ctl must run as: postgres when we are root, empty otherwise)
#   pg_stop    stops the server and deletes PG_DIR; safe to call twice or when pg_start never ran
#
# Settings (environment):
#   AGGREGATOR_TEST_POSTGRES_PORT           port (default: first free from 25432)
#   AGGREGATOR_TEST_POSTGRES_START_TIMEOUT  seconds to wait for the server (default 60)

PG_DATABASE=${PG_DATABASE:-aggregator_test}
PG_DIR=${PG_DIR:-}

# pg_bin_dir : the directory holding initdb/pg_ctl/postgres (newest /usr/lib/postgresql/N/bin, else PATH).
pg_bin_dir() {
  local dir ctl
  while read -r dir; do
    if [ -x "$dir/pg_ctl" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
  done < <(compgen -G '/usr/lib/postgresql/*/bin' | sort -V -r)
  ctl=$(command -v pg_ctl 2>/dev/null) || return 1
  dirname "$(readlink -f "$ctl")"
}

pg_installed() { pg_bin_dir >/dev/null; }

# pg_as COMMAND... : PostgreSQL refuses to run as root, so its server-side tools run as `postgres` then.
pg_as() { run_as postgres "$@"; }

pg_start() {
  local start timeout=${AGGREGATOR_TEST_POSTGRES_START_TIMEOUT:-60}
  start=$(now_ms)
  PG_BIN=$(pg_bin_dir) || die "PostgreSQL is not installed (no pg_ctl under /usr/lib/postgresql/*/bin or on PATH)"
  PG_PORT=$(choose_port "${AGGREGATOR_TEST_POSTGRES_PORT:-}" 25432) || die "no port for PostgreSQL"
  PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/aggregator-pg.XXXXXX")
  mkdir -p "$PG_DIR/data" "$PG_DIR/run"
  if is_root; then chown -R postgres:postgres "$PG_DIR"; fi
  log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'): initdb in $PG_DIR"

  if ! pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -E UTF8 --locale=C -A trust >"$PG_DIR/initdb.log" 2>&1; then
    show_log_tail "$PG_DIR/initdb.log"
    die "initdb failed"
  fi
  # Loopback only, private socket dir, trust for local connections; durability off (throw-away data).
  cat >>"$PG_DIR/data/postgresql.conf" <<CONF

# --- scripts/lib/postgres.sh (test instance) ---
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DIR/run'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
  cat >"$PG_DIR/data/pg_hba.conf" <<CONF
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 trust
host    all       all   127.0.0.1/32  trust
CONF

  # pg_ctl -w returns once the server accepts connections (or has died); pg_isready then confirms over TCP.
  if ! pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t "$timeout" start >/dev/null 2>&1; then
    show_log_tail "$PG_DIR/postgres.log"
    die "PostgreSQL did not start on 127.0.0.1:$PG_PORT within ${timeout} s"
  fi
  local deadline=$((SECONDS + timeout))
  until "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -t 1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      show_log_tail "$PG_DIR/postgres.log"
      die "PostgreSQL did not answer pg_isready on 127.0.0.1:$PG_PORT within ${timeout} s"
    fi
    sleep 0.2
  done
  if ! "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$PG_DATABASE" 2>"$PG_DIR/createdb.log"; then
    show_log_tail "$PG_DIR/createdb.log"
    die "createdb $PG_DATABASE failed"
  fi
  PG_CONNECTION_STRING="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$PG_DATABASE"
  PG_DATA="$PG_DIR/data"
  PG_CTL="$PG_BIN/pg_ctl"
  PG_RUN_AS=""
  if is_root; then PG_RUN_AS=postgres; fi   # as pg_as does
  log "PostgreSQL ready on 127.0.0.1:$PG_PORT, database $PG_DATABASE (started in $(since "$start"))"
}

pg_stop() {
  if [ -z "${PG_DIR:-}" ] || [ ! -d "$PG_DIR" ]; then return 0; fi
  local pidfile="$PG_DIR/data/postmaster.pid" leftovers running=0
  if [ -f "$pidfile" ]; then
    running=1
    if ! pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1; then
      log "PostgreSQL did not stop in 30 s; killing it"
    fi
  fi
  # A postmaster interrupted mid-start (or one that ignored pg_ctl): found by its data directory.
  leftovers=$(pids_matching "$PG_DIR/data")
  if [ -n "$leftovers" ]; then
    # shellcheck disable=SC2086
    stop_pids 10 $leftovers
    running=1
  fi
  if [ "$running" -eq 1 ]; then log "PostgreSQL on 127.0.0.1:${PG_PORT:-?} stopped"; fi
  rm -rf "$PG_DIR"
  PG_DIR=""
}
