//! Open a user's spreadsheet and stream its rows.
//!
//! ```no_run
//! # fn main() -> clientele::Result<()> {
//! let mut reader = clientele::import::read::open(std::path::Path::new("customers.xlsx"))?;
//! println!("{:?} headers: {:?}", reader.sheet().format, reader.sheet().headers);
//! for row in &mut reader {
//!     let row = row?; // a hostile or damaged file can still fail part-way
//!     println!("row {}: {:?}", row.number, row.cells);
//! }
//! # Ok(()) }
//! ```
//!
//! # How
//! The format is detected from the content, never from the extension ([`detect_format`]).
//! Before any parser sees the file, cheap pre-checks refuse hostile files (`guard`): sizes
//! declared by the zip, the zip's actual content scanned without keeping it, the sheet's
//! declared dimension, the shared-string count, ODS repeat counts, xls record dimensions. Then
//! the file is parsed on a worker thread, behind `catch_unwind` (a panic becomes
//! `import.damaged`), and its rows come back in batches over a bounded channel, so a
//! million-row file never sits in memory whole:
//!
//! - xlsx / xlsm: our own streaming reader (`xlsx`), cell by cell like calamine's
//!   `worksheet_cells_reader` but with the shared strings in one buffer (calamine holds each
//!   as its own `String`: ~370 MiB for a million-row customer list, ~130 MiB here).
//! - xlsb: calamine's streaming cell reader (`worksheet_cells_reader`); only the shared strings
//!   and styles are held in memory.
//! - xls and ods: calamine can only read a whole sheet; the pre-checks bound its size
//!   ([`limits::MAX_XLS_CELLS`], [`limits::MAX_ODS_CELLS`]).
//! - CSV: the `csv` crate over a streaming decoder (UTF-8 with or without BOM, UTF-16 with BOM,
//!   else windows-1258 or windows-1252), delimiter sniffed from the first lines.
//!
//! # Rows
//! The header is the first non-blank row (normally row 1). Rows are numbered as the spreadsheet
//! numbers them (header = 1 in the usual case; blank rows count but are not yielded). A row
//! whose cells are all blank (empty, or whitespace only) is skipped. Each yielded row has at
//! least as many cells as there are headers (padded with [`Cell::Empty`]); cells to the right of
//! the last header are kept. Formulas are read as their cached value (xlsx/xls/ods); a CSV
//! holds only text, so every CSV cell is [`Cell::Text`] or [`Cell::Empty`].

mod csv_source;
mod guard;
mod xlsx;

