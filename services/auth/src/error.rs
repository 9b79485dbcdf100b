//! The service's error: the common [`AppError`] plus the two answers auth needs beyond it (429 in our own words,
//! 502 when the identity provider fails), and the ONE mapping from Cognito errors to HTTP
//! (contract: api/auth.md §3 "Cognito error mapping"). SDK text never reaches a body nor the log: Cognito (and
//! the emulator) may echo tokens or usernames in their messages, so only the error code is logged.

use aws_sdk_cognitoidentityprovider::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use eshop_common::context::current_request_id;
use eshop_common::error::error_response;
use eshop_common::AppError;

/// The pool's password policy in words (api/auth.md §5).
pub const PASSWORD_POLICY: &str =
    "password does not meet the policy: at least 8 characters with upper case, lower case and a digit";
/// One text for a wrong password, an unknown user or email and a disabled user (api/auth.md §4.5).
pub const LOGIN_REFUSED: &str = "incorrect username or password";
/// One text for a wrong code and an unknown user on reset, so it reveals no account (api/auth.md §4.14).
pub const RESET_REFUSED: &str = "wrong or expired code, or unknown user";

/// What a handler can answer besides success.
#[derive(Debug)]
pub enum ApiError {
    App(AppError),
    /// 429 with our message and, when known, `Retry-After` in seconds.
    TooMany {
        message: &'static str,
        retry_after_secs: Option<u64>,
    },
    /// 502 `identity provider error`: Cognito failed, timed out or was unreachable (detail already logged).
    IdentityProvider,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        ApiError::App(err)
    }
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::App(err) => err.status(),
            ApiError::TooMany { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::IdentityProvider => StatusCode::BAD_GATEWAY,
        }
    }

    /// 401 for a refused login (same text whatever the reason).
    pub fn login_refused() -> Self {
        ApiError::App(AppError::Unauthorized {
            message: LOGIN_REFUSED,
            token_sent: false,
        })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::App(err) => err.into_response(),
            ApiError::TooMany {
                message,
                retry_after_secs,
            } => {
                let mut response =
                    error_response(StatusCode::TOO_MANY_REQUESTS, message.into(), None);
                if let Some(secs) = retry_after_secs {
                    response
                        .headers_mut()
                        .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
                }
                response
            }
            ApiError::IdentityProvider => {
                let id = current_request_id().unwrap_or_else(|| "-".into());
                error_response(
                    StatusCode::BAD_GATEWAY,
                    format!("identity provider error (request id {id})"),
                    None,
                )
            }
        }
    }
}

/// The flow a Cognito call belongs to: a few errors mean different things per flow (api/auth.md §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    SignUp,
    Confirm,
    Resend,
    Login,
    Refresh,
    Forgot,
    Reset,
    ChangePassword,
    ListUsers,
    /// Admin and lookup calls made with the service's own credentials.
    Admin,
}

/// Maps a failed Cognito call to our answer. `operation` names the API call for the log.
pub fn from_cognito<E, R>(flow: Flow, operation: &'static str, err: SdkError<E, R>) -> ApiError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let code = match &err {
        SdkError::ServiceError(service) => service.err().code().unwrap_or("unknown").to_string(),
        other => {
            // Timeouts, connection failures, unreadable responses: no user data in these.
            tracing::error!(operation, error = %DisplayErrorContext(other), "identity provider unreachable");
            return ApiError::IdentityProvider;
        }
    };
    let mapped = map_code(flow, &code);
    match &mapped {
        ApiError::IdentityProvider => {
            tracing::error!(operation, code, "identity provider error")
        }
        _ => tracing::debug!(operation, code, "identity provider refused the request"),
    }
    mapped
}

fn map_code(flow: Flow, code: &str) -> ApiError {
    use Flow::*;
    let app = |err: AppError| ApiError::App(err);
    match (code, flow) {
        ("UsernameExistsException", _) => app(AppError::conflict("username already taken")),
        ("AliasExistsException", _) => app(AppError::conflict(
            "the email is already used by another account",
        )),
        ("InvalidPasswordException", _) => app(AppError::unprocessable(PASSWORD_POLICY)),
        ("InvalidParameterException", Confirm | Resend) => {
            app(AppError::conflict("account already confirmed"))
        }
        // The emulator answers an unknown pagination token with a code of its own.
        ("InvalidParameterException" | "InvalidToken", ListUsers) => {
            app(AppError::bad_request("invalid next_token"))
        }
        ("InvalidParameterException", _) => app(AppError::bad_request(
            "the identity provider refused the request as invalid",
        )),
        ("CodeMismatchException" | "ExpiredCodeException", Reset) => {
            app(AppError::unprocessable(RESET_REFUSED))
        }
        ("CodeMismatchException" | "ExpiredCodeException", _) => {
            app(AppError::unprocessable("wrong or expired code"))
        }
        ("UserNotFoundException", Login) => ApiError::login_refused(),
        ("UserNotFoundException", Reset) => app(AppError::unprocessable(RESET_REFUSED)),
        ("UserNotFoundException", _) => app(AppError::not_found("user not found")),
        ("NotAuthorizedException", Login) => ApiError::login_refused(),
        ("NotAuthorizedException", Refresh) => app(AppError::Unauthorized {
            message: "invalid or revoked refresh token",
            token_sent: false,
        }),
        ("NotAuthorizedException", Confirm | Resend) => {
            app(AppError::conflict("account already confirmed"))
        }
        ("NotAuthorizedException", ChangePassword) => {
            app(AppError::unprocessable("current password is incorrect"))
        }
        ("UserNotConfirmedException", _) => {
            app(AppError::Forbidden("account not confirmed".into()))
        }
        (
            "TooManyRequestsException"
            | "LimitExceededException"
            | "TooManyFailedAttemptsException",
            _,
        ) => ApiError::TooMany {
            message: "too many requests; try again later",
            retry_after_secs: None,
        },
        _ => ApiError::IdentityProvider,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cognito_error_maps_to_the_contract_status() {
        let cases = [
            ("UsernameExistsException", Flow::SignUp, 409),
            ("AliasExistsException", Flow::Confirm, 409),
            ("InvalidPasswordException", Flow::SignUp, 422),
            ("InvalidParameterException", Flow::SignUp, 400),
            ("InvalidParameterException", Flow::Confirm, 409),
            ("CodeMismatchException", Flow::Confirm, 422),
            ("ExpiredCodeException", Flow::Reset, 422),
            ("UserNotFoundException", Flow::Admin, 404),
            ("UserNotFoundException", Flow::Login, 401),
            ("NotAuthorizedException", Flow::Login, 401),
            ("NotAuthorizedException", Flow::Refresh, 401),
            ("NotAuthorizedException", Flow::Confirm, 409),
            ("NotAuthorizedException", Flow::ChangePassword, 422),
            ("UserNotConfirmedException", Flow::Login, 403),
            ("TooManyRequestsException", Flow::Login, 429),
            ("LimitExceededException", Flow::Resend, 429),
            ("TooManyFailedAttemptsException", Flow::Reset, 429),
            ("CodeDeliveryFailureException", Flow::SignUp, 502),
            ("InternalErrorException", Flow::Admin, 502),
            ("NotAuthorizedException", Flow::Admin, 502),
        ];
        for (code, flow, status) in cases {
            assert_eq!(
                map_code(flow, code).status().as_u16(),
                status,
                "{code} in {flow:?}"
            );
        }
    }
}
