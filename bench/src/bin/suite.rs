//! `suite`: every workload of bench/README.md on SQLite and PostgreSQL, the peers and the
//! bare-SQLite reference in one run; writes `bench/RESULTS.md` and `bench/results/latest.json`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Parser;
use makegood_bench::dataset::{self, ADMIN_EMAIL, Dataset};
use makegood_bench::loadgen::{Figures, Load};
use makegood_bench::results::{Column, Report, num};
use makegood_bench::server::{self, Server};
use makegood_bench::workloads::{self, Api, Made, Read, wall_clock};
use makegood_bench::{fanout, peers, reference, scheduler};
use makegood_store::testing::TestDb;
use sea_orm::Database;

#[derive(Debug, Parser)]
struct Args {
    /// Dataset sizes (problems), e.g. 10k,100k,1m.
    #[arg(long, value_delimiter = ',', default_value = "10k,100k,1m")]
    sizes: Vec<String>,
    /// Dataset sizes on PostgreSQL, when not the same (its 1M dataset takes longest).
    #[arg(long, value_delimiter = ',')]
    postgres_sizes: Option<Vec<String>>,
    /// Backends: sqlite, postgres.
    #[arg(long, value_delimiter = ',', default_value = "sqlite,postgres")]
    backends: Vec<String>,
    /// The PostgreSQL server the benchmark makes (and drops) its databases on.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/test")]
    postgres: String,
    /// The peers' scripts (`run_all.sh`); `none` leaves the peers out.
    #[arg(long, default_value = "../shared/peers")]
    peers: String,
    /// Runs of each peer measurement (about five minutes each for both peers).
    #[arg(long, default_value_t = 3)]
    peer_runs: usize,
    /// Scale every time and count bound down by this factor (a quick check of the suite).
    #[arg(long, default_value_t = 1)]
    quick: u64,
    /// Where RESULTS.md and results/ are written.
    #[arg(long, default_value = "bench")]
    out: PathBuf,
}

fn size(s: &str) -> Result<usize> {
    let s = s.to_lowercase();
    let (n, mult) = match s.chars().last() {
        Some('k') => (&s[..s.len() - 1], 1_000),
        Some('m') => (&s[..s.len() - 1], 1_000_000),
        _ => (s.as_str(), 1),
    };
    Ok(n.parse::<usize>()
        .with_context(|| format!("a size like 10k: {s}"))?
        * mult)
}

fn label(n: usize) -> String {
    match n {
        n if n >= 1_000_000 && n % 1_000_000 == 0 => format!("{}M", n / 1_000_000),
        n if n >= 1_000 && n % 1_000 == 0 => format!("{}k", n / 1_000),
        n => n.to_string(),
    }
}

struct Suite {
    args: Args,
    bin: PathBuf,
    report: Report,
}

impl Suite {
    fn load(&self, clients: usize, requests: usize, seconds: u64) -> Load {
        let q = self.args.quick.max(1);
        Load::new(
            clients,
            (requests / q as usize).max(clients),
            (seconds / q).max(2),
        )
    }

    async fn fresh(&self, backend: Column) -> TestDb {
        match backend {
            Column::Postgres => TestDb::postgres_on(&self.args.postgres).await,
            _ => TestDb::sqlite().await,
        }
    }

