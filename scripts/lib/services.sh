# shellcheck shell=bash
# shellcheck disable=SC2030,SC2031 # SEED_* defaults live in subshells on purpose
# The seven Rust services: build, one-off tasks (auth bootstrap, migrations, seeds), start, readiness.

MIGRATED_SERVICES=(order warehouse sales-report cart payment)
TASK_TIMEOUT="${ESHOP_TASK_TIMEOUT:-300}"
READY_TIMEOUT="${ESHOP_READY_TIMEOUT:-120}"

svc_pid_file() { printf '%s/%s.pid\n' "$RUN_DIR" "$1"; }
svc_log() { printf '%s/%s.log\n' "$LOG_DIR" "$1"; }
svc_ready_url() { printf 'http://localhost:%s/ready\n' "$(svc_port "$1")"; }

# ESHOP_SKIP_BUILD=1 uses the binaries already under the target directory (e.g. built by an earlier CI step).
build_services() {
  if [[ "${ESHOP_SKIP_BUILD:-0}" == 1 ]]; then
    say "ESHOP_SKIP_BUILD=1: using the binaries in $(target_dir)/debug"
  else
    say "cargo build --workspace --bins (target: $(target_dir))"
    (cd "$ESHOP_ROOT" && cargo build --workspace --bins) || die "cargo build failed"
  fi
  local svc missing=()
  for svc in "${SERVICES[@]}"; do
    [[ -x "$(bin_path "$svc")" ]] || missing+=("$svc")
  done
  ((${#missing[@]} == 0)) || die "no binary for: ${missing[*]} under $(target_dir)/debug"
}

# run_task SERVICE ARGS...: the service's binary with its environment, from the repository root, with a
# time limit (a binary that ignores its arguments and starts serving must not hang the runner).
run_task() {
  local svc="$1"
  shift
  local bin
  bin="$(bin_path "$svc")"
  [[ -x "$bin" ]] || die "$svc: no binary at $bin"
  say "$svc $*"
  local rc=0
  (
    cd "$ESHOP_ROOT"
    eshop_service_env "$svc"
    exec timeout --kill-after=10 "$TASK_TIMEOUT" "$bin" "$@"
  ) || rc=$?
  case "$rc" in
    0) ;;
    124 | 137) die "\`$svc $*\` did not finish within ${TASK_TIMEOUT}s (does the binary know this subcommand?)" ;;
    2) die "\`$svc $*\` failed with exit status 2, a usage error: does $svc know this subcommand yet?" ;;
    *) die "\`$svc $*\` failed with exit status $rc (its output is above)" ;;
  esac
}

bootstrap_auth() {
  rm -f "$COGNITO_ENV_FILE"
  # Stale ids from an earlier emulator must not reach bootstrap, which finds or creates the pool by name.
  (
    unset COGNITO_USER_POOL_ID COGNITO_ISSUER COGNITO_JWKS_URL COGNITO_CLIENT_IDS COGNITO_APP_CLIENT_ID
    export COGNITO_POOL_NAME="${COGNITO_POOL_NAME:-eshop}"
    export SEED_ADMIN_USERNAME="${SEED_ADMIN_USERNAME:-admin}"
    export SEED_ADMIN_EMAIL="${SEED_ADMIN_EMAIL:-admin@eshop.local}"
    export SEED_ADMIN_PASSWORD="${SEED_ADMIN_PASSWORD:-Admin1234}"
    run_task auth bootstrap --env-file "$COGNITO_ENV_FILE"
  ) || exit 1
  [[ -s "$COGNITO_ENV_FILE" ]] || die "auth bootstrap exited 0 but wrote no $COGNITO_ENV_FILE"
  load_cognito_env || die "auth bootstrap wrote an incomplete $COGNITO_ENV_FILE"
  ok "Cognito pool $COGNITO_USER_POOL_ID; ids in $COGNITO_ENV_FILE"
}

migrate_all() {
  local svc
  for svc in "${MIGRATED_SERVICES[@]}"; do
    run_task "$svc" migrate
  done
}

