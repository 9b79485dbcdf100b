//! Starting, killing and restarting the real service binaries against fresh stores.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use test_support::db::TestDatabase;
use test_support::proxy::TcpProxy;
use tokio::process::{Child, Command};

/// The seven services, in start order: product before its subscribers is not required (the relays retry),
/// but auth first gives the pool.
pub const SERVICES: [&str; 7] = [
    "auth",
    "product",
    "warehouse",
    "sales-report",
    "order",
    "cart",
    "payment",
];

/// Knobs a scenario may turn (variables the services read, api/*.md configuration tables).
#[derive(Clone, Debug)]
pub struct FleetOptions {
    /// `ORDER_PAYMENT_TIMEOUT_SECONDS`.
    pub payment_timeout_secs: u64,
    /// `ORDER_EXPIRY_GRACE_SECONDS`.
    pub expiry_grace_secs: u64,
    /// `ORDER_SWEEP_INTERVAL_SECONDS`.
    pub sweep_interval_secs: u64,
    /// Extra variables for every service.
    pub extra_env: Vec<(String, String)>,
    /// Services whose database connection goes through a pausable TCP proxy ([`Fleet::store_proxy`]).
    pub proxied_stores: Vec<&'static str>,
}

impl Default for FleetOptions {
    fn default() -> Self {
        FleetOptions {
            payment_timeout_secs: 600,
            expiry_grace_secs: 1,
            sweep_interval_secs: 1,
            extra_env: Vec::new(),
            proxied_stores: Vec::new(),
        }
    }
}

struct Proc {
    child: Mutex<Option<Child>>,
    env: Vec<(String, String)>,
    port: u16,
}

/// A running fleet. Dropping it kills the processes and drops the databases.
pub struct Fleet {
    procs: HashMap<&'static str, Proc>,
    bin_dir: PathBuf,
    log_dir: PathBuf,
    pub dbs: HashMap<&'static str, TestDatabase>,
    /// Redis database number and key prefix the cart uses.
    pub redis_url: String,
    pub cognito: HashMap<String, String>,
    pub admin_password: String,
    /// The product service's DynamoDB table (on the emulator), for measuring the emulator by itself.
    pub product_table: String,
    proxies: HashMap<&'static str, TcpProxy>,
}

/// Where cargo put the service binaries: next to this test binary's `deps` directory.
fn bin_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>")
        .to_path_buf();
    for svc in SERVICES {
        assert!(
            dir.join(svc).exists(),
            "{} is missing: run `cargo build --workspace --bins` first (scripts/dev test does)",
            dir.join(svc).display()
        );
    }
    dir
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn token(svc: &str) -> String {
    format!("journey-{svc}-token-0123456789abcdef")
}

