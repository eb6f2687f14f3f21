#![allow(clippy::unwrap_used, reason = "tests: a failed step should panic")]
//! The CLI honours ownership rules: `--as` chooses the staff member, refusals exit non-zero with
//! their error code on stderr.

use std::process::{Command, Output};

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
            .output()
            .unwrap()
    }
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }
    fn refused(&self, args: &[&str], code: &str) {
        let out = self.run(args);
        assert!(!out.status.success(), "{args:?} should fail");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(code), "{args:?}: expected {code} in {err}");
    }
}

#[test]
fn staff_rules_through_the_cli() {
    let cli = Cli { dir: tempfile::tempdir().unwrap() };
    cli.ok(&["init", "--admin-name", "Admin", "--admin-email", "admin@example.com"]);
    cli.ok(&["staff", "add", "--name", "Lan", "--email", "lan@example.com", "--role", "staff"]);
    cli.ok(&["staff", "add", "--name", "Minh", "--email", "minh@example.com", "--role", "staff"]);
    cli.ok(&["--as", "lan@example.com", "customers", "add", "--name", "Khách của Lan", "--code", "KH-LAN"]);
    // Minh may read it but not change it.
    cli.ok(&["--as", "minh@example.com", "customers", "show", "KH-LAN"]);
    cli.refused(&["--as", "minh@example.com", "customers", "edit", "KH-LAN", "--notes", "x"], "permission.denied");
    // Locked: Minh cannot even open it, and every change is refused with permission.locked.
    cli.ok(&["--as", "lan@example.com", "customers", "lock", "KH-LAN"]);
    cli.refused(&["--as", "minh@example.com", "customers", "show", "KH-LAN"], "permission.locked");
    cli.refused(&["--as", "minh@example.com", "customers", "edit", "KH-LAN", "--notes", "x"], "permission.locked");
    cli.refused(&["--as", "minh@example.com", "customers", "delete", "KH-LAN"], "permission.locked");
    cli.refused(
        &["--as", "minh@example.com", "customers", "transfer", "KH-LAN", "--to", "minh@example.com"],
        "permission.locked",
    );
    // The pool: Lan unlocks and releases it, Minh claims it and now owns it.
    cli.ok(&["--as", "lan@example.com", "customers", "unlock", "KH-LAN"]);
    cli.ok(&["--as", "lan@example.com", "customers", "release", "KH-LAN", "--reason", "không có thời gian"]);
    cli.ok(&["--as", "minh@example.com", "customers", "claim", "KH-LAN"]);
    cli.ok(&["--as", "minh@example.com", "customers", "edit", "KH-LAN", "--notes", "của Minh"]);
    // Approving is for managers.
    cli.refused(&["--as", "minh@example.com", "customers", "approve", "KH-LAN"], "permission.denied");
    // Unknown staff for --as: an error, not the admin.
    cli.refused(&["--as", "nobody@example.com", "customers", "list"], "staff.not_found");
    // Without --as, the only admin acts.
    cli.ok(&["customers", "edit", "KH-LAN", "--notes", "admin was here"]);
}

