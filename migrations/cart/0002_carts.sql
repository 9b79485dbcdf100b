-- contract: api/cart.md §6.1. One row per live cart line (compat table and column names; hard deletes).
CREATE TABLE carts (
    id                CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    user_id           CHAR(36) CHARACTER SET ascii NOT NULL,
    product_id        CHAR(36) CHARACTER SET ascii NOT NULL,
    product_name      VARCHAR(1024) NOT NULL,
    product_image_url VARCHAR(2048) NOT NULL DEFAULT '',
    product_price     DECIMAL(12,2) NOT NULL,
    product_quantity  INT NOT NULL,
    note              VARCHAR(255) NOT NULL DEFAULT '',
    product_version   BIGINT UNSIGNED NOT NULL,
    created_at        DATETIME(6) NOT NULL,
    updated_at        DATETIME(6) NOT NULL,
    CONSTRAINT carts_price_check CHECK (product_price >= 0),
    CONSTRAINT carts_quantity_check CHECK (product_quantity BETWEEN 1 AND 9999),
    UNIQUE KEY carts_user_product_key (user_id, product_id),
    KEY carts_product_idx (product_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- §6.1/§6.2: bumped by every transaction that changes a user's lines; orders cache writes and serialises
-- one user's writers.
CREATE TABLE cart_versions (
    user_id CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    version BIGINT UNSIGNED NOT NULL DEFAULT 0
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- §6.1, design §4.3: a deleted product; a late create or update of it changes nothing.
CREATE TABLE product_tombstones (
    product_id CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    version    BIGINT UNSIGNED NOT NULL,
    deleted_at DATETIME(6) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- §6.1: daily purge of processed events by age.
CREATE INDEX processed_events_processed_at_idx ON processed_events (processed_at);
