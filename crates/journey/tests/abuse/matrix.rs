//! Issue 15 item 2 (OWASP API1 BOLA, API5 function-level authorization): every `/v1` and `/internal` route of
//! every service × seven callers, each cell with the status its contract gives (api/*.md route tables and
//! auth.md §2.4–2.6), on the real binaries. Probes use unknown ids or refused bodies where a success would
//! change the world, so the cells do not depend on each other; customer A is probed last in each row, so a
//! row whose success removes something shows every other caller's refusal first.

use serde_json::{json, Value};

use crate::support::{unknown_id, Body, Ctx, Form, Who};

/// The columns, in the order the cells are written in a row.
const COLUMNS: [Who; 7] = [
    Who::Anonymous,
    Who::CustomerA,
    Who::CustomerB,
    Who::Staff,
    Who::Manager,
    Who::Admin,
    Who::Service("order"),
];

struct Row {
    svc: &'static str,
    method: &'static str,
    path: String,
    body: Body,
    /// Expected status per column; `None` = not probed (a success would destroy a fixture).
    cells: [Option<u16>; 7],
    /// Whose token the service column sends.
    caller: &'static str,
}

fn cells(spec: &str) -> [Option<u16>; 7] {
    let v: Vec<Option<u16>> = spec
        .split_whitespace()
        .map(|c| (c != "-").then(|| c.parse().expect("a status")))
        .collect();
    v.try_into().expect("seven cells")
}

fn row(
    svc: &'static str,
    method: &'static str,
    path: impl Into<String>,
    body: Body,
    spec: &str,
) -> Row {
    Row {
        svc,
        method,
        path: path.into(),
        body,
        cells: cells(spec),
        caller: "order",
    }
}

fn internal(
    svc: &'static str,
    method: &'static str,
    path: impl Into<String>,
    body: Body,
    caller: &'static str,
    status: u16,
) -> Row {
    // A user's bearer token never opens an internal route (auth.md §2.6): 401 for every person.
    Row {
        caller,
        ..row(
            svc,
            method,
            path,
            body,
            &format!("401 401 401 401 401 401 {status}"),
        )
    }
}

fn j(v: Value) -> Body {
    Body::Json(v)
}

