//! Exporting customers to xlsx or CSV: the current list (its search, filter, sort and trash
//! flag) or a selection, the columns the user chose in their order, headers in the user's
//! language.
//!
//! - **Round trip**: every column that the importer knows has the key of its
//!   [`ImportField`] and a header taken from the importer's own aliases ([`field_header`]),
//!   and values are written the way the importer reads them (several phones, e-mails or groups
//!   joined by `", "`; yes/no and kind/gender words in the file's language; dates as date
//!   cells in xlsx and `yyyy-mm-dd` in CSV), so an exported file imports back unchanged.
//!   `created_at` and `updated_at` are export-only: their headers map to no import field.
//! - **Formula injection**: a text starting with `=`, `+`, `-`, `@`, a tab or a CR is written
//!   with a leading `'` in both formats ([`neutralise`]); so is a text that already starts
//!   with `'`, so that an importer that strips one leading `'` gets every value back exactly.
//!   Phones, codes and tax codes are always text cells, never numbers.
//! - **Memory**: rows stream from one SQLite statement (one read snapshot for the count and
//!   the rows) into rust_xlsxwriter's constant-memory worksheets or a buffered CSV writer;
//!   nothing collects the rows. A sheet holds at most [`MAX_SHEET_ROWS`] data rows; the
//!   export continues on a new sheet with the header repeated.
//! - **Files**: the file is written next to the destination under a temporary name and
//!   renamed at the end; cancelling (the progress callback returns `false`) or any error
//!   leaves no file behind and the destination untouched.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use chrono::{DateTime, Datelike, Days, Local, NaiveDate, Timelike, Utc};
use futures_util::TryStreamExt;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Workbook, XlsxError};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;
use ts_rs::TS;

use crate::actor::Actor;
use crate::catalogs;
use crate::customers::{
    ActiveFilter, CustomerFilter, CustomerKind, Gender, ListQuery, SearchPlan, Selection, SortField,
};
use crate::error::{Error, Result};
use crate::import::mapping::ImportField;
use crate::settings::Language;
use crate::staff;
use crate::store::Store;

/// A column of an export. Keys (as serialised) equal the [`ImportField`] names where the
/// importer has the field; `created_at` and `updated_at` exist only in exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExportColumn {
    CustomerCode,
    Name,
    /// Individual or business.
    #[serde(rename = "type")]
    Kind,
    Phone,
    Email,
    Address,
    Segment,
    Level,
    Group,
    Status,
    AcquisitionChannel,
    Owner,
    TaxCode,
    Website,
    Birthday,
    FoundedDate,
    Notes,
    PromoEmailConsent,
    /// The primary contact of a business customer.
    ContactName,
    ContactPhone,
    ContactEmail,
    ContactPosition,
    Gender,
    ServiceManager,
    CreatedAt,
    UpdatedAt,
}

impl ExportColumn {
    /// Every column, in the default order (the importer's field order, then the timestamps).
    pub const ALL: [ExportColumn; 26] = [
        ExportColumn::CustomerCode,
        ExportColumn::Name,
        ExportColumn::Kind,
        ExportColumn::Phone,
        ExportColumn::Email,
        ExportColumn::Address,
        ExportColumn::Segment,
        ExportColumn::Level,
        ExportColumn::Group,
        ExportColumn::Status,
        ExportColumn::AcquisitionChannel,
        ExportColumn::Owner,
        ExportColumn::TaxCode,
        ExportColumn::Website,
        ExportColumn::Birthday,
        ExportColumn::FoundedDate,
        ExportColumn::Notes,
        ExportColumn::PromoEmailConsent,
        ExportColumn::ContactName,
        ExportColumn::ContactPhone,
        ExportColumn::ContactEmail,
        ExportColumn::ContactPosition,
        ExportColumn::Gender,
        ExportColumn::ServiceManager,
        ExportColumn::CreatedAt,
        ExportColumn::UpdatedAt,
    ];

    /// The import field this column fills when the file is imported back; `None` for the
    /// export-only timestamps.
    pub fn field(self) -> Option<ImportField> {
        use ExportColumn as C;
        use ImportField as F;
        Some(match self {
            C::CustomerCode => F::CustomerCode,
            C::Name => F::Name,
            C::Kind => F::Kind,
            C::Phone => F::Phone,
            C::Email => F::Email,
            C::Address => F::Address,
            C::Segment => F::Segment,
            C::Level => F::Level,
            C::Group => F::Group,
            C::Status => F::Status,
            C::AcquisitionChannel => F::AcquisitionChannel,
            C::Owner => F::Owner,
            C::TaxCode => F::TaxCode,
            C::Website => F::Website,
            C::Birthday => F::Birthday,
            C::FoundedDate => F::FoundedDate,
            C::Notes => F::Notes,
            C::PromoEmailConsent => F::PromoEmailConsent,
            C::ContactName => F::ContactName,
            C::ContactPhone => F::ContactPhone,
            C::ContactEmail => F::ContactEmail,
            C::ContactPosition => F::ContactPosition,
            C::Gender => F::Gender,
            C::ServiceManager => F::ServiceManager,
            C::CreatedAt | C::UpdatedAt => return None,
        })
    }

    /// The stable key: the import field's name, or `created_at` / `updated_at`.
    pub fn as_str(self) -> &'static str {
        match (self, self.field()) {
            (_, Some(field)) => field.as_str(),
            (ExportColumn::CreatedAt, None) => "created_at",
            (_, None) => "updated_at",
        }
    }

    /// The column with this key (`kind` is accepted for `type`).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL.into_iter().find(|c| c.as_str() == s).or_else(|| (s == "kind").then_some(ExportColumn::Kind))
    }

    /// The header text in a language; it maps back to [`Self::field`] through the importer's
    /// header matching.
    pub fn header(self, language: Language) -> &'static str {
        match (self.field(), self, language) {
            (Some(field), _, _) => field_header(field, language),
            (None, ExportColumn::CreatedAt, Language::En) => "Created At",
            (None, ExportColumn::CreatedAt, Language::Vi) => "Ngày tạo",
            (None, _, Language::En) => "Updated At",
            (None, _, Language::Vi) => "Ngày cập nhật",
        }
    }

    /// Column width in Excel's character units (at least the header's length).
    fn width(self, language: Language) -> f64 {
        use ExportColumn as C;
        let base: usize = match self {
            C::CustomerCode => 12,
            C::Name | C::Email | C::ContactEmail => 30,
            C::Kind | C::Level | C::Gender | C::Birthday | C::FoundedDate | C::PromoEmailConsent => 12,
            C::Phone | C::ContactPhone => 22,
            C::Address | C::Notes => 40,
            C::Segment | C::Status | C::TaxCode | C::ContactPosition => 16,
            C::Group | C::Website | C::ContactName => 26,
            C::AcquisitionChannel | C::Owner | C::ServiceManager => 22,
            C::CreatedAt | C::UpdatedAt => 20,
        };
        base.max(self.header(language).chars().count() + 2) as f64
    }
}

