//! The `order` binary's commands: serve (default), `migrate`, `openapi` (print the OpenAPI document),
//! `outbox`.

use crate::{build, Config, MIGRATOR};

pub const USAGE: &str = "[serve | migrate | openapi | outbox list [--parked] | outbox redrive ID]";

pub async fn run(args: &[String]) -> anyhow::Result<()> {
    if args.first().map(String::as_str) == Some("openapi") {
        // The document `/openapi.json` serves, without starting anything.
        println!("{}", *crate::OPENAPI);
        return Ok(());
    }
    let common = eshop_common::config::CommonSettings::from_env("order", 2004)?;
    eshop_common::telemetry::init_tracing(&common);
    match args.first().map(String::as_str) {
        None | Some("serve") => {
            let config = Config::from_env()?;
            let app = build(config).await?;
            tracing::info!(port = app.port(), "order service listening");
            Ok(app.run().await?)
        }
        Some("migrate") => {
            let (url, _) = crate::config::database_from_env()?;
            let pool = eshop_common::db::postgres_pool(&url, 1)?;
            MIGRATOR.run(&pool).await?;
            println!("order: migrations applied");
            Ok(())
        }
        Some("outbox") => {
            let (url, _) = crate::config::database_from_env()?;
            let pool =
                eshop_common::outbox::OutboxPool::from(eshop_common::db::postgres_pool(&url, 1)?);
            eshop_common::cli::outbox_command(&pool, "order", &args[1..]).await
        }
        _ => eshop_common::cli::unknown_command("order", args, USAGE),
    }
}
