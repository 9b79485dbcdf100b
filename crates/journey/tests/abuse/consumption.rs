//! Issue 15 item 4 (OWASP API4 unrestricted resource consumption): a 10 MB JSON body, a 100 000-item array
//! and a slow client are each refused quickly on every service while another request to the same service
//! still answers fast; upload limits; the `limit` cap of every list; login throttling.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::{Body, Ctx, Form, Who};

/// A JSON route per service that reads a body, and who may call it (so the body is what gets judged).
fn json_routes(ctx: &Ctx) -> Vec<(&'static str, &'static str, String, Who)> {
    vec![
        ("auth", "POST", "/v1/auth/login".into(), Who::Anonymous),
        ("product", "POST", "/v1/categories".into(), Who::Admin),
        ("warehouse", "POST", "/v1/warehouse".into(), Who::Admin),
        ("cart", "POST", "/v1/carts".into(), Who::CustomerA),
        ("order", "POST", "/v1/orders/quote".into(), Who::CustomerA),
        ("payment", "PATCH", "/v1/payments".into(), Who::Admin),
        (
            "sales-report",
            "PUT",
            format!("/v1/sales/cost-prices/{}", ctx.p[2]),
            Who::Admin,
        ),
    ]
}

/// A cheap request that must stay fast while the service is being abused.
fn probe(svc: &str) -> (&'static str, Who) {
    match svc {
        "auth" => ("/v1/auth/me", Who::CustomerA),
        "product" => ("/v1/products?limit=1", Who::Anonymous),
        "warehouse" => ("/v1/warehouse", Who::Admin),
        "cart" => ("/v1/carts/user", Who::CustomerA),
        "order" => ("/v1/orders/user?limit=1", Who::CustomerA),
        "payment" => ("/v1/payments?limit=1", Who::CustomerA),
        _ => ("/v1/sales?limit=1", Who::Admin),
    }
}

/// Sends `bytes` as a JSON body; a connection the server closes while the body is still going counts as
/// refused (status 0).
async fn send_big(
    ctx: &Ctx,
    svc: &str,
    method: &str,
    path: &str,
    who: Who,
    bytes: Vec<u8>,
) -> (u16, String, Duration) {
    let mut rb = ctx
        .http
        .request(
            reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
            ctx.shop.url(svc, path),
        )
        .header("content-type", "application/json")
        .body(bytes);
    if let Some(t) = ctx.token(who) {
        rb = rb.bearer_auth(t);
    }
    let start = Instant::now();
    match rb.send().await {
        Ok(resp) => {
            let status = resp.status().as_u16();
            let text = resp.text().await.unwrap_or_default();
            (status, text, start.elapsed())
        }
        Err(_) => (0, String::new(), start.elapsed()),
    }
}

async fn refused_quickly_while_others_answer(ctx: &Ctx, what: &str, body: impl Fn() -> Vec<u8>) {
    let f = &ctx.findings;
    for (svc, method, path, who) in json_routes(ctx) {
        let (probe_path, probe_who) = probe(svc);
        let big = send_big(ctx, svc, method, &path, who, body());
        let other = async {
            tokio::time::sleep(Duration::from_millis(50)).await;
            ctx.call(probe_who, "GET", svc, probe_path, &Body::None)
                .await
        };
        let ((status, text, took), other) = futures::join!(big, other);
        eprintln!(
            "{what} to {svc}: {} after {took:?}; {probe_path} meanwhile {} in {:?}",
            if status == 0 {
                "connection closed".to_string()
            } else {
                status.to_string()
            },
            other.status,
            other.elapsed
        );
        f.check(
            (status == 0 || (400..500).contains(&status)) && took < Duration::from_secs(5),
            || format!("consumption: {what} to {svc} {path}: {status} after {took:?}: {text}"),
        );
        if status >= 400 {
            let answer = crate::support::Answer {
                status,
                headers: Default::default(),
                body: serde_json::from_str(&text).unwrap_or(Value::Null),
                text,
                elapsed: took,
            };
            ctx.inspect(&format!("{what} to {svc} {path}"), &answer);
        }
        f.check(
            other.status == 200 && other.elapsed < Duration::from_secs(2),
            || {
                format!(
                    "consumption: {svc} {probe_path} during {what}: {} after {:?}",
                    other.status, other.elapsed
                )
            },
        );
    }
}