fn rows(ctx: &Ctx) -> Vec<Row> {
    let z = unknown_id();
    let p0 = &ctx.p[0];
    let a_order = &ctx.a_order;
    let b_order = &ctx.b_order;
    let pay = &ctx.a_payment;
    let main = ctx.main_warehouse();
    let cat = &ctx.category;
    let a_id = &ctx.a.user_id;
    let [la0, la1, la2] = [&ctx.a_lines[0], &ctx.a_lines[1], &ctx.a_lines[2]];
    let address =
        json!({"street": "Jl. Abuse 1", "city": "Kota", "state": "Jawa", "zipcode": "10250"});
    let everyone = "200 200 200 200 200 200 200";
    let signed_in = |ok: u16| format!("401 {ok} {ok} {ok} {ok} {ok} 401");
    let admin_only = |ok: u16| format!("401 403 403 403 403 {ok} 401");
    let staff = |ok: u16| format!("401 403 403 {ok} {ok} {ok} 401");
    let managers = |ok: u16| format!("401 403 403 403 {ok} {ok} 401");
    let owner_or_admin = "401 200 403 403 403 200 401";
    let owner_only = |ok: u16| format!("401 {ok} 403 403 403 403 401");
    let form_name = || Body::Form(Form::default().text("name", "Abuse renamed"));
    let mut r = vec![
        // auth (api/auth.md §3): public routes refuse an empty body with 400 for anyone, whatever they send.
        row(
            "auth",
            "POST",
            "/v1/auth/signup",
            j(json!({})),
            "400 400 400 400 400 400 400",
        ),
        row(
            "auth",
            "POST",
            "/v1/auth/confirm",
            j(json!({})),
            "400 400 400 400 400 400 400",
        ),
        row(
            "auth",
            "POST",
            "/v1/auth/resend-code",
            j(json!({})),
            "400 400 400 400 400 400 400",
        ),
        row(
            "auth",
            "POST",
            "/v1/auth/login",
            j(json!({})),
            "400 400 400 400 400 400 400",
        ),
        row(
            "auth",
            "POST",
            "/v1/auth/refresh",
            j(json!({})),
            "400 400 400 400 400 400 400",
        ),
        row(
            "auth",
            "POST",
            "/v1/auth/forgot-password",
            j(json!({})),
            "400 400 400 400 400 400 400",
        ),
        row(
            "auth",
            "POST",
            "/v1/auth/reset-password",
            j(json!({})),
            "400 400 400 400 400 400 400",
        ),
        row(
            "auth",
            "GET",
            format!("/v1/auth/{}", ctx.a.token),
            Body::None,
            everyone,
        ),
        row("auth", "GET", "/v1/auth/me", Body::None, &signed_in(200)),
        row(
            "auth",
            "PATCH",
            "/v1/auth/me",
            j(json!({})),
            &signed_in(400),
        ),
        row(
            "auth",
            "DELETE",
            "/v1/auth/me",
            Body::None,
            "401 - - - - - 401",
        ),
        row(
            "auth",
            "POST",
            "/v1/auth/logout",
            Body::None,
            &signed_in(200),
        ),
        row(
            "auth",
            "POST",
            "/v1/auth/change-password",
            j(json!({"current_password": "Wrong-Pass1", "new_password": "Another-Pass2"})),
            &signed_in(422),
        ),
        row(
            "auth",
            "GET",
            "/v1/auth/users",
            Body::None,
            &admin_only(200),
        ),
        row(
            "auth",
            "GET",
            format!("/v1/auth/users/{a_id}"),
            Body::None,
            &admin_only(200),
        ),
        row(
            "auth",
            "PUT",
            format!("/v1/auth/users/{z}/role"),
            j(json!({"role": "customer"})),
            &admin_only(404),
        ),
        row(
            "auth",
            "PUT",
            format!("/v1/auth/users/{z}/enabled"),
            j(json!({"enabled": true})),
            &admin_only(404),
        ),
        // product (api/product.md §2): catalogue reads are public and never read Authorization.
        row("product", "GET", "/v1/products", Body::None, everyone),
        row(
            "product",
            "GET",
            "/v1/products?include_deleted=true",
            Body::None,
            "401 403 403 403 200 200 401",
        ),
        row(
            "product",
            "GET",
            format!("/v1/products/{p0}"),
            Body::None,
            everyone,
        ),
        row(
            "product",
            "GET",
            format!("/v1/products/category/{cat}"),
            Body::None,
            everyone,
        ),
        row(
            "product",
            "POST",
            "/v1/products/categories",
            j(json!({"category_ids": [cat]})),
            everyone,
        ),
        row(
            "product",
            "POST",
            "/v1/products",
            form_name(),
            "401 403 403 403 400 400 401",
        ),
        row(
            "product",
            "PUT",
            format!("/v1/products/{z}"),
            form_name(),
            "401 403 403 403 404 404 401",
        ),
        row(
            "product",
            "DELETE",
            format!("/v1/products/{z}"),
            Body::None,
            "401 403 403 403 404 404 401",
        ),
        row(
            "product",
            "DELETE",
            format!("/v1/products/{z}/category/{cat}"),
            Body::None,
            "401 403 403 403 404 404 401",
        ),
        row("product", "GET", "/v1/categories", Body::None, everyone),
        row(
            "product",
            "GET",
            format!("/v1/categories/{cat}"),
            Body::None,
            everyone,
        ),
        row(
            "product",
            "GET",
            format!("/v1/categories/parent/{cat}"),
            Body::None,
            everyone,
        ),
        row(
            "product",
            "POST",
            "/v1/categories",
            j(json!({"name": ""})),
            &admin_only(400),
        ),
        row(
            "product",
            "PUT",
            format!("/v1/categories/{z}"),
            j(json!({"name": "Abuse"})),
            &admin_only(404),
        ),
        row(
            "product",
            "DELETE",
            format!("/v1/categories/{z}"),
            Body::None,
            &admin_only(404),
        ),
        internal(
            "product",
            "POST",
            "/internal/products/lookup",
            j(json!({"ids": [p0]})),
            "cart",
            200,
        ),
        internal(
            "product",
            "POST",
            "/internal/products/lookup",
            j(json!({"ids": [p0]})),
            "order",
            200,
        ),
        internal(
            "product",
            "POST",
            "/internal/products/lookup",
            j(json!({"ids": [p0]})),
            "warehouse",
            403,
        ),
        internal(
            "product",
            "POST",
            "/internal/products/lookup",
            j(json!({"ids": [p0]})),
            "payment",
            401,
        ),
        internal(
            "product",
            "POST",
            "/internal/events",
            j(Ctx::envelope("warehouse")),
            "warehouse",
            200,
        ),
        internal(
            "product",
            "POST",
            "/internal/events",
            j(Ctx::envelope("cart")),
            "cart",
            403,
        ),
        internal(
            "product",
            "POST",
            "/internal/events",
            j(Ctx::envelope("order")),
            "warehouse",
            403,
        ),
        // warehouse (api/warehouse.md §2): customers get 403 on every /v1 route.
        row(
            "warehouse",
            "POST",
            "/v1/warehouse",
            j(json!({"name": ""})),
            &managers(400),
        ),
        row("warehouse", "GET", "/v1/warehouse", Body::None, &staff(200)),
        row(
            "warehouse",
            "GET",
            format!("/v1/warehouse/{main}"),
            Body::None,
            &staff(200),
        ),
        row(
            "warehouse",
            "PATCH",
            format!("/v1/warehouse/{z}"),
            j(json!({"name": "Abuse"})),
            &managers(404),
        ),
        row(
            "warehouse",
            "POST",
            "/v1/warehouse/nearest",
            j(json!({"zip_codes": ["10250"]})),
            &staff(200),
        ),
        row(
            "warehouse",
            "POST",
            format!("/v1/warehouse/{z}/main"),
            Body::None,
            &managers(404),
        ),
        row(
            "warehouse",
            "DELETE",
            format!("/v1/warehouse/{z}"),
            Body::None,
            &managers(404),
        ),
        row(
            "warehouse",
            "GET",
            "/v1/warehouse-products?limit=1",
            Body::None,
            &staff(200),
        ),
        row(
            "warehouse",
            "GET",
            format!("/v1/warehouse-products/product/{p0}"),
            Body::None,
            &staff(200),
        ),
        row(
            "warehouse",
            "GET",
            format!("/v1/warehouse-products/warehouse/{main}"),
            Body::None,
            &staff(200),
        ),
        row(
            "warehouse",
            "GET",
            format!("/v1/warehouse-products/product/{p0}/warehouse/{main}"),
            Body::None,
            &staff(200),
        ),
        row(
            "warehouse",
            "POST",
            "/v1/warehouse-products/nearest",
            j(json!({"zip_code": "10250", "product_id": p0, "quantity": 1})),
            &staff(200),
        ),
        row(
            "warehouse",
            "PATCH",
            format!("/v1/warehouse-products/{z}"),
            j(json!({"low_stock_threshold": 5})),
            &managers(404),
        ),
        row(
            "warehouse",
            "GET",
            "/v1/stock-alerts",
            Body::None,
            &staff(200),
        ),
        row(
            "warehouse",
            "POST",
            "/v1/stock-movements/movein",
            j(json!({})),
            &staff(400),
        ),
        row(
            "warehouse",
            "POST",
            "/v1/stock-movements/moveout",
            j(json!({})),
            &managers(400),
        ),
        row(
            "warehouse",
            "POST",
            "/v1/stock-movements/adjust",
            j(json!({})),
            &managers(400),
        ),
        row(
            "warehouse",
            "GET",
            "/v1/stock-movements?limit=1",
            Body::None,
            &staff(200),
        ),
        row(
            "warehouse",
            "GET",
            format!("/v1/stock-movements/product/{p0}"),
            Body::None,
            &staff(200),
        ),
        row(
            "warehouse",
            "GET",
            format!("/v1/stock-movements/source/{main}"),
            Body::None,
            &staff(200),
        ),
        row(
            "warehouse",
            "GET",
            format!("/v1/stock-movements/destination/{main}"),
            Body::None,
            &staff(200),
        ),
        row(
            "warehouse",
            "GET",
            "/v1/reservations",
            Body::None,
            &managers(200),
        ),
        row(
            "warehouse",
            "GET",
            format!("/v1/reservations/{a_order}"),
            Body::None,
            &managers(200),
        ),
        row(
            "warehouse",
            "POST",
            format!("/v1/reservations/{z}/release"),
            Body::None,
            &admin_only(404),
        ),
        internal(
            "warehouse",
            "POST",
            "/internal/reservations",
            j(json!({})),
            "order",
            400,
        ),
        internal(
            "warehouse",
            "POST",
            "/internal/reservations",
            j(json!({})),
            "product",
            403,
        ),
        internal(
            "warehouse",
            "POST",
            "/internal/reservations",
            j(json!({})),
            "cart",
            401,
        ),
        internal(
            "warehouse",
            "POST",
            "/internal/reservations/quote",
            j(json!({})),
            "order",
            400,
        ),
        internal(
            "warehouse",
            "POST",
            "/internal/reservations/quote",
            j(json!({})),
            "product",
            403,
        ),
        internal(
            "warehouse",
            "POST",
            format!("/internal/reservations/{z}/commit"),
            Body::None,
            "order",
            404,
        ),
        internal(
            "warehouse",
            "POST",
            format!("/internal/reservations/{z}/commit"),
            Body::None,
            "product",
            403,
        ),
        internal(
            "warehouse",
            "POST",
            format!("/internal/reservations/{z}/release"),
            Body::None,
            "order",
            404,
        ),
        internal(
            "warehouse",
            "POST",
            format!("/internal/reservations/{z}/release"),
            Body::None,
            "product",
            403,
        ),
        internal(
            "warehouse",
            "POST",
            "/internal/events",
            j(Ctx::envelope("product")),
            "product",
            200,
        ),
        internal(
            "warehouse",
            "POST",
            "/internal/events",
            j(Ctx::envelope("order")),
            "order",
            200,
        ),
        internal(
            "warehouse",
            "POST",
            "/internal/events",
            j(Ctx::envelope("order")),
            "product",
            403,
        ),
        internal(
            "warehouse",
            "POST",
            "/internal/events",
            j(Ctx::envelope("cart")),
            "cart",
            401,
        ),
        // cart (api/cart.md §2): a line of another user → 403, nothing changes.
        row("cart", "GET", "/v1/carts/user", Body::None, &signed_in(200)),
        row(
            "cart",
            "GET",
            format!("/v1/carts/{la0}"),
            Body::None,
            &owner_only(200),
        ),
        row(
            "cart",
            "GET",
            format!("/v1/carts/{z}"),
            Body::None,
            &signed_in(404),
        ),
        row(
            "cart",
            "POST",
            "/v1/carts",
            j(json!({"product_id": p0, "product_quantity": 0})),
            &signed_in(400),
        ),
        row(
            "cart",
            "PATCH",
            format!("/v1/carts/{la0}"),
            j(json!({"product_quantity": 1})),
            &owner_only(200),
        ),
        row(
            "cart",
            "DELETE",
            format!("/v1/carts/{la1}"),
            Body::None,
            &owner_only(200),
        ),
        row(
            "cart",
            "PATCH",
            "/v1/carts/deletes",
            j(json!({"cart_ids": [la2]})),
            &owner_only(200),
        ),
        row(
            "cart",
            "POST",
            "/v1/carts/checkout",
            j(json!({"cart_ids": [z], "address": address})),
            &signed_in(409),
        ),
        internal(
            "cart",
            "POST",
            "/internal/events",
            j(Ctx::envelope("product")),
            "product",
            200,
        ),
        internal(
            "cart",
            "POST",
            "/internal/events",
            j(Ctx::envelope("order")),
            "order",
            401,
        ),
        // order (api/order.md §2)
        row("order", "POST", "/v1/orders", j(json!({})), &signed_in(400)),
        row(
            "order",
            "GET",
            "/v1/orders/user",
            Body::None,
            &signed_in(200),
        ),
        row("order", "GET", "/v1/orders", Body::None, &staff(200)),
        row(
            "order",
            "GET",
            format!("/v1/orders/{a_order}"),
            Body::None,
            owner_or_admin,
        ),
        row(
            "order",
            "GET",
            format!("/v1/orders/{a_order}/ttl"),
            Body::None,
            owner_or_admin,
        ),
        row(
            "order",
            "GET",
            format!("/v1/orders/{a_order}/history"),
            Body::None,
            owner_or_admin,
        ),
        // A's order has a proof under review: the owner gets 409, everyone else 403 (admins use O6).
        row(
            "order",
            "POST",
            format!("/v1/orders/{a_order}/cancel"),
            j(json!({})),
            &owner_only(409),
        ),
        row(
            "order",
            "PATCH",
            format!("/v1/orders/{a_order}/status"),
            j(json!({"status": "DELIVERED", "note": "abuse"})),
            "401 403 403 403 403 409 401",
        ),
        row(
            "order",
            "POST",
            "/v1/orders/quote",
            j(json!({})),
            &signed_in(400),
        ),
        row(
            "order",
            "POST",
            format!("/v1/orders/{z}/refund"),
            j(json!({"note": "abuse"})),
            &admin_only(404),
        ),
        internal(
            "order",
            "GET",
            format!("/internal/orders/{b_order}/payment-eligibility"),
            Body::None,
            "payment",
            200,
        ),
        internal(
            "order",
            "GET",
            format!("/internal/orders/{b_order}/payment-eligibility?user_id={a_id}"),
            Body::None,
            "payment",
            403,
        ),
        internal(
            "order",
            "GET",
            format!("/internal/orders/{b_order}/payment-eligibility"),
            Body::None,
            "cart",
            401,
        ),
        internal(
            "order",
            "POST",
            "/internal/events",
            j(Ctx::envelope("payment")),
            "payment",
            200,
        ),
        internal(
            "order",
            "POST",
            "/internal/events",
            j(Ctx::envelope("order")),
            "payment",
            403,
        ),
        internal(
            "order",
            "POST",
            "/internal/events",
            j(Ctx::envelope("product")),
            "product",
            401,
        ),
        // payment (api/payment.md §2)
        row(
            "payment",
            "POST",
            "/v1/payments",
            Body::Form(ctx.png_form(&z)),
            &signed_in(404),
        ),
        row(
            "payment",
            "GET",
            "/v1/payments",
            Body::None,
            &signed_in(200),
        ),
        row(
            "payment",
            "GET",
            format!("/v1/payments/{pay}"),
            Body::None,
            owner_or_admin,
        ),
        row(
            "payment",
            "GET",
            format!("/v1/payments/{pay}/proof"),
            Body::None,
            "401 302 403 403 403 302 401",
        ),
        row(
            "payment",
            "PATCH",
            "/v1/payments",
            j(json!({"paymentId": z, "status": "APPROVED", "adminNote": "", "rejectOrder": false})),
            &admin_only(404),
        ),
        // sales-report (api/sales-report.md §2): admin only.
        row(
            "sales-report",
            "GET",
            "/v1/sales",
            Body::None,
            &admin_only(200),
        ),
        row(
            "sales-report",
            "GET",
            "/v1/sales/summary",
            Body::None,
            &admin_only(200),
        ),
        row(
            "sales-report",
            "GET",
            "/v1/sales/xlsx-report",
            Body::None,
            &admin_only(200),
        ),
        row(
            "sales-report",
            "GET",
            "/v1/sales/csv-report",
            Body::None,
            &admin_only(200),
        ),
        row(
            "sales-report",
            "GET",
            "/v1/sales/pdf-report",
            Body::None,
            &admin_only(200),
        ),
        row(
            "sales-report",
            "GET",
            "/v1/sales/cost-prices",
            Body::None,
            &admin_only(200),
        ),
        row(
            "sales-report",
            "PUT",
            format!("/v1/sales/cost-prices/{p0}"),
            j(json!({"cost_price": 800})),
            &admin_only(200),
        ),
        row(
            "sales-report",
            "DELETE",
            format!("/v1/sales/cost-prices/{z}"),
            Body::None,
            &admin_only(404),
        ),
        internal(
            "sales-report",
            "POST",
            "/internal/events",
            j(Ctx::envelope("order")),
            "order",
            200,
        ),
        internal(
            "sales-report",
            "POST",
            "/internal/events",
            j(Ctx::envelope("order")),
            "payment",
            401,
        ),
    ];
    // Every service: the operational routes are public.
    for svc in journey::fleet::SERVICES {
        for path in ["/health", "/ready", "/openapi.json"] {
            r.push(row(svc, "GET", path, Body::None, everyone));
        }
    }
    r
}

