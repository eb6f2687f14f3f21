#![allow(clippy::unwrap_used, reason = "tests")]
//! Follow-up records import: a file made from the care template (its headers, rows written with
//! rust_xlsxwriter) and CSVs of users' own: exact counts and each reason code, customers found
//! by code, phone in any spelling or e-mail, care types in either language, last contact raised
//! and restored by revert, locked customers refused row by row, dry runs that write nothing,
//! new care types, the error report, and a large file.

mod common;

use std::path::{Path, PathBuf};

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, Timelike};
use clientele::actor::{Actor, Role};
use clientele::care::{self, FollowUpRow};
use clientele::catalogs::{self, CatalogKind};
use clientele::customers::{self, Customer, CustomerInput};
use clientele::import::followup::FollowUpField;
use clientele::import::{self, ImportOptions, ImportProgress, ImportReport, KindChoice};
use clientele::settings::Language;
use clientele::staff::{self, NewStaff};
use clientele::template::{self, TemplateKind};
use common::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn care() -> ImportOptions {
    ImportOptions { kind: KindChoice::Care, ..Default::default() }
}

fn strict() -> ImportOptions {
    ImportOptions { kind: KindChoice::Care, create_missing: false, ..Default::default() }
}

async fn preview(e: &Env, actor: &Actor, path: &Path, options: &ImportOptions) -> ImportReport {
    import::preview(&e.store, actor, path, options, &mut |_: ImportProgress| true).await.unwrap()
}

async fn run(e: &Env, actor: &Actor, path: &Path, options: &ImportOptions) -> ImportReport {
    import::run(&e.store, actor, path, options, &mut |_: ImportProgress| true).await.unwrap()
}

async fn customer(e: &Env, code: &str, phones: &[&str], emails: &[&str]) -> Customer {
    e.add(CustomerInput {
        name: format!("Customer {code}"),
        code: Some(code.into()),
        phones: phones.iter().map(|p| p.to_string()).collect(),
        emails: emails.iter().map(|m| m.to_string()).collect(),
        allow_duplicate: true,
        ..Default::default()
    })
    .await
}

async fn last_contact(e: &Env, id: i64) -> Option<chrono::DateTime<chrono::Utc>> {
    let s: Option<String> = sqlx::query_scalar("SELECT last_contact_at FROM customers WHERE id = ?")
        .bind(id)
        .fetch_one(e.store.pool())
        .await
        .unwrap();
    s.map(|s| chrono::DateTime::parse_from_rfc3339(&s).unwrap().to_utc())
}

async fn count(e: &Env, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned())).fetch_one(e.store.pool()).await.unwrap()
}

/// (title, type name, outcome, assignee) of a customer's done activities, by done time.
async fn records(e: &Env, id: i64) -> Vec<(String, String, Option<String>, Option<i64>)> {
    sqlx::query_as(
        "SELECT a.title, t.name, a.outcome, a.assignee_id FROM care_activities a \
         JOIN catalog_items t ON t.id = a.type_id WHERE a.customer_id = ? AND a.state = 'done' ORDER BY a.done_at, a.id",
    )
    .bind(id)
    .fetch_all(e.store.pool())
    .await
    .unwrap()
}

/// The instant a local wall-clock time stands for (the import reads times in the system zone).
fn local(s: &str) -> chrono::DateTime<chrono::Utc> {
    let t = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    care::time::resolve(care::time::system_zone(), t)
}

fn reasons(r: &ImportReport) -> Vec<(String, u64)> {
    r.invalid_by_reason.iter().map(|(k, v)| (k.clone(), *v)).collect()
}

fn codes_of_row(r: &ImportReport, row: u32) -> Vec<String> {
    r.errors.iter().filter(|e| e.row == row).map(|e| e.code.clone()).collect()
}

async fn add_staff(e: &Env, name: &str, email: &str, role: Role) -> Actor {
    let s = staff::add(&e.store, &e.admin, NewStaff { name: name.into(), email: email.into(), password: None, role })
        .await
        .unwrap();
    staff::sign_in(&e.store, s.id, None).await.unwrap()
}

fn in_a_month() -> String {
    let d = chrono::Local::now().date_naive().checked_add_days(Days::new(30)).unwrap();
    d.format("%d/%m/%Y").to_string()
}

