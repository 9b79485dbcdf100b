//! The `product` binary's commands: serve (default), `seed` (stores, then the demo catalogue), `openapi`
//! (print the OpenAPI document), and `outbox list [--parked]` / `outbox redrive <id>` (design §4.2;
//! api/product.md §4.4).

use crate::{build, seed, store, AwsClients, Config};

pub const USAGE: &str = "[serve | seed | openapi | outbox list [--parked] | outbox redrive <id>]";

pub async fn run(args: &[String]) -> anyhow::Result<()> {
    if args.first().map(String::as_str) == Some("openapi") {
        // The document `/openapi.json` serves, without starting anything.
        println!("{}", *crate::OPENAPI);
        return Ok(());
    }
    let common = eshop_common::config::CommonSettings::from_env("product", 2001)?;
    eshop_common::telemetry::init_tracing(&common);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] | ["serve"] => {
            let app = build(Config::from_env()?).await?;
            tracing::info!(port = app.port(), "product service listening");
            Ok(app.run().await?)
        }
        ["seed"] => {
            // Seeding validates no tokens: only the AWS part of the configuration is read.
            let (settings, names, aws) = aws_only().await?;
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
        ["outbox", "list", rest @ ..] if rest.is_empty() || rest == ["--parked"] => {
            let (_, names, aws) = aws_only().await?;
            let rows = store::outbox::all(&aws.dynamodb, &names.outbox_table)
                .await
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            for row in rows
                .iter()
                .filter(|r| rest.is_empty() || r.parked_at.is_some())
            {
                println!(
                    "{}\t{}\t{}\tattempts={}\tparked_at={}\tlast_error={}",
                    row.id,
                    row.event_type,
                    row.targets.join(","),
                    row.attempts,
                    row.parked_at.as_deref().unwrap_or("-"),
                    row.last_error.as_deref().unwrap_or("-"),
                );
            }
            Ok(())
        }
        ["outbox", "redrive", id] => {
            let (_, names, aws) = aws_only().await?;
            let found = store::outbox::redrive(&aws.dynamodb, &names.outbox_table, id)
                .await
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            anyhow::ensure!(found, "no outbox item {id}");
            println!("product: outbox item {id} is due again");
            Ok(())
        }
        _ => {
            let owned: Vec<String> = args.iter().map(|s| s.to_string()).collect();
            eshop_common::cli::unknown_command("product", &owned, USAGE)
        }
    }
}

async fn aws_only() -> anyhow::Result<(
    eshop_common::aws::AwsSettings,
    store::bootstrap::StoreNames,
    AwsClients,
)> {
    let mut settings = eshop_common::aws::AwsSettings::from_env()?;
    settings.force_path_style = eshop_common::config::bool_or("AWS_S3_FORCE_PATH_STYLE", true)?;
    settings.bootstrap = eshop_common::config::bool_or("AWS_BOOTSTRAP", true)?;
    let names = store::bootstrap::StoreNames::from_env();
    let aws = AwsClients::new(&settings).await;
    Ok((settings, names, aws))
}
