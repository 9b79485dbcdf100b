//! The OpenAPI document each service serves at `/openapi.json`, generated from its code with utoipa (issue 15
//! item 1) so that it cannot drift from the routes and types. Here is what every service shares: the error
//! envelope (schema `Error`, from [`ErrorBody`](crate::error::ErrorBody)), the success envelope
//! ([`Envelope<T>`](crate::envelope::Envelope), the wire shape of a `Reply<T>`), [`Null`] (the `data` of a reply
//! without one), the security schemes [`BEARER`] and [`SERVICE_TOKEN`], the common routes `/health`, `/ready`,
//! `/metrics` and `/openapi.json` (documented on their handlers in [`crate::server`]), [`document`] that adds
//! all of it to a service's own document, [`EventTypes`] and [`EventSources`] that narrow the event envelope
//! to what a consumer takes, and the services' document tests: [`assert_documented`] (over
//! [`router_drift`]) that the router and the document agree, [`assert_operations`] that the document lists
//! the expected operations and statuses, the offline parts of the former's state ([`offline_verifier`],
//! [`offline_pg_pool`], [`offline_mysql_pool`]) and [`json`] to read a document.
//!
//! Common types that already derive their schema, to use as they are: [`outbox::Envelope`] (`EventEnvelope`),
//! [`outbox::EventResponse`] (`EventResponse`, whose `result` is `EventResult`) and [`auth::Role`] (`Role`).
//!
//! [`outbox::Envelope`]: crate::outbox::Envelope
//! [`outbox::EventResponse`]: crate::outbox::EventResponse
//! [`auth::Role`]: crate::auth::Role
//!
//! # Converting a service (services/payment is the worked example)
//!
//! 1. `utoipa.workspace = true` under `[dependencies]`.
//! 2. Types: `#[derive(utoipa::ToSchema)]` on the response objects and request bodies the handlers really use
//!    (serde's `rename_all`, `rename`, `skip` and `default` are honoured; on a type without serde write
//!    `#[schema(rename_all = "camelCase")]`), `#[derive(utoipa::IntoParams)]` with
//!    `#[into_params(parameter_in = Query, rename_all = "camelCase")]` on query structs. The fuzz test checks
//!    every response against these schemas, so they must be exact:
//!    - an `Option` field is nullable and not required; one that is always serialized (as `null`) needs
//!      `#[schema(required = true)]`;
//!    - a non-`Option` input with a default needs `required = false` (and `default = …`);
//!    - an `Option` query parameter: `#[param(nullable = false)]` (a query string has no null);
//!    - `Decimal` written with `rust_decimal::serde::float` is `value_type = f64`, else `value_type = String`;
//!    - a multipart file part is `value_type = String, format = Binary`, a field that is no part `ignore`;
//!    - a string that is one of a fixed set built in code: `schema_with = a_fn` returning the enum;
//!    - `max_length`, `maximum`… take literals only: pin the constant beside it with
//!      `const _: () = assert!(NOTE_MAX_CHARS == 255);`;
//!    - `#[schema(as = Name)]` keeps a component's published name when the Rust type's differs;
//!    - a type of eshop-common that has no schema gets one there (derived on the type itself, with a test
//!      beside it), never a copy in the service: the orphan rule keeps a service from deriving it.
//! 3. Handlers: `#[utoipa::path(get, path = "/v1/…", operation_id = "…", tag = "…", params(…),
//!    request_body(content = T, content_type = "…"), responses(…), security(…))]` on each handler, listing
//!    every status it can answer: `(status = 200, description = "…", body = Envelope<T>)` for a `Reply<T>`
//!    (`Envelope<Null>` for a reply without data), `(status = 4xx|5xx, description = "…", body = ErrorBody)`
//!    for each `AppError` it can return (401 where a token is checked, 503 where a store can be down).
//!    The errors many handlers share are listed by name among those rows: [`BearerRefused`],
//!    [`ServiceTokenRefused`], [`NotJson`], [`DatabaseUnavailable`] and [`Fault`].
//!    `security(("bearer" = []))` for a token, `security((), ("bearer" = []))` when it is optional,
//!    `security(("serviceToken" = []))` on `/internal/*`. A path segment the handler reads as a string:
//!    `params(("id" = Uuid, Path, description = "…"))`. An event consumer (`POST /internal/events`) takes
//!    `request_body(content = Envelope, description = "the types handled and their data …")` and answers
//!    `body = Envelope<EventResponse>` (`crate::envelope::Envelope` and `crate::outbox::Envelope` share a
//!    name: import one under another, e.g. `envelope::Envelope as Success`).
//! 4. Beside the router: `#[derive(utoipa::OpenApi)] #[openapi(info(title = "Eshop <svc> service",
//!    description = "…"), paths(every handler))] pub struct ApiDoc;`. The schemas the paths reach are
//!    collected by themselves. To publish the event types a consumer takes (or its callers) as an enum:
//!    `const HANDLED_EVENTS: EventTypes = EventTypes(crate::INTERNAL_EVENTS);` and
//!    `modifiers(&HANDLED_EVENTS)` ([`EventSources`] likewise for `source`).
//! 5. In `lib.rs`: `pub static OPENAPI: LazyLock<String> = LazyLock::new(|| openapi::document(ApiDoc::openapi()));`
//!    and `Defaults::new(config.common, OPENAPI.as_str(), …)`; delete `services/<svc>/openapi.json`.
//! 6. Keep string literals as the router's paths (crates/journey/tests/openapi.rs greps them) and add the
//!    tests, in `lib.rs`:
//!    - the drift test: `openapi::assert_documented(router(offline_state()), &OPENAPI,
//!      env!("CARGO_MANIFEST_DIR")).await`, where `offline_state()` is the service's `AppState` wired to
//!      nothing ([`offline_pg_pool`] or [`offline_mysql_pool`], [`offline_verifier`], peers on
//!      `127.0.0.1:9`): a request without a token is refused before a store is used;
//!    - the route test: `openapi::assert_operations(&OPENAPI, [(path, method, statuses), …], how)` with
//!      every own operation (the common routes are tested here), `Statuses::Exactly` or `Statuses::AtLeast`;
//!    - checks of the schemas, on `openapi::json(&OPENAPI)`.
//!
//! The documents are OpenAPI 3.1 (utoipa 5 writes no other): nullable is `"type": ["string", "null"]`, which
//! schemathesis reads as 3.1.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use tower::ServiceExt;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::RefOr;
use utoipa::{Modify, OpenApi};

