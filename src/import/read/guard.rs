//! Pre-checks that run before calamine sees a file, so a hostile file is refused quickly and
//! never makes a parser allocate without bound.
//!
//! - Zip (xlsx, xlsm, xlsb, ods): the file size; the number of entries; each entry's declared
//!   uncompressed size, their total, and the compression ratio (zip bombs); encrypted entries.
//!   Then every part calamine will parse is decompressed once into nothing, which checks its
//!   CRC (truncated or corrupt files), its actual size (the zip crate refuses more bytes than
//!   declared) and the longest XML token (the XML parser buffers one token whole). Along the
//!   way: the shared-string table's size and declared count, each worksheet's declared
//!   `<dimension>`, ODS repeat counts expanded, xlsb record lengths.
//! - OLE (xls): the file size; a valid compound file (cyclic sector chains would make
//!   calamine's own reader loop); `EncryptedPackage` (a password-protected xlsx) and `FILEPASS`
//!   (a password-protected xls); every `DIMENSIONS` record (calamine reserves rows × columns
//!   cells from it) and the bounding box of every sheet's cells (calamine builds a dense grid).

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;

use super::{Format, damaged, limits, too_large};
use crate::Result;
use crate::import::import_error;

/// What the zip pre-check learned.
pub(crate) struct ZipFacts {
    pub format: Format,
    /// Uncompressed bytes of the parts scanned (the base of the text-amplification limit).
    pub xml_bytes: u64,
}

pub(crate) const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

const PREFIX_BYTES: usize = 64 << 10;

fn password_protected() -> crate::Error {
    import_error("import.password_protected", "the workbook is protected by a password: save a copy without one")
}

fn unsupported(what: &str) -> crate::Error {
    import_error(
        "import.unsupported_format",
        format!("this is {what}, not a spreadsheet: choose an .xlsx, .xls, .ods or .csv file"),
    )
}

fn zip_damaged(e: impl std::fmt::Display) -> crate::Error {
    damaged(format!("the file is damaged or incomplete ({e})"))
}

struct EntryInfo {
    index: usize,
    name: String,
    size: u64,
}

impl EntryInfo {
    fn lower(&self) -> String {
        self.name.to_ascii_lowercase()
    }
}

/// Check a zip-based spreadsheet; returns its format.
pub(crate) fn check_zip(path: &Path, len: u64) -> Result<ZipFacts> {
    if len > limits::MAX_ZIP_FILE_BYTES {
        return Err(too_large(format!(
            "the file is {} MiB; at most {} MiB can be imported",
            len >> 20,
            limits::MAX_ZIP_FILE_BYTES >> 20
        )));
    }
    let file = BufReader::new(File::open(path)?);
    let mut zip = ZipArchive::new(file).map_err(zip_damaged)?;
    if zip.len() > limits::MAX_ZIP_ENTRIES {
        return Err(too_large(format!("the file holds {} parts; a spreadsheet has far fewer", zip.len())));
    }
    if zip.is_empty() {
        return Err(unsupported("an empty zip archive"));
    }

    let mut entries = Vec::with_capacity(zip.len());
    let mut total: u64 = 0;
    for index in 0..zip.len() {
        let entry = zip.by_index_data(index).map_err(zip_damaged)?;
        let name = entry.name().map_err(zip_damaged)?.into_owned();
        let size = entry.size();
        if entry.encrypted() {
            return Err(password_protected());
        }
        if size >= limits::ZIP_RATIO_MIN_BYTES && size / entry.compressed_size().max(1) > limits::MAX_ZIP_RATIO {
            return Err(too_large(format!(
                "part {name} would expand {}-fold to {} MiB (a decompression bomb)",
                size / entry.compressed_size().max(1),
                size >> 20
            )));
        }
        total = total.saturating_add(size);
        entries.push(EntryInfo { index, name, size });
    }
    if total > limits::MAX_ZIP_UNCOMPRESSED_BYTES {
        return Err(too_large(format!(
            "the file would expand to {} MiB; at most {} MiB can be imported",
            total >> 20,
            limits::MAX_ZIP_UNCOMPRESSED_BYTES >> 20
        )));
    }

    let format = classify(&mut zip, &entries)?;
    let mut xml_bytes = 0;
    for entry in &entries {
        let lower = entry.lower();
        xml_bytes += match format {
            Format::Ods => scan_ods_part(&mut zip, entry, &lower)?,
            Format::Xlsb => scan_xlsb_part(&mut zip, entry, &lower)?,
            _ => scan_xlsx_part(&mut zip, entry, &lower)?,
        };
    }
    Ok(ZipFacts { format, xml_bytes })
}

