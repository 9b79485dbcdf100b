//! The scenarios of issue 14 against a [`Shop`]: catalogue reads, cart read and add, the checkout journey,
//! the 30-day sales summary over many rows, a mixed shop load, memory per service idle and under load, and
//! process start to `/ready`. Each run measures the baseline first; [`crate::report`] turns the figures into
//! ratios to it.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use journey::fleet::{FleetOptions, SERVICES};
use journey::shop::{Shop, User};

use crate::baseline::Baseline;
use crate::load::{self, LoadSpec, Stats};
use crate::procs;
use crate::report::Figure;

mod http;
mod setup;

pub use http::Http;

/// The knobs of a bench session.
#[derive(Clone, Debug)]
pub struct Options {
    pub runs: usize,
    pub duration: Duration,
    /// How long the mixed shop load runs (the issue asks for minutes).
    pub mixed_duration: Duration,
    pub connections: usize,
    /// Fixed total rate for the latency-at-load phases.
    pub rate: f64,
    pub sales_rows: u64,
    pub products: usize,
    /// The executable that serves the baseline (`<exe> baseline-server <port>`).
    pub baseline_exe: PathBuf,
}

/// The shop under test and the data the scenarios use.
pub struct Bench {
    pub shop: Shop,
    pub http: Http,
    pub opts: Options,
    pub products: Vec<String>,
    /// One customer per connection for checkouts, and one per connection for cart reads and adds.
    pub buyers: Vec<User>,
    pub carters: Vec<User>,
}

impl Bench {
    /// Starts the fleet (release or debug binaries next to this executable) and provisions the data.
    pub async fn open(opts: Options) -> anyhow::Result<Arc<Bench>> {
        let shop = Shop::open(FleetOptions {
            extra_env: vec![("CART_MAX_LINE_QUANTITY".into(), "9999".into())],
            ..FleetOptions::default()
        })
        .await;
        setup::provision(shop, opts).await.map(Arc::new)
    }

    fn spec(&self, connections: usize, rate: Option<f64>) -> LoadSpec {
        LoadSpec {
            connections,
            duration: self.opts.duration,
            rate,
        }
    }

    /// The pid of each service of the fleet.
    pub fn pids(&self) -> Vec<(&'static str, Option<u32>)> {
        SERVICES
            .iter()
            .map(|s| {
                let port = self
                    .shop
                    .fleet
                    .url(s)
                    .rsplit(':')
                    .next()
                    .and_then(|p| p.parse().ok());
                (*s, port.and_then(|p| procs::find_service_pid(s, p)))
            })
            .collect()
    }