use std::fs::File;
use std::io::{BufReader, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use calamine::{Data, DataRef, Reader};
use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use ts_rs::TS;

use super::import_error;
use super::values::number_to_text;
use crate::{Error, Result};

/// Limits: generous for honest files, tight enough that a hostile file is refused within
/// seconds and never makes the importer hold more than a few hundred MiB.
pub mod limits {
    /// A CSV larger than this is refused (it is streamed, so this is about time, not memory).
    pub const MAX_CSV_FILE_BYTES: u64 = 2 << 30;
    /// An xlsx / xlsm / xlsb / ods file (the zip itself) larger than this is refused.
    pub const MAX_ZIP_FILE_BYTES: u64 = 512 << 20;
    /// An xls file larger than this is refused (calamine reads an xls whole).
    pub const MAX_XLS_FILE_BYTES: u64 = 128 << 20;
    /// More entries than this in the zip: refused.
    pub const MAX_ZIP_ENTRIES: usize = 10_000;
    /// Sum of the uncompressed sizes declared by the zip's entries (a million-row sheet is
    /// about 0.5 GiB of XML).
    pub const MAX_ZIP_UNCOMPRESSED_BYTES: u64 = 2 << 30;
    /// An entry of at least [`ZIP_RATIO_MIN_BYTES`] that declares more than this many times its
    /// compressed size is a zip bomb (honest spreadsheet XML compresses 5–30 to 1).
    pub const MAX_ZIP_RATIO: u64 = 500;
    /// See [`MAX_ZIP_RATIO`].
    pub const ZIP_RATIO_MIN_BYTES: u64 = 32 << 20;
    /// `xl/sharedStrings.xml` is held in memory (its text in one buffer, ~0.65 byte per byte of
    /// XML for typical customers): at most this many bytes of XML (a million rows of customers
    /// with ~7 distinct strings each is ~210 MiB).
    pub const MAX_SHARED_STRINGS_BYTES: u64 = 320 << 20;
    /// The longest XML token (a tag with its attributes, or a text run) anywhere in the XML
    /// parts; the XML parser buffers one token at a time. Excel's longest cell (32,767
    /// characters) is at most about 200 KB of XML.
    pub const MAX_XML_TOKEN_BYTES: u64 = 4 << 20;
    /// A sheet whose declared `<dimension>` covers more cells than this, while its XML has fewer
    /// than [`MIN_XML_BYTES_PER_DECLARED_CELL`] bytes per declared cell, is hostile (the classic
    /// "tiny file whose last cell is XFD1048576").
    pub const MAX_DECLARED_CELLS: u64 = 20_000_000;
    /// See [`MAX_DECLARED_CELLS`]; a real cell takes at least ~10 bytes of XML.
    pub const MIN_XML_BYTES_PER_DECLARED_CELL: u64 = 16;
    /// Excel's row limit; a spreadsheet cell below it is damaged. (A CSV may be longer.)
    pub const MAX_SHEET_ROWS: u32 = 1_048_576;
    /// Excel's column limit (XFD), for every format, CSV included.
    pub const MAX_COLUMNS: u32 = 16_384;
    /// The text of one row, all cells together.
    pub const MAX_ROW_BYTES: usize = 8 << 20;
    /// Non-empty cells in one sheet (a million rows of 50 columns).
    pub const MAX_CELLS: u64 = 50_000_000;
    /// Shared strings let a small sheet repeat a long string many times. Once the text handed
    /// out passes [`TEXT_AMPLIFICATION_FLOOR_BYTES`], it may not exceed this many times the
    /// size of the workbook's XML.
    pub const MAX_TEXT_AMPLIFICATION: u64 = 8;
    /// See [`MAX_TEXT_AMPLIFICATION`].
    pub const TEXT_AMPLIFICATION_FLOOR_BYTES: u64 = 256 << 20;
    /// ODS is read whole by calamine: at most this many cells once its repeat counts are
    /// expanded (about 100,000 rows of 25 columns).
    pub const MAX_ODS_CELLS: u64 = 2_500_000;
    /// ODS text once repeat counts (`number-columns-repeated`, `number-rows-repeated`,
    /// `text:s text:c`) are expanded.
    pub const MAX_ODS_TEXT_BYTES: u64 = 96 << 20;
    /// xls is read whole by calamine: at most this many cells in the bounding boxes of all its
    /// sheets (65,536 rows of 45 columns).
    pub const MAX_XLS_CELLS: u64 = 3_000_000;
    /// Sheets in an xls workbook.
    pub const MAX_XLS_SHEETS: usize = 1_024;
}

/// The file format, as detected from the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "ImportFormat")]
pub enum Format {
    /// Office Open XML workbook (`.xlsx`, `.xlsm`).
    Xlsx,
    /// Excel binary workbook (`.xlsb`).
    Xlsb,
    /// Excel 97–2003 workbook (`.xls`).
    Xls,
    /// OpenDocument spreadsheet (`.ods`).
    Ods,
    /// Delimited text.
    Csv,
}

/// One cell's value as the spreadsheet holds it. Interpretation (numbers as text, dates,
/// booleans) belongs to [`super::values`].
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Cell {
    #[default]
    Empty,
    /// Text as written (not trimmed or normalised).
    Text(String),
    /// A number; Excel stores phones and tax codes typed as numbers this way.
    Number(f64),
    Bool(bool),
    /// A cell formatted as a date (the 1900/1904 date systems already applied), or an ISO date
    /// of an ODS file.
    Date(NaiveDateTime),
    /// An error value such as `#N/A` or `#DIV/0!`.
    Error(String),
}

impl Cell {
    /// Empty, or text of whitespace only (NBSP and zero-width space included).
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.chars().all(|c| c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}'),
            _ => false,
        }
    }

    /// The cell as text, as a spreadsheet would show it without formatting: numbers without a
    /// trailing `.0` and never in scientific notation, dates as `yyyy-mm-dd` (with the time
    /// when there is one), booleans as `TRUE`/`FALSE`, errors as their code. `""` when empty.
    pub fn to_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => number_to_text(*n),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
            Cell::Date(d) => {
                if d.time() == chrono::NaiveTime::MIN {
                    d.date().format("%Y-%m-%d").to_string()
                } else {
                    d.format("%Y-%m-%d %H:%M:%S").to_string()
                }
            }
            Cell::Error(e) => e.clone(),
        }
    }

    fn text_bytes(&self) -> usize {
        match self {
            Cell::Text(s) | Cell::Error(s) => s.len(),
            _ => 0,
        }
    }
}

