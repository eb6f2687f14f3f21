//! Reading customers: one, a page (keyset or jump), search, filters, counts.
//!
//! Every page, count and id list covers one *scope*: live customers or the trash, narrowed by a
//! search and by a [`CustomerFilter`]. A scope is read in one of a few ways, all giving the same
//! rows in the same order (see `list`):
//!
//! - **walks** read the sort order (the sort index, or the word index, whose rowids are name
//!   positions) from the cursor, checking each row, and stop at the page or at a budget of rows;
//!   fast when matches are common.
//! - **collecting** reads the ids of a *driver*, the smallest set that holds every match (the ids
//!   of the search, or of one filter condition answered by an index), checks the rest on each row
//!   and sorts; fast when matches are few. Without such a set the sort order itself is read to
//!   the page, checking every row (the *base* driver).
//!
//! Filter conditions answered by an index (segment, level, status, channel, owner, service
//! manager, groups, products) are checked on an id with an index probe, before the row itself is
//! read; the others (kind, creation date, e-mail consent) and a search outside the word index are
//! checked on the row.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{FromRow, SqliteConnection};
use tracing::instrument;

use super::MAX_PAGE;
use super::types::*;
use crate::actor::Actor;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::text;

pub(crate) use super::load::{load, load_many};

/// Columns of a grid row (`c` = customers, and the joins of `ROW_JOINS`). Groups are one
/// primary-key range read per row, a JSON array of item ids in id order.
const ROW_COLUMNS: &str = "c.id, c.code, c.kind, c.name, json_extract(c.phones, '$[0]') AS phone, \
     json_extract(c.emails, '$[0]') AS email, s.name AS owner_name, c.created_at, c.deleted_at, c.owner_id, \
     c.address, c.tax_code, c.website, c.segment_id, c.level_id, \
     (SELECT json_group_array(g.item_id) FROM customer_groups g WHERE g.customer_id = c.id) AS group_ids, \
     c.status_id, c.channel_id, m.name AS service_manager_name, c.email_consent, c.photo, c.updated_at, \
     c.locked, c.in_pool, c.approval, c.approval_reason, c.active, c.last_contact_at";

/// `s` = owner, `m` = service manager.
const ROW_JOINS: &str = "LEFT JOIN staff s ON s.id = c.owner_id LEFT JOIN staff m ON m.id = c.service_manager_id";

#[derive(FromRow)]
struct RowRecord {
    id: i64,
    code: String,
    kind: String,
    name: String,
    phone: Option<String>,
    email: Option<String>,
    owner_name: Option<String>,
    created_at: DateTime<Utc>,
    deleted_at: Option<DateTime<Utc>>,
    owner_id: Option<i64>,
    address: Option<String>,
    tax_code: Option<String>,
    website: Option<String>,
    segment_id: Option<i64>,
    level_id: Option<i64>,
    group_ids: String,
    status_id: Option<i64>,
    channel_id: Option<i64>,
    service_manager_name: Option<String>,
    email_consent: bool,
    photo: Option<String>,
    updated_at: DateTime<Utc>,
    locked: bool,
    in_pool: bool,
    approval: String,
    approval_reason: Option<String>,
    active: bool,
    last_contact_at: Option<DateTime<Utc>>,
}

impl From<RowRecord> for CustomerRow {
    fn from(r: RowRecord) -> Self {
        CustomerRow {
            id: r.id,
            code: r.code,
            kind: CustomerKind::parse(&r.kind).unwrap_or_default(),
            name: r.name,
            phone: r.phone,
            email: r.email,
            owner_name: r.owner_name,
            created_at: r.created_at,
            deleted_at: r.deleted_at,
            owner_id: r.owner_id,
            address: r.address,
            tax_code: r.tax_code,
            website: r.website,
            segment_id: r.segment_id,
            level_id: r.level_id,
            group_ids: serde_json::from_str(&r.group_ids).unwrap_or_default(),
            status_id: r.status_id,
            channel_id: r.channel_id,
            service_manager_name: r.service_manager_name,
            email_consent: r.email_consent,
            photo: r.photo,
            updated_at: r.updated_at,
            locked: r.locked,
            in_pool: r.in_pool,
            approval: Approval::parse(&r.approval).unwrap_or_default(),
            approval_reason: r.approval_reason,
            active: r.active,
            last_contact_at: r.last_contact_at,
        }
    }
}

/// One customer by id.
#[instrument(level = "debug", skip(store, actor))]
pub async fn get(store: &Store, actor: &Actor, id: i64) -> Result<Customer> {
    let mut conn = store.pool().acquire().await?;
    let c = load(&mut conn, id).await?;
    actor.can_view(&c)?;
    Ok(c)
}

/// The id of a customer by code (case-insensitive) or numeric id, without the viewing check (for
/// operations that apply their own rules and must report them, e.g. `permission.locked`).
pub async fn resolve_id(store: &Store, actor: &Actor, code_or_id: &str) -> Result<i64> {
    let _ = actor;
    let key = text::fold(&text::clean(code_or_id));
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE code_key = ?")
        .bind(&key)
        .fetch_optional(store.pool())
        .await?;
    if let Some(id) = id {
        return Ok(id);
    }
    let id: i64 = key.parse().map_err(|_| Error::CustomerNotFound(code_or_id.to_owned()))?;
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT id FROM customers WHERE id = ?").bind(id).fetch_optional(store.pool()).await?;
    exists.ok_or_else(|| Error::CustomerNotFound(code_or_id.to_owned()))
}

/// One customer by code (case-insensitive), or by numeric id when no code matches.
#[instrument(level = "debug", skip(store, actor))]
pub async fn find(store: &Store, actor: &Actor, code_or_id: &str) -> Result<Customer> {
    let key = text::fold(&text::clean(code_or_id));
    let mut conn = store.pool().acquire().await?;
    let id: Option<i64> =
        sqlx::query_scalar("SELECT id FROM customers WHERE code_key = ?").bind(&key).fetch_optional(&mut *conn).await?;
    let id = match id {
        Some(id) => id,
        None => key.parse::<i64>().map_err(|_| Error::CustomerNotFound(code_or_id.to_owned()))?,
    };
    let c = load(&mut conn, id).await.map_err(|_| Error::CustomerNotFound(code_or_id.to_owned()))?;
    actor.can_view(&c)?;
    Ok(c)
}

/// How a search string is matched: FTS5 word prefixes, and (for phone-like input) a digit run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SearchPlan {
    /// FTS5 expression over `customers_fts`, e.g. `"nguyen"* "van"*`; None when no word.
    pub words: Option<String>,
    /// Trigram expression over `customers_digits`, e.g. `"345678"`; None unless 3+ digits.
    pub digits: Option<String>,
    /// Folded tokens (checked on `search_text` row by row, e.g. in the trash, which has no index).
    pub tokens: Vec<String>,
}

impl SearchPlan {
    pub fn new(search: &str) -> Option<SearchPlan> {
        let folded = text::fold(&text::clean(search));
        let tokens: Vec<String> = text::tokens(&folded).into_iter().take(16).map(str::to_owned).collect();
        if tokens.is_empty() {
            return None;
        }
        // Tokens are letters and digits only, so quoting them is enough to keep FTS syntax out.
        let words = tokens.iter().map(|t| format!("\"{t}\"*")).collect::<Vec<_>>().join(" ");
        let phone_like = search.chars().all(|c| c.is_ascii_digit() || c.is_whitespace() || "+-.()/".contains(c));
        let mut digits = text::digits(search);
        if digits.len() == 11 && digits.starts_with("84") {
            digits = format!("0{}", &digits[2..]);
        }
        let digits = (phone_like && digits.len() >= 3).then(|| format!("\"{digits}\""));
        Some(SearchPlan { words: Some(words), digits, tokens })
    }

    /// The digit run of `digits`, unquoted.
    fn digit_run(&self) -> Option<&str> {
        self.digits.as_deref().map(|d| d.trim_matches('"'))
    }

