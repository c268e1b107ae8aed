//! The evidence of a round as one ZIP: every original, byte-exact, in a folder per unit and
//! item, with a manifest of each photo's SHA-256, capture time and position. Written as a
//! stream (ZIP data descriptors, no seeking): the archive is never whole in memory or on disk,
//! whatever the round's size.
//!
//! Names are ASCII slugs of the Vietnamese names (`minh-chung-kiem-tra-nam-2026.zip`,
//! `XA-002_phuong-vinh-hung-1/`), which every unzip tool and mail client keeps. The manifest is
//! for people: Vietnamese headers, CSV as Excel in Vietnamese settings reads it (`;`, decimal
//! comma, UTF-8 with BOM, CRLF), coordinates to 6 decimals (about 10 cm), and every time on
//! the local clock with its offset (`+07:00`), never a mix of zones.

use std::io::{Read, Write};

use diesel::prelude::*;

use bytes::Bytes;
use futures_util::StreamExt;

use super::blob::{original_key, BlobStore, ByteStream};
use super::checks::Limits;
use super::model::EvidenceRow;
use crate::db::schema::{evidence, inspections, units};
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::scope::Scope;
use crate::text::slug;

/// One photo of the archive.
#[derive(Debug, Clone)]
pub struct Entry {
    pub path: String,
    pub unit_code: String,
    pub unit_name: String,
    pub inspection_status: String,
    pub evidence: EvidenceRow,
    /// The evidence checks' flags (`media::checks`), in Vietnamese.
    pub flags: Vec<String>,
}

/// The archive of a round: its download name and its photos.
#[derive(Debug, Clone)]
pub struct Archive {
    pub file_name: String,
    pub entries: Vec<Entry>,
}

/// The round's stored photos the caller may see (see [`archive`]).
pub fn entries(
    conn: &mut DbConn,
    scope: Option<&Scope>,
    round_id: &str,
    limits: Limits,
) -> Result<Vec<Entry>, DomainError> {
    archive(conn, scope, round_id, limits).map(|a| a.entries)
}

/// The round's stored photos the caller may see (`None`: the command line, everything), in
/// unit, item, time order, and the archive's name. 404 for a round outside the caller's scope.
pub fn archive(
    conn: &mut DbConn,
    scope: Option<&Scope>,
    round_id: &str,
    limits: Limits,
) -> Result<Archive, DomainError> {
    let round = crate::rounds::store::find(conn, round_id)?.ok_or(DomainError::NotFound)?;
    if let Some(scope) = scope.filter(|s| !s.sees_all()) {
        let mine = crate::rounds::store::round_ids_of_teams(conn, &scope.team_ids)?;
        if !mine.contains(&round.id) || (scope.open_rounds_only() && round.status != "open") {
            return Err(DomainError::NotFound);
        }
    }
    let rows: Vec<(EvidenceRow, String, String, String, String)> = evidence::table
        .inner_join(inspections::table)
        .inner_join(units::table.on(units::id.eq(inspections::unit_id)))
        .filter(inspections::round_id.eq(round_id))
        .filter(evidence::upload_state.eq("stored"))
        .order((
            units::code.asc(),
            evidence::item_id.asc(),
            evidence::created_at.asc(),
            evidence::id.asc(),
        ))
        .select((
            EvidenceRow::as_select(),
            units::code,
            units::name,
            inspections::status,
            inspections::team_id,
        ))
        .load(conn)?;
    let rows: Vec<(EvidenceRow, String, String, String, String)> = rows
        .into_iter()
        .filter(|(_, _, _, _, team)| scope.is_none_or(|s| s.sees(team, &round.status)))
        .collect();
    let flagged =
        super::flagged::flag_all(conn, rows.iter().map(|r| r.0.clone()).collect(), limits)?;
    let entries: Vec<Entry> = rows
        .into_iter()
        .zip(flagged)
        .map(|((ev, code, name, status, _), f)| Entry {
            flags: f.flags.into_iter().map(|x| x.message).collect(),
            path: format!(
                "{}/{}/{}.{}",
                unit_folder(&code, &name),
                clean(&ev.item_id),
                ev.id,
                super::inspect::Format::extension_of(ev.media_type.as_deref())
            ),
            unit_code: code,
            unit_name: name,
            inspection_status: status,
            evidence: ev,
        })
        .collect();
    Ok(Archive {
        file_name: file_name(&round.name, &round.id, &entries),
        entries,
    })
}

