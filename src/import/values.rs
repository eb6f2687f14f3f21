//! Normalising one cell's value, each rule a pure function.
//!
//! | value | rule |
//! |---|---|
//! | text | [`text`]: NFC, trimmed (NBSP and tabs too), inner spaces collapsed ([`crate::text::clean`]); numbers without `.0` |
//! | codes, catalog names | [`key_text`]: as `text`, and `"3.0"` is `"3"` (numbers typed as text) |
//! | notes, addresses | [`multiline_text`]: as `text` line by line, line breaks kept |
//! | phone | [`phones`]: split on `,` `;` `/` and line breaks; key per [`crate::text::phone_key`] |
//! | e-mail | [`email`]: trimmed, lowercase; [`is_valid_email`]: `^[^@\s]+@[^@\s]+\.[^@\s]+$` |
//! | date | [`date`]: date cells, Excel serials (1900 or 1904 system), day-first text, ISO text, month names |
//! | boolean | [`boolean`]: true/yes/y/1/x/có, false/no/n/0/không/empty |
//! | kind | [`kind`]: individual/cá nhân/person…, business/doanh nghiệp/company/công ty… |
//! | gender | [`gender`]: male/nam/m, female/nữ/f, other/khác |
//!
//! Words are compared folded ([`crate::text::fold`]: lowercase, accents removed, `đ → d`).

use chrono::{Datelike, Days, NaiveDate};

use super::read::Cell;
use crate::customers::{CustomerKind, Gender};

/// Why a value could not be normalised; `code()` is the stable reason of a row error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueError {
    /// Not a date in a recognised form.
    BadDate(String),
    /// Not a yes/no value.
    BadBoolean(String),
    /// Neither individual nor business.
    BadKind(String),
    /// Not male, female or other.
    BadGender(String),
}

impl ValueError {
    /// `bad_date`, `bad_boolean`, `bad_kind`, `bad_gender`.
    pub fn code(&self) -> &'static str {
        match self {
            ValueError::BadDate(_) => "bad_date",
            ValueError::BadBoolean(_) => "bad_boolean",
            ValueError::BadKind(_) => "bad_kind",
            ValueError::BadGender(_) => "bad_gender",
        }
    }

    /// The offending value, as text.
    pub fn value(&self) -> &str {
        match self {
            ValueError::BadDate(v) | ValueError::BadBoolean(v) | ValueError::BadKind(v) | ValueError::BadGender(v) => v,
        }
    }
}

impl std::fmt::Display for ValueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {:?}", self.code(), self.value())
    }
}

impl std::error::Error for ValueError {}

// ---------------------------------------------------------------------------------------------
// Text.

/// A number as a spreadsheet user would type it: whole numbers without `.0` and never in
/// scientific notation (`4201234567.0` → `"4201234567"`, `912345678.0` → `"912345678"`);
/// other numbers with at most 15 significant digits, as Excel shows them (`0.1 + 0.2` → `"0.3"`).
pub fn number_to_text(n: f64) -> String {
    if !n.is_finite() {
        return n.to_string();
    }
    if n.fract() == 0.0 && n.abs() < 1e18 {
        return format!("{}", n as i64);
    }
    let magnitude = n.abs().log10().floor() as i32 + 1;
    let decimals = (15 - magnitude).clamp(0, 20) as usize;
    let s = format!("{n:.decimals$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { &s };
    if s == "-0" { "0".to_owned() } else { s.to_owned() }
}

/// The cell as clean one-line text ([`crate::text::clean`]); `None` when blank. Numbers as
/// [`number_to_text`], dates as `yyyy-mm-dd`, booleans as `TRUE`/`FALSE`, errors as their code.
pub fn text(cell: &Cell) -> Option<String> {
    let s = match cell {
        Cell::Text(t) => clean(t),
        other => clean(&other.to_text()),
    };
    (!s.is_empty()).then_some(s)
}

/// Like [`text`], but keeps line breaks (notes, addresses typed on several lines).
pub fn multiline_text(cell: &Cell) -> Option<String> {
    let s = match cell {
        Cell::Text(t) if !t.contains(['\n', '\r']) => clean(t),
        other => crate::text::clean_multiline(&other.to_text()),
    };
    (!s.is_empty()).then_some(s)
}

/// [`crate::text::clean`], without its work for text that is clean already (most cells): the
/// normalisation and the split into words cost more than the check.
pub(crate) fn clean(s: &str) -> String {
    if is_clean(s) { s.to_owned() } else { crate::text::clean(s) }
}

/// Whether `crate::text::clean(s) == s`: NFC, no whitespace but single spaces between words.
fn is_clean(s: &str) -> bool {
    let b = s.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') || s.contains("  ") {
        return false;
    }
    if s.is_ascii() {
        return !b.iter().any(|c| matches!(c, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0x1c..=0x1f));
    }
    !s.chars().any(|c| (c.is_whitespace() && c != ' ') || c == '\u{feff}' || c == '\u{200b}')
        && unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes
}