use crate::auth::{AuthSettings, Verifier};

/// The security scheme of a Cognito access token (`Authorization: Bearer …`): `security(("bearer" = []))`.
pub const BEARER: &str = "bearer";
/// The security scheme of a peer's service token (`X-Service-Token`), on `/internal/*`:
/// `security(("serviceToken" = []))`.
pub const SERVICE_TOKEN: &str = "serviceToken";

/// The methods a router's paths are probed with.
const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// What every service's document gets besides its own routes.
#[derive(OpenApi)]
#[openapi(
    paths(
        crate::server::health,
        crate::server::ready,
        crate::server::metrics,
        crate::server::openapi_document
    ),
    components(schemas(crate::error::ErrorBody)),
    modifiers(&SecuritySchemes)
)]
struct Common;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            BEARER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("a Cognito access token (ID tokens are refused)"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            SERVICE_TOKEN,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Service-Token",
                "the calling service's token (INTERNAL_TOKENS)",
            ))),
        );
    }
}

/// 401 from the bearer check ([`crate::auth`]), with its `WWW-Authenticate` challenge: for
/// `responses((status = 200, …), BearerRefused, …)`, as are the other sets below.
#[derive(utoipa::IntoResponses)]
#[response(
    status = 401,
    description = "missing, invalid or expired access token (an ID token is refused too)",
    headers(("WWW-Authenticate" = String))
)]
pub struct BearerRefused(pub crate::error::ErrorBody);

