//! The `payment` object of every `/v1` answer (contract: api/payment.md §2 "The payment object"): camelCase,
//! with `imageUrl` presigned afresh on every response.

use chrono::{DateTime, Utc};
use eshop_common::AppError;
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

use crate::domain::PaymentStatus;
use crate::storage::ProofStore;
use crate::store::Payment;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentView {
    pub id: Uuid,
    pub order_id: Uuid,
    pub image_url: String,
    pub status: PaymentStatus,
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub user_id: Uuid,
    #[serde(with = "rust_decimal::serde::float")]
    pub total_amount: Decimal,
    pub content_type: String,
    pub size_bytes: u32,
    pub image_url_expires_at: DateTime<Utc>,
    pub admin_note: Option<String>,
    pub reviewed_by: Option<Uuid>,
    pub reviewed_at: Option<DateTime<Utc>>,
}

/// The object for `p`, with a URL signed now.
pub async fn view(proofs: &ProofStore, p: Payment) -> Result<PaymentView, AppError> {
    let signed = proofs
        .presign(&p.object_key, &p.content_type)
        .await
        .map_err(|e| AppError::internal("signing the proof URL failed", e))?;
    Ok(PaymentView {
        id: p.id,
        order_id: p.order_id,
        image_url: signed.url,
        status: p.status,
        note: p.note,
        created_at: p.created_at,
        updated_at: p.updated_at,
        user_id: p.user_id,
        total_amount: p.total_amount,
        content_type: p.content_type,
        size_bytes: p.size_bytes,
        image_url_expires_at: signed.expires_at,
        admin_note: p.admin_note,
        reviewed_by: p.reviewed_by,
        reviewed_at: p.reviewed_at,
    })
}

/// The objects for a list, in order.
pub async fn views(proofs: &ProofStore, rows: Vec<Payment>) -> Result<Vec<PaymentView>, AppError> {
    let mut out = Vec::with_capacity(rows.len());
    for p in rows {
        out.push(view(proofs, p).await?);
    }
    Ok(out)
}
