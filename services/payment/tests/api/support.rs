//! Spawning the payment service for a test: a fresh MySQL database, its own bucket in the S3 emulator, a
//! local token issuer, the order stub, the real wiring on a random port; plus HTTP, S3 and SQL helpers.

use std::sync::Arc;
use std::time::Duration;

use super::multipart::{Form, MultipartExt, Part};
use eshop_common::auth::AuthSettings;
use eshop_common::aws::AwsSettings;
use eshop_common::config::CommonSettings;
use eshop_common::outbox::OutboxSettings;
use reqwest::header::HeaderMap;
use serde_json::Value;
use sqlx::MySqlPool;
use test_support::db::TestDatabase;
use test_support::service::{LocalIssuer, LOCAL_CLIENT, LOCAL_ISSUER};
use uuid::Uuid;

use super::stub::{OrderStub, PAYMENT_TOKEN};

pub const LINK_SECRET: &str = "test-proof-link-secret";

/// The smallest files of each accepted type (their magic bytes plus a little padding).
pub fn jpeg() -> Vec<u8> {
    let mut v = vec![
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0,
    ];
    v.extend_from_slice(&[7u8; 64]);
    v.extend_from_slice(&[0xFF, 0xD9]);
    v
}
pub fn png() -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    v.extend_from_slice(&[1u8; 32]);
    v
}
pub fn webp() -> Vec<u8> {
    let mut v = b"RIFF\x24\0\0\0WEBPVP8 ".to_vec();
    v.extend_from_slice(&[2u8; 32]);
    v
}
pub fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".to_vec()
}

/// A reply: status, headers and JSON body (`Null` when the body is not JSON), and the raw body.
#[derive(Debug)]
pub struct Res {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Res {
    pub fn data(&self) -> &Value {
        &self.body["data"]
    }
}

/// Knobs a test may turn; the defaults suit most tests.
#[derive(Clone)]
pub struct Options {
    pub proof_url_ttl: Duration,
    pub max_upload_bytes: usize,
    pub order_service: Option<String>,
    pub database_url: Option<String>,
    pub s3_endpoint: Option<String>,
    pub presign_endpoint: Option<String>,
    pub client_timeout: Duration,
    pub outbox: OutboxSettings,
    pub bucket: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            proof_url_ttl: Duration::from_secs(900),
            max_upload_bytes: 5 * 1024 * 1024,
            order_service: None,
            database_url: None,
            s3_endpoint: None,
            presign_endpoint: None,
            client_timeout: Duration::from_millis(1500),
            outbox: OutboxSettings {
                poll_interval: Duration::from_millis(100),
                max_backoff: Duration::from_secs(2),
                max_attempts: 20,
                lease: Duration::from_secs(5),
                retention: Duration::from_secs(3600),
                http_timeout: Duration::from_millis(1500),
            },
            bucket: None,
        }
    }
}

pub fn s3_endpoint() -> String {
    std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| "http://localhost:5000".into())
}

pub fn unique_bucket() -> String {
    format!("t-proofs-{}", &Uuid::new_v4().simple().to_string()[..16])
}

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub pool: MySqlPool,
    pub s3: aws_sdk_s3::Client,
    pub bucket: String,
    pub issuer: Arc<LocalIssuer>,
    pub stub: Arc<OrderStub>,
    pub db: Arc<TestDatabase>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

pub async fn s3_client() -> aws_sdk_s3::Client {
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_sdk_s3::config::Region::new("us-east-1"))
        .endpoint_url(s3_endpoint())
        .credentials_provider(aws_sdk_s3::config::Credentials::new(
            "test", "test", None, None, "tests",
        ))
        .load()
        .await;
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(true)
            .build(),
    )
}