    /// The write workloads on an organisation with 20 accounts, then memory and cold start.
    async fn writes(&mut self, column: Column) -> Result<()> {
        let db = self.fresh(column).await;
        let now = wall_clock();
        let members = dataset::organisation(&db.store, now).await?;
        dataset::build(&db.url, &members, Dataset { problems: 0, now }).await?;
        let (server, cold) = Server::start(&self.bin, &db.url).await?;
        let idle = server.memory()?;
        let api = Api::sign_in(
            &self.bin,
            &db.url,
            &db.store,
            members[0].id,
            ADMIN_EMAIL,
            &server.base,
        )
        .await?;
        let mut made = Vec::new();
        for clients in [1, 16, 64] {
            let load = self.load(clients, 40_000, if clients == 1 { 10 } else { 20 });
            let (f, m) = workloads::create(&api, load).await;
            self.report.rate(
                "create a problem (API)",
                "empty",
                &format!("{clients} clients"),
                column,
                &f,
            );
            println!(
                "{column:?}: create at {clients}: {}",
                makegood_bench::results::rate(&f)
            );
            made.extend(m);
        }
        let some = &made[..made.len().min(1_000)];
        let f = workloads::updates(&api, self.load(16, 20_000, 15), some).await;
        self.report.rate(
            "post a customer update (API)",
            "empty",
            "16 clients",
            column,
            &f,
        );
        let f = workloads::promises(&api, self.load(16, 10_000, 15), some).await;
        self.report.rate(
            "make and keep a promise (API, 2 requests)",
            "empty",
            "16 clients",
            column,
            &f,
        );
        if column == Column::Postgres {
            self.two_servers(&db, &api, &server).await?;
        }
        let loaded = server.memory()?;
        drop(server);
        let mut starts = vec![cold.as_secs_f64() * 1e3];
        for _ in 0..4 {
            let (server, cold) = Server::start(&self.bin, &db.url).await?;
            starts.push(cold.as_secs_f64() * 1e3);
            drop(server);
        }
        starts.sort_by(f64::total_cmp);
        self.report.value(
            "memory: idle after start (RSS)",
            "empty",
            "",
            column,
            idle.rss_mib,
            "MiB",
        );
        self.report.value(
            "memory: peak under the write load (RSS)",
            "empty",
            "1–64 clients",
            column,
            loaded.peak_mib,
            "MiB",
        );
        self.report
            .value(
                "cold start: exec to first 200",
                "small",
                "median of 5",
                column,
                starts[2],
                "ms",
            )
            .cell += &format!(" ({} problems)", num(made.len() as f64));
        Ok(())
    }

    /// Creates at 64 clients against one server and against two on the same database.
    async fn two_servers(&mut self, db: &TestDb, api: &Api, first: &Server) -> Result<()> {
        let (second, _) = Server::start(&self.bin, &db.url).await?;
        let load = self.load(32, 20_000, 20);
        let (a, b) = (api.at(&first.base), api.at(&second.base));
        let ((fa, _), (fb, _)) =
            tokio::join!(workloads::create(&a, load), workloads::create(&b, load));
        let total = Figures {
            clients: 64,
            ok: fa.ok + fb.ok,
            failed: fa.failed + fb.failed,
            seconds: fa.seconds.max(fb.seconds),
            per_second: fa.per_second + fb.per_second,
            p50_ms: fa.p50_ms.max(fb.p50_ms),
            p90_ms: fa.p90_ms.max(fb.p90_ms),
            p99_ms: fa.p99_ms.max(fb.p99_ms),
            max_ms: fa.max_ms.max(fb.max_ms),
            first_error: fa.first_error.or(fb.first_error),
        };
        self.report.rate(
            "create a problem (API), two serve processes",
            "empty",
            "64 clients (32 each)",
            Column::Postgres,
            &total,
        );
        Ok(())
    }