/// 401 from the service-token check of `/internal/*` routes.
#[derive(utoipa::IntoResponses)]
#[response(
    status = 401,
    description = "missing or unknown service token (user tokens are refused)"
)]
pub struct ServiceTokenRefused(pub crate::error::ErrorBody);

/// 415 from the JSON body extractor.
#[derive(utoipa::IntoResponses)]
#[response(
    status = 415,
    description = "the body is missing or not application/json"
)]
pub struct NotJson(pub crate::error::ErrorBody);

/// 503 when the service's database cannot be reached.
#[derive(utoipa::IntoResponses)]
#[response(
    status = 503,
    description = "the database is unavailable (the message carries the request id)"
)]
pub struct DatabaseUnavailable(pub crate::error::ErrorBody);

/// 500, a fault that is not the caller's.
#[derive(utoipa::IntoResponses)]
#[response(
    status = 500,
    description = "a real fault (the message carries the request id)"
)]
pub struct Fault(pub crate::error::ErrorBody);

/// The `data` of a reply that carries none, e.g. `deleted(Null)`: written as `null`, and documented so (schema
/// `Null`) with `body = Envelope<Null>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Null;

impl utoipa::PartialSchema for Null {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Null)
            .description(Some("always null"))
            .into()
    }
}

impl utoipa::ToSchema for Null {
    fn name() -> std::borrow::Cow<'static, str> {
        "Null".into()
    }
}

/// A modifier that narrows `type` in the document's `EventEnvelope` (the schema of
/// [`outbox::Envelope`](crate::outbox::Envelope)) to the types of `events`, the `(caller, type)` pairs the
/// service's `InternalAuth` takes: `const HANDLED_EVENTS: EventTypes = EventTypes(crate::INTERNAL_EVENTS);`
/// and `modifiers(&HANDLED_EVENTS)` (utoipa takes a modifier by name only).
pub struct EventTypes(pub &'static [(&'static str, &'static str)]);

impl Modify for EventTypes {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        narrow_envelope(api, "type", self.0.iter().map(|(_, event)| *event));
    }
}

/// A modifier that narrows `source` in the document's `EventEnvelope` to the callers of `events`, the
/// `(caller, type)` pairs the service's `InternalAuth` takes (used as [`EventTypes`] is).
pub struct EventSources(pub &'static [(&'static str, &'static str)]);

impl Modify for EventSources {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        narrow_envelope(api, "source", self.0.iter().map(|(caller, _)| *caller));
    }
}

/// Makes `field` of the `EventEnvelope` schema one of `values` (each once, in their order).
fn narrow_envelope<'a>(
    api: &mut utoipa::openapi::OpenApi,
    field: &str,
    values: impl Iterator<Item = &'a str>,
) {
    let envelope = api
        .components
        .as_mut()
        .and_then(|c| c.schemas.get_mut("EventEnvelope"));
    let Some(RefOr::T(Schema::Object(envelope))) = envelope else {
        panic!("no EventEnvelope schema to narrow: no operation takes an outbox::Envelope");
    };
    let Some(RefOr::T(Schema::Object(property))) = envelope.properties.get_mut(field) else {
        panic!("EventEnvelope has no property {field}");
    };
    let mut once: Vec<&str> = Vec::new();
    for value in values {
        if !once.contains(&value) {
            once.push(value);
        }
    }
    property.enum_values = Some(once.into_iter().map(Into::into).collect());
}

/// `api` (a service's `ApiDoc::openapi()`) with the common routes, the `Error` schema and the security
/// schemes added, as pretty JSON: what `/openapi.json` serves. Build it once, in a `LazyLock`.
pub fn document(mut api: utoipa::openapi::OpenApi) -> String {
    api.merge(Common::openapi());
    api.to_pretty_json()
        .expect("an OpenAPI document serializes to JSON")
}

