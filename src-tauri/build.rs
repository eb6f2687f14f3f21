//! Turns every app command into a permission (`allow-<command>`) that a capability must grant
//! (capabilities/default.json); a command missing here cannot be invoked at all.

/// Every `#[tauri::command]` of the shell. Keep in step with `generate_handler!` in main.rs.
const COMMANDS: &[&str] = &[
    "session_info",
    "init_admin",
    "sign_in",
    "sign_out",
    "list_staff",
    "list_customers",
    "count_customers",
    "get_customer",
    "create_customer",
    "update_customer",
    "delete_customers",
    "bulk_edit_customers",
    "merge_customers",
    "pick_photo",
    "take_dropped_photo",
    "set_customer_photo",
    "restore_customers",
    "purge_customers",
    "empty_trash",
    "next_customer_code",
    "customer_history",
    "get_language",
    "set_language",
    "stats",
    "add_staff",
    "set_staff_active",
    "set_staff_role",
    "catalogs_all",
    "catalog_list",
    "catalog_add",
    "catalog_update",
    "catalog_reorder",
    "catalog_shift",
    "catalog_delete",
    "field_settings",
    "set_field_settings",
    "duplicate_rules",
    "set_duplicate_rules",
    "check_duplicates",
    "lookup_duplicates",
    "list_views",
    "save_view",
    "delete_view",
    "ui_pref",
    "set_ui_pref",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
