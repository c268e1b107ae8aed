//! Who may read an attachment: its owner's rule, one arm per owner kind.

use crate::attachments::OwnerKind;
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::scope::Scope;

/// Whether the caller may read the owner `owner_id` of kind `kind` (and so its files).
/// `false` answers 404.
pub fn may_read(
    conn: &mut DbConn,
    scope: &Scope,
    kind: OwnerKind,
    owner_id: &str,
) -> Result<bool, DomainError> {
    match kind {
        OwnerKind::UnitReport => {
            crate::obligations::service::may_read_report(conn, scope, owner_id)
        }
        OwnerKind::Remedy => crate::recommendations::files::may_read_remedy(conn, scope, owner_id),
        OwnerKind::SelfAssessmentItem => {
            crate::selfcheck::files::may_read_item(conn, scope, owner_id)
        }
        OwnerKind::BrightSpot => crate::brightspots::files::may_read(conn, scope, owner_id),
    }
}
