//! The `warehouse` binary's commands: serve (default), `migrate`, `openapi` (print the OpenAPI document),
//! `outbox`, `seed` (the demo warehouses and stock).

use crate::{build, Config, MIGRATOR};

pub const USAGE: &str =
    "[serve | migrate | openapi | outbox list [--parked] | outbox redrive ID | seed]";

pub async fn run(args: &[String]) -> anyhow::Result<()> {
    if args.first().map(String::as_str) == Some("openapi") {
        // The document `/openapi.json` serves, without starting anything.
        println!("{}", *crate::OPENAPI);
        return Ok(());
    }
    let common = eshop_common::config::CommonSettings::from_env("warehouse", 2005)?;
    eshop_common::telemetry::init_tracing(&common);
    match args.first().map(String::as_str) {
        None | Some("serve") => {
            let config = Config::from_env()?;
            let app = build(config).await?;
            tracing::info!(port = app.port(), "warehouse service listening");
            Ok(app.run().await?)
        }
        Some("migrate") => {
            let (url, _) =
                eshop_common::config::database_from_env(crate::config::LOCAL_DATABASE_URL)?;
            let pool = eshop_common::db::postgres_pool(&url, 1)?;
            MIGRATOR.run(&pool).await?;
            println!("warehouse: migrations applied");
            Ok(())
        }
        Some("seed") => {
            let (url, _) =
                eshop_common::config::database_from_env(crate::config::LOCAL_DATABASE_URL)?;
            let pool = eshop_common::db::postgres_pool(&url, 1)?;
            MIGRATOR.run(&pool).await?;
            let settings = crate::seed::SeedSettings::from_env();
            let report =
                crate::seed::seed_demo(&pool, &settings.catalogue_path, &settings.image_base_url)
                    .await?;
            println!(
                "warehouse: seeded {} warehouses, {} products, {} stock rows",
                report.warehouses_created, report.products_created, report.stock_rows_created
            );
            Ok(())
        }
        Some("outbox") => {
            let (url, _) =
                eshop_common::config::database_from_env(crate::config::LOCAL_DATABASE_URL)?;
            let pool =
                eshop_common::outbox::OutboxPool::from(eshop_common::db::postgres_pool(&url, 1)?);
            eshop_common::cli::outbox_command(&pool, "warehouse", &args[1..]).await
        }
        _ => eshop_common::cli::unknown_command("warehouse", args, USAGE),
    }
}
