//! Map a file's header texts to the fields they fill.
//!
//! Headers are compared by [`header_key`]: folded with [`crate::text::fold`] (lowercase,
//! accents removed, `đ → d`) and stripped of spaces, `_`, `-`, `.`, `*` and `:`, so
//! `" SĐT"`, `"sdt"`, `"E-mail"`, `"e mail"` and `"Tên khách hàng *"` all match their alias.
//! Each field has aliases in English and Vietnamese ([`aliases`]); an unknown header maps to
//! nothing and its column is ignored.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A field an import column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ImportField {
    CustomerCode,
    Name,
    /// Individual or business (`type` in files and in JSON).
    #[serde(rename = "type")]
    Kind,
    Phone,
    Email,
    Address,
    Segment,
    Level,
    Group,
    Status,
    AcquisitionChannel,
    Owner,
    TaxCode,
    Website,
    Birthday,
    FoundedDate,
    Notes,
    PromoEmailConsent,
    ContactName,
    ContactPhone,
    ContactEmail,
    ContactPosition,
    Gender,
    ServiceManager,
}

impl ImportField {
    /// Every field, in the order of a template's columns.
    pub const ALL: [ImportField; 24] = [
        ImportField::CustomerCode,
        ImportField::Name,
        ImportField::Kind,
        ImportField::Phone,
        ImportField::Email,
        ImportField::Address,
        ImportField::Segment,
        ImportField::Level,
        ImportField::Group,
        ImportField::Status,
        ImportField::AcquisitionChannel,
        ImportField::Owner,
        ImportField::TaxCode,
        ImportField::Website,
        ImportField::Birthday,
        ImportField::FoundedDate,
        ImportField::Notes,
        ImportField::PromoEmailConsent,
        ImportField::ContactName,
        ImportField::ContactPhone,
        ImportField::ContactEmail,
        ImportField::ContactPosition,
        ImportField::Gender,
        ImportField::ServiceManager,
    ];

