//! Commit an import in one transaction (batched inserts, updates, history, the batch record),
//! and revert a batch.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{FromRow, QueryBuilder, Sqlite};
use tracing::instrument;
use ts_rs::TS;

use super::mapping::ImportField;
use super::plan::{self, Fate, ImportOptions, ImportReport, RowDraft};
use crate::actor::Actor;
use crate::catalogs::{self, CatalogKind};
use crate::customers::{self, CustomerInput};
use crate::error::{Error, Result};
use crate::history::FieldChange;
use crate::store::Store;
use crate::{duplicates, settings, text};

/// Where a long import is, for the progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ImportPhase {
    Reading,
    Writing,
    Finishing,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportProgress {
    pub phase: ImportPhase,
    #[ts(type = "number")]
    pub done: u64,
    /// Rows to write (known once reading is done); 0 while reading.
    #[ts(type = "number")]
    pub total: u64,
}

/// Read, validate and plan a file without changing anything: the wizard's preview and
/// `clientele import --dry-run`.
#[instrument(skip(store, actor, options, on_progress))]
pub async fn preview(
    store: &Store,
    actor: &Actor,
    path: &Path,
    options: &ImportOptions,
    on_progress: &mut dyn FnMut(ImportProgress) -> bool,
) -> Result<ImportReport> {
    let Some(reader) = super::followup::open_customers(path, options)? else {
        return super::followup::preview(store, actor, path, options, on_progress).await;
    };
    actor.can_create_customer()?;
    let mut conn = store.pool().acquire().await?;
    let rules = duplicates::rules_in(&mut conn).await?;
    let fields = settings::field_settings_in(&mut conn).await?;
    let p = plan::plan(&mut conn, path, reader, options, &rules, &fields, None, &mut |n| {
        on_progress(ImportProgress { phase: ImportPhase::Reading, done: n, total: 0 })
    })
    .await?;
    Ok(p.report)
}

