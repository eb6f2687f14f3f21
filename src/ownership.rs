//! Who is responsible for a customer, and who may touch it: transfer, the public pool (release,
//! claim, assign), lock, approval of new customers, activation. Every operation takes many
//! customers, checks every one with the rules in `actor` before anything changes, and writes
//! one history entry per customer in the same transaction: all or nothing.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tracing::instrument;
use ts_rs::TS;

use crate::actor::{Actor, Role};
use crate::customers::{Approval, Customer};
use crate::error::{Error, FieldError, Result};
use crate::history::FieldChange;
use crate::settings;
use crate::store::{Store, WriteTx};

/// A change of one customer's state columns: `(column, value)`; columns come from this module.
type Sets = Vec<(&'static str, Value)>;

/// Load `ids` (live customers), check each with `check`, and apply `change` (None: nothing to
/// do for that one) with a history entry `action` carrying `reason`.
async fn apply(
    w: &mut WriteTx<'_>,
    ids: &[i64],
    action: &str,
    reason: Option<&str>,
    // Send + Sync: the app's commands await these operations on a multi-threaded runtime.
    check: &(dyn Fn(&Actor, &Customer) -> Result<()> + Sync),
    change: &mut (dyn FnMut(&Customer) -> Result<Option<Sets>> + Send),
) -> Result<u64> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let actor = w.actor;
    let mut plans: Vec<(i64, Sets, Vec<FieldChange>)> = Vec::new();
    for chunk in ids.chunks(500) {
        let found = crate::customers::load_many_for_rules(w.conn(), chunk).await?;
        for id in chunk {
            let c = found
                .iter()
                .find(|c| c.id == *id && c.deleted_at.is_none())
                .ok_or_else(|| Error::CustomerNotFound(id.to_string()))?;
            check(actor, c)?;
            let Some(sets) = change(c)? else { continue };
            let before = serde_json::to_value(c).map_err(|e| Error::Database(e.to_string()))?;
            let mut changes: Vec<FieldChange> = sets
                .iter()
                .filter(|(col, v)| before.get(*col).unwrap_or(&Value::Null) != v)
                .map(|(col, v)| FieldChange {
                    field: (*col).to_owned(),
                    before: before.get(*col).cloned().unwrap_or(Value::Null),
                    after: v.clone(),
                })
                .collect();
            if changes.is_empty() {
                continue;
            }
            if let Some(r) = reason.map(str::trim).filter(|r| !r.is_empty()) {
                changes.push(FieldChange { field: "reason".into(), before: Value::Null, after: json!(r) });
            }
            plans.push((c.id, sets, changes));
        }
    }
    let now = w.now;
    for (id, sets, changes) in &plans {
        let mut qb: sqlx::QueryBuilder<sqlx::Sqlite> = sqlx::QueryBuilder::new("UPDATE customers SET updated_at = ");
        qb.push_bind(now).push(", updated_by = ").push_bind(actor.staff_id);
        for (col, v) in sets {
            qb.push(format!(", {col} = "));
            match v {
                Value::Null => qb.push_bind(Option::<String>::None),
                Value::Bool(b) => qb.push_bind(*b),
                Value::Number(n) => qb.push_bind(n.as_i64()),
                Value::String(s) => qb.push_bind(s.clone()),
                other => qb.push_bind(other.to_string()),
            };
        }
        qb.push(" WHERE id = ").push_bind(*id);
        qb.build().execute(w.conn()).await?;
        w.history("customer", *id, action, changes).await?;
    }
    Ok(plans.len() as u64)
}

fn clean_reason(reason: Option<&str>) -> Option<String> {
    reason.map(crate::text::clean_multiline).filter(|r| !r.is_empty())
}

async fn active_staff(w: &mut WriteTx<'_>, id: i64) -> Result<()> {
    let active: Option<bool> =
        sqlx::query_scalar("SELECT active FROM staff WHERE id = ?").bind(id).fetch_optional(w.conn()).await?;
    match active {
        Some(true) => Ok(()),
        Some(false) => Err(Error::Validation(vec![FieldError::new("to", "inactive").with_value(id.to_string())])),
        None => Err(Error::StaffNotFound(id.to_string())),
    }
}

