//! The demo catalogue file (`scripts/demo/catalogue.json`): the part the product service seeds, checked
//! before anything is written. Warehouses in the file are the warehouse service's business and ignored here.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use anyhow::{bail, ensure, Context};
use serde::Deserialize;
use uuid::Uuid;

use super::{CAR_ID, MOTOR_ID};

/// The demo catalogue: subcategories of Car and Motor, and products with their image and stock.
#[derive(Clone, Debug, Deserialize)]
pub struct Catalogue {
    pub categories: Vec<DemoCategory>,
    pub products: Vec<DemoProduct>,
}

/// A demo subcategory; its parent is a root or a category listed before it.
#[derive(Clone, Debug, Deserialize)]
pub struct DemoCategory {
    pub id: Uuid,
    pub name: String,
    pub parent_id: Uuid,
}

/// A demo product with fixed id, SKU and image key, so the warehouse's copy matches it.
#[derive(Clone, Debug, Deserialize)]
pub struct DemoProduct {
    pub id: Uuid,
    pub sku: String,
    pub name: String,
    pub description: String,
    /// Exact decimal text with two places, e.g. `"27450.00"`.
    pub price: String,
    pub category_id: Uuid,
    /// File name under the images directory.
    pub image: String,
    /// `product/<uuid v4>.<ext>` (contract: api/product.md §4.3).
    pub image_key: String,
    /// Units per warehouse id; the product's `quantity` is their sum.
    pub stock: BTreeMap<Uuid, u32>,
}

impl DemoProduct {
    /// Total available units across warehouses (contract: api/product.md §2.1 `quantity`).
    pub fn quantity(&self) -> u64 {
        self.stock.values().map(|&q| u64::from(q)).sum()
    }
}

impl Catalogue {
    /// Reads and validates the file.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("read {}", path.display()))?;
        let catalogue: Catalogue =
            serde_json::from_str(&text).with_context(|| format!("parse {}", path.display()))?;
        catalogue
            .validate()
            .with_context(|| format!("check {}", path.display()))?;
        Ok(catalogue)
    }

    /// Checks what the store's conditions would otherwise reject half-way: known parents in order, unique
    /// ids and sibling names, SKU and image key forms, prices with two decimals.
    pub fn validate(&self) -> anyhow::Result<()> {
        let mut known: HashSet<Uuid> = [CAR_ID, MOTOR_ID].into();
        let mut sibling_names = HashSet::new();
        for c in &self.categories {
            ensure!(
                known.contains(&c.parent_id),
                "category {}: parent {} is not listed before it",
                c.id,
                c.parent_id
            );
            ensure!(
                (1..=100).contains(&c.name.trim().chars().count()),
                "category {}: name must be 1–100 chars",
                c.id
            );
            ensure!(known.insert(c.id), "category {} is listed twice", c.id);
            ensure!(
                sibling_names.insert((c.parent_id, c.name.trim().to_lowercase())),
                "category {}: sibling name taken",
                c.id
            );
        }
        let mut ids = HashSet::new();
        for p in &self.products {
            ensure!(ids.insert(p.id), "product {} is listed twice", p.id);
            ensure!(
                known.contains(&p.category_id),
                "product {}: unknown category {}",
                p.id,
                p.category_id
            );
            ensure!(
                (1..=200).contains(&p.name.trim().chars().count()),
                "product {}: name must be 1–200 chars",
                p.id
            );
            ensure!(
                !p.description.trim().is_empty(),
                "product {}: empty description",
                p.id
            );
            ensure!(
                is_sku(&p.sku),
                "product {}: sku must look like SKU-<unix-nanos>-<8 hex>",
                p.id
            );
            ensure!(
                is_price(&p.price),
                "product {}: price must be > 0 with exactly 2 decimals",
                p.id
            );
            ensure!(
                image_key_extension(&p.image_key).is_some(),
                "product {}: image_key must be product/<uuid>.<ext>",
                p.id
            );
            if p.image.contains('/') || p.image.contains("..") || p.image.is_empty() {
                bail!("product {}: image must be a plain file name", p.id);
            }
        }
        Ok(())
    }
}

/// `SKU-<unix-nanos>-<8 lowercase hex>` (contract: api/product.md §2.1).
fn is_sku(sku: &str) -> bool {
    let mut parts = sku.splitn(3, '-');
    let (Some("SKU"), Some(nanos), Some(hex)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !nanos.is_empty()
        && nanos.bytes().all(|b| b.is_ascii_digit())
        && hex.len() == 8
        && hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Digits, a dot, two digits; above zero and within `NUMERIC(12,2)` (contract: api/product.md §2.5).
fn is_price(price: &str) -> bool {
    let Some((whole, cents)) = price.split_once('.') else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole)
        && whole.len() <= 10
        && cents.len() == 2
        && digits(cents)
        && price.bytes().any(|b| (b'1'..=b'9').contains(&b))
}

/// The extension of a `product/<uuid>.<jpg|png|webp|gif>` key.
pub fn image_key_extension(key: &str) -> Option<&str> {
    let file = key.strip_prefix("product/")?;
    let (stem, ext) = file.split_once('.')?;
    Uuid::parse_str(stem)
        .ok()
        .filter(|_| stem.len() == 36 && stem == stem.to_lowercase())?;
    ["jpg", "png", "webp", "gif"].contains(&ext).then_some(ext)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalogue_is_valid() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/demo/catalogue.json");
        let catalogue = Catalogue::load(&path).unwrap();
        assert_eq!(
            (catalogue.categories.len(), catalogue.products.len()),
            (12, 12)
        );
    }

    #[test]
    fn forms_are_checked() {
        assert!(is_sku("SKU-1734400000000000000-09d5aa9d"));
        assert!(
            !is_sku("SKU-17344-09D5AA9D") && !is_sku("SKU-x-09d5aa9d") && !is_sku("SKU-1-09d5aa9")
        );
        assert!(is_price("27450.00") && is_price("0.50"));
        assert!(!is_price("0.00") && !is_price("12.345") && !is_price("12") && !is_price("-1.00"));
        assert_eq!(
            image_key_extension("product/2e939f89-e0bd-4352-8f8d-c479f564e7e7.png"),
            Some("png")
        );
        assert_eq!(image_key_extension("product/../x.png"), None);
    }
}
