//! `POST {ORDER_SERVICE}/v1/orders` (order.md §3.1 O0, README "A public route called by a service"): the
//! customer's bearer token forwarded, the derived `Idempotency-Key`, and the outcome mapped as
//! api/cart.md §3.7 step 4 says.

use axum::http::StatusCode;
use eshop_common::auth::AuthUser;
use eshop_common::client::ServiceClient;
use eshop_common::AppError;
use reqwest::Method;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::domain::checkout::Address;
use crate::error::{ApiError, ApiResult};

const WHAT: &str = "the order service";

/// One item of the order request; `price` is informational (the order service prices, design §5).
#[derive(Debug, Clone, Serialize)]
pub struct OrderItem {
    pub product_id: Uuid,
    pub quantity: u32,
    #[serde(with = "rust_decimal::serde::float")]
    pub price: Decimal,
    pub note: String,
}

/// The order request body (compat names).
#[derive(Debug, Clone, Serialize)]
pub struct OrderRequest<'a> {
    pub items: Vec<OrderItem>,
    pub address: &'a Address,
}

#[derive(Clone)]
pub struct OrderClient {
    client: ServiceClient,
    url: String,
}

impl OrderClient {
    pub fn new(client: ServiceClient, base_url: &str) -> Self {
        OrderClient {
            client,
            url: format!("{base_url}/v1/orders"),
        }
    }

    /// The order's id when the order exists (201, or a replay); every other outcome as an error.
    pub async fn create(
        &self,
        user: &AuthUser,
        key: &str,
        request: &OrderRequest<'_>,
    ) -> ApiResult<Uuid> {
        let response = self
            .client
            .for_user(Method::POST, &self.url, user)
            .header("idempotency-key", key)
            .json(request)
            .send()
            .await
            .map_err(|e| super::transport(WHAT, &e))?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .cloned();
        let body: Value = match response.json().await {
            Ok(body) => body,
            Err(e) if e.is_timeout() => return Err(ApiError::GatewayTimeout(WHAT)),
            Err(_) => Value::Null,
        };
        let message = body["error"]["message"]
            .as_str()
            .unwrap_or("no reason given")
            .to_string();
        match status.as_u16() {
            200 | 201 => body["data"]["id"]
                .as_str()
                .and_then(|s| Uuid::parse_str(s).ok())
                .ok_or_else(|| unavailable("the order answer has no order id")),
            409 => match retry_after
                .and_then(|v| axum::http::HeaderValue::from_bytes(v.as_bytes()).ok())
            {
                Some(retry_after) => Err(ApiError::CheckoutInProgress { retry_after }),
                None => Err(AppError::conflict(message).into()),
            },
            401 => Err(AppError::Unauthorized {
                message: "the order service refused the token",
                token_sent: true,
            }
            .into()),
            403 => Err(AppError::Forbidden(message).into()),
            400..=499 => Err(AppError::unprocessable(format!("order refused: {message}")).into()),
            _ => Err(unavailable(format!(
                "order answered {}",
                StatusCode::from_u16(status.as_u16()).unwrap_or(StatusCode::BAD_GATEWAY)
            ))),
        }
    }
}

fn unavailable(detail: impl std::fmt::Display) -> ApiError {
    ApiError::App(AppError::bad_gateway("order service unavailable", detail))
}
