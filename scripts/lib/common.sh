# shellcheck shell=bash
# Shared by the scripts under scripts/: logging, timing, loopback ports, running as a service user,
# installing Debian packages. Source it (after `set -euo pipefail`); it defines functions only.

# log MESSAGE... : one line on stderr, prefixed with the calling script's name, e.g. "[test.sh] ...".
log() { printf '[%s] %s\n' "${LOG_TAG:-$(basename "$0")}" "$*" >&2; }

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
    tail -n "$lines" "$file" >&2 || true
    log "---- end of $file ----"
  else
    log "(no log file at $file)"
  fi
}

# port_in_use PORT : true if something accepts TCP connections on 127.0.0.1:PORT.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# choose_port EXPLICIT DEFAULT : EXPLICIT if set (it must be free), else the first free port from DEFAULT upwards.
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

# run_as USER COMMAND... : run COMMAND as USER when we are root, as ourselves otherwise.
run_as() {
  local user=$1; shift
  if is_root; then runuser -u "$user" -- "$@"; else "$@"; fi
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

# pids_matching TEXT : ids of processes whose command line contains TEXT (reads /proc; no procps needed).
# Use a TEXT unique to what we started (e.g. our temp dir), never a bare program name.
pids_matching() {
  local entry pid
  for entry in /proc/[0-9]*; do
    pid=${entry#/proc/}
    if [ "$pid" != "$$" ] && [ "$pid" != "${BASHPID:-$$}" ] \
      && tr '\0' ' ' <"$entry/cmdline" 2>/dev/null | grep -qF -- "$1"; then
      echo "$pid"
    fi
  done
}
