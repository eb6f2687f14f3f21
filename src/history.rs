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
    /// `create`, `update`, `delete`, `restore`, `purge`.
    pub action: String,
    pub changes: Vec<FieldChange>,
    #[ts(type = "number | null")]
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub at: DateTime<Utc>,
    #[ts(type = "number | null")]
    pub batch_id: Option<i64>,
}

use sqlx::FromRow;

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
    rows.into_iter()
        .map(|r| {
            Ok(HistoryEntry {
                id: r.id,
                entity: r.entity,
                entity_id: r.entity_id,
                action: r.action,
                changes: serde_json::from_str(&r.changes).map_err(|e| Error::Database(e.to_string()))?,
                actor_id: r.actor_id,
                actor_name: r.actor_name,
                at: r.at,
                batch_id: r.batch_id,
            })
        })
        .collect()
}
