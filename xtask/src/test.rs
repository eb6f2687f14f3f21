//! `cargo xtask test`: every check CI runs, in order, with one summary line at the very end.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::deps::{self, Needs};
use crate::util::{self, Result, number_before, run_capture, strip_ansi};

pub const XVFB_SCREEN: &str = "-screen 0 1280x800x24 -noreset";

pub struct Options {
    /// Build the release .deb/.rpm, install the .deb and start it (also when CI=true).
    pub bundle: bool,
    /// Skip the end-to-end tests (and the app build they need).
    pub no_e2e: bool,
    /// On CI: delete build products once no later phase needs them (test executables after the
    /// core tests, the debug tree before the release bundle), because the disk there is small.
    pub lean: bool,
}

#[derive(Default)]
struct Phase {
    name: &'static str,
    took: Duration,
    passed: u64,
    failed: u64,
    note: String,
}

#[derive(Default)]
struct Report {
    phases: Vec<Phase>,
}

impl Report {
    fn add(&mut self, name: &'static str, started: Instant, passed: u64, failed: u64, note: impl Into<String>) {
        let phase = Phase { name, took: started.elapsed(), passed, failed, note: note.into() };
        let status = if phase.failed == 0 { "ok" } else { "FAILED" };
        eprintln!(
            "\nxtask: [{status}] {} — {} passed, {} failed ({:.1}s) {}\n",
            phase.name,
            phase.passed,
            phase.failed,
            phase.took.as_secs_f64(),
            phase.note
        );
        self.phases.push(phase);
    }

    /// A check that is not a test suite (format, lints, a build) counts as one test.
    fn check(&mut self, name: &'static str, started: Instant, ok: bool, note: impl Into<String>) {
        self.add(name, started, u64::from(ok), u64::from(!ok), note);
    }

    fn totals(&self) -> (u64, u64) {
        self.phases.iter().fold((0, 0), |(p, f), ph| (p + ph.passed, f + ph.failed))
    }

    fn print(&self, started: Instant) {
        println!();
        println!("{:<22} {:>8} {:>7} {:>7}  note", "phase", "time", "passed", "failed");
        for ph in &self.phases {
            println!("{:<22} {:>7.1}s {:>7} {:>7}  {}", ph.name, ph.took.as_secs_f64(), ph.passed, ph.failed, ph.note);
        }
        println!("{:<22} {:>7.1}s", "total", started.elapsed().as_secs_f64());
        let (passed, failed) = self.totals();
        // The very last line: CI and people read it.
        println!("{passed} passed, {failed} failed");
    }
}

pub fn test(opts: Options) -> Result {
    let all = Instant::now();
    let root = util::root();
    let mut report = Report::default();
    let result = phases(&root, &opts, &mut report);
    if let Err(e) = &result {
        eprintln!("\nxtask: stopped: {e}");
    }
    report.print(all);
    let (_, failed) = report.totals();
    if failed > 0 || result.is_err() { Err(String::new()) } else { Ok(()) }
}

fn cargo(root: &Path) -> Command {
    let mut c = Command::new(util::cargo());
    c.current_dir(root);
    c
}

