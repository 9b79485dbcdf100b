//! Pure order rules, free of I/O: the status lifecycle, shipping fees, checkout input, list filters and
//! signed proof links (api/order.md §2–3).

pub mod checkout;
pub mod listing;
pub mod proof_link;
pub mod shipping;
pub mod status;
