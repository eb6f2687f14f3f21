//! The customer aggregate: create, update, soft delete, restore, purge, list pages, search, counts.

mod draft;
mod position;
mod query;
mod types;
mod write;

pub use query::{count, find, get, list, stats};
pub use types::*;
pub use write::{create, create_many, delete, empty_trash, next_code, purge, restore, update};

/// Largest page a caller can ask for.
pub const MAX_PAGE: u32 = 500;
