//! `POST {PRODUCT_SERVICE}/internal/products/lookup` (product.md X1, README "Internal HTTP calls"): the
//! authoritative name, price, image, shown stock and version of a product, with cart's `SERVICE_TOKEN`.

use eshop_common::client::ServiceClient;
use eshop_common::AppError;
use reqwest::Method;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::domain::money;
use crate::error::{ApiError, ApiResult};

const WHAT: &str = "the product service";

/// What the add reads of a product.
#[derive(Debug, Clone, PartialEq)]
pub struct Product {
    pub name: String,
    pub price: Decimal,
    pub image_url: String,
    /// The shown stock (`quantity`).
    pub stock: u64,
    pub version: u64,
}

#[derive(Clone)]
pub struct ProductClient {
    client: ServiceClient,
    url: String,
}

impl ProductClient {
    pub fn new(client: ServiceClient, base_url: &str) -> Self {
        ProductClient {
            client,
            url: format!("{base_url}/internal/products/lookup"),
        }
    }

    /// §3.3 step 1: absent or deleted → 422 `product not found`; other non-2xx or an unreadable body →
    /// 502; timeout → 504.
    pub async fn lookup(&self, id: Uuid) -> ApiResult<Product> {
        let response = self
            .client
            .internal(Method::POST, &self.url)
            .json(&json!({ "ids": [id] }))
            .send()
            .await
            .map_err(|e| super::transport(WHAT, &e))?;
        let status = response.status();
        if !status.is_success() {
            return Err(bad_gateway(format!("lookup answered {status}")));
        }
        let body: Value = response
            .json()
            .await
            .map_err(|e| super::transport(WHAT, &e))?;
        let items = body["data"]
            .as_array()
            .ok_or_else(|| bad_gateway("lookup answered without a data array"))?;
        let found = items.iter().find(|p| {
            p["id"]
                .as_str()
                .and_then(|s| Uuid::parse_str(s).ok())
                .is_some_and(|pid| pid == id)
        });
        let Some(product) = found else {
            return Err(not_found());
        };
        if !product["deleted_at"].is_null() {
            return Err(not_found());
        }
        read_product(product).ok_or_else(|| bad_gateway("lookup answered an unreadable product"))
    }
}

fn read_product(p: &Value) -> Option<Product> {
    Some(Product {
        name: p["name"].as_str()?.to_string(),
        price: money::from_json(&p["price"])?,
        image_url: p["image_url"].as_str().unwrap_or_default().to_string(),
        stock: p["quantity"].as_u64().unwrap_or(0),
        version: p["version"].as_u64()?,
    })
}

fn not_found() -> ApiError {
    ApiError::App(AppError::unprocessable("product not found"))
}

fn bad_gateway(detail: impl std::fmt::Display) -> ApiError {
    ApiError::App(AppError::bad_gateway(format!("{WHAT} unavailable"), detail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_product_needs_name_price_and_version_and_defaults_image_and_stock() {
        let p = read_product(&json!({"name": "Car", "price": 19.99, "version": 2})).unwrap();
        assert_eq!(p.image_url, "");
        assert_eq!(p.stock, 0);
        assert_eq!(p.price.to_string(), "19.99");
        assert!(read_product(&json!({"name": "Car", "price": 19.99})).is_none());
        assert!(read_product(&json!({"price": 1, "version": 1})).is_none());
    }
}