/// Like [`text`], and a whole number written with a zero fraction is the number:
/// `"3"`, `" 3"`, `"3.0"` and the number 3 are all `"3"`. For codes, tax codes and catalog
/// names (level, segment, …).
pub fn key_text(cell: &Cell) -> Option<String> {
    let s = text(cell)?;
    if let Some((whole, fraction)) = s.split_once('.') {
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if digits(whole) && digits(fraction) && fraction.bytes().all(|b| b == b'0') {
            return Some(whole.to_owned());
        }
    }
    Some(s)
}

// ---------------------------------------------------------------------------------------------
// Phones and e-mails.

/// One phone number of a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    /// As written, cleaned (`"+84 912 345 678"`).
    pub text: String,
    /// Canonical form for duplicates and lookups ([`phone_key`]); `None` without digits.
    pub key: Option<String>,
}

/// Canonical phone: digits only; `84` + 9 digits becomes `0` + 9 digits; 9 digits starting
/// with 3, 5, 7, 8 or 9 (a mobile whose leading zero a spreadsheet dropped) get it back.
/// (The same rule as [`crate::text::phone_key`], which it calls.)
pub fn phone_key(s: &str) -> Option<String> {
    crate::text::phone_key(s)
}

/// Split a phone cell into its numbers: separated by `,` `;` `/` or line breaks.
pub fn split_phones(s: &str) -> Vec<String> {
    s.split([',', ';', '/', '\n', '\r']).map(clean).filter(|p| !p.is_empty()).collect()
}

/// The phones of a cell (a number cell is one phone: `912345678` → key `0912345678`).
pub fn phones(cell: &Cell) -> Vec<Phone> {
    let raw = match cell {
        Cell::Number(n) => number_to_text(*n),
        other => other.to_text(),
    };
    split_phones(&raw)
        .into_iter()
        .map(|text| {
            let key = phone_key(&text);
            Phone { text, key }
        })
        .collect()
}

/// The e-mail of a cell: trimmed, lowercase; `None` when blank. Validity is separate
/// ([`is_valid_email`]): an invalid e-mail is a row error, not a missing value.
pub fn email(cell: &Cell) -> Option<String> {
    let s = crate::text::email_key(&cell.to_text());
    (!s.is_empty()).then_some(s)
}

/// The import contract's e-mail rule, `^[^@\s]+@[^@\s]+\.[^@\s]+$`: one `@`, no whitespace, a
/// dot after the `@` with something on both sides. (Looser than
/// [`crate::text::is_valid_email`], which the customer form applies.)
pub fn is_valid_email(s: &str) -> bool {
    if s.chars().any(char::is_whitespace) {
        return false;
    }
    let Some((local, domain)) = s.split_once('@') else { return false };
    if local.is_empty() || domain.contains('@') {
        return false;
    }
    // `[^@\s]+\.[^@\s]+`: some dot in the domain with characters before and after it.
    domain.char_indices().any(|(i, c)| c == '.' && i > 0 && i + 1 < domain.len())
}

// ---------------------------------------------------------------------------------------------
// Dates.

/// The last date Excel can show (serial 2958465).
const MAX_SERIAL: f64 = 2_958_465.0;

