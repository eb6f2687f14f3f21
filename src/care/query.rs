//! Reading care activities: one, a page of the Care view, its counts, a customer's timeline,
//! and the reminders due soon.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use sqlx::{FromRow, QueryBuilder, Sqlite, SqliteConnection};
use tracing::instrument;

use super::time::{self, Buckets};
use super::types::*;
use crate::actor::Actor;
use crate::error::{Error, Result};
use crate::history::HistoryEntry;
use crate::store::Store;

/// Columns of an activity (`a`), its customer (`c`), type (`t`) and assignee (`s`).
pub(crate) const ACTIVITY_COLUMNS: &str = "a.id, a.customer_id, c.code AS customer_code, c.name AS customer_name, \
     a.type_id, t.name AS type_name, t.key AS type_key, a.title, a.due_at, a.due_local, a.all_day, a.tz, \
     a.duration_min, a.assignee_id, s.name AS assignee_name, a.notes, a.state, a.outcome, a.done_at, a.rule_id, \
     a.created_at, a.updated_at";

pub(crate) const ACTIVITY_FROM: &str = "FROM care_activities a JOIN customers c ON c.id = a.customer_id \
     JOIN catalog_items t ON t.id = a.type_id LEFT JOIN staff s ON s.id = a.assignee_id";

