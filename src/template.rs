//! Import templates: an xlsx a user fills in and imports back.
//!
//! Three kinds ([`TemplateKind`]): individual customers, business customers (with the primary
//! contact's columns) and follow-up (care) records. Each workbook has:
//!
//! 1. the data sheet (first, so the importer reads it by default): a bold, frozen header row in
//!    the user's language, required columns marked with ` *` (the importer's header matching
//!    ignores the mark), one example row, sensible widths, text format on phone/code/tax-code
//!    columns (so Excel keeps leading zeros) and `dd/mm/yyyy` on date columns;
//! 2. an Instructions sheet ("Hướng dẫn") explaining each column and its accepted values;
//! 3. a hidden "Lists" sheet holding the drop-down values — kinds, genders, yes/no, and from the
//!    current catalogs segment, level, group, status, channel and position, and the active staff
//!    for owner, service manager and assignee — referenced by range from the data validation
//!    (so no list runs into Excel's 255-character limit on inline lists).
//!
//! Customer headers are [`crate::export::field_header`]s, so a filled template, an export and
//! a user's own file all map through the same aliases. The care columns are defined here
//! ([`CareField`]) until the care module exists; its importer should map headers with
//! [`CareField::for_header`].

use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, ExcelDateTime, Format, FormatBorder, Formula, Workbook, Worksheet,
    XlsxError,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::catalogs::{self, CatalogItem, CatalogKind};
use crate::customers::{CustomerKind, Gender};
use crate::error::{Error, Result};
use crate::export::{field_header, folder_of, gender_word, kind_word, persist, temp_beside, yes_no};
use crate::import::mapping::{ImportField, header_key};
use crate::settings::{self, FieldSettings, Language};
use crate::staff;
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TemplateKind {
    /// Individual customers (no founding date, no contact columns).
    Individual,
    /// Business customers, with the primary contact's columns (no birthday, no gender).
    Business,
    /// Follow-up records: done care activities on existing customers.
    Care,
}

impl TemplateKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateKind::Individual => "individual",
            TemplateKind::Business => "business",
            TemplateKind::Care => "care",
        }
    }

    /// Also accepts the CLI's `customers` for individuals.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "individual" | "individuals" | "customers" | "customer" => Some(TemplateKind::Individual),
            "business" | "businesses" => Some(TemplateKind::Business),
            "care" => Some(TemplateKind::Care),
            _ => None,
        }
    }

    /// The customer fields of the template's columns, in order (empty for care).
    pub fn fields(self) -> &'static [ImportField] {
        use ImportField as F;
        match self {
            TemplateKind::Individual => &[
                F::CustomerCode,
                F::Name,
                F::Kind,
                F::Phone,
                F::Email,
                F::Gender,
                F::Birthday,
                F::Address,
                F::Segment,
                F::Level,
                F::Group,
                F::Status,
                F::AcquisitionChannel,
                F::Owner,
                F::ServiceManager,
                F::TaxCode,
                F::Website,
                F::PromoEmailConsent,
                F::Notes,
            ],
            TemplateKind::Business => &[
                F::CustomerCode,
                F::Name,
                F::Kind,
                F::TaxCode,
                F::Phone,
                F::Email,
                F::Address,
                F::Website,
                F::FoundedDate,
                F::Segment,
                F::Level,
                F::Group,
                F::Status,
                F::AcquisitionChannel,
                F::Owner,
                F::ServiceManager,
                F::ContactName,
                F::ContactPhone,
                F::ContactEmail,
                F::ContactPosition,
                F::PromoEmailConsent,
                F::Notes,
            ],
            TemplateKind::Care => &[],
        }
    }

    /// Name of the data sheet.
    pub fn sheet_name(self, language: Language) -> &'static str {
        match (self, language) {
            (TemplateKind::Individual, Language::En) => "Customers",
            (TemplateKind::Individual, Language::Vi) => "Khách hàng",
            (TemplateKind::Business, Language::En) => "Business customers",
            (TemplateKind::Business, Language::Vi) => "Khách hàng doanh nghiệp",
            (TemplateKind::Care, Language::En) => "Care records",
            (TemplateKind::Care, Language::Vi) => "Lịch sử chăm sóc",
        }
    }
}

/// Name of the instructions sheet.
pub fn instructions_sheet_name(language: Language) -> &'static str {
    match language {
        Language::En => "Instructions",
        Language::Vi => "Hướng dẫn",
    }
}

/// Name of the hidden sheet holding the drop-down lists.
pub const LISTS_SHEET: &str = "Lists";

/// Mark appended to a required column's header.
pub const REQUIRED_MARK: &str = " *";

// ---------------------------------------------------------------------------------------------
// Care records.

/// A column of the follow-up (care) records template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CareField {
    /// The customer: its code, or one of its phone numbers or e-mail addresses.
    CustomerCode,
    /// call, meeting, visit, email or task.
    #[serde(rename = "type")]
    Kind,
    Title,
    DoneAt,
    Outcome,
    /// The staff member who did it, by name.
    Assignee,
}

