//! Application settings kept in the database (key/value), typed at this boundary.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Language {
    #[default]
    En,
    Vi,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Vi => "vi",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "en" => Some(Language::En),
            "vi" => Some(Language::Vi),
            _ => None,
        }
    }
}

use sqlx::SqliteConnection;

use crate::error::Result;
use crate::store::Store;

const LANGUAGE_KEY: &str = "ui.language";

pub async fn get(conn: &mut SqliteConnection, key: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT value FROM settings WHERE key = ?").bind(key).fetch_optional(conn).await?)
}

pub async fn put(conn: &mut SqliteConnection, key: &str, value: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(conn)
    .await?;
    Ok(())
}

/// The UI language; English until the user picks.
pub async fn language(store: &Store) -> Result<Language> {
    let mut conn = store.pool().acquire().await?;
    Ok(get(&mut conn, LANGUAGE_KEY).await?.and_then(|v| Language::parse(&v)).unwrap_or_default())
}

pub async fn set_language(store: &Store, language: Language) -> Result<()> {
    let mut conn = store.pool().acquire().await?;
    put(&mut conn, LANGUAGE_KEY, language.as_str()).await
}
