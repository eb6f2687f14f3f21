//! Where Clientele keeps its files.

use std::path::PathBuf;

/// Name of the data folder under the OS data directory. Debug builds use their own folder so
/// development never touches a real customer base.
pub const APP_DIR_NAME: &str = if cfg!(debug_assertions) { "Clientele-dev" } else { "Clientele" };

/// `CLIENTELE_DATA_DIR` when set, else the OS data folder (`~/.local/share/Clientele` on Linux,
/// `%APPDATA%\Clientele` on Windows, `~/Library/Application Support/Clientele` on macOS).
pub fn default_data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CLIENTELE_DATA_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join(APP_DIR_NAME)
}

pub const DB_FILE: &str = "clientele.db";
pub const BACKUP_DIR: &str = "backups";
