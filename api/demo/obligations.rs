//! Demo unit reports (docs/unit-reports.md): the 2026 programme of a few units, on time (before
//! 10/3/2026), one late, the rest missing, so `/bao-cao-don-vi` shows every status. The files
//! are small PDFs recorded as received by Sở Nội vụ's demo account. Loaded once: a unit that
//! already has its programme is left alone.

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use super::DemoError;
use crate::attachments::service::{self as files, Received};
use crate::attachments::{FileKind, OwnerKind};
use crate::db::Db;
use crate::media::blob::original_key;
use crate::media::Media;
use crate::obligations::kind::Kind;
use crate::obligations::store::{self, ReportRow};

const YEAR: i32 = 2026;

/// (unit code, day of March 2026 received).
const SENT: &[(&str, u32)] = &[
    ("DEMO-SO-NV", 2),
    ("DEMO-SO-TC", 6),
    ("DEMO-X-NGHILOC", 9),
    // Late: after the 10/3 deadline.
    ("DEMO-P-TRUONGVINH", 18),
];

fn pdf(unit: &str) -> Vec<u8> {
    format!(
        "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n% Chuong trinh cong tac dan van chinh quyen nam {YEAR} - {unit} [demo]\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )
    .into_bytes()
}

pub async fn load(db: &Db, media: &Media) -> Result<(), DemoError> {
    for (code, day) in SENT {
        let bytes = pdf(code);
        let sha256 = hex::encode(Sha256::digest(&bytes));
        let size = bytes.len() as u64;
        media
            .store
            .put_bytes(&original_key(&sha256), bytes.into())
            .await?;
        let file = Received {
            kind: FileKind::Pdf,
            sha256,
            size,
        };
        let (code, day) = (code.to_string(), *day);
        db.write(move |c| record(c, &code, day, &file)).await?;
    }
    Ok(())
}

fn record(
    c: &mut crate::db::DbConn,
    code: &str,
    day: u32,
    file: &Received,
) -> Result<(), DemoError> {
    let Some(unit) = crate::units::store::find_by_code(c, code)? else {
        return Ok(());
    };
    let sent = store::reports(c, YEAR, Some(std::slice::from_ref(&unit.id)))?;
    if sent.iter().any(|r| r.kind == Kind::Programme.as_str()) {
        return Ok(());
    }
    let Some(admin) = crate::users::store::find_by_username(c, "demo.admin")? else {
        return Ok(());
    };
    let at = NaiveDate::from_ymd_opt(YEAR, 3, day)
        .and_then(|d| d.and_hms_opt(2, 30, 0))
        .unwrap_or_default();
    let id = crate::db::new_id();
    store::insert(
        c,
        &ReportRow {
            id: id.clone(),
            unit_id: unit.id,
            year: YEAR,
            kind: Kind::Programme.as_str().into(),
            submitted_by: admin.id.clone(),
            submitted_at: at,
        },
    )?;
    let name = format!("Chuong-trinh-DVCQ-{YEAR}-{code}.pdf");
    files::record(c, &id, OwnerKind::UnitReport, &id, &name, file, &admin.id)
        .map_err(|e| DemoError::Photo(e.to_string()))?;
    Ok(())
}
