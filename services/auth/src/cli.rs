//! The `auth` binary's commands: serve (default); `bootstrap --env-file F` (pool, client, groups, seed
//! admin; writes the Cognito settings other services read); `seed-customer` (the demo customer); `openapi`
//! (print the OpenAPI document).

use std::path::PathBuf;

use eshop_common::config;

use crate::{bootstrap, build, Config};

pub const USAGE: &str = "[serve | bootstrap --env-file FILE | seed-customer | openapi]";

pub async fn run(args: &[String]) -> anyhow::Result<()> {
    if args == ["openapi"] {
        // The document `/openapi.json` serves, without starting anything.
        println!("{}", *crate::OPENAPI);
        return Ok(());
    }
    let common = config::CommonSettings::from_env("auth", 2003)?;
    eshop_common::telemetry::init_tracing(&common);
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] | ["serve"] => {
            let app = build(Config::from_env()?).await?;
            tracing::info!(port = app.port(), "auth service listening");
            Ok(app.run().await?)
        }
        ["bootstrap", "--env-file", path] => {
            let settings = bootstrap::BootstrapSettings::from_env()?;
            let output = bootstrap::run(&settings, &PathBuf::from(path)).await?;
            println!(
                "auth: user pool {} ready; settings written to {path}",
                output.pool_id
            );
            Ok(())
        }
        ["seed-customer"] => {
            let pool_id = eshop_common::auth::AuthSettings::from_env()?.pool_id;
            let username = config::string_or("SEED_CUSTOMER_USERNAME", "customer");
            let email = config::string_or("SEED_CUSTOMER_EMAIL", "customer@eshop.local");
            let password = config::required("SEED_CUSTOMER_PASSWORD")?;
            let cognito = aws_sdk_cognitoidentityprovider::Client::new(
                &crate::config::cognito_aws_settings()?.sdk_config().await,
            );
            bootstrap::seed_user(&cognito, &pool_id, &username, &email, &password, None).await?;
            println!("auth: demo customer {username} ready");
            Ok(())
        }
        _ => eshop_common::cli::unknown_command("auth", args, USAGE),
    }
}
