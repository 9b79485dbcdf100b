//! SQL of the payment service, one module per aggregate (api/payment.md §3).

pub mod payments;

pub use payments::{NewPayment, Payment};

/// MySQL/MariaDB error numbers this service turns into answers.
pub(crate) fn mysql_errno(err: &sqlx::Error) -> Option<u16> {
    match err {
        sqlx::Error::Database(db) => db
            .try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>()
            .map(|e| e.number()),
        _ => None,
    }
}

/// ER_DUP_ENTRY.
pub(crate) const DUPLICATE_KEY: u16 = 1062;
/// ER_LOCK_DEADLOCK: the transaction was rolled back and may be retried.
pub(crate) const DEADLOCK: u16 = 1213;
