#!/bin/sh
# One-shot of docker-compose.yml: the SQL user and the five databases the runner creates
# (scripts/lib/stores.sh): PostgreSQL orders, warehouse, sales; MariaDB carts, payments. Idempotent.
set -eu
user="${ESHOP_SQL_USER:-admin}"
password="${ESHOP_SQL_PASSWORD:-password}"

psql -v ON_ERROR_STOP=1 -h postgres -U postgres -d postgres -v user="$user" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'user', :'password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', d, :'user') FROM unnest(ARRAY['orders', 'warehouse', 'sales']) AS d
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = d) \gexec
SQL

mariadb -h mysql -u root <<SQL
CREATE USER IF NOT EXISTS '$user'@'%' IDENTIFIED BY '$password';
CREATE DATABASE IF NOT EXISTS carts CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS payments CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
GRANT ALL PRIVILEGES ON carts.* TO '$user'@'%';
GRANT ALL PRIVILEGES ON payments.* TO '$user'@'%';
SQL
echo "db-init: user $user, databases orders warehouse sales carts payments"
