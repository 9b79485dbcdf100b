//! Issue 4 check 3 (product.md §7 checks 8, 11, 14): writes to missing products or categories answer 404 and
//! create nothing; a category with children or products cannot be deleted; the pinned roots stay.

use serde_json::json;
use uuid::Uuid;

use crate::support::{Ctx, CAR, MOTOR};

#[tokio::test]
async fn writes_to_missing_or_deleted_products_and_categories_answer_404_and_create_nothing() {
    let ctx = Ctx::new().await;
    let app = ctx.spawn().await;
    let admin = ctx.admin();
    let unknown = Uuid::new_v4();
    let categories_before = ctx.scan(&ctx.names.categories_table).await.len();
    let missing = [
        (
            "PUT",
            format!("/v1/products/{unknown}"),
            Some(json!({"price": 5})),
        ),
        ("DELETE", format!("/v1/products/{unknown}"), None),
        (
            "DELETE",
            format!("/v1/products/{unknown}/category/{CAR}"),
            None,
        ),
        (
            "PUT",
            format!("/v1/categories/{unknown}"),
            Some(json!({"name": "Ghost"})),
        ),
        ("DELETE", format!("/v1/categories/{unknown}"), None),
        (
            "PUT",
            "/v1/products/car".to_string(),
            Some(json!({"price": 5})),
        ),
    ];
    for (method, path, body) in &missing {
        let r = ctx
            .send(&app, method, path, Some(&admin), body.clone())
            .await;
        assert_eq!(r.status, 404, "{method} {path}: {:?}", r.body);
    }
    assert!(
        ctx.scan(&ctx.names.products_table).await.is_empty(),
        "no ghost product"
    );
    assert_eq!(
        ctx.scan(&ctx.names.categories_table).await.len(),
        categories_before,
        "no ghost category"
    );

    let product = ctx.product(&app, "Yaris", "15000.00", CAR).await;
    let id = product["id"].as_str().unwrap();
    let r = ctx
        .send(
            &app,
            "DELETE",
            &format!("/v1/products/{id}/category/{MOTOR}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, 404, "wrong category");
    assert_eq!(
        ctx.get(&app, &format!("/v1/products/{id}")).await.status,
        200,
        "still live"
    );
    let r = ctx
        .send(
            &app,
            "DELETE",
            &format!("/v1/products/{id}/category/{CAR}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    for (method, path, body) in [
        ("DELETE", format!("/v1/products/{id}"), None),
        ("DELETE", format!("/v1/products/{id}/category/{CAR}"), None),
        (
            "PUT",
            format!("/v1/products/{id}"),
            Some(json!({"name": "Back"})),
        ),
    ] {
        let r = ctx.send(&app, method, &path, Some(&admin), body).await;
        assert_eq!(r.status, 404, "{method} {path} on a deleted product");
    }
    assert_eq!(ctx.scan(&ctx.names.products_table).await.len(), 1);
    let deleted: Vec<_> = ctx
        .outbox()
        .await
        .into_iter()
        .filter(|(t, _)| t == "product.deleted")
        .collect();
    assert_eq!(deleted.len(), 1, "product.deleted emitted once");
    assert_eq!(deleted[0].1["data"]["version"], 2);
}

#[tokio::test]
async fn a_category_with_children_or_products_cannot_be_deleted_until_they_are_gone() {
    let ctx = Ctx::new().await;
    let app = ctx.spawn().await;
    let admin = ctx.admin();
    let parent = ctx.category(&app, "Sedan", CAR).await;
    let child = ctx.category(&app, "Compact", &parent).await;
    let delete = |id: String| {
        let admin = admin.clone();
        let ctx = &ctx;
        let app = &app;
        async move {
            ctx.send(
                app,
                "DELETE",
                &format!("/v1/categories/{id}"),
                Some(&admin),
                None,
            )
            .await
        }
    };
    let r = delete(parent.clone()).await;
    assert_eq!(r.status, 409, "has a child: {:?}", r.body);
    let product = ctx.product(&app, "Fit", "9000.00", &child).await;
    assert_eq!(
        delete(child.clone()).await.status,
        409,
        "has a live product"
    );
    let path = format!("/v1/products/{}", product["id"].as_str().unwrap());
    assert_eq!(
        ctx.send(&app, "DELETE", &path, Some(&admin), None)
            .await
            .status,
        200
    );
    assert_eq!(delete(child.clone()).await.status, 200);
    assert_eq!(delete(parent.clone()).await.status, 200);
    assert_eq!(delete(parent.clone()).await.status, 404, "already deleted");
    assert_eq!(
        ctx.get(&app, &format!("/v1/categories/{parent}"))
            .await
            .status,
        404
    );
    assert_eq!(delete(CAR.to_string()).await.status, 409, "pinned");
    assert_eq!(delete(MOTOR.to_string()).await.status, 409, "pinned");
    let r = ctx
        .send(
            &app,
            "PUT",
            &format!("/v1/categories/{CAR}"),
            Some(&admin),
            Some(json!({"name": "Cars"})),
        )
        .await;
    assert_eq!(
        (r.status, r.data()["name"].clone()),
        (200, json!("Cars")),
        "pinned roots are renamable"
    );
}

#[tokio::test]
async fn pinned_roots_exist_after_start_and_a_restart_adds_no_duplicates() {
    let ctx = Ctx::new().await;
    let first = ctx.spawn().await;
    let second = ctx.spawn().await;
    let items = ctx.scan(&ctx.names.categories_table).await;
    assert_eq!(items.len(), 4, "Car, Motor and their two name guards");
    for app in [&first, &second] {
        let roots = ctx.get(app, "/v1/categories").await;
        let ids: Vec<_> = roots
            .data()
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].clone())
            .collect();
        assert_eq!(ids, [json!(CAR), json!(MOTOR)]);
    }
}