fn classify(zip: &mut ZipArchive<BufReader<File>>, entries: &[EntryInfo]) -> Result<Format> {
    let find = |name: &str| entries.iter().find(|e| e.name.eq_ignore_ascii_case(name));
    if let Some(mimetype) = find("mimetype") {
        let mut mime = Vec::new();
        zip.by_index(mimetype.index).map_err(zip_damaged)?.take(256).read_to_end(&mut mime).map_err(zip_damaged)?;
        let mime = String::from_utf8_lossy(&mime);
        let mime = mime.trim();
        if mime.starts_with("application/vnd.oasis.opendocument.spreadsheet") {
            return Ok(Format::Ods);
        }
        if mime.starts_with("application/vnd.oasis.opendocument.text") {
            return Err(unsupported("a text document"));
        }
        return Err(unsupported(&format!("a document of type {mime:?}")));
    }
    if find("xl/workbook.bin").is_some() {
        return Ok(Format::Xlsb);
    }
    if find("xl/workbook.xml").is_some() {
        return Ok(Format::Xlsx);
    }
    if let Some(types) = find("[Content_Types].xml") {
        let mut text = Vec::new();
        zip.by_index(types.index)
            .map_err(zip_damaged)?
            .take(limits::MAX_XML_TOKEN_BYTES)
            .read_to_end(&mut text)
            .map_err(zip_damaged)?;
        let text = String::from_utf8_lossy(&text);
        if text.contains("spreadsheetml.sheet.main") || text.contains("ms-excel.sheet.macroEnabled.main") {
            return Ok(Format::Xlsx);
        }
        if text.contains("ms-excel.sheet.binary.macroEnabled.main") {
            return Ok(Format::Xlsb);
        }
    }
    let has_dir = |dir: &str| entries.iter().any(|e| e.lower().starts_with(dir));
    if has_dir("word/") {
        return Err(unsupported("a Word document"));
    }
    if has_dir("ppt/") {
        return Err(unsupported("a PowerPoint presentation"));
    }
    Err(unsupported("a zip archive"))
}

fn is_xml_part(lower: &str) -> bool {
    lower.ends_with(".xml") || lower.ends_with(".rels")
}

/// xlsx: scan every XML part; limit the shared strings; check each worksheet's dimension.
fn scan_xlsx_part(zip: &mut ZipArchive<BufReader<File>>, entry: &EntryInfo, lower: &str) -> Result<u64> {
    if !is_xml_part(lower) {
        return Ok(0);
    }
    let shared_strings = lower.ends_with("sharedstrings.xml");
    let worksheet = lower.contains("worksheets/");
    if shared_strings && entry.size > limits::MAX_SHARED_STRINGS_BYTES {
        return Err(too_large(format!(
            "the shared-string table is {} MiB; at most {} MiB can be imported",
            entry.size >> 20,
            limits::MAX_SHARED_STRINGS_BYTES >> 20
        )));
    }
    let keep = if shared_strings || worksheet { PREFIX_BYTES } else { 0 };
    let scanned = scan_xml(zip, entry, keep)?;
    // A table claiming more strings than its bytes can hold (each needs at least `<si/>`, 5
    // bytes) is damaged; a reader that trusts the count (calamine does) reserves them up front.
    if shared_strings
        && let Some(count) = attribute_number(&scanned.prefix, b"<sst", b"uniqueCount")
        && count > scanned.bytes / 5 + 64
    {
        return Err(damaged(format!("the shared-string table claims {count} strings in {} bytes", scanned.bytes)));
    }
    if worksheet
        && let Some(cells) = declared_cells(&scanned.prefix)
        && cells > limits::MAX_DECLARED_CELLS
        && cells / limits::MIN_XML_BYTES_PER_DECLARED_CELL > scanned.bytes
    {
        return Err(too_large(format!(
            "the sheet declares {cells} cells but holds only {} bytes (a decompression bomb)",
            scanned.bytes
        )));
    }
    Ok(scanned.bytes)
}