impl Fleet {
    /// Provisions the stores and starts every service, waiting for each `/ready`.
    pub async fn start(options: FleetOptions) -> Fleet {
        let run = uuid::Uuid::new_v4().simple().to_string()[..10].to_string();
        let log_dir = std::env::temp_dir().join(format!("eshop-journey-{run}"));
        std::fs::create_dir_all(&log_dir).expect("log dir");
        let bin_dir = bin_dir();

        let mut dbs = HashMap::new();
        dbs.insert("order", TestDatabase::postgres("journey_orders").await);
        dbs.insert(
            "warehouse",
            TestDatabase::postgres("journey_warehouse").await,
        );
        dbs.insert(
            "sales-report",
            TestDatabase::postgres("journey_sales").await,
        );
        dbs.insert("cart", TestDatabase::mysql("journey_carts").await);
        dbs.insert("payment", TestDatabase::mysql("journey_payments").await);

        // A Redis database of its own (the local stack uses 0), emptied first.
        // Database 9 unless JOURNEY_REDIS_DB names another (a benchmark beside a running test fleet).
        let redis_db: u8 = std::env::var("JOURNEY_REDIS_DB")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(9);
        let redis_base =
            std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
        let redis_url = format!("{}/{redis_db}", redis_base.trim_end_matches('/'));

        let ports: HashMap<&str, u16> = SERVICES.iter().map(|s| (*s, free_port())).collect();
        let url = |s: &str| format!("http://127.0.0.1:{}", ports[s]);
        let aws = test_support::cognito::endpoint();
        let admin_password = "Journey-Admin-1".to_string();

        let mut common: Vec<(String, String)> = vec![
            ("LOG_LEVEL".into(), "info".into()),
            ("LOG_FORMAT".into(), "json".into()),
            ("AWS_REGION".into(), "us-east-1".into()),
            ("AWS_ENDPOINT_URL".into(), aws.clone()),
            ("AWS_ACCESS_KEY_ID".into(), "test".into()),
            ("AWS_SECRET_ACCESS_KEY".into(), "test".into()),
            ("AWS_S3_FORCE_PATH_STYLE".into(), "true".into()),
            ("AWS_BOOTSTRAP".into(), "true".into()),
            ("OUTBOX_POLL_INTERVAL_MS".into(), "200".into()),
            ("OUTBOX_MAX_BACKOFF_SECONDS".into(), "2".into()),
            (
                "PROOF_LINK_SECRET".into(),
                "journey-proof-link-secret-0123456789".into(),
            ),
        ];
        for s in SERVICES {
            let var = format!("{}_SERVICE", s.to_uppercase().replace('-', "_"));
            common.push((var, url(s)));
        }
        common.push(("PAYMENT_PUBLIC_URL".into(), url("payment")));
        common.extend(options.extra_env.iter().cloned());

        // The pool, as `scripts/dev up` makes it: `auth bootstrap --env-file`.
        let env_file = log_dir.join("cognito.env");
        let mut bootstrap_env = common.clone();
        bootstrap_env.extend([
            ("COGNITO_POOL_NAME".into(), format!("journey-{run}")),
            ("SEED_ADMIN_USERNAME".into(), "admin".into()),
            ("SEED_ADMIN_EMAIL".into(), "admin@journey.local".into()),
            ("SEED_ADMIN_PASSWORD".into(), admin_password.clone()),
        ]);
        let status = Command::new(bin_dir.join("auth"))
            .args(["bootstrap", "--env-file"])
            .arg(&env_file)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(bootstrap_env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(Stdio::null())
            .status()
            .await
            .expect("auth bootstrap runs");
        assert!(status.success(), "auth bootstrap failed");
        let cognito: HashMap<String, String> = std::fs::read_to_string(&env_file)
            .expect("the cognito env file")
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        common.extend(cognito.iter().map(|(k, v)| (k.clone(), v.clone())));

        let internal = |callers: &[&str]| {
            callers
                .iter()
                .map(|c| format!("{c}:{}", token(c)))
                .collect::<Vec<_>>()
                .join(",")
        };
        let mut proxies = HashMap::new();
        for svc in &options.proxied_stores {
            let url = &dbs[svc].url;
            let upstream = url
                .split('@')
                .nth(1)
                .and_then(|rest| rest.split('/').next())
                .expect("host:port in the database url")
                .to_string();
            proxies.insert(*svc, TcpProxy::start(&upstream).await);
        }
        let mut procs = HashMap::new();
        for svc in SERVICES {
            let mut env = common.clone();
            env.push(("HTTP_PORT".into(), ports[svc].to_string()));
            env.push(("SERVICE_TOKEN".into(), token(svc)));
            let callers: &[&str] = match svc {
                "product" => &["cart", "order", "warehouse"],
                "warehouse" => &["order", "product"],
                "order" => &["payment"],
                "cart" => &["product"],
                "sales-report" => &["order"],
                _ => &[],
            };
            env.push(("INTERNAL_TOKENS".into(), internal(callers)));
            if let Some(db) = dbs.get(svc) {
                let url = match proxies.get(svc) {
                    Some(proxy) => {
                        let upstream = db.url.split('@').nth(1).and_then(|r| r.split('/').next());
                        proxy.rewrite_url(&db.url, upstream.expect("host:port"))
                    }
                    None => db.url.clone(),
                };
                env.push(("DATABASE_URL".into(), url));
            }
            match svc {
                "product" => env.extend([
                    ("PRODUCT_TABLE".into(), format!("journey-{run}-products")),
                    ("CATEGORY_TABLE".into(), format!("journey-{run}-categories")),
                    (
                        "PRODUCT_OUTBOX_TABLE".into(),
                        format!("journey-{run}-outbox"),
                    ),
                    ("AWS_PRODUCT_BUCKET".into(), format!("journey-{run}-images")),
                    ("PRODUCT_IMAGE_PROXY".into(), "true".into()),
                    ("PRODUCT_CACHE_TTL_SECONDS".into(), "1".into()),
                ]),
                "cart" => env.push(("REDIS_URL".into(), redis_url.clone())),
                "payment" => env.push(("S3_BUCKET_NAME".into(), format!("journey-{run}-proofs"))),
                "order" => env.extend([
                    (
                        "ORDER_PAYMENT_TIMEOUT_SECONDS".into(),
                        options.payment_timeout_secs.to_string(),
                    ),
                    (
                        "ORDER_EXPIRY_GRACE_SECONDS".into(),
                        options.expiry_grace_secs.to_string(),
                    ),
                    (
                        "ORDER_SWEEP_INTERVAL_SECONDS".into(),
                        options.sweep_interval_secs.to_string(),
                    ),
                ]),
                "auth" => env.extend([
                    ("LOGIN_IP_MAX_PER_MINUTE".into(), "100000".into()),
                    ("PUBLIC_IP_MAX_PER_MINUTE".into(), "100000".into()),
                ]),
                _ => {}
            }
            procs.insert(
                svc,
                Proc {
                    child: Mutex::new(None),
                    env,
                    port: ports[svc],
                },
            );
        }

        let fleet = Fleet {
            procs,
            bin_dir,
            log_dir,
            dbs,
            redis_url,
            cognito,
            admin_password,
            product_table: format!("journey-{run}-products"),
            proxies,
        };
        redis::cmd("FLUSHDB")
            .query_async::<()>(&mut fleet.redis().await)
            .await
            .expect("FLUSHDB on the journey's Redis database");
        for svc in SERVICES {
            fleet.spawn(svc);
        }
        for svc in SERVICES {
            fleet.wait_ready(svc, Duration::from_secs(60)).await;
        }
        fleet
    }

    /// `http://127.0.0.1:<port>` of `svc`.
    pub fn url(&self, svc: &str) -> String {
        format!("http://127.0.0.1:{}", self.procs[svc].port)
    }

    /// The service token `svc` sends (for tests that call `/internal/*` like a peer).
    pub fn service_token(&self, svc: &str) -> String {
        token(svc)
    }

    pub async fn redis(&self) -> redis::aio::MultiplexedConnection {
        redis::Client::open(self.redis_url.as_str())
            .expect("redis url")
            .get_multiplexed_async_connection()
            .await
            .expect("redis connection")
    }

    fn spawn(&self, svc: &'static str) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_dir.join(format!("{svc}.log")))
            .expect("log file");
        let proc = &self.procs[svc];
        let child = Command::new(self.bin_dir.join(svc))
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(proc.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(log.try_clone().expect("log handle"))
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("{svc} starts: {e}"));
        *proc.child.lock().expect("process lock") = Some(child);
    }

    /// Waits until `svc` answers `/ready` with 200.
    pub async fn wait_ready(&self, svc: &'static str, within: Duration) {
        let url = format!("{}/ready", self.url(svc));
        let client = reqwest::Client::new();
        let start = Instant::now();
        loop {
            if let Ok(r) = client
                .get(&url)
                .timeout(Duration::from_secs(2))
                .send()
                .await
            {
                if r.status().is_success() {
                    return;
                }
            }
            let exited = match self.procs[svc].child.lock().expect("process lock").as_mut() {
                Some(child) => child.try_wait().ok().flatten(),
                None => None,
            };
            if let Some(status) = exited {
                panic!(
                    "{svc} exited ({status}) before it was ready:\n{}",
                    self.log_tail(svc)
                );
            }
            assert!(
                start.elapsed() < within,
                "{svc} not ready within {within:?}:\n{}",
                self.log_tail(svc)
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// SIGKILL: no drain, no flush (issue 10's faults).
    pub async fn kill(&self, svc: &'static str) {
        let child = self.procs[svc].child.lock().expect("process lock").take();
        if let Some(mut child) = child {
            child.start_kill().expect("SIGKILL");
            let _ = child.wait().await;
        }
    }

    /// Starts `svc` again with the same settings and waits for `/ready`.
    pub async fn restart(&self, svc: &'static str) {
        self.kill(svc).await;
        self.spawn(svc);
        self.wait_ready(svc, Duration::from_secs(60)).await;
    }

    /// The last lines of a service's log, for failure messages.
    pub fn log_tail(&self, svc: &str) -> String {
        let text =
            std::fs::read_to_string(self.log_dir.join(format!("{svc}.log"))).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    /// The proxy in front of `svc`'s database (when listed in [`FleetOptions::proxied_stores`]).
    pub fn store_proxy(&self, svc: &str) -> &TcpProxy {
        &self.proxies[svc]
    }

    /// The directory holding each service's log.
    pub fn log_dir(&self) -> &Path {
        &self.log_dir
    }
}
