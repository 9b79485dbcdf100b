//! Tokens, roles and ownership (api/order.md §2; acceptance 8–10, 23).

use reqwest::Method;
use serde_json::{json, Value};
use test_support::proxy::TcpProxy;
use uuid::Uuid;

use crate::support::{eventually, TestApp, PAYMENT_TOKEN, WAREHOUSE_TOKEN};

fn order_routes(id: Uuid) -> Vec<(Method, String, Option<Value>)> {
    vec![
        (Method::POST, "/v1/orders".into(), Some(json!({}))),
        (Method::GET, "/v1/orders".into(), None),
        (Method::GET, "/v1/orders/user".into(), None),
        (Method::POST, "/v1/orders/quote".into(), Some(json!({}))),
        (Method::GET, format!("/v1/orders/{id}"), None),
        (Method::GET, format!("/v1/orders/{id}/ttl"), None),
        (Method::GET, format!("/v1/orders/{id}/history"), None),
        (Method::POST, format!("/v1/orders/{id}/cancel"), None),
        (
            Method::PATCH,
            format!("/v1/orders/{id}/status"),
            Some(json!({"status": "CANCELLED"})),
        ),
        (
            Method::POST,
            format!("/v1/orders/{id}/refund"),
            Some(json!({"note": "x"})),
        ),
    ]
}

#[tokio::test]
async fn every_order_route_needs_a_valid_access_token() {
    let app = TestApp::spawn().await;
    let (id, user, _) = app.placed_order().await;
    let now = chrono::Utc::now().timestamp();
    let claims = |over: Value| {
        let mut c = json!({"sub": user, "iss": test_support::service::LOCAL_ISSUER, "token_use": "access",
                           "client_id": test_support::service::LOCAL_CLIENT, "exp": now + 600, "iat": now});
        for (k, v) in over.as_object().unwrap() {
            c[k] = v.clone();
        }
        app.issuer.key.sign(&c)
    };
    let expired = claims(json!({"exp": now - 3600, "iat": now - 7200}));
    let wrong_issuer = claims(json!({"iss": "https://evil.example.com/pool"}));
    let id_token = claims(json!({"token_use": "id"}));
    for (method, path, body) in order_routes(id) {
        for token in [
            None,
            Some(expired.as_str()),
            Some(wrong_issuer.as_str()),
            Some(id_token.as_str()),
        ] {
            let res = app
                .call(method.clone(), &path, token, body.clone(), &[])
                .await;
            assert_eq!(
                res.status, 401,
                "{method} {path} with {token:?}: {:?}",
                res.body
            );
        }
    }
    assert_eq!(app.order(id).await["status"], "PENDING");
}

#[tokio::test]
async fn internal_routes_take_only_payments_service_token() {
    let app = TestApp::spawn().await;
    let (id, user, token) = app.placed_order().await;
    let path = format!("/internal/orders/{id}/payment-eligibility");
    let envelope = json!({"id": Uuid::now_v7(), "type": "payment.submitted", "occurred_at": "2024-05-01T10:00:00Z",
        "source": "warehouse", "data": {"payment_id": Uuid::new_v4(), "order_id": id, "user_id": user, "submitted_at": "2024-05-01T10:00:00Z"}});
    for creds in [
        vec![],
        vec![("X-Service-Token", "nope")],
        vec![("Authorization", "Bearer x")],
    ] {
        assert_eq!(
            app.call(Method::GET, &path, None, None, &creds)
                .await
                .status,
            401
        );
        assert_eq!(
            app.call(
                Method::POST,
                "/internal/events",
                None,
                Some(envelope.clone()),
                &creds
            )
            .await
            .status,
            401
        );
    }
    let bearer = app.call(Method::GET, &path, Some(&token), None, &[]).await;
    assert_eq!(bearer.status, 401, "a user token never opens /internal");
    // warehouse's token is known, but not allowed on these routes.
    assert_eq!(
        app.call(
            Method::GET,
            &path,
            None,
            None,
            &[("X-Service-Token", WAREHOUSE_TOKEN)]
        )
        .await
        .status,
        403
    );
    let wrong_source = app.post_envelope(PAYMENT_TOKEN, envelope).await;
    assert_eq!(wrong_source.status, 403, "{:?}", wrong_source.body);
    assert_eq!(app.order(id).await["payment_status"], "");
}

