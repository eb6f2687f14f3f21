#![allow(clippy::unwrap_used, reason = "tests")]
//! The permission matrix: every mutating operation × role × (owner / not owner) × customer state
//! (normal, locked, in the pool, pending). Allowed cases work; refused ones change nothing and
//! return the right error code.

mod common;

use clientele::actor::{Actor, Role};
use clientele::care::{self, CareInput};
use clientele::customers::{self, BulkEdit, CustomerInput, Selection, SetValue};
use clientele::ownership;
use clientele::staff::{self, NewStaff};
use common::*;

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Normal,
    Locked,
    Pool,
    Pending,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Admin,
    Manager,
    Owner,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Edit,
    Delete,
    BulkEdit,
    Merge,
    Transfer,
    Release,
    Claim,
    Assign,
    Lock,
    Unlock,
    Approve,
    Reject,
    Activate,
    Deactivate,
}

const OPS: [Op; 14] = [
    Op::Edit,
    Op::Delete,
    Op::BulkEdit,
    Op::Merge,
    Op::Transfer,
    Op::Release,
    Op::Claim,
    Op::Assign,
    Op::Lock,
    Op::Unlock,
    Op::Approve,
    Op::Reject,
    Op::Activate,
    Op::Deactivate,
];

/// The rules, written from the issue, independently of the code under test. Ok(()) = allowed;
/// Err(code) = refused with that code.
fn expected(op: Op, who: Who, state: State) -> Result<(), &'static str> {
    let manager = matches!(who, Who::Admin | Who::Manager);
    // In the pool nobody owns the customer; the "owner" staff member is then just staff.
    let owner = who == Who::Owner && state != State::Pool;
    let locked = state == State::Locked;
    let refuse_other = || if locked { Err("permission.locked") } else { Err("permission.denied") };
    match op {
        Op::Edit | Op::Delete | Op::BulkEdit | Op::Merge => {
            if manager || owner {
                Ok(())
            } else {
                refuse_other()
            }
        }
        Op::Transfer | Op::Activate | Op::Deactivate | Op::Lock | Op::Unlock | Op::Release => {
            if !(manager || owner) {
                return refuse_other();
            }
            match (op, state) {
                (Op::Lock, State::Pool) => Err("input.bad_argument"),
                (Op::Release, State::Locked) => Err("permission.locked"),
                _ => Ok(()),
            }
        }
        Op::Claim => {
            if state == State::Pool {
                Ok(())
            } else {
                Err("permission.denied")
            }
        }
        Op::Assign | Op::Approve => {
            if manager {
                Ok(())
            } else {
                Err("permission.denied")
            }
        }
        Op::Reject => {
            if !manager {
                Err("permission.denied")
            } else if state != State::Pending {
                Err("input.bad_argument")
            } else {
                Ok(())
            }
        }
    }
}

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

/// Everything about a customer that any operation could change, plus its history length.
async fn fingerprint(e: &Env, id: i64) -> String {
    let c = customers::get(&e.store, &e.admin, id).await.unwrap();
    let h = clientele::history::for_entity(&e.store, &e.admin, "customer", id, None, 500).await.unwrap();
    format!("{}|{}", serde_json::to_string(&c).unwrap(), h.len())
}

