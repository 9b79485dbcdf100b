//! Issue 15 item 5: forged and unfit bearer tokens answer 401 on a protected route of every service, on the
//! real binaries with the pool's real keys. Claims-level cases (expired, not yet valid, wrong issuer or
//! client, non-UUID `sub`) are signed with the emulator's own signing key, taken from the installed moto,
//! and a control token signed the same way with untouched claims must pass — so each 401 is the claim
//! check, not a bad signature.

use std::path::PathBuf;
use std::process::Command;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

use crate::support::{Body, Ctx};

/// One protected route per service (any signed-in caller passes, so a valid token gives 200).
const PROTECTED: [(&str, &str); 7] = [
    ("auth", "/v1/auth/me"),
    ("product", "/v1/products?include_deleted=true"),
    ("warehouse", "/v1/warehouse"),
    ("cart", "/v1/carts/user"),
    ("order", "/v1/orders/user"),
    ("payment", "/v1/payments"),
    ("sales-report", "/v1/sales"),
];

fn b64(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap())
}

fn decode(part: &str) -> Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("base64url")).expect("json")
}

/// The Python of the fleet's emulator (moto's virtual environment made by `scripts/dev up`).
fn moto_python() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("ESHOP_MOTO_PYTHON") {
        return Some(PathBuf::from(p));
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../var/venv/bin/python");
    root.exists().then_some(root)
}

/// Signs each claim set with moto's RS256 key (`kid` "dummy"); also returns the public key as PEM and as
/// JWK text (the keys of the HS256 confusion cases).
fn sign_with_emulator_key(claims: &[Value]) -> Option<(Vec<String>, [String; 2])> {
    let script = r#"
import gzip, json, os, sys, moto
from joserfc import jwt, jwk
path = os.path.join(os.path.dirname(moto.__file__), "cognitoidp", "resources", "jwks-private.json.gz")
key = jwk.RSAKey.import_key(json.loads(gzip.open(path).read()))
claims = json.loads(sys.stdin.read())
tokens = [jwt.encode({"alg": "RS256", "kid": "dummy"}, c, key) for c in claims]
print(json.dumps({"tokens": tokens, "pem": key.as_pem(private=False).decode(),
                  "jwk": json.dumps(key.as_dict(private=False))}))
"#;
    let python = moto_python()?;
    let mut child = Command::new(python)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    use std::io::Write;
    child
        .stdin
        .take()?
        .write_all(serde_json::to_string(claims).unwrap().as_bytes())
        .ok()?;
    let out = child.wait_with_output().ok()?;
    let v: Value = serde_json::from_slice(&out.stdout).ok()?;
    let tokens = v["tokens"]
        .as_array()?
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect();
    Some((
        tokens,
        [
            v["pem"].as_str()?.to_string(),
            v["jwk"].as_str()?.to_string(),
        ],
    ))
}

