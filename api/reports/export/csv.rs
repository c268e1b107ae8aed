//! A table as CSV: UTF-8 with a byte-order mark, which is how Excel knows to read Vietnamese
//! as UTF-8 rather than the machine's code page. Dates are ISO 8601 and numbers use a point,
//! so any program reads them back the same.

use super::tables::{Cell, Table};
use super::ExportError;

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub fn render(t: &Table) -> Result<Vec<u8>, ExportError> {
    let mut w = csv::Writer::from_writer(BOM.to_vec());
    let fail = |e: csv::Error| ExportError::Csv(e.to_string());
    w.write_record(&t.headers).map_err(fail)?;
    for row in &t.rows {
        w.write_record(row.iter().map(|c| match c {
            Cell::Text(s) => s.clone(),
            Cell::Number(x) => x.to_string(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Empty => String::new(),
        }))
        .map_err(fail)?;
    }
    w.into_inner().map_err(|e| ExportError::Csv(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_with_a_bom_and_keeps_types_readable() {
        let t = Table {
            name: "x",
            headers: vec!["Tên", "Điểm", "Ngày"],
            widths: vec![],
            rows: vec![vec![
                Cell::Text("Xã Nghi Lộc, \"A\"".into()),
                Cell::Number(86.5),
                Cell::Date(chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()),
            ]],
        };
        let out = render(&t).unwrap();
        assert!(out.starts_with(BOM));
        let text = String::from_utf8(out[3..].to_vec()).unwrap();
        assert_eq!(
            text,
            "Tên,Điểm,Ngày\n\"Xã Nghi Lộc, \"\"A\"\"\",86.5,2026-11-30\n"
        );
    }
}
