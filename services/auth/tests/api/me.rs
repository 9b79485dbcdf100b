//! The caller's own profile (api/auth.md §8 check 14; issue 3 check 4).

use serde_json::json;

use super::support::{token, unique, App};

#[tokio::test]
async fn a_customer_updates_phone_and_address_and_reads_them_back_via_me() {
    let app = App::spawn().await;
    let name = unique("ivy");
    let email = format!("{name}@example.com");
    let user_id = app.register(&name, &email).await;
    let access = token(&app.login(&name).await);
    let me = |body| app.send("PATCH", "/v1/auth/me", Some(&access), Some(body), &[]);
    let address =
        json!({"street": "1 Main St", "city": "Springfield", "state": "IL", "zipcode": "62701"});
    let updated = me(
        json!({"phone_number": "+4915112345678", "address": address, "name": "Ivy",
                            "email": "evil@example.com", "role": "admin", "custom:role": "admin",
                            "groups": ["admin"]}),
    )
    .await;
    assert_eq!(updated.status, 200, "{updated:?}");
    assert_eq!(updated.body["message"], "success update");

    let read = app.get("/v1/auth/me", Some(&access)).await;
    assert_eq!(read.status, 200, "{read:?}");
    let user = &read.body["data"];
    assert_eq!(user["user_id"], user_id.as_str());
    assert_eq!(user["phone_number"], "+4915112345678");
    assert_eq!(user["address"], address);
    assert_eq!(user["name"], "Ivy");
    assert_eq!(
        user["email"],
        email.as_str(),
        "email cannot be changed here"
    );
    assert_eq!(user["role"], "customer");
    assert_eq!(user["groups"], json!([]));
    assert_eq!(user["email_verified"], true);
    assert_eq!(user["status"], "CONFIRMED");
    assert_eq!(user["enabled"], true);
    assert_eq!(
        app.attribute(&name, "custom:role").await.as_deref(),
        Some("customer")
    );

    let removed = me(json!({"address": null})).await;
    assert_eq!(removed.status, 200, "{removed:?}");
    assert_eq!(removed.body["data"]["address"], serde_json::Value::Null);
    assert_eq!(removed.body["data"]["phone_number"], "+4915112345678");

    for (body, field) in [
        (json!({"phone_number": "0812"}), "phone_number"),
        (
            json!({"address": {"street": "a", "city": "b", "state": "c", "zipcode": "12a45"}}),
            "address.zipcode",
        ),
        (
            json!({"address": {"street": "a", "state": "c", "zipcode": "12345"}}),
            "address.city",
        ),
    ] {
        let res = me(body.clone()).await;
        assert_eq!(res.status, 400, "{body} → {res:?}");
        assert_eq!(res.body["error"]["causes"][0]["field"], field);
    }
    for body in [
        json!({}),
        json!({"email": "x@example.com", "role": "admin"}),
    ] {
        let res = me(body).await;
        assert_eq!(res.status, 400);
        assert_eq!(res.message(), "nothing to update");
    }
    assert_eq!(app.get("/v1/auth/me", None).await.status, 401);
}