impl CareField {
    pub const ALL: [CareField; 6] = [
        CareField::CustomerCode,
        CareField::Kind,
        CareField::Title,
        CareField::DoneAt,
        CareField::Outcome,
        CareField::Assignee,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CareField::CustomerCode => "customer_code",
            CareField::Kind => "type",
            CareField::Title => "title",
            CareField::DoneAt => "done_at",
            CareField::Outcome => "outcome",
            CareField::Assignee => "assignee",
        }
    }

    /// Header texts recognised for the field, English then Vietnamese; the first of each
    /// language is the template's header.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            CareField::CustomerCode => &["Customer Code", "Customer", "Code", "Mã khách hàng", "Mã KH", "Khách hàng"],
            CareField::Kind => &["Activity Type", "Type", "Activity", "Loại hoạt động", "Loại", "Hoạt động"],
            CareField::Title => &["Title", "Subject", "Tiêu đề", "Nội dung"],
            CareField::DoneAt => &["Done At", "Date", "Done on", "Completed at", "Ngày thực hiện", "Ngày", "Thời gian"],
            CareField::Outcome => &["Outcome", "Result", "Notes", "Kết quả", "Ghi chú"],
            CareField::Assignee => {
                &["Assignee", "Assigned to", "Staff", "Người thực hiện", "Nhân viên", "Người phụ trách"]
            }
        }
    }

    pub fn header(self, language: Language) -> &'static str {
        let aliases = self.aliases();
        match language {
            Language::En => aliases[0],
            // The first alias with a Vietnamese letter, else the first after the English ones.
            Language::Vi => match self {
                CareField::CustomerCode => "Mã khách hàng",
                CareField::Kind => "Loại hoạt động",
                CareField::Title => "Tiêu đề",
                CareField::DoneAt => "Ngày thực hiện",
                CareField::Outcome => "Kết quả",
                CareField::Assignee => "Người thực hiện",
            },
        }
    }

    /// The field a care file's header names (compared as the customer importer compares:
    /// [`header_key`], so case, accents, spaces and a trailing `*` do not matter).
    pub fn for_header(header: &str) -> Option<CareField> {
        let key = header_key(header);
        if key.is_empty() {
            return None;
        }
        CareField::ALL
            .into_iter()
            .find(|f| header_key(f.as_str()) == key || f.aliases().iter().any(|a| header_key(a) == key))
    }
}

/// Care activity types: the stored key and its words in English and Vietnamese.
pub const CARE_TYPES: [(&str, &str, &str); 5] = [
    ("call", "Call", "Gọi điện"),
    ("meeting", "Meeting", "Gặp mặt"),
    ("visit", "Visit", "Thăm khách hàng"),
    ("email", "Email", "E-mail"),
    ("task", "Task", "Công việc"),
];

/// The key (`call`, `meeting`, …) of a care type written in either language.
pub fn care_type_key(word: &str) -> Option<&'static str> {
    let folded = header_key(word);
    CARE_TYPES
        .iter()
        .find(|(key, en, vi)| [*key, *en, *vi].iter().any(|w| header_key(w) == folded))
        .map(|(key, _, _)| *key)
}

fn care_type_word(index: usize, language: Language) -> &'static str {
    let (_, en, vi) = CARE_TYPES[index % CARE_TYPES.len()];
    match language {
        Language::En => en,
        Language::Vi => vi,
    }
}

// ---------------------------------------------------------------------------------------------
// Building a template.

/// Write the template of `kind` in `language` to `path` (replacing it), with drop-downs filled
/// from the current catalogs and active staff. Written under a temporary name and renamed.
pub async fn template(store: &Store, kind: TemplateKind, language: Language, path: &Path) -> Result<()> {
    let dir = folder_of(path)?;
    let items: Vec<CatalogItem> = catalogs::all(store).await?.items.into_iter().filter(|i| i.active).collect();
    let staff: Vec<String> = staff::list(store).await?.into_iter().filter(|s| s.active).map(|s| s.name).collect();
    let fields = settings::field_settings(store).await?;
    let spec = Spec::new(kind, language, &items, &staff, &fields);
    let mut workbook = spec.workbook().map_err(|e| Error::Io(format!("xlsx: {e}")))?;
    let mut tmp = temp_beside(dir)?;
    workbook.save_to_writer(std::io::BufWriter::new(tmp.as_file_mut())).map_err(|e| Error::Io(format!("xlsx: {e}")))?;
    persist(tmp, path)
}

/// What a column holds, for its cell format, its example and its instructions.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Text,
    /// Digits that must stay text (phones, codes, tax codes).
    TextDigits,
    Date,
    DateTime,
    /// One value from a list.
    Pick,
    /// Several values from a list, comma-separated.
    PickMany,
}