/// Runs the matrix; returns the number of cells probed.
pub async fn authorization_matrix(ctx: &Ctx) -> usize {
    let rows = rows(ctx);
    let mut probed = 0;
    // Customer A last (index 1): a success that removes a fixture comes after every refusal.
    let order = [0usize, 2, 3, 4, 5, 6, 1];
    for row in &rows {
        for &i in &order {
            let Some(want) = row.cells[i] else { continue };
            let who = match COLUMNS[i] {
                Who::Service(_) => Who::Service(row.caller),
                w => w,
            };
            let got = ctx
                .call(who, row.method, row.svc, &row.path, &row.body)
                .await;
            probed += 1;
            ctx.findings.check(got.status == want, || {
                format!(
                    "matrix: {} {} {} as {}: want {want}, got {} {}",
                    row.svc,
                    row.method,
                    short(&row.path),
                    who.label(),
                    got.status,
                    got.text.chars().take(200).collect::<String>()
                )
            });
        }
    }
    eprintln!(
        "authorization matrix: {} routes × callers = {probed} cells",
        rows.len()
    );
    probed
}

fn short(path: &str) -> String {
    if path.len() > 90 {
        format!("{}…", &path[..90])
    } else {
        path.to_string()
    }
}

/// Object-level checks: B can never read or change A's cart lines, orders or payments, and every attempt
/// leaves A's objects as they were (read back as A).
pub async fn bola(ctx: &Ctx) {
    let f = &ctx.findings;
    let b = Who::CustomerB;
    let la = &ctx.a_lines[0];
    let before = ctx
        .call(
            Who::CustomerA,
            "GET",
            "cart",
            &format!("/v1/carts/{la}"),
            &Body::None,
        )
        .await;
    let attempts: Vec<(&str, &str, String, Body, &[u16])> = vec![
        (
            "cart",
            "GET",
            format!("/v1/carts/{la}"),
            Body::None,
            &[403, 404],
        ),
        (
            "cart",
            "PATCH",
            format!("/v1/carts/{la}"),
            Body::Json(json!({"product_quantity": 7, "note": "mine now"})),
            &[403, 404],
        ),
        (
            "cart",
            "DELETE",
            format!("/v1/carts/{la}"),
            Body::None,
            &[403, 404],
        ),
        (
            "cart",
            "PATCH",
            "/v1/carts/deletes".into(),
            Body::Json(json!({"cart_ids": [la, ctx.b_line]})),
            &[403],
        ),
        (
            "cart",
            "POST",
            "/v1/carts/checkout".into(),
            Body::Json(
                json!({"cart_ids": [la], "address": {"street": "Jl. B 1", "city": "K", "state": "J",
                               "zipcode": "10250"}}),
            ),
            &[403],
        ),
        (
            "order",
            "GET",
            format!("/v1/orders/{}", ctx.a_order),
            Body::None,
            &[403, 404],
        ),
        (
            "order",
            "GET",
            format!("/v1/orders/{}/ttl", ctx.a_order),
            Body::None,
            &[403, 404],
        ),
        (
            "order",
            "GET",
            format!("/v1/orders/{}/history", ctx.a_order),
            Body::None,
            &[403, 404],
        ),
        (
            "order",
            "POST",
            format!("/v1/orders/{}/cancel", ctx.a_order),
            Body::Json(json!({})),
            &[403, 404],
        ),
        (
            "payment",
            "GET",
            format!("/v1/payments/{}", ctx.a_payment),
            Body::None,
            &[403, 404],
        ),
        (
            "payment",
            "GET",
            format!("/v1/payments/{}/proof", ctx.a_payment),
            Body::None,
            &[403, 404],
        ),
        (
            "payment",
            "GET",
            format!("/v1/payments?userId={}", ctx.a.user_id),
            Body::None,
            &[403],
        ),
        (
            "payment",
            "GET",
            format!("/v1/payments?orderId={}", ctx.a_order),
            Body::None,
            &[200],
        ),
        (
            "payment",
            "POST",
            "/v1/payments".into(),
            Body::Form(ctx.png_form(&ctx.a_order)),
            &[403, 409],
        ),
    ];
    for (svc, method, path, body, allowed) in &attempts {
        let got = ctx.call(b, method, svc, path, body).await;
        f.check(allowed.contains(&got.status), || {
            format!(
                "BOLA: B {method} {svc} {path}: want one of {allowed:?}, got {} {}",
                got.status, got.text
            )
        });
        // Nothing of A's may appear in what B gets back.
        let text = &got.text;
        f.check(
            !text.contains(&ctx.a.user_id) && !text.contains(&ctx.a_payment),
            || format!("BOLA: B {method} {svc} {path} shows A's data: {text}"),
        );
    }
    // B's own lists show none of A's objects.
    for (svc, path) in [
        ("cart", "/v1/carts/user"),
        ("order", "/v1/orders/user"),
        ("payment", "/v1/payments"),
    ] {
        let got = ctx.call(b, "GET", svc, path, &Body::None).await;
        f.check(
            got.status == 200 && !got.text.contains(&ctx.a.user_id),
            || format!("BOLA: B's {svc} list shows A's objects: {}", got.text),
        );
    }
    // A's objects are as they were.
    let after = ctx
        .call(
            Who::CustomerA,
            "GET",
            "cart",
            &format!("/v1/carts/{la}"),
            &Body::None,
        )
        .await;
    f.check(after.status == 200 && after.data() == before.data(), || {
        format!(
            "BOLA: A's cart line changed: before {} after {}",
            before.text, after.text
        )
    });
    let order = ctx
        .call(
            Who::CustomerA,
            "GET",
            "order",
            &format!("/v1/orders/{}", ctx.a_order),
            &Body::None,
        )
        .await;
    f.check(
        order.status == 200
            && order.data()["status"] == "PENDING"
            && order.data()["payment_id"] == ctx.a_payment.as_str(),
        || format!("BOLA: A's order changed: {}", order.text),
    );
    let payment = ctx
        .call(
            Who::CustomerA,
            "GET",
            "payment",
            &format!("/v1/payments/{}", ctx.a_payment),
            &Body::None,
        )
        .await;
    f.check(
        payment.status == 200
            && payment.data()["status"] == "PENDING"
            && payment.data()["userId"] == ctx.a.user_id.as_str(),
        || format!("BOLA: A's payment changed: {}", payment.text),
    );
    eprintln!("BOLA: {} attempts by B on A's objects", attempts.len());
}