#[test]
fn activity_log_and_ownership_settings_through_the_cli() {
    let cli = Cli { dir: tempfile::tempdir().unwrap() };
    cli.ok(&["init", "--admin-name", "Admin", "--admin-email", "admin@example.com"]);
    cli.ok(&["staff", "add", "--name", "Lan", "--email", "lan@example.com", "--role", "staff"]);
    cli.ok(&["--as", "lan@example.com", "customers", "add", "--name", "Khách của Lan", "--code", "KH-LAN"]);
    cli.ok(&["--as", "lan@example.com", "customers", "release", "KH-LAN", "--reason", "bận"]);

    // Settings: administrators only; shown without a value.
    cli.refused(&["--as", "lan@example.com", "settings", "pool-return", "--days", "30"], "permission.denied");
    cli.refused(&["--as", "lan@example.com", "settings", "approval", "on"], "permission.denied");
    cli.refused(&["settings", "pool-return", "--days", "3651"], "input.invalid");
    cli.refused(&["settings", "pool-return", "--days", "soon"], "input.bad_argument");
    assert!(cli.ok(&["settings", "pool-return"]).contains("never return"));
    assert!(cli.ok(&["settings", "pool-return", "--days", "45"]).contains("45 days"));
    let shown: serde_json::Value = serde_json::from_str(&cli.ok(&["--json", "settings", "pool-return"])).unwrap();
    assert_eq!(shown["pool_return_days"], 45);
    cli.ok(&["settings", "pool-return", "--days", "off"]);
    let shown: serde_json::Value = serde_json::from_str(&cli.ok(&["--json", "settings", "pool-return"])).unwrap();
    assert!(shown["pool_return_days"].is_null());
    assert!(cli.ok(&["settings", "approval", "on"]).contains("wait for a manager"));
    let shown: serde_json::Value = serde_json::from_str(&cli.ok(&["--json", "settings", "approval"])).unwrap();
    assert_eq!(shown["approval_required"], true);

    // The activity log: administrators only, filtered by staff and action, paged.
    cli.refused(&["--as", "lan@example.com", "activity"], "permission.denied");
    let text = cli.ok(&["activity", "--staff", "lan@example.com"]);
    assert!(text.contains("release") && text.contains("KH-LAN") && text.contains("Lan"), "{text}");
    let page: serde_json::Value =
        serde_json::from_str(&cli.ok(&["--json", "activity", "--action", "release"])).unwrap();
    let entries = page["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["customer_code"], "KH-LAN");
    assert_eq!(entries[0]["actor_name"], "Lan");
    let first: serde_json::Value = serde_json::from_str(&cli.ok(&["--json", "activity", "--limit", "2"])).unwrap();
    let before = first["next"].as_i64().unwrap();
    let rest: serde_json::Value =
        serde_json::from_str(&cli.ok(&["--json", "activity", "--limit", "500", "--before", &before.to_string()]))
            .unwrap();
    assert!(rest["entries"].as_array().unwrap().iter().all(|e| e["id"].as_i64().unwrap() < before));
    let today = chrono::Local::now().date_naive().to_string();
    let dated: serde_json::Value =
        serde_json::from_str(&cli.ok(&["--json", "activity", "--from", &today, "--to", &today])).unwrap();
    assert!(!dated["entries"].as_array().unwrap().is_empty());
    assert!(cli.ok(&["activity", "--from", "2001-01-01", "--to", "2001-01-02"]).contains("No activity"));
    cli.refused(&["activity", "--staff", "nobody@example.com"], "staff.not_found");
}

#[test]
fn transfer_with_care_through_the_cli() {
    let cli = Cli { dir: tempfile::tempdir().unwrap() };
    cli.ok(&["init", "--admin-name", "Admin", "--admin-email", "admin@example.com"]);
    cli.ok(&["staff", "add", "--name", "Lan", "--email", "lan@example.com", "--role", "staff"]);
    cli.ok(&["staff", "add", "--name", "Minh", "--email", "minh@example.com", "--role", "staff"]);
    let lan = ["--as", "lan@example.com"];
    let minh = ["--as", "minh@example.com"];
    let with = |who: &[&str], args: &[&str]| -> Vec<String> { who.iter().chain(args).map(|s| s.to_string()).collect() };
    // Planned care (customer code, as listed) of a staff member.
    let planned = |who: &[&str]| -> Vec<String> {
        let args = with(who, &["care", "list", "--json"]);
        let out = cli.ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
        let page: serde_json::Value = serde_json::from_str(&out).unwrap();
        let mut codes: Vec<String> =
            page["items"].as_array().unwrap().iter().map(|a| a["customer_code"].as_str().unwrap().to_owned()).collect();
        codes.sort();
        codes
    };
    for code in ["KH-1", "KH-2"] {
        let args = with(&lan, &["customers", "add", "--name", code, "--code", code]);
        cli.ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
        let args = with(&lan, &["care", "add", "--customer", code, "--type", "call", "--due", "2099-01-01"]);
        cli.ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    }
    assert_eq!(planned(&lan), ["KH-1", "KH-2"]);

    // Without --with-care the owner changes and the care stays with Lan.
    cli.ok(&["--as", "lan@example.com", "customers", "transfer", "KH-1", "--to", "minh@example.com"]);
    assert_eq!(planned(&lan), ["KH-1", "KH-2"]);
    assert!(planned(&minh).is_empty());
    // With it, the care follows the customer.
    let out = cli.ok(&[
        "--as",
        "lan@example.com",
        "customers",
        "transfer",
        "KH-2",
        "--to",
        "minh@example.com",
        "--with-care",
    ]);
    assert!(out.contains("1 customer(s) transferred"), "{out}");
    assert_eq!(planned(&lan), ["KH-1"]);
    assert_eq!(planned(&minh), ["KH-2"]);
    // Refused (KH-1 is Minh's now): nothing moves.
    cli.refused(
        &["--as", "lan@example.com", "customers", "transfer", "KH-1", "--to", "lan@example.com", "--with-care"],
        "permission.denied",
    );
    assert_eq!(planned(&lan), ["KH-1"]);
    assert_eq!(planned(&minh), ["KH-2"]);
}
