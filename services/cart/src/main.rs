//! The cart service binary: see `cart::cli`.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    eshop_common::cli::finish("cart", cart::cli::run(&args).await)
}
