//! Validate, normalise and plan: each data row becomes a customer input or a list of row errors;
//! valid rows are matched against each other and against existing customers by the duplicate
//! rules, and each gets its fate (create, update, skip) per the import mode. The dry run stops
//! here with its report; the commit step writes what the plan says.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use ts_rs::TS;

use super::mapping::{self, ImportField};
use super::read::{self, Cell, Sheet, SheetReader};
use super::values;
use crate::catalogs::CatalogKind;
use crate::customers::{Contact, CustomerInput, CustomerKind};
use crate::duplicates::{DuplicateRules, RuleMode};
use crate::error::{Error, Result};
use crate::settings::FieldSettings;
use crate::text;

/// What to do with a row that matches an existing customer (or an earlier row of the file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ImportMode {
    /// Matching rows are skipped and reported.
    #[default]
    Skip,
    /// Matching rows update the matched customer; empty cells keep existing values.
    Update,
    /// Every valid row creates a customer (matches are reported; blocking rules still apply).
    Create,
}

impl ImportMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportMode::Skip => "skip",
            ImportMode::Update => "update",
            ImportMode::Create => "create",
        }
    }
}

/// Which kind rows are: from the file's type column (individual when blank), or all one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum KindChoice {
    #[default]
    Auto,
    Individual,
    Business,
    /// Follow-up records: each row a done care activity on an existing customer
    /// (`import::followup`; `auto` picks it for a file whose headers look like one).
    Care,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportOptions {
    #[serde(default)]
    pub kind: KindChoice,
    #[serde(default)]
    pub mode: ImportMode,
    /// The field of each column, by position; null: the remembered mapping for these headers,
    /// else the automatic one.
    #[serde(default)]
    pub mapping: Option<Vec<Option<ImportField>>>,
    /// Sheet name; null: the first.
    #[serde(default)]
    pub sheet: Option<String>,
    /// Catalog values (segment, level, …) not in the catalogs yet: create them (true) or reject
    /// the rows (`unknown_value`).
    #[serde(default = "yes")]
    pub create_missing: bool,
    /// Owner of rows whose owner column is empty or unknown; null: the importing staff member.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub default_owner_id: Option<i64>,
    /// Follow-up records (`kind: care`): the field of each column, by position; null: the
    /// remembered mapping for these headers, else the automatic one. (`default_owner_id` is
    /// then the assignee of rows whose assignee is empty or unknown.)
    #[serde(default)]
    #[ts(optional = nullable)]
    pub care_mapping: Option<Vec<Option<super::followup::FollowUpField>>>,
}

fn yes() -> bool {
    true
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            kind: KindChoice::Auto,
            mode: ImportMode::Skip,
            mapping: None,
            sheet: None,
            create_missing: true,
            default_owner_id: None,
            care_mapping: None,
        }
    }
}

/// One problem on one cell (or row): spreadsheet row number (header = 1), the column's header
/// text, a stable reason code, and the value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RowError {
    pub row: u32,
    pub column: Option<String>,
    pub code: String,
    pub value: Option<String>,
}

/// What an import did, or (dry run) would do.
#[derive(Debug, Clone, PartialEq, Serialize, TS, Default)]
#[ts(export)]
pub struct ImportReport {
    pub file_name: String,
    pub format: Option<read::Format>,
    pub sheet_name: Option<String>,
    pub sheet_names: Vec<String>,
    pub headers: Vec<String>,
    pub mapping: Vec<Option<ImportField>>,
    pub mode: ImportMode,
    pub dry_run: bool,
    /// Data rows (fully blank rows are counted nowhere).
    #[ts(type = "number")]
    pub rows: u64,
    #[ts(type = "number")]
    pub valid: u64,
    #[ts(type = "number")]
    pub invalid: u64,
    /// Reason → rows (each invalid row counted once, by its first reason).
    #[ts(type = "Record<string, number>")]
    pub invalid_by_reason: BTreeMap<String, u64>,
    /// Valid rows by kind: `individual`, `business`.
    #[ts(type = "Record<string, number>")]
    pub valid_by_kind: BTreeMap<String, u64>,
    /// Groups of two or more valid rows of this file that are the same customer.
    #[ts(type = "number")]
    pub duplicate_groups: u64,
    /// Row numbers of each duplicate group (the first 200 groups).
    pub duplicate_group_rows: Vec<Vec<u32>>,
    /// Valid rows that match an existing customer.
    #[ts(type = "number")]
    pub matches_existing: u64,
    #[ts(type = "number")]
    pub created: u64,
    #[ts(type = "number")]
    pub updated: u64,
    #[ts(type = "number")]
    pub skipped: u64,
    /// Row errors (the first 1,000; `errors_total` counts all).
    pub errors: Vec<RowError>,
    #[ts(type = "number")]
    pub errors_total: u64,
    /// Things that did not stop a row (an unknown owner, a field that does not apply to the
    /// row's kind): the first 1,000.
    pub warnings: Vec<RowError>,
    #[ts(type = "number")]
    pub warnings_total: u64,
    /// Catalog values the import creates (or, when not allowed, rejected rows for).
    pub new_catalog_items: BTreeMap<String, Vec<String>>,
    /// The batch written (null for a dry run); revert it with `import::revert`.
    #[ts(type = "number | null")]
    pub batch_id: Option<i64>,
    pub seconds: f64,
    /// A follow-up records import (`kind: care`): the field of each column (then `mapping` is
    /// all null, `created` counts the activities recorded and `new_catalog_items` the new care
    /// types). Absent for a customer import.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub care_mapping: Option<Vec<Option<super::followup::FollowUpField>>>,
}

