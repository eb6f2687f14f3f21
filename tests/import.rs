#![allow(clippy::unwrap_used, reason = "tests")]
//! Importing spreadsheets: the shared samples import with exactly their expected counts, rows and
//! duplicate groups; modes; revert; all-or-nothing.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use clientele::catalogs::{self, CatalogKind};
use clientele::customers::{self, CustomerInput, ListQuery};
use clientele::import::{self, ImportMode, ImportOptions, ImportReport};
use common::*;
use serde_json::Value;

fn sample(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/samples")).join(name)
}

fn expected(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(sample(&format!("{name}.expected.json"))).unwrap()).unwrap()
}

async fn preview(e: &Env, file: &str, options: &ImportOptions) -> ImportReport {
    import::preview(&e.store, &e.admin, &sample(file), options, &mut |_| true).await.unwrap()
}

async fn run(e: &Env, file: &str, options: &ImportOptions) -> ImportReport {
    import::run(&e.store, &e.admin, &sample(file), options, &mut |_| true).await.unwrap()
}

fn check_against_expected(report: &ImportReport, exp: &Value) {
    let x = &exp["expected"];
    assert_eq!(report.rows, x["data_rows"].as_u64().unwrap(), "data rows");
    assert_eq!(report.valid, x["valid_rows"].as_u64().unwrap(), "valid rows; errors: {:?}", report.errors);
    assert_eq!(report.invalid, x["invalid_rows"].as_u64().unwrap(), "invalid rows: {:?}", report.errors);
    let mut by_reason: BTreeMap<String, u64> = BTreeMap::new();
    for (k, v) in x["invalid_by_reason"].as_object().unwrap() {
        if v.as_u64().unwrap() > 0 {
            by_reason.insert(k.clone(), v.as_u64().unwrap());
        }
    }
    assert_eq!(report.invalid_by_reason, by_reason);
    assert_eq!(report.duplicate_groups, x["duplicate_groups"].as_u64().unwrap(), "{:?}", report.duplicate_group_rows);
    for (kind, n) in x["valid_by_type"].as_object().unwrap() {
        assert_eq!(report.valid_by_kind.get(kind).copied().unwrap_or(0), n.as_u64().unwrap(), "valid {kind}");
    }
    // The rejected rows, each with its reason.
    let mut want: Vec<(u64, String)> = exp["invalid_rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["row"].as_u64().unwrap(), r["reason"].as_str().unwrap().to_owned()))
        .collect();
    want.sort();
    let mut firsts: BTreeMap<u32, String> = BTreeMap::new();
    for e in &report.errors {
        firsts.entry(e.row).or_insert_with(|| e.code.clone());
    }
    let got: Vec<(u64, String)> = firsts.into_iter().map(|(r, c)| (u64::from(r), c)).collect();
    assert_eq!(got, want);
    // The duplicate groups, by row numbers.
    let mut want_groups: Vec<Vec<u64>> = exp["duplicate_groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let rows = g.as_array().cloned().or_else(|| g["rows"].as_array().cloned()).unwrap();
            let mut v: Vec<u64> = rows.iter().map(|r| r.as_u64().unwrap()).collect();
            v.sort();
            v
        })
        .collect();
    want_groups.sort();
    let mut got_groups: Vec<Vec<u64>> = report
        .duplicate_group_rows
        .iter()
        .map(|g| {
            let mut v: Vec<u64> = g.iter().map(|r| u64::from(*r)).collect();
            v.sort();
            v
        })
        .collect();
    got_groups.sort();
    assert_eq!(got_groups, want_groups);
    // The mapping of each column.
    for c in exp["columns"].as_array().unwrap() {
        let pos = c["position"].as_u64().unwrap() as usize - 1;
        let want = c["field"].as_str();
        let got = report.mapping[pos].map(|f| f.as_str());
        assert_eq!(got, want, "column {pos} {:?}", c["header"]);
    }
}

#[tokio::test]
async fn samples_import_with_their_expected_counts() {
    for file in
        ["customers-dirty-500.csv", "customers-dirty-500.xlsx", "customers-dirty-500.ods", "customers-1000.xlsx"]
    {
        let e = env().await;
        let exp = expected(file);
        let dry = preview(&e, file, &ImportOptions::default()).await;
        check_against_expected(&dry, &exp);
        assert!(dry.dry_run && dry.batch_id.is_none());
        assert_eq!(customers::stats(&e.store).await.unwrap().customers, 0, "dry run wrote nothing");

        let report = run(&e, file, &ImportOptions::default()).await;
        check_against_expected(&report, &exp);
        let after = exp["expected"]["customers_after_merging_duplicates"].as_u64().unwrap();
        assert_eq!(report.created, after, "{file}");
        assert_eq!(report.skipped, report.valid - after);
        let n = customers::stats(&e.store).await.unwrap().customers;
        assert_eq!(n, after, "{file}");
        // Importing the same file again creates nothing: every row matches an existing customer.
        let again = run(&e, file, &ImportOptions::default()).await;
        assert_eq!(again.created, 0, "{file}");
        assert_eq!(again.matches_existing, again.valid, "{file}");
    }
}

