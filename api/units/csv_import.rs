//! Reading a CSV of units (UTF-8, with or without BOM, comma or semicolon separated) into
//! checked rows, or a report of every faulty line and field. Pure: nothing is written here.
//!
//! Columns, by header name (Vietnamese headers accepted): `code` (mã), `name` (tên),
//! `kind` (loại), and optionally `parent_code` (mã đơn vị cấp trên), `address` (địa chỉ),
//! `latitude` (vĩ độ), `longitude` (kinh độ).

use super::fold::fold;
use super::model::{RawUnit, UnitFields};
use crate::domain::Faults;
use crate::error::FieldError;

#[derive(Debug, Clone, PartialEq)]
pub struct CsvUnit {
    /// 1-based line in the file (the header is line 1).
    pub line: usize,
    pub fields: UnitFields,
    pub parent_code: Option<String>,
}

fn column(header: &str) -> Option<&'static str> {
    match fold(header).as_str() {
        "code" | "ma" | "ma don vi" => Some("code"),
        "name" | "ten" | "ten don vi" => Some("name"),
        "kind" | "loai" | "loai don vi" => Some("kind"),
        "parent_code" | "parent" | "ma don vi cap tren" | "don vi cap tren" => Some("parent_code"),
        "address" | "dia chi" => Some("address"),
        "latitude" | "lat" | "vi do" => Some("latitude"),
        "longitude" | "lon" | "lng" | "kinh do" => Some("longitude"),
        _ => None,
    }
}

pub const MAX_ROWS: usize = 20_000;

pub fn parse(bytes: &[u8]) -> Result<Vec<CsvUnit>, Vec<FieldError>> {
    let mut faults = Faults::default();
    let Some(text) = text_of(bytes, &mut faults) else {
        return Err(faults.0);
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter_of(text))
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let Some(headers) = headers_of(&mut reader, &mut faults) else {
        return Err(faults.0);
    };
    let mut rows = Vec::new();
    let mut seen_codes = std::collections::HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        if rows.len() >= MAX_ROWS {
            faults.push(
                "/lines",
                "too_many_rows",
                format!("At most {MAX_ROWS} rows per file."),
                format!("Tối đa {MAX_ROWS} dòng mỗi tệp."),
            );
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                faults.push(
                    &format!("/lines/{line}"),
                    "unreadable",
                    format!("Line {line} cannot be read: {e}"),
                    format!("Không đọc được dòng {line}: {e}"),
                );
                continue;
            }
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        let unit = row(&headers, &record, line, &mut faults);
        if let Some(first) = seen_codes.insert(unit.fields.code.clone(), line) {
            faults.push(
                &format!("/lines/{line}/code"),
                "duplicate_code",
                format!("Code `{}` is also on line {first}.", unit.fields.code),
                format!("Mã `{}` trùng với dòng {first}.", unit.fields.code),
            );
        }
        rows.push(unit);
    }
    if faults.0.is_empty() {
        Ok(rows)
    } else {
        Err(faults.0)
    }
}

/// The file as text, without the BOM Excel writes; `None` (with the fault) unless UTF-8.
fn text_of<'a>(bytes: &'a [u8], faults: &mut Faults) -> Option<&'a str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).ok();
    if text.is_none() {
        faults.push(
            "/lines",
            "not_utf8",
            "The file is not UTF-8 text; save it as \"CSV UTF-8\".",
            "Tệp không phải văn bản UTF-8; hãy lưu dưới dạng \"CSV UTF-8\".",
        );
    }
    text
}

/// Excel in Vietnamese settings separates with `;`, elsewhere with `,`: the header tells.
fn delimiter_of(text: &str) -> u8 {
    let first_line = text.lines().next().unwrap_or("");
    if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    }
}