/// One non-blank row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The spreadsheet row number (1-based; blank rows are counted).
    pub number: u32,
    /// Cells by column (A = 0), padded to at least the number of headers.
    pub cells: Vec<Cell>,
}

/// What was opened.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub format: Format,
    /// The sheet read; `None` for CSV.
    pub sheet_name: Option<String>,
    /// All sheets of the workbook in order (for the user to choose another); empty for CSV.
    pub sheet_names: Vec<String>,
    /// The texts of the header row ([`Cell::to_text`], not trimmed), up to its last non-empty
    /// cell; an empty header cell is `""`.
    pub headers: Vec<String>,
    /// The header row's spreadsheet row number (1 unless the sheet starts with blank rows).
    pub header_row: u32,
    /// The workbook counts date serial numbers from 1904-01-01 (old Mac Excel) instead of
    /// 1899-12-30; applies to numbers in date columns that are not formatted as dates.
    pub date_1904: bool,
    /// CSV only: the text encoding detected (`UTF-8`, `UTF-16LE`, `UTF-16BE`, `windows-1258`,
    /// `windows-1252`).
    pub encoding: Option<&'static str>,
    /// CSV only: the delimiter detected (`,` `;` or tab).
    pub delimiter: Option<char>,
}

/// Options for [`open_with`].
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The sheet to read, by name; `None`: the first visible worksheet. Ignored for CSV.
    pub sheet: Option<String>,
}

/// An open file: its [`Sheet`] description and an iterator over its data rows (the header row
/// excluded). Dropping it early stops the worker thread at its next batch.
pub struct SheetReader {
    sheet: Sheet,
    rx: Receiver<Msg>,
    batch: std::vec::IntoIter<Row>,
    finished: bool,
}

impl std::fmt::Debug for SheetReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SheetReader").field("sheet", &self.sheet).finish_non_exhaustive()
    }
}

impl SheetReader {
    pub fn sheet(&self) -> &Sheet {
        &self.sheet
    }

    /// The next non-blank row as the worker produced it, not padded.
    fn next_raw(&mut self) -> Option<Result<Row>> {
        loop {
            if let Some(row) = self.batch.next() {
                return Some(Ok(row));
            }
            if self.finished {
                return None;
            }
            match self.rx.recv() {
                Ok(Msg::Rows(rows)) => self.batch = rows.into_iter(),
                Ok(Msg::Meta(_)) => {}
                Ok(Msg::Done) => self.finished = true,
                Ok(Msg::Fail(e)) => {
                    self.finished = true;
                    return Some(Err(e));
                }
                Err(_) => {
                    self.finished = true;
                    return Some(Err(import_error("import.damaged", "the file reader stopped unexpectedly")));
                }
            }
        }
    }
}

impl Iterator for SheetReader {
    type Item = Result<Row>;

    fn next(&mut self) -> Option<Result<Row>> {
        let mut row = match self.next_raw()? {
            Ok(row) => row,
            Err(e) => return Some(Err(e)),
        };
        let width = self.sheet.headers.len();
        if row.cells.len() < width {
            row.cells.resize(width, Cell::Empty);
        } else {
            // Trailing empty cells past the headers carry nothing.
            while row.cells.len() > width && row.cells.last().is_some_and(|c| *c == Cell::Empty) {
                row.cells.pop();
            }
        }
        Some(Ok(row))
    }
}

/// Open `path` and read its first visible worksheet. See the module documentation.
pub fn open(path: &Path) -> Result<SheetReader> {
    open_with(path, &ReadOptions::default())
}

