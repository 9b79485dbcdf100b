//! The warehouse schema and demo seed on a fresh PostgreSQL database per test (api/warehouse.md §4;
//! design §7): the migration applies, its constraints hold, and seeding twice gives the catalogue once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use sqlx::migrate::Migrator;
use sqlx::{PgPool, Row};
use test_support::db::TestDatabase;
use uuid::Uuid;
use warehouse::seed::{seed_demo, Catalogue, SeedReport};

const MAIN_WAREHOUSE: &str = "0193d7b4-a3d7-7022-a547-b987b1f9c6a8";

fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

async fn migrated(db: &TestDatabase) -> PgPool {
    let pool = PgPool::connect(&db.url)
        .await
        .expect("connect to the test database");
    let migrator = Migrator::new(repo_path("migrations/warehouse"))
        .await
        .expect("read migrations");
    migrator.run(&pool).await.expect("apply migrations");
    pool
}

#[tokio::test]
async fn the_migration_seeds_only_the_main_warehouse() {
    let db = TestDatabase::postgres("wh").await;
    let pool = migrated(&db).await;
    let rows = sqlx::query("SELECT id, name, zip_code, is_main_warehouse FROM warehouses")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].get::<Uuid, _>("id").to_string(), MAIN_WAREHOUSE);
    assert_eq!(rows[0].get::<String, _>("name"), "Main Warehouse");
    assert_eq!(rows[0].get::<String, _>("zip_code"), "10250");
    assert!(rows[0].get::<bool, _>("is_main_warehouse"));
}