/// A drop-down list on the Lists sheet.
struct List {
    title: String,
    values: Vec<String>,
    /// Stop for fixed words (kind, gender, yes/no, care type); warn for catalogs and staff (the
    /// importer can create new catalog values and warns on unknown staff); inform for lists that
    /// take several values.
    style: DataValidationErrorStyle,
}

struct Column {
    header: String,
    required: bool,
    shape: Shape,
    width: f64,
    /// Index into `Spec::lists`.
    list: Option<usize>,
    example: Example,
    description: &'static str,
    accepted: String,
}

impl Column {
    /// The header as the data sheet shows it: with the required mark.
    fn shown_header(&self) -> String {
        if self.required { format!("{}{REQUIRED_MARK}", self.header) } else { self.header.clone() }
    }
}

enum Example {
    Empty,
    Text(String),
    Date(NaiveDate),
    DateTime(NaiveDate, u16, u8),
}

struct Spec {
    kind: TemplateKind,
    language: Language,
    columns: Vec<Column>,
    lists: Vec<List>,
}

/// Settings name of a customer field (see `settings::OPTIONAL_FIELDS`), when it can be required.
fn settings_name(field: ImportField) -> Option<&'static str> {
    use ImportField as F;
    Some(match field {
        F::Phone => "phones",
        F::Email => "emails",
        F::Address => "address",
        F::TaxCode => "tax_code",
        F::Website => "website",
        F::Birthday => "birthday",
        F::FoundedDate => "founded_on",
        F::Gender => "gender",
        F::Notes => "notes",
        F::Segment => "segment_id",
        F::Level => "level_id",
        F::Group => "group_ids",
        F::Status => "status_id",
        F::AcquisitionChannel => "channel_id",
        F::ServiceManager => "service_manager_id",
        F::ContactName => "contacts",
        _ => return None,
    })
}

fn words(language: Language, en: &'static str, vi: &'static str) -> &'static str {
    match language {
        Language::En => en,
        Language::Vi => vi,
    }
}

/// A short summary of a list for the instructions: its values, or the first ones and a count.
fn summary(values: &[String], language: Language) -> String {
    const SHOWN: usize = 12;
    if values.is_empty() {
        return words(language, "(the list is empty: any text)", "(danh sách trống: nhập tự do)").to_owned();
    }
    let mut s = values.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
    if values.len() > SHOWN {
        let more = values.len() - SHOWN;
        s.push_str(&match language {
            Language::En => format!(", … ({more} more in the drop-down)"),
            Language::Vi => format!(", … (thêm {more} giá trị trong danh sách chọn)"),
        });
    }
    s
}