    /// Reads, reports and (at the largest size) the scheduler on a generated dataset.
    async fn reads(&mut self, column: Column, problems: usize, largest: bool) -> Result<()> {
        let db = self.fresh(column).await;
        let now = wall_clock();
        let ds = label(problems);
        let started = Instant::now();
        let members = dataset::organisation(&db.store, now).await?;
        dataset::build(&db.url, &members, Dataset { problems, now }).await?;
        let generated = started.elapsed();
        let started = Instant::now();
        db.store.rebuild_reports().await?;
        let rebuilt = started.elapsed();
        println!("{column:?} {ds}: generated in {generated:?}, reports rebuilt in {rebuilt:?}");
        self.report.value(
            "generate the dataset (bulk SQL)",
            &ds,
            "",
            column,
            generated.as_secs_f64(),
            "s",
        );
        let (server, cold) = Server::start(&self.bin, &db.url).await?;
        self.report.value(
            "cold start: exec to first 200",
            &format!("{ds} problems"),
            "first start",
            column,
            cold.as_secs_f64() * 1e3,
            "ms",
        );
        let idle = server.memory()?;
        self.report.value(
            "memory: idle after start (RSS)",
            &ds,
            "",
            column,
            idle.rss_mib,
            "MiB",
        );
        let api = Api::sign_in(
            &self.bin,
            &db.url,
            &db.store,
            members[0].id,
            ADMIN_EMAIL,
            &server.base,
        )
        .await?;
        let hundred = workloads::problem_with_events(&api, 100).await?;
        let seq = self.load(1, 300, 10);
        let reads = [
            (
                "get a problem with 100 events (API)",
                Read::Api(format!("/problems/{hundred}")),
            ),
            (
                "its timeline, 100 events (API)",
                Read::Api(format!("/problems/{hundred}/timeline?limit=100")),
            ),
            (
                "the problem's page, 100 events (HTML)",
                Read::Page(format!("/problems/{hundred}")),
            ),
            (
                "problem list, first page of 50 open, by next deadline (API)",
                Read::Api("/problems?open=true".into()),
            ),
            (
                "problem list, filtered by owner (API)",
                Read::Api("/problems?open=true&owner=me".into()),
            ),
            (
                "problem list, first page (HTML)",
                Read::Page("/problems".into()),
            ),
            (
                "text search \"printer\" (API)",
                Read::Api("/problems?q=printer".into()),
            ),
            ("Today (HTML)", Read::Page("/".into())),
            (
                "reports, last 12 months (API)",
                Read::Api("/reports".into()),
            ),
        ];
        for (name, what) in reads {
            let f = workloads::read(&api, &what, seq)
                .await
                .with_context(|| name.to_owned())?;
            println!(
                "{column:?} {ds}: {name}: {}",
                makegood_bench::results::latency(&f)
            );
            self.report
                .latency(name, &ds, "1 client, sequential", column, &f);
        }
        if largest {
            self.scheduler(column, &db, &api, &ds).await?;
        }
        let peak = server.memory()?;
        self.report.value(
            "memory: peak under the read load (RSS)",
            &ds,
            "",
            column,
            peak.peak_mib,
            "MiB",
        );
        Ok(())
    }

    async fn scheduler(&mut self, column: Column, db: &TestDb, api: &Api, ds: &str) -> Result<()> {
        let poll = Database::connect(&db.url).await?;
        let (_, on) = workloads::create(api, Load::new(4, 200, 60)).await;
        let on: Vec<Made> = on;
        let first = on.first().context("problems for the promises")?;
        let f = scheduler::deadline(api, &poll, first, 5).await?;
        self.report.latency(
            "a deadline passes → its alert is queued",
            &format!("{ds} open clocks"),
            "5 promises, one at a time",
            column,
            &f,
        );
        let n = (10_000 / self.args.quick as usize).max(100);
        let crowd = scheduler::crowd(
            api,
            &poll,
            &on,
            n,
            Duration::from_secs(90 / self.args.quick.min(3)),
        )
        .await?;
        self.report.value(
            &format!(
                "{} deadlines in the same second → all broken and alerted",
                num(crowd.deadlines as f64)
            ),
            &format!("{ds} open clocks"),
            "promises made at 64 clients",
            column,
            crowd.seconds,
            "s",
        );
        Ok(())
    }