    /// SQL yielding the matching live and active customer ids (column `id`, no repeats): the
    /// word and phone indexes hold exactly those customers. The word index is keyed by name
    /// position, so its rowids are mapped to ids.
    fn ids_sql(&self) -> Sql {
        let mut s = Sql::default();
        if let Some(w) = &self.words {
            s.push(
                "SELECT id FROM customers WHERE name_pos IN \
                 (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ",
            )
            .arg(Arg::Text(w.clone()))
            .push(")");
        }
        if let Some(d) = &self.digits {
            if !s.text.is_empty() {
                s.push(" UNION ");
            }
            s.push("SELECT rowid AS id FROM customers_digits WHERE customers_digits MATCH ").arg(Arg::Text(d.clone()));
        }
        s
    }

    /// SQL yielding the matching live inactive customer ids (column `id`): not in the indexes,
    /// so their rows (few, with their own index) are checked.
    fn inactive_ids_sql(&self) -> Sql {
        let mut s = Sql::new(
            "SELECT f.id AS id FROM customers f INDEXED BY customers_inactive WHERE f.active = 0 AND f.deleted_at IS NULL",
        );
        self.row_check_on(&mut s, true, "f");
        s
    }

    /// A filter on `c` (customers) for the matching live customers, with its bind values: the
    /// active ones from the indexes (each maps to rows through its own key; SQLite reads both with
    /// a multi-index OR), and with `inactive`, the inactive ones checked on the row.
    pub(crate) fn filter_sql(&self, inactive: bool) -> (String, Vec<String>) {
        let mut parts = Vec::new();
        let mut binds = Vec::new();
        if let Some(w) = &self.words {
            parts.push("c.name_pos IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?)");
            binds.push(w.clone());
        }
        if let Some(d) = &self.digits {
            parts.push("c.id IN (SELECT rowid FROM customers_digits WHERE customers_digits MATCH ?)");
            binds.push(d.clone());
        }
        let mut text = parts.join(" OR ");
        if inactive {
            // By id too, so that every part of the OR is read by key.
            let ids = self.inactive_ids_sql();
            text.push_str(&format!(" OR c.id IN ({})", ids.text));
            binds.extend(ids.args.into_iter().map(|a| match a {
                Arg::Text(t) => t,
                Arg::Int(i) => i.to_string(),
            }));
        }
        (format!("({text})"), binds)
    }

    /// ` AND (…)`: the match checked on the row `c`: every token a word prefix of `search_text`
    /// (what the word index matches), or, for live customers (`digits`), the digit run inside
    /// `phone_digits` (what the phone index matches). The trash matches tokens only.
    fn row_check(&self, s: &mut Sql, digits: bool) {
        self.row_check_on(s, digits, "c");
    }

    /// `row_check` on the table alias `a`.
    fn row_check_on(&self, s: &mut Sql, digits: bool, a: &str) {
        s.push(" AND ((1");
        for t in &self.tokens {
            s.push(&format!(" AND (' ' || {a}.search_text) LIKE ")).arg(Arg::Text(like_token(t))).push(" ESCAPE '\\'");
        }
        s.push(")");
        if digits && let Some(d) = self.digit_run() {
            s.push(&format!(" OR {a}.phone_digits LIKE ")).arg(Arg::Text(format!("%{d}%")));
        }
        s.push(")");
    }

    /// The words with every token cut to the longest prefix the word index keeps (6 characters),
    /// when some token is longer: an expression that streams from the prefix indexes in rowid
    /// order and matches a superset of the rows. None when no token is longer.
    fn coarse_words(&self) -> Option<String> {
        if self.tokens.iter().all(|t| t.chars().count() <= INDEXED_PREFIX) {
            return None;
        }
        let cut: Vec<String> = self
            .tokens
            .iter()
            .map(|t| format!("\"{}\"*", t.chars().take(INDEXED_PREFIX).collect::<String>()))
            .collect();
        Some(cut.join(" "))
    }
}

/// The longest token prefix `customers_fts` indexes (`prefix = '2 3 4 5 6'`, migration 0009). A
/// longer prefix query (`"nguyenv"*`) merges every matching doclist before it yields its first
/// row: O(matches), but few words start with a 7-character prefix.
const INDEXED_PREFIX: usize = 6;

/// Rows a walk reads in order, checking each row, before it gives up and collects the matches
/// from a driver instead: rows of the sort index, or candidates of the word index (name order).
/// Broad searches and filters fill a page within a few hundred rows this way; narrow ones fall
/// back to collecting.
const WALK_BUDGET: i64 = 3_000;

/// A filtered walk that found some matches, at a rate that fills the page within this many times
/// its budget, walks on that far before it collects: moderately rare matches (a rare level and a
/// common word) are found faster in order than among every row of either condition.
const WALK_ON: i64 = 8;

/// Index entries counted, at most, to size up a driver. A driver known to be larger is collected
/// only when nothing better exists; pages then read the sort order instead (base driver).
const ESTIMATE_CAP: i64 = 20_000;

#[derive(Debug, Clone)]
enum Arg {
    Text(String),
    Int(i64),
}

/// A piece of SQL and its bind values, in order. Values are always bound; the text comes only
/// from this module.
#[derive(Debug, Clone, Default)]
struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    fn new(text: &str) -> Sql {
        Sql { text: text.to_owned(), args: Vec::new() }
    }

    fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }

    /// A placeholder and its value.
    fn arg(&mut self, a: Arg) -> &mut Sql {
        self.text.push('?');
        self.args.push(a);
        self
    }

    fn append(&mut self, other: &Sql) -> &mut Sql {
        self.text.push_str(&other.text);
        self.args.extend(other.args.iter().cloned());
        self
    }

    /// `?, ?, …` for a non-empty list of ids.
    fn ids(&mut self, ids: &[i64]) -> &mut Sql {
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.arg(Arg::Int(*id));
        }
        self
    }
}

fn bind_all<'q, O>(
    mut q: sqlx::query::QueryAs<'q, sqlx::Sqlite, O, sqlx::sqlite::SqliteArguments>,
    args: &[Arg],
) -> sqlx::query::QueryAs<'q, sqlx::Sqlite, O, sqlx::sqlite::SqliteArguments> {
    for a in args {
        q = match a {
            Arg::Text(t) => q.bind(t.clone()),
            Arg::Int(i) => q.bind(*i),
        };
    }
    q
}

async fn fetch_one_i64(conn: &mut SqliteConnection, sql: Sql) -> Result<i64> {
    let row: (i64,) = bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql.text)), &sql.args).fetch_one(conn).await?;
    Ok(row.0)
}

async fn fetch_optional_i64(conn: &mut SqliteConnection, sql: Sql) -> Result<Option<i64>> {
    let row: Option<(i64,)> =
        bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql.text)), &sql.args).fetch_optional(conn).await?;
    Ok(row.map(|r| r.0))
}

async fn fetch_key(conn: &mut SqliteConnection, sql: Sql) -> Result<Option<Cursor>> {
    let row: Option<(String, i64)> =
        bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql.text)), &sql.args).fetch_optional(conn).await?;
    Ok(row.map(|(key, id)| Cursor { key, id }))
}

async fn counter(conn: &mut SqliteConnection, name: &str) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT value FROM counters WHERE name = ?").bind(name).fetch_one(conn).await?)
}

fn like_token(t: &str) -> String {
    // Tokens are letters and digits only; escape anyway so no token can act as a wildcard.
    format!("% {}%", t.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))
}