pub fn config(
    db_url: &str,
    issuer: &LocalIssuer,
    order: &str,
    bucket: &str,
    o: &Options,
) -> payment::Config {
    let mut common = CommonSettings::from_env("payment", 0).unwrap();
    common.http_port = 0;
    common.client_timeout = o.client_timeout;
    let _ = issuer;
    payment::Config {
        common,
        auth: AuthSettings::new(LOCAL_ISSUER, &[LOCAL_CLIENT], &issuer.jwks.url()),
        aws: AwsSettings {
            endpoint: Some(o.s3_endpoint.clone().unwrap_or_else(s3_endpoint)),
            force_path_style: true,
            bootstrap: true,
            timeout: Duration::from_secs(2),
            region: "us-east-1".into(),
        },
        database_url: db_url.to_string(),
        database_max_connections: 12,
        bucket: bucket.to_string(),
        presign_endpoint: o.presign_endpoint.clone(),
        order_service: order.to_string(),
        service_token: PAYMENT_TOKEN.to_string().into(),
        proof_link_secret: LINK_SECRET.to_string().into(),
        max_upload_bytes: o.max_upload_bytes,
        proof_url_ttl: o.proof_url_ttl,
        outbox: o.outbox,
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(Options::default()).await
    }

    pub async fn spawn_with(o: Options) -> TestApp {
        let db = Arc::new(TestDatabase::mysql("payment").await);
        let issuer = Arc::new(LocalIssuer::start().await);
        let stub = Arc::new(OrderStub::start().await);
        Self::start(db, issuer, stub, o).await
    }

    /// Another instance (a restart, or a second replica) over the same database, bucket and stub.
    pub async fn sibling(&self, mut o: Options) -> TestApp {
        o.bucket = Some(self.bucket.clone());
        Self::start(self.db.clone(), self.issuer.clone(), self.stub.clone(), o).await
    }

    async fn start(
        db: Arc<TestDatabase>,
        issuer: Arc<LocalIssuer>,
        stub: Arc<OrderStub>,
        o: Options,
    ) -> TestApp {
        let bucket = o.bucket.clone().unwrap_or_else(unique_bucket);
        let order = o.order_service.clone().unwrap_or_else(|| stub.url());
        let db_url = o.database_url.clone().unwrap_or_else(|| db.url.clone());
        // Debugging aid: `PAYMENT_TEST_LOGS=1 LOG_LEVEL=debug cargo nextest run -p payment --no-capture`.
        if std::env::var("PAYMENT_TEST_LOGS").is_ok() {
            eshop_common::telemetry::init_tracing(&CommonSettings::from_env("payment", 0).unwrap());
        }
        let app = payment::build(config(&db_url, &issuer, &order, &bucket, &o))
            .await
            .expect("the service builds");
        let base = format!("http://127.0.0.1:{}", app.port());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = app
                .run_until(async move {
                    let _ = stopped.await;
                })
                .await;
        });
        test_support::service::wait_ready(&base).await;
        let pool = sqlx::mysql::MySqlPoolOptions::new()
            .max_connections(3)
            .connect(&db.url)
            .await
            .unwrap();
        TestApp {
            base,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            pool,
            s3: s3_client().await,
            bucket,
            issuer,
            stub,
            db,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Stops serving and the relay (finishing in-flight posts), as SIGTERM would.
    pub async fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = tokio::time::timeout(Duration::from_secs(10), task).await;
        }
    }

    pub fn token(&self, user: Uuid, groups: &[&str]) -> String {
        self.issuer.token(user, groups)
    }

    /// A customer: id and token.
    pub fn customer(&self) -> (Uuid, String) {
        let id = Uuid::new_v4();
        (id, self.token(id, &[]))
    }

    pub fn admin(&self) -> (Uuid, String) {
        let id = Uuid::new_v4();
        (id, self.token(id, &["admin"]))
    }

    pub async fn read(response: reqwest::Response) -> Res {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.unwrap_or_default();
        Res {
            status,
            headers,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Res {
        Self::read(request.send().await.expect("request sent")).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Res {
        let mut r = self.http.get(self.url(path));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        self.send(r).await
    }

    pub async fn patch(&self, token: Option<&str>, body: Value) -> Res {
        let mut r = self.http.patch(self.url("/v1/payments")).json(&body);
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        self.send(r).await
    }

    pub async fn review(&self, token: &str, id: &str, status: &str) -> Res {
        self.patch(
            Some(token),
            serde_json::json!({"paymentId": id, "status": status}),
        )
        .await
    }

    pub async fn post_form(&self, token: Option<&str>, form: Form) -> Res {
        let mut r = self.http.post(self.url("/v1/payments")).multipart(form);
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        self.send(r).await
    }

    /// Uploads `bytes` (declared `image/jpeg`, named `proof.jpg`) for `order`.
    pub async fn upload(&self, token: &str, order: Uuid, bytes: Vec<u8>) -> Res {
        self.post_form(Some(token), form(order, bytes, "image/jpeg", "proof.jpg"))
            .await
    }

    /// A customer with a `PENDING` order of 123.45 and an uploaded JPEG: (user, token, order, payment id).
    pub async fn uploaded(&self) -> (Uuid, String, Uuid, String) {
        let (user, token) = self.customer();
        let order = self.stub.order(user, 123.45);
        let res = self.upload(&token, order, jpeg()).await;
        assert_eq!(res.status, 201, "{res:?}");
        let id = res.data()["id"].as_str().unwrap().to_string();
        (user, token, order, id)
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(&self.pool).await.unwrap()
    }

    pub async fn payments(&self) -> i64 {
        self.count("SELECT COUNT(*) FROM payments").await
    }

    pub async fn outbox_rows(&self, event_type: &str) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE type = ?")
            .bind(event_type)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    /// The keys in the bucket.
    pub async fn objects(&self) -> Vec<String> {
        let listed = self
            .s3
            .list_objects_v2()
            .bucket(&self.bucket)
            .send()
            .await
            .unwrap();
        listed
            .contents()
            .iter()
            .filter_map(|o| o.key().map(String::from))
            .collect()
    }

    /// Nothing stored: no row, no outbox row, no object.
    pub async fn assert_nothing_stored(&self) {
        assert_eq!(self.payments().await, 0, "payments rows");
        assert_eq!(
            self.count("SELECT COUNT(*) FROM outbox").await,
            0,
            "outbox rows"
        );
        assert!(self.objects().await.is_empty(), "S3 objects");
    }

    /// Waits up to `secs` for `check`.
    pub async fn eventually<F, Fut>(&self, secs: u64, mut check: F) -> bool
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let until = std::time::Instant::now() + Duration::from_secs(secs);
        while std::time::Instant::now() < until {
            if check().await {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        check().await
    }
}

/// A multipart form with `orderId` and `image`.
pub fn form(order: Uuid, bytes: Vec<u8>, declared: &str, file_name: &str) -> Form {
    Form::new().text("orderId", order.to_string()).part(
        "image",
        Part::bytes(bytes)
            .file_name(file_name.to_string())
            .mime_str(declared)
            .unwrap(),
    )
}

/// The bytes behind a (presigned) URL.
pub async fn fetch(url: &str) -> (u16, Vec<u8>) {
    let r = reqwest::get(url).await.unwrap();
    let status = r.status().as_u16();
    (status, r.bytes().await.unwrap().to_vec())
}
