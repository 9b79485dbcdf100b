//! Signed proof links (contract: api/payment.md §2.5, order.md §2.1): `sig` = hex(HMAC-SHA256(
//! `PROOF_LINK_SECRET`, "{id}|{exp}")), valid while `exp` (unix seconds) is in the future; compared in
//! constant time.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use uuid::Uuid;

type HmacSha256 = Hmac<Sha256>;

/// The hex signature of (`id`, `exp`) under `secret`.
pub fn sign(secret: &[u8], id: Uuid, exp: i64) -> String {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(format!("{id}|{exp}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Whether `sig` signs (`id`, `exp`) under `secret` and `exp` is after `now` (unix seconds).
pub fn verify(secret: &[u8], id: Uuid, exp: &str, sig: &str, now: i64) -> bool {
    let Ok(exp_secs) = exp.parse::<i64>() else {
        return false;
    };
    if exp_secs <= now || exp != exp_secs.to_string() {
        return false;
    }
    let expected = sign(secret, id, exp_secs);
    let given = sig.to_ascii_lowercase();
    expected.as_bytes().ct_eq(given.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"local-proof-link-secret";

    #[test]
    fn a_fresh_link_verifies() {
        let id = Uuid::now_v7();
        let sig = sign(SECRET, id, 2_000);
        assert!(verify(SECRET, id, "2000", &sig, 1_000));
        assert_eq!(sig.len(), 64);
    }

    #[test]
    fn expired_altered_or_foreign_links_do_not() {
        let id = Uuid::now_v7();
        let sig = sign(SECRET, id, 2_000);
        assert!(!verify(SECRET, id, "2000", &sig, 2_000), "expired");
        assert!(!verify(SECRET, id, "2001", &sig, 1_000), "other exp");
        assert!(
            !verify(SECRET, Uuid::now_v7(), "2000", &sig, 1_000),
            "other id"
        );
        assert!(
            !verify(b"other secret", id, "2000", &sig, 1_000),
            "other key"
        );
        let mut altered = sig.clone();
        altered.replace_range(0..1, if &sig[..1] == "0" { "1" } else { "0" });
        assert!(!verify(SECRET, id, "2000", &altered, 1_000), "altered");
        assert!(
            !verify(SECRET, id, "02000", &sig, 1_000),
            "non-canonical exp"
        );
        assert!(!verify(SECRET, id, "soon", &sig, 1_000));
    }
}