/// A filter condition answered by an index: the customers (live and trashed) whose column is one
/// of the values, or who are linked to one of the items.
#[derive(Debug, Clone)]
enum IdSet {
    /// `customers.<column> IN (values)`, on an index `(column, id)` (partial: `column IS NOT NULL`).
    Column { column: &'static str, index: &'static str, values: Vec<i64> },
    /// `(customer_id, item_id)` rows of a link table with `item_id IN (values)`, on its index
    /// `(item_id, customer_id)`.
    Link { table: &'static str, index: &'static str, values: Vec<i64> },
    /// Live customers meeting `condition` (with `{a}` for the table alias and `value` bound for
    /// its placeholder, if any), all held by a partial index over live rows (in the pool,
    /// awaiting or refused approval, inactive). `probe`: whether the index leads with what a
    /// probe by id can seek on; otherwise a probe reads the row.
    Live { index: &'static str, condition: &'static str, value: Option<String>, probe: bool },
}

impl IdSet {
    fn values(&self) -> &[i64] {
        match self {
            IdSet::Column { values, .. } | IdSet::Link { values, .. } => values,
            IdSet::Live { .. } => &[],
        }
    }

    /// `condition` on the alias `a`, with its value.
    fn live_condition(condition: &str, value: &Option<String>, a: &str, s: &mut Sql) {
        let mut parts = condition.replace("{a}", a);
        if let Some(v) = value
            && let Some(at) = parts.find('?')
        {
            let rest = parts.split_off(at + 1);
            parts.pop();
            s.push(&parts).arg(Arg::Text(v.clone())).push(&rest);
        } else {
            s.push(&parts);
        }
    }

    /// SQL yielding the set's ids (column `id`), each once.
    fn source(&self) -> Sql {
        let mut s = Sql::default();
        match self {
            IdSet::Column { column, index, values } => {
                s.push(&format!(
                    "SELECT f.id AS id FROM customers f INDEXED BY {index} WHERE f.{column} IS NOT NULL AND f.{column} IN ("
                ))
                .ids(values)
                .push(")");
            }
            IdSet::Link { table, index, values } => {
                // A customer linked to several of the items appears once.
                let distinct = if values.len() > 1 { "DISTINCT " } else { "" };
                s.push(&format!(
                    "SELECT {distinct}f.customer_id AS id FROM {table} f INDEXED BY {index} WHERE f.item_id IN ("
                ))
                .ids(values)
                .push(")");
            }
            IdSet::Live { index, condition, value, .. } => {
                s.push(&format!("SELECT f.id AS id FROM customers f INDEXED BY {index} WHERE "));
                IdSet::live_condition(condition, value, "f", &mut s);
            }
        }
        s
    }

    /// ` AND EXISTS (…)`: whether the customer `id` (an SQL expression) is in the set; one index
    /// probe per value, without reading the customer's row. `LIMIT 1` keeps SQLite (3.51) from
    /// turning the EXISTS into a join, which both changes the plan (it may drive the query from
    /// the subquery's table) and, with several matching link rows, counted an OFFSET wrong.
    fn test(&self, id: &str, s: &mut Sql) {
        match self {
            IdSet::Column { column, index, values } => {
                s.push(&format!(
                    " AND EXISTS (SELECT 1 FROM customers x INDEXED BY {index} WHERE x.{column} IS NOT NULL \
                     AND x.{column} IN ("
                ))
                .ids(values)
                .push(&format!(") AND x.id = {id} LIMIT 1)"));
            }
            IdSet::Link { table, values, .. } => {
                s.push(&format!(" AND EXISTS (SELECT 1 FROM {table} x WHERE x.customer_id = {id} AND x.item_id IN ("))
                    .ids(values)
                    .push(") LIMIT 1)");
            }
            IdSet::Live { index, condition, value, probe } => {
                let by = if *probe { format!(" INDEXED BY {index}") } else { String::new() };
                s.push(&format!(" AND EXISTS (SELECT 1 FROM customers x{by} WHERE "));
                IdSet::live_condition(condition, value, "x", s);
                s.push(&format!(" AND x.id = {id} LIMIT 1)"));
            }
        }
    }

    fn is_live(&self) -> bool {
        matches!(self, IdSet::Live { .. })
    }

    /// How many index entries the set has, counting at most `cap` (an upper bound of its size:
    /// a customer linked to several items counts several times).
    async fn estimate(&self, conn: &mut SqliteConnection, cap: i64) -> Result<i64> {
        let mut s = Sql::new("SELECT count(*) FROM (");
        match self {
            IdSet::Column { column, index, values } => {
                s.push(&format!(
                    "SELECT 1 FROM customers f INDEXED BY {index} WHERE f.{column} IS NOT NULL AND f.{column} IN ("
                ))
                .ids(values)
                .push(")");
            }
            IdSet::Link { table, index, values } => {
                s.push(&format!("SELECT 1 FROM {table} f INDEXED BY {index} WHERE f.item_id IN ("))
                    .ids(values)
                    .push(")");
            }
            IdSet::Live { index, condition, value, .. } => {
                s.push(&format!("SELECT 1 FROM customers f INDEXED BY {index} WHERE "));
                IdSet::live_condition(condition, value, "f", &mut s);
            }
        }
        s.push(" LIMIT ").arg(Arg::Int(cap)).push(")");
        fetch_one_i64(conn, s).await
    }
}

/// The filter's conditions answered by an index. For live customers, being in the pool, awaiting
/// or refused approval, and being inactive are too (each is rare, with a partial index over live
/// rows); the opposite values, and every one of these in the trash, are checked on the row.
fn id_sets(f: &CustomerFilter, live: bool, cutoff: &str) -> Vec<IdSet> {
    fn values(v: &[i64]) -> Vec<i64> {
        let mut v = v.to_vec();
        v.sort_unstable();
        v.dedup();
        v
    }
    let column = |column, index, v: &[i64]| IdSet::Column { column, index, values: values(v) };
    let link = |table, index, v: &[i64]| IdSet::Link { table, index, values: values(v) };
    let sets = [
        column("segment_id", "customers_segment", &f.segment_ids),
        column("level_id", "customers_level", &f.level_ids),
        column("status_id", "customers_status", &f.status_ids),
        column("channel_id", "customers_channel", &f.channel_ids),
        column("owner_id", "customers_owner", &f.owner_ids),
        column("service_manager_id", "customers_service_manager", &f.service_manager_ids),
        link("customer_groups", "customer_groups_item", &f.group_ids),
        link("customer_products", "customer_products_item", &f.product_ids),
    ];
    let mut sets: Vec<IdSet> = sets.into_iter().filter(|s| !s.values().is_empty()).collect();
    if live {
        sets.extend(live_sets(f, cutoff).into_iter().map(|(_, set)| set));
    }
    sets
}

/// Which of the pool, approval and active conditions a partial index over live rows answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LiveField {
    Pool,
    Approval,
    Active,
    Contact,
}

/// `cutoff`: see `contact_cutoff`.
fn live_sets(f: &CustomerFilter, cutoff: &str) -> Vec<(LiveField, IdSet)> {
    let mut out = Vec::new();
    if f.in_pool == Some(true) {
        // The pool index leads with the pooling time: a probe by id reads the row.
        out.push((
            LiveField::Pool,
            IdSet::Live {
                index: "customers_pool",
                condition: "{a}.in_pool = 1 AND {a}.deleted_at IS NULL",
                value: None,
                probe: false,
            },
        ));
    }
    if let Some(a) = f.approval.filter(|a| *a != Approval::Approved) {
        out.push((
            LiveField::Approval,
            IdSet::Live {
                index: "customers_pending",
                condition: "{a}.approval <> 'approved' AND {a}.deleted_at IS NULL AND {a}.approval = ?",
                value: Some(a.as_str().to_owned()),
                probe: true,
            },
        ));
    }
    if f.active == Some(ActiveFilter::Inactive) {
        out.push((
            LiveField::Active,
            IdSet::Live {
                index: "customers_inactive",
                condition: "{a}.active = 0 AND {a}.deleted_at IS NULL",
                value: None,
                probe: true,
            },
        ));
    }
    if f.not_contacted_days.is_some() {
        // Never contacted (null) counts as not contacted. The default list reads the index of
        // its last-contact order (one range); other lists the index over every live customer.
        let set = if matches!(f.active, None | Some(ActiveFilter::Active)) {
            IdSet::Live {
                index: "customers_live_contact",
                condition: "coalesce({a}.last_contact_at, '') < ? AND {a}.deleted_at IS NULL AND {a}.active = 1",
                value: Some(cutoff.to_owned()),
                probe: false,
            }
        } else {
            IdSet::Live {
                index: "customers_last_contact",
                condition: "({a}.last_contact_at IS NULL OR {a}.last_contact_at < ?) AND {a}.deleted_at IS NULL",
                value: Some(cutoff.to_owned()),
                probe: false,
            }
        };
        out.push((LiveField::Contact, set));
    }
    out
}

