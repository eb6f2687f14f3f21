//! `ensure_deps`: what building, running and testing the app needs, installed when missing.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::util::{self, Result, run};

/// Debian/Ubuntu packages: build (WebKitGTK and friends), run without a display (Xvfb), drive the
/// app (WebKitWebDriver), take screenshots (ImageMagick `import`).
pub const APT_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "curl",
    "wget",
    "file",
    "libssl-dev",
    "libwebkit2gtk-4.1-dev",
    "libxdo-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "imagemagick",
    "x11-utils",
];

pub const TAURI_DRIVER_VERSION: &str = "2.1.0";
const MIN_NODE_MAJOR: u32 = 20;

#[derive(Clone, Copy, Default)]
pub struct Needs {
    /// tauri-driver for the end-to-end tests.
    pub tauri_driver: bool,
}

pub fn ensure_deps(needs: Needs) -> Result {
    ensure_apt_packages()?;
    ensure_node()?;
    ensure_ui_modules()?;
    if needs.tauri_driver {
        ensure_tauri_driver()?;
    }
    Ok(())
}

fn is_debian_like() -> bool {
    if !Path::new("/usr/bin/dpkg-query").exists() || !Path::new("/usr/bin/apt-get").exists() {
        return false;
    }
    let release = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
    release.lines().any(|l| {
        let l = l.to_ascii_lowercase();
        (l.starts_with("id=") || l.starts_with("id_like=")) && (l.contains("debian") || l.contains("ubuntu"))
    })
}

fn installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .stderr(Stdio::null())
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

fn ensure_apt_packages() -> Result {
    if !is_debian_like() {
        eprintln!(
            "xtask: not Debian/Ubuntu; skipping system packages. Install the equivalents of: {}",
            APT_PACKAGES.join(" ")
        );
        return Ok(());
    }
    let missing: Vec<&str> = APT_PACKAGES.iter().copied().filter(|p| !installed(p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("xtask: installing system packages: {}", missing.join(" "));
    run(util::privileged("apt-get").arg("update").env("DEBIAN_FRONTEND", "noninteractive"))?;
    run(util::privileged("apt-get").args(["install", "-y"]).args(&missing).env("DEBIAN_FRONTEND", "noninteractive"))
}

fn ensure_node() -> Result {
    let out = Command::new("node").arg("--version").output();
    let version = match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().to_owned(),
        _ => {
            return Err(format!(
                "Node.js {MIN_NODE_MAJOR} or newer is needed (with npm) for the UI and the end-to-end tests; \
                 install it (e.g. from https://nodejs.org or NodeSource) and run again"
            ));
        }
    };
    let major: u32 = version.trim_start_matches('v').split('.').next().and_then(|m| m.parse().ok()).unwrap_or(0);
    if major < MIN_NODE_MAJOR {
        return Err(format!("Node.js {version} is too old: {MIN_NODE_MAJOR} or newer is needed"));
    }
    Ok(())
}

/// `npm ci` in ui/ when node_modules is missing or package-lock.json is newer than the last
/// install (npm rewrites node_modules/.package-lock.json on every install).
fn ensure_ui_modules() -> Result {
    let ui = util::root().join("ui");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let lock = modified(&ui.join("package-lock.json"));
    let installed = modified(&ui.join("node_modules/.package-lock.json"));
    let current = matches!((lock, installed), (Some(l), Some(i)) if i >= l);
    if current && util::tauri_cli().exists() {
        return Ok(());
    }
    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&ui))
}

fn ensure_tauri_driver() -> Result {
    if util::which("tauri-driver").is_some() {
        return Ok(());
    }
    run(Command::new(util::cargo()).args(["install", "tauri-driver", "--version", TAURI_DRIVER_VERSION, "--locked"]))
}
