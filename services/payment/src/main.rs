//! The payment service binary: see `payment::cli`.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    eshop_common::cli::finish("payment", payment::cli::run(&args).await)
}
