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
use crate::duplicates::{self, DuplicateRules, RuleMode};
use crate::error::{Error, FieldError, Result};
use crate::history::FieldChange;
use crate::settings::{self, FieldSettings};
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
        _ => Err(Error::Validation(vec![FieldError::new("owner_id", "invalid").with_value(owner_id.to_string())])),
    }
}

fn date_str(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

async fn write_keys(conn: &mut SqliteConnection, id: i64, draft: &Draft, with_name_address: bool) -> Result<()> {
    sqlx::query("DELETE FROM customer_keys WHERE customer_id = ?").bind(id).execute(&mut *conn).await?;
    let keys = draft.lookup_keys(with_name_address);
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
        ("segment_id", json!(d.segment_id)),
        ("level_id", json!(d.level_id)),
        ("group_ids", json!(d.group_ids)),
        ("status_id", json!(d.status_id)),
        ("channel_id", json!(d.channel_id)),
        ("service_manager_id", json!(d.service_manager_id)),
        ("email_consent", if d.email_consent { json!(true) } else { Value::Null }),
        ("products", json!(d.products)),
        ("invoice_type_ids", json!(d.invoice_type_ids)),
        ("legal_entities", json!(d.legal_entities)),
        ("contacts", json!(d.contacts.iter().map(contact_for_history).collect::<Vec<_>>())),
        ("referrer_customer_id", json!(d.referrer_customer_id)),
        ("referrer_supplier", json!(d.referrer_supplier)),
        ("photo", json!(d.photo)),
    ]
}

/// A contact as history records it (without its row id, which changes nothing for the user).
fn contact_for_history(c: &Contact) -> Value {
    json!({"name": c.name, "position_id": c.position_id, "phones": c.phones, "emails": c.emails,
           "primary": c.primary, "notes": c.notes})
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
        segment_id: c.segment_id,
        level_id: c.level_id,
        group_ids: c.group_ids.clone(),
        status_id: c.status_id,
        channel_id: c.channel_id,
        service_manager_id: c.service_manager_id,
        email_consent: c.email_consent,
        products: c.products.clone(),
        invoice_type_ids: c.invoice_type_ids.clone(),
        legal_entities: c.legal_entities.clone(),
        contacts: c.contacts.clone(),
        referrer_customer_id: c.referrer.as_ref().map(|r| r.id),
        referrer_supplier: c.referrer_supplier.clone(),
        photo: c.photo.clone(),
    }
}

/// Checks that need the database: catalog items of the right kind (inactive ones only where the
/// customer already had them), an active service manager, an existing referrer that is not the
/// customer itself, and the fields the admin made required. All problems at once.
async fn check_refs(
    conn: &mut SqliteConnection,
    fields: &FieldSettings,
    d: &Draft,
    before: Option<&Customer>,
) -> Result<()> {
    use crate::catalogs::{CatalogKind as K, check_ids};
    let mut errors = Vec::new();
    let opt = |v: Option<i64>| v.into_iter().collect::<Vec<_>>();
    let had = |f: &dyn Fn(&Customer) -> Vec<i64>| before.map(f).unwrap_or_default();
    check_ids(conn, K::Segment, "segment_id", &opt(d.segment_id), &had(&|c| opt(c.segment_id)), &mut errors).await?;
    check_ids(conn, K::Level, "level_id", &opt(d.level_id), &had(&|c| opt(c.level_id)), &mut errors).await?;
    check_ids(conn, K::Status, "status_id", &opt(d.status_id), &had(&|c| opt(c.status_id)), &mut errors).await?;
    check_ids(conn, K::Channel, "channel_id", &opt(d.channel_id), &had(&|c| opt(c.channel_id)), &mut errors).await?;
    check_ids(conn, K::Group, "group_ids", &d.group_ids, &had(&|c| c.group_ids.clone()), &mut errors).await?;
    let products: Vec<i64> = d.products.iter().map(|p| p.product_id).collect();
    let had_products = had(&|c| c.products.iter().map(|p| p.product_id).collect());
    check_ids(conn, K::Product, "products", &products, &had_products, &mut errors).await?;
    let had_invoice = had(&|c| c.invoice_type_ids.clone());
    check_ids(conn, K::InvoiceType, "invoice_type_ids", &d.invoice_type_ids, &had_invoice, &mut errors).await?;
    let positions: Vec<i64> = d.contacts.iter().filter_map(|c| c.position_id).collect();
    let had_positions = had(&|c| c.contacts.iter().filter_map(|c| c.position_id).collect());
    check_ids(conn, K::Position, "contacts", &positions, &had_positions, &mut errors).await?;
    if let Some(m) = d.service_manager_id
        && Some(m) != before.and_then(|c| c.service_manager_id)
    {
        let active: Option<bool> =
            sqlx::query_scalar("SELECT active FROM staff WHERE id = ?").bind(m).fetch_optional(&mut *conn).await?;
        if active != Some(true) {
            errors.push(FieldError::new("service_manager_id", "invalid").with_value(m.to_string()));
        }
    }
    if let Some(r) = d.referrer_customer_id {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE id = ? AND deleted_at IS NULL")
            .bind(r)
            .fetch_optional(&mut *conn)
            .await?;
        if exists.is_none() || before.is_some_and(|c| c.id == r) {
            errors.push(FieldError::new("referrer_customer_id", "invalid").with_value(r.to_string()));
        }
    }
    missing_required(fields, d, &mut errors);
    if errors.is_empty() { Ok(()) } else { Err(Error::Validation(errors)) }
}

/// Fields the admin made required that are empty (kind-specific fields only for their kind).
pub(crate) fn missing_required(fields: &FieldSettings, d: &Draft, errors: &mut Vec<FieldError>) {
    let business = d.kind == CustomerKind::Business;
    let empty: [(&str, bool); 19] = [
        ("phones", d.phones.is_empty()),
        ("emails", d.emails.is_empty()),
        ("address", d.address.is_none()),
        ("tax_code", d.tax_code.is_none()),
        ("website", d.website.is_none()),
        ("birthday", !business && d.birthday.is_none()),
        ("founded_on", business && d.founded_on.is_none()),
        ("gender", !business && d.gender.is_none()),
        ("notes", d.notes.is_none()),
        ("segment_id", d.segment_id.is_none()),
        ("level_id", d.level_id.is_none()),
        ("group_ids", d.group_ids.is_empty()),
        ("status_id", d.status_id.is_none()),
        ("channel_id", d.channel_id.is_none()),
        ("service_manager_id", d.service_manager_id.is_none()),
        ("products", d.products.is_empty()),
        ("invoice_type_ids", d.invoice_type_ids.is_empty()),
        ("legal_entities", d.legal_entities.is_empty()),
        ("contacts", business && d.contacts.is_empty()),
    ];
    for (field, is_empty) in empty {
        if is_empty && fields.required(field) {
            errors.push(FieldError::new(field, "required"));
        }
    }
}

