//! The error report of an import: the original columns of every rejected row, plus a column
//! saying what is wrong (row, column, reason), in the user's language, as an xlsx the user
//! fixes and imports again.

use std::collections::BTreeMap;
use std::path::Path;

use rust_xlsxwriter::{Format, Workbook};
use tracing::instrument;

use super::plan::{ImportOptions, RowContext, RowError, convert_row, effective_mapping};
use super::read;
use crate::actor::Actor;
use crate::error::{Error, Result};
use crate::settings::Language;
use crate::store::Store;

/// Reason codes in words.
pub fn reason_text(code: &str, language: Language) -> &'static str {
    match (code, language) {
        ("missing_name", Language::En) => "the name is missing",
        ("missing_name", Language::Vi) => "thiếu tên khách hàng",
        ("invalid_email", Language::En) => "not a valid e-mail address",
        ("invalid_email", Language::Vi) => "e-mail không hợp lệ",
        ("invalid_phone", Language::En) => "not a valid phone number",
        ("invalid_phone", Language::Vi) => "số điện thoại không hợp lệ",
        ("bad_date", Language::En) => "not a date (use dd/mm/yyyy)",
        ("bad_date", Language::Vi) => "không phải ngày (dùng dd/mm/yyyy)",
        ("bad_boolean", Language::En) => "use yes or no",
        ("bad_boolean", Language::Vi) => "dùng có hoặc không",
        ("bad_kind", Language::En) => "use Individual or Business",
        ("bad_kind", Language::Vi) => "dùng Cá nhân hoặc Doanh nghiệp",
        ("bad_gender", Language::En) => "use male, female or other",
        ("bad_gender", Language::Vi) => "dùng nam, nữ hoặc khác",
        ("missing_required", Language::En) => "this column is required",
        ("missing_required", Language::Vi) => "cột này bắt buộc",
        ("too_long", Language::En) => "too long",
        ("too_long", Language::Vi) => "quá dài",
        ("invalid_code", Language::En) => "a customer code has letters, digits, - _ . / only",
        ("invalid_code", Language::Vi) => "mã khách hàng chỉ gồm chữ, số, - _ . /",
        ("unknown_value", Language::En) => "not in the list (add it in Settings)",
        ("unknown_value", Language::Vi) => "không có trong danh mục (thêm trong Cài đặt)",
        (_, Language::En) => "invalid value",
        (_, Language::Vi) => "giá trị không hợp lệ",
    }
}

/// Write the rejected rows of `path` (as an import with `options` would reject them) to `out`.
/// Returns how many rows were written.
#[instrument(skip(store, actor, options))]
pub async fn error_report(
    store: &Store,
    actor: &Actor,
    path: &Path,
    options: &ImportOptions,
    language: Language,
    out: &Path,
) -> Result<u64> {
    let Some(reader) = super::followup::open_customers(path, options)? else {
        return super::followup::error_report(store, actor, path, options, language, out).await;
    };
    let mut conn = store.pool().acquire().await?;
    let fields = crate::settings::field_settings_in(&mut conn).await?;
    drop(conn);
    let sheet = reader.sheet().clone();
    let mapping = effective_mapping(&sheet, options.mapping.as_ref(), None)?;
    let ctx = RowContext { sheet: &sheet, mapping: &mapping, kind: options.kind, fields: &fields };

    let xlsx = |e: rust_xlsxwriter::XlsxError| Error::Io(e.to_string());
    let mut book = Workbook::new();
    let ws = book.add_worksheet_with_constant_memory().map_err(xlsx)?;
    ws.set_name(if language == Language::Vi { "Dòng lỗi" } else { "Rejected rows" }).map_err(xlsx)?;
    let bold = Format::new().set_bold();
    let (row_h, err_h) = match language {
        Language::En => ("Row", "Error"),
        Language::Vi => ("Dòng", "Lỗi"),
    };
    ws.write_string_with_format(0, 0, row_h, &bold).map_err(xlsx)?;
    for (i, h) in sheet.headers.iter().enumerate() {
        ws.write_string_with_format(0, (i + 1) as u16, h, &bold).map_err(xlsx)?;
    }
    let err_col = (sheet.headers.len() + 1) as u16;
    ws.write_string_with_format(0, err_col, err_h, &bold).map_err(xlsx)?;
    ws.set_freeze_panes(1, 0).map_err(xlsx)?;
    ws.set_column_width(err_col, 50).map_err(xlsx)?;

    let mut out_row: u32 = 1;
    let mut warnings = Vec::new();
    for row in reader {
        let row = row?;
        if row.cells.iter().all(read::Cell::is_blank) {
            continue;
        }
        warnings.clear();
        let Err(errors) = convert_row(&ctx, row.number, &row.cells, &mut warnings) else { continue };
        if out_row >= 1_048_575 {
            break;
        }
        ws.write_number(out_row, 0, f64::from(row.number)).map_err(xlsx)?;
        for (i, cell) in row.cells.iter().enumerate().take(16_000) {
            let text = cell.to_text();
            if !text.is_empty() {
                ws.write_string(out_row, (i + 1) as u16, neutralise(&text)).map_err(xlsx)?;
            }
        }
        ws.write_string(out_row, err_col, describe(&errors, language)).map_err(xlsx)?;
        out_row += 1;
    }
    let tmp = out.with_extension("xlsx.part");
    book.save(&tmp).map_err(xlsx)?;
    std::fs::rename(&tmp, out)?;
    Ok(u64::from(out_row - 1))
}

/// "Email: not a valid e-mail address (thu .le32@fpt.vn); …"
fn describe(errors: &[RowError], language: Language) -> String {
    let mut by: BTreeMap<usize, String> = BTreeMap::new();
    for (i, e) in errors.iter().enumerate() {
        let mut s = String::new();
        if let Some(c) = &e.column {
            s.push_str(c);
            s.push_str(": ");
        }
        s.push_str(reason_text(&e.code, language));
        if let Some(v) = &e.value {
            s.push_str(&format!(" ({v})"));
        }
        by.insert(i, s);
    }
    by.into_values().collect::<Vec<_>>().join("; ")
}

/// A cell that would start a formula in a spreadsheet gets a leading apostrophe.
fn neutralise(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_owned() }
}
