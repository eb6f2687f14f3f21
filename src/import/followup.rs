//! Importing follow-up records: each row of a file (the care records template, or a user's own
//! sheet) becomes a done care activity on an existing customer, through
//! [`crate::care::record_done_many`] (which writes each activity's history entry, raises the
//! customers' last contact and keeps their recurring activities in line).
//!
//! The same pipeline as the customer import (DESIGN.md §4): the same reader, headers mapped by
//! English and Vietnamese aliases compared folded ([`FollowUpField::for_header`]), a dry run
//! with the same report ([`ImportReport`], with `care_mapping` set), the same error report xlsx,
//! and one transaction with an import batch record (kind `care`) that `import::revert` undoes
//! (the activities go, the customers' last contact is recomputed).
//!
//! Each row:
//! - the customer: by code, else by phone or e-mail (the customer column may hold any of the
//!   three; separate phone and e-mail columns work too), compared by the duplicate keys
//!   (`0912 345 678` and `+84912345678` are one phone). Reasons: `missing_customer`,
//!   `unknown_customer`, `ambiguous_customer` (a phone or e-mail of several customers);
//! - the importer must be allowed to record care on the customer (the care module's rule,
//!   `Actor::can_schedule_care`): a refusal rejects the row with its code (`permission.locked`);
//! - the type: a care type by stable key (`call`), by name in either language, or new (created
//!   when the import may create catalog values, else `unknown_type`; blank: `missing_type`);
//! - the title (default: the type's name), the done-at (date cells, Excel serials, day-first
//!   text with an optional `HH:MM`; blank: `missing_done_at`; not a date or in the future:
//!   `bad_date`), the outcome, and the assignee by staff e-mail or name (blank: the default
//!   owner of the options, else the importing staff member; unknown: the same, with an
//!   `unknown_assignee` warning).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use chrono::{Datelike, NaiveDateTime, NaiveTime, Timelike, Utc};
use rust_xlsxwriter::{Format, Workbook};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use tracing::instrument;
use ts_rs::TS;

use super::commit::{ImportPhase, ImportProgress};
use super::mapping::{self, ImportField, header_key};
use super::plan::{ImportMode, ImportOptions, ImportReport, KindChoice, RowError, mapping_key};
use super::read::{self, Cell, ReadOptions, Sheet, SheetReader};
use super::values;
use crate::actor::Actor;
use crate::care::{self, FollowUpRow};
use crate::catalogs::{self, CatalogKind};
use crate::error::{Error, Result};
use crate::history::FieldChange;
use crate::settings::{self, Language};
use crate::store::{Store, WriteTx};
use crate::template::{CareField, care_type_key};
use crate::text;

/// A field a column of a follow-up records file can fill: the care template's columns, plus
/// the customer's phone and e-mail as separate columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FollowUpField {
    /// The customer: their code, or one of their phones or e-mail addresses.
    CustomerCode,
    /// One of the customer's phone numbers.
    Phone,
    /// One of the customer's e-mail addresses.
    Email,
    /// The care type (call, meeting, visit, e-mail, task, or another of the catalog).
    #[serde(rename = "type")]
    Kind,
    Title,
    DoneAt,
    Outcome,
    /// The staff member who did it, by name or e-mail.
    Assignee,
}

impl FollowUpField {
    pub const ALL: [FollowUpField; 8] = [
        FollowUpField::CustomerCode,
        FollowUpField::Phone,
        FollowUpField::Email,
        FollowUpField::Kind,
        FollowUpField::Title,
        FollowUpField::DoneAt,
        FollowUpField::Outcome,
        FollowUpField::Assignee,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FollowUpField::CustomerCode => "customer_code",
            FollowUpField::Phone => "phone",
            FollowUpField::Email => "email",
            FollowUpField::Kind => "type",
            FollowUpField::Title => "title",
            FollowUpField::DoneAt => "done_at",
            FollowUpField::Outcome => "outcome",
            FollowUpField::Assignee => "assignee",
        }
    }

    /// The field a header names: the care template's aliases first ([`CareField::for_header`]),
    /// then the customer importer's phone and e-mail aliases (`SĐT`, `E-mail`, …).
    pub fn for_header(header: &str) -> Option<FollowUpField> {
        if let Some(f) = CareField::for_header(header) {
            return Some(match f {
                CareField::CustomerCode => FollowUpField::CustomerCode,
                CareField::Kind => FollowUpField::Kind,
                CareField::Title => FollowUpField::Title,
                CareField::DoneAt => FollowUpField::DoneAt,
                CareField::Outcome => FollowUpField::Outcome,
                CareField::Assignee => FollowUpField::Assignee,
            });
        }
        let key = header_key(header);
        if let Some(f) = FollowUpField::ALL.into_iter().find(|f| header_key(f.as_str()) == key) {
            return Some(f);
        }
        match mapping::field_for_header(header)? {
            ImportField::Phone | ImportField::ContactPhone => Some(FollowUpField::Phone),
            ImportField::Email | ImportField::ContactEmail => Some(FollowUpField::Email),
            _ => None,
        }
    }

    fn identifies_customer(self) -> bool {
        matches!(self, FollowUpField::CustomerCode | FollowUpField::Phone | FollowUpField::Email)
    }
}

impl std::fmt::Display for FollowUpField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The field of each header, by position; the first header naming a field wins.
pub fn auto_map(headers: &[String]) -> Vec<Option<FollowUpField>> {
    let mut used = HashSet::new();
    headers.iter().map(|h| FollowUpField::for_header(h).filter(|f| used.insert(*f))).collect()
}

