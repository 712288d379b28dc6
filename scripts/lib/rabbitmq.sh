# shellcheck shell=bash
# A private, throw-away RabbitMQ node for tests: its own temp dir, node name, ports, epmd and Erlang
# cookie, no plugins, listening on loopback only. Source scripts/lib/common.sh first.
#
#   rabbit_start   sets RABBIT_DIR, RABBIT_NODE, RABBIT_PORT, RABBIT_DIST_PORT, RABBIT_EPMD_PORT, RABBIT_URL
#   rabbit_stop    stops the node and its epmd, deletes RABBIT_DIR; safe to call twice or when never started
#   rabbit_run CMD ARGS...   runs rabbitmqctl / rabbitmq-diagnostics / ... against the private node
#   RABBIT_CTL               (set by rabbit_start) an executable rabbitmqctl bound to the private node
#
# Settings (environment):
#   AGGREGATOR_TEST_RABBITMQ_PORT           AMQP port (default: first free from 25672)
#   AGGREGATOR_TEST_RABBITMQ_DIST_PORT      Erlang distribution port (default: first free from 25772;
#                                           CLI tools use the 10 ports above it)
#   AGGREGATOR_TEST_RABBITMQ_EPMD_PORT      private epmd port (default: first free from 25872)
#   AGGREGATOR_TEST_RABBITMQ_NODE           node name (default aggtest<AMQP port>@localhost)
#   AGGREGATOR_TEST_RABBITMQ_START_TIMEOUT  seconds to wait for await_startup (default 120)

RABBIT_DIR=${RABBIT_DIR:-}

