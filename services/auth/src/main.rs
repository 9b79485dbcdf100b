//! The auth service binary: see `auth::cli`.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    eshop_common::cli::finish("auth", auth::cli::run(&args).await)
}
