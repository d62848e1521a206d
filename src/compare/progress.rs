//! Progress of an initiative: how a label change is judged.

use super::*;

/// Rank of a progress label, higher is better; None for labels without an agreed place.
/// おおむね順調 is the kana spelling of 概ね順調.
pub(super) fn progress_rank(label: &str) -> Option<u8> {
    Some(match label {
        "達成" | "完了" => 5,
        "順調" => 4,
        "概ね順調" | "おおむね順調" => 3,
        "やや遅れ" => 2,
        "遅れ" => 1,
        "未着手" => 0,
        _ => return None,
    })
}

pub(super) fn progress_direction(a: Option<&Progress>, b: Option<&Progress>) -> Direction {
    let rank = |p: Option<&Progress>| p.and_then(|p| progress_rank(&p.label));
    match (rank(a), rank(b)) {
        (Some(x), Some(y)) => match y.cmp(&x) {
            Ordering::Greater => Direction::Improved,
            Ordering::Less => Direction::Worsened,
            Ordering::Equal => Direction::Same,
        },
        _ => Direction::Changed,
    }
}

pub(super) fn progress_text(p: Option<&Progress>) -> String {
    match p {
        Some(p) => format!("{} {}", p.symbol, p.label),
        None => "(none)".into(),
    }
}
