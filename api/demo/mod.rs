//! The demo dataset behind `serve --demo`: clearly marked demo accounts, then the domain data
//! in `dataset.rs`, loaded idempotently so a restart changes nothing.

mod bright_spots;
mod conflict;
mod dataset;
pub mod findings;
mod followup;
mod obligations;
mod photo;
mod unit;

use actix_web::web;

use crate::auth::password;
use crate::db::Db;
use crate::domain::DomainError;
use crate::media::error::MediaError;
use crate::media::Media;
use crate::role::Role;
use crate::users::service::{self, NewUser, UserError};
use crate::users::store;

/// Every demo username starts with this, so demo data is never mistaken for real accounts.
pub const PREFIX: &str = "demo.";

pub const ACCOUNTS: &[(&str, Role, &str)] = &[
    ("demo.admin", Role::Admin, "Quản trị viên Sở Nội vụ (demo)"),
    (
        "demo.truongdoan1",
        Role::Lead,
        "Nguyễn Văn Hùng – Trưởng đoàn 1 (demo)",
    ),
    (
        "demo.truongdoan2",
        Role::Lead,
        "Trần Thị Lan – Trưởng đoàn 2 (demo)",
    ),
    (
        "demo.kiemtra1",
        Role::Inspector,
        "Lê Văn Minh – Thành viên đoàn 1 (demo)",
    ),
    (
        "demo.kiemtra2",
        Role::Inspector,
        "Phạm Thị Hoa – Thành viên đoàn 1 (demo)",
    ),
    (
        "demo.kiemtra3",
        Role::Inspector,
        "Hoàng Văn Nam – Thành viên đoàn 2 (demo)",
    ),
    ("demo.bcd", Role::Viewer, "Thành viên Ban Chỉ đạo (demo)"),
];

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Users(#[from] UserError),
    #[error("demo dataset: {0:?}")]
    Domain(#[from] DomainError),
    #[error("demo photo: {0}")]
    Media(#[from] MediaError),
    #[error("demo photo: {0}")]
    Photo(String),
}

impl From<crate::db::DbError> for DemoError {
    fn from(e: crate::db::DbError) -> Self {
        DemoError::Domain(e.into())
    }
}

impl From<actix_web::error::BlockingError> for DemoError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        DemoError::Photo(e.to_string())
    }
}

impl From<diesel::result::Error> for DemoError {
    fn from(e: diesel::result::Error) -> Self {
        DemoError::Domain(e.into())
    }
}

pub struct CreatedAccount {
    pub username: String,
    pub role: Role,
    pub password: String,
}

/// Creates whatever part of the demo dataset is missing; returns the accounts created now
/// (with their generated passwords, which exist nowhere else).
pub async fn load(db: &Db, media: &Media) -> Result<Vec<CreatedAccount>, DemoError> {
    let created = accounts(db).await?;
    // Staged only when this run created the inspections; a restart finds them done.
    if let Some(staged) = db.write(dataset::load).await? {
        for (seed, (inspection, inspector)) in staged.photographers().into_iter().enumerate() {
            photo::attach(media, db, inspection, inspector, seed as u8).await?;
        }
        db.write(move |c| dataset::conclude(c, &staged)).await?;
    }
    let mut created = created;
    created.extend(unit::account(db).await?);
    bright_spots::load(db).await?;
    followup::load(db, media).await?;
    obligations::load(db, media).await?;
    Ok(created)
}

/// The demo accounts that are missing, created now.
async fn accounts(db: &Db) -> Result<Vec<CreatedAccount>, UserError> {
    let mut created = Vec::new();
    for (username, role, full_name) in ACCOUNTS {
        let u = (*username).to_owned();
        if db
            .read(move |c| store::find_by_username(c, &u).map_err(UserError::from))
            .await?
            .is_some()
        {
            continue;
        }
        let plain = password::generate(12);
        let p = plain.clone();
        let password_hash = web::block(move || password::hash(&p)).await??;
        let new = NewUser {
            username: (*username).into(),
            full_name: (*full_name).into(),
            role: *role,
            password_hash,
            unit_id: None,
            email: None,
        };
        match db
            .write(move |c| service::create(c, &crate::audit::Actor::cli(), &new))
            .await
        {
            Ok(_) => created.push(CreatedAccount {
                username: (*username).into(),
                role: *role,
                password: plain,
            }),
            // Another process loaded it meanwhile; theirs stands.
            Err(UserError::UsernameTaken) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(created)
}

pub fn print_accounts(created: &[CreatedAccount]) {
    if created.is_empty() {
        println!(
            "demo dataset present; demo passwords were shown when it was first loaded \
             (reset one with: kiemtra user set-password --username demo.admin)"
        );
        return;
    }
    println!("demo accounts (passwords shown once):");
    for a in created {
        println!("  {:<18} {:<9} {}", a.username, a.role.as_str(), a.password);
    }
}
