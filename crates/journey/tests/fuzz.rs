//! Issue 15, item 1: every service fuzzed from its own OpenAPI document. A private fleet is started and seeded
//! (a category, products, a second warehouse, orders in several states with proofs, a sale, a cost price), then
//! schemathesis (`var/fuzz-venv`, installed by `scripts/lib/fuzz.sh`) runs against each service's
//! `/openapi.json` once per caller that matters there: anonymous for the public routes, each role that may use
//! (or must be refused) the `/v1` routes, and the allowed peer's service token for the `/internal/*` routes.
//! Checks: no 5xx, every status code, content type and body as documented, no request left unanswered within
//! the request timeout (a hang), no panic in a service's log and no service unready afterwards. All findings
//! are listed together at the end.
//!
//! Knobs (environment):
//! - `FUZZ_MAX_EXAMPLES`: test cases per operation and phase, default 8 (the whole run takes a few minutes);
//! - `FUZZ_REQUEST_TIMEOUT_SECS`: a request unanswered this long is a hang, default 15;
//! - `FUZZ_SEED`: default 15, so that CI runs are reproducible;
//! - `FUZZ_WORKERS`: default 1 (schemathesis 4 on Python 3.11 trips over its own threads with more);
//! - `FUZZ_SERVICES`: a comma list, default all seven;
//! - `FUZZ_HOLD_SECS`: keep the fleet up this long after the runs, printing its URLs and the admin token, to
//!   replay a finding by hand (default 0);
//! - `FUZZ_SCHEMATHESIS`: the binary, default `var/fuzz-venv/bin/schemathesis`. Without it the test is
//!   skipped with a message, unless `CI` is set.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use journey::fleet::FleetOptions;
use journey::shop::{eventually, Shop, User, MAIN_WAREHOUSE, MAIN_ZIP};
use serde_json::{json, Value};
use tokio::process::Command;

/// The checks the issue asks for (schemathesis names).
const CHECKS: &str =
    "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance";
/// The routes every service serves to anyone.
const OPS_ROUTES: &str = r"^GET /(health|ready|metrics|openapi\.json)$";
/// A whole schemathesis run may not take longer than this (beyond it the run counts as hung).
const RUN_LIMIT: Duration = Duration::from_secs(900);

struct Settings {
    schemathesis: PathBuf,
    max_examples: u32,
    request_timeout: u32,
    seed: u64,
    workers: u32,
    services: Vec<String>,
    hold: Duration,
}

fn env_number<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v} is not a number")),
        _ => default,
    }
}

/// The settings, or `None` when schemathesis is not installed and this is not CI (the test then skips).
fn settings() -> Option<Settings> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let schemathesis = std::env::var_os("FUZZ_SCHEMATHESIS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("var/fuzz-venv/bin/schemathesis"));
    if !schemathesis.exists() {
        let msg = format!(
            "{} is missing: install it with `source scripts/lib/env.sh; source scripts/lib/fuzz.sh; \
             ensure_fuzz_venv`",
            schemathesis.display()
        );
        if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
            panic!("CI must fuzz the fleet: {msg}");
        }
        eprintln!("SKIPPED the OpenAPI fuzz run: {msg}");
        return None;
    }
    let services = std::env::var("FUZZ_SERVICES")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.split(',').map(|x| x.trim().to_string()).collect())
        .unwrap_or_else(|| {
            journey::fleet::SERVICES
                .iter()
                .map(|s| s.to_string())
                .collect()
        });
    Some(Settings {
        schemathesis,
        max_examples: env_number("FUZZ_MAX_EXAMPLES", 8),
        request_timeout: env_number("FUZZ_REQUEST_TIMEOUT_SECS", 15),
        seed: env_number("FUZZ_SEED", 15),
        workers: env_number("FUZZ_WORKERS", 1),
        services,
        hold: Duration::from_secs(env_number("FUZZ_HOLD_SECS", 0)),
    })
}

