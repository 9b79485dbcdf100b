//! The signed payment-proof link (api/order.md §2.1): `{PAYMENT_PUBLIC_URL}/v1/payments/{payment_id}/proof
//! ?exp=<unix s>&sig=<hex HMAC-SHA256(PROOF_LINK_SECRET, "{payment_id}|{exp}")>`.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

/// The hex signature of (`payment_id`, `exp`) under `secret`.
pub fn signature(secret: &str, payment_id: Uuid, exp: i64) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(format!("{payment_id}|{exp}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The link for `payment_id` valid until `exp` (unix seconds).
pub fn link(public_url: &str, secret: &str, payment_id: Uuid, exp: i64) -> String {
    format!(
        "{}/v1/payments/{payment_id}/proof?exp={exp}&sig={}",
        public_url.trim_end_matches('/'),
        signature(secret, payment_id, exp)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_carries_exp_and_a_signature_over_id_and_exp() {
        let id = Uuid::nil();
        let url = link("http://pay.local/", "s3cret", id, 1_700_000_000);
        let sig = signature("s3cret", id, 1_700_000_000);
        assert_eq!(
            url,
            format!("http://pay.local/v1/payments/{id}/proof?exp=1700000000&sig={sig}")
        );
        assert_eq!(sig.len(), 64);
        assert_ne!(sig, signature("other", id, 1_700_000_000));
        assert_ne!(sig, signature("s3cret", id, 1_700_000_001));
    }
}
