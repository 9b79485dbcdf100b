//! Identity for every service (auth.md §2, normative): Cognito access tokens checked locally against a
//! cached JWKS, the caller extractors with role guards, and per-caller service credentials.

pub mod caller;
pub mod service;
pub mod settings;
pub mod verifier;

pub use caller::{AuthUser, MaybeAuthUser, Role};
pub use service::{InternalAuth, ServiceCaller, SERVICE_TOKEN_HEADER};
pub use settings::AuthSettings;
pub use verifier::{Claims, TokenError, Verifier};
