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
    "restore_customers",
    "purge_customers",
    "empty_trash",
    "next_customer_code",
    "customer_history",
    "get_language",
    "set_language",
    "stats",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