    /// The stable name (as serialised): `customer_code`, `type`, `promo_email_consent`, …
    pub fn as_str(self) -> &'static str {
        match self {
            ImportField::CustomerCode => "customer_code",
            ImportField::Name => "name",
            ImportField::Kind => "type",
            ImportField::Phone => "phone",
            ImportField::Email => "email",
            ImportField::Address => "address",
            ImportField::Segment => "segment",
            ImportField::Level => "level",
            ImportField::Group => "group",
            ImportField::Status => "status",
            ImportField::AcquisitionChannel => "acquisition_channel",
            ImportField::Owner => "owner",
            ImportField::TaxCode => "tax_code",
            ImportField::Website => "website",
            ImportField::Birthday => "birthday",
            ImportField::FoundedDate => "founded_date",
            ImportField::Notes => "notes",
            ImportField::PromoEmailConsent => "promo_email_consent",
            ImportField::ContactName => "contact_name",
            ImportField::ContactPhone => "contact_phone",
            ImportField::ContactEmail => "contact_email",
            ImportField::ContactPosition => "contact_position",
            ImportField::Gender => "gender",
            ImportField::ServiceManager => "service_manager",
        }
    }

    /// The field with this stable name (`kind` is accepted for `type`).
    pub fn parse(s: &str) -> Option<Self> {
        if s == "kind" {
            return Some(ImportField::Kind);
        }
        ImportField::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

impl std::fmt::Display for ImportField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The header texts recognised for a field (besides its stable name), English then Vietnamese.
pub fn aliases(field: ImportField) -> &'static [&'static str] {
    use ImportField as F;
    match field {
        F::CustomerCode => &[
            "Customer Code",
            "Code",
            "Customer ID",
            "Customer No",
            "Customer Number",
            "Client Code",
            "Mã khách hàng",
            "Mã KH",
            "Mã",
            "Mã số khách hàng",
        ],
        F::Name => &[
            "Customer Name",
            "Full name",
            "Name",
            "Client Name",
            "Customer",
            "Company name",
            "Họ và tên",
            "Họ tên",
            "Tên khách hàng",
            "Tên KH",
            "Tên",
            "Khách hàng",
            "Tên công ty",
            "Tên doanh nghiệp",
        ],
        F::Kind => &["Customer Type", "Kind", "Customer kind", "Client type", "Loại khách hàng", "Loại KH", "Loại"],
        F::Phone => &[
            "Phone Number",
            "Phone",
            "Mobile",
            "Mobile phone",
            "Cell phone",
            "Tel",
            "Telephone",
            "Phone no",
            "Hotline",
            "Số điện thoại",
            "SĐT",
            "Số ĐT",
            "ĐT",
            "Điện thoại",
            "Di động",
            "Điện thoại di động",
            "SĐT khách hàng",
        ],
        F::Email => &["Email", "E-mail", "Email Address", "Mail", "Thư điện tử", "Địa chỉ email", "Email khách hàng"],
        F::Address => &["Address", "Street address", "Địa chỉ", "Địa chỉ liên hệ", "Địa chỉ khách hàng"],
        F::Segment => &["Segment", "Customer segment", "Phân khúc", "Phân khúc khách hàng"],
        F::Level => {
            &["Level", "Customer level", "Tier", "Rank", "Cấp độ", "Hạng", "Hạng khách hàng", "Cấp", "Xếp hạng"]
        }
        F::Group => &["Group", "Groups", "Customer group", "Nhóm khách hàng", "Nhóm KH", "Nhóm"],
        F::Status => &["Status", "Customer status", "Trạng thái", "Tình trạng"],
        F::AcquisitionChannel => &[
            "Acquisition Channel",
            "Source",
            "Channel",
            "Lead source",
            "Nguồn khách hàng",
            "Nguồn KH",
            "Nguồn",
            "Kênh",
            "Kênh tiếp cận",
        ],
        F::Owner => &[
            "Owner",
            "Account Manager",
            "Account owner",
            "Salesperson",
            "Sales rep",
            "Assigned to",
            "Người phụ trách",
            "NV phụ trách",
            "Nhân viên phụ trách",
            "Phụ trách",
            "Nhân viên kinh doanh",
            "NVKD",
        ],
        F::TaxCode => &["Tax Code", "Tax ID", "TIN", "VAT number", "VAT ID", "Mã số thuế", "MST", "Mã thuế"],
        F::Website => &["Website", "Web site", "Web", "URL", "Homepage", "Trang web", "Trang chủ"],
        F::Birthday => &["Date of Birth", "DOB", "Birthday", "Birth date", "Birthdate", "Ngày sinh", "Sinh nhật"],
        F::FoundedDate => {
            &["Founded Date", "Founded", "Founding date", "Date founded", "Established", "Ngày thành lập"]
        }
        F::Notes => &["Notes", "Note", "Remarks", "Comments", "Comment", "Description", "Ghi chú", "Mô tả"],
        F::PromoEmailConsent => &[
            "Email Opt-in",
            "Marketing Consent",
            "Opt-in",
            "Email consent",
            "Newsletter",
            "Marketing emails",
            "Đồng ý nhận email",
            "Đồng ý nhận email quảng cáo",
            "Nhận email quảng cáo",
        ],
        F::ContactName => &[
            "Contact Name",
            "Contact Person",
            "Contact",
            "Representative",
            "Người liên hệ",
            "Tên người liên hệ",
            "Người đại diện",
        ],
        F::ContactPhone => &[
            "Contact Phone",
            "Contact phone number",
            "Contact mobile",
            "SĐT người liên hệ",
            "Số điện thoại người liên hệ",
            "Điện thoại người liên hệ",
        ],
        F::ContactEmail => &["Contact Email", "Contact e-mail", "Email người liên hệ", "Thư điện tử người liên hệ"],
        F::ContactPosition => &[
            "Contact Title",
            "Position",
            "Contact position",
            "Job title",
            "Title",
            "Chức vụ người liên hệ",
            "Chức vụ",
            "Chức danh",
        ],
        F::Gender => &["Gender", "Sex", "Giới tính", "Phái"],
        F::ServiceManager => &[
            "Service Manager",
            "Customer care",
            "Account service manager",
            "Người chăm sóc",
            "NV chăm sóc",
            "Nhân viên chăm sóc",
            "Người quản lý dịch vụ",
            "Quản lý dịch vụ",
        ],
    }
}

/// The comparison key of a header: folded, without spaces, `_`, `-`, `.`, `*` or `:`.
pub fn header_key(header: &str) -> String {
    crate::text::fold(header)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '.' | '*' | ':' | '\u{feff}' | '\u{200b}'))
        .collect()
}

