//! Spreadsheets in and out: the import wizard's commands, exports and templates. Thin adapters
//! like the rest: the core reads, validates, plans, writes and reverts; this file only finds the
//! file (native dialog or drop), runs the long work off the async workers, streams its progress
//! over a `Channel`, and turns the UI's Cancel into the progress callback's `false`.
//!
//! Paths stay here: the UI sees file names only. The file chosen for an import is remembered in
//! [`TransferState`] until another one is chosen, so preview, run and the error report all read
//! the same file.
//!
//! ## Test seams (debug builds only)
//! Native dialogs cannot be driven by WebDriver. In debug builds:
//! - `CLIENTELE_TEST_IMPORT_FILE=<path>`: "Choose file…" takes this file instead of opening the
//!   open dialog;
//! - `CLIENTELE_TEST_SAVE_DIR=<folder>`: every save dialog "answers" `<folder>/<suggested name>`.
//!
//! Release builds compile neither check, and without the variables nothing changes.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clientele::export::{self, ExportFormat, ExportReport, ExportRequest};
use clientele::import::followup::FollowUpField;
use clientele::import::mapping::ImportField;
use clientele::import::{self, ImportBatch, ImportOptions, ImportPhase, ImportProgress, ImportReport};
use clientele::settings::{self, Language};
use clientele::template::{self, TemplateKind};
use clientele::{Error, Result};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::state::AppState;

type S<'a> = State<'a, AppState>;

/// What the transfer commands keep between calls (a field of [`AppState`]).
#[derive(Default)]
pub struct TransferState {
    /// The file the import wizard works on.
    import_file: Mutex<Option<PathBuf>>,
    /// Set by `import_cancel`; read by the running preview or import's progress callback.
    cancel_import: AtomicBool,
    /// Set by `export_cancel`.
    cancel_export: AtomicBool,
}

impl TransferState {
    fn set_import_file(&self, path: PathBuf) -> String {
        let name = file_name(&path);
        *self.import_file.lock().unwrap_or_else(|e| e.into_inner()) = Some(path);
        name
    }

