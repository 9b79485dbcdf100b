//! The order aggregate in PostgreSQL (api/order.md §4): read one or many with lines, allocations and
//! address; list with filters; insert a new PENDING order; read the history.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, PgPool, Row};
use uuid::Uuid;

use crate::domain::checkout::Address;
use crate::domain::listing::ListFilter;
use crate::domain::shipping::CostedAllocation;
use crate::domain::status::OrderStatus;

#[derive(Debug, Clone)]
pub struct OrderRecord {
    pub id: Uuid,
    pub user_id: Uuid,
    pub status: OrderStatus,
    pub subtotal: Decimal,
    pub shipping_total: Decimal,
    pub total_price: Decimal,
    pub payment_deadline: Option<DateTime<Utc>>,
    pub payment_id: Option<Uuid>,
    pub payment_status: Option<String>,
    pub payment_note: Option<String>,
    pub payment_rejections: i32,
    pub refund_status: String,
    pub refund_note: String,
    pub status_note: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub address: Address,
    pub items: Vec<ItemRecord>,
}

#[derive(Debug, Clone)]
pub struct ItemRecord {
    pub id: Uuid,
    pub product_id: Uuid,
    pub product_name: String,
    pub sku: String,
    pub image_url: String,
    pub category_id: Option<String>,
    pub price: Decimal,
    pub quantity: i32,
    pub shipping_cost: Decimal,
    pub note: String,
    pub allocations: Vec<CostedAllocation>,
}

