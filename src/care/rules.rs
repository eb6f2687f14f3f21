//! Recurring care: rules per level or segment, and the set-based statements that keep exactly
//! one planned activity per rule per matching customer.
//!
//! For every active rule and every live, active customer of its level (or segment):
//! - with no planned activity of the rule, one is inserted, all day, `interval_days` after the
//!   *base*: the customer's last contact (never contacted: its creation), or the due day of the
//!   rule's latest cancelled activity for that customer when later (a cancel skips one occurrence);
//! - a planned activity of the rule whose base is older than the customer's last contact moves
//!   to the new last contact + `interval_days` (the schedule follows the last contact);
//! - a planned activity of a rule that is inactive, or whose customer no longer has the level or
//!   segment, is cancelled.
//!
//! Days are counted in wall-clock time in the system zone: the local day of the base plus
//! `interval_days`, due at local midnight. A temporary table of days (`temp.care_days`: the day
//! and the UTC instant of its local midnight, filled from chrono-tz) lets SQL do the zone
//! arithmetic for every customer at once. Nothing loops per customer.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use sqlx::{FromRow, QueryBuilder, Sqlite, SqliteConnection};
use tracing::instrument;

use super::time;
use super::types::*;
use super::write::ENTITY;
use crate::actor::Actor;
use crate::error::{Error, FieldError, Result};
use crate::history::FieldChange;
use crate::store::{Store, WriteTx};
use crate::text;

/// Which customers `apply_in` looks at. A planned rule activity moves after a newer contact only
/// in a customer scope (contacts are recorded through one, so `All` need not look again), or
/// for one rule whose interval changed.
pub(crate) enum Scope<'a> {
    All,
    Customers(&'a [i64]),
    /// The ids already in `temp.care_scope`.
    Loaded,
    /// Every customer, and the planned activities of this rule recomputed.
    Rule(i64),
}

