//! Small process helpers: run a command (optionally capturing what it prints while still
//! showing it), find programs, and know where the repository is.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;

pub type Result<T = ()> = std::result::Result<T, String>;

/// The repository root (xtask lives in `<root>/xtask`). `cargo run` tells the running xtask
/// where its manifest is; the path compiled in is only a fallback, because cargo may reuse an
/// xtask binary built from another checkout that shares the target directory.
pub fn root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .filter(|d| d.join("Cargo.toml").is_file())
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// Cargo's target directory (`CARGO_TARGET_DIR` or `<root>/target`), absolute.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR").filter(|v| !v.is_empty()) {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() { dir } else { root().join(dir) }
        }
        None => root().join("target"),
    }
}

/// The Tauri CLI installed by `npm ci` in ui/ (run it from the repository root).
pub fn tauri_cli() -> PathBuf {
    root().join("ui/node_modules/.bin/tauri")
}

pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// `~/.cargo/bin` (where `cargo install` puts tauri-driver).
pub fn cargo_bin_dir() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os("CARGO_HOME").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(home).join("bin"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin"))
}

/// PATH with `~/.cargo/bin` in front, for children that need tauri-driver.
pub fn path_with_cargo_bin() -> std::ffi::OsString {
    let mut dirs: Vec<PathBuf> = cargo_bin_dir().into_iter().collect();
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

/// Where `name` is on PATH (or in `~/.cargo/bin`).
pub fn which(name: &str) -> Option<PathBuf> {
    let path = path_with_cargo_bin();
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file())
}

pub fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

/// A command for something that needs root: as is when root, else through sudo.
pub fn privileged(program: &str) -> Command {
    if is_root() {
        Command::new(program)
    } else {
        let mut c = Command::new("sudo");
        c.arg(program);
        c
    }
}

pub fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        let a = a.to_string_lossy();
        if a.contains(' ') || a.is_empty() {
            s.push_str(&format!(" '{a}'"));
        } else {
            s.push(' ');
            s.push_str(&a);
        }
    }
    s
}

/// Run to completion with inherited output; Err when it cannot start or exits non-zero.
pub fn run(cmd: &mut Command) -> Result {
    eprintln!("$ {}", describe(cmd));
    let status = cmd.status().map_err(|e| format!("could not start `{}`: {e}", describe(cmd)))?;
    check(cmd, status)
}

fn check(cmd: &Command, status: ExitStatus) -> Result {
    if status.success() { Ok(()) } else { Err(format!("`{}` failed ({status})", describe(cmd))) }
}

/// Run, showing stdout and stderr as they come, and return everything printed with the status.
pub fn run_capture(cmd: &mut Command) -> Result<(bool, String)> {
    eprintln!("$ {}", describe(cmd));
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start `{}`: {e}", describe(cmd)))?;
    let (tx, rx) = mpsc::channel::<String>();
    let mut readers = Vec::new();
    if let Some(out) = child.stdout.take() {
        readers.push(pump(out, tx.clone(), false));
    }
    if let Some(err) = child.stderr.take() {
        readers.push(pump(err, tx.clone(), true));
    }
    drop(tx);
    let mut all = String::new();
    for line in rx {
        all.push_str(&line);
        all.push('\n');
    }
    for r in readers {
        let _ = r.join();
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    Ok((status.success(), all))
}

fn pump<R: Read + Send + 'static>(src: R, tx: mpsc::Sender<String>, to_stderr: bool) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        let mut reader = BufReader::new(src);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    let line = String::from_utf8_lossy(&buf).trim_end_matches(['\n', '\r']).to_owned();
                    if to_stderr {
                        eprintln!("{line}");
                    } else {
                        println!("{line}");
                    }
                    let _ = tx.send(line);
                }
            }
        }
    })
}

/// Remove ANSI colour sequences (ESC [ … letter).
pub fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for d in chars.by_ref() {
                    if d.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The number right before `word` in `line` (e.g. `number_before("12 passed; 0 failed", "failed")`).
pub fn number_before(line: &str, word: &str) -> Option<u64> {
    let idx = line.find(word)?;
    line[..idx].split(|c: char| !c.is_ascii_digit()).rev().find(|s| !s.is_empty())?.parse().ok()
}

/// Whether an X or Wayland display is there to show a window on.
pub fn has_display() -> bool {
    ["DISPLAY", "WAYLAND_DISPLAY"].iter().any(|k| std::env::var_os(k).is_some_and(|v| !v.is_empty()))
}

/// Kill a whole process group (children started with `process_group(0)`).
pub fn kill_group(pgid: u32) {
    let _ = Command::new("kill").args(["-TERM", "--", &format!("-{pgid}")]).stderr(Stdio::null()).status();
    thread::sleep(std::time::Duration::from_millis(500));
    let _ = Command::new("kill").args(["-KILL", "--", &format!("-{pgid}")]).stderr(Stdio::null()).status();
}

/// A fresh empty directory under the system temp folder.
pub fn temp_dir(prefix: &str) -> Result<PathBuf> {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("{prefix}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_before_words() {
        assert_eq!(number_before("test result: ok. 12 passed; 3 failed; 0 ignored", "passed"), Some(12));
        assert_eq!(number_before("test result: ok. 12 passed; 3 failed; 0 ignored", "failed"), Some(3));
        assert_eq!(number_before("no digits passed", "passed"), None);
    }

    #[test]
    fn ansi_is_stripped() {
        assert_eq!(strip_ansi("\u{1b}[32m✓\u{1b}[39m ok"), "✓ ok");
    }
}
