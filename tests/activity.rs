#![allow(clippy::unwrap_used, reason = "tests")]
//! The administrator's activity log across customers; the pool's automatic return, run with a
//! clock the test controls; the default list without inactive customers and its O(1) count; the
//! list's last contact (column, order, filter).

mod common;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use clientele::actor::{Actor, Role};
use clientele::customers::{self, ActiveFilter, CustomerFilter, ListQuery, Selection, SortField};
use clientele::history::{self, ActivityFilter, ActivityPage};
use clientele::ownership;
use clientele::staff::{self, NewStaff};
use common::*;

async fn member(e: &Env, name: &str, role: Role) -> Actor {
    let s = staff::add(
        &e.store,
        &e.admin,
        NewStaff { name: name.into(), email: format!("{}@example.com", name.to_lowercase()), password: None, role },
    )
    .await
    .unwrap();
    staff::sign_in(&e.store, s.id, None).await.unwrap()
}

async fn sql(e: &Env, statement: &str) {
    sqlx::query(sqlx::AssertSqlSafe(statement.to_owned())).execute(e.store.pool()).await.unwrap();
}

/// Every entry the log gives for `filter`, page by page (pages of `limit`).
async fn whole_log(e: &Env, filter: &ActivityFilter, limit: u32) -> Vec<history::ActivityEntry> {
    let mut out = Vec::new();
    let mut before = None;
    loop {
        let ActivityPage { entries, next } =
            history::activity_log(&e.store, &e.admin, filter, before, limit).await.unwrap();
        assert!(entries.len() <= limit as usize);
        out.extend(entries);
        match next {
            Some(id) => before = Some(id),
            None => break,
        }
    }
    out
}

