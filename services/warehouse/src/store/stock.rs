//! `warehouse_products` (contract: api/warehouse.md §2.3, §4.3): the locks stock writers take, relative
//! updates, and the stock row views of S1–S6 and A1.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

use crate::domain::allocation::Source;

/// A warehouse as a stock writer sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Place {
    pub id: Uuid,
    pub zip_code: String,
    pub is_main_warehouse: bool,
    pub live: bool,
}

/// A stock row's numbers.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct Level {
    pub warehouse_id: Uuid,
    pub product_id: Uuid,
    pub available: i32,
    pub reserved: i32,
}

/// §4.6 step 4: the warehouses `ids` `FOR SHARE` in id order (unlocked when `lock` is false).
pub async fn places(
    conn: &mut PgConnection,
    ids: &[Uuid],
    lock: bool,
) -> Result<HashMap<Uuid, Place>, sqlx::Error> {
    let sql = format!(
        "SELECT id, zip_code, is_main_warehouse, deleted_at IS NULL AS live FROM warehouses
         WHERE id = ANY($1) ORDER BY id{}",
        if lock { " FOR SHARE" } else { "" }
    );
    let rows: Vec<Place> = sqlx::query_as(&sql).bind(ids).fetch_all(conn).await?;
    Ok(rows.into_iter().map(|p| (p.id, p)).collect())
}

/// §4.6 step 5: every stock row of `product_ids` `FOR UPDATE`, ordered by (product_id, warehouse_id).
pub async fn levels(
    conn: &mut PgConnection,
    product_ids: &[Uuid],
    lock: bool,
) -> Result<Vec<Level>, sqlx::Error> {
    let sql = format!(
        "SELECT warehouse_id, product_id, available, reserved FROM warehouse_products
         WHERE product_id = ANY($1) ORDER BY product_id, warehouse_id{}",
        if lock { " FOR UPDATE" } else { "" }
    );
    sqlx::query_as(&sql).bind(product_ids).fetch_all(conn).await
}

/// Steps 4 and 5 for the products `live` (already locked by the caller when `lock`): the rows in live
/// warehouses that may serve each product, as allocation sources (every live product has an entry).
pub async fn sources(
    conn: &mut PgConnection,
    live: &[Uuid],
    lock: bool,
) -> Result<HashMap<Uuid, Vec<Source>>, sqlx::Error> {
    let warehouse_ids: Vec<Uuid> = sqlx::query_scalar(
        "SELECT DISTINCT warehouse_id FROM warehouse_products WHERE product_id = ANY($1)",
    )
    .bind(live)
    .fetch_all(&mut *conn)
    .await?;
    let places = places(conn, &warehouse_ids, lock).await?;
    let mut out: HashMap<Uuid, Vec<Source>> = live.iter().map(|id| (*id, Vec::new())).collect();
    for level in levels(conn, live, lock).await? {
        let Some(place) = places.get(&level.warehouse_id).filter(|p| p.live) else {
            continue;
        };
        out.entry(level.product_id).or_default().push(Source {
            warehouse_id: place.id,
            zip_code: place.zip_code.clone(),
            is_main: place.is_main_warehouse,
            available: level.available,
        });
    }
    Ok(out)
}

/// A relative change of one existing row.
#[derive(Debug, Clone, Copy)]
pub struct Delta {
    pub warehouse_id: Uuid,
    pub product_id: Uuid,
    pub available: i32,
    pub reserved: i32,
}

