//! Core benchmark: database open, search, pages (first, keyset, jump) and counts on a large
//! generated customer base. Prints p50/p95/max per measure beside its target; never fails on time.
//!
//! `CLIENTELE_BENCH_DIR` (default `target/bench-data`) holds the database; when it has fewer than
//! 1,000 customers, `CLIENTELE_BENCH_N` (default 1,000,000) demo customers are generated first.
//!
//!     cargo bench -p clientele --bench core
//!     CLIENTELE_BENCH_DIR=/tmp/bench1m cargo bench -p clientele --bench core

#[global_allocator]
static GLOBAL: clientele::Allocator = clientele::Allocator;

use std::future::Future;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clientele::actor::{Actor, Role};
use clientele::catalogs::{self, CatalogKind};
use clientele::customers::{self, Cursor, CustomerFilter, ListQuery, SortField};
use clientele::staff::{self, NewStaff};
use clientele::store::Store;
use clientele::{Result, demo};

const ITERS: usize = 100;
const WARMUP: usize = 5;
const PAGE: u32 = 50;
const SEARCH_TARGET_MS: f64 = 20.0;
const COUNT_TARGET_MS: f64 = 50.0;

fn main() {
    // `cargo bench` passes `--bench`; nothing here takes arguments.
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("bench: cannot start tokio: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = runtime.block_on(run()) {
        eprintln!("bench failed: [{}] {e}", e.code());
        std::process::exit(1);
    }
}

struct Measure {
    name: String,
    iters: usize,
    p50: f64,
    p95: f64,
    max: f64,
    /// Rows on the page, or the count.
    result: u64,
    target_ms: Option<f64>,
}

/// Run `f` `WARMUP` times, then `iters` times, timing each call.
async fn measure<F, Fut>(name: impl Into<String>, iters: usize, target_ms: Option<f64>, mut f: F) -> Result<Measure>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<u64>>,
{
    let mut result = 0;
    for _ in 0..WARMUP.min(iters) {
        result = f().await?;
    }
    let mut times = Vec::with_capacity(iters);
    for _ in 0..iters {
        let t = Instant::now();
        result = f().await?;
        times.push(t.elapsed());
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
    let m = Measure {
        name: name.into(),
        iters,
        p50: ms(at(0.50)),
        p95: ms(at(0.95)),
        max: ms(times[times.len() - 1]),
        result,
        target_ms,
    };
    print_row(&m);
    Ok(m)
}

fn print_header() {
    println!(
        "{:<52} {:>6} {:>9} {:>9} {:>9} {:>10}  {:>8}  status",
        "measure", "iters", "p50 ms", "p95 ms", "max ms", "result", "target"
    );
    println!("{}", "-".repeat(121));
}

fn print_row(m: &Measure) {
    let (target, status) = match m.target_ms {
        Some(t) => (format!("≤{t:.0} ms"), if m.p95 <= t { "OK" } else { "OVER" }),
        None => ("–".to_owned(), ""),
    };
    println!(
        "{:<52} {:>6} {:>9.2} {:>9.2} {:>9.2} {:>10}  {:>8}  {status}",
        m.name, m.iters, m.p50, m.p95, m.max, m.result, target
    );
}

async fn bench_actor(store: &Store) -> Result<Actor> {
    let first_admin =
        NewStaff { name: "Bench".into(), email: "bench@example.com".into(), password: None, role: Role::Admin };
    let password = std::env::var("CLIENTELE_PASSWORD").ok();
    staff::tool_actor(store, first_admin, password.as_deref()).await
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.replace(['_', ','], "").parse().ok()).unwrap_or(default)
}

fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown (no /proc/self/status)".to_owned())
}

fn page(search: &str, sort: SortField, desc: bool) -> ListQuery {
    ListQuery { search: search.to_owned(), sort, desc, limit: PAGE, ..Default::default() }
}

