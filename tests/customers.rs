//! The customer aggregate: validation, codes, paging, trash, history, bulk creation.

mod common;
use clientele::customers::{self, CustomerInput, ListQuery, Selection, SortField};
use clientele::error::Error;
use common::*;

#[tokio::test]
async fn create_normalises_and_defaults_owner_and_code() {
    let e = env().await;
    let c = e
        .add(CustomerInput {
            name: "  Nguyễn\u{a0}Văn   An ".into(),
            phones: vec![" 0912.345.678 ".into(), "".into()],
            emails: vec![" An.Nguyen@Example.COM".into()],
            ..Default::default()
        })
        .await;
    assert_eq!(c.name, "Nguyễn Văn An");
    assert_eq!(c.code, "KH000001");
    assert_eq!(c.phones, vec!["0912.345.678"]);
    assert_eq!(c.emails, vec!["an.nguyen@example.com"]);
    assert_eq!(c.owner_id, Some(e.admin.staff_id));
    assert_eq!(c.owner_name.as_deref(), Some("Admin"));
    assert_eq!(e.add(person("B")).await.code, "KH000002");
    assert_eq!(customers::next_code(&e.store).await.unwrap(), "KH000003");
}

#[tokio::test]
async fn validation_errors_name_each_field() {
    let e = env().await;
    let err = customers::create(
        &e.store,
        &e.admin,
        CustomerInput { name: " ".into(), emails: vec!["ok@x.vn".into(), "not-an-email".into()], ..Default::default() },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "input.invalid");
    let body = err.body();
    let fields: Vec<_> = body.details.unwrap().fields.into_iter().map(|f| (f.field, f.code)).collect();
    assert!(fields.contains(&("name".into(), "required".into())));
    assert!(fields.contains(&("emails.1".into(), "invalid_email".into())));
    assert_eq!(e.count("").await, 0, "nothing written");
}

#[tokio::test]
async fn codes_are_unique_case_insensitively_and_generation_skips_taken() {
    let e = env().await;
    let mut given = person("Given");
    given.code = Some("KH000001".into());
    e.add(given).await;
    // The generator skips the code taken by hand.
    assert_eq!(e.add(person("Auto")).await.code, "KH000002");
    let mut dup = person("Dup");
    dup.code = Some("kh000002".into());
    let err = customers::create(&e.store, &e.admin, dup).await.unwrap_err();
    assert!(matches!(err, Error::CodeTaken(_)), "{err:?}");
    assert_eq!(err.code(), "customer.code_taken");
    // Editing to a taken code is refused; keeping one's own code is fine.
    let c = e.add(person("Third")).await;
    let mut input = c.to_input();
    input.code = Some("KH000001".into());
    assert_eq!(customers::update(&e.store, &e.admin, c.id, input).await.unwrap_err().code(), "customer.code_taken");
    let mut input = c.to_input();
    input.code = Some("VIP-01".into());
    assert_eq!(customers::update(&e.store, &e.admin, c.id, input).await.unwrap().code, "VIP-01");
    assert_eq!(customers::find(&e.store, &e.admin, "vip-01").await.unwrap().id, c.id);
    assert_eq!(customers::find(&e.store, &e.admin, &c.id.to_string()).await.unwrap().id, c.id);
    assert_eq!(customers::find(&e.store, &e.admin, "nope").await.unwrap_err().code(), "customer.not_found");
}

#[tokio::test]
async fn keyset_paging_with_ties_visits_every_row_once_in_every_order() {
    let e = env().await;
    // Many equal names (ties broken by id), mixed accents that fold alike.
    for i in 0..23 {
        let name = match i % 4 {
            0 => "Đặng An",
            1 => "Dang An",
            2 => "Bùi Bình",
            _ => "Zoe",
        };
        e.add(person(name)).await;
    }
    for sort in [SortField::Name, SortField::Code, SortField::Created, SortField::LastContact] {
        for desc in [false, true] {
            for limit in [1, 5, 7, 23, 100] {
                let mut q = q(sort, desc, limit);
                let mut ids = Vec::new();
                let mut keys: Vec<(String, i64)> = Vec::new();
                loop {
                    let page = customers::list(&e.store, &e.admin, &q).await.unwrap();
                    assert!(page.rows.len() <= limit as usize);
                    for r in &page.rows {
                        ids.push(r.id);
                        let key = match sort {
                            SortField::Name => clientele::text::fold(&r.name),
                            SortField::Code => clientele::text::fold(&r.code),
                            SortField::Created => String::new(),
                            // Nobody was contacted: every key is "never" (''), then id order.
                            SortField::LastContact => r.last_contact_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                        };
                        keys.push((key, r.id));
                    }
                    match page.next {
                        Some(c) => q.after = Some(c),
                        None => break,
                    }
                }
                let mut unique = ids.clone();
                unique.sort();
                unique.dedup();
                assert_eq!(unique.len(), 23, "{sort:?} desc={desc} limit={limit}");
                assert_eq!(ids.len(), 23);
                let mut sorted = keys.clone();
                sorted.sort();
                if desc {
                    sorted.reverse();
                }
                assert_eq!(keys, sorted, "{sort:?} desc={desc} limit={limit}");
            }
        }
    }
}