/// A unit's folder: its code, then its name as a slug (`XA-002_phuong-vinh-hung-1`).
fn unit_folder(code: &str, name: &str) -> String {
    match slug(name, 60) {
        s if s.is_empty() => clean(code),
        s => clean(&format!("{code}_{s}")),
    }
}

/// `minh-chung-<round>.zip`, and the unit's name too when the archive holds only one unit's
/// photos; the round's id when its name has no letters or digits at all.
fn file_name(round_name: &str, round_id: &str, entries: &[Entry]) -> String {
    let mut name = match slug(round_name, 80) {
        s if s.is_empty() => round_id.to_owned(),
        s => s,
    };
    if let Some(first) = entries.first() {
        if entries.iter().all(|e| e.unit_code == first.unit_code) {
            let unit = slug(&first.unit_name, 60);
            if !unit.is_empty() {
                name = format!("{name}-{unit}");
            }
        }
    }
    format!("minh-chung-{name}.zip")
}

/// A folder name every unzip tool takes: no separators, no control characters, no dots at the
/// ends; Vietnamese letters are kept.
fn clean(s: &str) -> String {
    let c: String = s
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let c = c.trim().trim_matches('.').to_owned();
    if c.is_empty() {
        "_".into()
    } else {
        c
    }
}

pub const MANIFEST: &str = "manifest.csv";

const HEADERS: [&str; 20] = [
    "Tệp",
    "Mã đơn vị",
    "Tên đơn vị",
    "Trạng thái phiếu",
    "Mã mục",
    "Mã minh chứng",
    "SHA-256",
    "Dung lượng (byte)",
    "Định dạng",
    "Chiều rộng (px)",
    "Chiều cao (px)",
    "Thời điểm chụp (EXIF)",
    "Vĩ độ (EXIF)",
    "Kinh độ (EXIF)",
    "Thời điểm chụp (thiết bị báo)",
    "Vĩ độ (thiết bị báo)",
    "Kinh độ (thiết bị báo)",
    "Chú thích",
    "Thời điểm tải lên",
    "Cần xem lại",
];

/// A coordinate to 6 decimals (about 10 cm), trailing zeros dropped, with a decimal comma:
/// `18,8054`, never `18.805400000000002`.
fn coordinate(v: f64) -> String {
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.replace('.', ",")
}

/// The camera's time on the local clock when the camera recorded its offset; as the camera
/// wrote it (no zone) when it did not, since then its zone is unknown.
fn exif_time(s: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(s) {
        Ok(t) => crate::time::local_rfc3339(t.naive_utc()),
        Err(_) => s.to_owned(),
    }
}

fn row(e: &Entry) -> [String; 20] {
    let ev = &e.evidence;
    let opt = |v: Option<String>| v.unwrap_or_default();
    let time = |t: Option<chrono::NaiveDateTime>| opt(t.map(crate::time::local_rfc3339));
    [
        e.path.clone(),
        e.unit_code.clone(),
        e.unit_name.clone(),
        crate::inspections::workflow::status_label(&e.inspection_status).to_owned(),
        ev.item_id.clone(),
        ev.id.clone(),
        opt(ev.sha256.clone()),
        opt(ev.size_bytes.map(|v| v.to_string())),
        opt(ev.media_type.clone()),
        opt(ev.width.map(|v| v.to_string())),
        opt(ev.height.map(|v| v.to_string())),
        opt(ev.exif_taken_at.as_deref().map(exif_time)),
        opt(ev.exif_latitude.map(coordinate)),
        opt(ev.exif_longitude.map(coordinate)),
        time(ev.claimed_taken_at),
        opt(ev.claimed_latitude.map(coordinate)),
        opt(ev.claimed_longitude.map(coordinate)),
        opt(ev.caption.clone()),
        time(ev.uploaded_at),
        e.flags.join(" "),
    ]
}