#[tokio::test]
async fn the_activity_log_is_for_administrators_and_filters_by_staff_action_and_day() {
    let e = env().await;
    let manager = member(&e, "Manager", Role::Manager).await;
    let clerk = member(&e, "Clerk", Role::Staff).await;
    let a = customers::create(&e.store, &clerk, person("Khách A")).await.unwrap();
    let b = customers::create(&e.store, &clerk, person("Khách B")).await.unwrap();
    ownership::transfer(&e.store, &clerk, &[a.id], manager.staff_id, Some("nghỉ phép"), false).await.unwrap();
    ownership::set_locked(&e.store, &manager, &[a.id], true).await.unwrap();
    ownership::release(&e.store, &clerk, &[b.id], None).await.unwrap();
    ownership::set_approval_required(&e.store, &e.admin, true).await.unwrap();
    let gone = e.add(person("Đã xoá")).await;
    customers::delete(&e.store, &e.admin, &Selection::Ids { ids: vec![gone.id] }).await.unwrap();
    customers::purge(&e.store, &e.admin, &[gone.id]).await.unwrap();

    // Administrators only.
    for who in [&manager, &clerk] {
        let err = history::activity_log(&e.store, who, &ActivityFilter::default(), None, 10).await.unwrap_err();
        assert_eq!(err.code(), "permission.denied");
        assert_eq!(history::activity_actions(&e.store, who).await.unwrap_err().code(), "permission.denied");
    }

    // Everything, newest first, across pages that neither repeat nor skip an entry.
    let all = whole_log(&e, &ActivityFilter::default(), 3).await;
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM history").fetch_one(e.store.pool()).await.unwrap();
    assert_eq!(all.len() as i64, total);
    assert!(all.windows(2).all(|w| w[0].entry.id > w[1].entry.id));
    // Entries about a customer carry its code and name while it exists; others do not.
    let transfer = all.iter().find(|x| x.entry.action == "transfer").unwrap();
    assert_eq!(transfer.entry.entity_id, a.id);
    assert_eq!(transfer.customer_code.as_deref(), Some(a.code.as_str()));
    assert_eq!(transfer.customer_name.as_deref(), Some("Khách A"));
    assert_eq!(transfer.entry.actor_name.as_deref(), Some("Clerk"));
    assert!(transfer.entry.changes.iter().any(|c| c.field == "reason" && c.after == "nghỉ phép"));
    let setting = all.iter().find(|x| x.entry.entity == "settings").unwrap();
    assert_eq!((setting.customer_code.as_ref(), setting.entry.actor_id), (None, Some(e.admin.staff_id)));
    let purged = all.iter().find(|x| x.entry.action == "purge").unwrap();
    assert_eq!(purged.customer_code, None);

    // By staff member, by action, both.
    let by_clerk = whole_log(&e, &ActivityFilter { staff_id: Some(clerk.staff_id), ..Default::default() }, 2).await;
    let actions: Vec<&str> = by_clerk.iter().map(|x| x.entry.action.as_str()).collect();
    assert_eq!(actions, ["release", "transfer", "create", "create"]);
    let creates = ActivityFilter { action: Some("create".into()), ..Default::default() };
    let created: Vec<i64> = whole_log(&e, &creates, 50).await.iter().map(|x| x.entry.entity_id).collect();
    assert!(created.contains(&a.id) && created.contains(&b.id) && created.contains(&gone.id));
    let both =
        ActivityFilter { staff_id: Some(clerk.staff_id), action: Some(" transfer ".into()), ..Default::default() };
    assert_eq!(whole_log(&e, &both, 50).await.len(), 1);
    let nobody = ActivityFilter { action: Some("no.such.action".into()), ..Default::default() };
    assert!(whole_log(&e, &nobody, 50).await.is_empty());

    // The actions the filter offers: each once, in order.
    let offered = history::activity_actions(&e.store, &e.admin).await.unwrap();
    for action in ["create", "delete", "lock", "purge", "release", "transfer", "update"] {
        assert!(offered.iter().any(|o| o == action), "{action} in {offered:?}");
    }
    assert!(offered.windows(2).all(|w| w[0] < w[1]));

    // Days: spread the entries one a day from 2024-03-01, 20:00 UTC (03:00 the next day in
    // Hanoi), in id order, as they were written.
    sql(
        &e,
        "UPDATE history SET at = strftime('%Y-%m-%dT20:00:00+00:00', '2024-03-01', \
         '+' || (SELECT count(*) FROM history h2 WHERE h2.id < history.id) || ' days')",
    )
    .await;
    let day = |d| NaiveDate::from_ymd_opt(2024, 3, d);
    let ids = |entries: Vec<history::ActivityEntry>| entries.iter().map(|x| x.entry.id).collect::<Vec<_>>();
    let ordered: Vec<i64> = ids(whole_log(&e, &ActivityFilter::default(), 50).await).into_iter().rev().collect();
    let utc = whole_log(&e, &ActivityFilter { from: day(3), to: day(5), ..Default::default() }, 2).await;
    assert_eq!(ids(utc), [ordered[4], ordered[3], ordered[2]]);
    let hanoi = ActivityFilter { from: day(3), to: day(5), tz: Some("Asia/Ho_Chi_Minh".into()), ..Default::default() };
    assert_eq!(ids(whole_log(&e, &hanoi, 2).await), [ordered[3], ordered[2], ordered[1]]);
    let from_only = whole_log(&e, &ActivityFilter { from: day(3), ..Default::default() }, 50).await;
    assert_eq!(from_only.len(), ordered.len() - 2);
    let to_only = whole_log(&e, &ActivityFilter { to: day(1), ..Default::default() }, 50).await;
    assert_eq!(ids(to_only), [ordered[0]]);
    let clerk_days = ActivityFilter { staff_id: Some(clerk.staff_id), from: day(1), to: day(8), ..Default::default() };
    let oldest: Vec<history::ActivityEntry> =
        whole_log(&e, &ActivityFilter::default(), 50).await.into_iter().rev().collect();
    let mut of_clerk: Vec<i64> =
        oldest[..8].iter().filter(|x| x.entry.actor_id == Some(clerk.staff_id)).map(|x| x.entry.id).collect();
    of_clerk.reverse();
    assert!(!of_clerk.is_empty());
    assert_eq!(ids(whole_log(&e, &clerk_days, 1).await), of_clerk);
    let none = ActivityFilter { from: day(20), to: day(10), ..Default::default() };
    assert!(whole_log(&e, &none, 50).await.is_empty());
    let later = ActivityFilter { from: NaiveDate::from_ymd_opt(2030, 1, 1), ..Default::default() };
    assert!(whole_log(&e, &later, 50).await.is_empty());
    let bad = ActivityFilter { tz: Some("Mars/Olympus".into()), ..Default::default() };
    let err = history::activity_log(&e.store, &e.admin, &bad, None, 10).await.unwrap_err();
    assert_eq!(err.code(), "input.invalid");
}

/// `now` for the pool tests: a fixed instant, and times before it.
fn at(days_ago: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2031, 6, 15, 9, 0, 0).unwrap() - Duration::days(days_ago)
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339()
}

