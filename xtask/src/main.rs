//! Project tasks: `cargo xtask run | test | bench | bundle | gen-data`. Std only, so it builds
//! in a couple of seconds on a fresh clone.

mod deps;
mod test;
mod util;

use std::path::{Path, PathBuf};
use std::process::Command;

use deps::Needs;
use util::{Result, run};

const USAGE: &str = "\
usage: cargo xtask <task> [options]

tasks:
  run [--dev] [-- ARGS]      build the UI and the app, then start it (needs a display;
                             --dev runs `tauri dev` with the Vite dev server instead)
  test [--with-bundle] [--no-e2e]
                             everything CI checks: fmt, clippy, core tests, bindings, UI type
                             check and tests, app build, end-to-end tests under Xvfb; with
                             --with-bundle (or CI=true) also build the .deb/.rpm, install the
                             .deb and start it. The last line is `N passed, M failed`.
  bench [--regen] [--only core|io] [-- ARGS]
                             benchmarks: core (search, pages and counts on a 1,000,000-customer
                             database in target/bench-data), then io (import of 100k and 1M-row
                             xlsx files and export of what they created, each beside its raw
                             reference; files in target/bench-data/io, made on first use).
                             ARGS go to the io bench (e.g. -- --sizes 100000 --csv)
  bundle                     release .deb and .rpm (prints their paths)
  gen-data [--sizes N,N] [--langs vi,en] [--formats xlsx,csv] [--out DIR] [--force]
                             write the io bench's spreadsheets of realistic Vietnamese and
                             English customers (default 100000 and 1000000 rows, both
                             languages, xlsx and csv, into target/bench-data/io)
  gen-data --customers N [--data-dir DIR]
                             a database of N demo customers made with the CLI (into
                             target/demo-data)
";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((task, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        std::process::exit(2);
    };
    let result = match task.as_str() {
        "run" => run_app(rest),
        "test" => test_task(rest),
        "bench" => bench(rest),
        "bundle" => bundle_task(rest),
        "gen-data" => gen_data(rest),
        "help" | "-h" | "--help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown task `{other}`\n\n{USAGE}")),
    };
    if let Err(e) = result {
        if !e.is_empty() {
            eprintln!("xtask: {e}");
        }
        std::process::exit(1);
    }
}

/// Split `[options] -- [passthrough]`.
fn split_passthrough(args: &[String]) -> (&[String], &[String]) {
    match args.iter().position(|a| a == "--") {
        Some(i) => (&args[..i], &args[i + 1..]),
        None => (args, &[]),
    }
}

fn unknown(opts: &[String], known: &[&str]) -> Result {
    match opts.iter().find(|o| !known.contains(&o.as_str())) {
        Some(o) => Err(format!("unknown option `{o}`\n\n{USAGE}")),
        None => Ok(()),
    }
}

fn tauri(root: &Path) -> Command {
    let mut c = Command::new(util::tauri_cli());
    // Pitfall: the Tauri CLI must run from the repository root to find src-tauri.
    c.current_dir(root);
    c
}

/// The debug app with ui/dist embedded (a plain `cargo build` would load devUrl).
pub fn tauri_build_debug(root: &Path) -> Result {
    run(tauri(root).args(["build", "--debug", "--no-bundle"]))
}

fn run_app(args: &[String]) -> Result {
    let (opts, pass) = split_passthrough(args);
    unknown(opts, &["--dev"])?;
    let dev = opts.iter().any(|o| o == "--dev");
    if !util::has_display() {
        return Err("there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set).\n\
             Run it under a virtual one:  xvfb-run -a -s \"-screen 0 1280x800x24 -noreset\" cargo xtask run\n\
             or work without a window through the command line:  cargo run -p clientele -- --help"
            .into());
    }
    deps::ensure_deps(Needs::default())?;
    let root = util::root();
    if dev {
        return run(tauri(&root).arg("dev").args(pass));
    }
    tauri_build_debug(&root)?;
    let exe = util::target_dir().join("debug/clientele-app");
    run(Command::new(&exe).args(pass).current_dir(&root))
}

fn test_task(args: &[String]) -> Result {
    unknown(args, &["--with-bundle", "--no-e2e"])?;
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false");
    test::test(test::Options {
        bundle: ci || args.iter().any(|a| a == "--with-bundle"),
        no_e2e: args.iter().any(|a| a == "--no-e2e"),
        lean: ci,
    })
}