/// The header of an import field in a language: one of the importer's own aliases
/// ([`crate::import::mapping::aliases`]), so that every header maps back to its field.
pub fn field_header(field: ImportField, language: Language) -> &'static str {
    use ImportField as F;
    let (en, vi) = match field {
        F::CustomerCode => ("Customer Code", "Mã khách hàng"),
        F::Name => ("Customer Name", "Tên khách hàng"),
        F::Kind => ("Customer Type", "Loại khách hàng"),
        F::Phone => ("Phone Number", "Số điện thoại"),
        F::Email => ("Email", "E-mail"),
        F::Address => ("Address", "Địa chỉ"),
        F::Segment => ("Segment", "Phân khúc"),
        F::Level => ("Level", "Hạng khách hàng"),
        F::Group => ("Group", "Nhóm khách hàng"),
        F::Status => ("Status", "Trạng thái"),
        F::AcquisitionChannel => ("Acquisition Channel", "Nguồn khách hàng"),
        F::Owner => ("Owner", "Người phụ trách"),
        F::TaxCode => ("Tax Code", "Mã số thuế"),
        F::Website => ("Website", "Trang web"),
        F::Birthday => ("Date of Birth", "Ngày sinh"),
        F::FoundedDate => ("Founded Date", "Ngày thành lập"),
        F::Notes => ("Notes", "Ghi chú"),
        F::PromoEmailConsent => ("Email Opt-in", "Đồng ý nhận email"),
        F::ContactName => ("Contact Name", "Người liên hệ"),
        F::ContactPhone => ("Contact Phone", "SĐT người liên hệ"),
        F::ContactEmail => ("Contact Email", "Email người liên hệ"),
        F::ContactPosition => ("Contact Title", "Chức vụ người liên hệ"),
        F::Gender => ("Gender", "Giới tính"),
        F::ServiceManager => ("Service Manager", "Người chăm sóc"),
    };
    match language {
        Language::En => en,
        Language::Vi => vi,
    }
}

/// How a customer kind is written in a file (the importer reads both languages).
pub fn kind_word(kind: CustomerKind, language: Language) -> &'static str {
    match (kind, language) {
        (CustomerKind::Individual, Language::En) => "Individual",
        (CustomerKind::Business, Language::En) => "Business",
        (CustomerKind::Individual, Language::Vi) => "Cá nhân",
        (CustomerKind::Business, Language::Vi) => "Doanh nghiệp",
    }
}

/// How a gender is written in a file.
pub fn gender_word(gender: Gender, language: Language) -> &'static str {
    match (gender, language) {
        (Gender::Male, Language::En) => "Male",
        (Gender::Female, Language::En) => "Female",
        (Gender::Other, Language::En) => "Other",
        (Gender::Male, Language::Vi) => "Nam",
        (Gender::Female, Language::Vi) => "Nữ",
        (Gender::Other, Language::Vi) => "Khác",
    }
}

/// How a yes/no value is written in a file.
pub fn yes_no(value: bool, language: Language) -> &'static str {
    match (value, language) {
        (true, Language::En) => "Yes",
        (false, Language::En) => "No",
        (true, Language::Vi) => "Có",
        (false, Language::Vi) => "Không",
    }
}

/// Separator of several values in one cell (phones, e-mails, groups); the importer splits on it.
pub const LIST_SEPARATOR: &str = ", ";

/// [`neutralise`] for an owned text (no copy unless it changes).
fn neutralised(s: String) -> String {
    match neutralise(&s) {
        Cow::Borrowed(_) => s,
        Cow::Owned(o) => o,
    }
}

/// A text made safe for a spreadsheet: one that a spreadsheet could take for a formula
/// (starting with `=`, `+`, `-`, `@`, a tab or a CR), or that starts with `'` itself, gets a
/// leading `'`. Stripping one leading `'` gives the value back.
pub fn neutralise(s: &str) -> Cow<'_, str> {
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r' | b'\'') => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExportFormat {
    #[default]
    Xlsx,
    /// UTF-8 with a byte order mark, comma-separated, RFC 4180 quoting, CRLF line ends.
    Csv,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Csv => "csv",
        }
    }
}

