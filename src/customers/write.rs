//! Changing customers. Each operation runs in one `BEGIN IMMEDIATE` transaction together with
//! its history entries; permission checks come from `Actor`.

use serde_json::{Value, json};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use tracing::instrument;

use super::draft::{Draft, normalize};
use super::position;
use super::query::{load, load_many, matching_ids};
use super::types::*;
use crate::actor::Actor;
use crate::error::{Error, Result};
use crate::history::FieldChange;
use crate::store::{Store, WriteTx};
use crate::text;

const CODE_SEQUENCE: &str = "customer_code";
const CODE_PREFIX: &str = "KH";

fn format_code(n: i64) -> String {
    format!("{CODE_PREFIX}{n:06}")
}

async fn code_taken(conn: &mut SqliteConnection, code: &str, except: Option<i64>) -> Result<bool> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE code_key = ?")
        .bind(text::fold(code))
        .fetch_optional(conn)
        .await?;
    Ok(id.is_some_and(|id| Some(id) != except))
}

/// The next free number of the code sequence (not reserved).
async fn next_free_number(conn: &mut SqliteConnection) -> Result<i64> {
    let mut n: i64 = sqlx::query_scalar("SELECT value FROM sequences WHERE name = ?")
        .bind(CODE_SEQUENCE)
        .fetch_optional(&mut *conn)
        .await?
        .unwrap_or(1);
    while code_taken(&mut *conn, &format_code(n), None).await? {
        n += 1;
    }
    Ok(n)
}

async fn set_sequence(conn: &mut SqliteConnection, value: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO sequences (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
    )
    .bind(CODE_SEQUENCE)
    .bind(value)
    .execute(conn)
    .await?;
    Ok(())
}

/// The code a new customer would get now (the form shows it; it is taken only on save).
pub async fn next_code(store: &Store) -> Result<String> {
    let mut conn = store.pool().acquire().await?;
    Ok(format_code(next_free_number(&mut conn).await?))
}

async fn check_owner(conn: &mut SqliteConnection, actor: &Actor, owner_id: i64) -> Result<()> {
    let active: Option<bool> =
        sqlx::query_scalar("SELECT active FROM staff WHERE id = ?").bind(owner_id).fetch_optional(&mut *conn).await?;
    match active {
        Some(true) => actor.can_assign_owner(owner_id),
        _ => Err(Error::Validation(vec![
            crate::error::FieldError::new("owner_id", "invalid").with_value(owner_id.to_string()),
        ])),
    }
}