#[tokio::test]
async fn the_pool_takes_back_customers_nobody_contacted_for_n_days() {
    let e = env().await;
    let manager = member(&e, "Manager", Role::Manager).await;
    let clerk = member(&e, "Clerk", Role::Staff).await;
    let now = at(0);

    // Off by default.
    assert_eq!(ownership::pool_return_days(&e.store).await.unwrap(), None);
    let old = customers::create(&e.store, &clerk, person("Cũ")).await.unwrap();
    sql(&e, &format!("UPDATE customers SET created_at = '{}'", stamp(at(400)))).await;
    assert_eq!(ownership::auto_return(&e.store, now).await.unwrap(), 0);

    // Only administrators change the rule; days from 1 to 3650.
    for who in [&manager, &clerk] {
        let err = ownership::set_pool_return_days(&e.store, who, Some(30)).await.unwrap_err();
        assert_eq!(err.code(), "permission.denied");
    }
    for days in [0, 3651] {
        let err = ownership::set_pool_return_days(&e.store, &e.admin, Some(days)).await.unwrap_err();
        assert_eq!(err.code(), "input.invalid");
    }
    ownership::set_pool_return_days(&e.store, &e.admin, Some(30)).await.unwrap();
    assert_eq!(ownership::pool_return_days(&e.store).await.unwrap(), Some(30));

    // (name, created, claimed, last contact, then) → returned?
    let mk = |name: &'static str| {
        let (e, clerk) = (&e, &clerk);
        async move { customers::create(&e.store, clerk, person(name)).await.unwrap().id }
    };
    let never = mk("Chưa liên hệ").await;
    let stale = mk("Lâu rồi").await;
    let recent = mk("Mới liên hệ").await;
    let claimed = mk("Mới nhận").await;
    let new = mk("Mới tạo").await;
    let edge = mk("Vừa đủ").await;
    let locked = mk("Khoá").await;
    let inactive = mk("Ngừng").await;
    let trashed = mk("Thùng rác").await;
    let pending = mk("Chờ duyệt").await;
    let pooled = mk("Trong pool").await;
    let set = |id: i64, column: &'static str, t: DateTime<Utc>| {
        let e = &e;
        async move { sql(e, &format!("UPDATE customers SET {column} = '{}' WHERE id = {id}", stamp(t))).await }
    };
    for id in [never, stale, recent, claimed, edge, locked, inactive, trashed, pending, pooled] {
        set(id, "created_at", at(100)).await;
    }
    set(new, "created_at", at(5)).await;
    set(stale, "last_contact_at", at(40)).await;
    set(recent, "last_contact_at", at(10)).await;
    // Claimed from the pool five days ago, after a contact long before: it has had five days.
    set(claimed, "last_contact_at", at(60)).await;
    set(claimed, "claimed_at", at(5)).await;
    // Exactly 30 days: not yet.
    set(edge, "last_contact_at", at(30)).await;
    ownership::set_locked(&e.store, &clerk, &[locked], true).await.unwrap();
    ownership::set_active(&e.store, &clerk, &[inactive], false).await.unwrap();
    customers::delete(&e.store, &clerk, &Selection::Ids { ids: vec![trashed] }).await.unwrap();
    sql(&e, &format!("UPDATE customers SET approval = 'pending' WHERE id = {pending}")).await;
    ownership::release(&e.store, &clerk, &[pooled], None).await.unwrap();
    let history_len = |id: i64| {
        let e = &e;
        async move { history::for_entity(&e.store, &e.admin, "customer", id, None, 500).await.unwrap() }
    };
    let pooled_history = history_len(pooled).await.len();

    assert_eq!(ownership::auto_return(&e.store, now).await.unwrap(), 3);
    let in_pool = |id: i64| {
        let e = &e;
        async move { customers::get(&e.store, &e.admin, id).await.unwrap() }
    };
    for id in [old.id, never, stale] {
        let c = in_pool(id).await;
        assert!(c.in_pool && c.owner_id.is_none(), "{} returned", c.name);
        assert_eq!(c.updated_by, None);
        let h = history_len(id).await;
        assert_eq!(h[0].action, "pool.auto_return");
        assert_eq!((h[0].actor_id, h[0].at), (None, now));
        assert!(h[0].changes.iter().any(|c| c.field == "owner_id" && c.before == clerk.staff_id && c.after.is_null()));
        assert!(h[0].changes.iter().any(|c| c.field == "pool_return_days" && c.after == 30));
        assert_eq!(h.iter().filter(|x| x.action == "pool.auto_return").count(), 1);
    }
    for id in [recent, claimed, new, edge, locked, inactive, trashed, pending] {
        let c = in_pool(id).await;
        assert!(!c.in_pool && c.owner_id == Some(clerk.staff_id), "{} kept", c.name);
        assert!(history_len(id).await.iter().all(|x| x.action != "pool.auto_return"));
    }
    assert_eq!(history_len(pooled).await.len(), pooled_history);
    // The pool's view and badge show them; they can be claimed again.
    let pool = CustomerFilter { in_pool: Some(true), ..Default::default() };
    assert_eq!(customers::count(&e.store, &clerk, "", &pool, false).await.unwrap(), 4);
    assert_eq!(ownership::counts(&e.store, &clerk).await.unwrap().pool, 4);

    // Idempotent: the same clock again moves nothing and writes nothing.
    let entries: i64 = sqlx::query_scalar("SELECT count(*) FROM history").fetch_one(e.store.pool()).await.unwrap();
    assert_eq!(ownership::auto_return(&e.store, now).await.unwrap(), 0);
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM history").fetch_one(e.store.pool()).await.unwrap();
    assert_eq!(after, entries);

    // A claim starts the clock again; a day past 30 days the edge case goes too.
    ownership::claim(&e.store, &clerk, &[never]).await.unwrap();
    sql(&e, &format!("UPDATE customers SET claimed_at = '{}' WHERE id = {never}", stamp(at(1)))).await;
    assert_eq!(ownership::auto_return(&e.store, at(-1)).await.unwrap(), 1);
    assert!(in_pool(edge).await.in_pool);
    assert!(!in_pool(never).await.in_pool);

    // The log shows the automatic returns, written by nobody.
    let returns = ActivityFilter { action: Some("pool.auto_return".into()), ..Default::default() };
    let log = whole_log(&e, &returns, 10).await;
    assert_eq!(log.len(), 4);
    assert!(log.iter().all(|x| x.entry.actor_id.is_none() && x.entry.actor_name.is_none()));
    assert_eq!(log[0].customer_name.as_deref(), Some("Vừa đủ"));

    // Off again: nothing more goes.
    ownership::set_pool_return_days(&e.store, &e.admin, None).await.unwrap();
    assert_eq!(ownership::pool_return_days(&e.store).await.unwrap(), None);
    assert_eq!(ownership::auto_return(&e.store, at(-400)).await.unwrap(), 0);
    let changes = whole_log(&e, &ActivityFilter { action: Some("update".into()), ..Default::default() }, 10).await;
    let rule: Vec<_> =
        changes.iter().flat_map(|x| &x.entry.changes).filter(|c| c.field == "pool_return_days").collect();
    assert_eq!(rule.len(), 2);
    assert_eq!((&rule[0].before, &rule[0].after), (&serde_json::json!(30), &serde_json::Value::Null));
}