pub(crate) const MAX_LISTED: usize = 1000;

impl ImportReport {
    pub(crate) fn error(&mut self, e: RowError) {
        self.errors_total += 1;
        if self.errors.len() < MAX_LISTED {
            self.errors.push(e);
        }
    }
    pub(crate) fn warning(&mut self, e: RowError) {
        self.warnings_total += 1;
        if self.warnings.len() < MAX_LISTED {
            self.warnings.push(e);
        }
    }
}

/// Catalog values of a row, by name (resolved to ids when committing).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Names {
    pub segment: Option<String>,
    pub level: Option<String>,
    pub groups: Vec<String>,
    pub status: Option<String>,
    pub channel: Option<String>,
    pub position: Option<String>,
    pub owner: Option<String>,
    pub service_manager: Option<String>,
}

/// A valid row, as spooled between planning and commit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct RowDraft {
    pub row: u32,
    pub input: CustomerInput,
    pub names: Names,
    /// Which fields had a value (update mode: only these replace existing values).
    pub present: Vec<ImportField>,
}

/// A valid row's fate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fate {
    Create,
    /// Update an existing customer.
    Update(i64),
    /// Update the customer created from an earlier row of this file (its index in row order).
    UpdateRow(u32),
    Skip,
}

/// The plan: every valid row's fate, in row order, plus the report so far.
pub(crate) struct Plan {
    pub report: ImportReport,
    pub fates: Vec<Fate>,
    /// Valid rows spooled to disk (one JSON line each, in row order).
    pub spool: Option<Spool>,
    pub catalog_names: BTreeMap<CatalogKind, Vec<String>>,
    /// Spreadsheet row number of each valid row, in order.
    pub row_numbers: Vec<u32>,
}

/// Valid rows spooled to disk between planning and commit: one JSON line per row, and beside
/// it each row's name alone (one line each), which the commit reads first to place every new
/// row in name order before any row goes in. Both files are deleted when dropped.
pub(crate) struct Spool {
    pub path: PathBuf,
}

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        let _ = std::fs::remove_file(self.names_path());
    }
}

impl Spool {
    fn names_path(&self) -> PathBuf {
        self.path.with_extension("names")
    }

    pub fn rows(&self) -> Result<impl Iterator<Item = Result<RowDraft>> + use<>> {
        let f = std::fs::File::open(&self.path)?;
        Ok(BufReader::with_capacity(1 << 20, f).lines().map(|line| {
            let line = line?;
            serde_json::from_str::<RowDraft>(&line).map_err(|e| Error::Database(format!("import spool: {e}")))
        }))
    }

    /// Each spooled row's name alone, in order. A line that cannot be read gives an empty name:
    /// `rows` reports the problem.
    pub fn names(&self) -> Result<impl Iterator<Item = String> + use<>> {
        let f = std::fs::File::open(self.names_path())?;
        Ok(BufReader::with_capacity(1 << 20, f).lines().map(|line| line.unwrap_or_default()))
    }
}

/// Writes a [`Spool`].
struct SpoolWriter {
    rows: BufWriter<std::fs::File>,
    names: BufWriter<std::fs::File>,
}

impl SpoolWriter {
    fn create(spool: &Spool) -> Result<SpoolWriter> {
        Ok(SpoolWriter {
            rows: BufWriter::with_capacity(1 << 20, std::fs::File::create(&spool.path)?),
            names: BufWriter::with_capacity(1 << 16, std::fs::File::create(spool.names_path())?),
        })
    }

    fn push(&mut self, draft: &RowDraft) -> Result<()> {
        serde_json::to_writer(&mut self.rows, draft).map_err(|e| Error::Io(e.to_string()))?;
        self.rows.write_all(b"\n")?;
        // A cleaned name is on one line; keep the file one name per line whatever it holds.
        let name = &draft.input.name;
        if name.contains(['\n', '\r']) {
            self.names.write_all(name.replace(['\n', '\r'], " ").as_bytes())?;
        } else {
            self.names.write_all(name.as_bytes())?;
        }
        self.names.write_all(b"\n")?;
        Ok(())
    }

    fn finish(mut self) -> Result<()> {
        self.rows.flush()?;
        self.names.flush()?;
        Ok(())
    }
}

/// Column header text by position (for row errors).
fn header(sheet: &Sheet, col: usize) -> Option<String> {
    sheet.headers.get(col).map(|h| text::clean(h)).filter(|h| !h.is_empty())
}

/// The mapping in use: the caller's, or the remembered one for these headers, or the automatic one.
pub(crate) fn effective_mapping(
    sheet: &Sheet,
    given: Option<&Vec<Option<ImportField>>>,
    remembered: Option<Vec<Option<ImportField>>>,
) -> Result<Vec<Option<ImportField>>> {
    let mut m = match (given, remembered) {
        (Some(m), _) => m.clone(),
        (None, Some(r)) if r.len() == sheet.headers.len() => r,
        _ => mapping::auto_map(&sheet.headers),
    };
    m.resize(sheet.headers.len(), None);
    let mut seen = HashSet::new();
    for f in m.iter().flatten() {
        if !seen.insert(*f) {
            return Err(Error::InvalidArgument(format!("column {} is mapped twice", f.as_str())));
        }
    }
    if !m.contains(&Some(ImportField::Name)) {
        return Err(Error::Import {
            code: "import.no_name_column",
            message: "no column holds the customer name".into(),
        });
    }
    Ok(m)
}

