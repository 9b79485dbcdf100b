//! Pure catalogue rules, no I/O: the records and their wire views, field validation, images, the category
//! tree and search (contract: api/product.md §2).

pub mod fields;
pub mod image;
pub mod records;
pub mod search;
pub mod tree;

pub use records::{CategoryRecord, ProductPage, ProductRecord, ProductView};