/// Import a file: plan it, then write the plan in one transaction (all or nothing) with an
/// import batch record that `revert` can undo. `on_progress` returning false cancels: nothing is
/// written.
#[instrument(skip(store, actor, options, on_progress))]
pub async fn run(
    store: &Store,
    actor: &Actor,
    path: &Path,
    options: &ImportOptions,
    on_progress: &mut dyn FnMut(ImportProgress) -> bool,
) -> Result<ImportReport> {
    let Some(reader) = super::followup::open_customers(path, options)? else {
        return super::followup::run(store, actor, path, options, on_progress).await;
    };
    actor.can_create_customer()?;
    let started = std::time::Instant::now();
    let spool_dir = store.data_dir().join("tmp");
    remove_stale_spools(&spool_dir);
    let plan_span = super::timing::span("plan (total)");
    let mut plan = {
        let mut conn = store.pool().acquire().await?;
        let rules = duplicates::rules_in(&mut conn).await?;
        let fields = settings::field_settings_in(&mut conn).await?;
        plan::plan(&mut conn, path, reader, options, &rules, &fields, Some(&spool_dir), &mut |n| {
            on_progress(ImportProgress { phase: ImportPhase::Reading, done: n, total: 0 })
        })
        .await?
    };
    let to_write = plan.report.created + plan.report.updated;
    drop(plan_span);

    let catalog_span = super::timing::span("commit: begin, catalogs");
    // A plan that updates nothing only inserts: see `Store::write_inserts`.
    let mut w = if plan.report.updated == 0 {
        store.write_inserts(actor, &[customers::BULK_REFERENCING, &["import_batch_items"]].concat()).await?
    } else {
        store.write(actor).await?
    };
    let now = w.now;
    let batch_id: i64 = sqlx::query_scalar(
        "INSERT INTO import_batches (file_name, kind, mode, rows, created, updated, skipped, failed, actor_id, at) \
         VALUES (?, 'customers', ?, ?, 0, 0, 0, ?, ?, ?) RETURNING id",
    )
    .bind(&plan.report.file_name)
    .bind(plan.report.mode.as_str())
    .bind(plan.report.rows as i64)
    .bind(plan.report.invalid as i64)
    .bind(actor.staff_id)
    .bind(now)
    .fetch_one(w.conn())
    .await?;
    w.batch_id = Some(batch_id);

    // Catalog values: create what is new (listed in the preview), then every name → id.
    let mut ids: HashMap<CatalogKind, HashMap<String, i64>> = HashMap::new();
    for kind in [
        CatalogKind::Segment,
        CatalogKind::Level,
        CatalogKind::Group,
        CatalogKind::Status,
        CatalogKind::Channel,
        CatalogKind::Position,
    ] {
        let fresh = plan.catalog_names.get(&kind).cloned().unwrap_or_default();
        let create = options.create_missing && !fresh.is_empty();
        if create {
            actor.can_manage_catalogs().map_err(|_| {
                // Staff may import; the values their file brings are added on their behalf
                // only when an admin allowed it. Managers and admins always may.
                Error::PermissionDenied(format!(
                    "the file has new {} values ({}); ask a manager to add them or import without creating them",
                    kind.as_str(),
                    fresh.join(", ")
                ))
            })?;
        }
        let (map, created) = catalogs::resolve_names(w.conn(), kind, &fresh, create, now).await?;
        for name in created {
            w.history(
                "catalog_item",
                0,
                "import_create",
                &[FieldChange { field: kind.as_str().into(), before: serde_json::Value::Null, after: json!(name) }],
            )
            .await?;
        }
        ids.insert(kind, map);
    }
    let staff: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, name, email_key FROM staff WHERE active = 1").fetch_all(w.conn()).await?;
    let mut staff_by: HashMap<String, i64> = HashMap::new();
    for (id, name, email) in staff {
        staff_by.entry(text::fold(&name)).or_insert(id);
        staff_by.insert(email, id);
    }
    let default_owner = options.default_owner_id.unwrap_or(actor.staff_id);
    let mut resolver = Resolver { ids, staff_by, default_owner, memo: HashMap::new(), people: HashMap::new() };

    drop(catalog_span);
    // Creations: read back from the spool and resolved on a thread of their own (so that this
    // overlaps the bulk insert), then streamed into it.
    let create_span = super::timing::span("commit: create (total)");
    let spool = plan.spool.take().ok_or_else(|| Error::Database("import spool missing".into()))?;
    let fates = std::mem::take(&mut plan.fates);
    let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Vec<CustomerInput>>>(4);
    {
        let rows = spool.rows()?;
        let creates: Vec<bool> = fates.iter().map(|f| *f == Fate::Create).collect();
        let mut resolver = resolver.clone();
        std::thread::Builder::new()
            .name("import-spool".into())
            .spawn(move || {
                let mut out = Vec::with_capacity(SPOOL_BATCH);
                for (row, create) in rows.zip(creates) {
                    if !create {
                        continue;
                    }
                    match row {
                        Ok(d) => out.push(resolver.resolve(&d)),
                        Err(e) => {
                            let _ = tx.send(Err(e));
                            return;
                        }
                    }
                    if out.len() == SPOOL_BATCH
                        && tx.send(Ok(std::mem::replace(&mut out, Vec::with_capacity(SPOOL_BATCH)))).is_err()
                    {
                        return;
                    }
                }
                if !out.is_empty() {
                    let _ = tx.send(Ok(out));
                }
            })
            .map_err(|e| Error::Io(format!("could not start the import: {e}")))?;
    }
    let mut spool_error: Option<Error> = None;
    let creates = {
        let spool_error = &mut spool_error;
        let mut batch = Vec::new().into_iter();
        std::iter::from_fn(move || {
            loop {
                if let Some(input) = batch.next() {
                    return Some(input);
                }
                match rx.recv() {
                    Ok(Ok(rows)) => batch = rows.into_iter(),
                    Ok(Err(e)) => {
                        *spool_error = Some(e);
                        return None;
                    }
                    // The thread is done.
                    Err(_) => return None,
                }
            }
        })
    };
    // The names alone first: the bulk insert gives every row its place in name order up front.
    let names = spool.names()?.zip(fates.iter().copied()).filter(|(_, f)| *f == Fate::Create).map(|(n, _)| n);
    let created_ids = customers::create_many_for_import(&mut w, creates, Some(names), &mut |n| {
        on_progress(ImportProgress { phase: ImportPhase::Writing, done: n, total: to_write })
    })
    .await
    .map_err(|e| row_context(e, &fates, &plan.row_numbers))?;
    if let Some(e) = spool_error {
        return Err(e);
    }
    drop(create_span);
    let items_span = super::timing::span("commit: batch items, updates");
    for chunk in created_ids.chunks(300) {
        let mut qb: QueryBuilder<Sqlite> =
            QueryBuilder::new("INSERT INTO import_batch_items (batch_id, customer_id, action) ");
        qb.push_values(chunk, |mut b, id| {
            b.push_bind(batch_id).push_bind(*id).push_bind("create");
        });
        qb.build().execute(w.conn()).await?;
    }

    // Updates, in row order: existing customers, and rows of this file that duplicate an
    // earlier created one. Empty cells keep existing values.
    let mut created_by_row: HashMap<u32, i64> = HashMap::new();
    let any_updates = fates.iter().any(|f| matches!(f, Fate::Update(_) | Fate::UpdateRow(_)));
    if fates.iter().any(|f| matches!(f, Fate::UpdateRow(_))) {
        let mut k = 0;
        for (i, f) in fates.iter().enumerate() {
            if *f == Fate::Create {
                if let Some(id) = created_ids.get(k) {
                    created_by_row.insert(i as u32, *id);
                }
                k += 1;
            }
        }
    }
    let mut snapshotted: std::collections::HashSet<i64> = std::collections::HashSet::new();
    if any_updates {
        snapshotted.extend(created_ids.iter().copied());
    }
    let mut updated = 0u64;
    let mut written = created_ids.len() as u64;
    // Without updates there is no need to read the spool again.
    let rows = if any_updates { Some(spool.rows()?) } else { None };
    for (row, fate) in rows.into_iter().flatten().zip(fates.iter().copied()) {
        let target = match fate {
            Fate::Update(id) => id,
            Fate::UpdateRow(root) => match created_by_row.get(&root) {
                Some(id) => *id,
                None => continue,
            },
            _ => continue,
        };
        let d = row?;
        let before = crate::customers::load_for_import(w.conn(), target).await?;
        if snapshotted.insert(target) {
            let snapshot = json!({
                "input": before.to_input(),
                "updated_at": before.updated_at,
                "updated_by": before.updated_by,
            });
            sqlx::query("INSERT OR IGNORE INTO import_batch_items (batch_id, customer_id, action, before) VALUES (?, ?, 'update', ?)")
                .bind(batch_id)
                .bind(target)
                .bind(snapshot.to_string())
                .execute(w.conn())
                .await?;
        }
        let input = overlay(before.to_input(), &resolver.resolve(&d), &d);
        customers::update_for_import(&mut w, target, &input).await.map_err(|e| at_row(e, d.row))?;
        updated += 1;
        written += 1;
        if written.is_multiple_of(200)
            && !on_progress(ImportProgress { phase: ImportPhase::Writing, done: written, total: to_write })
        {
            return Err(Error::Cancelled);
        }
    }
    on_progress(ImportProgress { phase: ImportPhase::Finishing, done: written, total: to_write });
    drop(items_span);
    let finish_span = super::timing::span("commit: batch record, commit");

    let report = &mut plan.report;
    report.created = created_ids.len() as u64;
    report.updated = updated;
    report.dry_run = false;
    report.batch_id = Some(batch_id);
    sqlx::query("UPDATE import_batches SET created = ?, updated = ?, skipped = ? WHERE id = ?")
        .bind(report.created as i64)
        .bind(report.updated as i64)
        .bind(report.skipped as i64)
        .bind(batch_id)
        .execute(w.conn())
        .await?;
    // Remember the mapping for the next file with these headers.
    let signature = super::mapping::header_signature(&report.headers);
    let mapping = serde_json::to_string(&report.mapping).map_err(|e| Error::Database(e.to_string()))?;
    settings::put(w.conn(), &plan::mapping_key(&signature), &mapping).await?;
    w.history(
        "import_batch",
        batch_id,
        "import",
        &[FieldChange {
            field: "counts".into(),
            before: serde_json::Value::Null,
            after: json!({"file": report.file_name, "created": report.created, "updated": report.updated,
                      "skipped": report.skipped, "invalid": report.invalid}),
        }],
    )
    .await?;
    w.commit().await?;
    drop(spool);
    drop(finish_span);
    super::timing::report("import phases");
    report.seconds = started.elapsed().as_secs_f64();
    Ok(plan.report)
}

