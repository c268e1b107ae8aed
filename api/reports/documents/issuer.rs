//! Who issues a document, and how it is headed and signed: Sở Nội vụ, the steering committee
//! (Ban Chỉ đạo) or an inspection team, each with its own parent body, symbol, signer and
//! recipients. Stored settings override the defaults field by field. Pure.

use chrono::NaiveDate;

/// The issuing body of a document, as the API names it: `snv`, `bcd` or `team:<id>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issuer {
    /// Sở Nội vụ, the committee's standing office, which compiles the province's report.
    Snv,
    /// Ban Chỉ đạo thực hiện công tác dân vận chính quyền tỉnh.
    Bcd,
    /// An inspection team (đoàn kiểm tra), for its own report and its biên bản.
    Team(String),
}

impl Issuer {
    pub fn parse(s: &str) -> Option<Issuer> {
        match s {
            "snv" => Some(Issuer::Snv),
            "bcd" => Some(Issuer::Bcd),
            _ => {
                let id = s.strip_prefix("team:")?;
                let id = crate::domain::parse_id(id).ok()?;
                Some(Issuer::Team(id))
            }
        }
    }

    pub fn key(&self) -> String {
        match self {
            Issuer::Snv => "snv".into(),
            Issuer::Bcd => "bcd".into(),
            Issuer::Team(id) => format!("team:{id}"),
        }
    }

    pub fn team_id(&self) -> Option<&str> {
        match self {
            Issuer::Team(id) => Some(id),
            _ => None,
        }
    }
}

/// What kind of document: its symbol's first half (BC-…, BB-…).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// Báo cáo.
    Report,
    /// Biên bản.
    Record,
}

/// The stored settings of one issuer in one round; `None` takes the default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub parent_body: Option<String>,
    pub issuer_name: Option<String>,
    pub number: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub place: Option<String>,
    pub signer_authority: Option<String>,
    pub signer_title: Option<String>,
    pub signer_name: Option<String>,
    pub recipients: Option<Vec<String>>,
}

/// The signer: authority (TM., KT., TL., TUQ., Q.) when signing for another, title, name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    pub authority: Option<String>,
    pub title: String,
    /// Absent: the line is left for the name to be written by hand.
    pub name: Option<String>,
}

/// Everything a document's heading and signature need, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letterhead {
    /// The parent body, upright capitals ("UBND TỈNH NGHỆ AN").
    pub parent_body: String,
    /// The issuer, bold capitals ("SỞ NỘI VỤ").
    pub issuer: String,
    /// "BC-SNV", "BB-ĐKT" …
    pub symbol: String,
    /// The number; blank for the clerk to fill by hand.
    pub number: String,
    pub place: String,
    pub date: NaiveDate,
    pub signer: Signer,
    /// Nơi nhận, one line each, without the leading "- ".
    pub recipients: Vec<String>,
}

impl Letterhead {
    /// The issuer as one would name it in prose or a file's author field ("Sở Nội vụ" is
    /// kept in capitals: names in capitals are how the heading prints them).
    pub fn author(&self) -> &str {
        &self.issuer
    }
}

pub const PROVINCE: &str = "UBND TỈNH NGHỆ AN";
pub const COMMITTEE: &str = "BAN CHỈ ĐẠO THỰC HIỆN CÔNG TÁC DÂN VẬN CHÍNH QUYỀN TỈNH";
pub const PLACE: &str = "Nghệ An";

