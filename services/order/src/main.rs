//! The order service binary: see `order::cli`.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    eshop_common::cli::main("order", |args| async move { order::cli::run(&args).await }).await
}
