//! product.md §7 checks 4, 7, 9, 15, 17, 23: field validation, updates from the admin frontend and JSON,
//! concurrent updates, search parameters, and malformed input always answering 4xx.

use serde_json::json;

use crate::support::{Ctx, Form, CAR};

#[tokio::test]
async fn product_form_validation_answers_400_422_or_415_and_quantity_zero_is_accepted() {
    let ctx = Ctx::new().await;
    let app = ctx.spawn().await;
    let admin = ctx.admin();
    let form = Form::product("Accord", "25000.00", CAR);
    for (field, value) in [
        ("price", "NaN"),
        ("price", "12.345"),
        ("price", "0"),
        ("price", "1e400"),
        ("quantity", "NaN"),
        ("quantity", "-1"),
        ("name", "   "),
        ("category_id", "car"),
    ] {
        let r = ctx
            .form(
                &app,
                "POST",
                "/v1/products",
                &admin,
                &form.clone().with(field, value),
            )
            .await;
        assert_eq!(r.status, 400, "{field}={value}: {:?}", r.body);
        assert_eq!(r.body["error"]["causes"][0]["field"], field, "{:?}", r.body);
    }
    let r = ctx
        .form(
            &app,
            "POST",
            "/v1/products",
            &admin,
            &form.clone().without("name"),
        )
        .await;
    assert_eq!(r.status, 400);
    let unknown = uuid::Uuid::new_v4().to_string();
    let r = ctx
        .form(
            &app,
            "POST",
            "/v1/products",
            &admin,
            &form.clone().with("category_id", &unknown),
        )
        .await;
    assert_eq!(r.status, 422);
    let body = json!({"name": "Accord", "description": "d", "price": "1.00", "category_id": CAR});
    assert_eq!(
        ctx.send(&app, "POST", "/v1/products", Some(&admin), Some(body))
            .await
            .status,
        415
    );

    let r = ctx
        .form(
            &app,
            "POST",
            "/v1/products",
            &admin,
            &form.with("quantity", "0"),
        )
        .await;
    assert_eq!((r.status, r.data()["quantity"].clone()), (201, json!(0)));
}

#[tokio::test]
async fn updates_keep_stock_and_image_and_concurrent_ones_lose_no_event() {
    let ctx = Ctx::new().await;
    let app = ctx.spawn().await;
    let admin = ctx.admin();
    let product = ctx.product(&app, "Legend", "40000.00", CAR).await;
    let path = format!("/v1/products/{}", product["id"].as_str().unwrap());
    // What the admin frontend sends: every part, quantity NaN, no image.
    let form = Form::default()
        .text("name", "Legend II")
        .text("description", "New")
        .text("price", "41000.00")
        .text("quantity", "NaN")
        .text("category_id", CAR);
    let r = ctx.form(&app, "PUT", &path, &admin, &form).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        (r.data()["quantity"].clone(), r.data()["image_url"].clone()),
        (product["quantity"].clone(), product["image_url"].clone())
    );
    let image = Form::default().file(
        "image",
        "new.gif",
        "image/gif",
        b"GIF89a-new-picture".to_vec(),
    );
    let r = ctx.form(&app, "PUT", &path, &admin, &image).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let new_url = r.data()["image_url"].as_str().unwrap().to_string();
    assert!(
        new_url.ends_with(".gif") && new_url != product["image_url"],
        "{new_url}"
    );
    assert_eq!(ctx.objects().await.len(), 2, "the previous object is kept");
    let r = ctx
        .send(
            &app,
            "PUT",
            &path,
            Some(&admin),
            Some(json!({"price": 19.99})),
        )
        .await;
    assert_eq!(r.data()["image_url"], new_url.as_str());
    assert_eq!(
        (
            r.data()["price"].clone(),
            r.data()["name"].clone(),
            r.data()["version"].clone()
        ),
        (json!(19.99), json!("Legend II"), json!(4))
    );
    for body in [
        json!({}),
        json!({"quantity": 5}),
        json!({"price": "abc"}),
        json!({"name": 7}),
        json!([1]),
    ] {
        assert_eq!(
            ctx.send(&app, "PUT", &path, Some(&admin), Some(body.clone()))
                .await
                .status,
            400,
            "{body}"
        );
    }
    let headers = [
        ("content-type", "application/json".to_string()),
        ("authorization", format!("Bearer {admin}")),
    ];
    let r = ctx
        .raw(
            &app,
            "PUT",
            &path,
            &headers,
            br#"{"price": 1e400}"#.to_vec(),
        )
        .await;
    assert_eq!(r.status, 400);
    let headers = [
        ("content-type", "text/plain".to_string()),
        ("authorization", format!("Bearer {admin}")),
    ];
    assert_eq!(
        ctx.raw(&app, "PUT", &path, &headers, b"price=1".to_vec())
            .await
            .status,
        415
    );

    let (a, b) = tokio::join!(
        ctx.send(
            &app,
            "PUT",
            &path,
            Some(&admin),
            Some(json!({"price": 100}))
        ),
        ctx.send(
            &app,
            "PUT",
            &path,
            Some(&admin),
            Some(json!({"price": 200}))
        ),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert!(
        statuses == [200, 200] || statuses == [200, 409],
        "{statuses:?}"
    );
    let mut versions: Vec<i64> = [&a, &b]
        .iter()
        .filter(|r| r.status == 200)
        .map(|r| r.data()["version"].as_i64().unwrap())
        .collect();
    versions.sort();
    let mut events: Vec<i64> = ctx
        .outbox()
        .await
        .iter()
        .filter(|(t, _)| t == "product.updated")
        .map(|(_, e)| e["data"]["version"].as_i64().unwrap())
        .filter(|v| *v > 4)
        .collect();
    events.sort();
    assert_eq!(
        events, versions,
        "one product.updated per successful update"
    );
    assert_eq!(versions[0], 5);
}