/// A cell of the filled template.
enum V {
    T(&'static str),
    S(String),
    /// A date-time cell (formatted as a date, as Excel stores them).
    D(NaiveDateTime),
    Blank,
}

/// The care template's header row in `language`, read back from the template Clientele writes.
async fn template_headers(e: &Env, language: Language) -> Vec<String> {
    let path = e.dir.path().join(format!("template-{language:?}.xlsx"));
    template::template(&e.store, TemplateKind::Care, language, &path).await.unwrap();
    let reader = import::read::open(&path).unwrap();
    reader.sheet().headers.clone()
}

/// Write `rows` under `headers` (row 1) as an xlsx.
fn write_xlsx(path: &Path, headers: &[String], rows: &[Vec<V>]) {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    let date = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match v {
                V::T(s) => ws.write_string(r, c, *s).map(|_| ()).unwrap(),
                V::S(s) => ws.write_string(r, c, s).map(|_| ()).unwrap(),
                V::D(d) => {
                    let x = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
                        .unwrap()
                        .and_hms(d.hour() as u16, d.minute() as u8, 0)
                        .unwrap();
                    ws.write_datetime_with_format(r, c, &x, &date).unwrap();
                }
                V::Blank => {}
            }
        }
    }
    book.save(path).unwrap();
}

