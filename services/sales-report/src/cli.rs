//! The `sales-report` binary's commands: serve (default), `migrate`, `openapi` (print the OpenAPI document).

use crate::{build, Config, MIGRATOR};

pub const USAGE: &str = "[serve | migrate | openapi]";

pub async fn run(args: &[String]) -> anyhow::Result<()> {
    if args.first().map(String::as_str) == Some("openapi") {
        // The document `/openapi.json` serves, without starting anything.
        println!("{}", *crate::OPENAPI);
        return Ok(());
    }
    let common = eshop_common::config::CommonSettings::from_env("sales-report", 2007)?;
    eshop_common::telemetry::init_tracing(&common);
    match args.first().map(String::as_str) {
        None | Some("serve") => {
            let config = Config::from_env()?;
            let app = build(config).await?;
            tracing::info!(port = app.port(), "sales-report service listening");
            Ok(app.run().await?)
        }
        Some("migrate") => {
            let (url, _) =
                eshop_common::config::database_from_env(crate::config::LOCAL_DATABASE_URL)?;
            let pool = eshop_common::db::postgres_pool(&url, 1)?;
            MIGRATOR.run(&pool).await?;
            println!("sales-report: migrations applied");
            Ok(())
        }
        _ => eshop_common::cli::unknown_command("sales-report", args, USAGE),
    }
}
