#![allow(clippy::unwrap_used, reason = "tests")]
//! The care schedule: scheduling (also in the create transaction), completion and the next
//! step, reschedule and cancel with history, the Care view's groups, filters, keyset pages and
//! counts, the timeline, recurring rules, `last_contact_at`, time zones and DST, reminders,
//! follow-up records in bulk, permissions, and the migration of an existing database.

mod common;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use clientele::actor::{Actor, Role};
use clientele::care::{
    self, CareBucket, CareCounts, CareFilter, CareInput, CareRuleInput, CareScope, CareState, FollowUpRow, TimelineKind,
};
use clientele::catalogs::{self, CatalogKind};
use clientele::customers::{self, Customer, CustomerInput};
use clientele::history;
use clientele::settings;
use clientele::staff::{self, NewStaff};
use clientele::store::Store;
use clientele::{Error, text};
use common::*;

const NY: &str = "America/New_York";
const HCM: &str = "Asia/Ho_Chi_Minh";

fn local(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
}

fn at(zone: &str, s: &str) -> DateTime<Utc> {
    care::time::resolve(zone.parse::<Tz>().unwrap(), local(s))
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

async fn care_type(e: &Env, key: &str) -> i64 {
    catalogs::find(&e.store, CatalogKind::CareType, key).await.unwrap().id
}

async fn item(e: &Env, kind: CatalogKind, name: &str) -> i64 {
    catalogs::find(&e.store, kind, name).await.unwrap().id
}

async fn call(e: &Env, due: &str, tz: &str) -> CareInput {
    CareInput {
        type_id: care_type(e, "call").await,
        title: "Call back".into(),
        due: due.into(),
        tz: Some(tz.into()),
        ..Default::default()
    }
}

async fn add_staff(e: &Env, name: &str, email: &str, role: Role) -> Actor {
    let s = staff::add(&e.store, &e.admin, NewStaff { name: name.into(), email: email.into(), password: None, role })
        .await
        .unwrap();
    staff::sign_in(&e.store, s.id, None).await.unwrap()
}

async fn last_contact(e: &Env, id: i64) -> Option<String> {
    sqlx::query_scalar("SELECT last_contact_at FROM customers WHERE id = ?")
        .bind(id)
        .fetch_one(e.store.pool())
        .await
        .unwrap()
}

async fn activities(e: &Env) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM care_activities").fetch_one(e.store.pool()).await.unwrap()
}

/// Planned activities of a rule for a customer.
async fn planned_of_rule(e: &Env, rule: i64, customer: i64) -> Vec<(i64, String, String)> {
    sqlx::query_as(
        "SELECT id, due_local, due_at FROM care_activities WHERE rule_id = ? AND customer_id = ? AND state = 'planned'",
    )
    .bind(rule)
    .bind(customer)
    .fetch_all(e.store.pool())
    .await
    .unwrap()
}

fn everyone(tz: &str) -> CareFilter {
    CareFilter { scope: CareScope::Everyone, tz: Some(tz.into()), ..Default::default() }
}