fn dt(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

struct Fixture {
    e: Env,
    a: Customer,
    b: Customer,
    path: PathBuf,
}

/// Customers A (code, phone, e-mail), B, and C and D sharing a phone; the template's file with
/// one row of each kind (see the row numbers in the comments).
async fn fixture() -> Fixture {
    let e = env().await;
    let a = customer(&e, "A001", &["0912 345 678"], &["an@example.com"]).await;
    let b = customer(&e, "B001", &["0987 654 321"], &[]).await;
    customer(&e, "C001", &["0933 111 222"], &[]).await;
    customer(&e, "D001", &["0933.111.222"], &[]).await;
    let headers = template_headers(&e, Language::En).await;
    assert_eq!(headers.len(), 6, "{headers:?}");
    use V::*;
    let rows = vec![
        // 2: by code, a date cell, the assignee by name.
        vec![T("A001"), T("Call"), T("First call"), D(dt("2024-05-14 09:30")), T("Agreed"), T("Admin")],
        // 3: by the phone written another way; the title defaults to the type's name.
        vec![T("+84912345678"), T("Meeting"), Blank, T("15/05/2024 10:00"), Blank, Blank],
        // 4: by e-mail, in capitals; a whole day; the type by its stable key.
        vec![T("AN@Example.com"), T("visit"), T("Visit"), T("16/05/2024"), Blank, T("admin@example.com")],
        // 5: the type in Vietnamese (the template's word).
        vec![T("b001"), T("Gọi điện"), T("Gọi lại"), T("2024-05-10 08:15"), T("Hẹn tuần sau"), Blank],
        // 6: no customer.
        vec![Blank, T("Call"), T("?"), T("10/05/2024"), Blank, Blank],
        // 7: nobody has this code.
        vec![T("Z999"), T("Call"), T("?"), T("10/05/2024"), Blank, Blank],
        // 8: a phone two customers share.
        vec![T("0933 111 222"), T("Call"), T("?"), T("10/05/2024"), Blank, Blank],
        // 9: a type that is not in the catalog.
        vec![T("B001"), T("Fax"), T("Sent the offer"), T("10/05/2024"), Blank, Blank],
        // 10: no done-at.
        vec![T("B001"), T("Call"), T("?"), Blank, Blank, Blank],
        // 11: not a date.
        vec![T("B001"), T("Call"), T("?"), T("next week"), Blank, Blank],
        // 12: in the future.
        vec![T("B001"), T("Call"), T("?"), S(in_a_month()), Blank, Blank],
        // 13: blank (counted nowhere).
        vec![],
        // 14: an unknown assignee: a warning, and the importer does it.
        vec![T("A001"), T("Task"), T("Send the contract"), T("01/05/2024 08:00"), Blank, T("Nobody Known")],
    ];
    let path = e.dir.path().join("follow-ups.xlsx");
    write_xlsx(&path, &headers, &rows);
    Fixture { e, a, b, path }
}

#[tokio::test]
async fn template_file_dry_run_counts_every_reason_and_writes_nothing() {
    let Fixture { e, a, path, .. } = fixture().await;
    let admin = e.admin.clone();
    // The template's headers are recognised: `auto` picks the follow-up import by itself.
    let r = preview(&e, &admin, &path, &ImportOptions { create_missing: false, ..Default::default() }).await;
    use FollowUpField as F;
    assert_eq!(
        r.care_mapping,
        Some(vec![
            Some(F::CustomerCode),
            Some(F::Kind),
            Some(F::Title),
            Some(F::DoneAt),
            Some(F::Outcome),
            Some(F::Assignee)
        ])
    );
    assert!(r.dry_run);
    assert_eq!((r.rows, r.valid, r.invalid, r.created, r.batch_id), (12, 5, 7, 5, None));
    assert_eq!(
        reasons(&r),
        [
            ("ambiguous_customer".to_string(), 1),
            ("bad_date".into(), 2),
            ("missing_customer".into(), 1),
            ("missing_done_at".into(), 1),
            ("unknown_customer".into(), 1),
            ("unknown_type".into(), 1),
        ]
    );
    assert_eq!(codes_of_row(&r, 6), ["missing_customer"]);
    assert_eq!(codes_of_row(&r, 7), ["unknown_customer"]);
    assert_eq!(codes_of_row(&r, 8), ["ambiguous_customer"]);
    assert_eq!(codes_of_row(&r, 9), ["unknown_type"]);
    assert_eq!(codes_of_row(&r, 10), ["missing_done_at"]);
    assert_eq!(codes_of_row(&r, 11), ["bad_date"]);
    assert_eq!(codes_of_row(&r, 12), ["bad_date"]);
    let e7 = r.errors.iter().find(|x| x.row == 7).unwrap();
    assert_eq!((e7.column.as_deref(), e7.value.as_deref()), (Some("Customer Code *"), Some("Z999")));
    let e9 = r.errors.iter().find(|x| x.row == 9).unwrap();
    assert_eq!((e9.column.as_deref(), e9.value.as_deref()), (Some("Activity Type *"), Some("Fax")));
    assert_eq!(r.warnings.iter().map(|w| (w.row, w.code.as_str())).collect::<Vec<_>>(), [(14, "unknown_assignee")]);
    // Nothing was written.
    assert_eq!(count(&e, "SELECT count(*) FROM care_activities").await, 0);
    assert_eq!(count(&e, "SELECT count(*) FROM import_batches").await, 0);
    assert_eq!(last_contact(&e, a.id).await, None);

    // Allowed to create catalog values, the new type is listed and its row is valid.
    let r = preview(&e, &admin, &path, &care()).await;
    assert_eq!((r.valid, r.invalid), (6, 6));
    assert_eq!(r.new_catalog_items.get("care_type"), Some(&vec!["Fax".to_string()]));
    assert!(!r.invalid_by_reason.contains_key("unknown_type"));
    assert_eq!(count(&e, "SELECT count(*) FROM catalog_items WHERE name = 'Fax'").await, 0);
}

#[tokio::test]
async fn template_file_import_records_raises_last_contact_and_reverts() {
    let Fixture { e, a, b, path } = fixture().await;
    let admin = e.admin.clone();
    // A contact before the import (not part of it).
    let call = catalogs::find(&e.store, CatalogKind::CareType, "call").await.unwrap().id;
    let mut w = e.store.write(&admin).await.unwrap();
    let before = FollowUpRow {
        customer_id: a.id,
        type_id: call,
        title: "Earlier".into(),
        done_local: dt("2023-12-01 09:00"),
        all_day: false,
        tz: None,
        outcome: None,
        assignee_id: None,
        notes: None,
    };
    care::record_done_many(&mut w, &[before]).await.unwrap();
    w.commit().await.unwrap();
    assert_eq!(last_contact(&e, a.id).await, Some(local("2023-12-01 09:00")));

    let mut phases = Vec::new();
    let r = import::run(&e.store, &admin, &path, &strict(), &mut |p| {
        phases.push(p.phase);
        true
    })
    .await
    .unwrap();
    assert!(!r.dry_run);
    assert_eq!((r.rows, r.valid, r.invalid, r.created), (12, 5, 7, 5));
    assert!(phases.contains(&import::ImportPhase::Writing));
    let batch = r.batch_id.unwrap();

    // A: rows 14, 2, 3, 4 (in done order) and the earlier one; B: row 5.
    let me = Some(admin.staff_id);
    assert_eq!(
        records(&e, a.id).await,
        [
            ("Earlier".to_string(), "Call".to_string(), None, Some(admin.staff_id)),
            ("Send the contract".into(), "Task".into(), None, me),
            ("First call".into(), "Call".into(), Some("Agreed".into()), me),
            ("Meeting".into(), "Meeting".into(), None, me),
            ("Visit".into(), "Visit".into(), None, me),
        ]
    );
    assert_eq!(records(&e, b.id).await, [("Gọi lại".to_string(), "Call".to_string(), Some("Hẹn tuần sau".into()), me)]);
    // The latest contact: row 4's whole day (midnight), and row 5 for B.
    assert_eq!(last_contact(&e, a.id).await, Some(local("2024-05-16 00:00")));
    assert_eq!(last_contact(&e, b.id).await, Some(local("2024-05-10 08:15")));
    let all_day: bool = sqlx::query_scalar("SELECT all_day FROM care_activities WHERE title = 'Visit'")
        .fetch_one(e.store.pool())
        .await
        .unwrap();
    assert!(all_day);
    // Each activity has its history entry, tagged with the batch.
    let q = format!(
        "SELECT count(*) FROM history WHERE entity = 'care_activity' AND action = 'record' AND batch_id = {batch}"
    );
    assert_eq!(count(&e, &q).await, 5);
    let listed = import::batches(&e.store, &admin, 10).await.unwrap();
    assert_eq!((listed[0].id, listed[0].mode.as_str(), listed[0].created, listed[0].failed), (batch, "care", 5, 7));

    // Revert: the batch's activities go, the last contact comes back.
    let reverted = import::revert(&e.store, &admin, batch).await.unwrap();
    assert!(reverted.reverted_at.is_some());
    assert_eq!(count(&e, &format!("SELECT count(*) FROM care_activities WHERE batch_id = {batch}")).await, 0);
    assert_eq!(records(&e, a.id).await.len(), 1);
    assert_eq!(records(&e, b.id).await, []);
    assert_eq!(last_contact(&e, a.id).await, Some(local("2023-12-01 09:00")));
    assert_eq!(last_contact(&e, b.id).await, None);
    // Customers are untouched, and the revert is in the history.
    assert_eq!(customers::get(&e.store, &admin, a.id).await.unwrap().code, "A001");
    let q = format!(
        "SELECT count(*) FROM history WHERE entity = 'care_activity' AND action = 'import_revert' AND batch_id = {batch}"
    );
    assert_eq!(count(&e, &q).await, 5);
    assert_eq!(import::revert(&e.store, &admin, batch).await.unwrap_err().code(), "input.bad_argument");
}

#[tokio::test]
async fn new_care_types_are_created_when_allowed() {
    let Fixture { e, b, path, .. } = fixture().await;
    let admin = e.admin.clone();
    let r = run(&e, &admin, &path, &care()).await;
    assert_eq!((r.valid, r.created), (6, 6));
    let fax = catalogs::find(&e.store, CatalogKind::CareType, "fax").await.unwrap();
    assert_eq!(fax.name, "Fax");
    assert!(records(&e, b.id).await.iter().any(|(title, kind, _, _)| title == "Sent the offer" && kind == "Fax"));
    // Staff may not add catalog values: the import is refused as a whole, nothing is written.
    let lan = add_staff(&e, "Lan", "lan@example.com", Role::Staff).await;
    let csv = e.dir.path().join("new-type.csv");
    std::fs::write(&csv, "Customer Code,Activity Type,Done At\nB001,Carrier pigeon,01/05/2024\n").unwrap();
    let before = count(&e, "SELECT count(*) FROM care_activities").await;
    let err = import::run(&e.store, &lan, &csv, &care(), &mut |_| true).await.unwrap_err();
    assert_eq!(err.code(), "permission.denied");
    assert_eq!(count(&e, "SELECT count(*) FROM care_activities").await, before);
}

#[tokio::test]
async fn csv_with_vietnamese_headers_finds_customers_by_phone_and_email() {
    let e = env().await;
    let admin = e.admin.clone();
    let a = customer(&e, "A001", &["0912 345 678"], &["an@example.com"]).await;
    let b = customer(&e, "B001", &["+84 987-654-321"], &["binh@example.com"]).await;
    // Semicolons, a BOM, Vietnamese headers: separate phone and e-mail columns; a phone that
    // lost its leading zero; dd/mm/yyyy HH:MM.
    let csv = "\u{feff}SĐT;Email;Loại hoạt động;Ngày thực hiện;Kết quả;Người thực hiện\n\
               0912.345.678;;Gọi điện;14/05/2024 09:30;Đã gọi;Admin\n\
               987654321;;Gặp mặt;15/05/2024;;\n\
               ;BINH@example.com;E-mail;16/05/2024 14:00;Đã gửi báo giá;\n\
               0900 000 000;;Gọi điện;16/05/2024;;\n\
               ;;Gọi điện;16/05/2024;;\n";
    let path = e.dir.path().join("cham-soc.csv");
    std::fs::write(&path, csv).unwrap();
    let r = preview(&e, &admin, &path, &ImportOptions::default()).await;
    use FollowUpField as F;
    assert_eq!(
        r.care_mapping,
        Some(vec![Some(F::Phone), Some(F::Email), Some(F::Kind), Some(F::DoneAt), Some(F::Outcome), Some(F::Assignee)])
    );
    assert_eq!((r.rows, r.valid, r.invalid), (5, 3, 2));
    assert_eq!(reasons(&r), [("missing_customer".to_string(), 1), ("unknown_customer".into(), 1)]);
    assert_eq!(r.errors[0].value.as_deref(), Some("0900 000 000"));
    assert_eq!(r.errors[0].column.as_deref(), Some("SĐT"));
    let r = run(&e, &admin, &path, &ImportOptions::default()).await;
    assert_eq!(r.created, 3);
    assert_eq!(records(&e, a.id).await.len(), 1);
    assert_eq!(records(&e, b.id).await.len(), 2);
    assert_eq!(last_contact(&e, a.id).await, Some(local("2024-05-14 09:30")));
    assert_eq!(last_contact(&e, b.id).await, Some(local("2024-05-16 14:00")));
    // The mapping is remembered for the next file with these headers; a mapping given by the
    // user wins (here: the phone column ignored, so row 2 has no customer).
    let mapping = vec![None, Some(F::Email), Some(F::Kind), Some(F::DoneAt), Some(F::Outcome), Some(F::Assignee)];
    let r = preview(&e, &admin, &path, &ImportOptions { care_mapping: Some(mapping), ..care() }).await;
    assert_eq!((r.valid, r.invalid_by_reason.get("missing_customer").copied()), (1, Some(4)));
}

#[tokio::test]
async fn locked_customers_refuse_their_rows_not_the_import() {
    let e = env().await;
    let admin = e.admin.clone();
    let lan = add_staff(&e, "Lan", "lan@example.com", Role::Staff).await;
    let mine =
        e.add(CustomerInput { code: Some("LAN1".into()), owner_id: Some(lan.staff_id), ..person("Lan's") }).await;
    let locked = customer(&e, "LOCK1", &["0911 222 333"], &[]).await;
    let open = customer(&e, "OPEN1", &[], &[]).await;
    clientele::ownership::set_locked(&e.store, &admin, &[locked.id], true).await.unwrap();
    let path = e.dir.path().join("lan.csv");
    std::fs::write(
        &path,
        "Customer Code,Activity Type,Title,Done At\n\
         LAN1,call,Mine,01/05/2024 10:00\n\
         0911-222-333,call,Locked,01/05/2024 10:00\n\
         OPEN1,call,Colleague's,01/05/2024 10:00\n",
    )
    .unwrap();
    let r = preview(&e, &lan, &path, &care()).await;
    assert_eq!((r.valid, r.invalid), (2, 1));
    assert_eq!(reasons(&r), [("permission.locked".to_string(), 1)]);
    assert_eq!(codes_of_row(&r, 3), ["permission.locked"]);
    let r = run(&e, &lan, &path, &care()).await;
    assert_eq!(r.created, 2);
    assert_eq!(records(&e, mine.id).await, [("Mine".to_string(), "Call".to_string(), None, Some(lan.staff_id))]);
    assert_eq!(records(&e, locked.id).await, []);
    assert_eq!(records(&e, open.id).await.len(), 1);
    assert_eq!(last_contact(&e, locked.id).await, None);
    // The manager records on the locked one.
    let r = run(&e, &admin, &path, &care()).await;
    assert_eq!((r.created, r.invalid), (3, 0));
    assert_eq!(records(&e, locked.id).await.len(), 1);
    // Staff revert only their own imports.
    assert_eq!(import::revert(&e.store, &lan, r.batch_id.unwrap()).await.unwrap_err().code(), "permission.denied");
}

#[tokio::test]
async fn error_report_lists_the_rejected_rows_with_their_reasons() {
    let Fixture { e, path, .. } = fixture().await;
    let admin = e.admin.clone();
    let out = e.dir.path().join("errors.xlsx");
    let n = import::error_report(&e.store, &admin, &path, &strict(), Language::En, &out).await.unwrap();
    assert_eq!(n, 7);
    let mut reader = import::read::open(&out).unwrap();
    assert_eq!(reader.sheet().headers.first().map(String::as_str), Some("Row"));
    assert_eq!(reader.sheet().headers.last().map(String::as_str), Some("Error"));
    let rows: Vec<_> = reader.by_ref().map(|r| r.unwrap().cells).collect();
    assert_eq!(rows.len(), 7);
    let text = |r: &Vec<import::read::Cell>| r.iter().map(|c| c.to_text()).collect::<Vec<_>>();
    let z = rows.iter().map(text).find(|r| r[1] == "Z999").unwrap();
    assert_eq!(z[0], "7");
    assert!(z.last().unwrap().contains("no customer has this code"), "{z:?}");
    let vi = e.dir.path().join("loi.xlsx");
    import::error_report(&e.store, &admin, &path, &strict(), Language::Vi, &vi).await.unwrap();
    let reader = import::read::open(&vi).unwrap();
    assert_eq!(reader.sheet().headers.last().map(String::as_str), Some("Lỗi"));
}

#[tokio::test]
async fn vietnamese_template_and_cancel() {
    let e = env().await;
    let admin = e.admin.clone();
    let a = customer(&e, "A001", &[], &[]).await;
    let headers = template_headers(&e, Language::Vi).await;
    let rows: Vec<Vec<V>> = (0..12_000)
        .map(|i| {
            vec![
                V::T("A001"),
                V::T("Thăm khách hàng"),
                V::S(format!("Lần {i}")),
                V::D(dt("2024-01-01 08:00")),
                V::Blank,
                V::Blank,
            ]
        })
        .collect();
    let path = e.dir.path().join("mau.xlsx");
    write_xlsx(&path, &headers, &rows);
    // Cancelled while writing: nothing stays.
    let err =
        import::run(&e.store, &admin, &path, &care(), &mut |p| p.phase != import::ImportPhase::Writing || p.done == 0)
            .await
            .unwrap_err();
    assert_eq!(err.code(), "operation.cancelled");
    assert_eq!(count(&e, "SELECT count(*) FROM care_activities").await, 0);
    assert_eq!(count(&e, "SELECT count(*) FROM import_batches").await, 0);
    assert_eq!(last_contact(&e, a.id).await, None);
    let r = run(&e, &admin, &path, &care()).await;
    assert_eq!(r.created, 12_000);
    assert_eq!(records(&e, a.id).await[0].1, "Visit");
}

#[tokio::test]
async fn a_hundred_thousand_rows() {
    let e = env().await;
    let admin = e.admin.clone();
    let inputs: Vec<CustomerInput> = (0..10_000)
        .map(|i| CustomerInput {
            name: format!("Khách {i}"),
            code: Some(format!("C{i:05}")),
            phones: vec![format!("09{i:08}")],
            ..Default::default()
        })
        .collect();
    customers::create_many(&e.store, &admin, inputs.into_iter(), &mut |_| {}).await.unwrap();
    let mut csv = String::from("Customer Code,Activity Type,Title,Done At,Outcome\n");
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    for i in 0..100_000u32 {
        let customer = if i % 2 == 0 { format!("C{:05}", i % 10_000) } else { format!("+849{:08}", i % 10_000) };
        let day = start.checked_add_days(Days::new(u64::from(i % 300))).unwrap();
        csv.push_str(&format!("{customer},Call,Call {i},{} 09:{:02},ok\n", day.format("%d/%m/%Y"), i % 60));
    }
    let path = e.dir.path().join("big.csv");
    std::fs::write(&path, csv).unwrap();
    let t = std::time::Instant::now();
    let r = run(&e, &admin, &path, &care()).await;
    eprintln!("100k follow-up rows imported in {:.1} s", t.elapsed().as_secs_f64());
    assert_eq!((r.rows, r.valid, r.created), (100_000, 100_000, 100_000));
    assert_eq!(count(&e, "SELECT count(*) FROM care_activities WHERE state = 'done'").await, 100_000);
    assert_eq!(count(&e, "SELECT count(*) FROM customers WHERE last_contact_at IS NULL").await, 0);
    let r = import::revert(&e.store, &admin, r.batch_id.unwrap()).await.unwrap();
    assert!(r.reverted_at.is_some());
    assert_eq!(count(&e, "SELECT count(*) FROM care_activities").await, 0);
}