/// xlsb: scan the XML relationship parts and the record streams calamine reads.
fn scan_xlsb_part(zip: &mut ZipArchive<BufReader<File>>, entry: &EntryInfo, lower: &str) -> Result<u64> {
    if is_xml_part(lower) {
        return Ok(scan_xml(zip, entry, 0)?.bytes);
    }
    let records = lower == "xl/workbook.bin"
        || lower == "xl/styles.bin"
        || lower == "xl/sharedstrings.bin"
        || (lower.starts_with("xl/worksheets/") && lower.ends_with(".bin"));
    if !records {
        return Ok(0);
    }
    if lower == "xl/sharedstrings.bin" && entry.size > limits::MAX_SHARED_STRINGS_BYTES {
        return Err(too_large(format!(
            "the shared-string table is {} MiB; at most {} MiB can be imported",
            entry.size >> 20,
            limits::MAX_SHARED_STRINGS_BYTES >> 20
        )));
    }
    let file = zip.by_index(entry.index).map_err(zip_damaged)?;
    scan_xlsb_records(BufReader::new(file))
}

/// ods: refuse encrypted documents, bound `content.xml` once its repeats are expanded.
fn scan_ods_part(zip: &mut ZipArchive<BufReader<File>>, entry: &EntryInfo, lower: &str) -> Result<u64> {
    if lower == "meta-inf/manifest.xml" {
        let scanned = scan_xml(zip, entry, limits::MAX_XML_TOKEN_BYTES as usize)?;
        if memchr::memmem::find(&scanned.prefix, b"encryption-data").is_some() {
            return Err(password_protected());
        }
        return Ok(scanned.bytes);
    }
    if lower == "content.xml" {
        let file = zip.by_index(entry.index).map_err(zip_damaged)?;
        return scan_ods_content(file);
    }
    if is_xml_part(lower) {
        return Ok(scan_xml(zip, entry, 0)?.bytes);
    }
    Ok(0)
}

// ---------------------------------------------------------------------------------------------
// Streaming scans.

/// Passes bytes through, failing once a run without `<` (one XML token: a tag with its
/// attributes, or the text that follows it) is longer than the limit.
struct TokenGuard<R> {
    inner: R,
    run: u64,
    bytes: u64,
    tripped: bool,
}

impl<R: Read> TokenGuard<R> {
    fn new(inner: R) -> Self {
        TokenGuard { inner, run: 0, bytes: 0, tripped: false }
    }

    fn check(&mut self) -> io::Result<()> {
        if self.run > limits::MAX_XML_TOKEN_BYTES {
            self.tripped = true;
            return Err(io::Error::new(io::ErrorKind::InvalidData, "XML token too long"));
        }
        Ok(())
    }

    fn error(&self, e: impl std::fmt::Display) -> crate::Error {
        if self.tripped {
            too_large(format!(
                "the file holds a single value or tag of more than {} MiB",
                limits::MAX_XML_TOKEN_BYTES >> 20
            ))
        } else {
            zip_damaged(e)
        }
    }
}

impl<R: Read> Read for TokenGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let data = &buf[..n];
        let mut start = 0;
        for p in memchr::memchr_iter(b'<', data) {
            self.run += (p - start) as u64;
            self.check()?;
            self.run = 0;
            start = p;
        }
        self.run += (n - start) as u64;
        self.check()?;
        self.bytes += n as u64;
        Ok(n)
    }
}

struct Scanned {
    bytes: u64,
    /// The first bytes of the part, when asked for.
    prefix: Vec<u8>,
}

/// Decompress one XML part into nothing (keeping its first `keep` bytes), checking its CRC,
/// its size and its longest token.
fn scan_xml(zip: &mut ZipArchive<BufReader<File>>, entry: &EntryInfo, keep: usize) -> Result<Scanned> {
    let file = zip.by_index(entry.index).map_err(zip_damaged)?;
    let mut guard = TokenGuard::new(file);
    let mut prefix = Vec::new();
    let mut buf = vec![0u8; 64 << 10];
    loop {
        let n = match guard.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(guard.error(e)),
        };
        if prefix.len() < keep {
            let take = n.min(keep - prefix.len());
            prefix.extend_from_slice(&buf[..take]);
        }
    }
    Ok(Scanned { bytes: guard.bytes, prefix })
}