/// The default list's count is the live count less the inactive one, kept by triggers through
/// every path that changes either.
#[tokio::test]
async fn the_default_count_keeps_up_with_inactive_customers() {
    let e = env().await;
    let real = |e: &Env| {
        let pool = e.store.pool().clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT count(*) FROM customers WHERE deleted_at IS NULL AND active = 1")
                .fetch_one(&pool)
                .await
                .unwrap() as u64
        }
    };
    let mut ids = Vec::new();
    for i in 0..12 {
        ids.push(e.add(person(&format!("Khách {i:02}"))).await.id);
    }
    let check = |label: &'static str| {
        let e = &e;
        async move {
            assert_eq!(e.count("").await, real(e).await, "{label}");
            let page =
                customers::list(&e.store, &e.admin, &ListQuery { limit: 100, ..Default::default() }).await.unwrap();
            assert_eq!(page.rows.len() as u64, real(e).await, "{label}");
            assert!(page.rows.iter().all(|r| r.active));
        }
    };
    check("created").await;
    ownership::set_active(&e.store, &e.admin, &ids[..5], false).await.unwrap();
    check("deactivated").await;
    customers::delete(&e.store, &e.admin, &Selection::Ids { ids: ids[3..7].to_vec() }).await.unwrap();
    check("trashed").await;
    customers::restore(&e.store, &e.admin, &[ids[3], ids[5]]).await.unwrap();
    check("restored").await;
    customers::delete(&e.store, &e.admin, &Selection::Ids { ids: vec![ids[0]] }).await.unwrap();
    customers::purge(&e.store, &e.admin, &[ids[0], ids[4]]).await.unwrap();
    check("purged").await;
    ownership::set_active(&e.store, &e.admin, &[ids[1], ids[2]], true).await.unwrap();
    check("activated").await;
    assert_eq!(e.count("").await, 8);
    let all = CustomerFilter { active: Some(ActiveFilter::All), ..Default::default() };
    assert_eq!(customers::count(&e.store, &e.admin, "", &all, false).await.unwrap(), 9);
}