/// Applies `deltas` to existing rows (`available = available + d`); the CHECKs refuse a negative result.
pub async fn apply(conn: &mut PgConnection, deltas: &[Delta]) -> Result<(), sqlx::Error> {
    if deltas.is_empty() {
        return Ok(());
    }
    let w: Vec<Uuid> = deltas.iter().map(|d| d.warehouse_id).collect();
    let p: Vec<Uuid> = deltas.iter().map(|d| d.product_id).collect();
    let a: Vec<i32> = deltas.iter().map(|d| d.available).collect();
    let r: Vec<i32> = deltas.iter().map(|d| d.reserved).collect();
    sqlx::query(
        "UPDATE warehouse_products wp
         SET available = wp.available + d.da, reserved = wp.reserved + d.dr, updated_at = now()
         FROM (SELECT warehouse_id, product_id, sum(da)::int AS da, sum(dr)::int AS dr
               FROM UNNEST($1::uuid[], $2::uuid[], $3::int[], $4::int[]) AS x(warehouse_id, product_id, da, dr)
               GROUP BY warehouse_id, product_id) AS d
         WHERE wp.warehouse_id = d.warehouse_id AND wp.product_id = d.product_id",
    )
    .bind(&w)
    .bind(&p)
    .bind(&a)
    .bind(&r)
    .execute(conn)
    .await?;
    Ok(())
}

/// Adds `n` ≥ 0 available units, creating the row if needed (`ON CONFLICT (warehouse_id, product_id)`).
pub async fn add_available(
    conn: &mut PgConnection,
    warehouse_id: Uuid,
    product_id: Uuid,
    n: i32,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO warehouse_products (id, warehouse_id, product_id, available) VALUES ($1, $2, $3, $4)
         ON CONFLICT (warehouse_id, product_id)
         DO UPDATE SET available = warehouse_products.available + EXCLUDED.available, updated_at = now()",
    )
    .bind(Uuid::now_v7())
    .bind(warehouse_id)
    .bind(product_id)
    .bind(n)
    .execute(conn)
    .await?;
    Ok(())
}

/// The stock row object of §2.1.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
#[schema(as = StockRow)]
pub struct StockView {
    pub id: Uuid,
    pub warehouse_id: Uuid,
    pub product_id: Uuid,
    pub product_sku: String,
    pub product_name: String,
    pub product_image_url: String,
    pub product_description: String,
    /// 2 decimals
    #[serde(with = "rust_decimal::serde::float")]
    #[schema(value_type = f64)]
    pub product_price: Decimal,
    /// available units
    #[schema(minimum = 0)]
    pub product_quantity: i32,
    #[schema(required = true)]
    pub product_category_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// the product's deletion time, null while it is live
    #[schema(required = true)]
    pub deleted_at: Option<DateTime<Utc>>,
    pub warehouse_name: String,
    #[schema(minimum = 0)]
    pub reserved_quantity: i32,
    /// available + reserved
    #[schema(minimum = 0)]
    pub on_hand_quantity: i64,
    /// effective: the row's own, else WAREHOUSE_LOW_STOCK_THRESHOLD
    #[schema(minimum = 0)]
    pub low_stock_threshold: i32,
    /// available < low_stock_threshold
    pub low_stock: bool,
}

/// Which stock rows to show.
#[derive(Debug, Clone, Default)]
pub struct StockFilter {
    pub id: Option<Uuid>,
    pub warehouse_id: Option<Uuid>,
    pub product_id: Option<Uuid>,
    pub category_id: Option<Uuid>,
    pub q: Option<String>,
    pub low_stock: Option<bool>,
    pub include_deleted: bool,
    /// A1: rows under this threshold (`Some(None)`: each row's own or the default).
    pub alert_below: Option<Option<i32>>,
}

fn push_threshold(qb: &mut QueryBuilder<'_, Postgres>, default: i32) {
    qb.push("COALESCE(wp.low_stock_threshold, ")
        .push_bind(default)
        .push(")");
}