/// The instant before which a customer's last contact counts as "not contacted for `days`
/// days" (`not_contacted_days`), as stored times read (they compare as text).
pub(crate) fn contact_cutoff(filter: &CustomerFilter, now: DateTime<Utc>) -> String {
    let Some(days) = filter.not_contacted_days else { return String::new() };
    let at = now.checked_sub_signed(chrono::Duration::days(i64::from(days.min(36_500)))).unwrap_or(now);
    at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)
}

/// A day as the prefix of the stored UTC times (`2024-05-01T…`), which compare as text.
fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Where a scope's rows are read from (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Driver {
    /// The scope's own order: the live sort index, or the trash.
    Base,
    /// The ids matching the search (live only).
    Search,
    /// The ids of one filter condition: `Scope::sets[i]`.
    Set(usize),
}

/// Whether a list of live customers (`!trash`) holds active customers only: the default. The
/// trash holds everything unless asked.
fn active_only(filter: &CustomerFilter, trash: bool) -> bool {
    !trash && matches!(filter.active, None | Some(ActiveFilter::Active))
}

/// Whether the filter is the default list's: no condition but active customers.
fn plain_default(filter: &CustomerFilter) -> bool {
    matches!(filter.active, None | Some(ActiveFilter::Active))
        && CustomerFilter { active: None, ..filter.clone() }.is_empty()
}

/// Whether the filter sets no condition at all: live customers of any activity, or the trash.
fn unconditioned(filter: &CustomerFilter, trash: bool) -> bool {
    let any = if trash {
        matches!(filter.active, None | Some(ActiveFilter::All))
    } else {
        filter.active == Some(ActiveFilter::All)
    };
    any && CustomerFilter { active: None, ..filter.clone() }.is_empty()
}

/// Which customers a page, count or id list covers.
#[derive(Debug, Clone)]
struct Scope<'a> {
    trash: bool,
    plan: Option<&'a SearchPlan>,
    filter: &'a CustomerFilter,
    /// The filter's conditions answered by an index.
    sets: Vec<IdSet>,
    /// Live and active customers only (the default list): part of the base condition, which the
    /// live sort indexes answer (they hold exactly these rows).
    active_only: bool,
    /// `contact_cutoff`, computed once for the scope.
    cutoff: String,
    /// Read the trash (base driver) from its own index and sort it, rather than let SQLite walk
    /// a sort index over every customer looking for trashed ones (see `trash_index`).
    trash_index: bool,
}

