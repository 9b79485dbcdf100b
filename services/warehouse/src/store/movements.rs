//! `stock_movements` (contract: api/warehouse.md §2.4, §4.4): the history of every change, newest first.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

use super::nil_if_none;

const COLUMNS: &str = "id, type AS kind, product_id, product_name, quantity, from_warehouse_id, \
     to_warehouse_id, to_user_id, order_id, created_by, note, created_at";

/// The movement object of §2.1 (absent warehouse and user ids are the nil UUID, as before).
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Movement {
    pub id: Uuid,
    #[serde(rename = "type")]
    #[schema(schema_with = types)]
    pub kind: String,
    pub product_id: Uuid,
    /// the product's name at the time
    pub product_name: String,
    #[schema(minimum = 1)]
    pub quantity: i32,
    /// nil UUID when absent
    #[serde(serialize_with = "nil_if_none")]
    #[schema(value_type = Uuid)]
    pub from_warehouse_id: Option<Uuid>,
    /// nil UUID when absent
    #[serde(serialize_with = "nil_if_none")]
    #[schema(value_type = Uuid)]
    pub to_warehouse_id: Option<Uuid>,
    /// the recipient of a shipment; nil UUID when absent
    #[serde(serialize_with = "nil_if_none")]
    #[schema(value_type = Uuid)]
    pub to_user_id: Option<Uuid>,
    #[schema(required = true)]
    pub order_id: Option<Uuid>,
    /// the user who asked; null for event-driven rows
    #[schema(required = true)]
    pub created_by: Option<Uuid>,
    #[schema(required = true)]
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The movement types (§4.4).
pub const TYPES: &[&str] = &["INITIAL", "TRANSFER", "SHIPMENT", "ADJUSTMENT"];

/// A movement type, in a schema: one of [`TYPES`].
pub fn types() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(TYPES.iter().copied()))
        .build()
}

/// A movement to write.
#[derive(Debug, Clone)]
pub struct NewMovement<'a> {
    pub kind: &'static str,
    pub product_id: Uuid,
    pub product_name: &'a str,
    pub quantity: i32,
    pub from: Option<Uuid>,
    pub to: Option<Uuid>,
    pub to_user: Option<Uuid>,
    pub order_id: Option<Uuid>,
    pub created_by: Option<Uuid>,
    pub note: Option<&'a str>,
}

pub async fn insert(conn: &mut PgConnection, m: &NewMovement<'_>) -> Result<Movement, sqlx::Error> {
    sqlx::query_as(&format!(
        "INSERT INTO stock_movements (id, type, product_id, product_name, quantity, from_warehouse_id,
             to_warehouse_id, to_user_id, order_id, created_by, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING {COLUMNS}"
    ))
    .bind(Uuid::now_v7())
    .bind(m.kind)
    .bind(m.product_id)
    .bind(m.product_name)
    .bind(m.quantity)
    .bind(m.from)
    .bind(m.to)
    .bind(m.to_user)
    .bind(m.order_id)
    .bind(m.created_by)
    .bind(m.note)
    .fetch_one(conn)
    .await
}

/// M3's filters (M4–M6 set one of them); all combine with AND.
#[derive(Debug, Clone, Default)]
pub struct MovementFilter {
    pub product_id: Option<Uuid>,
    pub warehouse_id: Option<Uuid>,
    pub from_warehouse_id: Option<Uuid>,
    pub to_warehouse_id: Option<Uuid>,
    pub kind: Option<String>,
    pub order_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

fn push_where(qb: &mut QueryBuilder<'_, Postgres>, f: &MovementFilter) {
    qb.push(" FROM stock_movements WHERE true");
    let ids = [
        (" AND product_id = ", f.product_id),
        (" AND from_warehouse_id = ", f.from_warehouse_id),
        (" AND to_warehouse_id = ", f.to_warehouse_id),
        (" AND order_id = ", f.order_id),
        (" AND to_user_id = ", f.user_id),
    ];
    for (clause, value) in ids {
        if let Some(v) = value {
            qb.push(clause).push_bind(v);
        }
    }
    if let Some(w) = f.warehouse_id {
        qb.push(" AND (from_warehouse_id = ")
            .push_bind(w)
            .push(" OR to_warehouse_id = ")
            .push_bind(w)
            .push(")");
    }
    if let Some(kind) = &f.kind {
        qb.push(" AND type = ").push_bind(kind.clone());
    }
    if let Some(since) = f.since {
        qb.push(" AND created_at >= ").push_bind(since);
    }
    if let Some(until) = f.until {
        qb.push(" AND created_at <= ").push_bind(until);
    }
}

/// The matching movements, newest first, paged when `page` is given, and their total count.
pub async fn list(
    pool: &PgPool,
    f: &MovementFilter,
    page: Option<(i64, i64)>,
) -> Result<(Vec<Movement>, i64), sqlx::Error> {
    let mut qb = QueryBuilder::new(format!("SELECT {COLUMNS}"));
    push_where(&mut qb, f);
    qb.push(" ORDER BY created_at DESC, id DESC");
    if let Some((skip, limit)) = page {
        qb.push(" OFFSET ")
            .push_bind(skip)
            .push(" LIMIT ")
            .push_bind(limit);
    }
    let rows = qb.build_query_as::<Movement>().fetch_all(pool).await?;
    let count = if page.is_some() {
        let mut qc = QueryBuilder::new("SELECT count(*)");
        push_where(&mut qc, f);
        qc.build_query_scalar::<i64>().fetch_one(pool).await?
    } else {
        rows.len() as i64
    };
    Ok((rows, count))
}