/// Whether a header row is a follow-up records file rather than a customer list: a column
/// names the customer (code, phone or e-mail) and one the done-at, and no column is a
/// customer's name that is not also a care header (`Customer`, `Khách hàng` are both).
pub fn looks_like_followups(headers: &[String]) -> bool {
    let care = auto_map(headers);
    let has = |f: FollowUpField| care.contains(&Some(f));
    let names_customer = care.iter().flatten().any(|f| f.identifies_customer());
    let customer_name = headers
        .iter()
        .any(|h| mapping::field_for_header(h) == Some(ImportField::Name) && CareField::for_header(h).is_none());
    names_customer && has(FollowUpField::DoneAt) && !customer_name
}

/// Open `path` for a customer import, or None when `options` on it make it a follow-up records
/// import: asked for (`kind: care`), or `auto` without a customer mapping on a file whose
/// headers look like one. The file is opened (checked, its shared strings read) once: a
/// customer import goes on with the reader returned here.
pub(crate) fn open_customers(path: &Path, options: &ImportOptions) -> Result<Option<SheetReader>> {
    if options.kind == KindChoice::Care {
        return Ok(None);
    }
    let reader = read::open_with(path, &ReadOptions { sheet: options.sheet.clone() })?;
    if options.kind == KindChoice::Auto && options.mapping.is_none() && looks_like_followups(&reader.sheet().headers) {
        return Ok(None);
    }
    Ok(Some(reader))
}

// ---------------------------------------------------------------------------------------------
// Cells.

/// The longest title and outcome (as the care module's forms).
const MAX_TITLE: usize = 200;
const MAX_OUTCOME: usize = 4000;

/// A done-at cell: its wall-clock time and whether it is a whole day; `Ok(None)` when blank.
/// Date cells, Excel serials (the fraction is the time of day), `yyyymmdd`, and text in the
/// customer importer's date forms, optionally followed by `HH:MM[:SS]` (and `AM`/`PM`, `SA`/`CH`).
/// Seconds are dropped.
pub fn done_at(cell: &Cell, date_1904: bool) -> std::result::Result<Option<(NaiveDateTime, bool)>, values::ValueError> {
    let bad = || values::ValueError::BadDate(cell.to_text());
    let at = match cell {
        c if c.is_blank() => return Ok(None),
        Cell::Date(d) => (*d, d.time() == NaiveTime::MIN),
        Cell::Number(n) => serial(*n, date_1904)
            .or_else(|| values::date(cell, date_1904).ok().flatten().map(|d| (d.and_time(NaiveTime::MIN), true)))
            .ok_or_else(bad)?,
        Cell::Text(s) => text_date_time(s, date_1904).ok_or_else(bad)?,
        _ => return Err(bad()),
    };
    let at = at.0.date().and_hms_opt(at.0.hour(), at.0.minute(), 0).map(|t| (t, at.1)).ok_or_else(bad)?;
    if at.0.year() < 1900 {
        return Err(bad());
    }
    Ok(Some(at))
}

/// An Excel serial: the date, and the fraction as the time of day (to the minute).
fn serial(n: f64, date_1904: bool) -> Option<(NaiveDateTime, bool)> {
    let date = values::excel_serial_date(n, date_1904)?;
    let minutes = ((n - n.floor()) * 1440.0).round().clamp(0.0, 1439.0) as u32;
    let time = NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0)?;
    Some((date.and_time(time), minutes == 0))
}

/// A date in text, with an optional time after it.
fn text_date_time(s: &str, date_1904: bool) -> Option<(NaiveDateTime, bool)> {
    let s = text::clean(s);
    // An Excel serial typed as text, with its fraction.
    if let Ok(n) = s.parse::<f64>()
        && n >= 10_000.0
        && s.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && s.len() != 8
    {
        return serial(n, date_1904);
    }
    let date = values::parse_date_text(&s, date_1904)?;
    let Some(colon) = s.find(':') else { return Some((date.and_time(NaiveTime::MIN), true)) };
    // The time token: from after the space or `T` before the colon to the next space.
    let start = s[..colon].rfind([' ', 'T', 't']).map_or(0, |i| i + 1);
    let rest = &s[start..];
    let (token, after) = rest.split_once(' ').unwrap_or((rest, ""));
    let token = token.trim_end_matches(['Z', 'z']);
    let token = token.split(['+', '.']).next().unwrap_or(token);
    let mut parts = token.split(':');
    let number = |p: Option<&str>| -> Option<u32> {
        let p = p?;
        (!p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse().ok())?
    };
    let mut hour = number(parts.next())?;
    let minute = number(parts.next())?;
    if let Some(sec) = parts.next() {
        number(Some(sec)).filter(|s| *s < 60)?;
    }
    if parts.next().is_some() {
        return None;
    }
    match text::fold(after.trim()).as_str() {
        "" => {}
        "am" | "sa" if (1..=12).contains(&hour) => hour %= 12,
        "pm" | "ch" if (1..=12).contains(&hour) => hour = hour % 12 + 12,
        _ => return None,
    }
    let time = NaiveTime::from_hms_opt(hour, minute, 0)?;
    Some((date.and_time(time), false))
}

