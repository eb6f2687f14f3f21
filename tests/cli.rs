#![allow(clippy::unwrap_used, reason = "tests: a failed step should panic")]
//! End-to-end tests of the `clientele` binary, each on its own temporary data folder.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

struct Cli {
    dir: tempfile::TempDir,
}

impl Cli {
    /// A fresh data folder with an initialised administrator.
    fn new() -> Cli {
        let cli = Cli::bare();
        cli.ok(&["init", "--admin-name", "Admin", "--admin-email", "admin@example.com"]);
        cli
    }

    /// A fresh, empty data folder (no database yet).
    fn bare() -> Cli {
        Cli { dir: tempfile::tempdir().unwrap() }
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_clientele"))
            .arg("--data-dir")
            .arg(self.data_dir())
            .args(args)
            .env_remove("CLIENTELE_DATA_DIR")
            .env_remove("CLIENTELE_PASSWORD")
            .env_remove("CLIENTELE_ADMIN_PASSWORD")
            .env("USER", "tester")
            .output()
            .unwrap()
    }

    /// Run, expect success, return stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?} failed ({:?}):\n{stderr}\n{stdout}", out.status.code());
        stdout
    }

    /// Run with `--json`, expect success, parse stdout.
    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all)).unwrap()
    }

    /// Run, expect failure, return (exit code, stderr).
    fn fail(&self, args: &[&str]) -> (i32, String) {
        let out = self.run(args);
        assert!(!out.status.success(), "{args:?} should fail:\n{}", String::from_utf8_lossy(&out.stdout));
        (out.status.code().unwrap_or(-1), String::from_utf8(out.stderr).unwrap())
    }

    fn add(&self, name: &str) -> Value {
        self.json(&["customers", "add", "--name", name])
    }

    fn names(&self, args: &[&str]) -> Vec<String> {
        let page = self.json(args);
        page["rows"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_owned()).collect()
    }
}

#[test]
fn add_with_every_flag_then_show() {
    let cli = Cli::new();
    let added = cli.json(&[
        "customers",
        "add",
        "--code",
        "VIP-1",
        "--kind",
        "individual",
        "--name",
        "  Nguyễn Văn An ",
        "--phone",
        "0912 345 678",
        "--phone",
        "028 3823 4567",
        "--email",
        "An.Nguyen@Example.com",
        "--address",
        "12 Lê Lợi, Quận 1, TP. Hồ Chí Minh",
        "--birthday",
        "1990-05-17",
        "--gender",
        "male",
        "--notes",
        "Khách quen",
        "--owner",
        "admin@example.com",
    ]);
    assert_eq!(added["code"], "VIP-1");

    let shown = cli.json(&["customers", "show", "vip-1"]);
    let c = &shown["customer"];
    assert_eq!(c["name"], "Nguyễn Văn An");
    assert_eq!(c["kind"], "individual");
    assert_eq!(c["phones"], serde_json::json!(["0912 345 678", "028 3823 4567"]));
    assert_eq!(c["emails"], serde_json::json!(["an.nguyen@example.com"]));
    assert_eq!(c["address"], "12 Lê Lợi, Quận 1, TP. Hồ Chí Minh");
    assert_eq!(c["birthday"], "1990-05-17");
    assert_eq!(c["gender"], "male");
    assert_eq!(c["notes"], "Khách quen");
    assert_eq!(c["owner_name"], "Admin");
    assert_eq!(shown["history"][0]["action"], "create");

    let biz = cli.json(&[
        "customers",
        "add",
        "--kind",
        "business",
        "--name",
        "Công ty TNHH Minh Phát",
        "--tax-code",
        "0312345678",
        "--website",
        "minhphat.vn",
        "--founded-on",
        "2005-03-01",
    ]);
    let shown = cli.json(&["customers", "show", biz["code"].as_str().unwrap()]);
    assert_eq!(shown["customer"]["kind"], "business");
    assert_eq!(shown["customer"]["tax_code"], "0312345678");
    assert_eq!(shown["customer"]["website"], "minhphat.vn");
    assert_eq!(shown["customer"]["founded_on"], "2005-03-01");

    // The human view shows the fields too.
    let text = cli.ok(&["customers", "show", "VIP-1"]);
    assert!(text.contains("Nguyễn Văn An") && text.contains("0912 345 678"), "{text}");
}

#[test]
fn edit_replaces_and_clears_fields() {
    let cli = Cli::new();
    cli.ok(&["customers", "add", "--code", "A1", "--name", "Lê Thị Hà", "--phone", "0901234567", "--notes", "x"]);
    let edited = cli.json(&[
        "customers",
        "edit",
        "A1",
        "--phone",
        "0987 654 321",
        "--email",
        "ha@example.vn",
        "--clear",
        "notes",
    ]);
    assert_eq!(edited["name"], "Lê Thị Hà");
    assert_eq!(edited["phones"], serde_json::json!(["0987 654 321"]));
    assert_eq!(edited["emails"], serde_json::json!(["ha@example.vn"]));
    assert_eq!(edited["notes"], Value::Null);
    let edited = cli.json(&["customers", "edit", "A1", "--clear-phones", "--name", "Lê Thị Hằng"]);
    assert_eq!(edited["phones"], serde_json::json!([]));
    assert_eq!(edited["name"], "Lê Thị Hằng");
    let (code, err) = cli.fail(&["customers", "edit", "A1"]);
    assert_eq!(code, 1, "{err}");
}

#[test]
fn add_without_name_is_invalid() {
    let cli = Cli::new();
    let (code, err) = cli.fail(&["customers", "add", "--phone", "0912345678"]);
    assert_eq!(code, 1);
    assert!(err.contains("input.invalid"), "{err}");
    assert!(err.contains("name: required"), "{err}");
}

