//! One section of the round report that an area of the plan's wider work contributes
//! (recommendations, self-assessment, điểm sáng, the units' reports). Plain data below those
//! areas and the reports alike: each area builds one, `reports::extra` gathers them, and the
//! exports print them without knowing where they came from.

/// One section of the report: a numbered heading, an optional opening paragraph, and a table
/// (or, when the table has no rows, the `empty` sentence).
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// A stable name, for tests and for the XLSX sheet.
    pub key: &'static str,
    /// The heading without its number, in capitals as ND 30 headings are.
    pub title: String,
    pub intro: Option<String>,
    /// Column labels and their relative widths.
    pub columns: Vec<(String, u32)>,
    pub rows: Vec<Vec<String>>,
    /// What the section says when it has no rows.
    pub empty: String,
}