/// A date from an Excel serial number: days since 1899-12-30 (the 1900 system, with Excel's
/// phantom 1900-02-29 at serial 60) or since 1904-01-01 (the 1904 system). The time of day
/// (the fraction) is dropped. `None` out of Excel's range.
pub fn excel_serial_date(serial: f64, date_1904: bool) -> Option<NaiveDate> {
    if !serial.is_finite() || !(0.0..=MAX_SERIAL).contains(&serial) {
        return None;
    }
    let days = serial.floor() as u64;
    if date_1904 {
        return NaiveDate::from_ymd_opt(1904, 1, 1)?.checked_add_days(Days::new(days));
    }
    let epoch = match days {
        0 | 60 => return None, // 1900-01-00 and 1900-02-29 do not exist
        1..=59 => NaiveDate::from_ymd_opt(1899, 12, 31)?,
        _ => NaiveDate::from_ymd_opt(1899, 12, 30)?,
    };
    epoch.checked_add_days(Days::new(days))
}

/// The date of a cell; `Ok(None)` when blank. A date cell is its date; a number is an Excel
/// serial (see [`excel_serial_date`]); text per [`parse_date_text`].
pub fn date(cell: &Cell, date_1904: bool) -> Result<Option<NaiveDate>, ValueError> {
    match cell {
        c if c.is_blank() => Ok(None),
        Cell::Date(d) => Ok(Some(d.date())),
        Cell::Number(n) => {
            excel_serial_date(*n, date_1904).or_else(|| yyyymmdd(*n)).map(Some).ok_or_else(|| bad_date(cell))
        }
        Cell::Text(s) => parse_date_text(s, date_1904).map(Some).ok_or_else(|| bad_date(cell)),
        _ => Err(bad_date(cell)),
    }
}

fn bad_date(cell: &Cell) -> ValueError {
    ValueError::BadDate(cell.to_text())
}

/// `19900305` typed as a number.
fn yyyymmdd(n: f64) -> Option<NaiveDate> {
    if n.fract() != 0.0 || !(10_000_101.0..=99_991_231.0).contains(&n) {
        return None;
    }
    let n = n as u32;
    NaiveDate::from_ymd_opt((n / 10_000) as i32, n / 100 % 100, n % 100)
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// A month name or its abbreviation (`mar`, `March`, `sept`).
fn month_number(word: &str) -> Option<u32> {
    if word.len() < 3 {
        return None;
    }
    let word = word.to_ascii_lowercase();
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    MONTHS
        .iter()
        .zip(full)
        .position(|(abbr, full)| full.starts_with(&word) && word.starts_with(abbr))
        .map(|i| i as u32 + 1)
}

/// A date written as text, day first when ambiguous:
/// `dd/mm/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy`, `d/m/yyyy`, `yyyy-mm-dd`, `yyyy/mm/dd`,
/// `yyyy.mm.dd`, `05 Mar 1990`, `5 March 1990`, `5-Mar-1990`, `Mar 5, 1990`,
/// `ngày 5 tháng 3 năm 1990`, `yyyymmdd`, an Excel serial as text (`32937`, at least 10000, so a
/// bare year is not taken for one), and any of these
/// followed by a time (`1990-03-05T00:00:00`, `05/03/1990 10:30`). Years have four digits.
pub fn parse_date_text(s: &str, date_1904: bool) -> Option<NaiveDate> {
    let folded = crate::text::fold(s);
    let mut s = folded.trim();
    // A time after the date: cut at the `T` or space before it.
    let time_starts = |&(i, c): &(usize, char)| {
        (c == ' ' || c == 't') && s[..i].chars().last().is_some_and(|p| p.is_ascii_digit()) && s[i..].contains(':')
    };
    if let Some((cut, _)) = s.char_indices().find(time_starts) {
        s = s[..cut].trim();
    }
    // A number alone: `yyyymmdd`, or an Excel serial of a plausible date (1927–9999; a bare
    // year such as `1990` is not a date).
    if s.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && let Ok(n) = s.parse::<f64>()
    {
        if s.len() == 8 && !s.contains('.') {
            return yyyymmdd(n);
        }
        return if n >= 10_000.0 { excel_serial_date(n, date_1904) } else { None };
    }
    let tokens: Vec<&str> = s
        .split([' ', '/', '-', '.', ','])
        .filter(|t| !t.is_empty() && !matches!(*t, "ngay" | "thang" | "nam"))
        .collect();
    let number = |t: &str| -> Option<u32> {
        (t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.parse().ok()).flatten()
    };
    let year = |t: &str| (t.len() == 4).then(|| number(t)).flatten().map(|y| y as i32);
    let ymd = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d);
    let parsed: Option<NaiveDate> = match tokens.as_slice() {
        [a, b, c] => {
            if let (Some(y), Some(m), Some(d)) = (year(a), number(b), number(c)) {
                return ymd(y, m, d);
            }
            if let (Some(d), Some(m), Some(y)) = (number(a), number(b), year(c)) {
                return ymd(y, m, d);
            }
            if let (Some(d), Some(m), Some(y)) = (number(a), month_number(b), year(c)) {
                return ymd(y, m, d);
            }
            if let (Some(m), Some(d), Some(y)) = (month_number(a), number(b), year(c)) {
                return ymd(y, m, d);
            }
            None
        }
        _ => None,
    };
    parsed.filter(|d| d.year() >= 1000)
}

