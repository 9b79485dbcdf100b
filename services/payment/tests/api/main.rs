//! Black-box tests of the payment service through HTTP (api/payment.md §6, issue 8): real MariaDB, the S3
//! emulator, a local token issuer and the order service stood up as a stub inside each test.

mod access;
mod events;
mod fuzz;
mod listing;
mod multipart;
mod proof;
mod review;
mod stub;
mod support;
mod upload;
mod upload_failures;
