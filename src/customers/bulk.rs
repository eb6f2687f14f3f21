//! Changing many customers at once: bulk classification edits, and merging duplicates.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::{QueryBuilder, Sqlite};
use tracing::instrument;
use ts_rs::TS;

use super::load::{load, load_many};
use super::query::matching_ids;
use super::types::*;
use super::write::update_in;
use crate::actor::Actor;
use crate::catalogs::{CatalogKind, check_ids};
use crate::error::{Error, FieldError, Result};
use crate::history::FieldChange;
use crate::store::{Store, WriteTx};

/// A single-valued field of a bulk edit: set to an item, or cleared (`id: null`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetValue {
    #[ts(type = "number | null")]
    pub id: Option<i64>,
}

/// What a bulk edit changes; fields left null stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BulkEdit {
    #[serde(default)]
    pub segment: Option<SetValue>,
    #[serde(default)]
    pub level: Option<SetValue>,
    #[serde(default)]
    pub status: Option<SetValue>,
    #[serde(default)]
    pub channel: Option<SetValue>,
    #[serde(default)]
    pub service_manager: Option<SetValue>,
    #[serde(default)]
    #[ts(type = "number[]")]
    pub add_groups: Vec<i64>,
    #[serde(default)]
    #[ts(type = "number[]")]
    pub remove_groups: Vec<i64>,
}

impl BulkEdit {
    fn is_empty(&self) -> bool {
        *self == BulkEdit::default()
    }
}

const CHUNK: usize = 500;

pub(crate) async fn selection_ids(w: &mut WriteTx<'_>, selection: &Selection) -> Result<Vec<i64>> {
    Ok(match selection {
        Selection::Ids { ids } => {
            let mut ids = ids.clone();
            ids.sort_unstable();
            ids.dedup();
            ids
        }
        Selection::Matching { search, filter, except } => {
            let mut ids = matching_ids(w.conn(), search, filter).await?;
            ids.retain(|id| !except.contains(id));
            ids
        }
    })
}

