//! The world: two teams' data, who calls, and what each caller must never receive.

use kiemtra::auth::Role;
use serde_json::Value;

use super::plant::{team_one, team_two};
use super::Caller;
use crate::helpers::TestApp;
use crate::photos;
use crate::world::World;

/// One team's objects. Team 2's texts all contain `marker`; team 1's contain its own.
#[derive(Default)]
pub(super) struct TeamData {
    pub(super) marker: String,
    pub(super) team: String,
    pub(super) unit: String,
    /// The draft: findings, a comment, a recommendation, evidence (team 2's: a conflict).
    pub(super) draft: String,
    /// Team 2's approved inspection in the shared round, and its inspection in round 2.
    pub(super) others: Vec<String>,
    pub(super) comment: String,
    pub(super) recommendations: Vec<String>,
    pub(super) evidence: String,
    /// Evidence whose bytes are on their way over tus (`upload`).
    pub(super) evidence_upload: String,
    pub(super) upload: String,
    pub(super) conflicts: Vec<String>,
    pub(super) conclusion: String,
    pub(super) report_rec: String,
    pub(super) assignments: Vec<String>,
    /// A round only team 2 is in.
    pub(super) round2: Option<String>,
}

pub(super) struct Secret {
    pub(super) label: String,
    pub(super) value: String,
}

impl TeamData {
    pub(super) fn inspections(&self) -> Vec<String> {
        let mut all = vec![self.draft.clone()];
        all.extend(self.others.iter().cloned());
        all
    }

    /// What nobody outside the team may see: the marker and the ids of the team's objects.
    pub(super) fn secrets(&self, whose: &str) -> Vec<Secret> {
        let mut named: Vec<(&str, &String)> = vec![
            ("marker", &self.marker),
            ("team id", &self.team),
            ("comment id", &self.comment),
            ("evidence id", &self.evidence),
            ("evidence id (tus)", &self.evidence_upload),
            ("tus upload id", &self.upload),
            ("conclusion id", &self.conclusion),
            ("report recommendation id", &self.report_rec),
        ];
        let lists = [
            ("inspection id", self.inspections()),
            ("recommendation id", self.recommendations.clone()),
            ("conflict id", self.conflicts.clone()),
            ("assignment id", self.assignments.clone()),
            ("round-2 id", self.round2.iter().cloned().collect()),
        ];
        let mut out: Vec<Secret> = named
            .drain(..)
            .map(|(what, v)| Secret {
                label: format!("{whose}'s {what}"),
                value: v.clone(),
            })
            .collect();
        for (what, ids) in lists {
            out.extend(ids.into_iter().map(|value| Secret {
                label: format!("{whose}'s {what}"),
                value,
            }));
        }
        out.retain(|s| !s.value.is_empty());
        out
    }
}

pub(super) struct Fixture {
    pub(super) w: World,
    pub(super) loner: String,
    pub(super) lead1_id: String,
    pub(super) insp1_id: String,
    pub(super) insp2_id: String,
    /// insp2's second device (the one that made the conflict).
    pub(super) insp2_device: String,
    pub(super) png: Vec<u8>,
    pub(super) one: TeamData,
    pub(super) two: TeamData,
}

impl Fixture {
    pub(super) async fn build(app: &TestApp) -> Fixture {
        let w = World::build(app).await;
        let (_, loner) = app.token_for("loner1", Role::Inspector).await;
        let tablet = app
            .login_body("insp2", "pw-insp2-123", Some("tablet"))
            .await
            .json::<Value>()
            .await
            .unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
        let png = photos::png(8, 8);
        let two = team_two(app, &w, &tablet, &png).await;
        let one = team_one(app, &w, &png).await;
        Fixture {
            lead1_id: whoami(app, &w.lead1).await.0,
            insp1_id: whoami(app, &w.insp1).await.0,
            insp2_id: whoami(app, &w.insp2).await.0,
            insp2_device: whoami(app, &tablet).await.1,
            w,
            loner,
            png,
            one,
            two,
        }
    }

    pub(super) fn token(&self, caller: Caller) -> Option<&str> {
        match caller {
            Caller::Lead1 => Some(&self.w.lead1),
            Caller::Insp1 => Some(&self.w.insp1),
            Caller::Loner => Some(&self.loner),
            Caller::Viewer => Some(&self.w.viewer),
            Caller::Admin => Some(&self.w.admin),
            Caller::Anonymous => None,
        }
    }

    /// What `caller` must never receive: team 2's marker and ids; to outsiders, team 1's too.
    pub(super) fn secrets_for(&self, caller: Caller) -> Vec<Secret> {
        match caller {
            // Viewers read everything (docs/api.md): only their writes are checked (refused).
            Caller::Admin | Caller::Viewer => Vec::new(),
            Caller::Lead1 | Caller::Insp1 => self.two.secrets("team 2"),
            Caller::Loner | Caller::Anonymous => {
                let mut all = self.two.secrets("team 2");
                all.extend(self.one.secrets("team 1"));
                all.push(Secret {
                    label: "the shared round's id".into(),
                    value: self.w.round.clone(),
                });
                all
            }
        }
    }
}

/// The user id and this session's device id behind a token.
async fn whoami(app: &TestApp, token: &str) -> (String, String) {
    let me: Value = app.get_json("/api/v1/me", token).await;
    (id_of(&me["user"]), id_of(&me["device"]))
}

pub(super) fn id_of(v: &Value) -> String {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {v}"))
        .to_owned()
}

pub(super) fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub(super) fn hlc(ms: i64, node: &str) -> String {
    format!("{ms:013}:0000:{node}")
}
