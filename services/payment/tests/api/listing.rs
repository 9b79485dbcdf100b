//! `GET /v1/payments` and `GET /v1/payments/{id}` (api/payment.md §2.2–2.3, §6 checks 10–11; issue 8 check 3).

use std::collections::HashSet;

use serde_json::Value;
use uuid::Uuid;

use super::support::{jpeg, TestApp};

fn ids(res: &super::support::Res) -> Vec<String> {
    res.data()
        .as_array()
        .unwrap_or_else(|| panic!("{res:?}"))
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect()
}

async fn set_created(app: &TestApp, id: &str, at: &str) {
    sqlx::query("UPDATE payments SET created_at = ? WHERE id = ?")
        .bind(at)
        .bind(id)
        .execute(&app.pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn customers_list_only_their_own_payments_and_admins_list_everyones_with_filters() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.admin();
    let (a, a_token, a_order1, a1) = app.uploaded().await;
    let a_order2 = app.stub.order(a, 5.0);
    let a2 = app.upload(&a_token, a_order2, jpeg()).await.data()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (b, b_token, b_order, b1) = app.uploaded().await;
    assert_eq!(app.review(&admin, &a2, "REJECTED").await.status, 200);
    set_created(&app, &a1, "2026-01-01 10:00:00").await;
    set_created(&app, &a2, "2026-01-02 23:59:59.5").await;
    set_created(&app, &b1, "2026-01-03 00:00:00").await;

    // A sees A's, newest first, whatever the filters.
    let res = app.get("/v1/payments", Some(&a_token)).await;
    assert_eq!(res.status, 200, "{res:?}");
    assert_eq!(res.body["message"], "payments retrieved successfully");
    assert_eq!(ids(&res), vec![a2.clone(), a1.clone()]);
    let res = app
        .get(&format!("/v1/payments?orderId={b_order}"), Some(&a_token))
        .await;
    assert_eq!(ids(&res), Vec::<String>::new());
    assert_eq!(res.data(), &Value::Array(vec![]));
    let res = app
        .get(&format!("/v1/payments?userId={a}"), Some(&a_token))
        .await;
    assert_eq!(ids(&res), vec![a2.clone(), a1.clone()]);
    assert_eq!(
        app.get(&format!("/v1/payments?userId={b}"), Some(&a_token))
            .await
            .status,
        403
    );
    assert_eq!(
        ids(&app.get("/v1/payments", Some(&b_token)).await),
        vec![b1.clone()]
    );

    // The admin gets both, newest first, and each filter.
    let all = ids(&app.get("/v1/payments", Some(&admin)).await);
    assert_eq!(all, vec![b1.clone(), a2.clone(), a1.clone()]);
    let cases: Vec<(String, Vec<&String>)> = vec![
        ("status=REJECTED".into(), vec![&a2]),
        ("status=PENDING".into(), vec![&b1, &a1]),
        (format!("orderId={a_order1}"), vec![&a1]),
        (format!("userId={a}"), vec![&a2, &a1]),
        (format!("userId={b}"), vec![&b1]),
        ("createdFrom=2026-01-02".into(), vec![&b1, &a2]),
        ("createdTo=2026-01-02".into(), vec![&a2, &a1]),
        (
            "createdFrom=2026-01-02&createdTo=2026-01-02".into(),
            vec![&a2],
        ),
        (
            "createdFrom=2026-01-01T10:00:00Z&createdTo=2026-01-01T10:00:00Z".into(),
            vec![&a1],
        ),
        ("skip=1&limit=1".into(), vec![&a2]),
        (format!("status=PENDING&userId={a}"), vec![&a1]),
    ];
    for (query, expected) in cases {
        let res = app
            .get(&format!("/v1/payments?{query}"), Some(&admin))
            .await;
        assert_eq!(res.status, 200, "{query}: {res:?}");
        let expected: Vec<String> = expected.into_iter().cloned().collect();
        assert_eq!(ids(&res), expected, "{query}");
    }
    // Every item is a full payment object with a fresh URL.
    let res = app.get("/v1/payments", Some(&admin)).await;
    for p in res.data().as_array().unwrap() {
        for field in [
            "id",
            "orderId",
            "imageUrl",
            "status",
            "note",
            "createdAt",
            "updatedAt",
            "userId",
            "totalAmount",
            "contentType",
            "sizeBytes",
            "imageUrlExpiresAt",
        ] {
            assert!(!p[field].is_null(), "{field} in {p}");
        }
    }
}

#[tokio::test]
async fn invalid_list_parameters_are_400() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.admin();
    let (_, customer) = app.customer();
    for query in [
        "limit=0",
        "limit=501",
        "skip=-1",
        "status=PAID",
        "orderId=abc",
        "userId=abc",
        "createdFrom=2026-01-03&createdTo=2026-01-02",
        "createdFrom=yesterday",
    ] {
        for token in [&admin, &customer] {
            let res = app.get(&format!("/v1/payments?{query}"), Some(token)).await;
            assert_eq!(res.status, 400, "{query}: {res:?}");
            assert!(res.body["error"]["causes"].is_array(), "{query}");
        }
    }
    assert_eq!(
        app.get("/v1/payments?limit=500", Some(&admin)).await.status,
        200
    );
}

#[tokio::test]
async fn the_list_default_limit_is_one_hundred() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.admin();
    for i in 0..101 {
        let id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO payments (id, order_id, user_id, status, total_amount, object_key, content_type,
                 size_bytes, sha256, created_at, updated_at)
             VALUES (?, ?, ?, 'PENDING', 1, ?, 'image/png', 1, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))",
        )
        .bind(id.to_string())
        .bind(Uuid::now_v7().to_string())
        .bind(Uuid::new_v4().to_string())
        .bind(format!("payments/x/{i}.png"))
        .bind("0".repeat(64))
        .execute(&app.pool)
        .await
        .unwrap();
    }
    let res = app.get("/v1/payments", Some(&admin)).await;
    assert_eq!(res.data().as_array().unwrap().len(), 100);
    let unique: HashSet<String> = ids(&res).into_iter().collect();
    assert_eq!(unique.len(), 100);
}

#[tokio::test]
async fn one_payment_is_readable_by_its_owner_and_admins_only() {
    let app = TestApp::spawn().await;
    let (_, owner, _, id) = app.uploaded().await;
    let (_, other) = app.customer();
    let (_, admin) = app.admin();
    let res = app.get(&format!("/v1/payments/{id}"), Some(&owner)).await;
    assert_eq!(res.status, 200, "{res:?}");
    assert_eq!(res.body["message"], "payment retrieved successfully");
    assert_eq!(res.data()["id"], id.as_str());
    assert_eq!(
        app.get(&format!("/v1/payments/{id}/"), Some(&owner))
            .await
            .status,
        200
    );
    assert_eq!(
        app.get(&format!("/v1/payments/{id}"), Some(&other))
            .await
            .status,
        403
    );
    let staff = app.token(Uuid::new_v4(), &["warehouse_manager"]);
    assert_eq!(
        app.get(&format!("/v1/payments/{id}"), Some(&staff))
            .await
            .status,
        403
    );
    assert_eq!(
        app.get(&format!("/v1/payments/{id}"), Some(&admin))
            .await
            .status,
        200
    );
    assert_eq!(
        app.get(&format!("/v1/payments/{}", Uuid::now_v7()), Some(&admin))
            .await
            .status,
        404
    );
    assert_eq!(app.get("/v1/payments/abc", Some(&admin)).await.status, 400);
}
