//! The order service binary: see `order::cli`.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    eshop_common::cli::finish("order", order::cli::run(&args).await)
}
