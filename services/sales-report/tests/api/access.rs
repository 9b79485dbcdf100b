//! Who may call what (api/sales-report.md §6 checks 1, 2, 16; issue 9 check 4): admins only on `/v1/sales*`,
//! order's service token only on `/internal/events`.

use serde_json::json;

use crate::support::{envelope, item, sale, App, PAYMENT_TOKEN};

const ROUTES: [(&str, &str); 8] = [
    ("GET", "/v1/sales"),
    ("GET", "/v1/sales/"),
    ("GET", "/v1/sales/summary"),
    ("GET", "/v1/sales/xlsx-report"),
    ("GET", "/v1/sales/csv-report"),
    ("GET", "/v1/sales/pdf-report"),
    ("GET", "/v1/sales/cost-prices"),
    (
        "PUT",
        "/v1/sales/cost-prices/0190a1b2-0000-7000-8000-000000000001",
    ),
];

#[tokio::test]
async fn non_admins_get_403_and_anonymous_callers_401_on_every_sales_route() {
    let app = App::spawn().await;
    let body = Some(json!({"cost_price": 1}).to_string().into_bytes());
    for (method, path) in ROUTES {
        let anonymous = app.send(method, path, &[], body.clone()).await;
        assert_eq!(anonymous.status, 401, "{method} {path}: {anonymous:?}");
        let garbage = app
            .send(
                method,
                path,
                &[("authorization", "Bearer not.a.jwt")],
                body.clone(),
            )
            .await;
        assert_eq!(garbage.status, 401, "{method} {path}");
        for groups in [&[][..], &["warehouse_staff"], &["warehouse_manager"]] {
            let auth = format!("Bearer {}", app.token(groups));
            // A bad query must not turn the 403 into a 400.
            let res = app
                .send(
                    method,
                    &format!("{path}?limit=abc"),
                    &[("authorization", &auth)],
                    body.clone(),
                )
                .await;
            assert_eq!(res.status, 403, "{method} {path} as {groups:?}: {res:?}");
            assert_eq!(res.body["code"], 403);
        }
        let auth = format!("Bearer {}", app.admin);
        let admin = app
            .send(method, path, &[("authorization", &auth)], body.clone())
            .await;
        assert_eq!(admin.status, 200, "{method} {path} as admin: {admin:?}");
    }
}