#[tokio::test]
async fn the_list_shows_sorts_and_filters_by_last_contact() {
    let e = env().await;
    let owner = member(&e, "Owner", Role::Staff).await;
    let other = member(&e, "Other", Role::Staff).await;
    let mut made = Vec::new();
    for i in 0..30 {
        made.push(customers::create(&e.store, &owner, person(&format!("Khách {i:02}"))).await.unwrap().id);
    }
    // Every third never contacted; the others over 60 days, two by two at the same time.
    let now = Utc::now();
    let mut contact = std::collections::HashMap::new();
    for (i, id) in made.iter().enumerate() {
        if i % 3 == 0 {
            continue;
        }
        let t = (now - Duration::days((i as i64 / 2) * 4) - Duration::hours(1)).to_rfc3339();
        sql(&e, &format!("UPDATE customers SET last_contact_at = '{t}' WHERE id = {id}")).await;
        contact.insert(*id, t);
    }
    ownership::set_active(&e.store, &owner, &[made[1], made[3]], false).await.unwrap();
    let key = |id: &i64| contact.get(id).cloned().unwrap_or_default();
    let expect = |ids: Vec<i64>, desc: bool| {
        let mut ids = ids;
        ids.sort_by_key(|id| (key(id), *id));
        if desc {
            ids.reverse();
        }
        ids
    };
    let active: Vec<i64> = made.iter().copied().filter(|id| *id != made[1] && *id != made[3]).collect();
    for desc in [false, true] {
        let q = ListQuery { sort: SortField::LastContact, desc, limit: 4, ..Default::default() };
        let got = e.all(q.clone()).await;
        let names: Vec<String> = expect(active.clone(), desc)
            .iter()
            .map(|id| format!("Khách {:02}", made.iter().position(|m| m == id).unwrap()))
            .collect();
        assert_eq!(got, names, "desc={desc}");
        // A jump lands where paging does.
        let page = customers::list(&e.store, &e.admin, &ListQuery { offset: Some(9), ..q.clone() }).await.unwrap();
        assert_eq!(page.rows.iter().map(|r| r.name.clone()).collect::<Vec<_>>(), names[9..13]);
    }
    // Never contacted first (ascending), with the time on the row.
    let first = customers::list(
        &e.store,
        &e.admin,
        &ListQuery { sort: SortField::LastContact, limit: 30, ..Default::default() },
    )
    .await
    .unwrap();
    assert!(first.rows[0].last_contact_at.is_none());
    let last = first.rows.last().unwrap();
    assert_eq!(last.last_contact_at.map(|t| t.to_rfc3339()), Some(key(&last.id)));

    // Not contacted for 20 days: never contacted, or last contacted before then.
    let cutoff = (now - Duration::days(20)).to_rfc3339();
    let stale =
        |ids: &[i64]| ids.iter().copied().filter(|id| key(id).is_empty() || key(id) < cutoff).collect::<Vec<_>>();
    let f = CustomerFilter { not_contacted_days: Some(20), ..Default::default() };
    let q = ListQuery { sort: SortField::LastContact, filter: f.clone(), limit: 100, ..Default::default() };
    let got: Vec<i64> = customers::list(&e.store, &e.admin, &q).await.unwrap().rows.iter().map(|r| r.id).collect();
    assert_eq!(got, expect(stale(&active), false));
    assert_eq!(customers::count(&e.store, &e.admin, "", &f, false).await.unwrap(), got.len() as u64);
    let everyone = CustomerFilter { active: Some(ActiveFilter::All), ..f.clone() };
    assert_eq!(customers::count(&e.store, &e.admin, "", &everyone, false).await.unwrap(), stale(&made).len() as u64);
    let searched = customers::count(&e.store, &e.admin, "khach", &f, false).await.unwrap();
    assert_eq!(searched, got.len() as u64);

    // A filter saved in a view keeps the days.
    let json = serde_json::to_value(&f).unwrap();
    assert_eq!(json["not_contacted_days"], 20);
    assert_eq!(serde_json::from_value::<CustomerFilter>(json).unwrap(), f);

    // A locked customer's last contact is a detail other staff do not see.
    ownership::set_locked(&e.store, &owner, &[made[2]], true).await.unwrap();
    let seen =
        customers::list(&e.store, &other, &ListQuery { search: "khach 02".into(), limit: 5, ..Default::default() })
            .await
            .unwrap();
    assert_eq!(seen.rows[0].id, made[2]);
    assert_eq!(seen.rows[0].last_contact_at, None);
    let own =
        customers::list(&e.store, &owner, &ListQuery { search: "khach 02".into(), limit: 5, ..Default::default() })
            .await
            .unwrap();
    assert!(own.rows[0].last_contact_at.is_some());
}