pub async fn big_bodies(ctx: &Ctx) {
    refused_quickly_while_others_answer(ctx, "a 10 MB JSON body", || {
        let mut s = String::with_capacity(10 * 1024 * 1024 + 32);
        s.push_str("{\"name\": \"");
        s.push_str(&"x".repeat(10 * 1024 * 1024));
        s.push_str("\"}");
        s.into_bytes()
    })
    .await;
    refused_quickly_while_others_answer(ctx, "a 100 000-item array", || {
        let items: Vec<Value> = (0..100_000)
            .map(|_| json!({"product_id": uuid::Uuid::nil(), "quantity": 1}))
            .collect();
        serde_json::to_vec(&json!({"name": "x", "items": items, "cart_ids": [], "ids": []}))
            .unwrap()
    })
    .await;
    eprintln!("consumption: 10 MB body and 100 000-item array refused by all seven services");
}

/// Headers, then the body one byte every 300 ms: the service must end the request within
/// `HTTP_REQUEST_TIMEOUT_SECS` (8 s in this fleet) and keep answering others meanwhile.
pub async fn slow_clients(ctx: &Ctx) {
    let routes = json_routes(ctx);
    let runs = routes.iter().map(|(svc, method, path, who)| async move {
        let f = &ctx.findings;
        let url = ctx.shop.url(svc, "");
        let addr = url.trim_start_matches("http://").to_string();
        let mut stream = tokio::net::TcpStream::connect(&addr).await.expect("connect");
        let auth = ctx
            .token(*who)
            .map(|t| format!("Authorization: Bearer {t}\r\n"))
            .unwrap_or_default();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"name\": \""
        );
        stream.write_all(head.as_bytes()).await.expect("headers sent");
        let start = Instant::now();
        let (mut reader, mut writer) = stream.into_split();
        let trickle = async move {
            for _ in 0..200 {
                tokio::time::sleep(Duration::from_millis(300)).await;
                if writer.write_all(b"x").await.is_err() {
                    break;
                }
            }
            std::future::pending::<()>().await
        };
        let answer = async move {
            let mut buf = vec![0u8; 4096];
            let n = tokio::time::timeout(Duration::from_secs(20), reader.read(&mut buf)).await;
            let took = start.elapsed();
            let text = match n {
                Ok(Ok(n)) => String::from_utf8_lossy(&buf[..n]).to_string(),
                Ok(Err(_)) => String::new(),
                Err(_) => "still waiting".to_string(),
            };
            (text, took)
        };
        let other = async {
            tokio::time::sleep(Duration::from_secs(2)).await;
            let (p, w) = probe(svc);
            ctx.call(w, "GET", svc, p, &Body::None).await
        };
        let (text, took, other) = tokio::select! {
            ((text, took), other) = async { futures::join!(answer, other) } => (text, took, other),
            () = trickle => unreachable!("the trickle never ends"),
        };
        let status_line = text.lines().next().unwrap_or("").to_string();
        f.check(
            took < Duration::from_secs(12) && status_line.contains(" 408 "),
            || format!("consumption: slow client on {svc} {path}: {status_line:?} after {took:?}"),
        );
        f.check(
            !["panicked", "src/", "sqlx"].iter().any(|l| text.contains(l)),
            || format!("consumption: slow client on {svc} leaked: {text}"),
        );
        f.check(
            other.status == 200 && other.elapsed < Duration::from_secs(2),
            || format!("consumption: {svc} during a slow client: {} after {:?}", other.status, other.elapsed),
        );
        eprintln!("slow client on {svc}: {status_line:?} after {took:?}");
    });
    futures::future::join_all(runs).await;
}

