//! Loading whole customers (with their groups, products, invoice types, legal entities and
//! contacts) inside a connection or transaction.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{FromRow, QueryBuilder, Sqlite, SqliteConnection};

use super::types::*;
use crate::error::{Error, Result};

/// Columns of a full customer (`c` = customers, `s` = owner, `m` = service manager, `r` = referrer).
const CUSTOMER_COLUMNS: &str = "c.id, c.code, c.kind, c.name, c.phones, c.emails, c.address, c.tax_code, \
     c.website, c.birthday, c.founded_on, c.gender, c.notes, c.owner_id, s.name AS owner_name, c.segment_id, \
     c.level_id, c.status_id, c.channel_id, c.service_manager_id, m.name AS service_manager_name, c.email_consent, \
     c.email_consent_at, c.referrer_customer_id, r.code AS referrer_code, r.name AS referrer_name, \
     c.referrer_supplier, c.photo, c.locked, c.in_pool, c.approval, c.approval_reason, c.active, c.created_at, c.created_by, c.updated_at, c.updated_by, c.deleted_at";

const FROM: &str = "FROM customers c LEFT JOIN staff s ON s.id = c.owner_id \
     LEFT JOIN staff m ON m.id = c.service_manager_id LEFT JOIN customers r ON r.id = c.referrer_customer_id";

#[derive(FromRow)]
struct CustomerRecord {
    id: i64,
    code: String,
    kind: String,
    name: String,
    phones: String,
    emails: String,
    address: Option<String>,
    tax_code: Option<String>,
    website: Option<String>,
    birthday: Option<NaiveDate>,
    founded_on: Option<NaiveDate>,
    gender: Option<String>,
    notes: Option<String>,
    owner_id: Option<i64>,
    owner_name: Option<String>,
    segment_id: Option<i64>,
    level_id: Option<i64>,
    status_id: Option<i64>,
    channel_id: Option<i64>,
    service_manager_id: Option<i64>,
    service_manager_name: Option<String>,
    email_consent: bool,
    email_consent_at: Option<DateTime<Utc>>,
    referrer_customer_id: Option<i64>,
    referrer_code: Option<String>,
    referrer_name: Option<String>,
    referrer_supplier: Option<String>,
    photo: Option<String>,
    locked: bool,
    in_pool: bool,
    approval: String,
    approval_reason: Option<String>,
    active: bool,
    created_at: DateTime<Utc>,
    created_by: Option<i64>,
    updated_at: DateTime<Utc>,
    updated_by: Option<i64>,
    deleted_at: Option<DateTime<Utc>>,
}

impl From<CustomerRecord> for Customer {
    fn from(r: CustomerRecord) -> Self {
        let referrer = match (r.referrer_customer_id, r.referrer_code, r.referrer_name) {
            (Some(id), Some(code), Some(name)) => Some(CustomerRef { id, code, name }),
            _ => None,
        };
        Customer {
            id: r.id,
            code: r.code,
            kind: CustomerKind::parse(&r.kind).unwrap_or_default(),
            name: r.name,
            phones: serde_json::from_str(&r.phones).unwrap_or_default(),
            emails: serde_json::from_str(&r.emails).unwrap_or_default(),
            address: r.address,
            tax_code: r.tax_code,
            website: r.website,
            birthday: r.birthday,
            founded_on: r.founded_on,
            gender: r.gender.as_deref().and_then(Gender::parse),
            notes: r.notes,
            owner_id: r.owner_id,
            owner_name: r.owner_name,
            segment_id: r.segment_id,
            level_id: r.level_id,
            group_ids: Vec::new(),
            status_id: r.status_id,
            channel_id: r.channel_id,
            service_manager_id: r.service_manager_id,
            service_manager_name: r.service_manager_name,
            email_consent: r.email_consent,
            email_consent_at: r.email_consent_at,
            products: Vec::new(),
            invoice_type_ids: Vec::new(),
            legal_entities: Vec::new(),
            contacts: Vec::new(),
            referrer,
            referrer_supplier: r.referrer_supplier,
            photo: r.photo,
            locked: r.locked,
            in_pool: r.in_pool,
            approval: Approval::parse(&r.approval).unwrap_or_default(),
            approval_reason: r.approval_reason,
            active: r.active,
            created_at: r.created_at,
            created_by: r.created_by,
            updated_at: r.updated_at,
            updated_by: r.updated_by,
            deleted_at: r.deleted_at,
        }
    }
}

