//! The reading half of the importer against the shared sample files and against hostile files
//! made on the fly: every sample maps its headers as its `expected.json` says and yields its
//! data rows; every hostile file fails fast with the right `import.*` code.
#![allow(clippy::unwrap_used, reason = "tests: a failed step should panic")]

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clientele::import::mapping::{ImportField, auto_map, header_signature};
use clientele::import::read::{Cell, Format, ReadOptions, Row, SheetReader, open, open_with};
use clientele::import::values;
use serde_json::Value;

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/samples");

fn sample(name: &str) -> PathBuf {
    Path::new(SAMPLES).join(name)
}

fn expected(name: &str) -> Value {
    let text = std::fs::read_to_string(sample(&format!("{name}.expected.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn rows(reader: &mut SheetReader) -> Vec<Row> {
    reader.map(|r| r.unwrap()).collect()
}

/// A sample file as the importer will see it: mapping, row count, row numbers, and the
/// invalid rows and duplicate groups of its `expected.json` recomputed from the values.
fn check_sample(name: &str, format: Format) {
    let expected = expected(name);
    let started = Instant::now();
    let mut reader = open(&sample(name)).unwrap();
    let sheet = reader.sheet().clone();
    assert_eq!(sheet.format, format, "{name}");
    assert_eq!(sheet.header_row, 1, "{name}");
    if format != Format::Csv {
        assert_eq!(sheet.sheet_name.as_deref(), expected["sheet_name"].as_str(), "{name}");
    }

    // Mapping: the field of each header, by position.
    let columns = expected["columns"].as_array().unwrap();
    assert_eq!(sheet.headers.len(), columns.len(), "{name}: {:?}", sheet.headers);
    let mapping = auto_map(&sheet.headers);
    for (i, column) in columns.iter().enumerate() {
        assert_eq!(column["position"].as_u64(), Some(i as u64 + 1));
        assert_eq!(sheet.headers[i], column["header"].as_str().unwrap(), "{name}: header {}", i + 1);
        let want = column["field"].as_str().map(|f| ImportField::parse(f).unwrap());
        assert_eq!(mapping[i], want, "{name}: header {:?}", sheet.headers[i]);
    }
    assert!(!header_signature(&sheet.headers).is_empty());

    // Rows: non-blank, numbered as the spreadsheet numbers them.
    let rows = rows(&mut reader);
    assert_eq!(rows.len() as u64, expected["expected"]["data_rows"].as_u64().unwrap(), "{name}");
    let physical = &expected["physical_rows"];
    assert_eq!(rows.last().unwrap().number as u64, physical["last_row"].as_u64().unwrap(), "{name}");
    let blank: Vec<u64> =
        physical["blank_row_numbers"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
    let numbers: Vec<u64> = rows.iter().map(|r| r.number as u64).collect();
    let mut all = numbers.clone();
    all.extend(&blank);
    all.sort_unstable();
    assert_eq!(all, (2..=physical["last_row"].as_u64().unwrap()).collect::<Vec<_>>(), "{name}");
    assert!(rows.iter().all(|r| r.cells.len() >= sheet.headers.len()));

    // Values: invalid rows (missing name, malformed e-mail) and duplicate groups.
    let col = |field: ImportField| mapping.iter().position(|f| *f == Some(field)).unwrap();
    let (name_col, email_col, phone_col, kind_col) =
        (col(ImportField::Name), col(ImportField::Email), col(ImportField::Phone), col(ImportField::Kind));
    let mut invalid = Vec::new();
    let mut valid = Vec::new();
    for row in &rows {
        if values::text(&row.cells[name_col]).is_none() {
            invalid.push((row.number as u64, "missing_name"));
        } else if values::email(&row.cells[email_col]).is_some_and(|e| !values::is_valid_email(&e)) {
            invalid.push((row.number as u64, "invalid_email"));
        } else {
            valid.push(row);
        }
    }
    let want: Vec<(u64, &str)> = expected["invalid_rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["row"].as_u64().unwrap(), r["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(invalid, want, "{name}");

    let mut by_kind: BTreeMap<&str, u64> = BTreeMap::new();
    for row in &valid {
        let kind = values::kind(&row.cells[kind_col]).unwrap().unwrap_or_default();
        *by_kind.entry(kind.as_str()).or_default() += 1;
        // Every date and boolean of the samples can be normalised.
        let date_1904 = sheet.date_1904;
        for field in [ImportField::Birthday, ImportField::FoundedDate] {
            let cell = &row.cells[col(field)];
            assert!(values::date(cell, date_1904).is_ok(), "{name} row {}: {cell:?}", row.number);
        }
        let consent = &row.cells[col(ImportField::PromoEmailConsent)];
        assert!(values::boolean(consent).is_ok(), "{name} row {}: {consent:?}", row.number);
    }
    let want_kinds: BTreeMap<&str, u64> = expected["expected"]["valid_by_type"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_u64().unwrap()))
        .collect();
    assert_eq!(by_kind, want_kinds, "{name}");

    // Duplicates: valid rows sharing a normalised phone or e-mail, transitively.
    let mut parent: Vec<usize> = (0..valid.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, row) in valid.iter().enumerate() {
        let mut keys: Vec<String> = values::phones(&row.cells[phone_col])
            .into_iter()
            .filter_map(|p| p.key)
            .map(|k| format!("phone:{k}"))
            .collect();
        keys.extend(values::email(&row.cells[email_col]).map(|e| format!("email:{e}")));
        for key in keys {
            match seen.get(&key) {
                Some(&j) => {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    parent[a] = b;
                }
                None => {
                    seen.insert(key, i);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<u64>> = BTreeMap::new();
    for (i, row) in valid.iter().enumerate() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(row.number as u64);
    }
    let mut groups: Vec<Vec<u64>> = groups.into_values().filter(|g| g.len() > 1).collect();
    groups.sort();
    let want: Vec<Vec<u64>> = serde_json::from_value(expected["duplicate_groups"].clone()).unwrap();
    assert_eq!(groups, want, "{name}");

    assert!(started.elapsed() < Duration::from_secs(20), "{name}: {:?}", started.elapsed());
}

#[test]
fn sample_customers_1000_xlsx() {
    check_sample("customers-1000.xlsx", Format::Xlsx);
}

#[test]
fn sample_dirty_xlsx() {
    check_sample("customers-dirty-500.xlsx", Format::Xlsx);
}

#[test]
fn sample_dirty_csv() {
    check_sample("customers-dirty-500.csv", Format::Csv);
    let reader = open(&sample("customers-dirty-500.csv")).unwrap();
    assert_eq!(reader.sheet().encoding, Some("UTF-8"));
    assert_eq!(reader.sheet().delimiter, Some(','));
}

#[test]
fn sample_dirty_ods() {
    check_sample("customers-dirty-500.ods", Format::Ods);
}

/// The same messy rows in three formats read to the same values (formulas as their cached
/// value in xlsx and ods; their literal text in CSV).
#[test]
fn three_formats_agree() {
    let read = |name: &str| {
        let mut reader = open(&sample(name)).unwrap();
        let mapping = auto_map(&reader.sheet().headers);
        let rows = rows(&mut reader);
        (mapping, rows)
    };
    let (mapping, xlsx) = read("customers-dirty-500.xlsx");
    let (_, ods) = read("customers-dirty-500.ods");
    let (_, csv) = read("customers-dirty-500.csv");
    let fields = [ImportField::Name, ImportField::Email, ImportField::Kind, ImportField::Segment];
    for field in fields {
        let c = mapping.iter().position(|f| *f == Some(field)).unwrap();
        for ((x, o), v) in xlsx.iter().zip(&ods).zip(&csv) {
            assert_eq!(x.number, o.number);
            assert_eq!(x.number, v.number);
            let (tx, to) = (values::text(&x.cells[c]), values::text(&o.cells[c]));
            assert_eq!(tx, to, "{field} row {}", x.number);
            if !v.cells[c].to_text().starts_with('=') {
                assert_eq!(tx, values::text(&v.cells[c]), "{field} row {}", x.number);
            }
        }
    }
    let tax = mapping.iter().position(|f| *f == Some(ImportField::TaxCode)).unwrap();
    for (x, o) in xlsx.iter().zip(&ods) {
        assert_eq!(values::key_text(&x.cells[tax]), values::key_text(&o.cells[tax]), "row {}", x.number);
    }
}

/// What calamine's whole-sheet reader makes of the same xlsx: the reference our streaming
/// reader must agree with, cell for cell.
fn calamine_rows(path: &Path) -> Vec<(u32, Vec<Cell>)> {
    use calamine::{Data, Reader};
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    let name = workbook.sheet_names()[0].clone();
    let range = workbook.worksheet_range(&name).unwrap();
    let Some((row0, col0)) = range.start() else { return Vec::new() };
    let convert = |d: &Data| match d {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.is_empty() => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(d) => match d.as_datetime().filter(|_| d.is_datetime()) {
            Some(dt) => Cell::Date(dt),
            None => Cell::Number(d.as_f64()),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    };
    let mut rows = Vec::new();
    for (i, values) in range.rows().enumerate() {
        let mut cells = vec![Cell::Empty; col0 as usize];
        cells.extend(values.iter().map(convert));
        while cells.last() == Some(&Cell::Empty) {
            cells.pop();
        }
        if !cells.iter().all(Cell::is_blank) {
            rows.push((row0 + i as u32 + 1, cells));
        }
    }
    rows
}

#[track_caller]
fn assert_same_as_calamine(path: &Path) {
    let want = calamine_rows(path);
    let mut reader = open(path).unwrap();
    let header = reader.sheet().header_row;
    let mut got: Vec<(u32, Vec<Cell>)> = vec![(
        header,
        reader.sheet().headers.iter().map(|h| if h.is_empty() { Cell::Empty } else { Cell::Text(h.clone()) }).collect(),
    )];
    for row in &mut reader {
        let mut row = row.unwrap();
        while row.cells.last() == Some(&Cell::Empty) {
            row.cells.pop();
        }
        got.push((row.number, row.cells));
    }
    // Headers come back as text; compare calamine's header row as text too.
    let mut want = want;
    if let Some(first) = want.first_mut() {
        first.1 =
            first.1.iter().map(|c| if *c == Cell::Empty { Cell::Empty } else { Cell::Text(c.to_text()) }).collect();
    }
    assert_eq!(got.len(), want.len(), "{}", path.display());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w, "{}", path.display());
    }
}

#[test]
fn xlsx_reader_agrees_with_calamine() {
    assert_same_as_calamine(&sample("customers-1000.xlsx"));
    assert_same_as_calamine(&sample("customers-dirty-500.xlsx"));

    // Dates in the 1904 system, built-in and custom date styles, a duration, inline and rich
    // strings, phonetic runs, Excel escapes, booleans, errors, formulas with cached values,
    // cells without `r`, and entities.
    let dir = tempfile::tempdir().unwrap();
    let styles = r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="[h]:mm"/></numFmts><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="165" applyNumberFormat="1"/></cellXfs></styleSheet>"#;
    let workbook = WORKBOOK.replace("<sheets>", r#"<workbookPr date1904="1"/><sheets>"#);
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
    let sst = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4"><si><t>Name</t></si><si><r><t xml:space="preserve">Nguyễn </t></r><r><rPr><b/></rPr><t xml:space="preserve">Văn An </t></r><rPh sb="0" eb="1"><t>グエン</t></rPh></si><si><t>Line_x000D_
two &amp; &#x1F600;</t></si><si/></sst>"#;
    let sheet = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>Born</t></is></c><c r="C1" t="inlineStr"><is><t>Since</t></is></c><c r="D1" t="inlineStr"><is><t>Time</t></is></c><c r="E1" t="inlineStr"><is><t>Flags</t></is></c></row><row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" s="1"><v>31475</v></c><c r="C3" s="2"><v>31475.5</v></c><c r="D3" s="3"><v>1.25</v></c><c r="E3" t="b"><v>1</v></c><c r="F3" t="e"><v>#N/A</v></c></row><row r="4"><c t="s"><v>2</v></c><c><f>1+2</f><v>3</v></c><c t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c s="1"/><c t="s"><v>3</v></c><c><v>4201234567</v></c></row></sheetData></worksheet>"#;
    let bytes = zip_bytes(&[
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", rels.as_bytes()),
        ("xl/styles.xml", styles.as_bytes()),
        ("xl/sharedStrings.xml", sst.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ]);
    let path = write(dir.path(), "features.xlsx", &bytes);
    assert_same_as_calamine(&path);
    let reader = open(&path).unwrap();
    assert!(reader.sheet().date_1904);
    let rows = rows(&mut open(&path).unwrap());
    assert_eq!(rows[0].cells[0], Cell::Text("Nguyễn Văn An ".into()));
    assert_eq!(rows[0].cells[1].to_text(), "1990-03-05");
    assert_eq!(rows[0].cells[2].to_text(), "1990-03-05 12:00:00");
    assert_eq!(rows[0].cells[3], Cell::Number(1.25));
    assert_eq!(rows[1].cells[0], Cell::Text("Line\r\ntwo & 😀".into()));
    assert_eq!(rows[1].cells[1], Cell::Number(3.0));
    assert_eq!(rows[1].cells[2], Cell::Text("ab".into()));
    assert_eq!(rows[1].cells[5].to_text(), "4201234567");
}

#[test]
fn choosing_a_sheet() {
    let reader = open_with(&sample("customers-1000.xlsx"), &ReadOptions { sheet: Some("customers".into()) }).unwrap();
    assert_eq!(reader.sheet().sheet_name.as_deref(), Some("Customers"));
    assert_eq!(reader.sheet().sheet_names, ["Customers"]);
    let err = open_with(&sample("customers-1000.xlsx"), &ReadOptions { sheet: Some("Nope".into()) }).unwrap_err();
    assert_eq!(err.code(), "import.sheet_not_found");
}

#[test]
fn dropping_the_reader_early_is_fine() {
    let mut reader = open(&sample("customers-1000.xlsx")).unwrap();
    assert_eq!(reader.next().unwrap().unwrap().number, 2);
    drop(reader);
}

// ---------------------------------------------------------------------------------------------
// Files made on the fly.

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn zip_bytes(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut cursor = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut cursor);
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in parts {
            zip.start_file(*name, options).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap();
    }
    cursor.into_inner()
}

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#;

/// A minimal xlsx with one sheet (`<sheetData>` content given) and optional shared strings.
fn xlsx_bytes(dimension: Option<&str>, sheet_data: &str, shared_strings: Option<&str>) -> Vec<u8> {
    let dimension = dimension.map(|d| format!(r#"<dimension ref="{d}"/>"#)).unwrap_or_default();
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>{sheet_data}</sheetData></worksheet>"#
    );
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("xl/workbook.xml", WORKBOOK.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ];
    if let Some(sst) = shared_strings {
        parts.push(("xl/sharedStrings.xml", sst.as_bytes()));
    }
    zip_bytes(&parts)
}

fn inline(r: &str, text: &str) -> String {
    format!(r#"<c r="{r}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// Set the uncompressed size that the zip declares for `name` (central directory and local
/// header), leaving the data alone.
fn patch_declared_size(zip: &mut [u8], name: &str, size: u32) {
    let mut patched = 0;
    let mut i = 0;
    let le16 = |zip: &[u8], at: usize| u16::from_le_bytes([zip[at], zip[at + 1]]) as usize;
    while i + 46 <= zip.len() {
        if zip[i..i + 4] == *b"PK\x01\x02" {
            let name_len = le16(zip, i + 28);
            if &zip[i + 46..i + 46 + name_len] == name.as_bytes() {
                zip[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
                patched += 1;
            }
        } else if zip[i..i + 4] == *b"PK\x03\x04" {
            let name_len = le16(zip, i + 26);
            if zip.get(i + 30..i + 30 + name_len) == Some(name.as_bytes()) {
                zip[i + 22..i + 26].copy_from_slice(&size.to_le_bytes());
                patched += 1;
            }
        }
        i += 1;
    }
    assert_eq!(patched, 2, "{name}");
}

/// Open must fail with `code`, quickly.
#[track_caller]
fn refused(path: &Path, code: &str) -> String {
    let started = Instant::now();
    let result = open(path).and_then(|mut r| r.try_for_each(|row| row.map(|_| ())));
    let err = result.expect_err("a hostile file was read");
    assert_eq!(err.code(), code, "{err}");
    assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
    err.to_string()
}

#[test]
fn zip_bomb_by_declared_size() {
    let dir = tempfile::tempdir().unwrap();
    let header = format!("<row r=\"1\">{}</row>", inline("A1", "Name"));
    // Declared total far beyond the limit.
    let mut bytes = xlsx_bytes(None, &header, None);
    patch_declared_size(&mut bytes, "xl/worksheets/sheet1.xml", 0xFFFF_FFF0);
    let message = refused(&write(dir.path(), "bomb.xlsx", &bytes), "import.too_large");
    assert!(message.contains("MiB"), "{message}");
    // A part that would expand a thousand-fold.
    let mut bytes = xlsx_bytes(None, &header, None);
    patch_declared_size(&mut bytes, "xl/worksheets/sheet1.xml", 400 << 20);
    refused(&write(dir.path(), "ratio.xlsx", &bytes), "import.too_large");
    // A part larger than it declares: the zip reader stops at the declared size.
    let mut bytes = xlsx_bytes(None, &header, None);
    patch_declared_size(&mut bytes, "xl/worksheets/sheet1.xml", 40);
    refused(&write(dir.path(), "liar.xlsx", &bytes), "import.damaged");
}

#[test]
fn zip_bomb_of_real_zeros() {
    let dir = tempfile::tempdir().unwrap();
    // 64 MiB of one repeated byte compresses a thousand-fold.
    let zeros = vec![b' '; 64 << 20];
    let bytes = zip_bytes(&[
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("xl/workbook.xml", WORKBOOK.as_bytes()),
        ("xl/worksheets/sheet1.xml", &zeros),
    ]);
    assert!(bytes.len() < 1 << 20);
    refused(&write(dir.path(), "zeros.xlsx", &bytes), "import.too_large");
}

#[test]
fn dimension_bomb() {
    let dir = tempfile::tempdir().unwrap();
    let data =
        format!(r#"<row r="1">{}</row><row r="1048576">{}</row>"#, inline("A1", "Name"), inline("XFD1048576", "x"));
    let bytes = xlsx_bytes(Some("A1:XFD1048576"), &data, None);
    assert!(bytes.len() < 4096);
    let message = refused(&write(dir.path(), "far.xlsx", &bytes), "import.too_large");
    assert!(message.contains("declares"), "{message}");

    // Without the declaration, the same far cell streams without allocating the grid.
    let bytes = xlsx_bytes(None, &data, None);
    let started = Instant::now();
    let mut reader = open(&write(dir.path(), "far-undeclared.xlsx", &bytes)).unwrap();
    assert_eq!(reader.sheet().headers, ["Name"]);
    let rows = rows(&mut reader);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].number, 1_048_576);
    assert_eq!(rows[0].cells.len(), 16_384);
    assert_eq!(rows[0].cells[16_383], Cell::Text("x".into()));
    assert!(started.elapsed() < Duration::from_secs(5));

    // A cell past the last column is damaged.
    let data = format!(r#"<row r="1">{}{}</row>"#, inline("A1", "Name"), inline("XFE1", "x"));
    refused(&write(dir.path(), "beyond.xlsx", &xlsx_bytes(None, &data, None)), "import.damaged");
}

#[test]
fn huge_shared_string() {
    let dir = tempfile::tempdir().unwrap();
    let sst = |text: &str, unique: usize| {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="{unique}"><si><t>Name</t></si><si><t>{text}</t></si></sst>"#
        )
    };
    let referencing = |rows: usize| {
        let mut data = String::from(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#);
        for r in 2..rows + 2 {
            data.push_str(&format!(r#"<row r="{r}"><c r="A{r}" t="s"><v>1</v></c></row>"#));
        }
        data
    };
    // One 8 MiB string: more than any cell can hold.
    let big = "x".repeat(8 << 20);
    let bytes = xlsx_bytes(None, &referencing(10), Some(&sst(&big, 2)));
    refused(&write(dir.path(), "big-string.xlsx", &bytes), "import.too_large");

    // A 1 MiB string referenced by 20,000 cells would hand out 20 GiB of text.
    let long = "y".repeat(1 << 20);
    let bytes = xlsx_bytes(None, &referencing(20_000), Some(&sst(&long, 2)));
    let message = refused(&write(dir.path(), "repeated.xlsx", &bytes), "import.too_large");
    assert!(message.contains("bomb"), "{message}");

    // A shared-string table claiming a billion strings.
    let bytes = xlsx_bytes(None, &referencing(1), Some(&sst("z", 1_000_000_000)));
    refused(&write(dir.path(), "count.xlsx", &bytes), "import.damaged");

    // A cell pointing past the end of the table.
    let data = r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>7</v></c></row>"#;
    let bytes = xlsx_bytes(None, data, Some(&sst("z", 2)));
    refused(&write(dir.path(), "index.xlsx", &bytes), "import.damaged");
}

#[test]
fn truncated_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let whole = std::fs::read(sample("customers-1000.xlsx")).unwrap();
    for cut in [whole.len() / 2, whole.len() - 30, 100] {
        refused(&write(dir.path(), "cut.xlsx", &whole[..cut]), "import.damaged");
    }
    // Damage inside a part (CRC mismatch) rather than a missing directory.
    let mut bytes = whole.clone();
    let middle = bytes.len() / 3;
    for b in &mut bytes[middle..middle + 64] {
        *b ^= 0x5A;
    }
    refused(&write(dir.path(), "corrupt.xlsx", &bytes), "import.damaged");
}

#[test]
fn renamed_and_random_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..5000u32).map(|i| (i * 7919 % 251) as u8));
    let message = refused(&write(dir.path(), "photo.xlsx", &png), "import.unsupported_format");
    assert!(message.contains("PNG"), "{message}");
    refused(&write(dir.path(), "doc.xlsx", b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n"), "import.unsupported_format");

    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let random: Vec<u8> = (0..200_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    refused(&write(dir.path(), "random.xlsx", &random), "import.unsupported_format");
    refused(&write(dir.path(), "random.csv", &random), "import.unsupported_format");

    let docx = zip_bytes(&[("word/document.xml", b"<w:document/>")]);
    refused(&write(dir.path(), "letter.xlsx", &docx), "import.unsupported_format");
    let odt = zip_bytes(&[("mimetype", b"application/vnd.oasis.opendocument.text")]);
    refused(&write(dir.path(), "letter.ods", &odt), "import.unsupported_format");
    let html = b"<!DOCTYPE html><html><table><tr><td>Name</td></tr></table></html>";
    refused(&write(dir.path(), "export.xls", html), "import.unsupported_format");
}

#[test]
fn empty_and_headerless_files() {
    let dir = tempfile::tempdir().unwrap();
    refused(&write(dir.path(), "empty.xlsx", b""), "import.empty");
    refused(&write(dir.path(), "blank.csv", b"\n\n,,,\n  ,\t\n"), "import.empty");
    refused(&write(dir.path(), "numbers.csv", b"1,2,3\n4,5,6\n"), "import.no_header");
    refused(&write(dir.path(), "empty-sheet.xlsx", &xlsx_bytes(None, "", None)), "import.empty");
    // A header and no data is not an error: there is nothing to import.
    let mut reader = open(&write(dir.path(), "header.csv", b"Name,Phone\n")).unwrap();
    assert_eq!(reader.sheet().headers, ["Name", "Phone"]);
    assert!(reader.next().is_none());
}

#[test]
fn password_protected_files() {
    let dir = tempfile::tempdir().unwrap();
    // An encrypted xlsx is an OLE compound file holding EncryptionInfo and EncryptedPackage.
    let path = dir.path().join("secret.xlsx");
    {
        let mut cfb = cfb::create(&path).unwrap();
        cfb.create_stream("/EncryptionInfo").unwrap().write_all(&[4, 0, 4, 0, 0x40, 0, 0, 0]).unwrap();
        cfb.create_stream("/EncryptedPackage").unwrap().write_all(&[0x5A; 4096]).unwrap();
        cfb.flush().unwrap();
    }
    refused(&path, "import.password_protected");

    // An OLE file that is not a workbook (a Word 97 document).
    let path = dir.path().join("letter.xls");
    {
        let mut cfb = cfb::create(&path).unwrap();
        cfb.create_stream("/WordDocument").unwrap().write_all(&[0; 1024]).unwrap();
        cfb.flush().unwrap();
    }
    refused(&path, "import.unsupported_format");

    // A zip entry encrypted with a password.
    let mut cursor = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut cursor);
        zip.start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(WORKBOOK.as_bytes()).unwrap();
        zip.finish().unwrap();
    }
    let mut bytes = cursor.into_inner();
    // Set the "encrypted" flag (bit 0) in the local and central headers.
    for sig in [b"PK\x03\x04", b"PK\x01\x02"] {
        let at = bytes.windows(4).position(|w| w == sig).unwrap();
        let flag_at = if sig == b"PK\x03\x04" { at + 6 } else { at + 8 };
        bytes[flag_at] |= 1;
    }
    refused(&write(dir.path(), "zipcrypto.xlsx", &bytes), "import.password_protected");
}

/// BIFF8 records for a minimal .xls workbook stream.
fn biff_record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut r = typ.to_le_bytes().to_vec();
    r.extend((data.len() as u16).to_le_bytes());
    r.extend_from_slice(data);
    r
}

fn xls_bytes(dir: &Path, name: &str, global_records: &[Vec<u8>], sheet_records: &[Vec<u8>]) -> PathBuf {
    let bof = |dt: u16| {
        let mut d = 0x0600u16.to_le_bytes().to_vec();
        d.extend(dt.to_le_bytes());
        d.extend([0u8; 12]);
        biff_record(0x0809, &d)
    };
    let sheet_name = b"Sheet1";
    let bound_len = 4 + 4 + 2 + 2 + sheet_name.len();
    let mut globals = bof(0x0005);
    for r in global_records {
        globals.extend_from_slice(r);
    }
    let pos = (globals.len() + bound_len + 4) as u32;
    let mut bound = pos.to_le_bytes().to_vec();
    bound.extend([0u8, 0u8, sheet_name.len() as u8, 0u8]);
    bound.extend_from_slice(sheet_name);
    globals.extend(biff_record(0x0085, &bound));
    globals.extend(biff_record(0x000A, &[]));
    assert_eq!(globals.len() as u32, pos);
    globals.extend(bof(0x0010));
    for r in sheet_records {
        globals.extend_from_slice(r);
    }
    globals.extend(biff_record(0x000A, &[]));
    // Pad past the 4096-byte mini-stream cutoff, as Excel does.
    globals.resize(globals.len().max(4200), 0);

    let path = dir.join(name);
    // Version 3 (512-byte sectors), as Excel writes.
    let file = std::fs::File::options().read(true).write(true).create_new(true).open(&path).unwrap();
    let mut cfb = cfb::CompoundFile::create_with_version(cfb::Version::V3, file).unwrap();
    cfb.create_stream("/Workbook").unwrap().write_all(&globals).unwrap();
    cfb.flush().unwrap();
    path
}

fn xls_label(row: u16, col: u16, text: &str) -> Vec<u8> {
    let mut d = row.to_le_bytes().to_vec();
    d.extend(col.to_le_bytes());
    d.extend(0u16.to_le_bytes());
    d.extend((text.len() as u16).to_le_bytes());
    d.push(0);
    d.extend_from_slice(text.as_bytes());
    biff_record(0x0204, &d)
}

fn xls_number(row: u16, col: u16, n: f64) -> Vec<u8> {
    let mut d = row.to_le_bytes().to_vec();
    d.extend(col.to_le_bytes());
    d.extend(0u16.to_le_bytes());
    d.extend(n.to_le_bytes());
    biff_record(0x0203, &d)
}

fn xls_dimensions(rows: u32, cols: u16) -> Vec<u8> {
    let mut d = 0u32.to_le_bytes().to_vec();
    d.extend(rows.to_le_bytes());
    d.extend(0u16.to_le_bytes());
    d.extend(cols.to_le_bytes());
    d.extend([0, 0]);
    biff_record(0x0200, &d)
}

#[test]
fn xls_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = xls_bytes(
        dir.path(),
        "small.xls",
        &[],
        &[
            xls_dimensions(3, 2),
            xls_label(0, 0, "Name"),
            xls_label(0, 1, "Phone"),
            xls_label(2, 0, "An"),
            xls_number(2, 1, 912_345_678.0),
        ],
    );
    let mut reader = open(&path).unwrap();
    assert_eq!(reader.sheet().format, Format::Xls);
    assert_eq!(reader.sheet().headers, ["Name", "Phone"]);
    let rows = rows(&mut reader);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].number, 3);
    assert_eq!(values::phones(&rows[0].cells[1])[0].key.as_deref(), Some("0912345678"));

    // A DIMENSIONS record of four billion rows (calamine would reserve them).
    let path = xls_bytes(dir.path(), "dims.xls", &[], &[xls_dimensions(4_000_000_000, 256), xls_label(0, 0, "Name")]);
    refused(&path, "import.damaged");
    // Two cells at opposite corners: a dense grid of 16 million cells.
    let path = xls_bytes(dir.path(), "corners.xls", &[], &[xls_label(0, 0, "Name"), xls_number(65_535, 255, 1.0)]);
    refused(&path, "import.too_large");
    // FILEPASS: an encrypted xls.
    let filepass = biff_record(0x002F, &[1, 0, 1, 0, 1, 0]);
    let path = xls_bytes(dir.path(), "pass.xls", &[filepass], &[xls_label(0, 0, "Name")]);
    refused(&path, "import.password_protected");
}

#[test]
fn ods_repeat_bomb() {
    let dir = tempfile::tempdir().unwrap();
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="S"><table:table-row><table:table-cell office:value-type="string"><text:p>Name</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="1000" office:value-type="string"><text:p>boom</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let bytes = zip_bytes(&[
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", content.as_bytes()),
    ]);
    refused(&write(dir.path(), "bomb.ods", &bytes), "import.too_large");

    let manifest = r#"<manifest:manifest><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>"#;
    let bytes = zip_bytes(&[
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", manifest.as_bytes()),
        ("content.xml", b"\x01\x02garbage"),
    ]);
    refused(&write(dir.path(), "secret.ods", &bytes), "import.password_protected");
}

// ---------------------------------------------------------------------------------------------
// CSV encodings, delimiters and row numbers.

const VI_CSV: &str =
    "Tên khách hàng,SĐT,Địa chỉ\nNguyễn Văn Đức,0912345678,\"12 Lê Lợi, Quận 1\"\nTrần Thị Hồng,0987654321,Đà Nẵng\n";

fn csv_rows(path: &Path) -> (clientele::import::read::Sheet, Vec<Row>) {
    let mut reader = open(path).unwrap();
    let sheet = reader.sheet().clone();
    (sheet, rows(&mut reader))
}

fn texts(row: &Row) -> Vec<String> {
    row.cells.iter().map(|c| clientele::text::clean(&c.to_text())).collect()
}

/// Vietnamese as windows-1258 stores it: vowels with circumflex, breve or horn are
/// precomposed, tone marks are combining characters.
fn to_cp1258(s: &str) -> Vec<u8> {
    use unicode_normalization::UnicodeNormalization;
    let mut chars: Vec<char> = Vec::new();
    for c in s.nfd() {
        // A vowel modifier (circumflex, breve, horn) joins its base letter, even after a
        // dot below (which sorts first in NFD).
        let modifier = matches!(c, '\u{302}' | '\u{306}' | '\u{31B}');
        let base = chars.iter().rposition(|p| !unicode_normalization::char::is_combining_mark(*p));
        match base.filter(|_| modifier).and_then(|i| Some((i, unicode_normalization::char::compose(chars[i], c)?))) {
            Some((i, composed)) => chars[i] = composed,
            None => chars.push(c),
        }
    }
    let text: String = chars.into_iter().collect();
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1258.encode(&text);
    assert!(!unmappable, "{s}");
    bytes.into_owned()
}

#[test]
fn csv_encodings() {
    let dir = tempfile::tempdir().unwrap();
    let want_headers = ["Tên khách hàng", "SĐT", "Địa chỉ"];
    let check = |name: &str, bytes: &[u8], encoding: &str| {
        let (sheet, rows) = csv_rows(&write(dir.path(), name, bytes));
        assert_eq!(sheet.format, Format::Csv);
        assert_eq!(sheet.encoding, Some(encoding), "{name}");
        let headers: Vec<String> = sheet.headers.iter().map(|h| clientele::text::clean(h)).collect();
        assert_eq!(headers, want_headers, "{name}");
        assert_eq!(rows.len(), 2, "{name}");
        assert_eq!(texts(&rows[0]), ["Nguyễn Văn Đức", "0912345678", "12 Lê Lợi, Quận 1"], "{name}");
        assert_eq!(rows[1].number, 3);
    };
    check("utf8.csv", VI_CSV.as_bytes(), "UTF-8");
    check("bom.csv", &[b"\xEF\xBB\xBF".as_slice(), VI_CSV.as_bytes()].concat(), "UTF-8");
    let mut le = vec![0xFF, 0xFE];
    le.extend(VI_CSV.encode_utf16().flat_map(u16::to_le_bytes));
    check("utf16le.csv", &le, "UTF-16LE");
    let mut be = vec![0xFE, 0xFF];
    be.extend(VI_CSV.encode_utf16().flat_map(u16::to_be_bytes));
    check("utf16be.csv", &be, "UTF-16BE");
    check("cp1258.csv", &to_cp1258(VI_CSV), "windows-1258");

    let fr = "Nom;Téléphone;Ville\nFrançois Müller;0612345678;Besançon\nJosé Šimůnek;0698765432;Škofja Loka\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(fr);
    let (sheet, rows) = csv_rows(&write(dir.path(), "cp1252.csv", &bytes));
    assert_eq!(sheet.encoding, Some("windows-1252"));
    assert_eq!(sheet.delimiter, Some(';'));
    assert_eq!(sheet.headers, ["Nom", "Téléphone", "Ville"]);
    assert_eq!(texts(&rows[0]), ["François Müller", "0612345678", "Besançon"]);
}

#[test]
fn csv_delimiters() {
    let dir = tempfile::tempdir().unwrap();
    let semicolon = "Tên;SĐT;Địa chỉ\nAn;0912345678;12 Lê Lợi, Q1\nBình;0987654321;\"5; Hai Bà Trưng\"\n";
    let (sheet, rows) = csv_rows(&write(dir.path(), "semi.csv", semicolon.as_bytes()));
    assert_eq!(sheet.delimiter, Some(';'));
    assert_eq!(texts(&rows[0]), ["An", "0912345678", "12 Lê Lợi, Q1"]);
    assert_eq!(texts(&rows[1]), ["Bình", "0987654321", "5; Hai Bà Trưng"]);

    let tab = "Tên\tSĐT\tGhi chú\nAn\t0912345678\tkhách, quen\n";
    let (sheet, rows) = csv_rows(&write(dir.path(), "tab.tsv", tab.as_bytes()));
    assert_eq!(sheet.delimiter, Some('\t'));
    assert_eq!(texts(&rows[0]), ["An", "0912345678", "khách, quen"]);

    let excel = "sep=;\nTên;SĐT\nAn;0912\n";
    let (sheet, rows) = csv_rows(&write(dir.path(), "sep.csv", excel.as_bytes()));
    assert_eq!((sheet.delimiter, sheet.header_row), (Some(';'), 1));
    assert_eq!((rows[0].number, texts(&rows[0])), (2, vec!["An".to_owned(), "0912".to_owned()]));
}

#[test]
fn csv_row_numbers() {
    let dir = tempfile::tempdir().unwrap();
    // Blank lines count; a quoted field over three lines is one row; short rows are padded;
    // a formula stays its literal text; cells of 32,767 characters are honest.
    let long = "ư".repeat(32_767);
    let text = format!(
        "Name,Notes,Phone\r\n\r\nAn,\"line one\nline two\nline three\",0912\r\n,,\r\nBình\r\nChi,=1+2,\r\nDũng,{long},1\r\n"
    );
    let (sheet, rows) = csv_rows(&write(dir.path(), "rows.csv", text.as_bytes()));
    assert_eq!(sheet.headers, ["Name", "Notes", "Phone"]);
    let numbers: Vec<u32> = rows.iter().map(|r| r.number).collect();
    assert_eq!(numbers, [3, 5, 6, 7]);
    assert_eq!(rows[0].cells[1], Cell::Text("line one\nline two\nline three".into()));
    assert_eq!(rows[1].cells, [Cell::Text("Bình".into()), Cell::Empty, Cell::Empty]);
    assert_eq!(rows[2].cells[1], Cell::Text("=1+2".into()));
    assert_eq!(rows[3].cells[1].to_text().chars().count(), 32_767);
    assert_eq!(rows[3].cells[2], Cell::Text("1".into()));

    // The same with LF line endings, and with old Mac CR line endings.
    let (_, lf) = csv_rows(&write(dir.path(), "lf.csv", text.replace("\r\n", "\n").as_bytes()));
    assert_eq!(lf, rows);
    let (_, unterminated) = csv_rows(&write(dir.path(), "end.csv", b"Name\n\nAn\n\n\"B\nB\"\n\nC"));
    assert_eq!(unterminated.iter().map(|r| r.number).collect::<Vec<_>>(), [3, 5, 7]);
    let (_, cr) = csv_rows(&write(dir.path(), "cr.csv", b"Name,Phone\rAn,0912\r\"B\nC\",0913\r"));
    assert_eq!(cr.iter().map(|r| r.number).collect::<Vec<_>>(), [2, 3]);
    assert_eq!(cr[1].cells, [Cell::Text("B\nC".into()), Cell::Text("0913".into())]);
}

#[test]
fn csv_longer_than_a_spreadsheet() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.csv");
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        writeln!(file, "Name,Phone").unwrap();
        for i in 0..1_100_000u32 {
            writeln!(file, "K{i},09{i:08}").unwrap();
        }
    }
    let mut reader = open(&path).unwrap();
    let mut count = 0u32;
    let mut last = 0;
    for row in &mut reader {
        let row = row.unwrap();
        count += 1;
        last = row.number;
    }
    assert_eq!(count, 1_100_000);
    assert_eq!(last, 1_100_001);
}

#[test]
fn csv_hostile_rows() {
    let dir = tempfile::tempdir().unwrap();
    // One row of 20,000 columns.
    let wide = format!("Name{}\n", ",x".repeat(20_000));
    refused(&write(dir.path(), "wide.csv", wide.as_bytes()), "import.too_large");
    // One unterminated quote swallowing 20 MiB.
    let mut huge = b"Name,Notes\nAn,\"".to_vec();
    huge.resize(20 << 20, b'a');
    refused(&write(dir.path(), "quote.csv", &huge), "import.too_large");
}