#[tokio::test]
async fn permission_matrix() {
    let e = env().await;
    let manager = member(&e, "Manager", Role::Manager).await;
    let owner = member(&e, "Owner", Role::Staff).await;
    let other = member(&e, "Other", Role::Staff).await;
    let mut n = 0;
    for state in [State::Normal, State::Locked, State::Pool, State::Pending] {
        for who in [Who::Admin, Who::Manager, Who::Owner, Who::Other] {
            for op in OPS {
                n += 1;
                // A fresh customer (and a second one for merge) in the state under test.
                ownership::set_approval_required(&e.store, &e.admin, state == State::Pending).await.unwrap();
                let make = |name: String| {
                    let owner = owner.clone();
                    let store = &e.store;
                    async move {
                        customers::create(store, &owner, CustomerInput { name, ..Default::default() }).await.unwrap()
                    }
                };
                let c = make(format!("C {n}")).await;
                let partner = make(format!("P {n}")).await;
                ownership::set_approval_required(&e.store, &e.admin, false).await.unwrap();
                match state {
                    State::Locked => {
                        ownership::set_locked(&e.store, &owner, &[c.id, partner.id], true).await.unwrap();
                    }
                    State::Pool => {
                        ownership::release(&e.store, &owner, &[c.id, partner.id], Some("test")).await.unwrap();
                    }
                    _ => {}
                }
                let actor = match who {
                    Who::Admin => &e.admin,
                    Who::Manager => &manager,
                    Who::Owner => &owner,
                    Who::Other => &other,
                };
                let before = fingerprint(&e, c.id).await;
                let ids = [c.id];
                let result: clientele::Result<()> = match op {
                    Op::Edit => {
                        let mut input = customers::get(&e.store, &e.admin, c.id).await.unwrap().to_input();
                        input.notes = Some("changed".into());
                        customers::update(&e.store, actor, c.id, input).await.map(|_| ())
                    }
                    Op::Delete => {
                        customers::delete(&e.store, actor, &Selection::Ids { ids: ids.to_vec() }).await.map(|_| ())
                    }
                    Op::BulkEdit => {
                        let gold = clientele::catalogs::find(&e.store, clientele::catalogs::CatalogKind::Level, "Gold")
                            .await
                            .unwrap()
                            .id;
                        let edit = BulkEdit { level: Some(SetValue { id: Some(gold) }), ..Default::default() };
                        customers::bulk_edit(&e.store, actor, &Selection::Ids { ids: ids.to_vec() }, &edit)
                            .await
                            .map(|_| ())
                    }
                    Op::Merge => {
                        // The customer under test is merged away into a partner of the same state.
                        let values = customers::get(&e.store, &e.admin, partner.id).await.unwrap().to_input();
                        customers::merge(&e.store, actor, partner.id, &ids, &values).await.map(|_| ())
                    }
                    Op::Transfer => {
                        ownership::transfer(&e.store, actor, &ids, other.staff_id, Some("why"), true).await.map(|_| ())
                    }
                    Op::Release => ownership::release(&e.store, actor, &ids, None).await.map(|_| ()),
                    Op::Claim => ownership::claim(&e.store, actor, &ids).await.map(|_| ()),
                    Op::Assign => {
                        ownership::assign(&e.store, actor, &ids, other.staff_id, None, true).await.map(|_| ())
                    }
                    Op::Lock => ownership::set_locked(&e.store, actor, &ids, true).await.map(|_| ()),
                    Op::Unlock => ownership::set_locked(&e.store, actor, &ids, false).await.map(|_| ()),
                    Op::Approve => ownership::approve(&e.store, actor, &ids).await.map(|_| ()),
                    Op::Reject => ownership::reject(&e.store, actor, &ids, "incomplete").await.map(|_| ()),
                    Op::Activate => ownership::set_active(&e.store, actor, &ids, true).await.map(|_| ()),
                    Op::Deactivate => ownership::set_active(&e.store, actor, &ids, false).await.map(|_| ()),
                };
                let want = expected(op, who, state);
                match (&result, want) {
                    (Ok(()), Ok(())) => {}
                    (Err(err), Err(code)) => {
                        assert_eq!(err.code(), code, "{op:?} by {who:?} on {state:?}: {err}");
                        assert_eq!(
                            fingerprint(&e, c.id).await,
                            before,
                            "{op:?} by {who:?} on {state:?} changed something"
                        );
                    }
                    (got, want) => panic!("{op:?} by {who:?} on {state:?}: got {got:?}, want {want:?}"),
                }
            }
        }
    }
    assert_eq!(n, 4 * 4 * OPS.len());
}

#[tokio::test]
async fn locked_customers_open_only_for_their_owner_and_managers() {
    let e = env().await;
    let owner = member(&e, "Owner", Role::Staff).await;
    let other = member(&e, "Other", Role::Staff).await;
    let c = customers::create(&e.store, &owner, with_phone("Bí mật", "0912345678")).await.unwrap();
    // Unlocked: others read it.
    assert!(customers::get(&e.store, &other, c.id).await.is_ok());
    ownership::set_locked(&e.store, &owner, &[c.id], true).await.unwrap();
    assert_eq!(customers::get(&e.store, &other, c.id).await.unwrap_err().code(), "permission.locked");
    assert!(customers::get(&e.store, &owner, c.id).await.is_ok());
    assert!(customers::get(&e.store, &e.admin, c.id).await.is_ok());
    // History records who locked it.
    let h = clientele::history::for_entity(&e.store, &e.admin, "customer", c.id, None, 5).await.unwrap();
    assert_eq!(h[0].action, "lock");
    assert_eq!(h[0].actor_id, Some(owner.staff_id));
}