// ---------------------------------------------------------------------------------------------
// Words: booleans, kind, gender.

/// The cell's text folded for comparing words (`" Có "` → `"co"`).
fn word(cell: &Cell) -> String {
    crate::text::fold(&cell.to_text()).trim().to_owned()
}

/// Yes or no. True: `true` `yes` `y` `1` `x` `có` `co` `✓`; false: `false` `no` `n` `0` `không`
/// `khong` and a blank cell (case and accents ignored); boolean and number cells as they are.
pub fn boolean(cell: &Cell) -> Result<bool, ValueError> {
    match cell {
        Cell::Bool(b) => return Ok(*b),
        Cell::Number(n) if *n == 1.0 => return Ok(true),
        Cell::Number(n) if *n == 0.0 => return Ok(false),
        c if c.is_blank() => return Ok(false),
        _ => {}
    }
    match word(cell).as_str() {
        "true" | "yes" | "y" | "1" | "x" | "co" | "✓" | "✔" => Ok(true),
        "false" | "no" | "n" | "0" | "khong" | "" => Ok(false),
        _ => Err(ValueError::BadBoolean(cell.to_text())),
    }
}

/// Individual or business; `Ok(None)` when blank (the caller picks the default).
/// Individual: `individual` `cá nhân` `person` `personal`; business: `business`
/// `doanh nghiệp` `company` `công ty` `organisation` `organization` `tổ chức` `corporate`.
pub fn kind(cell: &Cell) -> Result<Option<CustomerKind>, ValueError> {
    if cell.is_blank() {
        return Ok(None);
    }
    match word(cell).as_str() {
        "individual" | "ca nhan" | "person" | "personal" => Ok(Some(CustomerKind::Individual)),
        "business" | "doanh nghiep" | "company" | "cong ty" | "organisation" | "organization" | "to chuc"
        | "corporate" => Ok(Some(CustomerKind::Business)),
        _ => Err(ValueError::BadKind(cell.to_text())),
    }
}

