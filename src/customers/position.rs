//! Name positions: `customers.name_pos` is a gapped order-maintenance key such that ordering by
//! it is ordering by `(name_key, id)` over every row, live and trashed. The word index
//! (`customers_fts`) is keyed by it, so a search in name order reads the index in rowid order and
//! stops at the page.
//!
//! A row without a position (`name_pos IS NULL`: just inserted, or renamed) gets one between its
//! positioned neighbours. When there is no room there, a window of positioned rows around it is
//! renumbered: the window grows until it has room, then its rows are spread evenly.

use futures_util::TryStreamExt;
use sqlx::SqliteConnection;

use crate::error::{Error, Result};

/// Distance between consecutive positions when there is nothing else to go by.
pub(crate) const GAP: i64 = 1 << 16;

/// Renumbered windows keep at least this much room between neighbours (or `n`, if smaller, for a
/// window of `n` rows), so that a run of inserts at one spot does not renumber at every step.
const MIN_STEP: i64 = 1 << 16;

/// Rows per assignment statement (bound as one JSON array).
const ASSIGN_CHUNK: usize = 10_000;

/// Give every customer a position in `(name_key, id)` order, `GAP` apart (for a table whose rows
/// have none yet, e.g. right after a bulk insert into an empty table).
pub(crate) async fn assign_all(conn: &mut SqliteConnection) -> Result<()> {
    sqlx::query(
        "UPDATE customers SET name_pos = r.pos FROM \
         (SELECT id, row_number() OVER (ORDER BY name_key, id) * ? AS pos FROM customers) AS r \
         WHERE customers.id = r.id",
    )
    .bind(GAP)
    .execute(conn)
    .await?;
    Ok(())
}

/// Position one row that has none (a new or renamed customer).
pub(crate) async fn place(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    let key: String =
        sqlx::query_scalar("SELECT name_key FROM customers WHERE id = ?").bind(id).fetch_one(&mut *conn).await?;
    place_run(conn, &[(key, id)]).await
}

/// Position every row that has none, among rows that have one (bulk insert into a non-empty
/// table). Consecutive unpositioned rows form a run, spread evenly over the room between its
/// neighbours; these assignments are written in batches. Runs without room then renumber a
/// window around each (after every other assignment is written, so that every window sees final
/// positions).
pub(crate) async fn place_unpositioned(conn: &mut SqliteConnection) -> Result<()> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT name_key, id FROM customers WHERE name_pos IS NULL ORDER BY name_key, id")
            .fetch_all(&mut *conn)
            .await?;
    let mut pending: Vec<(i64, i64)> = Vec::new();
    let mut crowded: Vec<Run> = Vec::new();
    for run in runs(conn, &rows).await? {
        match spread(run.pred, run.succ, run.end - run.start, 1) {
            Some((lo, step)) => {
                for (n, (_, id)) in rows[run.start..run.end].iter().enumerate() {
                    pending.push((*id, position_at(lo, step, n)?));
                }
            }
            None => crowded.push(run),
        }
    }
    assign(conn, &pending).await?;
    for run in crowded {
        place_run(conn, &rows[run.start..run.end]).await?;
    }
    Ok(())
}

/// Positions for rows about to be inserted, in `(name_key, id)` order (their ids are new, above
/// every existing id), among the positioned rows already there: the same spread as
/// `place_unpositioned` would give them once inserted. `None` for the rows of a run without room
/// (they go in without a position and `place_unpositioned` renumbers around them).
pub(crate) async fn plan_new<K: AsRef<str>>(
    conn: &mut SqliteConnection,
    rows: &[(K, i64)],
) -> Result<Vec<Option<i64>>> {
    let mut out = Vec::with_capacity(rows.len());
    for run in runs(conn, rows).await? {
        let n = run.end - run.start;
        match spread(run.pred, run.succ, n, 1) {
            Some((lo, step)) => {
                for i in 0..n {
                    out.push(Some(position_at(lo, step, i)?));
                }
            }
            None => out.extend(std::iter::repeat_n(None, n)),
        }
    }
    Ok(out)
}

