//! Black-box tests of the cart service through HTTP (api/cart.md §8, issue 6's acceptance checks): real
//! MariaDB (a fresh database per test) and Redis (a key prefix per test, in a Redis database the running
//! stack does not use); product and order are stubs implementing the spec README's contract.

mod add;
mod auth;
mod cache;
mod checkout;
mod events;
mod input;
mod isolation;
mod stubs;
mod support;
