//! SQL of the `sales` database (api/sales-report.md §3), one module per aggregate: the rows as events write
//! them, the rows as admins read them, the summary, and the unit costs.

pub mod costs;
pub mod ingest;
pub mod sales;
pub mod summary;

use sqlx::{Postgres, QueryBuilder};

use crate::domain::filter::SalesFilter;

/// The columns of a [`crate::domain::SaleRow`].
pub const ROW_COLUMNS: &str = "user_id, order_id, product_id, product_quantity, margin_per_product, sold_at, id, \
     product_name, sku, warehouse_id, price, cost_price, revenue, margin_total, margin_source, kind";

/// Appends ` WHERE …` for `filter` (all bounds inclusive, AND-combined; §2.1). Each condition is one an
/// index of §3 serves.
pub fn push_where<'a>(query: &mut QueryBuilder<'a, Postgres>, filter: &'a SalesFilter) {
    query.push(" WHERE TRUE");
    if let Some(from) = filter.from {
        query.push(" AND sold_at >= ").push_bind(from);
    }
    if let Some(to) = filter.to {
        query.push(" AND sold_at <= ").push_bind(to);
    }
    if let Some(product) = filter.product_id {
        query.push(" AND product_id = ").push_bind(product);
    }
    if let Some(warehouse) = filter.warehouse_id {
        query.push(" AND warehouse_id = ").push_bind(warehouse);
    }
}
