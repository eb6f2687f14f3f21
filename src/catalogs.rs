//! Catalogs: segments, levels, groups, statuses, acquisition channels, contact positions,
//! products/services, invoice types and care activity types. One table, one set of rules: add, rename, colour,
//! reorder, deactivate, and delete only what no customer uses (or after moving its customers to a
//! replacement). Levels are ranked by their order: the first is the highest.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{FromRow, SqliteConnection};
use tracing::instrument;
use ts_rs::TS;

use crate::actor::Actor;
use crate::error::{Error, FieldError, Result};
use crate::history::FieldChange;
use crate::settings::Language;
use crate::store::Store;
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CatalogKind {
    Segment,
    Level,
    Group,
    Status,
    Channel,
    Position,
    Product,
    InvoiceType,
    /// Care activity types (call, meeting, visit, e-mail, task, and the ones users add).
    CareType,
}

impl CatalogKind {
    pub const ALL: [CatalogKind; 9] = [
        CatalogKind::Segment,
        CatalogKind::Level,
        CatalogKind::Group,
        CatalogKind::Status,
        CatalogKind::Channel,
        CatalogKind::Position,
        CatalogKind::Product,
        CatalogKind::InvoiceType,
        CatalogKind::CareType,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CatalogKind::Segment => "segment",
            CatalogKind::Level => "level",
            CatalogKind::Group => "group",
            CatalogKind::Status => "status",
            CatalogKind::Channel => "channel",
            CatalogKind::Position => "position",
            CatalogKind::Product => "product",
            CatalogKind::InvoiceType => "invoice_type",
            CatalogKind::CareType => "care_type",
        }
    }

    /// Also accepts the CLI spelling `invoice-type` (and `care-type`).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Where customers refer to items of this kind: `(table, column)`. Every use counts when an
    /// item is deleted or replaced.
    fn uses(self) -> &'static [(&'static str, &'static str)] {
        match self {
            CatalogKind::Segment => &[("customers", "segment_id")],
            CatalogKind::Level => &[("customers", "level_id")],
            CatalogKind::Status => &[("customers", "status_id")],
            CatalogKind::Channel => &[("customers", "channel_id")],
            CatalogKind::Group => &[("customer_groups", "item_id")],
            CatalogKind::Product => &[("customer_products", "item_id")],
            CatalogKind::InvoiceType => &[("customer_invoice_types", "item_id")],
            CatalogKind::Position => &[("contacts", "position_id")],
            CatalogKind::CareType => &[("care_activities", "type_id"), ("care_rules", "type_id")],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, FromRow)]
#[ts(export)]
pub struct CatalogItem {
    #[ts(type = "number")]
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub kind: CatalogKind,
    pub name: String,
    /// `#rrggbb`, or null for the default.
    pub color: Option<String>,
    #[ts(type = "number")]
    pub sort_order: i64,
    pub active: bool,
    /// Stable key of a starter item, the same in every language (care types: `call`, `meeting`,
    /// `visit`, `email`, `task`); null for items users add.
    #[ts(optional = nullable)]
    #[serde(default)]
    pub key: Option<String>,
}

impl TryFrom<String> for CatalogKind {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Self, String> {
        CatalogKind::parse(&s).ok_or_else(|| format!("unknown catalog kind {s}"))
    }
}

/// Every catalog at once (the form's pickers, the filter panel, the grid's names for ids).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, Default)]
#[ts(export)]
pub struct Catalogs {
    pub items: Vec<CatalogItem>,
}

/// An item with how many customers use it (the settings screen; for care types, how many care
/// activities and rules).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CatalogItemUsage {
    pub item: CatalogItem,
    #[ts(type = "number")]
    pub customers: u64,
}

const COLUMNS: &str = "id, kind, name, color, sort_order, active, key";
const MAX_NAME: usize = 100;

fn check_name(name: &str) -> Result<String> {
    let name = text::clean(name);
    if name.is_empty() {
        return Err(Error::Validation(vec![FieldError::new("name", "required")]));
    }
    if name.chars().count() > MAX_NAME {
        return Err(Error::Validation(vec![FieldError::new("name", "too_long")]));
    }
    Ok(name)
}