impl<'a> Scope<'a> {
    fn new(trash: bool, plan: Option<&'a SearchPlan>, filter: &'a CustomerFilter) -> Scope<'a> {
        let cutoff = contact_cutoff(filter, Utc::now());
        Scope {
            trash,
            plan,
            filter,
            sets: id_sets(filter, !trash, &cutoff),
            active_only: active_only(filter, trash),
            cutoff,
            trash_index: false,
        }
    }

    /// The rows of the scope's kind: trashed, live, or (the default) live and active. Literal
    /// SQL, so that SQLite sees the partial indexes over these rows apply.
    fn base(&self) -> &'static str {
        if self.trash {
            "c.deleted_at IS NOT NULL"
        } else if self.active_only {
            "c.deleted_at IS NULL AND c.active = 1"
        } else {
            "c.deleted_at IS NULL"
        }
    }

    /// Whether `field` is answered by an index (see `live_sets`), not checked on the row.
    fn indexed(&self, field: LiveField) -> bool {
        !self.trash && live_sets(self.filter, &self.cutoff).iter().any(|(f, _)| *f == field)
    }

    /// Whether the filter has conditions that only the customer's row answers (being active,
    /// in the default list, is one: an index over the sort order holds it, not a set of ids).
    fn has_row_checks(&self) -> bool {
        self.filter_row_checks() || self.active_only
    }

    /// Whether the filter has conditions only the row answers, being active aside (which the
    /// search ids of the scope answer: see `search_ids`).
    fn filter_row_checks(&self) -> bool {
        let f = self.filter;
        f.kind.is_some()
            || f.created_from.is_some()
            || f.created_to.is_some()
            || f.email_consent.is_some()
            || (f.in_pool.is_some() && !self.indexed(LiveField::Pool))
            || (f.approval.is_some() && !self.indexed(LiveField::Approval))
            || self.active_row_check().is_some()
            || (f.not_contacted_days.is_some() && !self.indexed(LiveField::Contact))
    }

    /// Whether the scope holds live inactive customers, which the word and phone indexes do not.
    fn includes_inactive(&self) -> bool {
        !self.trash && matches!(self.filter.active, Some(ActiveFilter::Inactive | ActiveFilter::All))
    }

    /// SQL yielding the ids of the scope's customers that match the search (column `id`): the
    /// indexes' (live and active), and the inactive ones' when the scope holds them.
    fn search_ids(&self) -> Sql {
        let Some(plan) = self.plan else { return Sql::new("SELECT NULL AS id WHERE 0") };
        match self.filter.active {
            Some(ActiveFilter::Inactive) if !self.trash => plan.inactive_ids_sql(),
            Some(ActiveFilter::All) if !self.trash => {
                let mut s = plan.ids_sql();
                s.push(" UNION ").append(&plan.inactive_ids_sql());
                s
            }
            _ => plan.ids_sql(),
        }
    }

    /// The value of `active` checked on the row: in the trash, when asked.
    fn active_row_check(&self) -> Option<bool> {
        match (self.trash, self.filter.active) {
            (true, Some(ActiveFilter::Active)) => Some(true),
            (true, Some(ActiveFilter::Inactive)) => Some(false),
            _ => None,
        }
    }

    /// ` AND …` for the conditions only the row `c` answers; `active`: also that the row is
    /// active, for the default list read from where the base condition is not (the word index).
    fn row_checks(&self, s: &mut Sql, active: bool) {
        let f = self.filter;
        if active && self.active_only {
            s.push(" AND c.active = 1");
        }
        if let Some(kind) = f.kind {
            s.push(" AND c.kind = ").arg(Arg::Text(kind.as_str().to_owned()));
        }
        if let Some(from) = f.created_from {
            s.push(" AND c.created_at >= ").arg(Arg::Text(day(from)));
        }
        // The last day is included: before the start of the next (none after the last date).
        if let Some(next) = f.created_to.and_then(|d| d.succ_opt()) {
            s.push(" AND c.created_at < ").arg(Arg::Text(day(next)));
        }
        if let Some(consent) = f.email_consent {
            s.push(" AND c.email_consent = ").arg(Arg::Int(i64::from(consent)));
        }
        if let Some(pool) = f.in_pool
            && !self.indexed(LiveField::Pool)
        {
            s.push(" AND c.in_pool = ").arg(Arg::Int(i64::from(pool)));
        }
        if let Some(approval) = f.approval
            && !self.indexed(LiveField::Approval)
        {
            s.push(" AND c.approval = ").arg(Arg::Text(approval.as_str().to_owned()));
        }
        if let Some(active) = self.active_row_check() {
            s.push(" AND c.active = ").arg(Arg::Int(i64::from(active)));
        }
        if f.not_contacted_days.is_some() && !self.indexed(LiveField::Contact) {
            s.push(" AND coalesce(c.last_contact_at, '') < ").arg(Arg::Text(self.cutoff.clone()));
        }
    }

    /// ` AND …` for the row conditions and, when given, the search checked on the row (with its
    /// digit run or not), to follow `probes` index probes (`set_tests`). SQLite evaluates plain
    /// conditions before subqueries, so with probes they are wrapped in one: the row of a
    /// customer a probe rejects is then never read.
    /// `active`: see `row_checks`.
    fn row_conditions(&self, search: Option<(&SearchPlan, bool)>, probes: usize, active: bool, s: &mut Sql) {
        let mut checks = Sql::default();
        self.row_checks(&mut checks, active);
        if let Some((plan, digits)) = search {
            plan.row_check(&mut checks, digits);
        }
        if checks.text.is_empty() {
            return;
        }
        if probes > 0 {
            s.push(" AND EXISTS (SELECT 1 WHERE 1").append(&checks).push(")");
        } else {
            s.append(&checks);
        }
    }

    /// ` AND …` for every indexed condition but `skip`, on the customer id `id`.
    fn set_tests(&self, skip: Option<usize>, id: &str, s: &mut Sql) {
        for (i, set) in self.sets.iter().enumerate() {
            if Some(i) != skip {
                set.test(id, s);
            }
        }
    }

    /// `FROM … WHERE …` for every row of the scope, read from `driver` (`c` = customers).
    fn read_from(&self, driver: Driver) -> Sql {
        let mut s = Sql::default();
        let id = match driver {
            Driver::Base => {
                let by = if self.trash && self.trash_index { " INDEXED BY customers_trash" } else { "" };
                s.push(&format!("FROM customers c{by} WHERE {}", self.base()));
                "c.id"
            }
            Driver::Search => {
                s.push("FROM (").append(&self.search_ids());
                s.push(&format!(") d CROSS JOIN customers c ON c.id = d.id WHERE {}", self.base()));
                "d.id"
            }
            Driver::Set(i) => {
                s.push("FROM (");
                if let Some(set) = self.sets.get(i) {
                    s.append(&set.source());
                }
                s.push(&format!(") d CROSS JOIN customers c ON c.id = d.id WHERE {}", self.base()));
                "d.id"
            }
        };
        let skip = match driver {
            Driver::Set(i) => Some(i),
            _ => None,
        };
        self.set_tests(skip, id, &mut s);
        let probes = self.sets.len() - usize::from(skip.is_some());
        let search = self.plan.filter(|_| driver != Driver::Search).map(|p| (p, !self.trash));
        self.row_conditions(search, probes, false, &mut s);
        s
    }

    /// The smallest indexed condition and its estimate (capped at `cap`).
    async fn smallest_set(&self, conn: &mut SqliteConnection, cap: i64) -> Result<Option<(usize, i64)>> {
        let mut best: Option<(usize, i64)> = None;
        for (i, set) in self.sets.iter().enumerate() {
            let n = set.estimate(conn, cap).await?;
            if best.is_none_or(|(_, b)| n < b) {
                best = Some((i, n));
            }
        }
        Ok(best)
    }

    /// The smallest indexed condition, sized first up to `ESTIMATE_CAP`, then, when several are
    /// at least that large, up to 16 times more (for reads that take every row of the driver: a
    /// set of 100,000 beats one of 900,000).
    async fn smallest_set_sized(&self, conn: &mut SqliteConnection) -> Result<Option<(usize, i64)>> {
        let best = self.smallest_set(conn, ESTIMATE_CAP).await?;
        if self.sets.len() > 1 && best.is_some_and(|(_, n)| n >= ESTIMATE_CAP) {
            return self.smallest_set(conn, ESTIMATE_CAP * 16).await;
        }
        Ok(best)
    }

    /// An upper bound of the search's matches, capped at `cap`: words longer than the indexed
    /// prefixes are counted by their prefixes, which stream.
    async fn estimate_search(&self, conn: &mut SqliteConnection, plan: &SearchPlan, cap: i64) -> Result<i64> {
        let mut n = 0;
        if let Some(words) = plan.coarse_words().or_else(|| plan.words.clone()) {
            let mut s = Sql::new("SELECT count(*) FROM (SELECT 1 FROM customers_fts WHERE customers_fts MATCH ");
            s.arg(Arg::Text(words)).push(" LIMIT ").arg(Arg::Int(cap)).push(")");
            n += fetch_one_i64(conn, s).await?;
        }
        if let Some(d) = &plan.digits {
            let mut s = Sql::new("SELECT count(*) FROM (SELECT 1 FROM customers_digits WHERE customers_digits MATCH ");
            s.arg(Arg::Text(d.clone())).push(" LIMIT ").arg(Arg::Int(cap)).push(")");
            n += fetch_one_i64(conn, s).await?;
        }
        Ok(n.min(cap))
    }

    /// The driver to collect from: the smallest of the search's ids and the indexed conditions
    /// (or the trash). Sizes are counted up to `ESTIMATE_CAP` index entries, and further when
    /// both sides of a choice are at least that large. `stream`: a page may read the live sort
    /// order to the page instead of collecting a large set (a count or id list reads it all).
    async fn choose(&self, conn: &mut SqliteConnection, stream: bool) -> Result<Driver> {
        if self.sets.is_empty() {
            return Ok(if self.plan.is_some() && !self.trash { Driver::Search } else { Driver::Base });
        }
        let Some((mut i, mut n)) = self.smallest_set(conn, ESTIMATE_CAP).await? else { return Ok(Driver::Base) };
        let large = ESTIMATE_CAP * 16;
        if self.trash {
            let in_trash = counter(conn, "customers.trash").await?;
            if n >= ESTIMATE_CAP
                && in_trash > n
                && let Some(sized) = self.smallest_set(conn, large).await?
            {
                (i, n) = sized;
            }
            return Ok(if n < in_trash { Driver::Set(i) } else { Driver::Base });
        }
        if let Some(plan) = self.plan {
            // A long word is sized by its prefix (an upper bound).
            let mut words = self.estimate_search(conn, plan, ESTIMATE_CAP).await?;
            if words >= ESTIMATE_CAP && n >= ESTIMATE_CAP {
                words = self.estimate_search(conn, plan, large).await?;
                if let Some(sized) = self.smallest_set(conn, large).await? {
                    (i, n) = sized;
                }
            }
            return Ok(if words < n { Driver::Search } else { Driver::Set(i) });
        }
        if n < ESTIMATE_CAP {
            return Ok(Driver::Set(i));
        }
        if stream {
            return Ok(Driver::Base);
        }
        if self.sets.len() > 1
            && let Some(sized) = self.smallest_set(conn, large).await?
        {
            i = sized.0;
        }
        Ok(Driver::Set(i))
    }
}

struct Order {
    /// The sort key (`''` in creation order, which sorts by id alone).
    key: &'static str,
    by: &'static str,
    /// The same order over a projected page `p` (`p.sort_key`, `p.pid`).
    outer: &'static str,
    cmp: &'static str,
    created: bool,
}

fn order(sort: SortField, desc: bool) -> Order {
    let (key, by, outer) = match (sort, desc) {
        (SortField::Name, false) => ("c.name_key", "c.name_key ASC, c.id ASC", "p.sort_key ASC, p.pid ASC"),
        (SortField::Name, true) => ("c.name_key", "c.name_key DESC, c.id DESC", "p.sort_key DESC, p.pid DESC"),
        (SortField::Code, false) => ("c.code_key", "c.code_key ASC, c.id ASC", "p.sort_key ASC, p.pid ASC"),
        (SortField::Code, true) => ("c.code_key", "c.code_key DESC, c.id DESC", "p.sort_key DESC, p.pid DESC"),
        (SortField::Created, false) => ("''", "c.id ASC", "p.pid ASC"),
        (SortField::Created, true) => ("''", "c.id DESC", "p.pid DESC"),
        // The expression of the index `customers_live_contact`: never contacted ('') first.
        (SortField::LastContact, false) => (
            "coalesce(c.last_contact_at, '')",
            "coalesce(c.last_contact_at, '') ASC, c.id ASC",
            "p.sort_key ASC, p.pid ASC",
        ),
        (SortField::LastContact, true) => (
            "coalesce(c.last_contact_at, '')",
            "coalesce(c.last_contact_at, '') DESC, c.id DESC",
            "p.sort_key DESC, p.pid DESC",
        ),
    };
    Order { key, by, outer, cmp: if desc { "<" } else { ">" }, created: sort == SortField::Created }
}

