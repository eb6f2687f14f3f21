//! A streaming xlsx / xlsm reader with a compact shared-string table.
//!
//! calamine's xlsx reader keeps every shared string as its own `String` (24 bytes plus a heap
//! block each): a million-row customer list with ~6.6 million distinct strings held ~370 MiB
//! before the first row was read, most of the import's 400 MiB budget. This reader keeps the
//! strings in one buffer with an offset per string (~130 MiB for the same file) and streams the
//! sheet's XML with quick-xml, cell by cell, exactly as calamine's cell reader does: cached
//! formula values, inline strings, booleans, errors, ISO dates, and numbers styled as dates
//! converted with calamine's own date arithmetic (1900 or 1904 system). The parts it reads have
//! been scanned by `guard` first (sizes, longest token), so the XML parser's buffer is bounded.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use calamine::{ExcelDateTime, ExcelDateTimeType, SheetType, SheetVisible};
use quick_xml::events::{BytesRef, BytesStart, Event};
use zip::ZipArchive;

use super::{Cell, Halt, Meta, ReadOptions, RowAssembler, Sink, choose_sheet, damaged, iso_cell, text_cell};
use crate::Error;

type Zip = ZipArchive<BufReader<File>>;

fn malformed(part: &str, e: impl std::fmt::Display) -> Error {
    damaged(format!("the file is damaged: {part}: {e}"))
}

/// Shared strings: one buffer, one end offset per string.
#[derive(Default)]
struct SharedStrings {
    text: String,
    ends: Vec<u32>,
}

impl SharedStrings {
    fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.text.get(start..end)
    }

    fn push_end(&mut self) -> Result<(), Error> {
        let end = u32::try_from(self.text.len()).map_err(|_| super::too_large("the shared strings exceed 4 GiB"))?;
        self.ends.push(end);
        Ok(())
    }
}

struct SheetEntry {
    name: String,
    path: String,
    typ: SheetType,
    visible: SheetVisible,
}

/// How a number cell's style displays it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum NumberKind {
    Plain,
    DateTime,
    Duration,
}

/// Stream the chosen sheet of an xlsx into the sink.
pub(super) fn read(path: &Path, options: &ReadOptions, xml_bytes: u64, sink: &mut Sink) -> Result<(), Halt> {
    let file = BufReader::new(File::open(path).map_err(Error::from)?);
    let mut zip = ZipArchive::new(file).map_err(|e| malformed("zip", e))?;
    let names: HashMap<String, String> =
        zip.file_names().filter_map(|n| n.ok()).map(|n| (n.to_ascii_lowercase(), n.into_owned())).collect();
    let exists = |p: &str| -> Option<String> { names.get(&p.to_ascii_lowercase()).cloned() };

    // _rels/.rels names the workbook part (xl/workbook.xml nearly always).
    let workbook_path = match exists("_rels/.rels") {
        Some(rels) => relationships(&mut zip, &rels, "")?
            .into_values()
            .find(|(typ, _)| typ.ends_with("/officeDocument"))
            .map(|(_, target)| target),
        None => None,
    }
    .unwrap_or_else(|| "xl/workbook.xml".to_owned());
    let workbook_path = exists(&workbook_path).ok_or_else(|| damaged("the workbook part is missing"))?;
    let base = workbook_path.rsplit_once('/').map_or(String::new(), |(dir, _)| format!("{dir}/"));
    let file_name = workbook_path.rsplit('/').next().unwrap_or_default().to_owned();
    let rels = match exists(&format!("{base}_rels/{file_name}.rels")) {
        Some(p) => relationships(&mut zip, &p, &base)?,
        None => HashMap::new(),
    };

    let (sheets, date_1904) = workbook(&mut zip, &workbook_path, &rels)?;
    let metadata: Vec<calamine::Sheet> =
        sheets.iter().map(|s| calamine::Sheet { name: s.name.clone(), typ: s.typ, visible: s.visible }).collect();
    let name = choose_sheet(&metadata, options.sheet.as_deref())?;
    let sheet = sheets.iter().find(|s| s.name == name).ok_or_else(|| damaged("the sheet is missing"))?;
    let sheet_path = exists(&sheet.path).ok_or_else(|| damaged(format!("the part of sheet {name:?} is missing")))?;

    let part_of = |suffix: &str, default: &str| {
        rels.values()
            .find(|(typ, _)| typ.ends_with(suffix))
            .map(|(_, target)| target.clone())
            .and_then(|t| exists(&t))
            .or_else(|| exists(&format!("{base}{default}")))
    };
    let styles = match part_of("/styles", "styles.xml") {
        Some(p) => number_kinds(&mut zip, &p)?,
        None => Vec::new(),
    };
    let strings = match part_of("/sharedStrings", "sharedStrings.xml") {
        Some(p) => shared_strings(&mut zip, &p)?,
        None => SharedStrings::default(),
    };

    sink.meta(Meta {
        sheet_name: Some(name.clone()),
        sheet_names: sheets.iter().map(|s| s.name.clone()).collect(),
        date_1904,
        encoding: None,
        delimiter: None,
    })?;
    sink.limit_amplification(xml_bytes);
    let context = Context { strings: &strings, styles: &styles, date_1904 };
    stream_sheet(&mut zip, &sheet_path, &context, sink)
}