    async fn fanout(&mut self, column: Column) -> Result<()> {
        let db = self.fresh(column).await;
        let data = fanout::Dataset {
            locations: 750,
            stakeholders: 10_000,
        };
        let incident = fanout::build(&db.store, data).await?;
        let times = fanout::run(&db.store, &incident, data, 5).await?;
        let ms: Vec<f64> = times.iter().map(|t| t.as_secs_f64() * 1e3).collect();
        let f = Figures::of(1, ms, 0, times.iter().sum(), None);
        self.report.latency(
            "fan-out: one update to 10,000 stakeholders (store call)",
            "750 locations",
            "5 updates",
            column,
            &f,
        );
        Ok(())
    }
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<f64>().ok())
        })
        .map_or(String::new(), |kib| {
            format!(", {:.0} GiB", kib / 1024.0 / 1024.0)
        });
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    format!("{cores} cores{mem}, Linux {}", kernel.trim())
}

fn commit() -> String {
    std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

fn targets(s: &mut Suite) {
    let r = &s.report;
    let get = |w: &str, d: &str, c: Column| r.find(w, d, c).and_then(|r| r.figures.clone());
    let value = |w: &str, d: &str, c: Column| r.find(w, d, c).and_then(|r| r.value);
    let mut out: Vec<(String, String, bool)> = Vec::new();
    // Create at 64 clients: the headline, compared with the disk, the peers, two servers.
    let create64 = |c: Column| {
        r.rows
            .iter()
            .find(|x| {
                x.workload == "create a problem (API)" && x.load == "64 clients" && x.column == c
            })
            .and_then(|x| x.figures.clone())
    };
    let create = create64(Column::Sqlite);
    let bare = get(
        "bare single-row durable transactions",
        "",
        Column::Reference,
    );
    if let (Some(c), Some(b)) = (&create, &bare) {
        out.push((
            "create at 64 clients ≥ bare durable SQLite transactions".into(),
            format!(
                "{}/s vs {}/s ({:.2}×)",
                num(c.per_second),
                num(b.per_second),
                c.per_second / b.per_second
            ),
            c.per_second >= b.per_second,
        ));
        out.push((
            "create at 64 clients: p99 under 20 ms".into(),
            format!("{} ms", num(c.p99_ms)),
            c.p99_ms < 20.0,
        ));
    }
    if let Some(c) = &create {
        for p in &r.peers {
            let (name, times) = match p.name.as_str() {
                "RT 5" => ("RT 5", 500.0),
                _ => ("django-helpdesk", 50.0),
            };
            if let Some(theirs) = p.create_per_second.filter(|r| *r > 0.0) {
                out.push((
                    format!("create: at least {times}× {name}"),
                    format!("{:.0}×", c.per_second / theirs),
                    c.per_second >= times * theirs,
                ));
            }
        }
    }
    let largest = s.args.sizes.last().cloned().unwrap_or_default();
    let largest = size(&largest).map(label).unwrap_or_default();
    let checks: [(&str, &str, f64, String); 5] = [
        (
            "get a problem with 100 events (API)",
            "get a problem with 100 events: p50 under 2 ms",
            2.0,
            largest.clone(),
        ),
        (
            "problem list, first page of 50 open, by next deadline (API)",
            "problem list at 1M (API): p50 under 10 ms",
            10.0,
            largest.clone(),
        ),
        (
            "problem list, first page (HTML)",
            "problem list at 1M (HTML): p50 under 20 ms",
            20.0,
            largest.clone(),
        ),
        (
            "text search \"printer\" (API)",
            "text search at 1M / 10M events: p50 under 50 ms",
            50.0,
            largest.clone(),
        ),
        (
            "a deadline passes → its alert is queued",
            "a deadline reaches the outbox in under 1 s with 1M open clocks",
            1000.0,
            format!("{largest} open clocks"),
        ),
    ];
    for (workload, what, limit, ds) in checks {
        if let Some(f) = get(workload, &ds, Column::Sqlite) {
            out.push((
                format!("{what} ({ds})"),
                format!("{} ms", num(f.p50_ms)),
                f.p50_ms < limit,
            ));
        }
    }
    if let Some(row) = r
        .rows
        .iter()
        .find(|x| x.workload.contains("deadlines in the same second") && x.column == Column::Sqlite)
    {
        let v = row.value.unwrap_or(f64::NAN);
        out.push((
            format!("{} all processed within 5 s", row.workload),
            format!("{} s", num(v)),
            v < 5.0,
        ));
    }
    if let Some(f) = get(
        "fan-out: one update to 10,000 stakeholders (store call)",
        "750 locations",
        Column::Sqlite,
    ) {
        out.push((
            "fan-out to 10,000 stakeholders under 1 s".into(),
            format!("{} ms", num(f.p50_ms)),
            f.p50_ms < 1000.0,
        ));
    }
    if let Some(v) = value("memory: idle after start (RSS)", "empty", Column::Sqlite) {
        out.push((
            "idle RSS under 30 MB".into(),
            format!("{} MiB", num(v)),
            v < 30.0,
        ));
    }
    let peak = r
        .rows
        .iter()
        .filter(|x| x.workload.starts_with("memory: peak") && x.column == Column::Sqlite)
        .filter_map(|x| x.value)
        .reduce(f64::max);
    if let Some(v) = peak {
        out.push((
            "RSS under load under 150 MB (highest peak)".into(),
            format!("{} MiB", num(v)),
            v < 150.0,
        ));
    }
    if let Some(row) = r.rows.iter().find(|x| {
        x.workload.starts_with("cold start")
            && x.load == "median of 5"
            && x.column == Column::Sqlite
    }) {
        let v = row.value.unwrap_or(f64::NAN);
        out.push((
            "cold start under 200 ms".into(),
            format!("{} ms", num(v)),
            v < 200.0,
        ));
    }
    let one = create64(Column::Postgres);
    let two = get(
        "create a problem (API), two serve processes",
        "empty",
        Column::Postgres,
    );
    if let (Some(one), Some(two)) = (one, two) {
        out.push((
            "two serve processes on one PostgreSQL give more than one".into(),
            format!("{}/s vs {}/s", num(two.per_second), num(one.per_second)),
            two.per_second > one.per_second,
        ));
    }
    for (what, measured, met) in out {
        s.report.target(&what, measured, met);
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let started = Instant::now();
    let bin = server::binary()?;
    let command = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    let mut s = Suite {
        report: Report {
            date: wall_clock().strftime("%Y-%m-%d %H:%M UTC").to_string(),
            commit: commit(),
            machine: machine(),
            command: format!("bash bench/run {command}").trim().to_owned(),
            ..Report::default()
        },
        bin,
        args,
    };

    // The disk's own rate, on a quiet machine.
    let dir = tempfile_dir()?;
    let bare = reference::sqlite_transactions(
        &dir.join("bare.db"),
        200_000,
        Duration::from_secs(10 / s.args.quick.min(5)),
    )
    .await?;
    s.report.rate(
        "bare single-row durable transactions",
        "",
        "1 connection, sequential",
        Column::Reference,
        &bare,
    );
    println!("bare SQLite: {}", makegood_bench::results::rate(&bare));
    let size_mib = std::fs::metadata(&s.bin)?.len() as f64 / 1024.0 / 1024.0;
    s.report.value(
        "binary size (release build)",
        "",
        "",
        Column::Sqlite,
        size_mib,
        "MiB",
    );

    let columns: Vec<Column> = s
        .args
        .backends
        .iter()
        .map(|b| {
            if b.starts_with("postgres") {
                Column::Postgres
            } else {
                Column::Sqlite
            }
        })
        .collect();
    let sizes = |list: &[String]| list.iter().map(|x| size(x)).collect::<Result<Vec<usize>>>();
    let sqlite_sizes = sizes(&s.args.sizes)?;
    let postgres_sizes = sizes(s.args.postgres_sizes.as_ref().unwrap_or(&s.args.sizes))?;
    for &column in &columns {
        s.writes(column).await?;
        s.fanout(column).await?;
        s.save(started)?;
        let sizes = match column {
            Column::Postgres => &postgres_sizes,
            _ => &sqlite_sizes,
        };
        for (i, &n) in sizes.iter().enumerate() {
            s.reads(column, n, i + 1 == sizes.len()).await?;
            s.save(started)?;
        }
    }
    // The peers last, right after makegood's own figures, on the same machine: their loads
    // of 100,000 tickets leave the disk and PostgreSQL busy for minutes, which would slow
    // whatever ran next.
    s.peers()?;
    s.save(started)?;
    println!("wrote {}", s.args.out.join("RESULTS.md").display());
    Ok(())
}

impl Suite {
    /// Runs the peers' scripts and puts their medians beside makegood's rows.
    fn peers(&mut self) -> Result<()> {
        if self.args.peers == "none" {
            return Ok(());
        }
        let peers = peers::run(std::path::Path::new(&self.args.peers), self.args.peer_runs)?;
        for p in &peers {
            let column = if p.name == "RT 5" {
                Column::Rt
            } else {
                Column::DjangoHelpdesk
            };
            let r = &mut self.report;
            if let (Some(rps), Some(p50), Some(p99)) =
                (p.create_per_second, p.create_p50_ms, p.create_p99_ms)
            {
                r.push(
                    "create a problem (API)",
                    "empty",
                    "64 clients",
                    column,
                    format!(
                        "{}/s · p50 {} · p99 {} ms (4 connections)",
                        num(rps),
                        num(p50),
                        num(p99)
                    ),
                );
            }
            for (tag, v) in &p.list_p50_ms {
                r.push(
                    "problem list, first page of 50 open, by next deadline (API)",
                    tag,
                    "1 client, sequential",
                    column,
                    format!("p50 {} ms (25 active)", num(*v)),
                );
            }
            for (tag, v) in &p.html_list_p50_ms {
                r.push(
                    "problem list, first page (HTML)",
                    tag,
                    "1 client, sequential",
                    column,
                    format!("p50 {} ms", num(*v)),
                );
            }
            for (tag, v) in &p.search_p50_ms {
                r.push(
                    "text search \"printer\" (API)",
                    tag,
                    "1 client, sequential",
                    column,
                    format!("p50 {} ms", num(*v)),
                );
            }
            if let Some(v) = p.idle_mib {
                r.value(
                    "memory: idle after start (RSS)",
                    "empty",
                    "",
                    column,
                    v,
                    "MiB PSS",
                );
            }
            if let Some(v) = p.peak_mib {
                r.value(
                    "memory: peak under the write load (RSS)",
                    "empty",
                    "1–64 clients",
                    column,
                    v,
                    "MiB PSS (any load)",
                );
            }
            if let Some(v) = p.cold_start_s {
                r.value(
                    "cold start: exec to first 200",
                    "small",
                    "median of 5",
                    column,
                    v * 1e3,
                    "ms",
                )
                .cell += " (empty)";
            }
        }
        self.report.peers = peers;
        Ok(())
    }

    /// Writes what has been measured so far (after every phase: a failure late in a long
    /// run keeps what came before), with the targets checked against it.
    fn save(&mut self, started: Instant) -> Result<()> {
        self.report.targets.clear();
        targets(self);
        self.report.minutes = started.elapsed().as_secs_f64() / 60.0;
        let notes = std::fs::read_to_string(self.args.out.join("NOTES.md")).unwrap_or_default();
        std::fs::create_dir_all(self.args.out.join("results"))?;
        std::fs::write(
            self.args.out.join("results/latest.json"),
            serde_json::to_string_pretty(&self.report)?,
        )?;
        std::fs::write(
            self.args.out.join("RESULTS.md"),
            self.report.markdown(&notes),
        )?;
        Ok(())
    }
}

fn tempfile_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("makegood-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