/// Refuse a customer matching others by the duplicate rules: always under a blocking rule,
/// under a warning rule unless the user chose to go on.
async fn check_duplicates(
    conn: &mut SqliteConnection,
    rules: &DuplicateRules,
    d: &Draft,
    except: Option<i64>,
    allow: bool,
) -> Result<()> {
    if !rules.any_on() {
        return Ok(());
    }
    let keys = d.lookup_keys(rules.name_address != RuleMode::Off);
    let matches = duplicates::matches_for_keys(conn, rules, &keys, except).await?;
    if matches.is_empty() {
        return Ok(());
    }
    let blocking = duplicates::blocking(rules, &matches);
    if blocking || !allow {
        return Err(Error::Duplicate { matches, blocking });
    }
    Ok(())
}

/// Replace a customer's groups, products, invoice types, legal entities and contacts.
async fn write_related(conn: &mut SqliteConnection, id: i64, d: &Draft, replace: bool) -> Result<()> {
    if replace {
        for table in ["customer_groups", "customer_products", "customer_invoice_types", "legal_entities", "contacts"] {
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE customer_id = ?")))
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
    }
    insert_related(conn, &[(id, d)]).await
}

/// Related rows of many customers with multi-row inserts. Contact ids are kept when given and
/// still free (an edit keeps its contacts' ids).
async fn insert_related(conn: &mut SqliteConnection, rows: &[(i64, &Draft)]) -> Result<()> {
    let groups: Vec<(i64, i64)> = rows.iter().flat_map(|(id, d)| d.group_ids.iter().map(move |g| (*id, *g))).collect();
    for chunk in groups.chunks(400) {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("INSERT INTO customer_groups (customer_id, item_id) ");
        qb.push_values(chunk, |mut b, (id, g)| {
            b.push_bind(*id).push_bind(*g);
        });
        qb.build().execute(&mut *conn).await?;
    }
    let invoice: Vec<(i64, i64)> =
        rows.iter().flat_map(|(id, d)| d.invoice_type_ids.iter().map(move |g| (*id, *g))).collect();
    for chunk in invoice.chunks(400) {
        let mut qb: QueryBuilder<Sqlite> =
            QueryBuilder::new("INSERT INTO customer_invoice_types (customer_id, item_id) ");
        qb.push_values(chunk, |mut b, (id, g)| {
            b.push_bind(*id).push_bind(*g);
        });
        qb.build().execute(&mut *conn).await?;
    }
    let products: Vec<(i64, &ProductUse)> =
        rows.iter().flat_map(|(id, d)| d.products.iter().map(move |p| (*id, p))).collect();
    for chunk in products.chunks(300) {
        let mut qb: QueryBuilder<Sqlite> =
            QueryBuilder::new("INSERT INTO customer_products (customer_id, item_id, since) ");
        qb.push_values(chunk, |mut b, (id, p)| {
            b.push_bind(*id).push_bind(p.product_id).push_bind(date_str(p.since));
        });
        qb.build().execute(&mut *conn).await?;
    }
    let entities: Vec<(i64, usize, &LegalEntity)> =
        rows.iter().flat_map(|(id, d)| d.legal_entities.iter().enumerate().map(move |(i, e)| (*id, i, e))).collect();
    for chunk in entities.chunks(150) {
        let mut qb: QueryBuilder<Sqlite> =
            QueryBuilder::new("INSERT INTO legal_entities (customer_id, name, tax_code, address, sort_order) ");
        qb.push_values(chunk, |mut b, (id, i, e)| {
            b.push_bind(*id)
                .push_bind(e.name.clone())
                .push_bind(e.tax_code.clone())
                .push_bind(e.address.clone())
                .push_bind(*i as i64);
        });
        qb.build().execute(&mut *conn).await?;
    }
    let contacts: Vec<(i64, usize, &Contact)> =
        rows.iter().flat_map(|(id, d)| d.contacts.iter().enumerate().map(move |(i, c)| (*id, i, c))).collect();
    for chunk in contacts.chunks(90) {
        // A given id is kept only when no other row holds it (the customer's own were just deleted).
        let mut keep: Vec<i64> = Vec::new();
        let given: Vec<i64> = chunk.iter().filter_map(|(_, _, c)| c.id).collect();
        if !given.is_empty() {
            let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("SELECT id FROM contacts WHERE id IN (");
            let mut sep = qb.separated(", ");
            for g in &given {
                sep.push_bind(*g);
            }
            qb.push(")");
            let taken: Vec<i64> = qb.build_query_scalar().fetch_all(&mut *conn).await?;
            keep = given.into_iter().filter(|g| !taken.contains(g)).collect();
        }
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO contacts (id, customer_id, name, position_id, phones, emails, is_primary, notes, sort_order) ",
        );
        qb.push_values(chunk, |mut b, (id, i, c)| {
            b.push_bind(c.id.filter(|x| keep.contains(x)))
                .push_bind(*id)
                .push_bind(c.name.clone())
                .push_bind(c.position_id)
                .push_bind(json!(c.phones).to_string())
                .push_bind(json!(c.emails).to_string())
                .push_bind(c.primary)
                .push_bind(c.notes.clone())
                .push_bind(*i as i64);
        });
        qb.build().execute(&mut *conn).await?;
    }
    Ok(())
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
    let fields = settings::field_settings_in(w.conn()).await?;
    check_refs(w.conn(), &fields, &draft, None).await?;
    let rules = duplicates::rules_in(w.conn()).await?;
    check_duplicates(w.conn(), &rules, &draft, None, input.allow_duplicate).await?;
    let code = assign_code(w.conn(), draft.code.as_deref()).await?;
    let id = insert_one(&mut w, &draft, &code).await?;
    if crate::ownership::starts_pending(w.conn(), actor).await? {
        sqlx::query("UPDATE customers SET approval = 'pending' WHERE id = ?").bind(id).execute(w.conn()).await?;
    }
    position::place(w.conn(), id).await?;
    write_keys(w.conn(), id, &draft, rules.name_address != RuleMode::Off).await?;
    write_related(w.conn(), id, &draft, false).await?;
    w.history("customer", id, "create", &creation_changes(&draft, &code)).await?;
    let c = load(w.conn(), id).await?;
    // Care scheduled from the new-customer form: same transaction, so a refused or invalid
    // activity leaves no customer behind.
    if let Some(schedule) = &input.schedule {
        crate::care::schedule_in(&mut w, &c, schedule, "schedule.").await?;
    }
    if draft.level_id.is_some() || draft.segment_id.is_some() {
        crate::care::apply_rules_in(&mut w, Some(&[id])).await?;
    }
    w.commit().await?;
    Ok(c)
}

