//! The services cart calls (api/cart.md §4): product's lookup when a line is added, order's checkout.

pub mod order;
pub mod product;

use crate::error::ApiError;
use eshop_common::AppError;

/// A failed call: a timeout is 504, anything else that never got an answer 502.
fn transport(what: &'static str, err: &reqwest::Error) -> ApiError {
    if err.is_timeout() && !err.is_connect() {
        ApiError::GatewayTimeout(what)
    } else {
        ApiError::App(AppError::bad_gateway(format!("{what} unavailable"), err))
    }
}
