//! `reservations` and `reservation_lines` (contract: api/warehouse.md §2.5, §4.5): one reservation per
//! order, one line per (product, warehouse).

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

use crate::domain::allocation::{nearest_first, Allocation, Source};
use crate::domain::reservation::ReservationStatus;
use crate::domain::zip::CustomerZip;

const COLUMNS: &str = "order_id, user_id, zip_code, status, created_at, updated_at";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReservationRow {
    pub order_id: Uuid,
    pub user_id: Uuid,
    pub zip_code: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ReservationRow {
    pub fn status(&self) -> ReservationStatus {
        ReservationStatus::parse(&self.status).unwrap_or(ReservationStatus::Released)
    }
}

/// One line with its warehouse's location.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Line {
    pub order_id: Uuid,
    pub product_id: Uuid,
    pub warehouse_id: Uuid,
    pub quantity: i32,
    pub zip_code: String,
    pub is_main_warehouse: bool,
}

/// `items[]` of the reservation object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Item {
    pub product_id: Uuid,
    #[schema(minimum = 1)]
    pub quantity: i32,
}

/// The reservation object of §2.1.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = Reservation)]
pub struct ReservationView {
    pub order_id: Uuid,
    pub user_id: Uuid,
    /// the customer's zip code, as sent
    pub zip_code: String,
    #[schema(value_type = ReservationStatus)]
    pub status: String,
    /// as requested, by product id
    pub items: Vec<Item>,
    /// by product id, then nearest first
    pub allocations: Vec<Allocation>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Builds the object: items as requested (Σ lines per product, by product id) and allocations by product
/// id, then nearest first.
pub fn view(row: ReservationRow, lines: &[Line]) -> ReservationView {
    let zip = CustomerZip::parse(&row.zip_code).unwrap_or(CustomerZip(0));
    let mut products: Vec<Uuid> = lines.iter().map(|l| l.product_id).collect();
    products.sort();
    products.dedup();
    let mut items = Vec::new();
    let mut allocations = Vec::new();
    for product in products {
        let mut sources: Vec<Source> = lines
            .iter()
            .filter(|l| l.product_id == product)
            .map(|l| Source {
                warehouse_id: l.warehouse_id,
                zip_code: l.zip_code.clone(),
                is_main: l.is_main_warehouse,
                available: l.quantity,
            })
            .collect();
        nearest_first(zip, &mut sources);
        items.push(Item {
            product_id: product,
            quantity: sources.iter().map(|s| s.available).sum(),
        });
        allocations.extend(sources.into_iter().map(|s| Allocation {
            product_id: product,
            warehouse_id: s.warehouse_id,
            warehouse_zip_code: s.zip_code,
            quantity: s.available,
        }));
    }
    ReservationView {
        order_id: row.order_id,
        user_id: row.user_id,
        zip_code: row.zip_code,
        status: row.status,
        items,
        allocations,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

/// §4.6 step 2 for a new order: inserts the row; false when the order id already has one.
pub async fn insert(
    conn: &mut PgConnection,
    order_id: Uuid,
    user_id: Uuid,
    zip_code: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO reservations (order_id, user_id, zip_code, status) VALUES ($1, $2, $3, 'RESERVED')
         ON CONFLICT (order_id) DO NOTHING",
    )
    .bind(order_id)
    .bind(user_id)
    .bind(zip_code)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// §4.6 step 2 for an existing order: the row `FOR UPDATE`.
pub async fn lock(
    conn: &mut PgConnection,
    order_id: Uuid,
) -> Result<Option<ReservationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM reservations WHERE order_id = $1 FOR UPDATE"
    ))
    .bind(order_id)
    .fetch_optional(conn)
    .await
}

/// The lines of `order_ids` with their warehouses' zip codes.
pub async fn lines(conn: &mut PgConnection, order_ids: &[Uuid]) -> Result<Vec<Line>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l.order_id, l.product_id, l.warehouse_id, l.quantity, w.zip_code, w.is_main_warehouse
         FROM reservation_lines l JOIN warehouses w ON w.id = l.warehouse_id
         WHERE l.order_id = ANY($1) ORDER BY l.order_id, l.product_id, l.warehouse_id",
    )
    .bind(order_ids)
    .fetch_all(conn)
    .await
}

