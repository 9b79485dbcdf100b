//! Store bootstrap and catalogue seed against the AWS emulator (moto at `AWS_ENDPOINT_URL`, default
//! http://localhost:5000): tables, bucket, roots and the demo catalogue, twice. Each test uses its own names.

use std::collections::HashMap;
use std::path::PathBuf;

use aws_sdk_dynamodb::types::AttributeValue;
use product::seed::{
    seed, seed_root_categories, Catalogue, SeedReport, SeedSettings, CAR_ID, MOTOR_ID,
};
use product::store::bootstrap::{bootstrap_stores, StoreNames};

type Item = HashMap<String, AttributeValue>;

async fn clients() -> (aws_sdk_dynamodb::Client, aws_sdk_s3::Client) {
    let endpoint =
        std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| "http://localhost:5000".into());
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_sdk_dynamodb::config::Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(aws_sdk_dynamodb::config::Credentials::new(
            "test", "test", None, None, "tests",
        ))
        .load()
        .await;
    let s3 = aws_sdk_s3::config::Builder::from(&config)
        .force_path_style(true)
        .build();
    (
        aws_sdk_dynamodb::Client::new(&config),
        aws_sdk_s3::Client::from_conf(s3),
    )
}

fn unique_names() -> StoreNames {
    let prefix = format!("t{}", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    StoreNames {
        products_table: format!("{prefix}-eshop-products"),
        categories_table: format!("{prefix}-eshop-product-categories"),
        outbox_table: format!("{prefix}-eshop-product-outbox"),
        bucket: format!("{prefix}-eshop-product-images"),
    }
}

fn repo_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

async fn scan(dynamodb: &aws_sdk_dynamodb::Client, table: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut start = None;
    loop {
        let page = dynamodb
            .scan()
            .table_name(table)
            .set_exclusive_start_key(start)
            .send()
            .await
            .unwrap();
        items.extend(page.items().iter().cloned());
        start = page.last_evaluated_key().cloned();
        if start.is_none() {
            return items;
        }
    }
}

fn text<'a>(item: &'a Item, name: &str) -> &'a str {
    item.get(name)
        .and_then(|v| v.as_s().ok())
        .map(String::as_str)
        .unwrap_or_else(|| panic!("{name} in {item:?}"))
}

fn number(item: &Item, name: &str) -> f64 {
    item.get(name)
        .and_then(|v| v.as_n().ok())
        .unwrap_or_else(|| panic!("{name} in {item:?}"))
        .parse()
        .unwrap()
}

#[tokio::test]
async fn root_categories_are_seeded_once_with_the_contract_layout() {
    let (dynamodb, s3) = clients().await;
    let names = unique_names();
    bootstrap_stores(&dynamodb, &s3, &names)
        .await
        .expect("first bootstrap");
    bootstrap_stores(&dynamodb, &s3, &names)
        .await
        .expect("second bootstrap is harmless");

    assert_eq!(
        seed_root_categories(&dynamodb, &names.categories_table)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        seed_root_categories(&dynamodb, &names.categories_table)
            .await
            .unwrap(),
        0
    );

    let items = scan(&dynamodb, &names.categories_table).await;
    assert_eq!(items.len(), 4, "two roots and two name guards");
    for (id, name) in [(CAR_ID, "Car"), (MOTOR_ID, "Motor")] {
        let root = items
            .iter()
            .find(|i| text(i, "id") == id.to_string())
            .expect("root exists");
        assert_eq!((text(root, "kind"), text(root, "name")), ("category", name));
        assert_eq!(
            (text(root, "name_lower"), text(root, "parent_id")),
            (name.to_lowercase().as_str(), "ROOT")
        );
        assert_eq!((number(root, "depth"), number(root, "version")), (1.0, 1.0));
        assert_eq!(root.get("pinned"), Some(&AttributeValue::Bool(true)));
        assert_eq!(text(root, "changed_shard"), "c");
        assert!(number(root, "changed_at") > 1.7e12 && text(root, "created_at").ends_with('Z'));
        let guard = items
            .iter()
            .find(|i| text(i, "id") == format!("name#ROOT#{}", name.to_lowercase()))
            .unwrap();
        assert_eq!(
            (text(guard, "kind"), text(guard, "category_id")),
            ("name_guard", id.to_string().as_str())
        );
        assert!(
            !guard.contains_key("changed_shard"),
            "guards stay out of changed-index"
        );
    }
}

