//! The requests of each operation, with a plain reqwest client: every non-expected status is an error with
//! the start of the body, never a panic.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::{Bench, Op};

/// The load generator's HTTP client (keep-alive, no gzip, so the services' compressed bodies are not asked
/// for).
#[derive(Clone)]
pub struct Http {
    pub client: reqwest::Client,
}

impl Default for Http {
    fn default() -> Self {
        Http {
            client: reqwest::Client::builder()
                .tcp_nodelay(true)
                .timeout(Duration::from_secs(30))
                .build()
                .expect("http client"),
        }
    }
}

/// Sends, checks the status is one of `want`, and gives the JSON body when `parse`.
async fn send(rb: reqwest::RequestBuilder, want: &[u16], parse: bool) -> Result<Value, String> {
    let resp = rb.send().await.map_err(|e| format!("send: {e}"))?;
    let status = resp.status().as_u16();
    let bytes = resp.bytes().await.map_err(|e| format!("body: {e}"))?;
    if !want.contains(&status) {
        let text = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).to_string();
        return Err(format!("{status}: {text}"));
    }
    if !parse {
        return Ok(Value::Null);
    }
    serde_json::from_slice(&bytes).map_err(|e| format!("json: {e}"))
}

/// The AWS emulator's endpoint (`AWS_ENDPOINT_URL`, as the fleet uses it), read once rather than per request.
static EMULATOR_URL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let endpoint =
        std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| "http://localhost:5000".into());
    format!("{}/", endpoint.trim_end_matches('/'))
});

/// A 1×1 PNG for payment proofs.
const PNG: &[u8] = journey::api::PNG;

fn proof_form(order: &str, boundary: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, value) in [("orderId", order), ("note", "")] {
        out.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    out.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"proof.png\"\r\nContent-Type: image/png\r\n\r\n"
        )
        .as_bytes(),
    );
    out.extend_from_slice(PNG);
    out.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    out
}

impl Bench {
    fn get(&self, url: &str, token: Option<&str>) -> reqwest::RequestBuilder {
        let rb = self.http.client.get(url);
        match token {
            Some(t) => rb.bearer_auth(t),
            None => rb,
        }
    }

    /// The read X1 makes for a cart add or a checkout, sent straight to the AWS emulator: one consistent
    /// `BatchGetItem` of one product from the fleet's product table (no service in between).
    async fn emulator_read(&self, product: &str) -> Result<(), String> {
        let table = &self.shop.fleet.product_table;
        let body = json!({
            "RequestItems": { table: { "Keys": [{ "id": { "S": product } }], "ConsistentRead": true } }
        });
        let rb = self
            .http
            .client
            .post(EMULATOR_URL.as_str())
            .header("x-amz-target", "DynamoDB_20120810.BatchGetItem")
            .header("content-type", "application/x-amz-json-1.0")
            // The emulator routes by the credential scope of the (unchecked) signature.
            .header(
                "authorization",
                "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, \
                 SignedHeaders=host, Signature=0",
            )
            .body(body.to_string());
        send(rb, &[200], false).await.map(drop)
    }

    fn product_of(&self, conn: usize, i: u64) -> &str {
        &self.products[(conn + i as usize) % self.products.len()]
    }

    pub(super) async fn cart_add(&self, token: &str, product: &str) -> Result<(), String> {
        let rb = self
            .http
            .client
            .post(self.shop.url("cart", "/v1/carts"))
            .bearer_auth(token)
            .json(&json!({"product_id": product, "product_quantity": 1, "note": "", "product_price": 1}));
        send(rb, &[201], false).await.map(drop)
    }

    /// The caller's cart; parsed only when `parse` (the load phases check the status alone, as catalogue
    /// reads do, so the load generator's JSON parsing does not take CPU from the service on these 2 cores).
    async fn cart_read(&self, token: &str, parse: bool) -> Result<Value, String> {
        send(
            self.get(&self.shop.url("cart", "/v1/carts/user"), Some(token)),
            &[200],
            parse,
        )
        .await
    }

    async fn browse(&self, conn: usize, i: u64) -> Result<(), String> {
        let path = match i % 4 {
            0 | 1 => format!("/v1/products/{}", self.product_of(conn, i)),
            2 => "/v1/products?q=bench&limit=20".to_string(),
            _ => "/v1/categories".to_string(),
        };
        send(
            self.get(&self.shop.url("product", &path), None),
            &[200],
            false,
        )
        .await
        .map(drop)
    }

