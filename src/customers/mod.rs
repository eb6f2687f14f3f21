//! The customer aggregate: create, update, soft delete, restore, purge, list pages, search, counts.

mod bulk;
mod draft;
mod load;
mod photo;
mod position;
mod query;
mod types;
mod write;

pub use bulk::{BulkEdit, SetValue, bulk_edit, merge};
pub use photo::{MAX_PHOTO_BYTES, PhotoSize, THUMBNAIL_SIZE, photo, set_photo};
pub(crate) use query::{SearchPlan, contact_cutoff};
pub use query::{count, find, get, list, resolve_id, stats};
pub use types::*;
pub use write::{create, create_many, delete, empty_trash, next_code, purge, restore, update};

/// Largest page a caller can ask for.
pub const MAX_PAGE: u32 = 500;

/// The duplicate-rule keys of an input as it would be stored (every rule's keys; the caller
/// filters by the rules that are on). Invalid parts of the input contribute nothing.
pub fn lookup_keys_of(input: &CustomerInput) -> Vec<(&'static str, String)> {
    let mut cleaned = input.clone();
    cleaned.phones.retain(|p| crate::text::is_valid_phone(&crate::text::clean(p)));
    cleaned.emails.retain(|e| crate::text::is_valid_email(&crate::text::email_key(e)));
    if cleaned.name.trim().is_empty() {
        cleaned.name = "-".into();
    }
    match draft::normalize(&cleaned) {
        Ok(d) => d.lookup_keys(true),
        Err(_) => {
            let mut keys: Vec<(&'static str, String)> = Vec::new();
            keys.extend(cleaned.phones.iter().filter_map(|p| crate::text::phone_key(p)).map(|k| ("phone", k)));
            keys.extend(cleaned.emails.iter().map(|e| ("email", crate::text::email_key(e))));
            keys
        }
    }
}

// The importer's access to the write path (same rules, inside its transaction).
pub(crate) use load::load as load_for_import;
pub(crate) use load::load_many as load_many_for_rules;
pub(crate) use write::BULK_REFERENCING;
pub(crate) use write::create_many_in as create_many_for_import;
pub(crate) use write::create_many_named;

pub(crate) async fn update_for_import(
    w: &mut crate::store::WriteTx<'_>,
    id: i64,
    input: &CustomerInput,
) -> crate::Result<()> {
    write::update_in(w, id, input, "import_update", false).await.map(|_| ())
}

pub(crate) async fn update_for_revert(
    w: &mut crate::store::WriteTx<'_>,
    id: i64,
    input: &CustomerInput,
) -> crate::Result<()> {
    write::update_in(w, id, input, "import_revert", false).await.map(|_| ())
}
