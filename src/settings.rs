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
    language_in(&mut *store.pool().acquire().await?).await
}

/// `language` on a connection of its own (before the store is open).
pub(crate) async fn language_in(conn: &mut SqliteConnection) -> Result<Language> {
    Ok(get(conn, LANGUAGE_KEY).await?.and_then(|v| Language::parse(&v)).unwrap_or_default())
}

pub async fn set_language(store: &Store, language: Language) -> Result<()> {
    let mut conn = store.pool().acquire().await?;
    put(&mut conn, LANGUAGE_KEY, language.as_str()).await
}

/// Optional customer fields an admin can hide or make required (name and code are always shown
/// and required). The names are `CustomerInput`'s.
pub const OPTIONAL_FIELDS: [&str; 19] = [
    "phones",
    "emails",
    "address",
    "tax_code",
    "website",
    "birthday",
    "founded_on",
    "gender",
    "notes",
    "segment_id",
    "level_id",
    "group_ids",
    "status_id",
    "channel_id",
    "service_manager_id",
    "products",
    "invoice_type_ids",
    "legal_entities",
    "contacts",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldRule {
    pub shown: bool,
    pub required: bool,
}

/// Per optional field: shown on forms, required on every path (form, CLI, import). A field not
/// listed is shown and optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[ts(export)]
pub struct FieldSettings {
    pub fields: std::collections::BTreeMap<String, FieldRule>,
}

impl FieldSettings {
    pub fn required(&self, field: &str) -> bool {
        self.fields.get(field).is_some_and(|r| r.required)
    }
}

const FIELDS_KEY: &str = "customers.fields";

pub(crate) async fn field_settings_in(conn: &mut SqliteConnection) -> Result<FieldSettings> {
    Ok(get(conn, FIELDS_KEY).await?.and_then(|v| serde_json::from_str(&v).ok()).unwrap_or_default())
}

pub async fn field_settings(store: &Store) -> Result<FieldSettings> {
    let mut conn = store.pool().acquire().await?;
    field_settings_in(&mut conn).await
}

/// Change which fields are shown and required (admins). A required field is always shown.
pub async fn set_field_settings(
    store: &Store,
    actor: &crate::actor::Actor,
    mut settings: FieldSettings,
) -> Result<FieldSettings> {
    actor.can_manage_settings()?;
    if let Some(unknown) = settings.fields.keys().find(|k| !OPTIONAL_FIELDS.contains(&k.as_str())) {
        return Err(crate::Error::Validation(vec![
            crate::error::FieldError::new("fields", "invalid").with_value(unknown.clone()),
        ]));
    }
    for rule in settings.fields.values_mut() {
        rule.shown |= rule.required;
    }
    let mut w = store.write(actor).await?;
    let before = field_settings_in(w.conn()).await?;
    let value = serde_json::to_string(&settings).map_err(|e| crate::Error::Database(e.to_string()))?;
    put(w.conn(), FIELDS_KEY, &value).await?;
    let changes = vec![crate::history::FieldChange {
        field: "field_settings".into(),
        before: serde_json::json!(before),
        after: serde_json::json!(settings),
    }];
    w.history("settings", 0, "update", &changes).await?;
    w.commit().await?;
    Ok(settings)
}

/// A staff member's own UI preference (grid columns and widths, panel state), as JSON the UI
/// owns. Keys are short names chosen by the UI (`grid.columns`); at most 64 KiB each.
pub async fn ui_pref(store: &Store, actor: &crate::actor::Actor, key: &str) -> Result<Option<serde_json::Value>> {
    let key = pref_key(actor, key)?;
    let mut conn = store.pool().acquire().await?;
    Ok(get(&mut conn, &key).await?.and_then(|v| serde_json::from_str(&v).ok()))
}

pub async fn set_ui_pref(
    store: &Store,
    actor: &crate::actor::Actor,
    key: &str,
    value: &serde_json::Value,
) -> Result<()> {
    let key = pref_key(actor, key)?;
    let text = value.to_string();
    if text.len() > 64 * 1024 {
        return Err(crate::Error::InvalidArgument("preference too large".into()));
    }
    let mut conn = store.pool().acquire().await?;
    put(&mut conn, &key, &text).await
}

fn pref_key(actor: &crate::actor::Actor, key: &str) -> Result<String> {
    if key.is_empty()
        || key.len() > 64
        || !key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err(crate::Error::InvalidArgument(format!("bad preference name {key:?}")));
    }
    Ok(format!("pref.{}.{key}", actor.staff_id))
}