#[tokio::test]
async fn offset_jump_lands_on_the_same_rows_as_paging() {
    let e = env().await;
    for i in 0..40 {
        e.add(person(&format!("Name {:02}", i % 13))).await;
    }
    let all = e.all(q(SortField::Name, false, 100)).await;
    for offset in [0u32, 1, 12, 13, 39] {
        let page =
            customers::list(&e.store, &e.admin, &ListQuery { offset: Some(offset), limit: 5, ..Default::default() })
                .await
                .unwrap();
        let names: Vec<_> = page.rows.iter().map(|r| r.name.clone()).collect();
        let end = (offset as usize + 5).min(40);
        assert_eq!(names, all[offset as usize..end].to_vec(), "offset {offset}");
    }
    let past = customers::list(&e.store, &e.admin, &ListQuery { offset: Some(40), limit: 5, ..Default::default() })
        .await
        .unwrap();
    assert!(past.rows.is_empty() && past.next.is_none());
}

#[tokio::test]
async fn trash_restore_purge_and_counts() {
    let e = env().await;
    let a = e.add(person("Alpha")).await;
    let b = e.add(person("Beta")).await;
    let c = e.add(person("Gamma")).await;
    let n = customers::delete(&e.store, &e.admin, &Selection::Ids { ids: vec![a.id, b.id, a.id] }).await.unwrap();
    assert_eq!(n, 2);
    assert_eq!(e.count("").await, 1);
    assert_eq!(customers::count(&e.store, &e.admin, "", &Default::default(), true).await.unwrap(), 2);
    let trash = e.all(ListQuery { trash: true, limit: 10, ..Default::default() }).await;
    assert_eq!(trash, vec!["Alpha", "Beta"]);
    let trash = e.all(ListQuery { trash: true, search: "bet".into(), limit: 10, ..Default::default() }).await;
    assert_eq!(trash, vec!["Beta"]);
    // A trashed customer cannot be edited; a live one cannot be purged.
    assert_eq!(
        customers::update(&e.store, &e.admin, a.id, a.to_input()).await.unwrap_err().code(),
        "customer.not_found"
    );
    assert!(customers::purge(&e.store, &e.admin, &[c.id]).await.is_err());
    assert_eq!(customers::restore(&e.store, &e.admin, &[a.id]).await.unwrap(), 1);
    assert_eq!(e.all(q(SortField::Name, false, 10)).await, vec!["Alpha", "Gamma"]);
    assert_eq!(customers::purge(&e.store, &e.admin, &[b.id]).await.unwrap(), 1);
    assert_eq!(customers::get(&e.store, &e.admin, b.id).await.unwrap_err().code(), "customer.not_found");
    assert_eq!(customers::count(&e.store, &e.admin, "", &Default::default(), true).await.unwrap(), 0);
    customers::delete(&e.store, &e.admin, &Selection::Ids { ids: vec![c.id] }).await.unwrap();
    assert_eq!(customers::empty_trash(&e.store, &e.admin).await.unwrap(), 1);
    let stats = customers::stats(&e.store).await.unwrap();
    assert_eq!((stats.customers, stats.in_trash), (1, 0));
}

#[tokio::test]
async fn select_all_matching_minus_exceptions() {
    let e = env().await;
    let keep = e.add(person("Nguyễn Keep")).await;
    e.add(person("Nguyễn One")).await;
    e.add(person("Nguyen Two")).await;
    e.add(person("Other")).await;
    let sel = Selection::Matching { search: "nguyen".into(), filter: Default::default(), except: vec![keep.id] };
    assert_eq!(customers::delete(&e.store, &e.admin, &sel).await.unwrap(), 2);
    assert_eq!(e.all(q(SortField::Name, false, 10)).await, vec!["Nguyễn Keep", "Other"]);
}