/// Which customers: everything the list shows (search, filter, sort, trash; its page cursor,
/// offset and limit are ignored), or a selection (in name order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExportSource {
    Query(ListQuery),
    Selection(Selection),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportRequest {
    pub source: ExportSource,
    /// Columns in the order wanted; empty means every column ([`ExportColumn::ALL`]). A column
    /// given twice is written once.
    #[serde(default)]
    pub columns: Vec<ExportColumn>,
    #[serde(default)]
    pub format: ExportFormat,
    /// Language of the headers and of the words in cells (yes/no, kinds, genders).
    #[serde(default)]
    pub language: Language,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportReport {
    /// Customers written.
    #[ts(type = "number")]
    pub rows: u64,
    /// Worksheets written (xlsx; 1 for CSV).
    pub sheets: u32,
    /// Where the file is.
    pub path: String,
}

/// Data rows on one worksheet: Excel's 1,048,576 rows less the header.
pub const MAX_SHEET_ROWS: u32 = 1_048_575;

/// How often (in rows) the progress callback is called.
const PROGRESS_EVERY: u64 = 1_000;

/// Export customers to `path` (xlsx or CSV per `request.format`). `on_progress(done, total)` is
/// called at the start, every thousand rows and at the end; returning `false` cancels: the
/// partial file is removed and the result is [`Error::Cancelled`].
pub async fn export(
    store: &Store,
    actor: &Actor,
    request: &ExportRequest,
    path: &Path,
    on_progress: &mut (dyn FnMut(u64, u64) -> bool + Send),
) -> Result<ExportReport> {
    export_with_sheet_limit(store, actor, request, path, on_progress, MAX_SHEET_ROWS).await
}

/// [`export`] with at most `rows_per_sheet` data rows per worksheet (tests use a small limit to
/// see the spill onto further sheets).
#[doc(hidden)]
pub async fn export_with_sheet_limit(
    store: &Store,
    actor: &Actor,
    request: &ExportRequest,
    path: &Path,
    on_progress: &mut (dyn FnMut(u64, u64) -> bool + Send),
    rows_per_sheet: u32,
) -> Result<ExportReport> {
    // Every staff member may export what they may list (`customers::list` has no rule either).
    let _ = actor;
    let columns = columns_of(request);
    let language = request.language;
    let dir = folder_of(path)?;
    let names = Names::load(store).await?;

    let mut args = Vec::new();
    let (filter, order, chunked) = source_sql(&request.source, &mut args);
    let mut tx = store.pool().begin().await?;
    let count_sql = format!("SELECT count(*) FROM customers c WHERE {filter}");
    let total: i64 = bind_args!(sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql)), &args).fetch_one(&mut *tx).await?;
    let total = total.max(0) as u64;
    if !on_progress(0, total) {
        return Err(Error::Cancelled);
    }

    let mut tmp = temp_beside(dir)?;
    let sink = match request.format {
        ExportFormat::Xlsx => Sink::Xlsx(Box::new(XlsxSink::new(&columns, language, rows_per_sheet, dir)?)),
        ExportFormat::Csv => Sink::Csv(Box::new(CsvSink::new(tmp.reopen()?, &columns, language)?)),
    };

    let mut out = Rows { sink, done: 0, total, on_progress };
    if chunked {
        read_chunked(&mut tx, &columns, &filter, &args, &order, language, &names, &mut out).await?;
    } else {
        let sql = format!("SELECT {} FROM customers c WHERE {filter} ORDER BY {}", select_list(&columns), order.by);
        let mut rows = bind_args!(sqlx::query(sqlx::AssertSqlSafe(sql)), &args).fetch(&mut *tx);
        let mut cells: Vec<Value<'_>> = Vec::with_capacity(columns.len());
        while let Some(row) = rows.try_next().await? {
            cells.clear();
            for (i, column) in columns.iter().enumerate() {
                cells.push(read_cell(&row, i, *column, language, &names)?);
            }
            out.write(&mut cells)?;
        }
    }
    let Rows { sink, done, on_progress, .. } = out;
    tx.commit().await?;
    if !on_progress(done, total.max(done)) {
        return Err(Error::Cancelled);
    }

    let finish = crate::import::timing::span("export: finish the file");
    let sheets = sink.finish(tmp.as_file_mut())?;
    persist(tmp, path)?;
    drop(finish);
    crate::import::timing::report("export phases");
    Ok(ExportReport { rows: done, sheets, path: path.display().to_string() })
}

/// The folder a file is to be written in (`.` for a bare file name); refuses a folder as the file.
pub(crate) fn folder_of(path: &Path) -> Result<&Path> {
    if path.file_name().is_none() || path.is_dir() {
        return Err(Error::InvalidArgument(format!("not a file name: {}", path.display())));
    }
    Ok(match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    })
}

/// A temporary file in `dir` (the destination's folder, so that the final rename is atomic);
/// removed when dropped, so an error or a cancel leaves nothing behind.
pub(crate) fn temp_beside(dir: &Path) -> Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".clientele-").suffix(".part");
    // A temporary file is private (0600); the finished file gets the usual permissions (umask).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    Ok(builder.tempfile_in(dir)?)
}

/// Flush a finished temporary file to disk and move it to `path` (replacing what was there).
pub(crate) fn persist(tmp: tempfile::NamedTempFile, path: &Path) -> Result<()> {
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| Error::Io(format!("{}: {}", path.display(), e.error)))?;
    Ok(())
}

fn columns_of(request: &ExportRequest) -> Vec<ExportColumn> {
    let wanted: &[ExportColumn] = if request.columns.is_empty() { &ExportColumn::ALL } else { &request.columns };
    let mut columns = Vec::with_capacity(wanted.len());
    for c in wanted {
        if !columns.contains(c) {
            columns.push(*c);
        }
    }
    columns
}

// ---------------------------------------------------------------------------------------------
// Which rows, in which order.

/// A bind value of the export's query.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Text(String),
    Int(i64),
    Stamp(DateTime<Utc>),
}

macro_rules! bind_args {
    ($query:expr, $args:expr) => {{
        let mut q = $query;
        for a in $args {
            q = match a {
                Arg::Text(t) => q.bind(t.clone()),
                Arg::Int(i) => q.bind(*i),
                Arg::Stamp(s) => q.bind(*s),
            };
        }
        q
    }};
}
use bind_args;

fn ids_json(ids: &[i64]) -> String {
    serde_json::Value::from(ids).to_string()
}

/// The `WHERE` condition on `c` (customers) and the order of a source, with their binds, and
/// whether the rows can be read in chunks (see [`read_chunked`]): not with a search (its index
/// condition would be evaluated again for every chunk) nor a list of ids (parsed again for every
/// chunk); those are read row by row.
fn source_sql(source: &ExportSource, args: &mut Vec<Arg>) -> (String, Order, bool) {
    match source {
        ExportSource::Query(q) => {
            let mut sql = String::from(if q.trash { "c.deleted_at IS NOT NULL" } else { "c.deleted_at IS NULL" });
            let inactive = matches!(q.filter.active, Some(ActiveFilter::Inactive | ActiveFilter::All));
            let search = search_sql(&q.search, q.trash, inactive, args);
            sql.push_str(&search);
            sql.push_str(&filter_sql(&q.filter, args));
            sql.push_str(&state_sql(&q.filter, q.trash, args));
            (sql, order_by(q.sort, q.desc), search.is_empty())
        }
        ExportSource::Selection(Selection::Ids { ids }) => {
            args.push(Arg::Text(ids_json(ids)));
            ("c.id IN (SELECT value FROM json_each(?))".to_owned(), order_by(SortField::Name, false), false)
        }
        ExportSource::Selection(Selection::Matching { search, filter, except }) => {
            let mut sql = String::from("c.deleted_at IS NULL");
            let inactive = matches!(filter.active, Some(ActiveFilter::Inactive | ActiveFilter::All));
            let search = search_sql(search, false, inactive, args);
            sql.push_str(&search);
            sql.push_str(&filter_sql(filter, args));
            sql.push_str(&state_sql(filter, false, args));
            if !except.is_empty() {
                sql.push_str(" AND c.id NOT IN (SELECT value FROM json_each(?))");
                args.push(Arg::Text(ids_json(except)));
            }
            (sql, order_by(SortField::Name, false), search.is_empty())
        }
    }
}