/// ` AND (key, id) > (?, ?)` (or `<`, or `>=` for an inclusive start) for a cursor.
fn keyset(o: &Order, after: Option<&Cursor>, inclusive: bool) -> Sql {
    let mut s = Sql::default();
    let Some(c) = after else { return s };
    let cmp = if inclusive { format!("{}=", o.cmp) } else { o.cmp.to_owned() };
    if o.created {
        s.push(&format!(" AND c.id {cmp} ")).arg(Arg::Int(c.id));
    } else {
        s.push(&format!(" AND ({}, c.id) {cmp} (", o.key)).arg(Arg::Text(c.key.clone())).push(", ");
        s.arg(Arg::Int(c.id)).push(")");
    }
    s
}

/// ` AND (key, id) <= (?, ?)` (`>=` descending): up to and including `last`.
fn keyset_upto(o: &Order, last: &Cursor) -> Sql {
    let mut s = Sql::default();
    let cmp = if o.cmp == ">" { "<=" } else { ">=" };
    if o.created {
        s.push(&format!(" AND c.id {cmp} ")).arg(Arg::Int(last.id));
    } else {
        s.push(&format!(" AND ({}, c.id) {cmp} (", o.key)).arg(Arg::Text(last.key.clone())).push(", ");
        s.arg(Arg::Int(last.id)).push(")");
    }
    s
}

/// The grid rows of a page whose ids and sort keys `inner` selects (`pid`, `sort_key`, in order,
/// limited): columns are read for the page only, not for every row sorted.
fn project(inner: &Sql, o: &Order) -> Sql {
    let mut s = Sql::new(&format!("SELECT {ROW_COLUMNS}, p.sort_key FROM ("));
    s.append(inner);
    s.push(&format!(") p CROSS JOIN customers c ON c.id = p.pid {ROW_JOINS} ORDER BY {}", o.outer));
    s
}

async fn fetch(conn: &mut SqliteConnection, sql: Sql, limit: u32) -> Result<Page> {
    let q = sqlx::query_as::<_, RowRecordWithKey>(sqlx::AssertSqlSafe(sql.text));
    let raw = bind_all(q, &sql.args).fetch_all(conn).await?;
    let mut rows = Vec::with_capacity(raw.len());
    let mut keys = Vec::with_capacity(raw.len());
    for r in raw {
        keys.push(r.sort_key);
        rows.push(CustomerRow::from(r.row));
    }
    let next = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last().map(|r| Cursor { key: keys[limit as usize - 1].clone(), id: r.id })
    } else {
        None
    };
    Ok(Page { rows, next })
}

#[derive(FromRow)]
struct RowRecordWithKey {
    #[sqlx(flatten)]
    row: RowRecord,
    sort_key: String,
}

fn empty_page() -> Page {
    Page { rows: vec![], next: None }
}

/// One page of the grid, keyset-paginated. `after` continues from a page the caller has; `offset`
/// jumps (the row at the offset is found first, then the page is read by keyset).
///
/// Live pages take one of these routes, all returning the same rows:
/// - a search in name order without a filter reads the word index in rowid order (its rowids are
///   name positions) and stops at the page; words longer than the indexed 6-letter prefixes are
///   first walked on the candidates of their prefixes (`search_by_name`).
/// - otherwise, with a search or an indexed filter condition and no jump: a condition matching
///   fewer rows than the walk budget is collected at once; else the order is walked (the word
///   index in name order, the sort index otherwise) checking each row, up to the page or the
///   budget (`fts_walk`, `sort_walk`); a filtered walk that found matches at a rate that fills
///   the page within `WALK_ON` budgets walks on that far. Phone-digit searches are not walked.
/// - what no walk decided, and every jump, is collected from the smallest driver and sorted
///   (`collect`); without a search or an indexed condition the sort index is read to the page.
///
/// The trash has no word index: its pages are collected from the trash or a smaller filter set.
#[instrument(level = "debug", skip(store, actor), fields(search = %q.search))]
pub async fn list(store: &Store, actor: &Actor, q: &ListQuery) -> Result<Page> {
    let mut page = list_rows(store, q).await?;
    for row in &mut page.rows {
        mask_locked(actor, row);
    }
    Ok(page)
}

/// A locked customer shows only its code and name to staff other than its owner (managers and
/// admins see everything): the list and search reveal that it exists, not its details.
fn mask_locked(actor: &Actor, row: &mut CustomerRow) {
    if !row.locked || actor.is_manager() || row.owner_id == Some(actor.staff_id) {
        return;
    }
    row.phone = None;
    row.email = None;
    row.address = None;
    row.tax_code = None;
    row.website = None;
    row.segment_id = None;
    row.level_id = None;
    row.group_ids.clear();
    row.status_id = None;
    row.channel_id = None;
    row.service_manager_name = None;
    row.email_consent = false;
    row.photo = None;
    row.last_contact_at = None;
}

async fn list_rows(store: &Store, q: &ListQuery) -> Result<Page> {
    let limit = q.limit.clamp(1, MAX_PAGE);
    let plan = SearchPlan::new(&q.search);
    let scope = Scope::new(q.trash, plan.as_ref(), &q.filter);
    let mut conn = store.pool().acquire().await?;

    // The word index holds exactly the default list's customers (live and active).
    if !q.trash
        && q.sort == SortField::Name
        && let Some(plan) = &plan
        && plan.digits.is_none()
        && plain_default(&q.filter)
    {
        return search_by_name(&mut conn, q, &scope, plan, limit).await;
    }
    let o = order(q.sort, q.desc);
    if !q.trash && q.offset.is_none() && (plan.is_some() || !scope.sets.is_empty()) {
        // A condition that few rows meet: collect them rather than walk past the others.
        if let Some((i, n)) = scope.smallest_set(&mut conn, WALK_BUDGET).await?
            && n < WALK_BUDGET
        {
            return collect(&mut conn, &scope, Driver::Set(i), q, &o, limit).await;
        }
        if plan.as_ref().is_none_or(|p| p.digits.is_none()) {
            let take = i64::from(limit) + 1;
            let mut budget = WALK_BUDGET;
            loop {
                let walked = match &plan {
                    // The word index holds active customers only.
                    Some(plan) if q.sort == SortField::Name && !scope.includes_inactive() => {
                        fts_walk(&mut conn, &scope, plan, q, limit, budget).await?
                    }
                    _ => sort_walk(&mut conn, &scope, &o, q.after.as_ref(), limit, budget).await?,
                };
                match walked {
                    Walked::Page(page) => return Ok(page),
                    // At this rate the page fills within the longer walk (a search alone is
                    // collected from its index, as fast as the walk when matches are this rare).
                    Walked::Short(found)
                        if budget == WALK_BUDGET && found * WALK_ON >= take && !q.filter.is_empty() =>
                    {
                        budget = WALK_BUDGET * WALK_ON;
                    }
                    Walked::Short(_) => break,
                }
            }
        }
    }
    let driver = scope.choose(&mut conn, true).await?;
    let mut scope = scope;
    if q.trash && driver == Driver::Base {
        scope.trash_index = trash_index(&mut conn, limit).await?;
    }
    collect(&mut conn, &scope, driver, q, &o, limit).await
}

/// Whether a page of the trash is read faster from the trash index (sorting every trashed
/// customer) than by walking a sort index over all customers until a page of trashed ones: when
/// the trash is smaller than the rows such a walk expects to read (page × customers / trash).
async fn trash_index(conn: &mut SqliteConnection, limit: u32) -> Result<bool> {
    let trash = counter(conn, "customers.trash").await?.max(1);
    let all = trash + counter(conn, "customers.live").await?;
    Ok(trash.saturating_mul(trash) <= (i64::from(limit) + 1).saturating_mul(all))
}