/// Create the work tables of this connection (temporary, private to it) if missing.
async fn temp_tables(conn: &mut SqliteConnection) -> Result<()> {
    sqlx::query(
        "CREATE TEMP TABLE IF NOT EXISTS care_scope (id INTEGER PRIMARY KEY); \
         CREATE TEMP TABLE IF NOT EXISTS care_stale (id INTEGER PRIMARY KEY); \
         CREATE TEMP TABLE IF NOT EXISTS care_days (day TEXT PRIMARY KEY, start_utc TEXT NOT NULL); \
         CREATE INDEX IF NOT EXISTS temp.care_days_start ON care_days (start_utc); \
         CREATE TEMP TABLE IF NOT EXISTS care_plan (customer_id INTEGER NOT NULL, rule_id INTEGER NOT NULL, \
             owner_id INTEGER, base TEXT NOT NULL, interval_days INTEGER NOT NULL, activity_id INTEGER, \
             day TEXT, start_utc TEXT)",
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Put `ids` in `temp.care_scope` (replacing what was there).
pub(crate) async fn fill_scope(conn: &mut SqliteConnection, ids: &[i64]) -> Result<()> {
    temp_tables(conn).await?;
    sqlx::query("DELETE FROM temp.care_scope").execute(&mut *conn).await?;
    for chunk in ids.chunks(500) {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("INSERT OR IGNORE INTO temp.care_scope (id) ");
        qb.push_values(chunk, |mut b, id| {
            b.push_bind(*id);
        });
        qb.build().execute(&mut *conn).await?;
    }
    Ok(())
}

#[derive(FromRow)]
struct RuleRow {
    id: i64,
    level_id: Option<i64>,
    segment_id: Option<i64>,
    interval_days: i64,
}

/// Bring planned rule activities in line for the scope; returns how many were created.
pub(crate) async fn apply_in(w: &mut WriteTx<'_>, scope: Scope<'_>) -> Result<u64> {
    let rules: Vec<RuleRow> =
        sqlx::query_as("SELECT id, level_id, segment_id, interval_days FROM care_rules WHERE active = 1")
            .fetch_all(w.conn())
            .await?;
    let any_planned: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM care_activities WHERE rule_id IS NOT NULL AND state = 'planned' LIMIT 1")
            .fetch_optional(w.conn())
            .await?;
    if rules.is_empty() && any_planned.is_none() {
        return Ok(0);
    }
    temp_tables(w.conn()).await?;
    let (scoped, moves) = match scope {
        Scope::All => (false, None),
        Scope::Customers(ids) => {
            fill_scope(w.conn(), ids).await?;
            (true, Some(" AND a.customer_id IN (SELECT id FROM temp.care_scope)".to_owned()))
        }
        Scope::Loaded => (true, Some(" AND a.customer_id IN (SELECT id FROM temp.care_scope)".to_owned())),
        Scope::Rule(id) => (false, Some(format!(" AND a.rule_id = {id}"))),
    };
    let in_scope =
        |col: &str| if scoped { format!(" AND {col} IN (SELECT id FROM temp.care_scope)") } else { String::new() };
    let now = w.now;
    let actor_id = w.actor.staff_id;

    // 1. Cancel what no rule wants any more: activities of inactive rules, and of customers that
    //    left the rule's level or segment (read from that index, not from the customers).
    sqlx::query("DELETE FROM temp.care_stale").execute(w.conn()).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT OR IGNORE INTO temp.care_stale (id) SELECT a.id FROM care_activities a \
         WHERE a.rule_id IN (SELECT id FROM care_rules WHERE active = 0) AND a.state = 'planned'{}",
        in_scope("a.customer_id")
    )))
    .execute(w.conn())
    .await?;
    for r in &rules {
        let Some((column, item)) = target(r) else { continue };
        // The level/segment index answers "does this customer still have it" without reading
        // the customer (the planner would rather read it by id).
        let index = column.trim_end_matches("_id");
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT OR IGNORE INTO temp.care_stale (id) SELECT a.id FROM care_activities a \
             WHERE a.rule_id = ? AND a.state = 'planned'{} \
             AND NOT EXISTS (SELECT 1 FROM customers c INDEXED BY customers_{index} \
                             WHERE c.{column} = ? AND c.id = a.customer_id)",
            in_scope("a.customer_id")
        )))
        .bind(r.id)
        .bind(item)
        .execute(w.conn())
        .await?;
    }
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO history (entity, entity_id, action, changes, actor_id, at) \
         SELECT '{ENTITY}', id, 'cancel', json_array(json_object('field', 'state', 'before', 'planned', 'after', 'cancelled'), \
         json_object('field', 'reason', 'before', NULL, 'after', 'rule_no_longer_applies')), ?, ? \
         FROM temp.care_stale ORDER BY id"
    )))
    .bind(actor_id)
    .bind(now)
    .execute(w.conn())
    .await?;
    sqlx::query(
        "UPDATE care_activities SET state = 'cancelled', outcome = 'rule_no_longer_applies', updated_at = ?, \
         updated_by = ? WHERE id IN (SELECT id FROM temp.care_stale)",
    )
    .bind(now)
    .bind(actor_id)
    .execute(w.conn())
    .await?;
    if rules.is_empty() {
        return Ok(0);
    }

    // 2. The plan: activities to create (customers of the rule without one, found from the
    //    level/segment index and the rule's planned activities alone; only those are read), and
    //    planned ones to move after a newer contact.
    sqlx::query("DELETE FROM temp.care_plan").execute(w.conn()).await?;
    for r in &rules {
        let Some((column, item)) = target(r) else { continue };
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO temp.care_plan (customer_id, rule_id, owner_id, base, interval_days) \
             WITH missing AS MATERIALIZED (SELECT m.id FROM customers m WHERE m.{column} = ?3{} \
                 AND NOT EXISTS (SELECT 1 FROM care_activities e \
                                 WHERE e.rule_id = ?1 AND e.customer_id = m.id AND e.state = 'planned')) \
             SELECT c.id, ?1, c.owner_id, max(coalesce(c.last_contact_at, c.created_at), \
                 coalesce((SELECT max(p.due_at) FROM care_activities p \
                           WHERE p.rule_id = ?1 AND p.customer_id = c.id AND p.state = 'cancelled'), '')), ?2 \
             FROM missing JOIN customers c ON c.id = missing.id WHERE c.deleted_at IS NULL AND c.active = 1",
            in_scope("m.id")
        )))
        .bind(r.id)
        .bind(r.interval_days)
        .bind(item)
        .execute(w.conn())
        .await?;
    }
    if let Some(moves) = moves {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO temp.care_plan (customer_id, rule_id, owner_id, base, interval_days, activity_id) \
             SELECT a.customer_id, a.rule_id, c.owner_id, coalesce(c.last_contact_at, c.created_at), \
                 r.interval_days, a.id \
             FROM care_activities a JOIN customers c ON c.id = a.customer_id JOIN care_rules r ON r.id = a.rule_id \
             WHERE a.state = 'planned' AND a.rule_id IS NOT NULL AND r.active = 1 AND c.deleted_at IS NULL{moves} \
             AND coalesce(c.last_contact_at, c.created_at) > coalesce(a.rule_base_at, '')"
        )))
        .execute(w.conn())
        .await?;
    }
    let bounds: (Option<String>, Option<String>, Option<i64>) =
        sqlx::query_as("SELECT min(base), max(base), max(interval_days) FROM temp.care_plan")
            .fetch_one(w.conn())
            .await?;
    let (Some(min_base), Some(max_base), Some(max_interval)) = bounds else { return Ok(0) };

    // 3. Days: each local day of the span and the instant its midnight stands for.
    let tz = time::system_zone();
    fill_days(w.conn(), tz, &min_base, &max_base, max_interval).await?;
    sqlx::query(
        "UPDATE temp.care_plan SET day = date((SELECT d.day FROM temp.care_days d WHERE d.start_utc <= base \
         ORDER BY d.start_utc DESC LIMIT 1), '+' || interval_days || ' days')",
    )
    .execute(w.conn())
    .await?;
    sqlx::query(
        "UPDATE temp.care_plan SET start_utc = (SELECT d.start_utc FROM temp.care_days d WHERE d.day = care_plan.day)",
    )
    .execute(w.conn())
    .await?;
    // Out of the supported years: nothing to plan.
    sqlx::query("DELETE FROM temp.care_plan WHERE start_utc IS NULL").execute(w.conn()).await?;

    // 4. Moves, with their history.
    sqlx::query(
        "INSERT INTO history (entity, entity_id, action, changes, actor_id, at) \
         SELECT 'care_activity', a.id, 'reschedule', json_array(\
            json_object('field', 'due_local', 'before', a.due_local, 'after', p.day || 'T00:00'), \
            json_object('field', 'due_at', 'before', a.due_at, 'after', p.start_utc), \
            json_object('field', 'reason', 'before', NULL, 'after', 'last_contact')), ?, ? \
         FROM temp.care_plan p JOIN care_activities a ON a.id = p.activity_id \
         WHERE p.activity_id IS NOT NULL AND a.due_local <> p.day || 'T00:00'",
    )
    .bind(actor_id)
    .bind(now)
    .execute(w.conn())
    .await?;
    sqlx::query(
        "UPDATE care_activities SET due_at = p.start_utc, due_local = p.day || 'T00:00', all_day = 1, tz = ?, \
         rule_base_at = p.base, updated_at = ?, updated_by = ? \
         FROM (SELECT activity_id, start_utc, day, base FROM temp.care_plan WHERE activity_id IS NOT NULL) AS p \
         WHERE care_activities.id = p.activity_id",
    )
    .bind(tz.name())
    .bind(now)
    .bind(actor_id)
    .execute(w.conn())
    .await?;

    // 5. New activities, with their history.
    let before: i64 =
        sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM care_activities").fetch_one(w.conn()).await?;
    let created = sqlx::query(
        "INSERT INTO care_activities (customer_id, type_id, title, due_at, due_local, all_day, tz, assignee_id, \
         state, rule_id, rule_base_at, created_at, created_by, updated_at, updated_by) \
         SELECT p.customer_id, r.type_id, r.title, p.start_utc, p.day || 'T00:00', 1, ?, p.owner_id, 'planned', \
         p.rule_id, p.base, ?, ?, ?, ? \
         FROM temp.care_plan p JOIN care_rules r ON r.id = p.rule_id WHERE p.activity_id IS NULL \
         ORDER BY p.rule_id, p.customer_id",
    )
    .bind(tz.name())
    .bind(now)
    .bind(actor_id)
    .bind(now)
    .bind(actor_id)
    .execute(w.conn())
    .await?
    .rows_affected();
    sqlx::query(
        "INSERT INTO history (entity, entity_id, action, changes, actor_id, at) \
         SELECT 'care_activity', id, 'create', json_array(\
            json_object('field', 'customer_id', 'before', NULL, 'after', customer_id), \
            json_object('field', 'type_id', 'before', NULL, 'after', type_id), \
            json_object('field', 'title', 'before', NULL, 'after', title), \
            json_object('field', 'due_local', 'before', NULL, 'after', due_local), \
            json_object('field', 'tz', 'before', NULL, 'after', tz), \
            json_object('field', 'due_at', 'before', NULL, 'after', due_at), \
            json_object('field', 'all_day', 'before', NULL, 'after', json('true')), \
            json_object('field', 'assignee_id', 'before', NULL, 'after', assignee_id), \
            json_object('field', 'rule_id', 'before', NULL, 'after', rule_id)), ?, ? \
         FROM care_activities WHERE id > ? ORDER BY id",
    )
    .bind(actor_id)
    .bind(now)
    .bind(before)
    .execute(w.conn())
    .await?;
    Ok(created)
}