/// Hand the planned care activities of customers that changed owner to the new owner `to`:
/// those assigned to the customer's previous owner, or to no one (the others were given to
/// someone on purpose and stay). `moved` holds `(customer id, previous owner)`. Set-based, one
/// history entry per activity (entity `care_activity`, action `reassign`), inside the caller's
/// transaction. Returns how many activities moved.
async fn care_follows(w: &mut WriteTx<'_>, moved: &[(i64, Option<i64>)], to: i64) -> Result<u64> {
    // The activities to move: planned, of a moved customer, assigned to its previous owner or to
    // no one, and not already the new owner's.
    const PICK: &str = "FROM care_activities a \
         JOIN (SELECT json_extract(value, '$[0]') AS cid, json_extract(value, '$[1]') AS old FROM json_each(?)) m \
           ON a.customer_id = m.cid \
         WHERE a.state = 'planned' AND (a.assignee_id IS NULL OR a.assignee_id = m.old) \
           AND a.assignee_id IS NOT ?";
    let now = w.now;
    let actor_id = w.actor.staff_id;
    let mut n = 0;
    for chunk in moved.chunks(500) {
        let chunk = serde_json::to_string(chunk).map_err(|e| Error::Database(e.to_string()))?;
        // The history first: it records the assignee before the change.
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO history (entity, entity_id, action, changes, actor_id, at) \
             SELECT 'care_activity', a.id, 'reassign', json_array(\
                json_object('field', 'assignee_id', 'before', a.assignee_id, 'after', ?)), ?, ? \
             {PICK} ORDER BY a.id"
        )))
        .bind(to)
        .bind(actor_id)
        .bind(now)
        .bind(&chunk)
        .bind(to)
        .execute(w.conn())
        .await?;
        n += sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE care_activities SET assignee_id = ?, updated_at = ?, updated_by = ? \
             WHERE id IN (SELECT a.id {PICK})"
        )))
        .bind(to)
        .bind(now)
        .bind(actor_id)
        .bind(&chunk)
        .bind(to)
        .execute(w.conn())
        .await?
        .rows_affected();
    }
    Ok(n)
}

/// Give customers to another staff member (the owner may hand over their own; managers any).
/// With `with_care`, their planned care activities follow (see [`care_follows`]) in the same
/// transaction.
#[instrument(skip(store, actor, ids))]
pub async fn transfer(
    store: &Store,
    actor: &Actor,
    ids: &[i64],
    to: i64,
    reason: Option<&str>,
    with_care: bool,
) -> Result<u64> {
    give(store, actor, ids, to, reason, with_care, "transfer").await
}

/// Transfer and assign: `to` becomes the owner of `ids`.
async fn give(
    store: &Store,
    actor: &Actor,
    ids: &[i64],
    to: i64,
    reason: Option<&str>,
    with_care: bool,
    action: &str,
) -> Result<u64> {
    let mut w = store.write(actor).await?;
    active_staff(&mut w, to).await?;
    let mut moved: Vec<(i64, Option<i64>)> = Vec::new();
    let check: &(dyn Fn(&Actor, &Customer) -> Result<()> + Sync) =
        if action == "transfer" { &|a, c| a.can_manage_customer(c) } else { &|_, _| Ok(()) };
    let n = apply(&mut w, ids, action, reason, check, &mut |c| {
        if c.owner_id != Some(to) {
            moved.push((c.id, c.owner_id));
        }
        Ok(Some(vec![("owner_id", json!(to)), ("in_pool", json!(false))]))
    })
    .await?;
    if with_care {
        care_follows(&mut w, &moved, to).await?;
    }
    w.commit().await?;
    Ok(n)
}

/// Put customers in the public pool (no owner; anyone can claim them).
#[instrument(skip(store, actor, ids))]
pub async fn release(store: &Store, actor: &Actor, ids: &[i64], reason: Option<&str>) -> Result<u64> {
    let mut w = store.write(actor).await?;
    let now = w.now;
    let n = apply(&mut w, ids, "release", reason, &|a, c| a.can_manage_customer(c), &mut |c| {
        if c.in_pool {
            return Ok(None);
        }
        if c.locked {
            return Err(Error::Locked(c.code.clone()));
        }
        Ok(Some(vec![("in_pool", json!(true)), ("owner_id", Value::Null), ("pool_since", json!(now))]))
    })
    .await?;
    w.commit().await?;
    Ok(n)
}

