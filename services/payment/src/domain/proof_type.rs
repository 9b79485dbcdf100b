//! The four accepted proof types, decided by magic bytes only (contract: api/payment.md §2.1); the part's
//! filename and declared `Content-Type` are ignored.

/// A proof file type the service stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProofType {
    Jpeg,
    Png,
    Webp,
    Pdf,
}

impl ProofType {
    pub const ALL: [ProofType; 4] = [
        ProofType::Jpeg,
        ProofType::Png,
        ProofType::Webp,
        ProofType::Pdf,
    ];

    /// The type of `bytes` by their leading bytes, or `None` (→ 415).
    pub fn detect(bytes: &[u8]) -> Option<ProofType> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ProofType::Jpeg)
        } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(ProofType::Png)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(ProofType::Webp)
        } else if bytes.starts_with(b"%PDF-") {
            Some(ProofType::Pdf)
        } else {
            None
        }
    }

    /// The `contentType` stored and served.
    pub fn content_type(self) -> &'static str {
        match self {
            ProofType::Jpeg => "image/jpeg",
            ProofType::Png => "image/png",
            ProofType::Webp => "image/webp",
            ProofType::Pdf => "application/pdf",
        }
    }

    /// The object key's extension.
    pub fn extension(self) -> &'static str {
        match self {
            ProofType::Jpeg => "jpg",
            ProofType::Png => "png",
            ProofType::Webp => "webp",
            ProofType::Pdf => "pdf",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_accepted_type_is_recognised_by_its_leading_bytes() {
        assert_eq!(
            ProofType::detect(&[0xFF, 0xD8, 0xFF, 0xE0, 0]),
            Some(ProofType::Jpeg)
        );
        assert_eq!(
            ProofType::detect(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(ProofType::Png)
        );
        assert_eq!(
            ProofType::detect(b"RIFF\x10\0\0\0WEBPVP8 "),
            Some(ProofType::Webp)
        );
        assert_eq!(ProofType::detect(b"%PDF-1.7\n"), Some(ProofType::Pdf));
    }

    #[test]
    fn other_files_are_refused_whatever_they_claim_to_be() {
        for bytes in [
            &b"GIF89a\x01\0\x01\0"[..],
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            b"<html><script>alert(1)</script></html>",
            b"just some text named proof.jpg",
            b"MZ\x90\0\x03\0\0\0",
            b"RIFF\x10\0\0\0WAVEfmt ",
            b"RIFF",
            b"%PDF",
            &[0xFF, 0xD8],
            b"",
        ] {
            assert_eq!(ProofType::detect(bytes), None, "{bytes:?}");
        }
    }
}
