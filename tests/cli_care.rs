#![allow(clippy::unwrap_used, reason = "tests: a failed step should panic")]
//! The care schedule through the CLI: add (local due, `--type` by stable key in any language),
//! list with groups and `--json`, done with the next step, reschedule across DST, cancel, rules,
//! and the ownership rules with `--as`. Refusals exit non-zero with their error code on stderr.

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
            // Local times in the CLI are New York's, whatever the machine's zone.
            .env("TZ", "America/New_York")
            .output()
            .unwrap()
    }
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }
    fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        serde_json::from_str(&self.ok(&all)).unwrap()
    }
    fn refused(&self, args: &[&str], code: &str) {
        let out = self.run(args);
        assert!(!out.status.success(), "{args:?} should fail");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(code), "{args:?}: expected {code} in {err}");
    }
}

fn ids(page: &Value) -> Vec<i64> {
    page["items"].as_array().unwrap().iter().map(|a| a["id"].as_i64().unwrap()).collect()
}

#[test]
fn care_through_the_cli() {
    let cli = Cli { dir: tempfile::tempdir().unwrap() };
    cli.ok(&["init", "--admin-name", "Admin", "--admin-email", "admin@example.com"]);
    cli.ok(&["customers", "add", "--name", "Nguyễn Văn A", "--code", "KH-A", "--level", "VIP"]);

    // A local due time the day before New York springs forward, moved by a day: 09:30 stays 09:30.
    let a = cli.json(&[
        "care",
        "add",
        "--customer",
        "KH-A",
        "--type",
        "call",
        "--title",
        "Gọi lại",
        "--due",
        "2026-03-07T09:30",
    ]);
    let id = a["id"].as_i64().unwrap().to_string();
    assert_eq!(a["due_at"], "2026-03-07T14:30:00Z");
    assert_eq!(a["tz"], "America/New_York");
    assert_eq!(a["type_key"], "call");
    let moved = cli.json(&["care", "reschedule", &id, "--due", "+1d"]);
    assert_eq!(moved["due_local"], "2026-03-08T09:30");
    assert_eq!(moved["due_at"], "2026-03-08T13:30:00Z");
    // A date alone is all day; --tz names another zone.
    let day = cli.json(&["care", "add", "--customer", "KH-A", "--type", "visit", "--due", "2099-01-02"]);
    assert_eq!(day["all_day"], true);
    assert_eq!(day["due_at"], "2099-01-02T05:00:00Z");
    let hcm = cli.json(&[
        "care",
        "add",
        "--customer",
        "KH-A",
        "--type",
        "meeting",
        "--due",
        "2099-01-03T09:00",
        "--tz",
        "Asia/Ho_Chi_Minh",
        "--duration",
        "45",
        "--notes",
        "bring samples",
    ]);
    assert_eq!(hcm["due_at"], "2099-01-03T02:00:00Z");
    assert_eq!(hcm["duration_min"], 45);

    // Lists: everything planned, overdue only, today only (nothing), as text with counts.
    let all = cli.json(&["care", "list"]);
    assert_eq!(ids(&all).len(), 3);
    let overdue = cli.json(&["care", "list", "--overdue"]);
    assert_eq!(ids(&overdue), [a["id"].as_i64().unwrap()]);
    assert_eq!(overdue["items"][0]["overdue"], true);
    assert!(ids(&cli.json(&["care", "list", "--today"])).is_empty());
    let text = cli.ok(&["care", "list"]);
    assert!(text.starts_with("Overdue 1  ·  Today 0  ·  This week 0  ·  Later 2"), "{text}");
    assert!(text.contains("2026-03-08 09:30 overdue"), "{text}");
    assert!(text.contains("2099-01-03 09:00 Asia/Ho_Chi_Minh"), "{text}");
    assert_eq!(ids(&cli.json(&["care", "list", "--level", "VIP"])).len(), 3);
    assert!(ids(&cli.json(&["care", "list", "--segment", "Retail"])).is_empty());
    let by_type = cli.json(&["care", "list", "--type", "meeting"]);
    assert_eq!(ids(&by_type), [hcm["id"].as_i64().unwrap()]);

    // Done with an outcome, planning the next step in one go.
    let done = cli.json(&[
        "care",
        "done",
        &id,
        "--outcome",
        "Khách hẹn tuần sau",
        "--next-due",
        "2099-02-01T10:00",
        "--next-title",
        "Gọi lần 2",
    ]);
    assert_eq!(done["done"]["state"], "done");
    assert_eq!(done["done"]["outcome"], "Khách hẹn tuần sau");
    assert_eq!(done["next"]["title"], "Gọi lần 2");
    assert_eq!(done["next"]["type_key"], "call", "the next step keeps the type");
    cli.refused(&["care", "done", &id, "--outcome", "again"], "care.not_planned");
    cli.refused(&["care", "done", &id, "--outcome", "   "], "input.invalid");
    let followups = cli.json(&["care", "list", "--state", "done"]);
    assert_eq!(ids(&followups), [a["id"].as_i64().unwrap()]);
    let timeline = cli.ok(&["care", "timeline", "KH-A", "--kind", "followup"]);
    assert!(timeline.contains("follow-up") && timeline.contains("Khách hẹn tuần sau"), "{timeline}");

    // Cancel with a reason; bad input is refused with its code.
    let day_id = day["id"].as_i64().unwrap().to_string();
    let cancelled = cli.json(&["care", "cancel", &day_id, "--reason", "đã gặp"]);
    assert_eq!(cancelled["state"], "cancelled");
    cli.refused(&["care", "reschedule", &day_id, "--due", "+1d"], "care.not_planned");
    cli.refused(&["care", "add", "--customer", "KH-A", "--type", "call", "--due", "2026-13-01"], "input.invalid");
    cli.refused(
        &["care", "add", "--customer", "KH-A", "--type", "call", "--due", "2026-12-01", "--tz", "Mars/Base"],
        "input.invalid",
    );
    cli.refused(
        &["care", "add", "--customer", "KH-A", "--type", "fax", "--due", "2026-12-01"],
        "catalog_item.not_found",
    );
    cli.refused(&["care", "add", "--customer", "NOPE", "--type", "call", "--due", "2026-12-01"], "customer.not_found");
    cli.refused(&["care", "cancel", "999"], "care.not_found");

    // Recurring rules: the VIP customer gets its upcoming call; apply again plans nothing new.
    let rule = cli.json(&[
        "care",
        "rules",
        "add",
        "--level",
        "VIP",
        "--type",
        "call",
        "--every",
        "30",
        "--title",
        "Giữ liên lạc",
    ]);
    let planned_by_rule = |cli: &Cli| {
        cli.json(&["care", "list", "--customer", "KH-A"])["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["rule_id"] == rule["id"])
            .count()
    };
    assert_eq!(planned_by_rule(&cli), 1);
    assert_eq!(cli.json(&["care", "rules", "apply"])["created"], 0);
    assert_eq!(planned_by_rule(&cli), 1);
    let rules = cli.json(&["care", "rules", "list"]);
    assert_eq!(rules[0]["interval_days"], 30);
    cli.ok(&["care", "rules", "delete", &rule["id"].to_string()]);
    assert_eq!(planned_by_rule(&cli), 0);
    assert!(cli.ok(&["care", "rules", "list"]).contains("No recurring care rules"));
    // Care types are a catalog like the others.
    assert!(cli.ok(&["catalog", "list", "care-type"]).contains("ACTIVITIES"));
}

#[test]
fn care_honours_ownership_with_as() {
    let cli = Cli { dir: tempfile::tempdir().unwrap() };
    cli.ok(&["init", "--admin-name", "Admin", "--admin-email", "admin@example.com"]);
    cli.ok(&["staff", "add", "--name", "Lan", "--email", "lan@example.com", "--role", "staff"]);
    cli.ok(&["staff", "add", "--name", "Minh", "--email", "minh@example.com", "--role", "staff"]);
    cli.ok(&["staff", "add", "--name", "Boss", "--email", "boss@example.com", "--role", "manager"]);
    let lan = ["--as", "lan@example.com"];
    let minh = ["--as", "minh@example.com"];
    let boss = ["--as", "boss@example.com"];
    let with = |who: &[&str; 2], args: &[&str]| -> Vec<String> {
        who.iter().chain(args.iter()).map(|s| (*s).to_owned()).collect()
    };
    let run_ok = |who: &[&str; 2], args: &[&str]| {
        let v = with(who, args);
        cli.ok(&v.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let run_json = |who: &[&str; 2], args: &[&str]| {
        let v = with(who, args);
        cli.json(&v.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let run_refused = |who: &[&str; 2], args: &[&str], code: &str| {
        let v = with(who, args);
        cli.refused(&v.iter().map(String::as_str).collect::<Vec<_>>(), code)
    };

    run_ok(&lan, &["customers", "add", "--name", "Khách của Lan", "--code", "KH-LAN"]);
    let a = run_json(&lan, &["care", "add", "--customer", "KH-LAN", "--type", "call", "--due", "2099-01-01T09:00"]);
    let id = a["id"].as_i64().unwrap().to_string();
    assert_eq!(a["assignee_name"], "Lan");
    // Lan sees hers; Minh sees none of it and cannot change it; everyone's list is for managers.
    assert_eq!(ids(&run_json(&lan, &["care", "list"])), [a["id"].as_i64().unwrap()]);
    assert!(ids(&run_json(&minh, &["care", "list"])).is_empty());
    run_refused(&minh, &["care", "list", "--everyone"], "permission.denied");
    run_refused(&minh, &["care", "list", "--assignee", "lan@example.com"], "permission.denied");
    run_refused(&minh, &["care", "done", &id, "--outcome", "x"], "permission.denied");
    run_refused(
        &minh,
        &[
            "care",
            "add",
            "--customer",
            "KH-LAN",
            "--type",
            "call",
            "--due",
            "2099-01-01",
            "--assignee",
            "boss@example.com",
        ],
        "permission.denied",
    );
    assert_eq!(ids(&run_json(&boss, &["care", "list", "--assignee", "lan@example.com"])), [a["id"].as_i64().unwrap()]);
    assert_eq!(ids(&run_json(&boss, &["care", "list", "--everyone"])).len(), 1);
    // Locked by Lan: Minh cannot schedule on it, and nothing is created.
    run_ok(&lan, &["customers", "lock", "KH-LAN"]);
    run_refused(
        &minh,
        &["care", "add", "--customer", "KH-LAN", "--type", "call", "--due", "2099-01-02"],
        "permission.locked",
    );
    run_refused(&minh, &["care", "timeline", "KH-LAN"], "permission.locked");
    assert_eq!(ids(&run_json(&boss, &["care", "list", "--everyone"])).len(), 1);
    // Rules are for administrators.
    run_refused(
        &boss,
        &["care", "rules", "add", "--level", "VIP", "--type", "call", "--every", "30"],
        "permission.denied",
    );
    // Lan completes her own.
    let done = run_json(&lan, &["care", "done", &id, "--outcome", "xong"]);
    assert_eq!(done["done"]["state"], "done");
}
