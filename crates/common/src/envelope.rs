//! The success envelope every `/v1` route answers with (design §2, compat):
//! `{"code": <status>, "data": <payload>, "message": "success get|…"}`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::AppError;

/// The body buffer a reply starts with unless [`Reply::sized`] says more: enough for one object or a short
/// list, so most replies are written without the buffer growing (each growth copies what is written).
const BODY_CAPACITY: usize = 512;

/// A success reply. Build it with [`ok`], [`created`] or [`Reply::new`].
#[derive(Debug)]
pub struct Reply<T> {
    pub status: StatusCode,
    pub data: T,
    pub message: &'static str,
    /// Bytes reserved for the body before it is written (an estimate; the buffer grows past it if needed).
    pub capacity: usize,
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
            capacity: BODY_CAPACITY,
        }
    }

    /// The same reply with `bytes` reserved for its body: for a list whose size is known before it is
    /// written (a cart of ten lines is ~4 KiB).
    pub fn sized(mut self, bytes: usize) -> Self {
        self.capacity = bytes.max(BODY_CAPACITY);
        self
    }
}

impl<T: Serialize> IntoResponse for Reply<T> {
    fn into_response(self) -> Response {
        let body = Envelope {
            code: self.status.as_u16(),
            data: self.data,
            message: self.message,
        };
        let mut json = Vec::with_capacity(self.capacity);
        if let Err(e) = serde_json::to_writer(&mut json, &body) {
            return AppError::internal("reply", e).into_response();
        }
        json_response(self.status, json)
    }
}

/// 200 with `message: "success get"`.
pub fn ok<T: Serialize>(data: T) -> Reply<T> {
    Reply::new(StatusCode::OK, data, "success get")
}

/// 200 with `message: "success get"`, for a hot path that has its payload as JSON text already: `write`
/// puts `data` into the body itself (trusted, not checked). `None` from `write` → `None`, nothing sent.
pub fn ok_written(
    capacity: usize,
    write: impl FnOnce(&mut Vec<u8>) -> Option<()>,
) -> Option<Response> {
    let mut json = Vec::with_capacity(capacity.max(BODY_CAPACITY));
    json.extend_from_slice(br#"{"code":200,"data":"#);
    write(&mut json)?;
    json.extend_from_slice(br#","message":"success get"}"#);
    Some(json_response(StatusCode::OK, json))
}

fn json_response(status: StatusCode, json: Vec<u8>) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        json,
    )
        .into_response()
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

#[cfg(test)]
mod tests {
    use super::*;

    async fn sent<T: Serialize>(reply: Reply<T>) -> (StatusCode, Option<HeaderValue>, String) {
        let response = reply.into_response();
        let status = response.status();
        let kind = response.headers().get(header::CONTENT_TYPE).cloned();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, kind, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn a_reply_is_the_envelope_as_json() {
        let (status, kind, body) = sent(created(serde_json::json!({"id": 1}))).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(kind.unwrap(), "application/json");
        assert_eq!(
            body,
            r#"{"code":201,"data":{"id":1},"message":"success create"}"#
        );
    }

    #[tokio::test]
    async fn a_written_reply_is_the_same_envelope() {
        let data = serde_json::json!([{"id": 1}, {"id": 2}]);
        let response = ok_written(0, |out| serde_json::to_writer(&mut *out, &data).ok()).unwrap();
        let (_, kind, body) = sent(ok(&data)).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers().get(header::CONTENT_TYPE), kind.as_ref());
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        assert_eq!(String::from_utf8(bytes.to_vec()).unwrap(), body);
        assert!(ok_written(0, |_| None).is_none());
    }

    #[tokio::test]
    async fn a_sized_reply_longer_than_its_estimate_is_sent_whole() {
        let lines: Vec<String> = (0..100).map(|i| format!("line {i}")).collect();
        let reply = ok(&lines).sized(16);
        assert_eq!(reply.capacity, BODY_CAPACITY);
        let (status, _, body) = sent(reply).await;
        assert_eq!(status, StatusCode::OK);
        let back: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(back["data"].as_array().unwrap().len(), 100);
        assert_eq!(back["data"][99], "line 99");
        assert_eq!(ok(()).sized(4096).capacity, 4096);
    }
}