#[tokio::test]
async fn pool_claim_with_a_limit() {
    let e = env().await;
    let a = member(&e, "An", Role::Staff).await;
    let b = member(&e, "Binh", Role::Staff).await;
    let c1 = customers::create(&e.store, &a, person("Một")).await.unwrap();
    let c2 = customers::create(&e.store, &a, person("Hai")).await.unwrap();
    assert_eq!(ownership::release(&e.store, &a, &[c1.id, c2.id], Some("no time")).await.unwrap(), 2);
    let after = customers::get(&e.store, &e.admin, c1.id).await.unwrap();
    assert!(after.in_pool && after.owner_id.is_none());
    assert_eq!(ownership::counts(&e.store, &b).await.unwrap().pool, 2);
    ownership::set_claim_limit(&e.store, &e.admin, b.staff_id, Some(1)).await.unwrap();
    // Claiming both is over the limit: nothing changes.
    assert_eq!(ownership::claim(&e.store, &b, &[c1.id, c2.id]).await.unwrap_err().code(), "permission.denied");
    assert!(customers::get(&e.store, &e.admin, c1.id).await.unwrap().in_pool);
    assert_eq!(ownership::claim(&e.store, &b, &[c1.id]).await.unwrap(), 1);
    let mine = customers::get(&e.store, &b, c1.id).await.unwrap();
    assert_eq!(mine.owner_id, Some(b.staff_id));
    // A manager assigns the other one to An again.
    let m = member(&e, "Manager", Role::Manager).await;
    ownership::assign(&e.store, &m, &[c2.id], a.staff_id, Some("back to you"), false).await.unwrap();
    let h = clientele::history::for_entity(&e.store, &e.admin, "customer", c2.id, None, 5).await.unwrap();
    assert_eq!(h[0].action, "assign");
    assert!(h[0].changes.iter().any(|x| x.field == "reason" && x.after == "back to you"));
}

#[tokio::test]
async fn approval_flow() {
    let e = env().await;
    let clerk = member(&e, "Clerk", Role::Staff).await;
    let manager = member(&e, "Manager", Role::Manager).await;
    ownership::set_approval_required(&e.store, &e.admin, true).await.unwrap();
    let c = customers::create(&e.store, &clerk, person("Chờ duyệt")).await.unwrap();
    assert_eq!(c.approval, customers::Approval::Pending);
    // A manager's own customers need no approval.
    let m = customers::create(&e.store, &manager, person("Quản lý tạo")).await.unwrap();
    assert_eq!(m.approval, customers::Approval::Approved);
    assert_eq!(ownership::counts(&e.store, &manager).await.unwrap().pending, 1);
    // Another staff member does not see it.
    let other = member(&e, "Other", Role::Staff).await;
    assert_eq!(customers::get(&e.store, &other, c.id).await.unwrap_err().code(), "permission.denied");
    // Reject needs a reason; the creator fixes and resubmits; the manager approves.
    assert_eq!(ownership::reject(&e.store, &manager, &[c.id], "  ").await.unwrap_err().code(), "input.invalid");
    ownership::reject(&e.store, &manager, &[c.id], "thiếu số điện thoại").await.unwrap();
    let r = customers::get(&e.store, &clerk, c.id).await.unwrap();
    assert_eq!(r.approval, customers::Approval::Rejected);
    assert_eq!(r.approval_reason.as_deref(), Some("thiếu số điện thoại"));
    let mut input = r.to_input();
    input.phones = vec!["0912345678".into()];
    customers::update(&e.store, &clerk, c.id, input).await.unwrap();
    ownership::resubmit(&e.store, &clerk, c.id).await.unwrap();
    assert_eq!(ownership::approve(&e.store, &clerk, &[c.id]).await.unwrap_err().code(), "permission.denied");
    ownership::approve(&e.store, &manager, &[c.id]).await.unwrap();
    assert_eq!(customers::get(&e.store, &other, c.id).await.unwrap().approval, customers::Approval::Approved);
}