impl Spec {
    fn new(
        kind: TemplateKind,
        language: Language,
        items: &[CatalogItem],
        staff: &[String],
        fields: &FieldSettings,
    ) -> Spec {
        let mut spec = Spec { kind, language, columns: Vec::new(), lists: Vec::new() };
        let catalog =
            |k: CatalogKind| -> Vec<String> { items.iter().filter(|i| i.kind == k).map(|i| i.name.clone()).collect() };
        if kind == TemplateKind::Care {
            spec.care_columns(staff);
            return spec;
        }
        let l = language;
        let first = |values: &[String]| values.first().cloned().map_or(Example::Empty, Example::Text);
        let business = kind == TemplateKind::Business;
        let date_accepted = words(
            l,
            "dd/mm/yyyy (e.g. 05/03/1990); yyyy-mm-dd and date cells also work",
            "dd/mm/yyyy (ví dụ 05/03/1990); yyyy-mm-dd hoặc ô kiểu ngày cũng được",
        );
        let ex = Examples::of(kind, l);
        for &field in kind.fields() {
            use ImportField as F;
            let required = field == F::Name || settings_name(field).is_some_and(|n| fields.required(n));
            let text = |s: &str| Example::Text(s.to_owned());
            let (shape, list, example, description, accepted): (Shape, Option<(String, Vec<String>, _)>, _, _, String) =
                match field {
                    F::CustomerCode => (
                        Shape::TextDigits,
                        None,
                        Example::Empty,
                        words(
                            l,
                            "Leave empty and Clientele gives the customer the next code (e.g. KH000123).",
                            "Để trống, Clientele sẽ tự cấp mã tiếp theo (ví dụ KH000123).",
                        ),
                        words(l, "Letters, digits and - _ . /", "Chữ, số và - _ . /").to_owned(),
                    ),
                    F::Name => (
                        Shape::Text,
                        None,
                        text(ex.name),
                        if business {
                            words(l, "The company's name.", "Tên công ty.")
                        } else {
                            words(l, "The customer's full name.", "Họ và tên khách hàng.")
                        },
                        words(l, "Text, up to 300 characters", "Văn bản, tối đa 300 ký tự").to_owned(),
                    ),
                    F::Kind => {
                        let values = vec![
                            kind_word(CustomerKind::Individual, l).to_owned(),
                            kind_word(CustomerKind::Business, l).to_owned(),
                        ];
                        let k = if business { CustomerKind::Business } else { CustomerKind::Individual };
                        (
                            Shape::Pick,
                            Some((field_header(field, l).to_owned(), values.clone(), DataValidationErrorStyle::Stop)),
                            text(kind_word(k, l)),
                            words(
                                l,
                                "Individual or business. Empty: the kind chosen when importing.",
                                "Cá nhân hoặc doanh nghiệp. Để trống: theo loại đã chọn khi nhập.",
                            ),
                            values.join(" / "),
                        )
                    }
                    F::Phone | F::ContactPhone => (
                        Shape::TextDigits,
                        None,
                        text(if field == F::Phone { ex.phone } else { ex.contact_phone }),
                        if field == F::Phone {
                            words(
                                l,
                                "One or more phone numbers, separated by commas.",
                                "Một hoặc nhiều số điện thoại, cách nhau bởi dấu phẩy.",
                            )
                        } else {
                            words(
                                l,
                                "The contact person's phone numbers, separated by commas.",
                                "Số điện thoại của người liên hệ, cách nhau bởi dấu phẩy.",
                            )
                        },
                        words(
                            l,
                            "e.g. 0912 345 678, +84 912 345 678; spaces, dots and dashes are fine",
                            "ví dụ 0912 345 678, +84 912 345 678; có thể có dấu cách, dấu chấm, gạch ngang",
                        )
                        .to_owned(),
                    ),
                    F::Email | F::ContactEmail => (
                        Shape::Text,
                        None,
                        text(if field == F::Email { ex.email } else { ex.contact_email }),
                        if field == F::Email {
                            words(
                                l,
                                "One or more e-mail addresses, separated by commas.",
                                "Một hoặc nhiều địa chỉ e-mail, cách nhau bởi dấu phẩy.",
                            )
                        } else {
                            words(l, "The contact person's e-mail addresses.", "E-mail của người liên hệ.")
                        },
                        words(l, "e.g. name@example.com", "ví dụ ten@example.com").to_owned(),
                    ),
                    F::Address => (
                        Shape::Text,
                        None,
                        text(ex.address),
                        words(l, "Postal address.", "Địa chỉ liên hệ."),
                        words(l, "Text", "Văn bản").to_owned(),
                    ),
                    F::Segment | F::Level | F::Group | F::Status | F::AcquisitionChannel | F::ContactPosition => {
                        let (catalog_kind, description) = match field {
                            F::Segment => {
                                (CatalogKind::Segment, words(l, "Customer segment.", "Phân khúc khách hàng."))
                            }
                            F::Level => (
                                CatalogKind::Level,
                                words(l, "Customer level (e.g. VIP, Gold).", "Hạng khách hàng (ví dụ VIP, Vàng)."),
                            ),
                            F::Group => (
                                CatalogKind::Group,
                                words(
                                    l,
                                    "One or more groups, separated by commas.",
                                    "Một hoặc nhiều nhóm, cách nhau bởi dấu phẩy.",
                                ),
                            ),
                            F::Status => (CatalogKind::Status, words(l, "Customer status.", "Trạng thái khách hàng.")),
                            F::AcquisitionChannel => (
                                CatalogKind::Channel,
                                words(l, "Where the customer came from.", "Khách hàng đến từ nguồn nào."),
                            ),
                            _ => (
                                CatalogKind::Position,
                                words(l, "The contact person's position.", "Chức vụ của người liên hệ."),
                            ),
                        };
                        let values = catalog(catalog_kind);
                        let (shape, style) = if field == F::Group {
                            (Shape::PickMany, DataValidationErrorStyle::Information)
                        } else {
                            (Shape::Pick, DataValidationErrorStyle::Warning)
                        };
                        let example = first(&values);
                        let accepted = format!(
                            "{} {}",
                            summary(&values, l),
                            words(
                                l,
                                "— from Clientele's list; a new value can be added when importing",
                                "— theo danh sách của Clientele; giá trị mới có thể được thêm khi nhập",
                            )
                        );
                        (
                            shape,
                            Some((field_header(field, l).to_owned(), values, style)),
                            example,
                            description,
                            accepted,
                        )
                    }
                    F::Owner | F::ServiceManager => (
                        Shape::Pick,
                        Some((
                            words(l, "Staff", "Nhân viên").to_owned(),
                            staff.to_vec(),
                            DataValidationErrorStyle::Warning,
                        )),
                        first(staff),
                        if field == F::Owner {
                            words(
                                l,
                                "The staff member responsible, by name. Empty: the person importing.",
                                "Nhân viên phụ trách, theo tên. Để trống: người nhập dữ liệu.",
                            )
                        } else {
                            words(
                                l,
                                "The staff member who looks after the customer, by name.",
                                "Nhân viên chăm sóc khách hàng, theo tên.",
                            )
                        },
                        summary(staff, l),
                    ),
                    F::TaxCode => (
                        Shape::TextDigits,
                        None,
                        if business { text(ex.tax_code) } else { Example::Empty },
                        words(l, "Tax identification number, kept as written.", "Mã số thuế, giữ nguyên như đã ghi."),
                        words(l, "Digits (and - .), e.g. 0312345678", "Chữ số (và - .), ví dụ 0312345678").to_owned(),
                    ),
                    F::Website => (
                        Shape::Text,
                        None,
                        if business { text(ex.website) } else { Example::Empty },
                        words(l, "Web address.", "Địa chỉ trang web."),
                        words(l, "e.g. example.com", "ví dụ example.com").to_owned(),
                    ),
                    F::Birthday => (
                        Shape::Date,
                        None,
                        NaiveDate::from_ymd_opt(1990, 3, 5).map_or(Example::Empty, Example::Date),
                        words(l, "Date of birth.", "Ngày sinh."),
                        date_accepted.to_owned(),
                    ),
                    F::FoundedDate => (
                        Shape::Date,
                        None,
                        NaiveDate::from_ymd_opt(2015, 6, 1).map_or(Example::Empty, Example::Date),
                        words(l, "Date the company was founded.", "Ngày thành lập công ty."),
                        date_accepted.to_owned(),
                    ),
                    F::Notes => (
                        Shape::Text,
                        None,
                        text(ex.notes),
                        words(l, "Anything else worth knowing.", "Ghi chú thêm."),
                        words(l, "Text, several lines allowed", "Văn bản, có thể nhiều dòng").to_owned(),
                    ),
                    F::PromoEmailConsent => {
                        let values = vec![yes_no(true, l).to_owned(), yes_no(false, l).to_owned()];
                        (
                            Shape::Pick,
                            Some((field_header(field, l).to_owned(), values.clone(), DataValidationErrorStyle::Stop)),
                            text(yes_no(true, l)),
                            words(l, "Agrees to receive promotional e-mail.", "Đồng ý nhận email quảng cáo."),
                            format!(
                                "{} ({})",
                                values.join(" / "),
                                words(l, "Có / Không also work; empty: no", "Yes / No cũng được; để trống: không")
                            ),
                        )
                    }
                    F::ContactName => (
                        Shape::Text,
                        None,
                        text(ex.contact_name),
                        words(l, "The company's main contact person.", "Người liên hệ chính của công ty."),
                        words(l, "Text", "Văn bản").to_owned(),
                    ),
                    F::Gender => {
                        let values: Vec<String> = [Gender::Male, Gender::Female, Gender::Other]
                            .iter()
                            .map(|g| gender_word(*g, l).to_owned())
                            .collect();
                        (
                            Shape::Pick,
                            Some((field_header(field, l).to_owned(), values.clone(), DataValidationErrorStyle::Stop)),
                            text(gender_word(Gender::Female, l)),
                            words(l, "Gender.", "Giới tính."),
                            values.join(" / "),
                        )
                    }
                };
            let header = field_header(field, l);
            let list = list.map(|(title, values, style)| spec.list(title, values, style));
            spec.columns.push(Column {
                header: header.to_owned(),
                required,
                shape,
                width: width_for(shape, header),
                list,
                example,
                description,
                accepted,
            });
        }
        spec
    }

