//! The auth service binary: see `auth::cli`.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    eshop_common::cli::main("auth", |args| async move { auth::cli::run(&args).await }).await
}
