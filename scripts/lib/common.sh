# shellcheck shell=bash
# Shared helpers of the native runner (scripts/dev): paths, messages, HTTP probes and background processes
# that the runner owns (pid files under var/run/, logs under var/log/).

ESHOP_ROOT="${ESHOP_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
VAR_DIR="$ESHOP_ROOT/var"
LOG_DIR="$VAR_DIR/log"
RUN_DIR="$VAR_DIR/run"

# shellcheck disable=SC2034 # used by the other parts of the runner
# The seven services in start order; ports and wiring live in env.sh.
SERVICES=(product cart auth order warehouse payment sales-report)
# The two apps (directories at the repository root).
# shellcheck disable=SC2034
FRONTENDS=(frontend-customer frontend-admin)

if [[ -t 1 && -z "${NO_COLOR:-}" ]]; then
  C_BOLD=$'\e[1m' C_RED=$'\e[31m' C_GREEN=$'\e[32m' C_YELLOW=$'\e[33m' C_BLUE=$'\e[34m' C_OFF=$'\e[0m'
else
  C_BOLD='' C_RED='' C_GREEN='' C_YELLOW='' C_BLUE='' C_OFF=''
fi

say() { printf '%s==>%s %s\n' "$C_BLUE$C_BOLD" "$C_OFF" "$*"; }
ok() { printf '%s ok%s %s\n' "$C_GREEN" "$C_OFF" "$*"; }
warn() { printf '%swarning:%s %s\n' "$C_YELLOW$C_BOLD" "$C_OFF" "$*" >&2; }
err() { printf '%serror:%s %s\n' "$C_RED$C_BOLD" "$C_OFF" "$*" >&2; }
die() {
  err "$*"
  exit 1
}

ensure_dirs() { mkdir -p "$LOG_DIR" "$RUN_DIR"; }

# Absolute cargo target directory (CARGO_TARGET_DIR may be relative to the repository root).
target_dir() {
  local dir="${CARGO_TARGET_DIR:-target}"
  [[ "$dir" == /* ]] || dir="$ESHOP_ROOT/$dir"
  printf '%s\n' "$dir"
}

bin_path() { printf '%s/debug/%s\n' "$(target_dir)" "$1"; }

# HTTP status of a GET (000 when nothing answers).
http_status() {
  local url="$1" timeout="${2:-3}"
  curl -s -o /dev/null -w '%{http_code}' --max-time "$timeout" "$url" 2>/dev/null || true
}

http_ok() { [[ "$(http_status "$@")" == 200 ]]; }

# Waits until GET url answers 200; gives up after `seconds`, or at once when pid_file's process died.
wait_http_ok() {
  local url="$1" pid_file="${3:-}" deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    http_ok "$url" 2 && return 0
    if [[ -n "$pid_file" ]] && ! pid_alive "$pid_file"; then
      return 1
    fi
    sleep 1
  done
  http_ok "$url" 2
}

tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# --- processes owned by the runner ----------------------------------------------------------------------

# pid from a pid file, if the file exists and holds a number.
pid_of() {
  local pid
  [[ -f "$1" ]] || return 1
  pid="$(<"$1")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  printf '%s\n' "$pid"
}

# True when the pid file's process is alive and still the program it was started as (pids get reused).
pid_alive() {
  local pid_file="$1" pid expected
  pid="$(pid_of "$pid_file")" || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  expected="$(cat "$pid_file.cmd" 2>/dev/null || true)"
  [[ -z "$expected" ]] && return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$expected"
}

# start_background NAME LOG PID_FILE MATCH CMD...
# Starts CMD detached in its own session (so a Ctrl-C of the runner does not reach it), stdout and stderr
# to LOG (the previous log is kept as LOG.1). The pid file gets the pid of CMD itself; MATCH (a piece of
# its command line) is kept next to it so that `down` never signals a recycled pid.
start_background() {
  local name="$1" log="$2" pid_file="$3" match="$4"
  shift 4
  ensure_dirs
  [[ -f "$log" ]] && mv -f "$log" "$log.1"
  rm -f "$pid_file"
  printf '%s\n' "$match" >"$pid_file.cmd"
  # shellcheck disable=SC2016 # $$ and $@ belong to the inner shell
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pid_file" "$@" >"$log" 2>&1 </dev/null &
  for _ in $(seq 1 50); do
    [[ -s "$pid_file" ]] && return 0
    sleep 0.1
  done
  err "$name: no pid file after 5 s (see $log)"
  return 1
}

# stop_background NAME PID_FILE [NAME PID_FILE ...]: TERM to each process group, KILL what is left after
# 10 s. All are signalled first and then awaited together. Only pids the runner recorded are touched.
stop_background() {
  local names=() pids=() targets=() name pid_file pid target i
  while (($# >= 2)); do
    name="$1" pid_file="$2"
    shift 2
    if pid="$(pid_of "$pid_file")" && pid_alive "$pid_file"; then
      # The runner makes each process a session (and group) leader; signal the group so that children
      # (Next.js workers) stop too, but only when the group really is the one we created.
      target="$pid"
      if [[ "$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')" == "$pid" ]]; then
        target="-$pid"
      fi
      kill -TERM -- "$target" 2>/dev/null || true
      names+=("$name") pids+=("$pid") targets+=("$target")
    fi
    rm -f "$pid_file" "$pid_file.cmd"
  done
  for _ in $(seq 1 100); do
    local alive=0
    for pid in "${pids[@]}"; do
      kill -0 "$pid" 2>/dev/null && alive=1
    done
    ((alive)) || break
    sleep 0.1
  done
  for i in "${!pids[@]}"; do
    if kill -0 "${pids[$i]}" 2>/dev/null; then
      warn "${names[$i]} (pid ${pids[$i]}) still running after 10 s: KILL"
      kill -KILL -- "${targets[$i]}" 2>/dev/null || true
    fi
    ok "stopped ${names[$i]} (pid ${pids[$i]})"
  done
}

tail_log() {
  local log="$1" lines="${2:-40}"
  if [[ -s "$log" ]]; then
    printf -- '----- last %s lines of %s -----\n' "$lines" "$log" >&2
    tail -n "$lines" "$log" >&2
    printf -- '-----\n' >&2
  else
    printf '(no output in %s)\n' "$log" >&2
  fi
}
