//! One thin adapter per command: resolve the store and the actor, call the core, return its
//! result. No rule lives here; errors cross IPC as `{code, message, details}`.

use clientele::Result;
use clientele::catalogs::{self, CatalogItem, CatalogItemPatch, CatalogItemUsage, CatalogKind, Catalogs};
use clientele::customers::{
    self, BulkEdit, Customer, CustomerFilter, CustomerInput, ListQuery, Page, Selection, Stats,
};
use clientele::duplicates::{self, DuplicateMatch, DuplicateRules};
use clientele::history::{self, HistoryEntry};
use clientele::settings::{self, FieldSettings, Language};
use clientele::staff::{self, NewStaff, Role, SessionInfo, Staff};
use clientele::views::{self, SavedView, SavedViewInput};
use serde::Deserialize;
use tauri::{AppHandle, State};

use crate::state::AppState;

type S<'a> = State<'a, AppState>;

// --- session ---------------------------------------------------------------------------------

/// How far opening the database has come (the only command that works before it is open).
#[tauri::command]
pub fn store_status(opening: tauri::State<'_, crate::state::Opening>) -> clientele::store::OpenStatus {
    opening.get()
}

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

#[tauri::command]
pub async fn add_staff(state: S<'_>, input: NewStaff) -> Result<Staff> {
    let actor = state.actor().await?;
    staff::add(&state.store, &actor, input).await
}

#[tauri::command]
pub async fn set_staff_active(state: S<'_>, staff_id: i64, active: bool) -> Result<Staff> {
    let actor = state.actor().await?;
    staff::set_active(&state.store, &actor, staff_id, active).await
}

#[tauri::command]
pub async fn set_staff_role(state: S<'_>, staff_id: i64, role: Role) -> Result<Staff> {
    let actor = state.actor().await?;
    staff::set_role(&state.store, &actor, staff_id, role).await
}

// --- customers -------------------------------------------------------------------------------

#[tauri::command]
pub async fn list_customers(state: S<'_>, query: ListQuery) -> Result<Page> {
    let actor = state.actor().await?;
    customers::list(&state.store, &actor, &query).await
}