static BY_KEY: LazyLock<HashMap<String, ImportField>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    for field in ImportField::ALL {
        for alias in std::iter::once(&field.as_str()).chain(aliases(field)) {
            map.entry(header_key(alias)).or_insert(field);
        }
    }
    map
});

/// The field a header names, if any.
pub fn field_for_header(header: &str) -> Option<ImportField> {
    BY_KEY.get(&header_key(header)).copied()
}

/// The field of each header, by position; a field is mapped at most once (the first header
/// naming it wins, later ones map to `None`), unknown headers map to `None`.
pub fn auto_map(headers: &[String]) -> Vec<Option<ImportField>> {
    let mut used = Vec::new();
    headers
        .iter()
        .map(|header| {
            let field = field_for_header(header).filter(|f| !used.contains(f))?;
            used.push(field);
            Some(field)
        })
        .collect()
}

/// Identifies a header row (for remembering the mapping the user chose for files like it):
/// each header's [`header_key`], joined by `|`.
pub fn header_signature(headers: &[String]) -> String {
    headers.iter().map(|h| header_key(h)).collect::<Vec<_>>().join("|")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(headers: &[&str]) -> Vec<Option<ImportField>> {
        auto_map(&headers.iter().map(|h| h.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn aliases_are_unambiguous() {
        let mut seen: HashMap<String, ImportField> = HashMap::new();
        for field in ImportField::ALL {
            for alias in std::iter::once(&field.as_str()).chain(aliases(field)) {
                let key = header_key(alias);
                assert!(!key.is_empty(), "{alias}");
                if let Some(other) = seen.insert(key.clone(), field) {
                    assert_eq!(other, field, "alias {alias:?} ({key}) names two fields");
                }
            }
        }
    }

    #[test]
    fn folded_comparison() {
        use ImportField as F;
        for (header, field) in [
            (" SĐT", F::Phone),
            ("sdt", F::Phone),
            ("S.Đ.T", F::Phone),
            ("E-mail", F::Email),
            ("e mail", F::Email),
            ("EMAIL", F::Email),
            ("Tên khách hàng *", F::Name),
            ("TEN KHACH HANG", F::Name),
            ("loại khách hàng", F::Kind),
            ("customer_code", F::CustomerCode),
            ("Mã KH", F::CustomerCode),
            ("Điện thoại", F::Phone),
            ("Di động", F::Phone),
            ("Tel", F::Phone),
            ("Mobile phone", F::Phone),
            ("Giới tính", F::Gender),
            ("Ngày sinh", F::Birthday),
            ("Email Opt-in", F::PromoEmailConsent),
            (" SĐT người liên hệ", F::ContactPhone),
            ("Người phụ trách", F::Owner),
            ("Service manager", F::ServiceManager),
            ("type", F::Kind),
        ] {
            assert_eq!(field_for_header(header), Some(field), "{header:?}");
        }
        assert_eq!(field_for_header("Unnamed: 23"), None);
        assert_eq!(field_for_header(""), None);
    }

    #[test]
    fn first_header_wins() {
        use ImportField as F;
        assert_eq!(
            map(&["Tên", "SĐT", "Điện thoại", "Whatever", "Email"]),
            vec![Some(F::Name), Some(F::Phone), None, None, Some(F::Email)]
        );
    }

    #[test]
    fn signature_is_folded() {
        let a = header_signature(&["Tên khách hàng".into(), " SĐT".into(), "E-mail".into()]);
        let b = header_signature(&["TEN KHACH HANG".into(), "sdt".into(), "email".into()]);
        assert_eq!(a, b);
        assert_eq!(a, "tenkhachhang|sdt|email");
    }

    #[test]
    fn names_round_trip() {
        for field in ImportField::ALL {
            assert_eq!(ImportField::parse(field.as_str()), Some(field));
            let json = serde_json::to_string(&field).unwrap();
            assert_eq!(json, format!("\"{}\"", field.as_str()));
            assert_eq!(serde_json::from_str::<ImportField>(&json).unwrap(), field);
        }
        assert_eq!(ImportField::parse("kind"), Some(ImportField::Kind));
    }
}