seed_demo() {
  run_task product seed
  run_task warehouse seed
  (
    export SEED_CUSTOMER_USERNAME="${SEED_CUSTOMER_USERNAME:-customer}"
    export SEED_CUSTOMER_EMAIL="${SEED_CUSTOMER_EMAIL:-customer@eshop.local}"
    export SEED_CUSTOMER_PASSWORD="${SEED_CUSTOMER_PASSWORD:-Password1}"
    run_task auth seed-customer
  ) || exit 1
}

# Starts a service unless it already runs and is ready. A runner-started process whose binary was rebuilt
# since it started is restarted, so `up` after a change serves the new code.
start_service() {
  local svc="$1" pid_file log bin
  pid_file="$(svc_pid_file "$svc")"
  log="$(svc_log "$svc")"
  bin="$(bin_path "$svc")"
  if pid_alive "$pid_file"; then
    if [[ "$bin" -nt "$pid_file" ]]; then
      say "$svc: binary rebuilt, restarting"
      stop_background "$svc" "$pid_file"
    else
      ok "$svc already running (pid $(pid_of "$pid_file"))"
      return 0
    fi
  elif http_ok "$(svc_ready_url "$svc")" 2; then
    warn "$svc: something not started by the runner is ready on :$(svc_port "$svc"); leaving it"
    return 0
  fi
  (
    cd "$ESHOP_ROOT"
    eshop_service_env "$svc"
    start_background "$svc" "$log" "$pid_file" "$bin" "$bin"
  ) || die "could not start $svc"
  ok "started $svc on :$(svc_port "$svc") (pid $(pid_of "$pid_file"), log $log)"
}

start_services() {
  local svc
  for svc in "${SERVICES[@]}"; do
    start_service "$svc"
  done
}

stop_services() {
  local svc args=()
  for svc in "${SERVICES[@]}"; do
    args+=("$svc" "$(svc_pid_file "$svc")")
  done
  stop_background "${args[@]}"
}

# --- frontends (skipped until the app directories exist) --------------------------------------------------

frontend_dir() { printf '%s/%s\n' "$ESHOP_ROOT" "$1"; }
frontend_present() { [[ -f "$(frontend_dir "$1")/package.json" ]]; }
frontend_pid_file() { printf '%s/%s.pid\n' "$RUN_DIR" "$1"; }
frontend_log() { printf '%s/%s.log\n' "$LOG_DIR" "$1"; }
frontend_health_url() { printf 'http://localhost:%s/api/health\n' "$(frontend_port "$1")"; }

present_frontends() {
  local app
  for app in "${FRONTENDS[@]}"; do
    frontend_present "$app" && printf '%s\n' "$app"
  done
  return 0
}

