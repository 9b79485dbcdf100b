//! Who may call what (issue 5 check 5; api/warehouse.md §3, §7 checks 1–2).

use serde_json::json;
use uuid::Uuid;

use crate::support::{envelope, main_id, order_event, App, ORDER_TOKEN, PRODUCT_TOKEN};

/// Every `/v1` route with a valid body where it takes one.
fn v1_routes(
    product: Uuid,
    other: Uuid,
    row: Uuid,
) -> Vec<(&'static str, String, Option<serde_json::Value>)> {
    let main = main_id();
    vec![
        (
            "POST",
            "/v1/warehouse".into(),
            Some(
                json!({"name": "Access", "street": "s", "city": "c", "state": "s", "zip_code": "12345"}),
            ),
        ),
        ("GET", "/v1/warehouse".into(), None),
        ("GET", format!("/v1/warehouse/{main}"), None),
        (
            "PATCH",
            format!("/v1/warehouse/{other}"),
            Some(json!({"city": "Bandung"})),
        ),
        (
            "POST",
            "/v1/warehouse/nearest".into(),
            Some(json!({"zip_codes": ["12000"]})),
        ),
        ("POST", format!("/v1/warehouse/{main}/main"), None),
        ("DELETE", format!("/v1/warehouse/{}", Uuid::now_v7()), None),
        ("GET", "/v1/warehouse-products".into(), None),
        (
            "GET",
            format!("/v1/warehouse-products/product/{product}"),
            None,
        ),
        (
            "GET",
            format!("/v1/warehouse-products/warehouse/{main}"),
            None,
        ),
        (
            "GET",
            format!("/v1/warehouse-products/product/{product}/warehouse/{main}"),
            None,
        ),
        (
            "POST",
            "/v1/warehouse-products/nearest".into(),
            Some(json!({"zip_code": "12000", "product_id": product})),
        ),
        (
            "PATCH",
            format!("/v1/warehouse-products/{row}"),
            Some(json!({"low_stock_threshold": 3})),
        ),
        ("GET", "/v1/stock-alerts".into(), None),
        ("GET", "/v1/stock-movements".into(), None),
        (
            "POST",
            "/v1/stock-movements/movein".into(),
            Some(
                json!({"product_id": product, "product_name": "", "quantity": 1, "from_warehouse_id": main, "to_warehouse_id": other}),
            ),
        ),
        (
            "POST",
            "/v1/stock-movements/moveout".into(),
            Some(
                json!({"zipcode": "12000", "note": "n", "items": [{"product_id": product, "quantity": 1}]}),
            ),
        ),
        (
            "POST",
            "/v1/stock-movements/adjust".into(),
            Some(json!({"warehouse_id": main, "product_id": product, "delta": 1, "note": "n"})),
        ),
        (
            "GET",
            format!("/v1/stock-movements/product/{product}"),
            None,
        ),
        ("GET", format!("/v1/stock-movements/source/{main}"), None),
        (
            "GET",
            format!("/v1/stock-movements/destination/{main}"),
            None,
        ),
        ("GET", "/v1/reservations".into(), None),
        ("GET", format!("/v1/reservations/{}", Uuid::now_v7()), None),
        (
            "POST",
            format!("/v1/reservations/{}/release", Uuid::now_v7()),
            None,
        ),
    ]
}

async fn setup(app: &App) -> (Uuid, Uuid, Uuid) {
    let product = app.product(100).await;
    let other = app.warehouse("Other", "20000").await;
    let row: Uuid = sqlx::query_scalar("SELECT id FROM warehouse_products WHERE product_id = $1")
        .bind(product)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    (product, other, row)
}

#[tokio::test]
async fn customers_get_403_and_anonymous_callers_401_on_every_v1_route() {
    let app = App::spawn().await;
    let (product, other, row) = setup(&app).await;
    for (method, path, body) in v1_routes(product, other, row) {
        let res = app.send(method, &path, None, None, body.clone()).await;
        assert_eq!(res.status, 401, "{method} {path} without a token");
        let res = app
            .send(method, &path, None, Some(ORDER_TOKEN), body.clone())
            .await;
        assert_eq!(res.status, 401, "{method} {path} with a service token");
        let res = app.call(method, &path, &app.customer, body).await;
        assert_eq!(res.status, 403, "{method} {path} as a customer");
    }
}