/// One schemathesis run: a service, a caller and the operations it fuzzes (`--include-name-regex`, matched
/// against `METHOD /path`).
struct Target {
    service: &'static str,
    who: String,
    headers: Vec<(String, String)>,
    operations: &'static str,
}

impl Target {
    fn anonymous(service: &'static str, operations: &'static str) -> Target {
        Target {
            service,
            who: "anonymous".into(),
            headers: Vec::new(),
            operations,
        }
    }

    fn user(service: &'static str, who: &str, user: &User, operations: &'static str) -> Target {
        Target {
            service,
            who: who.into(),
            headers: vec![("Authorization".into(), format!("Bearer {}", user.token))],
            operations,
        }
    }

    fn peer(shop: &Shop, service: &'static str, caller: &str, operations: &'static str) -> Target {
        Target {
            service,
            who: format!("{caller}'s service token"),
            headers: vec![("X-Service-Token".into(), shop.fleet.service_token(caller))],
            operations,
        }
    }
}

/// The people the runs act as, beside the admin.
struct Cast {
    a: User,
    staff: User,
    manager: User,
    /// Auth's own customer: logout and password changes do not touch the others' sessions.
    carol: User,
    /// Deletes their own account (`DELETE /v1/auth/me`), last.
    doomed: User,
    /// Ids of everything seeded (users, products, categories, warehouses, stock rows, orders, payments, cart
    /// lines): schemathesis draws path, query and body strings from them now and then (a dictionary), so that
    /// runs reach real objects and not only the 404 paths.
    ids: Vec<String>,
}

/// Every schemathesis run, in order (the one deleting its own account last).
fn targets(shop: &Shop, cast: &Cast) -> Vec<Target> {
    let admin = &shop.admin;
    let v1 = r"^\S+ /v1/";
    vec![
        // auth: public routes (`/v1/auth/{token}` and the sign-in flows), the own account, admin user management.
        Target::anonymous(
            "auth",
            r"^GET /(health|ready|metrics|openapi\.json)$|^GET /v1/auth/\{token\}$|^POST /v1/auth/(signup|confirm|resend-code|login|refresh|forgot-password|reset-password)$",
        ),
        Target::user(
            "auth",
            "customer",
            &cast.carol,
            r"^(GET|PATCH) /v1/auth/me$|^POST /v1/auth/(logout|change-password)$|^\S+ /v1/auth/users",
        ),
        Target::user("auth", "admin", admin, r"^\S+ /v1/auth/users"),
        // product: the public catalogue, the writers, a customer refused, the two peers.
        Target::anonymous("product", r"^GET /|^POST /v1/products/categories$"),
        Target::user("product", "admin", admin, v1),
        Target::user("product", "customer A", &cast.a, r"^(POST|PUT|DELETE) /v1/"),
        Target::peer(shop, "product", "cart", r"^POST /internal/products/lookup$"),
        Target::peer(shop, "product", "warehouse", r"^POST /internal/events$"),
        // cart: its owner; product delivers events.
        Target::anonymous("cart", OPS_ROUTES),
        Target::user("cart", "customer A", &cast.a, v1),
        Target::peer(shop, "cart", "product", r"^POST /internal/events$"),
        // order: every role reads or changes something; payment asks and delivers events.
        Target::anonymous("order", OPS_ROUTES),
        Target::user("order", "customer A", &cast.a, v1),
        Target::user("order", "warehouse_staff", &cast.staff, v1),
        Target::user("order", "warehouse_manager", &cast.manager, v1),
        Target::user("order", "admin", admin, v1),
        Target::peer(shop, "order", "payment", r"^\S+ /internal/"),
        // payment: the signed proof link is public; owner and admin.
        Target::anonymous(
            "payment",
            r"^GET /(health|ready|metrics|openapi\.json)$|^GET /v1/payments/\{id\}/proof$",
        ),
        Target::user("payment", "customer A", &cast.a, v1),
        Target::user("payment", "admin", admin, v1),
        // warehouse: staff read, managers write, a customer is refused everywhere; order and product as peers.
        Target::anonymous("warehouse", OPS_ROUTES),
        Target::user("warehouse", "customer A", &cast.a, v1),
        Target::user("warehouse", "warehouse_staff", &cast.staff, v1),
        Target::user("warehouse", "warehouse_manager", &cast.manager, v1),
        Target::user("warehouse", "admin", admin, v1),
        Target::peer(shop, "warehouse", "order", r"^POST /internal/reservations"),
        Target::peer(shop, "warehouse", "product", r"^POST /internal/events$"),
        // sales-report: admins only; order delivers the sales.
        Target::anonymous("sales-report", OPS_ROUTES),
        Target::user("sales-report", "warehouse_manager", &cast.manager, v1),
        Target::user("sales-report", "admin", admin, v1),
        Target::peer(shop, "sales-report", "order", r"^POST /internal/events$"),
        // Last: a customer deletes their own account.
        Target::user(
            "auth",
            "customer (deletes itself)",
            &cast.doomed,
            r"^DELETE /v1/auth/me$",
        ),
    ]
}

