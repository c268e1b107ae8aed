//! The `kiemtra` command line: serve, migrate, manage users.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::audit::Actor;
use crate::auth::password;
use crate::config::Settings;
use crate::domain::DomainError;
use crate::role::Role;
use crate::startup::{open_database, Application};
use crate::users::model::{check_full_name, check_password, check_username};
use crate::users::service::{self, NewUser, UserError, UserUpdate};
use crate::users::store;

#[derive(Parser)]
#[command(
    name = "kiemtra",
    version,
    about = "Backend for dân vận chính quyền inspections (Nghệ An)"
)]
struct Cli {
    /// A TOML settings file; `KIEMTRA_*` environment variables override it.
    #[arg(long, global = true, env = "KIEMTRA_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run migrations, then serve the API.
    Serve {
        /// Address to listen on (default 127.0.0.1:8080, or KIEMTRA_BIND).
        #[arg(long)]
        bind: Option<String>,
        /// Load the demo dataset (idempotent) and print the demo accounts.
        #[arg(long)]
        demo: bool,
    },
    /// Run pending database migrations and exit.
    Migrate,
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Checklist templates.
    #[command(subcommand)]
    Template(TemplateCommand),
    /// Write a round's report: docx, xlsx, csv (one table), chart-png or chart-svg.
    Export(crate::reports::cli::ExportArgs),
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the hash chain; exits non-zero and names the first broken entry if any was altered.
    Verify,
}

#[derive(Subcommand)]
enum TemplateCommand {
    /// Publish the bundled 2026 checklist (dvcq-2026), so rounds can use it without `--demo`.
    /// Running it again changes nothing and says so.
    InstallDefault {
        /// The administrator recorded as its author (default: the first administrator).
        #[arg(long)]
        admin: Option<String>,
        /// When an older or edited version is published, publish the bundled one as the next
        /// version.
        #[arg(long)]
        upgrade: bool,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user. The password is read from standard input when it is piped in;
    /// otherwise one is generated and printed once.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        #[arg(long)]
        full_name: String,
    },
    /// Set a user's password (read from standard input, or generated and printed) and sign
    /// them out everywhere.
    SetPassword {
        #[arg(long)]
        username: String,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| "one of admin, lead, inspector, viewer".into())
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("kiemtra: {e}");
            return ExitCode::from(2);
        }
    };
    crate::telemetry::init(&settings.log_format);
    let result = actix_web::rt::System::new().block_on(run(cli.command, settings));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kiemtra: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, mut settings: Settings) -> Result<(), Box<dyn std::error::Error>> {
    match command {
        Command::Serve { bind, demo } => {
            if let Some(b) = bind {
                settings.bind = b;
            }
            let db = open_database(&settings).await?;
            if demo {
                // The demo's photos go in through the evidence store the server will use.
                let media = crate::media::Media::open(&settings)?;
                let created = crate::demo::load(&db, &media).await?;
                crate::demo::print_accounts(&created);
            }
            let data_dir = settings.data_dir.display().to_string();
            let database = settings.database_display();
            let app = Application::build_with(settings, db).await?;
            println!(
                "kiemtra listening on http://{} (database: {database}; data folder: {data_dir}; docs: http://{}/docs)",
                app.addr(),
                app.addr()
            );
            std::io::stdout().flush()?;
            app.run_until_stopped().await?;
            Ok(())
        }
        Command::Migrate => {
            settings.ensure_data_dir()?;
            let url = settings.database_url();
            let size = settings.pools();
            let ran = tokio::task::spawn_blocking(move || {
                crate::db::Db::connect(&url, size)?.migrate(crate::upgrades::STEPS)
            })
            .await??;
            println!(
                "{ran} migration(s) applied to {}",
                settings.database_display()
            );
            Ok(())
        }
        Command::User(cmd) => user_command(cmd, settings).await,
        Command::Export(args) => crate::reports::cli::run(args, settings).await,
        Command::Template(TemplateCommand::InstallDefault { admin, upgrade }) => {
            let db = open_database(&settings).await?;
            println!("{}", install_default(&db, admin, upgrade).await?);
            Ok(())
        }
        Command::Audit(AuditCommand::Verify) => {
            let db = open_database(&settings).await?;
            let result = db
                .read(|c| crate::audit::store::verify(c).map_err(crate::db::DbError::from))
                .await?;
            match result {
                Ok(n) => {
                    println!("audit log intact: {n} entries verified");
                    Ok(())
                }
                Err(b) => Err(format!("audit log broken at entry {}: {}", b.seq, b.reason).into()),
            }
        }
    }
}

