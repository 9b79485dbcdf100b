//! Black-box tests of the product service through HTTP against the AWS emulator (moto at
//! `AWS_ENDPOINT_URL`, default http://localhost:5000). Every test has its own tables and bucket.

mod catalogue;
mod categories;
mod consumer;
mod events;
mod ghosts;
mod openapi;
mod pages;
mod relay;
mod roles;
mod snapshot;
mod support;
mod uploads;
mod validation;
