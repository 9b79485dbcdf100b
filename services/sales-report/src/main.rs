//! The sales-report service binary: see `sales_report::cli`.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    eshop_common::cli::main("sales-report", |args| async move {
        sales_report::cli::run(&args).await
    })
    .await
}
