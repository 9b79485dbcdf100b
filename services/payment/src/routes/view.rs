//! The `payment` object of every `/v1` answer (contract: api/payment.md §2 "The payment object"): camelCase,
//! with `imageUrl` presigned afresh on every response.

use chrono::{DateTime, Utc};
use eshop_common::AppError;
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

use crate::domain::{PaymentStatus, ProofType};
use crate::storage::ProofStore;
use crate::store::Payment;

/// api/payment.md §2 "The payment object" (camelCase, compat names kept)
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Payment)]
pub struct PaymentView {
    pub id: Uuid,
    pub order_id: Uuid,
    /// presigned S3 GET URL, signed afresh on every response, valid PAYMENT_PROOF_URL_TTL_SECONDS; never
    /// store it
    #[schema(format = "uri")]
    pub image_url: String,
    pub status: PaymentStatus,
    /// the customer's note, "" when none
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub user_id: Uuid,
    /// the order's total_price when the proof was submitted (2 decimals)
    #[serde(with = "rust_decimal::serde::float")]
    #[schema(value_type = f64)]
    pub total_amount: Decimal,
    /// detected from the file's bytes
    #[schema(schema_with = proof_content_types)]
    pub content_type: String,
    pub size_bytes: u32,
    pub image_url_expires_at: DateTime<Utc>,
    #[schema(required = true)]
    pub admin_note: Option<String>,
    #[schema(required = true)]
    pub reviewed_by: Option<Uuid>,
    #[schema(required = true)]
    pub reviewed_at: Option<DateTime<Utc>>,
}

/// `contentType`: one of the accepted proof types'.
fn proof_content_types() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(ProofType::ALL.map(ProofType::content_type)))
        .description(Some("detected from the file's bytes"))
        .build()
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