fn check_color(color: Option<&str>) -> Result<Option<String>> {
    let Some(c) = color.map(str::trim).filter(|c| !c.is_empty()) else { return Ok(None) };
    let ok = c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|ch| ch.is_ascii_hexdigit());
    if !ok {
        return Err(Error::Validation(vec![FieldError::new("color", "invalid").with_value(c)]));
    }
    Ok(Some(c.to_ascii_lowercase()))
}

async fn load(conn: &mut SqliteConnection, id: i64) -> Result<CatalogItem> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM catalog_items WHERE id = ?")))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| Error::NotFound { entity: "catalog_item", id: id.to_string() })
}

async fn name_taken(conn: &mut SqliteConnection, kind: CatalogKind, key: &str, except: Option<i64>) -> Result<bool> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM catalog_items WHERE kind = ? AND name_key = ?")
        .bind(kind.as_str())
        .bind(key)
        .fetch_optional(conn)
        .await?;
    Ok(id.is_some_and(|id| Some(id) != except))
}

/// All items of every kind, in their order (inactive ones too: old customers still show them).
#[instrument(skip(store))]
pub async fn all(store: &Store) -> Result<Catalogs> {
    let items = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM catalog_items ORDER BY kind, sort_order, id"
    )))
    .fetch_all(store.pool())
    .await?;
    Ok(Catalogs { items })
}

/// One kind's items with how many customers use each.
#[instrument(skip(store))]
pub async fn list(store: &Store, kind: CatalogKind) -> Result<Vec<CatalogItemUsage>> {
    let mut conn = store.pool().acquire().await?;
    let items: Vec<CatalogItem> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM catalog_items WHERE kind = ? ORDER BY sort_order, id"
    )))
    .bind(kind.as_str())
    .fetch_all(&mut *conn)
    .await?;
    let mut counts: HashMap<i64, u64> = HashMap::new();
    for (table, column) in kind.uses() {
        // Identifiers come from `CatalogKind::uses`, never from input.
        let extra = if *table == "customers" { " AND deleted_at IS NULL" } else { "" };
        let rows: Vec<(i64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {column}, count(*) FROM {table} WHERE {column} IS NOT NULL{extra} GROUP BY {column}"
        )))
        .fetch_all(&mut *conn)
        .await?;
        for (id, n) in rows {
            *counts.entry(id).or_default() += n as u64;
        }
    }
    Ok(items
        .into_iter()
        .map(|item| {
            let customers = counts.get(&item.id).copied().unwrap_or(0);
            CatalogItemUsage { item, customers }
        })
        .collect())
}

/// How many rows (customers, or contacts for positions; trashed customers included, since
/// they can come back) use an item.
async fn usage(conn: &mut SqliteConnection, kind: CatalogKind, id: i64) -> Result<u64> {
    let mut n = 0;
    for (table, column) in kind.uses() {
        let c: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table} WHERE {column} = ?")))
                .bind(id)
                .fetch_one(&mut *conn)
                .await?;
        n += c as u64;
    }
    Ok(n)
}

async fn insert(
    conn: &mut SqliteConnection,
    kind: CatalogKind,
    name: &str,
    color: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<i64> {
    insert_keyed(conn, kind, name, color, None, now).await
}

async fn insert_keyed(
    conn: &mut SqliteConnection,
    kind: CatalogKind,
    name: &str,
    color: Option<&str>,
    key: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO catalog_items (kind, name, name_key, color, sort_order, active, created_at, key) \
         VALUES (?, ?, ?, ?, (SELECT coalesce(max(sort_order), 0) + 1 FROM catalog_items WHERE kind = ?), 1, ?, ?) \
         RETURNING id",
    )
    .bind(kind.as_str())
    .bind(name)
    .bind(text::fold(name))
    .bind(color)
    .bind(kind.as_str())
    .bind(now)
    .bind(key)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

fn change(field: &str, before: serde_json::Value, after: serde_json::Value) -> FieldChange {
    FieldChange { field: field.to_owned(), before, after }
}

/// Add an item at the end of its catalog.
#[instrument(skip(store, actor))]
pub async fn add(
    store: &Store,
    actor: &Actor,
    kind: CatalogKind,
    name: &str,
    color: Option<&str>,
) -> Result<CatalogItem> {
    actor.can_manage_catalogs()?;
    let name = check_name(name)?;
    let color = check_color(color)?;
    let mut w = store.write(actor).await?;
    if name_taken(w.conn(), kind, &text::fold(&name), None).await? {
        return Err(Error::Validation(vec![FieldError::new("name", "taken").with_value(name)]));
    }
    let now = w.now;
    let id = insert(w.conn(), kind, &name, color.as_deref(), now).await?;
    let changes = vec![change("kind", json!(null), json!(kind)), change("name", json!(null), json!(name))];
    w.history("catalog_item", id, "create", &changes).await?;
    let item = load(w.conn(), id).await?;
    w.commit().await?;
    Ok(item)
}

/// What can change on an item; `None` keeps the current value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CatalogItemPatch {
    pub name: Option<String>,
    /// Empty string clears the colour.
    pub color: Option<String>,
    pub active: Option<bool>,
}

