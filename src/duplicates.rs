//! Duplicate rules: which normalised keys identify the same customer (any phone, any e-mail,
//! tax code, name + address), whether a match warns or blocks, and the lookups behind the form's
//! warning, the CLI's refusal, the importer's plan and the "Duplicate check" tool.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sqlx::{FromRow, QueryBuilder, Sqlite, SqliteConnection};
use tracing::instrument;
use ts_rs::TS;

use crate::actor::Actor;
use crate::error::Result;
use crate::settings;
use crate::store::Store;
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RuleMode {
    #[default]
    Off,
    /// Show the matches; the user may go on.
    Warn,
    /// Refuse the customer.
    Block,
}

/// Which keys identify the same customer. Default: any phone or any e-mail, as a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DuplicateRules {
    pub phone: RuleMode,
    pub email: RuleMode,
    pub tax_code: RuleMode,
    pub name_address: RuleMode,
}

impl Default for DuplicateRules {
    fn default() -> Self {
        DuplicateRules {
            phone: RuleMode::Warn,
            email: RuleMode::Warn,
            tax_code: RuleMode::Off,
            name_address: RuleMode::Off,
        }
    }
}

impl DuplicateRules {
    pub fn mode(&self, kind: &str) -> RuleMode {
        match kind {
            "phone" => self.phone,
            "email" => self.email,
            "tax_code" => self.tax_code,
            "name_address" => self.name_address,
            _ => RuleMode::Off,
        }
    }
    pub fn any_on(&self) -> bool {
        ["phone", "email", "tax_code", "name_address"].iter().any(|k| self.mode(k) != RuleMode::Off)
    }
}

const RULES_KEY: &str = "duplicates.rules";

pub(crate) async fn rules_in(conn: &mut SqliteConnection) -> Result<DuplicateRules> {
    Ok(settings::get(conn, RULES_KEY).await?.and_then(|v| serde_json::from_str(&v).ok()).unwrap_or_default())
}

pub async fn rules(store: &Store) -> Result<DuplicateRules> {
    let mut conn = store.pool().acquire().await?;
    rules_in(&mut conn).await
}

/// Change the rules (admins). Turning on name + address indexes every existing customer's key.
#[instrument(skip(store, actor))]
pub async fn set_rules(store: &Store, actor: &Actor, rules: DuplicateRules) -> Result<DuplicateRules> {
    actor.can_manage_settings()?;
    let mut w = store.write(actor).await?;
    let before = rules_in(w.conn()).await?;
    let value = serde_json::to_string(&rules).map_err(|e| crate::Error::Database(e.to_string()))?;
    settings::put(w.conn(), RULES_KEY, &value).await?;
    if before.name_address == RuleMode::Off && rules.name_address != RuleMode::Off {
        backfill_name_address(w.conn()).await?;
    }
    let changes = vec![crate::history::FieldChange {
        field: "duplicate_rules".into(),
        before: serde_json::json!(before),
        after: serde_json::json!(rules),
    }];
    w.history("settings", 0, "update", &changes).await?;
    w.commit().await?;
    Ok(rules)
}

