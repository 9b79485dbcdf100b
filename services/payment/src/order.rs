//! The order service as payment calls it (contract: api/payment.md §2.1 step 3, order.md §3.9 I1):
//! `GET {ORDER_SERVICE}/internal/orders/{id}/payment-eligibility[?user_id=]` with payment's service token.

use eshop_common::client::ServiceClient;
use eshop_common::AppError;
use reqwest::{Method, StatusCode};
use rust_decimal::Decimal;
use serde::Deserialize;
use uuid::Uuid;

/// The part of a 200 answer payment uses.
#[derive(Debug, Clone)]
pub struct Eligibility {
    pub total_price: Decimal,
}

#[derive(Deserialize)]
struct Envelope {
    data: Data,
}

#[derive(Deserialize)]
struct Data {
    total_price: serde_json::Number,
    payable: bool,
}

/// Why the order refuses, or cannot be asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// 404: unknown order.
    NotFound,
    /// 403: `user_id` is not the owner.
    NotOwner,
    /// 409: not `PENDING`, or the deadline has passed.
    NotPayable,
    /// Any other answer, a timeout or a connection error (→ 503); the detail is for the log.
    Unavailable(String),
}

impl Refusal {
    /// The upload's answer (§2.1 step 3).
    pub fn into_error(self) -> AppError {
        match self {
            Refusal::NotFound => AppError::not_found("order not found"),
            Refusal::NotOwner => AppError::Forbidden("the order is not yours".into()),
            Refusal::NotPayable => AppError::conflict("the order cannot be paid now"),
            Refusal::Unavailable(detail) => {
                AppError::unavailable("the order service is unavailable", detail)
            }
        }
    }
}

#[derive(Clone)]
pub struct OrderClient {
    client: ServiceClient,
    base: String,
}

impl OrderClient {
    pub fn new(client: ServiceClient, base: &str) -> Self {
        OrderClient {
            client,
            base: base.trim_end_matches('/').to_string(),
        }
    }

    /// I1. `user` = the uploader on upload, `None` before an approval.
    pub async fn eligibility(
        &self,
        order_id: Uuid,
        user: Option<Uuid>,
    ) -> Result<Eligibility, Refusal> {
        let mut url = format!(
            "{}/internal/orders/{order_id}/payment-eligibility",
            self.base
        );
        if let Some(user) = user {
            url.push_str(&format!("?user_id={user}"));
        }
        let response = self
            .client
            .internal(Method::GET, &url)
            .send()
            .await
            .map_err(|e| {
                Refusal::Unavailable(format!("eligibility call failed: {}", e.without_url()))
            })?;
        match response.status() {
            StatusCode::OK => {
                let body: Envelope = response.json().await.map_err(|e| {
                    Refusal::Unavailable(format!("unreadable eligibility answer: {e}"))
                })?;
                if !body.data.payable {
                    return Err(Refusal::NotPayable);
                }
                let total_price: Decimal = body
                    .data
                    .total_price
                    .to_string()
                    .parse()
                    .map_err(|_| Refusal::Unavailable("total_price is not a decimal".into()))?;
                Ok(Eligibility {
                    total_price: total_price.round_dp(2),
                })
            }
            StatusCode::NOT_FOUND => Err(Refusal::NotFound),
            StatusCode::FORBIDDEN => Err(Refusal::NotOwner),
            StatusCode::CONFLICT => Err(Refusal::NotPayable),
            other => Err(Refusal::Unavailable(format!(
                "eligibility answered {other}"
            ))),
        }
    }
}