/// Context for turning cells into inputs.
pub(crate) struct RowContext<'a> {
    pub sheet: &'a Sheet,
    pub mapping: &'a [Option<ImportField>],
    pub kind: KindChoice,
    pub fields: &'a FieldSettings,
}

/// Turn one row's cells into a draft, or its errors. Warnings go to `warnings`.
pub(crate) fn convert_row(
    ctx: &RowContext<'_>,
    number: u32,
    cells: &[Cell],
    warnings: &mut Vec<RowError>,
) -> std::result::Result<RowDraft, Vec<RowError>> {
    use ImportField as F;
    // A text cell an export neutralised against formula injection starts with one `'` (an export
    // doubles an apostrophe that was already there): take exactly one off, so files round-trip.
    let quoted = |c: &Cell| matches!(c, Cell::Text(t) if t.starts_with('\''));
    let unquoted: std::borrow::Cow<'_, [Cell]> = if cells.iter().any(quoted) {
        cells
            .iter()
            .map(|c| match c {
                Cell::Text(t) if t.starts_with('\'') => Cell::Text(t[1..].to_owned()),
                other => other.clone(),
            })
            .collect()
    } else {
        std::borrow::Cow::Borrowed(cells)
    };
    let cells: &[Cell] = &unquoted;
    let mut errors: Vec<RowError> = Vec::new();
    let mut input = CustomerInput::default();
    let mut names = Names::default();
    let mut present = Vec::new();
    let mut contact = Contact::default();
    let mut kind: Option<CustomerKind> = None;
    let mut birthday = None;
    let mut founded = None;
    let mut gender = None;
    let err = |col: usize, code: &str, value: Option<String>| RowError {
        row: number,
        column: header(ctx.sheet, col),
        code: code.to_owned(),
        value,
    };
    for (col, field) in ctx.mapping.iter().enumerate() {
        let Some(field) = field else { continue };
        let empty = Cell::Empty;
        let cell = cells.get(col).unwrap_or(&empty);
        if cell.is_blank() {
            continue;
        }
        present.push(*field);
        match field {
            F::CustomerCode => input.code = values::key_text(cell),
            F::Name => input.name = values::text(cell).unwrap_or_default(),
            F::Kind => match values::kind(cell) {
                Ok(k) => kind = k,
                Err(e) => errors.push(err(col, e.code(), Some(e.value().to_owned()))),
            },
            F::Phone => {
                for p in values::phones(cell) {
                    if text::is_valid_phone(&p.text) {
                        input.phones.push(p.text);
                    } else if let Some(key) = p.key.filter(|k| (6..=15).contains(&k.len())) {
                        // Unusual punctuation but a plausible number: keep its digits.
                        input.phones.push(key);
                    } else {
                        errors.push(err(col, "invalid_phone", Some(p.text)));
                    }
                }
            }
            F::Email => {
                for e in split_list(&cell.to_text()) {
                    let e = text::email_key(&e);
                    if values::is_valid_email(&e) {
                        input.emails.push(e);
                    } else {
                        errors.push(err(col, "invalid_email", Some(e)));
                    }
                }
            }
            F::Address => input.address = values::multiline_text(cell),
            F::Segment => names.segment = values::key_text(cell),
            F::Level => names.level = values::key_text(cell),
            F::Group => names.groups = split_list(&values::key_text(cell).unwrap_or_default()),
            F::Status => names.status = values::key_text(cell),
            F::AcquisitionChannel => names.channel = values::key_text(cell),
            F::Owner => names.owner = values::text(cell),
            F::ServiceManager => names.service_manager = values::text(cell),
            F::TaxCode => input.tax_code = values::key_text(cell),
            F::Website => input.website = values::text(cell),
            F::Birthday => match values::date(cell, ctx.sheet.date_1904) {
                Ok(d) => birthday = d,
                Err(e) => errors.push(err(col, e.code(), Some(e.value().to_owned()))),
            },
            F::FoundedDate => match values::date(cell, ctx.sheet.date_1904) {
                Ok(d) => founded = d,
                Err(e) => errors.push(err(col, e.code(), Some(e.value().to_owned()))),
            },
            F::Notes => input.notes = values::multiline_text(cell),
            F::PromoEmailConsent => match values::boolean(cell) {
                Ok(b) => input.email_consent = b,
                Err(e) => errors.push(err(col, e.code(), Some(e.value().to_owned()))),
            },
            F::Gender => match values::gender(cell) {
                Ok(g) => gender = g,
                Err(e) => errors.push(err(col, e.code(), Some(e.value().to_owned()))),
            },
            F::ContactName => contact.name = values::text(cell).unwrap_or_default(),
            F::ContactPhone => {
                for p in values::phones(cell) {
                    if text::is_valid_phone(&p.text) {
                        contact.phones.push(p.text);
                    } else if let Some(key) = p.key.filter(|k| (6..=15).contains(&k.len())) {
                        contact.phones.push(key);
                    } else {
                        warnings.push(err(col, "invalid_phone", Some(p.text)));
                    }
                }
            }
            F::ContactEmail => {
                for e in split_list(&cell.to_text()) {
                    let e = text::email_key(&e);
                    if values::is_valid_email(&e) && text::is_valid_email(&e) {
                        contact.emails.push(e);
                    } else {
                        warnings.push(err(col, "invalid_email", Some(e)));
                    }
                }
            }
            F::ContactPosition => names.position = values::key_text(cell),
        }
    }
    let name_col = ctx.mapping.iter().position(|f| *f == Some(F::Name)).unwrap_or(0);
    if input.name.is_empty() {
        errors.insert(0, err(name_col, "missing_name", None));
    }
    // Text the form would refuse for length: the row says where.
    for (field, value, max) in [
        (F::Name, Some(input.name.as_str()), 1_000),
        (F::Address, input.address.as_deref(), 32_767),
        (F::Website, input.website.as_deref(), 32_767),
        (F::TaxCode, input.tax_code.as_deref(), 50),
        (F::CustomerCode, input.code.as_deref(), 40),
        (F::Notes, input.notes.as_deref(), 32_767),
    ] {
        if let Some(v) = value
            && v.chars().count() > max
        {
            let col = ctx.mapping.iter().position(|f| *f == Some(field)).unwrap_or(0);
            errors.push(err(col, "too_long", Some(v.chars().take(40).collect())));
        }
    }
    if let Some(code) = &input.code
        && !code.chars().all(|ch| ch.is_alphanumeric() || matches!(ch, '-' | '_' | '.' | '/'))
    {
        let col = ctx.mapping.iter().position(|f| *f == Some(F::CustomerCode)).unwrap_or(0);
        errors.push(err(col, "invalid_code", Some(code.clone())));
    }
    if let Some(t) = &input.tax_code
        && !t.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | ' ' | '.'))
    {
        let col = ctx.mapping.iter().position(|f| *f == Some(F::TaxCode)).unwrap_or(0);
        warnings.push(err(col, "invalid_tax_code", Some(t.clone())));
        input.tax_code = Some(
            t.chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | ' ' | '.'))
                .collect::<String>()
                .trim()
                .to_owned(),
        )
        .filter(|t| !t.is_empty());
    }
    if let Some(w) = &input.website
        && (w.contains(char::is_whitespace) || !w.contains('.'))
    {
        let col = ctx.mapping.iter().position(|f| *f == Some(F::Website)).unwrap_or(0);
        warnings.push(err(col, "invalid_website", Some(w.clone())));
        input.website = None;
    }
    input.kind = match ctx.kind {
        KindChoice::Individual => CustomerKind::Individual,
        KindChoice::Business => CustomerKind::Business,
        KindChoice::Auto | KindChoice::Care => kind.unwrap_or(CustomerKind::Individual),
    };
    let today = chrono::Utc::now().date_naive();
    let sane = |d: Option<chrono::NaiveDate>| d.filter(|d| *d <= today && d.year_ce().1 >= 1800);
    // Fields that do not apply to the row's kind are dropped with a warning, not a rejection.
    let drop_warn = |field: F, warnings: &mut Vec<RowError>| {
        let col = ctx.mapping.iter().position(|f| *f == Some(field)).unwrap_or(0);
        warnings.push(err(col, "not_for_kind", None));
    };
    for (field, d) in [(F::Birthday, birthday), (F::FoundedDate, founded)] {
        if d.is_some() && sane(d).is_none() {
            let col = ctx.mapping.iter().position(|f| *f == Some(field)).unwrap_or(0);
            errors.push(err(col, "bad_date", d.map(|d| d.to_string())));
        }
    }
    match input.kind {
        CustomerKind::Individual => {
            input.birthday = sane(birthday);
            input.gender = gender;
            if founded.is_some() {
                drop_warn(F::FoundedDate, warnings);
            }
            if !contact.name.is_empty() || !contact.phones.is_empty() || !contact.emails.is_empty() {
                drop_warn(F::ContactName, warnings);
            }
        }
        CustomerKind::Business => {
            input.founded_on = sane(founded);
            if birthday.is_some() {
                drop_warn(F::Birthday, warnings);
            }
            if gender.is_some() {
                drop_warn(F::Gender, warnings);
            }
            if !contact.name.is_empty() {
                contact.primary = true;
                input.contacts.push(contact);
            } else if !contact.phones.is_empty() || !contact.emails.is_empty() {
                // A contact's phone or e-mail without a name: keep it under the company's name.
                contact.name = input.name.clone();
                contact.primary = true;
                input.contacts.push(contact);
            }
        }
    }
    dedupe(&mut input.phones, |p| text::phone_key(p).unwrap_or_default());
    dedupe(&mut input.emails, |e| e.clone());
    // Required fields per the admin's settings (name is checked above).
    let required: [(&str, F, bool); 8] = [
        ("phones", F::Phone, input.phones.is_empty()),
        ("emails", F::Email, input.emails.is_empty()),
        ("address", F::Address, input.address.is_none()),
        ("tax_code", F::TaxCode, input.tax_code.is_none()),
        ("segment_id", F::Segment, names.segment.is_none()),
        ("level_id", F::Level, names.level.is_none()),
        ("status_id", F::Status, names.status.is_none()),
        ("channel_id", F::AcquisitionChannel, names.channel.is_none()),
    ];
    for (field, import_field, empty) in required {
        if empty && ctx.fields.required(field) {
            let col = ctx.mapping.iter().position(|f| *f == Some(import_field));
            errors.push(RowError {
                row: number,
                column: col.and_then(|c| header(ctx.sheet, c)).or_else(|| Some(import_field.as_str().to_owned())),
                code: "missing_required".into(),
                value: None,
            });
        }
    }
    if errors.is_empty() { Ok(RowDraft { row: number, input, names, present }) } else { Err(errors) }
}

