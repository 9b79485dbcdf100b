//! Conditional writes of the seed: each item is put only when absent, and the counters of its category move in
//! the same transaction (contract: api/product.md §2.5, §2.8, §4.2).

use anyhow::{anyhow, bail};
use aws_sdk_dynamodb::error::DisplayErrorContext;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem, Update};
use uuid::Uuid;

use super::items::{self, n, s, Item, Stamp};
use super::DemoProduct;
use crate::store::bootstrap::StoreNames;

pub(super) async fn exists(
    dynamodb: &aws_sdk_dynamodb::Client,
    table: &str,
    id: Uuid,
) -> anyhow::Result<bool> {
    let out = dynamodb
        .get_item()
        .table_name(table)
        .key("id", s(id.to_string()))
        .projection_expression("id")
        .consistent_read(true)
        .send()
        .await
        .map_err(|e| anyhow!("GetItem {table} {id}: {}", DisplayErrorContext(e)))?;
    Ok(out.item().is_some())
}

fn put_if_absent(table: &str, item: Item) -> anyhow::Result<TransactWriteItem> {
    let put = Put::builder()
        .table_name(table)
        .set_item(Some(item))
        .condition_expression("attribute_not_exists(id)")
        .build()?;
    Ok(TransactWriteItem::builder().put(put).build())
}

/// `counter + 1` on a live category, refreshing its `changed_at` for the snapshot (contract: api/product.md §4.2).
fn bump_counter(table: &str, id: Uuid, counter: &str) -> anyhow::Result<TransactWriteItem> {
    let update = Update::builder()
        .table_name(table)
        .key("id", s(id.to_string()))
        .update_expression(format!(
            "SET {counter} = {counter} + :one, changed_at = :now"
        ))
        .condition_expression("attribute_exists(id) AND attribute_not_exists(deleted_at)")
        .expression_attribute_values(":one", n(1))
        .expression_attribute_values(":now", n(Stamp::now().millis()))
        .build()?;
    Ok(TransactWriteItem::builder().update(update).build())
}

/// One transaction: category, name guard and the parent's `child_count` (contract: api/product.md §2.8 C1).
/// `Ok(false)` when a concurrent writer created the same category first.
pub(super) async fn create_category(
    dynamodb: &aws_sdk_dynamodb::Client,
    table: &str,
    id: Uuid,
    item: Item,
    name: &str,
    parent: Option<Uuid>,
) -> anyhow::Result<bool> {
    let mut writes = vec![
        put_if_absent(table, item)?,
        put_if_absent(table, items::name_guard_item(id, name, parent))?,
    ];
    if let Some(parent) = parent {
        writes.push(bump_counter(table, parent, "child_count")?);
    }
    match dynamodb
        .transact_write_items()
        .set_transact_items(Some(writes))
        .send()
        .await
    {
        Ok(_) => Ok(true),
        Err(e) => {
            if exists(dynamodb, table, id).await? {
                return Ok(false);
            }
            match cancellation_codes(e.as_service_error()) {
                Some(why) => bail!(
                    "category {id} ({name}) not created: a live sibling already uses the name, or its parent is \
                     missing or deleted [{why}]"
                ),
                None => bail!("TransactWriteItems category {id}: {}", DisplayErrorContext(e)),
            }
        }
    }
}

/// One transaction: the product and its category's `product_count` (contract: api/product.md §2.5 P5, without
/// the outbox item). `Ok(false)` when a concurrent writer created the same product first.
pub(super) async fn create_product(
    dynamodb: &aws_sdk_dynamodb::Client,
    names: &StoreNames,
    product: &DemoProduct,
    item: Item,
) -> anyhow::Result<bool> {
    let writes = vec![
        put_if_absent(&names.products_table, item)?,
        bump_counter(
            &names.categories_table,
            product.category_id,
            "product_count",
        )?,
    ];
    match dynamodb
        .transact_write_items()
        .set_transact_items(Some(writes))
        .send()
        .await
    {
        Ok(_) => Ok(true),
        Err(e) => {
            if exists(dynamodb, &names.products_table, product.id).await? {
                return Ok(false);
            }
            match cancellation_codes(e.as_service_error()) {
                Some(why) => bail!(
                    "product {} not created: category {} is missing or deleted [{why}]",
                    product.id,
                    product.category_id
                ),
                None => bail!(
                    "TransactWriteItems product {}: {}",
                    product.id,
                    DisplayErrorContext(e)
                ),
            }
        }
    }
}

/// The per-write reasons of a cancelled transaction, or `None` for any other failure.
fn cancellation_codes(err: Option<&TransactWriteItemsError>) -> Option<String> {
    match err {
        Some(TransactWriteItemsError::TransactionCanceledException(ex)) => Some(
            ex.cancellation_reasons()
                .iter()
                .map(|r| r.code().unwrap_or("?"))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        _ => None,
    }
}
