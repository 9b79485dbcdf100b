//! The in-process catalogue snapshot (contract: api/product.md §4.5): every product and category item, loaded
//! by a full Scan at start and every `PRODUCT_CACHE_FULL_SCAN_SECONDS`, refreshed every
//! `PRODUCT_CACHE_TTL_SECONDS` from `changed-index`, and updated by this replica's own writes before they
//! answer. Public reads use only this snapshot; a snapshot older than 2 × TTL is not served.

mod compat;
mod searches;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::Client;
use bytes::Bytes;
use eshop_common::AppError;
use tokio::sync::watch;
use uuid::Uuid;

use crate::config::CatalogueSettings;
use crate::domain::search::Search;
use crate::domain::{CategoryRecord, ProductRecord};
use crate::store::bootstrap::StoreNames;
use crate::store::items::{category_from_item, product_from_item, Item};
use crate::store::{scan, StoreError};

pub use compat::CompatBody;
use searches::SearchBodies;

/// How far back an incremental refresh looks before the last `changed_at` it saw (clock skew, commit lag).
const OVERLAP_MS: i64 = 5_000;

/// The catalogue as held in memory.
#[derive(Default)]
pub struct Catalogue {
    pub products: HashMap<Uuid, ProductRecord>,
    pub categories: HashMap<Uuid, CategoryRecord>,
    /// Bumped on every change, so derived bodies know when to rebuild.
    pub generation: u64,
    watermark: i64,
}

impl Catalogue {
    /// Keeps the entry unless `p` is at least as new (`version`, `stock_version`).
    fn apply_product(&mut self, p: ProductRecord) -> bool {
        match self.products.get(&p.id) {
            Some(held) if held.freshness() > p.freshness() || *held == p => false,
            _ => {
                self.products.insert(p.id, p);
                self.generation += 1;
                true
            }
        }
    }

    fn apply_category(&mut self, c: CategoryRecord) -> bool {
        match self.categories.get(&c.id) {
            Some(held) if held.version > c.version || *held == c => false,
            _ => {
                self.categories.insert(c.id, c);
                self.generation += 1;
                true
            }
        }
    }

    /// A live category.
    pub fn live_category(&self, id: Uuid) -> Option<&CategoryRecord> {
        self.categories.get(&id).filter(|c| c.is_live())
    }

    /// The category of a product, for its `{id, name}`.
    pub fn category_of(&self, p: &ProductRecord) -> Option<&CategoryRecord> {
        Uuid::parse_str(&p.category_id)
            .ok()
            .and_then(|id| self.categories.get(&id))
    }
}

pub struct Snapshot {
    catalogue: RwLock<Catalogue>,
    refreshed_at: Mutex<Instant>,
    full_scan_at: Mutex<Instant>,
    reload: tokio::sync::Mutex<()>,
    compat: Mutex<Option<Arc<CompatBody>>>,
    searches: Mutex<SearchBodies>,
    dynamodb: Client,
    names: StoreNames,
    pub settings: CatalogueSettings,
}

impl Snapshot {
    /// Loads both tables; the service does not start without its catalogue.
    pub async fn load(
        dynamodb: Client,
        names: StoreNames,
        settings: CatalogueSettings,
    ) -> Result<Arc<Snapshot>, StoreError> {
        let snapshot = Arc::new(Snapshot {
            catalogue: RwLock::new(Catalogue::default()),
            refreshed_at: Mutex::new(Instant::now()),
            full_scan_at: Mutex::new(Instant::now()),
            reload: tokio::sync::Mutex::new(()),
            compat: Mutex::new(None),
            searches: Mutex::new(SearchBodies::default()),
            dynamodb,
            names,
            settings,
        });
        snapshot.full_refresh().await?;
        Ok(snapshot)
    }

