//! The product service binary: see `product::cli`.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    eshop_common::cli::finish("product", product::cli::run(&args).await)
}
