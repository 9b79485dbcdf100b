//! `AWS_BOOTSTRAP=true`: creates the missing DynamoDB tables, their GSIs and the private image bucket, and
//! waits until they are usable (contract: api/product.md §4.1–4.4, §6). Existing resources are left as they
//! are, so running it at every start (or twice) is harmless.

use std::time::Duration;

use anyhow::{anyhow, bail};
use aws_sdk_dynamodb::error::DisplayErrorContext;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, CreateGlobalSecondaryIndexAction, GlobalSecondaryIndex,
    GlobalSecondaryIndexUpdate, IndexStatus, KeySchemaElement, KeyType, Projection, ProjectionType,
    ScalarAttributeType, TableStatus,
};

/// The names of the product service's AWS resources (contract: api/product.md §6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreNames {
    /// `PRODUCT_TABLE`, default `eshop-products`.
    pub products_table: String,
    /// `CATEGORY_TABLE`, default `eshop-product-categories`.
    pub categories_table: String,
    /// `PRODUCT_OUTBOX_TABLE`, default `eshop-product-outbox`.
    pub outbox_table: String,
    /// `AWS_PRODUCT_BUCKET`, default `eshop-product-images`.
    pub bucket: String,
}

impl StoreNames {
    /// Reads the names from the environment, with the local defaults.
    pub fn from_env() -> Self {
        let var = |name: &str, default: &str| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| default.to_owned())
        };
        Self {
            products_table: var("PRODUCT_TABLE", "eshop-products"),
            categories_table: var("CATEGORY_TABLE", "eshop-product-categories"),
            outbox_table: var("PRODUCT_OUTBOX_TABLE", "eshop-product-outbox"),
            bucket: var("AWS_PRODUCT_BUCKET", "eshop-product-images"),
        }
    }
}

/// The sparse GSI of a table: name, hash key and range key with their types.
struct IndexSpec {
    name: &'static str,
    hash: (&'static str, ScalarAttributeType),
    range: (&'static str, ScalarAttributeType),
}

/// contract: api/product.md §4.1, §4.2 — sparse `changed-index` for the snapshot's incremental refresh.
fn changed_index() -> IndexSpec {
    IndexSpec {
        name: "changed-index",
        hash: ("changed_shard", ScalarAttributeType::S),
        range: ("changed_at", ScalarAttributeType::N),
    }
}

/// contract: api/product.md §4.4 — sparse `pending-index` of the outbox.
fn pending_index() -> IndexSpec {
    IndexSpec {
        name: "pending-index",
        hash: ("pending", ScalarAttributeType::S),
        range: ("occurred_at", ScalarAttributeType::S),
    }
}

/// Creates the three tables and the bucket when missing and waits until they are active.
pub async fn bootstrap_stores(
    dynamodb: &aws_sdk_dynamodb::Client,
    s3: &aws_sdk_s3::Client,
    names: &StoreNames,
) -> anyhow::Result<()> {
    ensure_table(dynamodb, &names.products_table, changed_index()).await?;
    ensure_table(dynamodb, &names.categories_table, changed_index()).await?;
    ensure_table(dynamodb, &names.outbox_table, pending_index()).await?;
    eshop_common::aws::bucket::ensure_private_bucket(s3, &names.bucket).await?;
    Ok(())
}

fn key(name: &str, key_type: KeyType) -> anyhow::Result<KeySchemaElement> {
    Ok(KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(key_type)
        .build()?)
}

fn definition(name: &str, kind: ScalarAttributeType) -> anyhow::Result<AttributeDefinition> {
    Ok(AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(kind)
        .build()?)
}

fn definitions(index: &IndexSpec) -> anyhow::Result<Vec<AttributeDefinition>> {
    Ok(vec![
        definition("id", ScalarAttributeType::S)?,
        definition(index.hash.0, index.hash.1.clone())?,
        definition(index.range.0, index.range.1.clone())?,
    ])
}

fn index_keys(index: &IndexSpec) -> anyhow::Result<Vec<KeySchemaElement>> {
    Ok(vec![
        key(index.hash.0, KeyType::Hash)?,
        key(index.range.0, KeyType::Range)?,
    ])
}

fn projection_all() -> Projection {
    Projection::builder()
        .projection_type(ProjectionType::All)
        .build()
}

/// Creates table `name` (key `id` S, on-demand) with its GSI, or adds the GSI to an existing table that
/// lacks it; then waits until table and index are `ACTIVE`.
async fn ensure_table(
    client: &aws_sdk_dynamodb::Client,
    name: &str,
    index: IndexSpec,
) -> anyhow::Result<()> {
    match client.describe_table().table_name(name).send().await {
        Ok(described) => {
            let has_index = described
                .table()
                .map(|t| {
                    t.global_secondary_indexes()
                        .iter()
                        .any(|i| i.index_name() == Some(index.name))
                })
                .unwrap_or(false);
            if !has_index {
                wait_until_active(client, name, None).await?;
                let create = CreateGlobalSecondaryIndexAction::builder()
                    .index_name(index.name)
                    .set_key_schema(Some(index_keys(&index)?))
                    .projection(projection_all())
                    .build()?;
                client
                    .update_table()
                    .table_name(name)
                    .set_attribute_definitions(Some(definitions(&index)?))
                    .global_secondary_index_updates(
                        GlobalSecondaryIndexUpdate::builder().create(create).build(),
                    )
                    .send()
                    .await
                    .map_err(|e| anyhow!("UpdateTable {name}: {}", DisplayErrorContext(e)))?;
                tracing::info!(table = name, index = index.name, "index added");
            }
        }
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            let gsi = GlobalSecondaryIndex::builder()
                .index_name(index.name)
                .set_key_schema(Some(index_keys(&index)?))
                .projection(projection_all())
                .build()?;
            let created = client
                .create_table()
                .table_name(name)
                .billing_mode(BillingMode::PayPerRequest)
                .set_attribute_definitions(Some(definitions(&index)?))
                .key_schema(key("id", KeyType::Hash)?)
                .global_secondary_indexes(gsi)
                .send()
                .await;
            match created {
                Ok(_) => tracing::info!(table = name, "table created"),
                // Another replica created it meanwhile.
                Err(e)
                    if e.as_service_error()
                        .is_some_and(|s| s.is_resource_in_use_exception()) => {}
                Err(e) => bail!("CreateTable {name}: {}", DisplayErrorContext(e)),
            }
        }
        Err(e) => bail!("DescribeTable {name}: {}", DisplayErrorContext(e)),
    }
    wait_until_active(client, name, Some(index.name)).await
}

/// Polls `DescribeTable` until the table (and `index`, when given) is `ACTIVE`, for at most two minutes.
async fn wait_until_active(
    client: &aws_sdk_dynamodb::Client,
    name: &str,
    index: Option<&str>,
) -> anyhow::Result<()> {
    for _ in 0..600 {
        let described = client
            .describe_table()
            .table_name(name)
            .send()
            .await
            .map_err(|e| anyhow!("DescribeTable {name}: {}", DisplayErrorContext(e)))?;
        let table = described.table();
        let table_active = table.and_then(|t| t.table_status()) == Some(&TableStatus::Active);
        let index_active = index.is_none_or(|wanted| {
            table
                .map(|t| t.global_secondary_indexes())
                .unwrap_or_default()
                .iter()
                .find(|i| i.index_name() == Some(wanted))
                .is_some_and(|i| i.index_status().is_none_or(|s| *s == IndexStatus::Active))
        });
        if table_active && index_active {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    bail!("table {name} did not become ACTIVE in time")
}