#[tokio::test]
async fn imported_values_are_normalised() {
    let e = env().await;
    run(&e, "customers-dirty-500.xlsx", &ImportOptions::default()).await;
    // Catalog values came in (and were created once, folded: "Retail" and "\tRetail\t" are one).
    let segments: Vec<String> =
        catalogs::list(&e.store, CatalogKind::Segment).await.unwrap().into_iter().map(|u| u.item.name).collect();
    assert_eq!(segments.iter().filter(|s| s.to_lowercase() == "retail").count(), 1, "{segments:?}");
    // Levels written as 3, " 3" and "3.0" are one level.
    let levels: Vec<String> =
        catalogs::list(&e.store, CatalogKind::Level).await.unwrap().into_iter().map(|u| u.item.name).collect();
    assert!(levels.contains(&"3".to_string()) && !levels.contains(&"3.0".to_string()), "{levels:?}");
    // Every phone is in its canonical search form; every e-mail lowercase; names NFC and trimmed.
    let page = customers::list(&e.store, &e.admin, &ListQuery { limit: 500, ..Default::default() }).await.unwrap();
    for row in &page.rows {
        assert_eq!(row.name, row.name.trim());
        assert!(unicode_normalization::is_nfc(&row.name), "{}", row.name);
        if let Some(email) = &row.email {
            assert_eq!(email, &email.to_lowercase());
        }
    }
    // Businesses got their primary contact.
    let with_contacts = {
        let mut n = 0;
        for row in page.rows.iter().filter(|r| r.kind == customers::CustomerKind::Business).take(50) {
            let c = customers::get(&e.store, &e.admin, row.id).await.unwrap();
            if c.contacts.iter().any(|x| x.primary) {
                n += 1;
            }
        }
        n
    };
    assert!(with_contacts > 0);
}

#[tokio::test]
async fn update_mode_fills_matches_and_revert_restores_the_exact_state() {
    let e = env().await;
    // An existing customer the file will match by phone (written differently).
    let report = preview(&e, "customers-1000.xlsx", &ImportOptions::default()).await;
    assert_eq!(report.matches_existing, 0);
    run(&e, "customers-1000.xlsx", &ImportOptions::default()).await;
    let first = customers::list(&e.store, &e.admin, &ListQuery { limit: 5, ..Default::default() }).await.unwrap();
    let target = customers::get(&e.store, &e.admin, first.rows[0].id).await.unwrap();
    assert!(target.address.is_some());
    let mut input: CustomerInput = target.to_input();
    input.address = Some("edited after the import".into());
    let edited = customers::update(&e.store, &e.admin, target.id, input).await.unwrap();

    let before_all = snapshot(&e).await;
    let options = ImportOptions { mode: ImportMode::Update, ..Default::default() };
    let report = run(&e, "customers-1000.xlsx", &options).await;
    assert_eq!(report.created, 0);
    assert_eq!(report.updated, 1000);
    let after = customers::get(&e.store, &e.admin, target.id).await.unwrap();
    assert_eq!(after.address, target.address, "the file's address replaced the edit");
    assert_ne!(after.address, edited.address);

    import::revert(&e.store, &e.admin, report.batch_id.unwrap()).await.unwrap();
    assert_eq!(snapshot(&e).await, before_all, "revert restores every customer exactly");
    // Twice: refused.
    assert!(import::revert(&e.store, &e.admin, report.batch_id.unwrap()).await.is_err());
}

#[tokio::test]
async fn revert_of_a_creating_import_removes_its_customers() {
    let e = env().await;
    let kept = e.add(with_phone("Khách cũ", "0900000001")).await;
    let before = snapshot(&e).await;
    let report = run(&e, "customers-dirty-500.csv", &ImportOptions::default()).await;
    assert_eq!(report.created, 480);
    let batches = import::batches(&e.store, &e.admin, 10).await.unwrap();
    assert_eq!(batches[0].created, 480);
    import::revert(&e.store, &e.admin, report.batch_id.unwrap()).await.unwrap();
    assert_eq!(snapshot(&e).await, before);
    assert!(customers::get(&e.store, &e.admin, kept.id).await.is_ok());
    assert!(import::batches(&e.store, &e.admin, 10).await.unwrap()[0].reverted_at.is_some());
}

