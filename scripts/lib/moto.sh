# shellcheck shell=bash
# The AWS emulator: moto 5.2.5 from a project-local virtual environment (var/venv), run behind the
# serialising launcher scripts/moto_server.py. Its state is memory only.

VENV_DIR="$VAR_DIR/venv"
MOTO_VERSION=5.2.5
MOTO_PID_FILE="$RUN_DIR/moto.pid"
MOTO_LOG="$LOG_DIR/moto.log"

moto_port() { printf '%s\n' "${MOTO_PORT:-5000}"; }
moto_url() { printf 'http://127.0.0.1:%s\n' "$(moto_port)"; }

moto_answers() { http_ok "$(moto_url)/moto-api/" 3; }
# The runner's launcher is alive and listens on the port asked for now (MOTO_PORT may differ per call).
moto_ours() {
  pid_alive "$MOTO_PID_FILE" &&
    tr '\0' ' ' <"/proc/$(pid_of "$MOTO_PID_FILE")/cmdline" 2>/dev/null | grep -qF -- "--port $(moto_port) "
}
# Our launcher answers this path itself; a plain moto_server does not.
moto_is_launcher() { http_ok "$(moto_url)/__launcher/health" 3; }

venv_has() {
  # venv_has DIST VERSION(optional)
  [[ -x "$VENV_DIR/bin/python" ]] || return 1
  "$VENV_DIR/bin/python" - "$@" <<'PY' 2>/dev/null
import sys
from importlib import metadata
name = sys.argv[1]
want = sys.argv[2] if len(sys.argv) > 2 else None
try:
    have = metadata.version(name)
except metadata.PackageNotFoundError:
    sys.exit(1)
sys.exit(0 if want is None or have == want else 1)
PY
}

ensure_venv() {
  ensure_dirs
  if [[ ! -x "$VENV_DIR/bin/python" ]]; then
    say "creating the virtual environment $VENV_DIR"
    python3 -m venv "$VENV_DIR" || die "python3 -m venv failed (is python3-venv installed?)"
  fi
}

# moto[server] 5.2.5 (its server extra brings flask, flask-cors; boto3 comes with moto).
ensure_moto_installed() {
  if venv_has moto "$MOTO_VERSION" && venv_has flask && venv_has flask-cors; then
    return 0
  fi
  ensure_venv
  say "installing moto[server]==$MOTO_VERSION into $VENV_DIR (log: $LOG_DIR/pip.log)"
  if ! "$VENV_DIR/bin/python" -m pip install --quiet "moto[server]==$MOTO_VERSION" >"$LOG_DIR/pip.log" 2>&1; then
    tail_log "$LOG_DIR/pip.log" 30
    die "could not install moto[server]==$MOTO_VERSION"
  fi
  venv_has moto "$MOTO_VERSION" || die "moto $MOTO_VERSION is not importable from $VENV_DIR after install"
}

ensure_moto() {
  if moto_answers; then
    # Tests sign tokens with the emulator's own key through this Python, whoever runs the emulator.
    ensure_moto_installed
    if moto_ours; then
      ok "moto answers on :$(moto_port) (runner's, pid $(pid_of "$MOTO_PID_FILE"))"
    elif moto_is_launcher; then
      ok "moto answers on :$(moto_port) (serialising launcher, not started by this runner)"
    else
      warn "an emulator not started by the runner answers on :$(moto_port) and is not the serialising launcher;" \
        "concurrent DynamoDB transactions may misbehave (stop it and run scripts/dev up to use scripts/moto_server.py)"
    fi
    return 0
  fi
  if tcp_open 127.0.0.1 "$(moto_port)"; then
    die "port $(moto_port) is taken by something that is not moto"
  fi
  if pid_alive "$MOTO_PID_FILE"; then
    say "the runner's moto listens on another port: stopping it first"
    stop_moto
  fi
  ensure_moto_installed
  say "starting moto on :$(moto_port) (log: $MOTO_LOG)"
  start_background moto "$MOTO_LOG" "$MOTO_PID_FILE" "moto_server.py" \
    "$VENV_DIR/bin/python" "$ESHOP_ROOT/scripts/moto_server.py" --host 127.0.0.1 --port "$(moto_port)" ||
    die "moto did not start"
  if ! wait_http_ok "$(moto_url)/moto-api/" 60 "$MOTO_PID_FILE"; then
    tail_log "$MOTO_LOG"
    die "moto did not answer on :$(moto_port) within 60 s"
  fi
  ok "moto answers on :$(moto_port) (pid $(pid_of "$MOTO_PID_FILE"))"
}

stop_moto() { stop_background moto "$MOTO_PID_FILE"; }