/// Rename, recolour, deactivate or reactivate an item.
#[instrument(skip(store, actor))]
pub async fn update(store: &Store, actor: &Actor, id: i64, patch: CatalogItemPatch) -> Result<CatalogItem> {
    actor.can_manage_catalogs()?;
    let mut w = store.write(actor).await?;
    let before = load(w.conn(), id).await?;
    let name = match &patch.name {
        Some(n) => check_name(n)?,
        None => before.name.clone(),
    };
    if text::fold(&name) != text::fold(&before.name)
        && name_taken(w.conn(), before.kind, &text::fold(&name), Some(id)).await?
    {
        return Err(Error::Validation(vec![FieldError::new("name", "taken").with_value(name)]));
    }
    let color = match &patch.color {
        Some(c) => check_color(Some(c))?,
        None => before.color.clone(),
    };
    let active = patch.active.unwrap_or(before.active);
    let mut changes = Vec::new();
    if name != before.name {
        changes.push(change("name", json!(before.name), json!(name)));
    }
    if color != before.color {
        changes.push(change("color", json!(before.color), json!(color)));
    }
    if active != before.active {
        changes.push(change("active", json!(before.active), json!(active)));
    }
    if changes.is_empty() {
        return Ok(before);
    }
    sqlx::query("UPDATE catalog_items SET name = ?, name_key = ?, color = ?, active = ? WHERE id = ?")
        .bind(&name)
        .bind(text::fold(&name))
        .bind(&color)
        .bind(active)
        .bind(id)
        .execute(w.conn())
        .await?;
    w.history("catalog_item", id, "update", &changes).await?;
    let item = load(w.conn(), id).await?;
    w.commit().await?;
    Ok(item)
}

/// Put a catalog in the given order. `ids` must be exactly the kind's items.
#[instrument(skip(store, actor, ids))]
pub async fn reorder(store: &Store, actor: &Actor, kind: CatalogKind, ids: &[i64]) -> Result<Vec<CatalogItem>> {
    actor.can_manage_catalogs()?;
    let mut w = store.write(actor).await?;
    let mut current: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM catalog_items WHERE kind = ? ORDER BY sort_order, id")
            .bind(kind.as_str())
            .fetch_all(w.conn())
            .await?;
    let before_order = current.clone();
    let mut wanted = ids.to_vec();
    current.sort_unstable();
    wanted.sort_unstable();
    if current != wanted {
        return Err(Error::InvalidArgument(format!("the new order must list every {} exactly once", kind.as_str())));
    }
    for (i, id) in ids.iter().enumerate() {
        sqlx::query("UPDATE catalog_items SET sort_order = ? WHERE id = ?")
            .bind(i as i64 + 1)
            .bind(id)
            .execute(w.conn())
            .await?;
    }
    if before_order != ids {
        let changes = vec![change("order", json!(before_order), json!(ids))];
        w.history("catalog", 0, &format!("reorder_{}", kind.as_str()), &changes).await?;
    }
    let items = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM catalog_items WHERE kind = ? ORDER BY sort_order, id"
    )))
    .bind(kind.as_str())
    .fetch_all(w.conn())
    .await?;
    w.commit().await?;
    Ok(items)
}