#[tokio::test]
async fn expired_and_foreign_issuer_admin_tokens_are_401_without_leaking_why() {
    let app = App::spawn().await;
    let now = chrono::Utc::now().timestamp();
    let claims = |iss: &str, exp: i64| {
        json!({"sub": crate::support::id(), "iss": iss, "token_use": "access",
               "client_id": test_support::service::LOCAL_CLIENT, "exp": exp, "iat": exp - 600,
               "cognito:groups": ["admin"], "username": "admin"})
    };
    let expired = app
        .issuer
        .key
        .sign(&claims(test_support::service::LOCAL_ISSUER, now - 3600));
    let foreign = app
        .issuer
        .key
        .sign(&claims("https://issuer.example/other", now + 600));
    for token in [expired, foreign] {
        let res = app.get_as("/v1/sales", &token).await;
        assert_eq!(res.status, 401, "{res:?}");
        let text = String::from_utf8_lossy(&res.bytes).to_string();
        assert!(
            !text.contains("issuer.example") && !text.contains("sqlx"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn a_preflight_from_the_admin_app_is_answered_204_without_a_token() {
    let app = App::spawn().await;
    let res = app
        .send(
            "OPTIONS",
            "/v1/sales",
            &[
                ("origin", "http://localhost:3001"),
                ("access-control-request-method", "GET"),
                ("access-control-request-headers", "authorization"),
            ],
            None,
        )
        .await;
    assert_eq!(res.status, 204);
    assert_eq!(
        res.header("access-control-allow-origin"),
        "http://localhost:3001"
    );
}

#[tokio::test]
async fn events_need_orders_own_service_token_and_source() {
    let app = App::spawn().await;
    let event = sale(
        "2025-06-01T10:00:00Z",
        vec![item(crate::support::id(), crate::support::id(), 1, 10.0)],
    );
    let bytes = event.to_string().into_bytes();
    assert_eq!(app.post_raw(bytes.clone(), None).await.status, 401);
    assert_eq!(app.post_raw(bytes.clone(), Some("wrong")).await.status, 401);
    assert_eq!(
        app.post_raw(bytes.clone(), Some(PAYMENT_TOKEN))
            .await
            .status,
        401
    );
    let admin = format!("Bearer {}", app.admin);
    let as_admin = app
        .send(
            "POST",
            "/internal/events",
            &[("authorization", &admin)],
            Some(bytes),
        )
        .await;
    assert_eq!(as_admin.status, 401);
    let mut foreign = event.clone();
    foreign["source"] = json!("payment");
    assert_eq!(app.deliver(&foreign).await.status, 403);
    assert_eq!(app.row_count().await, 0);
    assert!(!app.processed(event["id"].as_str().unwrap()).await);
    // An unhandled type is answered, not refused, and nothing is stored.
    let other = envelope(
        "order.status_changed",
        json!({"order_id": crate::support::id()}),
    );
    let res = app.deliver(&other).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.body["data"]["result"], "ignored");
    assert_eq!(res.body["data"]["rows"], 0);
    assert!(!app.processed(other["id"].as_str().unwrap()).await);
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let app = App::spawn().await;
    let res = app.send("GET", "/openapi.json", &[], None).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.header("content-type"), "application/json");
    // The document generated from the code is the one served.
    assert_eq!(res.bytes, sales_report::OPENAPI.as_bytes());
    let doc = res.body;
    for (path, method) in [
        ("/v1/sales", "get"),
        ("/v1/sales/summary", "get"),
        ("/v1/sales/xlsx-report", "get"),
        ("/v1/sales/csv-report", "get"),
        ("/v1/sales/pdf-report", "get"),
        ("/v1/sales/cost-prices", "get"),
        ("/v1/sales/cost-prices/{product_id}", "put"),
        ("/v1/sales/cost-prices/{product_id}", "delete"),
        ("/internal/events", "post"),
    ] {
        assert!(
            doc["paths"][path][method]["responses"]["200"].is_object(),
            "{method} {path}"
        );
    }
}

#[tokio::test]
async fn no_malformed_query_header_body_or_event_produces_a_5xx() {
    let app = App::spawn().await;
    let auth = format!("Bearer {}", app.admin);
    let queries = [
        "from=%ZZ",
        "limit=%FF%FE",
        "from=0001-01-01&to=9999-12-31",
        "from=9999-12-31",
        "to=0001-01-01",
        "from=2025-01-01T00:00:00%2B23:59",
        "tz=",
        "tz=%00",
        "tz=../../etc/passwd",
        "skip=2147483647",
        "skip=9223372036854775807",
        "interval=month&from=0001-01-01",
        "product_id[]=x",
        "limit=1e3",
    ];
    for route in [
        "/v1/sales",
        "/v1/sales/summary",
        "/v1/sales/csv-report",
        "/v1/sales/pdf-report",
        "/v1/sales/xlsx-report",
    ] {
        for q in queries {
            let res = app
                .send(
                    "GET",
                    &format!("{route}?{q}"),
                    &[("authorization", &auth)],
                    None,
                )
                .await;
            assert!(res.status < 500, "{route}?{q}: {res:?}");
        }
    }
    for header in ["Bearer", "Basic abc", "Bearer a b", &"x".repeat(9000)] {
        let res = app
            .send("GET", "/v1/sales", &[("authorization", header)], None)
            .await;
        assert_eq!(res.status, 401, "{header}");
    }
    let bodies = [
        json!({"id": "x", "type": "sale.created", "occurred_at": "now", "source": "order", "data": {}}),
        envelope("sale.created", json!(null)),
        envelope(
            "sale.created",
            json!({"order_id": 1, "user_id": [], "items": {}}),
        ),
        envelope(
            "sale.created",
            json!({"order_id": crate::support::id(), "user_id": crate::support::id(), "accepted_at": "soon",
            "items": [{"product_id": crate::support::id(), "warehouse_id": crate::support::id(), "quantity": 1e300, "price": 1e300}]}),
        ),
        envelope(
            "sale.reversed",
            json!({"order_id": crate::support::id(), "reversed_at": 5}),
        ),
        envelope(
            "sale.created",
            json!({"order_id": crate::support::id(), "user_id": crate::support::id(),
            "items": [{"product_id": crate::support::id(), "warehouse_id": crate::support::id(), "quantity": 1, "price": 1,
                       "product_name": "x".repeat(256)}]}),
        ),
    ];
    for body in bodies {
        let res = app.deliver(&body).await;
        assert_eq!(res.status, 400, "{body}: {res:?}");
    }
    let big = vec![b' '; 2 * 1024 * 1024];
    let res = app.post_raw(big, Some(crate::support::ORDER_TOKEN)).await;
    assert_eq!(res.status, 413);
    let res = app
        .send(
            "PUT",
            "/v1/sales/cost-prices/00000000-0000-0000-0000-000000000001",
            &[("authorization", &auth)],
            Some(b"{".to_vec()),
        )
        .await;
    assert_eq!(res.status, 400);
}

#[tokio::test]
async fn a_margin_total_out_of_range_is_refused_with_400_and_nothing_stored() {
    let app = App::spawn().await;
    let product = crate::support::id();
    let put = app
        .admin_json(
            "PUT",
            &format!("/v1/sales/cost-prices/{product}"),
            json!({"cost_price": 9999999999.99}),
        )
        .await;
    assert_eq!(put.status, 200);
    let event = sale(
        "2025-06-01T10:00:00Z",
        vec![item(product, crate::support::id(), 1000, 0.0)],
    );
    let res = app.deliver(&event).await;
    assert_eq!(res.status, 400, "{res:?}");
    assert!(!app.processed(event["id"].as_str().unwrap()).await);
    assert_eq!(app.row_count().await, 0);
}