#[tokio::test]
async fn pool_pending_and_inactive_are_list_filters() {
    use clientele::customers::{ActiveFilter, Approval, CustomerFilter, ListQuery, Selection};
    let e = env().await;
    let clerk = member(&e, "Clerk", Role::Staff).await;
    let a = e.add(person("Ở ngoài")).await;
    let b = e.add(person("Trong pool")).await;
    let c = e.add(person("Ngừng")).await;
    ownership::release(&e.store, &e.admin, &[b.id], None).await.unwrap();
    ownership::set_active(&e.store, &e.admin, &[c.id], false).await.unwrap();
    ownership::set_approval_required(&e.store, &e.admin, true).await.unwrap();
    let p = customers::create(&e.store, &clerk, person("Chờ")).await.unwrap();
    let names = |filter: CustomerFilter, search: &'static str| {
        let e = &e;
        async move {
            let q = ListQuery { filter: filter.clone(), search: search.into(), limit: 100, ..Default::default() };
            let page = customers::list(&e.store, &e.admin, &q).await.unwrap();
            let n = customers::count(&e.store, &e.admin, search, &filter, false).await.unwrap();
            assert_eq!(n as usize, page.rows.len());
            let mut ids = page.rows.into_iter().map(|r| r.id).collect::<Vec<_>>();
            ids.sort();
            ids
        }
    };
    let active = |a| CustomerFilter { active: Some(a), ..Default::default() };
    assert_eq!(names(CustomerFilter { in_pool: Some(true), ..Default::default() }, "").await, [b.id]);
    assert_eq!(names(active(ActiveFilter::Inactive), "").await, [c.id]);
    assert_eq!(names(CustomerFilter { approval: Some(Approval::Pending), ..Default::default() }, "").await, [p.id]);
    let approved = CustomerFilter { approval: Some(Approval::Approved), ..Default::default() };
    assert_eq!(
        names(CustomerFilter { active: Some(ActiveFilter::Active), ..approved.clone() }, "").await,
        [a.id, b.id]
    );
    // The default list hides the inactive customer, with or without a search; "all" shows it.
    assert_eq!(names(approved, "").await, [a.id, b.id]);
    assert_eq!(names(CustomerFilter::default(), "").await, [a.id, b.id, p.id]);
    assert_eq!(names(CustomerFilter::default(), "ngung").await, Vec::<i64>::new());
    assert_eq!(names(active(ActiveFilter::All), "ngung").await, [c.id]);
    assert_eq!(names(active(ActiveFilter::All), "").await, [a.id, b.id, c.id, p.id]);
    assert_eq!(e.count("").await, 3);
    // "Select all matching" without a filter leaves the inactive customer alone.
    let all = Selection::Matching { search: String::new(), filter: CustomerFilter::default(), except: vec![] };
    assert_eq!(customers::delete(&e.store, &e.admin, &all).await.unwrap(), 3);
    assert!(customers::get(&e.store, &e.admin, c.id).await.unwrap().deleted_at.is_none());
    // The trash shows every customer it holds; the inactive one counts once it is there too.
    assert_eq!(customers::count(&e.store, &e.admin, "", &CustomerFilter::default(), true).await.unwrap(), 3);
    customers::delete(&e.store, &e.admin, &Selection::Ids { ids: vec![c.id] }).await.unwrap();
    assert_eq!(customers::count(&e.store, &e.admin, "", &CustomerFilter::default(), true).await.unwrap(), 4);
    assert_eq!(customers::count(&e.store, &e.admin, "", &active(ActiveFilter::Inactive), true).await.unwrap(), 1);
    assert_eq!(customers::count(&e.store, &e.admin, "", &active(ActiveFilter::All), false).await.unwrap(), 0);
}