async fn run() -> Result<()> {
    let dir = std::env::var_os("CLIENTELE_BENCH_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/bench-data"));
    let store = Store::open(&dir).await?;
    let actor = bench_actor(&store).await?;
    let mut live = customers::count(&store, &actor, "", &CustomerFilter::default(), false).await?;
    if live < 1_000 {
        let n = env_u64("CLIENTELE_BENCH_N", 1_000_000);
        println!("generating {n} demo customers in {} …", dir.display());
        let t = Instant::now();
        let mut last = 0;
        let created = demo::generate(&store, &actor, n, 1, &mut |done| {
            if done / 100_000 > last / 100_000 {
                last = done;
                eprintln!("  {done} rows, {:.1} s", t.elapsed().as_secs_f64());
            }
        })
        .await?;
        let secs = t.elapsed().as_secs_f64();
        println!("generated {created} customers in {secs:.1} s ({:.0} rows/s)", created as f64 / secs.max(1e-9));
        live = customers::count(&store, &actor, "", &CustomerFilter::default(), false).await?;
    }
    println!("database: {} ({live} live customers)\n", store.db_path().display());

    let (s, a) = (&store, &actor);
    let mut results = Vec::new();
    print_header();

    // Opening: a fresh pool each time (migrations already applied).
    results.push(
        measure("open database (Store::open, fresh pool)", 5, None, || {
            let dir = dir.clone();
            async move {
                let st = Store::open(&dir).await?;
                st.close().await;
                Ok(0)
            }
        })
        .await?,
    );

    let list = |q: ListQuery| {
        move || {
            let q = q.clone();
            async move { Ok(customers::list(s, a, &q).await?.rows.len() as u64) }
        }
    };
    let target = Some(SEARCH_TARGET_MS);

    // Search, first page, name order.
    for query in ["nguyen", "minh", "tran duc", "ng", "nguy", "th", "345 678", "KH0001", "gmail"] {
        let name = format!("search {query:?} first page (name)");
        results.push(measure(name, ITERS, target, list(page(query, SortField::Name, false))).await?);
    }

    // Four-digit runs drawn from real phones, a different one each iteration.
    let sample = customers::list(
        s,
        a,
        &ListQuery { limit: 500, sort: SortField::Created, ..page("", SortField::Created, false) },
    )
    .await?;
    let mut runs: Vec<String> = sample
        .rows
        .iter()
        .filter_map(|r| r.phone.as_deref())
        .map(|p| p.chars().filter(char::is_ascii_digit).collect::<String>())
        .filter(|d| d.len() >= 8)
        .map(|d| d[d.len() - 6..d.len() - 2].to_owned())
        .collect();
    runs.dedup();
    if !runs.is_empty() {
        let runs = &runs;
        let mut i = 0;
        let name = format!("search 4-digit phone runs ({} distinct, name)", runs.len());
        results.push(
            measure(name, ITERS, target, || {
                i += 1;
                let q = page(&runs[i % runs.len()], SortField::Name, false);
                async move { Ok(customers::list(s, a, &q).await?.rows.len() as u64) }
            })
            .await?,
        );
    }

    // Search with other orders.
    results.push(
        measure("search \"nguyen\" first page (code)", ITERS, target, list(page("nguyen", SortField::Code, false)))
            .await?,
    );
    results.push(
        measure(
            "search \"nguyen\" first page (created desc)",
            ITERS,
            target,
            list(page("nguyen", SortField::Created, true)),
        )
        .await?,
    );
    results.push(
        measure("search \"ng\" first page (created desc)", ITERS, target, list(page("ng", SortField::Created, true)))
            .await?,
    );

    // No search: first page in each order.
    results.push(measure("first page, no search (name)", ITERS, target, list(page("", SortField::Name, false))).await?);
    results.push(measure("first page, no search (code)", ITERS, target, list(page("", SortField::Code, false))).await?);
    results.push(
        measure("first page, no search (created desc)", ITERS, target, list(page("", SortField::Created, true)))
            .await?,
    );

    // Deep pages: keyset from a cursor 10,000 rows in, and a jump.
    for (label, search) in [("no search", ""), ("search \"nguyen\"", "nguyen")] {
        let deep = 10_000u32.min((live as u32).saturating_sub(PAGE * 2));
        let before = ListQuery { offset: Some(deep.saturating_sub(PAGE)), ..page(search, SortField::Name, false) };
        let cursor: Option<Cursor> = customers::list(s, a, &before).await?.next;
        if let Some(cursor) = cursor {
            let q = ListQuery { after: Some(cursor), ..page(search, SortField::Name, false) };
            let name = format!("next page after cursor at {deep} ({label}, name)");
            results.push(measure(name, ITERS, target, list(q)).await?);
        }
    }
    let jump = 500_000u32.min((live / 2) as u32);
    for sort in [SortField::Name, SortField::Code, SortField::Created] {
        let q = ListQuery { offset: Some(jump), ..page("", sort, false) };
        let name = format!("jump to offset {jump} (no search, {sort:?})").to_lowercase();
        results.push(measure(name, ITERS, target, list(q)).await?);
    }
    let nguyen_count = customers::count(s, a, "nguyen", &CustomerFilter::default(), false).await?;
    let jump_search = ((nguyen_count / 2) as u32).min(100_000);
    let q = ListQuery { offset: Some(jump_search), ..page("nguyen", SortField::Name, false) };
    results.push(
        measure(format!("jump to offset {jump_search} (search \"nguyen\", name)"), ITERS, target, list(q)).await?,
    );

    // Counts.
    let target = Some(COUNT_TARGET_MS);
    for query in ["", "nguyen", "ng", "345", "tran duc"] {
        let name = if query.is_empty() { "count, no search".to_owned() } else { format!("count search {query:?}") };
        results.push(
            measure(name, ITERS, target, || {
                let query = query.to_owned();
                async move { customers::count(s, a, &query, &CustomerFilter::default(), false).await }
            })
            .await?,
        );
    }

    // Filters: the demo data ranks levels by rarity (the first, VIP, is the rarest, about 5 %; the
    // last the commonest, about 45 %) and puts one customer in five in one of the groups.
    let catalogs = catalogs::all(s).await?;
    let ranked = |kind: CatalogKind| {
        let mut items: Vec<_> = catalogs.items.iter().filter(|i| i.kind == kind).collect();
        items.sort_by_key(|i| (i.sort_order, i.id));
        items.into_iter().map(|i| i.id).collect::<Vec<i64>>()
    };
    let (levels, groups) = (ranked(CatalogKind::Level), ranked(CatalogKind::Group));
    if let (Some(&rare), Some(&common), Some(&group)) = (levels.first(), levels.last(), groups.first()) {
        let level = |id: i64| CustomerFilter { level_ids: vec![id], ..CustomerFilter::default() };
        let in_group = CustomerFilter { group_ids: vec![group], ..CustomerFilter::default() };
        let both = CustomerFilter { group_ids: vec![group], ..level(rare) };
        let target = Some(SEARCH_TARGET_MS);
        let cases = [
            ("filter rarest level, first page (name)", level(rare), "", SortField::Name, false),
            ("filter rarest level, first page (created desc)", level(rare), "", SortField::Created, true),
            ("filter commonest level, first page (code)", level(common), "", SortField::Code, false),
            ("filter rarest level + \"nguyen\" (name)", level(rare), "nguyen", SortField::Name, false),
            ("filter rarest level + \"nguyen\" (created desc)", level(rare), "nguyen", SortField::Created, true),
            ("filter commonest level + \"ng\" (name)", level(common), "ng", SortField::Name, false),
            ("filter group, first page (name)", in_group.clone(), "", SortField::Name, false),
            ("filter group + rarest level, first page (name)", both.clone(), "", SortField::Name, false),
        ];
        for (name, filter, search, sort, desc) in cases {
            results.push(measure(name, ITERS, target, list(ListQuery { filter, ..page(search, sort, desc) })).await?);
        }
        let deep = ListQuery { offset: Some(20_000), filter: level(common), ..page("", SortField::Name, false) };
        results.push(measure("filter commonest level, jump to offset 20000 (name)", ITERS, target, list(deep)).await?);

        let target = Some(COUNT_TARGET_MS);
        let counts = [
            ("count filter rarest level", level(rare), ""),
            ("count filter commonest level", level(common), ""),
            ("count filter group", in_group, ""),
            ("count filter group + rarest level", both, ""),
            ("count filter rarest level + \"nguyen\"", level(rare), "nguyen"),
        ];
        for (name, filter, search) in counts {
            let filter = &filter;
            results.push(
                measure(name, ITERS, target, || async move { customers::count(s, a, search, filter, false).await })
                    .await?,
            );
        }
    } else {
        println!("(no levels or groups in the catalogs: filter measures skipped)");
    }

    let over: Vec<&Measure> = results.iter().filter(|m| m.target_ms.is_some_and(|t| m.p95 > t)).collect();
    println!();
    if over.is_empty() {
        println!("all measures within target (p95)");
    } else {
        println!("{} measure(s) OVER target (p95):", over.len());
        for m in over {
            println!("  {} — p95 {:.2} ms", m.name, m.p95);
        }
    }
    println!("peak RSS (VmHWM): {}", peak_rss());
    store.close().await;
    Ok(())
}