    fn care_columns(&mut self, staff: &[String]) {
        let l = self.language;
        for field in CareField::ALL {
            let header = field.header(l);
            let (required, shape, list, example, description, accepted) = match field {
                CareField::CustomerCode => (
                    true,
                    Shape::TextDigits,
                    None,
                    Example::Text("KH000123".into()),
                    words(
                        l,
                        "The customer: their code, or one of their phone numbers or e-mail addresses.",
                        "Khách hàng: mã khách hàng, hoặc một số điện thoại hay e-mail của họ.",
                    ),
                    words(
                        l,
                        "e.g. KH000123, 0912 345 678, name@example.com",
                        "ví dụ KH000123, 0912 345 678, ten@example.com",
                    )
                    .to_owned(),
                ),
                CareField::Kind => {
                    let values: Vec<String> = (0..CARE_TYPES.len()).map(|i| care_type_word(i, l).to_owned()).collect();
                    let accepted = values.join(" / ");
                    let list = self.list(header.to_owned(), values, DataValidationErrorStyle::Stop);
                    (
                        true,
                        Shape::Pick,
                        Some(list),
                        Example::Text(care_type_word(0, l).to_owned()),
                        words(l, "What was done.", "Loại hoạt động đã thực hiện."),
                        accepted,
                    )
                }
                CareField::Title => (
                    true,
                    Shape::Text,
                    None,
                    Example::Text(
                        words(l, "Follow-up call about the contract renewal", "Gọi điện nhắc gia hạn hợp đồng").into(),
                    ),
                    words(l, "A short summary.", "Tóm tắt ngắn gọn."),
                    words(l, "Text", "Văn bản").to_owned(),
                ),
                CareField::DoneAt => (
                    true,
                    Shape::DateTime,
                    None,
                    NaiveDate::from_ymd_opt(2024, 5, 14).map_or(Example::Empty, |d| Example::DateTime(d, 9, 30)),
                    words(l, "When it was done.", "Thời điểm thực hiện."),
                    words(
                        l,
                        "dd/mm/yyyy or dd/mm/yyyy hh:mm (e.g. 14/05/2024 09:30)",
                        "dd/mm/yyyy hoặc dd/mm/yyyy hh:mm (ví dụ 14/05/2024 09:30)",
                    )
                    .to_owned(),
                ),
                CareField::Outcome => (
                    false,
                    Shape::Text,
                    None,
                    Example::Text(words(l, "Agreed to renew for 12 months", "Đồng ý gia hạn 12 tháng").into()),
                    words(l, "What came of it.", "Kết quả đạt được."),
                    words(l, "Text, several lines allowed", "Văn bản, có thể nhiều dòng").to_owned(),
                ),
                CareField::Assignee => {
                    let list = self.list(
                        words(l, "Staff", "Nhân viên").to_owned(),
                        staff.to_vec(),
                        DataValidationErrorStyle::Warning,
                    );
                    (
                        false,
                        Shape::Pick,
                        Some(list),
                        staff.first().cloned().map_or(Example::Empty, Example::Text),
                        words(
                            l,
                            "The staff member who did it, by name. Empty: the person importing.",
                            "Nhân viên đã thực hiện, theo tên. Để trống: người nhập dữ liệu.",
                        ),
                        summary(staff, l),
                    )
                }
            };
            self.columns.push(Column {
                header: header.to_owned(),
                required,
                shape,
                width: width_for(shape, header),
                list,
                example,
                description,
                accepted,
            });
        }
    }

