//! The `product` binary's commands: serve (default), `seed` (stores, then the demo catalogue).

use crate::{build, seed, store, AwsClients, Config};

pub const USAGE: &str = "[serve | seed]";

pub async fn run(args: &[String]) -> anyhow::Result<()> {
    let common = eshop_common::config::CommonSettings::from_env("product", 2001)?;
    eshop_common::telemetry::init_tracing(&common);
    match args.first().map(String::as_str) {
        None | Some("serve") => {
            let app = build(Config::from_env()?).await?;
            tracing::info!(port = app.port(), "product service listening");
            Ok(app.run().await?)
        }
        Some("seed") => {
            // Seeding validates no tokens: only the AWS part of the configuration is read.
            let settings = eshop_common::aws::AwsSettings::from_env()?;
            let names = store::bootstrap::StoreNames::from_env();
            let aws = AwsClients::new(&settings).await;
            if settings.bootstrap {
                store::bootstrap::bootstrap_stores(&aws.dynamodb, &aws.s3, &names).await?;
            }
            let report = seed::seed(
                &aws.dynamodb,
                &aws.s3,
                &names,
                &seed::SeedSettings::from_env(),
            )
            .await?;
            println!(
                "product: seeded {} root categories, {} categories, {} products",
                report.roots_created, report.categories_created, report.products_created
            );
            Ok(())
        }
        _ => eshop_common::cli::unknown_command("product", args, USAGE),
    }
}
