//! What every Eshop service shares, so the fleet cannot drift: the wire envelope and error type, settings
//! from the environment, Cognito token checks and service credentials, telemetry, the service-to-service
//! HTTP client, server bootstrap, and the transactional outbox relay with its idempotent consumer.

pub mod auth;
#[cfg(feature = "aws")]
pub mod aws;
pub mod cli;
pub mod client;
pub mod config;
pub mod context;
pub mod db;
pub mod envelope;
pub mod error;
pub mod extract;
pub mod openapi;
pub mod outbox;
pub mod server;
pub mod state;
pub mod telemetry;

pub use error::{AppError, AppResult, Cause};
