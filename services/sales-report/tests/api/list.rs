//! The detail list (api/sales-report.md §2.1–2.3, §6 checks 9–11; issue 9 check 4): compat body and
//! fields, newest first, `count` over the filters, `limit` capped, filters and their 400s.

use serde_json::{json, Value};

use crate::support::{id, item, sale, App};

fn ids(res: &crate::support::Res) -> Vec<String> {
    res.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["created_at"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn both_compat_paths_answer_the_old_body_newest_first_without_redirect() {
    let app = App::spawn().await;
    for at in [
        "2025-01-01T10:00:00Z",
        "2025-01-03T10:00:00Z",
        "2025-01-02T10:00:00Z",
    ] {
        app.apply(&sale(at, vec![item(id(), id(), 1, 10.0)]), 1)
            .await;
    }
    for path in ["/v1/sales?skip=0&limit=30", "/v1/sales/?skip=0&limit=30"] {
        let res = app.admin_get(path).await;
        assert_eq!(res.body["code"], 200);
        assert_eq!(res.body["message"], "success get");
        assert_eq!(res.body["count"], 3);
        assert_eq!(
            ids(&res),
            [
                "2025-01-03T10:00:00Z",
                "2025-01-02T10:00:00Z",
                "2025-01-01T10:00:00Z"
            ]
        );
        let text = String::from_utf8(res.bytes.clone()).unwrap();
        let keys = ["\"code\"", "\"data\"", "\"count\"", "\"message\""];
        let at: Vec<usize> = keys.iter().map(|k| text.rfind(k).unwrap()).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{text}");
        let first = &text[text.find("{\"user_id\"").expect("rows start with user_id")..];
        let fields = [
            "user_id",
            "order_id",
            "product_id",
            "product_quantity",
            "margin_per_product",
            "created_at",
            "id",
            "product_name",
            "sku",
            "warehouse_id",
            "price",
            "cost_price",
            "revenue",
            "margin_total",
            "margin_source",
            "kind",
        ];
        let at: Vec<usize> = fields
            .iter()
            .map(|f| {
                first
                    .find(&format!("\"{f}\":"))
                    .unwrap_or_else(|| panic!("{f}"))
            })
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{first}");
    }
}

#[tokio::test]
async fn count_ignores_paging_and_limit_is_capped_at_1000() {
    let app = App::spawn().await;
    let items: Vec<Value> = (0..5).map(|_| item(id(), id(), 1, 1.0)).collect();
    app.apply(&sale("2025-01-01T10:00:00Z", items), 5).await;
    let page = app.admin_get("/v1/sales?skip=1&limit=2").await;
    assert_eq!(page.body["count"], 5);
    assert_eq!(page.body["data"].as_array().unwrap().len(), 2);
    let none = app.admin_get("/v1/sales?limit=0").await;
    assert_eq!(none.body["data"], json!([]));
    assert_eq!(none.body["count"], 5);
    let past = app.admin_get("/v1/sales?skip=10").await;
    assert_eq!(past.body["data"], json!([]));
    assert_eq!(
        app.admin_get("/v1/sales").await.body["data"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    assert_eq!(app.admin_get("/v1/sales?limit=1000").await.body["count"], 5);
    for bad in [
        "skip=-1",
        "limit=-1",
        "limit=1001",
        "limit=abc",
        "skip=1.5",
        "limit=99999999999999999999",
    ] {
        let res = app.get_as(&format!("/v1/sales?{bad}"), &app.admin).await;
        assert_eq!(res.status, 400, "{bad}: {res:?}");
        assert_eq!(res.body["code"], 400);
        assert!(res.body["error"]["causes"].is_array(), "{bad}");
    }
}

#[tokio::test]
async fn date_product_and_warehouse_filters_combine_and_bad_values_are_400() {
    let app = App::spawn().await;
    let (p1, p2, w1, w2) = (id(), id(), id(), id());
    app.apply(
        &sale(
            "2025-01-01T18:00:00Z",
            vec![item(p1, w1, 1, 1.0), item(p2, w2, 1, 1.0)],
        ),
        2,
    )
    .await;
    app.apply(&sale("2025-01-02T23:59:59Z", vec![item(p1, w2, 1, 1.0)]), 1)
        .await;
    app.apply(&sale("2025-01-03T00:00:00Z", vec![item(p2, w1, 1, 1.0)]), 1)
        .await;
    let count = |query: String| {
        let app = &app;
        async move {
            app.admin_get(&format!("/v1/sales?limit=1000&{query}"))
                .await
                .body["count"]
                .as_i64()
                .unwrap()
        }
    };
    assert_eq!(
        count("to=2025-01-02".into()).await,
        3,
        "a sale at 23:59:59 on the `to` date is in"
    );
    assert_eq!(count("from=2025-01-02".into()).await, 2);
    assert_eq!(
        count("from=2025-01-02&tz=Asia/Jakarta".into()).await,
        4,
        "18:00Z is 01:00 in Jakarta"
    );
    assert_eq!(
        count("from=2025-01-02T23:59:59Z&to=2025-01-03T00:00:00Z".into()).await,
        2
    );
    assert_eq!(count(format!("product_id={p1}")).await, 2);
    assert_eq!(count(format!("warehouse_id={w1}")).await, 2);
    assert_eq!(count(format!("product_id={p1}&warehouse_id={w2}")).await, 1);
    assert_eq!(
        count(format!("product_id={p1}&warehouse_id={w2}&to=2025-01-01")).await,
        0
    );
    let unknown = app
        .admin_get(&format!("/v1/sales?product_id={}", id()))
        .await;
    assert_eq!(unknown.body["data"], json!([]));
    assert_eq!(unknown.body["count"], 0);
    for bad in [
        "from=2025-02-01&to=2025-01-01",
        "tz=Mars/Base",
        "from=yesterday",
        "from=2025-02-30",
        "to=2025-01-01T25:00:00Z",
        "product_id=42",
        "warehouse_id=not-a-uuid",
        "from=2025-01-01&from=2025-01-02",
    ] {
        for route in [
            "/v1/sales",
            "/v1/sales/summary",
            "/v1/sales/csv-report",
            "/v1/sales/pdf-report",
            "/v1/sales/xlsx-report",
        ] {
            let res = app.get_as(&format!("{route}?{bad}"), &app.admin).await;
            assert_eq!(res.status, 400, "{route}?{bad}: {res:?}");
        }
    }
}
