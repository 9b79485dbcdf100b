# shellcheck shell=bash
# The local stack's environment, in one place: the runner (scripts/dev up), its one-off tasks (bootstrap,
# migrate, seed) and the tests use it. Defaults follow README "Environment common to the services" and each
# api/<service>.md configuration table.
#
# Everything can be overridden from the calling environment:
#   - settings shared by the fleet by their own name (LOG_LEVEL, AWS_ENDPOINT_URL, PROOF_LINK_SECRET, ...);
#   - per-service settings, whose plain name differs per service, by <SERVICE>_<NAME>, with SERVICE in
#     PRODUCT CART AUTH ORDER WAREHOUSE PAYMENT SALES_REPORT and NAME in HTTP_PORT SERVICE_TOKEN
#     INTERNAL_TOKENS DATABASE_URL (e.g. ORDER_DATABASE_URL, CART_SERVICE_TOKEN, PRODUCT_HTTP_PORT);
#   - any other variable (ORDER_PAYMENT_TIMEOUT_SECONDS, LOGIN_IP_MAX_PER_MINUTE, ...) passes through
#     unchanged, since every process inherits the runner's environment.
# ESHOP_E2E=1 (or `scripts/dev up --e2e`) adds the e2e fleet's settings of frontends.md §5 as defaults.

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

COGNITO_ENV_FILE="$VAR_DIR/cognito.env"

# Upper-case prefix of a service's own overrides: sales-report -> SALES_REPORT.
svc_prefix() {
  local p="${1^^}"
  printf '%s\n' "${p//-/_}"
}

default_port() {
  case "$1" in
    product) echo 2001 ;; cart) echo 2002 ;; auth) echo 2003 ;; order) echo 2004 ;;
    warehouse) echo 2005 ;; payment) echo 2006 ;; sales-report) echo 2007 ;;
    frontend-customer) echo 3000 ;; frontend-admin) echo 3001 ;;
    *) return 1 ;;
  esac
}

# <SERVICE>_<NAME> if set, else the default given.
svc_setting() {
  local var
  var="$(svc_prefix "$1")_$2"
  printf '%s\n' "${!var:-$3}"
}

svc_port() { svc_setting "$1" HTTP_PORT "$(default_port "$1")"; }
svc_token() { svc_setting "$1" SERVICE_TOKEN "local-$1-token"; }
svc_url() { printf 'http://localhost:%s\n' "$(svc_port "$1")"; }

frontend_port() {
  case "$1" in
    frontend-customer) printf '%s\n' "${FRONTEND_CUSTOMER_PORT:-3000}" ;;
    frontend-admin) printf '%s\n' "${FRONTEND_ADMIN_PORT:-3001}" ;;
  esac
}

# The callers each receiver accepts on /internal/* (README "Internal HTTP calls"), as name:token pairs.
internal_callers() {
  case "$1" in
    product) echo "cart order warehouse" ;;
    warehouse) echo "order product" ;;
    order) echo "payment" ;;
    cart) echo "product" ;;
    sales-report) echo "order" ;;
  esac
}

default_internal_tokens() {
  local caller pairs=()
  for caller in $(internal_callers "$1"); do
    pairs+=("$caller:$(svc_token "$caller")")
  done
  local IFS=,
  printf '%s\n' "${pairs[*]}"
}

default_database_url() {
  local user="${ESHOP_SQL_USER:-admin}" password="${ESHOP_SQL_PASSWORD:-password}"
  case "$1" in
    order) echo "postgres://$user:$password@localhost:${ESHOP_PG_PORT:-5432}/orders" ;;
    warehouse) echo "postgres://$user:$password@localhost:${ESHOP_PG_PORT:-5432}/warehouse" ;;
    sales-report) echo "postgres://$user:$password@localhost:${ESHOP_PG_PORT:-5432}/sales" ;;
    cart) echo "mysql://$user:$password@localhost:${ESHOP_MYSQL_PORT:-3306}/carts" ;;
    payment) echo "mysql://$user:$password@localhost:${ESHOP_MYSQL_PORT:-3306}/payments" ;;
  esac
}

# Defaults of the e2e fleet (frontends.md §5); only when ESHOP_E2E=1, and still overridable.
eshop_e2e_env() {
  [[ "${ESHOP_E2E:-0}" == 1 ]] || return 0
  export ORDER_PAYMENT_TIMEOUT_SECONDS="${ORDER_PAYMENT_TIMEOUT_SECONDS:-120}"
  export ORDER_EXPIRY_GRACE_SECONDS="${ORDER_EXPIRY_GRACE_SECONDS:-5}"
  export LOGIN_IP_MAX_PER_MINUTE="${LOGIN_IP_MAX_PER_MINUTE:-1000}"
  export PUBLIC_IP_MAX_PER_MINUTE="${PUBLIC_IP_MAX_PER_MINUTE:-1000}"
}

# The AWS emulator and the SDK settings that point at it (product, payment, auth, and the tests).
eshop_aws_env() {
  export MOTO_PORT="${MOTO_PORT:-5000}"
  export AWS_REGION="${AWS_REGION:-us-east-1}"
  export AWS_ENDPOINT_URL="${AWS_ENDPOINT_URL:-http://localhost:$MOTO_PORT}"
  export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
  export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
  export AWS_S3_FORCE_PATH_STYLE="${AWS_S3_FORCE_PATH_STYLE:-true}"
  export AWS_BOOTSTRAP="${AWS_BOOTSTRAP:-true}"
}