/// Files over the upload limits answer 413 (product.md §4.3, payment.md §2.1).
pub async fn upload_limits(ctx: &Ctx) {
    let f = &ctx.findings;
    let mut big = journey::api::PNG.to_vec();
    big.resize(5 * 1024 * 1024 + 1, 0);
    let form = Form::default()
        .text("name", "Too big")
        .text("description", "too big")
        .text("price", "10")
        .text("category_id", &ctx.category)
        .file("image", "big.png", "image/png", &big);
    let got = ctx
        .call(
            Who::Admin,
            "POST",
            "product",
            "/v1/products",
            &Body::Form(form),
        )
        .await;
    f.check(got.status == 413, || {
        format!(
            "consumption: a 5 MiB + 1 image: {} {}",
            got.status, got.text
        )
    });
    let form =
        Form::default()
            .text("orderId", &ctx.b_order)
            .file("image", "big.png", "image/png", &big);
    let got = ctx
        .call(
            Who::CustomerB,
            "POST",
            "payment",
            "/v1/payments",
            &Body::Form(form),
        )
        .await;
    f.check(got.status == 413, || {
        format!(
            "consumption: a 5 MiB + 1 proof: {} {}",
            got.status, got.text
        )
    });
}

/// Every list refuses a `limit` above its cap, and honours one at the cap.
pub async fn limit_caps(ctx: &Ctx) -> usize {
    let f = &ctx.findings;
    let lists: [(&str, &str, Who, i64, i64); 11] = [
        ("product", "/v1/products", Who::Anonymous, 1, 100),
        ("order", "/v1/orders", Who::Admin, 1, 500),
        ("order", "/v1/orders/user", Who::CustomerA, 1, 500),
        ("payment", "/v1/payments", Who::CustomerA, 1, 500),
        ("warehouse", "/v1/warehouse-products", Who::Admin, 1, 500),
        ("warehouse", "/v1/stock-movements", Who::Admin, 1, 500),
        ("warehouse", "/v1/stock-alerts", Who::Admin, 1, 500),
        ("warehouse", "/v1/reservations", Who::Admin, 1, 500),
        ("sales-report", "/v1/sales", Who::Admin, 0, 1000),
        ("auth", "/v1/auth/users", Who::Admin, 1, 60),
        ("payment", "/v1/payments", Who::Admin, 1, 500),
    ];
    let mut probes = 0;
    for (svc, path, who, min, max) in lists {
        for (limit, ok) in [
            (max.to_string(), true),
            ((max + 1).to_string(), false),
            ((min - 1).to_string(), false),
            ("1000000000000".to_string(), false),
            ("abc".to_string(), false),
        ] {
            let got = ctx
                .call(
                    who,
                    "GET",
                    svc,
                    &format!("{path}?limit={limit}"),
                    &Body::None,
                )
                .await;
            probes += 1;
            f.check(
                if ok {
                    got.status == 200
                } else {
                    got.status == 400
                },
                || {
                    format!(
                        "limit cap: {svc} {path}?limit={limit}: {} {}",
                        got.status,
                        got.text.chars().take(200).collect::<String>()
                    )
                },
            );
        }
        let one = ctx
            .call(who, "GET", svc, &format!("{path}?limit=1"), &Body::None)
            .await;
        let data = one.data();
        let n = data
            .as_array()
            .map(Vec::len)
            .or_else(|| data["users"].as_array().map(Vec::len));
        f.check(one.status == 200 && n.is_some_and(|n| n <= 1), || {
            format!(
                "limit cap: {svc} {path}?limit=1 gave {n:?} rows: {}",
                one.text.chars().take(200).collect::<String>()
            )
        });
    }
    eprintln!("limit caps: {probes} probes over {} lists", lists.len());
    probes
}

/// Five wrong passwords block the identifier, even for the right password (auth.md §4.5).
pub async fn login_throttling(ctx: &Ctx) {
    let f = &ctx.findings;
    ctx.shop.sign_up("abuse-throttled").await;
    let login = |password: &'static str| async move {
        let body = Body::Json(json!({"username": "abuse-throttled", "password": password}));
        ctx.call(Who::Anonymous, "POST", "auth", "/v1/auth/login", &body)
            .await
    };
    for _ in 0..5 {
        let got = login("Wrong-Pass1").await;
        f.check(got.status == 401, || {
            format!("throttling: a wrong password: {} {}", got.status, got.text)
        });
    }
    let blocked = login("Customer-Pass1").await;
    f.check(
        blocked.status == 429 && blocked.headers.contains_key("retry-after"),
        || {
            format!(
                "throttling: the sixth attempt: {} {:?} {}",
                blocked.status, blocked.headers, blocked.text
            )
        },
    );
}