/// Open `path` with options (which sheet).
pub fn open_with(path: &Path, options: &ReadOptions) -> Result<SheetReader> {
    let source = identify(path)?;
    let format = source.format();
    let (tx, rx) = sync_channel::<Msg>(CHANNEL_BATCHES);
    let job = Job { path: path.to_path_buf(), options: options.clone(), source };
    std::thread::Builder::new()
        .name("import-read".into())
        .spawn(move || run_worker(job, tx))
        .map_err(|e| Error::Io(format!("could not start the file reader: {e}")))?;

    let meta = match rx.recv() {
        Ok(Msg::Meta(meta)) => meta,
        Ok(Msg::Fail(e)) => return Err(e),
        _ => return Err(import_error("import.damaged", "the file reader stopped unexpectedly")),
    };
    let mut reader = SheetReader {
        sheet: Sheet {
            format,
            sheet_name: meta.sheet_name,
            sheet_names: meta.sheet_names,
            headers: Vec::new(),
            header_row: 0,
            date_1904: meta.date_1904,
            encoding: meta.encoding,
            delimiter: meta.delimiter,
        },
        rx,
        batch: Vec::new().into_iter(),
        finished: false,
    };
    let header = match reader.next_raw() {
        None => return Err(import_error("import.empty", "the sheet has no data: every row is empty")),
        Some(row) => row?,
    };
    let has_header_text = header.cells.iter().any(|c| match c {
        Cell::Text(s) => s.chars().any(char::is_alphabetic),
        _ => false,
    });
    if !has_header_text {
        return Err(import_error(
            "import.no_header",
            format!("row {} should name the columns but holds no text", header.number),
        ));
    }
    let mut headers: Vec<String> = header.cells.iter().map(Cell::to_text).collect();
    while headers.last().is_some_and(|h| h.trim().is_empty()) {
        headers.pop();
    }
    reader.sheet.headers = headers;
    reader.sheet.header_row = header.number;
    Ok(reader)
}

/// Detect the format of `path` from its content, running the same pre-checks as [`open`]
/// (so a hostile file fails here too), without parsing the sheet.
pub fn detect_format(path: &Path) -> Result<Format> {
    Ok(identify(path)?.format())
}

// ---------------------------------------------------------------------------------------------
// Identification: magic bytes, then the format's pre-checks.

/// What `identify` learned, handed to the worker.
enum Source {
    Zip(guard::ZipFacts),
    Xls,
    Csv(csv_source::CsvFacts),
}

impl Source {
    fn format(&self) -> Format {
        match self {
            Source::Zip(z) => z.format,
            Source::Xls => Format::Xls,
            Source::Csv(_) => Format::Csv,
        }
    }
}

/// Bytes read from the start of the file to detect its format and, for CSV, its encoding.
const HEAD_BYTES: usize = 1 << 20;

fn identify(path: &Path) -> Result<Source> {
    let mut file = File::open(path)?;
    let len = file.metadata()?.len();
    if len == 0 {
        return Err(import_error("import.empty", "the file is empty"));
    }
    let mut head = Vec::with_capacity(HEAD_BYTES.min(len as usize));
    (&mut file).take(HEAD_BYTES as u64).read_to_end(&mut head)?;
    drop(file);

    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") || head.starts_with(b"PK\x07\x08") {
        let _span = crate::import::timing::span("plan: check the file");
        let facts = guarded(|| guard::check_zip(path, len))?;
        return Ok(Source::Zip(facts));
    }
    if head.starts_with(&guard::OLE_MAGIC) {
        guarded(|| guard::check_ole(path, len))?;
        return Ok(Source::Xls);
    }
    if let Some(what) = known_binary(&head) {
        return Err(import_error(
            "import.unsupported_format",
            format!("this is {what}, not a spreadsheet: choose an .xlsx, .xls, .ods or .csv file"),
        ));
    }
    if len > limits::MAX_CSV_FILE_BYTES {
        return Err(import_error(
            "import.too_large",
            format!("the file is {} MiB; at most {} MiB can be imported", len >> 20, limits::MAX_CSV_FILE_BYTES >> 20),
        ));
    }
    let facts = csv_source::sniff(&head, head.len() as u64 == len).ok_or_else(|| {
        import_error(
            "import.unsupported_format",
            "this file is neither a spreadsheet nor text: choose an .xlsx, .xls, .ods or .csv file",
        )
    })?;
    Ok(Source::Csv(facts))
}

