# shellcheck shell=bash
# The API fuzzer (issue 15 item 1): schemathesis from PyPI in a project-local virtual environment of its own
# (var/fuzz-venv), apart from the emulator's var/venv so that neither pins the other's dependencies.
# crates/journey/tests/fuzz.rs runs var/fuzz-venv/bin/schemathesis against every service of a private fleet.
# Needs common.sh (sourced by env.sh) for the paths and messages.

FUZZ_VENV_DIR="$VAR_DIR/fuzz-venv"
SCHEMATHESIS_VERSION=4.32.5

# True when the fuzz venv's python imports schemathesis at exactly the pinned version.
fuzz_venv_has_schemathesis() {
  [[ -x "$FUZZ_VENV_DIR/bin/python" && -x "$FUZZ_VENV_DIR/bin/schemathesis" ]] || return 1
  "$FUZZ_VENV_DIR/bin/python" - "$SCHEMATHESIS_VERSION" <<'PY' 2>/dev/null
import sys
from importlib import metadata
try:
    sys.exit(0 if metadata.version("schemathesis") == sys.argv[1] else 1)
except metadata.PackageNotFoundError:
    sys.exit(1)
PY
}

# Idempotent: creates var/fuzz-venv when missing and installs schemathesis==$SCHEMATHESIS_VERSION unless that
# exact version is already there.
ensure_fuzz_venv() {
  ensure_dirs
  if fuzz_venv_has_schemathesis; then
    ok "schemathesis $SCHEMATHESIS_VERSION present in $FUZZ_VENV_DIR"
    return 0
  fi
  if [[ ! -x "$FUZZ_VENV_DIR/bin/python" ]]; then
    say "creating the virtual environment $FUZZ_VENV_DIR"
    python3 -m venv "$FUZZ_VENV_DIR" || die "python3 -m venv failed (is python3-venv installed?)"
  fi
  say "installing schemathesis==$SCHEMATHESIS_VERSION into $FUZZ_VENV_DIR (log: $LOG_DIR/pip-fuzz.log)"
  if ! "$FUZZ_VENV_DIR/bin/python" -m pip install --quiet "schemathesis==$SCHEMATHESIS_VERSION" \
    >"$LOG_DIR/pip-fuzz.log" 2>&1; then
    tail_log "$LOG_DIR/pip-fuzz.log" 30
    die "could not install schemathesis==$SCHEMATHESIS_VERSION"
  fi
  fuzz_venv_has_schemathesis ||
    die "schemathesis $SCHEMATHESIS_VERSION is not usable from $FUZZ_VENV_DIR after install"
  ok "schemathesis $SCHEMATHESIS_VERSION installed in $FUZZ_VENV_DIR"
}