#[tokio::test]
async fn malformed_input_and_bad_search_parameters_answer_4xx_never_5xx() {
    let ctx = Ctx::new().await;
    let app = ctx.spawn().await;
    let admin = ctx.admin();
    for query in [
        "limit=0",
        "limit=101",
        "sort=size",
        "category_id=car",
        "min_price=10&max_price=5",
        "skip=-1",
        "in_stock=maybe",
    ] {
        let r = ctx.get(&app, &format!("/v1/products?{query}")).await;
        assert_eq!(r.status, 400, "{query}");
    }
    let json_headers = |token: Option<&str>| {
        let mut h = vec![("content-type", "application/json".to_string())];
        if let Some(t) = token {
            h.push(("authorization", format!("Bearer {t}")));
        }
        h
    };
    for (method, path, token, body) in [
        ("POST", "/v1/products/categories", None, b"{oops".to_vec()),
        (
            "POST",
            "/v1/products/categories",
            None,
            br#"{"category_ids": "x"}"#.to_vec(),
        ),
        ("POST", "/v1/products/categories", None, b"{}".to_vec()),
        (
            "POST",
            "/v1/categories",
            Some(admin.as_str()),
            b"{oops".to_vec(),
        ),
        (
            "POST",
            "/v1/categories",
            Some(admin.as_str()),
            br#"{"name": 5}"#.to_vec(),
        ),
        (
            "POST",
            "/v1/categories",
            Some(admin.as_str()),
            br#"{"name": "x", "parent_id": 7}"#.to_vec(),
        ),
        (
            "PUT",
            &format!("/v1/categories/{CAR}"),
            Some(admin.as_str()),
            br#"{"name": ""}"#.to_vec(),
        ),
    ] {
        let r = ctx
            .raw(&app, method, path, &json_headers(token), body.clone())
            .await;
        assert_eq!(
            r.status,
            400,
            "{method} {path} {}",
            String::from_utf8_lossy(&body)
        );
    }
    let big = format!(r#"{{"name": "{}"}}"#, "x".repeat(70 * 1024));
    let r = ctx
        .raw(
            &app,
            "POST",
            "/v1/categories",
            &json_headers(Some(&admin)),
            big.into_bytes(),
        )
        .await;
    assert_eq!(r.status, 413);
    let product = ctx.product(&app, "Prelude", "100.00", CAR).await;
    let path = format!("/v1/products/{}", product["id"].as_str().unwrap());
    let big = format!(r#"{{"name": "{}"}}"#, "x".repeat(70 * 1024));
    let r = ctx
        .raw(
            &app,
            "PUT",
            &path,
            &json_headers(Some(&admin)),
            big.into_bytes(),
        )
        .await;
    assert_eq!(r.status, 413, "JSON updates stay within 64 KiB");
}