#[tokio::test]
async fn history_records_each_field_before_and_after() {
    let e = env().await;
    let c = e.add(with_phone("Lê Văn Tám", "0903 000 111")).await;
    let mut input = c.to_input();
    input.name = "Lê Văn Tâm".into();
    input.emails = vec!["tam@example.com".into()];
    input.phones = vec!["0903 000 111".into()];
    let updated = customers::update(&e.store, &e.admin, c.id, input.clone()).await.unwrap();
    // Saving the same values again writes no history.
    customers::update(&e.store, &e.admin, c.id, input).await.unwrap();
    customers::delete(&e.store, &e.admin, &Selection::Ids { ids: vec![c.id] }).await.unwrap();
    customers::restore(&e.store, &e.admin, &[c.id]).await.unwrap();

    let h = clientele::history::for_entity(&e.store, &e.admin, "customer", c.id, None, 50).await.unwrap();
    let actions: Vec<_> = h.iter().map(|x| x.action.as_str()).collect();
    assert_eq!(actions, vec!["restore", "delete", "update", "create"], "newest first");
    let upd = &h[2];
    assert_eq!(upd.actor_name.as_deref(), Some("Admin"));
    let fields: Vec<_> = upd.changes.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, vec!["name", "emails"]);
    assert_eq!(upd.changes[0].before, serde_json::json!("Lê Văn Tám"));
    assert_eq!(upd.changes[0].after, serde_json::json!("Lê Văn Tâm"));
    assert_eq!(upd.changes[1].before, serde_json::json!([]));
    assert_eq!(upd.at, updated.updated_at);
    let created = &h[3];
    assert!(created.changes.iter().any(|f| f.field == "phones" && f.after == serde_json::json!(["0903 000 111"])));
    // Paging through history.
    let older = clientele::history::for_entity(&e.store, &e.admin, "customer", c.id, Some(h[1].id), 50).await.unwrap();
    assert_eq!(older.len(), 2);
}

#[tokio::test]
async fn create_many_is_all_or_nothing() {
    let e = env().await;
    let rows = (0..450).map(|i| with_phone(&format!("Bulk {i}"), &format!("0912 000 {i:03}")));
    let mut seen = Vec::new();
    let n = customers::create_many(&e.store, &e.admin, rows, &mut |d| seen.push(d)).await.unwrap();
    assert_eq!(n, 450);
    assert_eq!(seen.last(), Some(&450));
    assert_eq!(e.count("").await, 450);
    assert_eq!(e.count("bulk").await, 450);
    assert_eq!(e.search_names("0912 000 449").await, vec!["Bulk 449"]);
    assert_eq!(customers::next_code(&e.store).await.unwrap(), "KH000451");
    let h = clientele::history::for_entity(&e.store, &e.admin, "customer", 450, None, 5).await.unwrap();
    assert_eq!(h[0].action, "create");

    // One bad row anywhere: nothing from this batch is written, and the row is named.
    let rows = (0..300).map(|i| if i == 250 { person("") } else { person(&format!("Second {i}")) });
    let err = customers::create_many(&e.store, &e.admin, rows, &mut |_| {}).await.unwrap_err();
    let fields = err.body().details.unwrap().fields;
    assert_eq!(fields[0].field, "rows.250.name");
    assert_eq!(e.count("").await, 450);
    assert_eq!(e.count("second").await, 0);
    assert_eq!(customers::next_code(&e.store).await.unwrap(), "KH000451");
}

#[tokio::test]
async fn broad_searches_walk_the_name_index() {
    // More matches than the materialisation limit: pages come from the name index.
    let e = env().await;
    let rows = (0..20_050).map(|i| person(&format!("Nguyễn {:05}", 20_050 - i)));
    customers::create_many(&e.store, &e.admin, rows, &mut |_| {}).await.unwrap();
    e.add(person("Zed Other")).await;
    assert_eq!(e.count("nguyen").await, 20_050);
    let page = customers::list(&e.store, &e.admin, &ListQuery { search: "ng".into(), limit: 3, ..Default::default() })
        .await
        .unwrap();
    let names: Vec<_> = page.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, vec!["Nguyễn 00001", "Nguyễn 00002", "Nguyễn 00003"]);
    let mut q2 = ListQuery { search: "ng".into(), limit: 3, desc: true, ..Default::default() };
    q2.after = None;
    let page = customers::list(&e.store, &e.admin, &q2).await.unwrap();
    assert_eq!(page.rows[0].name, "Nguyễn 20050");
}