/// File types users rename by mistake, by their magic bytes.
fn known_binary(head: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF", "a PDF document"),
        (b"\x89PNG", "a PNG image"),
        (b"GIF8", "a GIF image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"RIFF", "a media file"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"BZh", "a bzip2 archive"),
        (b"\xFD7zXZ", "an xz archive"),
        (b"7z\xBC\xAF", "a 7-Zip archive"),
        (b"Rar!", "a RAR archive"),
        (b"\x7FELF", "a program"),
        (b"MZ", "a program"),
        (b"{\\rtf", "an RTF document"),
        (b"%!PS", "a PostScript document"),
    ];
    if let Some((_, what)) = MAGIC.iter().find(|(m, _)| head.starts_with(m)) {
        return Some(what);
    }
    // HTML or XML saved with a spreadsheet extension (web "Excel" exports, SpreadsheetML 2003).
    let start = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start: Vec<u8> =
        start.iter().skip_while(|b| b.is_ascii_whitespace()).take(15).map(u8::to_ascii_lowercase).collect();
    if start.starts_with(b"<?xml") || start.starts_with(b"<html") || start.starts_with(b"<!doctype") {
        return Some("an HTML or XML document");
    }
    None
}

/// Run a pre-check behind `catch_unwind`: a panic in a parser is a damaged file.
fn guarded<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| Err(damaged("the file's structure is inconsistent")))
}

pub(super) fn damaged(message: impl Into<String>) -> Error {
    import_error("import.damaged", message)
}

pub(super) fn too_large(message: impl Into<String>) -> Error {
    import_error("import.too_large", message)
}

// ---------------------------------------------------------------------------------------------
// The worker thread and its channel.

/// Batches in flight between the worker and the consumer.
const CHANNEL_BATCHES: usize = 4;
/// A batch is sent once it holds this many rows …
const BATCH_ROWS: usize = 512;
/// … or this many bytes of text.
const BATCH_BYTES: usize = 4 << 20;

enum Msg {
    Meta(Meta),
    Rows(Vec<Row>),
    Done,
    Fail(Error),
}

struct Meta {
    sheet_name: Option<String>,
    sheet_names: Vec<String>,
    date_1904: bool,
    encoding: Option<&'static str>,
    delimiter: Option<char>,
}

struct Job {
    path: PathBuf,
    options: ReadOptions,
    source: Source,
}

/// Why a format reader stopped early.
enum Halt {
    /// The consumer dropped the reader: stop quietly.
    Closed,
    Fail(Error),
}

impl From<Error> for Halt {
    fn from(e: Error) -> Self {
        Halt::Fail(e)
    }
}

fn run_worker(job: Job, tx: SyncSender<Msg>) {
    let mut sink = Sink::new(tx.clone());
    let outcome = catch_unwind(AssertUnwindSafe(|| read_source(job, &mut sink)));
    let msg = match outcome {
        Ok(Ok(())) => match sink.flush() {
            Ok(()) => Msg::Done,
            Err(Halt::Closed) => return,
            Err(Halt::Fail(e)) => Msg::Fail(e),
        },
        Ok(Err(Halt::Closed)) => return,
        Ok(Err(Halt::Fail(e))) => Msg::Fail(e),
        Err(_) => Msg::Fail(damaged("the file's content is inconsistent and could not be read")),
    };
    let _ = tx.send(msg);
}

fn read_source(job: Job, sink: &mut Sink) -> Result<(), Halt> {
    let Job { path, options, source } = job;
    match source {
        Source::Csv(facts) => csv_source::read(&path, &facts, sink),
        Source::Xls => read_xls(&path, &options, sink),
        Source::Zip(facts) => match facts.format {
            Format::Ods => read_ods(&path, &options, sink),
            Format::Xlsb => read_xlsb(&path, &options, &facts, sink),
            _ => xlsx::read(&path, &options, facts.xml_bytes, sink),
        },
    }
}

/// Collects rows into batches, drops blank rows and enforces the per-row and per-sheet limits.
struct Sink {
    tx: SyncSender<Msg>,
    batch: Vec<Row>,
    batch_bytes: usize,
    cells: u64,
    text_bytes: u64,
    /// Text may not exceed this once past the amplification floor (shared strings).
    text_budget: u64,
}

impl Sink {
    fn new(tx: SyncSender<Msg>) -> Self {
        Sink { tx, batch: Vec::new(), batch_bytes: 0, cells: 0, text_bytes: 0, text_budget: u64::MAX }
    }

