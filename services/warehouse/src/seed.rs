//! Demo data of the runner's seed step (design §7): the demo warehouses, the warehouse's copy of the demo
//! products and their stock, from `scripts/demo/catalogue.json` — the file the product seed reads, so ids,
//! SKUs and image URLs agree. One transaction; every insert is `ON CONFLICT DO NOTHING`, so a rerun changes
//! nothing. No `stock.changed` is written: the product seed already stores the same totals with
//! `stock_version` 1 (contract: api/warehouse.md §4, §5.1).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::{ensure, Context};
use rust_decimal::Decimal;
use serde::Deserialize;
use sqlx::PgPool;
use uuid::Uuid;

/// Where the demo data comes from.
#[derive(Clone, Debug)]
pub struct SeedSettings {
    /// `DEMO_CATALOGUE`, default `scripts/demo/catalogue.json`.
    pub catalogue_path: PathBuf,
    /// `PRODUCT_IMAGE_BASE_URL`, default `http://localhost:2001/images`: the product copy's `image_url` is
    /// `<base>/<image_key>`, as the product service writes it (contract: api/product.md §4.3).
    pub image_base_url: String,
}

impl SeedSettings {
    pub fn from_env() -> Self {
        let var = |name: &str, default: &str| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| default.to_owned())
        };
        Self {
            catalogue_path: PathBuf::from(var("DEMO_CATALOGUE", "scripts/demo/catalogue.json")),
            image_base_url: var("PRODUCT_IMAGE_BASE_URL", "http://localhost:2001/images"),
        }
    }
}

/// The part of the catalogue file the warehouse seeds; categories are the product service's business.
#[derive(Clone, Debug, Deserialize)]
pub struct Catalogue {
    pub warehouses: Vec<DemoWarehouse>,
    pub products: Vec<DemoProduct>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct DemoWarehouse {
    pub id: Uuid,
    pub name: String,
    pub street: String,
    pub city: String,
    pub state: String,
    pub zip_code: String,
    #[serde(default)]
    pub is_main_warehouse: bool,
}

#[derive(Clone, Debug, Deserialize)]
pub struct DemoProduct {
    pub id: Uuid,
    pub sku: String,
    pub name: String,
    pub description: String,
    /// Exact decimal text, e.g. `"27450.00"`.
    pub price: String,
    pub category_id: Uuid,
    pub image_key: String,
    /// Units per warehouse id.
    pub stock: BTreeMap<Uuid, u32>,
}

impl Catalogue {
    /// Reads the file and checks it against the schema's rules before anything is written.
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

    fn validate(&self) -> anyhow::Result<()> {
        let mut warehouses = HashSet::new();
        for w in &self.warehouses {
            ensure!(
                warehouses.insert(w.id),
                "warehouse {} is listed twice",
                w.id
            );
            // contract: api/warehouse.md §4.1 — zip_code ~ '^[0-9]{5}$'.
            ensure!(
                w.zip_code.len() == 5 && w.zip_code.bytes().all(|b| b.is_ascii_digit()),
                "warehouse {}: zip_code must be 5 digits",
                w.id
            );
        }
        let mut products = HashSet::new();
        for p in &self.products {
            ensure!(products.insert(p.id), "product {} is listed twice", p.id);
            price(p)?;
            for (warehouse, qty) in &p.stock {
                ensure!(
                    warehouses.contains(warehouse),
                    "product {}: stock in unlisted warehouse {warehouse}",
                    p.id
                );
                ensure!(
                    i32::try_from(*qty).is_ok(),
                    "product {}: stock {qty} out of range",
                    p.id
                );
            }
        }
        Ok(())
    }
}

fn price(product: &DemoProduct) -> anyhow::Result<Decimal> {
    let price = Decimal::from_str(&product.price)
        .with_context(|| format!("product {}: bad price", product.id))?;
    ensure!(
        price > Decimal::ZERO && price.scale() <= 2,
        "product {}: price must be > 0 with ≤ 2 decimals",
        product.id
    );
    Ok(price)
}

/// What a seed run inserted; a rerun reports zeros.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub warehouses_created: u64,
    pub products_created: u64,
    pub stock_rows_created: u64,
    pub movements_created: u64,
}