#[tokio::test]
async fn demo_seed_twice_gives_the_catalogue_once() {
    let db = TestDatabase::postgres("wh").await;
    let pool = migrated(&db).await;
    let path = repo_path("scripts/demo/catalogue.json");
    let catalogue = Catalogue::load(&path).unwrap();
    let entries: Vec<(Uuid, Uuid, u32)> = catalogue
        .products
        .iter()
        .flat_map(|p| p.stock.iter().map(move |(w, q)| (p.id, *w, *q)))
        .collect();
    let stocked = entries.iter().filter(|(_, _, q)| *q > 0).count() as u64;

    let first = seed_demo(&pool, &path, "http://localhost:2001/images/")
        .await
        .expect("first seed");
    assert_eq!(
        first,
        SeedReport {
            warehouses_created: 2,
            products_created: 12,
            stock_rows_created: entries.len() as u64,
            movements_created: stocked,
        }
    );
    let second = seed_demo(&pool, &path, "http://localhost:2001/images")
        .await
        .expect("second seed");
    assert_eq!(second, SeedReport::default(), "a rerun inserts nothing");

    let warehouses: i64 = sqlx::query_scalar("SELECT count(*) FROM warehouses")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(warehouses, 3);
    let mains: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM warehouses WHERE is_main_warehouse")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(mains, [Uuid::parse_str(MAIN_WAREHOUSE).unwrap()]);

    let rows =
        sqlx::query("SELECT product_id, warehouse_id, available, reserved FROM warehouse_products")
            .fetch_all(&pool)
            .await
            .unwrap();
    let stock: BTreeMap<(Uuid, Uuid), (i32, i32)> = rows
        .iter()
        .map(|r| {
            (
                (r.get("product_id"), r.get("warehouse_id")),
                (r.get("available"), r.get("reserved")),
            )
        })
        .collect();
    let expected: BTreeMap<(Uuid, Uuid), (i32, i32)> = entries
        .iter()
        .map(|(p, w, q)| ((*p, *w), (*q as i32, 0)))
        .collect();
    assert_eq!(stock, expected);

    for p in &catalogue.products {
        let row = sqlx::query("SELECT sku, name, price, image_url, category_id, version, stock_version, deleted_at FROM products WHERE id = $1")
            .bind(p.id)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(row.get::<String, _>("sku"), p.sku);
        assert_eq!(row.get::<String, _>("name"), p.name);
        assert_eq!(
            row.get::<Decimal, _>("price"),
            p.price.parse::<Decimal>().unwrap()
        );
        assert_eq!(
            row.get::<String, _>("image_url"),
            format!("http://localhost:2001/images/{}", p.image_key)
        );
        assert_eq!(
            row.get::<Option<Uuid>, _>("category_id"),
            Some(p.category_id)
        );
        assert_eq!(
            (
                row.get::<i64, _>("version"),
                row.get::<i64, _>("stock_version")
            ),
            (1, 1)
        );
        assert!(row
            .get::<Option<chrono::DateTime<chrono::Utc>>, _>("deleted_at")
            .is_none());
    }

    let movements = sqlx::query(
        "SELECT product_id, to_warehouse_id, quantity FROM stock_movements
         WHERE type = 'INITIAL' AND from_warehouse_id IS NULL AND to_user_id IS NULL",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(movements.len() as u64, stocked);
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM stock_movements")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(total as u64, stocked, "only INITIAL movements");
    for m in &movements {
        let key = (
            m.get::<Uuid, _>("product_id"),
            m.get::<Uuid, _>("to_warehouse_id"),
        );
        assert_eq!(m.get::<i32, _>("quantity"), expected[&key].0);
    }
    let outbox: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(outbox, 0, "the seed sends no stock.changed");
}

#[tokio::test]
async fn the_schema_refuses_negative_stock_duplicate_rows_and_bad_movement_shapes() {
    let db = TestDatabase::postgres("wh").await;
    let pool = migrated(&db).await;
    seed_demo(
        &pool,
        &repo_path("scripts/demo/catalogue.json"),
        "http://localhost:2001/images",
    )
    .await
    .unwrap();
    let (product, warehouse): (Uuid, Uuid) =
        sqlx::query_as("SELECT product_id, warehouse_id FROM warehouse_products LIMIT 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    let main = Uuid::parse_str(MAIN_WAREHOUSE).unwrap();

    let negative =
        sqlx::query("UPDATE warehouse_products SET available = -1 WHERE product_id = $1")
            .bind(product);
    assert!(
        negative.execute(&pool).await.is_err(),
        "CHECK available >= 0"
    );
    let duplicate = sqlx::query(
        "INSERT INTO warehouse_products (id, warehouse_id, product_id) VALUES ($1, $2, $3)",
    )
    .bind(Uuid::now_v7())
    .bind(warehouse)
    .bind(product);
    assert!(
        duplicate.execute(&pool).await.is_err(),
        "UNIQUE (warehouse_id, product_id)"
    );

    let movement = |kind: &'static str,
                    from: Option<Uuid>,
                    to: Option<Uuid>,
                    user: Option<Uuid>| {
        sqlx::query(
            "INSERT INTO stock_movements (id, type, product_id, product_name, quantity, from_warehouse_id, to_warehouse_id, to_user_id)
             VALUES ($1, $2, $3, 'x', 1, $4, $5, $6)",
        )
        .bind(Uuid::now_v7())
        .bind(kind)
        .bind(product)
        .bind(from)
        .bind(to)
        .bind(user)
    };
    let user = Some(Uuid::now_v7());
    assert!(movement("TRANSFER", Some(main), Some(main), None)
        .execute(&pool)
        .await
        .is_err());
    assert!(movement("TRANSFER", Some(main), Some(warehouse), user)
        .execute(&pool)
        .await
        .is_err());
    assert!(movement("SHIPMENT", Some(main), None, None)
        .execute(&pool)
        .await
        .is_err());
    assert!(movement("INITIAL", Some(main), Some(warehouse), None)
        .execute(&pool)
        .await
        .is_err());
    assert!(movement("ADJUSTMENT", Some(main), Some(warehouse), None)
        .execute(&pool)
        .await
        .is_err());
    assert!(movement("LOST", None, Some(main), None)
        .execute(&pool)
        .await
        .is_err());
    assert!(movement("SHIPMENT", Some(main), None, user)
        .execute(&pool)
        .await
        .is_ok());
    assert!(movement("ADJUSTMENT", None, Some(main), None)
        .execute(&pool)
        .await
        .is_ok());

    let second_main =
        sqlx::query("UPDATE warehouses SET is_main_warehouse = true WHERE id <> $1").bind(main);
    assert!(
        second_main.execute(&pool).await.is_err(),
        "exactly one main warehouse"
    );
    let deleted_main =
        sqlx::query("UPDATE warehouses SET deleted_at = now() WHERE id = $1").bind(main);
    assert!(
        deleted_main.execute(&pool).await.is_err(),
        "the main warehouse cannot be deleted"
    );
}
