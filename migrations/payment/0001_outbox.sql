-- design §4.1 (MySQL form): the transactional outbox (payment → order).
CREATE TABLE outbox (
    id              CHAR(36) PRIMARY KEY,
    event_id        CHAR(36) NOT NULL,
    type            VARCHAR(64) NOT NULL,
    aggregate_id    CHAR(36) NOT NULL,
    subscriber      VARCHAR(32) NOT NULL,
    payload         JSON NOT NULL,
    created_at      DATETIME(6) NOT NULL,
    next_attempt_at DATETIME(6) NOT NULL,
    lease_until     DATETIME(6) NULL,
    delivered_at    DATETIME(6) NULL,
    parked_at       DATETIME(6) NULL,
    attempts        INT UNSIGNED NOT NULL DEFAULT 0,
    last_error      VARCHAR(500) NULL,
    UNIQUE KEY outbox_event_subscriber (event_id, subscriber),
    KEY outbox_aggregate (aggregate_id, subscriber, created_at),
    KEY outbox_due (delivered_at, parked_at, next_attempt_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
