//! Documents kept outside inspections (docs/attachments.md): a unit's reports, a remedy's
//! documents and photos, a self-assessment item's evidence, a điểm sáng's files.
//!
//! An attachment is a row saying whose the file is (`owner_kind`, `owner_id`), its name and
//! checked media type; the bytes live in the evidence blob store under their SHA-256. The kind
//! of a file is decided by its bytes (`kind`, pure), never by its name. Who may read a file is
//! the owner's rule, applied by `crate::files` (the download route) above this module: this
//! module never decides it alone, and imports no owning area. Uploads are received by the
//! owning area's own route, which authorizes first and then calls [`http::put_owned`] with its
//! own read and write rules; [`audited::record_audited`] records and audits in its transaction.

pub mod audited;
pub mod error;
pub mod http;
pub mod kind;
pub mod listing;
pub mod owner;
pub mod service;
pub mod store;

pub use error::AttachmentError;
pub use kind::FileKind;
pub use owner::OwnerKind;
