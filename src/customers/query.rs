//! Reading customers: one, a page (keyset or jump), search, counts.

use chrono::{DateTime, Utc};
use sqlx::{FromRow, SqliteConnection};
use tracing::instrument;

use super::MAX_PAGE;
use super::types::*;
use crate::actor::Actor;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::text;

pub(crate) use super::load::{load, load_many};

const ROW_COLUMNS: &str = "c.id, c.code, c.kind, c.name, json_extract(c.phones, '$[0]') AS phone, \
     json_extract(c.emails, '$[0]') AS email, s.name AS owner_name, c.created_at, c.deleted_at, c.owner_id, \
     c.address, c.tax_code, c.website, c.segment_id, c.level_id, \
     (SELECT json_group_array(g.item_id) FROM customer_groups g WHERE g.customer_id = c.id) AS group_ids, \
     c.status_id, c.channel_id, (SELECT m.name FROM staff m WHERE m.id = c.service_manager_id) AS service_manager_name, \
     c.email_consent, c.photo, c.updated_at";

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
    /// Folded tokens (for the trash, which has no index).
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

    /// SQL yielding the matching live customer ids, with its bind values. The word index is keyed
    /// by name position, so its rowids are mapped to ids.
    fn ids_sql(&self) -> (String, Vec<String>) {
        let mut parts = Vec::new();
        let mut binds = Vec::new();
        if let Some(w) = &self.words {
            parts.push(
                "SELECT id FROM customers WHERE name_pos IN \
                 (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?)",
            );
            binds.push(w.clone());
        }
        if let Some(d) = &self.digits {
            parts.push("SELECT rowid FROM customers_digits WHERE customers_digits MATCH ?");
            binds.push(d.clone());
        }
        (parts.join(" UNION "), binds)
    }

    /// A filter on `c` (customers) for the matching live customers, with its bind values. Each
    /// index maps to rows through its own key (SQLite reads both with a multi-index OR).
    pub(crate) fn filter_sql(&self) -> (String, Vec<String>) {
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
        (format!("({})", parts.join(" OR ")), binds)
    }

    /// The words with every token cut to the longest prefix the word index keeps (3 characters),
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

/// The longest token prefix `customers_fts` indexes (`prefix = '2 3'`). A longer prefix query
/// (`"nguyen"*`) merges every matching doclist before it yields its first row: O(matches).
const INDEXED_PREFIX: usize = 3;

/// Rows a search reads in order, checking each row's `search_text`, before it gives up and asks
/// the word index for the exact matches instead: rows of the sort index (creation and code order),
/// or candidates of the 3-letter prefixes of long words (name order). Broad searches fill a page
/// within a few hundred rows this way; narrow ones fall back to the index.
const WALK_BUDGET: i64 = 3_000;

#[derive(Debug, Clone)]
enum Arg {
    Text(String),
    Int(i64),
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

fn like_token(t: &str) -> String {
    // Tokens are letters and digits only; escape anyway so no token can act as a wildcard.
    format!("% {}%", t.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))
}

/// `search_text` holds tokens joined by spaces: a token prefix matches after a space.
fn like_filter(tokens: &[String], args: &mut Vec<Arg>) -> String {
    let mut sql = String::new();
    for t in tokens {
        sql.push_str(" AND (' ' || c.search_text) LIKE ? ESCAPE '\\'");
        args.push(Arg::Text(like_token(t)));
    }
    sql
}

struct Order {
    key: &'static str,
    by: &'static str,
    cmp: &'static str,
    created: bool,
}

fn order(sort: SortField, desc: bool) -> Order {
    let (key, by) = match (sort, desc) {
        (SortField::Name, false) => ("c.name_key", "c.name_key ASC, c.id ASC"),
        (SortField::Name, true) => ("c.name_key", "c.name_key DESC, c.id DESC"),
        (SortField::Code, false) => ("c.code_key", "c.code_key ASC, c.id ASC"),
        (SortField::Code, true) => ("c.code_key", "c.code_key DESC, c.id DESC"),
        (SortField::Created, false) => ("''", "c.id ASC"),
        (SortField::Created, true) => ("''", "c.id DESC"),
    };
    Order { key, by, cmp: if desc { "<" } else { ">" }, created: sort == SortField::Created }
}