fn push_from(qb: &mut QueryBuilder<'_, Postgres>, f: &StockFilter, default: i32) {
    qb.push(
        " FROM warehouse_products wp JOIN warehouses w ON w.id = wp.warehouse_id
          JOIN products p ON p.id = wp.product_id WHERE w.deleted_at IS NULL",
    );
    if !f.include_deleted {
        qb.push(" AND p.deleted_at IS NULL");
    }
    let ids = [
        (" AND wp.id = ", f.id),
        (" AND wp.warehouse_id = ", f.warehouse_id),
        (" AND wp.product_id = ", f.product_id),
        (" AND p.category_id = ", f.category_id),
    ];
    for (clause, value) in ids {
        if let Some(v) = value {
            qb.push(clause).push_bind(v);
        }
    }
    if let Some(q) = &f.q {
        let pattern = format!(
            "%{}%",
            q.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        qb.push(" AND (p.name ILIKE ")
            .push_bind(pattern.clone())
            .push(" OR p.sku ILIKE ")
            .push_bind(pattern)
            .push(")");
    }
    if let Some(low) = f.low_stock {
        qb.push(if low { " AND " } else { " AND NOT " })
            .push("(wp.available < ");
        push_threshold(qb, default);
        qb.push(")");
    }
    if let Some(below) = f.alert_below {
        qb.push(" AND wp.available < COALESCE(")
            .push_bind(below)
            .push(", wp.low_stock_threshold, ")
            .push_bind(default)
            .push(")");
    }
}

/// S1–S4, S6, A1: the rows matching `f`, paged when `page` is given, and their total count. A1 sorts by
/// available then product name; the others main warehouse first, warehouse name, product name.
pub async fn list(
    pool: &PgPool,
    f: &StockFilter,
    page: Option<(i64, i64)>,
    default_threshold: i32,
) -> Result<(Vec<StockView>, i64), sqlx::Error> {
    let mut qb = QueryBuilder::new(
        "SELECT wp.id, wp.warehouse_id, wp.product_id, p.sku AS product_sku, p.name AS product_name,
                p.image_url AS product_image_url, p.description AS product_description,
                p.price AS product_price, wp.available AS product_quantity,
                p.category_id AS product_category_id, wp.created_at, wp.updated_at, p.deleted_at,
                w.name AS warehouse_name, wp.reserved AS reserved_quantity,
                (wp.available::bigint + wp.reserved) AS on_hand_quantity, ",
    );
    push_threshold(&mut qb, default_threshold);
    qb.push(" AS low_stock_threshold, wp.available < ");
    push_threshold(&mut qb, default_threshold);
    qb.push(" AS low_stock");
    push_from(&mut qb, f, default_threshold);
    if f.alert_below.is_some() {
        qb.push(" ORDER BY wp.available, lower(p.name), wp.id");
    } else {
        qb.push(" ORDER BY w.is_main_warehouse DESC, lower(w.name), lower(p.name), wp.id");
    }
    if let Some((skip, limit)) = page {
        qb.push(" OFFSET ")
            .push_bind(skip)
            .push(" LIMIT ")
            .push_bind(limit);
    }
    let rows = qb.build_query_as::<StockView>().fetch_all(pool).await?;
    let count = if page.is_some() {
        let mut qc = QueryBuilder::new("SELECT count(*)");
        push_from(&mut qc, f, default_threshold);
        qc.build_query_scalar::<i64>().fetch_one(pool).await?
    } else {
        rows.len() as i64
    };
    Ok((rows, count))
}

/// S6: sets a row's own threshold (`None` = the default); false when there is no such row.
pub async fn set_threshold(
    pool: &PgPool,
    id: Uuid,
    threshold: Option<i32>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE warehouse_products SET low_stock_threshold = $2, updated_at = now() WHERE id = $1",
    )
    .bind(id)
    .bind(threshold)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The gauge `warehouse_low_stock_rows`: live rows under their threshold or the default.
pub async fn low_stock_rows(pool: &PgPool, default_threshold: i32) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT count(*) FROM warehouse_products wp JOIN warehouses w ON w.id = wp.warehouse_id
         JOIN products p ON p.id = wp.product_id
         WHERE w.deleted_at IS NULL AND p.deleted_at IS NULL
           AND wp.available < COALESCE(wp.low_stock_threshold, $1)",
    )
    .bind(default_threshold)
    .fetch_one(pool)
    .await
}
