//! A table as CSV, in one of two dialects.
//!
//! - `people` (the default): what Excel opens right on a computer set to Vietnamese, where the
//!   list separator is `;` and the decimal mark a comma: `;` between fields, `86,5`, dates
//!   `30/11/2026`, CRLF line ends, and UTF-8 with a byte-order mark (how Excel knows to read
//!   Vietnamese as UTF-8 rather than the machine's code page).
//! - `machine`: for programs: `,` between fields, `86.5`, ISO dates `2026-11-30`, LF line ends,
//!   no byte-order mark.

use serde::Deserialize;
use utoipa::ToSchema;

use super::tables::{Cell, Table};
use super::ExportError;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How a CSV is written: for Excel in Vietnamese settings, or for programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, ToSchema, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum CsvDialect {
    /// `;`, decimal comma, dd/mm/yyyy, CRLF, UTF-8 with BOM: Excel with Vietnamese settings.
    #[default]
    People,
    /// `,`, decimal point, ISO 8601 dates, LF, UTF-8 without BOM.
    Machine,
}

pub fn render(t: &Table, dialect: CsvDialect) -> Result<Vec<u8>, ExportError> {
    let people = dialect == CsvDialect::People;
    let mut b = csv::WriterBuilder::new();
    if people {
        b.delimiter(b';').terminator(csv::Terminator::CRLF);
    }
    let mut w = b.from_writer(if people { BOM.to_vec() } else { Vec::new() });
    let fail = |e: csv::Error| ExportError::Csv(e.to_string());
    w.write_record(&t.headers).map_err(fail)?;
    for row in &t.rows {
        w.write_record(row.iter().map(|c| match c {
            Cell::Text(s) => s.clone(),
            Cell::Number(x) if people => x.to_string().replace('.', ","),
            Cell::Number(x) => x.to_string(),
            Cell::Date(d) if people => crate::time::date_vn(*d),
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

    fn table() -> Table {
        Table {
            name: "x",
            headers: vec!["Tên", "Điểm", "Ngày"],
            widths: vec![],
            rows: vec![vec![
                Cell::Text("Xã Nghi Lộc; \"A\", B".into()),
                Cell::Number(86.5),
                Cell::Date(chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()),
            ]],
        }
    }

    #[test]
    fn for_people_excel_in_vietnamese_reads_it() {
        let out = render(&table(), CsvDialect::People).unwrap();
        assert!(out.starts_with(BOM));
        let text = String::from_utf8(out[3..].to_vec()).unwrap();
        assert_eq!(
            text,
            "Tên;Điểm;Ngày\r\n\"Xã Nghi Lộc; \"\"A\"\", B\";86,5;30/11/2026\r\n"
        );
    }

    #[test]
    fn for_machines_any_program_reads_it() {
        let out = render(&table(), CsvDialect::Machine).unwrap();
        assert!(!out.starts_with(BOM));
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "Tên,Điểm,Ngày\n\"Xã Nghi Lộc; \"\"A\"\", B\",86.5,2026-11-30\n"
        );
    }
}
