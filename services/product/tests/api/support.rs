//! Spawning the product service for a test: its own tables and bucket in the emulator (unique names), a
//! local token issuer, the real wiring on a random port; plus HTTP, multipart and event-consumer helpers.

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_dynamodb::types::AttributeValue;
use eshop_common::auth::AuthSettings;
use eshop_common::aws::AwsSettings;
use eshop_common::config::CommonSettings;
use product::config::{CatalogueSettings, RelaySettings};
use product::store::bootstrap::StoreNames;
use product::{AwsClients, Config};
use reqwest::header::HeaderMap;
use serde_json::{json, Value};

pub use crate::consumer::Consumer;
use test_support::service::{LocalIssuer, LOCAL_CLIENT, LOCAL_ISSUER};
use uuid::Uuid;

pub const CAR: &str = "0193ec82-749f-7ad6-b194-65eaf0de698f";
pub const MOTOR: &str = "0193ec82-892a-7ebd-89e9-5500bfb5a634";
pub const WAREHOUSE_TOKEN: &str = "local-warehouse-token";
pub const CART_TOKEN: &str = "local-cart-token";
pub const ORDER_TOKEN: &str = "local-order-token";

/// A PNG by its magic bytes (content is not decoded by the service).
pub fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0".to_vec();
    bytes.extend_from_slice(Uuid::new_v4().as_bytes());
    bytes
}

/// A reply: status, headers, raw bytes and JSON body (`Null` when not JSON).
#[derive(Debug)]
pub struct Res {
    pub status: u16,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
    pub body: Value,
}

impl Res {
    pub fn data(&self) -> &Value {
        &self.body["data"]
    }
}

/// A test's own stores and token issuer; apps spawned from it share the stores (replicas).
pub struct Ctx {
    pub issuer: LocalIssuer,
    pub names: StoreNames,
    pub aws: AwsClients,
    pub http: reqwest::Client,
}

pub struct App {
    pub base: String,
    handle: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl App {
    /// Stops serving; the app's refresher and relay stop with it (a "restart" when another app follows).
    pub fn stop(self) {
        self.handle.abort();
    }
}

pub fn aws_settings(endpoint: String) -> AwsSettings {
    AwsSettings {
        endpoint: Some(endpoint),
        force_path_style: true,
        bootstrap: true,
        timeout: Duration::from_secs(3),
        ..AwsSettings::from_env().unwrap()
    }
}

impl Ctx {
    pub async fn new() -> Ctx {
        let prefix = format!("t{}", &Uuid::new_v4().simple().to_string()[..12]);
        let names = StoreNames {
            products_table: format!("{prefix}-products"),
            categories_table: format!("{prefix}-categories"),
            outbox_table: format!("{prefix}-outbox"),
            bucket: format!("{prefix}-images"),
        };
        let aws = AwsClients::new(&aws_settings(test_support::cognito::endpoint())).await;
        Ctx {
            issuer: LocalIssuer::start().await,
            names,
            aws,
            // No idle connections: a stopped app must not be kept alive by this client's pool.
            http: reqwest::Client::builder()
                .pool_max_idle_per_host(0)
                .build()
                .unwrap(),
        }
    }

    /// The configuration of a test app: these stores, no real subscribers (a closed port), 15 s TTL.
    pub fn config(&self) -> Config {
        let mut common = CommonSettings::from_env("product", 0).unwrap();
        common.http_port = 0;
        let nowhere = "http://127.0.0.1:9".to_string();
        Config {
            common,
            auth: AuthSettings::new(LOCAL_ISSUER, &[LOCAL_CLIENT], &self.issuer.jwks.url()),
            aws: aws_settings(test_support::cognito::endpoint()),
            stores: self.names.clone(),
            internal_tokens: format!(
                "cart:{CART_TOKEN},order:{ORDER_TOKEN},warehouse:{WAREHOUSE_TOKEN}"
            ),
            catalogue: CatalogueSettings {
                image_base_url: "http://localhost:2001/images".into(),
                ..CatalogueSettings::default()
            },
            relay: RelaySettings {
                cart_url: nowhere.clone(),
                warehouse_url: nowhere,
                outbox: eshop_common::outbox::OutboxSettings {
                    poll_interval: Duration::from_millis(200),
                    http_timeout: Duration::from_millis(1500),
                    ..Default::default()
                },
                ..RelaySettings::default()
            },
        }
    }

    pub async fn spawn(&self) -> App {
        self.spawn_with(self.config()).await
    }

    pub async fn spawn_with(&self, config: Config) -> App {
        let app = product::build(config).await.expect("the service builds");
        let base = format!("http://127.0.0.1:{}", app.port());
        let handle = tokio::spawn(app.run());
        test_support::service::wait_ready(&base).await;
        App { base, handle }
    }

    pub fn token(&self, role: &str) -> String {
        let groups: &[&str] = if role == "customer" { &[] } else { &[role] };
        self.issuer.token(Uuid::new_v4(), groups)
    }

    pub fn admin(&self) -> String {
        self.token("admin")
    }

    async fn finish(&self, request: reqwest::RequestBuilder) -> Res {
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.unwrap().to_vec();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Res {
            status,
            headers,
            bytes,
            body,
        }
    }