/// Move one item up (-1) or down (+1) in its catalog.
pub async fn shift(store: &Store, actor: &Actor, id: i64, by: i64) -> Result<Vec<CatalogItem>> {
    let item = {
        let mut conn = store.pool().acquire().await?;
        load(&mut conn, id).await?
    };
    let kind = item.kind;
    let mut ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM catalog_items WHERE kind = ? ORDER BY sort_order, id")
        .bind(kind.as_str())
        .fetch_all(store.pool())
        .await?;
    if let Some(i) = ids.iter().position(|x| *x == id) {
        let j = (i as i64 + by).clamp(0, ids.len() as i64 - 1) as usize;
        let moved = ids.remove(i);
        ids.insert(j, moved);
    }
    reorder(store, actor, kind, &ids).await
}

/// Delete an item. When customers use it, the delete is refused with `catalog.in_use` and the
/// count, unless a `replacement` of the same kind is given: then its customers move to the
/// replacement (each with a history entry) and the item goes, in one transaction.
#[instrument(skip(store, actor))]
pub async fn delete(store: &Store, actor: &Actor, id: i64, replacement: Option<i64>) -> Result<u64> {
    actor.can_manage_catalogs()?;
    let mut w = store.write(actor).await?;
    let item = load(w.conn(), id).await?;
    let kind = item.kind;
    let used = usage(w.conn(), kind, id).await?;
    let mut moved = 0;
    if used > 0 {
        let Some(rep) = replacement else {
            return Err(Error::CatalogInUse { name: item.name.clone(), customers: used });
        };
        let rep_item = load(w.conn(), rep).await?;
        if rep_item.kind != kind || rep == id {
            return Err(Error::InvalidArgument("the replacement must be another item of the same catalog".into()));
        }
        moved = replace_uses(&mut w, kind, id, rep).await?;
    }
    sqlx::query("DELETE FROM catalog_items WHERE id = ?").bind(id).execute(w.conn()).await?;
    let changes = vec![change("name", json!(item.name), json!(null)), change("kind", json!(kind), json!(null))];
    w.history("catalog_item", id, "delete", &changes).await?;
    w.commit().await?;
    Ok(moved)
}

/// Move every use of `from` to `to`; customers get a history entry each. Returns how many rows moved.
async fn replace_uses(w: &mut crate::store::WriteTx<'_>, kind: CatalogKind, from: i64, to: i64) -> Result<u64> {
    let field = match kind {
        CatalogKind::Segment => "segment_id",
        CatalogKind::Level => "level_id",
        CatalogKind::Status => "status_id",
        CatalogKind::Channel => "channel_id",
        CatalogKind::Group => "group_ids",
        CatalogKind::Product => "products",
        CatalogKind::InvoiceType => "invoice_type_ids",
        CatalogKind::Position => "contacts.position_id",
        CatalogKind::CareType => return replace_care_type(w, from, to).await,
    };
    let now = w.now;
    let actor_id = w.actor.staff_id;
    let (table, column) = kind.uses()[0];
    let customer_col = if table == "customers" { "id" } else { "customer_id" };
    let ids: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT DISTINCT {customer_col} FROM {table} WHERE {column} = ?"
    )))
    .bind(from)
    .fetch_all(w.conn())
    .await?;
    match table {
        "customers" => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE customers SET {column} = ?, updated_at = ?, updated_by = ? WHERE {column} = ?"
            )))
            .bind(to)
            .bind(now)
            .bind(actor_id)
            .bind(from)
            .execute(w.conn())
            .await?;
        }
        "contacts" => {
            sqlx::query("UPDATE contacts SET position_id = ? WHERE position_id = ?")
                .bind(to)
                .bind(from)
                .execute(w.conn())
                .await?;
        }
        _ => {
            // Link tables: customers that already have the replacement just lose the old link.
            sqlx::query(sqlx::AssertSqlSafe(format!("UPDATE OR IGNORE {table} SET item_id = ? WHERE item_id = ?")))
                .bind(to)
                .bind(from)
                .execute(w.conn())
                .await?;
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE item_id = ?")))
                .bind(from)
                .execute(w.conn())
                .await?;
        }
    }
    let changes = json!([{"field": field, "before": from, "after": to}]).to_string();
    for chunk in ids.chunks(500) {
        let mut qb: sqlx::QueryBuilder<sqlx::Sqlite> =
            sqlx::QueryBuilder::new("INSERT INTO history (entity, entity_id, action, changes, actor_id, at) ");
        qb.push_values(chunk, |mut b, id| {
            b.push_bind("customer")
                .push_bind(*id)
                .push_bind("update")
                .push_bind(changes.clone())
                .push_bind(actor_id)
                .push_bind(now);
        });
        qb.build().execute(w.conn()).await?;
    }
    Ok(ids.len() as u64)
}