/// Take customers from the pool: the actor becomes their owner, within their claim limit.
#[instrument(skip(store, actor, ids))]
pub async fn claim(store: &Store, actor: &Actor, ids: &[i64]) -> Result<u64> {
    let mut w = store.write(actor).await?;
    let now = w.now;
    let limit: Option<i64> = sqlx::query_scalar("SELECT claim_limit FROM staff WHERE id = ?")
        .bind(actor.staff_id)
        .fetch_one(w.conn())
        .await?;
    let n = apply(
        &mut w,
        ids,
        "claim",
        None,
        &|_, c| {
            if c.in_pool { Ok(()) } else { Err(Error::PermissionDenied(format!("{} is not in the pool", c.code))) }
        },
        &mut |_| {
            Ok(Some(vec![("in_pool", json!(false)), ("owner_id", json!(actor.staff_id)), ("claimed_at", json!(now))]))
        },
    )
    .await?;
    if let Some(limit) = limit {
        let held: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM customers WHERE owner_id = ? AND claimed_at IS NOT NULL AND deleted_at IS NULL",
        )
        .bind(actor.staff_id)
        .fetch_one(w.conn())
        .await?;
        if held > limit {
            return Err(Error::PermissionDenied(format!(
                "you can hold at most {limit} customers claimed from the pool"
            )));
        }
    }
    w.commit().await?;
    Ok(n)
}

/// Managers: give customers (from the pool or anyone's) to a staff member.
#[instrument(skip(store, actor, ids))]
/// With `with_care`, their planned care activities follow as with [`transfer`].
pub async fn assign(
    store: &Store,
    actor: &Actor,
    ids: &[i64],
    to: i64,
    reason: Option<&str>,
    with_care: bool,
) -> Result<u64> {
    actor.can_approve()?;
    give(store, actor, ids, to, reason, with_care, "assign").await
}

/// Lock or unlock customers (their owner or a manager).
#[instrument(skip(store, actor, ids))]
pub async fn set_locked(store: &Store, actor: &Actor, ids: &[i64], locked: bool) -> Result<u64> {
    let mut w = store.write(actor).await?;
    let action = if locked { "lock" } else { "unlock" };
    let n = apply(&mut w, ids, action, None, &|a, c| a.can_manage_customer(c), &mut |c| {
        if locked && c.in_pool {
            return Err(Error::InvalidArgument(format!("{} is in the pool; claim it first", c.code)));
        }
        Ok(Some(vec![("locked", json!(locked))]))
    })
    .await?;
    w.commit().await?;
    Ok(n)
}

/// Activate or deactivate customers (their owner or a manager).
#[instrument(skip(store, actor, ids))]
pub async fn set_active(store: &Store, actor: &Actor, ids: &[i64], active: bool) -> Result<u64> {
    let mut w = store.write(actor).await?;
    let action = if active { "activate" } else { "deactivate" };
    let n = apply(&mut w, ids, action, None, &|a, c| a.can_manage_customer(c), &mut |_| {
        Ok(Some(vec![("active", json!(active))]))
    })
    .await?;
    w.commit().await?;
    Ok(n)
}

/// Managers: approve pending customers.
#[instrument(skip(store, actor, ids))]
pub async fn approve(store: &Store, actor: &Actor, ids: &[i64]) -> Result<u64> {
    actor.can_approve()?;
    let mut w = store.write(actor).await?;
    let n = apply(&mut w, ids, "approve", None, &|_, _| Ok(()), &mut |c| {
        if c.approval == Approval::Approved {
            return Ok(None);
        }
        Ok(Some(vec![("approval", json!("approved")), ("approval_reason", Value::Null)]))
    })
    .await?;
    w.commit().await?;
    Ok(n)
}

/// Managers: reject pending customers with a reason; they return to their creator.
#[instrument(skip(store, actor, ids))]
pub async fn reject(store: &Store, actor: &Actor, ids: &[i64], reason: &str) -> Result<u64> {
    actor.can_approve()?;
    let Some(reason) = clean_reason(Some(reason)) else {
        return Err(Error::Validation(vec![FieldError::new("reason", "required")]));
    };
    let mut w = store.write(actor).await?;
    let n = apply(&mut w, ids, "reject", None, &|_, _| Ok(()), &mut |c| {
        if c.approval != Approval::Pending {
            return Err(Error::InvalidArgument(format!("{} is not awaiting approval", c.code)));
        }
        Ok(Some(vec![("approval", json!("rejected")), ("approval_reason", json!(reason))]))
    })
    .await?;
    w.commit().await?;
    Ok(n)
}

/// The creator sends a rejected customer (fixed) back for approval.
#[instrument(skip(store, actor))]
pub async fn resubmit(store: &Store, actor: &Actor, id: i64) -> Result<u64> {
    let mut w = store.write(actor).await?;
    let n = apply(&mut w, &[id], "resubmit", None, &|a, c| a.can_edit(c), &mut |c| {
        if c.approval != Approval::Rejected {
            return Err(Error::InvalidArgument(format!("{} was not rejected", c.code)));
        }
        Ok(Some(vec![("approval", json!("pending"))]))
    })
    .await?;
    w.commit().await?;
    Ok(n)
}

