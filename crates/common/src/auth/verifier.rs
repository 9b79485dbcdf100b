//! Cognito access-token validation with a cached JWKS (auth.md §2.2–2.3). No network call per request:
//! keys are fetched at start in the background, refreshed periodically, and refetched once (single-flight,
//! rate-limited) when a token names an unknown `kid`.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

use super::settings::AuthSettings;

/// Why a token was refused. The exact reason goes to the DEBUG log only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// No usable `Authorization: Bearer <token>` header.
    Missing,
    /// The token failed a check; the string names which (for the log).
    Invalid(&'static str),
    /// `exp` has passed (beyond the leeway).
    Expired,
    /// The key set has never been loaded: the token may be fine, so this is a 503.
    Unavailable,
}

/// The claims of a Cognito access token that we read.
#[derive(Debug, Clone, Deserialize)]
pub struct Claims {
    pub sub: Option<String>,
    pub iss: Option<String>,
    pub token_use: Option<String>,
    pub client_id: Option<String>,
    pub exp: Option<i64>,
    pub nbf: Option<i64>,
    pub iat: Option<i64>,
    pub username: Option<String>,
    #[serde(rename = "cognito:groups", default)]
    pub groups: Vec<String>,
}

/// A JSON Web Key as Cognito publishes it.
#[derive(Debug, Deserialize)]
struct Jwk {
    kty: String,
    kid: Option<String>,
    #[serde(rename = "use")]
    use_: Option<String>,
    alg: Option<String>,
    n: Option<String>,
    e: Option<String>,
}

#[derive(Debug, Deserialize)]
struct JwkSet {
    keys: Vec<Jwk>,
}

type KeyMap = HashMap<String, DecodingKey>;

/// Checks access tokens against the pool's keys. Lives in app state behind an `Arc`.
pub struct Verifier {
    settings: AuthSettings,
    http: reqwest::Client,
    keys: RwLock<Arc<KeyMap>>,
    loaded: AtomicBool,
    /// When a token's unknown `kid` last caused a fetch (the cool-down of §2.2).
    last_kid_refetch: Mutex<Option<Instant>>,
    single_flight: tokio::sync::Mutex<()>,
    fetches: AtomicU64,
    signature_checks: AtomicU64,
    /// Tokens whose signature already checked out under the current key set (see [`Verified`]).
    verified: Mutex<Verified>,
}

/// At most this many verified tokens are remembered; when full the memory starts over.
const VERIFIED_MAX: usize = 4096;

/// Signature checks are the costly part of a request (an RSA verification each): a token seen before
/// with the same key set skips it. Only tokens that passed every check get in, keyed by the whole token
/// text, and their claims are checked again on every use, so expiry still applies to the second; a new key
/// set empties it, so a token signed by a withdrawn key is refused at once.
#[derive(Default)]
struct Verified {
    /// The key set the tokens were verified with ([`parse_jwks`]'s fingerprint).
    key_set: Option<u64>,
    tokens: HashMap<Box<str>, Claims>,
}

impl Verifier {
    pub fn new(settings: AuthSettings) -> Arc<Self> {
        let http = reqwest::Client::builder()
            .timeout(settings.fetch_timeout)
            .build()
            .unwrap_or_default();
        Arc::new(Verifier {
            settings,
            http,
            keys: RwLock::new(Arc::new(KeyMap::new())),
            loaded: AtomicBool::new(false),
            last_kid_refetch: Mutex::new(None),
            single_flight: tokio::sync::Mutex::new(()),
            fetches: AtomicU64::new(0),
            signature_checks: AtomicU64::new(0),
            verified: Mutex::new(Verified::default()),
        })
    }

    /// A verifier whose keys load in the background ([`Verifier::spawn_refresher`]): what services use.
    pub fn start(settings: AuthSettings) -> Arc<Self> {
        let verifier = Self::new(settings);
        verifier.spawn_refresher();
        verifier
    }

    pub fn settings(&self) -> &AuthSettings {
        &self.settings
    }