/// `filter` may be left out (no narrowing), so older callers keep working.
#[tauri::command]
pub async fn count_customers(state: S<'_>, search: String, trash: bool, filter: Option<CustomerFilter>) -> Result<u64> {
    let actor = state.actor().await?;
    let filter = filter.unwrap_or_default();
    customers::count(&state.store, &actor, &search, &filter, trash).await
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

/// Set classification fields on every selected customer; returns how many changed.
#[tauri::command]
pub async fn bulk_edit_customers(state: S<'_>, selection: Selection, edit: BulkEdit) -> Result<u64> {
    let actor = state.actor().await?;
    customers::bulk_edit(&state.store, &actor, &selection, &edit).await
}

/// Merge `others` into `survivor`, which takes `values` (chosen field by field).
#[tauri::command]
pub async fn merge_customers(state: S<'_>, survivor: i64, others: Vec<i64>, values: CustomerInput) -> Result<Customer> {
    let actor = state.actor().await?;
    customers::merge(&state.store, &actor, survivor, &others, &values).await
}

/// Choose a photo with the native dialog; returns the file's name (null when cancelled). The
/// path stays in the shell until `set_customer_photo(id, "pending")`.
#[tauri::command]
pub async fn pick_photo(app: AppHandle, state: S<'_>) -> Result<Option<String>> {
    state.actor().await?;
    let filter = match settings::language(&state.store).await? {
        Language::Vi => "Ảnh",
        Language::En => "Images",
    };
    let path = crate::photos::pick_image(&app, filter).await;
    Ok(path.and_then(|p| state.set_pending_photo(Some(p))))
}

/// Use the file last dropped on the window as the photo to apply; returns its name.
#[tauri::command]
pub async fn take_dropped_photo(state: S<'_>) -> Result<Option<String>> {
    state.actor().await?;
    Ok(state.take_dropped_file().and_then(|p| state.set_pending_photo(Some(p))))
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhotoAction {
    /// The photo picked or dropped (`pick_photo`, `take_dropped_photo`).
    Pending,
    Remove,
}

#[tauri::command]
pub async fn set_customer_photo(state: S<'_>, id: i64, action: PhotoAction) -> Result<Customer> {
    let actor = state.actor().await?;
    let path = match action {
        PhotoAction::Pending => Some(
            state
                .take_pending_photo()
                .ok_or_else(|| clientele::Error::InvalidArgument("no photo was chosen".into()))?,
        ),
        PhotoAction::Remove => None,
    };
    customers::set_photo(&state.store, &actor, id, path.as_deref()).await
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

// --- catalogs -------------------------------------------------------------------------------

#[tauri::command]
pub async fn catalogs_all(state: S<'_>) -> Result<Catalogs> {
    state.actor().await?;
    catalogs::all(&state.store).await
}

#[tauri::command]
pub async fn catalog_list(state: S<'_>, kind: CatalogKind) -> Result<Vec<CatalogItemUsage>> {
    state.actor().await?;
    catalogs::list(&state.store, kind).await
}

#[tauri::command]
pub async fn catalog_add(state: S<'_>, kind: CatalogKind, name: String, color: Option<String>) -> Result<CatalogItem> {
    let actor = state.actor().await?;
    catalogs::add(&state.store, &actor, kind, &name, color.as_deref()).await
}

#[tauri::command]
pub async fn catalog_update(state: S<'_>, id: i64, patch: CatalogItemPatch) -> Result<CatalogItem> {
    let actor = state.actor().await?;
    catalogs::update(&state.store, &actor, id, patch).await
}

#[tauri::command]
pub async fn catalog_reorder(state: S<'_>, kind: CatalogKind, ids: Vec<i64>) -> Result<Vec<CatalogItem>> {
    let actor = state.actor().await?;
    catalogs::reorder(&state.store, &actor, kind, &ids).await
}

#[tauri::command]
pub async fn catalog_shift(state: S<'_>, id: i64, by: i64) -> Result<Vec<CatalogItem>> {
    let actor = state.actor().await?;
    catalogs::shift(&state.store, &actor, id, by).await
}

/// Returns how many customers moved to `replacement`.
#[tauri::command]
pub async fn catalog_delete(state: S<'_>, id: i64, replacement: Option<i64>) -> Result<u64> {
    let actor = state.actor().await?;
    catalogs::delete(&state.store, &actor, id, replacement).await
}

// --- field and duplicate settings ------------------------------------------------------------

#[tauri::command]
pub async fn field_settings(state: S<'_>) -> Result<FieldSettings> {
    state.actor().await?;
    settings::field_settings(&state.store).await
}

#[tauri::command]
pub async fn set_field_settings(state: S<'_>, settings: FieldSettings) -> Result<FieldSettings> {
    let actor = state.actor().await?;
    settings::set_field_settings(&state.store, &actor, settings).await
}

#[tauri::command]
pub async fn duplicate_rules(state: S<'_>) -> Result<DuplicateRules> {
    state.actor().await?;
    duplicates::rules(&state.store).await
}

#[tauri::command]
pub async fn set_duplicate_rules(state: S<'_>, rules: DuplicateRules) -> Result<DuplicateRules> {
    let actor = state.actor().await?;
    duplicates::set_rules(&state.store, &actor, rules).await
}

/// The form's live check; `except` is the customer being edited.
#[tauri::command]
pub async fn check_duplicates(state: S<'_>, input: CustomerInput, except: Option<i64>) -> Result<Vec<DuplicateMatch>> {
    let actor = state.actor().await?;
    duplicates::check(&state.store, &actor, &input, except).await
}

/// The "Duplicate check" tool.
#[tauri::command]
pub async fn lookup_duplicates(state: S<'_>, query: String) -> Result<Vec<DuplicateMatch>> {
    let actor = state.actor().await?;
    duplicates::lookup(&state.store, &actor, &query).await
}

// --- saved views of the list ------------------------------------------------------------------

#[tauri::command]
pub async fn list_views(state: S<'_>) -> Result<Vec<SavedView>> {
    let actor = state.actor().await?;
    views::list(&state.store, &actor).await
}

#[tauri::command]
pub async fn save_view(state: S<'_>, input: SavedViewInput) -> Result<SavedView> {
    let actor = state.actor().await?;
    views::save(&state.store, &actor, input).await
}

#[tauri::command]
pub async fn delete_view(state: S<'_>, id: i64) -> Result<()> {
    let actor = state.actor().await?;
    views::delete(&state.store, &actor, id).await
}

// --- per-staff UI preferences ----------------------------------------------------------------

#[tauri::command]
pub async fn ui_pref(state: S<'_>, key: String) -> Result<Option<serde_json::Value>> {
    let actor = state.actor().await?;
    settings::ui_pref(&state.store, &actor, &key).await
}

#[tauri::command]
pub async fn set_ui_pref(state: S<'_>, key: String, value: serde_json::Value) -> Result<()> {
    let actor = state.actor().await?;
    settings::set_ui_pref(&state.store, &actor, &key, &value).await
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