/// The list's search as an `AND …` condition: the word and phone indexes for live customers
/// (as `customers::list` matches), token prefixes of `search_text` in the trash.
fn search_sql(search: &str, trash: bool, inactive: bool, args: &mut Vec<Arg>) -> String {
    let Some(plan) = SearchPlan::new(search) else { return String::new() };
    if trash {
        let mut sql = String::new();
        for token in &plan.tokens {
            sql.push_str(" AND instr(' ' || c.search_text, ' ' || ?) > 0");
            args.push(Arg::Text(token.clone()));
        }
        sql
    } else {
        // Live customers include inactive ones when the filter asks for them.
        let (sql, binds) = plan.filter_sql(inactive);
        args.extend(binds.into_iter().map(Arg::Text));
        format!(" AND {sql}")
    }
}

/// A [`CustomerFilter`] as `AND …` conditions on `c` (customers); column names come from this
/// function only, values are bound.
pub(crate) fn filter_sql(filter: &CustomerFilter, args: &mut Vec<Arg>) -> String {
    let mut sql = String::new();
    if let Some(kind) = filter.kind {
        sql.push_str(" AND c.kind = ?");
        args.push(Arg::Text(kind.as_str().to_owned()));
    }
    let columns: [(&str, &[i64]); 6] = [
        ("c.segment_id", &filter.segment_ids),
        ("c.level_id", &filter.level_ids),
        ("c.status_id", &filter.status_ids),
        ("c.channel_id", &filter.channel_ids),
        ("c.owner_id", &filter.owner_ids),
        ("c.service_manager_id", &filter.service_manager_ids),
    ];
    for (column, ids) in columns {
        if !ids.is_empty() {
            sql.push_str(&format!(" AND {column} IN (SELECT value FROM json_each(?))"));
            args.push(Arg::Text(ids_json(ids)));
        }
    }
    let links: [(&str, &[i64]); 2] =
        [("customer_groups", &filter.group_ids), ("customer_products", &filter.product_ids)];
    for (table, ids) in links {
        if !ids.is_empty() {
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM {table} l WHERE l.customer_id = c.id \
                 AND l.item_id IN (SELECT value FROM json_each(?)))"
            ));
            args.push(Arg::Text(ids_json(ids)));
        }
    }
    // Timestamps are stored in one fixed format, so binding a timestamp compares like for like.
    if let Some(from) = filter.created_from {
        sql.push_str(" AND c.created_at >= ?");
        args.push(Arg::Stamp(from.and_time(chrono::NaiveTime::MIN).and_utc()));
    }
    if let Some(to) = filter.created_to.and_then(|d| d.checked_add_days(Days::new(1))) {
        sql.push_str(" AND c.created_at < ?");
        args.push(Arg::Stamp(to.and_time(chrono::NaiveTime::MIN).and_utc()));
    }
    if let Some(consent) = filter.email_consent {
        sql.push_str(" AND c.email_consent = ?");
        args.push(Arg::Int(i64::from(consent)));
    }
    sql
}

/// The pool, approval, activity and last-contact parts of a filter, as the list reads them: live
/// lists hold active customers only unless asked (a literal condition, which the list's partial
/// sort indexes answer); the trash holds every activity unless asked.
fn state_sql(filter: &CustomerFilter, trash: bool, args: &mut Vec<Arg>) -> String {
    let mut sql = String::new();
    if let Some(pool) = filter.in_pool {
        sql.push_str(" AND c.in_pool = ?");
        args.push(Arg::Int(i64::from(pool)));
    }
    if let Some(approval) = filter.approval {
        sql.push_str(" AND c.approval = ?");
        args.push(Arg::Text(approval.as_str().to_owned()));
    }
    match (filter.active, trash) {
        (None | Some(ActiveFilter::Active), false) | (Some(ActiveFilter::Active), true) => {
            sql.push_str(" AND c.active = 1")
        }
        (Some(ActiveFilter::Inactive), _) => sql.push_str(" AND c.active = 0"),
        (Some(ActiveFilter::All), _) | (None, true) => {}
    }
    if filter.not_contacted_days.is_some() {
        sql.push_str(" AND coalesce(c.last_contact_at, '') < ?");
        args.push(Arg::Text(crate::customers::contact_cutoff(filter, Utc::now())));
    }
    sql
}

/// The list's order for a sort (ties broken by id, as the grid does), and how to continue after
/// a row in it.
struct Order {
    /// `ORDER BY` on `c` (customers).
    by: &'static str,
    /// The sort key (`''` in creation order, which is id order).
    key: &'static str,
    desc: bool,
    created: bool,
}

impl Order {
    /// The keyset comparison: rows after the last one, in this order.
    fn cmp(&self) -> &'static str {
        if self.desc { "<" } else { ">" }
    }
}

fn order_by(sort: SortField, desc: bool) -> Order {
    let (by, key) = match (sort, desc) {
        (SortField::Name, false) => ("c.name_key ASC, c.id ASC", "c.name_key"),
        (SortField::Name, true) => ("c.name_key DESC, c.id DESC", "c.name_key"),
        (SortField::Code, false) => ("c.code_key ASC, c.id ASC", "c.code_key"),
        (SortField::Code, true) => ("c.code_key DESC, c.id DESC", "c.code_key"),
        (SortField::Created, false) => ("c.id ASC", "''"),
        (SortField::Created, true) => ("c.id DESC", "''"),
        (SortField::LastContact, false) => {
            ("coalesce(c.last_contact_at, '') ASC, c.id ASC", "coalesce(c.last_contact_at, '')")
        }
        (SortField::LastContact, true) => {
            ("coalesce(c.last_contact_at, '') DESC, c.id DESC", "coalesce(c.last_contact_at, '')")
        }
    };
    Order { by, key, desc, created: sort == SortField::Created }
}

