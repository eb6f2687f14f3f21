//! Validation and normalisation of a `CustomerInput` into a `Draft` ready to store, plus the
//! derived columns (sort key, search text, phone digits, duplicate keys).

use chrono::{NaiveDate, Utc};

use super::types::{Contact, CustomerInput, CustomerKind, Gender, LegalEntity, ProductUse};
use crate::error::{Error, FieldError, Result};
use crate::text;

const MAX_NAME: usize = 1_000;
const MAX_CODE: usize = 40;
/// Free text a spreadsheet cell can hold (Excel's limit): addresses, websites, notes.
const MAX_SHORT: usize = 32_767;
const MAX_NOTES: usize = 32_767;
const MAX_LIST: usize = 20;

/// A validated, normalised customer (without its code when the code is to be generated).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Draft {
    pub code: Option<String>,
    pub kind: CustomerKind,
    pub name: String,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub address: Option<String>,
    pub tax_code: Option<String>,
    pub website: Option<String>,
    pub birthday: Option<NaiveDate>,
    pub founded_on: Option<NaiveDate>,
    pub gender: Option<Gender>,
    pub notes: Option<String>,
    pub owner_id: Option<i64>,
    pub segment_id: Option<i64>,
    pub level_id: Option<i64>,
    pub group_ids: Vec<i64>,
    pub status_id: Option<i64>,
    pub channel_id: Option<i64>,
    pub service_manager_id: Option<i64>,
    pub email_consent: bool,
    pub products: Vec<ProductUse>,
    pub invoice_type_ids: Vec<i64>,
    pub legal_entities: Vec<LegalEntity>,
    pub contacts: Vec<Contact>,
    pub referrer_customer_id: Option<i64>,
    pub referrer_supplier: Option<String>,
    pub photo: Option<String>,
}

impl Draft {
    pub fn name_key(&self) -> String {
        text::fold(&self.name)
    }

    pub fn phone_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.phones.iter().filter_map(|p| text::phone_key(p)).collect();
        keys.dedup();
        keys
    }

    /// Folded name, code, phones (as written and as keys), e-mails and tax code, as the
    /// search tokens joined by single spaces: what FTS5 indexes is exactly what the
    /// row-by-row check (`' ' || search_text LIKE '% token%'`) sees.
    pub fn search_text(&self, code: &str) -> String {
        let mut out = String::with_capacity(128);
        push_folded_tokens(&mut out, &self.name);
        push_folded_tokens(&mut out, code);
        let keys = self.phone_keys();
        for p in &self.phones {
            push_folded_tokens(&mut out, p);
        }
        for k in &keys {
            push_folded_tokens(&mut out, k);
        }
        for e in &self.emails {
            push_folded_tokens(&mut out, e);
        }
        if let Some(t) = &self.tax_code {
            push_folded_tokens(&mut out, t);
        }
        for c in &self.contacts {
            push_folded_tokens(&mut out, &c.name);
        }
        out
    }

    /// Lookup keys for exact matches and duplicate checks: `(kind, key)`, sorted, unique.
    /// The name + address key is written only while that duplicate rule is on (`with_name_address`).
    pub fn lookup_keys(&self, with_name_address: bool) -> Vec<(&'static str, String)> {
        let mut keys: Vec<(&'static str, String)> = Vec::new();
        keys.extend(self.phone_keys().into_iter().map(|k| ("phone", k)));
        keys.extend(self.emails.iter().map(|e| ("email", email_key(e))));
        if let Some(t) = &self.tax_code {
            keys.push(("tax_code", text::digits(t)));
        }
        if with_name_address
            && let Some(a) = &self.address
            && let Some(k) = crate::duplicates::name_address_key(&self.name, a)
        {
            keys.push(("name_address", k));
        }
        keys.retain(|(_, k)| !k.is_empty());
        keys.sort();
        keys.dedup();
        keys
    }

    /// Phone keys, space separated, for the trigram digits index.
    pub fn phone_digits(&self) -> String {
        self.phone_keys().join(" ")
    }
}

