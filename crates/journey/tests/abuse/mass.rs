//! Issue 15 item 3 (OWASP API3 mass assignment): fields a client must not set — price and names in the cart,
//! `status`, `user_id`/`userId`, `role`, `sku`, totals, ids — are ignored or refused, and the stored values
//! read back afterwards are the service's own.

use serde_json::json;

use crate::support::{unknown_id, Body, Ctx, Form, Who};

pub async fn mass_assignment(ctx: &Ctx) {
    let f = &ctx.findings;
    let z = unknown_id();
    let (a, b, admin) = (Who::CustomerA, Who::CustomerB, Who::Admin);

    // Cart: price, name, owner and id from the client are ignored (api/cart.md §3.3).
    let added = ctx
        .call(
            a,
            "POST",
            "cart",
            "/v1/carts",
            &Body::Json(json!({
            "product_id": ctx.p[1], "product_quantity": 1, "product_price": 0.01,
            "product_name": "Free car", "product_image_url": "https://evil.example/x.png",
            "user_id": ctx.b.user_id, "id": z, "created_at": "2000-01-01T00:00:00Z"})),
        )
        .await;
    let line = added.data().clone();
    f.check(
        added.status == 201
            && line["product_price"].as_f64() == Some(2000.0)
            && line["product_name"] == "Abuse car 1"
            && line["user_id"] == ctx.a.user_id.as_str()
            && line["id"] != z.as_str(),
        || format!("mass: cart add stored client fields: {}", added.text),
    );
    let la = &ctx.a_lines[0];
    let path = format!("/v1/carts/{la}");
    let before = ctx.call(a, "GET", "cart", &path, &Body::None).await;
    let patched = ctx
        .call(
            a,
            "PATCH",
            "cart",
            &path,
            &Body::Json(json!({
            "product_quantity": 2, "product_price": 1, "product_id": ctx.p[2],
            "product_name": "Free", "user_id": ctx.b.user_id, "id": z})),
        )
        .await;
    let after = ctx.call(a, "GET", "cart", &path, &Body::None).await;
    for field in [
        "product_price",
        "product_id",
        "product_name",
        "user_id",
        "id",
    ] {
        f.check(after.data()[field] == before.data()[field], || {
            format!(
                "mass: cart PATCH changed {field}: {} → {}",
                before.text, after.text
            )
        });
    }
    f.check(
        patched.status == 200 && after.data()["product_quantity"] == 2,
        || format!("mass: cart PATCH of the quantity failed: {}", patched.text),
    );

    // Order: price, status, owner, totals and payment fields are the service's (api/order.md §3.1).
    let created = ctx
        .raw("POST", "order", "/v1/orders", &Body::Json(json!({
            "items": [{"product_id": ctx.p[3], "quantity": 1, "price": 0.01, "note": "",
                       "shipping_cost": 0, "sku": "SKU-evil"}],
            "address": {"street": "Jl. Abuse 2", "city": "Kota", "state": "Jawa", "zipcode": "10250"},
            "status": "DELIVERED", "user_id": ctx.b.user_id, "id": z, "total_price": 1, "subtotal": 1,
            "shipping_total": 0, "payment_status": "APPROVED", "refund_status": "REFUNDED"})),
            &[("authorization".into(), format!("Bearer {}", ctx.a.token)),
              ("idempotency-key".into(), "abuse-mass-order".into())])
        .await;
    if created.status == 201 {
        let id = created.data()["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let o = ctx
            .call(a, "GET", "order", &format!("/v1/orders/{id}"), &Body::None)
            .await;
        let d = o.data();
        f.check(
            d["status"] == "PENDING"
                && d["user_id"] == ctx.a.user_id.as_str()
                && id != z
                && d["items"][0]["price"].as_f64() == Some(4000.0)
                && d["items"][0]["sku"] != "SKU-evil"
                && d["subtotal"].as_f64() == Some(4000.0)
                && d["total_price"].as_f64().unwrap_or(0.0) >= 4000.0
                && d["payment_status"] == ""
                && d["refund_status"] == "",
            || format!("mass: order stored client fields: {}", o.text),
        );
        // The customer cancels it, so its stock goes back.
        ctx.call(
            a,
            "POST",
            "order",
            &format!("/v1/orders/{id}/cancel"),
            &Body::Json(json!({})),
        )
        .await;
    } else {
        f.check(false, || {
            format!("mass: order create with extra fields: {}", created.text)
        });
    }

    // Payment: status, owner, amount and review fields from the form are ignored (api/payment.md §2.1).
    let form = ctx
        .png_form(&ctx.b_order)
        .text("status", "APPROVED")
        .text("userId", &ctx.a.user_id)
        .text("totalAmount", "1")
        .text("id", &z)
        .text("reviewedBy", &ctx.b.user_id)
        .text("adminNote", "approved by myself");
    let up = ctx
        .call(b, "POST", "payment", "/v1/payments", &Body::Form(form))
        .await;
    if up.status == 201 {
        let id = up.data()["id"].as_str().unwrap_or_default().to_string();
        let p = ctx
            .call(
                b,
                "GET",
                "payment",
                &format!("/v1/payments/{id}"),
                &Body::None,
            )
            .await;
        let order = ctx
            .call(
                b,
                "GET",
                "order",
                &format!("/v1/orders/{}", ctx.b_order),
                &Body::None,
            )
            .await;
        let d = p.data();
        f.check(
            d["status"] == "PENDING"
                && d["userId"] == ctx.b.user_id.as_str()
                && id != z
                && d["reviewedBy"].is_null()
                && d["adminNote"].is_null()
                && d["totalAmount"] == order.data()["total_price"],
            || {
                format!(
                    "mass: payment stored client fields: {} (order {})",
                    p.text, order.text
                )
            },
        );
    } else {
        f.check(false, || {
            format!("mass: proof upload with extra parts: {}", up.text)
        });
    }

    // Auth: role, groups, email and username cannot be set by the user (api/auth.md §4.2, §4.9).
    let patched = ctx
        .call(
            a,
            "PATCH",
            "auth",
            "/v1/auth/me",
            &Body::Json(json!({
            "name": "Alice Abuse", "role": "admin", "custom:role": "admin", "groups": ["admin"],
            "email": "evil@journey.local", "username": "root", "user_id": ctx.b.user_id})),
        )
        .await;
    let me = ctx.call(a, "GET", "auth", "/v1/auth/me", &Body::None).await;
    f.check(
        patched.status == 200
            && me.data()["role"] == "customer"
            && me.data()["email"] == "abuse-alice@journey.local"
            && me.data()["username"] == "abuse-alice"
            && me.data()["user_id"] == ctx.a.user_id.as_str()
            && me.data()["name"] == "Alice Abuse",
        || {
            format!(
                "mass: PATCH /me stored forbidden fields: {} / {}",
                patched.text, me.text
            )
        },
    );
    let relogin = ctx.shop.login("abuse-alice", "Customer-Pass1").await;
    let token_me = ctx
        .raw(
            "GET",
            "auth",
            &format!("/v1/auth/{}", relogin.token),
            &Body::None,
            &[],
        )
        .await;
    f.check(token_me.data()["role"] == "customer", || {
        format!(
            "mass: A's new token carries another role: {}",
            token_me.text
        )
    });
    let signup = ctx
        .call(Who::Anonymous, "POST", "auth", "/v1/auth/signup", &Body::Json(json!({
            "username": "abuse-mallory", "email": "abuse-mallory@journey.local", "password": "Customer-Pass1",
            "role": "admin", "custom:role": "admin", "groups": ["admin"], "confirmed": true})))
        .await;
    f.check(signup.status == 201, || {
        format!("mass: signup with role: {}", signup.text)
    });
    ctx.call(
        Who::Anonymous,
        "POST",
        "auth",
        "/v1/auth/confirm",
        &Body::Json(json!({"username": "abuse-mallory", "code": "123456"})),
    )
    .await;
    let login = ctx
        .call(
            Who::Anonymous,
            "POST",
            "auth",
            "/v1/auth/login",
            &Body::Json(json!({"username": "abuse-mallory", "password": "Customer-Pass1"})),
        )
        .await;
    f.check(
        login.status == 200 && login.data()["role"] == "customer",
        || format!("mass: a sign-up asking for admin got: {}", login.text),
    );

    // Product: sku, quantity, version and id are the service's (api/product.md §3).
    let ppath = format!("/v1/products/{}", ctx.p[0]);
    let before = ctx
        .call(Who::Anonymous, "GET", "product", &ppath, &Body::None)
        .await;
    let form = Form::default()
        .text("name", "Abuse car 0")
        .text("sku", "SKU-evil")
        .text("quantity", "99999")
        .text("version", "999")
        .text("id", &z)
        .text("created_at", "2000-01-01T00:00:00Z");
    let put = ctx
        .call(admin, "PUT", "product", &ppath, &Body::Form(form))
        .await;
    let after = ctx
        .call(Who::Anonymous, "GET", "product", &ppath, &Body::None)
        .await;
    f.check(
        matches!(put.status, 200 | 400)
            && after.data()["sku"] == before.data()["sku"]
            && after.data()["quantity"] == before.data()["quantity"]
            && after.data()["id"] == before.data()["id"]
            && after.data()["created_at"] == before.data()["created_at"]
            && after.data()["version"].as_i64() != Some(999),
        || {
            format!(
                "mass: product PUT stored forbidden parts ({}): {} → {}",
                put.text, before.text, after.text
            )
        },
    );

    // Warehouse: a new warehouse is never the main one, its id is the service's; stock counts are not
    // writable through the threshold route (api/warehouse.md §2.2, S6).
    let w = ctx
        .call(admin, "POST", "warehouse", "/v1/warehouse", &Body::Json(json!({
            "name": "Abuse Mass", "street": "Jl. Mass 1", "city": "Kota", "state": "Jawa", "zip_code": "20111",
            "is_main_warehouse": true, "id": z})))
        .await;
    let main = ctx
        .call(
            admin,
            "GET",
            "warehouse",
            &format!("/v1/warehouse/{}", ctx.main_warehouse()),
            &Body::None,
        )
        .await;
    f.check(
        w.status == 201
            && w.data()["is_main_warehouse"] == false
            && w.data()["id"] != z.as_str()
            && main.data()["is_main_warehouse"] == true,
        || {
            format!(
                "mass: warehouse create stored client fields: {} (main {})",
                w.text, main.text
            )
        },
    );
    let spath = format!(
        "/v1/warehouse-products/product/{}/warehouse/{}",
        ctx.p[0],
        ctx.main_warehouse()
    );
    let before = ctx
        .call(admin, "GET", "warehouse", &spath, &Body::None)
        .await;
    let stock_id = before.data()["id"].as_str().unwrap_or_default().to_string();
    let patch = ctx
        .call(
            admin,
            "PATCH",
            "warehouse",
            &format!("/v1/warehouse-products/{stock_id}"),
            &Body::Json(json!({
            "low_stock_threshold": 3, "product_quantity": 99999, "reserved_quantity": 0,
            "product_price": 1, "warehouse_id": z})),
        )
        .await;
    let after = ctx
        .call(admin, "GET", "warehouse", &spath, &Body::None)
        .await;
    f.check(
        patch.status == 200
            && after.data()["product_quantity"] == before.data()["product_quantity"]
            && after.data()["product_price"] == before.data()["product_price"]
            && after.data()["warehouse_id"] == before.data()["warehouse_id"]
            && after.data()["low_stock_threshold"] == 3,
        || {
            format!(
                "mass: stock PATCH stored forbidden fields: {} → {}",
                before.text, after.text
            )
        },
    );

    // Sales: the cost entry's product and author are the path's and the caller's.
    let cost = ctx
        .call(
            admin,
            "PUT",
            "sales-report",
            &format!("/v1/sales/cost-prices/{}", ctx.p[1]),
            &Body::Json(json!({
            "cost_price": 1500, "product_id": z, "updated_by": ctx.a.user_id})),
        )
        .await;
    f.check(
        cost.status == 200
            && cost.data()["product_id"] == ctx.p[1].as_str()
            && cost.data()["updated_by"] != ctx.a.user_id.as_str(),
        || format!("mass: cost price stored client fields: {}", cost.text),
    );
    eprintln!(
        "mass assignment: cart, order, payment, auth, product, warehouse, sales-report checked"
    );
}