    /// True once a key set has been loaded; `/ready` answers 503 until then.
    pub fn is_ready(&self) -> bool {
        self.loaded.load(Ordering::Acquire)
    }

    /// How many JWKS fetches were attempted (for tests and metrics).
    pub fn fetch_count(&self) -> u64 {
        self.fetches.load(Ordering::Relaxed)
    }

    /// How many RSA signature checks ran (tests and metrics: a known token skips them).
    pub fn signature_checks(&self) -> u64 {
        self.signature_checks.load(Ordering::Relaxed)
    }

    /// Installs a key set given as JWKS JSON (tests inject keys this way).
    pub fn install_jwks(&self, jwks_json: &str) -> Result<usize, String> {
        let (keys, fingerprint) = parse_jwks(jwks_json)?;
        let count = keys.len();
        let mut held = self.keys.write().unwrap_or_else(|e| e.into_inner());
        let mut verified = self.verified.lock().unwrap_or_else(|e| e.into_inner());
        if verified.key_set != Some(fingerprint) {
            verified.tokens.clear();
            verified.key_set = Some(fingerprint);
        }
        *held = Arc::new(keys);
        drop((verified, held));
        self.loaded.store(true, Ordering::Release);
        Ok(count)
    }

    /// Fetches the JWKS now; on failure the current keys stay.
    pub async fn refresh(&self) -> Result<usize, String> {
        self.fetches.fetch_add(1, Ordering::Relaxed);
        let response = self
            .http
            .get(&self.settings.jwks_url)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !response.status().is_success() {
            return Err(format!("JWKS answered {}", response.status()));
        }
        let text = response.text().await.map_err(|e| e.to_string())?;
        self.install_jwks(&text)
    }

    /// Starts the background loader: first fetch retried with backoff 1 s → 30 s until it succeeds, then a
    /// refresh every `JWKS_REFRESH_SECS` (0 = off) that keeps the old keys when it fails.
    pub fn spawn_refresher(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let verifier = self.clone();
        tokio::spawn(async move {
            let mut backoff = Duration::from_secs(1);
            loop {
                match verifier.refresh().await {
                    Ok(n) => {
                        tracing::info!(keys = n, "JWKS loaded");
                        break;
                    }
                    Err(err) => {
                        tracing::warn!(error = %err, retry_in_secs = backoff.as_secs(), "JWKS fetch failed");
                        tokio::time::sleep(backoff).await;
                        backoff = (backoff * 2).min(Duration::from_secs(30));
                    }
                }
            }
            let period = verifier.settings.refresh;
            if period.is_zero() {
                return;
            }
            loop {
                tokio::time::sleep(period).await;
                if let Err(err) = verifier.refresh().await {
                    tracing::warn!(error = %err, "JWKS refresh failed; keeping the current keys");
                }
            }
        })
    }

    fn key(&self, kid: &str) -> Option<DecodingKey> {
        self.keys
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(kid)
            .cloned()
    }

    /// The key for `kid`, refetching the set once if it is unknown (single-flight, at most once per
    /// `JWKS_MIN_REFRESH_SECS`; inside the cool-down an unknown `kid` is refused at once).
    async fn key_or_refetch(&self, kid: &str) -> Option<DecodingKey> {
        if let Some(key) = self.key(kid) {
            return Some(key);
        }
        let _flight = self.single_flight.lock().await;
        if let Some(key) = self.key(kid) {
            return Some(key);
        }
        {
            let mut last = self
                .last_kid_refetch
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if last.is_some_and(|at| at.elapsed() < self.settings.min_refresh) {
                return None;
            }
            *last = Some(Instant::now());
        }
        if let Err(err) = self.refresh().await {
            tracing::warn!(error = %err, "JWKS refetch for an unknown kid failed");
        }
        self.key(kid)
    }