/// `text::clean`, without its work for text that is clean already (NFC, single spaces between
/// words, no other whitespace): most cells and every demo value.
fn clean(s: &str) -> String {
    if is_clean(s) { s.to_owned() } else { text::clean(s) }
}

/// Whether `text::clean(s) == s`.
fn is_clean(s: &str) -> bool {
    let b = s.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') || s.contains("  ") {
        return false;
    }
    if s.is_ascii() {
        return !b.iter().any(|c| matches!(c, b'\t' | b'\n' | 0x0b | 0x0c | b'\r'));
    }
    !s.chars().any(|c| (c.is_whitespace() && c != ' ') || c == '\u{feff}' || c == '\u{200b}')
        && unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes
}

/// `text::clean_multiline`: on a single line, `clean`.
fn clean_multiline(s: &str) -> String {
    if s.contains(['\n', '\r']) { text::clean_multiline(s) } else { clean(s) }
}

/// `text::email_key`, without its work for a clean ASCII address.
fn email_key(s: &str) -> String {
    if s.is_ascii() && is_clean(s) { s.to_ascii_lowercase() } else { text::email_key(s) }
}

/// Append the search tokens of `text::fold(s)` to `out`, space separated: `text::tokens` of the
/// folded text. ASCII text folds to its lowercase, whose tokens are its runs of letters and digits.
fn push_folded_tokens(out: &mut String, s: &str) {
    if s.is_ascii() {
        let mut in_token = false;
        for c in s.bytes() {
            if c.is_ascii_alphanumeric() {
                if !in_token && !out.is_empty() {
                    out.push(' ');
                }
                in_token = true;
                out.push(char::from(c.to_ascii_lowercase()));
            } else {
                in_token = false;
            }
        }
        return;
    }
    let folded = text::fold(s);
    for token in text::tokens(&folded) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(token);
    }
}

fn opt_text(field: &str, v: Option<&str>, max: usize, errors: &mut Vec<FieldError>, multiline: bool) -> Option<String> {
    let cleaned = v.map(|s| if multiline { clean_multiline(s) } else { clean(s) }).filter(|s| !s.is_empty());
    if let Some(s) = &cleaned
        && s.chars().count() > max
    {
        errors.push(FieldError::new(field, "too_long"));
    }
    cleaned
}