/// What one run did and found.
#[derive(Default)]
struct Outcome {
    operations: u64,
    cases: u64,
    requests: u64,
    elapsed: Duration,
    findings: Vec<String>,
}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// At most `n` characters of `s`, on one line.
fn clip(s: &str, n: usize) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() <= n {
        one_line
    } else {
        format!("{}…", one_line.chars().take(n).collect::<String>())
    }
}

/// A body as schemathesis recorded it: text, JSON, or base64 bytes.
fn body_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Object(o) if o.contains_key("$base64") => {
            use base64::Engine as _;
            let raw = o["$base64"].as_str().unwrap_or_default();
            match base64::engine::general_purpose::STANDARD.decode(raw) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(_) => raw.to_string(),
            }
        }
        other => other.to_string(),
    }
}

/// The schemathesis configuration file: the seeded ids as a dictionary that every generated string is drawn
/// from a quarter of the time (positive cases only take the ids that fit the parameter's schema), and the
/// one 5xx that is not a fault here.
fn write_config(path: &Path, ids: &[String]) {
    let values: Vec<String> = ids.iter().map(|id| format!("{id:?}")).collect();
    let text = format!(
        r#"[dictionaries.seeded]
values = [{}]

[generation.dictionaries]
string = {{ dictionary = "seeded", probability = 0.25 }}

# The emulator has no ResendConfirmationCode, so auth answers its documented 502 there (auth.md §5). Any
# other 5xx still fails, and status_code_conformance still checks that the 502 is documented.
[[operations]]
include-name = "POST /v1/auth/resend-code"
checks.not_a_server_error.expected-statuses = ["2xx", "3xx", "4xx", 502]
"#,
        values.join(", ")
    );
    std::fs::write(path, text).expect("schemathesis.toml");
}

