//! Clientele's desktop app: the Tauri v2 shell over the `clientele` core. It opens the store,
//! signs in the default staff member, and exposes one thin command per core operation.

// No console window behind the app in Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod activity_commands;
mod care_commands;
mod commands;
mod ownership_commands;
mod photos;
mod scheduler;
mod state;
mod transfer_commands;

use tauri::Manager;
use tauri_plugin_dialog::{DialogExt, MessageDialogKind};
use tauri_plugin_log::{RotationStrategy, Target, TargetKind};

use crate::state::AppState;

#[global_allocator]
static GLOBAL: clientele::Allocator = clientele::Allocator;

fn main() {
    let mut builder = tauri::Builder::default();

    // A second launch on the same database focuses the running window instead. (It must be the
    // first plugin.) A run with its own CLIENTELE_DATA_DIR (tests, a second customer base) is a
    // different database and may run beside the usual one.
    if std::env::var_os("CLIENTELE_DATA_DIR").is_none() {
        builder = builder.plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        }));
    }

    builder
        .plugin(
            tauri_plugin_log::Builder::new()
                .targets([Target::new(TargetKind::LogDir { file_name: None }), Target::new(TargetKind::Stdout)])
                .level(log::LevelFilter::Info)
                // D-Bus (single instance, portals) logs every call at info.
                .level_for("zbus", log::LevelFilter::Warn)
                .level_for("tracing", log::LevelFilter::Warn)
                .max_file_size(5_000_000)
                .rotation_strategy(RotationStrategy::KeepOne)
                .build(),
        )
        .plugin(tauri_plugin_window_state::Builder::new().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        .register_asynchronous_uri_scheme_protocol("photo", |ctx, request, responder| {
            photos::serve(ctx.app_handle().clone(), request, responder);
        })
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                photos::on_drop(window.app_handle(), paths);
            }
        })
        .setup(|app| {
            // The window shows at once; the store opens in the background, because upgrading a
            // big database (backup, then migrations) can take a minute. The UI asks
            // `store_status` and shows the upgrade until it is ready; no other command is called
            // before (they need `AppState`).
            app.manage(state::Opening::default());
            let data_dir = clientele::paths::default_data_dir();
            log::info!("Clientele {} opening {}", app.package_info().version, data_dir.display());
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                use clientele::store::{OpenStatus, Store};
                let opening = handle.state::<state::Opening>();
                if let Ok(Some(language)) = Store::upgrade_pending(&data_dir).await {
                    log::info!("upgrading the database (a backup is made first)");
                    opening.set(OpenStatus::Upgrading { language });
                }
                let opened = async {
                    let store = Store::open(&data_dir).await?;
                    let actor = clientele::staff::default_actor(&store).await?;
                    Ok::<_, clientele::Error>((store, actor))
                }
                .await;
                match opened {
                    Ok((store, actor)) => {
                        handle.manage(AppState::new(store, actor));
                        care_commands::start_reminders(&handle);
                        scheduler::start(&handle);
                        opening.set(OpenStatus::Ready);
                    }
                    Err(e) => {
                        // Not a crash: say what happened, then quit when the user closes the message.
                        log::error!("could not open the database in {}: {e}", data_dir.display());
                        opening.set(OpenStatus::Failed { message: e.to_string() });
                        if let Some(window) = handle.get_webview_window("main") {
                            let _ = window.hide();
                        }
                        let exit = handle.clone();
                        handle
                            .dialog()
                            .message(format!("Clientele could not open its database in {}:\n\n{e}", data_dir.display()))
                            .title("Clientele")
                            .kind(MessageDialogKind::Error)
                            .show(move |_| exit.exit(1));
                    }
                }
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::store_status,
            commands::session_info,
            commands::init_admin,
            commands::sign_in,
            commands::sign_out,
            commands::list_staff,
            commands::list_customers,
            commands::count_customers,
            commands::get_customer,
            commands::create_customer,
            commands::update_customer,
            commands::delete_customers,
            commands::bulk_edit_customers,
            commands::merge_customers,
            ownership_commands::transfer_customers,
            ownership_commands::release_customers,
            ownership_commands::claim_customers,
            ownership_commands::assign_customers,
            ownership_commands::set_customers_locked,
            ownership_commands::set_customers_active,
            ownership_commands::approve_customers,
            ownership_commands::reject_customers,
            ownership_commands::resubmit_customer,
            ownership_commands::ownership_counts,
            ownership_commands::approval_required,
            ownership_commands::set_approval_required,
            ownership_commands::set_claim_limit,
            ownership_commands::pool_return_days,
            ownership_commands::set_pool_return_days,
            activity_commands::activity_log,
            activity_commands::activity_actions,
            commands::pick_photo,
            commands::take_dropped_photo,
            commands::set_customer_photo,
            commands::restore_customers,
            commands::purge_customers,
            commands::empty_trash,
            commands::next_customer_code,
            commands::customer_history,
            commands::get_language,
            commands::set_language,
            commands::stats,
            commands::add_staff,
            commands::set_staff_active,
            commands::set_staff_role,
            commands::catalogs_all,
            commands::catalog_list,
            commands::catalog_add,
            commands::catalog_update,
            commands::catalog_reorder,
            commands::catalog_shift,
            commands::catalog_delete,
            commands::field_settings,
            commands::set_field_settings,
            commands::duplicate_rules,
            commands::set_duplicate_rules,
            commands::check_duplicates,
            commands::lookup_duplicates,
            commands::list_views,
            commands::save_view,
            commands::delete_view,
            commands::ui_pref,
            commands::set_ui_pref,
            transfer_commands::import_pick_file,
            transfer_commands::import_dropped_file,
            transfer_commands::import_headers,
            transfer_commands::import_preview,
            transfer_commands::import_run,
            transfer_commands::import_cancel,
            transfer_commands::import_revert,
            transfer_commands::import_batches,
            transfer_commands::import_save_error_report,
            transfer_commands::export_customers,
            transfer_commands::export_cancel,
            transfer_commands::save_template,
            care_commands::care_schedule,
            care_commands::care_complete,
            care_commands::care_reschedule,
            care_commands::care_cancel,
            care_commands::care_get,
            care_commands::care_list,
            care_commands::care_counts,
            care_commands::care_timeline,
            care_commands::care_rules,
            care_commands::care_save_rule,
            care_commands::care_delete_rule,
            care_commands::care_due_soon,
        ])
        .build(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("Clientele could not start: {e}");
            std::process::exit(1);
        })
        .run(|app, event| {
            // Close the pool on the way out so SQLite checkpoints its WAL into the database file.
            if let tauri::RunEvent::Exit = event
                && let Some(state) = app.try_state::<AppState>()
            {
                tauri::async_runtime::block_on(state.store.close());
            }
        });
}