/// Validate and normalise. Every problem is reported at once, each on its field
/// (`phones.1`, `emails.0` for list items, indexed as submitted).
pub(crate) fn normalize(input: &CustomerInput) -> Result<Draft> {
    let mut errors = Vec::new();

    let name = clean(&input.name);
    if name.is_empty() {
        errors.push(FieldError::new("name", "required"));
    } else if name.chars().count() > MAX_NAME {
        errors.push(FieldError::new("name", "too_long"));
    }

    let code = input.code.as_deref().map(text::clean).filter(|c| !c.is_empty());
    if let Some(c) = &code {
        if c.chars().count() > MAX_CODE {
            errors.push(FieldError::new("code", "too_long"));
        } else if !c.chars().all(|ch| ch.is_alphanumeric() || matches!(ch, '-' | '_' | '.' | '/')) {
            errors.push(FieldError::new("code", "invalid").with_value(c.clone()));
        }
    }

    let mut phones: Vec<String> = Vec::new();
    let mut seen_phone_keys: Vec<String> = Vec::new();
    for (i, raw) in input.phones.iter().enumerate() {
        let p = clean(raw);
        if p.is_empty() {
            continue;
        }
        if !text::is_valid_phone(&p) {
            errors.push(FieldError::new(format!("phones.{i}"), "invalid_phone").with_value(p));
            continue;
        }
        let key = text::phone_key(&p).unwrap_or_default();
        if !seen_phone_keys.contains(&key) {
            seen_phone_keys.push(key);
            phones.push(p);
        }
    }

    let mut emails: Vec<String> = Vec::new();
    for (i, raw) in input.emails.iter().enumerate() {
        let e = email_key(raw);
        if e.is_empty() {
            continue;
        }
        if !text::is_valid_email(&e) {
            errors.push(FieldError::new(format!("emails.{i}"), "invalid_email").with_value(e));
            continue;
        }
        if !emails.contains(&e) {
            emails.push(e);
        }
    }
    if phones.len() > MAX_LIST {
        errors.push(FieldError::new("phones", "too_long"));
    }
    if emails.len() > MAX_LIST {
        errors.push(FieldError::new("emails", "too_long"));
    }

    let address = opt_text("address", input.address.as_deref(), MAX_SHORT, &mut errors, true);
    let tax_code = opt_text("tax_code", input.tax_code.as_deref(), 50, &mut errors, false);
    if let Some(t) = &tax_code
        && !t.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | ' ' | '.'))
    {
        errors.push(FieldError::new("tax_code", "invalid").with_value(t.clone()));
    }
    let website = opt_text("website", input.website.as_deref(), MAX_SHORT, &mut errors, false);
    if let Some(w) = &website
        && (w.contains(char::is_whitespace) || !w.contains('.'))
    {
        errors.push(FieldError::new("website", "invalid").with_value(w.clone()));
    }
    let notes = opt_text("notes", input.notes.as_deref(), MAX_NOTES, &mut errors, true);

    let today = Utc::now().date_naive();
    let check_date = |field: &str, d: Option<NaiveDate>, errors: &mut Vec<FieldError>| {
        if let Some(d) = d
            && (d > today || d < NaiveDate::from_ymd_opt(1800, 1, 1).unwrap_or(NaiveDate::MIN))
        {
            errors.push(FieldError::new(field, "invalid").with_value(d.to_string()));
        }
    };
    check_date("birthday", input.birthday, &mut errors);
    check_date("founded_on", input.founded_on, &mut errors);
    match input.kind {
        CustomerKind::Individual => {
            if input.founded_on.is_some() {
                errors.push(FieldError::new("founded_on", "not_allowed"));
            }
        }
        CustomerKind::Business => {
            if input.birthday.is_some() {
                errors.push(FieldError::new("birthday", "not_allowed"));
            }
            if input.gender.is_some() {
                errors.push(FieldError::new("gender", "not_allowed"));
            }
        }
    }

    let mut group_ids = input.group_ids.clone();
    group_ids.sort_unstable();
    group_ids.dedup();
    let mut invoice_type_ids = input.invoice_type_ids.clone();
    invoice_type_ids.sort_unstable();
    invoice_type_ids.dedup();
    let mut products: Vec<ProductUse> = Vec::new();
    for (i, p) in input.products.iter().enumerate() {
        if products.iter().any(|q| q.product_id == p.product_id) {
            continue;
        }
        if let Some(since) = p.since
            && since > today
        {
            errors.push(FieldError::new(format!("products.{i}.since"), "invalid").with_value(since.to_string()));
        }
        products.push(p.clone());
    }
    products.sort_by_key(|p| p.product_id);

    let mut legal_entities = Vec::new();
    for (i, e) in input.legal_entities.iter().enumerate() {
        let name = clean(&e.name);
        let tax_code = opt_text(&format!("legal_entities.{i}.tax_code"), e.tax_code.as_deref(), 50, &mut errors, false);
        let address =
            opt_text(&format!("legal_entities.{i}.address"), e.address.as_deref(), MAX_SHORT, &mut errors, true);
        if name.is_empty() {
            if tax_code.is_none() && address.is_none() {
                continue; // an empty row of the form
            }
            errors.push(FieldError::new(format!("legal_entities.{i}.name"), "required"));
        } else if name.chars().count() > MAX_NAME {
            errors.push(FieldError::new(format!("legal_entities.{i}.name"), "too_long"));
        }
        legal_entities.push(LegalEntity { name, tax_code, address });
    }
    if legal_entities.len() > MAX_LIST {
        errors.push(FieldError::new("legal_entities", "too_long"));
    }

    let mut contacts = Vec::new();
    for (i, c) in input.contacts.iter().enumerate() {
        let name = clean(&c.name);
        let f = |k: &str| format!("contacts.{i}.{k}");
        let mut phones = Vec::new();
        for (j, raw) in c.phones.iter().enumerate() {
            let p = clean(raw);
            if p.is_empty() {
                continue;
            }
            if !text::is_valid_phone(&p) {
                errors.push(FieldError::new(format!("contacts.{i}.phones.{j}"), "invalid_phone").with_value(p));
            } else if !phones.contains(&p) {
                phones.push(p);
            }
        }
        let mut emails = Vec::new();
        for (j, raw) in c.emails.iter().enumerate() {
            let e = email_key(raw);
            if e.is_empty() {
                continue;
            }
            if !text::is_valid_email(&e) {
                errors.push(FieldError::new(format!("contacts.{i}.emails.{j}"), "invalid_email").with_value(e));
            } else if !emails.contains(&e) {
                emails.push(e);
            }
        }
        let notes = opt_text(&f("notes"), c.notes.as_deref(), MAX_NOTES, &mut errors, true);
        if name.is_empty() {
            if phones.is_empty() && emails.is_empty() && notes.is_none() && c.position_id.is_none() {
                continue; // an empty row of the form
            }
            errors.push(FieldError::new(f("name"), "required"));
        } else if name.chars().count() > MAX_NAME {
            errors.push(FieldError::new(f("name"), "too_long"));
        }
        contacts.push(Contact {
            id: c.id,
            name,
            position_id: c.position_id,
            phones,
            emails,
            primary: c.primary,
            notes,
        });
    }
    if !contacts.is_empty() && input.kind == CustomerKind::Individual {
        errors.push(FieldError::new("contacts", "not_allowed"));
    }
    if contacts.len() > 200 {
        errors.push(FieldError::new("contacts", "too_long"));
    }
    // One primary contact at most; the first one when none is marked.
    let mut seen_primary = false;
    for c in &mut contacts {
        c.primary = c.primary && !seen_primary;
        seen_primary |= c.primary;
    }
    if !seen_primary && let Some(first) = contacts.first_mut() {
        first.primary = true;
    }
    let referrer_supplier =
        opt_text("referrer_supplier", input.referrer_supplier.as_deref(), MAX_SHORT, &mut errors, false);
    let photo = input.photo.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned);
    if let Some(p) = &photo
        && !p.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        errors.push(FieldError::new("photo", "invalid").with_value(p.clone()));
    }

    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    Ok(Draft {
        code,
        kind: input.kind,
        name,
        phones,
        emails,
        address,
        tax_code,
        website,
        birthday: input.birthday,
        founded_on: input.founded_on,
        gender: input.gender,
        notes,
        owner_id: input.owner_id,
        segment_id: input.segment_id,
        level_id: input.level_id,
        group_ids,
        status_id: input.status_id,
        channel_id: input.channel_id,
        service_manager_id: input.service_manager_id,
        email_consent: input.email_consent,
        products,
        invoice_type_ids,
        legal_entities,
        contacts,
        referrer_customer_id: input.referrer_customer_id,
        referrer_supplier,
        photo,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str) -> CustomerInput {
        CustomerInput { name: name.into(), ..Default::default() }
    }

    #[test]
    fn name_required_and_all_errors_reported() {
        let mut i = input("   ");
        i.emails = vec!["ok@example.com".into(), "bad".into()];
        i.phones = vec!["abc".into()];
        let Err(Error::Validation(errs)) = normalize(&i) else { panic!("expected validation error") };
        let fields: Vec<_> = errs.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert!(fields.contains(&("name", "required")));
        assert!(fields.contains(&("emails.1", "invalid_email")));
        assert!(fields.contains(&("phones.0", "invalid_phone")));
    }

    #[test]
    fn normalises_and_dedupes() {
        let mut i = input(" Nguyễn  Văn An ");
        i.phones = vec!["0912 345 678".into(), "+84 912 345 678".into(), " ".into()];
        i.emails = vec![" An@Example.COM ".into(), "an@example.com".into()];
        let d = normalize(&i).unwrap();
        assert_eq!(d.name, "Nguyễn Văn An");
        assert_eq!(d.phones, vec!["0912 345 678"]);
        assert_eq!(d.emails, vec!["an@example.com"]);
        assert_eq!(d.phone_digits(), "0912345678");
        assert!(d.search_text("KH000001").starts_with("nguyen van an kh000001"));
    }

    /// The shortcuts give exactly what the `text` functions give.
    #[test]
    fn shortcuts_agree_with_text() {
        use unicode_normalization::UnicodeNormalization;
        let nfd: String = "Nguyễn Thị Ngọc Ánh".nfd().collect();
        let samples = [
            "",
            " ",
            "a",
            "Nguyễn Văn An",
            "Nguyễn  Văn An",
            " Nguyễn Văn An",
            "Nguyễn Văn An ",
            nfd.as_str(),
            "An.Nguyen@Gmail.COM",
            " an@example.com",
            "x@công-ty.vn",
            "0912 345 678",
            "+84 912-345-678",
            "(028) 3823-4567 ext 12",
            "a\tb",
            "a\u{a0}b",
            "a\u{feff}b",
            "a\u{200b}b",
            "a\u{2000}b",
            "a\u{3000}b",
            "line one\nline two",
            "line one\r\nline two\n",
            "\n\n",
            "ĐẶNG Đức",
            "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ",
            "ﬁne ligature",
            "Ω Å K",
            "e\u{301}",
            "x\u{1c}y",
            "Công ty TNHH MTV Xây dựng Minh Phát",
            "A.B. O'Brien-Smith & Co., Ltd",
        ];
        for s in samples {
            assert_eq!(clean(s), text::clean(s), "clean {s:?}");
            assert_eq!(clean_multiline(s), text::clean_multiline(s), "clean_multiline {s:?}");
            assert_eq!(email_key(s), text::email_key(s), "email_key {s:?}");
            let mut out = String::new();
            push_folded_tokens(&mut out, s);
            assert_eq!(out, text::tokens(&text::fold(s)).join(" "), "tokens {s:?}");
        }
        for c in crate::demo::customers(3_000, 5) {
            let d = normalize(&c).unwrap();
            let mut parts: Vec<String> = vec![text::fold(&d.name), text::fold("KH000001")];
            parts.extend(d.phones.iter().map(|p| text::fold(p)));
            parts.extend(d.phone_keys());
            parts.extend(d.emails.iter().map(|e| text::fold(e)));
            parts.extend(d.tax_code.iter().map(|t| text::fold(t)));
            let expected: Vec<&str> = parts.iter().flat_map(|p| text::tokens(p)).collect();
            assert_eq!(d.search_text("KH000001"), expected.join(" "));
            assert_eq!(d.name, text::clean(&c.name));
            let emails: Vec<String> = c.emails.iter().map(|e| text::email_key(e)).collect();
            assert_eq!(d.emails, emails);
            assert_eq!(d.address, c.address.as_deref().map(text::clean_multiline).filter(|a| !a.is_empty()));
        }
    }

    #[test]
    fn kind_specific_fields() {
        let mut i = input("ACME");
        i.kind = CustomerKind::Business;
        i.birthday = NaiveDate::from_ymd_opt(1990, 1, 1);
        assert!(matches!(normalize(&i), Err(Error::Validation(e)) if e[0].field == "birthday"));
    }
}