async fn run_target(
    settings: &Settings,
    shop: &Shop,
    target: &Target,
    config: &Path,
    dir: &Path,
) -> Outcome {
    let base = shop.fleet.url(target.service);
    std::fs::create_dir_all(dir).expect("report dir");
    let log = std::fs::File::create(dir.join("schemathesis.log")).expect("log file");
    let mut cmd = Command::new(&settings.schemathesis);
    cmd.arg("--config-file")
        .arg(config)
        .arg("run")
        .arg(format!("{base}/openapi.json"))
        .args(["--url", &base])
        .args(["--checks", CHECKS])
        .args(["--phases", "examples,coverage,fuzzing"])
        .args(["--max-examples", &settings.max_examples.to_string()])
        .args(["--seed", &settings.seed.to_string()])
        .args(["--workers", &settings.workers.to_string()])
        .args(["--request-timeout", &settings.request_timeout.to_string()])
        .args(["--include-name-regex", target.operations])
        .args(["--generation-with-security-parameters", "false"])
        .args(["--generation-database", "none"])
        .args(["--suppress-health-check", "all"])
        .args(["--report", "json,ndjson"])
        .arg("--report-dir")
        .arg(dir)
        .args(["--output-sanitize", "false", "--no-color"]);
    for (name, value) in &target.headers {
        cmd.args(["--header", &format!("{name}: {value}")]);
    }
    // Its crash cache (`.schemathesis/`) goes with the reports, not into the source tree.
    cmd.current_dir(dir)
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("log handle"))
        .stderr(log)
        .kill_on_drop(true);
    let started = Instant::now();
    let mut child = cmd.spawn().expect("schemathesis starts");
    let status = match tokio::time::timeout(RUN_LIMIT, child.wait()).await {
        Ok(status) => Some(status.expect("schemathesis exit status")),
        Err(_) => {
            let _ = child.start_kill();
            let _ = child.wait().await;
            None
        }
    };
    let mut outcome = Outcome {
        elapsed: started.elapsed(),
        ..Outcome::default()
    };
    let whose = format!("{} as {}", target.service, target.who);
    let Some(status) = status else {
        outcome.findings.push(format!(
            "{whose}: schemathesis still running after {RUN_LIMIT:?} (a hang?); see {}",
            dir.display()
        ));
        return outcome;
    };
    read_json_report(dir, &whose, &mut outcome);
    read_ndjson(dir, &whose, &mut outcome);
    if !status.success() && outcome.findings.is_empty() {
        let log = std::fs::read_to_string(dir.join("schemathesis.log")).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(25).collect();
        outcome.findings.push(format!(
            "{whose}: schemathesis exited with {status} and no finding recorded:\n{}",
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        ));
    }
    if outcome.operations == 0 {
        outcome.findings.push(format!(
            "{whose}: no operation matched {:?}",
            target.operations
        ));
    }
    outcome
}

/// The report schemathesis wrote with extension `ext` (its names carry a timestamp).
fn report_file(dir: &Path, ext: &str) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == ext))
}

/// Figures from the JSON run report, and any error it lists that the event stream did not explain.
fn read_json_report(dir: &Path, whose: &str, outcome: &mut Outcome) {
    let Some(text) = report_file(dir, "json").and_then(|p| std::fs::read_to_string(p).ok()) else {
        outcome
            .findings
            .push(format!("{whose}: no JSON report in {}", dir.display()));
        return;
    };
    let report: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    outcome.operations = report["operations"]["tested"].as_u64().unwrap_or(0);
    outcome.cases = report["test_cases"]["generated"].as_u64().unwrap_or(0);
}

/// The `curl` line schemathesis printed to reproduce a failure of `label` (errors carry no request in the
/// event stream), with the credential shortened.
fn reproduction_from_log(dir: &Path, label: &str) -> Option<String> {
    let log = std::fs::read_to_string(dir.join("schemathesis.log")).ok()?;
    let start = log.find(&format!(" {label} "))?;
    let curl = log[start..]
        .lines()
        .find(|l| l.trim_start().starts_with("curl "))?;
    let curl = curl.trim();
    let shortened = match curl.find("Bearer ") {
        Some(i) => {
            let end = curl[i..].find('\'').map_or(curl.len(), |e| i + e);
            format!("{}Bearer <token>{}", &curl[..i], &curl[end..])
        }
        None => curl.to_string(),
    };
    Some(shortened)
}

