//! The payment service binary: see `payment::cli`.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    eshop_common::cli::main(
        "payment",
        |args| async move { payment::cli::run(&args).await },
    )
    .await
}