    /// Add → cart → checkout (→ proof → approve). The checkout call's latency goes to `calls`.
    async fn purchase(
        &self,
        conn: usize,
        i: u64,
        full: bool,
        calls: Option<&std::sync::Mutex<Vec<u64>>>,
    ) -> Result<(), String> {
        let user = &self.buyers[conn % self.buyers.len()];
        self.cart_add(&user.token, self.product_of(conn, i)).await?;
        let cart = self.cart_read(&user.token, true).await?;
        let ids: Vec<Value> = cart["data"]
            .as_array()
            .map(|a| a.iter().map(|l| l["id"].clone()).collect())
            .unwrap_or_default();
        let key = uuid::Uuid::new_v4().simple().to_string();
        let rb = self
            .http
            .client
            .post(self.shop.url("cart", "/v1/carts/checkout"))
            .bearer_auth(&user.token)
            .header("Idempotency-Key", key)
            .json(&json!({"cart_ids": ids, "address": {"street": "Jl. Bench 1", "city": "Kota", "state": "Jawa",
                           "zipcode": journey::shop::MAIN_ZIP, "note": ""}}));
        let start = Instant::now();
        let checked = send(rb, &[200], true).await?;
        if let Some(calls) = calls {
            calls
                .lock()
                .expect("checkout samples")
                .push(start.elapsed().as_micros() as u64);
        }
        if !full {
            return Ok(());
        }
        let order = checked["data"]["order_id"]
            .as_str()
            .ok_or("checkout without order_id")?
            .to_string();
        let boundary = format!("bench-{}", uuid::Uuid::new_v4().simple());
        let rb = self
            .http
            .client
            .post(self.shop.url("payment", "/v1/payments"))
            .bearer_auth(&user.token)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(proof_form(&order, &boundary));
        let paid = send(rb, &[201], true).await?;
        let payment = paid["data"]["id"]
            .as_str()
            .ok_or("proof without id")?
            .to_string();
        let rb = self
            .http
            .client
            .patch(self.shop.url("payment", "/v1/payments"))
            .bearer_auth(&self.shop.admin.token)
            .json(&json!({"paymentId": payment, "status": "APPROVED", "adminNote": "bench", "rejectOrder": false}));
        send(rb, &[200], false).await.map(drop)
    }

    pub(super) async fn call(&self, op: &Op, conn: usize, i: u64) -> Result<(), String> {
        match op {
            Op::Get(url, token) => send(self.get(url, token.as_deref()), &[200], false)
                .await
                .map(drop),
            Op::ById => {
                let url = self.shop.url(
                    "product",
                    &format!("/v1/products/{}", self.product_of(conn, i)),
                );
                send(self.get(&url, None), &[200], false).await.map(drop)
            }
            Op::CartRead => self
                .cart_read(&self.carters[conn % self.carters.len()].token, false)
                .await
                .map(drop),
            Op::CartAdd => {
                let user = &self.carters[conn % self.carters.len()];
                self.cart_add(&user.token, self.product_of(conn, i)).await
            }
            Op::Checkout { full, calls } => self.purchase(conn, i, *full, Some(calls)).await,
            Op::EmulatorRead => self.emulator_read(self.product_of(conn, i)).await,
            Op::Summary => {
                let now = chrono::Utc::now();
                let from = now - chrono::Duration::days(30);
                let url = self.shop.url(
                    "sales-report",
                    &format!(
                        "/v1/sales/summary?from={}&to={}&interval=day",
                        from.format("%Y-%m-%dT%H:%M:%SZ"),
                        now.format("%Y-%m-%dT%H:%M:%SZ")
                    ),
                );
                send(self.get(&url, Some(&self.shop.admin.token)), &[200], false)
                    .await
                    .map(drop)
            }
            Op::Mixed => match i % 20 {
                0 => self.purchase(conn, i, false, None).await,
                1 | 2 => {
                    let user = &self.carters[conn % self.carters.len()];
                    self.cart_add(&user.token, self.product_of(conn, i)).await?;
                    self.cart_read(&user.token, false).await.map(drop)
                }
                _ => self.browse(conn, i).await,
            },
        }
    }
}