#[derive(FromRow)]
pub(crate) struct ActivityRecord {
    id: i64,
    customer_id: i64,
    customer_code: String,
    customer_name: String,
    type_id: i64,
    type_name: String,
    type_key: Option<String>,
    title: String,
    due_at: DateTime<Utc>,
    due_local: String,
    all_day: bool,
    tz: String,
    duration_min: Option<i64>,
    assignee_id: Option<i64>,
    assignee_name: Option<String>,
    notes: Option<String>,
    state: String,
    outcome: Option<String>,
    done_at: Option<DateTime<Utc>>,
    rule_id: Option<i64>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl ActivityRecord {
    pub(crate) fn into_activity(self, buckets: &Buckets) -> CareActivity {
        let state = CareState::parse(&self.state).unwrap_or_default();
        CareActivity {
            overdue: state == CareState::Planned && buckets.overdue(self.due_at, self.all_day),
            id: self.id,
            customer_id: self.customer_id,
            customer_code: self.customer_code,
            customer_name: self.customer_name,
            type_id: self.type_id,
            type_name: self.type_name,
            type_key: self.type_key,
            title: self.title,
            due_at: self.due_at,
            due_local: self.due_local,
            all_day: self.all_day,
            tz: self.tz,
            duration_min: self.duration_min,
            assignee_id: self.assignee_id,
            assignee_name: self.assignee_name,
            notes: self.notes,
            state,
            outcome: self.outcome,
            done_at: self.done_at,
            rule_id: self.rule_id,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// One activity as stored, with `overdue` seen at `now` from the system zone.
pub(crate) async fn load(conn: &mut SqliteConnection, id: i64, now: DateTime<Utc>) -> Result<CareActivity> {
    let rec: Option<ActivityRecord> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {ACTIVITY_COLUMNS} {ACTIVITY_FROM} WHERE a.id = ?")))
            .bind(id)
            .fetch_optional(conn)
            .await?;
    let rec = rec.ok_or_else(|| Error::NotFound { entity: "care_activity", id: id.to_string() })?;
    Ok(rec.into_activity(&Buckets::at(now, time::system_zone())))
}

/// One activity (whoever may open its customer, and its assignee).
#[instrument(skip(store, actor))]
pub async fn get(store: &Store, actor: &Actor, id: i64) -> Result<CareActivity> {
    let mut conn = store.pool().acquire().await?;
    let a = load(&mut conn, id, Utc::now()).await?;
    let c = crate::customers::load_for_import(&mut conn, a.customer_id).await?;
    actor.can_view_care(&c, a.assignee_id)?;
    Ok(a)
}

/// The assignee a filter lists (None: everyone's). `everyone`, and another assignee, are for
/// managers.
fn assignee_of(actor: &Actor, f: &CareFilter) -> Result<Option<i64>> {
    match f.scope {
        CareScope::Mine => match f.assignee_id.filter(|a| *a != actor.staff_id) {
            Some(other) => {
                actor.can_see_all_care()?;
                Ok(Some(other))
            }
            None => Ok(Some(actor.staff_id)),
        },
        CareScope::Everyone => {
            actor.can_see_all_care()?;
            Ok(f.assignee_id)
        }
    }
}

/// Push the filter's conditions on activities `a` (after a `WHERE` that already has one
/// condition). Every column is in the due-order indexes, and the customers' level and segment
/// are probed through their indexes: lists and counts read no table rows to filter.
fn push_filter(qb: &mut QueryBuilder<Sqlite>, f: &CareFilter, state: CareState, assignee: Option<i64>) {
    if let Some(a) = assignee {
        qb.push(" AND a.assignee_id = ").push_bind(a);
    }
    // A literal (from the enum), so the planner knows how few rows it selects.
    qb.push(format!(" AND a.state = '{}'", state.as_str()));
    push_in(qb, "a.type_id", &f.type_ids);
    if let Some(c) = f.customer_id {
        qb.push(" AND a.customer_id = ").push_bind(c);
    }
    for (column, ids) in [("level_id", &f.level_ids), ("segment_id", &f.segment_ids)] {
        if ids.is_empty() {
            continue;
        }
        // `+`: checked on each activity of the due-order index, never driven from the customers.
        qb.push(" AND +a.customer_id IN (SELECT id FROM customers WHERE ").push(column).push(" IN (");
        let mut sep = qb.separated(", ");
        for id in ids {
            sep.push_bind(*id);
        }
        qb.push("))");
    }
}

/// `AND column IN (…)` for a non-empty list; `column` comes from this module.
fn push_in(qb: &mut QueryBuilder<Sqlite>, column: &'static str, ids: &[i64]) {
    if ids.is_empty() {
        return;
    }
    qb.push(" AND ").push(column).push(" IN (");
    let mut sep = qb.separated(", ");
    for id in ids {
        sep.push_bind(*id);
    }
    qb.push(")");
}

/// The due-time condition of a group of planned activities.
fn push_bucket(qb: &mut QueryBuilder<Sqlite>, bucket: CareBucket, b: &Buckets) {
    match bucket {
        CareBucket::Overdue => {
            qb.push(" AND a.due_at < ").push_bind(b.now);
            qb.push(" AND (a.all_day = 0 OR a.due_at < ").push_bind(b.today).push(")");
        }
        CareBucket::Today => {
            qb.push(" AND a.due_at >= ").push_bind(b.today);
            qb.push(" AND a.due_at < ").push_bind(b.tomorrow);
            qb.push(" AND (a.all_day = 1 OR a.due_at >= ").push_bind(b.now).push(")");
        }
        CareBucket::Week => {
            qb.push(" AND a.due_at >= ").push_bind(b.tomorrow);
            qb.push(" AND a.due_at < ").push_bind(b.week_end);
        }
        CareBucket::Later => {
            qb.push(" AND a.due_at >= ").push_bind(b.week_end.max(b.tomorrow));
        }
    }
}

fn viewer_zone(f: &CareFilter) -> Result<Tz> {
    time::zone(f.tz.as_deref(), "tz")
}

/// A page of the Care view. Planned activities come by due time, earliest first; done and
/// cancelled ones latest first. `after` continues from an earlier page (keyset).
#[instrument(skip(store, actor))]
pub async fn list(
    store: &Store,
    actor: &Actor,
    f: &CareFilter,
    now: DateTime<Utc>,
    after: Option<&CareCursor>,
    limit: u32,
) -> Result<CarePage> {
    let limit = limit.clamp(1, crate::customers::MAX_PAGE);
    let state = f.state.unwrap_or_default();
    let buckets = Buckets::at(now, viewer_zone(f)?);
    let desc = state != CareState::Planned;
    let assignee = assignee_of(actor, f)?;
    let mut qb: QueryBuilder<Sqlite> =
        QueryBuilder::new(format!("SELECT {ACTIVITY_COLUMNS} {ACTIVITY_FROM} WHERE 1 = 1"));
    push_filter(&mut qb, f, state, assignee);
    // Trashed customers' activities leave the schedule with them (and come back on restore).
    qb.push(" AND c.deleted_at IS NULL");
    if let (Some(bucket), CareState::Planned) = (f.bucket, state) {
        push_bucket(&mut qb, bucket, &buckets);
    }
    if let Some(cur) = after {
        let (cmp, eq) = if desc { ("<", " AND a.id < ") } else { (">", " AND a.id > ") };
        qb.push(format!(" AND a.due_at {cmp}= ")).push_bind(cur.due_at);
        qb.push(format!(" AND (a.due_at {cmp} ")).push_bind(cur.due_at);
        qb.push(" OR (a.due_at = ").push_bind(cur.due_at).push(eq).push_bind(cur.id).push("))");
    }
    qb.push(if desc { " ORDER BY a.due_at DESC, a.id DESC" } else { " ORDER BY a.due_at, a.id" });
    qb.push(" LIMIT ").push_bind(i64::from(limit) + 1);
    let mut rows: Vec<ActivityRecord> = qb.build_query_as().fetch_all(store.pool()).await?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let items: Vec<CareActivity> = rows.into_iter().map(|r| r.into_activity(&buckets)).collect();
    let next = if more { items.last().map(|a| CareCursor { due_at: a.due_at, id: a.id }) } else { None };
    Ok(CarePage { items, next })
}

/// Planned activities per group, for the same scope and filters as `list` (its bucket and state
/// are ignored). One pass over a due-order index, less the activities of trashed customers
/// (read from the trash's index): no table row is read for the common case.
#[instrument(skip(store, actor))]
pub async fn counts(store: &Store, actor: &Actor, f: &CareFilter, now: DateTime<Utc>) -> Result<CareCounts> {
    let b = Buckets::at(now, viewer_zone(f)?);
    let assignee = assignee_of(actor, f)?;
    let mut conn = store.pool().acquire().await?;
    let mut totals = [0i64; 4];
    for trashed in [false, true] {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("SELECT coalesce(sum(a.due_at < ");
        qb.push_bind(b.now).push(" AND (a.all_day = 0 OR a.due_at < ").push_bind(b.today).push(")), 0), ");
        qb.push("coalesce(sum(a.due_at >= ").push_bind(b.today).push(" AND a.due_at < ").push_bind(b.tomorrow);
        qb.push(" AND (a.all_day = 1 OR a.due_at >= ").push_bind(b.now).push(")), 0), ");
        qb.push("coalesce(sum(a.due_at >= ").push_bind(b.tomorrow).push(" AND a.due_at < ").push_bind(b.week_end);
        qb.push("), 0), coalesce(sum(a.due_at >= ").push_bind(b.week_end.max(b.tomorrow)).push("), 0) ");
        if trashed {
            // CROSS JOIN: from the (usually small) trash to its activities.
            qb.push(
                "FROM customers c CROSS JOIN care_activities a INDEXED BY care_customer ON a.customer_id = c.id \
                 WHERE c.deleted_at IS NOT NULL",
            );
        } else {
            qb.push("FROM care_activities a WHERE 1 = 1");
        }
        push_filter(&mut qb, f, CareState::Planned, assignee);
        let (overdue, today, week, later): (i64, i64, i64, i64) = qb.build_query_as().fetch_one(&mut *conn).await?;
        let sign = if trashed { -1 } else { 1 };
        for (t, v) in totals.iter_mut().zip([overdue, today, week, later]) {
            *t += sign * v;
        }
    }
    let n = |v: i64| v.max(0) as u64;
    Ok(CareCounts { overdue: n(totals[0]), today: n(totals[1]), week: n(totals[2]), later: n(totals[3]) })
}

/// The actor's planned activities due from `now` to `now + within_minutes` (timed ones; an
/// all-day activity has no moment to remind of), earliest first, at most 50. Empty when the
/// actor turned reminders off (`settings::ui_pref` `care.reminders` = false).
#[instrument(skip(store, actor))]
pub async fn due_soon(
    store: &Store,
    actor: &Actor,
    now: DateTime<Utc>,
    within_minutes: u32,
) -> Result<Vec<CareActivity>> {
    if reminders_off(store, actor).await? {
        return Ok(Vec::new());
    }
    let until = now + Duration::minutes(i64::from(within_minutes.min(7 * 24 * 60)));
    let rows: Vec<ActivityRecord> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ACTIVITY_COLUMNS} {ACTIVITY_FROM} WHERE a.assignee_id = ? AND a.state = 'planned' \
         AND a.due_at >= ? AND a.due_at < ? AND a.all_day = 0 AND c.deleted_at IS NULL \
         ORDER BY a.due_at, a.id LIMIT 50"
    )))
    .bind(actor.staff_id)
    .bind(now)
    .bind(until)
    .fetch_all(store.pool())
    .await?;
    let b = Buckets::at(now, time::system_zone());
    Ok(rows.into_iter().map(|r| r.into_activity(&b)).collect())
}

