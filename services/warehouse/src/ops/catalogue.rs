//! The effects of `product.*` events on the copy and the stock (contract: api/warehouse.md §5.2).

use sqlx::PgConnection;
use uuid::Uuid;

use crate::store::movements::{self, NewMovement};
use crate::store::outbox::{stock_changed, Reason};
use crate::store::products::{self, ProductCopy};
use crate::store::stock;

/// `product.created`: upsert the copy; unless it is a tombstone and if the product has no stock row yet,
/// a row in the main warehouse with `quantity`, an INITIAL movement when > 0, and `stock.changed`.
pub async fn created(
    conn: &mut PgConnection,
    copy: &ProductCopy,
    quantity: i32,
) -> Result<(), sqlx::Error> {
    if !products::upsert(conn, copy).await? {
        return Ok(());
    }
    let has_rows: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM warehouse_products WHERE product_id = $1)",
    )
    .bind(copy.id)
    .fetch_one(&mut *conn)
    .await?;
    if has_rows {
        return Ok(());
    }
    let Some(main) = main_warehouse(conn).await? else {
        tracing::error!(product_id = %copy.id, "no main warehouse: the new product gets no stock row");
        return Ok(());
    };
    stock::add_available(conn, main, copy.id, quantity).await?;
    if quantity > 0 {
        let movement = NewMovement {
            kind: "INITIAL",
            product_id: copy.id,
            product_name: &copy.name,
            quantity,
            from: None,
            to: Some(main),
            to_user: None,
            order_id: None,
            created_by: None,
            note: None,
        };
        movements::insert(conn, &movement).await?;
    }
    stock_changed(conn, &[copy.id], Reason::Initial).await
}

/// The main warehouse `FOR SHARE`. A concurrent W6 may move the flag while we wait: the row then no
/// longer matches, so look again (the new main is committed by then).
async fn main_warehouse(conn: &mut PgConnection) -> Result<Option<Uuid>, sqlx::Error> {
    for _ in 0..5 {
        let id: Option<Uuid> =
            sqlx::query_scalar("SELECT id FROM warehouses WHERE is_main_warehouse FOR SHARE")
                .fetch_optional(&mut *conn)
                .await?;
        if id.is_some() {
            return Ok(id);
        }
    }
    Ok(None)
}
