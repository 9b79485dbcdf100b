//! The snapshot's reads: a paginated Scan of a table, and the `changed-index` Query of items changed since a
//! watermark (contract: api/product.md §4.5). Every call follows `LastEvaluatedKey`.

use aws_sdk_dynamodb::Client;

use super::items::{n, s, Item, CHANGED_SHARD};
use super::StoreError;

/// Every item of `table`.
pub async fn scan_all(dynamodb: &Client, table: &str) -> Result<Vec<Item>, StoreError> {
    let mut items = Vec::new();
    let mut start = None;
    loop {
        let page = dynamodb
            .scan()
            .table_name(table)
            .set_exclusive_start_key(start)
            .send()
            .await
            .map_err(StoreError::from_sdk)?;
        items.extend(page.items().iter().cloned());
        start = page.last_evaluated_key().cloned();
        if start.is_none() {
            return Ok(items);
        }
    }
}

/// Items of `table` whose `changed_at` is above `since` (epoch ms).
pub async fn changed_since(
    dynamodb: &Client,
    table: &str,
    since: i64,
) -> Result<Vec<Item>, StoreError> {
    let mut items = Vec::new();
    let mut start = None;
    loop {
        let page = dynamodb
            .query()
            .table_name(table)
            .index_name("changed-index")
            .key_condition_expression("changed_shard = :shard AND changed_at > :since")
            .expression_attribute_values(":shard", s(CHANGED_SHARD))
            .expression_attribute_values(":since", n(since))
            .set_exclusive_start_key(start)
            .send()
            .await
            .map_err(StoreError::from_sdk)?;
        items.extend(page.items().iter().cloned());
        start = page.last_evaluated_key().cloned();
        if start.is_none() {
            return Ok(items);
        }
    }
}
