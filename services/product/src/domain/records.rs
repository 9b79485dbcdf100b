//! The catalogue's records as the snapshot holds them, and the product object of the wire
//! (contract: api/product.md §2.1, §4.1, §4.2).

use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

/// A product item (live or soft-deleted).
#[derive(Clone, Debug, PartialEq)]
pub struct ProductRecord {
    pub id: Uuid,
    pub sku: String,
    pub name: String,
    pub description: String,
    pub price: Decimal,
    pub quantity: i64,
    pub stock_version: i64,
    pub category_id: String,
    /// `product/<uuid>.<ext>`; absent on legacy items, which keep their stored `image_url`.
    pub image_key: Option<String>,
    pub image_url: String,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
    pub changed_at: i64,
}

impl ProductRecord {
    pub fn is_live(&self) -> bool {
        self.deleted_at.is_none()
    }

    /// The order a refresh respects: never replace an entry with a lower (`version`, `stock_version`)
    /// (contract: api/product.md §4.5).
    pub fn freshness(&self) -> (i64, i64) {
        (self.version, self.stock_version)
    }

    /// contract: api/product.md §4.3 — computed at read time from the base, so the base can change.
    pub fn image_url(&self, base_url: &str) -> String {
        match &self.image_key {
            Some(key) => format!("{}/{key}", base_url.trim_end_matches('/')),
            None => self.image_url.clone(),
        }
    }

    /// The wire object; `category` is the `{id, name}` of its category when known.
    pub fn view(&self, base_url: &str, category: Option<&CategoryRecord>) -> ProductView {
        ProductView {
            id: self.id,
            sku: self.sku.clone(),
            name: self.name.clone(),
            image_url: self.image_url(base_url),
            description: self.description.clone(),
            price: self.price,
            quantity: self.quantity.max(0),
            category_id: self.category_id.clone(),
            category: category.map(|c| CategoryRef {
                id: c.id,
                name: c.name.clone(),
            }),
            created_at: self.created_at.clone(),
            updated_at: self.updated_at.clone(),
            deleted_at: self.deleted_at.clone(),
            version: self.version,
        }
    }
}

/// A category item (live or soft-deleted).
#[derive(Clone, Debug, PartialEq)]
pub struct CategoryRecord {
    pub id: Uuid,
    pub name: String,
    /// `None` for a root (`ROOT` in the table, `""` on the wire).
    pub parent_id: Option<Uuid>,
    pub depth: u32,
    pub child_count: i64,
    pub product_count: i64,
    pub pinned: bool,
    pub version: i64,
    pub deleted_at: Option<String>,
    pub changed_at: i64,
}

impl CategoryRecord {
    pub fn is_live(&self) -> bool {
        self.deleted_at.is_none()
    }

    /// `{id, name, parent_id}` with `""` for roots (contract: api/product.md §2.1).
    pub fn view(&self) -> CategoryView {
        CategoryView {
            id: self.id,
            name: self.name.clone(),
            parent_id: self.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        }
    }
}

/// api/product.md §2.1 "Product" (snake_case, compat names kept)
#[derive(Clone, Debug, Serialize, PartialEq, utoipa::ToSchema)]
#[schema(as = Product)]
pub struct ProductView {
    pub id: Uuid,
    /// `SKU-<unix-nanos>-<8 lowercase hex>`, generated, immutable
    #[schema(example = "SKU-1734400000000000000-09d5aa9d")]
    pub sku: String,
    pub name: String,
    /// PRODUCT_IMAGE_BASE_URL + "/" + the image key (legacy items: the stored URL)
    #[schema(format = "uri")]
    pub image_url: String,
    pub description: String,
    /// at most 2 decimals
    #[serde(with = "rust_decimal::serde::float")]
    #[schema(value_type = f64)]
    pub price: Decimal,
    /// total available across warehouses (from stock.changed)
    #[schema(minimum = 0)]
    pub quantity: i64,
    #[schema(format = Uuid)]
    pub category_id: String,
    /// the product's category, null when it is not in the catalogue
    #[schema(required = true)]
    pub category: Option<CategoryRef>,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
    /// non-null only with include_deleted and in the lookup
    #[schema(format = DateTime, required = true)]
    pub deleted_at: Option<String>,
    /// 1 at create, +1 per update or delete; the number product events carry
    #[schema(minimum = 1)]
    pub version: i64,
}

/// A product's category: `{id, name}`.
#[derive(Clone, Debug, Serialize, PartialEq, utoipa::ToSchema)]
pub struct CategoryRef {
    pub id: Uuid,
    pub name: String,
}

/// api/product.md §2.1 "Category" (C1, C3, C4, C5)
#[derive(Clone, Debug, Serialize, PartialEq, utoipa::ToSchema)]
#[schema(as = Category)]
pub struct CategoryView {
    pub id: Uuid,
    pub name: String,
    /// the parent's id; "" for roots
    pub parent_id: String,
}

/// The whole body of P1 (both modes are served as bytes built once per catalogue generation): the envelope,
/// with `count` in search mode.
#[derive(Clone, Debug, Serialize, PartialEq, utoipa::ToSchema)]
#[schema(as = ProductList)]
pub struct ProductPage {
    /// The HTTP status again (200).
    pub code: u16,
    pub data: Vec<ProductView>,
    pub message: &'static str,
    /// search mode only: the matches before paging
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub count: Option<usize>,
}

impl ProductPage {
    /// `data` as P1 answers it: `count` with a search, none in compat mode.
    pub fn new(data: Vec<ProductView>, count: Option<usize>) -> ProductPage {
        ProductPage {
            code: 200,
            data,
            message: "success get",
            count,
        }
    }
}