pub async fn forged_tokens(ctx: &Ctx) -> usize {
    let f = &ctx.findings;
    let real = ctx.shop.admin.token.clone();
    let parts: Vec<&str> = real.split('.').collect();
    let header = decode(parts[0]);
    let claims = decode(parts[1]);
    let now = chrono_now();

    let mut cases: Vec<(String, String)> = Vec::new();
    // alg none, with and without a signature part.
    let none = json!({"alg": "none", "kid": header["kid"], "typ": "JWT"});
    cases.push(("alg none".into(), format!("{}.{}.", b64(&none), parts[1])));
    cases.push((
        "alg none, old signature".into(),
        format!("{}.{}.{}", b64(&none), parts[1], parts[2]),
    ));
    // Claims changed without signing again.
    let mut promoted = claims.clone();
    promoted["cognito:groups"] = json!(["admin", "warehouse_manager"]);
    promoted["exp"] = json!(now + 86_400);
    cases.push((
        "tampered claims".into(),
        format!("{}.{}.{}", parts[0], b64(&promoted), parts[2]),
    ));
    cases.push(("garbage".into(), "not-a-jwt".into()));
    // The id token of a real login.
    let login = ctx
        .call(
            crate::support::Who::Anonymous,
            "POST",
            "auth",
            "/v1/auth/login",
            &Body::Json(json!({"username": "admin", "password": ctx.shop.fleet.admin_password})),
        )
        .await;
    let id_token = login.data()["id_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    f.check(!id_token.is_empty(), || {
        format!("tokens: login gave no id token: {}", login.text)
    });
    cases.push(("id token".into(), id_token));

    // Re-signed with the emulator's key: one control and the claim cases.
    let with = |patch: Value| {
        let mut c = claims.clone();
        for (k, v) in patch.as_object().unwrap() {
            if v.is_null() {
                c.as_object_mut().unwrap().remove(k);
            } else {
                c[k] = v.clone();
            }
        }
        c
    };
    let fresh = json!({"iat": now, "exp": now + 900});
    let mut signed = vec![
        ("control", with(fresh.clone())),
        (
            "expired 120 s ago",
            with(json!({"iat": now - 1000, "exp": now - 120})),
        ),
        (
            "not yet valid (nbf in 5 min)",
            with(json!({"iat": now, "exp": now + 900, "nbf": now + 300})),
        ),
        (
            "issued in 5 min",
            with(json!({"iat": now + 300, "exp": now + 1200})),
        ),
        (
            "wrong issuer",
            with(
                json!({"iat": now, "exp": now + 900, "iss": format!("{}x", claims["iss"].as_str().unwrap_or(""))}),
            ),
        ),
        (
            "unlisted client",
            with(json!({"iat": now, "exp": now + 900, "client_id": "someone-elses-client"})),
        ),
        ("no exp", with(json!({"iat": now, "exp": null}))),
        (
            "token_use id",
            with(json!({"iat": now, "exp": now + 900, "token_use": "id"})),
        ),
        (
            "non-UUID sub",
            with(json!({"iat": now, "exp": now + 900, "sub": "admin"})),
        ),
    ];
    let mut control = None;
    match sign_with_emulator_key(&signed.iter().map(|(_, c)| c.clone()).collect::<Vec<_>>()) {
        Some((tokens, [pem, jwk])) => {
            control = Some(tokens[0].clone());
            for ((what, _), token) in signed.drain(1..).zip(tokens.into_iter().skip(1)) {
                cases.push((what.into(), token));
            }
            // HS256 keyed with the public key (the algorithm-confusion attack), as PEM and as the JWK text.
            let hs_header = b64(&json!({"alg": "HS256", "kid": header["kid"], "typ": "JWT"}));
            let body = b64(&with(fresh.clone()));
            for (what, secret) in [
                ("HS256 keyed with the public key PEM", pem.as_bytes().to_vec()),
                ("HS256 keyed with the public JWK", jwk.as_bytes().to_vec()),
            ] {
                let input = format!("{hs_header}.{body}");
                let sig = hmac_sha256(&secret, input.as_bytes());
                cases.push((what.into(), format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig))));
            }
        }
        None => f.check(false, || {
            "tokens: moto's Python (var/venv or ESHOP_MOTO_PYTHON) is missing: claim cases not run".into()
        }),
    }

    let mut cells = 0;
    for (svc, path) in PROTECTED {
        if let Some(token) = &control {
            let got = ctx
                .raw(
                    "GET",
                    svc,
                    path,
                    &Body::None,
                    &[("authorization".into(), format!("Bearer {token}"))],
                )
                .await;
            f.check(got.status == 200, || {
                format!(
                    "tokens: the re-signed control on {svc}: {} {}",
                    got.status, got.text
                )
            });
        }
        for (what, token) in &cases {
            let got = ctx
                .raw(
                    "GET",
                    svc,
                    path,
                    &Body::None,
                    &[("authorization".into(), format!("Bearer {token}"))],
                )
                .await;
            cells += 1;
            f.check(
                got.status == 401 && got.headers.contains_key("www-authenticate"),
                || {
                    format!(
                        "tokens: {what} on {svc} {path}: {} {}",
                        got.status, got.text
                    )
                },
            );
        }
    }
    // The old introspection endpoint judges the token in its path the same way.
    for (what, token) in &cases {
        if token.contains('.') {
            let got = ctx
                .raw(
                    "GET",
                    "auth",
                    &format!("/v1/auth/{token}"),
                    &Body::None,
                    &[],
                )
                .await;
            cells += 1;
            f.check(got.status == 401, || {
                format!(
                    "tokens: introspection of {what}: {} {}",
                    got.status, got.text
                )
            });
        }
    }
    eprintln!(
        "tokens: {} forged or unfit tokens × 7 services + introspection = {cells} refusals",
        cases.len()
    );
    cells
}

fn chrono_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn hmac_sha256(key: &[u8], msg: &[u8]) -> Vec<u8> {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("any key length");
    mac.update(msg);
    mac.finalize().into_bytes().to_vec()
}