/// The name + address key of every customer with an address (written only while the rule is on).
async fn backfill_name_address(conn: &mut SqliteConnection) -> Result<()> {
    sqlx::query("DELETE FROM customer_keys WHERE kind = 'name_address'").execute(&mut *conn).await?;
    let mut last = 0i64;
    loop {
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, name, address FROM customers WHERE id > ? AND address IS NOT NULL ORDER BY id LIMIT 2000",
        )
        .bind(last)
        .fetch_all(&mut *conn)
        .await?;
        let Some((id, _, _)) = rows.last() else { break };
        last = *id;
        let keys: Vec<(i64, String)> =
            rows.iter().filter_map(|(id, name, address)| name_address_key(name, address).map(|k| (*id, k))).collect();
        if keys.is_empty() {
            continue;
        }
        let mut qb: QueryBuilder<Sqlite> =
            QueryBuilder::new("INSERT OR IGNORE INTO customer_keys (kind, key, customer_id) ");
        qb.push_values(keys, |mut b, (id, k)| {
            b.push_bind("name_address").push_bind(k).push_bind(id);
        });
        qb.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Folded name and address, spacing-insensitive: "Nguyễn  Văn An" + "12 Lê Lợi" → "nguyen van an|12 le loi".
pub fn name_address_key(name: &str, address: &str) -> Option<String> {
    let address = text::fold(address);
    let address = text::tokens(&address).join(" ");
    if address.is_empty() {
        return None;
    }
    let name = text::fold(name);
    Some(format!("{}|{}", text::tokens(&name).join(" "), address))
}

/// An existing customer that matches, with what matched. Contact data is masked: the
/// duplicate tools show that a customer exists, not its details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DuplicateMatch {
    #[ts(type = "number")]
    pub id: i64,
    pub code: String,
    pub name: String,
    pub owner_name: Option<String>,
    /// Which rules matched: `phone`, `email`, `tax_code`, `name_address`.
    pub matched_on: Vec<String>,
    /// First phone with its middle digits hidden ("0912 *** 678").
    pub phone: Option<String>,
    /// First e-mail with its local part hidden ("a***@example.com").
    pub email: Option<String>,
}

#[derive(FromRow)]
struct MatchRow {
    kind: String,
    id: i64,
    code: String,
    name: String,
    owner_name: Option<String>,
    phone: Option<String>,
    email: Option<String>,
}

/// Hide the middle of a phone: keep the first 4 and the last 3 digits, as written.
pub fn mask_phone(p: &str) -> String {
    let total = p.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0;
    p.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen > 4 && seen <= total.saturating_sub(3) { '*' } else { c }
            } else {
                c
            }
        })
        .collect()
}

