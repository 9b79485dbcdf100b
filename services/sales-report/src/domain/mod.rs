//! Pure rules of the sales report (api/sales-report.md): money and margins, the events' `data`, the
//! shared filters and time buckets, and the CSV and PDF formats. No I/O here.

pub mod buckets;
pub mod csv;
pub mod event;
pub mod filter;
pub mod margin;
pub mod money;
pub mod pdf;
pub mod row;
pub mod summary;
pub mod xlsx;

pub use row::{Kind, MarginSource, SaleRow};
