//! `Json`, `Path` and `Query` wrappers whose rejections answer in our error envelope (design §2) instead of
//! axum's plain text: malformed input is always a 4xx with a clear message.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::AppError;

/// A JSON body. Wrong content type → 415, too large → 413, bad syntax or shape → 400.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Json(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> AppError {
    match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => {
            AppError::PayloadTooLarge("request body is too large".into())
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::UnsupportedMediaType(
            "expected a body with content-type application/json".into(),
        ),
        _ => match rejection {
            JsonRejection::JsonDataError(err) => {
                AppError::bad_request(format!("invalid JSON body: {}", err.body_text()))
            }
            JsonRejection::JsonSyntaxError(_) => {
                AppError::bad_request("the body is not valid JSON")
            }
            _ => AppError::bad_request("the body could not be read"),
        },
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// Path parameters. A value that does not parse (e.g. a slug where a UUID is expected) → 404: the resource
/// named by that path does not exist (product.md §2).
#[derive(Debug)]
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(PathRejection::FailedToDeserializePathParams(_)) => {
                Err(AppError::not_found("not found"))
            }
            Err(_) => Err(AppError::internal(
                "the route is misconfigured",
                "missing path parameters",
            )),
        }
    }
}

/// Query parameters. Anything that does not parse → 400 naming the problem.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            Err(QueryRejection::FailedToDeserializeQueryString(err)) => Err(AppError::bad_request(
                format!("invalid query: {}", err.body_text()),
            )),
            Err(_) => Err(AppError::bad_request("invalid query")),
        }
    }
}
