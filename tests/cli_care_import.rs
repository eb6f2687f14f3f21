#![allow(clippy::unwrap_used, reason = "tests: a failed step should panic")]
//! Follow-up records through the CLI: `clientele import FILE --kind care [--dry-run] [--json]`
//! (and `auto` recognising such a file), the report's counts and row errors, the last contact
//! of the customers, `imports list` showing the batch as `care`, `imports revert`, the template
//! command's care headers, and a staff member's locked rows with `--as`.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

struct Cli {
    dir: tempfile::TempDir,
}

impl Cli {
    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_clientele"))
            .arg("--data-dir")
            .arg(self.dir.path().join("data"))
            .args(args)
            .env_remove("CLIENTELE_DATA_DIR")
            .env_remove("CLIENTELE_PASSWORD")
            .env("USER", "tester")
            // Done-at times are read in the system zone: Ho Chi Minh City's, whatever the machine's.
            .env("TZ", "Asia/Ho_Chi_Minh")
            .output()
            .unwrap()
    }
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }
    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all)).unwrap()
    }
    fn file(&self, name: &str, content: &str) -> String {
        let p: PathBuf = self.dir.path().join(name);
        std::fs::write(&p, content).unwrap();
        p.to_string_lossy().into_owned()
    }
    fn last_contact(&self, code: &str) -> Value {
        let page = self.json(&["customers", "search", code]);
        let row = page["rows"].as_array().unwrap().iter().find(|r| r["code"] == code).unwrap().clone();
        row["last_contact_at"].clone()
    }
}

#[test]
fn follow_up_records_through_the_cli() {
    let cli = Cli { dir: tempfile::tempdir().unwrap() };
    cli.ok(&["init", "--admin-name", "Admin", "--admin-email", "admin@example.com"]);
    cli.ok(&["customers", "add", "--name", "An", "--code", "KH-A", "--phone", "0912 345 678"]);
    cli.ok(&["customers", "add", "--name", "Bình", "--code", "KH-B", "--email", "binh@example.com"]);
    let csv = cli.file(
        "follow-ups.csv",
        "Customer Code,Activity Type,Title,Done At,Outcome,Assignee\n\
         KH-A,Call,First call,14/05/2024 09:30,Agreed,admin@example.com\n\
         +84912345678,Gặp mặt,,15/05/2024 10:00,,\n\
         binh@example.com,email,Offer,2024-05-16,,\n\
         KH-Z,Call,?,14/05/2024,,\n\
         KH-B,Call,?,,,\n\
         KH-B,Fax,?,14/05/2024,,\n",
    );

    // Dry run: the report, and nothing written.
    let r = cli.json(&["import", &csv, "--kind", "care", "--dry-run", "--no-new-values"]);
    assert_eq!((r["rows"].as_u64(), r["valid"].as_u64(), r["invalid"].as_u64()), (Some(6), Some(3), Some(3)));
    assert_eq!(r["created"], 3);
    assert_eq!(r["dry_run"], true);
    assert_eq!(
        r["invalid_by_reason"],
        serde_json::json!({"unknown_customer": 1, "missing_done_at": 1, "unknown_type": 1})
    );
    let first = &r["errors"][0];
    assert_eq!(
        (&first["row"], &first["column"], &first["code"], &first["value"]),
        (&Value::from(5), &Value::from("Customer Code"), &Value::from("unknown_customer"), &Value::from("KH-Z"))
    );
    assert_eq!(r["care_mapping"][3], "done_at");
    assert_eq!(cli.json(&["imports", "list"]), serde_json::json!([]));
    assert_eq!(cli.last_contact("KH-A"), Value::Null);
    let text = cli.ok(&["import", &csv, "--kind", "care", "--dry-run", "--no-new-values"]);
    assert!(text.contains("3 follow-up records would be recorded"), "{text}");
    assert!(text.contains("unknown_customer: 1"), "{text}");

    // `auto` recognises the file; new types are created unless refused.
    let r = cli.json(&["import", &csv, "--no-new-values"]);
    assert_eq!((r["created"].as_u64(), r["dry_run"].as_bool()), (Some(3), Some(false)));
    let batch = r["batch_id"].as_i64().unwrap();
    assert_eq!(cli.last_contact("KH-A"), "2024-05-15T03:00:00Z");
    assert_eq!(cli.last_contact("KH-B"), "2024-05-15T17:00:00Z");
    let list = cli.json(&["imports", "list"]);
    assert_eq!((list[0]["id"].as_i64(), list[0]["mode"].as_str()), (Some(batch), Some("care")));
    let timeline = cli.ok(&["care", "timeline", "KH-A"]);
    assert!(timeline.contains("First call") && timeline.contains("Agreed"), "{timeline}");

    // Revert: the records go, the last contact with them.
    cli.ok(&["imports", "revert", &batch.to_string()]);
    assert_eq!(cli.last_contact("KH-A"), Value::Null);
    assert_eq!(cli.last_contact("KH-B"), Value::Null);
    let timeline = cli.ok(&["care", "timeline", "KH-A"]);
    assert!(!timeline.contains("First call"), "{timeline}");

    // The template's headers map back: a file made from it is recognised.
    let template = cli.dir.path().join("care.xlsx");
    cli.ok(&["template", "care", "--lang", "vi", "-o", template.to_str().unwrap()]);
    let out = cli.run(&["--json", "import", template.to_str().unwrap(), "--dry-run"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["care_mapping"][0], "customer_code");
    // Its example row names a customer code nobody has here.
    assert_eq!(r["invalid_by_reason"]["unknown_customer"], 1);
}

#[test]
fn staff_rows_on_locked_customers_are_refused_one_by_one() {
    let cli = Cli { dir: tempfile::tempdir().unwrap() };
    cli.ok(&["init", "--admin-name", "Admin", "--admin-email", "admin@example.com"]);
    cli.ok(&["staff", "add", "--name", "Lan", "--email", "lan@example.com", "--role", "staff"]);
    cli.ok(&["customers", "add", "--name", "Mine", "--code", "M1", "--owner", "lan@example.com"]);
    cli.ok(&["customers", "add", "--name", "Locked", "--code", "L1"]);
    cli.ok(&["customers", "lock", "L1"]);
    let csv = cli.file(
        "lan.csv",
        "Mã KH;Loại;Ngày thực hiện;Kết quả\nM1;Gọi điện;01/05/2024 08:00;ok\nL1;Gọi điện;01/05/2024 08:00;ok\n",
    );
    let r = cli.json(&["--as", "lan@example.com", "import", &csv, "--kind", "care"]);
    assert_eq!((r["valid"].as_u64(), r["invalid"].as_u64(), r["created"].as_u64()), (Some(1), Some(1), Some(1)));
    assert_eq!(r["invalid_by_reason"], serde_json::json!({"permission.locked": 1}));
    assert_eq!(r["errors"][0]["row"], 3);
    assert_eq!(cli.last_contact("L1"), Value::Null);
    assert_ne!(cli.last_contact("M1"), Value::Null);
}