fn dedupe(v: &mut Vec<String>, key: impl Fn(&String) -> String) {
    let mut seen = HashSet::new();
    v.retain(|x| seen.insert(key(x)));
}

/// A list cell: values separated by `,` `;` or line breaks (groups, several e-mails).
pub(crate) fn split_list(s: &str) -> Vec<String> {
    s.split([',', ';', '\n', '\r']).map(values::clean).filter(|x| !x.is_empty()).collect()
}

/// The duplicate-rule keys of a valid row (only rules that are on).
pub(crate) fn row_keys(input: &CustomerInput, rules: &DuplicateRules) -> Vec<(&'static str, String)> {
    let mut keys: Vec<(&'static str, String)> = Vec::new();
    if rules.phone != RuleMode::Off {
        keys.extend(input.phones.iter().filter_map(|p| text::phone_key(p)).map(|k| ("phone", k)));
    }
    if rules.email != RuleMode::Off {
        keys.extend(input.emails.iter().map(|e| ("email", text::email_key(e))));
    }
    if rules.tax_code != RuleMode::Off
        && let Some(t) = &input.tax_code
    {
        keys.push(("tax_code", text::digits(t)));
    }
    if rules.name_address != RuleMode::Off
        && let Some(a) = &input.address
        && let Some(k) = crate::duplicates::name_address_key(&input.name, a)
    {
        keys.push(("name_address", k));
    }
    keys.retain(|(_, k)| !k.is_empty());
    keys.sort();
    keys.dedup();
    keys
}

/// Union-find over row indexes.
pub(crate) struct Groups {
    parent: Vec<u32>,
}

impl Groups {
    pub fn new() -> Self {
        Groups { parent: Vec::new() }
    }
    pub fn add(&mut self) -> u32 {
        let i = self.parent.len() as u32;
        self.parent.push(i);
        i
    }
    pub fn find(&mut self, mut i: u32) -> u32 {
        while self.parent[i as usize] != i {
            let p = self.parent[i as usize];
            self.parent[i as usize] = self.parent[p as usize];
            i = p;
        }
        i
    }
    /// Join two sets; the root is the smaller index (the earlier row).
    pub fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi as usize] = lo;
        }
    }
}