fn date_str(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

async fn write_keys(conn: &mut SqliteConnection, id: i64, draft: &Draft) -> Result<()> {
    sqlx::query("DELETE FROM customer_keys WHERE customer_id = ?").bind(id).execute(&mut *conn).await?;
    let keys = draft.lookup_keys();
    if keys.is_empty() {
        return Ok(());
    }
    let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("INSERT INTO customer_keys (kind, key, customer_id) ");
    qb.push_values(keys, |mut b, (kind, key)| {
        b.push_bind(kind).push_bind(key).push_bind(id);
    });
    qb.build().execute(conn).await?;
    Ok(())
}

/// Field values as history records them.
fn fields_of(d: &Draft, code: &str) -> Vec<(&'static str, Value)> {
    vec![
        ("code", json!(code)),
        ("kind", json!(d.kind)),
        ("name", json!(d.name)),
        ("phones", json!(d.phones)),
        ("emails", json!(d.emails)),
        ("address", json!(d.address)),
        ("tax_code", json!(d.tax_code)),
        ("website", json!(d.website)),
        ("birthday", json!(d.birthday)),
        ("founded_on", json!(d.founded_on)),
        ("gender", json!(d.gender)),
        ("notes", json!(d.notes)),
        ("owner_id", json!(d.owner_id)),
    ]
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

fn creation_changes(d: &Draft, code: &str) -> Vec<FieldChange> {
    fields_of(d, code)
        .into_iter()
        .filter(|(_, v)| !is_empty(v))
        .map(|(f, v)| FieldChange { field: f.to_owned(), before: Value::Null, after: v })
        .collect()
}

fn diff(before: &Draft, before_code: &str, after: &Draft, after_code: &str) -> Vec<FieldChange> {
    fields_of(before, before_code)
        .into_iter()
        .zip(fields_of(after, after_code))
        .filter(|((_, b), (_, a))| b != a)
        .map(|((f, b), (_, a))| FieldChange { field: f.to_owned(), before: b, after: a })
        .collect()
}

fn draft_of(c: &Customer) -> Draft {
    Draft {
        code: Some(c.code.clone()),
        kind: c.kind,
        name: c.name.clone(),
        phones: c.phones.clone(),
        emails: c.emails.clone(),
        address: c.address.clone(),
        tax_code: c.tax_code.clone(),
        website: c.website.clone(),
        birthday: c.birthday,
        founded_on: c.founded_on,
        gender: c.gender,
        notes: c.notes.clone(),
        owner_id: c.owner_id,
    }
}

/// Resolve the code of a new customer: the given one (must be free) or the next of the sequence.
async fn assign_code(conn: &mut SqliteConnection, given: Option<&str>) -> Result<String> {
    match given {
        Some(code) => {
            if code_taken(&mut *conn, code, None).await? {
                return Err(Error::CodeTaken(code.to_owned()));
            }
            Ok(code.to_owned())
        }
        None => {
            let n = next_free_number(&mut *conn).await?;
            set_sequence(&mut *conn, n + 1).await?;
            Ok(format_code(n))
        }
    }
}

/// Create a customer. The owner defaults to the actor.
#[instrument(skip(store, actor, input), fields(actor = actor.staff_id))]
pub async fn create(store: &Store, actor: &Actor, input: CustomerInput) -> Result<Customer> {
    actor.can_create_customer()?;
    let mut draft = normalize(&input)?;
    let mut w = store.write(actor).await?;
    let owner = draft.owner_id.unwrap_or(actor.staff_id);
    check_owner(w.conn(), actor, owner).await?;
    draft.owner_id = Some(owner);
    let code = assign_code(w.conn(), draft.code.as_deref()).await?;
    let id = insert_one(&mut w, &draft, &code).await?;
    position::place(w.conn(), id).await?;
    write_keys(w.conn(), id, &draft).await?;
    w.history("customer", id, "create", &creation_changes(&draft, &code)).await?;
    let c = load(w.conn(), id).await?;
    w.commit().await?;
    Ok(c)
}

async fn insert_one(w: &mut WriteTx<'_>, d: &Draft, code: &str) -> Result<i64> {
    let now = w.now;
    let actor = w.actor.staff_id;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO customers (code, code_key, kind, name, name_key, phones, emails, address, tax_code, website, \
         birthday, founded_on, gender, notes, owner_id, search_text, phone_digits, created_at, created_by, \
         updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(code)
    .bind(text::fold(code))
    .bind(d.kind.as_str())
    .bind(&d.name)
    .bind(d.name_key())
    .bind(json!(d.phones).to_string())
    .bind(json!(d.emails).to_string())
    .bind(&d.address)
    .bind(&d.tax_code)
    .bind(&d.website)
    .bind(date_str(d.birthday))
    .bind(date_str(d.founded_on))
    .bind(d.gender.map(|g| g.as_str()))
    .bind(&d.notes)
    .bind(d.owner_id)
    .bind(d.search_text(code))
    .bind(d.phone_digits())
    .bind(now)
    .bind(actor)
    .bind(now)
    .bind(actor)
    .fetch_one(w.conn())
    .await?;
    Ok(id)
}

/// Replace a customer's fields with `input` (owner kept when `owner_id` is null).
#[instrument(skip(store, actor, input), fields(actor = actor.staff_id))]
pub async fn update(store: &Store, actor: &Actor, id: i64, input: CustomerInput) -> Result<Customer> {
    let mut draft = normalize(&input)?;
    let mut w = store.write(actor).await?;
    let before = load(w.conn(), id).await?;
    actor.can_edit(&before)?;
    if before.deleted_at.is_some() {
        return Err(Error::CustomerNotFound(id.to_string()));
    }
    let owner = draft.owner_id.or(before.owner_id);
    if owner != before.owner_id
        && let Some(o) = owner
    {
        check_owner(w.conn(), actor, o).await?;
    }
    draft.owner_id = owner;
    let code = match draft.code.as_deref() {
        Some(c) if text::fold(c) != text::fold(&before.code) => {
            if code_taken(w.conn(), c, Some(id)).await? {
                return Err(Error::CodeTaken(c.to_owned()));
            }
            c.to_owned()
        }
        Some(c) => c.to_owned(),
        None => before.code.clone(),
    };
    let changes = diff(&draft_of(&before), &before.code, &draft, &code);
    if changes.is_empty() {
        return Ok(before);
    }
    let now = w.now;
    let actor_id = actor.staff_id;
    // A new sort key moves the row: it leaves its name position here and gets a new one below.
    let old_key: String =
        sqlx::query_scalar("SELECT name_key FROM customers WHERE id = ?").bind(id).fetch_one(w.conn()).await?;
    let moved = old_key != draft.name_key();
    sqlx::query(
        "UPDATE customers SET code = ?, code_key = ?, kind = ?, name = ?, name_key = ?, phones = ?, emails = ?, \
         address = ?, tax_code = ?, website = ?, birthday = ?, founded_on = ?, gender = ?, notes = ?, owner_id = ?, \
         search_text = ?, phone_digits = ?, updated_at = ?, updated_by = ?, \
         name_pos = CASE WHEN ? THEN NULL ELSE name_pos END WHERE id = ?",
    )
    .bind(&code)
    .bind(text::fold(&code))
    .bind(draft.kind.as_str())
    .bind(&draft.name)
    .bind(draft.name_key())
    .bind(json!(draft.phones).to_string())
    .bind(json!(draft.emails).to_string())
    .bind(&draft.address)
    .bind(&draft.tax_code)
    .bind(&draft.website)
    .bind(date_str(draft.birthday))
    .bind(date_str(draft.founded_on))
    .bind(draft.gender.map(|g| g.as_str()))
    .bind(&draft.notes)
    .bind(draft.owner_id)
    .bind(draft.search_text(&code))
    .bind(draft.phone_digits())
    .bind(now)
    .bind(actor_id)
    .bind(moved)
    .bind(id)
    .execute(w.conn())
    .await?;
    if moved {
        position::place(w.conn(), id).await?;
    }
    write_keys(w.conn(), id, &draft).await?;
    w.history("customer", id, "update", &changes).await?;
    let after = load(w.conn(), id).await?;
    w.commit().await?;
    Ok(after)
}

/// Customers per statement in bulk actions.
const CHUNK: usize = 500;

/// Set or clear `deleted_at` on many customers, with one history entry each, chunk by chunk.
/// Every customer is checked with `Actor::can_edit` before anything changes in its chunk; the
/// whole action is one transaction.
async fn set_trashed(w: &mut WriteTx<'_>, ids: &[i64], trash: bool) -> Result<u64> {
    let mut n = 0;
    for chunk in ids.chunks(CHUNK) {
        let found = load_many(w.conn(), chunk).await?;
        if found.len() != chunk.len()
            && let Some(missing) = chunk.iter().find(|id| !found.iter().any(|c| c.id == **id))
        {
            return Err(Error::CustomerNotFound(missing.to_string()));
        }
        let mut todo = Vec::with_capacity(found.len());
        for c in &found {
            w.actor.can_edit(c)?;
            if c.deleted_at.is_some() != trash {
                todo.push(c);
            }
        }
        if todo.is_empty() {
            continue;
        }
        let now = w.now;
        let actor_id = w.actor.staff_id;
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("UPDATE customers SET deleted_at = ");
        if trash {
            qb.push_bind(now);
        } else {
            qb.push("NULL");
        }
        qb.push(", updated_at = ").push_bind(now).push(", updated_by = ").push_bind(actor_id).push(" WHERE id IN (");
        let mut sep = qb.separated(", ");
        for c in &todo {
            sep.push_bind(c.id);
        }
        qb.push(")");
        qb.build().execute(w.conn()).await?;

        let mut qb: QueryBuilder<Sqlite> =
            QueryBuilder::new("INSERT INTO history (entity, entity_id, action, changes, actor_id, at) ");
        qb.push_values(&todo, |mut b, c| {
            let change = if trash {
                FieldChange { field: "deleted_at".into(), before: Value::Null, after: json!(now) }
            } else {
                FieldChange { field: "deleted_at".into(), before: json!(c.deleted_at), after: Value::Null }
            };
            b.push_bind("customer")
                .push_bind(c.id)
                .push_bind(if trash { "delete" } else { "restore" })
                .push_bind(json!([change]).to_string())
                .push_bind(actor_id)
                .push_bind(now);
        });
        qb.build().execute(w.conn()).await?;
        n += todo.len() as u64;
    }
    Ok(n)
}

fn unique(ids: &[i64]) -> Vec<i64> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Move customers to the trash. Returns how many moved (already-trashed ones are skipped).
#[instrument(skip(store, actor, selection), fields(actor = actor.staff_id))]
pub async fn delete(store: &Store, actor: &Actor, selection: &Selection) -> Result<u64> {
    let mut w = store.write(actor).await?;
    let ids = match selection {
        Selection::Ids { ids } => unique(ids),
        Selection::Matching { search, except } => {
            let mut ids = matching_ids(w.conn(), search).await?;
            ids.retain(|id| !except.contains(id));
            ids
        }
    };
    let n = set_trashed(&mut w, &ids, true).await?;
    w.commit().await?;
    Ok(n)
}

/// Bring customers back from the trash. Returns how many came back.
#[instrument(skip(store, actor, ids), fields(actor = actor.staff_id))]
pub async fn restore(store: &Store, actor: &Actor, ids: &[i64]) -> Result<u64> {
    let mut w = store.write(actor).await?;
    let n = set_trashed(&mut w, &unique(ids), false).await?;
    w.commit().await?;
    Ok(n)
}

/// Delete customers for good. Only customers already in the trash can be purged; the history
/// keeps a purge entry with what was removed.
#[instrument(skip(store, actor, ids), fields(actor = actor.staff_id))]
pub async fn purge(store: &Store, actor: &Actor, ids: &[i64]) -> Result<u64> {
    let mut w = store.write(actor).await?;
    let n = purge_in(&mut w, &unique(ids)).await?;
    w.commit().await?;
    Ok(n)
}

async fn purge_in(w: &mut WriteTx<'_>, ids: &[i64]) -> Result<u64> {
    let mut n = 0;
    for chunk in ids.chunks(CHUNK) {
        let found = load_many(w.conn(), chunk).await?;
        for c in &found {
            if c.deleted_at.is_none() {
                return Err(Error::InvalidArgument(format!("customer {} is not in the trash", c.code)));
            }
            w.actor.can_purge(c)?;
        }
        if found.is_empty() {
            continue;
        }
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("DELETE FROM customers WHERE id IN (");
        let mut sep = qb.separated(", ");
        for c in &found {
            sep.push_bind(c.id);
        }
        qb.push(")");
        qb.build().execute(w.conn()).await?;
        let now = w.now;
        let actor_id = w.actor.staff_id;
        let mut qb: QueryBuilder<Sqlite> =
            QueryBuilder::new("INSERT INTO history (entity, entity_id, action, changes, actor_id, at) ");
        qb.push_values(&found, |mut b, c| {
            let changes: Vec<FieldChange> = fields_of(&draft_of(c), &c.code)
                .into_iter()
                .filter(|(_, v)| !is_empty(v))
                .map(|(f, v)| FieldChange { field: f.to_owned(), before: v, after: Value::Null })
                .collect();
            b.push_bind("customer")
                .push_bind(c.id)
                .push_bind("purge")
                .push_bind(json!(changes).to_string())
                .push_bind(actor_id)
                .push_bind(now);
        });
        qb.build().execute(w.conn()).await?;
        n += found.len() as u64;
    }
    Ok(n)
}

/// Purge everything in the trash.
pub async fn empty_trash(store: &Store, actor: &Actor) -> Result<u64> {
    let mut w = store.write(actor).await?;
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM customers WHERE deleted_at IS NOT NULL").fetch_all(w.conn()).await?;
    let n = purge_in(&mut w, &ids).await?;
    w.commit().await?;
    Ok(n)
}

/// Which of these folded codes are already used.
async fn existing_codes(conn: &mut SqliteConnection, keys: &[String]) -> Result<Vec<String>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("SELECT code_key FROM customers WHERE code_key IN (");
    let mut sep = qb.separated(", ");
    for k in keys {
        sep.push_bind(k);
    }
    qb.push(")");
    Ok(qb.build_query_scalar().fetch_all(conn).await?)
}

/// Rows per multi-row INSERT (21 columns × 200 stays far below SQLite's variable limit).
const BATCH: usize = 200;

/// Create many customers in one transaction (demo data, and the importer's commit step):
/// all or nothing. Rows are validated like `create`; ids are handed out here so that customers,
/// keys and history go in with multi-row inserts. Returns how many were created.
#[instrument(skip_all, fields(actor = actor.staff_id))]
pub async fn create_many(
    store: &Store,
    actor: &Actor,
    inputs: impl Iterator<Item = CustomerInput>,
    on_progress: &mut dyn FnMut(u64),
) -> Result<u64> {
    actor.can_create_customer()?;
    let mut w = store.write(actor).await?;
    // Into an empty table, every row is positioned at the end in one statement.
    let was_empty: bool = sqlx::query_scalar("SELECT NOT EXISTS (SELECT 1 FROM customers)").fetch_one(w.conn()).await?;
    let mut next_id: i64 = sqlx::query_scalar(
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'customers'), 0), \
         coalesce((SELECT max(id) FROM customers), 0)) + 1",
    )
    .fetch_one(w.conn())
    .await?;
    let mut seq = next_free_number(w.conn()).await?;
    let mut done: u64 = 0;
    // Codes used by this run, folded: a code given twice in the input is caught before SQLite's
    // UNIQUE constraint would turn it into an opaque database error.
    let mut used: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut drafts: Vec<Draft> = Vec::with_capacity(BATCH);
    let mut batch: Vec<(i64, String, Draft)> = Vec::with_capacity(BATCH);
    let mut inputs = inputs.enumerate().peekable();
    while inputs.peek().is_some() {
        drafts.clear();
        for (row, input) in inputs.by_ref().take(BATCH) {
            let mut draft = normalize(&input).map_err(|e| match e {
                Error::Validation(mut fields) => {
                    for f in &mut fields {
                        f.field = format!("rows.{row}.{}", f.field);
                    }
                    Error::Validation(fields)
                }
                other => other,
            })?;
            let owner = draft.owner_id.unwrap_or(actor.staff_id);
            if owner != actor.staff_id {
                check_owner(w.conn(), actor, owner).await?;
            }
            draft.owner_id = Some(owner);
            drafts.push(draft);
        }
        // Given codes: one lookup for the whole batch.
        let given: Vec<String> = drafts.iter().filter_map(|d| d.code.as_deref().map(text::fold)).collect();
        if let Some(taken) = existing_codes(w.conn(), &given).await?.into_iter().next() {
            return Err(Error::CodeTaken(taken));
        }
        for g in given {
            if !used.insert(g.clone()) {
                return Err(Error::CodeTaken(g));
            }
        }
        // Generated codes: candidates from the sequence, skipping any already taken.
        let wanted = drafts.iter().filter(|d| d.code.is_none()).count();
        let mut generated: Vec<String> = Vec::with_capacity(wanted);
        while generated.len() < wanted {
            let candidates: Vec<String> =
                (seq..seq + (wanted - generated.len()) as i64).map(|n| text::fold(&format_code(n))).collect();
            seq += candidates.len() as i64;
            let taken = existing_codes(w.conn(), &candidates).await?;
            for (c, n) in candidates.into_iter().zip(seq - (wanted - generated.len()) as i64..) {
                if !taken.contains(&c) && used.insert(c) {
                    generated.push(format_code(n));
                }
            }
        }
        let mut generated = generated.into_iter();
        batch.clear();
        for draft in drafts.drain(..) {
            let code = match &draft.code {
                Some(c) => c.clone(),
                None => generated.next().ok_or_else(|| Error::Database("code generation ran short".into()))?,
            };
            batch.push((next_id, code, draft));
            next_id += 1;
        }
        insert_batch(&mut w, &batch).await?;
        done += batch.len() as u64;
        on_progress(done);
    }
    set_sequence(w.conn(), seq).await?;
    // Rows went in without name positions (so without word-index entries): place them now.
    if was_empty {
        position::assign_all(w.conn()).await?;
    } else {
        position::place_unpositioned(w.conn()).await?;
    }
    w.commit().await?;
    Ok(done)
}