    fn import_file(&self) -> Result<PathBuf> {
        self.import_file
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or_else(|| Error::InvalidArgument("no file was chosen for the import".into()))
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Progress of an export, streamed to the UI.
#[derive(Clone, Copy, Serialize)]
pub struct ExportProgress {
    pub done: u64,
    pub total: u64,
}

/// How often progress crosses IPC at most (the last message always does).
const PROGRESS_EVERY: Duration = Duration::from_millis(80);

/// Run the work `start` makes (it reads and writes files and parses spreadsheets, and the core's
/// import futures are not `Send`) on a blocking thread, so the async workers that answer the UI
/// stay free.
async fn off_the_workers<T, F, Fut>(start: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = Result<T>>,
{
    tauri::async_runtime::spawn_blocking(move || tauri::async_runtime::block_on(start()))
        .await
        .map_err(|e| Error::Io(format!("the background task failed: {e}")))?
}

// --- dialogs -----------------------------------------------------------------------------------

/// Ask for a spreadsheet to import; `None` when cancelled.
async fn pick_spreadsheet<R: Runtime>(app: &AppHandle<R>, language: Language) -> Option<PathBuf> {
    #[cfg(debug_assertions)]
    if let Some(p) = std::env::var_os("CLIENTELE_TEST_IMPORT_FILE") {
        return Some(PathBuf::from(p));
    }
    let (title, filter, all) = match language {
        Language::En => ("Import customers from a file", "Spreadsheets and CSV", "All files"),
        Language::Vi => ("Nhập khách hàng từ tệp", "Bảng tính và CSV", "Tất cả các tệp"),
    };
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title(title)
        .add_filter(filter, &["xlsx", "xlsm", "xls", "xlsb", "ods", "csv", "txt", "tsv"])
        .add_filter(all, &["*"])
        .pick_file(move |f| {
            let _ = tx.send(f);
        });
    rx.await.ok().flatten().and_then(|f| f.into_path().ok())
}

/// Ask where to save a file; `None` when cancelled. The extension is added when the name lacks it.
async fn save_path<R: Runtime>(
    app: &AppHandle<R>,
    title: &str,
    suggested: &str,
    filter: &str,
    ext: &str,
) -> Option<PathBuf> {
    #[cfg(debug_assertions)]
    if let Some(dir) = std::env::var_os("CLIENTELE_TEST_SAVE_DIR") {
        return Some(PathBuf::from(dir).join(suggested));
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    let mut dialog = app.dialog().file().set_title(title).set_file_name(suggested).add_filter(filter, &[ext]);
    if let Some(docs) = app.path().document_dir().ok().filter(|d| d.is_dir()) {
        dialog = dialog.set_directory(docs);
    }
    dialog.save_file(move |f| {
        let _ = tx.send(f);
    });
    let path = rx.await.ok().flatten().and_then(|f| f.into_path().ok())?;
    let has_ext = path.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext));
    Some(if has_ext { path } else { with_extra_extension(path, ext) })
}

fn with_extra_extension(path: PathBuf, ext: &str) -> PathBuf {
    let mut s = path.into_os_string();
    s.push(".");
    s.push(ext);
    PathBuf::from(s)
}

/// Today's local date as `yyyy-mm-dd`, for suggested file names.
fn today() -> String {
    chrono::Local::now().format("%Y-%m-%d").to_string()
}

// --- import ----------------------------------------------------------------------------------

/// Choose the file to import with the native dialog; returns its name (null when cancelled).
#[tauri::command]
pub async fn import_pick_file(app: AppHandle, state: S<'_>) -> Result<Option<String>> {
    state.actor().await?;
    let language = settings::language(&state.store).await?;
    let path = pick_spreadsheet(&app, language).await;
    Ok(path.map(|p| state.transfer.set_import_file(p)))
}

/// Use the file last dropped on the window as the file to import; returns its name.
#[tauri::command]
pub async fn import_dropped_file(state: S<'_>) -> Result<Option<String>> {
    state.actor().await?;
    Ok(state.take_dropped_file().map(|p| state.transfer.set_import_file(p)))
}

/// The chosen file's sheet, its header row with the automatic mapping, and a few values of each
/// column from its first rows: what the wizard shows beside each column (and all it shows when
/// no column looks like the name, which the preview refuses until the user picks one).
#[derive(Serialize)]
pub struct ImportHeaders {
    pub file_name: String,
    pub format: import::read::Format,
    pub sheet_name: Option<String>,
    pub sheet_names: Vec<String>,
    pub headers: Vec<String>,
    pub mapping: Vec<Option<ImportField>>,
    /// The automatic mapping of the columns as follow-up records (`kind: care`).
    pub care_mapping: Vec<Option<FollowUpField>>,
    /// Up to [`SAMPLES`] distinct values of each column, from its first [`SAMPLE_ROWS`] rows.
    pub samples: Vec<Vec<String>>,
}

const SAMPLES: usize = 3;
const SAMPLE_ROWS: usize = 50;
const SAMPLE_CHARS: usize = 60;

#[tauri::command]
pub async fn import_headers(state: S<'_>, sheet: Option<String>) -> Result<ImportHeaders> {
    state.actor().await?;
    let path = state.transfer.import_file()?;
    off_the_workers(move || async move {
        let mut reader = import::read::open_with(&path, &import::read::ReadOptions { sheet })?;
        let s = reader.sheet().clone();
        let mut samples: Vec<Vec<String>> = vec![Vec::new(); s.headers.len()];
        for row in reader.by_ref().take(SAMPLE_ROWS) {
            for (cell, out) in row?.cells.iter().zip(samples.iter_mut()) {
                let text = cell.to_text();
                let text = text.trim();
                if out.len() < SAMPLES && !text.is_empty() && !out.iter().any(|v| v == text) {
                    out.push(text.chars().take(SAMPLE_CHARS).collect());
                }
            }
            if samples.iter().all(|v| v.len() >= SAMPLES) {
                break;
            }
        }
        Ok(ImportHeaders {
            file_name: file_name(&path),
            format: s.format,
            sheet_name: s.sheet_name,
            sheet_names: s.sheet_names,
            mapping: import::mapping::auto_map(&s.headers),
            care_mapping: import::followup::auto_map(&s.headers),
            headers: s.headers,
            samples,
        })
    })
    .await
}

/// A progress callback for the core: forwards at most every [`PROGRESS_EVERY`] (and every
/// change of phase) to the channel, and says stop once `import_cancel` was called.
fn import_progress(app: AppHandle, channel: Channel<ImportProgress>) -> impl FnMut(ImportProgress) -> bool {
    let mut last: Option<(Instant, ImportPhase)> = None;
    move |p: ImportProgress| {
        let due = match last {
            Some((at, phase)) => {
                phase != p.phase || at.elapsed() >= PROGRESS_EVERY || p.phase == ImportPhase::Finishing
            }
            None => true,
        };
        if due {
            last = Some((Instant::now(), p.phase));
            let _ = channel.send(p);
        }
        !app.state::<AppState>().transfer.cancel_import.load(Ordering::Relaxed)
    }
}

/// Read, validate and plan the chosen file without changing anything (the wizard's preview).
/// Follow-up records (`kind: care`, or `auto` on a file that looks like one) go the same way.
/// Reading progress streams to `on_progress`; `import_cancel` stops it (`operation.cancelled`).
#[tauri::command]
pub async fn import_preview(
    app: AppHandle,
    state: S<'_>,
    options: ImportOptions,
    on_progress: Channel<ImportProgress>,
) -> Result<ImportReport> {
    let actor = state.actor().await?;
    let path = state.transfer.import_file()?;
    state.transfer.cancel_import.store(false, Ordering::Relaxed);
    let store = state.store.clone();
    let mut progress = import_progress(app, on_progress);
    off_the_workers(move || async move { import::preview(&store, &actor, &path, &options, &mut progress).await }).await
}

/// Import the chosen file in one transaction; progress streams to `on_progress`, and
/// `import_cancel` rolls everything back (`operation.cancelled`).
#[tauri::command]
pub async fn import_run(
    app: AppHandle,
    state: S<'_>,
    options: ImportOptions,
    on_progress: Channel<ImportProgress>,
) -> Result<ImportReport> {
    let actor = state.actor().await?;
    let path = state.transfer.import_file()?;
    state.transfer.cancel_import.store(false, Ordering::Relaxed);
    let store = state.store.clone();
    let mut progress = import_progress(app, on_progress);
    off_the_workers(move || async move { import::run(&store, &actor, &path, &options, &mut progress).await }).await
}

/// Stop the running preview or import (it answers `operation.cancelled`; nothing is written).
#[tauri::command]
pub async fn import_cancel(state: S<'_>) -> Result<()> {
    state.transfer.cancel_import.store(true, Ordering::Relaxed);
    Ok(())
}

/// Undo a whole import.
#[tauri::command]
pub async fn import_revert(state: S<'_>, batch_id: i64) -> Result<ImportBatch> {
    let actor = state.actor().await?;
    import::revert(&state.store, &actor, batch_id).await
}

/// The most recent imports, newest first.
#[tauri::command]
pub async fn import_batches(state: S<'_>, limit: u32) -> Result<Vec<ImportBatch>> {
    let actor = state.actor().await?;
    import::batches(&state.store, &actor, limit).await
}

/// Save the rejected rows of the chosen file (as `options` would reject them) as an xlsx, where
/// the user says; returns how many rows were written (null when the dialog was cancelled).
#[tauri::command]
pub async fn import_save_error_report(app: AppHandle, state: S<'_>, options: ImportOptions) -> Result<Option<u64>> {
    let actor = state.actor().await?;
    let path = state.transfer.import_file()?;
    let language = settings::language(&state.store).await?;
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let (title, suggested, filter) = match language {
        Language::En => ("Save the error report", format!("{stem} - errors.xlsx"), "Excel workbook"),
        Language::Vi => ("Lưu báo cáo lỗi", format!("{stem} - lỗi.xlsx"), "Bảng tính Excel"),
    };
    let Some(out) = save_path(&app, title, &suggested, filter, "xlsx").await else { return Ok(None) };
    let store = state.store.clone();
    off_the_workers(move || async move { import::error_report(&store, &actor, &path, &options, language, &out).await })
        .await
        .map(Some)
}

// --- export ----------------------------------------------------------------------------------

/// Export customers: ask where (native save dialog, a name in the request's language), then
/// write; progress streams to `on_progress` and `export_cancel` stops it (no file is left).
/// Null when the dialog was cancelled.
#[tauri::command]
pub async fn export_customers(
    app: AppHandle,
    state: S<'_>,
    request: ExportRequest,
    on_progress: Channel<ExportProgress>,
) -> Result<Option<ExportReport>> {
    let actor = state.actor().await?;
    let ext = request.format.extension();
    let (title, stem, filter) = match (request.language, request.format) {
        (Language::En, ExportFormat::Xlsx) => ("Export customers", "customers", "Excel workbook"),
        (Language::En, ExportFormat::Csv) => ("Export customers", "customers", "CSV (comma-separated)"),
        (Language::Vi, ExportFormat::Xlsx) => ("Xuất khách hàng", "khách hàng", "Bảng tính Excel"),
        (Language::Vi, ExportFormat::Csv) => ("Xuất khách hàng", "khách hàng", "CSV (phân cách bằng dấu phẩy)"),
    };
    let suggested = format!("{stem} {}.{ext}", today());
    let Some(path) = save_path(&app, title, &suggested, filter, ext).await else { return Ok(None) };
    state.transfer.cancel_export.store(false, Ordering::Relaxed);
    let store = state.store.clone();
    let mut last: Option<Instant> = None;
    let mut progress = move |done: u64, total: u64| {
        if last.is_none_or(|at| at.elapsed() >= PROGRESS_EVERY || done == total) {
            last = Some(Instant::now());
            let _ = on_progress.send(ExportProgress { done, total });
        }
        !app.state::<AppState>().transfer.cancel_export.load(Ordering::Relaxed)
    };
    off_the_workers(move || async move { export::export(&store, &actor, &request, &path, &mut progress).await })
        .await
        .map(Some)
}

#[tauri::command]
pub async fn export_cancel(state: S<'_>) -> Result<()> {
    state.transfer.cancel_export.store(true, Ordering::Relaxed);
    Ok(())
}

// --- templates ---------------------------------------------------------------------------------

/// Save an import template in the user's language where the user says; returns the file's name
/// (null when the dialog was cancelled).
#[tauri::command]
pub async fn save_template(app: AppHandle, state: S<'_>, kind: TemplateKind) -> Result<Option<String>> {
    state.actor().await?;
    let language = settings::language(&state.store).await?;
    let (title, suggested, filter) = match (language, kind) {
        (Language::En, TemplateKind::Individual) => {
            ("Save template", "Template - individual customers.xlsx", "Excel workbook")
        }
        (Language::En, TemplateKind::Business) => {
            ("Save template", "Template - business customers.xlsx", "Excel workbook")
        }
        (Language::En, TemplateKind::Care) => ("Save template", "Template - follow-ups.xlsx", "Excel workbook"),
        (Language::Vi, TemplateKind::Individual) => ("Lưu tệp mẫu", "Mẫu - khách hàng cá nhân.xlsx", "Bảng tính Excel"),
        (Language::Vi, TemplateKind::Business) => {
            ("Lưu tệp mẫu", "Mẫu - khách hàng doanh nghiệp.xlsx", "Bảng tính Excel")
        }
        (Language::Vi, TemplateKind::Care) => ("Lưu tệp mẫu", "Mẫu - chăm sóc khách hàng.xlsx", "Bảng tính Excel"),
    };
    let Some(path) = save_path(&app, title, suggested, filter, "xlsx").await else { return Ok(None) };
    let store = state.store.clone();
    let name = file_name(&path);
    off_the_workers(move || async move { template::template(&store, kind, language, &path).await }).await?;
    Ok(Some(name))
}