    /// Add a list (or reuse an identical one, e.g. staff for owner and service manager).
    fn list(&mut self, title: String, values: Vec<String>, style: DataValidationErrorStyle) -> usize {
        if let Some(i) = self.lists.iter().position(|x| x.values == values && x.title == title) {
            return i;
        }
        self.lists.push(List { title, values, style });
        self.lists.len() - 1
    }

    fn workbook(&self) -> Result<Workbook, XlsxError> {
        let l = self.language;
        let mut workbook = Workbook::new();
        let header_format =
            Format::new().set_bold().set_background_color("#E8EEF4").set_border_bottom(FormatBorder::Thin);
        let example_format = Format::new().set_italic().set_font_color("#5A6B7B");
        let text_format = Format::new().set_num_format("@");
        let date_format = Format::new().set_num_format("dd/mm/yyyy");
        let stamp_format = Format::new().set_num_format("dd/mm/yyyy hh:mm");
        let example_date = example_format.clone().set_num_format("dd/mm/yyyy");
        let example_stamp = example_format.clone().set_num_format("dd/mm/yyyy hh:mm");
        let example_text = example_format.clone().set_num_format("@");

        // 1. The data sheet.
        let data = workbook.add_worksheet();
        data.set_name(self.kind.sheet_name(l))?;
        data.set_freeze_panes(1, 0)?;
        for (i, c) in self.columns.iter().enumerate() {
            let col = i as u16;
            data.set_column_width(col, c.width)?;
            match c.shape {
                Shape::TextDigits => {
                    data.set_column_format(col, &text_format)?;
                }
                Shape::Date => {
                    data.set_column_format(col, &date_format)?;
                }
                Shape::DateTime => {
                    data.set_column_format(col, &stamp_format)?;
                }
                _ => {}
            }
            data.write_string_with_format(0, col, c.shown_header(), &header_format)?;
            match &c.example {
                Example::Empty => {}
                Example::Text(s) => {
                    let f = if c.shape == Shape::TextDigits { &example_text } else { &example_format };
                    data.write_string_with_format(1, col, s, f)?;
                }
                Example::Date(d) => {
                    data.write_datetime_with_format(1, col, &excel_date(*d, 0, 0)?, &example_date)?;
                }
                Example::DateTime(d, h, m) => {
                    data.write_datetime_with_format(1, col, &excel_date(*d, *h, *m)?, &example_stamp)?;
                }
            }
            if let Some(list) = c.list.and_then(|i| self.lists.get(i).map(|x| (i, x)))
                && !list.1.values.is_empty()
            {
                let (index, list) = list;
                let letter = column_letter(index as u16);
                let formula = format!("={LISTS_SHEET}!${letter}$2:${letter}${}", list.values.len() + 1);
                let mut validation =
                    DataValidation::new().allow_list_formula(Formula::new(formula)).set_error_style(list.style.clone());
                if c.shape == Shape::PickMany {
                    validation = validation.set_input_message(words(
                        l,
                        "Pick one, or type several separated by commas.",
                        "Chọn một, hoặc gõ nhiều giá trị cách nhau bởi dấu phẩy.",
                    ))?;
                }
                data.add_data_validation(1, col, 1_048_575, col, &validation)?;
            }
        }
        data.set_active(true);

        // 2. Instructions.
        let guide = workbook.add_worksheet();
        self.instructions(guide)?;

        // 3. The lists, hidden.
        let lists = workbook.add_worksheet();
        lists.set_name(LISTS_SHEET)?;
        for (i, list) in self.lists.iter().enumerate() {
            let col = i as u16;
            lists.set_column_width(col, 24)?;
            lists.write_string_with_format(0, col, &list.title, &header_format)?;
            for (r, value) in list.values.iter().enumerate() {
                lists.write_string(r as u32 + 1, col, value)?;
            }
        }
        lists.set_hidden(true);
        Ok(workbook)
    }