#[tokio::test]
async fn create_mode_and_cancel() {
    let e = env().await;
    let report =
        run(&e, "customers-dirty-500.csv", &ImportOptions { mode: ImportMode::Create, ..Default::default() }).await;
    assert_eq!(report.created, 490, "every valid row");
    // Cancel during writing: nothing stays.
    let e = env().await;
    let mut calls = 0;
    let err = import::run(&e.store, &e.admin, &sample("customers-1000.xlsx"), &ImportOptions::default(), &mut |p| {
        calls += 1;
        p.phase != import::ImportPhase::Writing
    })
    .await
    .unwrap_err();
    assert_eq!(err.code(), "operation.cancelled");
    assert!(calls > 0);
    assert_eq!(customers::stats(&e.store).await.unwrap().customers, 0);
    assert!(import::batches(&e.store, &e.admin, 10).await.unwrap().is_empty());
    assert!(catalogs::list(&e.store, CatalogKind::Segment).await.unwrap().iter().all(|u| u.customers == 0));
}

#[tokio::test]
async fn unknown_catalog_values_can_be_refused() {
    let e = env().await;
    let options = ImportOptions { create_missing: false, ..Default::default() };
    let report = preview(&e, "customers-dirty-500.csv", &options).await;
    assert!(report.invalid_by_reason.get("unknown_value").copied().unwrap_or(0) > 0);
    assert!(report.errors.iter().any(|e| e.code == "unknown_value" && e.column.is_some()));
}

/// Every customer as the app would show it (without the bookkeeping of updates).
async fn snapshot(e: &Env) -> Vec<String> {
    let mut out = Vec::new();
    let mut q = ListQuery { limit: 500, sort: customers::SortField::Created, ..Default::default() };
    loop {
        let page = customers::list(&e.store, &e.admin, &q).await.unwrap();
        for row in &page.rows {
            let c = customers::get(&e.store, &e.admin, row.id).await.unwrap();
            out.push(serde_json::to_string(&c).unwrap());
        }
        match page.next {
            Some(c) => q.after = Some(c),
            None => break,
        }
    }
    out
}

#[tokio::test]
async fn error_report_lists_rejected_rows_with_their_reasons() {
    let e = env().await;
    let out = e.dir.path().join("errors.xlsx");
    let n = import::error_report(
        &e.store,
        &e.admin,
        &sample("customers-dirty-500.xlsx"),
        &ImportOptions::default(),
        clientele::settings::Language::Vi,
        &out,
    )
    .await
    .unwrap();
    assert_eq!(n, 10);
    use calamine::{Reader, open_workbook_auto};
    let mut book = open_workbook_auto(&out).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows.len(), 11);
    assert_eq!(rows[0][0], "Dòng");
    assert_eq!(rows[0].last().unwrap(), "Lỗi");
    let row33 = rows.iter().find(|r| r[0] == "33").unwrap();
    assert!(row33.last().unwrap().contains("e-mail không hợp lệ"), "{row33:?}");
    assert!(row33.iter().any(|c| c == "thu .le32@fpt.vn"));
}

/// An import into an empty database sets the customers' triggers and indexes aside and restores
/// them (DDL inside its transaction). Pool connections that prepared statements before must go on
/// working after it: editing, deleting and purging, each on whichever connection comes.
#[tokio::test]
async fn every_connection_works_after_an_import_into_an_empty_table() {
    use clientele::customers::Selection;
    let e = env().await;
    for i in 0..8 {
        let c = e.add(person(&format!("Warm {i}"))).await;
        let none = Default::default();
        let ids = [c.id];
        let mut edit = c.to_input();
        edit.name = format!("Warm again {i}");
        let (a, b) = tokio::join!(
            customers::count(&e.store, &e.admin, "warm", &none, false),
            customers::update(&e.store, &e.admin, c.id, edit),
        );
        a.unwrap();
        b.unwrap();
        customers::delete(&e.store, &e.admin, &Selection::Ids { ids: ids.to_vec() }).await.unwrap();
        assert_eq!(customers::purge(&e.store, &e.admin, &ids).await.unwrap(), 1);
    }
    let report = run(&e, "customers-1000.xlsx", &ImportOptions::default()).await;
    assert!(report.created > 0);
    let page = customers::list(&e.store, &e.admin, &ListQuery { limit: 12, ..Default::default() }).await.unwrap();
    assert_eq!(page.rows.len(), 12);
    for row in page.rows {
        let c = customers::get(&e.store, &e.admin, row.id).await.unwrap();
        let mut edit = c.to_input();
        edit.notes = Some("edited after the import".into());
        customers::update(&e.store, &e.admin, c.id, edit).await.unwrap();
        customers::delete(&e.store, &e.admin, &Selection::Ids { ids: vec![c.id] }).await.unwrap();
        assert_eq!(customers::purge(&e.store, &e.admin, &[c.id]).await.unwrap(), 1);
    }
}
