//! History entries: who changed what, field by field, written in the same transaction as the change.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One field's value before and after a change (JSON values: strings, arrays, null).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldChange {
    pub field: String,
    #[ts(type = "unknown")]
    pub before: serde_json::Value,
    #[ts(type = "unknown")]
    pub after: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HistoryEntry {
    #[ts(type = "number")]
    pub id: i64,
    pub entity: String,
    #[ts(type = "number")]
    pub entity_id: i64,
    /// `create`, `update`, `delete`, `restore`, `purge`, `transfer`, `pool.auto_return`, …
    pub action: String,
    pub changes: Vec<FieldChange>,
    /// Null: written by the application itself (e.g. the pool's automatic return).
    #[ts(type = "number | null")]
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub at: DateTime<Utc>,
    #[ts(type = "number | null")]
    pub batch_id: Option<i64>,
}

use sqlx::FromRow;

/// Read a history entry's stored `changes`. Two forms are stored: a list of
/// `{field, before, after}` (every change), and, for a creation written in bulk (imports, demo
/// data), an object of the new values in field order, `{"code": "KH000001", "name": …}`: each
/// key a field whose value was null before. The object form is less than half the size, and a
/// million-row import writes a million of them.
pub(crate) fn parse_changes(text: &str) -> Result<Vec<FieldChange>> {
    use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};

    struct Changes(Vec<FieldChange>);
    struct Form;
    impl<'de> Visitor<'de> for Form {
        type Value = Changes;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list of field changes or an object of created values")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Changes, A::Error> {
            let mut out = Vec::new();
            while let Some(change) = seq.next_element::<FieldChange>()? {
                out.push(change);
            }
            Ok(Changes(out))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Changes, A::Error> {
            let mut out = Vec::new();
            while let Some((field, after)) = map.next_entry::<String, serde_json::Value>()? {
                out.push(FieldChange { field, before: serde_json::Value::Null, after });
            }
            Ok(Changes(out))
        }
    }
    impl<'de> Deserialize<'de> for Changes {
        fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Changes, D::Error> {
            d.deserialize_any(Form)
        }
    }
    serde_json::from_str::<Changes>(text).map(|c| c.0).map_err(|e| Error::Database(e.to_string()))
}

use crate::actor::Actor;
use crate::error::{Error, Result};
use crate::store::Store;

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

/// History of one entity, newest first; `before_id` continues from an earlier page.
pub async fn for_entity(
    store: &Store,
    actor: &Actor,
    entity: &str,
    entity_id: i64,
    before_id: Option<i64>,
    limit: u32,
) -> Result<Vec<HistoryEntry>> {
    let _ = actor;
    let rows: Vec<HistoryRecord> = sqlx::query_as(
        "SELECT h.id, h.entity, h.entity_id, h.action, h.changes, h.actor_id, s.name AS actor_name, h.at, h.batch_id \
         FROM history h LEFT JOIN staff s ON s.id = h.actor_id \
         WHERE h.entity = ? AND h.entity_id = ? AND h.id < ? ORDER BY h.id DESC LIMIT ?",
    )
    .bind(entity)
    .bind(entity_id)
    .bind(before_id.unwrap_or(i64::MAX))
    .bind(i64::from(limit.clamp(1, 500)))
    .fetch_all(store.pool())
    .await?;
    rows.into_iter().map(HistoryRecord::into_entry).collect()
}

// ---------------------------------------------------------------------------------------------
// The activity log: every history entry, across customers (administrators).

use chrono::{LocalResult, NaiveDate, NaiveTime, TimeZone};

/// Which entries the activity log shows. Days are calendar days in `tz` (an IANA zone; null:
/// UTC), both ends included.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActivityFilter {
    /// Entries written by this staff member.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub staff_id: Option<i64>,
    /// Entries of this action (`update`, `transfer`, `pool.auto_return`, …).
    #[serde(default)]
    pub action: Option<String>,
    #[serde(default)]
    pub from: Option<NaiveDate>,
    #[serde(default)]
    pub to: Option<NaiveDate>,
    #[serde(default)]
    pub tz: Option<String>,
}

/// One line of the activity log: a history entry, with the customer it is about (its own entry,
/// or one of its care activities) while that customer exists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActivityEntry {
    #[serde(flatten)]
    pub entry: HistoryEntry,
    #[ts(type = "number | null")]
    pub customer_id: Option<i64>,
    pub customer_code: Option<String>,
    pub customer_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActivityPage {
    pub entries: Vec<ActivityEntry>,
    /// Give as `before` for the next (older) page; null at the end.
    #[ts(type = "number | null")]
    pub next: Option<i64>,
}

#[derive(FromRow)]
struct ActivityRecord {
    #[sqlx(flatten)]
    entry: HistoryRecord,
    customer_id: Option<i64>,
    customer_code: Option<String>,
    customer_name: Option<String>,
}

impl HistoryRecord {
    fn into_entry(self) -> Result<HistoryEntry> {
        Ok(HistoryEntry {
            id: self.id,
            entity: self.entity,
            entity_id: self.entity_id,
            action: self.action,
            changes: parse_changes(&self.changes)?,
            actor_id: self.actor_id,
            actor_name: self.actor_name,
            at: self.at,
            batch_id: self.batch_id,
        })
    }
}

/// Longest action name accepted in a filter (actions are short identifiers).
const MAX_ACTION: usize = 64;