/// An export of the current list holds the list's rows in the list's order: inactive customers
/// only when asked, the pool and approval views, not contacted for N days, last-contact order.
#[tokio::test]
async fn exports_of_the_list_follow_its_activity_and_last_contact() {
    use clientele::export::{ExportColumn, ExportFormat, ExportRequest, ExportSource, export};
    use clientele::settings::Language;
    let e = env().await;
    let inputs = (0..1_500).map(|i| person(&format!("Khách {}", ["Ánh", "Bình", "Zoe"][i % 3])));
    customers::create_many(&e.store, &e.admin, inputs, &mut |_| {}).await.unwrap();
    sql(
        &e,
        "UPDATE customers SET active = (id % 7 <> 3), in_pool = (id % 11 = 4), \
             last_contact_at = CASE WHEN id % 4 = 0 THEN NULL ELSE \
             strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '-' || (id % 50) || ' days', '-' || (id % 3) || ' hours') END",
    )
    .await;
    let path = e.dir.path().join("list.csv");
    let filters = [
        CustomerFilter::default(),
        CustomerFilter { active: Some(ActiveFilter::All), ..Default::default() },
        CustomerFilter { active: Some(ActiveFilter::Inactive), ..Default::default() },
        CustomerFilter { in_pool: Some(true), ..Default::default() },
        CustomerFilter { not_contacted_days: Some(20), ..Default::default() },
        CustomerFilter { not_contacted_days: Some(20), active: Some(ActiveFilter::All), ..Default::default() },
    ];
    for filter in filters {
        for (sort, desc) in [(SortField::Name, false), (SortField::LastContact, false), (SortField::LastContact, true)]
        {
            let q = ListQuery { sort, desc, filter: filter.clone(), limit: 500, ..Default::default() };
            let req = ExportRequest {
                source: ExportSource::Query(q.clone()),
                columns: vec![ExportColumn::CustomerCode],
                format: ExportFormat::Csv,
                language: Language::En,
            };
            let report = export(&e.store, &e.admin, &req, &path, &mut |_, _| true).await.unwrap();
            let bytes = std::fs::read(&path).unwrap();
            let mut r = csv::ReaderBuilder::new().has_headers(true).from_reader(&bytes[3..]);
            let exported: Vec<String> = r.records().map(|rec| rec.unwrap()[0].to_owned()).collect();
            let mut listed = Vec::new();
            let mut page_q = q;
            loop {
                let page = customers::list(&e.store, &e.admin, &page_q).await.unwrap();
                listed.extend(page.rows.iter().map(|r| r.code.clone()));
                match page.next {
                    Some(c) => page_q.after = Some(c),
                    None => break,
                }
            }
            let count = customers::count(&e.store, &e.admin, "", &filter, false).await.unwrap();
            assert_eq!(listed.len() as u64, count, "{filter:?}");
            assert_eq!(report.rows, count, "{filter:?}");
            assert_eq!(exported, listed, "{sort:?} desc={desc} {filter:?}");
        }
    }
    // "Select all matching" exports what the list shows, too.
    let sel = Selection::Matching { search: "binh".into(), filter: CustomerFilter::default(), except: vec![] };
    let req = ExportRequest {
        source: ExportSource::Selection(sel),
        columns: vec![ExportColumn::CustomerCode],
        format: ExportFormat::Csv,
        language: Language::En,
    };
    let report = export(&e.store, &e.admin, &req, &path, &mut |_, _| true).await.unwrap();
    assert_eq!(
        report.rows,
        customers::count(&e.store, &e.admin, "binh", &CustomerFilter::default(), false).await.unwrap()
    );
}