/// `AND (key, id) > (?, ?)` (or `<`, or `>=` for an inclusive start) for a cursor.
fn keyset(o: &Order, after: Option<&Cursor>, inclusive: bool, args: &mut Vec<Arg>) -> String {
    let Some(c) = after else { return String::new() };
    let cmp = if inclusive { format!("{}=", o.cmp) } else { o.cmp.to_owned() };
    if o.created {
        args.push(Arg::Int(c.id));
        format!(" AND c.id {cmp} ?")
    } else {
        args.push(Arg::Text(c.key.clone()));
        args.push(Arg::Int(c.id));
        format!(" AND ({}, c.id) {cmp} (?, ?)", o.key)
    }
}

async fn fetch(conn: &mut SqliteConnection, sql: String, args: &[Arg], limit: u32) -> Result<Page> {
    let q = sqlx::query_as::<_, RowRecordWithKey>(sqlx::AssertSqlSafe(sql));
    let raw = bind_all(q, args).fetch_all(conn).await?;
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

/// One page of the grid, keyset-paginated. `after` continues from a page the caller has; `offset`
/// jumps (the row at the offset is found on the index, then the page is read by keyset).
///
/// Searches over live customers take one of three routes, all returning the same rows:
/// name order reads the word index in rowid order (its rowids are name positions) and stops at the
/// page (words longer than the indexed 3-letter prefixes are checked row by row on the candidates
/// of their prefixes first, see `search_by_name`); creation and code order first walk the sort index checking each row (fast when matches
/// are common), then fall back to collecting the matches from the index and sorting them (fast
/// when they are few). Phone-digit searches always collect and sort.
#[instrument(level = "debug", skip(store, actor), fields(search = %q.search))]
pub async fn list(store: &Store, actor: &Actor, q: &ListQuery) -> Result<Page> {
    let _ = actor;
    let limit = q.limit.clamp(1, MAX_PAGE);
    let plan = SearchPlan::new(&q.search);
    let o = order(q.sort, q.desc);
    let mut conn = store.pool().acquire().await?;
    let take = i64::from(limit) + 1;
    let select = format!("SELECT {ROW_COLUMNS}, {} AS sort_key", o.key);
    let owner_join = "LEFT JOIN staff s ON s.id = c.owner_id";

    if !q.trash
        && let Some(plan) = &plan
        && plan.digits.is_none()
        && let Some(words) = &plan.words
        && q.sort == SortField::Name
    {
        return search_by_name(&mut conn, q, plan, words, limit, &select, owner_join).await;
    }
    if !q.trash
        && q.offset.is_none()
        && let Some(plan) = &plan
        && plan.digits.is_none()
    {
        // Walk the sort index within a budget.
        let mut args = Vec::new();
        let ks = keyset(&o, q.after.as_ref(), false, &mut args);
        args.push(Arg::Int(WALK_BUDGET));
        let likes = like_filter(&plan.tokens, &mut args);
        args.push(Arg::Int(take));
        let sql = format!(
            "{select} FROM (SELECT * FROM customers c WHERE c.deleted_at IS NULL{ks} ORDER BY {by} LIMIT ?) c \
             {owner_join} WHERE 1{likes} ORDER BY {by} LIMIT ?",
            by = o.by
        );
        let page = fetch(&mut conn, sql, &args, limit).await?;
        if page.next.is_some() {
            return Ok(page);
        }
        // Fewer matches than a page within the budget: collect them from the index.
    }

    let mut args = Vec::new();
    let mut filter = String::new();
    if q.trash {
        filter.push_str("c.deleted_at IS NOT NULL");
        if let Some(plan) = &plan {
            filter.push_str(&like_filter(&plan.tokens, &mut args));
        }
    } else {
        filter.push_str("c.deleted_at IS NULL");
        if let Some(plan) = &plan {
            let (matching, binds) = plan.filter_sql();
            filter.push_str(&format!(" AND {matching}"));
            args.extend(binds.into_iter().map(Arg::Text));
        }
    }

    // Resolve a jump to the row at `offset`, then read from it inclusively.
    let mut after = q.after.clone();
    let mut inclusive = false;
    if after.is_none()
        && let Some(offset) = q.offset.filter(|o| *o > 0)
    {
        let sql =
            format!("SELECT {} AS k, c.id FROM customers c WHERE {filter} ORDER BY {} LIMIT 1 OFFSET ?", o.key, o.by);
        let mut jump_args = args.clone();
        jump_args.push(Arg::Int(i64::from(offset)));
        let found = bind_all(sqlx::query_as::<_, (String, i64)>(sqlx::AssertSqlSafe(sql)), &jump_args)
            .fetch_optional(&mut *conn)
            .await?;
        match found {
            Some((key, id)) => {
                after = Some(Cursor { key, id });
                inclusive = true;
            }
            None => return Ok(Page { rows: vec![], next: None }),
        }
    }
    let ks = keyset(&o, after.as_ref(), inclusive, &mut args);
    args.push(Arg::Int(take));
    let sql = format!("{select} FROM customers c {owner_join} WHERE {filter}{ks} ORDER BY {} LIMIT ?", o.by);
    fetch(&mut conn, sql, &args, limit).await
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

/// A live word search in name order: the word index's rowids are name positions, so it is read in
/// rowid order from the cursor (or from the row at the offset) and stops at the page.
async fn search_by_name(
    conn: &mut SqliteConnection,
    q: &ListQuery,
    plan: &SearchPlan,
    words: &str,
    limit: u32,
    select: &str,
    owner_join: &str,
) -> Result<Page> {
    let (cmp, dir) = if q.desc { ("<", "DESC") } else { (">", "ASC") };
    let empty = Page { rows: vec![], next: None };
    let mut args = vec![Arg::Text(words.to_owned())];
    let mut cond = String::new();
    if let Some(c) = &q.after {
        let Some((pos, inclusive)) = cursor_position(conn, c, q.desc).await? else { return Ok(empty) };
        cond = format!(" AND rowid {cmp}{} ?", if inclusive { "=" } else { "" });
        args.push(Arg::Int(pos));
    } else if let Some(offset) = q.offset.filter(|o| *o > 0) {
        let sql = format!(
            "SELECT rowid FROM customers_fts WHERE customers_fts MATCH ? ORDER BY rowid {dir} LIMIT 1 OFFSET ?"
        );
        let start: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(words)
            .bind(i64::from(offset))
            .fetch_optional(&mut *conn)
            .await?;
        let Some(pos) = start else { return Ok(empty) };
        cond = format!(" AND rowid {cmp}= ?");
        args.push(Arg::Int(pos));
    }
    let take = i64::from(limit) + 1;
    // Long tokens: walk the candidates of their 3-character prefixes (streamed from the prefix
    // index, in name order) checking each row, within a budget.
    if q.offset.is_none()
        && let Some(coarse) = plan.coarse_words()
    {
        let mut wargs = args.clone();
        wargs[0] = Arg::Text(coarse.clone());
        wargs.push(Arg::Int(WALK_BUDGET));
        let likes = like_filter(&plan.tokens, &mut wargs);
        wargs.push(Arg::Int(take));
        let sql = format!(
            "{select} FROM (SELECT rowid AS pos FROM customers_fts WHERE customers_fts MATCH ?{cond} \
             ORDER BY rowid {dir} LIMIT ?) m JOIN customers c ON c.name_pos = m.pos {owner_join} \
             WHERE 1{likes} ORDER BY m.pos {dir} LIMIT ?"
        );
        let page = fetch(conn, sql, &wargs, limit).await?;
        if page.next.is_some() {
            return Ok(page);
        }
        // Fewer than a page: if the walk saw every candidate, that is all there is.
        let mut cargs = args.clone();
        cargs[0] = Arg::Text(coarse);
        cargs.push(Arg::Int(WALK_BUDGET));
        let sql =
            format!("SELECT count(*) FROM (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?{cond} LIMIT ?)");
        let (seen,): (i64,) = bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &cargs).fetch_one(&mut *conn).await?;
        if seen < WALK_BUDGET {
            return Ok(page);
        }
    }
    args.push(Arg::Int(take));
    let sql = format!(
        "{select} FROM (SELECT rowid AS pos FROM customers_fts WHERE customers_fts MATCH ?{cond} \
         ORDER BY rowid {dir} LIMIT ?) m JOIN customers c ON c.name_pos = m.pos {owner_join} ORDER BY m.pos {dir}"
    );
    fetch(conn, sql, &args, limit).await
}

/// How many customers match (live, or in the trash). Without a search this is O(1).
#[instrument(level = "debug", skip(store, actor))]
pub async fn count(store: &Store, actor: &Actor, search: &str, trash: bool) -> Result<u64> {
    let _ = actor;
    let mut conn = store.pool().acquire().await?;
    let plan = SearchPlan::new(search);
    let n: i64 = match (plan, trash) {
        (None, false) => {
            sqlx::query_scalar("SELECT value FROM counters WHERE name = 'customers.live'").fetch_one(&mut *conn).await?
        }
        (None, true) => {
            sqlx::query_scalar("SELECT value FROM counters WHERE name = 'customers.trash'")
                .fetch_one(&mut *conn)
                .await?
        }
        (Some(plan), false) => {
            let (ids, binds) = plan.ids_sql();
            let sql = if plan.digits.is_some() {
                format!("SELECT count(*) FROM ({ids})")
            } else {
                "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH ?".to_owned()
            };
            let mut qq = sqlx::query_scalar(sqlx::AssertSqlSafe(sql));
            for b in &binds {
                qq = qq.bind(b);
            }
            qq.fetch_one(&mut *conn).await?
        }
        (Some(plan), true) => {
            let mut args = Vec::new();
            let sql = format!(
                "SELECT count(*) FROM customers c WHERE c.deleted_at IS NOT NULL{}",
                like_filter(&plan.tokens, &mut args)
            );
            let row: (i64,) = bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &args).fetch_one(&mut *conn).await?;
            row.0
        }
    };
    Ok(n.max(0) as u64)
}