rabbit_installed() { [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || command -v rabbitmq-server >/dev/null 2>&1; }

# rabbit_tool NAME : path of a RabbitMQ script; the Debian copies in /usr/lib/rabbitmq/bin skip the
# /usr/sbin wrapper, which would switch user and reset the environment that points at our node.
rabbit_tool() {
  if [ -x "/usr/lib/rabbitmq/bin/$1" ]; then echo "/usr/lib/rabbitmq/bin/$1"; else command -v "$1"; fi
}

# rabbit_env : sets RABBIT_ENV, the environment that points RabbitMQ's tools at the private node.
rabbit_env() {
  RABBIT_ENV=(
    HOME="$RABBIT_DIR"                       # Erlang cookie lives here: private to this node and its CLI calls
    LC_ALL=C.UTF-8
    RABBITMQ_NODENAME="$RABBIT_NODE"
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
    RABBITMQ_NODE_PORT="$RABBIT_PORT"
    RABBITMQ_DIST_PORT="$RABBIT_DIST_PORT"
    RABBITMQ_CTL_DIST_PORT_MIN=$((RABBIT_DIST_PORT + 1))
    RABBITMQ_CTL_DIST_PORT_MAX=$((RABBIT_DIST_PORT + 10))
    ERL_EPMD_ADDRESS=127.0.0.1
    ERL_EPMD_PORT="$RABBIT_EPMD_PORT"
    RABBITMQ_MNESIA_BASE="$RABBIT_DIR/mnesia"
    RABBITMQ_LOG_BASE="$RABBIT_DIR/log"
    RABBITMQ_PID_FILE="$RABBIT_DIR/rabbit.pid"
    RABBITMQ_ENABLED_PLUGINS_FILE="$RABBIT_DIR/enabled_plugins"
    RABBITMQ_CONFIG_FILE="$RABBIT_DIR/rabbitmq.conf"
    RABBITMQ_ADVANCED_CONFIG_FILE="$RABBIT_DIR/advanced.config"
    RABBITMQ_CONF_ENV_FILE="$RABBIT_DIR/rabbitmq-env.conf"
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  )
}

# rabbit_run COMMAND ARGS... : run a RabbitMQ (or Erlang) command with the private node's environment,
# as the rabbitmq user when we are root (never run a broker as root).
rabbit_run() {
  local tool=$1; shift
  local path
  path=$(rabbit_tool "$tool") || die "RabbitMQ tool $tool not found"
  rabbit_env
  run_as rabbitmq env "${RABBIT_ENV[@]}" "$path" "$@"
}

rabbit_start() {
  local start timeout=${AGGREGATOR_TEST_RABBITMQ_START_TIMEOUT:-120}
  start=$(now_ms)
  rabbit_installed || die "RabbitMQ is not installed (no rabbitmq-server)"
  RABBIT_PORT=$(choose_port "${AGGREGATOR_TEST_RABBITMQ_PORT:-}" 25672) || die "no AMQP port for RabbitMQ"
  RABBIT_DIST_PORT=$(choose_port "${AGGREGATOR_TEST_RABBITMQ_DIST_PORT:-}" 25772) || die "no distribution port for RabbitMQ"
  RABBIT_EPMD_PORT=$(choose_port "${AGGREGATOR_TEST_RABBITMQ_EPMD_PORT:-}" 25872) || die "no epmd port for RabbitMQ"
  # Named after its free port, so two runs on one machine (a test run beside a benchmark) never share a node name.
  RABBIT_NODE=${AGGREGATOR_TEST_RABBITMQ_NODE:-aggtest$RABBIT_PORT@localhost}
  RABBIT_DIR=$(mktemp -d "${TMPDIR:-/tmp}/aggregator-rabbit.XXXXXX")
  mkdir -p "$RABBIT_DIR/mnesia" "$RABBIT_DIR/log"
  echo '[].' >"$RABBIT_DIR/enabled_plugins"          # no plugins: no management UI, no extra listeners
  : >"$RABBIT_DIR/rabbitmq-env.conf"                  # ignore /etc/rabbitmq/rabbitmq-env.conf
  cat >"$RABBIT_DIR/rabbitmq.conf" <<CONF
# scripts/lib/rabbitmq.sh (test instance): AMQP on loopback only; guest/guest works on loopback.
listeners.tcp.1 = 127.0.0.1:$RABBIT_PORT
log.console = false
log.file.level = info
CONF
  if is_root; then chown -R rabbitmq:rabbitmq "$RABBIT_DIR"; fi
  log "RabbitMQ: node $RABBIT_NODE in $RABBIT_DIR (AMQP $RABBIT_PORT, dist $RABBIT_DIST_PORT, epmd $RABBIT_EPMD_PORT)"

  # Our own epmd on a private port, loopback only, so stopping it later cannot hurt anyone else's nodes.
  rabbit_run epmd -port "$RABBIT_EPMD_PORT" -address 127.0.0.1 -daemon </dev/null >/dev/null 2>&1
  if ! rabbit_run rabbitmq-server -detached </dev/null >"$RABBIT_DIR/start.log" 2>&1; then
    show_log_tail "$RABBIT_DIR/start.log"
    die "rabbitmq-server -detached failed"
  fi
  local deadline=$((SECONDS + timeout))
  until rabbit_run rabbitmqctl -q -n "$RABBIT_NODE" await_startup --timeout 10 >>"$RABBIT_DIR/await.log" 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      show_log_tail "$RABBIT_DIR/start.log" 20
      show_log_tail "$RABBIT_DIR/log/$RABBIT_NODE.log"
      show_log_tail "$RABBIT_DIR/await.log" 10
      die "RabbitMQ node $RABBIT_NODE did not start within ${timeout} s"
    fi
    sleep 1
  done
  if ! port_in_use "$RABBIT_PORT"; then
    show_log_tail "$RABBIT_DIR/log/$RABBIT_NODE.log"
    die "RabbitMQ started but nothing listens on 127.0.0.1:$RABBIT_PORT"
  fi
  RABBIT_URL="amqp://guest:guest@127.0.0.1:$RABBIT_PORT/"
  # A rabbitmqctl bound to this node, for tests that restart the broker (stop_app / start_app keeps its durable queues).
  RABBIT_CTL="$RABBIT_DIR/rabbitmqctl"
  local user_prefix=""
  if is_root; then user_prefix="runuser -u rabbitmq --"; fi
  rabbit_env
  {
    echo '#!/usr/bin/env bash'
    printf 'exec %s env' "$user_prefix"
    printf ' %q' "${RABBIT_ENV[@]}" "$(rabbit_tool rabbitmqctl)" -q -n "$RABBIT_NODE"
    echo ' "$@"'
  } >"$RABBIT_CTL"
  chmod 755 "$RABBIT_CTL"
  log "RabbitMQ $(rabbit_version) ready on 127.0.0.1:$RABBIT_PORT (started in $(since "$start"))"
}

rabbit_version() { rabbit_run rabbitmq-diagnostics -q -n "$RABBIT_NODE" server_version 2>/dev/null | tail -n 1 || true; }

rabbit_stop() {
  if [ -z "${RABBIT_DIR:-}" ] || [ ! -d "$RABBIT_DIR" ]; then return 0; fi
  local pidfile="$RABBIT_DIR/rabbit.pid" pid="" stopped=0
  if [ -f "$pidfile" ]; then pid=$(head -n 1 "$pidfile" 2>/dev/null || true); fi
  if [ -n "$pid" ] && alive "$pid"; then
    rabbit_run rabbitmqctl -q -n "$RABBIT_NODE" stop >/dev/null 2>&1 &
    local stopper=$! deadline=$((SECONDS + 60))
    while alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.5; done
    if alive "$pid"; then
      log "RabbitMQ did not stop in 60 s; killing $pid"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$stopper" 2>/dev/null || true
    stopped=1
  fi
  # Everything else we started runs with our temp dir in its environment: our epmd (it outlives the
  # node), a node interrupted before it wrote its pid file, a CLI call. Nothing else on the machine has it.
  local leftovers
  leftovers=$(pids_matching "RABBITMQ_MNESIA_BASE=$RABBIT_DIR/mnesia")
  if [ -n "$leftovers" ]; then
    # shellcheck disable=SC2086
    stop_pids 10 $leftovers
    stopped=1
  fi
  if [ "$stopped" -eq 1 ]; then log "RabbitMQ node $RABBIT_NODE stopped"; fi
  rm -rf "$RABBIT_DIR"
  RABBIT_DIR=""
}
