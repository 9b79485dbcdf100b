//! The service's error: the common [`AppError`] plus the two answers cart needs beyond it — 504 when a
//! peer timed out and the checkout-in-progress 409 that carries the order service's `Retry-After`
//! (api/cart.md §3.3, §3.7) — and database errors kept whole until the response, so a transaction that
//! lost a deadlock can be retried.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use eshop_common::context::current_request_id;
use eshop_common::error::error_response;
use eshop_common::AppError;

#[derive(Debug)]
pub enum ApiError {
    App(AppError),
    Db(sqlx::Error),
    /// 504: `what` ("the product service") did not answer within its timeout.
    GatewayTimeout(&'static str),
    /// 409 `a checkout is already in progress` with the order service's `Retry-After`.
    CheckoutInProgress {
        retry_after: HeaderValue,
    },
}

pub type ApiResult<T> = Result<T, ApiError>;

impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        ApiError::App(err)
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(err: sqlx::Error) -> Self {
        ApiError::Db(err)
    }
}

impl ApiError {
    /// MySQL lost a deadlock (1213) or a lock wait timed out (1205): the whole transaction may be retried.
    pub fn is_retryable(&self) -> bool {
        let ApiError::Db(sqlx::Error::Database(e)) = self else {
            return false;
        };
        e.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>()
            .is_some_and(|e| matches!(e.number(), 1213 | 1205))
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::App(e) => e.status(),
            ApiError::Db(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::GatewayTimeout(_) => StatusCode::GATEWAY_TIMEOUT,
            ApiError::CheckoutInProgress { .. } => StatusCode::CONFLICT,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::App(err) => err.into_response(),
            ApiError::Db(err) => AppError::from(err).into_response(),
            ApiError::GatewayTimeout(what) => {
                let id = current_request_id().unwrap_or_else(|| "-".into());
                tracing::error!("{what} timed out");
                error_response(
                    StatusCode::GATEWAY_TIMEOUT,
                    format!("{what} timed out (request id {id})"),
                    None,
                )
            }
            ApiError::CheckoutInProgress { retry_after } => {
                let mut response = error_response(
                    StatusCode::CONFLICT,
                    "a checkout is already in progress".into(),
                    None,
                );
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, retry_after);
                response
            }
        }
    }
}
