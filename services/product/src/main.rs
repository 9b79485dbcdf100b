//! The product service binary: see `product::cli`.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    eshop_common::cli::main(
        "product",
        |args| async move { product::cli::run(&args).await },
    )
    .await
}