/// A phone key to look a customer up by, when the text is a plausible phone.
fn phone_candidate(s: &str) -> Option<String> {
    if s.contains('@') || !text::is_valid_phone(s) {
        return None;
    }
    text::phone_key(s).filter(|k| (6..=15).contains(&k.len()))
}

// ---------------------------------------------------------------------------------------------
// Planning.

/// What identifies a row's customer, in the order tried.
#[derive(Default)]
struct Wanted {
    /// The customer column's text (for messages).
    shown: Option<String>,
    code: Option<String>,
    phones: Vec<String>,
    emails: Vec<String>,
}

/// One data row, converted.
struct Draft {
    row: u32,
    wanted: Wanted,
    customer_id: Option<i64>,
    /// A known care type, or (None) a new one named `type_name`.
    type_id: Option<i64>,
    type_name: String,
    title: String,
    done: Option<(NaiveDateTime, bool)>,
    outcome: Option<String>,
    assignee_id: i64,
    errors: Vec<RowError>,
}

/// A valid row, ready to record.
pub(crate) struct Ready {
    row: u32,
    customer_id: i64,
    type_id: Option<i64>,
    type_name: String,
    title: String,
    done_local: NaiveDateTime,
    all_day: bool,
    outcome: Option<String>,
    assignee_id: i64,
}

pub(crate) struct FollowUpPlan {
    pub report: ImportReport,
    pub ready: Vec<Ready>,
    /// New care types, by folded name → name as written first.
    pub new_types: BTreeMap<String, String>,
    /// Every rejected row's errors (for the error report).
    pub rejected: HashMap<u32, Vec<RowError>>,
}

/// Care types by the ways a row may name them.
struct Types {
    by_name: HashMap<String, (i64, String)>,
    by_key: HashMap<String, (i64, String)>,
}

impl Types {
    async fn load(conn: &mut SqliteConnection) -> Result<Types> {
        let rows: Vec<(i64, String, Option<String>)> =
            sqlx::query_as("SELECT id, name, key FROM catalog_items WHERE kind = 'care_type' ORDER BY active DESC, id")
                .fetch_all(conn)
                .await?;
        let mut t = Types { by_name: HashMap::new(), by_key: HashMap::new() };
        for (id, name, key) in rows {
            t.by_name.entry(text::fold(&name)).or_insert((id, name.clone()));
            t.by_name.entry(header_key(&name)).or_insert((id, name.clone()));
            if let Some(k) = key {
                t.by_key.entry(k).or_insert((id, name));
            }
        }
        Ok(t)
    }

    /// A type by folded name, stable key, or the template's word for a key (either language).
    fn find(&self, written: &str) -> Option<&(i64, String)> {
        let folded = text::fold(written);
        self.by_name
            .get(&folded)
            .or_else(|| self.by_key.get(&folded))
            .or_else(|| self.by_name.get(&header_key(written)))
            .or_else(|| care_type_key(written).and_then(|k| self.by_key.get(k)))
    }
}

fn header_of(sheet: &Sheet, col: usize) -> Option<String> {
    sheet.headers.get(col).map(|h| text::clean(h)).filter(|h| !h.is_empty())
}

/// The mapping in use: the caller's, else the one remembered for these headers, else the
/// automatic one. A follow-up file needs a column naming the customer.
fn effective_mapping(
    sheet: &Sheet,
    given: Option<&Vec<Option<FollowUpField>>>,
    remembered: Option<Vec<Option<FollowUpField>>>,
) -> Result<Vec<Option<FollowUpField>>> {
    let mut m = match (given, remembered) {
        (Some(m), _) => m.clone(),
        (None, Some(r)) if r.len() == sheet.headers.len() => r,
        _ => auto_map(&sheet.headers),
    };
    m.resize(sheet.headers.len(), None);
    let mut seen = HashSet::new();
    for f in m.iter().flatten() {
        if !seen.insert(*f) {
            return Err(Error::InvalidArgument(format!("column {} is mapped twice", f.as_str())));
        }
    }
    if !m.iter().flatten().any(|f| f.identifies_customer()) {
        return Err(Error::Import {
            code: "import.no_customer_column",
            message: "no column names the customer (code, phone or e-mail)".into(),
        });
    }
    Ok(m)
}

/// Settings key of the care mapping remembered for a header row.
fn remembered_key(headers: &[String]) -> String {
    mapping_key(&format!("care|{}", mapping::header_signature(headers)))
}

/// Live customers by code key (`code_key → id`).
async fn by_codes(conn: &mut SqliteConnection, codes: &[String]) -> Result<HashMap<String, i64>> {
    let mut out = HashMap::new();
    for chunk in codes.chunks(500) {
        let mut qb: QueryBuilder<Sqlite> =
            QueryBuilder::new("SELECT code_key, id FROM customers WHERE deleted_at IS NULL AND code_key IN (");
        let mut sep = qb.separated(", ");
        for c in chunk {
            sep.push_bind(c.as_str());
        }
        qb.push(")");
        let rows: Vec<(String, i64)> = qb.build_query_as().fetch_all(&mut *conn).await?;
        out.extend(rows);
    }
    Ok(out)
}

