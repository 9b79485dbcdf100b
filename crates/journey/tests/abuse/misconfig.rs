//! Issue 15 item 6 (OWASP API8 security misconfiguration): CORS answers only the configured origins, and bad
//! input of every kind gets a 4xx in plain words — no stack trace, SQL, driver or SDK text (every answer
//! of the whole run also goes through `Ctx::inspect`).

use serde_json::json;

use crate::support::{unknown_id, Body, Ctx, Who};

/// The fleet does not set `CORS_ALLOWED_ORIGINS`, so the services use the documented default.
const ALLOWED: &str = "http://localhost:3000";
const UNKNOWN: &str = "https://evil.example";

pub async fn cors(ctx: &Ctx) -> usize {
    let f = &ctx.findings;
    let mut probes = 0;
    for svc in journey::fleet::SERVICES {
        for (origin, allowed) in [
            (ALLOWED, true),
            ("http://localhost:3001", true),
            (UNKNOWN, false),
            ("null", false),
        ] {
            let preflight = ctx
                .raw(
                    "OPTIONS",
                    svc,
                    "/v1/anything",
                    &Body::None,
                    &[
                        ("origin".into(), origin.into()),
                        ("access-control-request-method".into(), "POST".into()),
                        (
                            "access-control-request-headers".into(),
                            "authorization,content-type".into(),
                        ),
                    ],
                )
                .await;
            let simple = ctx
                .raw(
                    "GET",
                    svc,
                    "/health",
                    &Body::None,
                    &[("origin".into(), origin.into())],
                )
                .await;
            probes += 2;
            for (kind, got) in [("preflight", &preflight), ("simple GET", &simple)] {
                let acao = got
                    .headers
                    .get("access-control-allow-origin")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                if allowed {
                    f.check(acao.as_deref() == Some(origin), || {
                        format!("cors: {kind} from {origin} to {svc}: allow-origin {acao:?}")
                    });
                } else {
                    f.check(acao.is_none(), || {
                        format!(
                            "cors: {kind} from unknown {origin} to {svc} got allow-origin {acao:?}"
                        )
                    });
                }
            }
            if allowed {
                f.check(preflight.status == 204, || {
                    format!(
                        "cors: preflight from {origin} to {svc}: {}",
                        preflight.status
                    )
                });
            }
        }
    }
    eprintln!("cors: {probes} probes");
    probes
}

/// A JSON route per service with a caller allowed on it, so the body is what gets judged.
fn json_route(ctx: &Ctx, svc: &str) -> (&'static str, String, Who) {
    match svc {
        "auth" => ("POST", "/v1/auth/login".into(), Who::Anonymous),
        "product" => ("POST", "/v1/categories".into(), Who::Admin),
        "warehouse" => ("POST", "/v1/stock-movements/adjust".into(), Who::Admin),
        "cart" => ("POST", "/v1/carts".into(), Who::CustomerA),
        "order" => ("POST", "/v1/orders/quote".into(), Who::CustomerA),
        "payment" => ("PATCH", "/v1/payments".into(), Who::Admin),
        _ => (
            "PUT",
            format!("/v1/sales/cost-prices/{}", ctx.p[2]),
            Who::Admin,
        ),
    }
}

/// An id route per service for path abuse.
fn id_route(svc: &str) -> (&'static str, Who) {
    match svc {
        "auth" => ("/v1/auth/users/", Who::Admin),
        "product" => ("/v1/products/", Who::Anonymous),
        "warehouse" => ("/v1/warehouse/", Who::Admin),
        "cart" => ("/v1/carts/", Who::CustomerA),
        "order" => ("/v1/orders/", Who::CustomerA),
        "payment" => ("/v1/payments/", Who::CustomerA),
        _ => ("/v1/sales/cost-prices/", Who::Admin),
    }
}

