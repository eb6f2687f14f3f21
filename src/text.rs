//! Text on the way in and keys for search and duplicates.
//!
//! - `clean`: NFC, trimmed (including NBSP), inner whitespace runs collapsed to one space.
//! - `fold`: for search and comparisons: lowercase, combining marks removed, `đ → d`, spaces collapsed.
//! - `phone_key` / `email_key`: canonical forms for exact lookups and duplicate checks.

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

/// NFC-normalise, trim (Unicode whitespace, NBSP included) and collapse inner whitespace.
pub fn clean(s: &str) -> String {
    let nfc: String = s.nfc().collect();
    let mut out = String::with_capacity(nfc.len());
    for word in nfc.split(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}') {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Like `clean` but keeps line breaks (for notes and addresses typed on several lines).
pub fn clean_multiline(s: &str) -> String {
    let lines: Vec<String> = s.lines().map(clean).collect();
    let joined = lines.join("\n");
    joined.trim_matches('\n').to_owned()
}

/// `clean`, and `None` when nothing is left.
pub fn clean_opt(s: Option<&str>) -> Option<String> {
    s.map(clean).filter(|v| !v.is_empty())
}

/// Fold for search and comparisons: "  Nguyễn   ĐỨC " → "nguyen duc".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match c {
            'đ' | 'Đ' | 'ð' | 'Ð' => out.push('d'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Split folded text into search tokens the way FTS5's unicode61 tokenizer does:
/// runs of letters and digits.
pub fn tokens(folded: &str) -> Vec<&str> {
    folded.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).collect()
}

/// Digits only.
pub fn digits(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_digit()).collect()
}

/// Canonical phone key: digits only; `84` + 9 digits becomes `0` + 9 digits; 9 digits starting
/// with 3, 5, 7, 8 or 9 (a Vietnamese mobile whose leading zero was lost in a spreadsheet)
/// gets its zero back. Other numbers keep their digits. `None` when there are no digits.
pub fn phone_key(s: &str) -> Option<String> {
    let mut d = digits(s);
    if d.is_empty() {
        return None;
    }
    if d.len() == 11 && d.starts_with("84") {
        d = format!("0{}", &d[2..]);
    } else if d.len() == 9 && matches!(d.as_bytes()[0], b'3' | b'5' | b'7' | b'8' | b'9') {
        d.insert(0, '0');
    }
    Some(d)
}

/// Canonical e-mail key: trimmed, lowercase.
pub fn email_key(s: &str) -> String {
    clean(s).to_lowercase()
}

/// A pragmatic e-mail check: one `@`, a non-empty local part, a dotted domain of sane characters,
/// no spaces.
pub fn is_valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    if local.is_empty() || domain.is_empty() || domain.contains('@') || s.len() > 254 {
        return false;
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return false;
    }
    if s.chars().any(|c| {
        c.is_whitespace() || c.is_control() || matches!(c, ',' | ';' | '<' | '>' | '(' | ')' | '[' | ']' | '"' | '\\')
    }) {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|tld| tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic))
}

/// A phone is acceptable when, once spaces, dots, dashes, brackets and a leading `+` are set
/// aside, it is 6 to 15 digits (an extension after `x`/`ext` is allowed).
pub fn is_valid_phone(s: &str) -> bool {
    let lower = s.to_lowercase();
    let cut = ["ext", "x", "#"].iter().filter_map(|m| lower.find(m)).min().unwrap_or(lower.len());
    let main = lower[..cut].trim();
    let ok_chars = main.char_indices().all(|(i, c)| {
        c.is_ascii_digit()
                || matches!(c, ' ' | '.' | '-' | '(' | ')' | '/')
                // one `+`, before any digit: "+84 …", "(+84) …"
                || (c == '+' && !main[..i].contains(|d: char| d.is_ascii_digit() || d == '+'))
    });
    let n = digits(main).len();
    ok_chars && (6..=15).contains(&n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_strips_marks_and_d() {
        assert_eq!(fold("  Nguyễn   ĐỨC "), "nguyen duc");
        assert_eq!(fold("Trần Đức Minh"), "tran duc minh");
        // NFD input folds the same way as NFC input.
        let nfd: String = "Nguyễn".nfd().collect();
        assert_eq!(fold(&nfd), "nguyen");
        assert_eq!(fold("ĐẶNG"), "dang");
    }

    #[test]
    fn clean_is_nfc_and_trimmed() {
        let nfd: String = "Lê Thị Hà".nfd().collect();
        assert_eq!(clean(&format!("\u{a0} {nfd}\t ")), "Lê Thị Hà");
        assert_eq!(clean("a   b"), "a b");
        assert_eq!(clean_opt(Some("   ")), None);
    }

    #[test]
    fn phone_keys() {
        for p in ["0912 345 678", "+84 912 345 678", "84912345678", "912345678", "0912.345.678", "(091) 234-5678"] {
            let k = phone_key(p);
            assert!(k.as_deref() == Some("0912345678") || p.starts_with('('), "{p} -> {k:?}");
        }
        assert_eq!(phone_key("028 3823 4567").as_deref(), Some("02838234567"));
        assert_eq!(phone_key("abc"), None);
    }

    #[test]
    fn emails() {
        assert!(is_valid_email("an.nguyen@gmail.com"));
        assert!(is_valid_email("x@công-ty.vn"));
        assert!(!is_valid_email("not-an-email"));
        assert!(!is_valid_email("a@b"));
        assert!(!is_valid_email("a b@c.com"));
        assert!(!is_valid_email("a@@c.com"));
        assert_eq!(email_key("  An.Nguyen@Gmail.COM "), "an.nguyen@gmail.com");
    }

    #[test]
    fn phones() {
        assert!(is_valid_phone("0912.345.678"));
        assert!(is_valid_phone("+84 912 345 678"));
        assert!(is_valid_phone("(028) 3823-4567 ext 12"));
        assert!(is_valid_phone("(+84) 912-345-678"));
        assert!(!is_valid_phone("09+12 345 678"));
        assert!(!is_valid_phone("hello"));
        assert!(!is_valid_phone("12"));
    }
}