pub async fn insert_lines(
    conn: &mut PgConnection,
    order_id: Uuid,
    allocations: &[Allocation],
) -> Result<(), sqlx::Error> {
    let p: Vec<Uuid> = allocations.iter().map(|a| a.product_id).collect();
    let w: Vec<Uuid> = allocations.iter().map(|a| a.warehouse_id).collect();
    let q: Vec<i32> = allocations.iter().map(|a| a.quantity).collect();
    sqlx::query(
        "INSERT INTO reservation_lines (order_id, product_id, warehouse_id, quantity)
         SELECT $1, p, w, q FROM UNNEST($2::uuid[], $3::uuid[], $4::int[]) AS x(p, w, q)",
    )
    .bind(order_id)
    .bind(&p)
    .bind(&w)
    .bind(&q)
    .execute(conn)
    .await?;
    Ok(())
}

/// Moves the row to `status`, setting that status's timestamp (the CHECKs of §4.5).
pub async fn set_status(
    conn: &mut PgConnection,
    order_id: Uuid,
    status: ReservationStatus,
) -> Result<ReservationRow, sqlx::Error> {
    sqlx::query_as(&format!(
        "UPDATE reservations SET status = $2, updated_at = now(),
             committed_at = CASE WHEN $2 = 'COMMITTED' THEN now() ELSE committed_at END,
             released_at = CASE WHEN $2 = 'RELEASED' THEN now() ELSE released_at END,
             returned_at = CASE WHEN $2 = 'RETURNED' THEN now() ELSE returned_at END
         WHERE order_id = $1 RETURNING {COLUMNS}"
    ))
    .bind(order_id)
    .bind(status.as_str())
    .fetch_one(conn)
    .await
}

/// R1's filters.
#[derive(Debug, Clone, Default)]
pub struct ReservationFilter {
    pub status: Option<ReservationStatus>,
    pub user_id: Option<Uuid>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

fn push_where(qb: &mut QueryBuilder<'_, Postgres>, f: &ReservationFilter) {
    qb.push(" FROM reservations WHERE true");
    if let Some(s) = f.status {
        qb.push(" AND status = ").push_bind(s.as_str());
    }
    if let Some(u) = f.user_id {
        qb.push(" AND user_id = ").push_bind(u);
    }
    if let Some(t) = f.since {
        qb.push(" AND created_at >= ").push_bind(t);
    }
    if let Some(t) = f.until {
        qb.push(" AND created_at <= ").push_bind(t);
    }
}

/// R1: newest first, paged, with the total count.
pub async fn list(
    pool: &PgPool,
    f: &ReservationFilter,
    skip: i64,
    limit: i64,
) -> Result<(Vec<ReservationView>, i64), sqlx::Error> {
    let mut qb = QueryBuilder::new(format!("SELECT {COLUMNS}"));
    push_where(&mut qb, f);
    qb.push(" ORDER BY created_at DESC, order_id DESC OFFSET ")
        .push_bind(skip)
        .push(" LIMIT ")
        .push_bind(limit);
    let rows = qb
        .build_query_as::<ReservationRow>()
        .fetch_all(pool)
        .await?;
    let mut qc = QueryBuilder::new("SELECT count(*)");
    push_where(&mut qc, f);
    let count = qc.build_query_scalar::<i64>().fetch_one(pool).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.order_id).collect();
    let mut conn = pool.acquire().await?;
    let all = lines(&mut conn, &ids).await?;
    let views = rows
        .into_iter()
        .map(|r| {
            let mine: Vec<Line> = all
                .iter()
                .filter(|l| l.order_id == r.order_id)
                .cloned()
                .collect();
            view(r, &mine)
        })
        .collect();
    Ok((views, count))
}

/// R2: one reservation.
pub async fn get(pool: &PgPool, order_id: Uuid) -> Result<Option<ReservationView>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let row: Option<ReservationRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM reservations WHERE order_id = $1"
    ))
    .bind(order_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let lines = lines(&mut conn, &[order_id]).await?;
    Ok(Some(view(row, &lines)))
}