/// Rows handed from the spool's thread to the bulk insert at a time.
const SPOOL_BATCH: usize = 256;

/// Turns a spooled row's catalog and staff names into ids (each distinct name folded and looked
/// up once).
#[derive(Clone)]
struct Resolver {
    /// Catalog kind → folded name → id.
    ids: HashMap<CatalogKind, HashMap<String, i64>>,
    /// Folded staff name or e-mail key → id.
    staff_by: HashMap<String, i64>,
    default_owner: i64,
    /// Catalog kind → name as written → id.
    memo: HashMap<CatalogKind, HashMap<String, Option<i64>>>,
    /// Staff name or e-mail as written → id.
    people: HashMap<String, Option<i64>>,
}

impl Resolver {
    fn item(&mut self, kind: CatalogKind, name: &str) -> Option<i64> {
        let memo = self.memo.entry(kind).or_default();
        if let Some(id) = memo.get(name) {
            return *id;
        }
        let id = self.ids.get(&kind).and_then(|m| m.get(&text::fold(name))).copied();
        memo.insert(name.to_owned(), id);
        id
    }

    fn person(&mut self, name: &str) -> Option<i64> {
        if let Some(id) = self.people.get(name) {
            return *id;
        }
        let id = self.staff_by.get(&text::fold(name)).or_else(|| self.staff_by.get(&text::email_key(name))).copied();
        self.people.insert(name.to_owned(), id);
        id
    }

