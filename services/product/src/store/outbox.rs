//! `eshop-product-outbox` (contract: api/product.md §4.4): one item per event with the subscribers still owed
//! it, written in the change's transaction; the relay claims due items under a lease, removes delivered
//! targets, deletes finished items, and backs off or parks failed ones.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem};
use aws_sdk_dynamodb::Client;
use eshop_common::outbox::Envelope;

use super::items::{n, number, s, text, Item};
use super::StoreError;

/// An outbox item as the relay and `product outbox list` see it.
#[derive(Clone, Debug, PartialEq)]
pub struct OutboxRow {
    pub id: String,
    pub event_type: String,
    pub envelope: String,
    pub targets: Vec<String>,
    pub occurred_at: String,
    pub attempts: u32,
    pub next_attempt_at: i64,
    pub lease_until: Option<i64>,
    pub parked_at: Option<String>,
    pub last_error: Option<String>,
}

impl OutboxRow {
    fn from_item(item: &Item) -> Option<OutboxRow> {
        Some(OutboxRow {
            id: text(item, "id")?,
            event_type: text(item, "type").unwrap_or_default(),
            envelope: text(item, "envelope")?,
            targets: item
                .get("targets")
                .and_then(|v| v.as_ss().ok())
                .cloned()
                .unwrap_or_default(),
            occurred_at: text(item, "occurred_at").unwrap_or_default(),
            attempts: number(item, "attempts").unwrap_or(0).max(0) as u32,
            next_attempt_at: number(item, "next_attempt_at").unwrap_or(0),
            lease_until: number(item, "lease_until"),
            parked_at: text(item, "parked_at"),
            last_error: text(item, "last_error"),
        })
    }
}

/// The outbox Put of a transaction: `pending = "1"`, due now (contract: api/product.md §4.4).
pub fn put(
    table: &str,
    envelope: &Envelope,
    targets: &[&str],
) -> Result<TransactWriteItem, StoreError> {
    let now = chrono::Utc::now().timestamp_millis();
    let item: Item = HashMap::from([
        ("id".into(), s(envelope.id.to_string())),
        ("type".into(), s(&envelope.event_type)),
        ("envelope".into(), s(envelope.to_json().to_string())),
        (
            "targets".into(),
            AttributeValue::Ss(targets.iter().map(|t| t.to_string()).collect()),
        ),
        ("pending".into(), s("1")),
        (
            "occurred_at".into(),
            s(envelope
                .occurred_at
                .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)),
        ),
        ("attempts".into(), n(0)),
        ("next_attempt_at".into(), n(now)),
    ]);
    let put = Put::builder()
        .table_name(table)
        .set_item(Some(item))
        .condition_expression("attribute_not_exists(id)")
        .build()
        .map_err(|e| StoreError::Unavailable(e.to_string()))?;
    Ok(TransactWriteItem::builder().put(put).build())
}

/// Items still owed to a subscriber and not parked, oldest first (the sparse `pending-index`).
pub async fn pending(dynamodb: &Client, table: &str) -> Result<Vec<OutboxRow>, StoreError> {
    let mut rows = Vec::new();
    let mut start = None;
    loop {
        let page = dynamodb
            .query()
            .table_name(table)
            .index_name("pending-index")
            .key_condition_expression("pending = :one")
            .expression_attribute_values(":one", s("1"))
            .set_exclusive_start_key(start)
            .send()
            .await
            .map_err(StoreError::from_sdk)?;
        rows.extend(page.items().iter().filter_map(OutboxRow::from_item));
        start = page.last_evaluated_key().cloned();
        if start.is_none() {
            return Ok(rows);
        }
    }
}

/// Every item (pending and parked), oldest first: `product outbox list`.
pub async fn all(dynamodb: &Client, table: &str) -> Result<Vec<OutboxRow>, StoreError> {
    let mut rows: Vec<OutboxRow> = super::scan::scan_all(dynamodb, table)
        .await?
        .iter()
        .filter_map(OutboxRow::from_item)
        .collect();
    rows.sort_by(|a, b| a.occurred_at.cmp(&b.occurred_at).then(a.id.cmp(&b.id)));
    Ok(rows)
}

