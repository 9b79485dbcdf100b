//! P1 compat mode (contract: api/product.md §2.2): every live product sorted by name then id, capped at
//! `PRODUCT_COMPAT_MAX`, serialised and gzipped once per snapshot generation.

use std::io::Write;

use bytes::Bytes;
use flate2::write::GzEncoder;
use flate2::Compression;

use super::Catalogue;
use crate::config::CatalogueSettings;
use crate::domain::search::by_name;
use crate::domain::{ProductPage, ProductView};

/// The whole envelope, plain and gzipped.
pub struct CompatBody {
    pub generation: u64,
    pub json: Bytes,
    pub gzip: Bytes,
}

impl CompatBody {
    pub fn build(catalogue: &Catalogue, settings: &CatalogueSettings) -> CompatBody {
        let mut live: Vec<_> = catalogue
            .products
            .values()
            .filter(|p| p.is_live())
            .collect();
        live.sort_by(|a, b| by_name(a, b).then(a.id.cmp(&b.id)));
        if live.len() > settings.compat_max {
            tracing::warn!(
                products = live.len(),
                cap = settings.compat_max,
                "GET /v1/products without parameters cut at PRODUCT_COMPAT_MAX; use search mode to page"
            );
            live.truncate(settings.compat_max);
        }
        let data: Vec<ProductView> = live
            .iter()
            .map(|p| p.view(&settings.image_base_url, catalogue.category_of(p)))
            .collect();
        let json = serde_json::to_vec(&ProductPage::new(data, None)).unwrap_or_default();
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        let gzip = encoder
            .write_all(&json)
            .and_then(|_| encoder.finish())
            .unwrap_or_default();
        CompatBody {
            generation: catalogue.generation,
            json: Bytes::from(json),
            gzip: Bytes::from(gzip),
        }
    }
}
