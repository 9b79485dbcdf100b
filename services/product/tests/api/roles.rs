//! Issue 4 check 2 (product.md §7 checks 1, 3, 14, 16): customers and anonymous callers cannot write;
//! warehouse managers write products; categories are admin-only; public reads ignore `Authorization`.

use serde_json::json;

use crate::support::{Ctx, Form, CAR};

#[tokio::test]
async fn customers_and_anonymous_callers_cannot_write_products_but_warehouse_managers_can() {
    let ctx = Ctx::new().await;
    let app = ctx.spawn().await;
    let form = Form::product("Honda Civic", "21000.00", CAR);
    let (content_type, body) = form.encode();
    let anonymous = ctx
        .raw(
            &app,
            "POST",
            "/v1/products",
            &[("content-type", content_type)],
            body,
        )
        .await;
    assert_eq!(anonymous.status, 401);
    for role in ["customer", "warehouse_staff"] {
        let r = ctx
            .form(&app, "POST", "/v1/products", &ctx.token(role), &form)
            .await;
        assert_eq!(r.status, 403, "{role}");
    }
    assert!(ctx.scan(&ctx.names.products_table).await.is_empty());

    let manager = ctx.token("warehouse_manager");
    let r = ctx
        .form(&app, "POST", "/v1/products", &manager, &form)
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let product = r.data().clone();
    assert_eq!(
        (product["quantity"].clone(), product["version"].clone()),
        (json!(3), json!(1))
    );
    assert_eq!(product["category_id"], CAR);
    assert!(product["sku"].as_str().unwrap().starts_with("SKU-"));
    let outbox = ctx.outbox().await;
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].0, "product.created");
    assert_eq!(outbox[0].1["data"]["version"], 1);
    assert_eq!(outbox[0].1["data"]["product_id"], product["id"]);

    let path = format!("/v1/products/{}", product["id"].as_str().unwrap());
    let change = Some(json!({"price": 19.99}));
    assert_eq!(
        ctx.send(&app, "PUT", &path, None, change.clone())
            .await
            .status,
        401
    );
    assert_eq!(
        ctx.send(
            &app,
            "PUT",
            &path,
            Some(&ctx.token("customer")),
            change.clone()
        )
        .await
        .status,
        403
    );
    assert_eq!(
        ctx.send(&app, "DELETE", &path, None, None).await.status,
        401
    );
    assert_eq!(
        ctx.send(
            &app,
            "DELETE",
            &path,
            Some(&ctx.token("warehouse_staff")),
            None
        )
        .await
        .status,
        403
    );
    let r = ctx.send(&app, "PUT", &path, Some(&manager), change).await;
    assert_eq!((r.status, r.data()["price"].clone()), (200, json!(19.99)));

    // Category writes are admin-only.
    let r = ctx
        .send(
            &app,
            "POST",
            "/v1/categories",
            Some(&manager),
            Some(json!({"name": "Vans"})),
        )
        .await;
    assert_eq!(r.status, 403);
    let car = format!("/v1/categories/{CAR}");
    assert_eq!(
        ctx.send(
            &app,
            "PUT",
            &car,
            Some(&manager),
            Some(json!({"name": "Cars"}))
        )
        .await
        .status,
        403
    );
    assert_eq!(
        ctx.send(&app, "DELETE", &car, Some(&manager), None)
            .await
            .status,
        403
    );

    let r = ctx.send(&app, "DELETE", &path, Some(&manager), None).await;
    assert_eq!(r.status, 200);
    // include_deleted needs a staff-manager; the default list never reads the token.
    let list = "/v1/products?include_deleted=true";
    assert_eq!(ctx.get(&app, list).await.status, 401);
    assert_eq!(
        ctx.send(&app, "GET", list, Some(&ctx.token("customer")), None)
            .await
            .status,
        403
    );
    let r = ctx.send(&app, "GET", list, Some(&ctx.admin()), None).await;
    assert_eq!(r.status, 200);
    assert!(r.data()[0]["deleted_at"].is_string(), "{:?}", r.body);
    let r = ctx
        .send(
            &app,
            "GET",
            "/v1/products",
            Some("expired.or.garbage"),
            None,
        )
        .await;
    assert_eq!((r.status, r.data().clone()), (200, json!([])));
}
