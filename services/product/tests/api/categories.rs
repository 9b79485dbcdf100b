//! product.md §7 check 13: category creation checks the parent, sibling names (case-insensitive, also under
//! concurrency) and the depth limit; renames move the name guard.

use serde_json::json;

use crate::support::{Ctx, CAR, MOTOR};

#[tokio::test]
async fn category_creation_checks_parent_sibling_names_and_depth() {
    let ctx = Ctx::new().await;
    let app = ctx.spawn().await;
    let admin = ctx.admin();
    let create = |name: &str, parent: &str| {
        let body = json!({"name": name, "parent_id": parent});
        let admin = admin.clone();
        let ctx = &ctx;
        let app = &app;
        async move {
            ctx.send(app, "POST", "/v1/categories/", Some(&admin), Some(body))
                .await
        }
    };
    let unknown = uuid::Uuid::new_v4().to_string();
    assert_eq!(create("Sedan", &unknown).await.status, 422);
    let sedan = create("Sedan", CAR).await;
    assert_eq!(sedan.status, 201);
    assert_eq!(sedan.data()["parent_id"], CAR);
    assert_eq!(
        create("sEDAN", CAR).await.status,
        409,
        "case-insensitive sibling clash"
    );
    assert_eq!(
        create("Sedan", MOTOR).await.status,
        201,
        "same name under another parent"
    );
    let root = ctx
        .send(
            &app,
            "POST",
            "/v1/categories",
            Some(&admin),
            Some(json!({"name": "Trucks", "parent_id": null})),
        )
        .await;
    assert_eq!(
        (root.status, root.data()["parent_id"].clone()),
        (201, json!(""))
    );

    let mut parent = sedan.data()["id"].as_str().unwrap().to_string();
    for level in 3..=5 {
        let r = create(&format!("Level {level}"), &parent).await;
        assert_eq!(r.status, 201, "depth {level}");
        parent = r.data()["id"].as_str().unwrap().to_string();
    }
    assert_eq!(create("Level 6", &parent).await.status, 422, "max depth 5");

    let id = sedan.data()["id"].as_str().unwrap();
    let r = ctx
        .send(
            &app,
            "PUT",
            &format!("/v1/categories/{id}"),
            Some(&admin),
            Some(json!({"name": "Saloon"})),
        )
        .await;
    assert_eq!((r.status, r.data()["name"].clone()), (200, json!("Saloon")));
    assert_eq!(
        create("Sedan", CAR).await.status,
        201,
        "the old name is free again"
    );
    let r = ctx
        .send(
            &app,
            "PUT",
            &format!("/v1/categories/{id}"),
            Some(&admin),
            Some(json!({"name": "sedan"})),
        )
        .await;
    assert_eq!(r.status, 409, "rename onto a sibling's name");
}

#[tokio::test]
async fn ten_concurrent_identical_creates_make_exactly_one_category() {
    let ctx = Ctx::new().await;
    let app = ctx.spawn().await;
    let admin = ctx.admin();
    let body = json!({"name": "Hatchback", "parent_id": CAR});
    let calls = (0..10).map(|_| {
        ctx.send(
            &app,
            "POST",
            "/v1/categories",
            Some(&admin),
            Some(body.clone()),
        )
    });
    let mut statuses: Vec<u16> = futures::future::join_all(calls)
        .await
        .iter()
        .map(|r| r.status)
        .collect();
    statuses.sort();
    assert_eq!(statuses, [201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    let r = ctx.get(&app, &format!("/v1/categories/parent/{CAR}")).await;
    assert_eq!(r.data().as_array().unwrap().len(), 1);
}
