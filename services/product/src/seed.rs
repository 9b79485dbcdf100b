//! Catalogue seeding: the pinned root categories Car and Motor at every start, and the demo catalogue of the
//! `seed` subcommand (contract: api/product.md §4.2; design §7). Every write is conditional on the item being
//! absent, so a second run changes nothing. No outbox event is written: the warehouse seeds its own copy.

pub mod catalogue;
mod images;
mod items;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context};
use aws_sdk_dynamodb::error::DisplayErrorContext;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem, Update};
use uuid::Uuid;

use crate::store::bootstrap::StoreNames;
pub use catalogue::{Catalogue, DemoCategory, DemoProduct};
pub use images::{detect_image, IMAGE_CACHE_CONTROL};
use items::{n, s, Item, Stamp};

/// The seeded root `Car`; the customer frontend hard-codes this id (contract: api/product.md §4.2).
pub const CAR_ID: Uuid = Uuid::from_u128(0x0193ec82_749f_7ad6_b194_65eaf0de698f);
/// The seeded root `Motor` (contract: api/product.md §4.2).
pub const MOTOR_ID: Uuid = Uuid::from_u128(0x0193ec82_892a_7ebd_89e9_5500bfb5a634);
/// Pinned roots: renamable, never deletable.
pub const ROOT_CATEGORIES: [(Uuid, &str); 2] = [(CAR_ID, "Car"), (MOTOR_ID, "Motor")];

/// Where the demo data comes from.
#[derive(Clone, Debug)]
pub struct SeedSettings {
    /// `DEMO_CATALOGUE`, default `scripts/demo/catalogue.json`.
    pub catalogue_path: PathBuf,
    /// `DEMO_IMAGES_DIR`, default `images/` next to the catalogue file.
    pub images_dir: PathBuf,
    /// `PRODUCT_IMAGE_BASE_URL`, default `http://localhost:2001/images` (contract: api/product.md §6).
    pub image_base_url: String,
}

impl SeedSettings {
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let catalogue_path = PathBuf::from(
            var("DEMO_CATALOGUE").unwrap_or_else(|| "scripts/demo/catalogue.json".into()),
        );
        let images_dir = var("DEMO_IMAGES_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                catalogue_path
                    .parent()
                    .unwrap_or_else(|| Path::new("."))
                    .join("images")
            });
        let image_base_url =
            var("PRODUCT_IMAGE_BASE_URL").unwrap_or_else(|| "http://localhost:2001/images".into());
        Self {
            catalogue_path,
            images_dir,
            image_base_url,
        }
    }
}

/// What a seed run wrote; a rerun reports zeros.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub roots_created: usize,
    pub categories_created: usize,
    pub products_created: usize,
}

/// Creates Car and Motor with their name guards when absent (run at every start).
pub async fn seed_root_categories(
    dynamodb: &aws_sdk_dynamodb::Client,
    categories_table: &str,
) -> anyhow::Result<usize> {
    let mut created = 0;
    for (id, name) in ROOT_CATEGORIES {
        if exists(dynamodb, categories_table, id).await? {
            continue;
        }
        let item = items::category_item(id, name, None, 1, true, Stamp::now());
        if create_category(dynamodb, categories_table, id, item, name, None).await? {
            tracing::info!(%id, name, "root category created");
            created += 1;
        }
    }
    Ok(created)
}

/// The `seed` subcommand: roots, then the demo categories and products of `settings.catalogue_path`, with
/// their images uploaded to the bucket.
pub async fn seed(
    dynamodb: &aws_sdk_dynamodb::Client,
    s3: &aws_sdk_s3::Client,
    names: &StoreNames,
    settings: &SeedSettings,
) -> anyhow::Result<SeedReport> {
    let catalogue = Catalogue::load(&settings.catalogue_path)?;
    seed_demo(
        dynamodb,
        s3,
        names,
        &catalogue,
        &settings.images_dir,
        &settings.image_base_url,
    )
    .await
}

/// Seeds an already loaded catalogue; see [`seed`].
pub async fn seed_demo(
    dynamodb: &aws_sdk_dynamodb::Client,
    s3: &aws_sdk_s3::Client,
    names: &StoreNames,
    catalogue: &Catalogue,
    images_dir: &Path,
    image_base_url: &str,
) -> anyhow::Result<SeedReport> {
    catalogue.validate()?;
    let mut report = SeedReport {
        roots_created: seed_root_categories(dynamodb, &names.categories_table).await?,
        ..Default::default()
    };

    let mut depth: HashMap<Uuid, u32> = ROOT_CATEGORIES.iter().map(|(id, _)| (*id, 1)).collect();
    for c in &catalogue.categories {
        let level = depth[&c.parent_id] + 1;
        depth.insert(c.id, level);
        if exists(dynamodb, &names.categories_table, c.id).await? {
            continue;
        }
        let item =
            items::category_item(c.id, &c.name, Some(c.parent_id), level, false, Stamp::now());
        if create_category(
            dynamodb,
            &names.categories_table,
            c.id,
            item,
            &c.name,
            Some(c.parent_id),
        )
        .await?
        {
            report.categories_created += 1;
        }
    }

    for p in &catalogue.products {
        if exists(dynamodb, &names.products_table, p.id).await? {
            continue;
        }
        images::ensure_image(s3, &names.bucket, &p.image_key, &images_dir.join(&p.image))
            .await
            .with_context(|| format!("image of product {}", p.id))?;
        let item = items::product_item(
            p,
            &items::image_url(image_base_url, &p.image_key),
            Stamp::now(),
        );
        if create_product(dynamodb, names, p, item).await? {
            report.products_created += 1;
        }
    }
    tracing::info!(?report, "demo catalogue seeded");
    Ok(report)
}

async fn exists(
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
async fn create_category(
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
async fn create_product(
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