#[derive(Debug, Clone)]
pub struct HistoryRecord {
    pub id: Uuid,
    pub order_id: Uuid,
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: String,
    pub actor: String,
    pub actor_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// A checked-out order ready to insert.
pub struct NewOrder {
    pub id: Uuid,
    pub user_id: Uuid,
    pub subtotal: Decimal,
    pub shipping_total: Decimal,
    pub address: Address,
    pub items: Vec<ItemRecord>,
}

const HEAD: &str = "SELECT o.id, o.user_id, o.status, o.subtotal, o.shipping_total, o.total_price,
    o.payment_deadline, o.payment_id, o.payment_status, o.payment_note, o.payment_rejections,
    o.refund_status, o.refund_note, o.status_note, o.created_at, o.updated_at,
    a.street, a.city, a.state, a.zip_code, a.note AS address_note
    FROM orders o JOIN order_addresses a ON a.order_id = o.id";

fn head(row: &PgRow) -> Result<OrderRecord, sqlx::Error> {
    let status: String = row.try_get("status")?;
    Ok(OrderRecord {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        status: status
            .parse()
            .map_err(|()| sqlx::Error::Decode(format!("unknown status {status}").into()))?,
        subtotal: row.try_get("subtotal")?,
        shipping_total: row.try_get("shipping_total")?,
        total_price: row.try_get("total_price")?,
        payment_deadline: row.try_get("payment_deadline")?,
        payment_id: row.try_get("payment_id")?,
        payment_status: row.try_get("payment_status")?,
        payment_note: row.try_get("payment_note")?,
        payment_rejections: row.try_get("payment_rejections")?,
        refund_status: row.try_get("refund_status")?,
        refund_note: row.try_get("refund_note")?,
        status_note: row.try_get("status_note")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        address: Address {
            street: row.try_get("street")?,
            city: row.try_get("city")?,
            state: row.try_get("state")?,
            zipcode: row.try_get("zip_code")?,
            note: row.try_get("address_note")?,
        },
        items: Vec::new(),
    })
}

/// One order with its lines, or None.
pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<OrderRecord>, sqlx::Error> {
    Ok(load_many(conn, &[id]).await?.pop())
}

/// Orders by id, in the order of `ids` (missing ones skipped).
pub async fn load_many(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> Result<Vec<OrderRecord>, sqlx::Error> {
    let heads = sqlx::query(&format!("{HEAD} WHERE o.id = ANY($1)"))
        .bind(ids)
        .fetch_all(&mut *conn)
        .await?;
    let mut orders: HashMap<Uuid, OrderRecord> = HashMap::new();
    for row in &heads {
        let order = head(row)?;
        orders.insert(order.id, order);
    }
    let items = sqlx::query(
        "SELECT id, order_id, product_id, product_name, sku, image_url, category_id, price, quantity,
                shipping_cost, note
         FROM order_items WHERE order_id = ANY($1) ORDER BY order_id, line_no",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?;
    let allocations = sqlx::query(
        "SELECT al.order_item_id, al.warehouse_id, al.warehouse_zip_code, al.quantity, al.distance,
                al.shipping_cost
         FROM order_item_allocations al JOIN order_items i ON i.id = al.order_item_id
         WHERE i.order_id = ANY($1)
         ORDER BY al.order_item_id, al.distance NULLS LAST, al.warehouse_id",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?;
    let mut by_item: HashMap<Uuid, Vec<CostedAllocation>> = HashMap::new();
    for row in &allocations {
        by_item
            .entry(row.try_get("order_item_id")?)
            .or_default()
            .push(CostedAllocation {
                warehouse_id: row.try_get("warehouse_id")?,
                warehouse_zip_code: row.try_get("warehouse_zip_code")?,
                quantity: row.try_get("quantity")?,
                distance: row.try_get("distance")?,
                shipping_cost: row.try_get("shipping_cost")?,
            });
    }
    for row in &items {
        let order_id: Uuid = row.try_get("order_id")?;
        let id: Uuid = row.try_get("id")?;
        if let Some(order) = orders.get_mut(&order_id) {
            order.items.push(ItemRecord {
                id,
                product_id: row.try_get("product_id")?,
                product_name: row.try_get("product_name")?,
                sku: row.try_get("sku")?,
                image_url: row.try_get("image_url")?,
                category_id: row.try_get("category_id")?,
                price: row.try_get("price")?,
                quantity: row.try_get("quantity")?,
                shipping_cost: row.try_get("shipping_cost")?,
                note: row.try_get("note")?,
                allocations: by_item.remove(&id).unwrap_or_default(),
            });
        }
    }
    Ok(ids.iter().filter_map(|id| orders.remove(id)).collect())
}

/// One page of orders matching `filter`, newest first, and the count of all matches.
pub async fn list(
    pool: &PgPool,
    filter: &ListFilter,
) -> Result<(Vec<OrderRecord>, i64), sqlx::Error> {
    let statuses: Vec<&str> = filter.statuses.iter().map(|s| s.as_str()).collect();
    const WHERE: &str = "WHERE ($1::uuid IS NULL OR user_id = $1)
          AND (cardinality($2::text[]) = 0 OR status = ANY($2))
          AND ($3::timestamptz IS NULL OR created_at >= $3)
          AND ($4::timestamptz IS NULL OR created_at < $4)";
    let mut conn = pool.acquire().await?;
    let count: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM orders {WHERE}"))
        .bind(filter.user_id)
        .bind(&statuses)
        .bind(filter.created_from)
        .bind(filter.created_before)
        .fetch_one(&mut *conn)
        .await?;
    let ids: Vec<Uuid> = sqlx::query_scalar(&format!(
        "SELECT id FROM orders {WHERE} ORDER BY created_at DESC, id DESC OFFSET $5 LIMIT $6"
    ))
    .bind(filter.user_id)
    .bind(&statuses)
    .bind(filter.created_from)
    .bind(filter.created_before)
    .bind(filter.skip)
    .bind(filter.limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok((load_many(&mut conn, &ids).await?, count))
}

/// Inserts a PENDING order with its deadline, lines, allocations, address and creation history row.
pub async fn insert(
    conn: &mut PgConnection,
    order: &NewOrder,
    payment_timeout_secs: f64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO orders (id, user_id, status, subtotal, shipping_total, total_price, payment_deadline,
                             created_at, updated_at)
         VALUES ($1, $2, 'PENDING', $3, $4, $3 + $4, now() + make_interval(secs => $5), now(), now())",
    )
    .bind(order.id)
    .bind(order.user_id)
    .bind(order.subtotal)
    .bind(order.shipping_total)
    .bind(payment_timeout_secs)
    .execute(&mut *conn)
    .await?;
    let a = &order.address;
    sqlx::query(
        "INSERT INTO order_addresses (order_id, street, city, state, zip_code, note)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(order.id)
    .bind(&a.street)
    .bind(&a.city)
    .bind(&a.state)
    .bind(&a.zipcode)
    .bind(&a.note)
    .execute(&mut *conn)
    .await?;
    for (line_no, item) in order.items.iter().enumerate() {
        sqlx::query(
            "INSERT INTO order_items (id, order_id, line_no, product_id, product_name, sku, image_url,
                                      category_id, price, quantity, shipping_cost, note)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(item.id)
        .bind(order.id)
        .bind(line_no as i16)
        .bind(item.product_id)
        .bind(&item.product_name)
        .bind(&item.sku)
        .bind(&item.image_url)
        .bind(&item.category_id)
        .bind(item.price)
        .bind(item.quantity)
        .bind(item.shipping_cost)
        .bind(&item.note)
        .execute(&mut *conn)
        .await?;
        for al in &item.allocations {
            sqlx::query(
                "INSERT INTO order_item_allocations (order_item_id, warehouse_id, warehouse_zip_code,
                                                     quantity, distance, shipping_cost)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(item.id)
            .bind(al.warehouse_id)
            .bind(&al.warehouse_zip_code)
            .bind(al.quantity)
            .bind(al.distance)
            .bind(al.shipping_cost)
            .execute(&mut *conn)
            .await?;
        }
    }
    insert_history(
        conn,
        order.id,
        None,
        OrderStatus::Pending,
        "",
        "customer",
        None,
    )
    .await
}

/// One history row; `created_at` is the statement's clock so rows of one transaction keep their order.
pub async fn insert_history(
    conn: &mut PgConnection,
    order_id: Uuid,
    from: Option<OrderStatus>,
    to: OrderStatus,
    note: &str,
    actor: &str,
    actor_id: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO order_status_history (id, order_id, from_status, to_status, note, actor, actor_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, clock_timestamp())",
    )
    .bind(Uuid::now_v7())
    .bind(order_id)
    .bind(from.map(|s| s.as_str()))
    .bind(to.as_str())
    .bind(note)
    .bind(actor)
    .bind(actor_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The order's history, oldest first.
pub async fn history(pool: &PgPool, order_id: Uuid) -> Result<Vec<HistoryRecord>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, order_id, from_status, to_status, note, actor, actor_id, created_at
         FROM order_status_history WHERE order_id = $1 ORDER BY created_at, id",
    )
    .bind(order_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(HistoryRecord {
                id: r.try_get("id")?,
                order_id: r.try_get("order_id")?,
                from_status: r.try_get("from_status")?,
                to_status: r.try_get("to_status")?,
                note: r.try_get("note")?,
                actor: r.try_get("actor")?,
                actor_id: r.try_get("actor_id")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// Locks the order row for a change in the caller's transaction; None when unknown.
pub async fn lock(conn: &mut PgConnection, id: Uuid) -> Result<Option<OrderRecord>, sqlx::Error> {
    let locked: Option<Uuid> = sqlx::query_scalar("SELECT id FROM orders WHERE id = $1 FOR UPDATE")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    match locked {
        Some(id) => find(conn, id).await,
        None => Ok(None),
    }
}
