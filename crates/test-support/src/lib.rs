//! Dev-only helpers shared by Eshop's black-box tests: a fresh database per test, tokens minted through the
//! AWS emulator, and a pausable TCP proxy for outage tests. Nothing here is a mock of a store.

pub mod db;
pub mod proxy;
