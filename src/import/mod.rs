//! Importing customers from a user's spreadsheet (DESIGN.md §4).
//!
//! This module holds the reading half, pure Rust with no database:
//!
//! - [`read`]: open a file by path, detect its format from its content (xlsx/xlsm, xlsb, xls, ods,
//!   CSV in any common encoding and delimiter), refuse hostile files, and stream its rows of
//!   [`read::Cell`]s with their spreadsheet row numbers.
//! - [`mapping`]: map header texts to [`mapping::ImportField`]s by English and Vietnamese aliases.
//! - [`values`]: normalise one cell value (text, phone, e-mail, date, boolean, kind, gender).
//!
//! Every failure to read a file is an [`Error::Import`](crate::Error::Import) with one of these
//! stable codes:
//!
//! | code | when |
//! |---|---|
//! | `import.unsupported_format` | not a spreadsheet or CSV (a PNG, a PDF, a Word file, random bytes, …) |
//! | `import.damaged` | a spreadsheet that cannot be parsed (truncated, corrupt, inconsistent) |
//! | `import.too_large` | over one of the limits in [`read::limits`] (including zip bombs) |
//! | `import.password_protected` | an encrypted workbook |
//! | `import.empty` | an empty file, or a sheet with no non-blank row |
//! | `import.no_header` | the first non-blank row holds no text that could be a header |
//! | `import.sheet_not_found` | the sheet asked for by name is not in the workbook |
//!
//! Follow-up records (done care activities on existing customers) go through the same entry
//! points with `kind: care` (or `auto` on a file that looks like one): see [`followup`].

mod commit;
pub mod followup;
pub mod mapping;
pub mod plan;
pub mod read;
mod report;
pub(crate) mod timing;
pub mod values;

pub use commit::{ImportBatch, ImportPhase, ImportProgress, batches, preview, revert, run};
pub use plan::{ImportMode, ImportOptions, ImportReport, KindChoice, RowError};
pub use report::{error_report, reason_text};

use crate::Error;

/// Shorthand for an `import.*` error.
pub(crate) fn import_error(code: &'static str, message: impl Into<String>) -> Error {
    Error::Import { code, message: message.into() }
}