/// The activity log, newest first (keyset on the entry id: `before` continues after an earlier
/// page). Administrators only. An entry written by the application itself (the pool's automatic
/// return) has no actor.
pub async fn activity_log(
    store: &Store,
    actor: &Actor,
    filter: &ActivityFilter,
    before: Option<i64>,
    limit: u32,
) -> Result<ActivityPage> {
    actor.can_manage_settings()?;
    let limit = limit.clamp(1, 500);
    let action = filter.action.as_deref().map(str::trim).filter(|a| !a.is_empty());
    if action.is_some_and(|a| a.len() > MAX_ACTION) {
        return Err(Error::Validation(vec![crate::error::FieldError::new("action", "too_long")]));
    }
    let (from, to) = day_range(filter)?;
    let mut conn = store.pool().acquire().await?;
    // Entries are written in time order (ids and times both grow with each transaction), so a
    // date range is a range of ids: the time index finds its ends, and the page reads the
    // staff or action index (or the table) by id from there.
    let mut low = 0i64;
    let mut high = before.unwrap_or(i64::MAX);
    if let Some(from) = from {
        let first: Option<i64> = sqlx::query_scalar("SELECT id FROM history WHERE at >= ? ORDER BY at, id LIMIT 1")
            .bind(from)
            .fetch_optional(&mut *conn)
            .await?;
        match first {
            Some(id) => low = id,
            None => return Ok(ActivityPage { entries: vec![], next: None }),
        }
    }
    if let Some(to) = to {
        let last: Option<i64> =
            sqlx::query_scalar("SELECT id FROM history WHERE at < ? ORDER BY at DESC, id DESC LIMIT 1")
                .bind(to)
                .fetch_optional(&mut *conn)
                .await?;
        match last {
            Some(id) => high = high.min(id.saturating_add(1)),
            None => return Ok(ActivityPage { entries: vec![], next: None }),
        }
    }
    let mut qb: sqlx::QueryBuilder<sqlx::Sqlite> = sqlx::QueryBuilder::new(
        "SELECT h.id, h.entity, h.entity_id, h.action, h.changes, h.actor_id, s.name AS actor_name, h.at, h.batch_id, \
         c.id AS customer_id, c.code AS customer_code, c.name AS customer_name \
         FROM history h LEFT JOIN staff s ON s.id = h.actor_id \
         LEFT JOIN customers c ON c.id = CASE h.entity WHEN 'customer' THEN h.entity_id \
             WHEN 'care_activity' THEN (SELECT a.customer_id FROM care_activities a WHERE a.id = h.entity_id) END \
         WHERE h.id < ",
    );
    qb.push_bind(high).push(" AND h.id >= ").push_bind(low);
    if let Some(staff) = filter.staff_id {
        qb.push(" AND h.actor_id = ").push_bind(staff);
    }
    if let Some(action) = action {
        qb.push(" AND h.action = ").push_bind(action.to_owned());
    }
    // `+h.at`: the ids bound the range; the time index must not be read in its stead (its
    // order is not the page's).
    if let Some(from) = from {
        qb.push(" AND +h.at >= ").push_bind(from);
    }
    if let Some(to) = to {
        qb.push(" AND +h.at < ").push_bind(to);
    }
    qb.push(" ORDER BY h.id DESC LIMIT ").push_bind(i64::from(limit) + 1);
    let rows: Vec<ActivityRecord> = qb.build_query_as().fetch_all(&mut *conn).await?;
    let mut entries = Vec::with_capacity(rows.len());
    for r in rows {
        entries.push(ActivityEntry {
            entry: r.entry.into_entry()?,
            customer_id: r.customer_id,
            customer_code: r.customer_code,
            customer_name: r.customer_name,
        });
    }
    let next = if entries.len() > limit as usize {
        entries.truncate(limit as usize);
        entries.last().map(|e| e.entry.id)
    } else {
        None
    };
    Ok(ActivityPage { entries, next })
}

/// The UTC instants the filter's days start at (`from`) and end before (the day after `to`).
/// A range of instants, each end optional: `[from, to)`.
type Span = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

fn day_range(filter: &ActivityFilter) -> Result<Span> {
    let bad = |field: &str, value: &str| {
        Error::Validation(vec![crate::error::FieldError::new(field, "invalid").with_value(value)])
    };
    let tz: chrono_tz::Tz = match filter.tz.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => chrono_tz::Tz::UTC,
        Some(name) => name.parse().map_err(|_| bad("tz", name))?,
    };
    let start = |d: NaiveDate| -> DateTime<Utc> {
        // Midnight may not exist (a zone that skips it): the first instant of the day then.
        match tz.from_local_datetime(&d.and_time(NaiveTime::MIN)) {
            LocalResult::Single(t) => t.with_timezone(&Utc),
            LocalResult::Ambiguous(a, _) => a.with_timezone(&Utc),
            LocalResult::None => (1..=180)
                .find_map(|m| {
                    tz.from_local_datetime(&(d.and_time(NaiveTime::MIN) + chrono::Duration::minutes(m))).earliest()
                })
                .map_or_else(|| d.and_time(NaiveTime::MIN).and_utc(), |t| t.with_timezone(&Utc)),
        }
    };
    let from = filter.from.map(start);
    let to = match filter.to {
        None => None,
        Some(d) => Some(start(d.succ_opt().ok_or_else(|| bad("to", &d.to_string()))?)),
    };
    Ok((from, to))
}

/// The actions the activity log holds, in alphabetical order (for its filter). Administrators.
pub async fn activity_actions(store: &Store, actor: &Actor) -> Result<Vec<String>> {
    actor.can_manage_settings()?;
    // One index seek per distinct action, not a scan of every entry.
    let actions: Vec<String> = sqlx::query_scalar(
        "WITH RECURSIVE a(action) AS ( \
             SELECT (SELECT min(action) FROM history) \
             UNION ALL SELECT (SELECT min(action) FROM history WHERE action > a.action) FROM a \
             WHERE a.action IS NOT NULL) \
         SELECT action FROM a WHERE action IS NOT NULL",
    )
    .fetch_all(store.pool())
    .await?;
    Ok(actions)
}
