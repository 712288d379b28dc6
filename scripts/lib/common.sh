# shellcheck shell=bash
# Shared by the scripts under scripts/: logging, timing, loopback ports, running as a service user,
# installing Debian packages. Source it (after `set -euo pipefail`); it defines functions only.

# LOG_FD: a copy of the script's stderr taken at source time. log() writes there, so messages from traps
# stay visible even when a signal arrives while a command's output is redirected to a service log.
if [ -z "${LOG_FD:-}" ]; then exec {LOG_FD}>&2; fi

# log MESSAGE... : one line on the script's stderr, prefixed with its name, e.g. "[test.sh] ...".
log() { printf '[%s] %s\n' "${LOG_TAG:-$(basename "$0")}" "$*" >&"$LOG_FD"; }

# die MESSAGE... : log and exit non-zero (EXIT traps still run).
die() { log "ERROR: $*"; exit 1; }

# now_ms : wall clock in milliseconds, for "took N ms" lines.
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# since START_MS : human-readable time elapsed since START_MS.
since() { local ms=$(( $(now_ms) - $1 )); printf '%d.%01d s' $((ms / 1000)) $(((ms % 1000) / 100)); }

# show_log_tail FILE [LINES] : print the end of a service log, framed, to help diagnose a failed start.
show_log_tail() {
  local file=$1 lines=${2:-40}
  if [ -f "$file" ]; then
    log "---- last $lines lines of $file ----"
    tail -n "$lines" "$file" >&"$LOG_FD" || true
    log "---- end of $file ----"
  else
    log "(no log file at $file)"
  fi
}

# port_in_use PORT : true if something accepts TCP connections on 127.0.0.1:PORT.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# choose_port EXPLICIT DEFAULT : EXPLICIT if set (it must be free), else the first free port from DEFAULT upwards.
# The defaults (25432, 25672, …) lie below Linux's ephemeral range (32768–60999) on purpose: while a test has
# RabbitMQ or PostgreSQL stopped, a client reconnecting to a port in that range can be given the very same port as
# its own local port and connect to itself (TCP simultaneous open), and the restarted server then fails with
# "address in use" (seen with 55672 when three cluster nodes reconnected during a RabbitMQ restart).
choose_port() {
  local explicit=$1 port=$2
  if [ -n "$explicit" ]; then
    if port_in_use "$explicit"; then log "ERROR: port $explicit was requested but is already in use"; return 1; fi
    echo "$explicit"
    return 0
  fi
  local last=$((port + 50))
  while port_in_use "$port"; do
    port=$((port + 1))
    if [ "$port" -gt "$last" ]; then log "ERROR: no free port in $2..$last"; return 1; fi
  done
  echo "$port"
}

# is_root : true when running as root (services are then run as their own OS users).
is_root() { [ "$(id -u)" -eq 0 ]; }

# run_as USER COMMAND... : run COMMAND as USER when we are root, as ourselves otherwise. LOG_FD is
# closed for it, so a daemon it starts never holds the script's stderr open.
run_as() {
  local user=$1; shift
  if is_root; then runuser -u "$user" -- "$@" {LOG_FD}>&-; else "$@" {LOG_FD}>&-; fi
}

# apt_install PACKAGE... : one `apt-get update`, then install the packages, without letting their
# maintainer scripts start system services (a temporary policy-rc.d refuses every start).
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "missing packages ($*) and no apt-get: install them by hand, or set AGGREGATOR_TEST_SKIP_SERVICES=1"
  local sudo=()
  if ! is_root; then
    command -v sudo >/dev/null 2>&1 || die "installing $* needs root (or sudo)"
    sudo=(sudo)
  fi
  local policy=/usr/sbin/policy-rc.d created=0 apt_log
  apt_log=$(mktemp "${TMPDIR:-/tmp}/aggregator-apt.XXXXXX.log")
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# temporary, from scripts/lib/common.sh: no service starts during package installs\nexit 101\n' \
      | "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod 755 "$policy"
    created=1
  fi
  local start rc=0
  start=$(now_ms)
  log "installing $* with apt-get (can take a few minutes; output in $apt_log)"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >"$apt_log" 2>&1 \
    && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >>"$apt_log" 2>&1 \
    || rc=$?
  if [ "$created" -eq 1 ]; then "${sudo[@]}" rm -f "$policy"; fi
  if [ "$rc" -ne 0 ]; then
    show_log_tail "$apt_log" 40
    die "apt-get failed (exit $rc) installing $*"
  fi
  log "installed $* in $(since "$start")"
  rm -f "$apt_log"
}

# pids_matching TEXT : ids of processes whose command line or environment contains TEXT (reads /proc,
# so no procps needed). Use a TEXT unique to what we started (our temp dir), never a bare program name.
pids_matching() {
  local entry pid text
  for entry in /proc/[0-9]*; do
    pid=${entry#/proc/}
    [ "$pid" != "$$" ] && [ "$pid" != "${BASHPID:-$$}" ] || continue
    text=$(tr '\0' ' ' 2>/dev/null <"$entry/cmdline"; tr '\0' ' ' 2>/dev/null <"$entry/environ") || true
    if [[ "$text" == *"$1"* ]]; then echo "$pid"; fi
  done
}

# alive PID : true while PID runs (an exited process waiting to be reaped, state Z, counts as gone).
alive() {
  local stat
  kill -0 "$1" 2>/dev/null || return 1
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != "Z" ]
}

# stop_pids SECONDS PID... : SIGTERM, wait up to SECONDS for them to exit, then SIGKILL what is left.
stop_pids() {
  local grace=$1 pid running deadline; shift
  [ "$#" -gt 0 ] || return 0
  kill -TERM "$@" 2>/dev/null || true
  deadline=$((SECONDS + grace))
  while :; do
    running=()
    for pid in "$@"; do if alive "$pid"; then running+=("$pid"); fi; done
    [ "${#running[@]}" -gt 0 ] || return 0
    [ "$SECONDS" -lt "$deadline" ] || break
    sleep 0.2
  done
  kill -KILL "${running[@]}" 2>/dev/null || true
}
