//! The payment service's stores: MySQL and the private S3 proof bucket (contract: api/payment.md §3).

pub mod bucket;