/// The paths of the common routes (served by [`crate::server::build`] for every service).
pub fn common_paths() -> BTreeSet<String> {
    Common::openapi().paths.paths.into_keys().collect()
}

/// The string literal right after each route call in the Rust files under `dir` (recursively): the paths
/// the service's router declares. The same reading as crates/journey/tests/openapi.rs.
pub fn declared_paths(dir: &Path) -> BTreeSet<String> {
    // Spelled apart so that this file declares no route to that reading.
    const CALL: &str = concat!(".route", "(");
    let mut out = BTreeSet::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries =
            std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("a source file");
            for (at, _) in text.match_indices(CALL) {
                let rest = text[at + CALL.len()..].trim_start();
                if let Some(literal) = rest.strip_prefix('"') {
                    let end = literal.find('"').expect("a closing quote");
                    out.insert(literal[..end].to_string());
                }
            }
        }
    }
    out
}

/// Where a service's `router` (its own routes, without the common ones) and its `document` (the JSON
/// [`document`] returned) disagree, one line each; empty when they agree. Paths: those the router declares in
/// the sources under `src` (see [`declared_paths`]) against the documented ones. Methods: every path of either
/// is requested with each method, without a token or a body, and a method is served unless the router answers
/// 405 or finds no route; it must be served exactly when it is documented.
pub async fn router_drift(router: Router, document: &str, src: &Path) -> Vec<String> {
    const NO_ROUTE: &str = "no such route (router_drift)";
    let doc: serde_json::Value = match serde_json::from_str(document) {
        Ok(doc) => doc,
        Err(e) => return vec![format!("the document is not JSON: {e}")],
    };
    let common = common_paths();
    let documented: BTreeMap<String, BTreeSet<&str>> = doc["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(path, _)| !common.contains(*path))
        .map(|(path, item)| {
            let methods = METHODS
                .into_iter()
                .filter(|m| item.get(*m).is_some())
                .collect();
            (path.clone(), methods)
        })
        .collect();
    let declared = declared_paths(src);
    let mut problems = Vec::new();
    for path in declared.iter().filter(|p| !documented.contains_key(*p)) {
        problems.push(format!("{path} is routed but not documented"));
    }
    for path in documented.keys().filter(|p| !declared.contains(*p)) {
        problems.push(format!("{path} is documented but not routed"));
    }
    let router = router.fallback(|| async { (StatusCode::NOT_FOUND, NO_ROUTE) });
    let paths: BTreeSet<&String> = declared.iter().chain(documented.keys()).collect();
    for path in paths {
        for method in METHODS {
            let request = Request::builder()
                .method(method.to_ascii_uppercase().as_str())
                .uri(concrete(path))
                .body(Body::empty())
                .expect("a request");
            let response = router
                .clone()
                .oneshot(request)
                .await
                .expect("a router never fails");
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), 1 << 20)
                .await
                .unwrap_or_default();
            let served = status != StatusCode::METHOD_NOT_ALLOWED
                && !(status == StatusCode::NOT_FOUND && body == NO_ROUTE.as_bytes());
            let listed = documented.get(path).is_some_and(|m| m.contains(method));
            match (listed, served) {
                (true, false) => problems.push(format!(
                    "{} {path} is documented but answers {status}",
                    method.to_ascii_uppercase()
                )),
                (false, true) => problems.push(format!(
                    "{} {path} is served ({status}) but not documented",
                    method.to_ascii_uppercase()
                )),
                _ => {}
            }
        }
    }
    problems
}

/// The drift test of a service: panics, listing them, where `router` (its own routes, over a state that need
/// not reach any store) and `document` disagree, as [`router_drift`] reads them from the sources under
/// `manifest_dir/src`. `assert_documented(router(offline_state()), &OPENAPI, env!("CARGO_MANIFEST_DIR")).await`.
pub async fn assert_documented(router: Router, document: &str, manifest_dir: &str) {
    let src = Path::new(manifest_dir).join("src");
    let problems = router_drift(router, document, &src).await;
    assert!(
        problems.is_empty(),
        "the router and the OpenAPI document disagree:\n{}",
        problems.join("\n")
    );
}

