//! Reading rows for admins: the paged list with its count, and the ordered rows of a download.

use futures::stream::BoxStream;
use futures::StreamExt;
use sqlx::{PgPool, Postgres, QueryBuilder};

use super::{push_where, ROW_COLUMNS};
use crate::domain::filter::{Paging, SalesFilter};
use crate::domain::SaleRow;

/// The number of rows matching `filter` (the list's `count`, the downloads' size check).
pub async fn count(pool: &PgPool, filter: &SalesFilter) -> Result<i64, sqlx::Error> {
    let mut query = QueryBuilder::<Postgres>::new("SELECT count(*) FROM sales");
    push_where(&mut query, filter);
    query.build_query_scalar().fetch_one(pool).await
}

fn select<'a>(filter: &'a SalesFilter) -> QueryBuilder<'a, Postgres> {
    let mut query = QueryBuilder::<Postgres>::new(format!("SELECT {ROW_COLUMNS} FROM sales"));
    push_where(&mut query, filter);
    // contract: §2.3, newest first, ties by id.
    query.push(" ORDER BY sold_at DESC, id DESC");
    query
}

/// One page of the list.
pub async fn page(
    pool: &PgPool,
    filter: &SalesFilter,
    paging: Paging,
) -> Result<Vec<SaleRow>, sqlx::Error> {
    if paging.limit == 0 {
        return Ok(Vec::new());
    }
    let mut query = select(filter);
    query
        .push(" LIMIT ")
        .push_bind(paging.limit)
        .push(" OFFSET ")
        .push_bind(paging.skip);
    query.build_query_as().fetch_all(pool).await
}

/// Every matching row in list order, read from the database as the consumer asks for them.
pub fn stream(
    pool: PgPool,
    filter: SalesFilter,
) -> BoxStream<'static, Result<SaleRow, sqlx::Error>> {
    Box::pin(async_rows(pool, filter))
}

fn async_rows(
    pool: PgPool,
    filter: SalesFilter,
) -> impl futures::Stream<Item = Result<SaleRow, sqlx::Error>> + Send + 'static {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<SaleRow, sqlx::Error>>(256);
    tokio::spawn(async move {
        let mut query = select(&filter);
        let mut rows = query.build_query_as::<SaleRow>().fetch(&pool);
        while let Some(row) = rows.next().await {
            let failed = row.is_err();
            if tx.send(row).await.is_err() || failed {
                break;
            }
        }
    });
    // Fused: a body layer (gzip) may poll once more after the end.
    futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|r| (r, rx)) }).fuse()
}

/// Every matching row in list order, in memory (the XLSX and PDF downloads, whose sizes are capped).
pub async fn all(pool: &PgPool, filter: &SalesFilter) -> Result<Vec<SaleRow>, sqlx::Error> {
    let mut query = select(filter);
    query.build_query_as().fetch_all(pool).await
}
