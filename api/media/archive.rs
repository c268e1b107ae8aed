//! The evidence of a round as one ZIP: every original, byte-exact, in a folder per unit and
//! item, with a manifest (CSV, UTF-8 with BOM for Excel) of each photo's SHA-256, capture time
//! and position. Written as a stream (ZIP data descriptors, no seeking): the archive is never
//! whole in memory or on disk, whatever the round's size.

use std::io::{Read, Write};

use diesel::prelude::*;

use bytes::Bytes;
use futures_util::StreamExt;

use super::blob::{original_key, BlobStore, ByteStream};
use super::model::EvidenceRow;
use crate::db::schema::{evidence, inspections, units};
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::scope::Scope;

/// One photo of the archive.
#[derive(Debug, Clone)]
pub struct Entry {
    pub path: String,
    pub unit_code: String,
    pub unit_name: String,
    pub inspection_status: String,
    pub evidence: EvidenceRow,
}

/// The round's stored photos the caller may see (`None`: the command line, everything), in
/// unit, item, time order. 404 for a round outside the caller's scope.
pub fn entries(
    conn: &mut DbConn,
    scope: Option<&Scope>,
    round_id: &str,
) -> Result<Vec<Entry>, DomainError> {
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
    Ok(rows
        .into_iter()
        .filter(|(_, _, _, _, team)| scope.is_none_or(|s| s.sees(team, &round.status)))
        .map(|(ev, code, name, status, _)| Entry {
            path: format!(
                "{}/{}/{}.{}",
                clean(&format!("{code} - {name}")),
                clean(&ev.item_id),
                ev.id,
                super::inspect::Format::extension_of(ev.media_type.as_deref())
            ),
            unit_code: code,
            unit_name: name,
            inspection_status: status,
            evidence: ev,
        })
        .collect())
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

/// The manifest: one line per photo.
pub fn manifest(entries: &[Entry]) -> Result<Vec<u8>, csv::Error> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record([
            "file",
            "unit_code",
            "unit_name",
            "inspection_status",
            "item_id",
            "evidence_id",
            "sha256",
            "size_bytes",
            "media_type",
            "width",
            "height",
            "exif_taken_at",
            "exif_latitude",
            "exif_longitude",
            "claimed_taken_at",
            "claimed_latitude",
            "claimed_longitude",
            "caption",
            "uploaded_at",
        ])?;
        let opt = |v: Option<String>| v.unwrap_or_default();
        for e in entries {
            let ev = &e.evidence;
            w.write_record([
                e.path.clone(),
                e.unit_code.clone(),
                e.unit_name.clone(),
                e.inspection_status.clone(),
                ev.item_id.clone(),
                ev.id.clone(),
                opt(ev.sha256.clone()),
                opt(ev.size_bytes.map(|v| v.to_string())),
                opt(ev.media_type.clone()),
                opt(ev.width.map(|v| v.to_string())),
                opt(ev.height.map(|v| v.to_string())),
                opt(ev.exif_taken_at.clone()),
                opt(ev.exif_latitude.map(|v| v.to_string())),
                opt(ev.exif_longitude.map(|v| v.to_string())),
                opt(ev.claimed_taken_at.map(|t| t.and_utc().to_rfc3339())),
                opt(ev.claimed_latitude.map(|v| v.to_string())),
                opt(ev.claimed_longitude.map(|v| v.to_string())),
                opt(ev.caption.clone()),
                opt(ev.uploaded_at.map(|t| t.and_utc().to_rfc3339())),
            ])?;
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
    }
}