    fn instructions(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        let l = self.language;
        let title = Format::new().set_bold().set_font_size(14);
        let bold = Format::new().set_bold();
        let wrap = Format::new().set_text_wrap().set_align(rust_xlsxwriter::FormatAlign::Top);
        let header_format =
            Format::new().set_bold().set_background_color("#E8EEF4").set_border_bottom(FormatBorder::Thin);
        ws.set_name(instructions_sheet_name(l))?;
        for (col, width) in [(0u16, 30.0), (1, 12.0), (2, 60.0), (3, 60.0)] {
            ws.set_column_width(col, width)?;
        }
        let sheet = self.kind.sheet_name(l);
        let (heading, one_per_row) = match (self.kind, l) {
            (TemplateKind::Care, Language::En) => (
                "How to fill in the care records template",
                format!("Fill in one activity per row on the “{sheet}” sheet, from row 2."),
            ),
            (TemplateKind::Care, Language::Vi) => (
                "Cách điền mẫu lịch sử chăm sóc",
                format!("Mỗi dòng là một hoạt động, điền trên trang “{sheet}”, bắt đầu từ dòng 2."),
            ),
            (_, Language::En) => (
                "How to fill in the customer template",
                format!("Fill in one customer per row on the “{sheet}” sheet, from row 2."),
            ),
            (_, Language::Vi) => (
                "Cách điền mẫu khách hàng",
                format!("Mỗi dòng là một khách hàng, điền trên trang “{sheet}”, bắt đầu từ dòng 2."),
            ),
        };
        let notes: Vec<String> = vec![
            one_per_row,
            words(
                l,
                "Row 2 is an example (in grey italics): replace it or delete it before importing.",
                "Dòng 2 là ví dụ (chữ nghiêng màu xám): hãy thay hoặc xóa trước khi nhập.",
            )
            .into(),
            words(
                l,
                "Columns marked * are required. Leave a cell empty when you do not know the value.",
                "Cột có dấu * là bắt buộc. Để trống ô nếu chưa biết giá trị.",
            )
            .into(),
            words(
                l,
                "Keep the header texts; you may delete columns you do not need or change their order.",
                "Giữ nguyên tiêu đề cột; có thể xóa cột không cần hoặc đổi thứ tự cột.",
            )
            .into(),
            words(
                l,
                "Dates: dd/mm/yyyy (e.g. 05/03/1990). Several phones, e-mails or groups in one cell: separate them with commas.",
                "Ngày: dd/mm/yyyy (ví dụ 05/03/1990). Nhiều số điện thoại, e-mail hoặc nhóm trong một ô: cách nhau bởi dấu phẩy.",
            )
            .into(),
            words(
                l,
                "Drop-down lists come from Clientele's settings; headers and values may be in English or Vietnamese.",
                "Danh sách chọn lấy từ cài đặt của Clientele; tiêu đề và giá trị có thể bằng tiếng Việt hoặc tiếng Anh.",
            )
            .into(),
        ];
        ws.write_string_with_format(0, 0, heading, &title)?;
        let mut row = 2u32;
        for note in &notes {
            ws.write_string(row, 0, format!("• {note}"))?;
            row += 1;
        }
        row += 1;
        let heads = match l {
            Language::En => ["Column", "Required", "What it holds", "Accepted values"],
            Language::Vi => ["Cột", "Bắt buộc", "Nội dung", "Giá trị hợp lệ"],
        };
        for (col, head) in heads.iter().enumerate() {
            ws.write_string_with_format(row, col as u16, *head, &header_format)?;
        }
        row += 1;
        for c in &self.columns {
            ws.write_string_with_format(row, 0, c.shown_header(), &bold)?;
            if c.required {
                ws.write_string(row, 1, words(l, "Yes", "Có"))?;
            }
            ws.write_string_with_format(row, 2, c.description, &wrap)?;
            ws.write_string_with_format(row, 3, &c.accepted, &wrap)?;
            row += 1;
        }
        Ok(())
    }
}