/// A verifier for the drift test's state: its key set is never fetched, so a request without a token is
/// refused (401) before any store is reached.
pub fn offline_verifier() -> Arc<Verifier> {
    Verifier::new(AuthSettings::new(
        "http://127.0.0.1:9/pool",
        &["offline"],
        "http://127.0.0.1:9/jwks",
    ))
}

/// A PostgreSQL pool for the drift test's state: it never connects (nothing listens on `127.0.0.1:9`).
pub fn offline_pg_pool() -> sqlx::PgPool {
    sqlx::postgres::PgPoolOptions::new()
        .connect_lazy("postgres://nobody@127.0.0.1:9/offline")
        .expect("a valid URL")
}

/// A MySQL pool for the drift test's state: it never connects (nothing listens on `127.0.0.1:9`).
pub fn offline_mysql_pool() -> sqlx::MySqlPool {
    sqlx::mysql::MySqlPoolOptions::new()
        .connect_lazy("mysql://nobody@127.0.0.1:9/offline")
        .expect("a valid URL")
}

/// `document` (the JSON [`document`] returned, a service's `OPENAPI`) parsed, for a test to read.
pub fn json(document: &str) -> serde_json::Value {
    serde_json::from_str(document).expect("the document is JSON")
}

/// Every operation of `document` (the JSON [`document`] returned), keyed `(path, method)`, with the statuses
/// it documents.
fn documented_operations(document: &str) -> BTreeMap<(String, String), BTreeSet<String>> {
    let doc = json(document);
    let mut out = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                let statuses = operation["responses"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(status, _)| status.clone())
                    .collect();
                out.insert((path.clone(), method.to_string()), statuses);
            }
        }
    }
    out
}

/// How [`assert_operations`] reads the statuses listed for an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statuses {
    /// The operation documents these and no other.
    Exactly,
    /// The operation documents at least these.
    AtLeast,
}

/// The route test of a service: panics, listing every difference, unless the operations of `document` are
/// those of `expected`, `(path, method, statuses)` each with the method in lower case, and each documents the
/// statuses listed for it as `how` says. Every own operation must be listed; the common routes may be.
pub fn assert_operations<'a, S: AsRef<[&'a str]>>(
    document: &str,
    expected: impl IntoIterator<Item = (&'a str, &'a str, S)>,
    how: Statuses,
) {
    let problems = operation_problems(document, expected, how);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// What [`assert_operations`] lists, one line each.
fn operation_problems<'a, S: AsRef<[&'a str]>>(
    document: &str,
    expected: impl IntoIterator<Item = (&'a str, &'a str, S)>,
    how: Statuses,
) -> Vec<String> {
    let mut documented = documented_operations(document);
    let common = common_paths();
    let mut problems = Vec::new();
    for (path, method, statuses) in expected {
        let name = format!("{} {path}", method.to_ascii_uppercase());
        let Some(documents) = documented.remove(&(path.to_string(), method.to_string())) else {
            problems.push(format!("{name} is not documented"));
            continue;
        };
        let listed: BTreeSet<String> = statuses.as_ref().iter().map(|s| s.to_string()).collect();
        for status in listed.difference(&documents) {
            problems.push(format!("{name} does not document {status}"));
        }
        if how == Statuses::Exactly {
            for status in documents.difference(&listed) {
                problems.push(format!("{name} documents {status}, which is not listed"));
            }
        }
    }
    for (path, method) in documented.into_keys() {
        if !common.contains(&path) {
            let method = method.to_ascii_uppercase();
            problems.push(format!("{method} {path} is documented but not listed"));
        }
    }
    problems
}

