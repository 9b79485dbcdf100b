//! The success envelope every `/v1` route answers with (design §2, compat):
//! `{"code": <status>, "data": <payload>, "message": "success get|…"}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// A success reply. Build it with [`ok`], [`created`] or [`Reply::new`].
#[derive(Debug)]
pub struct Reply<T> {
    pub status: StatusCode,
    pub data: T,
    pub message: &'static str,
}

// In a route's `#[utoipa::path]`, `body = Envelope<T>` documents a `Reply<T>`.
/// The success envelope: what a reply with `data` sends.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Envelope<T> {
    /// The HTTP status again.
    pub code: u16,
    pub data: T,
    pub message: &'static str,
}

impl<T: Serialize> Reply<T> {
    pub fn new(status: StatusCode, data: T, message: &'static str) -> Self {
        Reply {
            status,
            data,
            message,
        }
    }
}

impl<T: Serialize> IntoResponse for Reply<T> {
    fn into_response(self) -> Response {
        let body = Envelope {
            code: self.status.as_u16(),
            data: self.data,
            message: self.message,
        };
        (self.status, axum::Json(body)).into_response()
    }
}

/// 200 with `message: "success get"`.
pub fn ok<T: Serialize>(data: T) -> Reply<T> {
    Reply::new(StatusCode::OK, data, "success get")
}

/// 201 with `message: "success create"`.
pub fn created<T: Serialize>(data: T) -> Reply<T> {
    Reply::new(StatusCode::CREATED, data, "success create")
}

/// 200 with `message: "success update"`.
pub fn updated<T: Serialize>(data: T) -> Reply<T> {
    Reply::new(StatusCode::OK, data, "success update")
}

/// 200 with `message: "success delete"`.
pub fn deleted<T: Serialize>(data: T) -> Reply<T> {
    Reply::new(StatusCode::OK, data, "success delete")
}
