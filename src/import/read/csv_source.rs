//! CSV: encoding and delimiter detection, a streaming decoder to UTF-8, and the row loop.
//!
//! - Encoding: a BOM says UTF-8, UTF-16LE or UTF-16BE. Without one: UTF-16 when every other
//!   byte of the start is zero; UTF-8 when the first MiB is valid UTF-8; else a Windows code
//!   page, windows-1258 when the bytes read as Vietnamese (tone marks after vowels, đ), else
//!   windows-1252.
//! - Binary content (NUL bytes, many control characters) is not a CSV.
//! - Delimiter: `,` `;` or tab, whichever splits the first 50 lines (outside quotes) most
//!   consistently; an Excel `sep=;` first line decides and is skipped.
//! - Row numbers: the line on which a record starts, less the extra lines taken by line breaks
//!   inside quoted fields of earlier records, so they match what a spreadsheet shows. Empty
//!   lines count as (blank) rows. Lines end in LF or CRLF (or CR alone in old Mac files, whose
//!   empty lines are then not counted).

use std::cell::Cell as Shared;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;
use std::rc::Rc;

use encoding_rs::{CoderResult, Decoder, Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252, WINDOWS_1258};

use super::{Cell, Halt, Meta, Sink, damaged, limits, too_large};

/// What [`sniff`] found.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CsvFacts {
    pub encoding: &'static Encoding,
    /// Bytes of byte-order mark to skip.
    pub bom_len: usize,
    pub delimiter: u8,
    /// The first line is Excel's `sep=X`.
    pub sep_line: bool,
    /// `\n` (LF and CRLF files; a `\r` before it is dropped), or `\r` for old Mac files
    /// whose lines end in CR alone.
    pub terminator: u8,
}

/// Detect the encoding and the delimiter from the first bytes of the file (`complete`: they
/// are the whole file). `None` when the bytes are not text.
pub(crate) fn sniff(head: &[u8], complete: bool) -> Option<CsvFacts> {
    let (encoding, bom_len) = detect_encoding(head, complete)?;
    let (text, _) = encoding.decode_without_bom_handling(&head[bom_len..]);
    if !looks_like_text(&text) {
        return None;
    }
    let (delimiter, sep_line) = match sep_line(&text) {
        Some(d) => (d, true),
        None => (sniff_delimiter(&text, complete), false),
    };
    let terminator = line_ending(&text);
    Some(CsvFacts { encoding, bom_len, delimiter, sep_line, terminator })
}

fn detect_encoding(head: &[u8], complete: bool) -> Option<(&'static Encoding, usize)> {
    if head.starts_with(b"\xEF\xBB\xBF") {
        return Some((UTF_8, 3));
    }
    if head.starts_with(b"\xFF\xFE") {
        return Some((UTF_16LE, 2));
    }
    if head.starts_with(b"\xFE\xFF") {
        return Some((UTF_16BE, 2));
    }
    if head.contains(&0) {
        // UTF-16 without a BOM: ASCII text has a zero in every other byte.
        let sample = &head[..head.len().min(4096) & !1];
        let pairs = (sample.len() / 2).max(1);
        let zero_odd = sample.chunks_exact(2).filter(|p| p[1] == 0).count();
        let zero_even = sample.chunks_exact(2).filter(|p| p[0] == 0).count();
        if zero_odd * 10 > pairs * 3 && zero_even * 20 < pairs {
            return Some((UTF_16LE, 0));
        }
        if zero_even * 10 > pairs * 3 && zero_odd * 20 < pairs {
            return Some((UTF_16BE, 0));
        }
        return None;
    }
    let valid_utf8 = match std::str::from_utf8(head) {
        Ok(_) => true,
        // Only an incomplete character at the very end, cut by the sample.
        Err(e) => !complete && e.error_len().is_none(),
    };
    if valid_utf8 {
        return Some((UTF_8, 0));
    }
    Some((legacy_encoding(head), 0))
}