    /// Runs the checks of auth.md §2.3 (2–8) on a raw token.
    pub async fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        if !self.is_ready() {
            return Err(TokenError::Unavailable);
        }
        if token.split('.').count() != 3 {
            return Err(TokenError::Invalid("not a compact JWT"));
        }
        let now = chrono::Utc::now().timestamp();
        let seen = self
            .verified
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .tokens
            .get(token)
            .cloned();
        if let Some(claims) = seen {
            self.check_claims(&claims, now)?;
            return Ok(claims);
        }
        let header = jsonwebtoken::decode_header(token)
            .map_err(|_| TokenError::Invalid("unreadable header"))?;
        if header.alg != Algorithm::RS256 {
            return Err(TokenError::Invalid("alg is not RS256"));
        }
        let kid = header.kid.ok_or(TokenError::Invalid("no kid"))?;
        let key = self
            .key_or_refetch(&kid)
            .await
            .ok_or(TokenError::Invalid("unknown kid"))?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.required_spec_claims.clear();
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.validate_aud = false;
        self.signature_checks.fetch_add(1, Ordering::Relaxed);
        let claims = jsonwebtoken::decode::<Claims>(token, &key, &validation)
            .map_err(|_| TokenError::Invalid("signature or claims"))?
            .claims;
        self.check_claims(&claims, now)?;
        let mut verified = self.verified.lock().unwrap_or_else(|e| e.into_inner());
        if verified.tokens.len() >= VERIFIED_MAX {
            verified.tokens.clear();
        }
        verified.tokens.insert(token.into(), claims.clone());
        Ok(claims)
    }

    /// Claim checks 4–8, in the contract's order.
    fn check_claims(&self, claims: &Claims, now: i64) -> Result<(), TokenError> {
        if claims.iss.as_deref() != Some(self.settings.issuer.as_str()) {
            return Err(TokenError::Invalid("wrong iss"));
        }
        if claims.token_use.as_deref() != Some("access") {
            return Err(TokenError::Invalid("token_use is not access"));
        }
        match &claims.client_id {
            Some(id) if self.settings.client_ids.iter().any(|c| c == id) => {}
            _ => return Err(TokenError::Invalid("client_id not accepted")),
        }
        let leeway = self.settings.leeway.as_secs() as i64;
        match claims.exp {
            Some(exp) if now < exp + leeway => {}
            Some(_) => return Err(TokenError::Expired),
            None => return Err(TokenError::Invalid("no exp")),
        }
        if claims.nbf.is_some_and(|nbf| nbf > now + leeway)
            || claims.iat.is_some_and(|iat| iat > now + leeway)
        {
            return Err(TokenError::Invalid("not yet valid"));
        }
        match claims.sub.as_deref().map(uuid::Uuid::parse_str) {
            Some(Ok(_)) => Ok(()),
            _ => Err(TokenError::Invalid("sub is not a UUID")),
        }
    }
}

/// Usable keys: RSA with `n` and `e`, `use` absent or `sig`, `alg` absent or `RS256`, with a `kid`; and a
/// fingerprint of them (kid, n, e in kid order) that changes when any key is added, removed or replaced.
fn parse_jwks(text: &str) -> Result<(KeyMap, u64), String> {
    let set: JwkSet =
        serde_json::from_str(text).map_err(|_| "JWKS is not a key set".to_string())?;
    let mut keys = KeyMap::new();
    let mut material = std::collections::BTreeMap::new();
    for jwk in set.keys {
        let usable = jwk.kty == "RSA"
            && jwk.use_.as_deref().is_none_or(|u| u == "sig")
            && jwk.alg.as_deref().is_none_or(|a| a == "RS256");
        if let (true, Some(kid), Some(n), Some(e)) = (usable, jwk.kid, jwk.n, jwk.e) {
            if let Ok(key) = DecodingKey::from_rsa_components(&n, &e) {
                material.insert(kid.clone(), (n, e));
                keys.insert(kid, key);
            }
        }
    }
    if keys.is_empty() {
        return Err("JWKS has no usable key".into());
    }
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    material.hash(&mut hasher);
    Ok((keys, hasher.finish()))
}
