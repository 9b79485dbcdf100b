//! The product service's AWS stores: DynamoDB tables and the S3 image bucket (contract: api/product.md §4).

pub mod bootstrap;