/// windows-1258 or windows-1252, by the bytes where they differ.
fn legacy_encoding(bytes: &[u8]) -> &'static Encoding {
    // Vowels in windows-1258 (ASCII, and the precomposed ones it has).
    fn vowel(b: u8) -> bool {
        matches!(
            b,
            b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | b'A' | b'E' | b'I' | b'O' | b'U' | b'Y'
                | 0xC0..=0xC3 | 0xC8..=0xCA | 0xCD | 0xD3..=0xD5 | 0xDA | 0xDD
                | 0xE0..=0xE3 | 0xE8..=0xEA | 0xED | 0xF3..=0xF5 | 0xFA | 0xFD
        )
    }
    let (mut vietnamese, mut western) = (0u32, 0u32);
    let mut prev = b' ';
    for &b in bytes {
        match b {
            // Combining grave, acute, tilde, hook above, dot below in windows-1258
            // (Ì ì Þ Ò ò in windows-1252).
            0xCC | 0xEC | 0xDE | 0xD2 | 0xF2 => {
                if vowel(prev) {
                    vietnamese += 2;
                } else {
                    western += 1;
                }
            }
            // Đ đ (Ð ð in windows-1252, rare outside Icelandic).
            0xD0 | 0xF0 => vietnamese += 1,
            // Š š Ž ž exist only in windows-1252.
            0x8A | 0x9A | 0x8E | 0x9E => western += 2,
            _ => {}
        }
        prev = b;
    }
    if vietnamese > western { WINDOWS_1258 } else { WINDOWS_1252 }
}

/// Text has no NUL and few control characters.
fn looks_like_text(text: &str) -> bool {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars().take(1 << 20) {
        total += 1;
        if c == '\0' || (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{1A}')) {
            control += 1;
        }
    }
    control == 0 || control * 200 < total
}

/// The first line ending outside quotes: `\r` when it is a CR alone (old Mac files), else `\n`.
fn line_ending(text: &str) -> u8 {
    let mut in_quotes = false;
    let mut bytes = text.bytes().peekable();
    while let Some(b) = bytes.next() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => return b'\n',
            b'\r' if !in_quotes => return if bytes.peek() == Some(&b'\n') { b'\n' } else { b'\r' },
            _ => {}
        }
    }
    b'\n'
}

/// Excel's `sep=;` first line.
fn sep_line(text: &str) -> Option<u8> {
    let first = text.lines().next()?.trim_end_matches('\r');
    let rest = first.strip_prefix("sep=").or_else(|| first.strip_prefix("SEP="))?;
    match rest.as_bytes() {
        [d] if matches!(d, b',' | b';' | b'\t' | b'|') => Some(*d),
        _ => None,
    }
}

const CANDIDATES: [u8; 3] = [b',', b';', b'\t'];
const SNIFF_LINES: usize = 50;

/// The delimiter that splits the first lines most consistently (ties: comma, then semicolon).
fn sniff_delimiter(text: &str, complete: bool) -> u8 {
    let mut lines: Vec<[usize; 3]> = Vec::new();
    let mut current = [0usize; 3];
    let mut in_quotes = false;
    for b in text.bytes() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => {
                lines.push(current);
                current = [0; 3];
                if lines.len() >= SNIFF_LINES {
                    break;
                }
            }
            _ if !in_quotes => {
                if let Some(i) = CANDIDATES.iter().position(|d| *d == b) {
                    current[i] += 1;
                }
            }
            _ => {}
        }
    }
    if (complete || lines.is_empty()) && lines.len() < SNIFF_LINES && current != [0; 3] {
        lines.push(current);
    }
    lines.retain(|l| *l != [0; 3]);
    let mut best = (b',', (0usize, 0usize));
    for (i, d) in CANDIDATES.iter().enumerate() {
        let counts: Vec<usize> = lines.iter().map(|l| l[i]).filter(|n| *n > 0).collect();
        // The most frequent non-zero count (the larger one on a tie).
        let mode = counts.iter().map(|n| (counts.iter().filter(|m| *m == n).count(), *n)).max().map_or(0, |(_, n)| n);
        let consistent = lines.iter().filter(|l| mode > 0 && l[i] == mode).count();
        let score = (consistent, mode);
        if score > best.1 {
            best = (*d, score);
        }
    }
    best.0
}

