//! Changing the care schedule: schedule, complete (with the next step), reschedule, cancel, and
//! recording many done activities at once (the follow-up records import). Each change writes
//! its history entry in the same transaction; completing keeps the customer's last contact and
//! its recurring activities up to date.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use serde_json::{Value, json};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use tracing::instrument;

use super::query::load;
use super::rules::{self, Scope};
use super::time;
use super::types::*;
use crate::actor::Actor;
use crate::customers::Customer;
use crate::error::{Error, FieldError, Result};
use crate::history::FieldChange;
use crate::store::{Store, WriteTx};
use crate::text;

const MAX_TITLE: usize = 200;
const MAX_NOTES: usize = 4000;
const MAX_DURATION: i64 = 7 * 24 * 60;

/// History entries of activities are on this entity.
pub(crate) const ENTITY: &str = "care_activity";

fn change(field: &str, before: Value, after: Value) -> FieldChange {
    FieldChange { field: field.to_owned(), before, after }
}

/// A resolved due: wall clock, zone, instant.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Due {
    pub local: NaiveDateTime,
    pub all_day: bool,
    pub tz: Tz,
    pub at: DateTime<Utc>,
}

impl Due {
    pub fn new(local: NaiveDateTime, all_day: bool, tz: Tz) -> Due {
        Due { local, all_day, tz, at: time::resolve(tz, local) }
    }
}

/// A care input checked against everything that needs no database.
struct Checked {
    title: String,
    due: Due,
    duration_min: Option<i64>,
    notes: Option<String>,
}

fn check_input(input: &CareInput, prefix: &str) -> Result<Checked> {
    let f = |name: &str| format!("{prefix}{name}");
    let mut errors = Vec::new();
    let title = text::clean(&input.title);
    if title.chars().count() > MAX_TITLE {
        errors.push(FieldError::new(f("title"), "too_long"));
    }
    let notes = input.notes.as_deref().map(text::clean_multiline).filter(|n| !n.is_empty());
    if notes.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTES) {
        errors.push(FieldError::new(f("notes"), "too_long"));
    }
    if let Some(d) = input.duration_min
        && !(1..=MAX_DURATION).contains(&d)
    {
        errors.push(FieldError::new(f("duration_min"), "invalid").with_value(d.to_string()));
    }
    let tz = time::zone(input.tz.as_deref(), &f("tz"));
    let local = if input.due.trim().is_empty() {
        Err(Error::Validation(vec![FieldError::new(f("due"), "required")]))
    } else {
        time::parse_local(&input.due, &f("due"))
    };
    for r in [tz.as_ref().err(), local.as_ref().err()].into_iter().flatten() {
        if let Error::Validation(fields) = r {
            errors.extend(fields.iter().cloned());
        }
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let (tz, (local, all_day)) = (tz?, local?);
    Ok(Checked { title, due: Due::new(local, all_day, tz), duration_min: input.duration_min, notes })
}

/// The name of a care type, refusing anything else (and inactive types unless `allow_inactive`).
async fn care_type_name(conn: &mut SqliteConnection, id: i64, field: &str, allow_inactive: bool) -> Result<String> {
    let row: Option<(String, String, bool)> =
        sqlx::query_as("SELECT kind, name, active FROM catalog_items WHERE id = ?")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    match row {
        Some((kind, name, active)) if kind == "care_type" => {
            if active || allow_inactive {
                Ok(name)
            } else {
                Err(Error::Validation(vec![FieldError::new(field, "inactive").with_value(id.to_string())]))
            }
        }
        _ => Err(Error::Validation(vec![FieldError::new(field, "invalid").with_value(id.to_string())])),
    }
}

async fn check_assignee(conn: &mut SqliteConnection, id: i64, field: &str) -> Result<()> {
    let active: Option<bool> =
        sqlx::query_scalar("SELECT active FROM staff WHERE id = ?").bind(id).fetch_optional(conn).await?;
    if active == Some(true) {
        Ok(())
    } else {
        Err(Error::Validation(vec![FieldError::new(field, "invalid").with_value(id.to_string())]))
    }
}

