//! Dev-only helpers shared by Eshop's black-box tests: a fresh database per test, tokens minted through the
//! AWS emulator or a local key, service-wide checks, a pausable TCP proxy for outage tests, and a long outbox
//! history. Nothing here mocks a store.

pub mod cognito;
pub mod db;
pub mod keys;
pub mod outbox;
pub mod proxy;
pub mod service;