/// Existing live customers by key, for a batch of keys: `(kind, key) → ids`.
pub(crate) async fn existing_matches(
    conn: &mut SqliteConnection,
    keys: &[(&'static str, String)],
) -> Result<HashMap<(&'static str, String), Vec<i64>>> {
    let mut out: HashMap<(&'static str, String), Vec<i64>> = HashMap::new();
    for chunk in keys.chunks(400) {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT k.kind, k.key, k.customer_id FROM customer_keys k JOIN customers c ON c.id = k.customer_id \
             WHERE c.deleted_at IS NULL AND (",
        );
        for (i, (kind, key)) in chunk.iter().enumerate() {
            if i > 0 {
                qb.push(" OR ");
            }
            qb.push("(k.kind = ").push_bind(*kind).push(" AND k.key = ").push_bind(key.clone()).push(")");
        }
        qb.push(")");
        let rows: Vec<(String, String, i64)> = qb.build_query_as().fetch_all(&mut *conn).await?;
        for (kind, key, id) in rows {
            if let Some((k, _)) = chunk.iter().find(|(k, kk)| *k == kind && *kk == key) {
                out.entry((*k, key)).or_default().push(id);
            }
        }
    }
    Ok(out)
}

/// Existing customers by folded code: `code_key → id` (live and trashed: a code is never reused).
pub(crate) async fn existing_codes(
    conn: &mut SqliteConnection,
    codes: &[String],
) -> Result<HashMap<String, (i64, bool)>> {
    let mut out = HashMap::new();
    for chunk in codes.chunks(500) {
        let mut qb: QueryBuilder<Sqlite> =
            QueryBuilder::new("SELECT code_key, id, deleted_at IS NULL FROM customers WHERE code_key IN (");
        let mut sep = qb.separated(", ");
        for c in chunk {
            sep.push_bind(c.clone());
        }
        qb.push(")");
        let rows: Vec<(String, i64, bool)> = qb.build_query_as().fetch_all(&mut *conn).await?;
        for (k, id, live) in rows {
            out.insert(k, (id, live));
        }
    }
    Ok(out)
}

/// The duplicate-rule keys (and given codes) of the valid rows, kept compactly: a million-row
/// file has about two million keys, which as `(kind, String)` pairs in hash maps (one map from
/// key to row, one list of keys per row) held ~350 MiB. Here each key is a slice of one buffer.
#[derive(Default)]
struct RowKeys {
    text: String,
    /// Per key: its end in `text`, its kind (index into `KEY_KINDS`) and its valid row.
    ends: Vec<u32>,
    kinds: Vec<u8>,
    rows: Vec<u32>,
    /// Per valid row: the end of its keys (exclusive).
    row_ends: Vec<u32>,
}

/// Kinds of keys; `code` is a given customer code (the same code twice is the same customer).
const KEY_KINDS: [&str; 5] = ["phone", "email", "tax_code", "name_address", "code"];
const CODE_KIND: u8 = 4;

impl RowKeys {
    fn push_row<'a>(&mut self, keys: impl Iterator<Item = (&'a str, &'a str)>) -> Result<()> {
        let row = self.row_ends.len() as u32;
        for (kind, key) in keys {
            let Some(k) = KEY_KINDS.iter().position(|x| *x == kind) else { continue };
            self.text.push_str(key);
            let end = u32::try_from(self.text.len())
                .map_err(|_| super::import_error("import.too_large", "the file has too many distinct values"))?;
            self.ends.push(end);
            self.kinds.push(k as u8);
            self.rows.push(row);
        }
        self.row_ends.push(self.ends.len() as u32);
        Ok(())
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn text(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    fn kind(&self, i: usize) -> &'static str {
        KEY_KINDS[self.kinds[i] as usize]
    }

    fn same(&self, a: usize, b: usize) -> bool {
        self.kinds[a] == self.kinds[b] && self.text(a) == self.text(b)
    }

    /// The keys of valid row `row`, as indexes.
    fn of_row(&self, row: usize) -> std::ops::Range<usize> {
        let start = if row == 0 { 0 } else { self.row_ends[row - 1] as usize };
        start..self.row_ends[row] as usize
    }

    /// The key of kind `code` of a row, if it has one.
    fn code_of(&self, row: usize) -> Option<&str> {
        self.of_row(row).find(|i| self.kinds[*i] == CODE_KIND).map(|i| self.text(i))
    }

    /// Join rows that share a key, and return one index per distinct key (the first of its
    /// rows). Sorting by a hash of each key, then comparing the keys within runs of equal
    /// hashes, groups equal keys without a map from every key.
    fn group(&self, groups: &mut Groups) -> Vec<u32> {
        let mut order: Vec<(u64, u32)> = (0..self.len())
            .map(|i| {
                let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(self.kinds[i]);
                for b in self.text(i).as_bytes() {
                    h ^= u64::from(*b);
                    h = h.wrapping_mul(0x0100_0000_01b3);
                }
                (h, i as u32)
            })
            .collect();
        order.sort_unstable();
        let mut distinct = Vec::new();
        let mut reps: Vec<usize> = Vec::new();
        let mut at = 0;
        while at < order.len() {
            let hash = order[at].0;
            let end = at + order[at..].iter().take_while(|(h, _)| *h == hash).count();
            reps.clear();
            // Within a run (almost always one key), the first index of each distinct key.
            for &(_, i) in &order[at..end] {
                let i = i as usize;
                match reps.iter().find(|r| self.same(**r, i)) {
                    Some(&r) => groups.union(self.rows[r], self.rows[i]),
                    None => {
                        reps.push(i);
                        distinct.push(i as u32);
                    }
                }
            }
            at = end;
        }
        distinct
    }
}

/// Read the file (`reader`, opened on `path`), convert every row, plan the duplicates: the whole
/// dry run. Valid rows are spooled to a temp file in `spool_dir` when `spool_dir` is given (the
/// commit reads them back).
/// Without a mapping in `options`, the one remembered for the file's headers is used, else the
/// automatic one.
#[allow(clippy::too_many_arguments, reason = "the plan's inputs, each used once")]
pub(crate) async fn plan(
    conn: &mut SqliteConnection,
    path: &Path,
    reader: SheetReader,
    options: &ImportOptions,
    rules: &DuplicateRules,
    fields: &FieldSettings,
    spool_dir: Option<&Path>,
    on_rows: &mut dyn FnMut(u64) -> bool,
) -> Result<Plan> {
    let started = std::time::Instant::now();
    let sheet = reader.sheet().clone();
    let remembered: Option<Vec<Option<ImportField>>> = match options.mapping {
        Some(_) => None,
        None => {
            let key = mapping_key(&mapping::header_signature(&sheet.headers));
            crate::settings::get(conn, &key).await?.and_then(|v| serde_json::from_str(&v).ok())
        }
    };
    let mapping = effective_mapping(&sheet, options.mapping.as_ref(), remembered)?;
    let mut report = ImportReport {
        file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        format: Some(sheet.format),
        sheet_name: sheet.sheet_name.clone(),
        sheet_names: sheet.sheet_names.clone(),
        headers: sheet.headers.clone(),
        mapping: mapping.clone(),
        mode: options.mode,
        dry_run: true,
        ..Default::default()
    };
    let ctx = RowContext { sheet: &sheet, mapping: &mapping, kind: options.kind, fields };

    let mut spool_writer = None;
    let spool = match spool_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            let path =
                dir.join(format!("import-{}-{}.jsonl", std::process::id(), chrono::Utc::now().timestamp_micros()));
            let spool = Spool { path };
            spool_writer = Some(SpoolWriter::create(&spool)?);
            Some(spool)
        }
        None => None,
    };

    // Per valid row: its keys (for grouping; its code among them), and its row number.
    let mut groups = Groups::new();
    let mut keys = RowKeys::default();
    let mut row_numbers: Vec<u32> = Vec::new();
    let mut catalog_names: BTreeMap<CatalogKind, HashMap<String, String>> = BTreeMap::new();
    let mut owner_names: HashSet<String> = HashSet::new();
    let mut warnings = Vec::new();
    // Without creating missing catalog values, a row naming an unknown one is invalid.
    let mut known_items: HashMap<CatalogKind, HashSet<String>> = HashMap::new();
    if !options.create_missing {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT kind, name_key FROM catalog_items").fetch_all(&mut *conn).await?;
        for (kind, key) in rows {
            if let Some(k) = CatalogKind::parse(&kind) {
                known_items.entry(k).or_default().insert(key);
            }
        }
    }
    let field_of = |kind: CatalogKind| match kind {
        CatalogKind::Segment => ImportField::Segment,
        CatalogKind::Level => ImportField::Level,
        CatalogKind::Group => ImportField::Group,
        CatalogKind::Status => ImportField::Status,
        CatalogKind::Channel => ImportField::AcquisitionChannel,
        _ => ImportField::ContactPosition,
    };
    let read_span = super::timing::span("plan: read, convert, spool");
    for row in reader {
        let row = row?;
        if row.cells.iter().all(Cell::is_blank) {
            continue;
        }
        report.rows += 1;
        if report.rows.is_multiple_of(5000) && !on_rows(report.rows) {
            return Err(Error::Cancelled);
        }
        warnings.clear();
        let converted = convert_row(&ctx, row.number, &row.cells, &mut warnings).and_then(|draft| {
            if options.create_missing {
                return Ok(draft);
            }
            let n = &draft.names;
            let mut errs = Vec::new();
            let singles = [
                (CatalogKind::Segment, &n.segment),
                (CatalogKind::Level, &n.level),
                (CatalogKind::Status, &n.status),
                (CatalogKind::Channel, &n.channel),
                (CatalogKind::Position, &n.position),
            ];
            let many = n.groups.iter().map(|g| (CatalogKind::Group, g));
            for (kind, value) in singles.into_iter().filter_map(|(k, v)| v.as_ref().map(|v| (k, v))).chain(many) {
                if !known_items.get(&kind).is_some_and(|s| s.contains(&text::fold(value))) {
                    let col = mapping.iter().position(|f| *f == Some(field_of(kind)));
                    errs.push(RowError {
                        row: row.number,
                        column: col.and_then(|c| header(&sheet, c)),
                        code: "unknown_value".into(),
                        value: Some(value.clone()),
                    });
                }
            }
            if errs.is_empty() { Ok(draft) } else { Err(errs) }
        });
        match converted {
            Ok(draft) => {
                report.valid += 1;
                *report.valid_by_kind.entry(draft.input.kind.as_str().to_owned()).or_default() += 1;
                groups.add();
                let rule_keys = row_keys(&draft.input, rules);
                // The same code twice in the file is the same customer too.
                let code_key = draft.input.code.as_deref().map(text::fold);
                keys.push_row(
                    rule_keys.iter().map(|(k, v)| (*k, v.as_str())).chain(code_key.as_deref().map(|c| ("code", c))),
                )?;
                for (kind, value) in [
                    (CatalogKind::Segment, &draft.names.segment),
                    (CatalogKind::Level, &draft.names.level),
                    (CatalogKind::Status, &draft.names.status),
                    (CatalogKind::Channel, &draft.names.channel),
                    (CatalogKind::Position, &draft.names.position),
                ] {
                    if let Some(v) = value {
                        catalog_names.entry(kind).or_default().entry(text::fold(v)).or_insert_with(|| v.clone());
                    }
                }
                for g in &draft.names.groups {
                    catalog_names
                        .entry(CatalogKind::Group)
                        .or_default()
                        .entry(text::fold(g))
                        .or_insert_with(|| g.clone());
                }
                for o in [&draft.names.owner, &draft.names.service_manager].into_iter().flatten() {
                    if !owner_names.contains(o) {
                        owner_names.insert(o.clone());
                    }
                }
                row_numbers.push(draft.row);
                if let Some(w) = spool_writer.as_mut() {
                    w.push(&draft)?;
                }
            }
            Err(errs) => {
                report.invalid += 1;
                *report.invalid_by_reason.entry(errs[0].code.clone()).or_default() += 1;
                for e in errs {
                    report.error(e);
                }
            }
        }
        for w in warnings.drain(..) {
            report.warning(w);
        }
    }
    if let Some(w) = spool_writer {
        w.finish()?;
    }
    drop(read_span);
    let _span = super::timing::span("plan: groups, matches, fates");
    on_rows(report.rows);

    // Groups within the file: rows sharing a key (or a code). A group's root is its first row.
    let n = row_numbers.len();
    let distinct = keys.group(&mut groups);
    let roots: Vec<u32> = (0..n as u32).map(|i| groups.find(i)).collect();
    let mut sizes: Vec<u32> = vec![0; n];
    for r in &roots {
        sizes[*r as usize] += 1;
    }
    report.duplicate_groups = sizes.iter().filter(|s| **s > 1).count() as u64;
    let listed: HashMap<u32, usize> =
        (0..n).filter(|i| sizes[*i] > 1).take(200).enumerate().map(|(k, root)| (root as u32, k)).collect();
    let mut group_rows: Vec<Vec<u32>> = vec![Vec::new(); listed.len()];
    for (i, r) in roots.iter().enumerate() {
        if let Some(k) = listed.get(r) {
            group_rows[*k].push(row_numbers[i]);
        }
    }
    report.duplicate_group_rows = group_rows;

    // Existing customers: by code, and by the rule keys (none to look for in a database that
    // has no keys yet, such as the first import).
    let codes: Vec<String> = distinct
        .iter()
        .map(|i| *i as usize)
        .filter(|i| keys.kinds[*i] == CODE_KIND)
        .map(|i| keys.text(i).to_owned())
        .collect();
    let by_code = existing_codes(conn, &codes).await?;
    let any_keys: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM customer_keys)").fetch_one(&mut *conn).await?;
    let mut by_key: HashMap<(&'static str, String), Vec<i64>> = HashMap::new();
    if any_keys {
        let rule_keys: Vec<usize> =
            distinct.iter().map(|i| *i as usize).filter(|i| keys.kinds[*i] != CODE_KIND).collect();
        for chunk in rule_keys.chunks(2_000) {
            let chunk: Vec<(&'static str, String)> =
                chunk.iter().map(|i| (keys.kind(*i), keys.text(*i).to_owned())).collect();
            by_key.extend(existing_matches(conn, &chunk).await?);
        }
    }
    let mut row_match: Vec<Option<(i64, bool)>> = vec![None; n];
    if !by_code.is_empty() || !by_key.is_empty() {
        for (i, m) in row_match.iter_mut().enumerate() {
            if let Some(code) = keys.code_of(i)
                && let Some(&(id, live)) = by_code.get(code)
            {
                // A code is the customer's identity: a trashed one cannot be created again.
                *m = Some((id, live));
                continue;
            }
            let mut best: Option<(i64, bool)> = None;
            for k in keys.of_row(i) {
                if keys.kinds[k] == CODE_KIND || by_key.is_empty() {
                    continue;
                }
                if let Some(ids) = by_key.get(&(keys.kind(k), keys.text(k).to_owned()))
                    && let Some(&id) = ids.iter().min()
                {
                    let blocking = rules.mode(keys.kind(k)) == RuleMode::Block;
                    best = match best {
                        Some((b, bl)) if b <= id => Some((b, bl || blocking)),
                        Some((_, bl)) => Some((id, bl || blocking)),
                        None => Some((id, blocking)),
                    };
                }
            }
            *m = best.map(|(id, blocking)| (id, !blocking));
        }
    }
    report.matches_existing = row_match.iter().filter(|m| m.is_some()).count() as u64;

    // Fates.
    let mut fates = vec![Fate::Skip; n];
    // The customer a group maps to: an existing match of any of its rows (the smallest id).
    let mut group_target: HashMap<u32, i64> = HashMap::new();
    for (i, m) in row_match.iter().enumerate() {
        if let Some((id, _)) = m {
            let e = group_target.entry(roots[i]).or_insert(*id);
            *e = (*e).min(*id);
        }
    }
    let trashed_ids: HashSet<i64> = by_code.values().filter(|(_, live)| !live).map(|(id, _)| *id).collect();
    let mut seen_codes: HashSet<&str> = HashSet::new();
    for i in 0..n {
        let root = roots[i];
        let matched = row_match[i];
        let code = keys.code_of(i);
        fates[i] = match options.mode {
            ImportMode::Skip => {
                if group_target.contains_key(&root) || root as usize != i {
                    Fate::Skip
                } else {
                    Fate::Create
                }
            }
            ImportMode::Create if code.is_some_and(|c| !seen_codes.insert(c)) => Fate::Skip,
            ImportMode::Create => match matched {
                // A code that exists cannot be created twice; a blocking rule refuses the row.
                Some((_, _)) if code.is_some_and(|c| by_code.contains_key(c)) => Fate::Skip,
                Some((_, false)) => Fate::Skip,
                _ => Fate::Create,
            },
            ImportMode::Update => match group_target.get(&root) {
                Some(&target) => {
                    // A row whose code is a trashed customer's cannot update or create it.
                    let trashed_code = code.and_then(|c| by_code.get(c)).is_some_and(|(_, live)| !live);
                    if trashed_code || trashed_ids.contains(&target) { Fate::Skip } else { Fate::Update(target) }
                }
                None if root as usize == i => Fate::Create,
                None => Fate::UpdateRow(root),
            },
        };
    }
    report.created = fates.iter().filter(|f| **f == Fate::Create).count() as u64;
    report.updated = fates.iter().filter(|f| matches!(f, Fate::Update(_) | Fate::UpdateRow(_))).count() as u64;
    report.skipped = fates.iter().filter(|f| **f == Fate::Skip).count() as u64;

    // Catalog values that are new.
    let mut new_items: BTreeMap<CatalogKind, Vec<String>> = BTreeMap::new();
    for (kind, names) in &catalog_names {
        let existing: Vec<String> = sqlx::query_scalar("SELECT name_key FROM catalog_items WHERE kind = ?")
            .bind(kind.as_str())
            .fetch_all(&mut *conn)
            .await?;
        let mut fresh: Vec<String> =
            names.iter().filter(|(k, _)| !existing.contains(k)).map(|(_, v)| v.clone()).collect();
        fresh.sort();
        if !fresh.is_empty() {
            new_items.insert(*kind, fresh);
        }
    }
    report.new_catalog_items = new_items.iter().map(|(k, v)| (k.as_str().to_owned(), v.clone())).collect();
    // Unknown owners: a warning each (the rows go to the default owner).
    let staff: Vec<(String, String)> =
        sqlx::query_as("SELECT name, email_key FROM staff WHERE active = 1").fetch_all(&mut *conn).await?;
    let known: HashSet<String> = staff.iter().flat_map(|(n, e)| [text::fold(n), e.clone()]).collect();
    let mut unknown: Vec<&String> = owner_names.iter().filter(|o| !known.contains(&text::fold(o))).collect();
    unknown.sort();
    for o in unknown {
        report.warning(RowError { row: 0, column: None, code: "unknown_owner".into(), value: Some(o.clone()) });
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(Plan { report, fates, spool, catalog_names: new_items, row_numbers })
}

/// Settings key of the mapping remembered for a header signature.
pub(crate) fn mapping_key(signature: &str) -> String {
    // FNV-1a: a short stable key for a long signature.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in signature.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("import.mapping.{h:016x}")
}

use chrono::Datelike as _;
