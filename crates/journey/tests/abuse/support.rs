//! What every abuse check shares: the fleet with its cast (customers A and B, warehouse staff, a manager, the
//! admin) and their objects, a raw HTTP helper that inspects every answer it gets (never a 5xx nobody asked
//! for, never driver, SQL, SDK or panic text in an error body), and a list of findings that the one test
//! reports together at the end.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use journey::api::PNG;
use journey::shop::{Shop, User, MAIN_WAREHOUSE, MAIN_ZIP};
use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::{json, Value};

/// Who sends a request: the seven columns of the matrix. `Service` sends only `X-Service-Token`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Anonymous,
    CustomerA,
    CustomerB,
    Staff,
    Manager,
    Admin,
    Service(&'static str),
}

impl Who {
    pub fn label(self) -> String {
        match self {
            Who::Anonymous => "anonymous".into(),
            Who::CustomerA => "customer A".into(),
            Who::CustomerB => "customer B".into(),
            Who::Staff => "warehouse_staff".into(),
            Who::Manager => "warehouse_manager".into(),
            Who::Admin => "admin".into(),
            Who::Service(s) => format!("service token of {s}"),
        }
    }
}

/// A request body.
#[derive(Clone)]
pub enum Body {
    None,
    Json(Value),
    Form(Form),
}

/// One answer, with the raw text kept for the leak check.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
    pub body: Value,
    pub elapsed: Duration,
}

impl Answer {
    pub fn data(&self) -> &Value {
        &self.body["data"]
    }
}

/// Text that must never reach a client (design §2: plain words and the request id only).
const LEAKS: &[&str] = &[
    "panicked",
    "stack backtrace",
    "RUST_BACKTRACE",
    "src/",
    ".rs:",
    "sqlx",
    "SQLSTATE",
    "syntax error",
    "SELECT ",
    "INSERT INTO",
    "UPDATE ",
    "duplicate key",
    "Duplicate entry",
    "no rows in result set",
    "violates",
    "MySqlDatabaseError",
    "PgDatabaseError",
    "Exception",
    "RequestId",
    "request id: ",
    "aws-sdk",
    "aws_sdk",
    "dispatch failure",
    "DispatchFailure",
    "ServiceError",
    "ConditionalCheckFailed",
    "tokio",
    "serde_json",
    "hyper::",
    "redis::",
    "Traceback",
];

/// Findings of every area, reported together.
#[derive(Default)]
pub struct Findings {
    items: Mutex<Vec<String>>,
    checks: Mutex<u64>,
}

impl Findings {
    pub fn check(&self, ok: bool, what: impl FnOnce() -> String) {
        *self.checks.lock().unwrap() += 1;
        if !ok {
            let what = what();
            eprintln!("FINDING: {what}");
            self.items.lock().unwrap().push(what);
        }
    }

    pub fn checks(&self) -> u64 {
        *self.checks.lock().unwrap()
    }

    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.items.lock().unwrap())
    }
}

/// The fleet, the cast and their objects.
pub struct Ctx {
    pub shop: Shop,
    pub http: reqwest::Client,
    pub a: User,
    pub b: User,
    pub staff: User,
    pub manager: User,
    pub category: String,
    /// Products: p[0] is in A's and B's carts, p[1] and p[2] are A's lines to remove, p[3] was ordered.
    pub p: Vec<String>,
    /// A's cart lines for p[0], p[1], p[2]; B's line for p[0].
    pub a_lines: Vec<String>,
    pub b_line: String,
    /// A's order with a proof under review, and A's payment.
    pub a_order: String,
    pub a_payment: String,
    /// B's order, PENDING without a proof.
    pub b_order: String,
    pub findings: Findings,
}

pub fn unknown_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