fn phases(root: &Path, opts: &Options, report: &mut Report) -> Result {
    // 1. What everything else needs. Without it nothing below can run.
    let t = Instant::now();
    let deps = deps::ensure_deps(Needs { tauri_driver: !opts.no_e2e });
    report.check("dependencies", t, deps.is_ok(), deps.clone().err().unwrap_or_default());
    deps?;

    // 2. Format and lints.
    let t = Instant::now();
    let (ok, _) = run_capture(cargo(root).args(["fmt", "--all", "--check"]))?;
    report.check("cargo fmt", t, ok, if ok { "" } else { "run `cargo fmt --all`" });

    let t = Instant::now();
    let (ok, _) = run_capture(cargo(root).args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    report.check("cargo clippy", t, ok, "");

    // 3. Core tests (they also regenerate the ts-rs bindings in ui/src/bindings).
    let t = Instant::now();
    let (passed, failed, note) = core_tests(root)?;
    report.add("core tests", t, passed, failed, note);
    if opts.lean {
        free_disk("the core test executables", remove_test_executables(&util::target_dir().join("debug/deps")));
    }

    // 4. The committed bindings must be the ones the core generates.
    let t = Instant::now();
    match stale_bindings(root) {
        Ok(changes) if changes.is_empty() => report.check("ts bindings", t, true, ""),
        Ok(changes) => {
            eprintln!(
                "xtask: the TypeScript bindings in ui/src/bindings differ from what the core generates:\n{changes}\
                 \nThe tests have just regenerated them: review and commit ui/src/bindings."
            );
            report.check("ts bindings", t, false, "ui/src/bindings is stale: commit the regenerated files")
        }
        Err(e) => report.check("ts bindings", t, true, format!("not checked: {e}")),
    }

    // 5. UI: types and unit tests.
    let ui = root.join("ui");
    let t = Instant::now();
    let (ok, _) = run_capture(Command::new("npm").args(["run", "typecheck"]).current_dir(&ui))?;
    report.check("ui typecheck", t, ok, "");

    let t = Instant::now();
    let (ok, out) = run_capture(Command::new("npm").arg("test").current_dir(&ui).env("CI", "true"))?;
    let (passed, failed) = vitest_counts(&out).unwrap_or((0, 0));
    let failed = if !ok && failed == 0 { 1 } else { failed };
    report.add("ui tests", t, passed, failed, if ok { "" } else { "vitest failed" });

    if opts.no_e2e && !opts.bundle {
        return Ok(());
    }

    // 6. The app as the user gets it (ui/dist embedded), and the CLI the e2e tests prepare data with.
    let t = Instant::now();
    let built = build_app(root);
    report.check("app build", t, built.is_ok(), built.clone().err().unwrap_or_default());
    built?;

    // 7. End-to-end tests of the real app under Xvfb.
    if !opts.no_e2e {
        let t = Instant::now();
        let (passed, failed, note) = e2e(root)?;
        report.add("e2e tests", t, passed, failed, note);
    }

    // 8. The installable package, installed and started.
    if opts.bundle {
        if opts.lean {
            free_disk("the debug build", remove_tree(&util::target_dir().join("debug")));
        }
        let t = Instant::now();
        let bundle = crate::bundle(root);
        report.check("bundle deb+rpm", t, bundle.is_ok(), bundle.as_ref().err().cloned().unwrap_or_default());
        let files = bundle?;
        let t = Instant::now();
        let smoke = smoke_test(&files);
        report.check("install + smoke", t, smoke.is_ok(), smoke.err().unwrap_or_default());
    }
    Ok(())
}

fn core_tests(root: &Path) -> Result<(u64, u64, String)> {
    let nextest = Command::new(util::cargo())
        .args(["nextest", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if nextest {
        let (ok, out) = run_capture(cargo(root).args(["nextest", "run", "-p", "clientele", "--no-fail-fast"]))?;
        let (mut passed, mut failed) = nextest_counts(&out).unwrap_or((0, 0));
        if !ok && failed == 0 {
            failed = 1;
        }
        // nextest does not run doctests.
        let (doc_ok, doc_out) = run_capture(cargo(root).args(["test", "-p", "clientele", "--doc"]))?;
        let (dp, df) = cargo_test_counts(&doc_out);
        passed += dp;
        failed += if !doc_ok && df == 0 { 1 } else { df };
        Ok((passed, failed, "cargo nextest + doctests".into()))
    } else {
        let (ok, out) = run_capture(cargo(root).args(["test", "-p", "clientele", "--no-fail-fast"]))?;
        let (passed, failed) = cargo_test_counts(&out);
        let failed = if !ok && failed == 0 { 1 } else { failed };
        Ok((passed, failed, "cargo test".into()))
    }
}

/// `git status --porcelain ui/src/bindings`: empty when the committed bindings are current.
fn stale_bindings(root: &Path) -> Result<String> {
    if !root.join(".git").exists() {
        return Err("not a git checkout".into());
    }
    let out = Command::new("git")
        .args(["status", "--porcelain", "--", "ui/src/bindings"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("git: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_owned());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `tauri build --debug --no-bundle` (embeds ui/dist; a plain cargo build would load devUrl),
/// then the `clientele` CLI.
pub fn build_app(root: &Path) -> Result {
    crate::tauri_build_debug(root)?;
    util::run(cargo(root).args(["build", "-p", "clientele", "--bin", "clientele"]))
}

fn e2e(root: &Path) -> Result<(u64, u64, String)> {
    let dir = root.join("tests/e2e");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().ends_with(".test.mjs")))
        .collect();
    files.sort();
    if files.is_empty() {
        return Ok((0, 1, "no tests/e2e/*.test.mjs".into()));
    }
    let target = util::target_dir();
    let mut cmd = Command::new("xvfb-run");
    cmd.args(["-a", "-s", XVFB_SCREEN, "node", "--test", "--test-concurrency=1", "--test-reporter=tap"])
        .args(&files)
        .current_dir(root)
        .env("PATH", util::path_with_cargo_bin())
        .env("CLIENTELE_APP", target.join("debug/clientele-app"))
        .env("CLIENTELE_CLI", target.join("debug/clientele"))
        // No inherited data folder may leak into a test.
        .env_remove("CLIENTELE_DATA_DIR");
    let (ok, out) = run_capture(&mut cmd)?;
    let (passed, failed) = tap_counts(&out);
    let failed = if !ok && failed == 0 { 1 } else { failed };
    Ok((passed, failed, format!("{} files; screenshots in tests/e2e/screenshots", files.len())))
}

/// Install the .deb and start `/usr/bin/clientele-app` under Xvfb with a temp data folder: it must
/// stay up for 8 s and create its database.
fn smoke_test(files: &[PathBuf]) -> Result {
    let deb = files.iter().find(|f| f.extension().is_some_and(|e| e == "deb")).ok_or("no .deb was built")?;
    if !Path::new("/usr/bin/apt-get").exists() {
        eprintln!("xtask: no apt-get here; not installing {}", deb.display());
        return Ok(());
    }
    util::run(
        util::privileged("apt-get")
            .args(["install", "-y", "--reinstall"])
            .arg(deb)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    let exe = Path::new("/usr/bin/clientele-app");
    if !exe.exists() {
        return Err(format!("{} is not there after installing {}", exe.display(), deb.display()));
    }
    let data = util::temp_dir("clientele-smoke")?;
    use std::os::unix::process::CommandExt;
    let mut child = Command::new("xvfb-run")
        .args(["-a", "-s", XVFB_SCREEN])
        .arg(exe)
        .env("CLIENTELE_DATA_DIR", &data)
        .stdin(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot start xvfb-run: {e}"))?;
    let pgid = child.id();
    let started = Instant::now();
    let mut outcome = Ok(());
    while started.elapsed() < Duration::from_secs(8) {
        if let Ok(Some(status)) = child.try_wait() {
            outcome = Err(format!("the installed app exited after {:.1}s ({status})", started.elapsed().as_secs_f64()));
            break;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    util::kill_group(pgid);
    let _ = child.wait();
    let db = data.join("clientele.db");
    if outcome.is_ok() && !db.exists() {
        outcome = Err(format!("the installed app ran but did not create {}", db.display()));
    }
    if outcome.is_ok() {
        eprintln!("xtask: installed app stayed up 8 s and created {}", db.display());
    }
    let _ = std::fs::remove_dir_all(&data);
    outcome
}

// --- disk -----------------------------------------------------------------------------------

fn free_disk(what: &str, freed: u64) {
    eprintln!("xtask: removed {what} to keep the disk free ({:.0} MiB)", freed as f64 / 1048576.0);
}

/// Executable files directly in `target/debug/deps` (test harnesses, the CLI and the app; build
/// scripts live elsewhere). Cargo relinks them when they are needed again.
fn remove_test_executables(deps: &Path) -> u64 {
    use std::os::unix::fs::PermissionsExt;
    let Ok(entries) = std::fs::read_dir(deps) else { return 0 };
    let mut freed = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_file()
            && path.extension().is_none()
            && meta.permissions().mode() & 0o111 != 0
            && std::fs::remove_file(&path).is_ok()
        {
            freed += meta.len();
        }
    }
    freed
}

fn remove_tree(dir: &Path) -> u64 {
    fn size(dir: &Path) -> u64 {
        let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
        entries
            .flatten()
            .map(|e| match e.file_type() {
                Ok(t) if t.is_dir() => size(&e.path()),
                Ok(t) if t.is_file() => e.metadata().map(|m| m.len()).unwrap_or(0),
                _ => 0,
            })
            .sum()
    }
    let bytes = size(dir);
    if std::fs::remove_dir_all(dir).is_ok() { bytes } else { 0 }
}

// --- summary parsers -------------------------------------------------------------------------

/// nextest: `Summary [ 1.2s] 45 tests run: 44 passed, 1 failed, 0 skipped`.
fn nextest_counts(out: &str) -> Option<(u64, u64)> {
    let out = strip_ansi(out);
    let line =
        out.lines().rev().find(|l| l.contains("Summary [") && (l.contains("tests run:") || l.contains("test run:")))?;
    let passed = number_before(line, " passed").unwrap_or(0);
    let failed = number_before(line, " failed").unwrap_or(0) + number_before(line, " timed out").unwrap_or(0);
    Some((passed, failed))
}

/// cargo test: the sum of every `test result: ok. 12 passed; 0 failed; …` line.
fn cargo_test_counts(out: &str) -> (u64, u64) {
    strip_ansi(out).lines().filter(|l| l.contains("test result:")).fold((0, 0), |(p, f), l| {
        (p + number_before(l, " passed").unwrap_or(0), f + number_before(l, " failed").unwrap_or(0))
    })
}

/// vitest: `      Tests  1 failed | 11 passed (12)`.
fn vitest_counts(out: &str) -> Option<(u64, u64)> {
    let out = strip_ansi(out);
    let line = out.lines().rev().find(|l| l.trim_start().starts_with("Tests "))?;
    Some((number_before(line, " passed").unwrap_or(0), number_before(line, " failed").unwrap_or(0)))
}

/// node --test (TAP): `# pass 3` and `# fail 0`.
fn tap_counts(out: &str) -> (u64, u64) {
    let out = strip_ansi(out);
    let get = |key: &str| {
        out.lines()
            .rev()
            .find_map(|l| l.trim().strip_prefix(key).and_then(|n| n.trim().parse::<u64>().ok()))
            .unwrap_or(0)
    };
    (get("# pass "), get("# fail "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nextest() {
        let out = "   Summary [   3.021s] 45 tests run: 44 passed, 1 failed, 0 skipped\n";
        assert_eq!(nextest_counts(out), Some((44, 1)));
        let out = "\u{1b}[32;1m     Summary\u{1b}[0m [   0.5s] 1 test run: 1 passed, 0 skipped\n";
        assert_eq!(nextest_counts(out), Some((1, 0)));
    }

    #[test]
    fn parses_cargo_test() {
        let out =
            "test result: ok. 3 passed; 0 failed; 0 ignored\n\ntest result: FAILED. 4 passed; 2 failed; 1 ignored";
        assert_eq!(cargo_test_counts(out), (7, 2));
    }

    #[test]
    fn parses_vitest() {
        let out = " Test Files  2 passed (2)\n      Tests  1 failed | 11 passed (12)\n   Start at  12:00:00";
        assert_eq!(vitest_counts(out), Some((11, 1)));
        assert_eq!(vitest_counts("      Tests  12 passed (12)"), Some((12, 0)));
    }

    #[test]
    fn parses_tap() {
        let out = "ok 1 - a\n# tests 3\n# suites 0\n# pass 2\n# fail 1\n# cancelled 0";
        assert_eq!(tap_counts(out), (2, 1));
    }
}