# Settings every service (and both apps) share. Called once by the runner before anything starts.
eshop_common_env() {
  eshop_aws_env
  eshop_e2e_env
  export LOG_LEVEL="${LOG_LEVEL:-info}"
  export LOG_FORMAT="${LOG_FORMAT:-pretty}"
  export CORS_ALLOWED_ORIGINS="${CORS_ALLOWED_ORIGINS:-http://localhost:$(frontend_port frontend-customer),http://localhost:$(frontend_port frontend-admin)}"
  export PRODUCT_SERVICE="${PRODUCT_SERVICE:-$(svc_url product)}"
  export CART_SERVICE="${CART_SERVICE:-$(svc_url cart)}"
  export AUTH_SERVICE="${AUTH_SERVICE:-$(svc_url auth)}"
  export ORDER_SERVICE="${ORDER_SERVICE:-$(svc_url order)}"
  export WAREHOUSE_SERVICE="${WAREHOUSE_SERVICE:-$(svc_url warehouse)}"
  export PAYMENT_SERVICE="${PAYMENT_SERVICE:-$(svc_url payment)}"
  export SALES_REPORT_SERVICE="${SALES_REPORT_SERVICE:-$(svc_url sales-report)}"
  export PAYMENT_PUBLIC_URL="${PAYMENT_PUBLIC_URL:-$(svc_url payment)}"
  export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:${ESHOP_REDIS_PORT:-6379}/0}"
  export PROOF_LINK_SECRET="${PROOF_LINK_SECRET:-local-proof-link-secret}"
  # Where the demo seeds find the generated product pictures (scripts/demo/images/<slug>.png).
  export DEMO_IMAGES_DIR="${DEMO_IMAGES_DIR:-$ESHOP_ROOT/scripts/demo/images}"
}

# Loads COGNITO_USER_POOL_ID, COGNITO_ISSUER, COGNITO_JWKS_URL, COGNITO_CLIENT_IDS from the file that
# `auth bootstrap` writes (KEY=value lines, shell syntax). Fails naming what is missing.
load_cognito_env() {
  local missing=() name
  [[ -s "$COGNITO_ENV_FILE" ]] || {
    err "$COGNITO_ENV_FILE is missing or empty (written by \`auth bootstrap\`; run scripts/dev up)"
    return 1
  }
  set -a
  # shellcheck disable=SC1090 # written at run time by auth bootstrap
  source "$COGNITO_ENV_FILE"
  set +a
  for name in COGNITO_USER_POOL_ID COGNITO_ISSUER COGNITO_JWKS_URL COGNITO_CLIENT_IDS; do
    [[ -n "${!name:-}" ]] || missing+=("$name")
  done
  if ((${#missing[@]})); then
    err "$COGNITO_ENV_FILE lacks ${missing[*]}"
    return 1
  fi
}

# Exports one service's own settings on top of the common ones. Call it in a subshell: it changes the
# process-wide HTTP_PORT, DATABASE_URL, ... and removes what the service must not see.
eshop_service_env() {
  local svc="$1" tokens db
  export HTTP_PORT
  HTTP_PORT="$(svc_port "$svc")"
  export SERVICE_TOKEN
  SERVICE_TOKEN="$(svc_token "$svc")"

  tokens="$(default_internal_tokens "$svc")"
  if [[ -n "$tokens" ]]; then
    export INTERNAL_TOKENS
    INTERNAL_TOKENS="$(svc_setting "$svc" INTERNAL_TOKENS "$tokens")"
  else
    unset INTERNAL_TOKENS
  fi

  db="$(default_database_url "$svc")"
  if [[ -n "$db" ]]; then
    export DATABASE_URL
    DATABASE_URL="$(svc_setting "$svc" DATABASE_URL "$db")"
  else
    unset DATABASE_URL
  fi

  # Secrets and stores go only where the contract says they are read.
  case "$svc" in
    order | payment) ;;
    *) unset PROOF_LINK_SECRET ;;
  esac
  [[ "$svc" == cart ]] || unset REDIS_URL
}

# Environment of a Next.js app (frontends.md §4). Call in a subshell.
eshop_frontend_env() {
  local app="$1" port
  port="$(frontend_port "$app")"
  export PORT="$port"
  export HOSTNAME="${FRONTEND_HOSTNAME:-0.0.0.0}"
  export APP_ORIGIN="http://localhost:$port"
  export COOKIE_SECURE="${COOKIE_SECURE:-false}"
  # `next start` runs with NODE_ENV=production, where the apps refuse the documented local default:
  # use a random per-checkout secret kept in var/ (never printed).
  if [[ -z "${SESSION_SECRET:-}" ]]; then
    local file="$VAR_DIR/session-secret"
    if [[ ! -s "$file" ]]; then
      (umask 077 && head -c 48 /dev/urandom | base64 | tr -d '\n=' >"$file")
    fi
    export SESSION_SECRET
    SESSION_SECRET="$(<"$file")"
  fi
  unset DATABASE_URL REDIS_URL PROOF_LINK_SECRET INTERNAL_TOKENS SERVICE_TOKEN AWS_SECRET_ACCESS_KEY
}

# The environment the Rust tests run with: real stores and the emulator, no pool ids (tests make their own).
eshop_test_env() {
  eshop_aws_env
  export COGNITO_ENDPOINT="${COGNITO_ENDPOINT:-$AWS_ENDPOINT_URL}"
  export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:${ESHOP_PG_PORT:-5432}/postgres}"
  export TEST_MYSQL_URL="${TEST_MYSQL_URL:-mysql://root@127.0.0.1:${ESHOP_MYSQL_PORT:-3306}/mysql}"
  export TEST_REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:${ESHOP_REDIS_PORT:-6379}}"
}