/// The per-staff preference that turns reminders off.
pub const REMINDERS_PREF: &str = "care.reminders";

async fn reminders_off(store: &Store, actor: &Actor) -> Result<bool> {
    Ok(crate::settings::ui_pref(store, actor, REMINDERS_PREF).await? == Some(serde_json::Value::Bool(false)))
}

#[derive(FromRow)]
struct TimelineKey {
    at: DateTime<Utc>,
    src: i64,
    id: i64,
}

/// A customer's timeline, newest first: follow-up records (at their done time), planned
/// activities (at their due time), cancelled ones (when cancelled) and history entries of the
/// customer. `kinds` empty: all. `before`: continue after an earlier page's last entry.
#[instrument(skip(store, actor))]
pub async fn timeline(
    store: &Store,
    actor: &Actor,
    customer_id: i64,
    kinds: &[TimelineKind],
    before: Option<&TimelineCursor>,
    limit: u32,
) -> Result<Vec<TimelineEntry>> {
    let limit = limit.clamp(1, crate::customers::MAX_PAGE);
    let mut conn = store.pool().acquire().await?;
    let c = crate::customers::load_for_import(&mut conn, customer_id).await?;
    actor.can_view(&c)?;
    let want = |k: TimelineKind| kinds.is_empty() || kinds.contains(&k);
    let states: Vec<&str> =
        [(TimelineKind::Followup, "done"), (TimelineKind::Planned, "planned"), (TimelineKind::Cancelled, "cancelled")]
            .into_iter()
            .filter(|(k, _)| want(*k))
            .map(|(_, s)| s)
            .collect();
    let mut parts: Vec<&str> = Vec::new();
    let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("SELECT at, src, id FROM (");
    if !states.is_empty() {
        parts.push("a");
        qb.push(
            "SELECT CASE state WHEN 'done' THEN done_at WHEN 'planned' THEN due_at ELSE updated_at END AS at, \
             1 AS src, id FROM care_activities WHERE customer_id = ",
        )
        .push_bind(customer_id)
        .push(" AND state IN (");
        let mut sep = qb.separated(", ");
        for s in &states {
            sep.push_bind(*s);
        }
        qb.push(")");
    }
    if want(TimelineKind::History) {
        if !parts.is_empty() {
            qb.push(" UNION ALL ");
        }
        parts.push("h");
        qb.push("SELECT at, 0 AS src, id FROM history WHERE entity = 'customer' AND entity_id = ")
            .push_bind(customer_id);
    }
    if parts.is_empty() {
        return Ok(Vec::new());
    }
    qb.push(")");
    if let Some(cur) = before {
        let src = if cur.history { 0 } else { 1 };
        qb.push(" WHERE (at, src, id) < (").push_bind(cur.at).push(", ").push_bind(src).push(", ").push_bind(cur.id);
        qb.push(")");
    }
    qb.push(" ORDER BY at DESC, src DESC, id DESC LIMIT ").push_bind(i64::from(limit));
    let keys: Vec<TimelineKey> = qb.build_query_as().fetch_all(&mut *conn).await?;

    let activity_ids: Vec<i64> = keys.iter().filter(|k| k.src == 1).map(|k| k.id).collect();
    let history_ids: Vec<i64> = keys.iter().filter(|k| k.src == 0).map(|k| k.id).collect();
    let b = Buckets::at(Utc::now(), time::system_zone());
    let mut activities = std::collections::HashMap::new();
    if !activity_ids.is_empty() {
        let mut q: QueryBuilder<Sqlite> =
            QueryBuilder::new(format!("SELECT {ACTIVITY_COLUMNS} {ACTIVITY_FROM} WHERE a.id IN ("));
        let mut sep = q.separated(", ");
        for id in &activity_ids {
            sep.push_bind(*id);
        }
        q.push(")");
        let rows: Vec<ActivityRecord> = q.build_query_as().fetch_all(&mut *conn).await?;
        for r in rows {
            let a = r.into_activity(&b);
            activities.insert(a.id, a);
        }
    }
    let mut history: std::collections::HashMap<i64, HistoryEntry> = std::collections::HashMap::new();
    if !history_ids.is_empty() {
        for h in history_by_ids(&mut conn, &history_ids).await? {
            history.insert(h.id, h);
        }
    }
    let mut out = Vec::with_capacity(keys.len());
    for k in keys {
        let cursor = TimelineCursor { at: k.at, history: k.src == 0, id: k.id };
        if k.src == 0 {
            if let Some(h) = history.remove(&k.id) {
                out.push(TimelineEntry {
                    kind: TimelineKind::History,
                    at: k.at,
                    activity: None,
                    history: Some(h),
                    cursor,
                });
            }
        } else if let Some(a) = activities.remove(&k.id) {
            let kind = match a.state {
                CareState::Done => TimelineKind::Followup,
                CareState::Planned => TimelineKind::Planned,
                CareState::Cancelled => TimelineKind::Cancelled,
            };
            out.push(TimelineEntry { kind, at: k.at, activity: Some(a), history: None, cursor });
        }
    }
    Ok(out)
}

