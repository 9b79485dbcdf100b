//! The warehouse service binary: see `warehouse::cli`.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    eshop_common::cli::finish("warehouse", warehouse::cli::run(&args).await)
}
