//! The round's evidence as one streamed ZIP (served as the `zip` export of a round).

use std::io::Write;

use actix_web::http::header;
use actix_web::HttpResponse;
use bytes::Bytes;

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::media::archive::{self, Entry};
use crate::media::blob::BlobStore;
use crate::scope::Scope;
use crate::state::AppState;

/// The round's evidence ZIP as a streamed response (`GET /rounds/{id}/exports/zip`): every
/// original the caller may see.
pub async fn respond(
    state: &AppState,
    me: CurrentUser,
    round: String,
) -> Result<HttpResponse, ApiError> {
    let limits = state.settings.media.check_limits();
    let archive = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            archive::archive(c, Some(&scope), &round, limits)
        })
        .await?;
    let body = stream(state.media.store.clone(), archive.entries);
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/zip"))
        .insert_header(header::ContentDisposition {
            disposition: header::DispositionType::Attachment,
            parameters: vec![header::DispositionParam::Filename(archive.file_name)],
        })
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
        let result = archive::write(&mut out, &entries, |e| {
            archive::open(&rt, store.as_ref(), e)
        })
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