// ---------------------------------------------------------------------------------------------
// Reading.

/// Bytes handed to the CSV parser, and where the current record started; shared between the
/// decoder (which enforces the row-size limit) and the row loop.
#[derive(Default)]
struct Progress {
    total: Shared<u64>,
    record_start: Shared<u64>,
    tripped: Shared<bool>,
    /// The input is exhausted.
    finished: Shared<bool>,
    /// The last byte handed over.
    last_byte: Shared<u8>,
}

const BUFFER: usize = 64 << 10;

/// Decodes any encoding to UTF-8 as it streams, and fails once the record being read is far
/// larger than [`limits::MAX_ROW_BYTES`].
struct DecodeReader<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    eof: bool,
    finished: bool,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    progress: Rc<Progress>,
}

impl<R: Read> DecodeReader<R> {
    fn new(inner: R, encoding: &'static Encoding, progress: Rc<Progress>) -> Self {
        DecodeReader {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            input: vec![0; BUFFER],
            in_start: 0,
            in_end: 0,
            eof: false,
            finished: false,
            output: vec![0; BUFFER * 3 + 16],
            out_start: 0,
            out_end: 0,
            progress,
        }
    }
}

impl<R: Read> Read for DecodeReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_start < self.out_end {
                let n = buf.len().min(self.out_end - self.out_start);
                buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
                self.out_start += n;
                let p = &self.progress;
                p.total.set(p.total.get() + n as u64);
                p.last_byte.set(buf[n - 1]);
                // The parser reads ahead by at most its buffer.
                if p.total.get() - p.record_start.get() > (limits::MAX_ROW_BYTES + 4 * BUFFER) as u64 {
                    p.tripped.set(true);
                    return Err(io::Error::new(io::ErrorKind::InvalidData, "row too long"));
                }
                return Ok(n);
            }
            if self.finished || buf.is_empty() {
                self.progress.finished.set(self.finished);
                return Ok(0);
            }
            if self.in_start == self.in_end && !self.eof {
                let n = match self.inner.read(&mut self.input) {
                    Ok(n) => n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                };
                self.in_start = 0;
                self.in_end = n;
                self.eof = n == 0;
            }
            let (result, read, written, _) =
                self.decoder.decode_to_utf8(&self.input[self.in_start..self.in_end], &mut self.output, self.eof);
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
            if self.eof && result == CoderResult::InputEmpty && self.in_start == self.in_end {
                self.finished = true;
            }
        }
    }
}