/// The word and phone indexes hold live active customers only, through every change of either
/// (deactivate, trash, restore, purge, activate, rename): the default list's searches read them
/// alone; "inactive" and "all" find the inactive customers by their rows.
#[tokio::test]
async fn searches_find_inactive_customers_only_when_asked() {
    let e = env().await;
    let mut ids = Vec::new();
    for i in 0..12 {
        ids.push(e.add(with_phone(&format!("Phan Thị {i:02}"), &format!("09137{i:05}"))).await.id);
    }
    let all = CustomerFilter { active: Some(ActiveFilter::All), ..Default::default() };
    let inactive = CustomerFilter { active: Some(ActiveFilter::Inactive), ..Default::default() };
    let found = |search: &'static str, filter: CustomerFilter, sort: SortField| {
        let e = &e;
        async move {
            let mut got = Vec::new();
            let mut q =
                ListQuery { search: search.into(), filter: filter.clone(), sort, limit: 5, ..Default::default() };
            loop {
                let page = customers::list(&e.store, &e.admin, &q).await.unwrap();
                got.extend(page.rows.iter().map(|r| r.id));
                match page.next {
                    Some(c) => q.after = Some(c),
                    None => break,
                }
            }
            let n = customers::count(&e.store, &e.admin, search, &filter, false).await.unwrap();
            assert_eq!(n as usize, got.len(), "count of {search:?} {filter:?}");
            // A jump lands among the same rows.
            let jump = ListQuery { offset: Some(2), after: None, ..q.clone() };
            let jumped = customers::list(&e.store, &e.admin, &jump).await.unwrap();
            let after_jump: Vec<i64> = jumped.rows.iter().map(|r| r.id).collect();
            if got.len() > 2 {
                assert_eq!(after_jump, got[2..got.len().min(7)], "jump in {search:?} {filter:?} {sort:?}");
            }
            got.sort();
            got
        }
    };
    let check = |label: &'static str, active: Vec<i64>, inactive_ids: Vec<i64>| {
        let (e, all, inactive) = (&e, all.clone(), inactive.clone());
        let _ = e;
        async move {
            let mut everyone: Vec<i64> = active.iter().chain(&inactive_ids).copied().collect();
            everyone.sort();
            for sort in [SortField::Name, SortField::Created] {
                for search in ["phan", "phan thi", "091370"] {
                    assert_eq!(found(search, CustomerFilter::default(), sort).await, active, "{label}: {search}");
                    assert_eq!(found(search, all.clone(), sort).await, everyone, "{label}: {search} all");
                    assert_eq!(found(search, inactive.clone(), sort).await, inactive_ids, "{label}: {search} inactive");
                }
            }
        }
    };
    let sorted = |mut v: Vec<i64>| {
        v.sort();
        v
    };
    check("all active", ids.clone(), vec![]).await;
    ownership::set_active(&e.store, &e.admin, &ids[..4], false).await.unwrap();
    check("four inactive", ids[4..].to_vec(), ids[..4].to_vec()).await;
    // Trash two inactive and two active ones, then bring back one of each.
    customers::delete(&e.store, &e.admin, &Selection::Ids { ids: vec![ids[0], ids[1], ids[4], ids[5]] }).await.unwrap();
    check("some trashed", ids[6..].to_vec(), ids[2..4].to_vec()).await;
    customers::restore(&e.store, &e.admin, &[ids[0], ids[4]]).await.unwrap();
    let active = sorted([&ids[4..5], &ids[6..]].concat());
    check("restored", active.clone(), sorted([&ids[0..1], &ids[2..4]].concat())).await;
    // Purge an inactive one from the trash; activate one; rename an inactive one.
    customers::purge(&e.store, &e.admin, &[ids[1]]).await.unwrap();
    ownership::set_active(&e.store, &e.admin, &[ids[2]], true).await.unwrap();
    let mut renamed = customers::get(&e.store, &e.admin, ids[3]).await.unwrap().to_input();
    renamed.name = "Phan Thị Mới Đổi".into();
    customers::update(&e.store, &e.admin, ids[3], renamed).await.unwrap();
    let active = sorted([&ids[2..3], &ids[4..5], &ids[6..]].concat());
    check("activated and renamed", active.clone(), vec![ids[0], ids[3]]).await;
    assert_eq!(found("moi doi", CustomerFilter::default(), SortField::Name).await, Vec::<i64>::new());
    assert_eq!(found("moi doi", all.clone(), SortField::Name).await, [ids[3]]);
    // Exports with a search follow the same lists.
    use clientele::export::{ExportColumn, ExportFormat, ExportRequest, ExportSource, export};
    let path = e.dir.path().join("search.csv");
    for (filter, expected) in
        [(CustomerFilter::default(), active.len()), (all.clone(), active.len() + 2), (inactive, 2)]
    {
        let q = ListQuery { search: "phan".into(), filter, ..Default::default() };
        let req = ExportRequest {
            source: ExportSource::Query(q),
            columns: vec![ExportColumn::CustomerCode],
            format: ExportFormat::Csv,
            language: clientele::settings::Language::En,
        };
        let report = export(&e.store, &e.admin, &req, &path, &mut |_, _| true).await.unwrap();
        assert_eq!(report.rows as usize, expected);
    }
}