#[derive(FromRow)]
struct HistoryRecord {
    id: i64,
    entity: String,
    entity_id: i64,
    action: String,
    changes: String,
    actor_id: Option<i64>,
    actor_name: Option<String>,
    at: DateTime<Utc>,
    batch_id: Option<i64>,
}

/// History entries by id (the timeline's), as `history::for_entity` gives them.
async fn history_by_ids(conn: &mut SqliteConnection, ids: &[i64]) -> Result<Vec<HistoryEntry>> {
    let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
        "SELECT h.id, h.entity, h.entity_id, h.action, h.changes, h.actor_id, s.name AS actor_name, h.at, h.batch_id \
         FROM history h LEFT JOIN staff s ON s.id = h.actor_id WHERE h.id IN (",
    );
    let mut sep = qb.separated(", ");
    for id in ids {
        sep.push_bind(*id);
    }
    qb.push(")");
    let rows: Vec<HistoryRecord> = qb.build_query_as().fetch_all(conn).await?;
    rows.into_iter()
        .map(|r| {
            Ok(HistoryEntry {
                id: r.id,
                entity: r.entity,
                entity_id: r.entity_id,
                action: r.action,
                changes: crate::history::parse_changes(&r.changes)?,
                actor_id: r.actor_id,
                actor_name: r.actor_name,
                at: r.at,
                batch_id: r.batch_id,
            })
        })
        .collect()
}