// ---------------------------------------------------------------------------------------------
// One customer's values.

/// The SQL of a column's value (`c` = customers). Joined lists (`LIST_SEPARATOR`, in their
/// order; the chunked read joins phones and e-mails itself, see `chunk_column_sql`) and the
/// primary contact are made by SQLite, on the connection's own thread; catalog
/// items and staff are read as ids and named from [`Names`] (cheaper than a lookup per row in SQL).
fn column_sql(column: ExportColumn) -> &'static str {
    use ExportColumn as C;
    // The primary contact of a business: marked primary first, then the first in order.
    macro_rules! contact {
        ($value:literal) => {
            concat!(
                "CASE WHEN c.kind = 'business' THEN (SELECT ",
                $value,
                " FROM contacts p WHERE p.customer_id = c.id ORDER BY p.is_primary DESC, p.sort_order, p.id LIMIT 1) END"
            )
        };
    }
    match column {
        C::CustomerCode => "c.code",
        C::Name => "c.name",
        C::Kind => "c.kind",
        C::Phone => "(SELECT group_concat(j.value, ', ' ORDER BY j.key) FROM json_each(c.phones) j)",
        C::Email => "(SELECT group_concat(j.value, ', ' ORDER BY j.key) FROM json_each(c.emails) j)",
        C::Address => "c.address",
        C::Segment => "c.segment_id",
        C::Level => "c.level_id",
        C::Group => {
            "(SELECT group_concat(i.name, ', ' ORDER BY i.sort_order, i.id) FROM customer_groups g \
             JOIN catalog_items i ON i.id = g.item_id WHERE g.customer_id = c.id)"
        }
        C::Status => "c.status_id",
        C::AcquisitionChannel => "c.channel_id",
        C::Owner => "c.owner_id",
        C::TaxCode => "c.tax_code",
        C::Website => "c.website",
        C::Birthday => "c.birthday",
        C::FoundedDate => "c.founded_on",
        C::Notes => "c.notes",
        C::PromoEmailConsent => "c.email_consent",
        C::ContactName => contact!("p.name"),
        C::ContactPhone => contact!("(SELECT group_concat(j.value, ', ' ORDER BY j.key) FROM json_each(p.phones) j)"),
        C::ContactEmail => contact!("(SELECT group_concat(j.value, ', ' ORDER BY j.key) FROM json_each(p.emails) j)"),
        C::ContactPosition => contact!("p.position_id"),
        C::Gender => "c.gender",
        C::ServiceManager => "c.service_manager_id",
        C::CreatedAt => "c.created_at",
        C::UpdatedAt => "c.updated_at",
    }
}

/// `column_sql` for the chunked read, where lists of phones and e-mails go out as stored (JSON
/// text) and are joined here (`json_cell`), off SQLite's thread.
fn chunk_column_sql(column: ExportColumn) -> &'static str {
    match column {
        ExportColumn::Phone => "c.phones",
        ExportColumn::Email => "c.emails",
        other => column_sql(other),
    }
}

/// One expression per chosen column, in order.
fn select_list(columns: &[ExportColumn]) -> String {
    columns.iter().map(|c| column_sql(*c)).collect::<Vec<_>>().join(", ")
}

/// Names of catalog items (all kinds) and staff members (inactive ones too), by id.
struct Names {
    catalog: HashMap<i64, String>,
    staff: HashMap<i64, String>,
}

impl Names {
    async fn load(store: &Store) -> Result<Names> {
        let catalog = catalogs::all(store).await?.items.into_iter().map(|i| (i.id, i.name)).collect();
        let staff = staff::list(store).await?.into_iter().map(|s| (s.id, s.name)).collect();
        Ok(Names { catalog, staff })
    }
}

/// One cell's value before it is written.
enum Value<'a> {
    Empty,
    Text(String),
    /// A fixed word (kind, yes/no) or a catalog item's or staff member's name.
    Word(&'a str),
    Date(NaiveDate),
    Stamp(DateTime<Utc>),
}

/// Column `i` of a row as the value of `column`.
fn read_cell<'n>(
    row: &SqliteRow,
    i: usize,
    column: ExportColumn,
    language: Language,
    names: &'n Names,
) -> Result<Value<'n>> {
    use ExportColumn as C;
    let named = |map: &'n HashMap<i64, String>| -> Result<Value<'n>> {
        let id: Option<i64> = row.try_get(i)?;
        Ok(id.and_then(|id| map.get(&id)).map_or(Value::Empty, |n| Value::Word(n)))
    };
    Ok(match column {
        C::Segment | C::Level | C::Status | C::AcquisitionChannel | C::ContactPosition => named(&names.catalog)?,
        C::Owner | C::ServiceManager => named(&names.staff)?,
        C::Kind => {
            let kind: Option<String> = row.try_get(i)?;
            let kind = kind.as_deref().and_then(CustomerKind::parse).unwrap_or_default();
            Value::Word(kind_word(kind, language))
        }
        C::Gender => {
            let gender: Option<String> = row.try_get(i)?;
            gender.as_deref().and_then(Gender::parse).map_or(Value::Empty, |g| Value::Word(gender_word(g, language)))
        }
        C::PromoEmailConsent => Value::Word(yes_no(row.try_get::<Option<bool>, _>(i)?.unwrap_or(false), language)),
        C::Birthday | C::FoundedDate => row.try_get::<Option<NaiveDate>, _>(i)?.map_or(Value::Empty, Value::Date),
        C::CreatedAt | C::UpdatedAt => row.try_get::<Option<DateTime<Utc>>, _>(i)?.map_or(Value::Empty, Value::Stamp),
        _ => match row.try_get::<Option<String>, _>(i)? {
            Some(s) if !s.is_empty() => Value::Text(s),
            _ => Value::Empty,
        },
    })
}

/// Rows per statement when reading in chunks.
const CHUNK: i64 = 1_000;

/// The written rows and the progress callback.
struct Rows<'p> {
    sink: Sink,
    done: u64,
    total: u64,
    on_progress: &'p mut (dyn FnMut(u64, u64) -> bool + Send),
}