#[test]
fn taken_code_is_refused() {
    let cli = Cli::new();
    cli.ok(&["customers", "add", "--code", "KH900", "--name", "A"]);
    let (code, err) = cli.fail(&["customers", "add", "--code", "kh900", "--name", "B"]);
    assert_eq!(code, 1);
    assert!(err.contains("customer.code_taken"), "{err}");
}

#[test]
fn search_ignores_accents() {
    let cli = Cli::new();
    cli.add("Nguyễn Văn An");
    cli.add("Trần Thị Bình");
    assert_eq!(cli.names(&["customers", "search", "nguyen"]), ["Nguyễn Văn An"]);
    assert_eq!(cli.names(&["customers", "search", "BINH"]), ["Trần Thị Bình"]);
    let text = cli.ok(&["customers", "search", "nguyen"]);
    assert!(text.contains("Nguyễn Văn An") && !text.contains("Bình"), "{text}");
}

#[test]
fn delete_restore_purge() {
    let cli = Cli::new();
    let a = cli.add("Phạm Minh Châu");
    let code = a["code"].as_str().unwrap();
    let id = a["id"].to_string();
    assert_eq!(cli.json(&["customers", "delete", code])["deleted"], 1);
    assert!(cli.names(&["customers", "list"]).is_empty());
    assert_eq!(cli.names(&["customers", "list", "--trash"]), ["Phạm Minh Châu"]);
    assert_eq!(cli.json(&["customers", "restore", &id])["restored"], 1);
    assert_eq!(cli.names(&["customers", "list"]), ["Phạm Minh Châu"]);
    assert!(cli.names(&["customers", "list", "--trash"]).is_empty());

    cli.ok(&["customers", "delete", code]);
    assert_eq!(cli.json(&["customers", "purge", code])["purged"], 1);
    let (exit, err) = cli.fail(&["customers", "show", code]);
    assert_eq!(exit, 1);
    assert!(err.contains("customer.not_found"), "{err}");
}

#[test]
fn stats_count_kinds_and_trash() {
    let cli = Cli::new();
    cli.add("Hoàng Anh");
    let gone = cli.add("Võ Thị Sáu");
    cli.ok(&["customers", "add", "--kind", "business", "--name", "Pacific Trading Co."]);
    cli.ok(&["customers", "delete", gone["code"].as_str().unwrap()]);
    let stats = cli.json(&["stats"]);
    assert_eq!(stats["customers"], 2);
    assert_eq!(stats["individuals"], 1);
    assert_eq!(stats["businesses"], 1);
    assert_eq!(stats["in_trash"], 1);
    assert_eq!(stats["staff"], 1);
}

#[test]
fn demo_creates_the_number_asked() {
    let cli = Cli::new();
    let out = cli.json(&["demo", "--customers", "500", "--seed", "3"]);
    assert_eq!(out["created"], 500);
    assert_eq!(cli.json(&["stats"])["customers"], 500);
    let page = cli.json(&["customers", "list", "--limit", "500"]);
    assert_eq!(page["rows"].as_array().unwrap().len(), 500);
}

#[test]
fn first_command_creates_database_and_os_user_admin() {
    let cli = Cli::bare();
    assert!(!cli.data_dir().exists());
    let stats = cli.json(&["stats"]);
    assert_eq!(stats["staff"], 1);
    assert!(cli.data_dir().join("clientele.db").exists());
    let c = cli.add("Đỗ Quang Huy");
    assert_eq!(c["owner_name"], "tester");
    // init is refused once someone exists.
    let (code, err) = cli.fail(&["init", "--admin-name", "X", "--admin-email", "x@example.com"]);
    assert_eq!(code, 1);
    assert!(err.contains("session.already_initialised"), "{err}");
}

#[test]
fn json_errors_and_usage_errors() {
    let cli = Cli::new();
    let (code, err) = cli.fail(&["--json", "customers", "show", "NOPE"]);
    assert_eq!(code, 1);
    let body: Value = serde_json::from_str(&err).unwrap();
    assert_eq!(body["code"], "customer.not_found");
    assert!(body["message"].is_string());

    let (code, err) = cli.fail(&["--json", "customers", "add", "--email", "not-an-email"]);
    assert_eq!(code, 1);
    let body: Value = serde_json::from_str(&err).unwrap();
    assert_eq!(body["code"], "input.invalid");
    let fields: Vec<&str> =
        body["details"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"name") && fields.contains(&"emails.0"), "{fields:?}");

    let (code, _) = cli.fail(&["customers", "add", "--kind", "alien", "--name", "X"]);
    assert_eq!(code, 2);
    let (code, _) = cli.fail(&["customers", "add", "--name", "X", "--birthday", "17/05/1990"]);
    assert_eq!(code, 2);
}

#[test]
fn list_pages_and_sorts() {
    let cli = Cli::new();
    for name in ["Bùi C", "An A", "Đặng B"] {
        cli.add(name);
    }
    assert_eq!(cli.names(&["customers", "list"]), ["An A", "Bùi C", "Đặng B"]);
    assert_eq!(cli.names(&["customers", "list", "--sort", "created", "--desc"]), ["Đặng B", "An A", "Bùi C"]);
    assert_eq!(cli.names(&["customers", "list", "--limit", "1", "--offset", "1"]), ["Bùi C"]);
    let text = cli.ok(&["customers", "list", "--limit", "2"]);
    assert!(text.contains("1–2 of 3") && text.contains("--offset 2"), "{text}");
}
