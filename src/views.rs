//! Saved views of the customer list: a name, and what the list looked like (filters, search,
//! sort, columns: JSON that the UI owns and the core stores as given, size-limited). A view is
//! personal, or shared with every staff member; only its owner (or a manager) changes it.

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::FromRow;
use tracing::instrument;
use ts_rs::TS;

use crate::actor::Actor;
use crate::error::{Error, FieldError, Result};
use crate::history::FieldChange;
use crate::store::Store;
use crate::text;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SavedView {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    #[ts(type = "number")]
    pub owner_id: i64,
    pub owner_name: Option<String>,
    pub shared: bool,
    #[ts(type = "unknown")]
    pub definition: serde_json::Value,
    /// Whether the signed-in staff member may change or delete it.
    pub editable: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SavedViewInput {
    /// Null: a new view.
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    pub name: String,
    pub shared: bool,
    #[ts(type = "unknown")]
    pub definition: serde_json::Value,
}

#[derive(FromRow)]
struct ViewRow {
    id: i64,
    name: String,
    owner_id: i64,
    owner_name: Option<String>,
    shared: bool,
    definition: String,
}

const MAX_DEFINITION: usize = 64 * 1024;

impl ViewRow {
    fn into_view(self, actor: &Actor) -> SavedView {
        SavedView {
            editable: self.owner_id == actor.staff_id || actor.is_manager(),
            id: self.id,
            name: self.name,
            owner_id: self.owner_id,
            owner_name: self.owner_name,
            shared: self.shared,
            definition: serde_json::from_str(&self.definition).unwrap_or(serde_json::Value::Null),
        }
    }
}

const SELECT: &str = "SELECT v.id, v.name, v.owner_id, s.name AS owner_name, v.shared, v.definition \
     FROM saved_views v LEFT JOIN staff s ON s.id = v.owner_id";

/// The views the signed-in staff member can use: their own and the shared ones, by name.
#[instrument(skip(store, actor))]
pub async fn list(store: &Store, actor: &Actor) -> Result<Vec<SavedView>> {
    let rows: Vec<ViewRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE v.owner_id = ? OR v.shared = 1 ORDER BY v.name COLLATE NOCASE, v.id"
    )))
    .bind(actor.staff_id)
    .fetch_all(store.pool())
    .await?;
    Ok(rows.into_iter().map(|r| r.into_view(actor)).collect())
}

/// Create or change a view.
#[instrument(skip(store, actor, input))]
pub async fn save(store: &Store, actor: &Actor, input: SavedViewInput) -> Result<SavedView> {
    let name = text::clean(&input.name);
    if name.is_empty() {
        return Err(Error::Validation(vec![FieldError::new("name", "required")]));
    }
    if name.chars().count() > 100 {
        return Err(Error::Validation(vec![FieldError::new("name", "too_long")]));
    }
    let definition = input.definition.to_string();
    if definition.len() > MAX_DEFINITION {
        return Err(Error::Validation(vec![FieldError::new("definition", "too_long")]));
    }
    let mut w = store.write(actor).await?;
    let now = w.now;
    let id = match input.id {
        Some(id) => {
            let row: Option<ViewRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE v.id = ?")))
                .bind(id)
                .fetch_optional(w.conn())
                .await?;
            let row = row.ok_or_else(|| Error::NotFound { entity: "saved_view", id: id.to_string() })?;
            if row.owner_id != actor.staff_id && !actor.is_manager() {
                return Err(Error::PermissionDenied("only its owner or a manager changes a view".into()));
            }
            sqlx::query("UPDATE saved_views SET name = ?, shared = ?, definition = ?, updated_at = ? WHERE id = ?")
                .bind(&name)
                .bind(input.shared)
                .bind(&definition)
                .bind(now)
                .bind(id)
                .execute(w.conn())
                .await?;
            id
        }
        None => {
            sqlx::query_scalar(
                "INSERT INTO saved_views (name, owner_id, shared, definition, created_at, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(&name)
            .bind(actor.staff_id)
            .bind(input.shared)
            .bind(&definition)
            .bind(now)
            .bind(now)
            .fetch_one(w.conn())
            .await?
        }
    };
    w.history(
        "saved_view",
        id,
        if input.id.is_some() { "update" } else { "create" },
        &[FieldChange { field: "name".into(), before: serde_json::Value::Null, after: json!(name) }],
    )
    .await?;
    let row: ViewRow =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE v.id = ?"))).bind(id).fetch_one(w.conn()).await?;
    w.commit().await?;
    Ok(row.into_view(actor))
}

/// Delete a view (its owner or a manager).
#[instrument(skip(store, actor))]
pub async fn delete(store: &Store, actor: &Actor, id: i64) -> Result<()> {
    let mut w = store.write(actor).await?;
    let owner: Option<i64> =
        sqlx::query_scalar("SELECT owner_id FROM saved_views WHERE id = ?").bind(id).fetch_optional(w.conn()).await?;
    let owner = owner.ok_or_else(|| Error::NotFound { entity: "saved_view", id: id.to_string() })?;
    if owner != actor.staff_id && !actor.is_manager() {
        return Err(Error::PermissionDenied("only its owner or a manager deletes a view".into()));
    }
    sqlx::query("DELETE FROM saved_views WHERE id = ?").bind(id).execute(w.conn()).await?;
    w.history("saved_view", id, "delete", &[]).await?;
    w.commit().await?;
    Ok(())
}
