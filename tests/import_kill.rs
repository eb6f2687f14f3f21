#![allow(clippy::unwrap_used, reason = "tests")]
//! Killing the process (SIGKILL) at random moments during a large import leaves the database
//! exactly as it was: the import is one transaction, and SQLite's WAL makes it atomic.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn clientele(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_clientele"));
    c.arg("--data-dir").arg(dir).env_remove("CLIENTELE_DATA_DIR");
    c
}

/// Everything a user could see, as text: customers with their keys, catalogs, batches, history.
fn state(dir: &Path) -> (String, String) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let store = clientele::store::Store::open(dir).await.unwrap();
        let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(store.pool()).await.unwrap();
        let mut dump = String::new();
        for sql in [
            "SELECT group_concat(id || ':' || code || ':' || name || ':' || phones || ':' || coalesce(name_pos, ''), '|') FROM customers",
            "SELECT group_concat(kind || ':' || key || ':' || customer_id, '|') FROM customer_keys",
            "SELECT group_concat(kind || ':' || name, '|') FROM catalog_items",
            "SELECT count(*) || '' FROM import_batches",
            "SELECT count(*) || '' FROM history",
            "SELECT group_concat(name || '=' || value, '|') FROM counters",
            "SELECT count(*) || '' FROM customers_fts WHERE customers_fts MATCH 'nguyen'",
        ] {
            let v: Option<String> = sqlx::query_scalar(sql).fetch_one(store.pool()).await.unwrap();
            dump.push_str(&v.unwrap_or_default());
            dump.push('\n');
        }
        store.close().await;
        (check, dump)
    })
}

/// A tiny deterministic generator (no dependency): xorshift.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn sigkill_during_import_leaves_the_database_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let ok = clientele(&data)
        .args(["init", "--admin-name", "Admin", "--admin-email", "admin@example.com"])
        .status()
        .unwrap();
    assert!(ok.success());
    let ok = clientele(&data).args(["demo", "--customers", "300"]).stdout(Stdio::null()).status().unwrap();
    assert!(ok.success());

    let file = dir.path().join("big.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
    writeln!(f, "Tên khách hàng,SĐT,Email,Địa chỉ,Loại khách hàng,Hạng,Nhóm").unwrap();
    for i in 0..6000 {
        let kind = if i % 4 == 0 { "Doanh nghiệp" } else { "Cá nhân" };
        writeln!(
            f,
            "Nguyễn Văn Khách {i},0987{i:06},khach{i}@example.vn,\"{i} Lê Lợi, Quận 1\",{kind},Hạng {},Nhóm {}",
            i % 5,
            i % 7
        )
        .unwrap();
    }
    drop(f);

    let mut before = state(&data);
    assert_eq!(before.0, "ok");

    // How long a whole import takes here, to spread the kills over it.
    let probe = tempfile::tempdir().unwrap();
    let pdata = probe.path().join("data");
    clientele(&pdata).args(["init", "--admin-name", "A", "--admin-email", "a@example.com"]).status().unwrap();
    let t = Instant::now();
    let ok = clientele(&pdata).arg("import").arg(&file).stdout(Stdio::null()).status().unwrap();
    assert!(ok.success());
    let full = t.elapsed();

    let mut rng = Rng(0x5EED_1234_u64);
    let mut killed_mid_way = 0;
    for round in 0..20 {
        let mut child =
            clientele(&data).arg("import").arg(&file).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        // Anywhere from start-up to the end of the commit.
        let at = Duration::from_micros(rng.next() % (full.as_micros() as u64 + 1));
        std::thread::sleep(at);
        let finished = child.try_wait().unwrap().is_some();
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        if finished {
            // Too late: it committed. Put the database back as it was by reverting.
            let out = clientele(&data).args(["imports", "list", "--json"]).output().unwrap();
            let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            for b in list.as_array().unwrap() {
                if b["reverted_at"].is_null() {
                    let id = b["id"].as_i64().unwrap().to_string();
                    assert!(clientele(&data).args(["imports", "revert", &id]).status().unwrap().success());
                }
            }
            // The revert leaves its own history entry and batch record: the new baseline.
            before = state(&data);
            continue;
        }
        // The kill may land after the commit but before the process exits: then the import is
        // there whole (one batch, not reverted); revert it and take the new baseline.
        let out = clientele(&data).args(["imports", "list", "--json"]).output().unwrap();
        let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let committed: Vec<String> = list
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["reverted_at"].is_null())
            .map(|b| b["id"].as_i64().unwrap().to_string())
            .collect();
        if !committed.is_empty() {
            assert_eq!(state(&data).0, "ok");
            for id in committed {
                assert!(clientele(&data).args(["imports", "revert", &id]).status().unwrap().success());
            }
            before = state(&data);
            continue;
        }
        killed_mid_way += 1;
        let after = state(&data);
        assert_eq!(after.0, "ok", "round {round}: integrity");
        assert_eq!(after.1, before.1, "round {round}: killed after {at:?}, the database changed");
    }
    assert!(killed_mid_way >= 12, "only {killed_mid_way} kills landed during the import");
}