    fn resolve(&mut self, d: &RowDraft) -> CustomerInput {
        let mut input = d.input.clone();
        let mut one = |kind: CatalogKind, v: &Option<String>| v.as_deref().and_then(|v| self.item(kind, v));
        input.segment_id = one(CatalogKind::Segment, &d.names.segment);
        input.level_id = one(CatalogKind::Level, &d.names.level);
        input.status_id = one(CatalogKind::Status, &d.names.status);
        input.channel_id = one(CatalogKind::Channel, &d.names.channel);
        let position = one(CatalogKind::Position, &d.names.position);
        input.group_ids = d.names.groups.iter().filter_map(|g| self.item(CatalogKind::Group, g)).collect();
        for c in &mut input.contacts {
            c.position_id = position;
        }
        input.owner_id = Some(d.names.owner.as_deref().and_then(|o| self.person(o)).unwrap_or(self.default_owner));
        input.service_manager_id = d.names.service_manager.as_deref().and_then(|m| self.person(m));
        input
    }
}

/// Spool files left behind by an import that was killed: removed once they are an hour old
/// (a running import's spool is younger).
fn remove_stale_spools(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() > 3600);
        let ours = e.file_name().to_string_lossy().starts_with("import-");
        if old && ours {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// A validation error from the bulk insert names `rows.N.field` by position among created rows:
/// say which spreadsheet row it was.
fn row_context(e: Error, fates: &[Fate], rows: &[u32]) -> Error {
    let Error::Validation(mut fields) = e else { return e };
    let created_rows: Vec<u32> = fates.iter().zip(rows).filter(|(f, _)| **f == Fate::Create).map(|(_, r)| *r).collect();
    for f in &mut fields {
        let rest = f.field.strip_prefix("rows.").and_then(|r| r.split_once('.'));
        if let Some((k, field)) = rest
            && let Ok(k) = k.parse::<usize>()
            && let Some(row) = created_rows.get(k)
        {
            f.field = format!("row {row}: {field}");
        }
    }
    Error::Validation(fields)
}

fn at_row(e: Error, row: u32) -> Error {
    match e {
        Error::Validation(mut fields) => {
            for f in &mut fields {
                f.field = format!("row {row}: {}", f.field);
            }
            Error::Validation(fields)
        }
        other => other,
    }
}

/// Existing values, replaced by the row's where its cell had one.
fn overlay(mut base: CustomerInput, row: &CustomerInput, d: &RowDraft) -> CustomerInput {
    use ImportField as F;
    for f in &d.present {
        match f {
            F::CustomerCode => {}
            F::Name => base.name = row.name.clone(),
            F::Kind => base.kind = row.kind,
            F::Phone => {
                for p in &row.phones {
                    let key = text::phone_key(p);
                    if !base.phones.iter().any(|q| text::phone_key(q) == key) {
                        base.phones.push(p.clone());
                    }
                }
            }
            F::Email => {
                for e in &row.emails {
                    if !base.emails.contains(e) {
                        base.emails.push(e.clone());
                    }
                }
            }
            F::Address => base.address = row.address.clone(),
            F::Segment => base.segment_id = row.segment_id.or(base.segment_id),
            F::Level => base.level_id = row.level_id.or(base.level_id),
            F::Group => {
                for g in &row.group_ids {
                    if !base.group_ids.contains(g) {
                        base.group_ids.push(*g);
                    }
                }
            }
            F::Status => base.status_id = row.status_id.or(base.status_id),
            F::AcquisitionChannel => base.channel_id = row.channel_id.or(base.channel_id),
            F::Owner => base.owner_id = row.owner_id.or(base.owner_id),
            F::ServiceManager => base.service_manager_id = row.service_manager_id.or(base.service_manager_id),
            F::TaxCode => base.tax_code = row.tax_code.clone(),
            F::Website => base.website = row.website.clone().or(base.website),
            F::Birthday => base.birthday = row.birthday.or(base.birthday),
            F::FoundedDate => base.founded_on = row.founded_on.or(base.founded_on),
            F::Notes => base.notes = row.notes.clone(),
            F::PromoEmailConsent => base.email_consent = row.email_consent,
            F::Gender => base.gender = row.gender.or(base.gender),
            F::ContactName | F::ContactPhone | F::ContactEmail | F::ContactPosition => {}
        }
    }
    // A contact from the row is added unless one with that name exists.
    for c in &row.contacts {
        if !base.contacts.iter().any(|b| text::fold(&b.name) == text::fold(&c.name)) {
            let mut c = c.clone();
            c.primary = base.contacts.is_empty();
            base.contacts.push(c);
        }
    }
    // Kind-specific fields of the other kind go.
    match base.kind {
        customers::CustomerKind::Individual => {
            base.founded_on = None;
            base.contacts.clear();
        }
        customers::CustomerKind::Business => {
            base.birthday = None;
            base.gender = None;
        }
    }
    base.allow_duplicate = true;
    base
}

/// One import as listed in the app (newest first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, FromRow)]
#[ts(export)]
pub struct ImportBatch {
    #[ts(type = "number")]
    pub id: i64,
    pub file_name: String,
    pub mode: String,
    #[ts(type = "number")]
    pub rows: i64,
    #[ts(type = "number")]
    pub created: i64,
    #[ts(type = "number")]
    pub updated: i64,
    #[ts(type = "number")]
    pub skipped: i64,
    #[ts(type = "number")]
    pub failed: i64,
    #[ts(type = "number | null")]
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub at: chrono::DateTime<chrono::Utc>,
    pub reverted_at: Option<chrono::DateTime<chrono::Utc>>,
}

// A follow-up records batch (kind `care`) is listed with mode `care`.
const BATCH_COLUMNS: &str = "b.id, b.file_name, CASE b.kind WHEN 'care' THEN 'care' ELSE b.mode END AS mode, b.rows, b.created, b.updated, b.skipped, b.failed, \
     b.actor_id, s.name AS actor_name, b.at, b.reverted_at";

/// The most recent imports.
pub async fn batches(store: &Store, actor: &Actor, limit: u32) -> Result<Vec<ImportBatch>> {
    let _ = actor;
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {BATCH_COLUMNS} FROM import_batches b LEFT JOIN staff s ON s.id = b.actor_id ORDER BY b.id DESC LIMIT ?"
    )))
    .bind(i64::from(limit.clamp(1, 500)))
    .fetch_all(store.pool())
    .await?)
}

