//! The sales-report service binary: see `sales_report::cli`.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    eshop_common::cli::finish("sales-report", sales_report::cli::run(&args).await)
}
