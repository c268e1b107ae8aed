//! Official documents (văn bản) in the layout of Nghị định 30/2020/NĐ-CP: who issues them,
//! how they are headed, dated and signed, per round and issuer.
//!
//! Pure: `nd30` (dates and wording the decree fixes), `issuer` (issuers, their defaults, the
//! resolved letterhead). IO: `store` (settings rows), `service` (who may read and write them,
//! the report each issuer signs), `record` (what a biên bản prints, read from an inspection).

pub mod issuer;
pub mod nd30;
pub mod record;
pub mod service;
pub mod store;

pub use issuer::{DocKind, Issuer, Letterhead, Settings, Signer};