/// Bad input of every shape to every service: each answer is a 4xx without internals (checked by
/// `Ctx::inspect`) — returns how many were sent.
pub async fn bad_input(ctx: &Ctx) -> usize {
    let f = &ctx.findings;
    let mut sent = 0;
    let nested = format!("{{\"a\": {}1{}}}", "[".repeat(10_000), "]".repeat(10_000));
    let bodies: Vec<(&str, Vec<u8>, &str)> = vec![
        ("malformed JSON", b"{\"name\": ".to_vec(), "application/json"),
        ("wrong types", serde_json::to_vec(&json!({"name": 5, "username": [], "product_id": {}, "product_quantity": "2",
            "cost_price": "cheap", "paymentId": 7, "items": "many", "delta": 1.5, "zip_code": null})).unwrap(), "application/json"),
        ("huge numbers", br#"{"product_quantity": 1e400, "cost_price": 99999999999999999999999999999, "delta": -9223372036854775809, "items": [{"product_id": "00000000-0000-0000-0000-000000000000", "quantity": 18446744073709551616}]}"#.to_vec(), "application/json"),
        ("deep nesting", nested.into_bytes(), "application/json"),
        ("invalid UTF-8", b"{\"name\": \"\xff\xfe\"}".to_vec(), "application/json"),
        ("NUL and control bytes", b"{\"name\": \"a\\u0000b\\u0007\", \"note\": \"\\ud800\"}".to_vec(), "application/json"),
        ("not JSON", b"name=x".to_vec(), "application/x-www-form-urlencoded"),
        ("XML", b"<name>x</name>".to_vec(), "application/xml"),
        ("empty", Vec::new(), "application/json"),
        ("a JSON array", b"[1,2,3]".to_vec(), "application/json"),
        ("SQL in strings", serde_json::to_vec(&json!({"name": "x'; DROP TABLE orders; --", "username": "' OR 1=1 --",
            "password": "x", "product_id": "' OR 1=1 --", "product_quantity": 1, "cost_price": 1,
            "paymentId": "1 OR 1=1", "status": "APPROVED'--", "items": [], "warehouse_id": "'", "delta": 1, "note": "x"})).unwrap(), "application/json"),
    ];
    for svc in journey::fleet::SERVICES {
        let (method, path, who) = json_route(ctx, svc);
        for (what, bytes, ct) in &bodies {
            let mut headers = vec![("content-type".to_string(), ct.to_string())];
            if let Some(t) = ctx.token(who) {
                headers.push(("authorization".into(), format!("Bearer {t}")));
            }
            let got = raw_bytes(ctx, method, svc, &path, bytes.clone(), &headers).await;
            sent += 1;
            // SQL in strings is only text: stored as given or refused by validation, never run.
            let ok = if *what == "SQL in strings" {
                got.status < 500
            } else {
                (400..500).contains(&got.status)
            };
            f.check(ok, || {
                format!(
                    "bad input: {what} to {svc} {path}: {} {}",
                    got.status, got.text
                )
            });
        }
        // Path and query abuse.
        let (base, who) = id_route(svc);
        for tail in [
            "not-a-uuid".to_string(),
            "%00".into(),
            "..%2F..%2Fetc%2Fpasswd".into(),
            "'%20OR%201=1--".into(),
            "x".repeat(5000),
            format!(
                "{}?limit=-1&skip=-5&status=%27&created_from=yesterday",
                unknown_id()
            ),
        ] {
            let got = ctx
                .call(who, "GET", svc, &format!("{base}{tail}"), &Body::None)
                .await;
            sent += 1;
            f.check((400..500).contains(&got.status), || {
                format!(
                    "bad input: GET {svc} {base}{}: {} {}",
                    &tail[..tail.len().min(60)],
                    got.status,
                    got.text
                )
            });
        }
        let got = ctx
            .call(Who::Admin, "GET", svc, "/v1/no-such-route", &Body::None)
            .await;
        let put = ctx
            .call(Who::Admin, "PUT", svc, "/health", &Body::Json(json!({})))
            .await;
        sent += 2;
        f.check(got.status == 404 && put.status == 405, || {
            format!(
                "bad input: unknown route / wrong method on {svc}: {} {}",
                got.status, put.status
            )
        });
    }
    eprintln!("bad input: {sent} malformed requests to the seven services");
    sent
}

async fn raw_bytes(
    ctx: &Ctx,
    method: &str,
    svc: &str,
    path: &str,
    bytes: Vec<u8>,
    headers: &[(String, String)],
) -> crate::support::Answer {
    let mut rb = ctx
        .http
        .request(
            reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
            ctx.shop.url(svc, path),
        )
        .body(bytes);
    for (k, v) in headers {
        rb = rb.header(k.as_str(), v.as_str());
    }
    let start = std::time::Instant::now();
    let resp = rb.send().await.expect("sent");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap_or_default();
    let answer = crate::support::Answer {
        status,
        headers,
        body: serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        text,
        elapsed: start.elapsed(),
    };
    ctx.inspect(&format!("{method} {svc} {path}"), &answer);
    answer
}