    fn meta(&mut self, meta: Meta) -> Result<(), Halt> {
        self.tx.send(Msg::Meta(meta)).map_err(|_| Halt::Closed)
    }

    /// Allow at most [`limits::MAX_TEXT_AMPLIFICATION`] × `xml_bytes` of cell text.
    fn limit_amplification(&mut self, xml_bytes: u64) {
        self.text_budget =
            xml_bytes.saturating_mul(limits::MAX_TEXT_AMPLIFICATION).max(limits::TEXT_AMPLIFICATION_FLOOR_BYTES);
    }

    /// Hand over one row (dropped when blank).
    fn row(&mut self, number: u32, cells: Vec<Cell>) -> Result<(), Halt> {
        if cells.iter().all(Cell::is_blank) {
            return Ok(());
        }
        let bytes: usize = cells.iter().map(Cell::text_bytes).sum();
        if bytes > limits::MAX_ROW_BYTES {
            return Err(too_large(format!(
                "row {number} holds {} MiB of text; at most {} MiB per row can be imported",
                bytes >> 20,
                limits::MAX_ROW_BYTES >> 20
            ))
            .into());
        }
        self.cells += cells.iter().filter(|c| **c != Cell::Empty).count() as u64;
        if self.cells > limits::MAX_CELLS {
            return Err(too_large(format!("the sheet has more than {} filled cells", limits::MAX_CELLS)).into());
        }
        self.text_bytes += bytes as u64;
        if self.text_bytes > self.text_budget {
            return Err(too_large(
                "the sheet repeats its texts far more than a real customer list does (a decompression bomb)",
            )
            .into());
        }
        self.batch_bytes += bytes + cells.len() * std::mem::size_of::<Cell>();
        self.batch.push(Row { number, cells });
        if self.batch.len() >= BATCH_ROWS || self.batch_bytes >= BATCH_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), Halt> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.batch);
        self.batch_bytes = 0;
        self.tx.send(Msg::Rows(rows)).map_err(|_| Halt::Closed)
    }
}

// ---------------------------------------------------------------------------------------------
// Spreadsheet formats through calamine.

/// Pick the sheet to read: the one asked for (exact name, else the same name ignoring case and
/// accents), or the first visible worksheet.
fn choose_sheet(sheets: &[calamine::Sheet], wanted: Option<&str>) -> Result<String> {
    use calamine::{SheetType, SheetVisible};
    if let Some(wanted) = wanted {
        let folded = crate::text::fold(wanted);
        return sheets
            .iter()
            .find(|s| s.name == wanted)
            .or_else(|| sheets.iter().find(|s| crate::text::fold(&s.name) == folded))
            .map(|s| s.name.clone())
            .ok_or_else(|| {
                import_error("import.sheet_not_found", format!("the workbook has no sheet named {wanted:?}"))
            });
    }
    let is_sheet = |s: &&calamine::Sheet| s.typ == SheetType::WorkSheet;
    sheets
        .iter()
        .filter(is_sheet)
        .find(|s| s.visible == SheetVisible::Visible)
        .or_else(|| sheets.iter().find(is_sheet))
        .map(|s| s.name.clone())
        .ok_or_else(|| import_error("import.empty", "the workbook has no worksheet"))
}

fn calamine_error(e: impl std::fmt::Display, password: bool) -> Error {
    if password {
        import_error("import.password_protected", "the workbook is protected by a password: save a copy without one")
    } else {
        damaged(format!("the file is damaged: {e}"))
    }
}

fn xlsb_error(e: calamine::XlsbError) -> Error {
    let password = matches!(e, calamine::XlsbError::Password);
    calamine_error(e, password)
}

fn read_xlsb(path: &Path, options: &ReadOptions, facts: &guard::ZipFacts, sink: &mut Sink) -> Result<(), Halt> {
    let file = BufReader::new(File::open(path).map_err(Error::from)?);
    let mut workbook = calamine::Xlsb::new(file).map_err(xlsb_error)?;
    let name = choose_sheet(workbook.sheets_metadata(), options.sheet.as_deref())?;
    sink.meta(Meta {
        sheet_name: Some(name.clone()),
        sheet_names: workbook.sheet_names(),
        date_1904: workbook.has_1904_epoch(),
        encoding: None,
        delimiter: None,
    })?;
    sink.limit_amplification(facts.xml_bytes);
    let mut cells = workbook.worksheet_cells_reader(&name).map_err(xlsb_error)?;
    let mut rows = RowAssembler::default();
    while let Some(cell) = cells.next_cell().map_err(xlsb_error)? {
        let (row, col) = cell.get_position();
        rows.push(row, col, convert_ref(cell.get_value()), sink)?;
    }
    rows.finish(sink)
}