# npm ci when node_modules is missing or older than the lock file; next build when any source is newer
# than the last build. Prints "rebuilt" when it built.
prepare_frontend() {
  local app="$1" dir
  dir="$(frontend_dir "$app")"
  command -v npm >/dev/null || die "$app needs npm (node 20)"
  if [[ ! -d "$dir/node_modules" || "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
    say "$app: npm ci" >&2
    (cd "$dir" && npm ci --no-audit --no-fund >&2) || die "$app: npm ci failed"
  fi
  local stamp="$dir/.next/BUILD_ID"
  if [[ ! -f "$stamp" ]] || [[ -n "$(cd "$dir" && find . \( -path ./node_modules -o -path ./.next \) -prune -o \
    -type f -newer "$stamp" -print -quit)" ]]; then
    say "$app: npm run build" >&2
    (cd "$dir" && npm run build >&2) || die "$app: next build failed"
    echo rebuilt
  fi
}

start_frontend() {
  local app="$1" pid_file log dir port built
  pid_file="$(frontend_pid_file "$app")"
  log="$(frontend_log "$app")"
  dir="$(frontend_dir "$app")"
  port="$(frontend_port "$app")"
  built="$(prepare_frontend "$app")" || exit 1
  if pid_alive "$pid_file"; then
    if [[ "$built" == rebuilt ]]; then
      stop_background "$app" "$pid_file"
    else
      ok "$app already running (pid $(pid_of "$pid_file"))"
      return 0
    fi
  elif http_ok "$(frontend_health_url "$app")" 2; then
    warn "$app: something not started by the runner answers on :$port; leaving it"
    return 0
  fi
  [[ -x "$dir/node_modules/.bin/next" ]] || die "$app: node_modules/.bin/next missing after npm ci"
  (
    cd "$dir"
    eshop_frontend_env "$app"
    # Same as `npx next start -p PORT`, without npx's extra parent process, so the pid file is the server's.
    start_background "$app" "$log" "$pid_file" "next" "$dir/node_modules/.bin/next" start -p "$port"
  ) || die "could not start $app"
  ok "started $app on :$port (pid $(pid_of "$pid_file"), log $log)"
}

start_frontends() {
  local app
  for app in $(present_frontends); do
    start_frontend "$app"
  done
}

stop_frontends() {
  local app args=()
  for app in "${FRONTENDS[@]}"; do
    args+=("$app" "$(frontend_pid_file "$app")")
  done
  stop_background "${args[@]}"
}

# --- readiness ---------------------------------------------------------------------------------------------

# Waits for every service's /ready and every present app's /api/health (each within READY_TIMEOUT s of
# this call); names and tails the log of each one that did not make it.
wait_ready() {
  local deadline=$((SECONDS + READY_TIMEOUT)) pending=() failed=() name url pid_file
  for name in "${SERVICES[@]}" $(present_frontends); do
    pending+=("$name")
  done
  say "waiting up to ${READY_TIMEOUT}s for ${#pending[@]} processes to be ready"
  while ((${#pending[@]})); do
    local still=()
    for name in "${pending[@]}"; do
      if [[ "$name" == frontend-* ]]; then
        url="$(frontend_health_url "$name")"
        pid_file="$(frontend_pid_file "$name")"
      else
        url="$(svc_ready_url "$name")"
        pid_file="$(svc_pid_file "$name")"
      fi
      if http_ok "$url" 2; then
        ok "$name ready"
      elif [[ -f "$pid_file" ]] && ! pid_alive "$pid_file"; then
        err "$name exited (log: $LOG_DIR/$name.log)"
        failed+=("$name")
      elif ((SECONDS >= deadline)); then
        err "$name not ready after ${READY_TIMEOUT}s ($url)"
        failed+=("$name")
      else
        still+=("$name")
      fi
    done
    pending=("${still[@]}")
    ((${#pending[@]})) && sleep 1
  done
  if ((${#failed[@]})); then
    for name in "${failed[@]}"; do
      tail_log "$LOG_DIR/$name.log" 30
    done
    err "not ready: ${failed[*]}"
    return 1
  fi
}

print_summary() {
  local svc app
  printf '\n%sEshop is up%s\n\n' "$C_BOLD" "$C_OFF"
  printf '  %-20s %-32s %s\n' "what" "URL" "log"
  for app in $(present_frontends); do
    printf '  %-20s %-32s %s\n' "$app" "http://localhost:$(frontend_port "$app")" "$(frontend_log "$app")"
  done
  for svc in "${SERVICES[@]}"; do
    printf '  %-20s %-32s %s\n' "$svc" "$(svc_url "$svc")" "$(svc_log "$svc")"
  done
  printf '  %-20s %-32s %s\n' "AWS emulator (moto)" "http://localhost:$(moto_port)" "$MOTO_LOG"
  printf '  %-20s %-32s\n' "PostgreSQL" "localhost:$PG_PORT (orders, warehouse, sales)"
  printf '  %-20s %-32s\n' "MariaDB" "localhost:$MYSQL_PORT (carts, payments)"
  printf '  %-20s %-32s\n' "Redis" "localhost:$REDIS_PORT db 0"
  printf '\n  demo accounts: admin / %s (admin)   %s / %s (customer)\n' \
    "$([[ -z "${SEED_ADMIN_PASSWORD:-}" ]] && echo Admin1234 || echo '<SEED_ADMIN_PASSWORD>')" \
    "${SEED_CUSTOMER_USERNAME:-customer}" \
    "$([[ -z "${SEED_CUSTOMER_PASSWORD:-}" ]] && echo Password1 || echo '<SEED_CUSTOMER_PASSWORD>')"
  printf '  Cognito ids: %s   logs: %s   stop: scripts/dev down\n\n' "$COGNITO_ENV_FILE" "$LOG_DIR"
}