#[tokio::test]
async fn a_customer_cannot_read_or_change_another_customers_order() {
    let app = TestApp::spawn().await;
    let (id, _, _) = app.placed_order().await;
    let before = app.order(id).await;
    let (_, other) = app.customer();
    for path in [
        format!("/v1/orders/{id}"),
        format!("/v1/orders/{id}/ttl"),
        format!("/v1/orders/{id}/history"),
    ] {
        assert_eq!(app.get(&path, &other).await.status, 403, "{path}");
    }
    assert_eq!(
        app.post(&format!("/v1/orders/{id}/cancel"), &other, json!({}))
            .await
            .status,
        403
    );
    let listed = app.get("/v1/orders/user", &other).await;
    assert_eq!(listed.data(), &json!([]));
    assert_eq!(listed.body["count"], 0);
    let after = app.order(id).await;
    assert_eq!(after["status"], "PENDING");
    assert_eq!(after["updated_at"], before["updated_at"]);
    assert_eq!(app.get("/v1/orders/not-a-uuid", &other).await.status, 400);
    assert_eq!(
        app.get(&format!("/v1/orders/{}", Uuid::new_v4()), &other)
            .await
            .status,
        404
    );
    assert_eq!(
        app.get(&format!("/v1/orders/{}/ttl", Uuid::new_v4()), &other)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn admin_only_routes_are_forbidden_to_customers_and_open_to_admins() {
    let app = TestApp::spawn().await;
    let (id, _, owner) = app.placed_order().await;
    assert_eq!(app.get("/v1/orders", &owner).await.status, 403);
    assert_eq!(
        app.patch_status(id, &owner, json!({"status": "CANCELLED"}))
            .await
            .status,
        403
    );
    assert_eq!(
        app.post(
            &format!("/v1/orders/{id}/refund"),
            &owner,
            json!({"note": "x"})
        )
        .await
        .status,
        403
    );
    let admin = app.admin();
    for path in [
        "/v1/orders".to_string(),
        format!("/v1/orders/{id}"),
        format!("/v1/orders/{id}/ttl"),
        format!("/v1/orders/{id}/history"),
    ] {
        assert_eq!(app.get(&path, &admin).await.status, 200, "{path}");
    }
    let listed = app.get("/v1/orders/", &admin).await;
    assert_eq!(listed.status, 200, "trailing slash answers too");
    assert_eq!(listed.body["code"], 200);
    assert_eq!(listed.body["message"], "success get");
    let created_at = listed.data()[0]["created_at"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(created_at).is_ok());
    assert!(listed.data()[0]["total_price"].is_number());
    assert!(listed.data()[0]["items"][0]["quantity"].is_number());
}

#[tokio::test]
async fn warehouse_roles_see_only_orders_to_ship_and_a_manager_may_only_ship() {
    let app = TestApp::spawn().await;
    let (pending, _, _) = app.placed_order().await;
    let (paid, user, _) = app.placed_order().await;
    let payment = app.submit_proof(paid, user).await;
    app.review(paid, user, payment, "APPROVED", false).await;
    let (_, staff) = app.token_with("warehouse_staff");
    let (manager_id, manager) = app.token_with("warehouse_manager");
    for token in [&staff, &manager] {
        let list = app.get("/v1/orders", token).await;
        assert_eq!(list.status, 200);
        assert_eq!(list.body["count"], 1);
        let o = &list.data()[0];
        assert_eq!(o["id"], json!(paid));
        assert_eq!(o["address"]["street"], "1 Main St");
        assert!(!o["items"][0]["allocations"].as_array().unwrap().is_empty());
        for f in [
            "payment_id",
            "payment_status",
            "payment_image_url",
            "payment_note",
        ] {
            assert_eq!(o[f], "", "{f}");
        }
        let pending_only = app.get("/v1/orders?status=PENDING", token).await;
        assert_eq!(
            (pending_only.status, pending_only.body["count"].clone()),
            (200, json!(0))
        );
        assert_eq!(
            app.get(&format!("/v1/orders/{paid}"), token).await.status,
            200
        );
        assert_eq!(
            app.get(&format!("/v1/orders/{pending}"), token)
                .await
                .status,
            403
        );
    }
    assert_eq!(
        app.patch_status(paid, &staff, json!({"status": "ON_DELIVERY"}))
            .await
            .status,
        403
    );
    let shipped = app
        .patch_status(
            paid,
            &manager,
            json!({"status": "ON_DELIVERY", "note": "truck 7"}),
        )
        .await;
    assert_eq!(shipped.status, 200, "{:?}", shipped.body);
    let last = app.history(paid).await.last().cloned().unwrap();
    assert_eq!(last["actor"], "warehouse");
    assert_eq!(last["actor_id"], json!(manager_id));
    assert_eq!(
        app.patch_status(paid, &manager, json!({"status": "DELIVERED"}))
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn ready_is_503_while_the_database_is_cut() {
    let db = test_support::db::TestDatabase::postgres("order").await;
    let proxy = TcpProxy::start("127.0.0.1:5432").await;
    let app = TestApp::spawn().await;
    let mut cfg = app.config();
    cfg.database_url = proxy.rewrite_url(&db.url, "127.0.0.1:5432");
    let instance = crate::support::start(cfg).await;
    let ready = format!("{}/ready", instance.base);
    assert_eq!(reqwest::get(&ready).await.unwrap().status(), 200);
    proxy.cut();
    eventually(10, "/ready says 503", || async {
        reqwest::get(&ready).await.unwrap().status() == 503
    })
    .await;
    proxy.restore();
    eventually(10, "/ready recovers", || async {
        reqwest::get(&ready).await.unwrap().status() == 200
    })
    .await;
    instance.stop().await;
}