    /// A request with an optional bearer token and JSON body.
    pub async fn send(
        &self,
        app: &App,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Res {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self.http.request(method, format!("{}{path}", app.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.finish(request).await
    }

    pub async fn get(&self, app: &App, path: &str) -> Res {
        self.send(app, "GET", path, None, None).await
    }

    /// A raw body with headers (e.g. a multipart form, a service token).
    pub async fn raw(
        &self,
        app: &App,
        method: &str,
        path: &str,
        headers: &[(&str, String)],
        body: Vec<u8>,
    ) -> Res {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self
            .http
            .request(method, format!("{}{path}", app.base))
            .body(body);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        self.finish(request).await
    }

    /// A multipart form with a bearer token.
    pub async fn form(&self, app: &App, method: &str, path: &str, token: &str, form: &Form) -> Res {
        let (content_type, body) = form.encode();
        let headers = [
            ("content-type", content_type),
            ("authorization", format!("Bearer {token}")),
        ];
        self.raw(app, method, path, &headers, body).await
    }

    /// An internal call with a service token.
    pub async fn internal(&self, app: &App, path: &str, token: &str, body: Value) -> Res {
        let headers = [
            ("content-type", "application/json".to_string()),
            ("x-service-token", token.to_string()),
        ];
        self.raw(app, "POST", path, &headers, body.to_string().into_bytes())
            .await
    }

    /// C1 as admin; answers the new category id.
    pub async fn category(&self, app: &App, name: &str, parent: &str) -> String {
        let r = self
            .send(
                app,
                "POST",
                "/v1/categories",
                Some(&self.admin()),
                Some(json!({"name": name, "parent_id": parent})),
            )
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        r.data()["id"].as_str().unwrap().to_string()
    }

    /// P5 as admin with a PNG; answers the product.
    pub async fn product(&self, app: &App, name: &str, price: &str, category: &str) -> Value {
        let form = Form::product(name, price, category);
        let r = self
            .form(app, "POST", "/v1/products", &self.admin(), &form)
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        r.body["data"].clone()
    }

    /// Every item of a table.
    pub async fn scan(&self, table: &str) -> Vec<HashMap<String, AttributeValue>> {
        product::store::scan::scan_all(&self.aws.dynamodb, table)
            .await
            .unwrap()
    }

    /// Keys of the objects in the bucket.
    pub async fn objects(&self) -> Vec<String> {
        let out = self
            .aws
            .s3
            .list_objects_v2()
            .bucket(&self.names.bucket)
            .send()
            .await
            .unwrap();
        out.contents()
            .iter()
            .filter_map(|o| o.key().map(str::to_string))
            .collect()
    }

    /// The outbox items' `(type, envelope)`.
    pub async fn outbox(&self) -> Vec<(String, Value)> {
        self.scan(&self.names.outbox_table)
            .await
            .iter()
            .map(|item| {
                let text = |k: &str| item[k].as_s().unwrap().clone();
                (
                    text("type"),
                    serde_json::from_str(&text("envelope")).unwrap(),
                )
            })
            .collect()
    }
}

/// `(name, file name, content type, bytes)` of one form part.
type Part = (String, Option<String>, Option<String>, Vec<u8>);

/// A `multipart/form-data` body built by hand.
#[derive(Clone, Default)]
pub struct Form {
    parts: Vec<Part>,
}

impl Form {
    pub fn text(mut self, name: &str, value: &str) -> Form {
        self.parts
            .push((name.into(), None, None, value.as_bytes().to_vec()));
        self
    }

    pub fn file(mut self, name: &str, file: &str, content_type: &str, bytes: Vec<u8>) -> Form {
        self.parts.push((
            name.into(),
            Some(file.into()),
            Some(content_type.into()),
            bytes,
        ));
        self
    }

    /// Everything P5 needs, with a PNG named `car.png`.
    pub fn product(name: &str, price: &str, category: &str) -> Form {
        Form::default()
            .text("name", name)
            .text("description", "A fine vehicle")
            .text("price", price)
            .text("quantity", "3")
            .text("category_id", category)
            .file("image", "car.png", "image/png", png())
    }

    /// Without the part `name`.
    pub fn without(mut self, name: &str) -> Form {
        self.parts.retain(|p| p.0 != name);
        self
    }

    /// With the text part `name` replaced.
    pub fn with(self, name: &str, value: &str) -> Form {
        self.without(name).text(name, value)
    }

    pub fn encode(&self) -> (String, Vec<u8>) {
        let boundary = format!("----eshop{}", Uuid::new_v4().simple());
        let mut body = Vec::new();
        for (name, file, content_type, bytes) in &self.parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!("Content-Disposition: form-data; name=\"{name}\"");
            if let Some(file) = file {
                disposition.push_str(&format!("; filename=\"{file}\""));
            }
            body.extend_from_slice(disposition.as_bytes());
            body.extend_from_slice(b"\r\n");
            if let Some(ct) = content_type {
                body.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
            }
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), body)
    }
}

/// Polls `check` every 100 ms for up to `seconds`.
pub async fn eventually<F, Fut>(seconds: u64, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(seconds);
    while tokio::time::Instant::now() < deadline {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

/// Sum of `product_dynamodb_reads_total` over its labels, from `/metrics`.
pub async fn dynamodb_reads(ctx: &Ctx, app: &App) -> f64 {
    let text = ctx.get(app, "/metrics").await.bytes;
    String::from_utf8_lossy(&text)
        .lines()
        .filter(|l| l.starts_with("product_dynamodb_reads_total"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}
