# shellcheck shell=bash
# The machine's stores (PostgreSQL 15, MariaDB, Redis): started only if they do not answer, never stopped
# by the runner. Creates the shop's SQL user and databases (README "Run it").

PG_HOST=127.0.0.1
PG_PORT="${ESHOP_PG_PORT:-5432}"
MYSQL_HOST=127.0.0.1
MYSQL_PORT="${ESHOP_MYSQL_PORT:-3306}"
REDIS_PORT="${ESHOP_REDIS_PORT:-6379}"
SQL_USER="${ESHOP_SQL_USER:-admin}"
SQL_PASSWORD="${ESHOP_SQL_PASSWORD:-password}"
PG_DATABASES=(orders warehouse sales)
MYSQL_DATABASES=(carts payments)

pg_admin() { psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
mysql_admin() { mariadb -h "$MYSQL_HOST" -P "$MYSQL_PORT" -u root --protocol=TCP "$@"; }

pg_answers() { pg_isready -h "$PG_HOST" -p "$PG_PORT" -q 2>/dev/null; }
mysql_answers() { mysql_admin -N -e 'SELECT 1' >/dev/null 2>&1; }
redis_answers() { [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }

wait_for() {
  local what="$1" check="$2"
  for _ in $(seq 1 60); do
    "$check" && return 0
    sleep 0.5
  done
  die "$what does not answer after 30 s"
}

ensure_postgres() {
  pg_answers && return 0
  say "PostgreSQL does not answer: starting the machine's cluster"
  local version="" dir
  for dir in /etc/postgresql/*/; do
    [[ -d "$dir" ]] && version="$(basename "$dir")"
  done
  [[ -n "$version" ]] || die "no PostgreSQL cluster under /etc/postgresql"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  wait_for PostgreSQL pg_answers
}

ensure_mariadb() {
  mysql_answers && return 0
  say "MariaDB does not answer: starting it"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
  wait_for MariaDB mysql_answers
}

ensure_redis() {
  redis_answers && return 0
  say "Redis does not answer: starting it (no persistence)"
  local extra=()
  # The machine's own start command also keeps its log and working directory there.
  [[ -d /var/lib/redis ]] && extra+=(--dir /var/lib/redis)
  [[ -d /var/log/redis ]] && extra+=(--logfile /var/log/redis/ci.log)
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no "${extra[@]}" \
    >/dev/null
  wait_for Redis redis_answers
}

ensure_stores() {
  ensure_postgres
  ensure_mariadb
  ensure_redis
  ok "PostgreSQL :$PG_PORT, MariaDB :$MYSQL_PORT, Redis :$REDIS_PORT answer"
}

sql_literal() { printf "'%s'" "${1//\'/\'\'}"; }

# Idempotent: user admin/password owning orders, warehouse, sales (PostgreSQL) and holding all rights on
# carts, payments (MariaDB, as 'admin'@'%' and 'admin'@'localhost').
ensure_databases() {
  local dbs
  dbs="$(IFS=,; echo "${PG_DATABASES[*]}")"
  pg_admin -v user="$SQL_USER" -v pass="$SQL_PASSWORD" -v dbs="$dbs" >/dev/null <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'user')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'user', :'pass') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', d, :'user')
  FROM unnest(string_to_array(:'dbs', ',')) AS d
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = d) \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', d, :'user')
  FROM unnest(string_to_array(:'dbs', ',')) AS d \gexec
SELECT format('GRANT ALL PRIVILEGES ON DATABASE %I TO %I', d, :'user')
  FROM unnest(string_to_array(:'dbs', ',')) AS d \gexec
SQL

  local user pass db sql=""
  user="$(sql_literal "$SQL_USER")"
  pass="$(sql_literal "$SQL_PASSWORD")"
  for host in "'%'" "'localhost'"; do
    sql+="CREATE USER IF NOT EXISTS $user@$host IDENTIFIED BY $pass;"
    sql+="ALTER USER $user@$host IDENTIFIED BY $pass;"
  done
  for db in "${MYSQL_DATABASES[@]}"; do
    sql+="CREATE DATABASE IF NOT EXISTS \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
    for host in "'%'" "'localhost'"; do
      sql+="GRANT ALL PRIVILEGES ON \`$db\`.* TO $user@$host;"
    done
  done
  sql+="FLUSH PRIVILEGES;"
  mysql_admin -e "$sql"

  # Prove the user can reach each database the way the services will.
  for db in "${PG_DATABASES[@]}"; do
    PGPASSWORD="$SQL_PASSWORD" psql -h "$PG_HOST" -p "$PG_PORT" -U "$SQL_USER" -d "$db" -X -q -tAc \
      'CREATE TABLE IF NOT EXISTS _runner_probe (x int); DROP TABLE _runner_probe' >/dev/null ||
      die "user $SQL_USER cannot create tables in PostgreSQL database $db"
  done
  for db in "${MYSQL_DATABASES[@]}"; do
    MYSQL_PWD="$SQL_PASSWORD" mariadb -h "$MYSQL_HOST" -P "$MYSQL_PORT" --protocol=TCP -u "$SQL_USER" "$db" \
      -e 'CREATE TABLE IF NOT EXISTS _runner_probe (x int); DROP TABLE _runner_probe' ||
      die "user $SQL_USER cannot create tables in MariaDB database $db"
  done
  ok "SQL user $SQL_USER; PostgreSQL ${PG_DATABASES[*]}; MariaDB ${MYSQL_DATABASES[*]}"
}

drop_databases() {
  local db
  for db in "${PG_DATABASES[@]}"; do
    pg_admin -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null
  done
  for db in "${MYSQL_DATABASES[@]}"; do
    mysql_admin -e "DROP DATABASE IF EXISTS \`$db\`"
  done
  ok "dropped ${PG_DATABASES[*]} ${MYSQL_DATABASES[*]}"
}

flush_redis() {
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" -n 0 FLUSHDB >/dev/null
  ok "flushed Redis db 0"
}