/// Rows `start..end` of a sorted list with no positioned row between any two of them, and the
/// positions of the positioned rows just before and after them.
struct Run {
    start: usize,
    end: usize,
    pred: Option<i64>,
    succ: Option<i64>,
}

/// Split `rows` (in `(name_key, id)` order, none of them positioned) into runs between
/// positioned rows. Few rows against many positioned ones: two index lookups per run; otherwise
/// one pass over the positioned rows in order (the `customers_name_pos` index), merged with
/// `rows`.
async fn runs<K: AsRef<str>>(conn: &mut SqliteConnection, rows: &[(K, i64)]) -> Result<Vec<Run>> {
    let mut runs = Vec::new();
    if rows.is_empty() {
        return Ok(runs);
    }
    // Counters lag inside a bulk insert (its rows are counted at the end): good enough to choose.
    let existing: i64 = sqlx::query_scalar(
        "SELECT coalesce(sum(value), 0) FROM counters WHERE name IN ('customers.live', 'customers.trash')",
    )
    .fetch_one(&mut *conn)
    .await?;
    let before = |k: &(K, i64), e: &(String, i64, i64)| (k.0.as_ref(), k.1) < (e.0.as_str(), e.1);
    if existing > rows.len() as i64 * MERGE_RATIO {
        let mut i = 0;
        while i < rows.len() {
            let (key, id) = (rows[i].0.as_ref(), rows[i].1);
            let pred = neighbours(conn, key, id, false, 1).await?.first().map(|r| r.1);
            // The next positioned row: everything before it, from here, is unpositioned and adjacent.
            let succ: Option<(String, i64, i64)> = sqlx::query_as(
                "SELECT name_key, id, name_pos FROM customers WHERE (name_key, id) > (?, ?) AND name_pos IS NOT NULL \
                 ORDER BY name_key, id LIMIT 1",
            )
            .bind(key)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
            let mut j = i + 1;
            while j < rows.len() && succ.as_ref().is_none_or(|s| before(&rows[j], s)) {
                j += 1;
            }
            runs.push(Run { start: i, end: j, pred, succ: succ.map(|s| s.2) });
            i = j;
        }
        return Ok(runs);
    }
    let mut positioned = sqlx::query_as::<_, (String, i64, i64)>(
        "SELECT name_key, id, name_pos FROM customers WHERE name_pos IS NOT NULL ORDER BY name_key, id",
    )
    .fetch(&mut *conn);
    let mut pred = None;
    let mut next = positioned.try_next().await?;
    let mut i = 0;
    while i < rows.len() {
        while let Some(e) = next.as_ref().filter(|e| !before(&rows[i], e)) {
            pred = Some(e.2);
            next = positioned.try_next().await?;
        }
        let mut j = i + 1;
        while j < rows.len() && next.as_ref().is_none_or(|e| before(&rows[j], e)) {
            j += 1;
        }
        runs.push(Run { start: i, end: j, pred, succ: next.as_ref().map(|e| e.2) });
        i = j;
    }
    Ok(runs)
}

/// Above this many positioned rows per row to place, rows are placed by index lookups rather
/// than by a pass over all positioned rows.
const MERGE_RATIO: i64 = 32;

/// `n` rows spread evenly between exclusive bounds (an open end leaves `GAP` between rows): the
/// base and the step (row `i` goes to `base + step * (i + 1)`), or None when the step would be
/// less than `need` or a position would leave the i64 range.
fn spread(lo: Option<i64>, hi: Option<i64>, n: usize, need: i128) -> Option<(i128, i128)> {
    let n = n as i128;
    let gap = i128::from(GAP);
    let (lo, hi) = match (lo, hi) {
        (Some(lo), Some(hi)) => (i128::from(lo), i128::from(hi)),
        (Some(lo), None) => (i128::from(lo), i128::from(lo) + gap * (n + 1)),
        (None, Some(hi)) => (i128::from(hi) - gap * (n + 1), i128::from(hi)),
        // No row at all: a single row gets position 0.
        (None, None) => (-gap, gap * n),
    };
    let step = (hi - lo) / (n + 1);
    let in_range = lo + step >= i128::from(i64::MIN) && lo + step * n <= i128::from(i64::MAX);
    (step >= need && in_range).then_some((lo, step))
}

