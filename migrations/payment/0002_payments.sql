-- api/payment.md §3: one row per uploaded proof. At most one active (PENDING or APPROVED) proof per order,
-- enforced by the unique generated column (MariaDB has no partial index). `order_id` is VARCHAR(36), not the
-- contract's CHAR(36): MariaDB refuses a CHAR column in a generated column's expression (its value would
-- depend on the PAD_CHAR_TO_FULL_LENGTH sql_mode); the stored values are the same 36-character UUIDs.
CREATE TABLE payments (
    id              CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    order_id        VARCHAR(36) CHARACTER SET ascii NOT NULL,
    active_order_id VARCHAR(36) CHARACTER SET ascii
        GENERATED ALWAYS AS (IF(status <> 'REJECTED', order_id, NULL)) STORED,
    user_id         CHAR(36) CHARACTER SET ascii NOT NULL,
    status          VARCHAR(16)   NOT NULL DEFAULT 'PENDING',
    total_amount    DECIMAL(12,2) NOT NULL,
    note            VARCHAR(255)  NOT NULL DEFAULT '',
    admin_note      VARCHAR(500)  NULL,
    object_key      VARCHAR(255)  NOT NULL,
    content_type    VARCHAR(32)   NOT NULL,
    size_bytes      INT UNSIGNED  NOT NULL,
    sha256          CHAR(64) CHARACTER SET ascii NOT NULL,
    reviewed_by     CHAR(36) CHARACTER SET ascii NULL,
    reviewed_at     DATETIME(6)   NULL,
    created_at      DATETIME(6)   NOT NULL,
    updated_at      DATETIME(6)   NOT NULL,
    UNIQUE KEY uq_payments_active_order (active_order_id),
    UNIQUE KEY uq_payments_object_key (object_key),
    KEY idx_payments_order_created (order_id, created_at),
    KEY idx_payments_user_created (user_id, created_at),
    KEY idx_payments_status_created (status, created_at),
    KEY idx_payments_created (created_at),
    CONSTRAINT ck_payments_status CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED')),
    CONSTRAINT ck_payments_total CHECK (total_amount >= 0),
    CONSTRAINT ck_payments_content_type
        CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
    CONSTRAINT ck_payments_size CHECK (size_bytes > 0),
    CONSTRAINT ck_payments_reviewed CHECK ((status = 'PENDING') = (reviewed_at IS NULL))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