/// Care activities and rules of one type move to another; one history entry for the move (the
/// activities themselves are not customers' fields). Returns how many activities moved.
async fn replace_care_type(w: &mut crate::store::WriteTx<'_>, from: i64, to: i64) -> Result<u64> {
    let now = w.now;
    let actor_id = w.actor.staff_id;
    let moved = sqlx::query("UPDATE care_activities SET type_id = ?, updated_at = ?, updated_by = ? WHERE type_id = ?")
        .bind(to)
        .bind(now)
        .bind(actor_id)
        .bind(from)
        .execute(w.conn())
        .await?
        .rows_affected();
    sqlx::query("UPDATE care_rules SET type_id = ?, updated_at = ? WHERE type_id = ?")
        .bind(to)
        .bind(now)
        .bind(from)
        .execute(w.conn())
        .await?;
    let changes = vec![change("care_type", json!(from), json!(to)), change("activities", json!(null), json!(moved))];
    w.history("catalog_item", from, "replace", &changes).await?;
    Ok(moved)
}

/// Ids for names of one kind, folded ("VIP", "vip " are one). Missing names are created when
/// `create` is true (returned in `created`), else left out. Used by the importer and the CLI.
pub(crate) async fn resolve_names(
    conn: &mut SqliteConnection,
    kind: CatalogKind,
    names: &[String],
    create: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(HashMap<String, i64>, Vec<String>)> {
    let existing: Vec<(String, i64)> = sqlx::query_as("SELECT name_key, id FROM catalog_items WHERE kind = ?")
        .bind(kind.as_str())
        .fetch_all(&mut *conn)
        .await?;
    let mut map: HashMap<String, i64> = existing.into_iter().collect();
    let mut created = Vec::new();
    for name in names {
        let Ok(name) = check_name(name) else { continue };
        let key = text::fold(&name);
        if map.contains_key(&key) || !create {
            continue;
        }
        let id = insert(&mut *conn, kind, &name, None, now).await?;
        map.insert(key, id);
        created.push(name);
    }
    Ok((map, created))
}

/// Look up one item by (folded) name, stable key (`call`) or id: what the CLI's `--segment VIP`,
/// `--type call` and the importer need.
pub async fn find(store: &Store, kind: CatalogKind, id_or_name: &str) -> Result<CatalogItem> {
    let key = text::fold(id_or_name);
    let by_name: Option<CatalogItem> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM catalog_items WHERE kind = ? AND name_key = ?"
    )))
    .bind(kind.as_str())
    .bind(&key)
    .fetch_optional(store.pool())
    .await?;
    if let Some(item) = by_name {
        return Ok(item);
    }
    // A starter item's stable key (`call`), whatever the item is called in this database.
    let by_key: Option<CatalogItem> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM catalog_items WHERE kind = ? AND key = ?")))
            .bind(kind.as_str())
            .bind(&key)
            .fetch_optional(store.pool())
            .await?;
    if let Some(item) = by_key {
        return Ok(item);
    }
    if let Ok(id) = id_or_name.trim().parse::<i64>() {
        let mut conn = store.pool().acquire().await?;
        if let Ok(item) = load(&mut conn, id).await
            && item.kind == kind
        {
            return Ok(item);
        }
    }
    Err(Error::NotFound { entity: "catalog_item", id: id_or_name.to_owned() })
}

/// Check that ids name existing items of `kind` (inactive items are accepted only when the
/// customer already had them: `keep`). Errors are reported on `field`.
pub(crate) async fn check_ids(
    conn: &mut SqliteConnection,
    kind: CatalogKind,
    field: &str,
    ids: &[i64],
    keep: &[i64],
    errors: &mut Vec<FieldError>,
) -> Result<()> {
    for id in ids {
        let row: Option<(String, bool)> = sqlx::query_as("SELECT kind, active FROM catalog_items WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        match row {
            Some((k, active)) if k == kind.as_str() => {
                if !active && !keep.contains(id) {
                    errors.push(FieldError::new(field, "inactive").with_value(id.to_string()));
                }
            }
            _ => errors.push(FieldError::new(field, "invalid").with_value(id.to_string())),
        }
    }
    Ok(())
}