/// The known column of each header cell; `None` (with the faults) when unreadable or when a
/// required column is missing.
fn headers_of(
    reader: &mut csv::Reader<&[u8]>,
    faults: &mut Faults,
) -> Option<Vec<Option<&'static str>>> {
    let headers: Vec<Option<&'static str>> = match reader.headers() {
        Ok(h) => h.iter().map(column).collect(),
        Err(e) => {
            faults.push(
                "/lines/1",
                "unreadable",
                format!("The header line cannot be read: {e}"),
                format!("Không đọc được dòng tiêu đề: {e}"),
            );
            return None;
        }
    };
    for required in ["code", "name", "kind"] {
        if !headers.contains(&Some(required)) {
            faults.push(
                &format!("/lines/1/{required}"),
                "missing_column",
                format!("The header has no `{required}` column."),
                format!("Dòng tiêu đề thiếu cột `{required}`."),
            );
        }
    }
    faults.0.is_empty().then_some(headers)
}

/// One data line, checked; its faults point at `/lines/<line>/<column>`.
fn row(
    headers: &[Option<&'static str>],
    record: &csv::StringRecord,
    line: usize,
    faults: &mut Faults,
) -> CsvUnit {
    let get = |name: &str| -> Option<&str> {
        headers
            .iter()
            .position(|h| *h == Some(name))
            .and_then(|i| record.get(i))
            .filter(|v| !v.is_empty())
    };
    let prefix = format!("/lines/{line}/");
    let mut number = |name: &str| -> Option<f64> {
        let raw = get(name)?;
        match raw.replace(',', ".").parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            _ => {
                faults.push(
                    &format!("{prefix}{name}"),
                    "not_a_number",
                    format!("`{raw}` is not a number."),
                    format!("`{raw}` không phải là số."),
                );
                None
            }
        }
    };
    let (lat, lon) = (number("latitude"), number("longitude"));
    let raw = RawUnit {
        code: get("code").unwrap_or(""),
        name: get("name").unwrap_or(""),
        kind: get("kind").unwrap_or(""),
        address: get("address"),
        latitude: lat,
        longitude: lon,
    };
    CsvUnit {
        line,
        fields: UnitFields::check(faults, &prefix, raw),
        parent_code: get("parent_code").map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::model::UnitKind;

    #[test]
    fn reads_vietnamese_headers_bom_and_semicolons() {
        let csv = "\u{feff}Mã;Tên đơn vị;Loại;Địa chỉ;Vĩ độ;Kinh độ\nXA-NGHILOC;Xã Nghi Lộc;xã;Nghệ An;18,8;105,7\nSO-NV;Sở Nội vụ;sở;;;\n";
        let rows = parse(csv.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].fields.name, "Xã Nghi Lộc");
        assert_eq!(rows[0].fields.kind, UnitKind::Commune);
        assert_eq!(rows[0].fields.latitude, Some(18.8));
        assert_eq!(rows[1].fields.kind, UnitKind::Department);
        assert_eq!(rows[1].line, 3);
    }

    #[test]
    fn reports_every_faulty_line_and_field() {
        let csv = "code,name,kind,latitude\nA1,Xã A,xã,abc\nA1,,huyện,\nB-2,Phường B,phường,95\n";
        let faults: Vec<(String, &str)> = parse(csv.as_bytes())
            .unwrap_err()
            .into_iter()
            .map(|f| (f.pointer, f.code))
            .collect();
        assert_eq!(
            faults,
            [
                ("/lines/2/latitude".to_owned(), "not_a_number"),
                ("/lines/3/name".to_owned(), "invalid_text"),
                ("/lines/3/kind".to_owned(), "invalid_kind"),
                ("/lines/3/code".to_owned(), "duplicate_code"),
                ("/lines/4/latitude".to_owned(), "out_of_range"),
            ]
        );
    }

    #[test]
    fn missing_columns_and_bad_encoding() {
        let f = parse(b"code,name\nA,B\n").unwrap_err();
        assert_eq!(f[0].pointer, "/lines/1/kind");
        let f = parse(b"code,name,kind\nA,X\xe3 A,xa\n").unwrap_err();
        assert_eq!(f[0].code, "not_utf8");
    }
}
