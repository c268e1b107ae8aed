//! Sequences the random search found, replayed on every run (both engines) so that each stays
//! fixed once fixed. Each is followed, as every case is, by everyone syncing and the checks.

use super::model::ScopeOp::{CloseRound, JoinTeam2, LeaveTeam2, MoveAToTeam2};
use super::Op;

fn edit(dev: usize, target: usize, item: usize) -> Op {
    Op::Edit {
        dev,
        target,
        item,
        val: 0,
    }
}

fn sync(dev: usize, drop_push: bool, drop_pull: Option<usize>) -> Op {
    Op::Sync {
        dev,
        drop_push,
        drop_pull,
    }
}

pub fn sequences() -> Vec<(&'static str, Vec<Op>)> {
    vec![
        (
            // lead1's push is applied but its answer lost; unit A moves to team 2; lead1
            // sends the same batch again and is answered with the stored result, whose
            // `current` is IA's answer row: a row of a team lead1 no longer reads.
            "a retried push is answered with a row out of scope",
            vec![edit(2, 0, 0), sync(2, true, None), Op::Scope(MoveAToTeam2)],
        ),
        (
            // The same for an inspector whose round closes: insp1's retry is answered with
            // IA's answer row, of a round closed to inspectors.
            "a retried push is answered with a row of a closed round",
            vec![edit(0, 0, 0), sync(0, true, None), Op::Scope(CloseRound)],
        ),
        (
            // insp1's phone pulls IB's answers (their own positions) but loses the page that
            // would bring IB itself (its head moved past its answers); insp1 then leaves team
            // 2. The team's tombstone removes the team's inspections the device holds, and
            // their rows: IB's answers, held without IB, stay on the phone for good.
            "a pull cut between an inspection's rows and itself, then leaving the team",
            vec![
                Op::Scope(JoinTeam2),
                Op::Scope(LeaveTeam2),
                edit(1, 1, 0),
                edit(1, 1, 1),
                sync(1, false, None),
                Op::Scope(JoinTeam2),
                sync(0, false, Some(1)),
                Op::Scope(LeaveTeam2),
            ],
        ),
    ]
}