/// Starter items for a new database, in the language chosen at first run.
pub(crate) async fn seed(
    conn: &mut SqliteConnection,
    language: Language,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let any: Option<i64> = sqlx::query_scalar("SELECT id FROM catalog_items WHERE kind <> 'care_type' LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    if any.is_none() {
        for (kind, items) in starter_items(language) {
            for (name, color) in items {
                insert(&mut *conn, kind, name, color, now).await?;
            }
        }
    }
    let any_care: Option<i64> = sqlx::query_scalar("SELECT id FROM catalog_items WHERE kind = 'care_type' LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    if any_care.is_none() {
        for (key, name) in starter_care_types(language) {
            insert_keyed(&mut *conn, CatalogKind::CareType, name, None, Some(key), now).await?;
        }
    }
    Ok(())
}

/// The starter care types: `(stable key, name)`. Migration 0005 seeds the same for databases
/// created before care existed.
pub fn starter_care_types(language: Language) -> [(&'static str, &'static str); 5] {
    match language {
        Language::En => {
            [("call", "Call"), ("meeting", "Meeting"), ("visit", "Visit"), ("email", "E-mail"), ("task", "Task")]
        }
        Language::Vi => [
            ("call", "Gọi điện"),
            ("meeting", "Gặp mặt"),
            ("visit", "Thăm"),
            ("email", "E-mail"),
            ("task", "Việc cần làm"),
        ],
    }
}

type Starter = Vec<(CatalogKind, Vec<(&'static str, Option<&'static str>)>)>;

fn starter_items(language: Language) -> Starter {
    use CatalogKind::*;
    match language {
        Language::En => vec![
            (Segment, vec![("Retail", None), ("Wholesale", None), ("SME", None), ("Enterprise", None)]),
            (
                Level,
                vec![
                    ("VIP", Some("#b45309")),
                    ("Gold", Some("#ca8a04")),
                    ("Silver", Some("#64748b")),
                    ("Standard", None),
                ],
            ),
            (Group, vec![("Partners", None), ("Newsletter", None)]),
            (Status, vec![("New", Some("#2563eb")), ("Active", Some("#16a34a")), ("Inactive", Some("#9ca3af"))]),
            (
                Channel,
                vec![
                    ("Website", None),
                    ("Referral", None),
                    ("Event", None),
                    ("Advertising", None),
                    ("Cold call", None),
                ],
            ),
            (Position, vec![("Director", None), ("Manager", None), ("Accountant", None), ("Purchasing", None)]),
            (InvoiceType, vec![("VAT invoice", None), ("Sales invoice", None)]),
        ],
        Language::Vi => vec![
            (
                Segment,
                vec![("Bán lẻ", None), ("Bán sỉ", None), ("Doanh nghiệp vừa và nhỏ", None), ("Doanh nghiệp lớn", None)],
            ),
            (
                Level,
                vec![("VIP", Some("#b45309")), ("Vàng", Some("#ca8a04")), ("Bạc", Some("#64748b")), ("Thường", None)],
            ),
            (Group, vec![("Đối tác", None), ("Nhận bản tin", None)]),
            (
                Status,
                vec![
                    ("Mới", Some("#2563eb")),
                    ("Đang giao dịch", Some("#16a34a")),
                    ("Ngừng giao dịch", Some("#9ca3af")),
                ],
            ),
            (
                Channel,
                vec![
                    ("Website", None),
                    ("Giới thiệu", None),
                    ("Sự kiện", None),
                    ("Quảng cáo", None),
                    ("Gọi điện", None),
                ],
            ),
            (Position, vec![("Giám đốc", None), ("Trưởng phòng", None), ("Kế toán", None), ("Mua hàng", None)]),
            (InvoiceType, vec![("Hóa đơn GTGT", None), ("Hóa đơn bán hàng", None)]),
        ],
    }
}