/// A database from before the activity list (schema 5) with inactive and trashed customers:
/// after the upgrade, the default list and its count leave the inactive ones out, searches
/// included, and "all" still finds them.
#[tokio::test]
async fn upgrading_keeps_inactive_customers_findable_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let old = tempfile::tempdir().unwrap();
    for n in ["0001_init.sql", "0002_profile.sql", "0003_views.sql", "0004_ownership.sql", "0005_care.sql"] {
        let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(n);
        std::fs::copy(from, old.path().join(n)).unwrap();
    }
    {
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(dir.path().join(clientele::paths::DB_FILE))
            .create_if_missing(true)
            .foreign_keys(true);
        let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
        sqlx::migrate::Migrator::new(old.path()).await.unwrap().run(&pool).await.unwrap();
        let t = "2025-01-01T00:00:00+00:00";
        let mut script = format!(
            "INSERT INTO staff (id, name, email, email_key, role, created_at) VALUES (1, 'A', 'a@x.vn', 'a@x.vn', 'admin', '{t}');"
        );
        // Ten customers "Lý N" (phones 0988 00N): 3 and 7 inactive, 5 trashed, 7 also trashed.
        for i in 1..=10 {
            let active = i64::from(i != 3 && i != 7);
            let deleted = if i == 5 || i == 7 { format!("'{t}'") } else { "NULL".into() };
            script.push_str(&format!(
                "INSERT INTO customers (id, code, code_key, kind, name, name_key, name_pos, search_text, phones, \
                 phone_digits, active, deleted_at, created_at, updated_at) VALUES ({i}, 'KH{i}', 'kh{i}', 'individual', \
                 'Lý {i}', 'ly {i:02}', {pos}, 'ly {i} kh{i} 098800{i:04}', '[\"098800{i:04}\"]', '098800{i:04}', {active}, \
                 {deleted}, '{t}', '{t}');",
                pos = i * 1000
            ));
        }
        sqlx::query(sqlx::AssertSqlSafe(script)).execute(&pool).await.unwrap();
        pool.close().await;
    }
    let store = clientele::store::Store::open(dir.path()).await.unwrap();
    let admin = staff::sign_in(&store, 1, None).await.unwrap();
    let ids = |page: customers::Page| page.rows.iter().map(|r| r.id).collect::<Vec<_>>();
    let list = |search: &'static str, filter: CustomerFilter| {
        let (store, admin) = (&store, &admin);
        async move {
            let q = ListQuery {
                search: search.into(),
                filter: filter.clone(),
                limit: 50,
                sort: SortField::Created,
                ..Default::default()
            };
            let got = ids(customers::list(store, admin, &q).await.unwrap());
            assert_eq!(customers::count(store, admin, search, &filter, false).await.unwrap() as usize, got.len());
            got
        }
    };
    let all = CustomerFilter { active: Some(ActiveFilter::All), ..Default::default() };
    assert_eq!(list("", CustomerFilter::default()).await, [1, 2, 4, 6, 8, 9, 10]);
    assert_eq!(list("ly", CustomerFilter::default()).await, [1, 2, 4, 6, 8, 9, 10]);
    assert_eq!(list("0988000", CustomerFilter::default()).await, [1, 2, 4, 6, 8, 9, 10]);
    assert_eq!(list("ly", all.clone()).await, [1, 2, 3, 4, 6, 8, 9, 10]);
    assert_eq!(list("0988000", all).await, [1, 2, 3, 4, 6, 8, 9, 10]);
    let inactive = CustomerFilter { active: Some(ActiveFilter::Inactive), ..Default::default() };
    assert_eq!(list("ly 3", inactive).await, [3]);
    let counter: i64 = sqlx::query_scalar("SELECT value FROM counters WHERE name = 'customers.inactive'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(counter, 1);
    // Activating brings it back into the indexes.
    ownership::set_active(&store, &admin, &[3], true).await.unwrap();
    assert_eq!(list("ly 3", CustomerFilter::default()).await, [3]);
    assert_eq!(list("0988000003", CustomerFilter::default()).await, [3]);
}
