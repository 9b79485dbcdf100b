//! Admin user list and lookup (api/auth.md §8 check 15; issue 3 check 4).

use super::support::{token, unique, App};

#[tokio::test]
async fn user_routes_refuse_anonymous_callers_customers_and_managers() {
    let app = App::spawn().await;
    let customer = unique("cust");
    let customer_id = app
        .register(&customer, &format!("{customer}@example.com"))
        .await;
    let manager = unique("mgr");
    app.register(&manager, &format!("{manager}@example.com"))
        .await;
    app.cognito
        .admin_add_user_to_group()
        .user_pool_id(&app.pool_id)
        .username(&manager)
        .group_name("warehouse_manager")
        .send()
        .await
        .unwrap();
    let paths = [
        ("GET", "/v1/auth/users".to_string()),
        ("GET", format!("/v1/auth/users/{customer_id}")),
        ("PUT", format!("/v1/auth/users/{customer_id}/role")),
        ("PUT", format!("/v1/auth/users/{customer_id}/enabled")),
    ];
    let body = serde_json::json!({"role": "admin", "enabled": false});
    for (method, path) in &paths {
        let res = app.send(method, path, None, Some(body.clone()), &[]).await;
        assert_eq!(res.status, 401, "{method} {path}");
        assert!(res.headers.contains_key("www-authenticate"));
    }
    for who in [&customer, &manager] {
        let access = token(&app.login(who).await);
        for (method, path) in &paths {
            let res = app
                .send(method, path, Some(&access), Some(body.clone()), &[])
                .await;
            assert_eq!(res.status, 403, "{who}: {method} {path} → {res:?}");
        }
    }
}

#[tokio::test]
async fn an_admin_lists_users_with_their_roles_and_filters_by_role() {
    let app = App::spawn().await;
    let staff = unique("staff");
    let staff_id = app.register(&staff, &format!("{staff}@example.com")).await;
    app.cognito
        .admin_add_user_to_group()
        .user_pool_id(&app.pool_id)
        .username(&staff)
        .group_name("warehouse_staff")
        .send()
        .await
        .unwrap();
    let customer = unique("cust");
    app.register(&customer, &format!("{customer}@example.com"))
        .await;
    let admin = app.admin_token().await;

    let all = app.get("/v1/auth/users", Some(&admin)).await;
    assert_eq!(all.status, 200, "{all:?}");
    let users = all.body["data"]["users"].as_array().unwrap();
    let role_of = |name: &str| {
        users
            .iter()
            .find(|u| u["username"] == name)
            .map(|u| u["role"].clone())
            .unwrap()
    };
    assert_eq!(users.len(), 3);
    assert_eq!(role_of("root"), "admin");
    assert_eq!(role_of(&staff), "warehouse_staff");
    assert_eq!(role_of(&customer), "customer");

    let filtered = app
        .get("/v1/auth/users?role=warehouse_staff", Some(&admin))
        .await;
    let users = filtered.body["data"]["users"].as_array().unwrap();
    assert_eq!(users.len(), 1, "{filtered:?}");
    assert_eq!(users[0]["user_id"], staff_id.as_str());

    let by_name = app
        .get(
            &format!("/v1/auth/users?username={}", &customer[..6]),
            Some(&admin),
        )
        .await;
    assert!(by_name.body["data"]["users"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["username"] == customer.as_str()));
    let paged = app.get("/v1/auth/users?limit=1", Some(&admin)).await;
    assert_eq!(paged.body["data"]["users"].as_array().unwrap().len(), 1);
    assert!(paged.body["data"]["next_token"].is_string(), "{paged:?}");
    let none = app.get("/v1/auth/users?email=zzz", Some(&admin)).await;
    assert_eq!(none.body["data"]["users"], serde_json::json!([]));

    let one = app
        .get(&format!("/v1/auth/users/{staff_id}"), Some(&admin))
        .await;
    assert_eq!(one.status, 200);
    assert_eq!(one.body["data"]["role"], "warehouse_staff");
    assert_eq!(
        one.body["data"]["groups"],
        serde_json::json!(["warehouse_staff"])
    );
    let missing = app
        .get(
            &format!("/v1/auth/users/{}", uuid::Uuid::new_v4()),
            Some(&admin),
        )
        .await;
    assert_eq!(missing.status, 404);
    assert_eq!(
        app.get("/v1/auth/users/not-a-uuid", Some(&admin))
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn bad_list_parameters_are_400() {
    let app = App::spawn().await;
    let admin = app.admin_token().await;
    for query in [
        "limit=0",
        "limit=61",
        "limit=x",
        "role=customer",
        "role=root",
        "email=a&username=b",
        "next_token=garbage",
    ] {
        let res = app
            .get(&format!("/v1/auth/users?{query}"), Some(&admin))
            .await;
        assert_eq!(res.status, 400, "{query} → {res:?}");
    }
}