async fn insert_batch(w: &mut WriteTx<'_>, batch: &[(i64, String, Draft)]) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let now = w.now;
    let actor = w.actor.staff_id;
    let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
        "INSERT INTO customers (id, code, code_key, kind, name, name_key, phones, emails, address, tax_code, website, \
         birthday, founded_on, gender, notes, owner_id, search_text, phone_digits, created_at, created_by, \
         updated_at, updated_by) ",
    );
    qb.push_values(batch, |mut b, (id, code, d)| {
        b.push_bind(*id)
            .push_bind(code.clone())
            .push_bind(text::fold(code))
            .push_bind(d.kind.as_str())
            .push_bind(d.name.clone())
            .push_bind(d.name_key())
            .push_bind(json!(d.phones).to_string())
            .push_bind(json!(d.emails).to_string())
            .push_bind(d.address.clone())
            .push_bind(d.tax_code.clone())
            .push_bind(d.website.clone())
            .push_bind(date_str(d.birthday))
            .push_bind(date_str(d.founded_on))
            .push_bind(d.gender.map(|g| g.as_str()))
            .push_bind(d.notes.clone())
            .push_bind(d.owner_id)
            .push_bind(d.search_text(code))
            .push_bind(d.phone_digits())
            .push_bind(now)
            .push_bind(actor)
            .push_bind(now)
            .push_bind(actor);
    });
    qb.build().execute(w.conn()).await?;

    let mut keys: Vec<(&'static str, String, i64)> = Vec::new();
    for (id, _, d) in batch {
        keys.extend(d.lookup_keys().into_iter().map(|(kind, k)| (kind, k, *id)));
    }
    for chunk in keys.chunks(1000) {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("INSERT INTO customer_keys (kind, key, customer_id) ");
        qb.push_values(chunk, |mut b, (kind, key, id)| {
            b.push_bind(*kind).push_bind(key.clone()).push_bind(*id);
        });
        qb.build().execute(w.conn()).await?;
    }

    let mut qb: QueryBuilder<Sqlite> =
        QueryBuilder::new("INSERT INTO history (entity, entity_id, action, changes, actor_id, at) ");
    let mut err = None;
    qb.push_values(batch, |mut b, (id, code, d)| {
        let changes = serde_json::to_string(&creation_changes(d, code)).unwrap_or_else(|e| {
            err = Some(e.to_string());
            String::from("[]")
        });
        b.push_bind("customer").push_bind(*id).push_bind("create").push_bind(changes).push_bind(actor).push_bind(now);
    });
    if let Some(e) = err {
        return Err(Error::Database(e));
    }
    qb.build().execute(w.conn()).await?;
    Ok(())
}