impl Ctx {
    pub async fn open() -> Ctx {
        let started = Instant::now();
        let shop = Shop::open(journey::fleet::FleetOptions {
            // A short request timeout, so a slow client is cut within the test's patience (design §2).
            extra_env: vec![
                ("HTTP_REQUEST_TIMEOUT_SECS".into(), "8".into()),
                ("ORDER_TIMEOUT_MS".into(), "6000".into()),
            ],
            ..Default::default()
        })
        .await;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(40))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client");
        let a = shop.sign_up("abuse-alice").await;
        let b = shop.sign_up("abuse-bob").await;
        let staff = shop.staff("abuse-staff", "warehouse_staff").await;
        let manager = shop.staff("abuse-manager", "warehouse_manager").await;
        let category = shop.category("Abuse sedans").await;
        let mut p = Vec::new();
        for (i, price) in ["1000.00", "2000.00", "3000.00", "4000.00"]
            .iter()
            .enumerate()
        {
            p.push(
                shop.product(&format!("Abuse car {i}"), price, 50, &category)
                    .await,
            );
        }
        // A orders p[3] and uploads a proof; B orders p[3] and pays nothing.
        shop.add_to_cart(&a, &p[3], 1).await.expect(201, "A adds");
        let a_order = shop.place_order(&a, MAIN_ZIP, "abuse-a-1").await;
        let a_payment = shop.submit_proof(&a, &a_order).await;
        shop.add_to_cart(&b, &p[3], 1).await.expect(201, "B adds");
        let b_order = shop.place_order(&b, MAIN_ZIP, "abuse-b-1").await;
        let mut a_lines = Vec::new();
        for product in &p[..3] {
            let line = shop
                .add_to_cart(&a, product, 1)
                .await
                .expect(201, "A adds a line");
            a_lines.push(line.data()["id"].as_str().unwrap().to_string());
        }
        let b_line = shop
            .add_to_cart(&b, &p[0], 2)
            .await
            .expect(201, "B adds a line")
            .data()["id"]
            .as_str()
            .unwrap()
            .to_string();
        eprintln!("fleet and cast ready in {:?}", started.elapsed());
        Ctx {
            shop,
            http,
            a,
            b,
            staff,
            manager,
            category,
            p,
            a_lines,
            b_line,
            a_order,
            a_payment,
            b_order,
            findings: Findings::default(),
        }
    }

    pub fn token(&self, who: Who) -> Option<&str> {
        match who {
            Who::Anonymous | Who::Service(_) => None,
            Who::CustomerA => Some(&self.a.token),
            Who::CustomerB => Some(&self.b.token),
            Who::Staff => Some(&self.staff.token),
            Who::Manager => Some(&self.manager.token),
            Who::Admin => Some(&self.shop.admin.token),
        }
    }

    pub fn main_warehouse(&self) -> &'static str {
        MAIN_WAREHOUSE
    }

    /// Sends a request as `who` and checks the answer for 5xx and leaked internals.
    pub async fn call(&self, who: Who, method: &str, svc: &str, path: &str, body: &Body) -> Answer {
        let mut headers = Vec::new();
        if let Some(t) = self.token(who) {
            headers.push(("authorization".to_string(), format!("Bearer {t}")));
        }
        if let Who::Service(caller) = who {
            headers.push((
                "x-service-token".to_string(),
                self.shop.fleet.service_token(caller),
            ));
        }
        self.raw(method, svc, path, body, &headers).await
    }

    /// Sends a request with exactly `headers` (plus the body's content type).
    pub async fn raw(
        &self,
        method: &str,
        svc: &str,
        path: &str,
        body: &Body,
        headers: &[(String, String)],
    ) -> Answer {
        let url = self.shop.url(svc, path);
        let method = Method::from_bytes(method.as_bytes()).expect("a method");
        let mut rb = self.http.request(method.clone(), &url);
        for (k, v) in headers {
            rb = rb.header(k.as_str(), v.as_str());
        }
        rb = match body {
            Body::None => rb,
            Body::Json(v) => rb.json(v),
            Body::Form(form) => {
                let boundary = "abuse-boundary-7f3a";
                rb.header(
                    "content-type",
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(form_bytes(form, boundary))
            }
        };
        let start = Instant::now();
        let resp = rb
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap_or_default();
        let answer = Answer {
            status,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
            headers,
            text,
            elapsed: start.elapsed(),
        };
        self.inspect(&format!("{method} {svc} {path}"), &answer);
        answer
    }

    /// No 5xx except 503 from a timeout the test provokes on purpose (checked by the caller), and no leak.
    pub fn inspect(&self, what: &str, answer: &Answer) {
        self.findings.check(answer.status < 500, || {
            format!("{what} answered {}: {}", answer.status, answer.text)
        });
        if answer.status >= 400 {
            let leak = LEAKS.iter().find(|l| answer.text.contains(*l));
            self.findings.check(leak.is_none(), || {
                format!(
                    "{what} ({}) leaks {:?}: {}",
                    answer.status,
                    leak.unwrap(),
                    answer.text
                )
            });
        }
    }

    /// An envelope from `source` of a type nobody handles (answered `ignored`).
    pub fn envelope(source: &str) -> Value {
        json!({"id": uuid::Uuid::new_v4().to_string(), "type": "abuse.probe",
               "occurred_at": "2024-01-01T00:00:00Z", "source": source, "data": {}})
    }

    pub fn png_form(&self, order: &str) -> Form {
        Form::default()
            .text("orderId", order)
            .text("note", "")
            .file("image", "proof.png", "image/png", PNG)
    }
}

/// A multipart form of text and file parts (the journey's `Form` keeps its encoder to itself).
/// One part: its name, the file name and content type for a file part, the bytes.
type Part = (String, Option<(String, String)>, Vec<u8>);

#[derive(Clone, Default)]
pub struct Form {
    parts: Vec<Part>,
}

impl Form {
    pub fn text(mut self, name: &str, value: &str) -> Form {
        self.parts
            .push((name.into(), None, value.as_bytes().to_vec()));
        self
    }

    pub fn file(mut self, name: &str, filename: &str, content_type: &str, bytes: &[u8]) -> Form {
        self.parts.push((
            name.into(),
            Some((filename.into(), content_type.into())),
            bytes.to_vec(),
        ));
        self
    }
}

fn form_bytes(form: &Form, boundary: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, file, bytes) in &form.parts {
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let disposition = match file {
            Some((filename, ct)) => format!(
                "Content-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: {ct}\r\n\r\n"
            ),
            None => format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n"),
        };
        out.extend_from_slice(disposition.as_bytes());
        out.extend_from_slice(bytes);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    out
}
