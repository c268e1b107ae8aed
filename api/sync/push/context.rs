//! Who pushes: the actor, their scope, the mutation being applied, and the device's clock
//! read strictly and bound to the device of the token.

use super::super::hlc::{self, Hlc};
use crate::audit::Actor;
use crate::domain::DomainError;
use crate::inspections::late::LateInspections;
use crate::scope::Scope;

pub struct Ctx<'a> {
    pub actor: &'a Actor,
    pub scope: &'a Scope,
    pub mid: &'a str,
    /// What a new inspection in a round past its end date gets (`late_inspections`).
    pub late: LateInspections,
}

impl<'a> Ctx<'a> {
    pub fn new(actor: &'a Actor, scope: &'a Scope, mid: &'a str) -> Self {
        Ctx {
            actor,
            scope,
            mid,
            late: LateInspections::Warn,
        }
    }

    /// The node every HLC of this push is written as: the token's device.
    pub fn node(&self) -> &str {
        self.actor
            .device_id
            .as_deref()
            .unwrap_or(self.scope.user_id.as_str())
    }

    /// A device's HLC: exactly `<13-digit ms>:<4-digit counter>:<node>`, clamped to the
    /// server's clock, its node replaced by the token's device.
    pub fn hlc(&self, raw: &str) -> Result<Hlc, DomainError> {
        Hlc::parse_strict(raw)
            .map(|h| h.clamped(hlc::now_ms()).bound_to(self.node()))
            .ok_or_else(invalid_hlc)
    }
}

pub fn invalid_hlc() -> DomainError {
    DomainError::invalid(
        "/hlc",
        "invalid_hlc",
        "An HLC is \"<13-digit unix ms>:<4-digit counter>:<node>\", no earlier than 2020.",
        "HLC có dạng \"<13 chữ số unix ms>:<4 chữ số bộ đếm>:<nút>\", không sớm hơn năm 2020.",
    )
}