fn position_at(base: i128, step: i128, i: usize) -> Result<i64> {
    i64::try_from(base + step * (i as i128 + 1))
        .map_err(|_| Error::Database("customer name positions ran out of range".into()))
}

/// Write positions `(id, name_pos)`; each must be free (held by no row).
async fn assign(conn: &mut SqliteConnection, positions: &[(i64, i64)]) -> Result<()> {
    for chunk in positions.chunks(ASSIGN_CHUNK) {
        sqlx::query(
            "UPDATE customers SET name_pos = p.pos FROM \
             (SELECT value ->> 0 AS id, value ->> 1 AS pos FROM json_each(?)) AS p WHERE customers.id = p.id",
        )
        .bind(serde_json::to_string(chunk).map_err(|e| Error::Database(e.to_string()))?)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Up to `limit` positioned rows before (or after) `(key, id)`, nearest first: `(id, name_pos)`.
async fn neighbours(
    conn: &mut SqliteConnection,
    key: &str,
    id: i64,
    after: bool,
    limit: usize,
) -> Result<Vec<(i64, i64)>> {
    let sql = if after {
        "SELECT id, name_pos FROM customers WHERE (name_key, id) > (?, ?) AND name_pos IS NOT NULL \
         ORDER BY name_key, id LIMIT ?"
    } else {
        "SELECT id, name_pos FROM customers WHERE (name_key, id) < (?, ?) AND name_pos IS NOT NULL \
         ORDER BY name_key DESC, id DESC LIMIT ?"
    };
    Ok(sqlx::query_as(sql).bind(key).bind(id).bind(limit as i64).fetch_all(conn).await?)
}

/// Position `run`: unpositioned rows, in `(name_key, id)` order, with no positioned row between
/// any two of them. Tries the room between the run's neighbours first, then renumbers a growing
/// window of positioned rows on both sides.
async fn place_run(conn: &mut SqliteConnection, run: &[(String, i64)]) -> Result<()> {
    let (Some(first), Some(last)) = (run.first(), run.last()) else { return Ok(()) };
    let mut k: usize = 0;
    loop {
        // k positioned rows on each side join the window; the (k+1)-th, if any, bounds it.
        let mut before = neighbours(conn, &first.0, first.1, false, k + 1).await?;
        let mut after = neighbours(conn, &last.0, last.1, true, k + 1).await?;
        let lo = if before.len() > k { before.pop().map(|r| r.1) } else { None };
        let hi = if after.len() > k { after.pop().map(|r| r.1) } else { None };
        let n = before.len() + run.len() + after.len();
        let need = if k == 0 { 1 } else { i128::from(MIN_STEP).min(n as i128).max(2) };
        let Some((base, step)) = spread(lo, hi, n, need) else {
            if lo.is_none() && hi.is_none() {
                // The window is the whole table and still has no room.
                return Err(Error::Database("customer name positions ran out of range".into()));
            }
            k = if k == 0 { 1 } else { k * 2 };
            continue;
        };
        // The window in order: rows before (nearest first, so reversed), the run, rows after.
        let mut moves: Vec<(i64, i64)> = Vec::new();
        let mut clear: Vec<i64> = Vec::new();
        let window = before
            .iter()
            .rev()
            .map(|(id, pos)| (*id, Some(*pos)))
            .chain(run.iter().map(|(_, id)| (*id, None)))
            .chain(after.iter().map(|(id, pos)| (*id, Some(*pos))));
        for (i, (id, old)) in window.enumerate() {
            let new = position_at(base, step, i)?;
            if old == Some(new) {
                continue;
            }
            if old.is_some() {
                clear.push(id);
            }
            moves.push((id, new));
        }
        // Moved rows leave their positions first, so no assignment meets a transient duplicate.
        for chunk in clear.chunks(ASSIGN_CHUNK) {
            sqlx::query("UPDATE customers SET name_pos = NULL WHERE id IN (SELECT value FROM json_each(?))")
                .bind(serde_json::to_string(chunk).map_err(|e| Error::Database(e.to_string()))?)
                .execute(&mut *conn)
                .await?;
        }
        assign(conn, &moves).await?;
        return Ok(());
    }
}