/// Male, female or other; `Ok(None)` when blank. `male` `nam` `m`, `female` `nữ` `nu` `f`,
/// `other` `khác` `khac`.
pub fn gender(cell: &Cell) -> Result<Option<Gender>, ValueError> {
    if cell.is_blank() {
        return Ok(None);
    }
    match word(cell).as_str() {
        "male" | "nam" | "m" | "man" => Ok(Some(Gender::Male)),
        "female" | "nu" | "f" | "woman" => Ok(Some(Gender::Female)),
        "other" | "khac" => Ok(Some(Gender::Other)),
        _ => Err(ValueError::BadGender(cell.to_text())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDateTime;

    fn t(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn numbers_as_text() {
        assert_eq!(number_to_text(4201234567.0), "4201234567");
        assert_eq!(number_to_text(912345678.0), "912345678");
        assert_eq!(number_to_text(3.0), "3");
        assert_eq!(number_to_text(-0.0), "0");
        assert_eq!(number_to_text(1e16), "10000000000000000");
        assert_eq!(number_to_text(3.5), "3.5");
        assert_eq!(number_to_text(0.1 + 0.2), "0.3");
        assert_eq!(number_to_text(-2.25), "-2.25");
        assert_eq!(number_to_text(1234.5678), "1234.5678");
        assert_eq!(number_to_text(0.000125), "0.000125");
    }

    #[test]
    fn texts() {
        let nfd = "Nguye\u{302}\u{303}n"; // "Nguyễn" decomposed
        assert_eq!(text(&t(&format!("\u{a0} {nfd}\t "))).as_deref(), Some("Nguyễn"));
        assert_eq!(text(&t(" \t\u{a0}")), None);
        assert_eq!(text(&Cell::Empty), None);
        assert_eq!(text(&Cell::Number(4201234567.0)).as_deref(), Some("4201234567"));
        assert_eq!(multiline_text(&t("  12 Lê Lợi \n  Quận 1 ")).as_deref(), Some("12 Lê Lợi\nQuận 1"));
        for cell in [t("3"), t(" 3"), t("3.0"), t("3.00 "), Cell::Number(3.0)] {
            assert_eq!(key_text(&cell).as_deref(), Some("3"), "{cell:?}");
        }
        assert_eq!(key_text(&t("3.5")).as_deref(), Some("3.5"));
        assert_eq!(key_text(&t("0101234567")).as_deref(), Some("0101234567"));
        assert_eq!(key_text(&t("Gold")).as_deref(), Some("Gold"));
    }

    #[test]
    fn phone_rules() {
        let keys = |cell: Cell| phones(&cell).into_iter().map(|p| p.key.unwrap_or_default()).collect::<Vec<_>>();
        assert_eq!(keys(t("0912 345 678")), ["0912345678"]);
        assert_eq!(keys(t("+84 912 345 678")), ["0912345678"]);
        assert_eq!(keys(t("84912345678")), ["0912345678"]);
        assert_eq!(keys(Cell::Number(912345678.0)), ["0912345678"]);
        assert_eq!(keys(Cell::Number(84912345678.0)), ["0912345678"]);
        assert_eq!(keys(t("\u{a0}0962577694\u{a0}")), ["0962577694"]);
        assert_eq!(keys(t("+1 305-474-1599")), ["13054741599"]);
        assert_eq!(keys(t("028 3823 4567")), ["02838234567"]);
        assert_eq!(keys(t("0912345678, 0987654321")), ["0912345678", "0987654321"]);
        assert_eq!(keys(t("0912345678;0987654321 / 0901234567\n0934567890")).len(), 4);
        assert!(phones(&Cell::Empty).is_empty());
        let p = phones(&t(" (+84) 912-345-678 "));
        assert_eq!(p, [Phone { text: "(+84) 912-345-678".into(), key: Some("0912345678".into()) }]);
        assert_eq!(phones(&t("n/a"))[0].key, None);
    }

    #[test]
    fn emails() {
        assert_eq!(email(&t("  An.Nguyen@Gmail.COM ")).as_deref(), Some("an.nguyen@gmail.com"));
        assert_eq!(email(&t(" ")), None);
        for ok in ["a@b.co", "an.nguyen@gmail.com", "x@công-ty.vn", "a@b.c", "a+b@c.d.e"] {
            assert!(is_valid_email(ok), "{ok}");
        }
        for bad in ["", "not-an-email", "a@b", "a b@c.com", "a@@c.com", "@b.com", "a@.com", "a@b.", "a@b c.com"] {
            assert!(!is_valid_email(bad), "{bad}");
        }
    }

    #[test]
    fn serial_dates() {
        assert_eq!(excel_serial_date(32937.0, false), Some(d(1990, 3, 5)));
        assert_eq!(excel_serial_date(32937.75, false), Some(d(1990, 3, 5)));
        assert_eq!(excel_serial_date(61.0, false), Some(d(1900, 3, 1)));
        assert_eq!(excel_serial_date(1.0, false), Some(d(1900, 1, 1)));
        assert_eq!(excel_serial_date(60.0, false), None);
        assert_eq!(excel_serial_date(0.0, false), None);
        assert_eq!(excel_serial_date(-5.0, false), None);
        assert_eq!(excel_serial_date(2_958_465.0, false), Some(d(9999, 12, 31)));
        assert_eq!(excel_serial_date(3e6, false), None);
        assert_eq!(excel_serial_date(0.0, true), Some(d(1904, 1, 1)));
        assert_eq!(excel_serial_date(31475.0, true), Some(d(1990, 3, 5)));
    }

    #[test]
    fn text_dates() {
        let p = |s: &str| parse_date_text(s, false);
        for s in [
            "05/03/1990",
            "5/3/1990",
            "05-03-1990",
            "05.03.1990",
            "1990-03-05",
            "1990/03/05",
            "1990.3.5",
            "05 Mar 1990",
            "5 March 1990",
            "5-Mar-1990",
            "Mar 5, 1990",
            "March 5 1990",
            "ngày 5 tháng 3 năm 1990",
            "1990-03-05T00:00:00",
            "1990-03-05 10:30:00",
            "05/03/1990 10:30",
            "19900305",
            "32937",
            " 32937.0 ",
        ] {
            assert_eq!(p(s), Some(d(1990, 3, 5)), "{s}");
        }
        for s in ["31/02/1990", "05/03/90", "March 1990", "hôm qua", "1990", "13/13/2000", "2020-1-1-1", "5 Foo 1990"]
        {
            assert_eq!(p(s), None, "{s}");
        }
        assert_eq!(parse_date_text("31475", true), Some(d(1990, 3, 5)));
    }

    #[test]
    fn cell_dates() {
        let dt = NaiveDateTime::parse_from_str("1990-03-05 08:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(date(&Cell::Date(dt), false), Ok(Some(d(1990, 3, 5))));
        assert_eq!(date(&Cell::Number(32937.0), false), Ok(Some(d(1990, 3, 5))));
        assert_eq!(date(&Cell::Number(19900305.0), false), Ok(Some(d(1990, 3, 5))));
        assert_eq!(date(&t("05/03/1990"), false), Ok(Some(d(1990, 3, 5))));
        assert_eq!(date(&Cell::Empty, false), Ok(None));
        assert_eq!(date(&t("  "), false), Ok(None));
        let err = date(&t("soon"), false).unwrap_err();
        assert_eq!((err.code(), err.value()), ("bad_date", "soon"));
        assert_eq!(date(&Cell::Bool(true), false).unwrap_err().code(), "bad_date");
    }

    #[test]
    fn booleans() {
        for s in ["true", "TRUE", "Yes", "y", "1", "x", "X", "Có", "có", "co", " Có "] {
            assert_eq!(boolean(&t(s)), Ok(true), "{s}");
        }
        for s in ["false", "FALSE", "No", "n", "0", "Không", "khong", "", " "] {
            assert_eq!(boolean(&t(s)), Ok(false), "{s}");
        }
        assert_eq!(boolean(&Cell::Empty), Ok(false));
        assert_eq!(boolean(&Cell::Bool(true)), Ok(true));
        assert_eq!(boolean(&Cell::Number(1.0)), Ok(true));
        assert_eq!(boolean(&Cell::Number(0.0)), Ok(false));
        assert_eq!(boolean(&t("maybe")).unwrap_err().code(), "bad_boolean");
        assert_eq!(boolean(&Cell::Number(2.0)).unwrap_err().code(), "bad_boolean");
    }

    #[test]
    fn kinds() {
        for s in ["individual", "Individual", "cá nhân", "Cá Nhân", "ca nhan", "person", "Personal"] {
            assert_eq!(kind(&t(s)), Ok(Some(CustomerKind::Individual)), "{s}");
        }
        for s in [
            "business",
            "Doanh nghiệp",
            "doanh nghiep",
            "Company",
            "công ty",
            "Cong ty",
            "organisation",
            "Organization",
        ] {
            assert_eq!(kind(&t(s)), Ok(Some(CustomerKind::Business)), "{s}");
        }
        assert_eq!(kind(&t(" ")), Ok(None));
        assert_eq!(kind(&t("robot")).unwrap_err().code(), "bad_kind");
    }

    #[test]
    fn genders() {
        for (s, g) in [
            ("male", Gender::Male),
            ("Nam", Gender::Male),
            ("M", Gender::Male),
            ("female", Gender::Female),
            ("Nữ", Gender::Female),
            ("nu", Gender::Female),
            ("F", Gender::Female),
            ("other", Gender::Other),
            ("Khác", Gender::Other),
            ("khac", Gender::Other),
        ] {
            assert_eq!(gender(&t(s)), Ok(Some(g)), "{s}");
        }
        assert_eq!(gender(&Cell::Empty), Ok(None));
        assert_eq!(gender(&t("?")).unwrap_err().code(), "bad_gender");
    }
}