/// The number in `attr="…"` of the first `element` in `xml`.
fn attribute_number(xml: &[u8], element: &[u8], attr: &[u8]) -> Option<u64> {
    let start = memchr::memmem::find(xml, element)?;
    let tag = &xml[start..];
    let end = memchr::memchr(b'>', tag).unwrap_or(tag.len());
    let tag = &tag[..end];
    let mut pattern = attr.to_vec();
    pattern.extend_from_slice(b"=\"");
    let at = memchr::memmem::find(tag, &pattern)? + pattern.len();
    let digits: Vec<u8> = tag[at..].iter().copied().take_while(u8::is_ascii_digit).take(20).collect();
    std::str::from_utf8(&digits).ok()?.parse().ok()
}

/// Cells covered by a worksheet's `<dimension ref="A1:XFD1048576"/>`.
fn declared_cells(xml: &[u8]) -> Option<u64> {
    let start = memchr::memmem::find(xml, b"dimension ")?;
    let tag = &xml[start..];
    let end = memchr::memchr(b'>', tag).unwrap_or(tag.len());
    let tag = &tag[..end];
    let at = memchr::memmem::find(tag, b"ref=\"")? + 5;
    let value: Vec<u8> = tag[at..].iter().copied().take_while(|b| *b != b'"').take(40).collect();
    let value = std::str::from_utf8(&value).ok()?;
    let (first, last) = value.split_once(':').unwrap_or((value, value));
    let (r1, c1) = cell_ref(first)?;
    let (r2, c2) = cell_ref(last)?;
    Some((r2.abs_diff(r1) + 1).saturating_mul(c2.abs_diff(c1) + 1))
}

/// `"XFD1048576"` → (1048576, 16384), 1-based; `$` signs allowed.
fn cell_ref(s: &str) -> Option<(u64, u64)> {
    let s = s.trim().replace('$', "");
    let split = s.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = s.split_at(split);
    if letters.is_empty() || letters.len() > 4 || !letters.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let col = letters.bytes().fold(0u64, |acc, b| acc * 26 + u64::from(b.to_ascii_uppercase() - b'A' + 1));
    let row: u64 = digits.parse().ok()?;
    Some((row, col))
}

/// xlsb records: a 1–2 byte type and a 1–4 byte length, both 7 bits a byte. A record longer
/// than the token limit, or cut short, is refused (calamine allocates the declared length).
fn scan_xlsb_records<R: Read>(mut r: R) -> Result<u64> {
    fn byte<R: Read>(r: &mut R) -> Result<Option<u8>> {
        let mut b = [0u8; 1];
        match r.read(&mut b) {
            Ok(0) => Ok(None),
            Ok(_) => Ok(Some(b[0])),
            Err(e) => Err(zip_damaged(e)),
        }
    }
    let truncated = || damaged("a part of the workbook is cut short");
    let mut total = 0u64;
    loop {
        let Some(t) = byte(&mut r)? else { return Ok(total) };
        if t & 0x80 != 0 {
            byte(&mut r)?.ok_or_else(truncated)?;
        }
        let mut len: u64 = 0;
        for i in 0..4 {
            let b = byte(&mut r)?.ok_or_else(truncated)?;
            len |= u64::from(b & 0x7F) << (7 * i);
            if b & 0x80 == 0 {
                break;
            }
        }
        if len > limits::MAX_XML_TOKEN_BYTES {
            return Err(too_large(format!("a record of {} MiB in the workbook", len >> 20)));
        }
        let copied = io::copy(&mut (&mut r).take(len), &mut io::sink()).map_err(zip_damaged)?;
        if copied != len {
            return Err(truncated());
        }
        total += len + 2;
    }
}

/// ODS `content.xml`: count the cells and text calamine would build, with every
/// `number-rows-repeated`, `number-columns-repeated` and `text:s text:c` expanded.
fn scan_ods_content<R: Read>(file: R) -> Result<u64> {
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(TokenGuard::new(file)));
    // As lenient as calamine's own reader.
    xml.config_mut().check_end_names = false;
    let mut count = OdsCount::default();
    let mut buf = Vec::new();
    loop {
        let event = match xml.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(e) => {
                let guard = xml.get_ref().get_ref();
                return Err(if guard.tripped {
                    guard.error(e)
                } else {
                    damaged(format!("the sheet's XML is malformed ({e})"))
                });
            }
        };
        match event {
            Event::Start(e) => count.start(&e, false)?,
            Event::Empty(e) => count.start(&e, true)?,
            Event::End(e) => count.end(e.name().as_ref())?,
            Event::Text(t) => count.text(t.len() as u64),
            Event::CData(t) => count.text(t.len() as u64),
            Event::GeneralRef(_) => count.text(4),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(xml.get_ref().get_ref().bytes)
}