const INSERT_COLUMNS: &str = "code, code_key, kind, name, name_key, phones, emails, address, tax_code, website, \
     birthday, founded_on, gender, notes, owner_id, segment_id, level_id, status_id, channel_id, service_manager_id, \
     email_consent, email_consent_at, referrer_customer_id, referrer_supplier, photo, search_text, phone_digits, \
     created_at, created_by, updated_at, updated_by";

/// Bind one draft's values in `INSERT_COLUMNS` order.
fn push_row(
    b: &mut sqlx::query_builder::Separated<'_, Sqlite, &'static str>,
    d: &Draft,
    code: &str,
    now: chrono::DateTime<chrono::Utc>,
    actor: i64,
) {
    b.push_bind(code.to_owned())
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
        .push_bind(d.segment_id)
        .push_bind(d.level_id)
        .push_bind(d.status_id)
        .push_bind(d.channel_id)
        .push_bind(d.service_manager_id)
        .push_bind(d.email_consent)
        .push_bind(d.email_consent.then_some(now))
        .push_bind(d.referrer_customer_id)
        .push_bind(d.referrer_supplier.clone())
        .push_bind(d.photo.clone())
        .push_bind(d.search_text(code))
        .push_bind(d.phone_digits())
        .push_bind(now)
        .push_bind(actor)
        .push_bind(now)
        .push_bind(actor);
}

async fn insert_one(w: &mut WriteTx<'_>, d: &Draft, code: &str) -> Result<i64> {
    let now = w.now;
    let actor = w.actor.staff_id;
    let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(format!("INSERT INTO customers ({INSERT_COLUMNS}) "));
    qb.push_values(std::iter::once(d), |mut b, d| push_row(&mut b, d, code, now, actor));
    qb.push(" RETURNING id");
    let id: i64 = qb.build_query_scalar().fetch_one(w.conn()).await?;
    Ok(id)
}

/// Replace a customer's fields with `input` (owner kept when `owner_id` is null).
#[instrument(skip(store, actor, input), fields(actor = actor.staff_id))]
pub async fn update(store: &Store, actor: &Actor, id: i64, input: CustomerInput) -> Result<Customer> {
    let mut w = store.write(actor).await?;
    update_in(&mut w, id, &input, "update", true).await?;
    let after = load(w.conn(), id).await?;
    w.commit().await?;
    Ok(after)
}

