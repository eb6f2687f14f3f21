//! Customer photos in the shell: the file the user picks (native dialog) or drops on the window
//! stays here, in Rust, until the UI says which customer it is for; the UI only ever sees the
//! file's name. Photos are shown through the `photo:` URI scheme, which asks the core (so the
//! signed-in staff member's rights apply) and never reads a path that came from the web view.

use std::path::{Path, PathBuf};

use clientele::customers::PhotoSize;
use tauri::http::{Response, StatusCode, header};
use tauri::{AppHandle, Emitter, Manager, Runtime, UriSchemeResponder};
use tauri_plugin_dialog::DialogExt;

use crate::state::AppState;

/// The event the UI hears when a file is dropped on the window (payload: the file name).
pub const FILE_DROPPED: &str = "file-dropped";

pub fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Ask for an image with the native dialog; `None` when cancelled.
pub async fn pick_image<R: Runtime>(app: &AppHandle<R>, filter_name: &str) -> Option<PathBuf> {
    // End-to-end tests cannot drive a native dialog: in debug builds only, this names the file
    // the dialog "returns".
    #[cfg(debug_assertions)]
    if let Some(p) = std::env::var_os("CLIENTELE_TEST_PICK_FILE") {
        return Some(PathBuf::from(p));
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog().file().add_filter(filter_name, &["png", "jpg", "jpeg", "webp", "gif"]).pick_file(move |f| {
        let _ = tx.send(f);
    });
    rx.await.ok().flatten().and_then(|f| f.into_path().ok())
}

/// A file dropped on the window: kept as the last dropped file, and the UI told its name.
pub fn on_drop<R: Runtime>(app: &AppHandle<R>, paths: &[PathBuf]) {
    let Some(path) = paths.first() else { return };
    if let Some(state) = app.try_state::<AppState>() {
        *state.dropped_file.lock().unwrap_or_else(|e| e.into_inner()) = Some(path.clone());
        let _ = app.emit(FILE_DROPPED, file_name(path));
    }
}

/// `photo://localhost/<customer id>` (`http://photo.localhost/<id>` on Windows): the customer's
/// photo, or 404; with `size=thumb` in the query, its thumbnail.
pub fn serve<R: Runtime>(app: AppHandle<R>, request: tauri::http::Request<Vec<u8>>, responder: UriSchemeResponder) {
    tauri::async_runtime::spawn(async move {
        let id = request.uri().path().trim_matches('/').parse::<i64>().ok();
        let thumb = request.uri().query().is_some_and(|q| q.split('&').any(|p| p == "size=thumb"));
        let size = if thumb { PhotoSize::Thumbnail } else { PhotoSize::Full };
        let found = match (id, app.try_state::<AppState>()) {
            (Some(id), Some(state)) => match state.actor().await {
                Ok(actor) => clientele::customers::photo(&state.store, &actor, id, size).await.ok().flatten(),
                Err(_) => None,
            },
            _ => None,
        };
        let response = match found {
            Some((bytes, mime)) => Response::builder()
                .status(StatusCode::OK)
                .header(header::CONTENT_TYPE, mime)
                // The UI adds the photo's file name to the URL: a new photo is a new URL.
                .header(header::CACHE_CONTROL, "private, max-age=31536000, immutable")
                .body(bytes),
            None => Response::builder().status(StatusCode::NOT_FOUND).body(Vec::new()),
        };
        responder.respond(response.unwrap_or_else(|_| Response::new(Vec::new())));
    });
}