/// A live customer, or `customer.not_found`.
async fn live_customer(conn: &mut SqliteConnection, id: i64) -> Result<Customer> {
    let c = crate::customers::load_for_import(conn, id).await?;
    if c.deleted_at.is_some() {
        return Err(Error::CustomerNotFound(id.to_string()));
    }
    Ok(c)
}

/// Schedule an activity on `customer` inside `w`; field errors are named `{prefix}due` etc.
/// Returns the new activity's id. The caller applies the recurring rules and commits.
pub(crate) async fn schedule_in(
    w: &mut WriteTx<'_>,
    customer: &Customer,
    input: &CareInput,
    prefix: &str,
) -> Result<i64> {
    let assignee = input.assignee_id.or(customer.owner_id);
    w.actor.can_schedule_care(customer, assignee)?;
    if customer.deleted_at.is_some() {
        return Err(Error::CustomerNotFound(customer.code.clone()));
    }
    let checked = check_input(input, prefix)?;
    let type_name = care_type_name(w.conn(), input.type_id, &format!("{prefix}type_id"), false).await?;
    if let Some(a) = input.assignee_id {
        check_assignee(w.conn(), a, &format!("{prefix}assignee_id")).await?;
    }
    let title = if checked.title.is_empty() { type_name } else { checked.title };
    let now = w.now;
    let actor_id = w.actor.staff_id;
    let due = checked.due;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO care_activities (customer_id, type_id, title, due_at, due_local, all_day, tz, duration_min, \
         assignee_id, notes, state, created_at, created_by, updated_at, updated_by) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'planned', ?, ?, ?, ?) RETURNING id",
    )
    .bind(customer.id)
    .bind(input.type_id)
    .bind(&title)
    .bind(due.at)
    .bind(time::local_text(due.local))
    .bind(due.all_day)
    .bind(due.tz.name())
    .bind(checked.duration_min)
    .bind(assignee)
    .bind(&checked.notes)
    .bind(now)
    .bind(actor_id)
    .bind(now)
    .bind(actor_id)
    .fetch_one(w.conn())
    .await?;
    let mut changes = vec![
        change("customer_id", Value::Null, json!(customer.id)),
        change("type_id", Value::Null, json!(input.type_id)),
        change("title", Value::Null, json!(title)),
        change("due_local", Value::Null, json!(time::local_text(due.local))),
        change("tz", Value::Null, json!(due.tz.name())),
        change("due_at", Value::Null, json!(due.at)),
    ];
    if due.all_day {
        changes.push(change("all_day", Value::Null, json!(true)));
    }
    if let Some(a) = assignee {
        changes.push(change("assignee_id", Value::Null, json!(a)));
    }
    if let Some(d) = checked.duration_min {
        changes.push(change("duration_min", Value::Null, json!(d)));
    }
    if let Some(n) = &checked.notes {
        changes.push(change("notes", Value::Null, json!(n)));
    }
    w.history(ENTITY, id, "create", &changes).await?;
    Ok(id)
}

/// Schedule a care activity on a customer (the assignee defaults to the customer's owner).
#[instrument(skip(store, actor, input), fields(actor = actor.staff_id))]
pub async fn schedule(store: &Store, actor: &Actor, customer_id: i64, input: CareInput) -> Result<CareActivity> {
    let mut w = store.write(actor).await?;
    let c = live_customer(w.conn(), customer_id).await?;
    let id = schedule_in(&mut w, &c, &input, "").await?;
    let now = w.now;
    let a = load(w.conn(), id, now).await?;
    w.commit().await?;
    Ok(a)
}