impl Rows<'_> {
    fn write(&mut self, cells: &mut [Value<'_>]) -> Result<()> {
        self.sink.write_row(cells)?;
        self.done += 1;
        if self.done.is_multiple_of(PROGRESS_EVERY) && !(self.on_progress)(self.done, self.total.max(self.done)) {
            return Err(Error::Cancelled);
        }
        Ok(())
    }
}

/// Read the rows a thousand at a time, each thousand as one JSON array made by SQLite, continuing
/// after the last row's sort key (keyset). The connection's thread hands over one value per
/// thousand customers instead of one row per customer, and makes the next thousand while this
/// thread writes the last: SQLite and the file writer work at the same time.
#[allow(clippy::too_many_arguments, reason = "one call site; the parts of one read")]
async fn read_chunked(
    conn: &mut sqlx::SqliteConnection,
    columns: &[ExportColumn],
    filter: &str,
    args: &[Arg],
    order: &Order,
    language: Language,
    names: &Names,
    out: &mut Rows<'_>,
) -> Result<()> {
    let inner: Vec<String> =
        columns.iter().enumerate().map(|(i, c)| format!("{} AS v{i}", chunk_column_sql(*c))).collect();
    let values: Vec<String> = (0..columns.len()).map(|i| format!("v{i}")).collect();
    let (inner, values) = (inner.join(", "), values.join(", "));
    // The statement of the chunk after `after`, with its binds.
    let chunk = |after: Option<(String, i64)>| {
        let mut chunk_args = args.to_vec();
        let keyset = match after {
            None => String::new(),
            Some((_, id)) if order.created => {
                chunk_args.push(Arg::Int(id));
                format!(" AND c.id {} ?", order.cmp())
            }
            Some((key, id)) => {
                chunk_args.push(Arg::Text(key));
                chunk_args.push(Arg::Int(id));
                format!(" AND ({}, c.id) {} (?, ?)", order.key, order.cmp())
            }
        };
        chunk_args.push(Arg::Int(CHUNK));
        // The rows come out of the inner query in order; sorting them again inside the aggregate
        // cost SQLite's thread a sort per chunk (~1.5 s at 1M rows). They are checked for order
        // here instead (`in_order`), which costs nothing when they are.
        let sql = format!(
            "SELECT json_group_array(json_array({values}, k, id)) FROM (SELECT {inner}, \
             {key} AS k, c.id AS id FROM customers c WHERE {filter}{keyset} ORDER BY {by} LIMIT ?)",
            key = order.key,
            by = order.by,
        );
        (sql, chunk_args)
    };
    let mut cells: Vec<Value<'_>> = Vec::with_capacity(columns.len());
    let mut stamps = StampCache::default();
    let (sql, chunk_args) = chunk(None);
    let mut next = Some(Fetch::start(conn, sql, chunk_args).await);
    while let Some(fetch) = next.take() {
        let wait = crate::import::timing::span("export: wait for a chunk");
        let (conn, json) = fetch.finish().await;
        drop(wait);
        let _work = crate::import::timing::span("export: parse and write a chunk");
        let json = json?;
        let mut rows: Vec<Vec<serde_json::Value>> = serde_json::from_str(json.as_deref().unwrap_or("[]"))
            .map_err(|e| Error::Database(format!("export chunk: {e}")))?;
        in_order(&mut rows, order.desc);
        let n = rows.len();
        // The next chunk starts after this one's last row: ask for it before writing this one.
        let last = rows.last().map(|row| {
            let id = row.last().and_then(|v| v.as_i64()).unwrap_or_default();
            let key = match row.len().checked_sub(2).and_then(|i| row.get(i)) {
                Some(serde_json::Value::String(k)) => k.clone(),
                _ => String::new(),
            };
            (key, id)
        });
        if (n as i64) >= CHUNK {
            let (sql, chunk_args) = chunk(last);
            next = Some(Fetch::start(conn, sql, chunk_args).await);
        }
        for mut row in rows {
            row.truncate(row.len().saturating_sub(2));
            cells.clear();
            for (value, column) in row.into_iter().zip(columns) {
                cells.push(json_cell(value, *column, language, names, &mut stamps));
            }
            out.write(&mut cells)?;
        }
    }
    Ok(())
}

/// Put a chunk's rows (each ending with its sort key and id) in list order: a stable sort,
/// linear on rows already in order, as SQLite gives them. Keys compare as SQLite's BINARY
/// collation does (bytes).
fn in_order(rows: &mut [Vec<serde_json::Value>], descending: bool) {
    fn key(row: &[serde_json::Value]) -> (&str, i64) {
        let n = row.len();
        let k = n.checked_sub(2).and_then(|i| row[i].as_str()).unwrap_or_default();
        let id = row.last().and_then(serde_json::Value::as_i64).unwrap_or_default();
        (k, id)
    }
    rows.sort_by(|a, b| {
        let o = key(a).cmp(&key(b));
        if descending { o.reverse() } else { o }
    });
}

/// What a chunk's statement gives back: the connection, and the chunk's JSON.
type Fetched<'c> = (&'c mut sqlx::SqliteConnection, Result<Option<String>>);

/// A chunk's statement on its way through the connection's worker thread, which holds the
/// connection until it is done.
struct Fetch<'c> {
    future: std::pin::Pin<Box<dyn std::future::Future<Output = Fetched<'c>> + Send + 'c>>,
}

impl<'c> Fetch<'c> {
    /// Hand the statement to the worker (one poll) and return without waiting for it.
    async fn start(conn: &'c mut sqlx::SqliteConnection, sql: String, args: Vec<Arg>) -> Fetch<'c> {
        let mut future: std::pin::Pin<Box<dyn std::future::Future<Output = _> + Send + 'c>> = Box::pin(async move {
            let json: std::result::Result<Option<String>, sqlx::Error> =
                bind_args!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)), &args).fetch_one(&mut *conn).await;
            (conn, json.map_err(Error::from))
        });
        match std::future::poll_fn(|cx| std::task::Poll::Ready(future.as_mut().poll(cx))).await {
            std::task::Poll::Ready(done) => Fetch { future: Box::pin(std::future::ready(done)) },
            std::task::Poll::Pending => Fetch { future },
        }
    }

    /// Wait for the result; the connection comes back with it.
    async fn finish(self) -> Fetched<'c> {
        self.future.await
    }
}

/// The last timestamp read and written, converted once: an import's customers share theirs.
#[derive(Default)]
struct StampCache {
    text: String,
    stamp: Option<DateTime<Utc>>,
}