    /// Runs `f` over the catalogue (no store call).
    pub fn read<R>(&self, f: impl FnOnce(&Catalogue) -> R) -> R {
        f(&self.catalogue.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// A product written by this replica, applied before the write answers.
    pub fn apply_product(&self, p: ProductRecord) {
        self.write().apply_product(p);
    }

    /// A category written by this replica.
    pub fn apply_category(&self, c: CategoryRecord) {
        self.write().apply_category(c);
    }

    /// Moves a category counter in memory after a write that moved it in the table.
    pub fn bump_category(&self, id: &str, product_delta: i64, child_delta: i64) {
        let Ok(id) = Uuid::parse_str(id) else { return };
        let mut catalogue = self.write();
        if let Some(c) = catalogue.categories.get_mut(&id) {
            c.product_count += product_delta;
            c.child_count += child_delta;
            catalogue.generation += 1;
        }
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Catalogue> {
        self.catalogue.write().unwrap_or_else(|e| e.into_inner())
    }

    fn age(&self) -> Duration {
        self.refreshed_at
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .elapsed()
    }

    /// Whether the last successful refresh is within 2 × TTL (the staleness bound).
    pub fn is_fresh(&self) -> bool {
        let age = self.age();
        metrics::gauge!("product_cache_snapshot_age_seconds").set(age.as_secs_f64());
        age <= self.settings.cache_ttl * 2
    }

    /// For list reads: a stale snapshot waits for one single-flight refresh; failing that, 503.
    pub async fn ensure_fresh(&self) -> Result<(), AppError> {
        if self.is_fresh() {
            return Ok(());
        }
        let _single = self.reload.lock().await;
        if self.is_fresh() {
            return Ok(());
        }
        self.incremental_refresh().await.map_err(|e| {
            AppError::unavailable("the catalogue is temporarily unavailable", format!("{e:?}"))
        })
    }

    fn merge(&self, products: Vec<Item>, categories: Vec<Item>) {
        let mut catalogue = self.write();
        let mut watermark = catalogue.watermark;
        for p in products.iter().filter_map(product_from_item) {
            watermark = watermark.max(p.changed_at);
            catalogue.apply_product(p);
        }
        for c in categories.iter().filter_map(category_from_item) {
            watermark = watermark.max(c.changed_at);
            catalogue.apply_category(c);
        }
        catalogue.watermark = watermark;
    }

    fn mark_refreshed(&self) {
        *self.refreshed_at.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
        metrics::gauge!("product_cache_snapshot_age_seconds").set(0.0);
    }

    /// Scan of both tables (every page), merged under the version rule.
    pub async fn full_refresh(&self) -> Result<(), StoreError> {
        let started = Instant::now();
        let products = scan::scan_all(&self.dynamodb, &self.names.products_table).await?;
        let categories = scan::scan_all(&self.dynamodb, &self.names.categories_table).await?;
        self.merge(products, categories);
        *self.full_scan_at.lock().unwrap_or_else(|e| e.into_inner()) = started;
        self.mark_refreshed();
        Ok(())
    }

    /// `changed-index` Query of both tables since the watermark minus the overlap.
    pub async fn incremental_refresh(&self) -> Result<(), StoreError> {
        let since = self.read(|c| c.watermark) - OVERLAP_MS;
        let products =
            scan::changed_since(&self.dynamodb, &self.names.products_table, since).await?;
        let categories =
            scan::changed_since(&self.dynamodb, &self.names.categories_table, since).await?;
        self.merge(products, categories);
        self.mark_refreshed();
        Ok(())
    }

    /// Refreshes every TTL (a full scan when due) until `stop` fires or its sender is dropped.
    pub fn spawn_refresher(self: &Arc<Self>, mut stop: watch::Receiver<bool>) {
        let snapshot = Arc::downgrade(self);
        let ttl = self.settings.cache_ttl;
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(ttl) => {}
                    changed = stop.changed() => if changed.is_err() || *stop.borrow() { break },
                }
                let Some(snapshot) = snapshot.upgrade() else {
                    break;
                };
                let _single = snapshot.reload.lock().await;
                let full_due = snapshot
                    .full_scan_at
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .elapsed()
                    >= snapshot.settings.full_scan;
                let result = if full_due {
                    snapshot.full_refresh().await
                } else {
                    snapshot.incremental_refresh().await
                };
                if let Err(e) = result {
                    tracing::warn!(error = ?e, "catalogue refresh failed; serving the snapshot until it is 2 x TTL old");
                }
            }
        });
    }

    /// The P1 compat body of the current generation, built once per generation.
    pub fn compat_body(&self) -> Arc<CompatBody> {
        let generation = self.read(|c| c.generation);
        let mut cached = self.compat.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(body) = cached.as_ref().filter(|b| b.generation == generation) {
            return body.clone();
        }
        let body = Arc::new(self.read(|c| CompatBody::build(c, &self.settings)));
        *cached = Some(body.clone());
        body
    }

    /// The search-mode body for `search`: kept from an earlier identical search of this generation, or
    /// built by `build` from the catalogue and kept.
    pub fn search_body(&self, search: &Search, build: impl FnOnce(&Catalogue) -> Bytes) -> Bytes {
        let generation = self.read(|c| c.generation);
        let kept = self
            .searches
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(generation, search);
        if let Some(body) = kept {
            return body;
        }
        let (generation, body) = self.read(|c| (c.generation, build(c)));
        self.searches.lock().unwrap_or_else(|e| e.into_inner()).put(
            generation,
            search.clone(),
            body.clone(),
        );
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(version: i64, stock_version: i64, name: &str) -> ProductRecord {
        ProductRecord {
            id: Uuid::from_u128(1),
            sku: "SKU-1-00000000".into(),
            name: name.into(),
            description: String::new(),
            price: rust_decimal::Decimal::ONE,
            quantity: 0,
            stock_version,
            category_id: String::new(),
            image_key: None,
            image_url: String::new(),
            version,
            created_at: String::new(),
            updated_at: String::new(),
            deleted_at: None,
            changed_at: 0,
        }
    }

    #[test]
    fn a_refresh_never_replaces_an_entry_with_an_older_one() {
        let mut catalogue = Catalogue::default();
        assert!(catalogue.apply_product(product(2, 5, "new")));
        let generation = catalogue.generation;
        assert!(!catalogue.apply_product(product(1, 9, "older version")));
        assert!(!catalogue.apply_product(product(2, 4, "older stock")));
        assert!(
            !catalogue.apply_product(product(2, 5, "new")),
            "same item: no new generation"
        );
        assert_eq!(catalogue.generation, generation);
        assert!(catalogue.apply_product(product(2, 6, "stock moved")));
        assert!(catalogue.apply_product(product(3, 0, "updated")));
        assert_eq!(catalogue.products[&Uuid::from_u128(1)].name, "updated");
    }
}