/// The defaults of an issuer; `team` is the team's name and its lead's full name.
pub fn defaults(
    issuer: &Issuer,
    team: Option<(&str, &str)>,
) -> (String, String, Signer, Vec<String>) {
    let lines = |ls: &[&str]| ls.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    match issuer {
        Issuer::Snv => (
            PROVINCE.into(),
            "SỞ NỘI VỤ".into(),
            Signer {
                authority: None,
                title: "GIÁM ĐỐC".into(),
                name: None,
            },
            lines(&[
                "Ban Chỉ đạo thực hiện công tác dân vận chính quyền tỉnh (để b/c)",
                "UBND tỉnh (để b/c)",
                "Ban Tuyên giáo và Dân vận Tỉnh ủy",
                "Thành viên, Tổ giúp việc BCĐ tỉnh",
                "Các sở, ban, ngành cấp tỉnh; UBND các xã, phường",
                "Lưu: VT, XDCQ",
            ]),
        ),
        Issuer::Bcd => (
            PROVINCE.into(),
            COMMITTEE.into(),
            Signer {
                authority: Some("TM. BAN CHỈ ĐẠO".into()),
                title: "TRƯỞNG BAN".into(),
                name: None,
            },
            lines(&[
                "Ban Thường vụ Tỉnh ủy (để b/c)",
                "Thường trực HĐND, UBND tỉnh (để b/c)",
                "Ban Tuyên giáo và Dân vận Tỉnh ủy",
                "Thành viên Ban Chỉ đạo tỉnh",
                "Các sở, ban, ngành cấp tỉnh; UBND các xã, phường",
                "Lưu: VT, Sở Nội vụ",
            ]),
        ),
        Issuer::Team(_) => (
            COMMITTEE.into(),
            team_heading(team.map_or("", |t| t.0)),
            Signer {
                authority: None,
                title: "TRƯỞNG ĐOÀN".into(),
                name: team
                    .map(|t| t.1.to_owned())
                    .filter(|n| !n.trim().is_empty()),
            },
            lines(&[
                "Ban Chỉ đạo thực hiện công tác dân vận chính quyền tỉnh (để b/c)",
                "Sở Nội vụ (cơ quan thường trực)",
                "Các đơn vị được kiểm tra",
                "Thành viên Đoàn kiểm tra",
                "Lưu: VT, ĐKT",
            ]),
        ),
    }
}

/// A team's name as its heading prints it: "Đoàn kiểm tra số 1 (Sở Nội vụ)" →
/// "ĐOÀN KIỂM TRA SỐ 1"; "Đoàn 2" → "ĐOÀN KIỂM TRA SỐ 2".
pub fn team_heading(name: &str) -> String {
    let base = name
        .split(" (")
        .next()
        .unwrap_or(name)
        .trim()
        .to_uppercase();
    match base.strip_prefix("ĐOÀN ") {
        Some(n) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => {
            format!("ĐOÀN KIỂM TRA SỐ {n}")
        }
        _ if base.is_empty() => "ĐOÀN KIỂM TRA".into(),
        _ => base,
    }
}

fn abbreviation(issuer: &Issuer) -> &'static str {
    match issuer {
        Issuer::Snv => "SNV",
        Issuer::Bcd => "BCĐ",
        Issuer::Team(_) => "ĐKT",
    }
}