    /// One run of every scenario; the figures it measured.
    pub async fn run_once(self: &Arc<Self>) -> anyhow::Result<Vec<Figure>> {
        let mut out = Vec::new();
        let c = self.opts.connections;

        // Process start to /ready: the baseline, then each service killed and started again.
        let base = Baseline::spawn(&self.opts.baseline_exe).await?;
        out.push(Figure::ms(
            "start.baseline",
            base.start_to_ready.as_secs_f64() * 1e3,
            None,
        ));
        for svc in SERVICES {
            self.shop.fleet.kill(svc).await;
            let start = Instant::now();
            let url = format!("{}/ready", self.shop.fleet.url(svc));
            let (took, ()) =
                tokio::join!(procs::poll_ready(&url, start), self.shop.fleet.restart(svc));
            out.push(Figure::ms(
                &format!("start.{svc}"),
                took?.as_secs_f64() * 1e3,
                Some("start.baseline"),
            ));
        }
        tokio::time::sleep(Duration::from_secs(1)).await;

        // Idle memory.
        out.push(Figure::mib(
            "rss_idle.baseline",
            base.rss_mib().unwrap_or(f64::NAN),
            None,
        ));
        for (svc, pid) in self.pids() {
            let rss = pid.and_then(procs::rss_mib).unwrap_or(f64::NAN);
            out.push(Figure::mib(
                &format!("rss_idle.{svc}"),
                rss,
                Some("rss_idle.baseline"),
            ));
        }

        // The baseline under the same tool: closed loop, one connection, fixed rate.
        let base_url = Arc::new(base.url());
        let base_pid: Vec<(&'static str, Option<u32>)> = vec![("baseline", base.child.id())];
        let (stats, peak) = self
            .sampled(
                &base_pid,
                self.load(self.spec(c, None), Op::Get(base_url.clone(), None)),
            )
            .await;
        push_load(&mut out, "baseline", &stats, None);
        out.push(Figure::mib("rss_load.baseline", peak[0].1, None));
        let stats = load::run(
            &self.spec(1, None),
            self.op(Op::Get(base_url.clone(), None)),
        )
        .await;
        push_load(&mut out, "baseline.c1", &stats, None);
        let stats = load::run(
            &self.spec(c, Some(self.opts.rate)),
            self.op(Op::Get(base_url, None)),
        )
        .await;
        push_load(&mut out, "baseline.at_rate", &stats, None);

        // Catalogue reads (served from the snapshot, never DynamoDB).
        let product = |p: &str| Arc::new(self.shop.url("product", p));
        let by_id = Op::ById;
        for (name, op) in [
            ("catalogue.by_id", by_id.clone()),
            ("catalogue.list", Op::Get(product("/v1/products"), None)),
            (
                "catalogue.search",
                Op::Get(product("/v1/products?q=bench&limit=20"), None),
            ),
            (
                "catalogue.category_tree",
                Op::Get(product("/v1/categories"), None),
            ),
        ] {
            let stats = load::run(&self.spec(c, None), self.op(op)).await;
            push_load(&mut out, name, &stats, Some("baseline"));
        }
        let stats = load::run(&self.spec(c, Some(self.opts.rate)), self.op(by_id)).await;
        push_load(
            &mut out,
            "catalogue.by_id.at_rate",
            &stats,
            Some("baseline.at_rate"),
        );

        // Cart read and add.
        let stats = load::run(&self.spec(c, None), self.op(Op::CartRead)).await;
        push_load(&mut out, "cart.read", &stats, Some("baseline"));
        let stats = load::run(&self.spec(c, None), self.op(Op::CartAdd)).await;
        push_load(&mut out, "cart.add", &stats, Some("baseline"));
        // The AWS emulator alone, under the same load: the consistent read every cart add and checkout
        // must make (product.md X1). Its throughput is the ceiling of those two paths on this machine.
        let stats = load::run(&self.spec(c, None), self.op(Op::EmulatorRead)).await;
        push_load(&mut out, "emulator.batch_get", &stats, Some("baseline"));

        // Checkout: add → checkout (no AWS), then the full journey with proof (S3 on the emulator) + approve.
        for (name, full) in [("checkout", false), ("checkout.with_proof", true)] {
            let calls = Arc::new(Mutex::new(Vec::new()));
            let stats = load::run(
                &self.spec(c, None),
                self.op(Op::Checkout {
                    full,
                    calls: calls.clone(),
                }),
            )
            .await;
            push_load(&mut out, name, &stats, Some("baseline"));
            let us = std::mem::take(&mut *calls.lock().expect("checkout samples"));
            let call = Stats::from_samples(us, 0, self.opts.duration, Vec::new());
            out.push(Figure::ms(
                &format!("{name}.checkout_call_p99"),
                call.p99_ms,
                Some("baseline.p99"),
            ));
        }

        // The 30-day sales summary, one caller.
        let stats = load::run(&self.spec(1, None), self.op(Op::Summary)).await;
        push_load(&mut out, "sales.summary_30d", &stats, Some("baseline.c1"));

        // Mixed shop load, with each service's memory sampled.
        let pids = self.pids();
        let (stats, peaks) = self
            .sampled(
                &pids,
                self.load(
                    LoadSpec {
                        duration: self.opts.mixed_duration,
                        ..self.spec(c, None)
                    },
                    Op::Mixed,
                ),
            )
            .await;
        push_load(&mut out, "mixed", &stats, Some("baseline"));
        for (svc, peak) in peaks {
            out.push(Figure::mib(
                &format!("rss_load.{svc}"),
                peak,
                Some("rss_load.baseline"),
            ));
        }
        drop(base);
        Ok(out)
    }

    fn op(
        self: &Arc<Self>,
        op: Op,
    ) -> impl Fn(usize, u64) -> futures::future::BoxFuture<'static, Result<(), String>>
           + Send
           + Sync
           + 'static {
        let me = self.clone();
        let op = Arc::new(op);
        move |conn, i| {
            let me = me.clone();
            let op = op.clone();
            Box::pin(async move { me.call(&op, conn, i).await })
        }
    }

