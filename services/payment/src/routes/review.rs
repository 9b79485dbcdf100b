//! `PATCH /v1/payments` — an admin approves or rejects a proof (contract: api/payment.md §2.4). The row lock
//! serialises reviewers; only a real change writes and emits `payment.reviewed`.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{SubsecRound, Utc};
use eshop_common::auth::{AuthUser, Role};
use eshop_common::envelope::{Envelope, Reply};
use eshop_common::error::ErrorBody;
use eshop_common::extract::Json;
use eshop_common::openapi::{BearerRefused, Fault};
use eshop_common::outbox::mysql as outbox;
use eshop_common::{AppError, AppResult, Cause};
use serde_json::Value;
use uuid::Uuid;

use super::view::{view, PaymentView};
use crate::domain::status::review_step;
use crate::domain::{PaymentStatus, ReviewStep};
use crate::events::{self, SUBSCRIBER};
use crate::order::Refusal;
use crate::store::payments;
use crate::AppState;

/// `adminNote` at most this many characters.
pub const ADMIN_NOTE_MAX_CHARS: usize = 500;

// Also the body's schema in the OpenAPI document.
/// A review (a valid one once parsed).
#[derive(Debug, Clone, PartialEq, utoipa::ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct ReviewRequest {
    pub payment_id: Uuid,
    #[schema(schema_with = decisions)]
    pub status: PaymentStatus,
    #[schema(max_length = 500)]
    pub admin_note: Option<String>,
    /// only with REJECTED: the order becomes REJECTED, no new upload
    #[schema(required = false, default = false)]
    pub reject_order: bool,
}

// The literal of `adminNote` above.
const _: () = assert!(ADMIN_NOTE_MAX_CHARS == 500);

/// `status`: a decision.
fn decisions() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(PaymentStatus::DECISIONS.map(PaymentStatus::as_str)))
        .description(Some("PENDING answers 422"))
        .build()
}

impl ReviewRequest {
    /// §2.4 body rules: 400 with causes, 422 for `PENDING` (there is no way back).
    pub fn parse(body: &Value) -> AppResult<ReviewRequest> {
        let Some(obj) = body.as_object() else {
            return Err(AppError::bad_request("the body must be a JSON object"));
        };
        let mut causes = Vec::new();
        let payment_id = match obj.get("paymentId") {
            Some(Value::String(s)) => Uuid::parse_str(s).ok(),
            _ => None,
        };
        if payment_id.is_none() {
            causes.push(Cause::new("paymentId", "is required and must be a UUID"));
        }
        let status = match obj.get("status") {
            Some(Value::String(s)) => PaymentStatus::parse(s),
            _ => None,
        };
        if status.is_none() {
            causes.push(Cause::new("status", "must be APPROVED or REJECTED"));
        }
        let admin_note = match obj.get("adminNote") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.chars().count() <= ADMIN_NOTE_MAX_CHARS => Some(s.clone()),
            Some(_) => {
                causes.push(Cause::new(
                    "adminNote",
                    "must be a string of at most 500 characters",
                ));
                None
            }
        };
        let reject_order = match obj.get("rejectOrder") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                causes.push(Cause::new("rejectOrder", "must be a boolean"));
                false
            }
        };
        if reject_order && status == Some(PaymentStatus::Approved) {
            causes.push(Cause::new("rejectOrder", "is allowed only with REJECTED"));
        }
        let (Some(payment_id), Some(status), true) = (payment_id, status, causes.is_empty()) else {
            return Err(AppError::invalid_fields("invalid review", causes));
        };
        if status == PaymentStatus::Pending {
            return Err(AppError::unprocessable(
                "a reviewed payment cannot go back to PENDING",
            ));
        }
        Ok(ReviewRequest {
            payment_id,
            status,
            admin_note,
            reject_order,
        })
    }
}

/// Approve or reject a proof (admin; compat, no id in the path)
///
/// api/payment.md §2.4. Repeating the current decision answers 200 and changes nothing; the other decision
/// answers 409. Only a real change emits payment.reviewed.
#[utoipa::path(
    patch,
    path = "/v1/payments",
    operation_id = "reviewPayment",
    tag = "payments",
    request_body = ReviewRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "payment status updated successfully", body = Envelope<PaymentView>),
        (status = 400, description = "malformed JSON, missing fields, unknown status, non-UUID", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "unknown payment", body = ErrorBody),
        (status = 409, description = "the other decision was already taken, or the order can no longer be paid", body = ErrorBody),
        (status = 413, description = "body over the limit", body = ErrorBody),
        (status = 415, description = "not JSON", body = ErrorBody),
        (status = 422, description = "status PENDING", body = ErrorBody),
        Fault,
        (status = 503, description = "the database or the order service is unavailable (the message carries the request id)", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(user_id = %user.user_id))]