/// `update` inside a transaction; `action` names the history entry (`update`, `merge`). Returns
/// the changes (empty when nothing changed). Duplicates are checked when `check_dup`.
pub(crate) async fn update_in(
    w: &mut WriteTx<'_>,
    id: i64,
    input: &CustomerInput,
    action: &str,
    check_dup: bool,
) -> Result<Vec<FieldChange>> {
    let actor = w.actor;
    let mut draft = normalize(input)?;
    let before = load(w.conn(), id).await?;
    actor.can_edit(&before)?;
    if before.deleted_at.is_some() {
        return Err(Error::CustomerNotFound(id.to_string()));
    }
    let fields = settings::field_settings_in(w.conn()).await?;
    check_refs(w.conn(), &fields, &draft, Some(&before)).await?;
    let rules = duplicates::rules_in(w.conn()).await?;
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
        return Ok(changes);
    }
    // Only a change of the identifying fields can make a new match.
    let keys_before = draft_of(&before).lookup_keys(rules.name_address != RuleMode::Off);
    let keys_after = draft.lookup_keys(rules.name_address != RuleMode::Off);
    if check_dup && keys_after.iter().any(|k| !keys_before.contains(k)) {
        check_duplicates(w.conn(), &rules, &draft, Some(id), input.allow_duplicate).await?;
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
         segment_id = ?, level_id = ?, status_id = ?, channel_id = ?, service_manager_id = ?, email_consent = ?, \
         email_consent_at = CASE WHEN email_consent = ? THEN email_consent_at ELSE ? END, \
         referrer_customer_id = ?, referrer_supplier = ?, photo = ?, \
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
    .bind(draft.segment_id)
    .bind(draft.level_id)
    .bind(draft.status_id)
    .bind(draft.channel_id)
    .bind(draft.service_manager_id)
    .bind(draft.email_consent)
    .bind(draft.email_consent)
    .bind(now)
    .bind(draft.referrer_customer_id)
    .bind(&draft.referrer_supplier)
    .bind(&draft.photo)
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
    write_keys(w.conn(), id, &draft, rules.name_address != RuleMode::Off).await?;
    write_related(w.conn(), id, &draft, true).await?;
    w.history("customer", id, action, &changes).await?;
    // Recurring care follows the level and segment. An import applies the rules once for all
    // its rows (`care::apply_rules_in`) rather than row by row.
    if !action.starts_with("import") && changes.iter().any(|c| c.field == "level_id" || c.field == "segment_id") {
        crate::care::apply_rules_in(w, Some(&[id])).await?;
    }
    Ok(changes)
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
        Selection::Matching { search, filter, except } => {
            let mut ids = matching_ids(w.conn(), search, filter).await?;
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

/// Rows per batch: validated, given codes, then written with multi-row inserts (200 before: a
/// 100k import 5.1 → 4.9 s).
const BATCH: usize = 1000;

/// The tables a bulk insert of customers writes rows that refer to others (catalog items, staff,
/// other customers): what `Store::write_inserts` checks at commit. Lookup keys refer to the
/// customers inserted with them, by construction, and are not checked (a tenth of a second per
/// 100,000 customers).
pub(crate) const BULK_REFERENCING: &[&str] =
    &["customers", "contacts", "customer_groups", "customer_products", "customer_invoice_types", "legal_entities"];

/// Create many customers in one transaction (demo data): all or nothing. Rows are validated
/// like `create`; ids are handed out here so that customers, keys and history go in with
/// multi-row inserts. `inputs` is walked twice: once for the names alone (each row's place in
/// name order is decided before any row goes in), then for the rows. Returns how many were
/// created.
#[instrument(skip_all, fields(actor = actor.staff_id))]
pub async fn create_many(
    store: &Store,
    actor: &Actor,
    inputs: impl Iterator<Item = CustomerInput> + Clone,
    on_progress: &mut dyn FnMut(u64),
) -> Result<u64> {
    let names = inputs.clone().map(|i| i.name);
    create_many_named(store, actor, inputs, names, on_progress).await
}

/// `create_many` with each row's name from `names` (same order as `inputs`), for callers that
/// can produce names more cheaply than whole rows (demo data).
pub(crate) async fn create_many_named(
    store: &Store,
    actor: &Actor,
    inputs: impl Iterator<Item = CustomerInput>,
    names: impl Iterator<Item = String>,
    on_progress: &mut dyn FnMut(u64),
) -> Result<u64> {
    let mut w = store.write_inserts(actor, BULK_REFERENCING).await?;
    let ids = create_many_in(&mut w, inputs, Some(names), &mut |n| {
        on_progress(n);
        true
    })
    .await?;
    w.commit().await?;
    Ok(ids.len() as u64)
}

/// Name positions of the rows of one bulk insert, decided from their names before any row goes
/// in, so that each row is written once, with its position, and the word index is filled from
/// memory in position order (no pass over the new rows afterwards).
struct Planned {
    /// By row: the planned position (None: no room there, placed after the insert) and a hash of
    /// the name key it was planned for. A row whose actual key differs goes in unpositioned.
    rows: Vec<(Option<i64>, u64)>,
}

impl Planned {
    async fn new(conn: &mut SqliteConnection, names: impl Iterator<Item = String>, first_id: i64) -> Result<Planned> {
        let mut keys: Vec<(String, i64)> =
            names.zip(first_id..).map(|(name, id)| (text::fold(&text::clean(&name)), id)).collect();
        let mut rows: Vec<(Option<i64>, u64)> = keys.iter().map(|(k, _)| (None, key_hash(k))).collect();
        keys.sort_unstable();
        let positions = position::plan_new(conn, &keys).await?;
        for ((_, id), pos) in keys.iter().zip(positions) {
            rows[(id - first_id) as usize].0 = pos;
        }
        Ok(Planned { rows })
    }

    /// The position planned for row `i` if its name key is the one it was planned for.
    fn get(&self, i: usize, name_key: &str) -> Option<i64> {
        self.rows.get(i).filter(|(_, h)| *h == key_hash(name_key)).and_then(|(p, _)| *p)
    }
}

/// FNV-1a: a name key's fingerprint, to check that a row is the one its position was planned for.
fn key_hash(key: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Word-index entries `(name_pos, search_text)` of positioned new rows, written sorted by
/// position in runs of `WORD_RUN`: FTS5 writes a new segment whenever a rowid is not above the
/// last one, so rows in insertion (id) order would cost a segment each.
struct WordRuns {
    pending: Vec<(i64, String)>,
}

const WORD_RUN: usize = 20_000;

impl WordRuns {
    async fn push(&mut self, pipe: &mut Pipeline<'_>, pos: i64, search_text: String) -> Result<()> {
        self.pending.push((pos, search_text));
        if self.pending.len() >= WORD_RUN {
            self.flush(pipe).await?;
        }
        Ok(())
    }

    /// Write the pending entries in one statement: FTS5 also writes out its pending terms at
    /// the start of every statement that has a statement journal, as multi-row INSERTs do, so
    /// the fewer statements the fewer index segments.
    async fn flush(&mut self, pipe: &mut Pipeline<'_>) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut pending = std::mem::take(&mut self.pending);
        pending.sort_unstable_by_key(|(pos, _)| *pos);
        let rows = serde_json::to_string(&pending).map_err(|e| Error::Database(e.to_string()))?;
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO customers_fts (rowid, search_text) SELECT value ->> 0, value ->> 1 FROM json_each(",
        );
        qb.push_bind(rows).push(")");
        pipe.push("sql: word index", qb).await
    }
}

/// Lookup keys `(kind, key, customer_id)` of new rows, written in key order in runs of
/// `KEY_RUN`: each run touches the pages of the key index in order, once each, where keys in
/// row order would land on a random page each.
struct KeyRuns {
    pending: Vec<(&'static str, String, i64)>,
    /// `WriteTx::bulk_insert`.
    insert: &'static str,
}

const KEY_RUN: usize = 150_000;

impl KeyRuns {
    async fn push(&mut self, pipe: &mut Pipeline<'_>, kind: &'static str, key: String, id: i64) -> Result<()> {
        self.pending.push((kind, key, id));
        if self.pending.len() >= KEY_RUN {
            self.flush(pipe).await?;
        }
        Ok(())
    }

    async fn flush(&mut self, pipe: &mut Pipeline<'_>) -> Result<()> {
        let mut pending = std::mem::take(&mut self.pending);
        pending.sort_unstable();
        for chunk in pending.chunks(3000) {
            let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(self.insert);
            qb.push(" INTO customer_keys (kind, key, customer_id) ");
            qb.push_values(chunk, |mut b, (kind, key, id)| {
                b.push_bind(*kind).push_bind(key.clone()).push_bind(*id);
            });
            pipe.push("sql: keys", qb).await?;
        }
        Ok(())
    }
}

/// A statement on its way through the connection's worker thread, holding the connection.
type InFlight<'c> =
    std::pin::Pin<Box<dyn std::future::Future<Output = (&'c mut SqliteConnection, Result<()>)> + Send + 'c>>;

/// The statements of a bulk insert, each handed to the connection's worker thread (which runs
/// SQLite) as soon as the one before it is done, while this thread goes on building the next
/// and normalising rows: the two threads work at the same time instead of taking turns.
/// An error of a statement is returned by the next `push`, `conn` or `finish`.
struct Pipeline<'c> {
    conn: Option<&'c mut SqliteConnection>,
    in_flight: Option<InFlight<'c>>,
}

impl<'c> Pipeline<'c> {
    fn new(conn: &'c mut SqliteConnection) -> Pipeline<'c> {
        Pipeline { conn: Some(conn), in_flight: None }
    }

    /// Wait for the statement in flight, if any.
    async fn wait(&mut self) -> Result<()> {
        if let Some(f) = self.in_flight.take() {
            let (conn, result) = f.await;
            self.conn = Some(conn);
            result?;
        }
        Ok(())
    }

    /// The connection, once the statement in flight is done (for queries whose rows are needed).
    async fn conn(&mut self) -> Result<&mut SqliteConnection> {
        self.wait().await?;
        self.conn.as_deref_mut().ok_or_else(|| Error::Database("bulk insert: connection in use".into()))
    }

    /// Run `qb` after the statement in flight; returns once the worker has it.
    async fn push(&mut self, what: &'static str, qb: QueryBuilder<Sqlite>) -> Result<()> {
        self.wait().await?;
        let conn = self.conn.take().ok_or_else(|| Error::Database("bulk insert: connection in use".into()))?;
        let mut qb = qb;
        let span = crate::import::timing::span(what);
        let mut f: InFlight<'c> = Box::pin(async move {
            let result = qb.build().execute(&mut *conn).await.map(|_| ()).map_err(Error::from);
            drop(span);
            (conn, result)
        });
        // One poll sends the statement to the worker; the rest is awaited by the next call.
        let first = std::future::poll_fn(|cx| std::task::Poll::Ready(f.as_mut().poll(cx))).await;
        match first {
            std::task::Poll::Ready((conn, result)) => {
                self.conn = Some(conn);
                result
            }
            std::task::Poll::Pending => {
                self.in_flight = Some(f);
                Ok(())
            }
        }
    }
}

/// One new customer of a bulk insert, with the values derived from it once.
struct NewRow {
    id: i64,
    code: String,
    draft: Draft,
    name_key: String,
    search_text: String,
    name_pos: Option<i64>,
}

/// `create_many` inside a transaction (the importer's commit step), returning the new ids in
/// input order. `on_progress` gets the rows written so far and returns false to cancel
/// (`Error::Cancelled`; the caller's transaction then rolls back). History entries carry
/// `w.batch_id`. With each row's name from `names` (same order as `inputs`), positions are
/// planned before the rows go in; without, rows go in unpositioned and are placed at the end
/// (into an empty table, all at once by `position::assign_all`).
pub(crate) async fn create_many_in(
    w: &mut WriteTx<'_>,
    inputs: impl Iterator<Item = CustomerInput>,
    names: Option<impl Iterator<Item = String>>,
    on_progress: &mut dyn FnMut(u64) -> bool,
) -> Result<Vec<i64>> {
    let actor = w.actor;
    actor.can_create_customer()?;
    let mut created: Vec<i64> = Vec::new();
    let was_empty: bool = sqlx::query_scalar("SELECT NOT EXISTS (SELECT 1 FROM customers)").fetch_one(w.conn()).await?;
    let mut next_id: i64 = sqlx::query_scalar(
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'customers'), 0), \
         coalesce((SELECT max(id) FROM customers), 0)) + 1",
    )
    .fetch_one(w.conn())
    .await?;
    let first_id = next_id;
    let span = crate::import::timing::span("bulk: plan name positions");
    let planned = match names {
        Some(names) => Some(Planned::new(w.conn(), names, first_id).await?),
        None => None,
    };
    // Row-by-row trigger work (the digits index, the counters, and without planned positions
    // into an empty table the word index) is done once for the whole set at the end instead;
    // see `Suspended`.
    drop(span);
    let suspended = Suspended::begin(w.conn(), was_empty && planned.is_none(), was_empty).await?;
    let mut seq = next_free_number(w.conn()).await?;
    let with_name_address = duplicates::rules_in(w.conn()).await?.name_address != RuleMode::Off;
    let fields = settings::field_settings_in(w.conn()).await?;
    let approval = if crate::ownership::starts_pending(w.conn(), actor).await? { "pending" } else { "approved" };
    let stamp = Stamp::new(w.now, actor.staff_id, w.batch_id, approval, w.bulk_insert());
    let mut pipe = Pipeline::new(w.conn());
    let mut words = WordRuns { pending: Vec::new() };
    let mut keys = KeyRuns { pending: Vec::new(), insert: stamp.insert };
    // Given codes of this run, folded: a code given twice in the input is caught before SQLite's
    // UNIQUE constraint would turn it into an opaque database error. (Codes of earlier batches
    // are in the table, where `existing_codes` finds them.)
    let mut given_codes: std::collections::HashSet<String> = std::collections::HashSet::new();
    // Owners other than the actor, checked once each.
    let mut owners_checked: Vec<i64> = Vec::new();
    let mut drafts: Vec<Draft> = Vec::with_capacity(BATCH);
    let mut batch: Vec<NewRow> = Vec::with_capacity(BATCH);
    let mut inputs = inputs.enumerate().peekable();
    while inputs.peek().is_some() {
        drafts.clear();
        let span = crate::import::timing::span("bulk: rows in, normalise");
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
            if owner != actor.staff_id && !owners_checked.contains(&owner) {
                check_owner(pipe.conn().await?, actor, owner).await?;
                owners_checked.push(owner);
            }
            draft.owner_id = Some(owner);
            let mut missing = Vec::new();
            missing_required(&fields, &draft, &mut missing);
            if !missing.is_empty() {
                for f in &mut missing {
                    f.field = format!("rows.{row}.{}", f.field);
                }
                return Err(Error::Validation(missing));
            }
            drafts.push(draft);
        }
        drop(span);
        let span = crate::import::timing::span("bulk: codes");
        // Given codes: one lookup for the whole batch.
        let given: Vec<String> = drafts.iter().filter_map(|d| d.code.as_deref().map(text::fold)).collect();
        if !given.is_empty()
            && let Some(taken) = existing_codes(pipe.conn().await?, &given).await?.into_iter().next()
        {
            return Err(Error::CodeTaken(taken));
        }
        for g in given {
            if !given_codes.insert(g.clone()) {
                return Err(Error::CodeTaken(g));
            }
        }
        // Generated codes: candidates from the sequence, skipping any already taken (into an
        // empty table, only given codes of this run can be).
        let wanted = drafts.iter().filter(|d| d.code.is_none()).count();
        let mut generated: Vec<String> = Vec::with_capacity(wanted);
        while generated.len() < wanted {
            let candidates: Vec<String> =
                (seq..seq + (wanted - generated.len()) as i64).map(|n| text::fold(&format_code(n))).collect();
            seq += candidates.len() as i64;
            let taken = if was_empty { Vec::new() } else { existing_codes(pipe.conn().await?, &candidates).await? };
            for (c, n) in candidates.into_iter().zip(seq - (wanted - generated.len()) as i64..) {
                if !taken.contains(&c) && !given_codes.contains(&c) {
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
            let name_key = draft.name_key();
            let name_pos = planned.as_ref().and_then(|p| p.get((next_id - first_id) as usize, &name_key));
            let search_text = draft.search_text(&code);
            batch.push(NewRow { id: next_id, code, draft, name_key, search_text, name_pos });
            next_id += 1;
        }
        drop(span);
        insert_batch(&mut pipe, &batch, &mut keys, with_name_address, &stamp).await?;
        for r in batch.drain(..) {
            created.push(r.id);
            if let Some(pos) = r.name_pos {
                words.push(&mut pipe, pos, r.search_text).await?;
            }
        }
        if !on_progress(created.len() as u64) {
            return Err(Error::Cancelled);
        }
    }
    let span = crate::import::timing::span("bulk: last statements");
    words.flush(&mut pipe).await?;
    keys.flush(&mut pipe).await?;
    pipe.wait().await?;
    drop(pipe);
    drop(span);
    set_sequence(w.conn(), seq).await?;
    let span = crate::import::timing::span("bulk: restore indexes");
    let suspended = suspended.restore_indexes(w.conn()).await?;
    drop(span);
    let span = crate::import::timing::span("bulk: place unpositioned rows");
    // Rows that went in without a position: place them now.
    if was_empty && planned.is_none() {
        position::assign_all(w.conn()).await?;
    } else {
        position::place_unpositioned(w.conn()).await?;
    }
    drop(span);
    let _span = crate::import::timing::span("bulk: digits index, counters, triggers");
    if let (Some(first), Some(last)) = (created.first(), created.last()) {
        suspended.finish(w.conn(), *first, *last, created.len() as i64).await?;
    } else {
        suspended.finish(w.conn(), 0, -1, 0).await?;
    }
    Ok(created)
}

/// What every row of one bulk insert shares.
struct Stamp {
    now: chrono::DateTime<chrono::Utc>,
    actor: i64,
    /// The same values as SQL literals, written into each statement once per row instead of
    /// bound (a bound value is copied for every row; these are the same for all). Built from
    /// typed values only: `now` as sqlx binds a time (RFC 3339, UTC), ids as integers.
    now_sql: String,
    batch_sql: String,
    approval_sql: &'static str,
    /// `WriteTx::bulk_insert`.
    insert: &'static str,
}

impl Stamp {
    fn new(
        now: chrono::DateTime<chrono::Utc>,
        actor: i64,
        batch_id: Option<i64>,
        approval: &'static str,
        insert: &'static str,
    ) -> Stamp {
        Stamp {
            now,
            actor,
            now_sql: format!("'{}'", now.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)),
            batch_sql: batch_id.map_or_else(|| "NULL".to_owned(), |b| b.to_string()),
            approval_sql: if approval == "pending" { "'pending'" } else { "'approved'" },
            insert,
        }
    }
}

