//! What the simulation believes about scope: who is in which team, whether the round is open,
//! which team unit A belongs to; and the administrator's scope changes that move it.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::TestApp;
use crate::world::World;

/// The people behind the devices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum User {
    Insp1,
    Insp2,
    Lead1,
}

/// d0 = insp1's phone, d1 = insp2, d2 = lead1, d3 = insp1's tablet.
pub const DEVICE_USERS: [User; 4] = [User::Insp1, User::Insp2, User::Lead1, User::Insp1];

/// IA (unit A, made by insp1) and IB (unit B, made by insp2).
pub const TARGETS: [&str; 2] = ["IA", "IB"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeOp {
    JoinTeam2,
    LeaveTeam2,
    CloseRound,
    ReopenRound,
    MoveAToTeam2,
    MoveAToTeam1,
}

pub const SCOPE_OPS: [ScopeOp; 6] = [
    ScopeOp::JoinTeam2,
    ScopeOp::LeaveTeam2,
    ScopeOp::CloseRound,
    ScopeOp::ReopenRound,
    ScopeOp::MoveAToTeam2,
    ScopeOp::MoveAToTeam1,
];

/// The scope as it stands (all false: the world as built).
#[derive(Debug, Clone, Copy, Default)]
pub struct State {
    pub insp1_in_team2: bool,
    pub round_closed: bool,
    pub a_in_team2: bool,
}

impl State {
    pub fn apply(&mut self, op: ScopeOp) {
        match op {
            ScopeOp::JoinTeam2 => self.insp1_in_team2 = true,
            ScopeOp::LeaveTeam2 => self.insp1_in_team2 = false,
            ScopeOp::CloseRound => self.round_closed = true,
            ScopeOp::ReopenRound => self.round_closed = false,
            ScopeOp::MoveAToTeam2 => self.a_in_team2 = true,
            ScopeOp::MoveAToTeam1 => self.a_in_team2 = false,
        }
    }

    /// Is `user` in team 2 (`true`) or team 1 (`false`)?
    pub fn in_team(&self, user: User, team2: bool) -> bool {
        match user {
            User::Insp1 => !team2 || self.insp1_in_team2,
            User::Insp2 => team2,
            User::Lead1 => !team2,
        }
    }

    /// Whether the target inspection (0 = IA, 1 = IB) is team 2's work.
    pub fn team2_owns(&self, target: usize) -> bool {
        target == 1 || self.a_in_team2
    }

    /// May `user` read the target inspection now?
    pub fn sees(&self, user: User, target: usize) -> bool {
        self.in_team(user, self.team2_owns(target)) && (!self.round_closed || user == User::Lead1)
    }

    /// The refusal an answer edit of `user` on the target meets now; `None` if it may write.
    pub fn refusal(&self, user: User, target: usize) -> Option<&'static str> {
        if !self.sees(user, target) {
            Some("not_found")
        } else if self.round_closed {
            Some("round_not_open")
        } else {
            None
        }
    }
}

/// Ids the scope changes need.
pub struct People {
    pub insp1: String,
    pub insp2: String,
    pub lead2: String,
}

impl People {
    pub async fn of(app: &TestApp, w: &World) -> People {
        let t1: Value = app
            .get_json(&format!("/api/v1/teams/{}", w.team1), &w.admin)
            .await;
        let t2: Value = app
            .get_json(&format!("/api/v1/teams/{}", w.team2), &w.admin)
            .await;
        let s = |v: &Value| v.as_str().unwrap().to_owned();
        People {
            insp1: s(&t1["member_ids"][0]),
            insp2: s(&t2["member_ids"][0]),
            lead2: s(&t2["lead_id"]),
        }
    }
}

/// The administrator makes the change (it must succeed).
pub async fn change_scope(app: &TestApp, w: &World, people: &People, op: ScopeOp) {
    let (method, path, body) = match op {
        ScopeOp::JoinTeam2 | ScopeOp::LeaveTeam2 => {
            let mut members = vec![people.insp2.clone()];
            if op == ScopeOp::JoinTeam2 {
                members.push(people.insp1.clone());
            }
            (
                Method::PATCH,
                format!("/api/v1/teams/{}", w.team2),
                json!({"name": "Đoàn 2", "lead_id": people.lead2, "member_ids": members}),
            )
        }
        ScopeOp::CloseRound | ScopeOp::ReopenRound => {
            let status = if op == ScopeOp::CloseRound {
                "closed"
            } else {
                "open"
            };
            (
                Method::PATCH,
                format!("/api/v1/rounds/{}", w.round),
                json!({ "status": status }),
            )
        }
        ScopeOp::MoveAToTeam2 | ScopeOp::MoveAToTeam1 => {
            let team = if op == ScopeOp::MoveAToTeam2 {
                &w.team2
            } else {
                &w.team1
            };
            (
                Method::PUT,
                format!("/api/v1/rounds/{}/assignments", w.round),
                json!({"assignments": [{"unit_id": w.unit_a, "team_id": team}]}),
            )
        }
    };
    let res = app
        .authed(method, &path, &w.admin)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    assert!(
        status.is_success(),
        "{op:?}: {status} {}",
        res.text().await.unwrap()
    );
}
