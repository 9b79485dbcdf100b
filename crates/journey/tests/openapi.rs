//! Issue 15 item 1: each service's `GET /openapi.json` describes exactly the routes it serves.
//!
//! The documents are generated from the code (utoipa: `#[utoipa::path]` on each handler, `ToSchema` on the
//! types it reads and answers; `eshop_common::openapi`), and each service's own drift test compares its
//! router with its document. This test checks the whole running fleet the same way, from outside:
//! 1. the paths each router declares (every `.route("…"` in `services/<svc>/src`, plus the common routes of
//!    `crates/common/src/server.rs`) are exactly the document's paths;
//! 2. on the running fleet, every documented (path, method) is served, and every other method on a
//!    documented path gets the router's 405 — so no operation is served undocumented or documented unserved.
//!
//! What the operations accept and answer is checked against the same documents by the fuzz test
//! (`fuzz.rs`: schemathesis' status, content-type and response-schema conformance on every operation).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use journey::fleet::{FleetOptions, SERVICES};
use journey::shop::Shop;
use serde_json::Value;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `/a/b/` and `/a/b` are one route (every service answers both).
fn normal(path: &str) -> String {
    match path.trim_end_matches('/') {
        "" => "/".into(),
        p => p.into(),
    }
}

/// The string literal right after each `.route(` in the Rust files under `dir`.
fn declared_paths(dir: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).expect("source dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            declared_paths(&path, out);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("source file");
        for (at, _) in text.match_indices(".route(") {
            let rest = text[at + ".route(".len()..].trim_start();
            if let Some(literal) = rest.strip_prefix('"') {
                let end = literal.find('"').expect("closing quote");
                out.insert(normal(&literal[..end]));
            }
        }
    }
}

/// Documented paths and their methods.
fn documented(doc: &Value) -> BTreeMap<String, BTreeSet<String>> {
    doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .map(|(path, item)| {
            let methods = METHODS
                .iter()
                .filter(|m| item.get(**m).is_some())
                .map(|m| m.to_string())
                .collect();
            (normal(path), methods)
        })
        .collect()
}

/// The path with every `{param}` filled in (any segment matches a router parameter).
fn concrete(path: &str) -> String {
    path.split('/')
        .map(|s| {
            if s.starts_with('{') {
                "00000000-0000-4000-8000-000000000001"
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_served_route_is_documented_and_every_documented_operation_is_served() {
    let shop = Shop::open(FleetOptions::default()).await;
    let http = reqwest::Client::new();
    let mut common = BTreeSet::new();
    declared_paths(&root().join("crates/common/src"), &mut common);
    let mut problems = Vec::new();
    let mut operations = 0;
    for svc in SERVICES {
        let base = shop.fleet.url(svc);
        let doc: Value = http
            .get(format!("{base}/openapi.json"))
            .send()
            .await
            .expect("openapi.json")
            .json()
            .await
            .expect("a JSON document");
        let paths = documented(&doc);

        let mut source = common.clone();
        declared_paths(&root().join("services").join(svc).join("src"), &mut source);
        let in_doc: BTreeSet<String> = paths.keys().cloned().collect();
        for p in source.difference(&in_doc) {
            problems.push(format!("{svc}: {p} is routed but not documented"));
        }
        for p in in_doc.difference(&source) {
            problems.push(format!("{svc}: {p} is documented but not routed"));
        }

        for (path, methods) in &paths {
            let url = format!("{base}{}", concrete(path));
            for method in METHODS {
                let verb = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                let res = http.request(verb, &url).send().await.expect("an answer");
                let status = res.status().as_u16();
                let body = res.text().await.unwrap_or_default();
                let served = status != 405 && !(status == 404 && body.contains("route not found"));
                match (methods.contains(method), served) {
                    (true, false) => problems.push(format!(
                        "{svc}: {} {path} is documented but answers {status}",
                        method.to_uppercase()
                    )),
                    (false, true) => problems.push(format!(
                        "{svc}: {} {path} is served ({status}) but not documented",
                        method.to_uppercase()
                    )),
                    _ => {}
                }
            }
            operations += methods.len();
        }
    }
    eprintln!(
        "openapi: {operations} documented operations of {} services match their routers",
        SERVICES.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