/// Triggers (and, into an empty table, the indexes in a random order) set aside during a bulk
/// insert, restored (from their own stored SQL, so they can never drift from the migrations)
/// before the transaction commits. SQLite's DDL is transactional: other connections never see
/// the database without them, and a rollback or a crash brings them back untouched.
struct Suspended {
    /// `(name, sql)` of each dropped trigger.
    triggers: Vec<(String, String)>,
    /// `(name, sql)` of each dropped index: rebuilding an index from the finished table (one
    /// sort) costs less than inserting every row of a bulk at a random place in it.
    indexes: Vec<(String, String)>,
    /// The word index is filled in bulk too (only into an empty table, where no existing row's
    /// position can move).
    words: bool,
    /// The word index starts empty: its segments are merged once at the end (`optimize`)
    /// instead of as they pile up, which rewrites each entry several times.
    merge_words_at_end: bool,
}

/// FTS5's own merge settings (its defaults), put back after a bulk that deferred merging.
const FTS_AUTOMERGE: i64 = 4;
const FTS_CRISISMERGE: i64 = 16;
const FTS_HASHSIZE: i64 = 1024 * 1024;
/// FTS5's buffer of new words during a bulk insert (see `Suspended::begin`).
const FTS_BULK_HASHSIZE: i64 = 64 * 1024 * 1024;