/// Set segment, level, status, channel or service manager, and add or remove groups, on every
/// selected customer: one transaction, every customer checked with `Actor::can_edit` and the
/// required-field settings, one history entry per customer that changed. Returns how many changed.
#[instrument(skip(store, actor, selection, edit), fields(actor = actor.staff_id))]
pub async fn bulk_edit(store: &Store, actor: &Actor, selection: &Selection, edit: &BulkEdit) -> Result<u64> {
    if edit.is_empty() {
        return Ok(0);
    }
    let mut w = store.write(actor).await?;
    // The values themselves, once.
    let mut errors = Vec::new();
    let one = |v: &Option<SetValue>| v.and_then(|s| s.id).into_iter().collect::<Vec<i64>>();
    check_ids(w.conn(), CatalogKind::Segment, "segment", &one(&edit.segment), &[], &mut errors).await?;
    check_ids(w.conn(), CatalogKind::Level, "level", &one(&edit.level), &[], &mut errors).await?;
    check_ids(w.conn(), CatalogKind::Status, "status", &one(&edit.status), &[], &mut errors).await?;
    check_ids(w.conn(), CatalogKind::Channel, "channel", &one(&edit.channel), &[], &mut errors).await?;
    check_ids(w.conn(), CatalogKind::Group, "add_groups", &edit.add_groups, &[], &mut errors).await?;
    if let Some(m) = edit.service_manager.and_then(|s| s.id) {
        let active: Option<bool> =
            sqlx::query_scalar("SELECT active FROM staff WHERE id = ?").bind(m).fetch_optional(w.conn()).await?;
        if active != Some(true) {
            errors.push(FieldError::new("service_manager", "invalid").with_value(m.to_string()));
        }
    }
    let fields = crate::settings::field_settings_in(w.conn()).await?;
    for (field, value) in [
        ("segment_id", edit.segment),
        ("level_id", edit.level),
        ("status_id", edit.status),
        ("channel_id", edit.channel),
        ("service_manager_id", edit.service_manager),
    ] {
        if value.is_some_and(|v| v.id.is_none()) && fields.required(field) {
            errors.push(FieldError::new(field, "required"));
        }
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }

    let ids = selection_ids(&mut w, selection).await?;
    let now = w.now;
    let actor_id = actor.staff_id;
    let mut changed = 0u64;
    // Customers whose level or segment changed: recurring care follows them.
    let mut reclassified: Vec<i64> = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let customers = load_many(w.conn(), chunk).await?;
        if customers.len() != chunk.len()
            && let Some(missing) = chunk.iter().find(|id| !customers.iter().any(|c| c.id == **id))
        {
            return Err(Error::CustomerNotFound(missing.to_string()));
        }
        let mut entries: Vec<(i64, Vec<FieldChange>)> = Vec::new();
        for c in &customers {
            actor.can_edit(c)?;
            if c.deleted_at.is_some() {
                return Err(Error::CustomerNotFound(c.code.clone()));
            }
            let mut changes = Vec::new();
            let mut single = |field: &str, before: Option<i64>, v: Option<SetValue>| {
                if let Some(v) = v
                    && v.id != before
                {
                    changes.push(FieldChange { field: field.into(), before: json!(before), after: json!(v.id) });
                }
            };
            single("segment_id", c.segment_id, edit.segment);
            single("level_id", c.level_id, edit.level);
            single("status_id", c.status_id, edit.status);
            single("channel_id", c.channel_id, edit.channel);
            single("service_manager_id", c.service_manager_id, edit.service_manager);
            let mut groups: Vec<i64> = c.group_ids.clone();
            groups.retain(|g| !edit.remove_groups.contains(g));
            for g in &edit.add_groups {
                if !groups.contains(g) {
                    groups.push(*g);
                }
            }
            let mut sorted_before = c.group_ids.clone();
            sorted_before.sort_unstable();
            groups.sort_unstable();
            if groups != sorted_before {
                if groups.is_empty() && fields.required("group_ids") {
                    return Err(Error::Validation(vec![
                        FieldError::new("remove_groups", "required").with_value(c.code.clone()),
                    ]));
                }
                changes.push(FieldChange {
                    field: "group_ids".into(),
                    before: json!(sorted_before),
                    after: json!(groups),
                });
            }
            if changes.iter().any(|ch| ch.field == "level_id" || ch.field == "segment_id") {
                reclassified.push(c.id);
            }
            if !changes.is_empty() {
                entries.push((c.id, changes));
            }
        }
        if entries.is_empty() {
            continue;
        }
        let touched: Vec<i64> = entries.iter().map(|(id, _)| *id).collect();
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("UPDATE customers SET updated_at = ");
        qb.push_bind(now).push(", updated_by = ").push_bind(actor_id);
        for (column, value) in [
            ("segment_id", edit.segment),
            ("level_id", edit.level),
            ("status_id", edit.status),
            ("channel_id", edit.channel),
            ("service_manager_id", edit.service_manager),
        ] {
            if let Some(v) = value {
                // Column names come from this list, never from input.
                qb.push(format!(", {column} = ")).push_bind(v.id);
            }
        }
        qb.push(" WHERE id IN (");
        let mut sep = qb.separated(", ");
        for id in &touched {
            sep.push_bind(*id);
        }
        qb.push(")");
        qb.build().execute(w.conn()).await?;
        if !edit.remove_groups.is_empty() {
            let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("DELETE FROM customer_groups WHERE item_id IN (");
            let mut sep = qb.separated(", ");
            for g in &edit.remove_groups {
                sep.push_bind(*g);
            }
            qb.push(") AND customer_id IN (");
            let mut sep = qb.separated(", ");
            for id in &touched {
                sep.push_bind(*id);
            }
            qb.push(")");
            qb.build().execute(w.conn()).await?;
        }
        if !edit.add_groups.is_empty() {
            let pairs: Vec<(i64, i64)> =
                touched.iter().flat_map(|id| edit.add_groups.iter().map(move |g| (*id, *g))).collect();
            for part in pairs.chunks(400) {
                let mut qb: QueryBuilder<Sqlite> =
                    QueryBuilder::new("INSERT OR IGNORE INTO customer_groups (customer_id, item_id) ");
                qb.push_values(part, |mut b, (id, g)| {
                    b.push_bind(*id).push_bind(*g);
                });
                qb.build().execute(w.conn()).await?;
            }
        }
        let mut qb: QueryBuilder<Sqlite> =
            QueryBuilder::new("INSERT INTO history (entity, entity_id, action, changes, actor_id, at) ");
        qb.push_values(&entries, |mut b, (id, changes)| {
            b.push_bind("customer")
                .push_bind(*id)
                .push_bind("bulk_edit")
                .push_bind(json!(changes).to_string())
                .push_bind(actor_id)
                .push_bind(now);
        });
        qb.build().execute(w.conn()).await?;
        changed += entries.len() as u64;
    }
    if !reclassified.is_empty() {
        crate::care::apply_rules_in(&mut w, Some(&reclassified)).await?;
    }
    w.commit().await?;
    Ok(changed)
}