#[derive(Deserialize)]
struct Snapshot {
    input: CustomerInput,
    updated_at: chrono::DateTime<chrono::Utc>,
    updated_by: Option<i64>,
}

/// Undo a whole import: customers it created are deleted for good (they did not exist before),
/// customers it updated get their values from before the import back. One transaction. Only
/// the staff member who imported, or a manager, may revert; a batch reverts once.
#[instrument(skip(store, actor))]
pub async fn revert(store: &Store, actor: &Actor, batch_id: i64) -> Result<ImportBatch> {
    let mut w = store.write(actor).await?;
    let batch: Option<ImportBatch> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {BATCH_COLUMNS} FROM import_batches b LEFT JOIN staff s ON s.id = b.actor_id WHERE b.id = ?"
    )))
    .bind(batch_id)
    .fetch_optional(w.conn())
    .await?;
    let batch = batch.ok_or_else(|| Error::NotFound { entity: "import_batch", id: batch_id.to_string() })?;
    if batch.actor_id != Some(actor.staff_id) && !actor.is_manager() {
        return Err(Error::PermissionDenied("only the staff member who imported, or a manager, can revert it".into()));
    }
    if batch.reverted_at.is_some() {
        return Err(Error::InvalidArgument("this import was already reverted".into()));
    }
    w.batch_id = Some(batch_id);
    let updates: Vec<(i64, Option<String>)> = sqlx::query_as(
        "SELECT customer_id, before FROM import_batch_items WHERE batch_id = ? AND action = 'update' ORDER BY customer_id",
    )
    .bind(batch_id)
    .fetch_all(w.conn())
    .await?;
    let mut restored = 0u64;
    for (id, before) in updates {
        let Some(snapshot) = before.and_then(|b| serde_json::from_str::<Snapshot>(&b).ok()) else { continue };
        let mut input = snapshot.input;
        input.allow_duplicate = true;
        match customers::update_for_revert(&mut w, id, &input).await {
            Ok(()) => {}
            // Trashed or purged since: nothing to put back.
            Err(Error::CustomerNotFound(_)) => continue,
            Err(e) => return Err(e),
        }
        sqlx::query("UPDATE customers SET updated_at = ?, updated_by = ? WHERE id = ?")
            .bind(snapshot.updated_at)
            .bind(snapshot.updated_by)
            .bind(id)
            .execute(w.conn())
            .await?;
        restored += 1;
    }
    let deleted = sqlx::query(
        "DELETE FROM customers WHERE id IN \
         (SELECT customer_id FROM import_batch_items WHERE batch_id = ? AND action = 'create')",
    )
    .bind(batch_id)
    .execute(w.conn())
    .await?
    .rows_affected();
    // Follow-up records (a `care` batch) go too; their customers' last contact is recomputed.
    let activities = crate::care::revert_batch(&mut w, batch_id).await?;
    let now = w.now;
    sqlx::query("UPDATE import_batches SET reverted_at = ?, reverted_by = ? WHERE id = ?")
        .bind(now)
        .bind(actor.staff_id)
        .bind(batch_id)
        .execute(w.conn())
        .await?;
    w.history(
        "import_batch",
        batch_id,
        "revert",
        &[FieldChange {
            field: "counts".into(),
            before: serde_json::Value::Null,
            after: json!({"deleted": deleted, "restored": restored, "activities": activities}),
        }],
    )
    .await?;
    let after: ImportBatch = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {BATCH_COLUMNS} FROM import_batches b LEFT JOIN staff s ON s.id = b.actor_id WHERE b.id = ?"
    )))
    .bind(batch_id)
    .fetch_one(w.conn())
    .await?;
    w.commit().await?;
    Ok(after)
}