/// Indexes dropped for a bulk insert into an empty customers table and rebuilt afterwards: those
/// in an order the rows do not come in (names, given codes, lookup keys by customer), where
/// each row would land on a random page. Building one from the finished table (a scan and a
/// sort) costs less. Indexes the rows arrive in order for (ids, owners, levels, times) are
/// cheaper kept in step: rebuilding every index measured slower at a million rows.
const REBUILT_INDEXES: [&str; 4] =
    ["customers_live_name", "customers_name_pos", "customers_live_code", "customer_keys_customer"];

impl Suspended {
    async fn begin(conn: &mut SqliteConnection, words: bool, rebuild_indexes: bool) -> Result<Suspended> {
        let mut names = vec!["customers_after_insert"];
        if words {
            names.push("customers_after_update_words");
        }
        let triggers = Self::drop_all(conn, "trigger", &names).await?;
        let mut indexes = Vec::new();
        if rebuild_indexes {
            indexes = Self::drop_all(conn, "index", &REBUILT_INDEXES).await?;
            // FTS5 keeps these settings in its own config table: inside this transaction, so a
            // rollback puts them back too.
            sqlx::query("INSERT INTO customers_fts (customers_fts, rank) VALUES ('automerge', 0), ('crisismerge', 64)")
                .execute(&mut *conn)
                .await?;
        }
        // New words are gathered in memory and written out as a segment whenever FTS5's buffer
        // fills: 1 MiB by default, a hundred small segments per 100,000 customers, each merged
        // again later. A larger buffer for the bulk halves the word index's time.
        sqlx::query("INSERT INTO customers_fts (customers_fts, rank) VALUES ('hashsize', ?)")
            .bind(FTS_BULK_HASHSIZE)
            .execute(&mut *conn)
            .await?;
        Ok(Suspended { triggers, indexes, words, merge_words_at_end: rebuild_indexes })
    }