/// Ids of every live customer matching a search (for "select all matching" bulk actions).
pub(crate) async fn matching_ids(
    conn: &mut SqliteConnection,
    search: &str,
    _filter: &CustomerFilter,
) -> Result<Vec<i64>> {
    match SearchPlan::new(search) {
        None => Ok(sqlx::query_scalar("SELECT id FROM customers WHERE deleted_at IS NULL ORDER BY id")
            .fetch_all(conn)
            .await?),
        Some(plan) => {
            let (ids, binds) = plan.ids_sql();
            let sql = format!("SELECT id FROM customers WHERE deleted_at IS NULL AND id IN ({ids}) ORDER BY id");
            let mut qq = sqlx::query_scalar(sqlx::AssertSqlSafe(sql));
            for b in &binds {
                qq = qq.bind(b);
            }
            Ok(qq.fetch_all(conn).await?)
        }
    }
}

pub async fn stats(store: &Store) -> Result<Stats> {
    let mut conn = store.pool().acquire().await?;
    let (customers, individuals, businesses): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*), coalesce(sum(kind = 'individual'), 0), coalesce(sum(kind = 'business'), 0) \
         FROM customers WHERE deleted_at IS NULL",
    )
    .fetch_one(&mut *conn)
    .await?;
    let in_trash: i64 =
        sqlx::query_scalar("SELECT value FROM counters WHERE name = 'customers.trash'").fetch_one(&mut *conn).await?;
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