/// Read the scope from `driver`, sorted: the page after the cursor, or at the offset.
async fn collect(
    conn: &mut SqliteConnection,
    scope: &Scope<'_>,
    driver: Driver,
    q: &ListQuery,
    o: &Order,
    limit: u32,
) -> Result<Page> {
    let fw = scope.read_from(driver);
    let mut after = q.after.clone();
    let mut inclusive = false;
    if after.is_none()
        && let Some(offset) = q.offset.filter(|o| *o > 0)
    {
        let mut jump = Sql::new(&format!("SELECT {} AS k, c.id ", o.key));
        jump.append(&fw).push(&format!(" ORDER BY {} LIMIT 1 OFFSET ", o.by)).arg(Arg::Int(i64::from(offset)));
        match fetch_key(conn, jump).await? {
            Some(c) => {
                after = Some(c);
                inclusive = true;
            }
            None => return Ok(empty_page()),
        }
    }
    let mut inner = Sql::new(&format!("SELECT c.id AS pid, {} AS sort_key ", o.key));
    inner.append(&fw).append(&keyset(o, after.as_ref(), inclusive));
    inner.push(&format!(" ORDER BY {} LIMIT ", o.by)).arg(Arg::Int(i64::from(limit) + 1));
    fetch(conn, project(&inner, o), limit).await
}

/// What a walk found: the page (full, or everything up to the end), or fewer matches than a page
/// within its budget.
enum Walked {
    Page(Page),
    Short(i64),
}

impl Walked {
    fn of(page: Page, exhaustive: bool) -> Walked {
        if page.next.is_some() || exhaustive { Walked::Page(page) } else { Walked::Short(page.rows.len() as i64) }
    }
}

/// Walk the live sort index from the cursor, checking each row, up to the page or `budget` rows.
async fn sort_walk(
    conn: &mut SqliteConnection,
    scope: &Scope<'_>,
    o: &Order,
    after: Option<&Cursor>,
    limit: u32,
    budget: i64,
) -> Result<Walked> {
    let ks = keyset(o, after, false);
    // The last row within the budget (read on the index alone); none: the walk reaches the end.
    let mut b = Sql::new(&format!("SELECT {} AS k, c.id FROM customers c WHERE {}", o.key, scope.base()));
    b.append(&ks).push(&format!(" ORDER BY {} LIMIT 1 OFFSET ", o.by)).arg(Arg::Int(budget - 1));
    let bound = fetch_key(conn, b).await?;

    let mut inner =
        Sql::new(&format!("SELECT c.id AS pid, {} AS sort_key FROM customers c WHERE {}", o.key, scope.base()));
    inner.append(&ks);
    if let Some(last) = &bound {
        inner.append(&keyset_upto(o, last));
    }
    scope.set_tests(None, "c.id", &mut inner);
    scope.row_conditions(scope.plan.map(|p| (p, true)), scope.sets.len(), false, &mut inner);
    inner.push(&format!(" ORDER BY {} LIMIT ", o.by)).arg(Arg::Int(i64::from(limit) + 1));
    let page = fetch(conn, project(&inner, o), limit).await?;
    Ok(Walked::of(page, bound.is_none()))
}

/// Walk the word index in name order (rowid = name position) from the cursor, checking each
/// candidate, up to the page or `budget` candidates. Words longer than the indexed prefixes are
/// walked on the candidates of their prefixes (which stream) and checked on the row.
async fn fts_walk(
    conn: &mut SqliteConnection,
    scope: &Scope<'_>,
    plan: &SearchPlan,
    q: &ListQuery,
    limit: u32,
    budget: i64,
) -> Result<Walked> {
    let (cmp, upto, dir) = if q.desc { ("<", ">=", "DESC") } else { (">", "<=", "ASC") };
    let coarse = plan.coarse_words();
    let Some(words) = coarse.clone().or_else(|| plan.words.clone()) else { return Ok(Walked::Short(0)) };
    let mut from = Sql::default();
    if let Some(c) = &q.after {
        let Some((pos, inclusive)) = cursor_position(conn, c, q.desc).await? else {
            return Ok(Walked::Page(empty_page()));
        };
        from.push(&format!(" AND customers_fts.rowid {cmp}{} ", if inclusive { "=" } else { "" })).arg(Arg::Int(pos));
    }
    let mut b = Sql::new("SELECT customers_fts.rowid FROM customers_fts WHERE customers_fts MATCH ");
    b.arg(Arg::Text(words.clone())).append(&from);
    b.push(&format!(" ORDER BY customers_fts.rowid {dir} LIMIT 1 OFFSET ")).arg(Arg::Int(budget - 1));
    let bound = fetch_optional_i64(conn, b).await?;

    let mut inner = Sql::new(
        "SELECT c.id AS pid, c.name_key AS sort_key FROM customers_fts \
         CROSS JOIN customers c ON c.name_pos = customers_fts.rowid WHERE customers_fts MATCH ",
    );
    inner.arg(Arg::Text(words)).append(&from);
    if let Some(last) = bound {
        inner.push(&format!(" AND customers_fts.rowid {upto} ")).arg(Arg::Int(last));
    }
    scope.set_tests(None, "c.id", &mut inner);
    let search = coarse.is_some().then_some((plan, true));
    scope.row_conditions(search, scope.sets.len(), false, &mut inner);
    inner.push(&format!(" ORDER BY customers_fts.rowid {dir} LIMIT ")).arg(Arg::Int(i64::from(limit) + 1));
    let page = fetch(conn, project(&inner, &order(SortField::Name, q.desc)), limit).await?;
    Ok(Walked::of(page, bound.is_none()))
}

/// The name position to continue after `cursor` (name order), and whether it is inclusive: the
/// cursor row's own position, or when that row is gone (or renamed), the first row past its key.
/// None when nothing lies past it.
async fn cursor_position(conn: &mut SqliteConnection, cursor: &Cursor, desc: bool) -> Result<Option<(i64, bool)>> {
    let own: Option<i64> =
        sqlx::query_scalar("SELECT name_pos FROM customers WHERE id = ? AND name_key = ? AND name_pos IS NOT NULL")
            .bind(cursor.id)
            .bind(&cursor.key)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(pos) = own {
        return Ok(Some((pos, false)));
    }
    let sql = if desc {
        "SELECT name_pos FROM customers WHERE (name_key, id) < (?, ?) AND name_pos IS NOT NULL \
         ORDER BY name_key DESC, id DESC LIMIT 1"
    } else {
        "SELECT name_pos FROM customers WHERE (name_key, id) > (?, ?) AND name_pos IS NOT NULL \
         ORDER BY name_key, id LIMIT 1"
    };
    let next: Option<i64> =
        sqlx::query_scalar(sql).bind(&cursor.key).bind(cursor.id).fetch_optional(&mut *conn).await?;
    Ok(next.map(|pos| (pos, true)))
}