    async fn drop_all(conn: &mut SqliteConnection, kind: &str, names: &[&str]) -> Result<Vec<(String, String)>> {
        let mut dropped = Vec::new();
        for name in names {
            let sql: Option<String> = sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE type = ? AND name = ?")
                .bind(kind)
                .bind(name)
                .fetch_optional(&mut *conn)
                .await?;
            let Some(sql) = sql else { continue };
            // Kinds and names come from the lists above, never from input.
            let quoted = name.replace('"', "\"\"");
            sqlx::query(sqlx::AssertSqlSafe(format!("DROP {} \"{quoted}\"", kind.to_uppercase())))
                .execute(&mut *conn)
                .await?;
            dropped.push(((*name).to_owned(), sql));
        }
        Ok(dropped)
    }

    /// Put the indexes back (before anything that needs them, such as placing rows).
    async fn restore_indexes(mut self, conn: &mut SqliteConnection) -> Result<Suspended> {
        for (_, sql) in self.indexes.drain(..) {
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *conn).await?;
        }
        Ok(self)
    }

    /// Do for rows `first..=last` (all live, all new) what the triggers would have done, then put
    /// the triggers back.
    async fn finish(self, conn: &mut SqliteConnection, first: i64, last: i64, n: i64) -> Result<()> {
        let this = self.restore_indexes(conn).await?;
        if n > 0 {
            sqlx::query(
                "INSERT INTO customers_digits (rowid, phone_digits) SELECT id, phone_digits FROM customers \
                 WHERE id BETWEEN ? AND ? ORDER BY id",
            )
            .bind(first)
            .bind(last)
            .execute(&mut *conn)
            .await?;
            sqlx::query("UPDATE counters SET value = value + ? WHERE name = 'customers.live'")
                .bind(n)
                .execute(&mut *conn)
                .await?;
            if this.words {
                sqlx::query(
                    "INSERT INTO customers_fts (rowid, search_text) SELECT name_pos, search_text FROM customers \
                     WHERE id BETWEEN ? AND ? ORDER BY name_pos",
                )
                .bind(first)
                .bind(last)
                .execute(&mut *conn)
                .await?;
            }
        }
        sqlx::query("INSERT INTO customers_fts (customers_fts, rank) VALUES ('hashsize', ?)")
            .bind(FTS_HASHSIZE)
            .execute(&mut *conn)
            .await?;
        if this.merge_words_at_end {
            sqlx::query("INSERT INTO customers_fts (customers_fts) VALUES ('optimize')").execute(&mut *conn).await?;
            sqlx::query("INSERT INTO customers_fts (customers_fts, rank) VALUES ('automerge', ?), ('crisismerge', ?)")
                .bind(FTS_AUTOMERGE)
                .bind(FTS_CRISISMERGE)
                .execute(&mut *conn)
                .await?;
        }
        for (_, sql) in &this.triggers {
            sqlx::query(sqlx::AssertSqlSafe(sql.clone())).execute(&mut *conn).await?;
        }
        Ok(())
    }
}

/// Bind one new row's values: `id`, `INSERT_COLUMNS` in order, `name_pos` and `approval`. The
/// same values `push_row` binds, from what the bulk path derived once.
fn push_bulk_row(b: &mut sqlx::query_builder::Separated<'_, Sqlite, &'static str>, r: &NewRow, stamp: &Stamp) {
    let d = &r.draft;
    b.push_bind(r.id)
        .push_bind(r.code.clone())
        .push_bind(text::fold(&r.code))
        .push_bind(d.kind.as_str())
        .push_bind(d.name.clone())
        .push_bind(r.name_key.clone())
        .push_bind(json_text(&d.phones))
        .push_bind(json_text(&d.emails))
        .push_bind(d.address.clone())
        .push_bind(d.tax_code.clone())
        .push_bind(d.website.clone())
        .push_bind(date_str(d.birthday))
        .push_bind(date_str(d.founded_on))
        .push_bind(d.gender.map(|g| g.as_str()))
        .push_bind(d.notes.clone())
        .push_bind(d.owner_id)
        .push_bind(d.segment_id)
        .push_bind(d.level_id)
        .push_bind(d.status_id)
        .push_bind(d.channel_id)
        .push_bind(d.service_manager_id)
        .push_bind(d.email_consent)
        .push_bind(d.email_consent.then_some(stamp.now))
        .push_bind(d.referrer_customer_id)
        .push_bind(d.referrer_supplier.clone())
        .push_bind(d.photo.clone())
        .push_bind(r.search_text.clone())
        .push_bind(d.phone_digits())
        .push(&stamp.now_sql)
        .push(stamp.actor)
        .push(&stamp.now_sql)
        .push(stamp.actor)
        .push_bind(r.name_pos)
        .push(stamp.approval_sql);
}

/// A list of strings as JSON text (what `json!(list).to_string()` gives, without the detour).
fn json_text(list: &[String]) -> String {
    let mut out = String::with_capacity(2 + list.iter().map(|s| s.len() + 3).sum::<usize>());
    out.push('[');
    for (i, s) in list.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_str(&mut out, s);
    }
    out.push(']');
    out
}

/// Append `s` as a JSON string literal, escaped exactly as serde_json escapes it.
fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            out.push_str(&format!("\\u{b:04x}"));
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// The history entry of a new customer: `creation_changes` as JSON text, written directly.
/// Fields holding objects (products, legal entities, contacts) still go through `json!` so that
/// their keys come out exactly as before.
fn creation_json(d: &Draft, code: &str) -> String {
    let mut c = Changes { out: String::with_capacity(384), first: true };
    c.out.push('{');
    c.text("code", Some(code));
    c.text("kind", Some(d.kind.as_str()));
    c.text("name", Some(&d.name));
    c.list("phones", &d.phones);
    c.list("emails", &d.emails);
    c.text("address", d.address.as_deref());
    c.text("tax_code", d.tax_code.as_deref());
    c.text("website", d.website.as_deref());
    c.text("birthday", date_str(d.birthday).as_deref());
    c.text("founded_on", date_str(d.founded_on).as_deref());
    c.text("gender", d.gender.map(|g| g.as_str()));
    c.text("notes", d.notes.as_deref());
    c.int("owner_id", d.owner_id);
    c.int("segment_id", d.segment_id);
    c.int("level_id", d.level_id);
    c.ints("group_ids", &d.group_ids);
    c.int("status_id", d.status_id);
    c.int("channel_id", d.channel_id);
    c.int("service_manager_id", d.service_manager_id);
    if d.email_consent {
        c.field("email_consent");
        c.out.push_str("true");
    }
    if !d.products.is_empty() {
        c.value("products", json!(d.products));
    }
    c.ints("invoice_type_ids", &d.invoice_type_ids);
    if !d.legal_entities.is_empty() {
        c.value("legal_entities", json!(d.legal_entities));
    }
    if !d.contacts.is_empty() {
        c.value("contacts", json!(d.contacts.iter().map(contact_for_history).collect::<Vec<_>>()));
    }
    c.int("referrer_customer_id", d.referrer_customer_id);
    c.text("referrer_supplier", d.referrer_supplier.as_deref());
    c.text("photo", d.photo.as_deref());
    c.out.push('}');
    c.out
}

