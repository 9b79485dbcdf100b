//! A local RS256 key pair and a JWKS server, for token cases the emulator cannot produce (expired tokens,
//! key rotation). Keys are made with the `openssl` command line tool.

use std::net::SocketAddr;
use std::process::Command;
use std::sync::{Arc, Mutex};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};

/// An RSA signing key with its `kid`.
pub struct SigningKey {
    pub kid: String,
    der: Vec<u8>,
    modulus: Vec<u8>,
}

impl SigningKey {
    /// A new 2048-bit key.
    pub fn generate() -> SigningKey {
        let dir = std::env::temp_dir().join(format!("eshop-key-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let pem = dir.join("key.pem");
        let der = dir.join("key.der");
        let run = |args: &[&str]| {
            let out = Command::new("openssl")
                .args(args)
                .output()
                .expect("openssl is installed");
            assert!(out.status.success(), "openssl {args:?} failed");
            out.stdout
        };
        run(&["genrsa", "-out", pem.to_str().unwrap(), "2048"]);
        run(&[
            "rsa",
            "-in",
            pem.to_str().unwrap(),
            "-outform",
            "DER",
            "-traditional",
            "-out",
            der.to_str().unwrap(),
        ]);
        let modulus_line = String::from_utf8(run(&[
            "rsa",
            "-in",
            pem.to_str().unwrap(),
            "-noout",
            "-modulus",
        ]))
        .unwrap();
        let hex = modulus_line.trim().trim_start_matches("Modulus=");
        let modulus = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
        let key = SigningKey {
            kid: uuid::Uuid::new_v4().to_string(),
            der: std::fs::read(&der).unwrap(),
            modulus,
        };
        let _ = std::fs::remove_dir_all(dir);
        key
    }

    /// This key as a JWK (public part).
    pub fn jwk(&self) -> serde_json::Value {
        serde_json::json!({"kty": "RSA", "alg": "RS256", "use": "sig", "kid": self.kid,
            "n": URL_SAFE_NO_PAD.encode(&self.modulus), "e": "AQAB"})
    }

    /// Signs `claims` with RS256 and this key's `kid`.
    pub fn sign(&self, claims: &serde_json::Value) -> String {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &EncodingKey::from_rsa_der(&self.der)).expect("sign")
    }
}

/// An HTTP server answering `GET /jwks.json` with a key set that tests can replace, counting fetches.
pub struct JwksServer {
    pub addr: SocketAddr,
    keys: Arc<Mutex<serde_json::Value>>,
    fetches: Arc<Mutex<u64>>,
}

impl JwksServer {
    pub async fn start(keys: &[&SigningKey]) -> JwksServer {
        let set = Arc::new(Mutex::new(Self::set(keys)));
        let fetches = Arc::new(Mutex::new(0u64));
        let (s, f) = (set.clone(), fetches.clone());
        let app = axum::Router::new().route(
            "/jwks.json",
            axum::routing::get(move || {
                let (s, f) = (s.clone(), f.clone());
                async move {
                    *f.lock().unwrap() += 1;
                    axum::Json(s.lock().unwrap().clone())
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.ok() });
        JwksServer {
            addr,
            keys: set,
            fetches,
        }
    }

    fn set(keys: &[&SigningKey]) -> serde_json::Value {
        serde_json::json!({"keys": keys.iter().map(|k| k.jwk()).collect::<Vec<_>>()})
    }

    pub fn url(&self) -> String {
        format!("http://{}/jwks.json", self.addr)
    }

    /// Serves `keys` from now on (a key rotation).
    pub fn rotate(&self, keys: &[&SigningKey]) {
        *self.keys.lock().unwrap() = Self::set(keys);
    }

    pub fn fetches(&self) -> u64 {
        *self.fetches.lock().unwrap()
    }
}

/// A claim of a JWT, read without verification (tests only).
pub fn claim(token: &str, name: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    value.get(name).map(|v| {
        v.as_str()
            .map(String::from)
            .unwrap_or_else(|| v.to_string())
    })
}