#[derive(Default)]
struct OdsCount {
    /// Cells of the finished tables' bounding boxes.
    cells: u64,
    /// Text, expanded.
    text: u64,
    // The current table.
    rows: u64,
    first_filled_row: Option<u64>,
    filled_rows_end: u64,
    width: u64,
    // The current row.
    row_repeat: u64,
    col: u64,
    row_width: u64,
    row_text: u64,
    // The current cell.
    in_cell: bool,
    cell_repeat: u64,
    cell_filled: bool,
    cell_text: u64,
}

fn attr_u64(e: &BytesStart<'_>, name: &str) -> Option<u64> {
    let attr = e.try_get_attribute(name).ok()??;
    attr.value.trim().parse().ok()
}

impl OdsCount {
    fn start(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<()> {
        match e.name().as_ref() {
            "table:table" if !empty => self.end_table(),
            "table:table-row" => {
                self.row_repeat = attr_u64(e, "table:number-rows-repeated").unwrap_or(1);
                self.col = 0;
                self.row_width = 0;
                self.row_text = 0;
                if empty {
                    self.end_row()?;
                }
            }
            "table:table-cell" | "table:covered-table-cell" => {
                self.cell_repeat = attr_u64(e, "table:number-columns-repeated").unwrap_or(1);
                // A cell with content, a value type or a formula is not empty; attribute values
                // (string values, formulas) count as text.
                self.cell_filled = !empty;
                self.cell_text = 0;
                for attr in e.attributes().flatten() {
                    match attr.key.as_ref() {
                        "office:value-type" | "calcext:value-type" => self.cell_filled = true,
                        "table:formula" | "office:string-value" => {
                            self.cell_filled = true;
                            self.cell_text += attr.value.len() as u64;
                        }
                        _ => {}
                    }
                }
                self.in_cell = true;
                if empty {
                    self.end_cell();
                }
            }
            "text:s" if self.in_cell => {
                self.cell_text += attr_u64(e, "text:c").unwrap_or(1);
            }
            _ if self.in_cell => self.cell_text += 1,
            _ => {}
        }
        Ok(())
    }

    fn text(&mut self, len: u64) {
        if self.in_cell {
            self.cell_text += len;
        }
    }

    fn end(&mut self, name: &str) -> Result<()> {
        match name {
            "table:table-cell" | "table:covered-table-cell" => self.end_cell(),
            "table:table-row" => self.end_row()?,
            "table:table" => self.end_table(),
            _ => {}
        }
        Ok(())
    }

    fn end_cell(&mut self) {
        if !self.in_cell {
            return;
        }
        self.in_cell = false;
        let columns = u64::from(limits::MAX_COLUMNS);
        let repeat = self.cell_repeat.min(columns);
        self.col = (self.col + repeat).min(columns);
        if self.cell_filled || self.cell_text > 0 {
            self.row_width = self.col;
            self.row_text = self.row_text.saturating_add(self.cell_text.saturating_mul(repeat));
        }
    }

    fn end_row(&mut self) -> Result<()> {
        // calamine caps a table at the spreadsheet's last row.
        let repeat = self.row_repeat.min(u64::from(limits::MAX_SHEET_ROWS).saturating_sub(self.rows));
        if self.row_width > 0 {
            if self.first_filled_row.is_none() {
                self.first_filled_row = Some(self.rows);
            }
            self.filled_rows_end = self.rows + repeat;
            self.width = self.width.max(self.row_width);
            self.text = self.text.saturating_add(self.row_text.saturating_mul(repeat));
            if self.text > limits::MAX_ODS_TEXT_BYTES {
                return Err(too_large(format!(
                    "the sheet holds more than {} MiB of text once its repeated cells are expanded; \
                     save it as .xlsx or .csv",
                    limits::MAX_ODS_TEXT_BYTES >> 20
                )));
            }
            if self.cells.saturating_add(self.table_cells()) > limits::MAX_ODS_CELLS {
                return Err(too_large(format!(
                    "the sheet has more than {} cells once its repeated cells are expanded; save it as .xlsx or .csv",
                    limits::MAX_ODS_CELLS
                )));
            }
        }
        self.rows += repeat;
        self.row_width = 0;
        self.row_text = 0;
        Ok(())
    }

    fn table_cells(&self) -> u64 {
        match self.first_filled_row {
            Some(first) => (self.filled_rows_end - first).saturating_mul(self.width),
            None => 0,
        }
    }

    fn end_table(&mut self) {
        self.cells = self.cells.saturating_add(self.table_cells());
        self.rows = 0;
        self.first_filled_row = None;
        self.filled_rows_end = 0;
        self.width = 0;
    }
}

// ---------------------------------------------------------------------------------------------
// OLE / xls.

/// Check an OLE compound file: a password-protected xlsx, or an xls within limits.
pub(crate) fn check_ole(path: &Path, len: u64) -> Result<()> {
    if len > limits::MAX_XLS_FILE_BYTES {
        return Err(too_large(format!(
            "the file is {} MiB; at most {} MiB of .xls can be imported (save it as .xlsx)",
            len >> 20,
            limits::MAX_XLS_FILE_BYTES >> 20
        )));
    }
    let file = BufReader::new(File::open(path)?);
    let mut compound =
        cfb::CompoundFile::open(file).map_err(|e| damaged(format!("the file is damaged or incomplete ({e})")))?;
    let names: Vec<String> = compound.read_root_storage().map(|e| e.name().to_owned()).collect();
    let has = |n: &str| names.iter().any(|name| name.eq_ignore_ascii_case(n));
    if has("EncryptedPackage") || has("EncryptionInfo") {
        return Err(password_protected());
    }
    let Some(stream) = names.iter().find(|n| n.eq_ignore_ascii_case("Workbook") || n.eq_ignore_ascii_case("Book"))
    else {
        if has("WordDocument") {
            return Err(unsupported("a Word document"));
        }
        if has("PowerPoint Document") {
            return Err(unsupported("a PowerPoint presentation"));
        }
        return Err(unsupported("an Office file that is not a workbook"));
    };
    let mut data = Vec::new();
    compound
        .open_stream(format!("/{stream}"))
        .and_then(|s| s.take(limits::MAX_XLS_FILE_BYTES).read_to_end(&mut data))
        .map_err(|e| damaged(format!("the file is damaged or incomplete ({e})")))?;
    scan_biff(&data)
}

struct BiffRecord<'a> {
    typ: u16,
    data: &'a [u8],
}

