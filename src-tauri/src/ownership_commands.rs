//! Ownership commands: transfer, the public pool (release, claim, assign), lock, activation,
//! approval of new customers, and the settings behind them. One thin adapter per core operation
//! in `clientele::ownership`; every rule (who may do what to which customer) lives there.
//! Operations on customers take ids and return how many customers changed.

use clientele::Result;
use clientele::ownership::{self, OwnershipCounts};

use crate::state::AppState;

type S<'a> = tauri::State<'a, AppState>;

/// Give customers to another staff member (their owner, or a manager); with `with_care`
/// (`withCare` from the UI) their planned care activities follow.
#[tauri::command]
pub async fn transfer_customers(
    state: S<'_>,
    ids: Vec<i64>,
    to: i64,
    reason: Option<String>,
    with_care: bool,
) -> Result<u64> {
    let actor = state.actor().await?;
    ownership::transfer(&state.store, &actor, &ids, to, reason.as_deref(), with_care).await
}

/// Put customers in the public pool.
#[tauri::command]
pub async fn release_customers(state: S<'_>, ids: Vec<i64>, reason: Option<String>) -> Result<u64> {
    let actor = state.actor().await?;
    ownership::release(&state.store, &actor, &ids, reason.as_deref()).await
}

/// Take customers from the pool: the signed-in staff member becomes their owner.
#[tauri::command]
pub async fn claim_customers(state: S<'_>, ids: Vec<i64>) -> Result<u64> {
    let actor = state.actor().await?;
    ownership::claim(&state.store, &actor, &ids).await
}

/// Managers: give customers (from the pool or anyone's) to a staff member; with `with_care`
/// their planned care activities follow.
#[tauri::command]
pub async fn assign_customers(
    state: S<'_>,
    ids: Vec<i64>,
    to: i64,
    reason: Option<String>,
    with_care: bool,
) -> Result<u64> {
    let actor = state.actor().await?;
    ownership::assign(&state.store, &actor, &ids, to, reason.as_deref(), with_care).await
}

#[tauri::command]
pub async fn set_customers_locked(state: S<'_>, ids: Vec<i64>, locked: bool) -> Result<u64> {
    let actor = state.actor().await?;
    ownership::set_locked(&state.store, &actor, &ids, locked).await
}

#[tauri::command]
pub async fn set_customers_active(state: S<'_>, ids: Vec<i64>, active: bool) -> Result<u64> {
    let actor = state.actor().await?;
    ownership::set_active(&state.store, &actor, &ids, active).await
}

/// Managers: approve customers awaiting approval.
#[tauri::command]
pub async fn approve_customers(state: S<'_>, ids: Vec<i64>) -> Result<u64> {
    let actor = state.actor().await?;
    ownership::approve(&state.store, &actor, &ids).await
}

/// Managers: reject customers awaiting approval; the reason is required.
#[tauri::command]
pub async fn reject_customers(state: S<'_>, ids: Vec<i64>, reason: String) -> Result<u64> {
    let actor = state.actor().await?;
    ownership::reject(&state.store, &actor, &ids, &reason).await
}

/// Send a rejected customer back for approval.
#[tauri::command]
pub async fn resubmit_customer(state: S<'_>, id: i64) -> Result<u64> {
    let actor = state.actor().await?;
    ownership::resubmit(&state.store, &actor, id).await
}

/// The navigation badges: customers in the pool, and pending ones for the signed-in member.
#[tauri::command]
pub async fn ownership_counts(state: S<'_>) -> Result<OwnershipCounts> {
    let actor = state.actor().await?;
    ownership::counts(&state.store, &actor).await
}

#[tauri::command]
pub async fn approval_required(state: S<'_>) -> Result<bool> {
    state.actor().await?;
    ownership::approval_required(&state.store).await
}

/// Administrators: whether customers created by staff-role members wait for approval.
#[tauri::command]
pub async fn set_approval_required(state: S<'_>, on: bool) -> Result<bool> {
    let actor = state.actor().await?;
    ownership::set_approval_required(&state.store, &actor, on).await?;
    ownership::approval_required(&state.store).await
}

/// Days without a done care activity after which customers return to the pool (null: off).
#[tauri::command]
pub async fn pool_return_days(state: S<'_>) -> Result<Option<u32>> {
    state.actor().await?;
    ownership::pool_return_days(&state.store).await
}

/// Administrators: turn the automatic pool return on (1 to 3650 days) or off (null).
#[tauri::command]
pub async fn set_pool_return_days(state: S<'_>, days: Option<u32>) -> Result<Option<u32>> {
    let actor = state.actor().await?;
    ownership::set_pool_return_days(&state.store, &actor, days).await?;
    ownership::pool_return_days(&state.store).await
}

/// Administrators: the most customers a staff member may hold from the pool (null: no limit).
#[tauri::command]
pub async fn set_claim_limit(state: S<'_>, staff_id: i64, limit: Option<u32>) -> Result<()> {
    let actor = state.actor().await?;
    ownership::set_claim_limit(&state.store, &actor, staff_id, limit).await
}