/// The manifest: one line per photo.
pub fn manifest(entries: &[Entry]) -> Result<Vec<u8>, csv::Error> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        w.write_record(HEADERS)?;
        for e in entries {
            w.write_record(row(e))?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// Writes the archive to `out`: the manifest first, then each original as `open` gives it.
/// Photos are stored, not compressed (JPEG does not shrink further).
pub fn write<W, F>(out: W, entries: &[Entry], mut open: F) -> std::io::Result<()>
where
    W: Write,
    F: FnMut(&Entry) -> std::io::Result<Box<dyn Read>>,
{
    use zip::write::SimpleFileOptions;
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    let mut z = zip::ZipWriter::new_stream(out);
    z.start_file(MANIFEST, opts)
        .map_err(std::io::Error::other)?;
    z.write_all(&manifest(entries).map_err(std::io::Error::other)?)?;
    for e in entries {
        z.start_file(e.path.as_str(), opts)
            .map_err(std::io::Error::other)?;
        std::io::copy(&mut open(e)?, &mut z)?;
    }
    z.finish().map_err(std::io::Error::other)?;
    Ok(())
}

/// An original as a reader: the file itself for local storage, else the store's stream.
pub fn open(
    rt: &tokio::runtime::Handle,
    store: &dyn BlobStore,
    e: &Entry,
) -> std::io::Result<Box<dyn Read>> {
    let key = original_key(e.evidence.sha256.as_deref().unwrap_or_default());
    if let Some(p) = store.local_path(&key) {
        return Ok(Box::new(std::fs::File::open(p)?));
    }
    let body = rt
        .block_on(store.get(&key, None))
        .map_err(std::io::Error::other)?
        .ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::NotFound, format!("{key} is missing"))
        })?;
    Ok(Box::new(StreamReader {
        rt: rt.clone(),
        stream: body.stream,
        cur: Bytes::new(),
    }))
}

struct StreamReader {
    rt: tokio::runtime::Handle,
    stream: ByteStream,
    cur: Bytes,
}

impl Read for StreamReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.cur.is_empty() {
            match self.rt.block_on(self.stream.next()) {
                Some(chunk) => self.cur = chunk?,
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.cur.len());
        buf[..n].copy_from_slice(&self.cur.split_to(n));
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_keep_vietnamese_and_lose_separators() {
        assert_eq!(
            clean("X-DIENCHAU - Xã Diễn Châu"),
            "X-DIENCHAU - Xã Diễn Châu"
        );
        assert_eq!(clean("a/b\\c:d"), "a_b_c_d");
        assert_eq!(clean(" .. "), "_");
        assert_eq!(
            unit_folder("XA-002", "Phường Vinh Hưng 1"),
            "XA-002_phuong-vinh-hung-1"
        );
        assert_eq!(unit_folder("SO/1", "…"), "SO_1");
    }

    #[test]
    fn coordinates_have_six_decimals_at_most_and_times_one_offset() {
        assert_eq!(coordinate(18.805400000000002), "18,8054");
        assert_eq!(coordinate(105.68123456789), "105,681235");
        assert_eq!(coordinate(-0.5), "-0,5");
        assert_eq!(coordinate(106.0), "106");
        assert_eq!(
            exif_time("2026-05-03T02:12:44+00:00"),
            "2026-05-03T09:12:44+07:00"
        );
        assert_eq!(
            exif_time("2026-05-03T09:12:44+07:00"),
            "2026-05-03T09:12:44+07:00"
        );
        assert_eq!(exif_time("2026-05-03T09:12:44"), "2026-05-03T09:12:44");
    }
}
