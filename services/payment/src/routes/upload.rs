//! `POST /v1/payments` — upload a proof (contract: api/payment.md §2.1). Nothing is written before the
//! order said yes; the object is written before the row, and deleted again when the row cannot be stored;
//! `payment.submitted` reaches the order (inline first attempt, design §4.2) before the 201.

use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use chrono::{SubsecRound, Utc};
use eshop_common::auth::AuthUser;
use eshop_common::envelope::{Envelope, Reply};
use eshop_common::error::ErrorBody;
use eshop_common::openapi::{BearerRefused, Fault};
use eshop_common::outbox::{mysql as outbox, ClaimedRow};
use eshop_common::{AppError, AppResult};
use sha2::{Digest, Sha256};
use sqlx::{Connection, Executor};
use uuid::Uuid;

use super::upload_form::{self, UploadForm};
use super::view::{view, PaymentView};
use crate::events::{self, SUBSCRIBER};
use crate::store::{self, payments, NewPayment};
use crate::AppState;

/// Deadlocks are retried this many times before answering.
const TRANSACTION_ATTEMPTS: usize = 3;

fn is_multipart(request: &Request) -> bool {
    request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

fn already_active() -> AppError {
    AppError::conflict("a proof for this order is already under review or approved")
}

/// Upload a payment proof for one's own PENDING order (compat)
///
/// api/payment.md §2.1. Type decided by magic bytes only (JPEG, PNG, WebP, PDF); the part's filename and
/// Content-Type are ignored. The order service is asked first; payment.submitted reaches it before the 201.
#[utoipa::path(
    post,
    path = "/v1/payments",
    operation_id = "uploadPayment",
    tag = "payments",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "payment created successfully", body = Envelope<PaymentView>),
        (status = 400, description = "missing, duplicate or invalid parts, empty file, note too long, malformed multipart", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not the order's owner", body = ErrorBody),
        (status = 404, description = "order unknown", body = ErrorBody),
        (status = 409, description = "order not payable, or a PENDING or APPROVED proof exists", body = ErrorBody),
        (status = 413, description = "file or body over the limit", body = ErrorBody),
        (status = 415, description = "not multipart, or a file type not allowed", body = ErrorBody),
        Fault,
        (status = 503, description = "a store or the order service is unavailable (the message carries the request id)", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(user_id = %user.user_id))]
pub async fn upload(
    State(state): State<AppState>,
    user: AuthUser,
    request: Request,
) -> AppResult<Reply<PaymentView>> {
    let result = upload_proof(&state, &user, request).await;
    let label = match &result {
        Ok(_) => "created".to_string(),
        Err(e) => e.status().as_u16().to_string(),
    };
    metrics::counter!("payment_uploads_total", "result" => label).increment(1);
    let payment = result?;
    Ok(Reply::new(
        StatusCode::CREATED,
        view(&state.proofs, payment).await?,
        "payment created successfully",
    ))
}

async fn upload_proof(
    state: &AppState,
    user: &AuthUser,
    request: Request,
) -> AppResult<store::Payment> {
    if !is_multipart(&request) {
        return Err(AppError::UnsupportedMediaType(
            "expected a multipart/form-data body".into(),
        ));
    }
    let multipart = Multipart::from_request(request, state)
        .await
        .map_err(|_| AppError::bad_request("the multipart body is malformed"))?;
    let form = upload_form::read(multipart, state.limits.max_upload_bytes).await?;

    // Step 2: a cheap refusal before calling anyone; the unique key decides in step 5.
    if payments::has_active(&state.pool, form.order_id).await? {
        return Err(already_active());
    }
    // Step 3.
    let eligibility = state
        .order
        .eligibility(form.order_id, Some(user.user_id))
        .await
        .map_err(|r| r.into_error())?;

    // Step 4.
    let new = new_payment(&form, user.user_id, eligibility.total_price);
    state
        .proofs
        .put(
            &new.object_key,
            form.image.clone(),
            new.content_type,
            &new.sha256,
        )
        .await
        .map_err(|e| AppError::unavailable("the proof storage is unavailable", e))?;

    // Step 5: the row and its event, or no object left behind.
    let stored = new.stored();
    let rows = match insert_with_event(state, &new, &stored).await {
        Ok(rows) => rows,
        Err(err) => {
            state.proofs.delete(&new.object_key).await;
            return Err(err);
        }
    };
    // Step 6: the order learns of the proof before the customer's page reads it again.
    if let Err(e) = state.relay.deliver_inline(rows).await {
        tracing::warn!(error = %e, "recording the inline delivery failed; the relay will retry");
    }
    Ok(stored)
}

fn new_payment(form: &UploadForm, user_id: Uuid, total: rust_decimal::Decimal) -> NewPayment {
    let id = Uuid::now_v7();
    NewPayment {
        id,
        order_id: form.order_id,
        user_id,
        total_amount: total,
        note: form.note.clone(),
        object_key: crate::storage::object_key(form.order_id, id, form.kind.extension()),
        content_type: form.kind.content_type(),
        size_bytes: u32::try_from(form.image.len()).unwrap_or(u32::MAX),
        sha256: hex::encode(Sha256::digest(&form.image)),
        created_at: Utc::now().trunc_subsecs(6),
    }
}

/// One transaction: the `PENDING` row and its leased `payment.submitted` row.
async fn insert_with_event(
    state: &AppState,
    new: &NewPayment,
    stored: &store::Payment,
) -> AppResult<Vec<ClaimedRow>> {
    let envelope = events::submitted(stored);
    let mut attempt = 0;
    loop {
        attempt += 1;
        let result: Result<Option<Vec<ClaimedRow>>, sqlx::Error> = async {
            let mut conn = state.pool.acquire().await?;
            // No gap locks: concurrent uploads of one order meet only on the unique key.
            conn.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
                .await?;
            let mut tx = conn.begin().await?;
            if payments::lock_order(&mut tx, new.order_id).await? {
                tx.rollback().await?;
                return Ok(None);
            }
            payments::insert(&mut tx, new).await?;
            let rows = outbox::enqueue_inline(
                &mut tx,
                &envelope,
                new.order_id,
                &[SUBSCRIBER],
                state.limits.outbox_lease,
            )
            .await?;
            tx.commit().await?;
            Ok(Some(rows))
        }
        .await;
        match result {
            Ok(Some(rows)) => return Ok(rows),
            Ok(None) => return Err(already_active()),
            Err(e) if store::mysql_errno(&e) == Some(store::DUPLICATE_KEY) => {
                return Err(already_active())
            }
            Err(e)
                if store::mysql_errno(&e) == Some(store::DEADLOCK)
                    && attempt < TRANSACTION_ATTEMPTS =>
            {
                tracing::debug!("upload transaction deadlocked; retrying");
            }
            Err(e) => return Err(e.into()),
        }
    }
}