/// Hide an e-mail's local part but its first letter.
pub fn mask_email(e: &str) -> String {
    match e.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

/// Live customers (other than `except`) sharing any of `keys` under a rule that is on. Sorted by
/// id; each customer once with every rule it matched.
pub(crate) async fn matches_for_keys(
    conn: &mut SqliteConnection,
    rules: &DuplicateRules,
    keys: &[(&'static str, String)],
    except: Option<i64>,
) -> Result<Vec<DuplicateMatch>> {
    let keys: Vec<&(&str, String)> = keys.iter().filter(|(k, _)| rules.mode(k) != RuleMode::Off).collect();
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
        "SELECT k.kind, c.id, c.code, c.name, s.name AS owner_name, json_extract(c.phones, '$[0]') AS phone, \
         json_extract(c.emails, '$[0]') AS email FROM customer_keys k JOIN customers c ON c.id = k.customer_id \
         LEFT JOIN staff s ON s.id = c.owner_id WHERE c.deleted_at IS NULL AND (",
    );
    for (i, (kind, key)) in keys.iter().enumerate() {
        if i > 0 {
            qb.push(" OR ");
        }
        qb.push("(k.kind = ").push_bind(*kind).push(" AND k.key = ").push_bind(key.clone()).push(")");
    }
    qb.push(")");
    if let Some(id) = except {
        qb.push(" AND c.id <> ").push_bind(id);
    }
    qb.push(" ORDER BY c.id LIMIT 200");
    let rows: Vec<MatchRow> = qb.build_query_as().fetch_all(&mut *conn).await?;
    let mut by_id: BTreeMap<i64, DuplicateMatch> = BTreeMap::new();
    for r in rows {
        let m = by_id.entry(r.id).or_insert_with(|| DuplicateMatch {
            id: r.id,
            code: r.code.clone(),
            name: r.name.clone(),
            owner_name: r.owner_name.clone(),
            matched_on: Vec::new(),
            phone: r.phone.as_deref().map(mask_phone),
            email: r.email.as_deref().map(mask_email),
        });
        if !m.matched_on.contains(&r.kind) {
            m.matched_on.push(r.kind);
        }
    }
    Ok(by_id.into_values().collect())
}

/// Whether any of the matches is under a blocking rule.
pub(crate) fn blocking(rules: &DuplicateRules, matches: &[DuplicateMatch]) -> bool {
    matches.iter().any(|m| m.matched_on.iter().any(|k| rules.mode(k) == RuleMode::Block))
}

/// The form's live check: which customers would this input match (`except` = the customer
/// being edited).
#[instrument(skip(store, actor, input))]
pub async fn check(
    store: &Store,
    actor: &Actor,
    input: &crate::customers::CustomerInput,
    except: Option<i64>,
) -> Result<Vec<DuplicateMatch>> {
    let _ = actor;
    let keys = crate::customers::lookup_keys_of(input);
    let mut conn = store.pool().acquire().await?;
    let rules = rules_in(&mut conn).await?;
    matches_for_keys(&mut conn, &rules, &keys, except).await
}

/// The "Duplicate check" tool: partial information (a phone fragment, part of a name, an
/// e-mail) finds possible matches before a customer is created. Shows code, name, owner and
/// masked contact data only. At most 50.
#[instrument(skip(store, actor))]
pub async fn lookup(store: &Store, actor: &Actor, query: &str) -> Result<Vec<DuplicateMatch>> {
    let query = text::clean(query);
    if text::fold(&query).chars().filter(|c| c.is_alphanumeric()).count() < 2 {
        return Ok(Vec::new());
    }
    let mut conn = store.pool().acquire().await?;
    let mut found: Vec<DuplicateMatch> = Vec::new();
    // Exact e-mail and phone keys first: they are the strongest signal.
    let mut keys: Vec<(&'static str, String)> = Vec::new();
    if query.contains('@') {
        keys.push(("email", text::email_key(&query)));
    }
    if let Some(k) = text::phone_key(&query) {
        keys.push(("phone", k));
    }
    let all_on = DuplicateRules {
        phone: RuleMode::Warn,
        email: RuleMode::Warn,
        tax_code: RuleMode::Warn,
        name_address: RuleMode::Off,
    };
    found.extend(matches_for_keys(&mut conn, &all_on, &keys, None).await?);
    // Then the search: words by prefix, digit runs inside phones.
    let q = crate::customers::ListQuery { search: query.clone(), limit: 50, ..Default::default() };
    drop(conn);
    let page = crate::customers::list(store, actor, &q).await?;
    for row in page.rows {
        if found.iter().any(|m| m.id == row.id) {
            continue;
        }
        let digits = text::digits(&query);
        let matched_on = if digits.len() >= 3 {
            "phone"
        } else if query.contains('@') {
            "email"
        } else {
            "name"
        };
        found.push(DuplicateMatch {
            id: row.id,
            code: row.code,
            name: row.name,
            owner_name: row.owner_name,
            matched_on: vec![matched_on.to_owned()],
            phone: row.phone.as_deref().map(mask_phone),
            email: row.email.as_deref().map(mask_email),
        });
        if found.len() >= 50 {
            break;
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        assert_eq!(mask_phone("0912 345 678"), "0912 *** 678");
        assert_eq!(mask_phone("0912.345.678"), "0912.***.678");
        assert_eq!(mask_email("an.nguyen@example.com"), "a***@example.com");
    }

    #[test]
    fn name_address_ignores_case_accents_and_spacing() {
        assert_eq!(
            name_address_key("Nguyễn  Văn An", " 12 Lê Lợi, Q.1 "),
            name_address_key("nguyen van an", "12 le loi q 1")
        );
        assert_eq!(name_address_key("Đức", "x"), Some("duc|x".into()));
        assert_eq!(name_address_key("A", "  "), None);
    }
}