const APPROVAL_KEY: &str = "customers.approval_required";

/// Whether customers created by staff-role members wait for a manager's approval.
pub async fn approval_required(store: &Store) -> Result<bool> {
    let mut conn = store.pool().acquire().await?;
    approval_required_in(&mut conn).await
}

pub(crate) async fn approval_required_in(conn: &mut sqlx::SqliteConnection) -> Result<bool> {
    Ok(settings::get(conn, APPROVAL_KEY).await?.as_deref() == Some("true"))
}

/// Whether a customer created now by `actor` starts as pending.
pub(crate) async fn starts_pending(conn: &mut sqlx::SqliteConnection, actor: &Actor) -> Result<bool> {
    Ok(actor.role == Role::Staff && approval_required_in(conn).await?)
}

pub async fn set_approval_required(store: &Store, actor: &Actor, on: bool) -> Result<()> {
    actor.can_manage_settings()?;
    let mut w = store.write(actor).await?;
    let before = approval_required_in(w.conn()).await?;
    settings::put(w.conn(), APPROVAL_KEY, if on { "true" } else { "false" }).await?;
    if before != on {
        w.history(
            "settings",
            0,
            "update",
            &[FieldChange { field: "approval_required".into(), before: json!(before), after: json!(on) }],
        )
        .await?;
    }
    w.commit().await
}

/// An optional limit on the customers a staff member holds from the pool (admins).
pub async fn set_claim_limit(store: &Store, actor: &Actor, staff_id: i64, limit: Option<u32>) -> Result<()> {
    actor.can_manage_staff()?;
    let mut w = store.write(actor).await?;
    let before: Option<Option<i64>> = sqlx::query_scalar("SELECT claim_limit FROM staff WHERE id = ?")
        .bind(staff_id)
        .fetch_optional(w.conn())
        .await?;
    let n = sqlx::query("UPDATE staff SET claim_limit = ? WHERE id = ?")
        .bind(limit.map(i64::from))
        .bind(staff_id)
        .execute(w.conn())
        .await?
        .rows_affected();
    if n == 0 {
        return Err(Error::StaffNotFound(staff_id.to_string()));
    }
    w.history(
        "staff",
        staff_id,
        "update",
        &[FieldChange { field: "claim_limit".into(), before: json!(before.flatten()), after: json!(limit) }],
    )
    .await?;
    w.commit().await
}

const POOL_RETURN_KEY: &str = "pool.return_days";

/// The most days a pool-return rule may wait.
pub const MAX_POOL_RETURN_DAYS: u32 = 3650;

/// The automatic pool return: customers with no done care activity for this many days go back
/// to the pool. None: off (the default).
pub async fn pool_return_days(store: &Store) -> Result<Option<u32>> {
    let mut conn = store.pool().acquire().await?;
    pool_return_days_in(&mut conn).await
}

async fn pool_return_days_in(conn: &mut sqlx::SqliteConnection) -> Result<Option<u32>> {
    Ok(settings::get(conn, POOL_RETURN_KEY).await?.and_then(|v| v.parse::<u32>().ok()).filter(|d| *d > 0))
}

/// Administrators: turn the automatic pool return on (after `days` days, 1 to 3650) or off.
pub async fn set_pool_return_days(store: &Store, actor: &Actor, days: Option<u32>) -> Result<()> {
    actor.can_manage_settings()?;
    if let Some(d) = days
        && !(1..=MAX_POOL_RETURN_DAYS).contains(&d)
    {
        return Err(Error::Validation(vec![FieldError::new("days", "out_of_range").with_value(d.to_string())]));
    }
    let mut w = store.write(actor).await?;
    let before = pool_return_days_in(w.conn()).await?;
    match days {
        Some(d) => settings::put(w.conn(), POOL_RETURN_KEY, &d.to_string()).await?,
        None => {
            sqlx::query("DELETE FROM settings WHERE key = ?").bind(POOL_RETURN_KEY).execute(w.conn()).await?;
        }
    }
    if before != days {
        w.history(
            "settings",
            0,
            "update",
            &[FieldChange { field: "pool_return_days".into(), before: json!(before), after: json!(days) }],
        )
        .await?;
    }
    w.commit().await
}

