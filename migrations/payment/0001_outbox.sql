-- design §4.1 (MySQL form): the transactional outbox (payment → order), as crates/common
-- outbox::mysql::OUTBOX_SCHEMA has it: ASCII ids and utf8mb4_unicode_ci text, which the relay reads as
-- strings (a binary collation makes MariaDB report BINARY columns the relay cannot decode).
CREATE TABLE outbox (
    id              CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    event_id        CHAR(36) CHARACTER SET ascii NOT NULL,
    type            VARCHAR(64)  NOT NULL,
    aggregate_id    CHAR(36) CHARACTER SET ascii NOT NULL,
    subscriber      VARCHAR(32)  NOT NULL,
    payload         JSON         NOT NULL,
    created_at      DATETIME(6)  NOT NULL,
    next_attempt_at DATETIME(6)  NOT NULL,
    lease_until     DATETIME(6)  NULL,
    delivered_at    DATETIME(6)  NULL,
    parked_at       DATETIME(6)  NULL,
    attempts        INT UNSIGNED NOT NULL DEFAULT 0,
    last_error      VARCHAR(500) NULL,
    UNIQUE KEY outbox_event_subscriber (event_id, subscriber),
    KEY outbox_aggregate (aggregate_id, subscriber, created_at),
    KEY outbox_due (delivered_at, parked_at, next_attempt_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