/// Stream the rows of a CSV file into the sink.
pub(crate) fn read(path: &Path, facts: &CsvFacts, sink: &mut Sink) -> Result<(), Halt> {
    sink.meta(Meta {
        sheet_name: None,
        sheet_names: Vec::new(),
        date_1904: false,
        encoding: Some(facts.encoding.name()),
        delimiter: Some(char::from(facts.delimiter)),
    })?;
    let mut file = BufReader::with_capacity(BUFFER, File::open(path).map_err(crate::Error::from)?);
    io::copy(&mut (&mut file).take(facts.bom_len as u64), &mut io::sink()).map_err(crate::Error::from)?;
    let progress = Rc::new(Progress::default());
    let decoder = DecodeReader::new(file, facts.encoding, Rc::clone(&progress));
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(facts.delimiter)
        // One byte ends a record, so a record's line is where it starts (with CRLF, csv
        // would start the next record on the `\n` of the previous line).
        .terminator(csv::Terminator::Any(facts.terminator))
        .buffer_capacity(BUFFER)
        .from_reader(decoder);

    let mut record = csv::ByteRecord::new();
    // Lines taken by line breaks inside quoted fields (and the `sep=` line) so far.
    let mut extra_lines: u64 = 0;
    // The last row number handed out.
    let mut last: u64 = 0;
    let mut skip_first = facts.sep_line;
    loop {
        progress.record_start.set(progress.total.get());
        match csv.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return Ok(()),
            Err(e) if progress.tripped.get() => {
                let _ = e;
                return Err(
                    too_large(format!("row {} is longer than {} MiB", last + 1, limits::MAX_ROW_BYTES >> 20)).into()
                );
            }
            Err(e) => return Err(damaged(format!("the file could not be read as CSV after row {last}: {e}")).into()),
        }
        let inside = memchr::memchr_iter(b'\n', record.as_slice()).count() as u64;
        let number = if facts.terminator == b'\n' {
            // The record's first line, from where the parser stands: just past the record's
            // `\n` (csv skips empty lines before a record, so its start position may be
            // earlier than the record).
            let position = csv.position();
            let unterminated =
                progress.finished.get() && position.byte() == progress.total.get() && progress.last_byte.get() != b'\n';
            let after = position.line() + u64::from(unterminated);
            after.saturating_sub(1 + inside).saturating_sub(extra_lines).max(last + 1)
        } else {
            last + 1
        };
        extra_lines += inside;
        if skip_first {
            skip_first = false;
            extra_lines += 1;
            continue;
        }
        last = number;
        let number = u32::try_from(number).map_err(|_| too_large("the file has more rows than can be numbered"))?;
        if record.len() > limits::MAX_COLUMNS as usize {
            return Err(too_large(format!(
                "row {number} has {} columns; at most {} can be imported",
                record.len(),
                limits::MAX_COLUMNS
            ))
            .into());
        }
        let last_field = record.len().saturating_sub(1);
        let cells = record
            .iter()
            .enumerate()
            .map(|(i, f)| {
                // The CR of a CRLF line ending.
                let f = if i == last_field { f.strip_suffix(b"\r").unwrap_or(f) } else { f };
                if f.is_empty() { Cell::Empty } else { Cell::Text(String::from_utf8_lossy(f).into_owned()) }
            })
            .collect();
        sink.row(number, cells)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Vietnamese as windows-1258 stores it: vowels with circumflex, breve or horn are
    /// precomposed, tone marks are combining characters.
    pub(crate) fn to_cp1258(s: &str) -> Vec<u8> {
        use unicode_normalization::UnicodeNormalization;
        let mut chars: Vec<char> = Vec::new();
        for c in s.nfd() {
            // A vowel modifier (circumflex, breve, horn) joins its base letter, even after a
            // dot below (which sorts first in NFD).
            let modifier = matches!(c, '\u{302}' | '\u{306}' | '\u{31B}');
            let base = chars.iter().rposition(|p| !unicode_normalization::char::is_combining_mark(*p));
            match base.filter(|_| modifier).and_then(|i| Some((i, unicode_normalization::char::compose(chars[i], c)?)))
            {
                Some((i, composed)) => chars[i] = composed,
                None => chars.push(c),
            }
        }
        let text: String = chars.into_iter().collect();
        let (bytes, _, unmappable) = WINDOWS_1258.encode(&text);
        assert!(!unmappable, "{s}");
        bytes.into_owned()
    }

    fn decode_all(bytes: &[u8], encoding: &'static Encoding) -> String {
        let mut out = String::new();
        let mut reader = DecodeReader::new(bytes, encoding, Rc::new(Progress::default()));
        reader.read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn encodings() {
        let utf8 = "Tên,SĐT\nNguyễn Văn An,0912345678\n";
        let facts = sniff(utf8.as_bytes(), true).unwrap();
        assert_eq!((facts.encoding, facts.bom_len), (UTF_8, 0));
        let bom = [b"\xEF\xBB\xBF".as_slice(), utf8.as_bytes()].concat();
        assert_eq!(sniff(&bom, true).unwrap().bom_len, 3);

        let mut le = vec![0xFF, 0xFE];
        le.extend(utf8.encode_utf16().flat_map(u16::to_le_bytes));
        let facts = sniff(&le, true).unwrap();
        assert_eq!((facts.encoding, facts.bom_len), (UTF_16LE, 2));
        assert_eq!(decode_all(&le[2..], UTF_16LE), utf8);

        let be: Vec<u8> = "Name;Phone\nAn;0912\n".encode_utf16().flat_map(u16::to_be_bytes).collect();
        let facts = sniff(&be, true).unwrap();
        assert_eq!((facts.encoding, facts.bom_len, facts.delimiter), (UTF_16BE, 0, b';'));

        // Vietnamese in windows-1258 (with combining tone marks) and French in windows-1252.
        let vi = to_cp1258("Tên,Địa chỉ\nNguyễn Văn Đức,Hà Nội\nTrần Thị Hồng,Đà Nẵng\n");
        let facts = sniff(&vi, true).unwrap();
        assert_eq!(facts.encoding, WINDOWS_1258);
        let text = decode_all(&vi, WINDOWS_1258);
        assert_eq!(
            crate::text::clean(&text),
            crate::text::clean("Tên,Địa chỉ\nNguyễn Văn Đức,Hà Nội\nTrần Thị Hồng,Đà Nẵng")
        );
        let (fr, _, _) = WINDOWS_1252.encode("Nom;Ville\nFrançois Müller;Besançon\nJosé Šimůnek;Škoda\n");
        assert_eq!(sniff(&fr, true).unwrap().encoding, WINDOWS_1252);

        // A UTF-8 sample cut in the middle of a character is still UTF-8.
        assert_eq!(sniff(&"Nguyễn".as_bytes()[..6], false).unwrap().encoding, UTF_8);
    }

    #[test]
    fn binary_is_not_text() {
        let random: Vec<u8> = (0..10_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        assert!(sniff(&random, true).is_none());
        assert!(sniff(b"\x01\x02\x03\x04\x05 binary \x06\x07\x08", true).is_none());
    }

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n", true), b',');
        assert_eq!(sniff_delimiter("a;b;c\n1;\"2,5\";3\n4;5, 6;7\n", true), b';');
        assert_eq!(sniff_delimiter("a\tb\tc\n1\t2,5\t3\n", true), b'\t');
        assert_eq!(sniff_delimiter("name\nAn\n", true), b',');
        assert_eq!(sniff_delimiter("\"x;y\",b\n\"1;2\",3\n", true), b',');
        assert_eq!(sep_line("sep=;\na;b\n"), Some(b';'));
        assert_eq!(sep_line("a;b\n"), None);
        assert_eq!(line_ending("a,b\r\nc,d\r\n"), b'\n');
        assert_eq!(line_ending("a,b\nc,d"), b'\n');
        assert_eq!(line_ending("a,\"b\nc\"\rd,e\r"), b'\r');
        assert_eq!(line_ending("a,b"), b'\n');
    }

    #[test]
    fn decoder_handles_tiny_reads() {
        let text = "Đặng Thị Ánh,0912\n".repeat(10_000);
        let bytes = to_cp1258(&text);
        let mut reader = DecodeReader::new(&bytes[..], WINDOWS_1258, Rc::new(Progress::default()));
        let mut out = Vec::new();
        let mut buf = [0u8; 7];
        loop {
            let n = reader.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        let out = String::from_utf8(out).unwrap();
        assert!(crate::text::clean(&out) == crate::text::clean(&text), "decoded text differs");
    }
}
