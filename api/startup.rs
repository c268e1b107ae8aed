//! Building the application: open the database, migrate, bind, serve.
//!
//! `Application::build` binds the listener itself (port 0 picks a free one) and reports the
//! address, so the integration tests start exactly what production starts.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use actix_web::middleware::{from_fn, Compress};
use actix_web::{web, App, HttpServer};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::JwtKeys;
use crate::config::{ConfigError, Settings};
use crate::db::{Db, DbError};
use crate::middleware::{observe, Metrics};
use crate::routes::{self, ApiDoc, RouteIndex};
use crate::state::AppState;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("metrics: {0}")]
    Metrics(#[from] prometheus::Error),
    #[error("evidence store: {0}")]
    Media(String),
    #[error("start-up task failed: {0}")]
    Task(String),
}

pub struct Application {
    addr: SocketAddr,
    server: actix_web::dev::Server,
}

/// Opens the pool and brings the schema up to date; blocking, so run it off the runtime.
pub async fn open_database(settings: &Settings) -> Result<Db, StartupError> {
    settings.ensure_data_dir()?;
    let url = settings.database_url();
    let size = settings.pools();
    tokio::task::spawn_blocking(move || {
        let db = Db::connect(&url, size)?;
        db.migrate(crate::upgrades::STEPS)?;
        Ok::<_, DbError>(db)
    })
    .await
    .map_err(|e| StartupError::Task(e.to_string()))?
    .map_err(StartupError::from)
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Application, StartupError> {
        let db = open_database(&settings).await?;
        Self::build_with(settings, db).await
    }

    pub async fn build_with(settings: Settings, db: Db) -> Result<Application, StartupError> {
        let jwt = JwtKeys::new(settings.jwt_secret()?.expose().as_bytes());
        let listener = TcpListener::bind(&settings.bind).map_err(|source| StartupError::Bind {
            addr: settings.bind.clone(),
            source,
        })?;
        let addr = listener.local_addr().map_err(|source| StartupError::Bind {
            addr: settings.bind.clone(),
            source,
        })?;
        let json_limit = settings.json_body_limit;
        let header_timeout = settings.header_timeout_secs.max(1);
        let workers = if settings.workers == 0 {
            num_workers()
        } else {
            settings.workers
        };
        let shutdown = settings.shutdown_timeout_secs;
        let media =
            crate::media::Media::open(&settings).map_err(|e| StartupError::Media(e.to_string()))?;
        tracing::info!(store = %media.store.describe(), "evidence blob store");
        crate::media::sweep::start(media.clone(), db.clone()).await;
        crate::notifications::schedule::start(&settings.reminders, db.clone());
        crate::notifications::outbox::start(&settings.smtp, db.clone());
        let state = web::Data::new(AppState {
            db,
            jwt,
            settings: Arc::new(settings),
            metrics: Metrics::new()?,
            media,
        });

        // The document is generated from the same registrations the server uses. It is made once
        // up front because the docs routes must be registered before the `/api/v1` scope,
        // which would otherwise answer `/api/v1/openapi.json` with its own 404.
        let api = openapi();
        let index = web::Data::new(RouteIndex::from_openapi(&api));
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(index.clone())
                .configure(|cfg| routes::extractor_config(cfg, json_limit))
                .service(SwaggerUi::new("/docs/{_:.*}").url("/api/v1/openapi.json", api.clone()))
                .service(web::redirect("/docs", "/docs/"))
                .into_utoipa_app()
                .configure(routes::configure)
                .into_app()
                .configure(crate::web::configure)
                .default_service(web::to(routes::no_route))
                .wrap(from_fn(crate::middleware::refuse_nul))
                .wrap(from_fn(crate::middleware::body_deadline))
                .wrap(from_fn(observe))
                .wrap(from_fn(crate::middleware::security_headers))
                // Outermost, so it compresses what `observe` rendered last (error bodies
                // included), and the body and its `Content-Encoding` always agree.
                .wrap(Compress::default())
        })
        .listen(listener)
        .map_err(|source| StartupError::Bind {
            addr: addr.to_string(),
            source,
        })?
        .workers(workers)
        .shutdown_timeout(shutdown)
        .client_request_timeout(Duration::from_secs(header_timeout))
        .run();
        Ok(Application { addr, server })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Serves until SIGTERM/SIGINT; in-flight requests then get `shutdown_timeout_secs`.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// The OpenAPI document of every registered route.
pub fn openapi() -> utoipa::openapi::OpenApi {
    use utoipa::Modify;
    let mut doc = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes::configure)
        .split_for_parts()
        .1;
    routes::openapi::CommonResponses.modify(&mut doc);
    doc
}

fn num_workers() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
}