/// A live word search in name order, without a filter: the word index's rowids are name
/// positions, so it is read in rowid order from the cursor (or from the row at the offset) and
/// stops at the page. Long words are walked on their prefixes first (`fts_walk`).
async fn search_by_name(
    conn: &mut SqliteConnection,
    q: &ListQuery,
    scope: &Scope<'_>,
    plan: &SearchPlan,
    limit: u32,
) -> Result<Page> {
    if q.offset.is_none()
        && plan.coarse_words().is_some()
        && let Walked::Page(page) = fts_walk(conn, scope, plan, q, limit, WALK_BUDGET).await?
    {
        return Ok(page);
    }
    let Some(words) = &plan.words else { return Ok(empty_page()) };
    let (cmp, dir) = if q.desc { ("<", "DESC") } else { (">", "ASC") };
    let mut cond = Sql::default();
    if let Some(c) = &q.after {
        let Some((pos, inclusive)) = cursor_position(conn, c, q.desc).await? else { return Ok(empty_page()) };
        cond.push(&format!(" AND rowid {cmp}{} ", if inclusive { "=" } else { "" })).arg(Arg::Int(pos));
    } else if let Some(offset) = q.offset.filter(|o| *o > 0) {
        let mut s = Sql::new("SELECT rowid FROM customers_fts WHERE customers_fts MATCH ");
        s.arg(Arg::Text(words.clone()));
        s.push(&format!(" ORDER BY rowid {dir} LIMIT 1 OFFSET ")).arg(Arg::Int(i64::from(offset)));
        let Some(pos) = fetch_optional_i64(conn, s).await? else { return Ok(empty_page()) };
        cond.push(&format!(" AND rowid {cmp}= ")).arg(Arg::Int(pos));
    }
    let mut inner = Sql::new(
        "SELECT c.id AS pid, c.name_key AS sort_key FROM (SELECT rowid AS pos FROM customers_fts \
         WHERE customers_fts MATCH ",
    );
    inner.arg(Arg::Text(words.clone())).append(&cond);
    inner.push(&format!(" ORDER BY rowid {dir} LIMIT ")).arg(Arg::Int(i64::from(limit) + 1));
    inner.push(&format!(") m JOIN customers c ON c.name_pos = m.pos ORDER BY m.pos {dir}"));
    fetch(conn, project(&inner, &order(SortField::Name, q.desc)), limit).await
}

/// How many customers match (live, or in the trash). Without a search or filter this is O(1);
/// a filter alone is counted on its indexes. The default list (active customers) is counted as
/// every live customer matching, less the inactive ones (few, with their own index).
#[instrument(level = "debug", skip(store, actor))]
pub async fn count(store: &Store, actor: &Actor, search: &str, filter: &CustomerFilter, trash: bool) -> Result<u64> {
    let _ = actor;
    let mut conn = store.pool().acquire().await?;
    let plan = SearchPlan::new(search);
    let n = if active_only(filter, trash) {
        let with = |active| CustomerFilter { active: Some(active), ..filter.clone() };
        match (&plan, plain_default(filter)) {
            (None, true) => {
                counter(&mut conn, "customers.live").await? - counter(&mut conn, "customers.inactive").await?
            }
            // The word and phone indexes hold exactly the default list's customers.
            (Some(plan), true) => index_count(&mut conn, plan).await?,
            (Some(_), false) => count_scoped(&mut conn, &Scope::new(false, plan.as_ref(), filter)).await?,
            (None, false) => {
                let all = count_in(&mut conn, None, &with(ActiveFilter::All), false).await?;
                if counter(&mut conn, "customers.inactive").await? == 0 {
                    all
                } else {
                    all - count_in(&mut conn, None, &with(ActiveFilter::Inactive), false).await?
                }
            }
        }
    } else {
        count_in(&mut conn, plan.as_ref(), filter, trash).await?
    };
    Ok(n.max(0) as u64)
}

/// How many customers the word and phone indexes match (live and active ones).
async fn index_count(conn: &mut SqliteConnection, plan: &SearchPlan) -> Result<i64> {
    let sql = if plan.digits.is_some() {
        let mut s = Sql::new("SELECT count(*) FROM (");
        s.append(&plan.ids_sql()).push(")");
        s
    } else {
        let mut s = Sql::new("SELECT count(*) FROM customers_fts WHERE customers_fts MATCH ");
        s.arg(Arg::Text(plan.words.clone().unwrap_or_default()));
        s
    };
    fetch_one_i64(conn, sql).await
}

/// `count` of a scope that is not the default list's.
async fn count_in(
    conn: &mut SqliteConnection,
    plan: Option<&SearchPlan>,
    filter: &CustomerFilter,
    trash: bool,
) -> Result<i64> {
    Ok(match (plan, unconditioned(filter, trash), trash) {
        (None, true, false) => counter(conn, "customers.live").await?,
        (None, true, true) => counter(conn, "customers.trash").await?,
        // Every live customer: the indexes' and the inactive ones that match.
        (Some(plan), true, false) => {
            let mut n = index_count(conn, plan).await?;
            if counter(conn, "customers.inactive").await? > 0 {
                let mut s = Sql::new("SELECT count(*) FROM (");
                s.append(&plan.inactive_ids_sql()).push(")");
                n += fetch_one_i64(conn, s).await?;
            }
            n
        }
        _ => count_scoped(conn, &Scope::new(trash, plan, filter)).await?,
    })
}

/// Count a scope with a filter (or the trash with a search).
async fn count_scoped(conn: &mut SqliteConnection, scope: &Scope<'_>) -> Result<i64> {
    if !scope.trash && scope.plan.is_none() && !scope.has_row_checks() && !scope.sets.is_empty() {
        // Indexes only: every customer in the smallest set and the others, minus the trashed ones.
        let i = if scope.sets.len() == 1 { 0 } else { scope.smallest_set_sized(conn).await?.map_or(0, |(i, _)| i) };
        let mut s = Sql::new("SELECT count(*) FROM (");
        s.append(&scope.sets[i].source()).push(") d WHERE 1");
        scope.set_tests(Some(i), "d.id", &mut s);
        let all = fetch_one_i64(conn, s).await?;
        // A set of live rows only (the pool, …) leaves no trashed row to take away.
        if scope.sets.iter().any(IdSet::is_live) || counter(conn, "customers.trash").await? == 0 {
            return Ok(all);
        }
        let trash = Scope { trash: true, ..scope.clone() };
        let driver = trash.choose(conn, false).await?;
        let mut s = Sql::new("SELECT count(*) ");
        s.append(&trash.read_from(driver));
        return Ok(all - fetch_one_i64(conn, s).await?);
    }
    let driver = scope.choose(conn, false).await?;
    let mut s = Sql::new("SELECT count(*) ");
    if driver == Driver::Search && !scope.filter_row_checks() {
        // The search's ids are all of the scope's kind (live, and active or not as asked):
        // check the filter on the indexes only.
        s.push("FROM (").append(&scope.search_ids()).push(") d WHERE 1");
        scope.set_tests(None, "d.id", &mut s);
    } else {
        s.append(&scope.read_from(driver));
    }
    fetch_one_i64(conn, s).await
}

/// Ids of every live customer matching a search and a filter, in id order (for "select all
/// matching" bulk actions).
pub(crate) async fn matching_ids(
    conn: &mut SqliteConnection,
    search: &str,
    filter: &CustomerFilter,
) -> Result<Vec<i64>> {
    let plan = SearchPlan::new(search);
    let scope = Scope::new(false, plan.as_ref(), filter);
    let driver = scope.choose(conn, false).await?;
    let mut s = Sql::new("SELECT c.id ");
    s.append(&scope.read_from(driver)).push(" ORDER BY c.id");
    let ids: Vec<(i64,)> = bind_all(sqlx::query_as(sqlx::AssertSqlSafe(s.text)), &s.args).fetch_all(conn).await?;
    Ok(ids.into_iter().map(|r| r.0).collect())
}

pub async fn stats(store: &Store) -> Result<Stats> {
    let mut conn = store.pool().acquire().await?;
    let (customers, individuals, businesses): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*), coalesce(sum(kind = 'individual'), 0), coalesce(sum(kind = 'business'), 0) \
         FROM customers WHERE deleted_at IS NULL",
    )
    .fetch_one(&mut *conn)
    .await?;
    let in_trash = counter(&mut conn, "customers.trash").await?;
    let staff: i64 = sqlx::query_scalar("SELECT count(*) FROM staff").fetch_one(&mut *conn).await?;
    let u = |n: i64| n.max(0) as u64;
    Ok(Stats {
        customers: u(customers),
        individuals: u(individuals),
        businesses: u(businesses),
        in_trash: u(in_trash),
        staff: u(staff),
    })
}