fn bench(args: &[String]) -> Result {
    let (opts, pass) = split_passthrough(args);
    let mut regen = false;
    let mut only: Option<String> = None;
    let mut it = opts.iter();
    while let Some(o) = it.next() {
        match o.as_str() {
            "--regen" => regen = true,
            "--only" => match it.next().map(String::as_str) {
                Some(which @ ("core" | "io")) => only = Some(which.to_owned()),
                _ => return Err(format!("--only takes core or io\n\n{USAGE}")),
            },
            other => return Err(format!("unknown option `{other}`\n\n{USAGE}")),
        }
    }
    let root = util::root();
    let data = util::target_dir().join("bench-data");
    if only.as_deref() != Some("io") {
        if regen || !data.join("clientele.db").exists() {
            for file in ["clientele.db", "clientele.db-wal", "clientele.db-shm"] {
                let path = data.join(file);
                if path.exists() {
                    std::fs::remove_file(&path).map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
                }
            }
            demo(&root, &data, 1_000_000)?;
        }
        run(Command::new(util::cargo())
            .args(["bench", "-p", "clientele", "--bench", "core"])
            .current_dir(&root)
            .env("CLIENTELE_BENCH_DIR", &data))?;
    }
    if only.as_deref() != Some("core") {
        run(Command::new(util::cargo())
            .args(["bench", "-p", "clientele", "--bench", "import", "--", "--dir"])
            .arg(data.join("io"))
            .args(pass)
            .current_dir(&root))?;
    }
    Ok(())
}

fn demo(root: &Path, data: &Path, customers: u64) -> Result {
    run(Command::new(util::cargo())
        .args(["run", "--release", "-p", "clientele", "--bin", "clientele", "--", "--data-dir"])
        .arg(data)
        .args(["demo", "--customers", &customers.to_string()])
        .current_dir(root))
}

fn gen_data(args: &[String]) -> Result {
    if args.iter().any(|a| a == "--customers" || a == "--data-dir") {
        return gen_demo_db(args);
    }
    // The spreadsheets: written by the io bench's own generator (it needs the core's demo rows).
    let mut pass: Vec<String> = vec!["gen".into()];
    let mut out = util::target_dir().join("bench-data/io");
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--sizes" | "--langs" | "--formats" => {
                let v = it.next().ok_or_else(|| format!("{a} needs a value"))?;
                pass.push(a.clone());
                pass.push(v.clone());
            }
            "--force" => pass.push(a.clone()),
            "--out" => out = PathBuf::from(it.next().ok_or("--out needs a folder")?),
            other => return Err(format!("unknown option `{other}`\n\n{USAGE}")),
        }
    }
    let out = if out.is_absolute() { out } else { std::env::current_dir().map_err(|e| e.to_string())?.join(out) };
    run(Command::new(util::cargo())
        .args(["bench", "-p", "clientele", "--bench", "import", "--"])
        .args(&pass)
        .arg("--dir")
        .arg(&out)
        .current_dir(util::root()))
}

fn gen_demo_db(args: &[String]) -> Result {
    let mut customers: u64 = 10_000;
    let mut data: PathBuf = util::target_dir().join("demo-data");
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--customers" => {
                let v = it.next().ok_or("--customers needs a number")?;
                customers = v.replace(['_', ','], "").parse().map_err(|_| format!("--customers: not a number: {v}"))?;
            }
            "--data-dir" => data = PathBuf::from(it.next().ok_or("--data-dir needs a folder")?),
            other => return Err(format!("unknown option `{other}`\n\n{USAGE}")),
        }
    }
    let data = if data.is_absolute() { data } else { std::env::current_dir().map_err(|e| e.to_string())?.join(data) };
    demo(&util::root(), &data, customers)
}

fn bundle_task(args: &[String]) -> Result {
    unknown(args, &[])?;
    deps::ensure_deps(Needs::default())?;
    bundle(&util::root()).map(|_| ())
}

/// Release .deb and .rpm; returns their paths (newest build of each).
pub fn bundle(root: &Path) -> Result<Vec<PathBuf>> {
    run(tauri(root).args(["build", "--bundles", "deb,rpm"]))?;
    let dir = util::target_dir().join("release/bundle");
    let mut files = Vec::new();
    for kind in ["deb", "rpm"] {
        let newest = std::fs::read_dir(dir.join(kind))
            .map_err(|e| format!("{}: {e}", dir.join(kind).display()))?
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == kind))
            .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok())
            .map(|e| e.path())
            .ok_or_else(|| format!("no .{kind} in {}", dir.join(kind).display()))?;
        println!("{}", newest.display());
        files.push(newest);
    }
    Ok(files)
}