/// BIFF records from `pos` on, as calamine walks them; stops at the first malformed one.
fn biff_records(stream: &[u8], pos: usize) -> impl Iterator<Item = BiffRecord<'_>> {
    let mut rest = stream.get(pos..).unwrap_or(&[]);
    std::iter::from_fn(move || {
        if rest.len() < 4 {
            return None;
        }
        let typ = u16::from_le_bytes([rest[0], rest[1]]);
        let len = usize::from(u16::from_le_bytes([rest[2], rest[3]]));
        let data = rest.get(4..4 + len)?;
        rest = &rest[4 + len..];
        Some(BiffRecord { typ, data })
    })
}

fn u16_at(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes([*d.get(at)?, *d.get(at + 1)?])))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes([*d.get(at)?, *d.get(at + 1)?, *d.get(at + 2)?, *d.get(at + 3)?]))
}

/// The xls workbook stream: password, sheet count, dimensions, bounding boxes.
fn scan_biff(stream: &[u8]) -> Result<()> {
    let mut sheets = Vec::new();
    for record in biff_records(stream, 0) {
        match record.typ {
            0x002F => return Err(password_protected()),
            0x0085 => sheets.extend(u32_at(record.data, 0)),
            0x000A => break,
            _ => {}
        }
    }
    if sheets.len() > limits::MAX_XLS_SHEETS {
        return Err(too_large(format!("the workbook has {} sheets", sheets.len())));
    }
    sheets.sort_unstable();
    sheets.dedup();
    let mut total: u64 = 0;
    for pos in sheets {
        let pos = pos as usize;
        if pos >= stream.len() {
            return Err(damaged("a sheet lies beyond the end of the workbook"));
        }
        total = total.saturating_add(scan_biff_sheet(stream, pos)?);
        if total > limits::MAX_XLS_CELLS {
            return Err(too_large(format!(
                "the workbook spans more than {} cells; save it as .xlsx or .csv",
                limits::MAX_XLS_CELLS
            )));
        }
    }
    Ok(())
}