fn xml_reader<R: Read>(r: R) -> quick_xml::Reader<BufReader<R>> {
    let mut xml = quick_xml::Reader::from_reader(BufReader::with_capacity(64 << 10, r));
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    xml
}

fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.local_name().as_ref() == local).map(|a| a.value.into_owned())
}

/// Relationship id → (type, target resolved against `base`).
fn relationships(zip: &mut Zip, part: &str, base: &str) -> Result<HashMap<String, (String, String)>, Error> {
    let file = zip.by_name(part).map_err(|e| malformed(part, e))?;
    let mut xml = xml_reader(file);
    let mut buf = Vec::new();
    let mut map = HashMap::new();
    loop {
        match xml.read_event_into(&mut buf).map_err(|e| malformed(part, e))? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                if attr(&e, "TargetMode").as_deref() == Some("External") {
                    continue;
                }
                if let (Some(id), Some(typ), Some(target)) = (attr(&e, "Id"), attr(&e, "Type"), attr(&e, "Target")) {
                    map.insert(id, (typ, resolve(base, &target)));
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(map)
}

/// A relationship target: absolute (`/xl/…`) or relative to `base`, with `..` resolved.
fn resolve(base: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None => format!("{base}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// The sheets in workbook order, and whether dates count from 1904.
fn workbook(
    zip: &mut Zip,
    part: &str,
    rels: &HashMap<String, (String, String)>,
) -> Result<(Vec<SheetEntry>, bool), Error> {
    let file = zip.by_name(part).map_err(|e| malformed(part, e))?;
    let mut xml = xml_reader(file);
    let mut buf = Vec::new();
    let mut sheets = Vec::new();
    let mut date_1904 = false;
    loop {
        match xml.read_event_into(&mut buf).map_err(|e| malformed(part, e))? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "workbookPr" => {
                    date_1904 = matches!(attr(&e, "date1904").as_deref(), Some("1" | "true"));
                }
                "sheet" => {
                    let Some(name) = attr(&e, "name") else { continue };
                    // The relationship id is `r:id` (any prefix).
                    let id = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == "id" && a.key.prefix().is_some())
                        .map(|a| a.value.into_owned());
                    let Some((typ, path)) = id.and_then(|id| rels.get(&id).cloned()) else { continue };
                    let typ = if typ.ends_with("/worksheet") {
                        SheetType::WorkSheet
                    } else if typ.ends_with("/chartsheet") {
                        SheetType::ChartSheet
                    } else if typ.ends_with("/dialogsheet") {
                        SheetType::DialogSheet
                    } else {
                        SheetType::MacroSheet
                    };
                    let visible = match attr(&e, "state").as_deref() {
                        Some("hidden") => SheetVisible::Hidden,
                        Some("veryHidden") => SheetVisible::VeryHidden,
                        _ => SheetVisible::Visible,
                    };
                    sheets.push(SheetEntry { name: unescape_excel(&name), path, typ, visible });
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok((sheets, date_1904))
}

/// For each cell style (`s` attribute), how it shows a number.
fn number_kinds(zip: &mut Zip, part: &str) -> Result<Vec<NumberKind>, Error> {
    let file = zip.by_name(part).map_err(|e| malformed(part, e))?;
    let mut xml = xml_reader(file);
    let mut buf = Vec::new();
    let mut custom: HashMap<String, NumberKind> = HashMap::new();
    let mut kinds = Vec::new();
    let mut in_cell_xfs = false;
    loop {
        match xml.read_event_into(&mut buf).map_err(|e| malformed(part, e))? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "numFmt" => {
                    if let (Some(id), Some(code)) = (attr(&e, "numFmtId"), attr(&e, "formatCode")) {
                        custom.insert(id, custom_format_kind(&code));
                    }
                }
                "cellXfs" => in_cell_xfs = true,
                "xf" if in_cell_xfs => {
                    let id = attr(&e, "numFmtId").unwrap_or_default();
                    let kind = custom.get(&id).copied().unwrap_or_else(|| builtin_format_kind(&id));
                    kinds.push(kind);
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "cellXfs" => in_cell_xfs = false,
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(kinds)
}

/// Excel's built-in number formats that show dates and times.
fn builtin_format_kind(id: &str) -> NumberKind {
    match id.parse::<u16>() {
        Ok(14..=22 | 27..=36 | 45 | 47 | 50..=58) => NumberKind::DateTime,
        Ok(46) => NumberKind::Duration,
        _ => NumberKind::Plain,
    }
}

/// Whether a custom format code shows a date (`dd/mm/yyyy`, `h:mm`), a duration (`[h]:mm`) or a
/// number; only its first section counts, and quoted, escaped and bracketed text is skipped.
fn custom_format_kind(code: &str) -> NumberKind {
    let (mut escaped, mut quoted, mut brackets) = (false, false, 0u8);
    let mut bracket_text = String::new();
    let mut am_pm = false;
    for c in code.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        if quoted {
            quoted = c != '"';
            continue;
        }
        match c {
            '\\' | '_' | '*' => escaped = true,
            '"' => quoted = true,
            ';' => break,
            '[' => {
                brackets += 1;
                bracket_text.clear();
            }
            ']' => {
                brackets = brackets.saturating_sub(1);
                let t = bracket_text.to_ascii_lowercase();
                if !t.is_empty() && t.chars().all(|c| matches!(c, 'h' | 'm' | 's')) {
                    return NumberKind::Duration;
                }
            }
            _ if brackets > 0 => bracket_text.push(c),
            'a' | 'A' => am_pm = true,
            'd' | 'D' | 'm' | 'M' | 'h' | 'H' | 'y' | 'Y' | 's' | 'S' => return NumberKind::DateTime,
            'p' | 'P' | '/' if am_pm => return NumberKind::DateTime,
            _ => {}
        }
    }
    NumberKind::Plain
}

/// Append the text of an entity or character reference.
fn push_reference(r: &BytesRef<'_>, out: &mut String) {
    match r.as_ref() {
        "amp" => out.push('&'),
        "lt" => out.push('<'),
        "gt" => out.push('>'),
        "quot" => out.push('"'),
        "apos" => out.push('\''),
        _ => match r.resolve_char_ref() {
            Ok(Some(c)) => out.push(c),
            _ => {
                out.push('&');
                out.push_str(r.as_ref());
                out.push(';');
            }
        },
    }
}

/// Excel's `_xHHHH_` escapes (a UTF-16 unit each; `_x005F_` is a literal `_`).
fn unescape_excel(s: &str) -> String {
    if !s.contains("_x") {
        return s.to_owned();
    }
    let unit = |s: &str, at: usize| -> Option<u16> {
        let b = s.as_bytes().get(at..at + 7)?;
        if b[0] != b'_' || b[1] != b'x' || b[6] != b'_' {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&b[2..6]).ok()?, 16).ok()
    };
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if let Some(u) = unit(s, i) {
            i += 7;
            let c = match u {
                0xD800..=0xDBFF => match unit(s, i) {
                    Some(low @ 0xDC00..=0xDFFF) => {
                        i += 7;
                        char::from_u32(0x10000 + ((u32::from(u) - 0xD800) << 10) + (u32::from(low) - 0xDC00))
                    }
                    _ => None,
                },
                _ => char::from_u32(u32::from(u)),
            };
            out.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
            continue;
        }
        let Some(c) = s[i..].chars().next() else { break };
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// Text of a `<t>` element; outside `xml:space="preserve"`, ASCII whitespace at its ends is
/// dropped (as Excel and calamine do).
fn finish_t(raw: &str, preserve: bool) -> String {
    if preserve { unescape_excel(raw) } else { unescape_excel(raw.trim_matches([' ', '\t', '\r', '\n'])) }
}

/// Read the string items (`<si>`) of a string container until `end` closes: plain `<t>` or rich
/// runs `<r><t>`, phonetic runs (`<rPh>`) skipped.
fn read_string_item<R: std::io::BufRead>(
    xml: &mut quick_xml::Reader<R>,
    end: &str,
    part: &str,
    out: &mut String,
) -> Result<(), Error> {
    let mut buf = Vec::new();
    let mut phonetic = false;
    let mut in_t = false;
    let mut preserve = false;
    let mut raw = String::new();
    loop {
        match xml.read_event_into(&mut buf).map_err(|e| malformed(part, e))? {
            Event::Start(e) => match e.local_name().as_ref() {
                "rPh" => phonetic = true,
                "t" if !phonetic => {
                    in_t = true;
                    preserve = attr(&e, "space").as_deref() == Some("preserve");
                    raw.clear();
                }
                _ => {}
            },
            Event::Text(t) if in_t => raw.push_str(&t.xml10_content()),
            Event::CData(t) if in_t => raw.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_t => push_reference(&r, &mut raw),
            Event::End(e) => match e.local_name().as_ref() {
                "rPh" => phonetic = false,
                "t" if in_t => {
                    in_t = false;
                    out.push_str(&finish_t(&raw, preserve));
                }
                name if name == end => return Ok(()),
                _ => {}
            },
            Event::Eof => return Err(malformed(part, "unexpected end")),
            _ => {}
        }
        buf.clear();
    }
}

fn shared_strings(zip: &mut Zip, part: &str) -> Result<SharedStrings, Error> {
    let file = zip.by_name(part).map_err(|e| malformed(part, e))?;
    let mut xml = xml_reader(file);
    let mut buf = Vec::new();
    let mut strings = SharedStrings::default();
    loop {
        match xml.read_event_into(&mut buf).map_err(|e| malformed(part, e))? {
            Event::Start(e) if e.local_name().as_ref() == "si" => {
                read_string_item(&mut xml, "si", part, &mut strings.text)?;
                strings.push_end()?;
            }
            Event::Empty(e) if e.local_name().as_ref() == "si" => strings.push_end()?,
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    strings.text.shrink_to_fit();
    strings.ends.shrink_to_fit();
    Ok(strings)
}

struct Context<'a> {
    strings: &'a SharedStrings,
    styles: &'a [NumberKind],
    date_1904: bool,
}

/// `"XFD1048576"` → (1048575, 16383), 0-based; `None` when not a cell reference.
fn cell_position(r: &str) -> Option<(u32, u32)> {
    let split = r.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = r.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let col = letters.bytes().fold(0u32, |acc, b| acc * 26 + u32::from(b - b'A' + 1));
    let row: u32 = digits.parse().ok()?;
    (row >= 1).then(|| (row - 1, col - 1))
}

/// One `<c>` element's attributes and what its children said.
struct RawCell {
    typ: Option<String>,
    style: usize,
    value: String,
    has_value: bool,
    inline: String,
    has_inline: bool,
}

fn stream_sheet(zip: &mut Zip, part: &str, context: &Context<'_>, sink: &mut Sink) -> Result<(), Halt> {
    let file = zip.by_name(part).map_err(|e| malformed(part, e))?;
    let mut xml = xml_reader(file);
    let mut buf = Vec::new();
    let mut cell_buf = Vec::new();
    let mut rows = RowAssembler::default();
    // Positions when `r` attributes are missing: the next row, the next column.
    let mut row: u32 = 0;
    let mut next_col: u32 = 0;
    let mut in_data = false;
    loop {
        let event = xml.read_event_into(&mut buf).map_err(|e| malformed(part, e))?;
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheetData" => in_data = true,
            Event::Start(e) if in_data && e.local_name().as_ref() == "row" => {
                if let Some(r) = attr(&e, "r") {
                    row =
                        r.parse::<u32>().ok().filter(|r| *r >= 1).ok_or_else(|| malformed(part, "bad row number"))? - 1;
                }
                next_col = 0;
            }
            Event::Empty(e) if in_data && e.local_name().as_ref() == "row" => {
                if let Some(r) = attr(&e, "r") {
                    row = r.parse::<u32>().unwrap_or(row + 1);
                } else {
                    row += 1;
                }
            }
            Event::End(e) if in_data && e.local_name().as_ref() == "row" => {
                row = row.saturating_add(1);
            }
            Event::Start(e) if in_data && e.local_name().as_ref() == "c" => {
                let (r, c, raw) = cell_start(&e, row, next_col, part)?;
                next_col = c.saturating_add(1);
                let raw = read_cell(&mut xml, raw, part, &mut cell_buf)?;
                rows.push(r, c, convert(raw, context, part)?, sink)?;
            }
            Event::Empty(e) if in_data && e.local_name().as_ref() == "c" => {
                // A cell without children holds no value (a styled blank).
                let (_, c, _) = cell_start(&e, row, next_col, part)?;
                next_col = c.saturating_add(1);
            }
            Event::End(e) if e.local_name().as_ref() == "sheetData" => break,
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    rows.finish(sink)
}

/// A `<c>` element's position (its `r`, else after the previous cell) and attributes.
fn cell_start(e: &BytesStart<'_>, row: u32, next_col: u32, part: &str) -> Result<(u32, u32, RawCell), Error> {
    // One pass over the attributes: this runs for every cell.
    let (mut position, mut typ, mut style) = (None, None, 0);
    for a in e.attributes().flatten() {
        match a.key.local_name().as_ref() {
            "r" => {
                position =
                    Some(cell_position(&a.value).ok_or_else(|| malformed(part, format!("bad cell {:?}", a.value)))?)
            }
            "t" if a.value != "n" => typ = Some(a.value.into_owned()),
            "s" => style = a.value.parse().unwrap_or(0),
            _ => {}
        }
    }
    let (r, c) = position.unwrap_or((row, next_col));
    let raw = RawCell { typ, style, value: String::new(), has_value: false, inline: String::new(), has_inline: false };
    Ok((r, c, raw))
}

/// The children of a `<c>`: `<v>` (the value or cached formula result), `<is>` (an inline
/// string), `<f>` (a formula: ignored).
fn read_cell<R: std::io::BufRead>(
    xml: &mut quick_xml::Reader<R>,
    mut raw: RawCell,
    part: &str,
    buf: &mut Vec<u8>,
) -> Result<RawCell, Error> {
    let mut in_v = false;
    loop {
        match xml.read_event_into(buf).map_err(|e| malformed(part, e))? {
            Event::Start(e) => match e.local_name().as_ref() {
                "v" => {
                    in_v = true;
                    raw.has_value = true;
                }
                "is" => {
                    read_string_item(xml, "is", part, &mut raw.inline)?;
                    raw.has_inline = true;
                }
                _ => {}
            },
            Event::Text(t) if in_v => raw.value.push_str(&t.xml10_content()),
            Event::CData(t) if in_v => raw.value.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_v => push_reference(&r, &mut raw.value),
            Event::End(e) => match e.local_name().as_ref() {
                "v" => in_v = false,
                "c" => return Ok(raw),
                _ => {}
            },
            Event::Eof => return Err(malformed(part, "unexpected end")),
            _ => {}
        }
        buf.clear();
    }
}

fn convert(raw: RawCell, context: &Context<'_>, part: &str) -> Result<Cell, Error> {
    if raw.has_inline && raw.typ.as_deref() == Some("inlineStr") {
        return Ok(text_cell(&raw.inline));
    }
    if !raw.has_value {
        return Ok(if raw.has_inline { text_cell(&raw.inline) } else { Cell::Empty });
    }
    let v = raw.value;
    Ok(match raw.typ.as_deref() {
        Some("s") => {
            let i: usize = v.trim().parse().map_err(|_| malformed(part, format!("bad shared string index {v:?}")))?;
            let s = context.strings.get(i).ok_or_else(|| malformed(part, format!("no shared string {i}")))?;
            text_cell(s)
        }
        Some("str") | Some("inlineStr") => text_cell(&unescape_excel(&v)),
        Some("b") => Cell::Bool(matches!(v.trim(), "1" | "true" | "TRUE")),
        Some("e") => Cell::Error(v),
        Some("d") => iso_cell(v.trim()),
        _ => {
            let v = v.trim();
            if v.is_empty() {
                return Ok(Cell::Empty);
            }
            let n: f64 = v.parse().map_err(|_| malformed(part, format!("bad number {v:?}")))?;
            match context.styles.get(raw.style).copied().unwrap_or(NumberKind::Plain) {
                NumberKind::DateTime => {
                    let d = ExcelDateTime::new(n, ExcelDateTimeType::DateTime, context.date_1904);
                    d.as_datetime().map_or(Cell::Number(n), Cell::Date)
                }
                _ => Cell::Number(n),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions() {
        assert_eq!(cell_position("A1"), Some((0, 0)));
        assert_eq!(cell_position("V1001"), Some((1000, 21)));
        assert_eq!(cell_position("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(cell_position("A0"), None);
        assert_eq!(cell_position("1A"), None);
        assert_eq!(cell_position("ABCD1"), None);
    }

    #[test]
    fn paths() {
        assert_eq!(resolve("xl/", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("xl/", "/xl/worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("xl/worksheets/", "../sharedStrings.xml"), "xl/sharedStrings.xml");
        assert_eq!(resolve("", "xl/workbook.xml"), "xl/workbook.xml");
    }

    #[test]
    fn formats() {
        for code in ["dd/mm/yyyy", "yyyy-mm-dd", "d-mmm-yy", "h:mm AM/PM", "[$-409]mmmm d, yyyy", "m/d/yy h:mm"] {
            assert!(custom_format_kind(code) == NumberKind::DateTime, "{code}");
        }
        for code in ["[h]:mm:ss", "[mm]:ss"] {
            assert!(custom_format_kind(code) == NumberKind::Duration, "{code}");
        }
        for code in ["General", "0.00", "#,##0", "0.00E+00", "\"Ngày\" 0", "[Red]0.00", "@", "0;[Red]-0"] {
            assert!(custom_format_kind(code) == NumberKind::Plain, "{code}");
        }
        assert!(builtin_format_kind("14") == NumberKind::DateTime);
        assert!(builtin_format_kind("0") == NumberKind::Plain);
        assert!(builtin_format_kind("49") == NumberKind::Plain);
    }

    #[test]
    fn excel_escapes() {
        assert_eq!(unescape_excel("a_x000D_b"), "a\rb");
        assert_eq!(unescape_excel("_xD83D__xDE00_"), "😀");
        assert_eq!(unescape_excel("_x005F_x000D_"), "__x000D_".replacen("__", "_", 1));
        assert_eq!(unescape_excel("plain_x00"), "plain_x00");
        assert_eq!(unescape_excel("Nguyễn_x0020_An"), "Nguyễn An");
    }

    #[test]
    fn strings_table() {
        let mut s = SharedStrings::default();
        for t in ["", "An", "Bình"] {
            s.text.push_str(t);
            s.push_end().unwrap();
        }
        assert_eq!((s.get(0), s.get(1), s.get(2), s.get(3)), (Some(""), Some("An"), Some("Bình"), None));
    }
}
