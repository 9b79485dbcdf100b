//! The product service's AWS stores: DynamoDB tables and the S3 image bucket (contract: api/product.md §4),
//! one module per aggregate; every call counts towards `product_dynamodb_reads_total` when it reads.

pub mod bootstrap;
pub mod calls;
pub mod categories;
pub mod error;
pub mod images;
pub mod items;
pub mod lookup;
pub mod outbox;
pub mod products;
pub mod scan;

pub use error::StoreError;
