//! The round's evidence as one streamed ZIP.

use std::io::{Read, Write};

use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use bytes::Bytes;
use futures_util::StreamExt;

use crate::auth::CurrentUser;
use crate::domain::parse_id;
use crate::error::ApiError;
use crate::media::archive::{self, Entry};
use crate::media::blob::{original_key, BlobStore, ByteStream};
use crate::scope::Scope;
use crate::state::AppState;

/// Every evidence original of the round (those the caller may see), in folders by unit and
/// item, with `manifest.csv` (SHA-256, capture time, GPS). Streamed as it is written.
#[utoipa::path(tag = "evidence", security(("bearer" = [])), params(("id" = String, Path, description = "Round id")),
    responses((status = 200, description = "ZIP archive", content_type = "application/zip")))]
#[get("/rounds/{id}/evidence.zip")]
pub async fn evidence_archive(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let round = parse_id(&id)?;
    let r2 = round.clone();
    let entries = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            archive::entries(c, &scope, &r2)
        })
        .await?;
    let body = stream(state.media.store.clone(), entries);
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/zip"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"minh-chung-{round}.zip\""),
        ))
        .streaming(body))
}

/// Runs the (blocking) ZIP writer on its own thread; its output reaches the response through a
/// small bounded channel, so a slow client slows the writer instead of filling memory.
pub fn stream(
    store: std::sync::Arc<dyn BlobStore>,
    entries: Vec<Entry>,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let rt = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let mut out = ChannelWriter {
            tx: tx.clone(),
            buf: Vec::with_capacity(CHUNK),
        };
        let result = archive::write(&mut out, &entries, |e| open(&rt, store.as_ref(), e))
            .and_then(|()| out.flush());
        if let Err(e) = result {
            tracing::warn!(error = %e, "evidence archive cut short");
            let _ = tx.blocking_send(Err(e));
        }
    });
    tokio_stream(rx)
}

fn tokio_stream(
    mut rx: tokio::sync::mpsc::Receiver<Result<Bytes, std::io::Error>>,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

const CHUNK: usize = 256 * 1024;

struct ChannelWriter {
    tx: tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
    buf: Vec<u8>,
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx.blocking_send(Ok(chunk)).map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away")
        })
    }
}

/// An original as a reader: the file itself for local storage, else the store's stream.
fn open(
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
