//! Provisioning: a category, products with plenty of stock, one customer per connection for checkouts and
//! one for cart work (sign-up goes through the Cognito emulator, so they are made once) with a line of
//! every product in their carts, and the sales rows inserted with `generate_series` straight into the
//! fleet's sales database.

use futures::future::join_all;
use journey::shop::Shop;

use super::{Bench, Http, Options};

/// Units of each product: enough that no phase sells out (oversell is what the invariants check).
const STOCK: u32 = 100_000;

pub(super) async fn provision(shop: Shop, opts: Options) -> anyhow::Result<Bench> {
    let category = shop.category("Bench sedans").await;
    let mut products = Vec::new();
    for k in 0..opts.products.max(1) {
        products.push(
            shop.product(&format!("Bench car {k}"), "125000.00", STOCK, &category)
                .await,
        );
    }
    let run = &uuid::Uuid::new_v4().simple().to_string()[..6];
    let mut buyers = Vec::new();
    let mut carters = Vec::new();
    for chunk in (0..opts.connections.max(1)).collect::<Vec<_>>().chunks(4) {
        buyers.extend(
            join_all(chunk.iter().map(|k| {
                let name = format!("bench-buyer-{run}-{k}");
                let shop = &shop;
                async move { shop.sign_up(&name).await }
            }))
            .await,
        );
        carters.extend(
            join_all(chunk.iter().map(|k| {
                let name = format!("bench-cart-{run}-{k}");
                let shop = &shop;
                async move { shop.sign_up(&name).await }
            }))
            .await,
        );
    }
    insert_sales(&shop, opts.sales_rows).await?;
    let bench = Bench {
        shop,
        http: Http::default(),
        opts,
        products,
        buyers,
        carters,
    };
    fill_carts(&bench).await?;
    Ok(bench)
}

/// One line of every bench product in each cart user's cart, so every run's cart reads read the same full
/// carts (the cart-add phase only raises quantities) rather than the first run reading empty ones.
async fn fill_carts(bench: &Bench) -> anyhow::Result<()> {
    let filled = join_all(bench.carters.iter().map(|user| async move {
        for product in &bench.products {
            bench.cart_add(&user.token, product).await?;
        }
        Ok::<(), String>(())
    }))
    .await;
    filled
        .into_iter()
        .collect::<Result<Vec<()>, String>>()
        .map_err(|e| anyhow::anyhow!("filling the bench carts: {e}"))?;
    Ok(())
}

/// `rows` sale rows spread over the last 30 days (50 products, one warehouse), then `ANALYZE`.
async fn insert_sales(shop: &Shop, rows: u64) -> anyhow::Result<()> {
    let pool = sqlx::PgPool::connect(&shop.fleet.dbs["sales-report"].url).await?;
    sqlx::query(
        "INSERT INTO sales (id, order_id, user_id, product_id, warehouse_id, product_name, kind,
                            product_quantity, price, margin_per_product, margin_source, margin_rate,
                            sold_at, source_event_id)
         SELECT gen_random_uuid(), gen_random_uuid(), gen_random_uuid(),
                ('00000000-0000-4000-8000-' || lpad((g % 50)::text, 12, '0'))::uuid,
                $2::uuid, 'Bench car', 'sale', 1 + g % 3, 100 + g % 900, 10, 'default_rate', 0.1,
                now() - (g % 2592000) * interval '1 second', gen_random_uuid()
         FROM generate_series(1, $1::bigint) g",
    )
    .bind(rows as i64)
    .bind(journey::shop::MAIN_WAREHOUSE)
    .execute(&pool)
    .await?;
    sqlx::query("ANALYZE sales").execute(&pool).await?;
    pool.close().await;
    Ok(())
}