fn read_xls(path: &Path, options: &ReadOptions, sink: &mut Sink) -> Result<(), Halt> {
    let file = BufReader::new(File::open(path).map_err(Error::from)?);
    let mut workbook = calamine::Xls::new(file).map_err(|e| {
        let password = matches!(e, calamine::XlsError::Password);
        calamine_error(e, password)
    })?;
    let name = choose_sheet(workbook.sheets_metadata(), options.sheet.as_deref())?;
    sink.meta(Meta {
        sheet_name: Some(name.clone()),
        sheet_names: workbook.sheet_names(),
        date_1904: workbook.has_1904_epoch(),
        encoding: None,
        delimiter: None,
    })?;
    let range = workbook.worksheet_range(&name).map_err(|e| calamine_error(e, false))?;
    drop(workbook);
    send_range(range, sink)
}

fn read_ods(path: &Path, options: &ReadOptions, sink: &mut Sink) -> Result<(), Halt> {
    let file = BufReader::new(File::open(path).map_err(Error::from)?);
    let mut workbook = calamine::Ods::new(file).map_err(|e| {
        let password = matches!(e, calamine::OdsError::Password);
        calamine_error(e, password)
    })?;
    let name = choose_sheet(workbook.sheets_metadata(), options.sheet.as_deref())?;
    sink.meta(Meta {
        sheet_name: Some(name.clone()),
        sheet_names: workbook.sheet_names(),
        date_1904: false,
        encoding: None,
        delimiter: None,
    })?;
    let range = workbook.worksheet_range(&name).map_err(|e| calamine_error(e, false))?;
    drop(workbook);
    send_range(range, sink)
}

/// Send a whole calamine range (xls, ods) row by row.
fn send_range(range: calamine::Range<Data>, sink: &mut Sink) -> Result<(), Halt> {
    let Some((row0, col0)) = range.start() else { return Ok(()) };
    let (row0, col0) = (row0 as usize, col0 as usize);
    for (i, values) in range.rows().enumerate() {
        let number = row0 + i + 1;
        let number = u32::try_from(number).map_err(|_| damaged("row numbers beyond the sheet's end"))?;
        if number > limits::MAX_SHEET_ROWS || col0 + values.len() > limits::MAX_COLUMNS as usize {
            return Err(damaged("cells lie beyond the last row or column a spreadsheet can have").into());
        }
        if values.iter().all(|v| matches!(v, Data::Empty)) {
            continue;
        }
        let mut cells = Vec::with_capacity(col0 + values.len());
        cells.resize(col0, Cell::Empty);
        cells.extend(values.iter().map(convert_data));
        sink.row(number, cells)?;
    }
    Ok(())
}

/// Groups the cells of a streaming reader (in XML order: row by row) into rows.
#[derive(Default)]
struct RowAssembler {
    current: Option<u32>,
    cells: Vec<Cell>,
}

impl RowAssembler {
    /// `row` and `col` are 0-based as calamine gives them.
    fn push(&mut self, row: u32, col: u32, value: Cell, sink: &mut Sink) -> Result<(), Halt> {
        if value == Cell::Empty {
            return Ok(());
        }
        if row >= limits::MAX_SHEET_ROWS || col >= limits::MAX_COLUMNS {
            return Err(damaged("a cell lies beyond the last row or column a spreadsheet can have").into());
        }
        match self.current {
            Some(current) if current == row => {}
            Some(current) if row < current => {
                return Err(damaged(format!("row {} comes after row {} in the file", row + 1, current + 1)).into());
            }
            _ => {
                self.flush(sink)?;
                self.current = Some(row);
            }
        }
        let col = col as usize;
        if self.cells.len() <= col {
            self.cells.resize(col + 1, Cell::Empty);
        }
        self.cells[col] = value;
        Ok(())
    }

    fn flush(&mut self, sink: &mut Sink) -> Result<(), Halt> {
        if let Some(row) = self.current.take() {
            sink.row(row + 1, std::mem::take(&mut self.cells))?;
        }
        Ok(())
    }

