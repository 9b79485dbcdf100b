//! One error type for every handler, mapped to the error envelope of design §2 in one place:
//! `{"code": <status>, "error": {"message": "<human text>", "causes": null | [...]}}`.
//! A 5xx never carries driver or SDK text: it says what failed in plain words and the request id, and the
//! detail goes to the log once, inside the request's span.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::context::current_request_id;

/// A field-level problem reported in `error.causes`.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Cause {
    /// The field, part or parameter, as the client named it.
    pub field: String,
    pub message: String,
}

impl Cause {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Cause {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Everything a handler can answer besides success.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{message}")]
    BadRequest { message: String, causes: Vec<Cause> },
    /// 401; `token_sent` adds `error="invalid_token"` to `WWW-Authenticate` (auth.md §2.5).
    #[error("{message}")]
    Unauthorized {
        message: &'static str,
        token_sent: bool,
    },
    /// 401 on `/internal/*` (auth.md §2.6): no `WWW-Authenticate`, the credential is not a bearer token.
    #[error("invalid service credential")]
    InvalidServiceCredential,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{message}")]
    Conflict { message: String, causes: Vec<Cause> },
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{message}")]
    Unprocessable { message: String, causes: Vec<Cause> },
    /// 429 with `Retry-After`; `message` in plain words ("too many login attempts").
    #[error("{message}")]
    TooManyRequests {
        message: String,
        retry_after_secs: u64,
    },
    /// 503: a store or dependency is down. `what` is plain words ("the cart store is unavailable").
    #[error("{what}")]
    Unavailable { what: String, detail: String },
    /// 502: an upstream (Cognito, another service) failed or could not be reached.
    #[error("{what}")]
    BadGateway { what: String, detail: String },
    /// 500: a real fault. Only the plain words reach the client.
    #[error("{what}")]
    Internal { what: String, detail: String },
}

impl AppError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        AppError::BadRequest {
            message: message.into(),
            causes: Vec::new(),
        }
    }

    pub fn invalid_fields(message: impl Into<String>, causes: Vec<Cause>) -> Self {
        AppError::BadRequest {
            message: message.into(),
            causes,
        }
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        AppError::Conflict {
            message: message.into(),
            causes: Vec::new(),
        }
    }

    pub fn unprocessable(message: impl Into<String>) -> Self {
        AppError::Unprocessable {
            message: message.into(),
            causes: Vec::new(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        AppError::NotFound(message.into())
    }

    pub fn too_many_requests(message: impl Into<String>, retry_after_secs: u64) -> Self {
        AppError::TooManyRequests {
            message: message.into(),
            retry_after_secs,
        }
    }

    /// An upstream failed: 502 with `what` for the client and `err` for the log.
    pub fn bad_gateway(what: impl Into<String>, err: impl std::fmt::Display) -> Self {
        AppError::BadGateway {
            what: what.into(),
            detail: err.to_string(),
        }
    }

    pub fn forbidden() -> Self {
        AppError::Forbidden("forbidden".into())
    }

    /// A store is unreachable: 503 with `what` for the client and `err` for the log.
    pub fn unavailable(what: impl Into<String>, err: impl std::fmt::Display) -> Self {
        AppError::Unavailable {
            what: what.into(),
            detail: err.to_string(),
        }
    }

    /// A real fault: 500 with `what` for the client and `err` for the log.
    pub fn internal(what: impl Into<String>, err: impl std::fmt::Display) -> Self {
        AppError::Internal {
            what: what.into(),
            detail: err.to_string(),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::Unauthorized { .. } | AppError::InvalidServiceCredential => {
                StatusCode::UNAUTHORIZED
            }
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::BadGateway { .. } => StatusCode::BAD_GATEWAY,
            AppError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

// Public so tests and clients can parse it; every service's OpenAPI document names it `Error` (`body =
// ErrorBody` in a route's `#[utoipa::path]`).
/// The error envelope of every answer that is not a success.
#[derive(Debug, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    /// The HTTP status again.
    pub code: u16,
    #[schema(inline)]
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Plain words; a 5xx ends with the request id.
    pub message: String,
    /// Field-level problems of a 400, 409 or 422; `null` otherwise.
    #[schema(value_type = Option<Vec<Cause>>, required = true)]
    pub causes: Option<Vec<serde_json::Value>>,
}

/// Builds an error response in the envelope; used by [`AppError`] and by the server's own fallbacks.
pub fn error_response(
    status: StatusCode,
    message: String,
    causes: Option<Vec<serde_json::Value>>,
) -> Response {
    let body = ErrorBody {
        code: status.as_u16(),
        error: ErrorDetail { message, causes },
    };
    (status, axum::Json(body)).into_response()
}

fn causes_json(causes: &[Cause]) -> Option<Vec<serde_json::Value>> {
    (!causes.is_empty()).then(|| {
        causes
            .iter()
            .filter_map(|c| serde_json::to_value(c).ok())
            .collect()
    })
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let request_id = current_request_id().unwrap_or_else(|| "-".into());
        let (message, causes) = match &self {
            AppError::BadRequest { message, causes }
            | AppError::Conflict { message, causes }
            | AppError::Unprocessable { message, causes } => (message.clone(), causes_json(causes)),
            AppError::Unavailable { what, detail }
            | AppError::BadGateway { what, detail }
            | AppError::Internal { what, detail } => {
                tracing::error!(error = %detail, "{what}");
                (format!("{what} (request id {request_id})"), None)
            }
            other => (other.to_string(), None),
        };
        let mut response = error_response(status, message, causes);
        let headers = response.headers_mut();
        match self {
            AppError::Unauthorized { token_sent, .. } => {
                let value = if token_sent {
                    r#"Bearer error="invalid_token""#
                } else {
                    "Bearer"
                };
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(value));
            }
            AppError::TooManyRequests {
                retry_after_secs, ..
            } => {
                headers.insert(
                    header::RETRY_AFTER,
                    HeaderValue::from(retry_after_secs.max(1)),
                );
            }
            _ => {}
        }
        response
    }
}

impl From<sqlx::Error> for AppError {
    /// A database error that no handler turned into a 4xx: the store is down (503) or a real fault (500).
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
                AppError::unavailable("the database is unavailable", err)
            }
            other => AppError::internal("a database operation failed", other),
        }
    }
}

/// Handler result.
pub type AppResult<T> = Result<T, AppError>;