/// Every failed check and every error of the event stream, one finding per (operation, check, status).
fn read_ndjson(dir: &Path, whose: &str, outcome: &mut Outcome) {
    let Some(path) = report_file(dir, "ndjson") else {
        outcome
            .findings
            .push(format!("{whose}: no NDJSON events in {}", dir.display()));
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let mut seen = std::collections::BTreeSet::new();
    for line in text.lines() {
        let Ok(event) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if let Some(finished) = event.get("ScenarioFinished") {
            let recorder = &finished["recorder"];
            let label = recorder["label"].as_str().unwrap_or("?");
            let interactions = recorder["interactions"].as_object();
            outcome.requests += interactions.map_or(0, |i| i.len() as u64);
            let Some(checks) = recorder["checks"].as_object() else {
                continue;
            };
            for (case_id, list) in checks {
                for check in list.as_array().into_iter().flatten() {
                    if check["status"] != "failure" {
                        continue;
                    }
                    let name = check["name"].as_str().unwrap_or("?");
                    let interaction = interactions.and_then(|i| i.get(case_id));
                    let status = interaction
                        .map(|i| i["response"]["status_code"].clone())
                        .unwrap_or(Value::Null);
                    if !seen.insert((label.to_string(), name.to_string(), status.to_string())) {
                        continue;
                    }
                    outcome
                        .findings
                        .push(describe_failure(whose, label, check, interaction));
                }
            }
        } else if let Some(error) = event.get("NonFatalError") {
            let label = error["label"].as_str().unwrap_or("?");
            let value = &error["value"];
            let text = clip(
                &format!(
                    "{}: {}",
                    value["type"].as_str().unwrap_or("error"),
                    value["message"].as_str().unwrap_or_default()
                ),
                600,
            );
            if seen.insert((label.to_string(), "error".into(), text.clone())) {
                let repro = reproduction_from_log(dir, label)
                    .map(|c| format!("\n    reproduce: {c}"))
                    .unwrap_or_default();
                outcome
                    .findings
                    .push(format!("{whose}: {label}: {text}{repro}"));
            }
        } else if let Some(error) = event.get("FatalError") {
            outcome.findings.push(format!(
                "{whose}: schemathesis stopped: {}",
                clip(&error.to_string(), 600)
            ));
        }
    }
}

fn describe_failure(
    whose: &str,
    label: &str,
    check: &Value,
    interaction: Option<&Value>,
) -> String {
    let failure = &check["failure_info"]["failure"];
    let title = failure["title"].as_str().unwrap_or_default();
    let message = failure["message"].as_str().unwrap_or_default();
    let mut out = format!(
        "{whose}: {label}: {} — {title}",
        check["name"].as_str().unwrap_or("?")
    );
    if !message.is_empty() {
        let _ = write!(out, ": {}", clip(message, 400));
    }
    if let Some(i) = interaction {
        let req = &i["request"];
        let body = body_text(&req["body"]);
        let _ = write!(
            out,
            "\n    request: {} {}",
            req["method"].as_str().unwrap_or("?"),
            req["uri"].as_str().unwrap_or("?")
        );
        if let Some(ct) = req["headers"].as_object().and_then(|h| {
            h.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        }) {
            let _ = write!(out, " ({})", ct.1.as_str().unwrap_or_default());
        }
        if !body.is_empty() {
            let _ = write!(out, " body {}", clip(&body, 300));
        }
        let resp = &i["response"];
        let _ = write!(
            out,
            "\n    response: {} {}",
            resp["status_code"],
            clip(&body_text(&resp["content"]), 300)
        );
    }
    out
}

/// Seeds what the list and detail routes should return something for: two products in a category of their
/// own, a second warehouse with a transfer, a cart line, an order paid and accepted (so a sale and committed
/// stock), an order with a proof under review, another customer's unpaid order, a cost price.
async fn seed(shop: &Shop) -> Cast {
    let a = shop.sign_up("fuzz-alice").await;
    let b = shop.sign_up("fuzz-bob").await;
    let carol = shop.sign_up("fuzz-carol").await;
    let doomed = shop.sign_up("fuzz-doomed").await;
    let staff = shop.staff("fuzz-staff", "warehouse_staff").await;
    let manager = shop.staff("fuzz-manager", "warehouse_manager").await;
    let category = shop.category("Fuzz sedans").await;
    let p0 = shop
        .product("Fuzz sedan", "150000000.50", 30, &category)
        .await;
    let p1 = shop.product("Fuzz bike", "25000000", 30, &category).await;
    let surabaya = shop.warehouse("Fuzz Surabaya", "60111").await;
    shop.transfer(&p0, MAIN_WAREHOUSE, &surabaya, 5).await;

    shop.add_to_cart(&a, &p0, 1).await.expect(201, "A adds p0");
    let paid = shop.place_order(&a, MAIN_ZIP, "fuzz-a-1").await;
    let payment = shop.submit_proof(&a, &paid).await;
    shop.review(&payment, "APPROVED", false)
        .await
        .expect(200, "approve");
    shop.wait_status(&paid, "PAYMENT_ACCEPTED").await;

    let mut ids = vec![
        a.user_id.clone(),
        b.user_id.clone(),
        carol.user_id.clone(),
        staff.user_id.clone(),
        manager.user_id.clone(),
        shop.admin.user_id.clone(),
        category.clone(),
        p0.clone(),
        p1.clone(),
        surabaya.clone(),
        MAIN_WAREHOUSE.to_string(),
        paid.clone(),
        payment,
    ];
    ids.push(
        shop.stock_row(&p0, &surabaya).await["id"]
            .as_str()
            .expect("stock row id")
            .to_string(),
    );

    shop.add_to_cart(&a, &p1, 2).await.expect(201, "A adds p1");
    let reviewed = shop.place_order(&a, MAIN_ZIP, "fuzz-a-2").await;
    let under_review = shop.submit_proof(&a, &reviewed).await;
    ids.push(reviewed);
    ids.push(under_review);
    shop.add_to_cart(&b, &p0, 1).await.expect(201, "B adds p0");
    ids.push(shop.place_order(&b, "60112", "fuzz-b-1").await);
    // Lines left in the carts: A's and B's.
    for (who, product) in [(&a, &p1), (&b, &p1)] {
        let line = shop
            .add_to_cart(who, product, 1)
            .await
            .expect(201, "a cart line");
        ids.push(line.data()["id"].as_str().expect("line id").to_string());
    }

    shop.api
        .put(
            &shop.url("sales-report", &format!("/v1/sales/cost-prices/{p1}")),
            Some(&shop.admin.token),
            &json!({"cost_price": 20000000}),
        )
        .await
        .expect(200, "cost price");
    eventually(Duration::from_secs(20), "the sale of p0", || async {
        (!shop.sales_of(&p0).await.is_empty()).then_some(())
    })
    .await;
    Cast {
        a,
        staff,
        manager,
        carol,
        doomed,
        ids,
    }
}

/// A panic a service logged (a handler's panic is a 500 the checks see; one in a body stream or a task only
/// cuts a connection or dies quietly), one finding per service with the first such line and its message.
fn panics_in_logs(shop: &Shop) -> Vec<String> {
    let mut out = Vec::new();
    for svc in journey::fleet::SERVICES {
        let log = std::fs::read_to_string(shop.fleet.log_dir().join(format!("{svc}.log")))
            .unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        let panics: Vec<usize> = (0..lines.len())
            .filter(|i| lines[*i].contains("panicked at"))
            .collect();
        if let Some(first) = panics.first() {
            let message = lines.get(first + 1).copied().unwrap_or_default();
            out.push(format!(
                "{svc} logged {} panics while fuzzed; the first: {} {}",
                panics.len(),
                clip(lines[*first], 300),
                clip(message, 300)
            ));
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn schemathesis_finds_no_server_error_no_undocumented_answer_and_no_hang_in_any_service() {
    let Some(settings) = settings() else {
        return;
    };
    let started = Instant::now();
    let shop = Shop::open(FleetOptions {
        // Requests the services give up on must end before the fuzzer's own timeout calls them a hang.
        // (the cart's checkout call to the order service must fit inside the cart's own request timeout).
        extra_env: vec![
            ("HTTP_REQUEST_TIMEOUT_SECS".into(), "10".into()),
            ("ORDER_TIMEOUT_MS".into(), "6000".into()),
        ],
        ..FleetOptions::default()
    })
    .await;
    let cast = seed(&shop).await;
    eprintln!("fleet up and seeded in {:?}", started.elapsed());

    let report_root = shop.fleet.log_dir().join("fuzz");
    std::fs::create_dir_all(&report_root).expect("report root");
    let config = report_root.join("schemathesis.toml");
    write_config(&config, &cast.ids);
    let mut findings = Vec::new();
    // Figures per service: operations fuzzed (summed over callers), test cases, requests, time.
    let mut figures: BTreeMap<&str, (u64, u64, u64, Duration, u32)> = BTreeMap::new();
    let mut summary = String::new();
    for target in targets(&shop, &cast) {
        if !settings.services.iter().any(|s| s == target.service) {
            continue;
        }
        let dir = report_root.join(format!("{}-{}", target.service, slug(&target.who)));
        let outcome = run_target(&settings, &shop, &target, &config, &dir).await;
        let line = format!(
            "{:<13} {:<28} {:>3} operations {:>5} cases {:>5} requests {:>6.1}s {} findings",
            target.service,
            target.who,
            outcome.operations,
            outcome.cases,
            outcome.requests,
            outcome.elapsed.as_secs_f64(),
            outcome.findings.len()
        );
        eprintln!("fuzz: {line}");
        summary.push_str(&line);
        summary.push('\n');
        let f = figures.entry(target.service).or_default();
        f.0 += outcome.operations;
        f.1 += outcome.cases;
        f.2 += outcome.requests;
        f.3 += outcome.elapsed;
        f.4 += 1;
        for finding in &outcome.findings {
            eprintln!("FINDING: {finding}");
        }
        findings.extend(outcome.findings);
        // A run must not leave a service dead or unready.
        for svc in journey::fleet::SERVICES {
            let ready = reqwest::Client::new()
                .get(format!("{}/ready", shop.fleet.url(svc)))
                .timeout(Duration::from_secs(5))
                .send()
                .await
                .map(|r| r.status().is_success())
                .unwrap_or(false);
            if !ready {
                findings.push(format!(
                    "{svc} is not ready after fuzzing {} as {}:\n{}",
                    target.service,
                    target.who,
                    shop.fleet.log_tail(svc)
                ));
                shop.fleet.restart(svc).await;
            }
        }
    }

    findings.extend(panics_in_logs(&shop));
    let mut totals = (0, 0, 0);
    eprintln!(
        "fuzz summary (schemathesis, --max-examples {}, --seed {}; reports in {}):",
        settings.max_examples,
        settings.seed,
        report_root.display()
    );
    for (svc, (ops, cases, requests, time, runs)) in &figures {
        eprintln!(
            "  {svc:<13} {runs} callers, {ops:>3} operations fuzzed, {cases:>5} cases, {requests:>5} requests, {:.0}s",
            time.as_secs_f64()
        );
        totals.0 += ops;
        totals.1 += cases;
        totals.2 += requests;
    }
    eprintln!(
        "  total: {} operations fuzzed, {} cases, {} requests, {} findings, {:.0}s with \
         the fleet's start",
        totals.0,
        totals.1,
        totals.2,
        findings.len(),
        started.elapsed().as_secs_f64()
    );
    if settings.hold > Duration::ZERO {
        eprintln!(
            "fuzz: FUZZ_HOLD_SECS: the fleet stays up {:?} for replaying findings:",
            settings.hold
        );
        for svc in journey::fleet::SERVICES {
            eprintln!("  {svc:<13} {}", shop.fleet.url(svc));
        }
        eprintln!("  admin token: {}", shop.admin.token);
        tokio::time::sleep(settings.hold).await;
    }
    assert!(
        findings.is_empty(),
        "{} findings (reports in {}):\n{}\n\nruns:\n{summary}",
        findings.len(),
        report_root.display(),
        findings.join("\n")
    );
}
