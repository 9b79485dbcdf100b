//! X1 reserve and X5 quote (contract: api/warehouse.md §2.5): all or nothing over the nearest
//! warehouses, idempotent by order id.

use sqlx::PgPool;
use uuid::Uuid;

use super::{distinct, shortage};
use crate::domain::allocation::{allocate, Allocation, Wanted};
use crate::domain::zip::CustomerZip;
use crate::error::{retry_once, ApiError, ApiResult};
use crate::store::outbox::{stock_changed, Reason};
use crate::store::products;
use crate::store::reservations::{self, view, Item, ReservationView};
use crate::store::stock::{self, Delta};

/// A checked X1 body.
#[derive(Debug, Clone)]
pub struct ReserveInput {
    pub order_id: Uuid,
    pub user_id: Uuid,
    pub zip: CustomerZip,
    pub zip_code: String,
    pub items: Vec<Wanted>,
}

impl ReserveInput {
    fn requested(&self) -> Vec<Item> {
        let mut items: Vec<Item> = self
            .items
            .iter()
            .map(|w| Item {
                product_id: w.product_id,
                quantity: w.quantity,
            })
            .collect();
        items.sort_by_key(|i| i.product_id);
        items
    }
}

/// 201 for a new reservation, 200 for a replay.
#[derive(Debug)]
pub enum Reserved {
    Created(ReservationView),
    Replayed(ReservationView),
}

pub async fn reserve(pool: &PgPool, input: &ReserveInput) -> ApiResult<Reserved> {
    retry_once(|| reserve_once(pool, input)).await
}

async fn reserve_once(pool: &PgPool, input: &ReserveInput) -> ApiResult<Reserved> {
    let mut tx = pool.begin().await?;
    // §4.6 step 2: a concurrent insert of the same order id waits here, then sees the stored row.
    if !reservations::insert(&mut tx, input.order_id, input.user_id, &input.zip_code).await? {
        let row = reservations::lock(&mut tx, input.order_id)
            .await?
            .ok_or_else(|| ApiError::conflict("the reservation is changing, retry", vec![]))?;
        let lines = reservations::lines(&mut tx, &[input.order_id]).await?;
        tx.commit().await?;
        let status = row.status();
        let stored = view(row, &lines);
        if !status.replayable() {
            return Err(ApiError::conflict(
                "the reservation of this order was already released",
                vec![],
            ));
        }
        if stored.zip_code != input.zip_code || stored.items != input.requested() {
            return Err(ApiError::conflict(
                "this order id is already reserved with other items",
                vec![],
            ));
        }
        return Ok(Reserved::Replayed(stored));
    }
    let ids = distinct(input.items.iter().map(|w| w.product_id));
    let locked = products::lock(&mut tx, &ids).await?;
    let live: Vec<Uuid> = locked.iter().filter(|p| !p.deleted).map(|p| p.id).collect();
    let sources = stock::sources(&mut tx, &live, true).await?;
    let allocations = match allocate(input.zip, &input.items, &sources) {
        Ok(a) => a,
        Err(shorts) => {
            tx.rollback().await?;
            return Err(shortage(&shorts));
        }
    };
    let deltas: Vec<Delta> = allocations
        .iter()
        .map(|a| Delta {
            warehouse_id: a.warehouse_id,
            product_id: a.product_id,
            available: -a.quantity,
            reserved: a.quantity,
        })
        .collect();
    stock::apply(&mut tx, &deltas).await?;
    reservations::insert_lines(&mut tx, input.order_id, &allocations).await?;
    stock_changed(&mut tx, &ids, Reason::Reserve).await?;
    let row = reservations::lock(&mut tx, input.order_id)
        .await?
        .ok_or_else(|| sqlx::Error::RowNotFound)?;
    let lines = reservations::lines(&mut tx, &[input.order_id]).await?;
    tx.commit().await?;
    Ok(Reserved::Created(view(row, &lines)))
}

/// X5: the allocations X1 would make now, from one consistent read; nothing written or locked.
pub async fn quote(
    pool: &PgPool,
    zip: CustomerZip,
    items: &[Wanted],
) -> ApiResult<Vec<Allocation>> {
    let mut tx = pool.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .execute(&mut *tx)
        .await?;
    let ids = distinct(items.iter().map(|w| w.product_id));
    let found = products::read(&mut tx, &ids).await?;
    let live: Vec<Uuid> = found.iter().filter(|p| !p.deleted).map(|p| p.id).collect();
    let sources = stock::sources(&mut tx, &live, false).await?;
    tx.rollback().await?;
    allocate(zip, items, &sources).map_err(|shorts| shortage(&shorts))
}
