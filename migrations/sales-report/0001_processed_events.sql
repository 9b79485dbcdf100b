-- design §4.3: events consumed from order (sale.created, sale.reversed), one row each.
CREATE TABLE processed_events (
    id           uuid PRIMARY KEY,
    type         varchar(64) NOT NULL,
    source       varchar(32) NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now()
);
