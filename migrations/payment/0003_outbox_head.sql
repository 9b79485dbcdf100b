-- The claim (design §4.2) takes a row only if no older undelivered row of its aggregate and subscriber
-- is waiting, and enqueue asks the same question. Delivered rows stay for OUTBOX_RETENTION_HOURS (a week
-- by default), so on outbox_aggregate that question read an aggregate's whole delivered history for
-- every due row. With delivered_at before created_at, the undelivered rows (NULL) come first and in the
-- claim's order (InnoDB appends the primary key, id). Built in place, without blocking writes.
ALTER TABLE outbox ADD KEY outbox_head (aggregate_id, subscriber, delivered_at, created_at), ALGORITHM = INPLACE, LOCK = NONE;