/// One sheet's substream: checks its DIMENSIONS records, returns its cells' bounding box.
fn scan_biff_sheet(stream: &[u8], pos: usize) -> Result<u64> {
    let mut depth = 0usize;
    let mut seen_bof = false;
    let mut bbox: Option<(u32, u32, u32, u32)> = None;
    let mut add = |row: u32, col: u32| {
        bbox = Some(match bbox {
            None => (row, row, col, col),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(col), c1.max(col)),
        });
    };
    for record in biff_records(stream, pos) {
        if depth > 0 {
            match record.typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        let d = record.data;
        match record.typ {
            0x0809 if seen_bof => depth += 1,
            0x0809 => seen_bof = true,
            0x0200 => check_biff_dimensions(d)?,
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let (Some(row), Some(col)) = (u16_at(d, 0), u16_at(d, 2)) {
                    add(row, col);
                }
            }
            0x00BD if d.len() >= 6 => {
                if let (Some(row), Some(first), Some(last)) = (u16_at(d, 0), u16_at(d, 2), u16_at(d, d.len() - 2)) {
                    add(row, first);
                    add(row, last);
                }
            }
            0x000A => break,
            _ => {}
        }
    }
    Ok(bbox.map_or(0, |(r0, r1, c0, c1)| u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1)))
}