#[tokio::test]
async fn staff_view_and_transfer_and_managers_do_all_but_the_admin_release() {
    let app = App::spawn().await;
    let (product, other, row) = setup(&app).await;
    let staff_allowed = [
        ("GET", "/v1/warehouse", 200),
        ("POST", "/v1/warehouse/nearest", 200),
        ("GET", "/v1/warehouse-products", 200),
        ("POST", "/v1/warehouse-products/nearest", 200),
        ("GET", "/v1/stock-alerts", 200),
        ("GET", "/v1/stock-movements", 200),
        ("POST", "/v1/stock-movements/movein", 201),
    ];
    let routes = v1_routes(product, other, row);
    for (method, path, body) in &routes {
        let res = app.call(method, path, &app.staff, body.clone()).await;
        match staff_allowed
            .iter()
            .find(|(m, p, _)| m == method && p == path)
        {
            Some((_, _, status)) => {
                assert_eq!(res.status, *status, "{method} {path}: {:?}", res.body)
            }
            None if path.contains("/v1/warehouse/") && *method == "GET"
                || path.starts_with("/v1/warehouse-products/product")
                || path.starts_with("/v1/warehouse-products/warehouse")
                || (path.starts_with("/v1/stock-movements/") && *method == "GET") =>
            {
                assert_eq!(res.status, 200, "{method} {path}")
            }
            None => assert_eq!(res.status, 403, "{method} {path} as staff"),
        }
    }
    for (method, path, body) in &routes {
        let res = app.call(method, path, &app.manager, body.clone()).await;
        if path.ends_with("/release") {
            assert_eq!(res.status, 403, "R3 is admin only");
        } else {
            assert!(
                res.status < 400 || res.status == 404,
                "{method} {path} as manager: {:?}",
                res.body
            );
        }
    }
    let release = format!("/v1/reservations/{}/release", Uuid::now_v7());
    assert_eq!(
        app.call("POST", &release, &app.admin, None).await.status,
        404
    );
}

#[tokio::test]
async fn the_internal_api_rejects_calls_without_the_right_service_credential() {
    let app = App::spawn().await;
    let product = app.product(5).await;
    let body = json!({"order_id": Uuid::now_v7(), "user_id": Uuid::now_v7(), "zip_code": "10250",
        "items": [{"product_id": product, "quantity": 1}]});
    let paths = [
        "/internal/reservations".to_string(),
        "/internal/reservations/quote".to_string(),
        format!("/internal/reservations/{}/commit", Uuid::now_v7()),
        format!("/internal/reservations/{}/release", Uuid::now_v7()),
        "/internal/events".to_string(),
    ];
    for path in &paths {
        let none = app.send("POST", path, None, None, Some(body.clone())).await;
        assert_eq!(none.status, 401, "{path} without a token");
        let unknown = app
            .send("POST", path, None, Some("nope"), Some(body.clone()))
            .await;
        assert_eq!(unknown.status, 401, "{path} with an unknown token");
        let bearer = app
            .send("POST", path, Some(&app.admin), None, Some(body.clone()))
            .await;
        assert_eq!(bearer.status, 401, "{path} with an admin bearer token");
    }
    let res = app
        .send(
            "POST",
            "/internal/reservations",
            None,
            Some(PRODUCT_TOKEN),
            Some(body),
        )
        .await;
    assert_eq!(res.status, 403, "product may not reserve");
    assert_eq!(app.count("SELECT count(*) FROM reservations").await, 0);

    let event = envelope(
        "product",
        "order.status_changed",
        order_event(Uuid::now_v7(), "CANCELLED", false),
    );
    assert_eq!(app.event_as(PRODUCT_TOKEN, event).await.status, 403);
    let spoofed = envelope(
        "order",
        "order.status_changed",
        order_event(Uuid::now_v7(), "CANCELLED", false),
    );
    assert_eq!(
        app.event_as(PRODUCT_TOKEN, spoofed).await.status,
        403,
        "source must be the caller"
    );
    let fine = envelope(
        "order",
        "order.status_changed",
        order_event(Uuid::now_v7(), "CANCELLED", false),
    );
    assert_eq!(app.event_as(ORDER_TOKEN, fine).await.status, 200);
}