/// The password from piped standard input, or a generated one (and whether it was generated).
fn read_or_generate_password() -> Result<(String, bool), Box<dyn std::error::Error>> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        let p = line.trim_end_matches(['\r', '\n']).to_owned();
        if !p.is_empty() {
            check_password("/password", &p).map_err(|e| e.message.en)?;
            return Ok((p, false));
        }
    }
    Ok((password::generate(16), true))
}

async fn user_command(
    cmd: UserCommand,
    settings: Settings,
) -> Result<(), Box<dyn std::error::Error>> {
    let db = open_database(&settings).await?;
    match cmd {
        UserCommand::Create {
            username,
            role,
            full_name,
        } => {
            let username = check_username("/username", &username).map_err(|e| e.message.en)?;
            let full_name = check_full_name("/full_name", &full_name).map_err(|e| e.message.en)?;
            let (plain, generated) = read_or_generate_password()?;
            let password_hash = password::hash(&plain)?;
            let new = NewUser {
                username: username.clone(),
                full_name,
                role,
                password_hash,
                // A unit's representative is made by an administrator, who picks the unit.
                unit_id: None,
                email: None,
            };
            db.write(move |c| service::create(c, &Actor::cli(), &new))
                .await
                .map_err(describe)?;
            println!("created {role} {username}");
            if generated {
                println!("password (shown once): {plain}");
            }
        }
        UserCommand::SetPassword { username } => {
            let username = crate::users::model::normalize_username(&username);
            let (plain, generated) = read_or_generate_password()?;
            let password_hash = password::hash(&plain)?;
            let u = username.clone();
            db.write(move |c| {
                let user = store::find_by_username(c, &u)?.ok_or(UserError::NotFound)?;
                service::update(
                    c,
                    &Actor::cli(),
                    &user.id,
                    UserUpdate {
                        password_hash: Some(password_hash),
                        ..Default::default()
                    },
                )
            })
            .await
            .map_err(describe)?;
            println!("password of {username} changed; their devices are signed out");
            if generated {
                println!("password (shown once): {plain}");
            }
        }
    }
    Ok(())
}

/// Installs the default checklist as an administrator; returns the line to print.
pub async fn install_default(
    db: &crate::db::Db,
    admin: Option<String>,
    upgrade: bool,
) -> Result<String, Box<dyn std::error::Error>> {
    use crate::templates::install::{self, Outcome};
    let done = db
        .write(move |c| {
            let author = active_admin(c, admin.as_deref())?.ok_or_else(|| {
                let en = match &admin {
                    Some(name) => format!("`{name}` is not an active administrator."),
                    None => "No active administrator to record as the author; create one \
                             first (kiemtra user create --role admin …)."
                        .into(),
                };
                DomainError::conflict(
                    "no_admin",
                    en,
                    "Chưa có quản trị viên đang hoạt động để ghi là người ban hành.",
                )
            })?;
            let actor = Actor {
                user_id: Some(author),
                device_id: None,
            };
            install::install_default(c, &actor, upgrade)
        })
        .await
        .map_err(explain)?;
    let v = format!("{} version {}", done.code, done.number);
    Ok(match done.outcome {
        Outcome::Published => format!("published {v}"),
        Outcome::AlreadyThere => format!("{v} is already installed; nothing changed"),
        Outcome::Differs => format!(
            "{v} differs from the bundled default; nothing changed \
             (--upgrade publishes the bundled one as the next version)"
        ),
    })
}

/// The id of the named administrator, or of the first one created, if active. A published
/// version must name the user who published it.
fn active_admin(
    c: &mut crate::db::DbConn,
    username: Option<&str>,
) -> Result<Option<String>, DomainError> {
    use crate::db::schema::users;
    use diesel::prelude::*;
    let mut q = users::table
        .filter(users::role.eq(Role::Admin.as_str()))
        .filter(users::disabled.eq(false))
        .into_boxed();
    if let Some(name) = username {
        q = q.filter(users::username.eq(crate::users::model::normalize_username(name)));
    }
    Ok(q.order((users::created_at.asc(), users::id.asc()))
        .select(users::id)
        .first::<String>(c)
        .optional()?)
}

fn explain(e: DomainError) -> String {
    match e {
        DomainError::Conflict { message, .. } => message.en,
        DomainError::Invalid(faults) => faults
            .iter()
            .map(|f| format!("{}: {}", f.pointer, f.message.en))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

fn describe(e: UserError) -> String {
    match e {
        UserError::UsernameTaken => "that username is already in use".into(),
        UserError::NotFound => "no such user".into(),
        other => other.to_string(),
    }
}