/// Saved views stored `active` as a flag before it had three values.
#[test]
fn old_saved_filters_still_read() {
    use clientele::customers::{ActiveFilter, CustomerFilter};
    let read = |json: &str| serde_json::from_str::<CustomerFilter>(json).unwrap().active;
    assert_eq!(read(r#"{"active": false}"#), Some(ActiveFilter::Inactive));
    assert_eq!(read(r#"{"active": true}"#), Some(ActiveFilter::Active));
    assert_eq!(read(r#"{"active": null}"#), None);
    assert_eq!(read(r#"{}"#), None);
    assert_eq!(read(r#"{"active": "all"}"#), Some(ActiveFilter::All));
    assert!(serde_json::from_str::<CustomerFilter>(r#"{"active": "maybe"}"#).is_err());
}

#[tokio::test]
async fn locked_rows_show_only_code_and_name_to_other_staff() {
    use clientele::customers::ListQuery;
    let e = env().await;
    let owner = member(&e, "Owner", Role::Staff).await;
    let other = member(&e, "Other", Role::Staff).await;
    let c = customers::create(
        &e.store,
        &owner,
        CustomerInput { emails: vec!["bi.mat@example.com".into()], ..with_phone("Bí Mật", "0912345678") },
    )
    .await
    .unwrap();
    ownership::set_locked(&e.store, &owner, &[c.id], true).await.unwrap();
    let q = ListQuery { search: "mat".into(), limit: 10, ..Default::default() };
    let seen = customers::list(&e.store, &other, &q).await.unwrap().rows;
    assert_eq!(seen.len(), 1);
    assert_eq!((seen[0].code.as_str(), seen[0].name.as_str()), (c.code.as_str(), "Bí Mật"));
    assert!(seen[0].locked && seen[0].phone.is_none() && seen[0].email.is_none());
    let own = customers::list(&e.store, &owner, &q).await.unwrap().rows;
    assert_eq!(own[0].phone.as_deref(), Some("0912345678"));
    let mgr = customers::list(&e.store, &e.admin, &q).await.unwrap().rows;
    assert_eq!(mgr[0].email.as_deref(), Some("bi.mat@example.com"));
    // The claim limit is on the staff member.
    ownership::set_claim_limit(&e.store, &e.admin, other.staff_id, Some(3)).await.unwrap();
    let listed = staff::list(&e.store).await.unwrap();
    assert_eq!(listed.iter().find(|s| s.id == other.staff_id).unwrap().claim_limit, Some(3));
}

/// A planned call on `customer` (assigned to `assignee`, or to its owner).
async fn planned(e: &Env, actor: &Actor, customer: i64, assignee: Option<i64>) -> i64 {
    let call = clientele::catalogs::find(&e.store, clientele::catalogs::CatalogKind::CareType, "call").await.unwrap();
    let input = CareInput {
        type_id: call.id,
        title: "Call back".into(),
        due: "2030-06-01T09:00".into(),
        tz: Some("Asia/Ho_Chi_Minh".into()),
        assignee_id: assignee,
        ..Default::default()
    };
    care::schedule(&e.store, actor, customer, input).await.unwrap().id
}

async fn assignee(e: &Env, activity: i64) -> Option<i64> {
    care::get(&e.store, &e.admin, activity).await.unwrap().assignee_id
}

/// The activity's `reassign` history entries as (before, after) of `assignee_id`.
async fn reassigns(e: &Env, activity: i64) -> Vec<(serde_json::Value, serde_json::Value)> {
    let h = clientele::history::for_entity(&e.store, &e.admin, "care_activity", activity, None, 50).await.unwrap();
    h.iter()
        .filter(|x| x.action == "reassign")
        .flat_map(|x| {
            x.changes.iter().filter(|c| c.field == "assignee_id").map(|c| (c.before.clone(), c.after.clone()))
        })
        .collect()
}

#[tokio::test]
async fn planned_care_follows_a_transfer_when_asked() {
    let e = env().await;
    let lan = member(&e, "Lan", Role::Staff).await;
    let minh = member(&e, "Minh", Role::Staff).await;
    let hoa = member(&e, "Hoa", Role::Staff).await;
    let c1 = customers::create(&e.store, &lan, person("Một")).await.unwrap();
    let c2 = customers::create(&e.store, &lan, person("Hai")).await.unwrap();
    let c3 = customers::create(&e.store, &lan, person("Ba")).await.unwrap();
    let hoas = customers::create(&e.store, &hoa, person("Của Hoa")).await.unwrap();
    // c1: the owner's, someone else's, an unassigned one, a done one and a cancelled one.
    let own = planned(&e, &lan, c1.id, None).await;
    let given = planned(&e, &e.admin, c1.id, Some(hoa.staff_id)).await;
    let unassigned = planned(&e, &lan, c1.id, None).await;
    sqlx::query("UPDATE care_activities SET assignee_id = NULL WHERE id = ?")
        .bind(unassigned)
        .execute(e.store.pool())
        .await
        .unwrap();
    let done = planned(&e, &lan, c1.id, None).await;
    care::complete(&e.store, &lan, done, "Talked", None).await.unwrap();
    let cancelled = planned(&e, &lan, c1.id, None).await;
    care::cancel(&e.store, &lan, cancelled, None).await.unwrap();
    let second = planned(&e, &lan, c2.id, None).await;
    let stays = planned(&e, &lan, c3.id, None).await;

    // Refused (one of the customers is not Lan's): nothing changes, no history.
    let err = ownership::transfer(&e.store, &lan, &[c1.id, hoas.id], minh.staff_id, None, true).await.unwrap_err();
    assert_eq!(err.code(), "permission.denied");
    let err = ownership::transfer(&e.store, &hoa, &[c1.id], minh.staff_id, None, true).await.unwrap_err();
    assert_eq!(err.code(), "permission.denied");
    assert_eq!(assignee(&e, own).await, Some(lan.staff_id));
    assert_eq!(assignee(&e, unassigned).await, None);
    assert!(reassigns(&e, own).await.is_empty());
    assert_eq!(customers::get(&e.store, &e.admin, c1.id).await.unwrap().owner_id, Some(lan.staff_id));

    // With the option: the owner's and the unassigned planned activities follow, each with history.
    let n =
        ownership::transfer(&e.store, &lan, &[c1.id, c2.id], minh.staff_id, Some("new branch"), true).await.unwrap();
    assert_eq!(n, 2);
    assert_eq!(customers::get(&e.store, &e.admin, c1.id).await.unwrap().owner_id, Some(minh.staff_id));
    assert_eq!(assignee(&e, own).await, Some(minh.staff_id));
    assert_eq!(assignee(&e, unassigned).await, Some(minh.staff_id));
    assert_eq!(assignee(&e, second).await, Some(minh.staff_id));
    assert_eq!(assignee(&e, given).await, Some(hoa.staff_id), "given to someone on purpose");
    assert_eq!(assignee(&e, done).await, Some(lan.staff_id), "a follow-up record keeps who did it");
    assert_eq!(assignee(&e, cancelled).await, Some(lan.staff_id));
    assert_eq!(reassigns(&e, own).await, vec![(serde_json::json!(lan.staff_id), serde_json::json!(minh.staff_id))]);
    assert_eq!(reassigns(&e, unassigned).await, vec![(serde_json::Value::Null, serde_json::json!(minh.staff_id))]);
    assert!(reassigns(&e, given).await.is_empty());
    assert!(reassigns(&e, done).await.is_empty());
    let h = clientele::history::for_entity(&e.store, &e.admin, "care_activity", own, None, 5).await.unwrap();
    assert_eq!(h[0].actor_id, Some(lan.staff_id));
    // Minh now sees it among his own.
    assert_eq!(care::get(&e.store, &minh, own).await.unwrap().assignee_id, Some(minh.staff_id));

    // Without the option: the owner changes, the care stays.
    assert_eq!(ownership::transfer(&e.store, &lan, &[c3.id], minh.staff_id, None, false).await.unwrap(), 1);
    assert_eq!(customers::get(&e.store, &e.admin, c3.id).await.unwrap().owner_id, Some(minh.staff_id));
    assert_eq!(assignee(&e, stays).await, Some(lan.staff_id));
    assert!(reassigns(&e, stays).await.is_empty());

    // Assign from the pool: no previous owner, so only unassigned activities follow.
    let pooled = customers::create(&e.store, &lan, person("Bốn")).await.unwrap();
    let lans = planned(&e, &lan, pooled.id, None).await;
    let nobodys = planned(&e, &lan, pooled.id, None).await;
    sqlx::query("UPDATE care_activities SET assignee_id = NULL WHERE id = ?")
        .bind(nobodys)
        .execute(e.store.pool())
        .await
        .unwrap();
    ownership::release(&e.store, &lan, &[pooled.id], None).await.unwrap();
    let manager = member(&e, "Manager", Role::Manager).await;
    assert_eq!(ownership::assign(&e.store, &manager, &[pooled.id], minh.staff_id, None, true).await.unwrap(), 1);
    assert_eq!(assignee(&e, nobodys).await, Some(minh.staff_id));
    assert_eq!(assignee(&e, lans).await, Some(lan.staff_id));
    assert_eq!(reassigns(&e, nobodys).await.len(), 1);
}
