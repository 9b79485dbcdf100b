//! Issue 4 checks 1 and 6: a product created with an image is listed everywhere; updates and deletes show
//! everywhere and emit events; the old clients' quirks are kept.

use serde_json::{json, Value};

use crate::support::{eventually, Consumer, Ctx, CAR, MOTOR};

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .map(|a| {
            a.iter()
                .map(|p| p["id"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_created_product_shows_everywhere_and_its_update_and_delete_show_everywhere_with_events()
{
    let ctx = Ctx::new().await;
    let (cart, warehouse) = (Consumer::start(200).await, Consumer::start(200).await);
    let mut config = ctx.config();
    config.relay.cart_url = cart.url.clone();
    config.relay.warehouse_url = warehouse.url.clone();
    let app = ctx.spawn_with(config).await;
    let sedan = ctx.category(&app, "Sedan", CAR).await;
    let coupe = ctx.category(&app, "Coupe", CAR).await;
    let product = ctx.product(&app, "Mazda CX-50", "27450.00", &sedan).await;
    let id = product["id"].as_str().unwrap().to_string();

    for path in ["/v1/products", "/v1/products/"] {
        let r = ctx.get(&app, path).await;
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(ids(r.data()), [id.as_str()]);
        let item = &r.data()[0];
        for key in [
            "id",
            "sku",
            "name",
            "image_url",
            "description",
            "category_id",
        ] {
            assert!(item[key].is_string(), "{key} in {item}");
        }
        assert!(
            item["price"].is_number() && item["quantity"].is_u64(),
            "{item}"
        );
        assert_eq!(item["category"], json!({"id": sedan, "name": "Sedan"}));
    }
    let r = ctx
        .get(&app, &format!("/v1/products/category/{sedan}"))
        .await;
    assert_eq!(ids(r.data()), [id.as_str()]);
    let r = ctx
        .get(&app, &format!("/v1/products?q=cx&category_id={CAR}"))
        .await;
    assert_eq!(
        (ids(r.data()), r.body["count"].clone()),
        (vec![id.clone()], json!(1))
    );
    let sku = product["sku"].as_str().unwrap();
    assert_eq!(
        ids(ctx
            .get(&app, &format!("/v1/products?sku={sku}"))
            .await
            .data()),
        [id.as_str()]
    );
    let part = &sku[sku.len() - 6..];
    assert_eq!(
        ids(ctx
            .get(&app, &format!("/v1/products?q={part}"))
            .await
            .data()),
        [id.as_str()]
    );
    assert_eq!(
        ctx.get(&app, "/v1/products?sku=SKU-1-00000000")
            .await
            .data(),
        &json!([])
    );
    let r = ctx.get(&app, &format!("/v1/products/{id}")).await;
    assert_eq!(
        (r.status, r.data()["name"].clone()),
        (200, json!("Mazda CX-50"))
    );

    let body = json!({"name": "Mazda CX-60", "price": 31000.5, "category_id": coupe});
    let r = ctx
        .send(
            &app,
            "PUT",
            &format!("/v1/products/{id}"),
            Some(&ctx.admin()),
            Some(body),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.data()["version"], 2);
    let r = ctx.get(&app, &format!("/v1/products/{id}")).await;
    assert_eq!(
        (r.data()["name"].clone(), r.data()["price"].clone()),
        (json!("Mazda CX-60"), json!(31000.5))
    );
    assert_eq!(r.data()["category_id"], json!(coupe));
    assert!(ctx
        .get(&app, &format!("/v1/products/category/{sedan}"))
        .await
        .data()
        .is_null());
    assert_eq!(
        ids(ctx
            .get(&app, &format!("/v1/products/category/{coupe}"))
            .await
            .data()),
        [id.as_str()]
    );
    assert_eq!(
        ids(ctx.get(&app, "/v1/products?q=cx-60").await.data()),
        [id.as_str()]
    );
    assert_eq!(
        ctx.get(&app, "/v1/products").await.data()[0]["name"],
        "Mazda CX-60"
    );
    // The old category has no product left, so it can go.
    let r = ctx
        .send(
            &app,
            "DELETE",
            &format!("/v1/categories/{sedan}"),
            Some(&ctx.admin()),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);

    let r = ctx
        .send(
            &app,
            "DELETE",
            &format!("/v1/products/{id}"),
            Some(&ctx.admin()),
            None,
        )
        .await;
    assert_eq!((r.status, r.data().clone()), (200, Value::Null));
    assert_eq!(r.body["message"], "success delete");
    assert_eq!(
        ctx.get(&app, &format!("/v1/products/{id}")).await.status,
        404
    );
    assert_eq!(ctx.get(&app, "/v1/products").await.data(), &json!([]));
    assert!(ctx
        .get(&app, &format!("/v1/products/category/{coupe}"))
        .await
        .data()
        .is_null());
    assert_eq!(ctx.get(&app, "/v1/products?q=mazda").await.body["count"], 0);

    let delivered = eventually(15, || async {
        warehouse.events().len() == 3 && cart.events().len() == 2
    })
    .await;
    assert!(
        delivered,
        "warehouse {:?} cart {:?}",
        warehouse.events(),
        cart.events()
    );
    let types = |c: &Consumer| {
        c.events()
            .iter()
            .map(|e| e["type"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let mut seen = types(&warehouse);
    seen.sort();
    assert_eq!(
        seen,
        ["product.created", "product.deleted", "product.updated"]
    );
    let deleted = warehouse
        .events()
        .into_iter()
        .find(|e| e["type"] == "product.deleted")
        .unwrap();
    assert_eq!(
        (
            deleted["data"]["product_id"].clone(),
            deleted["data"]["version"].clone()
        ),
        (json!(id), json!(3))
    );
    assert_eq!(deleted["source"], "product");
    assert!(cart
        .tokens()
        .iter()
        .all(|t| t.as_deref() == Some("local-product-token")));
    assert!(
        eventually(5, || async { ctx.outbox().await.is_empty() }).await,
        "delivered items are deleted"
    );
}

#[tokio::test]
async fn old_client_quirks_are_kept_trailing_slashes_childs_and_null_for_leaves() {
    let ctx = Ctx::new().await;
    let app = ctx.spawn().await;
    let r = ctx.get(&app, "/v1/products/").await;
    assert_eq!(
        (r.status, r.data().clone()),
        (200, json!([])),
        "an empty catalogue is []"
    );
    let sedan = ctx.category(&app, "Sedan", CAR).await;
    let compact = ctx.category(&app, "Compact", &sedan).await;
    let tiny = ctx.category(&app, "Tiny", &compact).await;

    let r = ctx.get(&app, "/v1/categories/").await;
    assert_eq!(r.status, 200);
    let roots = r.data().as_array().unwrap();
    assert_eq!(roots.len(), 2);
    assert_eq!(
        (roots[0]["name"].clone(), roots[0]["parent_id"].clone()),
        (json!("Car"), json!(""))
    );
    assert_eq!(
        roots[1],
        json!({"id": MOTOR, "name": "Motor", "parent_id": "", "childs": []})
    );
    let level2 = &roots[0]["childs"][0];
    assert_eq!(
        (level2["id"].clone(), level2["parent_id"].clone()),
        (json!(sedan), json!(CAR))
    );
    assert_eq!(level2["childs"][0]["id"], json!(compact));
    assert_eq!(
        level2["childs"][0]["childs"][0],
        json!({"id": tiny, "name": "Tiny", "parent_id": compact, "childs": []})
    );

    let r = ctx
        .get(&app, &format!("/v1/categories/parent/{tiny}"))
        .await;
    assert_eq!((r.status, r.data().clone()), (200, Value::Null));
    let r = ctx
        .get(&app, &format!("/v1/categories/parent/{CAR}/"))
        .await;
    assert_eq!(
        r.data(),
        &json!([{"id": sedan, "name": "Sedan", "parent_id": CAR}])
    );
    let r = ctx.get(&app, &format!("/v1/categories/{CAR}")).await;
    assert_eq!(
        r.data(),
        &json!({"id": CAR, "name": "Car", "parent_id": ""})
    );
    for path in [
        "/v1/categories/car",
        "/v1/categories/parent/car",
        "/v1/products/car",
        "/v1/products/category/car",
    ] {
        assert_eq!(ctx.get(&app, path).await.status, 404, "{path}");
    }
    let p4 = |body: Value| ctx.send(&app, "POST", "/v1/products/categories/", None, Some(body));
    assert!(p4(json!({"category_ids": []})).await.data().is_null());
    let r = p4(json!({"category_ids": ["car"]})).await;
    assert_eq!((r.status, r.data().clone()), (200, Value::Null));
    let many: Vec<String> = (0..101).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    assert_eq!(p4(json!({"category_ids": many})).await.status, 400);
    let product = ctx.product(&app, "Civic", "100.00", &sedan).await;
    let r = p4(json!({"category_ids": [sedan, sedan, "car", compact]})).await;
    assert_eq!(
        ids(r.data()),
        [product["id"].as_str().unwrap().to_string()],
        "de-duplicated"
    );
}