/// `path` with every `{param}` filled in (a segment matches any router parameter).
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn doc() -> Value {
        serde_json::from_str(&document(utoipa::openapi::OpenApi::default())).unwrap()
    }

    /// Handlers listing their own rows beside the shared sets.
    #[utoipa::path(
        get,
        path = "/sets",
        responses((status = 204, description = "done"), BearerRefused, NotJson, DatabaseUnavailable, Fault)
    )]
    #[allow(dead_code)]
    async fn public() {}

    #[utoipa::path(post, path = "/internal/sets", responses((status = 204, description = "done"), ServiceTokenRefused))]
    #[allow(dead_code)]
    async fn internal() {}

    #[test]
    fn a_shared_set_documents_its_status_with_the_error_envelope() {
        #[derive(OpenApi)]
        #[openapi(paths(public, internal))]
        struct Doc;
        let doc: Value = serde_json::from_str(&document(Doc::openapi())).unwrap();
        let public = &doc["paths"]["/sets"]["get"]["responses"];
        let internal = &doc["paths"]["/internal/sets"]["post"]["responses"];
        let statuses = |r: &Value| r.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(statuses(public), ["204", "401", "415", "500", "503"]);
        assert_eq!(statuses(internal), ["204", "401"]);
        let errors = ["401", "415", "500", "503"].map(|s| &public[s]);
        for response in errors.into_iter().chain([&internal["401"]]) {
            let schema = &response["content"]["application/json"]["schema"]["$ref"];
            assert_eq!(schema, "#/components/schemas/Error", "{response}");
        }
        let challenge = &public["401"]["headers"]["WWW-Authenticate"];
        assert!(challenge.is_object(), "{}", public["401"]);
        assert!(internal["401"].get("headers").is_none());
        assert!(doc["components"]["schemas"]["Error"].is_object());
    }

    #[test]
    fn the_common_routes_the_schemes_and_the_error_envelope_are_in_every_document() {
        let doc = doc();
        for (path, statuses) in [
            ("/health", &["200"][..]),
            ("/ready", &["200", "503"]),
            ("/metrics", &["200"]),
            ("/openapi.json", &["200"]),
        ] {
            for status in statuses {
                assert!(
                    doc["paths"][path]["get"]["responses"][status].is_object(),
                    "{path} {status}"
                );
            }
        }
        let schemes = &doc["components"]["securitySchemes"];
        assert_eq!(schemes[BEARER]["scheme"], "bearer");
        assert_eq!(schemes[SERVICE_TOKEN]["name"], "X-Service-Token");
        let error = &doc["components"]["schemas"]["Error"];
        assert_eq!(error["required"], serde_json::json!(["code", "error"]));
        let detail = &error["properties"]["error"];
        assert_eq!(detail["required"], serde_json::json!(["message", "causes"]));
        let causes = &detail["properties"]["causes"];
        assert!(causes.to_string().contains("null"), "{causes}");
        assert_eq!(
            doc["components"]["schemas"]["Cause"]["required"],
            serde_json::json!(["field", "message"])
        );
    }

    #[test]
    fn the_documented_common_routes_are_those_the_server_declares() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        assert_eq!(declared_paths(&src), common_paths());
    }

    #[test]
    fn the_operations_are_checked_against_the_listed_statuses() {
        let doc = serde_json::json!({"paths": {
            "/health": {"get": {"responses": {"200": {}}}},
            "/v1/things": {
                "get": {"responses": {"200": {}, "401": {}}},
                "post": {"responses": {"201": {}}},
            },
            "/v1/gone": {"delete": {"responses": {"200": {}}}},
        }})
        .to_string();
        let expected = [
            ("/v1/things", "get", &["200"][..]),
            ("/v1/things", "post", &["201", "409"]),
            ("/v1/new", "put", &["200"]),
        ];
        assert_eq!(
            operation_problems(&doc, expected, Statuses::AtLeast),
            [
                "POST /v1/things does not document 409",
                "PUT /v1/new is not documented",
                "DELETE /v1/gone is documented but not listed",
            ]
        );
        assert_eq!(
            operation_problems(&doc, expected, Statuses::Exactly),
            [
                "GET /v1/things documents 401, which is not listed",
                "POST /v1/things does not document 409",
                "PUT /v1/new is not documented",
                "DELETE /v1/gone is documented but not listed",
            ]
        );
        let all = [
            ("/v1/things", "get", &["200", "401"][..]),
            ("/v1/things", "post", &["201"]),
            ("/v1/gone", "delete", &["200"]),
        ];
        assert_operations(&doc, all, Statuses::Exactly);
        // The common routes may be listed, and need not be.
        assert_operations(
            &doc,
            all.into_iter().chain([("/health", "get", &["200"][..])]),
            Statuses::AtLeast,
        );
    }

    #[test]
    fn null_is_written_and_documented_as_null() {
        assert_eq!(serde_json::to_value(Null).unwrap(), Value::Null);
        let schema = serde_json::to_value(<Null as utoipa::PartialSchema>::schema()).unwrap();
        assert_eq!(schema["type"], "null");
        assert_eq!(<Null as utoipa::ToSchema>::name(), "Null");
    }

    #[test]
    fn the_event_envelope_is_narrowed_to_the_types_or_callers_taken() {
        #[derive(OpenApi)]
        #[openapi(components(schemas(crate::outbox::Envelope)))]
        struct Events;
        const EVENTS: &[(&str, &str)] = &[
            ("product", "product.updated"),
            ("order", "order.status_changed"),
            ("product", "product.deleted"),
        ];
        let mut api = Events::openapi();
        EventTypes(EVENTS).modify(&mut api);
        EventSources(EVENTS).modify(&mut api);
        let doc: Value = serde_json::from_str(&document(api)).unwrap();
        let properties = &doc["components"]["schemas"]["EventEnvelope"]["properties"];
        assert_eq!(
            properties["type"]["enum"],
            serde_json::json!(["product.updated", "order.status_changed", "product.deleted"])
        );
        assert_eq!(
            properties["source"]["enum"],
            serde_json::json!(["product", "order"])
        );
    }

    #[tokio::test]
    async fn drift_names_undocumented_routes_and_methods_and_unserved_documentation() {
        use axum::routing::get;
        // Constants, not literals: crates/journey reads literal route paths in this crate as common routes.
        const THINGS: &str = "/v1/things";
        const THING: &str = "/v1/things/{id}";
        let doc = serde_json::json!({"paths": {
            "/health": {"get": {}},
            "/v1/things": {"get": {}, "post": {}},
            "/v1/things/{id}": {"get": {}},
            "/v1/gone": {"get": {}},
        }})
        .to_string();
        let router: Router = Router::new().route(THINGS, get(|| async { "list" })).route(
            THING,
            // A handler's own 404 is an answer, not a missing route.
            get(|| async { StatusCode::NOT_FOUND }).delete(|| async { "deleted" }),
        );
        let src = std::env::temp_dir().join(format!("router-drift-{}", std::process::id()));
        std::fs::create_dir_all(&src).unwrap();
        let call = concat!(".route", "(");
        let source = format!(
            "Router::new()\n  {call}\"/v1/things\", get(list))\n  {call} \"/v1/things/{{id}}\", \
             get(show).delete(remove))\n  {call}\"/v1/new\", get(new))"
        );
        std::fs::write(src.join("routes.rs"), source).unwrap();
        let problems = router_drift(router, &doc, &src).await;
        std::fs::remove_dir_all(&src).unwrap();
        assert_eq!(
            problems,
            [
                "/v1/new is routed but not documented",
                "/v1/gone is documented but not routed",
                "GET /v1/gone is documented but answers 404 Not Found",
                "POST /v1/things is documented but answers 405 Method Not Allowed",
                "DELETE /v1/things/{id} is served (200 OK) but not documented",
            ]
        );
    }
}
