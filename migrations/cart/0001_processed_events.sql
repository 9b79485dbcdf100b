-- design §4.3 (MySQL form): product events consumed by the cart, one row each.
CREATE TABLE processed_events (
    id           CHAR(36) PRIMARY KEY,
    type         VARCHAR(64) NOT NULL,
    source       VARCHAR(32) NOT NULL,
    processed_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
