#![allow(clippy::unwrap_used, reason = "tests: a failed step should panic")]
//! End-to-end tests of the `clientele` binary for the customer profile (issue 3): catalogs,
//! staff, the profile flags of `customers add|edit`, and the duplicate rules (exit code 3).

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::{Value, json};

struct Cli {
    dir: tempfile::TempDir,
}

impl Cli {
    /// A fresh data folder with an initialised administrator (and the English starter catalogs).
    fn new() -> Cli {
        let cli = Cli { dir: tempfile::tempdir().unwrap() };
        cli.ok(&["init", "--admin-name", "Admin", "--admin-email", "admin@example.com"]);
        cli
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_clientele"));
        cmd.arg("--data-dir")
            .arg(self.data_dir())
            .args(args)
            .env_remove("CLIENTELE_DATA_DIR")
            .env_remove("CLIENTELE_PASSWORD")
            .env_remove("CLIENTELE_ADMIN_PASSWORD")
            .env_remove("CLIENTELE_STAFF_PASSWORD")
            .env("USER", "tester");
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// Run, expect success, return stdout.
    fn ok(&self, args: &[&str]) -> String {
        check(args, self.run(args))
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

    /// Run with `--json`, expect failure, return (exit code, error body).
    fn fail_json(&self, args: &[&str]) -> (i32, Value) {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let (code, err) = self.fail(&all);
        (code, serde_json::from_str(&err).unwrap_or_else(|e| panic!("{e}: {err}")))
    }

    /// Item names of a catalog, in order.
    fn catalog(&self, kind: &str) -> Vec<String> {
        let items = self.json(&["catalog", "list", kind]);
        items.as_array().unwrap().iter().map(|u| u["item"]["name"].as_str().unwrap().to_owned()).collect()
    }

    fn usage(&self, kind: &str, name: &str) -> Value {
        let items = self.json(&["catalog", "list", kind]);
        items.as_array().unwrap().iter().find(|u| u["item"]["name"] == name).cloned().unwrap()
    }
}

fn check(args: &[&str], out: Output) -> String {
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{args:?} failed ({:?}):\n{stderr}\n{stdout}", out.status.code());
    stdout
}

#[test]
fn catalog_add_rename_move_list() {
    let cli = Cli::new();
    assert_eq!(cli.catalog("level"), ["VIP", "Gold", "Silver", "Standard"]);
    let added = cli.json(&["catalog", "add", "level", "Platinum", "--color", "#E5E4E2"]);
    assert_eq!(added["name"], "Platinum");
    assert_eq!(added["color"], "#e5e4e2");
    // Names are found ignoring case and accents; renaming keeps the place.
    let renamed = cli.json(&["catalog", "rename", "level", "platinum", "Bạch kim"]);
    assert_eq!(renamed["id"], added["id"]);
    cli.ok(&["catalog", "move", "level", "bach kim", "--up"]);
    assert_eq!(cli.catalog("level"), ["VIP", "Gold", "Silver", "Bạch kim", "Standard"]);
    let text = cli.ok(&["catalog", "move", "level", &added["id"].to_string(), "--down"]);
    assert!(text.contains("now 5 of 5"), "{text}");
    // Taken names are refused.
    let (code, err) = cli.fail(&["catalog", "add", "level", "vip"]);
    assert_eq!(code, 1);
    assert!(err.contains("input.invalid") && err.contains("taken"), "{err}");

    // Every kind, with the CLI spelling of invoice types; an unknown kind is a usage error.
    cli.ok(&["catalog", "add", "invoice-type", "Hóa đơn điện tử"]);
    assert!(cli.catalog("invoice-type").contains(&"Hóa đơn điện tử".to_owned()));
    cli.ok(&["catalog", "add", "product", "Gói Cơ bản"]);
    assert_eq!(cli.catalog("product"), ["Gói Cơ bản"]);
    let (code, _) = cli.fail(&["catalog", "list", "colour"]);
    assert_eq!(code, 2);

    // Colour and the human table.
    assert_eq!(cli.json(&["catalog", "color", "level", "Gold", "#00AA00"])["color"], "#00aa00");
    assert_eq!(cli.json(&["catalog", "color", "level", "Gold", "none"])["color"], Value::Null);
    let table = cli.ok(&["catalog", "list", "level"]);
    let header = table.lines().next().unwrap();
    assert!(header.contains("NAME") && header.contains("COLOUR") && header.contains("CUSTOMERS"), "{table}");
    assert!(table.lines().any(|l| l.starts_with("1 ") && l.contains("VIP") && l.contains("#b45309")), "{table}");
    let (code, err) = cli.fail(&["catalog", "rename", "level", "Diamond", "X"]);
    assert_eq!(code, 1);
    assert!(err.contains("catalog_item.not_found") && err.contains("level \"Diamond\""), "{err}");
}

#[test]
fn catalog_delete_in_use_is_refused_then_replaced() {
    let cli = Cli::new();
    cli.ok(&["catalog", "add", "level", "Platinum"]);
    let c = cli.json(&["customers", "add", "--name", "Nguyễn Văn An", "--level", "platinum"]);
    assert_eq!(cli.usage("level", "Platinum")["customers"], 1);

    let (code, err) = cli.fail(&["catalog", "delete", "level", "Platinum"]);
    assert_eq!(code, 1);
    assert!(err.contains("catalog.in_use") && err.contains("1 customers"), "{err}");
    let (code, body) = cli.fail_json(&["catalog", "delete", "level", "Platinum"]);
    assert_eq!(code, 1);
    assert_eq!(body["code"], "catalog.in_use");
    assert_eq!(body["details"]["count"], 1);
    assert!(cli.catalog("level").contains(&"Platinum".to_owned()));

    let out = cli.json(&["catalog", "delete", "level", "Platinum", "--replace-with", "Gold"]);
    assert_eq!(out["moved"], 1);
    assert!(!cli.catalog("level").contains(&"Platinum".to_owned()));
    let shown = cli.ok(&["customers", "show", c["code"].as_str().unwrap()]);
    assert!(shown.lines().any(|l| l.trim_start().starts_with("Level") && l.ends_with("Gold")), "{shown}");
    assert_eq!(cli.usage("level", "Gold")["customers"], 1);

    // Unused items go without a replacement.
    cli.ok(&["catalog", "add", "group", "Temporary"]);
    let text = cli.ok(&["catalog", "delete", "group", "temporary"]);
    assert!(text.contains("Deleted group \"Temporary\""), "{text}");
}

#[test]
fn inactive_items_are_not_offered_to_new_customers() {
    let cli = Cli::new();
    let out = cli.json(&["catalog", "deactivate", "status", "New"]);
    assert_eq!(out["active"], false);
    assert_eq!(cli.usage("status", "New")["item"]["active"], false);
    let (code, err) = cli.fail(&["customers", "add", "--name", "A", "--status", "New"]);
    assert_eq!(code, 1);
    assert!(err.contains("input.invalid") && err.contains("status_id"), "{err}");
    cli.ok(&["catalog", "activate", "status", "New"]);
    cli.ok(&["customers", "add", "--name", "A", "--status", "New"]);
}

#[test]
fn staff_add_list_role_deactivate() {
    let cli = Cli::new();
    let thu = cli.json(&["staff", "add", "--name", "Trần Thu", "--email", "Thu@Example.com", "--role", "manager"]);
    assert_eq!(thu["email"], "thu@example.com");
    assert_eq!(thu["role"], "manager");
    assert_eq!(thu["has_password"], false);
    // The password may come from the environment instead of the command line.
    let out = cli
        .command(&["--json", "staff", "add", "--name", "Lê Minh", "--email", "minh@example.com"])
        .env("CLIENTELE_STAFF_PASSWORD", "s3cret-pass")
        .output()
        .unwrap();
    let minh: Value = serde_json::from_str(&check(&["staff", "add"], out)).unwrap();
    assert_eq!(minh["role"], "staff");
    assert_eq!(minh["has_password"], true);

    let all = cli.json(&["staff", "list"]);
    assert_eq!(all.as_array().unwrap().len(), 3);
    let text = cli.ok(&["staff", "list"]);
    assert!(text.lines().any(|l| l.contains("thu@example.com") && l.contains("manager")), "{text}");

    let (code, err) = cli.fail(&["staff", "add", "--name", "Again", "--email", "thu@example.com"]);
    assert_eq!(code, 1);
    assert!(err.contains("staff.email_taken"), "{err}");

    // A deactivated member cannot be picked as service manager.
    assert_eq!(cli.json(&["staff", "deactivate", "thu@example.com"])["active"], false);
    let text = cli.ok(&["staff", "list"]);
    assert!(text.lines().any(|l| l.contains("thu@example.com") && l.contains(" no")), "{text}");
    let (code, err) = cli.fail(&["customers", "add", "--name", "A", "--service-manager", "thu@example.com"]);
    assert_eq!(code, 1);
    assert!(err.contains("service_manager_id"), "{err}");
    cli.ok(&["staff", "activate", "thu@example.com"]);
    let c = cli.json(&["customers", "add", "--name", "A", "--service-manager", "thu@example.com"]);
    assert_eq!(c["service_manager_name"], "Trần Thu");

    // Nobody locks the door behind them: not yourself, not the last administrator.
    let (code, err) = cli.fail(&["staff", "deactivate", "admin@example.com"]);
    assert_eq!(code, 1);
    assert!(err.contains("input.bad_argument"), "{err}");
    let (code, err) = cli.fail(&["staff", "role", "admin@example.com", "staff"]);
    assert_eq!(code, 1);
    assert!(err.contains("last active administrator"), "{err}");
    assert_eq!(cli.json(&["staff", "role", "minh@example.com", "admin"])["role"], "admin");
    // Two administrators now: the CLI needs to be told who acts.
    let (code, err) = cli.fail(&["staff", "list"]);
    assert_eq!(code, 1);
    assert!(err.contains("--as"), "{err}");
    let (code, err) = cli.fail(&["--as", "admin@example.com", "staff", "deactivate", "nobody@example.com"]);
    assert_eq!(code, 1);
    assert!(err.contains("staff.not_found"), "{err}");
}

#[test]
fn profile_flags_add_show_edit() {
    let cli = Cli::new();
    cli.ok(&["catalog", "add", "product", "Gói Cơ bản"]);
    cli.ok(&["catalog", "add", "product", "Bảo trì"]);
    let referrer = cli.json(&["customers", "add", "--name", "Phạm Giới Thiệu"]);
    let referrer_code = referrer["code"].as_str().unwrap();
    let biz = cli.json(&[
        "customers",
        "add",
        "--kind",
        "business",
        "--name",
        "Công ty TNHH Minh Phát",
        "--segment",
        "SME",
        "--level",
        "vip",
        "--group",
        "Partners",
        "--group",
        "Newsletter",
        "--status",
        "Active",
        "--channel",
        "Referral",
        "--service-manager",
        "admin@example.com",
        "--email-consent",
        "yes",
        "--product",
        "Gói Cơ bản:2024-03-01",
        "--product",
        "bao tri",
        "--invoice-type",
        "VAT invoice",
        "--legal-entity",
        "Công ty TNHH Minh Phát;0312345678;12 Lê Lợi, Quận 1",
        "--legal-entity",
        "Chi nhánh Hà Nội",
        "--contact",
        "Nguyễn Văn An;Director;0912 345 678;an@minhphat.vn",
        "--contact",
        "Lê Thị Bích;Accountant",
        "--referrer",
        referrer_code,
    ]);
    let code = biz["code"].as_str().unwrap();
    assert_eq!(biz["email_consent"], true);
    assert!(biz["email_consent_at"].is_string());
    assert_eq!(biz["group_ids"].as_array().unwrap().len(), 2);
    assert_eq!(biz["referrer"]["code"], referrer_code);
    let contacts = biz["contacts"].as_array().unwrap();
    assert_eq!(contacts.len(), 2);
    assert_eq!(contacts[0]["primary"], true);
    assert_eq!(contacts[1]["primary"], false);
    assert_eq!(contacts[0]["phones"], json!(["0912 345 678"]));
    assert_eq!(contacts[0]["emails"], json!(["an@minhphat.vn"]));

    // The detail view names catalog items, not ids.
    let text = cli.ok(&["customers", "show", code]);
    let line = |label: &str| -> String {
        text.lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("{label}:\n{text}"))
            .to_owned()
    };
    assert!(line("Segment").ends_with("SME"), "{text}");
    assert!(line("Level").ends_with("VIP"), "{text}");
    assert!(line("Groups").ends_with("Partners, Newsletter"), "{text}");
    assert!(line("Status").ends_with("Active"), "{text}");
    assert!(line("Channel").ends_with("Referral"), "{text}");
    assert!(line("Service mgr").ends_with("Admin"), "{text}");
    assert!(line("E-mail consent").contains("yes (since"), "{text}");
    assert!(line("Products").ends_with("Gói Cơ bản (since 2024-03-01), Bảo trì"), "{text}");
    assert!(line("Invoice types").ends_with("VAT invoice"), "{text}");
    assert!(text.contains("Công ty TNHH Minh Phát · tax code 0312345678 · 12 Lê Lợi, Quận 1"), "{text}");
    assert!(text.contains("Chi nhánh Hà Nội"), "{text}");
    assert!(text.contains("Nguyễn Văn An (primary) · Director · 0912 345 678 · an@minhphat.vn"), "{text}");
    assert!(text.contains("Lê Thị Bích · Accountant"), "{text}");
    assert!(line("Referred by").ends_with(&format!("{referrer_code} Phạm Giới Thiệu")), "{text}");

    // Edit: a list flag replaces the list; a contact of the same name keeps its record.
    let an_id = contacts[0]["id"].clone();
    let edited = cli.json(&[
        "customers",
        "edit",
        code,
        "--group",
        "newsletter",
        "--contact",
        "Lê Văn Cường;Purchasing",
        "--contact",
        "nguyen van an;Manager",
        "--email-consent",
        "no",
        "--product",
        "Gói Cơ bản",
        "--clear",
        "level",
        "--clear",
        "referrer",
        "--clear",
        "legal-entities",
        "--referrer-supplier",
        "Đại lý Sao Mai",
    ]);
    assert_eq!(edited["group_ids"].as_array().unwrap().len(), 1);
    assert_eq!(edited["level_id"], Value::Null);
    assert_eq!(edited["referrer"], Value::Null);
    assert_eq!(edited["referrer_supplier"], "Đại lý Sao Mai");
    assert_eq!(edited["legal_entities"], json!([]));
    assert_eq!(edited["email_consent"], false);
    // Without a date, a product already in use keeps its since-date.
    assert_eq!(edited["products"].as_array().unwrap().len(), 1);
    assert_eq!(edited["products"][0]["since"], "2024-03-01");
    let contacts = edited["contacts"].as_array().unwrap();
    assert_eq!(contacts.len(), 2);
    assert_eq!(contacts[0]["name"], "Lê Văn Cường");
    assert_eq!(contacts[0]["primary"], true);
    assert_eq!(contacts[1]["id"], an_id);
    let text = cli.ok(&["customers", "show", code]);
    assert!(text.contains("nguyen van an · Manager"), "{text}");
    assert!(!text.lines().any(|l| l.trim_start().starts_with("Level")), "{text}");

    // Unknown names fail clearly and change nothing; contacts are for businesses.
    let (exit, err) = cli.fail(&["customers", "edit", code, "--level", "Platinum"]);
    assert_eq!(exit, 1);
    assert!(err.contains("catalog_item.not_found") && err.contains("level \"Platinum\""), "{err}");
    let (exit, err) = cli.fail(&["customers", "add", "--name", "X", "--group", "Partners", "--group", "Nope"]);
    assert_eq!(exit, 1);
    assert!(err.contains("group \"Nope\""), "{err}");
    let (exit, err) = cli.fail(&["customers", "add", "--name", "X", "--contact", "Y"]);
    assert_eq!(exit, 1);
    assert!(err.contains("contacts: not_allowed"), "{err}");
    let (exit, _) = cli.fail(&["customers", "add", "--name", "X", "--email-consent", "maybe"]);
    assert_eq!(exit, 2);
    let (exit, err) = cli.fail(&["customers", "add", "--name", "X", "--referrer", "KH999999"]);
    assert_eq!(exit, 1);
    assert!(err.contains("customer.not_found"), "{err}");
}

#[test]
fn duplicate_phone_written_differently_exits_3() {
    let cli = Cli::new();
    let first = cli.json(&["customers", "add", "--name", "Nguyễn Văn An", "--phone", "0912 345 678"]);
    let first_code = first["code"].as_str().unwrap();

    // Default rule (phone: warn): refused with the matches, exit 3.
    let (code, err) = cli.fail(&["customers", "add", "--name", "Anh Nguyen", "--phone", "+84 912-345-678"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("customer.duplicate"), "{err}");
    let row = err.lines().find(|l| l.contains(first_code)).unwrap_or_else(|| panic!("{err}"));
    assert!(row.contains("Nguyễn Văn An") && row.contains("Admin") && row.contains("phone"), "{err}");
    assert!(row.contains("0912 *** 678"), "contact data is masked: {err}");
    assert!(err.contains("--allow-duplicate"), "{err}");

    let (code, body) = cli.fail_json(&["customers", "add", "--name", "Anh Nguyen", "--phone", "84912345678"]);
    assert_eq!(code, 3);
    assert_eq!(body["code"], "customer.duplicate");
    assert_eq!(body["details"]["blocking"], false);
    assert_eq!(body["details"]["matches"][0]["code"], first_code);
    assert_eq!(body["details"]["matches"][0]["matched_on"], json!(["phone"]));
    assert_eq!(cli.json(&["stats"])["customers"], 1);

    // A warning can be overridden.
    let second =
        cli.json(&["customers", "add", "--name", "Anh Nguyen", "--phone", "+84 912-345-678", "--allow-duplicate"]);
    assert_eq!(second["phones"], json!(["+84 912-345-678"]));
    assert_eq!(cli.json(&["stats"])["customers"], 2);

    // Edits are checked too (the customer itself is not a duplicate of itself).
    let other = cli.json(&["customers", "add", "--name", "Trần Bình", "--email", "binh@example.com"]);
    let other_code = other["code"].as_str().unwrap();
    cli.ok(&["customers", "edit", other_code, "--name", "Trần Văn Bình"]);
    let (code, err) = cli.fail(&["customers", "edit", other_code, "--phone", "912345678"]);
    assert_eq!(code, 3, "{err}");
    cli.ok(&["customers", "edit", other_code, "--phone", "912345678", "--allow-duplicate"]);
    // E-mails ignore case and spaces.
    let (code, err) = cli.fail(&["customers", "add", "--name", "B", "--email", " BINH@Example.com "]);
    assert_eq!(code, 3, "{err}");

    // An administrator makes the phone rule a block: nothing gets past it.
    let rules = cli.json(&["settings", "duplicates", "--phone", "block"]);
    assert_eq!(rules["phone"], "block");
    assert_eq!(rules["email"], "warn");
    let text = cli.ok(&["settings", "duplicates"]);
    assert!(text.lines().any(|l| l.starts_with("phone") && l.ends_with("block")), "{text}");
    let (code, err) =
        cli.fail(&["customers", "add", "--name", "Chị An", "--phone", "0912.345.678", "--allow-duplicate"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("customer.duplicate") && err.contains("blocks"), "{err}");
    let (code, body) =
        cli.fail_json(&["customers", "add", "--name", "Chị An", "--phone", "0912345678", "--allow-duplicate"]);
    assert_eq!(code, 3);
    assert_eq!(body["details"]["blocking"], true);
    assert_eq!(cli.json(&["stats"])["customers"], 3);

    // Turned off, the phone no longer matches.
    cli.ok(&["settings", "duplicates", "--phone", "off"]);
    cli.ok(&["customers", "add", "--name", "Chị An", "--phone", "0912 345 678"]);
}