/// Load one customer (live or in the trash).
pub(crate) async fn load(conn: &mut SqliteConnection, id: i64) -> Result<Customer> {
    let rec: Option<CustomerRecord> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {CUSTOMER_COLUMNS} {FROM} WHERE c.id = ?")))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    let mut c = rec.map(Customer::from).ok_or_else(|| Error::CustomerNotFound(id.to_string()))?;
    attach_related(conn, std::slice::from_mut(&mut c)).await?;
    Ok(c)
}

/// Load several customers (live or trashed) by id, in id order; unknown ids are skipped.
pub(crate) async fn load_many(conn: &mut SqliteConnection, ids: &[i64]) -> Result<Vec<Customer>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(format!("SELECT {CUSTOMER_COLUMNS} {FROM} WHERE c.id IN ("));
    let mut sep = qb.separated(", ");
    for id in ids {
        sep.push_bind(*id);
    }
    qb.push(") ORDER BY c.id");
    let mut out: Vec<Customer> =
        qb.build_query_as::<CustomerRecord>().fetch_all(&mut *conn).await?.into_iter().map(Customer::from).collect();
    attach_related(conn, &mut out).await?;
    Ok(out)
}

fn id_list(customers: &[Customer]) -> String {
    // Ids are i64 from the database, never user text.
    customers.iter().map(|c| c.id.to_string()).collect::<Vec<_>>().join(", ")
}

#[derive(FromRow)]
struct ContactRecord {
    id: i64,
    customer_id: i64,
    name: String,
    position_id: Option<i64>,
    phones: String,
    emails: String,
    is_primary: bool,
    notes: Option<String>,
}

/// Fill the many-valued parts of customers with a handful of queries for the whole slice.
async fn attach_related(conn: &mut SqliteConnection, customers: &mut [Customer]) -> Result<()> {
    if customers.is_empty() {
        return Ok(());
    }
    let ids = id_list(customers);
    let index: HashMap<i64, usize> = customers.iter().enumerate().map(|(i, c)| (c.id, i)).collect();

    let groups: Vec<(i64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT g.customer_id, g.item_id FROM customer_groups g JOIN catalog_items i ON i.id = g.item_id \
         WHERE g.customer_id IN ({ids}) ORDER BY i.sort_order, i.id"
    )))
    .fetch_all(&mut *conn)
    .await?;
    for (cid, item) in groups {
        if let Some(&i) = index.get(&cid) {
            customers[i].group_ids.push(item);
        }
    }

    let products: Vec<(i64, i64, Option<NaiveDate>)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT p.customer_id, p.item_id, p.since FROM customer_products p JOIN catalog_items i ON i.id = p.item_id \
         WHERE p.customer_id IN ({ids}) ORDER BY i.sort_order, i.id"
    )))
    .fetch_all(&mut *conn)
    .await?;
    for (cid, item, since) in products {
        if let Some(&i) = index.get(&cid) {
            customers[i].products.push(ProductUse { product_id: item, since });
        }
    }

    let invoice: Vec<(i64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT t.customer_id, t.item_id FROM customer_invoice_types t JOIN catalog_items i ON i.id = t.item_id \
         WHERE t.customer_id IN ({ids}) ORDER BY i.sort_order, i.id"
    )))
    .fetch_all(&mut *conn)
    .await?;
    for (cid, item) in invoice {
        if let Some(&i) = index.get(&cid) {
            customers[i].invoice_type_ids.push(item);
        }
    }

    let entities: Vec<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT customer_id, name, tax_code, address FROM legal_entities WHERE customer_id IN ({ids}) \
         ORDER BY customer_id, sort_order, id"
    )))
    .fetch_all(&mut *conn)
    .await?;
    for (cid, name, tax_code, address) in entities {
        if let Some(&i) = index.get(&cid) {
            customers[i].legal_entities.push(LegalEntity { name, tax_code, address });
        }
    }

    let contacts: Vec<ContactRecord> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, customer_id, name, position_id, phones, emails, is_primary, notes FROM contacts \
         WHERE customer_id IN ({ids}) ORDER BY customer_id, sort_order, id"
    )))
    .fetch_all(&mut *conn)
    .await?;
    for r in contacts {
        if let Some(&i) = index.get(&r.customer_id) {
            customers[i].contacts.push(Contact {
                id: Some(r.id),
                name: r.name,
                position_id: r.position_id,
                phones: serde_json::from_str(&r.phones).unwrap_or_default(),
                emails: serde_json::from_str(&r.emails).unwrap_or_default(),
                primary: r.is_primary,
                notes: r.notes,
            });
        }
    }
    Ok(())
}