/// Merge duplicates into one customer. `survivor` keeps its id and code and takes `values` (the
/// fields the user chose, value by value, from all of them); every other customer's contacts,
/// legal entities, history, referrals and import links move to the survivor, and the others go to
/// the trash with a `merge` history entry naming the survivor. Nothing is deleted for good, all in
/// one transaction. Returns the survivor as it is now.
#[instrument(skip(store, actor, values), fields(actor = actor.staff_id))]
pub async fn merge(
    store: &Store,
    actor: &Actor,
    survivor: i64,
    others: &[i64],
    values: &CustomerInput,
) -> Result<Customer> {
    let mut others: Vec<i64> = others.iter().copied().filter(|id| *id != survivor).collect();
    others.sort_unstable();
    others.dedup();
    if others.is_empty() {
        return Err(Error::InvalidArgument("pick at least two customers to merge".into()));
    }
    let mut w = store.write(actor).await?;
    let keep = load(w.conn(), survivor).await?;
    actor.can_edit(&keep)?;
    if keep.deleted_at.is_some() {
        return Err(Error::CustomerNotFound(keep.code.clone()));
    }
    let gone = load_many(w.conn(), &others).await?;
    if gone.len() != others.len() {
        let missing = others.iter().find(|id| !gone.iter().any(|c| c.id == **id)).copied().unwrap_or_default();
        return Err(Error::CustomerNotFound(missing.to_string()));
    }
    for c in &gone {
        actor.can_edit(c)?;
        if c.deleted_at.is_some() {
            return Err(Error::CustomerNotFound(c.code.clone()));
        }
    }
    let now = w.now;
    let actor_id = actor.staff_id;

    // The others leave the live list first, so the survivor's new values do not match them.
    let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("UPDATE customers SET deleted_at = ");
    qb.push_bind(now).push(", updated_at = ").push_bind(now).push(", updated_by = ").push_bind(actor_id);
    qb.push(" WHERE id IN (");
    let mut sep = qb.separated(", ");
    for id in &others {
        sep.push_bind(*id);
    }
    qb.push(")");
    qb.build().execute(w.conn()).await?;

    // The survivor takes the chosen values, plus every contact and legal entity of the others
    // (moved with their ids), so none is lost even when the form left them out.
    let mut values = values.clone();
    values.code = Some(keep.code.clone());
    values.allow_duplicate = true;
    let gone_contact_ids: Vec<i64> = gone.iter().flat_map(|c| c.contacts.iter().filter_map(|x| x.id)).collect();
    values.contacts.retain(|c| c.id.is_none_or(|id| !gone_contact_ids.contains(&id)));
    for c in &gone {
        for contact in &c.contacts {
            values.contacts.push(Contact { primary: false, ..contact.clone() });
        }
        for e in &c.legal_entities {
            if !values.legal_entities.contains(e) {
                values.legal_entities.push(e.clone());
            }
        }
    }
    if values.kind == CustomerKind::Individual && !values.contacts.is_empty() {
        return Err(Error::Validation(vec![FieldError::new("kind", "not_allowed")]));
    }
    let list = others.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    // Ids are integers from the database (never text from the caller).
    for statement in [
        format!("DELETE FROM contacts WHERE customer_id IN ({list})"),
        format!("DELETE FROM legal_entities WHERE customer_id IN ({list})"),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(statement)).execute(w.conn()).await?;
    }
    update_in(&mut w, survivor, &values, "merge", false).await?;
    for statement in [
        format!("UPDATE customers SET referrer_customer_id = {survivor} WHERE referrer_customer_id IN ({list})"),
        format!("UPDATE history SET entity_id = {survivor} WHERE entity = 'customer' AND entity_id IN ({list})"),
        format!("UPDATE OR IGNORE import_batch_items SET customer_id = {survivor} WHERE customer_id IN ({list})"),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(statement)).execute(w.conn()).await?;
    }
    crate::care::merge_into(&mut w, survivor, &others).await?;
    for c in &gone {
        let changes = vec![
            FieldChange { field: "merged_into".into(), before: Value::Null, after: json!(keep.code) },
            FieldChange { field: "deleted_at".into(), before: Value::Null, after: json!(now) },
        ];
        w.history("customer", c.id, "merged_away", &changes).await?;
    }
    let merged: Vec<Value> = gone.iter().map(|c| json!({"id": c.id, "code": c.code, "name": c.name})).collect();
    w.history(
        "customer",
        survivor,
        "merge",
        &[FieldChange { field: "merged".into(), before: Value::Null, after: Value::Array(merged) }],
    )
    .await?;
    let after = load(w.conn(), survivor).await?;
    w.commit().await?;
    Ok(after)
}
