//! Catalogue seeding: the pinned root categories Car and Motor at every start, and the demo catalogue of the
//! `seed` subcommand (contract: api/product.md §4.2; design §7). Every write is conditional on the item being
//! absent, so a second run changes nothing. No outbox event is written: the warehouse seeds its own copy.

pub mod catalogue;
mod images;
pub(crate) mod items;
mod writes;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use uuid::Uuid;

use crate::store::bootstrap::StoreNames;
pub use catalogue::{Catalogue, DemoCategory, DemoProduct};
pub use images::{detect_image, IMAGE_CACHE_CONTROL};
use items::Stamp;
use writes::{create_category, create_product, exists};

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
