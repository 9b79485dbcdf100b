//! The cart service binary: see `cart::cli`.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    eshop_common::cli::main("cart", |args| async move { cart::cli::run(&args).await }).await
}