/// The column and item a rule targets.
fn target(r: &RuleRow) -> Option<(&'static str, i64)> {
    match (r.level_id, r.segment_id) {
        (Some(l), _) => Some(("level_id", l)),
        (None, Some(s)) => Some(("segment_id", s)),
        (None, None) => None,
    }
}

/// Fill `temp.care_days` with every local day from the day before `min_base` to
/// `max_interval + 1` days after `max_base` (clamped to the supported years).
async fn fill_days(
    conn: &mut SqliteConnection,
    tz: Tz,
    min_base: &str,
    max_base: &str,
    max_interval: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM temp.care_days").execute(&mut *conn).await?;
    let day_of = |s: &str| DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&tz).date_naive());
    let floor = NaiveDate::from_ymd_opt(1900, 1, 2).unwrap_or(NaiveDate::MIN);
    let ceiling = NaiveDate::from_ymd_opt(2200, 12, 30).unwrap_or(NaiveDate::MAX);
    let first = day_of(min_base).unwrap_or(floor).pred_opt().unwrap_or(floor).clamp(floor, ceiling);
    let last = day_of(max_base)
        .and_then(|d| d.checked_add_signed(Duration::days(max_interval + 1)))
        .unwrap_or(ceiling)
        .clamp(first, ceiling);
    let days: Vec<(String, DateTime<Utc>)> = first
        .iter_days()
        .take_while(|d| *d <= last)
        .map(|d| (d.format("%Y-%m-%d").to_string(), time::day_start(tz, d)))
        .collect();
    for chunk in days.chunks(400) {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("INSERT INTO temp.care_days (day, start_utc) ");
        qb.push_values(chunk, |mut b, (day, start)| {
            b.push_bind(day.clone()).push_bind(*start);
        });
        qb.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Fill the schedule from the recurring rules for every customer (idempotent: a second run
/// creates nothing). Returns how many activities it created. Any signed-in staff member may run
/// it (the app does at start); what it creates follows the rules an administrator set.
#[instrument(skip(store, actor))]
pub async fn apply_rules(store: &Store, actor: &Actor, now: DateTime<Utc>) -> Result<u64> {
    let mut w = store.write(actor).await?;
    w.now = now;
    let n = apply_in(&mut w, Scope::All).await?;
    w.commit().await?;
    Ok(n)
}

/// `apply_rules` for some customers (or all: None) inside an open transaction: what a change of
/// level or segment, a bulk edit or an import calls before committing.
pub async fn apply_rules_in(w: &mut WriteTx<'_>, customer_ids: Option<&[i64]>) -> Result<u64> {
    match customer_ids {
        Some(ids) => apply_in(w, Scope::Customers(ids)).await,
        None => apply_in(w, Scope::All).await,
    }
}

const RULE_COLUMNS: &str = "id, name, level_id, segment_id, type_id, title, interval_days, active";

#[derive(FromRow)]
struct RuleRecord {
    id: i64,
    name: String,
    level_id: Option<i64>,
    segment_id: Option<i64>,
    type_id: i64,
    title: String,
    interval_days: i64,
    active: bool,
}

impl From<RuleRecord> for CareRule {
    fn from(r: RuleRecord) -> Self {
        CareRule {
            id: r.id,
            name: r.name,
            level_id: r.level_id,
            segment_id: r.segment_id,
            type_id: r.type_id,
            title: r.title,
            interval_days: r.interval_days,
            active: r.active,
        }
    }
}

async fn load_rule(conn: &mut SqliteConnection, id: i64) -> Result<CareRule> {
    let r: Option<RuleRecord> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {RULE_COLUMNS} FROM care_rules WHERE id = ?")))
            .bind(id)
            .fetch_optional(conn)
            .await?;
    r.map(CareRule::from).ok_or_else(|| Error::NotFound { entity: "care_rule", id: id.to_string() })
}

/// Every recurring care rule (anyone may read them).
#[instrument(skip(store, actor))]
pub async fn rules(store: &Store, actor: &Actor) -> Result<Vec<CareRule>> {
    let _ = actor;
    let rows: Vec<RuleRecord> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {RULE_COLUMNS} FROM care_rules ORDER BY id")))
            .fetch_all(store.pool())
            .await?;
    Ok(rows.into_iter().map(CareRule::from).collect())
}

/// `(kind, name, active)` of a catalog item.
async fn item(conn: &mut SqliteConnection, id: i64) -> Result<Option<(String, String, bool)>> {
    Ok(sqlx::query_as("SELECT kind, name, active FROM catalog_items WHERE id = ?")
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

fn rule_changes(before: Option<&CareRule>, after: &CareRule) -> Vec<FieldChange> {
    let b = before.map(|r| serde_json::to_value(r).unwrap_or_default());
    let a = serde_json::to_value(after).unwrap_or_default();
    ["name", "level_id", "segment_id", "type_id", "title", "interval_days", "active"]
        .iter()
        .filter_map(|f| {
            let before = b.as_ref().and_then(|b| b.get(*f)).cloned().unwrap_or(serde_json::Value::Null);
            let after = a.get(*f).cloned().unwrap_or(serde_json::Value::Null);
            (before != after).then(|| FieldChange { field: (*f).to_owned(), before, after })
        })
        .collect()
}

/// Create (id null) or change a recurring rule (administrators), then fill the schedule from it
/// in the same transaction. A changed type, title or interval is carried to the rule's planned
/// activities.
#[instrument(skip(store, actor))]
pub async fn save_rule(store: &Store, actor: &Actor, input: CareRuleInput) -> Result<CareRule> {
    actor.can_manage_care_rules()?;
    let mut errors = Vec::new();
    if input.level_id.is_some() == input.segment_id.is_some() {
        errors.push(FieldError::new("level_id", "invalid"));
    }
    if !(1..=3650).contains(&input.interval_days) {
        errors.push(FieldError::new("interval_days", "invalid").with_value(input.interval_days.to_string()));
    }
    let title = text::clean(&input.title);
    let name = text::clean(&input.name);
    if title.chars().count() > 200 {
        errors.push(FieldError::new("title", "too_long"));
    }
    if name.chars().count() > 100 {
        errors.push(FieldError::new("name", "too_long"));
    }
    let mut w = store.write(actor).await?;
    let before = match input.id {
        Some(id) => Some(load_rule(w.conn(), id).await?),
        None => None,
    };
    let type_name = match item(w.conn(), input.type_id).await? {
        Some((k, n, _)) if k == "care_type" => Some(n),
        _ => {
            errors.push(FieldError::new("type_id", "invalid").with_value(input.type_id.to_string()));
            None
        }
    };
    let mut target_name = None;
    for (field, id, kind) in [("level_id", input.level_id, "level"), ("segment_id", input.segment_id, "segment")] {
        let Some(id) = id else { continue };
        match item(w.conn(), id).await? {
            Some((k, n, _)) if k == kind => target_name = Some(n),
            _ => errors.push(FieldError::new(field, "invalid").with_value(id.to_string())),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let type_name = type_name.unwrap_or_default();
    let title = if title.is_empty() { type_name.clone() } else { title };
    let name = if name.is_empty() {
        format!("{}: {} / {}d", target_name.unwrap_or_default(), type_name, input.interval_days)
    } else {
        name
    };
    let now = w.now;
    let id = match before.as_ref() {
        Some(b) => {
            sqlx::query(
                "UPDATE care_rules SET name = ?, level_id = ?, segment_id = ?, type_id = ?, title = ?, \
                 interval_days = ?, active = ?, updated_at = ? WHERE id = ?",
            )
            .bind(&name)
            .bind(input.level_id)
            .bind(input.segment_id)
            .bind(input.type_id)
            .bind(&title)
            .bind(input.interval_days)
            .bind(input.active)
            .bind(now)
            .bind(b.id)
            .execute(w.conn())
            .await?;
            b.id
        }
        None => {
            sqlx::query_scalar(
                "INSERT INTO care_rules (name, level_id, segment_id, type_id, title, interval_days, active, \
                 created_at, created_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(&name)
            .bind(input.level_id)
            .bind(input.segment_id)
            .bind(input.type_id)
            .bind(&title)
            .bind(input.interval_days)
            .bind(input.active)
            .bind(now)
            .bind(actor.staff_id)
            .bind(now)
            .fetch_one(w.conn())
            .await?
        }
    };
    let after = load_rule(w.conn(), id).await?;
    let changes = rule_changes(before.as_ref(), &after);
    if let Some(b) = before.as_ref() {
        if changes.is_empty() {
            return Ok(after);
        }
        // Carry the new type, title and interval to the rule's planned activities: the interval
        // by recomputing them from their base (the move step of `apply_in`).
        sqlx::query(
            "UPDATE care_activities SET type_id = ?, title = ?, updated_at = ?, updated_by = ? \
             WHERE rule_id = ? AND state = 'planned' AND (type_id <> ? OR title <> ?)",
        )
        .bind(after.type_id)
        .bind(&after.title)
        .bind(now)
        .bind(actor.staff_id)
        .bind(id)
        .bind(after.type_id)
        .bind(&after.title)
        .execute(w.conn())
        .await?;
        if b.interval_days != after.interval_days {
            sqlx::query("UPDATE care_activities SET rule_base_at = '' WHERE rule_id = ? AND state = 'planned'")
                .bind(id)
                .execute(w.conn())
                .await?;
        }
    }
    w.history("care_rule", id, if before.is_some() { "update" } else { "create" }, &changes).await?;
    let interval_changed = before.as_ref().is_some_and(|b| b.interval_days != after.interval_days);
    apply_in(&mut w, if interval_changed { Scope::Rule(id) } else { Scope::All }).await?;
    w.commit().await?;
    Ok(after)
}

/// Delete a rule (administrators): its planned activities are cancelled; done ones stay as
/// follow-up records.
#[instrument(skip(store, actor))]
pub async fn delete_rule(store: &Store, actor: &Actor, id: i64) -> Result<()> {
    actor.can_manage_care_rules()?;
    let mut w = store.write(actor).await?;
    let rule = load_rule(w.conn(), id).await?;
    let now = w.now;
    sqlx::query(
        "INSERT INTO history (entity, entity_id, action, changes, actor_id, at) \
         SELECT 'care_activity', id, 'cancel', json_array(\
            json_object('field', 'state', 'before', 'planned', 'after', 'cancelled'), \
            json_object('field', 'reason', 'before', NULL, 'after', 'rule_deleted')), ?, ? \
         FROM care_activities WHERE rule_id = ? AND state = 'planned'",
    )
    .bind(actor.staff_id)
    .bind(now)
    .bind(id)
    .execute(w.conn())
    .await?;
    sqlx::query(
        "UPDATE care_activities SET state = 'cancelled', outcome = 'rule_deleted', updated_at = ?, updated_by = ? \
         WHERE rule_id = ? AND state = 'planned'",
    )
    .bind(now)
    .bind(actor.staff_id)
    .bind(id)
    .execute(w.conn())
    .await?;
    sqlx::query("DELETE FROM care_rules WHERE id = ?").bind(id).execute(w.conn()).await?;
    let fields = serde_json::to_value(&rule).unwrap_or_default();
    let changes: Vec<FieldChange> = ["name", "level_id", "segment_id", "type_id", "title", "interval_days", "active"]
        .iter()
        .map(|f| FieldChange {
            field: (*f).to_owned(),
            before: fields.get(*f).cloned().unwrap_or_default(),
            after: serde_json::Value::Null,
        })
        .collect();
    w.history("care_rule", id, "delete", &changes).await?;
    w.commit().await?;
    Ok(())
}