/// calamine reserves rows × columns cells from a DIMENSIONS record (and underflows on an
/// inverted one): refuse anything past the format's 65,536 × 256.
fn check_biff_dimensions(d: &[u8]) -> Result<()> {
    let (rf, rl, cf, cl) = match d.len() {
        10 => (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4), u16_at(d, 6)),
        14 | 16 => (u32_at(d, 0), u32_at(d, 4), u16_at(d, 8), u16_at(d, 10)),
        _ => return Ok(()), // calamine refuses these itself
    };
    let (Some(rf), Some(rl), Some(mut cf), Some(cl)) = (rf, rl, cf, cl) else { return Ok(()) };
    if cf > 0xFF || cl < cf {
        cf = 0;
    }
    if rl == 0 || cl == 0 {
        return Ok(());
    }
    let (last_row, last_col) = (rl - 1, cl - 1);
    if last_row < rf || last_col < cf {
        return Err(damaged("a sheet's dimensions are inverted"));
    }
    let cells = u64::from(last_row - rf + 1) * u64::from(last_col - cf + 1);
    if cells > 65_536 * 256 {
        return Err(damaged(format!("a sheet declares {cells} cells, more than the .xls format allows")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_refs() {
        assert_eq!(cell_ref("A1"), Some((1, 1)));
        assert_eq!(cell_ref("$V$1001"), Some((1001, 22)));
        assert_eq!(cell_ref("XFD1048576"), Some((1_048_576, 16_384)));
        assert_eq!(cell_ref("1A"), None);
        assert_eq!(cell_ref("A"), None);
    }

    #[test]
    fn dimensions() {
        let xml = br#"<worksheet xmlns="x"><dimension ref="A1:V1001"/><sheetData>"#;
        assert_eq!(declared_cells(xml), Some(22 * 1001));
        let xml = br#"<worksheet><dimension ref="A1:XFD1048576"/>"#;
        assert_eq!(declared_cells(xml), Some(16_384 * 1_048_576));
        assert_eq!(declared_cells(br#"<worksheet><dimension ref="B2"/>"#), Some(1));
        assert_eq!(declared_cells(b"<worksheet><sheetData>"), None);
    }

    #[test]
    fn unique_count() {
        let xml = br#"<?xml version="1.0"?><sst xmlns="x" count="12" uniqueCount="10"><si>"#;
        assert_eq!(attribute_number(xml, b"<sst", b"uniqueCount"), Some(10));
        assert_eq!(attribute_number(xml, b"<sst", b"missing"), None);
    }

    #[test]
    fn token_guard_trips_on_long_runs() {
        let mut long = b"<a>".to_vec();
        long.resize(limits::MAX_XML_TOKEN_BYTES as usize + 10, b'x');
        let mut guard = TokenGuard::new(&long[..]);
        let err = io::copy(&mut guard, &mut io::sink()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(guard.tripped);

        let short = b"<a>x</a><b>y</b>".repeat(100_000);
        let mut guard = TokenGuard::new(&short[..]);
        assert_eq!(io::copy(&mut guard, &mut io::sink()).unwrap(), short.len() as u64);
        assert_eq!(guard.bytes, short.len() as u64);
    }

    #[test]
    fn ods_repeats_are_expanded() {
        let row = |rep: u64, cols: u64| {
            format!(
                r#"<table:table-row table:number-rows-repeated="{rep}"><table:table-cell table:number-columns-repeated="{cols}" office:value-type="string"><text:p>abc</text:p></table:table-cell></table:table-row>"#
            )
        };
        let doc = |rows: String| {
            format!(
                r#"<office:document-content><office:body><table:table table:name="S">{rows}</table:table></office:body></office:document-content>"#
            )
        };
        // Honest: 1000 rows × 20 columns.
        assert!(scan_ods_content(doc(row(1000, 20)).as_bytes()).is_ok());
        // Hostile: a filled row repeated a million times across 1000 columns.
        let err = scan_ods_content(doc(row(1_000_000, 1000)).as_bytes()).unwrap_err();
        assert_eq!(err.code(), "import.too_large");
        // Hostile: a space repeated four billion times.
        let spaces = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="4000000000"/></text:p></table:table-cell></table:table-row>"#;
        let err = scan_ods_content(doc(spaces.to_owned()).as_bytes()).unwrap_err();
        assert_eq!(err.code(), "import.too_large");
        // Trailing empty rows repeated to the sheet's end are free.
        let tail = r#"<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#;
        assert!(scan_ods_content(doc(format!("{}{tail}", row(10, 5))).as_bytes()).is_ok());
    }

    #[test]
    fn biff_dimensions() {
        let dims = |rf: u32, rl: u32, cf: u16, cl: u16| {
            let mut d = Vec::new();
            d.extend(rf.to_le_bytes());
            d.extend(rl.to_le_bytes());
            d.extend(cf.to_le_bytes());
            d.extend(cl.to_le_bytes());
            d.extend([0, 0]);
            d
        };
        assert!(check_biff_dimensions(&dims(0, 1001, 0, 22)).is_ok());
        assert!(check_biff_dimensions(&dims(0, 65_536, 0, 256)).is_ok());
        assert_eq!(check_biff_dimensions(&dims(0, 4_000_000_000, 0, 256)).unwrap_err().code(), "import.damaged");
        assert_eq!(check_biff_dimensions(&dims(10, 5, 0, 3)).unwrap_err().code(), "import.damaged");
    }

    #[test]
    fn biff_bounding_box() {
        let rec = |typ: u16, data: &[u8]| {
            let mut r = typ.to_le_bytes().to_vec();
            r.extend((data.len() as u16).to_le_bytes());
            r.extend_from_slice(data);
            r
        };
        let number = |row: u16, col: u16| {
            let mut d = row.to_le_bytes().to_vec();
            d.extend(col.to_le_bytes());
            d.extend([0u8; 10]);
            rec(0x0203, &d)
        };
        let mut sheet = rec(0x0809, &[0; 16]);
        sheet.extend(number(0, 0));
        sheet.extend(number(65_535, 255));
        sheet.extend(rec(0x000A, &[]));
        let mut stream = rec(0x0809, &[0; 16]);
        let pos = (stream.len() + 4 + 8 + 4) as u32;
        let mut bound = pos.to_le_bytes().to_vec();
        bound.extend([0, 0, 1, 0]);
        stream.extend(rec(0x0085, &bound));
        stream.extend(rec(0x000A, &[]));
        assert_eq!(stream.len() as u32, pos);
        stream.extend(sheet);
        assert_eq!(scan_biff_sheet(&stream, pos as usize).unwrap(), 65_536 * 256);
        assert_eq!(scan_biff(&stream).unwrap_err().code(), "import.too_large");
    }
}