#[tokio::test]
async fn demo_seed_twice_gives_the_catalogue_once_with_images() {
    let (dynamodb, s3) = clients().await;
    let names = unique_names();
    bootstrap_stores(&dynamodb, &s3, &names).await.unwrap();
    let settings = SeedSettings {
        catalogue_path: repo_path("scripts/demo/catalogue.json"),
        images_dir: std::env::var("DEMO_IMAGES_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|_| repo_path("scripts/demo/images")),
        image_base_url: "http://localhost:2001/images/".into(),
    };

    let first = seed(&dynamodb, &s3, &names, &settings)
        .await
        .expect("first seed");
    assert_eq!(
        first,
        SeedReport {
            roots_created: 2,
            categories_created: 12,
            products_created: 12
        }
    );
    let second = seed(&dynamodb, &s3, &names, &settings)
        .await
        .expect("second seed");
    assert_eq!(second, SeedReport::default(), "a rerun writes nothing");

    let catalogue = Catalogue::load(&settings.catalogue_path).unwrap();
    let categories = scan(&dynamodb, &names.categories_table).await;
    let live: Vec<&Item> = categories
        .iter()
        .filter(|i| text(i, "kind") == "category")
        .collect();
    assert_eq!(live.len(), 14, "2 roots + 12 subcategories");
    assert_eq!(categories.len(), 28, "one name guard per category");
    let by_id = |id: String| *live.iter().find(|i| text(i, "id") == id).unwrap();
    for root in [CAR_ID, MOTOR_ID] {
        assert_eq!(number(by_id(root.to_string()), "child_count"), 6.0);
        assert_eq!(number(by_id(root.to_string()), "product_count"), 0.0);
    }
    for c in &catalogue.categories {
        let item = by_id(c.id.to_string());
        assert_eq!(
            (text(item, "parent_id"), number(item, "depth")),
            (c.parent_id.to_string().as_str(), 2.0)
        );
        let products = catalogue
            .products
            .iter()
            .filter(|p| p.category_id == c.id)
            .count();
        assert_eq!(number(item, "product_count"), products as f64, "{}", c.name);
        assert_eq!(item.get("pinned"), Some(&AttributeValue::Bool(false)));
    }

    let products = scan(&dynamodb, &names.products_table).await;
    assert_eq!(products.len(), 12);
    for p in &catalogue.products {
        let item = products
            .iter()
            .find(|i| text(i, "id") == p.id.to_string())
            .expect("product exists");
        assert_eq!(text(item, "sku"), p.sku);
        assert_eq!(number(item, "price"), p.price.parse::<f64>().unwrap());
        assert_eq!(number(item, "quantity"), p.quantity() as f64);
        assert_eq!(
            (number(item, "stock_version"), number(item, "version")),
            (1.0, 1.0)
        );
        assert_eq!(text(item, "image_key"), p.image_key);
        assert_eq!(
            text(item, "image_url"),
            format!("http://localhost:2001/images/{}", p.image_key)
        );
        assert_eq!(text(item, "changed_shard"), "c");
        assert!(!item.contains_key("deleted_at"));

        let object = s3
            .head_object()
            .bucket(&names.bucket)
            .key(&p.image_key)
            .send()
            .await
            .expect("image object");
        assert_eq!(object.content_type(), Some("image/png"));
        assert_eq!(
            object.cache_control(),
            Some("public, max-age=31536000, immutable")
        );
    }
    let outbox = scan(&dynamodb, &names.outbox_table).await;
    assert!(outbox.is_empty(), "the seed writes no product events");
}

#[tokio::test]
async fn the_image_bucket_blocks_public_access() {
    let (dynamodb, s3) = clients().await;
    let names = unique_names();
    bootstrap_stores(&dynamodb, &s3, &names).await.unwrap();
    let block = s3
        .get_public_access_block()
        .bucket(&names.bucket)
        .send()
        .await
        .unwrap();
    let config = block.public_access_block_configuration().unwrap();
    assert_eq!(
        (
            config.block_public_acls(),
            config.ignore_public_acls(),
            config.block_public_policy(),
            config.restrict_public_buckets()
        ),
        (Some(true), Some(true), Some(true), Some(true))
    );
    let table = dynamodb
        .describe_table()
        .table_name(&names.outbox_table)
        .send()
        .await
        .unwrap();
    let index = table
        .table()
        .unwrap()
        .global_secondary_indexes()
        .iter()
        .map(|i| i.index_name().unwrap())
        .collect::<Vec<_>>();
    assert_eq!(index, ["pending-index"]);
}
