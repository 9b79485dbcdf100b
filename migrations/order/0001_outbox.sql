-- design §4.1: the transactional outbox (order → warehouse, sales-report) and §4.3: consumed events.
CREATE TABLE outbox (
    id              uuid PRIMARY KEY,
    event_id        uuid NOT NULL,
    type            text NOT NULL,
    aggregate_id    uuid NOT NULL,
    subscriber      text NOT NULL,
    payload         jsonb NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    lease_until     timestamptz NULL,
    delivered_at    timestamptz NULL,
    parked_at       timestamptz NULL,
    attempts        integer NOT NULL DEFAULT 0,
    last_error      text NULL,
    UNIQUE (event_id, subscriber)
);
CREATE INDEX outbox_aggregate ON outbox (aggregate_id, subscriber, created_at);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL AND parked_at IS NULL;

CREATE TABLE processed_events (
    id           uuid PRIMARY KEY,
    type         varchar(64) NOT NULL,
    source       varchar(32) NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now()
);