pub async fn review(
    State(state): State<AppState>,
    user: AuthUser,
    body: Result<Json<Value>, AppError>,
) -> AppResult<Reply<PaymentView>> {
    // A customer cannot approve their own payment (old behaviour): the role first.
    user.require_any(&[Role::Admin])?;
    let Json(body) = body?;
    let request = ReviewRequest::parse(&body)?;
    let payment = apply(&state, &user, &request).await?;
    Ok(Reply::new(
        StatusCode::OK,
        view(&state.proofs, payment).await?,
        "payment status updated successfully",
    ))
}

async fn apply(
    state: &AppState,
    user: &AuthUser,
    request: &ReviewRequest,
) -> AppResult<crate::store::Payment> {
    // Step 1 (no lock held during the call).
    let current = payments::find(&state.pool, request.payment_id)
        .await?
        .ok_or_else(|| AppError::not_found("payment not found"))?;
    if request.status == PaymentStatus::Approved && current.status == PaymentStatus::Pending {
        state
            .order
            .eligibility(current.order_id, None)
            .await
            .map_err(|refusal| match refusal {
                Refusal::Unavailable(detail) => {
                    AppError::unavailable("the order service is unavailable", detail)
                }
                _ => AppError::conflict("the order can no longer be paid"),
            })?;
    }
    // Step 2.
    let mut tx = state.pool.begin().await?;
    let locked = payments::find_for_update(&mut tx, request.payment_id)
        .await?
        .ok_or_else(|| AppError::not_found("payment not found"))?;
    match review_step(locked.status, request.status) {
        // Release the row lock now, not when the pooled connection is next used.
        ReviewStep::Unchanged => {
            tx.rollback().await?;
            Ok(locked)
        }
        ReviewStep::Conflict => {
            tx.rollback().await?;
            Err(AppError::conflict(format!(
                "the payment is already {}",
                locked.status.as_str()
            )))
        }
        ReviewStep::Apply => {
            let now = Utc::now().trunc_subsecs(6);
            let note = request.admin_note.as_deref();
            payments::record_review(&mut tx, locked.id, request.status, note, user.user_id, now)
                .await?;
            let updated = crate::store::Payment {
                status: request.status,
                admin_note: request.admin_note.clone(),
                reviewed_by: Some(user.user_id),
                reviewed_at: Some(now),
                updated_at: now,
                ..locked
            };
            let reject_order = request.reject_order && request.status == PaymentStatus::Rejected;
            let envelope = events::reviewed(&updated, reject_order);
            outbox::enqueue(&mut tx, &envelope, updated.order_id, &[SUBSCRIBER]).await?;
            tx.commit().await?;
            state.relay.wake();
            metrics::counter!("payment_reviews_total", "status" => request.status.as_str())
                .increment(1);
            Ok(updated)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn status_of(body: Value) -> u16 {
        ReviewRequest::parse(&body).unwrap_err().status().as_u16()
    }

    #[test]
    fn a_valid_rejection_parses() {
        let id = Uuid::now_v7();
        let r = ReviewRequest::parse(&json!({"paymentId": id, "status": "REJECTED",
            "adminNote": "blurry", "rejectOrder": true}))
        .unwrap();
        assert_eq!(r.payment_id, id);
        assert_eq!(r.status, PaymentStatus::Rejected);
        assert_eq!(r.admin_note.as_deref(), Some("blurry"));
        assert!(r.reject_order);
    }

    #[test]
    fn invalid_bodies_are_refused_with_the_contract_statuses() {
        let id = Uuid::now_v7().to_string();
        assert_eq!(
            status_of(json!({"paymentId": id, "status": "PENDING"})),
            422
        );
        assert_eq!(status_of(json!({"paymentId": id, "status": "PAID"})), 400);
        assert_eq!(status_of(json!({"status": "APPROVED"})), 400);
        assert_eq!(
            status_of(json!({"paymentId": "abc", "status": "APPROVED"})),
            400
        );
        assert_eq!(status_of(json!([])), 400);
        assert_eq!(
            status_of(json!({"paymentId": id, "status": "REJECTED", "adminNote": "x".repeat(501)})),
            400
        );
        assert_eq!(
            status_of(json!({"paymentId": id, "status": "APPROVED", "rejectOrder": true})),
            400
        );
    }
}