/// Customers the automatic return takes (`?` = the cut-off instant): live, active, owned,
/// approved and unlocked (a locked customer is never put where everyone sees it; a pending one
/// is its creator's until a manager decides), with nothing since the cut-off: no done care
/// activity, and neither claimed nor created. (The latest of the three, not the first known: a
/// customer claimed yesterday after an old contact has had one day, not years.)
const RETURN_RULE: &str = "deleted_at IS NULL AND active = 1 AND in_pool = 0 AND owner_id IS NOT NULL \
     AND locked = 0 AND approval = 'approved' \
     AND max(coalesce(last_contact_at, ''), coalesce(claimed_at, ''), created_at) < ?";

/// Ids per statement of the automatic return.
const RETURN_CHUNK: usize = 5_000;

/// Return to the pool every customer the pool-return rule (if on) takes at `now`, with one
/// history entry each (action `pool.auto_return`, no actor: the application does it). Set-based:
/// the candidates are read first, then, in one write transaction, checked again by the same rule
/// and moved with their history. Running it again at the same `now` changes nothing.
#[instrument(skip(store))]
pub async fn auto_return(store: &Store, now: DateTime<Utc>) -> Result<u64> {
    let Some(days) = pool_return_days(store).await? else { return Ok(0) };
    let cutoff = now - chrono::Duration::days(i64::from(days));
    let ids: Vec<i64> =
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT id FROM customers WHERE {RETURN_RULE}")))
            .bind(cutoff)
            .fetch_all(store.pool())
            .await?;
    if ids.is_empty() {
        return Ok(0);
    }
    // `pool_since` as `release` stores it (the JSON text of the time).
    let since = match serde_json::to_value(now).map_err(|e| Error::Database(e.to_string()))? {
        Value::String(s) => s,
        other => other.to_string(),
    };
    let mut tx = store.pool().begin_with("BEGIN IMMEDIATE").await?;
    let mut moved = 0;
    for chunk in ids.chunks(RETURN_CHUNK) {
        let chunk = serde_json::to_string(chunk).map_err(|e| Error::Database(e.to_string()))?;
        // The history first: it records the owner before the change.
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO history (entity, entity_id, action, changes, actor_id, at) \
             SELECT 'customer', id, 'pool.auto_return', json_array( \
                 json_object('field', 'in_pool', 'before', json('false'), 'after', json('true')), \
                 json_object('field', 'owner_id', 'before', owner_id, 'after', NULL), \
                 json_object('field', 'pool_since', 'before', NULL, 'after', ?), \
                 json_object('field', 'pool_return_days', 'before', NULL, 'after', ?)), NULL, ? \
             FROM customers WHERE id IN (SELECT value FROM json_each(?)) AND {RETURN_RULE} ORDER BY id"
        )))
        .bind(&since)
        .bind(i64::from(days))
        .bind(now)
        .bind(&chunk)
        .bind(cutoff)
        .execute(&mut *tx)
        .await?;
        let n = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE customers SET in_pool = 1, owner_id = NULL, pool_since = ?, updated_at = ?, updated_by = NULL \
             WHERE id IN (SELECT value FROM json_each(?)) AND {RETURN_RULE}"
        )))
        .bind(&since)
        .bind(now)
        .bind(&chunk)
        .bind(cutoff)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        moved += n;
    }
    tx.commit().await?;
    Ok(moved)
}

/// Counts for the navigation badges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OwnershipCounts {
    #[ts(type = "number")]
    pub pool: u64,
    /// Pending customers a manager can approve (for staff: their own pending and rejected ones).
    #[ts(type = "number")]
    pub pending: u64,
}

pub async fn counts(store: &Store, actor: &Actor) -> Result<OwnershipCounts> {
    let mut conn = store.pool().acquire().await?;
    // As the Pool and Pending views list them: active customers only.
    let pool: i64 =
        sqlx::query_scalar("SELECT count(*) FROM customers WHERE in_pool = 1 AND deleted_at IS NULL AND active = 1")
            .fetch_one(&mut *conn)
            .await?;
    let pending: i64 = if actor.is_manager() {
        sqlx::query_scalar(
            "SELECT count(*) FROM customers WHERE approval = 'pending' AND deleted_at IS NULL AND active = 1",
        )
        .fetch_one(&mut *conn)
        .await?
    } else {
        sqlx::query_scalar(
            "SELECT count(*) FROM customers WHERE approval <> 'approved' AND created_by = ? AND deleted_at IS NULL \
             AND active = 1",
        )
        .bind(actor.staff_id)
        .fetch_one(&mut *conn)
        .await?
    };
    Ok(OwnershipCounts { pool: pool.max(0) as u64, pending: pending.max(0) as u64 })
}
