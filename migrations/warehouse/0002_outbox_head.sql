-- The claim (design §4.2) takes a row only if no older undelivered row of its aggregate and subscriber
-- is waiting, and enqueue asks the same question. Delivered rows stay for OUTBOX_RETENTION_HOURS (a week
-- by default), so on outbox_aggregate that question read an aggregate's whole delivered history for
-- every due row. This index holds only the undelivered rows, in the claim's order.
CREATE INDEX outbox_head ON outbox (aggregate_id, subscriber, created_at, id) WHERE delivered_at IS NULL;
