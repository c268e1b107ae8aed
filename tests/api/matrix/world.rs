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
pub(crate) struct TeamData {
    pub(crate) marker: String,
    pub(crate) team: String,
    pub(crate) unit: String,
    /// The draft: findings, a comment, a recommendation, evidence (team 2's: a conflict).
    pub(crate) draft: String,
    /// Team 2's approved inspection in the shared round, and its inspection in round 2.
    pub(crate) others: Vec<String>,
    pub(crate) comment: String,
    pub(crate) recommendations: Vec<String>,
    pub(crate) evidence: String,
    /// Evidence whose bytes are on their way over tus (`upload`).
    pub(crate) evidence_upload: String,
    pub(crate) upload: String,
    pub(crate) conflicts: Vec<String>,
    pub(crate) conclusion: String,
    pub(crate) report_rec: String,
    pub(crate) assignments: Vec<String>,
    /// A round only team 2 is in.
    pub(crate) round2: Option<String>,
    /// The team's unit's bright spot (marked), and its lead's review of it in the shared round.
    pub(crate) bright_spot: String,
    pub(crate) bright_spot_review: String,
}

pub(crate) struct Secret {
    pub(crate) label: String,
    pub(crate) value: String,
}

impl TeamData {
    pub(crate) fn inspections(&self) -> Vec<String> {
        let mut all = vec![self.draft.clone()];
        all.extend(self.others.iter().cloned());
        all
    }

    /// What nobody outside the team may see: the marker and the ids of the team's objects.
    pub(crate) fn secrets(&self, whose: &str) -> Vec<Secret> {
        let mut named: Vec<(&str, &String)> = vec![
            ("marker", &self.marker),
            ("team id", &self.team),
            ("comment id", &self.comment),
            ("evidence id", &self.evidence),
            ("evidence id (tus)", &self.evidence_upload),
            ("tus upload id", &self.upload),
            ("conclusion id", &self.conclusion),
            ("report recommendation id", &self.report_rec),
            ("bright spot id", &self.bright_spot),
            ("bright spot review id", &self.bright_spot_review),
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

pub(crate) struct Fixture {
    pub(crate) w: World,
    pub(crate) loner: String,
    pub(crate) lead1_id: String,
    pub(crate) insp1_id: String,
    pub(crate) insp2_id: String,
    /// insp2's second device (the one that made the conflict).
    pub(crate) insp2_device: String,
    pub(crate) png: Vec<u8>,
    pub(crate) one: TeamData,
    pub(crate) two: TeamData,
    /// Unit representatives: of team 2's unit C, and of a unit in no round.
    pub(crate) unit2: String,
    pub(crate) unitx: String,
    /// Unit C's report (an attachment id).
    pub(crate) unit_report: String,
}

impl Fixture {
    pub(crate) async fn build(app: &TestApp) -> Fixture {
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
        let (unit2, unitx) = super::units::unit_callers(app, &w, &two.marker).await;
        let unit_report = super::units::unit_report(app, &unit2).await;
        Fixture {
            unit_report,
            unit2,
            unitx,
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

    pub(crate) fn token(&self, caller: Caller) -> Option<&str> {
        match caller {
            Caller::Lead1 => Some(&self.w.lead1),
            Caller::Insp1 => Some(&self.w.insp1),
            Caller::Loner => Some(&self.loner),
            Caller::Viewer => Some(&self.w.viewer),
            Caller::Admin => Some(&self.w.admin),
            Caller::Anonymous => None,
            Caller::Unit2 => Some(&self.unit2),
            Caller::UnitX => Some(&self.unitx),
        }
    }

    /// What `caller` must never receive: team 2's marker and ids; to outsiders, team 1's too.
    pub(crate) fn secrets_for(&self, caller: Caller) -> Vec<Secret> {
        match caller {
            // Viewers read everything (docs/api.md): only their writes are checked (refused).
            Caller::Admin | Caller::Viewer => Vec::new(),
            Caller::Lead1 | Caller::Insp1 => self.two.secrets("team 2"),
            // Unit C's representative sees its own self-assessment (team 2's marked text of
            // that kind) and its own rounds; nothing else of either team.
            Caller::Unit2 => {
                let mut all = self.outsider_secrets();
                // And unit C's official recommendation, which names the inspection of unit C
                // that made it (the inspection itself stays closed to the unit).
                let own = [self.two.recommendations.get(1), self.two.others.first()];
                all.retain(|s| {
                    s.value != self.two.marker
                        && Some(&s.value) != self.two.round2.as_ref()
                        && s.value != self.w.round
                        && !own.contains(&Some(&s.value))
                });
                all.extend(
                    super::KINDS
                        .iter()
                        .filter(|k| **k != super::units::MARKED_KIND)
                        .map(|k| Secret {
                            label: format!("team 2's {k} text"),
                            value: format!("{}-{k}", self.two.marker),
                        }),
                );
                all
            }
            Caller::Loner | Caller::Anonymous | Caller::UnitX => self.outsider_secrets(),
        }
    }

    /// Everything of both teams, and the shared round's id.
    fn outsider_secrets(&self) -> Vec<Secret> {
        let mut all = self.two.secrets("team 2");
        all.extend(self.one.secrets("team 1"));
        all.push(Secret {
            label: "the shared round's id".into(),
            value: self.w.round.clone(),
        });
        all
    }
}

/// The user id and this session's device id behind a token.
async fn whoami(app: &TestApp, token: &str) -> (String, String) {
    let me: Value = app.get_json("/api/v1/me", token).await;
    (id_of(&me["user"]), id_of(&me["device"]))
}

pub(crate) fn id_of(v: &Value) -> String {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {v}"))
        .to_owned()
}

pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub(crate) fn hlc(ms: i64, node: &str) -> String {
    format!("{ms:013}:0000:{node}")
}