/// Claims a due item for `owner` until `lease_until` (epoch ms) when nobody else holds it; `None` when
/// another relay has it, it is parked, or it is gone.
pub async fn claim(
    dynamodb: &Client,
    table: &str,
    id: &str,
    owner: &str,
    now: i64,
    lease_until: i64,
) -> Result<Option<OutboxRow>, StoreError> {
    let claimed = dynamodb
        .update_item()
        .table_name(table)
        .key("id", s(id))
        .update_expression("SET lease_owner = :me, lease_until = :until")
        .condition_expression(
            "attribute_exists(pending) AND next_attempt_at <= :now AND \
             (attribute_not_exists(lease_until) OR lease_until < :now)",
        )
        .expression_attribute_values(":me", s(owner))
        .expression_attribute_values(":until", n(lease_until))
        .expression_attribute_values(":now", n(now))
        .return_values(aws_sdk_dynamodb::types::ReturnValue::AllNew)
        .send()
        .await;
    match claimed {
        Ok(out) => Ok(out.attributes().and_then(OutboxRow::from_item)),
        Err(e) => match StoreError::from_sdk(e) {
            StoreError::ConditionFailed => Ok(None),
            other => Err(other),
        },
    }
}

/// What to write after one delivery round of a claimed item.
#[derive(Clone, Debug, PartialEq)]
pub enum Record {
    /// Every target answered 2xx: the item is deleted.
    Finished,
    /// Some targets are still owed: `delivered` are removed, the item is due again at `next_attempt_at`.
    Retry {
        delivered: Vec<String>,
        attempts: u32,
        next_attempt_at: i64,
        error: String,
    },
    /// A 400 or the last allowed failure: `pending` removed, `parked_at` set.
    Park {
        delivered: Vec<String>,
        attempts: u32,
        error: String,
    },
}

/// Writes `record` while this relay still holds the lease.
pub async fn record(
    dynamodb: &Client,
    table: &str,
    id: &str,
    owner: &str,
    record: Record,
) -> Result<(), StoreError> {
    if record == Record::Finished {
        return dynamodb
            .delete_item()
            .table_name(table)
            .key("id", s(id))
            .condition_expression("lease_owner = :me")
            .expression_attribute_values(":me", s(owner))
            .send()
            .await
            .map(|_| ())
            .map_err(StoreError::from_sdk);
    }
    let now = chrono::Utc::now();
    let (delivered, attempts, error, set, remove) = match &record {
        Record::Retry {
            delivered,
            attempts,
            next_attempt_at,
            error,
        } => (
            delivered,
            *attempts,
            error,
            vec![("next_attempt_at", n(*next_attempt_at))],
            "REMOVE lease_owner, lease_until",
        ),
        Record::Park {
            delivered,
            attempts,
            error,
        } => (
            delivered,
            *attempts,
            error,
            vec![(
                "parked_at",
                s(now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
            )],
            "REMOVE lease_owner, lease_until, pending",
        ),
        Record::Finished => unreachable!("handled above"),
    };
    let mut expression = String::from("SET attempts = :attempts, last_error = :error");
    let mut request = dynamodb
        .update_item()
        .table_name(table)
        .key("id", s(id))
        .condition_expression("lease_owner = :me")
        .expression_attribute_values(":me", s(owner))
        .expression_attribute_values(":attempts", n(attempts))
        .expression_attribute_values(":error", s(error.chars().take(500).collect::<String>()));
    for (name, value) in set {
        expression.push_str(&format!(", {name} = :{name}"));
        request = request.expression_attribute_values(format!(":{name}"), value);
    }
    expression.push(' ');
    expression.push_str(remove);
    if !delivered.is_empty() {
        expression.push_str(" DELETE targets :delivered");
        request = request
            .expression_attribute_values(":delivered", AttributeValue::Ss(delivered.clone()));
    }
    request
        .update_expression(expression)
        .send()
        .await
        .map(|_| ())
        .map_err(StoreError::from_sdk)
}

/// `product outbox redrive <id>`: pending again, `attempts = 0`, due now. False when no such item.
pub async fn redrive(dynamodb: &Client, table: &str, id: &str) -> Result<bool, StoreError> {
    let result = dynamodb
        .update_item()
        .table_name(table)
        .key("id", s(id))
        .update_expression(
            "SET pending = :one, attempts = :zero, next_attempt_at = :now \
             REMOVE parked_at, lease_owner, lease_until",
        )
        .condition_expression("attribute_exists(id)")
        .expression_attribute_values(":one", s("1"))
        .expression_attribute_values(":zero", n(0))
        .expression_attribute_values(":now", n(chrono::Utc::now().timestamp_millis()))
        .send()
        .await;
    match result {
        Ok(_) => Ok(true),
        Err(e) => match StoreError::from_sdk(e) {
            StoreError::ConditionFailed => Ok(false),
            other => Err(other),
        },
    }
}