impl StampCache {
    fn parse(&mut self, text: &str) -> Option<DateTime<Utc>> {
        if self.text != text {
            self.text.clear();
            self.text.push_str(text);
            self.stamp = DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc));
        }
        self.stamp
    }
}

/// `yyyy-mm-dd` as stored, without a format parser; anything else through chrono.
fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            b[r].iter().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
        };
        if let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) {
            return NaiveDate::from_ymd_opt(y as i32, m, d);
        }
    }
    NaiveDate::parse_from_str(s, DATE_FORMAT).ok()
}

/// A chunk's JSON value as the value of `column` (see [`read_cell`] for a row's).
fn json_cell<'n>(
    value: serde_json::Value,
    column: ExportColumn,
    language: Language,
    names: &'n Names,
    stamps: &mut StampCache,
) -> Value<'n> {
    use ExportColumn as C;
    use serde_json::Value as J;
    let named = |map: &'n HashMap<i64, String>| {
        value.as_i64().and_then(|id| map.get(&id)).map_or(Value::Empty, |n| Value::Word(n))
    };
    match column {
        C::Segment | C::Level | C::Status | C::AcquisitionChannel | C::ContactPosition => named(&names.catalog),
        C::Owner | C::ServiceManager => named(&names.staff),
        C::Kind => Value::Word(kind_word(value.as_str().and_then(CustomerKind::parse).unwrap_or_default(), language)),
        C::Gender => {
            value.as_str().and_then(Gender::parse).map_or(Value::Empty, |g| Value::Word(gender_word(g, language)))
        }
        C::PromoEmailConsent => Value::Word(yes_no(value.as_i64().is_some_and(|v| v != 0), language)),
        C::Birthday | C::FoundedDate => value.as_str().and_then(parse_date).map_or(Value::Empty, Value::Date),
        C::CreatedAt | C::UpdatedAt => value.as_str().and_then(|t| stamps.parse(t)).map_or(Value::Empty, Value::Stamp),
        C::Phone | C::Email => {
            let list: Vec<String> = value.as_str().and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default();
            if list.is_empty() { Value::Empty } else { Value::Text(list.join(LIST_SEPARATOR)) }
        }
        _ => match value {
            J::String(s) if !s.is_empty() => Value::Text(s),
            J::Number(n) => Value::Text(n.to_string()),
            _ => Value::Empty,
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Writers.

fn xlsx_error(e: XlsxError) -> Error {
    Error::Io(format!("xlsx: {e}"))
}

fn csv_error(e: csv::Error) -> Error {
    Error::Io(format!("csv: {e}"))
}

const DATE_FORMAT: &str = "%Y-%m-%d";
const STAMP_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// Excel's limit on the characters of one cell.
const MAX_CELL_CHARS: usize = 32_767;

enum Sink {
    Xlsx(Box<XlsxSink>),
    Csv(Box<CsvSink>),
}

impl Sink {
    fn write_row(&mut self, cells: &mut [Value<'_>]) -> Result<()> {
        match self {
            Sink::Xlsx(x) => x.write_row(cells).map_err(xlsx_error),
            Sink::Csv(c) => c.write_row(cells),
        }
    }

    /// Complete the file; returns the number of worksheets.
    fn finish(self, file: &mut File) -> Result<u32> {
        match self {
            Sink::Xlsx(x) => x.finish(file),
            Sink::Csv(c) => c.finish(),
        }
    }
}

/// An xlsx file of constant-memory worksheets (each streams its rows to a temporary file).
struct XlsxSink {
    workbook: Workbook,
    columns: Vec<ExportColumn>,
    language: Language,
    header: Format,
    date: Format,
    stamp: Format,
    /// Data rows per sheet.
    limit: u32,
    sheets: u32,
    /// Data rows written on the current sheet.
    row: u32,
    /// The last timestamp written and its cell: a local date-time, or text outside Excel's dates.
    last_stamp: Option<(DateTime<Utc>, std::result::Result<ExcelDateTime, String>)>,
}

impl XlsxSink {
    fn new(columns: &[ExportColumn], language: Language, limit: u32, tempdir: &Path) -> Result<XlsxSink> {
        let mut workbook = Workbook::new();
        // The worksheets' temporary files go beside the destination, not to a RAM-backed /tmp.
        workbook.set_tempdir(tempdir).map_err(xlsx_error)?;
        let header = Format::new().set_bold().set_background_color("#E8EEF4").set_border_bottom(FormatBorder::Thin);
        let mut sink = XlsxSink {
            workbook,
            columns: columns.to_vec(),
            language,
            header,
            date: Format::new().set_num_format("yyyy-mm-dd"),
            stamp: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
            limit: limit.clamp(1, MAX_SHEET_ROWS),
            sheets: 0,
            row: 0,
            last_stamp: None,
        };
        sink.new_sheet().map_err(xlsx_error)?;
        Ok(sink)
    }

    fn new_sheet(&mut self) -> Result<(), XlsxError> {
        self.sheets += 1;
        let base = match self.language {
            Language::En => "Customers",
            Language::Vi => "Khách hàng",
        };
        let name = if self.sheets == 1 { base.to_owned() } else { format!("{base} ({})", self.sheets) };
        let ws = self.workbook.add_worksheet_with_constant_memory()?;
        ws.set_name(name)?;
        ws.set_freeze_panes(1, 0)?;
        for (i, column) in self.columns.iter().enumerate() {
            let col = i as u16;
            ws.set_column_width(col, column.width(self.language))?;
            ws.write_string_with_format(0, col, column.header(self.language), &self.header)?;
        }
        self.row = 0;
        Ok(())
    }

    fn write_row(&mut self, cells: &mut [Value<'_>]) -> Result<(), XlsxError> {
        if self.row >= self.limit {
            self.new_sheet()?;
        }
        self.row += 1;
        let row = self.row;
        let index = self.sheets as usize - 1;
        let ws = self.workbook.worksheet_from_index(index)?;
        for (i, value) in cells.iter_mut().enumerate() {
            let col = i as u16;
            match std::mem::replace(value, Value::Empty) {
                Value::Empty => {}
                Value::Text(s) => {
                    let mut safe = neutralised(s);
                    if safe.len() > MAX_CELL_CHARS && safe.chars().count() > MAX_CELL_CHARS {
                        safe = safe.chars().take(MAX_CELL_CHARS).collect();
                    }
                    ws.write_string(row, col, safe)?;
                }
                Value::Word(w) => {
                    ws.write_string(row, col, neutralise(w))?;
                }
                Value::Date(d) => match excel_date(d) {
                    Some(x) => {
                        ws.write_datetime_with_format(row, col, &x, &self.date)?;
                    }
                    // Before 1900 or after 9999: Excel has no such date; ISO text imports the same.
                    None => {
                        ws.write_string(row, col, d.format(DATE_FORMAT).to_string())?;
                    }
                },
                Value::Stamp(t) => {
                    // Rows of one import share their timestamps: convert each once.
                    if self.last_stamp.as_ref().is_none_or(|(u, _)| *u != t) {
                        let local = t.with_timezone(&Local);
                        let cell = match excel_date(local.date_naive())
                            .and_then(|x| x.and_hms(local.hour() as u16, local.minute() as u8, local.second()).ok())
                        {
                            Some(x) => Ok(x),
                            None => Err(local.format(STAMP_FORMAT).to_string()),
                        };
                        self.last_stamp = Some((t, cell));
                    }
                    match &self.last_stamp {
                        Some((_, Ok(x))) => {
                            ws.write_datetime_with_format(row, col, x, &self.stamp)?;
                        }
                        Some((_, Err(text))) => {
                            ws.write_string(row, col, text)?;
                        }
                        None => {}
                    }
                }
            }
        }
        Ok(())
    }

    fn finish(mut self, file: &mut File) -> Result<u32> {
        // The first sheet is the one shown when the file opens.
        if let Ok(first) = self.workbook.worksheet_from_index(0) {
            first.set_active(true);
        }
        let writer = BufWriter::with_capacity(1 << 16, &mut *file);
        self.workbook.save_to_writer(writer).map_err(xlsx_error)?;
        Ok(self.sheets)
    }
}

fn excel_date(d: NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(d.year()).ok().filter(|y| (1900..=9999).contains(y))?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8).ok()
}

/// A UTF-8 CSV with a byte order mark (so Excel reads Vietnamese right), RFC 4180 quoting.
struct CsvSink {
    writer: csv::Writer<BufWriter<File>>,
}

impl CsvSink {
    fn new(file: File, columns: &[ExportColumn], language: Language) -> Result<CsvSink> {
        let mut out = BufWriter::with_capacity(1 << 16, file);
        out.write_all("\u{feff}".as_bytes())?;
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(out);
        writer.write_record(columns.iter().map(|c| c.header(language))).map_err(csv_error)?;
        Ok(CsvSink { writer })
    }

    fn write_row(&mut self, cells: &mut [Value<'_>]) -> Result<()> {
        for value in cells.iter() {
            match value {
                Value::Empty => self.writer.write_field("")?,
                Value::Text(s) => self.writer.write_field(neutralise(s).as_bytes())?,
                Value::Word(w) => self.writer.write_field(neutralise(w).as_bytes())?,
                Value::Date(d) => self.writer.write_field(d.format(DATE_FORMAT).to_string())?,
                Value::Stamp(t) => self.writer.write_field(t.with_timezone(&Local).format(STAMP_FORMAT).to_string())?,
            }
        }
        self.writer.write_record(std::iter::empty::<&[u8]>()).map_err(csv_error)
    }

    fn finish(self) -> Result<u32> {
        let out = self.writer.into_inner().map_err(|e| Error::Io(format!("csv: {}", e.error())))?;
        out.into_inner().map_err(|e| Error::Io(e.error().to_string()))?;
        Ok(1)
    }
}

impl From<csv::Error> for Error {
    fn from(e: csv::Error) -> Self {
        csv_error(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::mapping::{aliases, auto_map, header_key};

    #[test]
    fn chunk_rows_are_put_in_list_order() {
        let row = |v: &str, k: &str, id: i64| vec![serde_json::json!(v), serde_json::json!(k), serde_json::json!(id)];
        let mut rows = vec![row("b", "nguyen", 2), row("a", "an", 9), row("c", "nguyen", 1), row("d", "Đ", 3)];
        in_order(&mut rows, false);
        let values: Vec<&str> = rows.iter().filter_map(|r| r[0].as_str()).collect();
        // Bytes order, as SQLite's BINARY collation: "Đ" (0xC4 0x90) after ASCII; ties by id.
        assert_eq!(values, ["a", "c", "b", "d"]);
        in_order(&mut rows, true);
        let values: Vec<&str> = rows.iter().filter_map(|r| r[0].as_str()).collect();
        assert_eq!(values, ["d", "b", "c", "a"]);
    }

    #[test]
    fn headers_are_importer_aliases_and_map_back() {
        for language in [Language::En, Language::Vi] {
            let headers: Vec<String> = ExportColumn::ALL.iter().map(|c| c.header(language).to_owned()).collect();
            let mapped = auto_map(&headers);
            for (column, field) in ExportColumn::ALL.iter().zip(mapped) {
                assert_eq!(field, column.field(), "{column:?} {language:?}");
                if let Some(f) = column.field() {
                    let h = header_key(column.header(language));
                    assert!(aliases(f).iter().any(|a| header_key(a) == h), "{column:?} {language:?} is not an alias");
                }
            }
        }
    }

    #[test]
    fn keys_round_trip() {
        for column in ExportColumn::ALL {
            assert_eq!(ExportColumn::parse(column.as_str()), Some(column));
            let json = serde_json::to_string(&column).unwrap();
            assert_eq!(json, format!("\"{}\"", column.as_str()));
        }
        for field in ImportField::ALL {
            assert!(ExportColumn::ALL.iter().any(|c| c.field() == Some(field)), "{field} has no column");
        }
        assert_eq!(ExportColumn::parse("kind"), Some(ExportColumn::Kind));
        assert_eq!(ExportColumn::parse("nope"), None);
    }

    #[test]
    fn neutralising() {
        for s in ["=1+1", "+84 912", "-5", "@SUM(A1)", "\tx", "\rx", "'quoted"] {
            assert_eq!(neutralise(s), format!("'{s}"));
        }
        for s in ["Nguyễn", "0912", "", "a=b", " =x"] {
            assert_eq!(neutralise(s), s);
        }
    }
}
