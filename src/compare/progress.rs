//! Ratings of an initiative or item: how a change is judged, on the common scale of contract
//! v2 (so that ◎→○ in one family and S→A in another are both read as "worse").

use std::cmp::Ordering;

use super::types::Direction;
use crate::model::{Level, Rating};

/// Rank of a level, higher is better; None for levels outside the progress order (stopped,
/// not applicable, not evaluable).
pub(super) fn level_rank(level: Level) -> Option<u8> {
    Some(match level {
        Level::Achieved => 7,
        Level::Ahead => 6,
        Level::OnTrack => 5,
        Level::MostlyOnTrack => 4,
        Level::SlightlyDelayed => 3,
        Level::Delayed => 2,
        Level::NotStarted => 1,
        Level::Stopped | Level::NotApplicable | Level::NotEvaluable => return None,
    })
}

pub(super) fn progress_direction(a: Option<&Rating>, b: Option<&Rating>) -> Direction {
    let rank = |p: Option<&Rating>| p.and_then(|p| p.level).and_then(level_rank);
    match (rank(a), rank(b)) {
        (Some(x), Some(y)) => match y.cmp(&x) {
            Ordering::Greater => Direction::Improved,
            Ordering::Less => Direction::Worsened,
            Ordering::Equal => Direction::Same,
        },
        _ => Direction::Changed,
    }
}

/// The rating's word: its label, or its symbol where it has no label.
pub(super) fn rating_word(p: &Rating) -> Option<String> {
    p.label.clone().or_else(|| p.symbol.clone())
}

/// `○ 順調`, `B`, `計画どおり`: what was printed.
pub(super) fn progress_text(p: Option<&Rating>) -> String {
    match p {
        Some(p) => {
            let parts: Vec<&str> = [p.symbol.as_deref(), p.label.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            if parts.is_empty() {
                "(none)".into()
            } else {
                parts.join(" ")
            }
        }
        None => "(none)".into(),
    }
}
