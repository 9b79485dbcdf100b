//! The service's error: the common [`AppError`] plus a 409 whose causes carry more than `field` and
//! `message` (`product_id`, `requested`, `available`: api/warehouse.md §2.4–2.5), and the mapping of the
//! database errors this service meets: a deadlock or serialisation failure is retried once, then 503; a
//! CHECK violation (the last line against oversell, §4.6) is a 409.

use std::future::Future;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use eshop_common::error::error_response;
use eshop_common::AppError;

#[derive(Debug)]
pub enum ApiError {
    App(AppError),
    /// 409 with rich causes.
    Conflict {
        message: String,
        causes: Vec<serde_json::Value>,
    },
    /// A database error not yet classified (kept so [`retry_once`] can see it).
    Db(sqlx::Error),
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
    pub fn conflict(message: impl Into<String>, causes: Vec<serde_json::Value>) -> Self {
        ApiError::Conflict {
            message: message.into(),
            causes,
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::App(e) => e.status(),
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::Db(e) => classify(e).status(),
        }
    }
}

fn db_code(err: &sqlx::Error) -> Option<String> {
    match err {
        sqlx::Error::Database(db) => db.code().map(|c| c.into_owned()),
        _ => None,
    }
}

/// A deadlock (40P01) or serialisation failure (40001): worth one more try (§4.6).
pub fn is_retryable(err: &sqlx::Error) -> bool {
    matches!(db_code(err).as_deref(), Some("40P01" | "40001"))
}

/// A unique violation of `constraint` (an index name).
pub fn is_unique_violation(err: &sqlx::Error, constraint: &str) -> bool {
    match err {
        sqlx::Error::Database(db) => {
            db.code().as_deref() == Some("23505") && db.constraint() == Some(constraint)
        }
        _ => false,
    }
}

fn classify(err: &sqlx::Error) -> AppError {
    if is_retryable(err) {
        return AppError::unavailable("the stock is busy, please retry", err);
    }
    if db_code(err).as_deref() == Some("23514") {
        tracing::warn!(error = %err, "a stock CHECK refused a change");
        return AppError::conflict("insufficient stock");
    }
    match err {
        sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
            AppError::unavailable("the database is unavailable", err)
        }
        other => AppError::internal("a database operation failed", other),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::App(e) => e.into_response(),
            ApiError::Conflict { message, causes } => {
                error_response(StatusCode::CONFLICT, message, Some(causes))
            }
            ApiError::Db(e) => classify(&e).into_response(),
        }
    }
}

/// Runs `attempt` again once if it failed on a deadlock or serialisation error (§4.6).
pub async fn retry_once<T, F, Fut>(mut attempt: F) -> ApiResult<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ApiResult<T>>,
{
    match attempt().await {
        Err(ApiError::Db(e)) if is_retryable(&e) => {
            tracing::warn!(error = %e, "stock transaction retried after a lock conflict");
            attempt().await
        }
        other => other,
    }
}
