//! Warehouses and the nearest lookups (api/warehouse.md §7 checks 3, 4, 5, 19).

use futures::future::join_all;
use serde_json::json;
use uuid::Uuid;

use crate::support::{id_of, main_id, App, MAIN};

fn body(name: &str, zip: &str) -> serde_json::Value {
    json!({"name": name, "street": "Jl. Merdeka 1", "city": "Jakarta", "state": "DKI", "zip_code": zip})
}

#[tokio::test]
async fn creating_a_warehouse_checks_its_fields_and_lists_it_after_the_main_one() {
    let app = App::spawn().await;
    let missing = json!({"street": "s", "city": "c", "state": "s", "zip_code": "12345"});
    let res = app
        .call("POST", "/v1/warehouse", &app.manager, Some(missing))
        .await;
    assert_eq!(res.status, 400);
    assert_eq!(res.body["error"]["causes"][0]["field"], "name");
    for zip in ["abc", "1025"] {
        let res = app
            .call(
                "POST",
                "/v1/warehouse",
                &app.manager,
                Some(body("Zip", zip)),
            )
            .await;
        assert_eq!(res.status, 400, "{zip}");
    }
    let res = app
        .call(
            "POST",
            "/v1/warehouse",
            &app.manager,
            Some(body("Alpha", "12345")),
        )
        .await;
    assert_eq!(res.status, 201);
    assert_eq!(res.data()["is_main_warehouse"], false);
    let res = app
        .call(
            "POST",
            "/v1/warehouse",
            &app.manager,
            Some(body("ALPHA", "12345")),
        )
        .await;
    assert_eq!(res.status, 409);
    let list = app.call("GET", "/v1/warehouse", &app.staff, None).await;
    let names: Vec<&str> = list
        .data()
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Main Warehouse", "Alpha"]);
    let paged = app
        .call("GET", "/v1/warehouse?limit=1", &app.staff, None)
        .await;
    assert_eq!(paged.body["count"], 2);
    assert_eq!(paged.data().as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn unknown_ids_answer_404_malformed_ones_400_and_a_patch_keeps_the_other_fields() {
    let app = App::spawn().await;
    let unknown = Uuid::now_v7();
    for path in [
        format!("/v1/warehouse/{unknown}"),
        format!("/v1/warehouse-products/product/{unknown}/warehouse/{MAIN}"),
        format!("/v1/reservations/{unknown}"),
    ] {
        assert_eq!(
            app.call("GET", &path, &app.manager, None).await.status,
            404,
            "{path}"
        );
    }
    let patch = app
        .call(
            "PATCH",
            &format!("/v1/warehouse/{unknown}"),
            &app.manager,
            Some(json!({"city": "X"})),
        )
        .await;
    assert_eq!(patch.status, 404);
    for path in [
        "/v1/warehouse/not-a-uuid",
        "/v1/reservations/42",
        "/v1/warehouse-products/product/x/warehouse/y",
    ] {
        assert_eq!(
            app.call("GET", path, &app.manager, None).await.status,
            400,
            "{path}"
        );
    }
    let id = app.warehouse("Beta", "40111").await;
    let res = app
        .call(
            "PATCH",
            &format!("/v1/warehouse/{id}"),
            &app.manager,
            Some(json!({"city": "Bandung"})),
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.data()["city"], "Bandung");
    assert_eq!(res.data()["street"], "Jl. Test 1");
    assert_eq!(res.data()["state"], "Prov");
    assert_eq!(res.data()["zip_code"], "40111");
    let empty = app
        .call(
            "PATCH",
            &format!("/v1/warehouse/{id}"),
            &app.manager,
            Some(json!({})),
        )
        .await;
    assert_eq!(empty.status, 400);
    // PostgreSQL text holds no NUL: a 400 naming the field, not a failed write (found by the fuzz run).
    let nul = app
        .call(
            "PATCH",
            &format!("/v1/warehouse/{id}"),
            &app.manager,
            Some(json!({"name": "Beta\u{0}"})),
        )
        .await;
    assert_eq!(nul.status, 400, "{:?}", nul.body);
    assert_eq!(nul.body["error"]["causes"][0]["field"], "name");
    let search = app
        .call("GET", "/v1/warehouse-products?q=a%00b", &app.manager, None)
        .await;
    assert_eq!(search.status, 400, "{:?}", search.body);
    let clash = app
        .call(
            "PATCH",
            &format!("/v1/warehouse/{id}"),
            &app.manager,
            Some(json!({"name": "main warehouse"})),
        )
        .await;
    assert_eq!(clash.status, 409);
}

#[tokio::test]
async fn exactly_one_warehouse_is_main_even_under_concurrent_changes() {
    let app = App::spawn().await;
    let b = app.warehouse("B", "20000").await;
    let res = app
        .call(
            "POST",
            &format!("/v1/warehouse/{b}/main"),
            &app.manager,
            None,
        )
        .await;
    assert_eq!(res.status, 200, "{:?}", res.body);
    assert_eq!(res.data()["is_main_warehouse"], true);
    let old = app
        .call("GET", &format!("/v1/warehouse/{MAIN}"), &app.staff, None)
        .await;
    assert_eq!(old.data()["is_main_warehouse"], false);

    let mut ids = Vec::new();
    for i in 0..10 {
        ids.push(
            app.warehouse(&format!("W{i}"), &format!("{}", 30000 + i))
                .await,
        );
    }
    let calls = ids.iter().map(|id| {
        let app = &app;
        async move {
            app.call(
                "POST",
                &format!("/v1/warehouse/{id}/main"),
                &app.manager,
                None,
            )
            .await
        }
    });
    for res in join_all(calls).await {
        assert_eq!(res.status, 200, "{:?}", res.body);
    }
    assert_eq!(
        app.count("SELECT count(*) FROM warehouses WHERE is_main_warehouse")
            .await,
        1
    );

    let main_now: Uuid = sqlx::query_scalar("SELECT id FROM warehouses WHERE is_main_warehouse")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let res = app
        .call(
            "DELETE",
            &format!("/v1/warehouse/{main_now}"),
            &app.manager,
            None,
        )
        .await;
    assert_eq!(res.status, 409);
    let p = app.product(0).await;
    app.adjust(b, p, 1).await;
    assert_eq!(
        app.call("DELETE", &format!("/v1/warehouse/{b}"), &app.manager, None)
            .await
            .status,
        409
    );
    app.adjust(b, p, -1).await;
    let res = app
        .call("DELETE", &format!("/v1/warehouse/{b}"), &app.manager, None)
        .await;
    assert_eq!(res.status, 200);
    assert!(res.data().is_null(), "{res:?}");
    assert_eq!(res.body["message"], "success delete");
    assert_eq!(
        app.call("GET", &format!("/v1/warehouse/{b}"), &app.staff, None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn nearest_lookups_skip_warehouses_without_enough_stock() {
    let app = App::spawn().await;
    let near = app.warehouse("Near", "15000").await;
    let middle = app.warehouse("Middle", "17000").await;
    let far = app.warehouse("Far", "40000").await;
    let p = app.product(0).await;
    app.adjust(middle, p, 2).await;
    app.adjust(far, p, 5).await;
    let _ = near;
    let res = app
        .call(
            "POST",
            "/v1/warehouse-products/nearest",
            &app.staff,
            Some(json!({"zip_code": "15326", "product_id": p, "quantity": 3})),
        )
        .await;
    assert_eq!(res.status, 200, "{:?}", res.body);
    assert_eq!(res.data()["zip_code"], "40000");
    assert_eq!(id_of(&res.data()["warehouse_id"]), far);
    assert_eq!(res.data()["available"], 5);
    let res = app
        .call(
            "POST",
            "/v1/warehouse-products/nearest",
            &app.staff,
            Some(json!({"zip_code": "15326", "product_id": p})),
        )
        .await;
    assert_eq!(res.data()["zip_code"], "17000");
    let none = app
        .call(
            "POST",
            "/v1/warehouse-products/nearest",
            &app.staff,
            Some(json!({"zip_code": "15326", "product_id": Uuid::now_v7()})),
        )
        .await;
    assert_eq!(none.status, 404);
    let bad = app
        .call(
            "POST",
            "/v1/warehouse-products/nearest",
            &app.staff,
            Some(json!({"zip_code": "12a", "product_id": p})),
        )
        .await;
    assert_eq!(bad.status, 400);

    let res = app
        .call(
            "POST",
            "/v1/warehouse/nearest",
            &app.staff,
            Some(json!({"zip_codes": []})),
        )
        .await;
    assert_eq!(res.data(), &json!({"warehouses": {}}));
    let res = app
        .call(
            "POST",
            "/v1/warehouse/nearest",
            &app.staff,
            Some(json!({"zip_codes": ["15326", "10000"]})),
        )
        .await;
    assert_eq!(
        res.data(),
        &json!({"warehouses": {"15326": "15000", "10000": "10250"}})
    );
    let _ = main_id();
}