fn field_codes(err: &Error) -> Vec<(String, String)> {
    match err {
        Error::Validation(f) => f.iter().map(|f| (f.field.clone(), f.code.clone())).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn care_types_are_a_catalog_with_stable_keys() {
    let e = env().await;
    let items = catalogs::list(&e.store, CatalogKind::CareType).await.unwrap();
    let names: Vec<_> = items.iter().map(|u| u.item.name.as_str()).collect();
    assert_eq!(names, ["Call", "Meeting", "Visit", "E-mail", "Task"]);
    let keys: Vec<_> = items.iter().map(|u| u.item.key.clone().unwrap()).collect();
    assert_eq!(keys, ["call", "meeting", "visit", "email", "task"]);
    // By key, by folded name, by id.
    let call_id = care_type(&e, "call").await;
    assert_eq!(catalogs::find(&e.store, CatalogKind::CareType, " CALL ").await.unwrap().id, call_id);
    assert_eq!(catalogs::find(&e.store, CatalogKind::CareType, &call_id.to_string()).await.unwrap().id, call_id);
    assert_eq!(catalogs::find(&e.store, CatalogKind::CareType, "e-mail").await.unwrap().key.as_deref(), Some("email"));
    // Users add their own; a type in use is deleted only with a replacement.
    let lunch = catalogs::add(&e.store, &e.admin, CatalogKind::CareType, "Lunch", None).await.unwrap();
    assert_eq!(lunch.key, None);
    let c = e.add(person("Lan")).await;
    let a =
        care::schedule(&e.store, &e.admin, c.id, CareInput { type_id: lunch.id, ..call(&e, "2026-12-01", HCM).await })
            .await
            .unwrap();
    let err = catalogs::delete(&e.store, &e.admin, lunch.id, None).await.unwrap_err();
    assert_eq!(err.code(), "catalog.in_use");
    assert_eq!(catalogs::delete(&e.store, &e.admin, lunch.id, Some(call_id)).await.unwrap(), 1);
    assert_eq!(care::get(&e.store, &e.admin, a.id).await.unwrap().type_id, call_id);

    // Vietnamese starter types when the language was chosen before the first admin.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    settings::set_language(&store, settings::Language::Vi).await.unwrap();
    staff::init_admin(&store, NewStaff { name: "A".into(), email: "a@x.vn".into(), password: None, role: Role::Admin })
        .await
        .unwrap();
    let items = catalogs::list(&store, CatalogKind::CareType).await.unwrap();
    let names: Vec<_> = items.iter().map(|u| u.item.name.as_str()).collect();
    assert_eq!(names, ["Gọi điện", "Gặp mặt", "Thăm", "E-mail", "Việc cần làm"]);
    assert_eq!(catalogs::find(&store, CatalogKind::CareType, "call").await.unwrap().name, "Gọi điện");
    assert_eq!(catalogs::find(&store, CatalogKind::CareType, "goi dien").await.unwrap().key.as_deref(), Some("call"));
}

#[tokio::test]
async fn scheduling_while_creating_a_customer_is_one_transaction() {
    let e = env().await;
    let lan = add_staff(&e, "Lan", "lan@example.com", Role::Staff).await;
    let input = CustomerInput { schedule: Some(call(&e, "2026-12-01T09:30", HCM).await), ..person("Nguyễn Văn A") };
    let c = customers::create(&e.store, &lan, input).await.unwrap();
    let page =
        care::list(&e.store, &lan, &CareFilter { customer_id: Some(c.id), ..Default::default() }, Utc::now(), None, 50)
            .await
            .unwrap();
    assert_eq!(page.items.len(), 1);
    let a = &page.items[0];
    assert_eq!((a.customer_code.as_str(), a.customer_name.as_str()), (c.code.as_str(), "Nguyễn Văn A"));
    assert_eq!(a.assignee_id, Some(lan.staff_id), "the assignee defaults to the customer's owner");
    assert_eq!((a.due_local.as_str(), a.tz.as_str(), a.all_day), ("2026-12-01T09:30", HCM, false));
    assert_eq!(a.due_at, utc("2026-12-01T02:30:00Z"));
    assert_eq!((a.type_key.as_deref(), a.type_name.as_str()), (Some("call"), "Call"));
    assert_eq!(a.state, CareState::Planned);

    // A schedule that fails leaves no customer behind.
    let customers_before = e.count("").await;
    let activities_before = activities(&e).await;
    let bad_type =
        CareInput { type_id: item(&e, CatalogKind::Level, "VIP").await, ..call(&e, "2026-12-01", HCM).await };
    let err = customers::create(&e.store, &lan, CustomerInput { schedule: Some(bad_type), ..person("Rolled back") })
        .await
        .unwrap_err();
    assert_eq!(field_codes(&err), [("schedule.type_id".to_string(), "invalid".to_string())]);
    let bad_due = call(&e, "2026-02-30", HCM).await;
    let err = customers::create(&e.store, &lan, CustomerInput { schedule: Some(bad_due), ..person("Rolled back") })
        .await
        .unwrap_err();
    assert_eq!(field_codes(&err), [("schedule.due".to_string(), "invalid".to_string())]);
    let bad_zone = call(&e, "2026-12-01", "Mars/Olympus").await;
    let err = customers::create(&e.store, &lan, CustomerInput { schedule: Some(bad_zone), ..person("Rolled back") })
        .await
        .unwrap_err();
    assert_eq!(field_codes(&err), [("schedule.tz".to_string(), "invalid".to_string())]);
    // Staff may not hand the activity to someone else: refused, nothing created.
    let other = CareInput { assignee_id: Some(e.admin.staff_id), ..call(&e, "2026-12-01", HCM).await };
    let err = customers::create(&e.store, &lan, CustomerInput { schedule: Some(other), ..person("Rolled back") })
        .await
        .unwrap_err();
    assert_eq!(err.code(), "permission.denied");
    assert_eq!(e.count("").await, customers_before);
    assert_eq!(e.count("Rolled back").await, 0);
    assert_eq!(activities(&e).await, activities_before);
}

#[tokio::test]
async fn completing_records_a_follow_up_and_schedules_the_next_step() {
    let e = env().await;
    let c = e.add(person("Trần Thị B")).await;
    let a = care::schedule(&e.store, &e.admin, c.id, call(&e, "2026-12-01T09:30", HCM).await).await.unwrap();
    assert_eq!(last_contact(&e, c.id).await, None);

    let err = care::complete(&e.store, &e.admin, a.id, "   ", None).await.unwrap_err();
    assert_eq!(field_codes(&err), [("outcome".to_string(), "required".to_string())]);

    let next = CareInput {
        type_id: care_type(&e, "meeting").await,
        title: "Demo".into(),
        due: "2026-12-10T14:00".into(),
        tz: Some(HCM.into()),
        duration_min: Some(60),
        notes: Some("bring the catalogue".into()),
        ..Default::default()
    };
    let before = Utc::now();
    let done = care::complete(&e.store, &e.admin, a.id, "  Interested;\n call again  ", Some(next)).await.unwrap();
    assert_eq!(done.done.state, CareState::Done);
    assert_eq!(done.done.outcome.as_deref(), Some("Interested;\ncall again"));
    let done_at = done.done.done_at.unwrap();
    assert!(done_at >= before);
    let next = done.next.unwrap();
    assert_eq!((next.title.as_str(), next.duration_min, next.state), ("Demo", Some(60), CareState::Planned));
    assert_eq!(next.customer_id, c.id);
    // last_contact_at follows the done activity.
    let lc = last_contact(&e, c.id).await.unwrap();
    assert_eq!(utc(&lc), done_at);

    // Only planned activities complete, once.
    let err = care::complete(&e.store, &e.admin, a.id, "again", None).await.unwrap_err();
    assert_eq!(err.code(), "care.not_planned");
    let err = care::cancel(&e.store, &e.admin, a.id, None).await.unwrap_err();
    assert_eq!(err.code(), "care.not_planned");
    assert_eq!(care::get(&e.store, &e.admin, 9999).await.unwrap_err().code(), "care.not_found");

    // A failed next step rolls the completion back.
    let bad_next = CareInput { due: "someday".into(), ..call(&e, "", HCM).await };
    let err = care::complete(&e.store, &e.admin, next.id, "done", Some(bad_next)).await.unwrap_err();
    assert_eq!(field_codes(&err), [("next.due".to_string(), "invalid".to_string())]);
    assert_eq!(care::get(&e.store, &e.admin, next.id).await.unwrap().state, CareState::Planned);
    assert_eq!(utc(&last_contact(&e, c.id).await.unwrap()), done_at);

    // The timeline: the planned next step (due later), the follow-up record, the customer's creation.
    let tl = care::timeline(&e.store, &e.admin, c.id, &[], None, 50).await.unwrap();
    let kinds: Vec<_> = tl.iter().map(|t| t.kind).collect();
    assert_eq!(kinds, [TimelineKind::Planned, TimelineKind::Followup, TimelineKind::History]);
    assert_eq!(tl[1].activity.as_ref().unwrap().id, a.id);
    assert_eq!(tl[1].at, done_at);
    assert_eq!(tl[2].history.as_ref().unwrap().action, "create");
    let only: Vec<_> = care::timeline(&e.store, &e.admin, c.id, &[TimelineKind::Followup], None, 50).await.unwrap();
    assert_eq!(only.len(), 1);
    assert_eq!(only[0].kind, TimelineKind::Followup);
}

#[tokio::test]
async fn reschedule_and_cancel_keep_their_history() {
    let e = env().await;
    let c = e.add(person("Lê C")).await;
    let a = care::schedule(&e.store, &e.admin, c.id, call(&e, "2026-12-01T09:30", HCM).await).await.unwrap();
    let moved = care::reschedule(&e.store, &e.admin, a.id, "+2d", None).await.unwrap();
    assert_eq!(moved.due_local, "2026-12-03T09:30");
    let moved = care::reschedule(&e.store, &e.admin, a.id, "2026-12-05", None).await.unwrap();
    assert_eq!((moved.due_local.as_str(), moved.all_day), ("2026-12-05T00:00", true));
    assert_eq!(moved.due_at, at(HCM, "2026-12-05T00:00"));
    let err = care::reschedule(&e.store, &e.admin, a.id, "next week", None).await.unwrap_err();
    assert_eq!(field_codes(&err), [("due".to_string(), "invalid".to_string())]);
    let cancelled = care::cancel(&e.store, &e.admin, a.id, Some("  customer moved abroad ")).await.unwrap();
    assert_eq!(cancelled.state, CareState::Cancelled);
    assert_eq!(cancelled.outcome.as_deref(), Some("customer moved abroad"));
    let err = care::reschedule(&e.store, &e.admin, a.id, "+1d", None).await.unwrap_err();
    assert_eq!(err.code(), "care.not_planned");

    let h = history::for_entity(&e.store, &e.admin, "care_activity", a.id, None, 50).await.unwrap();
    let actions: Vec<_> = h.iter().rev().map(|h| h.action.as_str()).collect();
    assert_eq!(actions, ["create", "reschedule", "reschedule", "cancel"]);
    let first_move = &h[2];
    let due = first_move.changes.iter().find(|c| c.field == "due_local").unwrap();
    assert_eq!((due.before.as_str(), due.after.as_str()), (Some("2026-12-01T09:30"), Some("2026-12-03T09:30")));
    let reason = h[0].changes.iter().find(|c| c.field == "reason").unwrap();
    assert_eq!(reason.after.as_str(), Some("customer moved abroad"));

    // On the timeline as cancelled; not in the Care view; no last contact.
    let tl = care::timeline(&e.store, &e.admin, c.id, &[TimelineKind::Cancelled], None, 10).await.unwrap();
    assert_eq!(tl.len(), 1);
    let page = care::list(&e.store, &e.admin, &everyone(HCM), Utc::now(), None, 50).await.unwrap();
    assert!(page.items.is_empty());
    let f = CareFilter { state: Some(CareState::Cancelled), ..everyone(HCM) };
    assert_eq!(care::list(&e.store, &e.admin, &f, Utc::now(), None, 50).await.unwrap().items.len(), 1);
    assert_eq!(last_contact(&e, c.id).await, None);
}

#[tokio::test]
async fn due_times_keep_the_wall_clock_across_dst() {
    let e = env().await;
    let c = e.add(person("Zone")).await;
    let s = |due: &'static str, tz: &'static str| {
        let e = &e;
        async move { care::schedule(&e.store, &e.admin, c.id, call(e, due, tz).await).await.unwrap() }
    };
    // New York, spring forward on 2026-03-08 (02:00 EST → 03:00 EDT).
    let a = s("2026-03-07T09:30", NY).await;
    assert_eq!(a.due_at, utc("2026-03-07T14:30:00Z"));
    let a = care::reschedule(&e.store, &e.admin, a.id, "+1d", None).await.unwrap();
    assert_eq!((a.due_local.as_str(), a.due_at), ("2026-03-08T09:30", utc("2026-03-08T13:30:00Z")));
    // 02:30 does not exist that day: it moves after the gap, to 03:30 EDT.
    let gap = s("2026-03-08T02:30", NY).await;
    assert_eq!((gap.due_local.as_str(), gap.due_at), ("2026-03-08T02:30", utc("2026-03-08T07:30:00Z")));
    // Fall back on 2026-11-01: 01:30 happens twice; the earlier (EDT) is taken.
    let twice = s("2026-11-01T01:30", NY).await;
    assert_eq!(twice.due_at, utc("2026-11-01T05:30:00Z"));
    let b = s("2026-10-31T09:30", NY).await;
    assert_eq!(b.due_at, utc("2026-10-31T13:30:00Z"));
    let b = care::reschedule(&e.store, &e.admin, b.id, "+1d", None).await.unwrap();
    assert_eq!((b.due_local.as_str(), b.due_at), ("2026-11-01T09:30", utc("2026-11-01T14:30:00Z")));
    let b = care::reschedule(&e.store, &e.admin, b.id, "-2d", None).await.unwrap();
    assert_eq!((b.due_local.as_str(), b.due_at), ("2026-10-30T09:30", utc("2026-10-30T13:30:00Z")));
    // An all-day due is local midnight.
    let day = s("2026-03-08", NY).await;
    assert!(day.all_day);
    assert_eq!(day.due_at, utc("2026-03-08T05:00:00Z"));
    // London: 2026-03-29 01:00 GMT → 02:00 BST; 2026-10-25 01:00 happens twice.
    let l = s("2026-03-29T01:30", "Europe/London").await;
    assert_eq!(l.due_at, utc("2026-03-29T01:30:00Z"), "01:30 GMT is 02:30 BST");
    let l = s("2026-10-25T01:30", "Europe/London").await;
    assert_eq!(l.due_at, utc("2026-10-25T00:30:00Z"));
    let l = s("2026-03-28T18:00", "Europe/London").await;
    let l = care::reschedule(&e.store, &e.admin, l.id, "+1d", None).await.unwrap();
    assert_eq!(l.due_at, utc("2026-03-29T17:00:00Z"));
    // Moving to another zone keeps the wall-clock time picked.
    let m = care::reschedule(&e.store, &e.admin, l.id, "2026-03-29T18:00", Some(HCM)).await.unwrap();
    assert_eq!((m.tz.as_str(), m.due_at), (HCM, utc("2026-03-29T11:00:00Z")));
    let err = care::reschedule(&e.store, &e.admin, l.id, "+1d", Some("Nowhere/City")).await.unwrap_err();
    assert_eq!(field_codes(&err), [("tz".to_string(), "invalid".to_string())]);
}

#[tokio::test]
async fn the_care_view_groups_filters_pages_and_counts() {
    let e = env().await;
    let vip = item(&e, CatalogKind::Level, "VIP").await;
    let retail = item(&e, CatalogKind::Segment, "Retail").await;
    let a = e.add(CustomerInput { level_id: Some(vip), ..person("A") }).await;
    let b = e.add(CustomerInput { segment_id: Some(retail), ..person("B") }).await;
    // Wednesday 2026-12-02, 10:00 in Ho Chi Minh City.
    let now = at(HCM, "2026-12-02T10:00");
    let visit = care_type(&e, "visit").await;
    let sched = |c: i64, due: &'static str, type_id: Option<i64>| {
        let e = &e;
        async move {
            let mut input = call(e, due, HCM).await;
            if let Some(t) = type_id {
                input.type_id = t;
            }
            care::schedule(&e.store, &e.admin, c, input).await.unwrap().id
        }
    };
    let overdue_timed = sched(a.id, "2026-12-02T09:00", None).await;
    let overdue_day = sched(b.id, "2026-12-01", None).await;
    let today_day = sched(a.id, "2026-12-02", Some(visit)).await;
    let today_timed = sched(b.id, "2026-12-02T16:00", None).await;
    let week = sched(a.id, "2026-12-06T23:00", None).await;
    let later = sched(b.id, "2026-12-07T00:00", None).await;
    let far = sched(a.id, "2027-06-01", Some(visit)).await;

    let f = everyone(HCM);
    let counts = care::counts(&e.store, &e.admin, &f, now).await.unwrap();
    assert_eq!(counts, CareCounts { overdue: 2, today: 2, week: 1, later: 2 });
    let ids = |bucket: CareBucket| {
        let e = &e;
        let f = CareFilter { bucket: Some(bucket), ..everyone(HCM) };
        async move {
            care::list(&e.store, &e.admin, &f, now, None, 50)
                .await
                .unwrap()
                .items
                .iter()
                .map(|a| a.id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(ids(CareBucket::Overdue).await, [overdue_day, overdue_timed]);
    assert_eq!(ids(CareBucket::Today).await, [today_day, today_timed]);
    assert_eq!(ids(CareBucket::Week).await, [week]);
    assert_eq!(ids(CareBucket::Later).await, [later, far]);
    let all = care::list(&e.store, &e.admin, &f, now, None, 50).await.unwrap();
    let overdue: Vec<_> = all.items.iter().filter(|a| a.overdue).map(|a| a.id).collect();
    assert_eq!(overdue, [overdue_day, overdue_timed]);

    // Keyset pages of two give everything once, in due order.
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = care::list(&e.store, &e.admin, &f, now, after.as_ref(), 2).await.unwrap();
        seen.extend(page.items.iter().map(|a| a.id));
        match page.next {
            Some(c) => after = Some(c),
            None => break,
        }
    }
    assert_eq!(seen, all.items.iter().map(|a| a.id).collect::<Vec<_>>());
    assert_eq!(seen.len(), 7);

    // Filters: type, level, segment (and their counts).
    let by_type = CareFilter { type_ids: vec![visit], ..everyone(HCM) };
    let got: Vec<_> =
        care::list(&e.store, &e.admin, &by_type, now, None, 50).await.unwrap().items.iter().map(|a| a.id).collect();
    assert_eq!(got, [today_day, far]);
    let by_level = CareFilter { level_ids: vec![vip], ..everyone(HCM) };
    assert_eq!(
        care::counts(&e.store, &e.admin, &by_level, now).await.unwrap(),
        CareCounts { overdue: 1, today: 1, week: 1, later: 1 }
    );
    let by_segment = CareFilter { segment_ids: vec![retail], ..everyone(HCM) };
    assert_eq!(
        care::counts(&e.store, &e.admin, &by_segment, now).await.unwrap(),
        CareCounts { overdue: 1, today: 1, week: 0, later: 1 }
    );

    // Done ones are listed latest first; a trashed customer's activities leave the view.
    care::complete(&e.store, &e.admin, overdue_timed, "ok", None).await.unwrap();
    care::complete(&e.store, &e.admin, far, "early", None).await.unwrap();
    let done = CareFilter { state: Some(CareState::Done), ..everyone(HCM) };
    let got: Vec<_> =
        care::list(&e.store, &e.admin, &done, now, None, 50).await.unwrap().items.iter().map(|a| a.id).collect();
    assert_eq!(got, [far, overdue_timed]);
    customers::delete(&e.store, &e.admin, &customers::Selection::Ids { ids: vec![b.id] }).await.unwrap();
    assert_eq!(
        care::counts(&e.store, &e.admin, &f, now).await.unwrap(),
        CareCounts { overdue: 0, today: 1, week: 1, later: 0 }
    );
}

#[tokio::test]
async fn staff_see_and_change_only_what_is_theirs() {
    let e = env().await;
    let lan = add_staff(&e, "Lan", "lan@example.com", Role::Staff).await;
    let minh = add_staff(&e, "Minh", "minh@example.com", Role::Staff).await;
    let boss = add_staff(&e, "Boss", "boss@example.com", Role::Manager).await;
    let lans = customers::create(&e.store, &lan, person("Khách của Lan")).await.unwrap();
    let minhs = customers::create(&e.store, &minh, person("Khách của Minh")).await.unwrap();
    let for_lan = care::schedule(&e.store, &lan, lans.id, call(&e, "2026-12-01T09:00", HCM).await).await.unwrap();
    let for_minh = care::schedule(&e.store, &minh, minhs.id, call(&e, "2026-12-01T10:00", HCM).await).await.unwrap();

    // Mine is mine only; everyone's is for managers.
    let now = Utc::now();
    let mine = |who: &Actor| {
        let e = &e;
        let who = who.clone();
        async move {
            let f = CareFilter { tz: Some(HCM.into()), ..Default::default() };
            care::list(&e.store, &who, &f, now, None, 50).await.unwrap().items.iter().map(|a| a.id).collect::<Vec<_>>()
        }
    };
    assert_eq!(mine(&lan).await, [for_lan.id]);
    assert_eq!(mine(&minh).await, [for_minh.id]);
    assert!(mine(&boss).await.is_empty());
    let err = care::list(&e.store, &lan, &everyone(HCM), now, None, 50).await.unwrap_err();
    assert_eq!(err.code(), "permission.denied");
    assert_eq!(care::counts(&e.store, &lan, &everyone(HCM), now).await.unwrap_err().code(), "permission.denied");
    let peek = CareFilter { assignee_id: Some(minh.staff_id), ..Default::default() };
    assert_eq!(care::list(&e.store, &lan, &peek, now, None, 50).await.unwrap_err().code(), "permission.denied");
    let all = care::list(&e.store, &boss, &everyone(HCM), now, None, 50).await.unwrap();
    assert_eq!(all.items.len(), 2);
    let minh_only = CareFilter { assignee_id: Some(minh.staff_id), ..everyone(HCM) };
    assert_eq!(care::list(&e.store, &boss, &minh_only, now, None, 50).await.unwrap().items[0].id, for_minh.id);

    // Minh cannot change Lan's activity; a manager can.
    let err = care::complete(&e.store, &minh, for_lan.id, "x", None).await.unwrap_err();
    assert_eq!(err.code(), "permission.denied");
    let err = care::reschedule(&e.store, &minh, for_lan.id, "+1d", None).await.unwrap_err();
    assert_eq!(err.code(), "permission.denied");
    // Minh may plan care on Lan's (unlocked) customer for himself or for Lan, not for a third person.
    let own = CareInput { assignee_id: Some(minh.staff_id), ..call(&e, "2026-12-02", HCM).await };
    care::schedule(&e.store, &minh, lans.id, own).await.unwrap();
    let third = CareInput { assignee_id: Some(boss.staff_id), ..call(&e, "2026-12-02", HCM).await };
    assert_eq!(care::schedule(&e.store, &minh, lans.id, third).await.unwrap_err().code(), "permission.denied");

    // Locked by Lan: Minh can neither schedule on it, nor open its activities or timeline.
    clientele::ownership::set_locked(&e.store, &lan, &[lans.id], true).await.unwrap();
    let before = activities(&e).await;
    let err = care::schedule(&e.store, &minh, lans.id, call(&e, "2026-12-03", HCM).await).await.unwrap_err();
    assert_eq!(err.code(), "permission.locked");
    assert_eq!(activities(&e).await, before);
    assert_eq!(care::get(&e.store, &minh, for_lan.id).await.unwrap_err().code(), "permission.locked");
    assert_eq!(care::timeline(&e.store, &minh, lans.id, &[], None, 10).await.unwrap_err().code(), "permission.locked");
    assert_eq!(care::cancel(&e.store, &minh, for_lan.id, None).await.unwrap_err().code(), "permission.locked");
    // The manager still may.
    care::reschedule(&e.store, &boss, for_lan.id, "+1d", None).await.unwrap();
    care::complete(&e.store, &lan, for_lan.id, "called", None).await.unwrap();
    assert_eq!(care::get(&e.store, &lan, for_lan.id).await.unwrap().state, CareState::Done);

    // Rules are for administrators.
    let rule = CareRuleInput {
        level_id: Some(item(&e, CatalogKind::Level, "VIP").await),
        type_id: care_type(&e, "call").await,
        interval_days: 30,
        active: true,
        ..Default::default()
    };
    assert_eq!(care::save_rule(&e.store, &boss, rule.clone()).await.unwrap_err().code(), "permission.denied");
    assert_eq!(care::save_rule(&e.store, &lan, rule).await.unwrap_err().code(), "permission.denied");
}

/// The rule activity a customer should have: all day, local day of `base` + `days`, system zone.
fn rule_due(base: DateTime<Utc>, days: i64) -> (String, DateTime<Utc>) {
    let tz = care::time::system_zone();
    let day: NaiveDate = base.with_timezone(&tz).date_naive() + chrono::Duration::days(days);
    let due = care::time::resolve(tz, day.and_hms_opt(0, 0, 0).unwrap());
    (format!("{}T00:00", day.format("%Y-%m-%d")), due)
}

#[tokio::test]
async fn recurring_rules_keep_one_upcoming_activity_that_follows_the_last_contact() {
    let e = env().await;
    let vip = item(&e, CatalogKind::Level, "VIP").await;
    let gold = item(&e, CatalogKind::Level, "Gold").await;
    let call_type = care_type(&e, "call").await;
    let a = e.add(CustomerInput { level_id: Some(vip), ..person("A") }).await;
    let b = e.add(CustomerInput { level_id: Some(vip), ..person("B") }).await;
    let c = e.add(CustomerInput { level_id: Some(gold), ..person("C") }).await;
    // B is an old customer: its first rule activity is long overdue.
    sqlx::query("UPDATE customers SET created_at = '2025-01-01T00:00:00+00:00' WHERE id = ?")
        .bind(b.id)
        .execute(e.store.pool())
        .await
        .unwrap();
    let input = CareRuleInput {
        name: "VIP: call every 30 days".into(),
        level_id: Some(vip),
        type_id: call_type,
        title: "Keep in touch".into(),
        interval_days: 30,
        active: true,
        ..Default::default()
    };
    let rule = care::save_rule(&e.store, &e.admin, input.clone()).await.unwrap();
    assert_eq!(care::rules(&e.store, &e.admin).await.unwrap(), std::slice::from_ref(&rule));
    // Saving the rule filled the schedule; running the rules again creates nothing.
    assert_eq!(care::apply_rules(&e.store, &e.admin, Utc::now()).await.unwrap(), 0);
    assert_eq!(care::apply_rules(&e.store, &e.admin, Utc::now()).await.unwrap(), 0);
    let pa = planned_of_rule(&e, rule.id, a.id).await;
    assert_eq!(pa.len(), 1);
    assert_eq!(planned_of_rule(&e, rule.id, b.id).await.len(), 1);
    assert!(planned_of_rule(&e, rule.id, c.id).await.is_empty());
    // Never contacted: 30 days after the customer was created.
    let (due_local, due_at) = rule_due(a.created_at, 30);
    assert_eq!(pa[0].1, due_local);
    assert_eq!(utc(&pa[0].2), due_at);
    let act = care::get(&e.store, &e.admin, pa[0].0).await.unwrap();
    assert_eq!(
        (act.title.as_str(), act.all_day, act.rule_id, act.assignee_id),
        ("Keep in touch", true, Some(rule.id), Some(e.admin.staff_id))
    );

    // Completing it plans the next one, 30 days after this contact; still one.
    let done = care::complete(&e.store, &e.admin, pa[0].0, "all good", None).await.unwrap();
    let pa2 = planned_of_rule(&e, rule.id, a.id).await;
    assert_eq!(pa2.len(), 1);
    assert_ne!(pa2[0].0, pa[0].0);
    assert_eq!(pa2[0].1, rule_due(done.done.done_at.unwrap(), 30).0);

    // Another contact moves B's rule activity to 30 days after it.
    let pb = planned_of_rule(&e, rule.id, b.id).await;
    assert_eq!(pb[0].1, rule_due(utc("2025-01-01T00:00:00Z"), 30).0);
    let visit = care::schedule(&e.store, &e.admin, b.id, call(&e, "2026-01-01", HCM).await).await.unwrap();
    let done = care::complete(&e.store, &e.admin, visit.id, "visited", None).await.unwrap();
    let pb2 = planned_of_rule(&e, rule.id, b.id).await;
    assert_eq!(pb2.len(), 1);
    assert_eq!(pb2[0].0, pb[0].0, "moved, not replaced");
    assert_eq!(pb2[0].1, rule_due(done.done.done_at.unwrap(), 30).0);
    let h = history::for_entity(&e.store, &e.admin, "care_activity", pb[0].0, None, 10).await.unwrap();
    assert_eq!(h[0].action, "reschedule");

    // Cancelling skips one occurrence: the next is 30 days after the cancelled one.
    care::cancel(&e.store, &e.admin, pb2[0].0, Some("on holiday")).await.unwrap();
    let pb3 = planned_of_rule(&e, rule.id, b.id).await;
    assert_eq!(pb3.len(), 1);
    assert_eq!(pb3[0].1, rule_due(utc(&pb2[0].2), 30).0);

    // Level changes: C becomes VIP and gets one; A leaves VIP and its planned one is cancelled.
    let mut ci = customers::get(&e.store, &e.admin, c.id).await.unwrap().to_input();
    ci.level_id = Some(vip);
    customers::update(&e.store, &e.admin, c.id, ci).await.unwrap();
    assert_eq!(planned_of_rule(&e, rule.id, c.id).await.len(), 1);
    let mut ai = customers::get(&e.store, &e.admin, a.id).await.unwrap().to_input();
    ai.level_id = Some(gold);
    customers::update(&e.store, &e.admin, a.id, ai).await.unwrap();
    assert!(planned_of_rule(&e, rule.id, a.id).await.is_empty());
    let cancelled = care::get(&e.store, &e.admin, pa2[0].0).await.unwrap();
    assert_eq!((cancelled.state, cancelled.outcome.as_deref()), (CareState::Cancelled, Some("rule_no_longer_applies")));
    // A new VIP customer gets one at creation.
    let d = e.add(CustomerInput { level_id: Some(vip), ..person("D") }).await;
    assert_eq!(planned_of_rule(&e, rule.id, d.id).await.len(), 1);
    assert_eq!(care::apply_rules(&e.store, &e.admin, Utc::now()).await.unwrap(), 0);

    // A longer interval moves the planned ones; a rule switched off cancels them.
    let longer =
        care::save_rule(&e.store, &e.admin, CareRuleInput { id: Some(rule.id), interval_days: 60, ..input.clone() })
            .await
            .unwrap();
    assert_eq!(longer.interval_days, 60);
    let pd = planned_of_rule(&e, rule.id, d.id).await;
    assert_eq!(pd[0].1, rule_due(d.created_at, 60).0);
    care::save_rule(
        &e.store,
        &e.admin,
        CareRuleInput { id: Some(rule.id), active: false, interval_days: 60, ..input.clone() },
    )
    .await
    .unwrap();
    assert!(planned_of_rule(&e, rule.id, d.id).await.is_empty());
    assert_eq!(care::apply_rules(&e.store, &e.admin, Utc::now()).await.unwrap(), 0);
    // On again, then deleted: its planned activities are cancelled, its follow-ups stay.
    care::save_rule(&e.store, &e.admin, CareRuleInput { id: Some(rule.id), ..input.clone() }).await.unwrap();
    assert_eq!(planned_of_rule(&e, rule.id, d.id).await.len(), 1);
    care::delete_rule(&e.store, &e.admin, rule.id).await.unwrap();
    let planned: i64 = sqlx::query_scalar("SELECT count(*) FROM care_activities WHERE rule_id IS NOT NULL OR (state = 'planned' AND all_day = 1 AND title = 'Keep in touch')")
        .fetch_one(e.store.pool())
        .await
        .unwrap();
    assert_eq!(planned, 0);
    assert!(care::rules(&e.store, &e.admin).await.unwrap().is_empty());
    assert_eq!(care::delete_rule(&e.store, &e.admin, rule.id).await.unwrap_err().code(), "care.rule_not_found");

    // Bad rules are refused field by field.
    let err =
        care::save_rule(&e.store, &e.admin, CareRuleInput { segment_id: Some(vip), interval_days: 0, ..input.clone() })
            .await
            .unwrap_err();
    let codes = field_codes(&err);
    assert!(codes.contains(&("level_id".into(), "invalid".into())), "{codes:?}");
    assert!(codes.contains(&("interval_days".into(), "invalid".into())), "{codes:?}");
}

#[tokio::test]
async fn rules_are_set_based_over_many_customers() {
    let e = env().await;
    let vip = item(&e, CatalogKind::Level, "VIP").await;
    let inputs: Vec<CustomerInput> =
        (0..3_000).map(|i| CustomerInput { level_id: Some(vip), ..person(&format!("Khách {i}")) }).collect();
    assert_eq!(customers::create_many(&e.store, &e.admin, inputs.into_iter(), &mut |_| {}).await.unwrap(), 3_000);
    let rule = CareRuleInput {
        level_id: Some(vip),
        type_id: care_type(&e, "call").await,
        interval_days: 30,
        active: true,
        ..Default::default()
    };
    let rule = care::save_rule(&e.store, &e.admin, rule).await.unwrap();
    assert!(rule.name.contains("VIP"), "{}", rule.name);
    let planned: i64 =
        sqlx::query_scalar("SELECT count(*) FROM care_activities WHERE rule_id = ? AND state = 'planned'")
            .bind(rule.id)
            .fetch_one(e.store.pool())
            .await
            .unwrap();
    assert_eq!(planned, 3_000);
    let entries: i64 =
        sqlx::query_scalar("SELECT count(*) FROM history WHERE entity = 'care_activity' AND action = 'create'")
            .fetch_one(e.store.pool())
            .await
            .unwrap();
    assert_eq!(entries, 3_000);
    assert_eq!(care::apply_rules(&e.store, &e.admin, Utc::now()).await.unwrap(), 0);
}

#[tokio::test]
async fn follow_up_records_in_bulk_set_the_last_contact() {
    let e = env().await;
    let lan = add_staff(&e, "Lan", "lan@example.com", Role::Staff).await;
    let c1 = e.add(person("One")).await;
    let c2 = customers::create(&e.store, &lan, person("Two")).await.unwrap();
    let call_type = care_type(&e, "call").await;
    let row = |c: &Customer, when: &str, all_day: bool| FollowUpRow {
        customer_id: c.id,
        type_id: call_type,
        title: String::new(),
        done_local: local(when),
        all_day,
        tz: Some(HCM.into()),
        outcome: Some("talked".into()),
        assignee_id: None,
        notes: None,
    };
    let rows = vec![
        row(&c1, "2025-05-01T08:00", false),
        row(&c1, "2025-06-01T08:00", false),
        row(&c2, "2025-04-30T00:00", true),
    ];
    let mut w = e.store.write(&e.admin).await.unwrap();
    w.batch_id = Some(77);
    assert_eq!(care::record_done_many(&mut w, &rows).await.unwrap(), 3);
    w.commit().await.unwrap();
    assert_eq!(utc(&last_contact(&e, c1.id).await.unwrap()), at(HCM, "2025-06-01T08:00"));
    assert_eq!(utc(&last_contact(&e, c2.id).await.unwrap()), at(HCM, "2025-04-30T00:00"));
    let tl = care::timeline(&e.store, &e.admin, c1.id, &[TimelineKind::Followup], None, 10).await.unwrap();
    let a = tl[0].activity.clone().unwrap();
    assert_eq!(
        (a.title.as_str(), a.outcome.as_deref(), a.assignee_id),
        ("Call", Some("talked"), Some(e.admin.staff_id))
    );
    let h = history::for_entity(&e.store, &e.admin, "care_activity", a.id, None, 10).await.unwrap();
    assert_eq!((h[0].action.as_str(), h[0].batch_id), ("record", Some(77)));
    assert!(h[0].changes.iter().any(|c| c.field == "outcome" && c.after == "talked"));
    // Reverting an import removes its records and recomputes the last contact.
    let mut w = e.store.write(&e.admin).await.unwrap();
    w.batch_id = Some(78);
    care::record_done_many(&mut w, &[row(&c1, "2025-07-01T08:00", false)]).await.unwrap();
    w.commit().await.unwrap();
    assert_eq!(utc(&last_contact(&e, c1.id).await.unwrap()), at(HCM, "2025-07-01T08:00"));
    let mut w = e.store.write(&e.admin).await.unwrap();
    assert_eq!(care::revert_batch(&mut w, 78).await.unwrap(), 1);
    w.commit().await.unwrap();
    assert_eq!(utc(&last_contact(&e, c1.id).await.unwrap()), at(HCM, "2025-06-01T08:00"));
    // An older record does not move the last contact back.
    let mut w = e.store.write(&e.admin).await.unwrap();
    care::record_done_many(&mut w, &[row(&c1, "2024-01-01T08:00", false)]).await.unwrap();
    w.commit().await.unwrap();
    assert_eq!(utc(&last_contact(&e, c1.id).await.unwrap()), at(HCM, "2025-06-01T08:00"));
    let mut w = e.store.write(&e.admin).await.unwrap();
    assert_eq!(care::revert_batch(&mut w, 77).await.unwrap(), 3);
    w.commit().await.unwrap();
    assert_eq!(utc(&last_contact(&e, c1.id).await.unwrap()), at(HCM, "2024-01-01T08:00"));
    assert_eq!(last_contact(&e, c2.id).await, None);

    // One bad row fails them all, before anything is written; unknown customers too.
    let before = activities(&e).await;
    let mut bad = row(&c1, "2025-01-01T08:00", false);
    bad.type_id = item(&e, CatalogKind::Level, "VIP").await;
    let mut w = e.store.write(&e.admin).await.unwrap();
    let err = care::record_done_many(&mut w, &[row(&c1, "2025-01-01T08:00", false), bad]).await.unwrap_err();
    assert_eq!(field_codes(&err), [("1.type_id".to_string(), "invalid".to_string())]);
    let mut gone = row(&c1, "2025-01-01T08:00", false);
    gone.customer_id = 424242;
    assert_eq!(care::record_done_many(&mut w, &[gone]).await.unwrap_err().code(), "customer.not_found");
    drop(w);
    assert_eq!(activities(&e).await, before);
    // Staff record only on customers they may care for.
    clientele::ownership::set_locked(&e.store, &e.admin, &[c1.id], true).await.unwrap();
    let mut w = e.store.write(&lan).await.unwrap();
    assert_eq!(care::record_done_many(&mut w, &[row(&c2, "2025-01-01T08:00", false)]).await.unwrap(), 1);
    assert_eq!(
        care::record_done_many(&mut w, &[row(&c1, "2025-01-01T08:00", false)]).await.unwrap_err().code(),
        "permission.locked"
    );
}

#[tokio::test]
async fn follow_up_records_in_bulk_keep_each_customers_latest_contact() {
    // Many rows per customer in one call (speed is measured by the benches, not here).
    let e = env().await;
    let inputs: Vec<CustomerInput> = (0..2_000).map(|i| person(&format!("Khách {i}"))).collect();
    customers::create_many(&e.store, &e.admin, inputs.into_iter(), &mut |_| {}).await.unwrap();
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM customers ORDER BY id").fetch_all(e.store.pool()).await.unwrap();
    let call_type = care_type(&e, "call").await;
    let rows: Vec<FollowUpRow> = (0..20_000)
        .map(|i| FollowUpRow {
            customer_id: ids[i % ids.len()],
            type_id: call_type,
            title: format!("Call {i}"),
            done_local: local("2025-01-01T08:00") + chrono::Duration::minutes(i as i64),
            all_day: false,
            tz: Some(HCM.into()),
            outcome: Some("ok".into()),
            assignee_id: None,
            notes: None,
        })
        .collect();
    let mut w = e.store.write(&e.admin).await.unwrap();
    assert_eq!(care::record_done_many(&mut w, &rows).await.unwrap(), 20_000);
    w.commit().await.unwrap();
    let last = last_contact(&e, ids[0]).await.unwrap();
    // Customer 0 got rows 0, 2000, …, 18000: the last is 18000 minutes after the first.
    assert_eq!(utc(&last), at(HCM, "2025-01-01T08:00") + chrono::Duration::minutes(18_000));
    let h: i64 =
        sqlx::query_scalar("SELECT count(*) FROM history WHERE entity = 'care_activity' AND action = 'record'")
            .fetch_one(e.store.pool())
            .await
            .unwrap();
    assert_eq!(h, 20_000);
}

#[tokio::test]
async fn bulk_edit_of_the_level_fills_and_cancels_rule_activities() {
    let e = env().await;
    let vip = item(&e, CatalogKind::Level, "VIP").await;
    let gold = item(&e, CatalogKind::Level, "Gold").await;
    let a = e.add(person("A")).await;
    let b = e.add(person("B")).await;
    let rule = CareRuleInput {
        level_id: Some(vip),
        type_id: care_type(&e, "call").await,
        interval_days: 30,
        active: true,
        ..Default::default()
    };
    let rule = care::save_rule(&e.store, &e.admin, rule).await.unwrap();
    assert!(planned_of_rule(&e, rule.id, a.id).await.is_empty());
    let set = |id| clientele::customers::BulkEdit {
        level: Some(clientele::customers::SetValue { id: Some(id) }),
        ..Default::default()
    };
    let both = clientele::customers::Selection::Ids { ids: vec![a.id, b.id] };
    assert_eq!(customers::bulk_edit(&e.store, &e.admin, &both, &set(vip)).await.unwrap(), 2);
    // The edit's own transaction planned the rule's activity, without waiting for the next run.
    assert_eq!(planned_of_rule(&e, rule.id, a.id).await.len(), 1);
    assert_eq!(planned_of_rule(&e, rule.id, b.id).await.len(), 1);
    let only_b = clientele::customers::Selection::Ids { ids: vec![b.id] };
    customers::bulk_edit(&e.store, &e.admin, &only_b, &set(gold)).await.unwrap();
    assert!(planned_of_rule(&e, rule.id, b.id).await.is_empty(), "B left VIP: its activity is cancelled");
    assert_eq!(planned_of_rule(&e, rule.id, a.id).await.len(), 1);
    assert_eq!(care::apply_rules(&e.store, &e.admin, Utc::now()).await.unwrap(), 0);
}

#[tokio::test]
async fn reminders_are_the_actors_timed_activities_due_soon_unless_turned_off() {
    let e = env().await;
    let lan = add_staff(&e, "Lan", "lan@example.com", Role::Staff).await;
    let c = customers::create(&e.store, &lan, person("Soon")).await.unwrap();
    let now = at(HCM, "2026-12-02T10:00");
    let s = |due: &'static str| {
        let e = &e;
        let lan = lan.clone();
        async move { care::schedule(&e.store, &lan, c.id, call(e, due, HCM).await).await.unwrap().id }
    };
    let soon = s("2026-12-02T10:10").await;
    let _later = s("2026-12-02T11:00").await;
    let _past = s("2026-12-02T09:59").await;
    let _all_day = s("2026-12-02").await;
    let got: Vec<_> = care::due_soon(&e.store, &lan, now, 15).await.unwrap().iter().map(|a| a.id).collect();
    assert_eq!(got, [soon]);
    assert!(care::due_soon(&e.store, &e.admin, now, 15).await.unwrap().is_empty(), "only one's own");
    settings::set_ui_pref(&e.store, &lan, care::REMINDERS_PREF, &serde_json::json!(false)).await.unwrap();
    assert!(care::due_soon(&e.store, &lan, now, 15).await.unwrap().is_empty());
    settings::set_ui_pref(&e.store, &lan, care::REMINDERS_PREF, &serde_json::json!(true)).await.unwrap();
    assert_eq!(care::due_soon(&e.store, &lan, now, 15).await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_timeline_pages_newest_first() {
    let e = env().await;
    let c = e.add(person("Timeline")).await;
    for day in 1..=9 {
        let due = format!("2026-12-{day:02}T09:00");
        let a = care::schedule(&e.store, &e.admin, c.id, CareInput { due, ..call(&e, "", HCM).await }).await.unwrap();
        if day % 3 == 0 {
            care::cancel(&e.store, &e.admin, a.id, None).await.unwrap();
        }
    }
    let mut edited = customers::get(&e.store, &e.admin, c.id).await.unwrap().to_input();
    edited.notes = Some("changed".into());
    customers::update(&e.store, &e.admin, c.id, edited).await.unwrap();
    let all = care::timeline(&e.store, &e.admin, c.id, &[], None, 500).await.unwrap();
    assert_eq!(all.len(), 11);
    assert!(all.windows(2).all(|w| w[0].at >= w[1].at), "newest first");
    let mut paged = Vec::new();
    let mut before = None;
    loop {
        let page = care::timeline(&e.store, &e.admin, c.id, &[], before.as_ref(), 4).await.unwrap();
        if page.is_empty() {
            break;
        }
        before = page.last().map(|t| t.cursor.clone());
        paged.extend(page);
    }
    assert_eq!(paged, all);
    let kinds = [TimelineKind::Planned, TimelineKind::History];
    let some = care::timeline(&e.store, &e.admin, c.id, &kinds, None, 500).await.unwrap();
    assert_eq!(some.iter().filter(|t| t.kind == TimelineKind::Planned).count(), 6);
    assert_eq!(some.iter().filter(|t| t.kind == TimelineKind::History).count(), 2);
}

#[tokio::test]
async fn migration_5_widens_catalogs_of_an_existing_database() {
    // A database at schema 4 with data, in Vietnamese.
    let dir = tempfile::tempdir().unwrap();
    let old = tempfile::tempdir().unwrap();
    for n in ["0001_init.sql", "0002_profile.sql", "0003_views.sql", "0004_ownership.sql"] {
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
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO staff (id, name, email, email_key, role, created_at) VALUES (1, 'A', 'a@x.vn', 'a@x.vn', 'admin', '{t}');
             INSERT INTO settings (key, value) VALUES ('ui.language', 'vi');
             INSERT INTO catalog_items (id, kind, name, name_key, sort_order, created_at) VALUES (5, 'level', 'VIP', 'vip', 1, '{t}');
             INSERT INTO catalog_items (id, kind, name, name_key, sort_order, created_at) VALUES (9, 'segment', 'Lẻ', 'le', 1, '{t}');
             DELETE FROM catalog_items WHERE id = 9;
             INSERT INTO customers (id, code, code_key, kind, name, name_key, level_id, created_at, updated_at)
                 VALUES (1, 'KH1', 'kh1', 'individual', 'Old', 'old', 5, '{t}', '{t}');"
        )))
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    }
    let store = Store::open(dir.path()).await.unwrap();
    let items = catalogs::list(&store, CatalogKind::CareType).await.unwrap();
    let names: Vec<_> = items.iter().map(|u| u.item.name.clone()).collect();
    assert_eq!(names, ["Gọi điện", "Gặp mặt", "Thăm", "E-mail", "Việc cần làm"]);
    for u in &items {
        let key: String = sqlx::query_scalar("SELECT name_key FROM catalog_items WHERE id = ?")
            .bind(u.item.id)
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(key, text::fold(&u.item.name));
    }
    // Ids are not reused (9 was deleted), references still hold, and foreign keys are on again.
    assert!(items.iter().all(|u| u.item.id > 9));
    let vip = catalogs::find(&store, CatalogKind::Level, "vip").await.unwrap();
    assert_eq!(vip.id, 5);
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(store.pool()).await.unwrap();
    assert_eq!(fk, 1);
    let err = sqlx::query("UPDATE customers SET level_id = 12345 WHERE id = 1").execute(store.pool()).await;
    assert!(err.is_err(), "a dangling reference is refused");
    // A backup was taken before migrating.
    assert!(std::fs::read_dir(dir.path().join(clientele::paths::BACKUP_DIR)).unwrap().count() >= 1);
}

#[tokio::test]
async fn merging_customers_carries_their_care_to_the_survivor() {
    let e = env().await;
    let vip = item(&e, CatalogKind::Level, "VIP").await;
    let a = e.add(CustomerInput { level_id: Some(vip), ..person("Survivor") }).await;
    let b = e.add(CustomerInput { level_id: Some(vip), ..person("Merged away") }).await;
    let rule = care::save_rule(
        &e.store,
        &e.admin,
        CareRuleInput {
            level_id: Some(vip),
            type_id: care_type(&e, "call").await,
            interval_days: 30,
            active: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let planned = care::schedule(&e.store, &e.admin, b.id, call(&e, "2099-01-01T09:00", HCM).await).await.unwrap();
    let mut w = e.store.write(&e.admin).await.unwrap();
    let row_for = |c: &Customer| FollowUpRow {
        customer_id: c.id,
        type_id: planned.type_id,
        title: "Met at the fair".into(),
        done_local: local("2099-01-01T10:00"),
        all_day: false,
        tz: Some(HCM.into()),
        outcome: Some("ordered".into()),
        assignee_id: None,
        notes: None,
    };
    care::record_done_many(&mut w, &[row_for(&b)]).await.unwrap();
    w.commit().await.unwrap();
    let values = customers::get(&e.store, &e.admin, a.id).await.unwrap().to_input();
    customers::merge(&e.store, &e.admin, a.id, &[b.id], &values).await.unwrap();

    let tl = care::timeline(&e.store, &e.admin, a.id, &[TimelineKind::Followup, TimelineKind::Planned], None, 50)
        .await
        .unwrap();
    let titles: Vec<_> = tl.iter().map(|t| t.activity.as_ref().unwrap().title.clone()).collect();
    assert!(titles.contains(&"Met at the fair".to_string()), "{titles:?}");
    assert!(titles.contains(&"Call back".to_string()), "{titles:?}");
    assert_eq!(care::get(&e.store, &e.admin, planned.id).await.unwrap().customer_id, a.id);
    assert_eq!(planned_of_rule(&e, rule.id, a.id).await.len(), 1, "one upcoming rule activity, not two");
    assert!(planned_of_rule(&e, rule.id, b.id).await.is_empty());
    assert_eq!(utc(&last_contact(&e, a.id).await.unwrap()), at(HCM, "2099-01-01T10:00"));
}
