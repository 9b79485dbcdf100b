//! MySQL `carts` (api/cart.md §6.1–6.2): SQL per aggregate — the user's lines with their version row
//! (`lines`), and what the product event consumer writes (`events`). UUIDs are `CHAR(36)` bound as
//! lowercase hyphenated strings; times are UTC `DATETIME(6)`.

pub mod events;
pub mod lines;

use std::future::Future;

use chrono::{DateTime, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use sqlx::mysql::MySqlRow;
use sqlx::Row;
use uuid::Uuid;

use crate::domain::CartLine;
use crate::error::ApiResult;

/// Columns of a line, in [`line_from_row`]'s order.
pub const LINE_COLUMNS: &str =
    "id, user_id, product_id, product_name, product_image_url, product_price, \
     product_quantity, note, product_version, created_at, updated_at";

/// Attempts of one transaction when MySQL keeps choosing it as a deadlock victim.
const TRIES: u32 = 5;

/// Runs a whole transaction again when MySQL chose it as a deadlock victim (§6.2), at most [`TRIES`] times,
/// after a short random pause that grows with each try (so the same two transactions do not meet again).
pub async fn retrying<T, F, Fut>(mut attempt: F) -> ApiResult<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ApiResult<T>>,
{
    let mut tries = 0;
    loop {
        tries += 1;
        match attempt().await {
            Err(e) if tries < TRIES && e.is_retryable() => {
                tracing::warn!(tries, "transaction retried after a deadlock");
                let most = 5 * u64::from(tries);
                let pause = rand::Rng::gen_range(&mut rand::thread_rng(), 1..=most);
                tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
            }
            other => return other,
        }
    }
}

pub fn uuid_col(row: &MySqlRow, column: &str) -> Result<Uuid, sqlx::Error> {
    let text: String = row.try_get(column)?;
    Uuid::parse_str(&text).map_err(|e| sqlx::Error::ColumnDecode {
        index: column.into(),
        source: e.into(),
    })
}

fn time_col(row: &MySqlRow, column: &str) -> Result<DateTime<Utc>, sqlx::Error> {
    Ok(row.try_get::<NaiveDateTime, _>(column)?.and_utc())
}

pub fn line_from_row(row: &MySqlRow) -> Result<CartLine, sqlx::Error> {
    let quantity: i32 = row.try_get("product_quantity")?;
    Ok(CartLine {
        id: uuid_col(row, "id")?,
        user_id: uuid_col(row, "user_id")?,
        product_id: uuid_col(row, "product_id")?,
        product_name: row.try_get("product_name")?,
        product_image_url: row.try_get("product_image_url")?,
        product_price: row.try_get::<Decimal, _>("product_price")?,
        product_quantity: u32::try_from(quantity).unwrap_or_default(),
        note: row.try_get("note")?,
        product_version: row.try_get("product_version")?,
        created_at: time_col(row, "created_at")?,
        updated_at: time_col(row, "updated_at")?,
    })
}

/// Now, to the microsecond (the precision stored).
pub fn now() -> NaiveDateTime {
    use chrono::SubsecRound;
    Utc::now().naive_utc().trunc_subsecs(6)
}