fn filled(v: &Option<String>) -> Option<String> {
    v.as_ref()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

/// The letterhead of a `kind` document by `issuer`, from its stored settings over the
/// defaults; `today` is the date when none is stored.
pub fn resolve(
    issuer: &Issuer,
    kind: DocKind,
    stored: &Settings,
    team: Option<(&str, &str)>,
    today: NaiveDate,
) -> Letterhead {
    let (parent, name, signer, recipients) = defaults(issuer, team);
    let prefix = match kind {
        DocKind::Report => "BC",
        DocKind::Record => "BB",
    };
    let authority = match &stored.signer_authority {
        // An explicit empty authority removes the default one.
        Some(a) => filled(&Some(a.clone())),
        None => signer.authority,
    };
    Letterhead {
        parent_body: filled(&stored.parent_body).unwrap_or(parent),
        issuer: filled(&stored.issuer_name).unwrap_or(name),
        symbol: format!("{prefix}-{}", abbreviation(issuer)),
        number: filled(&stored.number).unwrap_or_default(),
        place: filled(&stored.place).unwrap_or_else(|| PLACE.into()),
        date: stored.issued_on.unwrap_or(today),
        signer: Signer {
            authority,
            title: filled(&stored.signer_title).unwrap_or(signer.title),
            name: filled(&stored.signer_name).or(signer.name),
        },
        recipients: stored
            .recipients
            .clone()
            .filter(|r| !r.is_empty())
            .unwrap_or(recipients),
    }
}

/// Recipient lines as the decree prints them: "- …;" each, the last ending with a full stop.
pub fn recipient_lines(recipients: &[String]) -> Vec<String> {
    let n = recipients.len();
    recipients
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let r = r
                .trim()
                .trim_start_matches("- ")
                .trim_end_matches([';', '.', ' ']);
            let end = if i + 1 == n { "." } else { ";" };
            format!("- {r}{end}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    }

    #[test]
    fn issuers_parse_and_print() {
        assert_eq!(Issuer::parse("snv"), Some(Issuer::Snv));
        assert_eq!(Issuer::parse("bcd"), Some(Issuer::Bcd));
        let id = "0195b1a2-0000-7000-8000-000000000001";
        assert_eq!(
            Issuer::parse(&format!("team:{id}")).map(|i| i.key()),
            Some(format!("team:{id}"))
        );
        assert_eq!(Issuer::parse("team:nope"), None);
        assert_eq!(Issuer::parse("SNV"), None);
    }

    #[test]
    fn each_issuer_has_its_symbol_and_defaults() {
        let none = Settings::default();
        let snv = resolve(&Issuer::Snv, DocKind::Report, &none, None, day());
        assert_eq!(
            (snv.parent_body.as_str(), snv.issuer.as_str()),
            (PROVINCE, "SỞ NỘI VỤ")
        );
        assert_eq!(snv.symbol, "BC-SNV");
        assert_eq!(snv.number, "");
        assert_eq!(snv.date, day());
        assert_eq!(snv.signer.name, None);
        assert!(snv.recipients.last().unwrap().starts_with("Lưu: VT"));
        let bcd = resolve(&Issuer::Bcd, DocKind::Report, &none, None, day());
        assert_eq!(bcd.symbol, "BC-BCĐ");
        assert_eq!(bcd.signer.authority.as_deref(), Some("TM. BAN CHỈ ĐẠO"));
        let team = Issuer::Team("t".into());
        let t = resolve(
            &team,
            DocKind::Record,
            &none,
            Some(("Đoàn 3", "Nguyễn Văn An")),
            day(),
        );
        assert_eq!(
            (t.parent_body.as_str(), t.issuer.as_str()),
            (COMMITTEE, "ĐOÀN KIỂM TRA SỐ 3")
        );
        assert_eq!(t.symbol, "BB-ĐKT");
        assert_eq!(t.signer.name.as_deref(), Some("Nguyễn Văn An"));
    }

    #[test]
    fn stored_settings_override_field_by_field() {
        let s = Settings {
            number: Some(" 12 ".into()),
            signer_authority: Some(String::new()),
            signer_name: Some("Trần Thị Bình".into()),
            recipients: Some(vec!["UBND tỉnh".into(), "Lưu: VT".into()]),
            ..Settings::default()
        };
        let l = resolve(&Issuer::Bcd, DocKind::Report, &s, None, day());
        assert_eq!(l.number, "12");
        assert_eq!(
            l.signer.authority, None,
            "an empty authority clears the default"
        );
        assert_eq!(l.signer.title, "TRƯỞNG BAN");
        assert_eq!(l.signer.name.as_deref(), Some("Trần Thị Bình"));
        assert_eq!(
            recipient_lines(&l.recipients),
            ["- UBND tỉnh;", "- Lưu: VT."]
        );
    }

    #[test]
    fn team_names_become_headings() {
        assert_eq!(
            team_heading("Đoàn kiểm tra số 1 (Sở Nội vụ)"),
            "ĐOÀN KIỂM TRA SỐ 1"
        );
        assert_eq!(team_heading("Đoàn 2"), "ĐOÀN KIỂM TRA SỐ 2");
        assert_eq!(team_heading("Tổ công tác"), "TỔ CÔNG TÁC");
    }
}
