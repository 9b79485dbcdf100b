//! Black-box tests of the auth service through HTTP (api/auth.md §8 checks 9–20, issue 3's acceptance checks):
//! each test has its own user pool in the AWS emulator, or a stubbed Cognito endpoint where the emulator lacks
//! the behaviour, so tests run in parallel.

mod admin;
mod errors;
mod introspect;
mod login;
mod logs;
mod me;
mod password;
mod session;
mod signup;
mod stub;
mod support;
mod users;
