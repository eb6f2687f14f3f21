//! One thin adapter per command: resolve the store and the actor, call the core, return its
//! result. No rule lives here; errors cross IPC as `{code, message, details}`.

use clientele::Result;
use clientele::customers::{self, Customer, CustomerInput, ListQuery, Page, Selection, Stats};
use clientele::history::{self, HistoryEntry};
use clientele::settings::{self, Language};
use clientele::staff::{self, NewStaff, SessionInfo, Staff};
use tauri::State;

use crate::state::AppState;

type S<'a> = State<'a, AppState>;

// --- session ---------------------------------------------------------------------------------

#[tauri::command]
pub async fn session_info(state: S<'_>) -> Result<SessionInfo> {
    let actor = state.actor.read().await.clone();
    staff::session_info(&state.store, actor.as_ref()).await
}

#[tauri::command]
pub async fn init_admin(state: S<'_>, input: NewStaff) -> Result<SessionInfo> {
    let actor = staff::init_admin(&state.store, input).await?;
    state.set_actor(Some(actor.clone())).await;
    staff::session_info(&state.store, Some(&actor)).await
}

#[tauri::command]
pub async fn sign_in(state: S<'_>, staff_id: i64, password: Option<String>) -> Result<SessionInfo> {
    let actor = staff::sign_in(&state.store, staff_id, password.as_deref()).await?;
    state.set_actor(Some(actor.clone())).await;
    staff::session_info(&state.store, Some(&actor)).await
}

#[tauri::command]
pub async fn sign_out(state: S<'_>) -> Result<SessionInfo> {
    staff::sign_out(&state.store).await?;
    state.set_actor(None).await;
    staff::session_info(&state.store, None).await
}

#[tauri::command]
pub async fn list_staff(state: S<'_>) -> Result<Vec<Staff>> {
    staff::list(&state.store).await
}

// --- customers -------------------------------------------------------------------------------

#[tauri::command]
pub async fn list_customers(state: S<'_>, query: ListQuery) -> Result<Page> {
    let actor = state.actor().await?;
    customers::list(&state.store, &actor, &query).await
}

#[tauri::command]
pub async fn count_customers(state: S<'_>, search: String, trash: bool) -> Result<u64> {
    let actor = state.actor().await?;
    customers::count(&state.store, &actor, &search, trash).await
}

#[tauri::command]
pub async fn get_customer(state: S<'_>, id: i64) -> Result<Customer> {
    let actor = state.actor().await?;
    customers::get(&state.store, &actor, id).await
}

#[tauri::command]
pub async fn create_customer(state: S<'_>, input: CustomerInput) -> Result<Customer> {
    let actor = state.actor().await?;
    customers::create(&state.store, &actor, input).await
}

#[tauri::command]
pub async fn update_customer(state: S<'_>, id: i64, input: CustomerInput) -> Result<Customer> {
    let actor = state.actor().await?;
    customers::update(&state.store, &actor, id, input).await
}

#[tauri::command]
pub async fn delete_customers(state: S<'_>, selection: Selection) -> Result<u64> {
    let actor = state.actor().await?;
    customers::delete(&state.store, &actor, &selection).await
}

#[tauri::command]
pub async fn restore_customers(state: S<'_>, ids: Vec<i64>) -> Result<u64> {
    let actor = state.actor().await?;
    customers::restore(&state.store, &actor, &ids).await
}

#[tauri::command]
pub async fn purge_customers(state: S<'_>, ids: Vec<i64>) -> Result<u64> {
    let actor = state.actor().await?;
    customers::purge(&state.store, &actor, &ids).await
}

#[tauri::command]
pub async fn empty_trash(state: S<'_>) -> Result<u64> {
    let actor = state.actor().await?;
    customers::empty_trash(&state.store, &actor).await
}

#[tauri::command]
pub async fn next_customer_code(state: S<'_>) -> Result<String> {
    state.actor().await?;
    customers::next_code(&state.store).await
}

#[tauri::command]
pub async fn customer_history(state: S<'_>, id: i64, before_id: Option<i64>, limit: u32) -> Result<Vec<HistoryEntry>> {
    let actor = state.actor().await?;
    history::for_entity(&state.store, &actor, "customer", id, before_id, limit).await
}

#[tauri::command]
pub async fn stats(state: S<'_>) -> Result<Stats> {
    state.actor().await?;
    customers::stats(&state.store).await
}

// --- settings --------------------------------------------------------------------------------

#[tauri::command]
pub async fn get_language(state: S<'_>) -> Result<Language> {
    settings::language(&state.store).await
}

#[tauri::command]
pub async fn set_language(state: S<'_>, language: Language) -> Result<()> {
    settings::set_language(&state.store, language).await
}