    fn finish(mut self, sink: &mut Sink) -> Result<(), Halt> {
        self.flush(sink)
    }
}

fn convert_ref(value: &DataRef<'_>) -> Cell {
    match value {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => text_cell(s),
        DataRef::SharedString(s) => text_cell(s),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(d) => date_cell(d),
        DataRef::DateTimeIso(s) => iso_cell(s),
        DataRef::DurationIso(s) => text_cell(s),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}

fn convert_data(value: &Data) -> Cell {
    match value {
        Data::Empty => Cell::Empty,
        Data::String(s) => text_cell(s),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(d) => date_cell(d),
        Data::DateTimeIso(s) => iso_cell(s),
        Data::DurationIso(s) => text_cell(s),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

fn text_cell(s: &str) -> Cell {
    if s.is_empty() { Cell::Empty } else { Cell::Text(s.to_owned()) }
}

/// A cell formatted as a date or time: a date when it is one (calamine applies the 1900 or
/// 1904 system), else (a duration, or out of range) its number.
fn date_cell(d: &calamine::ExcelDateTime) -> Cell {
    if d.is_datetime()
        && let Some(dt) = d.as_datetime()
    {
        return Cell::Date(dt);
    }
    Cell::Number(d.as_f64())
}

/// ODS stores dates as ISO text (`2024-03-05`, `2024-03-05T10:00:00`).
fn iso_cell(s: &str) -> Cell {
    if let Ok(dt) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
        return Cell::Date(dt);
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Cell::Date(d.and_time(chrono::NaiveTime::MIN));
    }
    text_cell(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_cells() {
        assert!(Cell::Empty.is_blank());
        assert!(Cell::Text(" \u{a0}\t\n".into()).is_blank());
        assert!(!Cell::Text(" a ".into()).is_blank());
        assert!(!Cell::Number(0.0).is_blank());
    }

    #[test]
    fn cell_text() {
        assert_eq!(Cell::Number(4201234567.0).to_text(), "4201234567");
        assert_eq!(Cell::Number(3.5).to_text(), "3.5");
        assert_eq!(Cell::Bool(true).to_text(), "TRUE");
        let d = NaiveDate::from_ymd_opt(1990, 3, 5).unwrap().and_time(chrono::NaiveTime::MIN);
        assert_eq!(Cell::Date(d).to_text(), "1990-03-05");
    }

    #[test]
    fn iso_dates() {
        assert_eq!(iso_cell("1990-03-05").to_text(), "1990-03-05");
        assert_eq!(iso_cell("1990-03-05T10:30:00").to_text(), "1990-03-05 10:30:00");
        assert_eq!(iso_cell("PT10H"), Cell::Text("PT10H".into()));
    }

    #[test]
    fn magic_bytes() {
        assert_eq!(known_binary(b"\x89PNG\r\n\x1a\n"), Some("a PNG image"));
        assert_eq!(known_binary(b"%PDF-1.7"), Some("a PDF document"));
        assert_eq!(known_binary(b"\xEF\xBB\xBF <html><body>"), Some("an HTML or XML document"));
        assert_eq!(known_binary(b"name,phone\n"), None);
        assert_eq!(known_binary(b"MST;Name\n"), None);
    }

    #[test]
    fn sheet_choice() {
        use calamine::{Sheet as S, SheetType, SheetVisible};
        let sheets = vec![
            S { name: "Chart".into(), typ: SheetType::ChartSheet, visible: SheetVisible::Visible },
            S { name: "Hidden".into(), typ: SheetType::WorkSheet, visible: SheetVisible::Hidden },
            S { name: "Khách hàng".into(), typ: SheetType::WorkSheet, visible: SheetVisible::Visible },
        ];
        assert_eq!(choose_sheet(&sheets, None).unwrap(), "Khách hàng");
        assert_eq!(choose_sheet(&sheets, Some("khach hang")).unwrap(), "Khách hàng");
        assert_eq!(choose_sheet(&sheets, Some("Hidden")).unwrap(), "Hidden");
        assert_eq!(choose_sheet(&sheets, Some("Nope")).unwrap_err().code(), "import.sheet_not_found");
        assert_eq!(choose_sheet(&[], None).unwrap_err().code(), "import.empty");
    }
}
