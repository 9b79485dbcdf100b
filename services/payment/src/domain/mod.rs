//! Pure rules of the payment contract (api/payment.md), no I/O: the proof's type from its bytes, the payment
//! status and review transitions, signed proof links, and the list filters.

pub mod link;
pub mod listing;
pub mod proof_type;
pub mod status;

pub use proof_type::ProofType;
pub use status::{PaymentStatus, ReviewStep};
