//! M1 transfer, M2 manual shipment and M7 adjustment (contract: api/warehouse.md §2.4).

use eshop_common::AppError;
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use super::{distinct, live_product, shortage};
use crate::domain::allocation::{allocate, Wanted};
use crate::domain::zip::CustomerZip;
use crate::error::{retry_once, ApiError, ApiResult};
use crate::store::movements::{self, Movement, NewMovement};
use crate::store::outbox::{stock_changed, Reason};
use crate::store::products;
use crate::store::stock::{self, Delta};

/// A checked M1 body.
#[derive(Debug, Clone)]
pub struct TransferInput {
    pub product_id: Uuid,
    pub from: Uuid,
    pub to: Uuid,
    pub quantity: i32,
    pub note: Option<String>,
    pub created_by: Uuid,
}

fn short_of(available: i32) -> ApiError {
    ApiError::conflict(
        "insufficient stock",
        vec![json!({
            "field": "quantity",
            "message": "more than the warehouse has available",
            "available": available,
        })],
    )
}

fn warehouse_missing() -> ApiError {
    AppError::not_found("warehouse not found").into()
}

/// M1: source `available -= q`, destination row upserted `available += q`, one TRANSFER movement.
pub async fn transfer(pool: &PgPool, input: &TransferInput) -> ApiResult<Movement> {
    retry_once(|| async {
        let mut tx = pool.begin().await?;
        let product = live_product(&mut tx, input.product_id).await?;
        let places = stock::places(&mut tx, &distinct([input.from, input.to]), true).await?;
        if ![input.from, input.to]
            .iter()
            .all(|id| places.get(id).is_some_and(|p| p.live))
        {
            return Err(warehouse_missing());
        }
        let levels = stock::levels(&mut tx, &[input.product_id], true).await?;
        let available = levels
            .iter()
            .find(|l| l.warehouse_id == input.from)
            .map_or(0, |l| l.available);
        if available < input.quantity {
            return Err(short_of(available));
        }
        let delta = Delta {
            warehouse_id: input.from,
            product_id: input.product_id,
            available: -input.quantity,
            reserved: 0,
        };
        stock::apply(&mut tx, &[delta]).await?;
        stock::add_available(&mut tx, input.to, input.product_id, input.quantity).await?;
        let movement = movements::insert(
            &mut tx,
            &NewMovement {
                kind: "TRANSFER",
                product_id: input.product_id,
                product_name: &product.name,
                quantity: input.quantity,
                from: Some(input.from),
                to: Some(input.to),
                to_user: None,
                order_id: None,
                created_by: Some(input.created_by),
                note: input.note.as_deref(),
            },
        )
        .await?;
        stock_changed(&mut tx, &[input.product_id], Reason::Transfer).await?;
        tx.commit().await?;
        Ok(movement)
    })
    .await
}

/// A checked M2 body.
#[derive(Debug, Clone)]
pub struct ShipmentInput {
    pub zip: CustomerZip,
    pub items: Vec<Wanted>,
    pub note: String,
    pub order_id: Option<Uuid>,
    pub to_user: Uuid,
    pub created_by: Uuid,
}

/// M2: allocates like X1 and ships at once, one SHIPMENT per (product, warehouse); all or nothing.
pub async fn ship(pool: &PgPool, input: &ShipmentInput) -> ApiResult<Vec<Movement>> {
    retry_once(|| async {
        let mut tx = pool.begin().await?;
        let ids = distinct(input.items.iter().map(|w| w.product_id));
        let locked = products::lock(&mut tx, &ids).await?;
        let live: Vec<Uuid> = locked.iter().filter(|p| !p.deleted).map(|p| p.id).collect();
        let sources = stock::sources(&mut tx, &live, true).await?;
        let allocations =
            allocate(input.zip, &input.items, &sources).map_err(|shorts| shortage(&shorts))?;
        let deltas: Vec<Delta> = allocations
            .iter()
            .map(|a| Delta {
                warehouse_id: a.warehouse_id,
                product_id: a.product_id,
                available: -a.quantity,
                reserved: 0,
            })
            .collect();
        stock::apply(&mut tx, &deltas).await?;
        let mut written = Vec::with_capacity(allocations.len());
        for a in &allocations {
            let name = locked
                .iter()
                .find(|p| p.id == a.product_id)
                .map_or("", |p| p.name.as_str());
            let movement = NewMovement {
                kind: "SHIPMENT",
                product_id: a.product_id,
                product_name: name,
                quantity: a.quantity,
                from: Some(a.warehouse_id),
                to: None,
                to_user: Some(input.to_user),
                order_id: input.order_id,
                created_by: Some(input.created_by),
                note: Some(&input.note),
            };
            written.push(movements::insert(&mut tx, &movement).await?);
        }
        stock_changed(&mut tx, &ids, Reason::Shipment).await?;
        tx.commit().await?;
        Ok(written)
    })
    .await
}

/// A checked M7 body.
#[derive(Debug, Clone)]
pub struct AdjustInput {
    pub warehouse_id: Uuid,
    pub product_id: Uuid,
    pub delta: i32,
    pub note: String,
    pub created_by: Uuid,
}

/// M7: `delta > 0` upserts the row and adds; `delta < 0` needs that much available.
pub async fn adjust(pool: &PgPool, input: &AdjustInput) -> ApiResult<Movement> {
    retry_once(|| async {
        let mut tx = pool.begin().await?;
        let product = live_product(&mut tx, input.product_id).await?;
        let places = stock::places(&mut tx, &[input.warehouse_id], true).await?;
        if !places.get(&input.warehouse_id).is_some_and(|p| p.live) {
            return Err(warehouse_missing());
        }
        let levels = stock::levels(&mut tx, &[input.product_id], true).await?;
        let quantity = input.delta.abs();
        if input.delta < 0 {
            let available = levels
                .iter()
                .find(|l| l.warehouse_id == input.warehouse_id)
                .map_or(0, |l| l.available);
            if available < quantity {
                return Err(short_of(available));
            }
            let delta = Delta {
                warehouse_id: input.warehouse_id,
                product_id: input.product_id,
                available: input.delta,
                reserved: 0,
            };
            stock::apply(&mut tx, &[delta]).await?;
        } else {
            stock::add_available(&mut tx, input.warehouse_id, input.product_id, quantity).await?;
        }
        let (from, to) = if input.delta < 0 {
            (Some(input.warehouse_id), None)
        } else {
            (None, Some(input.warehouse_id))
        };
        let movement = movements::insert(
            &mut tx,
            &NewMovement {
                kind: "ADJUSTMENT",
                product_id: input.product_id,
                product_name: &product.name,
                quantity,
                from,
                to,
                to_user: None,
                order_id: None,
                created_by: Some(input.created_by),
                note: Some(&input.note),
            },
        )
        .await?;
        stock_changed(&mut tx, &[input.product_id], Reason::Adjustment).await?;
        tx.commit().await?;
        Ok(movement)
    })
    .await
}
