//! The warehouse service binary: see `warehouse::cli`.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    eshop_common::cli::main("warehouse", |args| async move {
        warehouse::cli::run(&args).await
    })
    .await
}