/// Example values in a language, realistic and importable.
struct Examples {
    name: &'static str,
    phone: &'static str,
    email: &'static str,
    address: &'static str,
    tax_code: &'static str,
    website: &'static str,
    notes: &'static str,
    contact_name: &'static str,
    contact_phone: &'static str,
    contact_email: &'static str,
}

impl Examples {
    fn of(kind: TemplateKind, language: Language) -> Examples {
        let vi = language == Language::Vi;
        if kind == TemplateKind::Business {
            Examples {
                name: if vi { "Công ty TNHH Thương mại Minh Phát" } else { "Minh Phat Trading Co., Ltd" },
                phone: "028 3823 4567",
                email: "info@minhphat.vn",
                address: if vi {
                    "45 Nguyễn Huệ, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh"
                } else {
                    "45 Nguyen Hue, Ben Nghe Ward, District 1, Ho Chi Minh City"
                },
                tax_code: "0312345678",
                website: "minhphat.vn",
                notes: if vi {
                    "Gia hạn hợp đồng hằng năm vào tháng 6"
                } else {
                    "Renews its contract every June"
                },
                contact_name: if vi { "Nguyễn Văn Nam" } else { "Nguyen Van Nam" },
                contact_phone: "0903 123 456",
                contact_email: "nam.nguyen@minhphat.vn",
            }
        } else {
            Examples {
                name: if vi { "Trần Thị Mai" } else { "Tran Thi Mai" },
                phone: "0912 345 678",
                email: "mai.tran@example.com",
                address: if vi {
                    "12 Lê Lợi, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh"
                } else {
                    "12 Le Loi, Ben Nghe Ward, District 1, Ho Chi Minh City"
                },
                tax_code: "",
                website: "",
                notes: if vi { "Thích được gọi vào buổi sáng" } else { "Prefers calls in the morning" },
                contact_name: "",
                contact_phone: "",
                contact_email: "",
            }
        }
    }
}

fn width_for(shape: Shape, header: &str) -> f64 {
    let base = match shape {
        Shape::Date => 14,
        Shape::DateTime => 18,
        Shape::TextDigits => 18,
        Shape::Pick => 18,
        Shape::PickMany => 24,
        Shape::Text => 28,
    };
    // Room for the header and its required mark.
    base.max(header.chars().count() + 4) as f64
}

fn excel_date(d: NaiveDate, hour: u16, minute: u8) -> Result<ExcelDateTime, XlsxError> {
    use chrono::Datelike;
    let date = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
    if hour == 0 && minute == 0 { Ok(date) } else { date.and_hms(hour, minute, 0) }
}

/// Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA.
fn column_letter(mut index: u16) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push((b'A' + (index % 26) as u8) as char);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::mapping::auto_map;

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn care_headers_map_back() {
        for language in [Language::En, Language::Vi] {
            for field in CareField::ALL {
                let h = format!("{}{REQUIRED_MARK}", field.header(language));
                assert_eq!(CareField::for_header(&h), Some(field), "{h}");
            }
        }
        assert_eq!(CareField::for_header("done_at"), Some(CareField::DoneAt));
        assert_eq!(CareField::for_header(""), None);
        assert_eq!(care_type_key("Gọi điện"), Some("call"));
        assert_eq!(care_type_key("MEETING"), Some("meeting"));
        assert_eq!(care_type_key("e-mail"), Some("email"));
        assert_eq!(care_type_key("nope"), None);
    }

    #[test]
    fn customer_headers_map_back_with_marks() {
        for kind in [TemplateKind::Individual, TemplateKind::Business] {
            for language in [Language::En, Language::Vi] {
                let headers: Vec<String> =
                    kind.fields().iter().map(|f| format!("{}{REQUIRED_MARK}", field_header(*f, language))).collect();
                let mapped: Vec<ImportField> = auto_map(&headers).into_iter().flatten().collect();
                assert_eq!(mapped, kind.fields(), "{kind:?} {language:?}");
            }
        }
    }

    #[test]
    fn kinds_parse() {
        assert_eq!(TemplateKind::parse("customers"), Some(TemplateKind::Individual));
        assert_eq!(TemplateKind::parse("Business"), Some(TemplateKind::Business));
        assert_eq!(TemplateKind::parse("care"), Some(TemplateKind::Care));
        assert_eq!(TemplateKind::parse("x"), None);
        assert!(!TemplateKind::Individual.fields().contains(&ImportField::FoundedDate));
        assert!(!TemplateKind::Individual.fields().contains(&ImportField::ContactName));
        assert!(!TemplateKind::Business.fields().contains(&ImportField::Birthday));
        assert!(!TemplateKind::Business.fields().contains(&ImportField::Gender));
    }
}
