//! A long outbox history for the tests and the bench of the relay's claim (design §4.2): `delivered` rows
//! already delivered, then `due` rows due now, oldest first, for `subscriber`; row `i` belongs to aggregate
//! `i % aggregates`, so every aggregate has a delivered past and a queue. The statements end with
//! `ANALYZE`, so the planner knows the table's shape.

/// The PostgreSQL form (order's and warehouse's outbox).
pub fn pg_history(delivered: u32, due: u32, aggregates: u32, subscriber: &str) -> String {
    let total = delivered + due;
    format!(
        "INSERT INTO outbox (id, event_id, type, aggregate_id, subscriber, payload, created_at, next_attempt_at, delivered_at)
         SELECT gen_random_uuid(), gen_random_uuid(), 'order.status_changed',
                ('00000000-0000-0000-0000-' || lpad((i % {aggregates})::text, 12, '0'))::uuid, '{subscriber}', '{{}}',
                now() - make_interval(secs => {total} - i), now() - make_interval(secs => {total} - i),
                CASE WHEN i <= {delivered} THEN now() END
         FROM generate_series(1, {total}) AS i;
         ANALYZE outbox;"
    )
}

/// The MariaDB form (payment's outbox).
pub fn mysql_history(delivered: u32, due: u32, aggregates: u32, subscriber: &str) -> String {
    let total = delivered + due;
    format!(
        "SET SESSION max_recursive_iterations = {total};
         INSERT INTO outbox (id, event_id, type, aggregate_id, subscriber, payload, created_at, next_attempt_at, delivered_at)
         WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {total})
         SELECT UUID(), UUID(), 'payment.submitted', CONCAT('00000000-0000-0000-0000-', LPAD(i % {aggregates}, 12, '0')),
                '{subscriber}', '{{}}', UTC_TIMESTAMP(6) - INTERVAL ({total} - i) SECOND,
                UTC_TIMESTAMP(6) - INTERVAL ({total} - i) SECOND, IF(i <= {delivered}, UTC_TIMESTAMP(6), NULL)
         FROM n;
         ANALYZE TABLE outbox;"
    )
}