#[tokio::test]
async fn create_many_after_everything_was_trashed_sorts_and_searches_by_name() {
    // The table is not empty (trashed rows keep their name positions), so new rows are placed
    // among them rather than numbered from scratch.
    let e = env().await;
    let old: Vec<i64> =
        [e.add(person("Mai")).await.id, e.add(person("Bình")).await.id, e.add(person("Xuân")).await.id].to_vec();
    customers::delete(&e.store, &e.admin, &Selection::Ids { ids: old.clone() }).await.unwrap();
    let rows = (0..30).map(|i| person(["Anh", "Mai", "Nam", "Yến", "Bình"][i % 5]));
    customers::create_many(&e.store, &e.admin, rows, &mut |_| {}).await.unwrap();
    let names = e.all(q(SortField::Name, false, 4)).await;
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| clientele::text::fold(n));
    assert_eq!(names, sorted);
    assert_eq!(names.len(), 30);
    assert_eq!(e.search_names("mai").await.len(), 6);
    customers::restore(&e.store, &e.admin, &old).await.unwrap();
    assert_eq!(e.search_names("mai").await.len(), 7);
    let page =
        customers::list(&e.store, &e.admin, &ListQuery { search: "binh".into(), limit: 3, ..Default::default() })
            .await
            .unwrap();
    // Ties in name order break by id: the restored (oldest) "Bình" comes first.
    assert_eq!(page.rows[0].id, old[1]);
    let yen = e.all(ListQuery { search: "yen".into(), limit: 4, desc: true, ..Default::default() }).await;
    assert_eq!(yen, vec!["Yến"; 6]);
    assert_eq!(e.count("yen").await, 6);
}

/// A bulk insert into an empty table sets triggers and indexes aside and puts them back (DDL,
/// inside its transaction). Every pool connection, including those that prepared statements on
/// the customers table before, must go on working after it: deleting and purging on each.
#[tokio::test]
async fn every_connection_works_after_a_bulk_insert_into_an_empty_table() {
    let e = env().await;
    for round in 0..3u64 {
        // Statements on the customers table in the cache of every pool connection.
        for i in 0..8 {
            let c = e.add(person(&format!("Warm {round} {i}"))).await;
            customers::delete(&e.store, &e.admin, &Selection::Ids { ids: vec![c.id] }).await.unwrap();
            let none = Default::default();
            let ids = [c.id];
            let (a, b, n) = tokio::join!(
                customers::count(&e.store, &e.admin, "", &none, true),
                customers::count(&e.store, &e.admin, "warm", &none, false),
                customers::purge(&e.store, &e.admin, &ids),
            );
            a.unwrap();
            b.unwrap();
            assert_eq!(n.unwrap(), 1);
        }
        let rows: Vec<CustomerInput> = clientele::demo::customers(200, round).collect();
        let made = customers::create_many(&e.store, &e.admin, rows.into_iter(), &mut |_| {}).await.unwrap();
        assert_eq!(made, 200);
        // The word index's bulk settings are its defaults again (a 1 MiB buffer, merging on).
        let config: Vec<(String, i64)> = sqlx::query_as(
            "SELECT k, v FROM customers_fts_config WHERE k IN ('hashsize', 'automerge', 'crisismerge') ORDER BY k",
        )
        .fetch_all(e.store.pool())
        .await
        .unwrap();
        assert_eq!(
            config,
            [("automerge".to_owned(), 4), ("crisismerge".to_owned(), 16), ("hashsize".to_owned(), 1024 * 1024)],
            "round {round}"
        );
        // Delete and purge every customer, one at a time, on whichever connection comes.
        let page = customers::list(&e.store, &e.admin, &q(SortField::Code, false, 500)).await.unwrap();
        for row in page.rows {
            customers::delete(&e.store, &e.admin, &Selection::Ids { ids: vec![row.id] }).await.unwrap();
            assert_eq!(customers::purge(&e.store, &e.admin, &[row.id]).await.unwrap(), 1, "round {round}");
        }
        assert_eq!(e.count("").await, 0);
    }
}