    async fn load(self: &Arc<Self>, spec: LoadSpec, op: Op) -> Stats {
        load::run(&spec, self.op(op)).await
    }

    /// Runs `work` while sampling the resident memory of `pids` every 200 ms; the peaks in MiB.
    async fn sampled<T>(
        &self,
        pids: &[(&'static str, Option<u32>)],
        work: impl std::future::Future<Output = T>,
    ) -> (T, Vec<(&'static str, f64)>) {
        let done = Arc::new(AtomicBool::new(false));
        let list: Vec<(&'static str, Option<u32>)> = pids.to_vec();
        let flag = done.clone();
        let sampler = tokio::spawn(async move {
            let mut peaks: Vec<(&'static str, f64)> =
                list.iter().map(|(s, _)| (*s, f64::NAN)).collect();
            while !flag.load(Ordering::Relaxed) {
                for (k, (_, pid)) in list.iter().enumerate() {
                    if let Some(rss) = pid.and_then(procs::rss_mib) {
                        peaks[k].1 = if peaks[k].1.is_nan() {
                            rss
                        } else {
                            peaks[k].1.max(rss)
                        };
                    }
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            peaks
        });
        let result = work.await;
        done.store(true, Ordering::Relaxed);
        let peaks = sampler.await.unwrap_or_default();
        (result, peaks)
    }

    /// After every run: the relays drained, then stock conservation and the reservation/order invariants.
    pub async fn invariants(&self) -> Vec<String> {
        let fleet = &self.shop.fleet;
        let start = Instant::now();
        while !journey::invariants::undelivered(fleet).await.is_empty()
            && start.elapsed() < Duration::from_secs(60)
        {
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        let mut v = journey::invariants::undelivered(fleet).await;
        v.extend(journey::invariants::stock_violations(fleet).await);
        v.extend(journey::invariants::reservation_violations(fleet).await);
        v.extend(journey::invariants::order_violations(fleet, Duration::from_secs(5)).await);
        v
    }
}

/// One operation of a load phase.
#[derive(Clone)]
enum Op {
    /// GET a fixed URL, optionally with a bearer token.
    Get(Arc<String>, Option<String>),
    /// GET a product by id, cycling over the products.
    ById,
    CartRead,
    CartAdd,
    /// Add one unit → read the cart → checkout (timed into `calls`, µs) → when `full`, proof upload + approve.
    Checkout {
        full: bool,
        calls: Arc<Mutex<Vec<u64>>>,
    },
    Summary,
    /// One consistent `BatchGetItem` straight to the AWS emulator.
    EmulatorRead,
    /// Per 20 operations: 1 purchase (add → checkout), 2 cart adds with a cart read, 17 catalogue reads.
    Mixed,
}

fn push_load(out: &mut Vec<Figure>, name: &str, s: &Stats, base: Option<&str>) {
    let b = |k: &str| base.map(|b| format!("{b}.{k}"));
    out.push(Figure::per_sec(
        &format!("{name}.per_s"),
        s.per_sec,
        b("per_s").as_deref(),
    ));
    out.push(Figure::ms(
        &format!("{name}.p50"),
        s.p50_ms,
        b("p50").as_deref(),
    ));
    out.push(Figure::ms(
        &format!("{name}.p99"),
        s.p99_ms,
        b("p99").as_deref(),
    ));
    out.push(Figure::count(
        &format!("{name}.errors"),
        s.errors as f64,
        s.sample_errors.clone(),
    ));
}