#[derive(sqlx::FromRow)]
struct Current {
    customer_id: i64,
    state: String,
    assignee_id: Option<i64>,
    due_local: String,
    all_day: bool,
    tz: String,
    due_at: DateTime<Utc>,
}

/// A planned activity that the actor may change, and its customer.
async fn planned_for_change(w: &mut WriteTx<'_>, id: i64) -> Result<(Current, Customer)> {
    let cur: Option<Current> = sqlx::query_as(
        "SELECT customer_id, state, assignee_id, due_local, all_day, tz, due_at FROM care_activities WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(w.conn())
    .await?;
    let cur = cur.ok_or_else(|| Error::NotFound { entity: "care_activity", id: id.to_string() })?;
    let c = crate::customers::load_for_import(w.conn(), cur.customer_id).await?;
    w.actor.can_change_care(&c, cur.assignee_id)?;
    if c.deleted_at.is_some() {
        return Err(Error::CustomerNotFound(c.code.clone()));
    }
    let state = CareState::parse(&cur.state).unwrap_or_default();
    if state != CareState::Planned {
        return Err(Error::CareNotPlanned { id, state: state.as_str() });
    }
    Ok((cur, c))
}

/// Raise the customers' last contact to `at` where it is earlier (or unset).
pub(crate) async fn touch_last_contact(conn: &mut SqliteConnection, customer_id: i64, at: DateTime<Utc>) -> Result<()> {
    sqlx::query(
        "UPDATE customers SET last_contact_at = ? WHERE id = ? AND (last_contact_at IS NULL OR last_contact_at < ?)",
    )
    .bind(at)
    .bind(customer_id)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Recompute `last_contact_at` (the latest done activity) of the customers in `temp.care_scope`
/// (e.g. after done activities were removed by an import's revert).
pub(crate) async fn refresh_last_contact_scoped(conn: &mut SqliteConnection) -> Result<()> {
    sqlx::query(
        "UPDATE customers SET last_contact_at = (SELECT max(a.done_at) FROM care_activities a \
         WHERE a.customer_id = customers.id AND a.state = 'done') \
         WHERE id IN (SELECT id FROM temp.care_scope)",
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Recompute the last contact of these customers from their done activities, and bring their
/// recurring activities in line, inside an open transaction (for an import's revert, which
/// removes done activities).
pub async fn refresh_customers(w: &mut WriteTx<'_>, customer_ids: &[i64]) -> Result<()> {
    rules::fill_scope(w.conn(), customer_ids).await?;
    refresh_last_contact_scoped(w.conn()).await?;
    rules::apply_in(w, Scope::Loaded).await?;
    Ok(())
}

/// Undo the follow-up records an import recorded (`record_done_many` under `batch_id`), inside the
/// revert's transaction: they are deleted (each with a history entry), and the customers' last
/// contact and recurring activities are recomputed. Returns how many were removed.
pub async fn revert_batch(w: &mut WriteTx<'_>, batch_id: i64) -> Result<u64> {
    let customers: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT customer_id FROM care_activities WHERE batch_id = ?")
        .bind(batch_id)
        .fetch_all(w.conn())
        .await?;
    if customers.is_empty() {
        return Ok(0);
    }
    sqlx::query(
        "INSERT INTO history (entity, entity_id, action, changes, actor_id, at, batch_id) \
         SELECT 'care_activity', id, 'import_revert', json_array(\
            json_object('field', 'state', 'before', state, 'after', NULL)), ?, ?, ? \
         FROM care_activities WHERE batch_id = ? ORDER BY id",
    )
    .bind(w.actor.staff_id)
    .bind(w.now)
    .bind(batch_id)
    .bind(batch_id)
    .execute(w.conn())
    .await?;
    let removed = sqlx::query("DELETE FROM care_activities WHERE batch_id = ?")
        .bind(batch_id)
        .execute(w.conn())
        .await?
        .rows_affected();
    refresh_customers(w, &customers).await?;
    Ok(removed)
}

/// Carry the care of merged customers (`others`) over to the one that stays (`survivor`), inside
/// the merge's transaction: every activity moves (follow-up records included, each with a
/// history entry), the others' planned activities of recurring rules are cancelled (the rules
/// plan the survivor's), then the survivor's last contact and recurring activities are brought
/// in line.
pub async fn merge_into(w: &mut WriteTx<'_>, survivor: i64, others: &[i64]) -> Result<()> {
    let others: Vec<i64> = others.iter().copied().filter(|id| *id != survivor).collect();
    if others.is_empty() {
        return Ok(());
    }
    rules::fill_scope(w.conn(), &others).await?;
    let now = w.now;
    let actor_id = w.actor.staff_id;
    sqlx::query(
        "INSERT INTO history (entity, entity_id, action, changes, actor_id, at) \
         SELECT 'care_activity', id, 'cancel', json_array(\
            json_object('field', 'state', 'before', 'planned', 'after', 'cancelled'), \
            json_object('field', 'reason', 'before', NULL, 'after', 'merged')), ?, ? \
         FROM care_activities WHERE customer_id IN (SELECT id FROM temp.care_scope) \
         AND state = 'planned' AND rule_id IS NOT NULL",
    )
    .bind(actor_id)
    .bind(now)
    .execute(w.conn())
    .await?;
    sqlx::query(
        "UPDATE care_activities SET state = 'cancelled', outcome = 'merged', updated_at = ?, updated_by = ? \
         WHERE customer_id IN (SELECT id FROM temp.care_scope) AND state = 'planned' AND rule_id IS NOT NULL",
    )
    .bind(now)
    .bind(actor_id)
    .execute(w.conn())
    .await?;
    sqlx::query(
        "INSERT INTO history (entity, entity_id, action, changes, actor_id, at) \
         SELECT 'care_activity', id, 'merge', json_array(\
            json_object('field', 'customer_id', 'before', customer_id, 'after', ?)), ?, ? \
         FROM care_activities WHERE customer_id IN (SELECT id FROM temp.care_scope)",
    )
    .bind(survivor)
    .bind(actor_id)
    .bind(now)
    .execute(w.conn())
    .await?;
    sqlx::query(
        "UPDATE care_activities SET customer_id = ?, updated_at = ?, updated_by = ? \
         WHERE customer_id IN (SELECT id FROM temp.care_scope)",
    )
    .bind(survivor)
    .bind(now)
    .bind(actor_id)
    .execute(w.conn())
    .await?;
    let mut all = others;
    all.push(survivor);
    refresh_customers(w, &all).await
}

/// Mark a planned activity done with its outcome: it becomes a follow-up record, the
/// customer's last contact moves to now, and `next` (if given) is scheduled on the same customer
/// in the same transaction. Recurring activities of the customer follow the new last contact.
#[instrument(skip(store, actor, outcome, next), fields(actor = actor.staff_id))]
pub async fn complete(
    store: &Store,
    actor: &Actor,
    id: i64,
    outcome: &str,
    next: Option<CareInput>,
) -> Result<Completed> {
    let outcome = text::clean_multiline(outcome);
    if outcome.is_empty() {
        return Err(Error::Validation(vec![FieldError::new("outcome", "required")]));
    }
    if outcome.chars().count() > MAX_NOTES {
        return Err(Error::Validation(vec![FieldError::new("outcome", "too_long")]));
    }
    let mut w = store.write(actor).await?;
    let (cur, c) = planned_for_change(&mut w, id).await?;
    let now = w.now;
    sqlx::query(
        "UPDATE care_activities SET state = 'done', outcome = ?, done_at = ?, updated_at = ?, updated_by = ? WHERE id = ?",
    )
    .bind(&outcome)
    .bind(now)
    .bind(now)
    .bind(actor.staff_id)
    .bind(id)
    .execute(w.conn())
    .await?;
    let changes = vec![
        change("state", json!("planned"), json!("done")),
        change("outcome", Value::Null, json!(outcome)),
        change("done_at", Value::Null, json!(now)),
    ];
    w.history(ENTITY, id, "complete", &changes).await?;
    touch_last_contact(w.conn(), cur.customer_id, now).await?;
    let next_id = match &next {
        Some(input) => Some(schedule_in(&mut w, &c, input, "next.").await?),
        None => None,
    };
    rules::apply_in(&mut w, Scope::Customers(&[cur.customer_id])).await?;
    let done = load(w.conn(), id, now).await?;
    let next = match next_id {
        Some(n) => Some(load(w.conn(), n, now).await?),
        None => None,
    };
    w.commit().await?;
    Ok(Completed { done, next })
}

/// Move a planned activity. `due` is a new local due (`2026-12-01`, `2026-12-01T09:30`) in `tz`
/// (None: the activity's zone), or a shift by days in wall-clock time (`+3d`, `-1d`) that keeps
/// the time of day across DST changes.
#[instrument(skip(store, actor), fields(actor = actor.staff_id))]
pub async fn reschedule(store: &Store, actor: &Actor, id: i64, due: &str, tz: Option<&str>) -> Result<CareActivity> {
    let mut w = store.write(actor).await?;
    let (cur, _) = planned_for_change(&mut w, id).await?;
    let old_tz: Tz = cur.tz.parse().unwrap_or_else(|_| time::system_zone());
    let zone = match tz.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => time::zone(Some(t), "tz")?,
        None => old_tz,
    };
    let new = match time::parse_shift(due) {
        Some(days) => {
            let local = time::parse_stored(&cur.due_local)
                .ok_or_else(|| Error::Database(format!("care activity {id} has a bad due_local")))?;
            Due::new(time::add_days(local, days, "due")?, cur.all_day, zone)
        }
        None => {
            let (local, all_day) = time::parse_local(due, "due")?;
            Due::new(local, all_day, zone)
        }
    };
    let now = w.now;
    let new_local = time::local_text(new.local);
    let mut changes = Vec::new();
    if new_local != cur.due_local {
        changes.push(change("due_local", json!(cur.due_local), json!(new_local)));
    }
    if new.all_day != cur.all_day {
        changes.push(change("all_day", json!(cur.all_day), json!(new.all_day)));
    }
    if new.tz.name() != cur.tz {
        changes.push(change("tz", json!(cur.tz), json!(new.tz.name())));
    }
    if new.at != cur.due_at {
        changes.push(change("due_at", json!(cur.due_at), json!(new.at)));
    }
    if !changes.is_empty() {
        sqlx::query(
            "UPDATE care_activities SET due_at = ?, due_local = ?, all_day = ?, tz = ?, updated_at = ?, updated_by = ? \
             WHERE id = ?",
        )
        .bind(new.at)
        .bind(&new_local)
        .bind(new.all_day)
        .bind(new.tz.name())
        .bind(now)
        .bind(actor.staff_id)
        .bind(id)
        .execute(w.conn())
        .await?;
        w.history(ENTITY, id, "reschedule", &changes).await?;
    }
    let a = load(w.conn(), id, now).await?;
    w.commit().await?;
    Ok(a)
}

/// Cancel a planned activity (it stays on the timeline, with the reason). A recurring rule's
/// activity is skipped: the rule plans the next one an interval after it.
#[instrument(skip(store, actor), fields(actor = actor.staff_id))]
pub async fn cancel(store: &Store, actor: &Actor, id: i64, reason: Option<&str>) -> Result<CareActivity> {
    let reason = reason.map(text::clean_multiline).filter(|r| !r.is_empty());
    if reason.as_ref().is_some_and(|r| r.chars().count() > MAX_NOTES) {
        return Err(Error::Validation(vec![FieldError::new("reason", "too_long")]));
    }
    let mut w = store.write(actor).await?;
    let (cur, _) = planned_for_change(&mut w, id).await?;
    let now = w.now;
    sqlx::query(
        "UPDATE care_activities SET state = 'cancelled', outcome = ?, updated_at = ?, updated_by = ? WHERE id = ?",
    )
    .bind(&reason)
    .bind(now)
    .bind(actor.staff_id)
    .bind(id)
    .execute(w.conn())
    .await?;
    let mut changes = vec![change("state", json!("planned"), json!("cancelled"))];
    if let Some(r) = &reason {
        changes.push(change("reason", Value::Null, json!(r)));
    }
    w.history(ENTITY, id, "cancel", &changes).await?;
    rules::apply_in(&mut w, Scope::Customers(&[cur.customer_id])).await?;
    let a = load(w.conn(), id, now).await?;
    w.commit().await?;
    Ok(a)
}

/// A follow-up row checked and resolved.
struct Record {
    customer_id: i64,
    type_id: i64,
    title: String,
    due: Due,
    outcome: Option<String>,
    assignee_id: Option<i64>,
    notes: Option<String>,
}

/// Record done activities (follow-up records) on existing customers inside an open transaction
/// (the import's), with a history entry each (carrying `w.batch_id`), then raise the customers'
/// last contact and bring their recurring activities in line. All rows are checked first: one
/// bad row fails the call (fields named `{row index}.type_id`, …) before anything is written.
/// Multi-row statements throughout: 100k rows take seconds.
pub async fn record_done_many(w: &mut WriteTx<'_>, rows: &[FollowUpRow]) -> Result<u64> {
    if rows.is_empty() {
        return Ok(0);
    }
    let actor = w.actor;
    // Customers: live ones only; staff are checked one by one like `schedule`.
    let mut customer_ids: Vec<i64> = rows.iter().map(|r| r.customer_id).collect();
    customer_ids.sort_unstable();
    customer_ids.dedup();
    let mut owners: HashMap<i64, Option<i64>> = HashMap::with_capacity(customer_ids.len());
    for chunk in customer_ids.chunks(500) {
        let mut qb: QueryBuilder<Sqlite> =
            QueryBuilder::new("SELECT id, owner_id FROM customers WHERE deleted_at IS NULL AND id IN (");
        let mut sep = qb.separated(", ");
        for id in chunk {
            sep.push_bind(*id);
        }
        qb.push(")");
        let found: Vec<(i64, Option<i64>)> = qb.build_query_as().fetch_all(w.conn()).await?;
        owners.extend(found);
    }
    if let Some(missing) = customer_ids.iter().find(|id| !owners.contains_key(id)) {
        return Err(Error::CustomerNotFound(missing.to_string()));
    }
    if !actor.is_manager() {
        for chunk in customer_ids.chunks(500) {
            let loaded = crate::customers::load_many_for_rules(w.conn(), chunk).await?;
            let by_id: HashMap<i64, &Customer> = loaded.iter().map(|c| (c.id, c)).collect();
            for r in rows.iter().filter(|r| chunk.binary_search(&r.customer_id).is_ok()) {
                if let Some(c) = by_id.get(&r.customer_id) {
                    actor.can_schedule_care(c, r.assignee_id.or(c.owner_id))?;
                }
            }
        }
    }
    // Types (any care type, active or not) and assignees (any staff member).
    let type_names: HashMap<i64, String> =
        sqlx::query_as("SELECT id, name FROM catalog_items WHERE kind = 'care_type'")
            .fetch_all(w.conn())
            .await?
            .into_iter()
            .collect();
    let staff: HashSet<i64> =
        sqlx::query_scalar("SELECT id FROM staff").fetch_all(w.conn()).await?.into_iter().collect();
    let mut zones: HashMap<Option<String>, Tz> = HashMap::new();
    let mut errors = Vec::new();
    let mut records = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let Some(type_name) = type_names.get(&r.type_id) else {
            errors.push(FieldError::new(format!("{i}.type_id"), "invalid").with_value(r.type_id.to_string()));
            continue;
        };
        if let Some(a) = r.assignee_id
            && !staff.contains(&a)
        {
            errors.push(FieldError::new(format!("{i}.assignee_id"), "invalid").with_value(a.to_string()));
            continue;
        }
        let tz = match zones.get(&r.tz) {
            Some(z) => *z,
            None => match time::zone(r.tz.as_deref(), &format!("{i}.tz")) {
                Ok(z) => {
                    zones.insert(r.tz.clone(), z);
                    z
                }
                Err(Error::Validation(f)) => {
                    errors.extend(f);
                    continue;
                }
                Err(e) => return Err(e),
            },
        };
        let title = text::clean(&r.title);
        let title = if title.is_empty() { type_name.clone() } else { title.chars().take(MAX_TITLE).collect() };
        let local = if r.all_day { r.done_local.date().and_time(chrono::NaiveTime::MIN) } else { r.done_local };
        records.push(Record {
            customer_id: r.customer_id,
            type_id: r.type_id,
            title,
            due: Due::new(local, r.all_day, tz),
            outcome: r.outcome.as_deref().map(text::clean_multiline).filter(|o| !o.is_empty()),
            assignee_id: r.assignee_id.or_else(|| owners.get(&r.customer_id).copied().flatten()),
            notes: r.notes.as_deref().map(text::clean_multiline).filter(|n| !n.is_empty()),
        });
        if errors.len() >= 100 {
            break;
        }
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let now = w.now;
    let batch_id = w.batch_id;
    let first_id: i64 =
        sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM care_activities").fetch_one(w.conn()).await?;
    // 16 values a row: 60 rows a statement.
    for chunk in records.chunks(60) {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO care_activities (customer_id, type_id, title, due_at, due_local, all_day, tz, assignee_id, \
             notes, state, outcome, done_at, batch_id, created_at, created_by, updated_at, updated_by) ",
        );
        qb.push_values(chunk, |mut b, r| {
            b.push_bind(r.customer_id)
                .push_bind(r.type_id)
                .push_bind(r.title.clone())
                .push_bind(r.due.at)
                .push_bind(time::local_text(r.due.local))
                .push_bind(r.due.all_day)
                .push_bind(r.due.tz.name())
                .push_bind(r.assignee_id)
                .push_bind(r.notes.clone())
                .push_unseparated(", 'done'")
                .push_bind(r.outcome.clone())
                .push_bind(r.due.at)
                .push_bind(batch_id)
                .push_bind(now)
                .push_bind(actor.staff_id)
                .push_bind(now)
                .push_bind(actor.staff_id);
        });
        qb.build().execute(w.conn()).await?;
    }
    // One history entry per record, written from the rows themselves.
    sqlx::query(
        "INSERT INTO history (entity, entity_id, action, changes, actor_id, at, batch_id) \
         SELECT 'care_activity', id, 'record', json_array(\
            json_object('field', 'customer_id', 'before', NULL, 'after', customer_id), \
            json_object('field', 'type_id', 'before', NULL, 'after', type_id), \
            json_object('field', 'title', 'before', NULL, 'after', title), \
            json_object('field', 'state', 'before', NULL, 'after', 'done'), \
            json_object('field', 'done_at', 'before', NULL, 'after', done_at), \
            json_object('field', 'outcome', 'before', NULL, 'after', outcome)), ?, ?, ? \
         FROM care_activities WHERE id > ? ORDER BY id",
    )
    .bind(actor.staff_id)
    .bind(now)
    .bind(batch_id)
    .bind(first_id)
    .execute(w.conn())
    .await?;
    rules::fill_scope(w.conn(), &customer_ids).await?;
    refresh_last_contact_scoped(w.conn()).await?;
    rules::apply_in(w, Scope::Loaded).await?;
    Ok(records.len() as u64)
}