/// Seeds the demo warehouses, product copies (`version` 1, `stock_version` 1) and stock rows of the
/// catalogue at `catalogue_path`, with one `INITIAL` movement per new row holding stock.
#[tracing::instrument(skip(pool))]
pub async fn seed_demo(
    pool: &PgPool,
    catalogue_path: &Path,
    image_base_url: &str,
) -> anyhow::Result<SeedReport> {
    let catalogue = Catalogue::load(catalogue_path)?;
    let mut report = SeedReport::default();
    let mut tx = pool.begin().await?;

    for w in &catalogue.warehouses {
        // The main warehouse already exists from the migration; its id conflicts and nothing happens.
        report.warehouses_created += sqlx::query(
            "INSERT INTO warehouses (id, name, street, city, state, zip_code, is_main_warehouse)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
        )
        .bind(w.id)
        .bind(w.name.trim())
        .bind(w.street.trim())
        .bind(w.city.trim())
        .bind(w.state.trim())
        .bind(&w.zip_code)
        .bind(w.is_main_warehouse)
        .execute(&mut *tx)
        .await
        .with_context(|| format!("insert warehouse {}", w.id))?
        .rows_affected();
    }
    let wanted: Vec<Uuid> = catalogue.warehouses.iter().map(|w| w.id).collect();
    let present: i64 = sqlx::query_scalar("SELECT count(*) FROM warehouses WHERE id = ANY($1)")
        .bind(&wanted)
        .fetch_one(&mut *tx)
        .await?;
    // ON CONFLICT DO NOTHING also swallows a clash on a live name or on the main flag: say so plainly.
    ensure!(
        present as usize == wanted.len(),
        "a demo warehouse clashes with an existing one by name or main flag"
    );

    let base = image_base_url.trim_end_matches('/');
    for p in &catalogue.products {
        report.products_created += sqlx::query(
            "INSERT INTO products (id, sku, name, description, image_url, price, category_id, version, stock_version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1, 1) ON CONFLICT DO NOTHING",
        )
        .bind(p.id)
        .bind(&p.sku)
        .bind(p.name.trim())
        .bind(p.description.trim())
        .bind(format!("{base}/{}", p.image_key))
        .bind(price(p)?)
        .bind(p.category_id)
        .execute(&mut *tx)
        .await
        .with_context(|| format!("insert product {}", p.id))?
        .rows_affected();

        for (warehouse, qty) in &p.stock {
            let qty = i32::try_from(*qty)?;
            // A tombstoned copy (deleted product) gets no stock (contract: api/warehouse.md §5.2).
            let row: Option<Uuid> = sqlx::query_scalar(
                "INSERT INTO warehouse_products (id, warehouse_id, product_id, available)
                 SELECT $1, $2, $3, $4 FROM products WHERE id = $3 AND deleted_at IS NULL
                 ON CONFLICT DO NOTHING RETURNING id",
            )
            .bind(Uuid::now_v7())
            .bind(warehouse)
            .bind(p.id)
            .bind(qty)
            .fetch_optional(&mut *tx)
            .await
            .with_context(|| format!("insert stock of {} in {warehouse}", p.id))?;
            if row.is_none() {
                continue;
            }
            report.stock_rows_created += 1;
            if qty > 0 {
                report.movements_created += sqlx::query(
                    "INSERT INTO stock_movements (id, type, product_id, product_name, quantity, to_warehouse_id, note)
                     VALUES ($1, 'INITIAL', $2, $3, $4, $5, 'demo seed') ON CONFLICT DO NOTHING",
                )
                .bind(Uuid::now_v7())
                .bind(p.id)
                .bind(p.name.trim())
                .bind(qty)
                .bind(warehouse)
                .execute(&mut *tx)
                .await
                .with_context(|| format!("insert INITIAL movement of {} in {warehouse}", p.id))?
                .rows_affected();
            }
        }
    }
    tx.commit().await?;
    tracing::info!(?report, "warehouse demo data seeded");
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalogue_is_valid() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/demo/catalogue.json");
        let catalogue = Catalogue::load(&path).unwrap();
        assert_eq!(
            (catalogue.warehouses.len(), catalogue.products.len()),
            (3, 12)
        );
    }
}