/// Live customers by a duplicate key of `kind` (`phone`, `email`): key → ids.
async fn by_keys(conn: &mut SqliteConnection, kind: &str, keys: &[String]) -> Result<HashMap<String, Vec<i64>>> {
    let mut out: HashMap<String, Vec<i64>> = HashMap::new();
    for chunk in keys.chunks(500) {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT k.key, k.customer_id FROM customer_keys k JOIN customers c ON c.id = k.customer_id \
             WHERE c.deleted_at IS NULL AND k.kind = ",
        );
        qb.push_bind(kind).push(" AND k.key IN (");
        let mut sep = qb.separated(", ");
        for k in chunk {
            sep.push_bind(k.as_str());
        }
        qb.push(")");
        let rows: Vec<(String, i64)> = qb.build_query_as().fetch_all(&mut *conn).await?;
        for (k, id) in rows {
            let ids = out.entry(k).or_default();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    Ok(out)
}

fn sorted(set: HashSet<String>) -> Vec<String> {
    let mut v: Vec<String> = set.into_iter().collect();
    v.sort();
    v
}

/// Read the file, convert every row, find the customers, types and assignees, check the
/// permissions: the whole dry run.
#[instrument(skip(conn, actor, options, on_rows))]
pub(crate) async fn plan(
    conn: &mut SqliteConnection,
    actor: &Actor,
    path: &Path,
    options: &ImportOptions,
    on_rows: &mut dyn FnMut(u64) -> bool,
) -> Result<FollowUpPlan> {
    let started = std::time::Instant::now();
    let reader = read::open_with(path, &ReadOptions { sheet: options.sheet.clone() })?;
    let sheet = reader.sheet().clone();
    let remembered = match options.care_mapping {
        Some(_) => None,
        None => settings::get(conn, &remembered_key(&sheet.headers))
            .await?
            .and_then(|v| serde_json::from_str::<Vec<Option<FollowUpField>>>(&v).ok()),
    };
    let mapping = effective_mapping(&sheet, options.care_mapping.as_ref(), remembered)?;
    let mut report = ImportReport {
        file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        format: Some(sheet.format),
        sheet_name: sheet.sheet_name.clone(),
        sheet_names: sheet.sheet_names.clone(),
        headers: sheet.headers.clone(),
        mapping: vec![None; sheet.headers.len()],
        care_mapping: Some(mapping.clone()),
        mode: ImportMode::Create,
        dry_run: true,
        ..Default::default()
    };
    let col_of = |f: FollowUpField| mapping.iter().position(|m| *m == Some(f));
    let customer_col = [FollowUpField::CustomerCode, FollowUpField::Phone, FollowUpField::Email]
        .into_iter()
        .find_map(col_of)
        .unwrap_or(0);
    let column = |f: FollowUpField| col_of(f).and_then(|c| header_of(&sheet, c)).or_else(|| Some(f.as_str().into()));

    let types = Types::load(conn).await?;
    let staff: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, name, email_key FROM staff WHERE active = 1").fetch_all(&mut *conn).await?;
    let mut staff_by: HashMap<String, i64> = HashMap::new();
    for (id, name, email) in staff {
        staff_by.entry(text::fold(&name)).or_insert(id);
        staff_by.insert(email, id);
    }
    let default_assignee = options.default_owner_id.unwrap_or(actor.staff_id);
    let now_utc = Utc::now();
    let zone = care::time::system_zone();
    let today = now_utc.with_timezone(&zone).date_naive();

    let mut drafts: Vec<Draft> = Vec::new();
    let mut new_types: BTreeMap<String, String> = BTreeMap::new();
    let mut warnings: Vec<RowError> = Vec::new();
    for row in reader {
        let row = row?;
        if row.cells.iter().all(Cell::is_blank) {
            continue;
        }
        report.rows += 1;
        if report.rows.is_multiple_of(5000) && !on_rows(report.rows) {
            return Err(Error::Cancelled);
        }
        let n = row.number;
        let err = |f: FollowUpField, code: &str, value: Option<String>| RowError {
            row: n,
            column: column(f),
            code: code.to_owned(),
            value,
        };
        let mut d = Draft {
            row: n,
            wanted: Wanted::default(),
            customer_id: None,
            type_id: None,
            type_name: String::new(),
            title: String::new(),
            done: None,
            outcome: None,
            assignee_id: default_assignee,
            errors: Vec::new(),
        };
        let mut type_text = None;
        let mut assignee_text = None;
        for (col, field) in mapping.iter().enumerate() {
            let Some(field) = field else { continue };
            let unquoted;
            let cell = match row.cells.get(col) {
                // A text cell an export neutralised against formula injection: one `'` off.
                Some(Cell::Text(t)) if t.starts_with('\'') => {
                    unquoted = Cell::Text(t[1..].to_owned());
                    &unquoted
                }
                Some(c) => c,
                None => continue,
            };
            if cell.is_blank() {
                continue;
            }
            match field {
                FollowUpField::CustomerCode => {
                    if let Some(s) = values::key_text(cell) {
                        let phone = match cell {
                            Cell::Number(_) => values::phones(cell).into_iter().find_map(|p| p.key),
                            _ => phone_candidate(&s),
                        };
                        d.wanted.phones.extend(phone.filter(|k| (6..=15).contains(&k.len())));
                        if s.contains('@') {
                            d.wanted.emails.push(text::email_key(&s));
                        }
                        d.wanted.code = Some(text::fold(&s));
                        d.wanted.shown = Some(s);
                    }
                }
                FollowUpField::Phone => {
                    for p in values::phones(cell) {
                        if let Some(k) = p.key.filter(|k| (6..=15).contains(&k.len())) {
                            d.wanted.shown.get_or_insert(p.text);
                            d.wanted.phones.push(k);
                        }
                    }
                }
                FollowUpField::Email => {
                    for e in super::plan::split_list(&cell.to_text()) {
                        let e = text::email_key(&e);
                        d.wanted.shown.get_or_insert(e.clone());
                        d.wanted.emails.push(e);
                    }
                }
                FollowUpField::Kind => type_text = values::key_text(cell),
                FollowUpField::Title => d.title = values::text(cell).unwrap_or_default(),
                FollowUpField::DoneAt => match done_at(cell, sheet.date_1904) {
                    Ok(v) => d.done = v,
                    Err(e) => d.errors.push(err(FollowUpField::DoneAt, e.code(), Some(e.value().to_owned()))),
                },
                FollowUpField::Outcome => d.outcome = values::multiline_text(cell),
                FollowUpField::Assignee => assignee_text = values::text(cell),
            }
        }
        let wanted = &d.wanted;
        if wanted.code.is_none() && wanted.phones.is_empty() && wanted.emails.is_empty() {
            d.errors.insert(0, err(FollowUpField::CustomerCode, "missing_customer", None));
        }
        match type_text {
            None => d.errors.push(err(FollowUpField::Kind, "missing_type", None)),
            Some(t) => match types.find(&t) {
                Some((id, name)) => {
                    d.type_id = Some(*id);
                    d.type_name = name.clone();
                }
                None if options.create_missing && text::fold(&t).chars().count() <= 100 => {
                    let name = new_types.entry(text::fold(&t)).or_insert(t).clone();
                    d.type_name = name;
                }
                None => d.errors.push(err(FollowUpField::Kind, "unknown_type", Some(t))),
            },
        }
        match d.done {
            None if !d.errors.iter().any(|e| e.code == "bad_date") => {
                d.errors.push(err(FollowUpField::DoneAt, "missing_done_at", None));
            }
            Some((local, all_day)) => {
                let future = if all_day { local.date() > today } else { care::time::resolve(zone, local) > now_utc };
                if future {
                    d.errors.push(err(
                        FollowUpField::DoneAt,
                        "bad_date",
                        Some(local.format("%Y-%m-%d %H:%M").to_string()),
                    ));
                }
            }
            None => {}
        }
        if d.title.chars().count() > MAX_TITLE {
            d.errors.push(err(FollowUpField::Title, "too_long", Some(d.title.chars().take(40).collect())));
        }
        if d.outcome.as_ref().is_some_and(|o| o.chars().count() > MAX_OUTCOME) {
            d.errors.push(err(FollowUpField::Outcome, "too_long", None));
        }
        if let Some(a) = assignee_text {
            match staff_by.get(&text::email_key(&a)).or_else(|| staff_by.get(&text::fold(&a))) {
                Some(id) => d.assignee_id = *id,
                None => warnings.push(err(FollowUpField::Assignee, "unknown_assignee", Some(a))),
            }
        }
        drafts.push(d);
    }
    on_rows(report.rows);

    // The customers, with one query per 500 keys of each kind.
    let mut codes = HashSet::new();
    let mut phones = HashSet::new();
    let mut emails = HashSet::new();
    for d in &drafts {
        codes.extend(d.wanted.code.iter().cloned());
        phones.extend(d.wanted.phones.iter().cloned());
        emails.extend(d.wanted.emails.iter().cloned());
    }
    let by_code = by_codes(conn, &sorted(codes)).await?;
    let by_phone = by_keys(conn, "phone", &sorted(phones)).await?;
    let by_email = by_keys(conn, "email", &sorted(emails)).await?;
    for d in &mut drafts {
        let w = &d.wanted;
        if w.code.is_none() && w.phones.is_empty() && w.emails.is_empty() {
            continue;
        }
        let found = w.code.as_ref().and_then(|c| by_code.get(c)).map(|id| vec![*id]).or_else(|| {
            w.phones
                .iter()
                .filter_map(|k| by_phone.get(k))
                .chain(w.emails.iter().filter_map(|k| by_email.get(k)))
                .next()
                .cloned()
        });
        let problem = match found.as_deref() {
            Some([id]) => {
                d.customer_id = Some(*id);
                None
            }
            Some(_) => Some("ambiguous_customer"),
            None => Some("unknown_customer"),
        };
        if let Some(code) = problem {
            d.errors.insert(
                0,
                RowError {
                    row: d.row,
                    column: header_of(&sheet, customer_col),
                    code: code.into(),
                    value: w.shown.clone(),
                },
            );
        }
    }

    // Staff record care only where the care rules let them (locked customers: their owner's).
    if !actor.is_manager() {
        let mut ids: Vec<i64> = drafts.iter().filter_map(|d| d.customer_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut customers = HashMap::new();
        for chunk in ids.chunks(500) {
            for c in crate::customers::load_many_for_rules(conn, chunk).await? {
                customers.insert(c.id, c);
            }
        }
        for d in &mut drafts {
            let Some(c) = d.customer_id.and_then(|id| customers.get(&id)) else { continue };
            if let Err(e) = actor.can_schedule_care(c, Some(d.assignee_id)) {
                d.errors.insert(
                    0,
                    RowError {
                        row: d.row,
                        column: header_of(&sheet, customer_col),
                        code: e.code().to_owned(),
                        value: d.wanted.shown.clone(),
                    },
                );
            }
        }
    }

    let mut ready = Vec::with_capacity(drafts.len());
    let mut rejected = HashMap::new();
    let mut used_types = HashSet::new();
    let mut customers = HashSet::new();
    for d in drafts {
        if !d.errors.is_empty() {
            report.invalid += 1;
            *report.invalid_by_reason.entry(d.errors[0].code.clone()).or_default() += 1;
            for e in &d.errors {
                report.error(e.clone());
            }
            rejected.insert(d.row, d.errors);
            continue;
        }
        let (Some(customer_id), Some((done_local, all_day))) = (d.customer_id, d.done) else { continue };
        report.valid += 1;
        customers.insert(customer_id);
        if d.type_id.is_none() {
            used_types.insert(text::fold(&d.type_name));
        }
        ready.push(Ready {
            row: d.row,
            customer_id,
            type_id: d.type_id,
            type_name: d.type_name,
            title: d.title,
            done_local,
            all_day,
            outcome: d.outcome,
            assignee_id: d.assignee_id,
        });
    }
    for w in warnings {
        report.warning(w);
    }
    // Only the new types valid rows use are created.
    new_types.retain(|k, _| used_types.contains(k));
    if !new_types.is_empty() {
        report.new_catalog_items.insert(CatalogKind::CareType.as_str().into(), new_types.values().cloned().collect());
    }
    report.matches_existing = report.valid;
    report.created = report.valid;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(FollowUpPlan { report, ready, new_types, rejected })
}

// ---------------------------------------------------------------------------------------------
// Preview, run, error report.

/// The dry run of a follow-up records import.
pub(crate) async fn preview(
    store: &Store,
    actor: &Actor,
    path: &Path,
    options: &ImportOptions,
    on_progress: &mut dyn FnMut(ImportProgress) -> bool,
) -> Result<ImportReport> {
    let mut conn = store.pool().acquire().await?;
    let p = plan(&mut conn, actor, path, options, &mut |n| {
        on_progress(ImportProgress { phase: ImportPhase::Reading, done: n, total: 0 })
    })
    .await?;
    Ok(p.report)
}

/// Rows recorded per call of `record_done_many` (progress and Cancel between calls).
const WRITE_CHUNK: usize = 20_000;

/// Import the follow-up records of a file in one transaction, with an import batch record
/// (kind `care`) that `import::revert` undoes.
#[instrument(skip(store, actor, options, on_progress))]
pub(crate) async fn run(
    store: &Store,
    actor: &Actor,
    path: &Path,
    options: &ImportOptions,
    on_progress: &mut dyn FnMut(ImportProgress) -> bool,
) -> Result<ImportReport> {
    let started = std::time::Instant::now();
    let mut plan = {
        let mut conn = store.pool().acquire().await?;
        plan(&mut conn, actor, path, options, &mut |n| {
            on_progress(ImportProgress { phase: ImportPhase::Reading, done: n, total: 0 })
        })
        .await?
    };
    let total = plan.ready.len() as u64;
    let mut w = store.write(actor).await?;
    let now = w.now;
    // The batch table's `mode` is one of the customer modes: a care batch is `create` of kind
    // `care` (listed with mode `care`).
    let batch_id: i64 = sqlx::query_scalar(
        "INSERT INTO import_batches (file_name, kind, mode, rows, created, updated, skipped, failed, actor_id, at) \
         VALUES (?, 'care', 'create', ?, 0, 0, 0, ?, ?, ?) RETURNING id",
    )
    .bind(&plan.report.file_name)
    .bind(plan.report.rows as i64)
    .bind(plan.report.invalid as i64)
    .bind(actor.staff_id)
    .bind(now)
    .fetch_one(w.conn())
    .await?;
    w.batch_id = Some(batch_id);

    // New care types (listed in the preview).
    let mut new_ids: HashMap<String, i64> = HashMap::new();
    if !plan.new_types.is_empty() {
        let names: Vec<String> = plan.new_types.values().cloned().collect();
        actor.can_manage_catalogs().map_err(|_| {
            Error::PermissionDenied(format!(
                "the file has new care types ({}); ask a manager to add them or import without creating them",
                names.join(", ")
            ))
        })?;
        let (map, created) = catalogs::resolve_names(w.conn(), CatalogKind::CareType, &names, true, now).await?;
        for name in created {
            w.history(
                "catalog_item",
                0,
                "import_create",
                &[FieldChange {
                    field: CatalogKind::CareType.as_str().into(),
                    before: serde_json::Value::Null,
                    after: json!(name),
                }],
            )
            .await?;
        }
        new_ids = map;
    }
    let mut rows = Vec::with_capacity(plan.ready.len());
    let mut row_numbers = Vec::with_capacity(plan.ready.len());
    for r in plan.ready.drain(..) {
        let type_id = match r.type_id {
            Some(id) => id,
            None => *new_ids
                .get(&text::fold(&r.type_name))
                .ok_or_else(|| Error::Database(format!("care type {} was not created", r.type_name)))?,
        };
        row_numbers.push(r.row);
        rows.push(FollowUpRow {
            customer_id: r.customer_id,
            type_id,
            title: r.title,
            done_local: r.done_local,
            all_day: r.all_day,
            tz: None,
            outcome: r.outcome,
            assignee_id: Some(r.assignee_id),
            notes: None,
        });
    }
    let mut written = 0u64;
    on_progress(ImportProgress { phase: ImportPhase::Writing, done: 0, total });
    for (i, chunk) in rows.chunks(WRITE_CHUNK).enumerate() {
        let n = care::record_done_many(&mut w, chunk).await.map_err(|e| at_rows(e, &row_numbers[i * WRITE_CHUNK..]))?;
        written += n;
        if !on_progress(ImportProgress { phase: ImportPhase::Writing, done: written, total }) {
            return Err(Error::Cancelled);
        }
    }
    on_progress(ImportProgress { phase: ImportPhase::Finishing, done: written, total });
    let report = &mut plan.report;
    report.created = written;
    report.dry_run = false;
    report.batch_id = Some(batch_id);
    finish(&mut w, report, batch_id).await?;
    w.commit().await?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(plan.report)
}

/// The batch's counts, the remembered mapping and the batch's history entry.
async fn finish(w: &mut WriteTx<'_>, report: &ImportReport, batch_id: i64) -> Result<()> {
    sqlx::query("UPDATE import_batches SET created = ? WHERE id = ?")
        .bind(report.created as i64)
        .bind(batch_id)
        .execute(w.conn())
        .await?;
    let mapping = serde_json::to_string(&report.care_mapping).map_err(|e| Error::Database(e.to_string()))?;
    settings::put(w.conn(), &remembered_key(&report.headers), &mapping).await?;
    w.history(
        "import_batch",
        batch_id,
        "import",
        &[FieldChange {
            field: "counts".into(),
            before: serde_json::Value::Null,
            after: json!({"file": report.file_name, "kind": "care", "created": report.created,
                          "invalid": report.invalid}),
        }],
    )
    .await
}

/// A validation error of `record_done_many` names rows by index in its call: say which
/// spreadsheet row it was.
fn at_rows(e: Error, rows: &[u32]) -> Error {
    let Error::Validation(mut fields) = e else { return e };
    for f in &mut fields {
        if let Some((i, field)) = f.field.split_once('.')
            && let Ok(i) = i.parse::<usize>()
            && let Some(row) = rows.get(i)
        {
            f.field = format!("row {row}: {field}");
        }
    }
    Error::Validation(fields)
}

/// Reason codes of this import in words (the others as the customer import says them).
pub fn reason_text(code: &str, language: Language) -> &'static str {
    match (code, language) {
        ("missing_customer", Language::En) => "no customer code, phone or e-mail",
        ("missing_customer", Language::Vi) => "thiếu mã, số điện thoại hoặc e-mail khách hàng",
        ("unknown_customer", Language::En) => "no customer has this code, phone or e-mail",
        ("unknown_customer", Language::Vi) => "không có khách hàng với mã, số điện thoại hoặc e-mail này",
        ("ambiguous_customer", Language::En) => "several customers have this phone or e-mail; use the code",
        ("ambiguous_customer", Language::Vi) => "nhiều khách hàng có số điện thoại hoặc e-mail này; dùng mã khách hàng",
        ("missing_type", Language::En) => "the activity type is missing",
        ("missing_type", Language::Vi) => "thiếu loại hoạt động",
        ("unknown_type", Language::En) => "not a care type (add it in Settings)",
        ("unknown_type", Language::Vi) => "không phải loại chăm sóc (thêm trong Cài đặt)",
        ("missing_done_at", Language::En) => "the date done is missing",
        ("missing_done_at", Language::Vi) => "thiếu ngày thực hiện",
        ("bad_date", Language::En) => "not a past date (use dd/mm/yyyy hh:mm)",
        ("bad_date", Language::Vi) => "không phải ngày đã qua (dùng dd/mm/yyyy hh:mm)",
        ("permission.locked", Language::En) => "the customer is locked",
        ("permission.locked", Language::Vi) => "khách hàng đang bị khóa",
        ("permission.denied", Language::En) => "you may not record care on this customer",
        ("permission.denied", Language::Vi) => "bạn không được ghi chăm sóc cho khách hàng này",
        (other, language) => super::report::reason_text(other, language),
    }
}

/// Write the rejected rows of a follow-up records file (as an import with `options` would
/// reject them) to `out`, with an error column. Returns how many rows were written.
pub(crate) async fn error_report(
    store: &Store,
    actor: &Actor,
    path: &Path,
    options: &ImportOptions,
    language: Language,
    out: &Path,
) -> Result<u64> {
    let rejected = {
        let mut conn = store.pool().acquire().await?;
        plan(&mut conn, actor, path, options, &mut |_| true).await?.rejected
    };
    let reader = read::open_with(path, &ReadOptions { sheet: options.sheet.clone() })?;
    let sheet = reader.sheet().clone();
    let xlsx = |e: rust_xlsxwriter::XlsxError| Error::Io(e.to_string());
    let mut book = Workbook::new();
    let ws = book.add_worksheet_with_constant_memory().map_err(xlsx)?;
    ws.set_name(if language == Language::Vi { "Dòng lỗi" } else { "Rejected rows" }).map_err(xlsx)?;
    let bold = Format::new().set_bold();
    let (row_h, err_h) = match language {
        Language::En => ("Row", "Error"),
        Language::Vi => ("Dòng", "Lỗi"),
    };
    ws.write_string_with_format(0, 0, row_h, &bold).map_err(xlsx)?;
    for (i, h) in sheet.headers.iter().enumerate().take(16_000) {
        ws.write_string_with_format(0, (i + 1) as u16, h, &bold).map_err(xlsx)?;
    }
    let err_col = (sheet.headers.len().min(16_000) + 1) as u16;
    ws.write_string_with_format(0, err_col, err_h, &bold).map_err(xlsx)?;
    ws.set_freeze_panes(1, 0).map_err(xlsx)?;
    ws.set_column_width(err_col, 50).map_err(xlsx)?;
    let mut out_row: u32 = 1;
    for row in reader {
        let row = row?;
        let Some(errors) = rejected.get(&row.number) else { continue };
        if out_row >= 1_048_575 {
            break;
        }
        ws.write_number(out_row, 0, f64::from(row.number)).map_err(xlsx)?;
        for (i, cell) in row.cells.iter().enumerate().take(16_000) {
            let t = cell.to_text();
            if !t.is_empty() {
                ws.write_string(out_row, (i + 1) as u16, neutralise(&t)).map_err(xlsx)?;
            }
        }
        let described: Vec<String> = errors
            .iter()
            .map(|e| {
                let mut s = e.column.as_ref().map(|c| format!("{c}: ")).unwrap_or_default();
                s.push_str(reason_text(&e.code, language));
                if let Some(v) = &e.value {
                    s.push_str(&format!(" ({v})"));
                }
                s
            })
            .collect();
        ws.write_string(out_row, err_col, described.join("; ")).map_err(xlsx)?;
        out_row += 1;
    }
    let tmp = out.with_extension("xlsx.part");
    book.save(&tmp).map_err(xlsx)?;
    std::fs::rename(&tmp, out)?;
    Ok(u64::from(out_row - 1))
}

/// A cell that would start a formula in a spreadsheet gets a leading apostrophe.
fn neutralise(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn text_cell(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn done_at_forms() {
        let day = |s: &str| Some((dt(&format!("{s} 00:00")), true));
        let at = |s: &str| Some((dt(s), false));
        assert_eq!(done_at(&text_cell("14/05/2024"), false), Ok(day("2024-05-14")));
        assert_eq!(done_at(&text_cell("14/05/2024 09:30"), false), Ok(at("2024-05-14 09:30")));
        assert_eq!(done_at(&text_cell("14-05-2024 9:30:59"), false), Ok(at("2024-05-14 09:30")));
        assert_eq!(done_at(&text_cell("2024-05-14T09:30:00Z"), false), Ok(at("2024-05-14 09:30")));
        assert_eq!(done_at(&text_cell("2024-05-14 2:15 PM"), false), Ok(at("2024-05-14 14:15")));
        assert_eq!(done_at(&text_cell("14/05/2024 08:00 SA"), false), Ok(at("2024-05-14 08:00")));
        assert_eq!(done_at(&text_cell("14 May 2024"), false), Ok(day("2024-05-14")));
        // 45426 is 2024-05-14; .395833 is 09:30.
        assert_eq!(done_at(&Cell::Number(45426.0), false), Ok(day("2024-05-14")));
        assert_eq!(done_at(&Cell::Number(45426.395833), false), Ok(at("2024-05-14 09:30")));
        assert_eq!(done_at(&text_cell("45426.395833"), false), Ok(at("2024-05-14 09:30")));
        assert_eq!(done_at(&Cell::Number(20240514.0), false), Ok(day("2024-05-14")));
        assert_eq!(done_at(&Cell::Date(dt("2024-05-14 09:30")), false), Ok(at("2024-05-14 09:30")));
        assert_eq!(done_at(&Cell::Empty, false), Ok(None));
        assert_eq!(done_at(&text_cell("  "), false), Ok(None));
        for bad in ["yesterday", "31/02/2024", "14/05/2024 25:00", "14/05/2024 9:61", "1/1/1850", "14/05/2024 x"] {
            assert_eq!(done_at(&text_cell(bad), false), Err(values::ValueError::BadDate(bad.into())), "{bad}");
        }
        assert_eq!(done_at(&Cell::Bool(true), false).map_err(|e| e.code()), Err("bad_date"));
    }

    #[test]
    fn headers_map_to_fields() {
        use FollowUpField as F;
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            auto_map(&h(&[
                "Mã khách hàng *",
                "Loại hoạt động *",
                "Tiêu đề",
                "Ngày thực hiện",
                "Kết quả",
                "Người thực hiện"
            ])),
            vec![
                Some(F::CustomerCode),
                Some(F::Kind),
                Some(F::Title),
                Some(F::DoneAt),
                Some(F::Outcome),
                Some(F::Assignee)
            ]
        );
        assert_eq!(
            auto_map(&h(&["SĐT", "E-mail", "Activity type", "Date", "Whatever"])),
            vec![Some(F::Phone), Some(F::Email), Some(F::Kind), Some(F::DoneAt), None]
        );
        assert!(looks_like_followups(&h(&["Customer Code *", "Activity Type *", "Title *", "Done At *"])));
        assert!(looks_like_followups(&h(&["Khách hàng", "Ngày", "Nội dung"])));
        assert!(!looks_like_followups(&h(&["Tên khách hàng", "SĐT", "Ngày"])));
        assert!(!looks_like_followups(&h(&["Customer Name", "Phone", "Email", "Date of Birth"])));
        assert!(!looks_like_followups(&h(&["Customer Code", "Activity Type"])));
    }

    #[test]
    fn field_names_round_trip() {
        for f in FollowUpField::ALL {
            let json = serde_json::to_string(&f).unwrap();
            assert_eq!(json, format!("\"{}\"", f.as_str()));
            assert_eq!(FollowUpField::for_header(f.as_str()), Some(f));
        }
    }
}