/// Writes the creation form of `history::parse_changes`, `{"field": after, …}`, for the
/// non-empty fields it is given.
struct Changes {
    out: String,
    first: bool,
}

impl Changes {
    fn field(&mut self, name: &str) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.out.push('"');
        self.out.push_str(name);
        self.out.push_str("\":");
    }

    fn text(&mut self, name: &str, v: Option<&str>) {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            self.field(name);
            push_json_str(&mut self.out, v);
        }
    }

    fn list(&mut self, name: &str, v: &[String]) {
        if !v.is_empty() {
            self.field(name);
            self.out.push_str(&json_text(v));
        }
    }

    fn int(&mut self, name: &str, v: Option<i64>) {
        use std::fmt::Write as _;
        if let Some(v) = v {
            self.field(name);
            let _ = write!(self.out, "{v}");
        }
    }

    fn ints(&mut self, name: &str, v: &[i64]) {
        use std::fmt::Write as _;
        if !v.is_empty() {
            self.field(name);
            self.out.push('[');
            for (i, x) in v.iter().enumerate() {
                let _ = write!(self.out, "{}{x}", if i > 0 { "," } else { "" });
            }
            self.out.push(']');
        }
    }

    fn value(&mut self, name: &str, v: Value) {
        if !is_empty(&v) {
            self.field(name);
            self.out.push_str(&v.to_string());
        }
    }
}

async fn insert_batch(
    pipe: &mut Pipeline<'_>,
    batch: &[NewRow],
    keys: &mut KeyRuns,
    with_name_address: bool,
    stamp: &Stamp,
) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    // 34 values a row: 250 rows a statement stays well under the 32,766 variables of the SQLite
    // we build. Fewer, larger statements mean fewer round trips to the connection's worker
    // thread (28 rows a statement before: a 100k import 5.5 → 5.1 s).
    for chunk in batch.chunks(250) {
        let mut qb: QueryBuilder<Sqlite> =
            QueryBuilder::new(format!("{} INTO customers (id, {INSERT_COLUMNS}, name_pos, approval) ", stamp.insert));
        qb.push_values(chunk, |mut b, r| push_bulk_row(&mut b, r, stamp));
        pipe.push("sql: customers", qb).await?;
    }
    let has_related = batch.iter().any(|r| {
        let d = &r.draft;
        !(d.group_ids.is_empty()
            && d.invoice_type_ids.is_empty()
            && d.products.is_empty()
            && d.legal_entities.is_empty()
            && d.contacts.is_empty())
    });
    if has_related {
        let related: Vec<(i64, &Draft)> = batch.iter().map(|r| (r.id, &r.draft)).collect();
        insert_related(pipe.conn().await?, &related).await?;
    }

    for r in batch {
        for (kind, key) in r.draft.lookup_keys(with_name_address) {
            keys.push(pipe, kind, key, r.id).await?;
        }
    }

    // The batch's history in one statement, last: the connection's worker runs it (the longest
    // statement of the batch) while this thread normalises the next batch, instead of waiting
    // for this thread between two short ones. Two bound values a row.
    for chunk in batch.chunks(BATCH) {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(stamp.insert);
        qb.push(" INTO history (entity, entity_id, action, changes, actor_id, at, batch_id) ");
        qb.push_values(chunk, |mut b, r| {
            b.push("'customer'")
                .push_bind(r.id)
                .push("'create'")
                .push_bind(creation_json(&r.draft, &r.code))
                .push(stamp.actor)
                .push(&stamp.now_sql)
                .push(&stamp.batch_sql);
        });
        pipe.push("sql: history", qb).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bulk path's compact history text reads back as exactly `creation_changes`, in order.
    #[test]
    fn creation_json_is_what_serde_writes() {
        let mut drafts: Vec<Draft> =
            crate::demo::customers(2_000, 9).map(|c| normalize(&c).expect("demo rows are valid")).collect();
        let mut odd = drafts[0].clone();
        odd.name = "Quote \" back\\slash \u{1} tab\there ƒ 🙂".into();
        odd.notes = Some("line\nbreak\r\u{7f}\u{1f}".into());
        odd.email_consent = true;
        odd.group_ids = vec![3, 1];
        odd.invoice_type_ids = vec![7];
        odd.segment_id = Some(-4);
        odd.products = vec![
            ProductUse { product_id: 2, since: chrono::NaiveDate::from_ymd_opt(2020, 2, 29) },
            ProductUse { product_id: 5, since: None },
        ];
        odd.legal_entities =
            vec![LegalEntity { name: "Chi nhánh \"A\"".into(), tax_code: None, address: Some("x".into()) }];
        odd.contacts = vec![Contact {
            id: Some(9),
            name: "Bà Lan".into(),
            position_id: Some(3),
            phones: vec!["0912".into()],
            emails: Vec::new(),
            primary: true,
            notes: None,
        }];
        odd.referrer_customer_id = Some(12);
        odd.referrer_supplier = Some("Supplier".into());
        odd.photo = Some("p.jpg".into());
        drafts.push(odd);
        for d in &drafts {
            let code = d.code.clone().unwrap_or_else(|| "KH000042".into());
            let written = creation_json(d, &code);
            assert!(written.starts_with('{'), "the compact creation form");
            let read = crate::history::parse_changes(&written).expect("valid JSON");
            assert_eq!(read, creation_changes(d, &code));
            assert_eq!(json_text(&d.phones), json!(d.phones).to_string());
        }
    }
}
