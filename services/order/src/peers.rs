//! Calls to the product and warehouse services with order's own `SERVICE_TOKEN` (README "Internal HTTP
//! calls"): product X1 lookup for prices, warehouse X1 reserve and X5 quote for allocations.

use eshop_common::client::ServiceClient;
use eshop_common::AppError;
use reqwest::Method;
use rust_decimal::Decimal;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::config;
use crate::domain::checkout::Line;
use crate::domain::shipping::Allocation;

/// A product as product X1 answers it; only the fields order keeps.
#[derive(Debug, Clone, Deserialize)]
pub struct CatalogueProduct {
    pub id: Uuid,
    #[serde(deserialize_with = "display_text")]
    pub name: String,
    #[serde(with = "rust_decimal::serde::float")]
    pub price: Decimal,
    #[serde(default, deserialize_with = "display_text")]
    pub image_url: String,
    #[serde(default, deserialize_with = "display_text")]
    pub sku: String,
    #[serde(default, deserialize_with = "id_text")]
    pub category_id: Option<String>,
    #[serde(default)]
    pub deleted_at: Option<String>,
}

/// Text the order copies from the catalogue. PostgreSQL text holds no NUL, and the catalogue does not refuse
/// one: it is dropped here, or every checkout of that product would fail its insert.
fn display_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(String::deserialize(d)?.replace('\0', ""))
}

fn id_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::String(s)) if !s.is_empty() => Some(s.replace('\0', "")),
        _ => None,
    })
}

/// One failing item of a warehouse 409 (warehouse.md §2.5 `causes`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ShortItem {
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub product_id: Option<Uuid>,
    #[serde(default)]
    pub requested: Option<i64>,
    #[serde(default)]
    pub available: Option<i64>,
}

/// A definitive refusal by the warehouse.
#[derive(Debug, Clone)]
pub enum StockRefusal {
    /// 409: not enough stock (one cause per failing item).
    Short(Vec<ShortItem>),
    /// 422: the zip code cannot be located.
    Zip(String),
}

#[derive(Clone)]
pub struct PeerClients {
    client: ServiceClient,
    product_url: String,
    warehouse_url: String,
}

#[derive(Deserialize)]
struct DataOf<T> {
    data: T,
}

#[derive(Deserialize)]
struct Allocations {
    allocations: Vec<WireAllocation>,
}

#[derive(Deserialize)]
struct WireAllocation {
    product_id: Uuid,
    warehouse_id: Uuid,
    #[serde(default)]
    warehouse_zip_code: String,
    quantity: i32,
}

#[derive(Deserialize)]
struct ErrorOf {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    #[serde(default)]
    message: String,
    #[serde(default)]
    causes: Option<Vec<ShortItem>>,
}

const PRODUCT_DOWN: &str = "the product service is unavailable";
const WAREHOUSE_DOWN: &str = "the warehouse service is unavailable";

impl PeerClients {
    pub fn new(peers: &config::Peers) -> Self {
        PeerClients {
            client: ServiceClient::new(
                SecretString::from(peers.service_token.clone()),
                peers.timeout,
            ),
            product_url: peers.product_url.trim_end_matches('/').to_string(),
            warehouse_url: peers.warehouse_url.trim_end_matches('/').to_string(),
        }
    }

    /// product X1: every id in one call; unknown ids are absent from the answer.
    pub async fn lookup(&self, ids: &[Uuid]) -> Result<Vec<CatalogueProduct>, AppError> {
        let url = format!("{}/internal/products/lookup", self.product_url);
        let response = self
            .client
            .internal(Method::POST, &url)
            .json(&json!({ "ids": ids }))
            .send()
            .await
            .map_err(|e| AppError::unavailable(PRODUCT_DOWN, e))?;
        let status = response.status();
        if !status.is_success() {
            return Err(AppError::unavailable(
                PRODUCT_DOWN,
                format!("lookup answered {status}"),
            ));
        }
        let body: DataOf<Vec<CatalogueProduct>> = response
            .json()
            .await
            .map_err(|e| AppError::unavailable(PRODUCT_DOWN, e))?;
        Ok(body.data)
    }

    /// warehouse X1: reserve for `order_id`, idempotent by it.
    pub async fn reserve(
        &self,
        order_id: Uuid,
        user_id: Uuid,
        zip_code: &str,
        lines: &[Line],
    ) -> Result<Result<Vec<Allocation>, StockRefusal>, AppError> {
        let url = format!("{}/internal/reservations", self.warehouse_url);
        let body = json!({"order_id": order_id, "user_id": user_id, "zip_code": zip_code, "items": items(lines)});
        self.allocate(&url, body).await
    }

    /// warehouse X5: a dry-run allocation, nothing written.
    pub async fn quote(
        &self,
        zip_code: &str,
        lines: &[Line],
    ) -> Result<Result<Vec<Allocation>, StockRefusal>, AppError> {
        let url = format!("{}/internal/reservations/quote", self.warehouse_url);
        self.allocate(&url, json!({"zip_code": zip_code, "items": items(lines)}))
            .await
    }

    async fn allocate(
        &self,
        url: &str,
        body: Value,
    ) -> Result<Result<Vec<Allocation>, StockRefusal>, AppError> {
        let response = self
            .client
            .internal(Method::POST, url)
            .json(&body)
            .send()
            .await
            .map_err(|e| AppError::unavailable(WAREHOUSE_DOWN, e))?;
        let status = response.status().as_u16();
        match status {
            200 | 201 => {
                let body: DataOf<Allocations> = response
                    .json()
                    .await
                    .map_err(|e| AppError::unavailable(WAREHOUSE_DOWN, e))?;
                Ok(Ok(body
                    .data
                    .allocations
                    .into_iter()
                    .map(|a| Allocation {
                        product_id: a.product_id,
                        warehouse_id: a.warehouse_id,
                        warehouse_zip_code: a.warehouse_zip_code,
                        quantity: a.quantity,
                    })
                    .collect()))
            }
            409 | 422 => {
                let error = response.json::<ErrorOf>().await.ok().map(|e| e.error);
                let (message, causes) = error
                    .map(|e| (e.message, e.causes.unwrap_or_default()))
                    .unwrap_or_default();
                Ok(Err(if status == 409 {
                    StockRefusal::Short(causes)
                } else {
                    StockRefusal::Zip(message)
                }))
            }
            other => Err(AppError::unavailable(
                WAREHOUSE_DOWN,
                format!("answered {other}"),
            )),
        }
    }
}

fn items(lines: &[Line]) -> Vec<Value> {
    lines
        .iter()
        .map(|l| json!({"product_id": l.product_id, "quantity": l.quantity}))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_text_loses_its_nul_characters() {
        let p: CatalogueProduct = serde_json::from_value(json!({
            "id": Uuid::nil(), "name": "Nul\u{0}car", "price": 10.5, "sku": "S\u{0}1",
            "image_url": "https://x/\u{0}.png", "category_id": "c\u{0}"
        }))
        .unwrap();
        assert_eq!(p.name, "Nulcar");
        assert_eq!(p.sku, "S1");
        assert_eq!(p.image_url, "https://x/.png");
        assert_eq!(p.category_id.as_deref(), Some("c"));
        let bare: CatalogueProduct =
            serde_json::from_value(json!({"id": Uuid::nil(), "name": "A", "price": 1})).unwrap();
        assert_eq!((bare.sku.as_str(), bare.image_url.as_str()), ("", ""));
    }
}
