//! Which way a KPI target points (higher or lower is better), shared by `compare` and the
//! SQLite archive so that both judge "met" the same way. Where the report says (以上, 以下, 未満,
//! 超, 減, 増) that decides; where it does not, the rule is a guess and says so ("assumed …").

use crate::model::Kpi;

/// Which way the target points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Goal {
    /// result ≥ target (or > when strict)
    AtLeast { strict: bool },
    /// result ≤ target (or < when strict)
    AtMost { strict: bool },
}

/// Indicators where less is better, for targets without a qualifier. Without one a target
/// reads as "reach this", which is right for rates and counts of good things but wrong for
/// debt ratios or complaints; these words are the common cases of the latter.
pub const LOWER_IS_BETTER: &[&str] = &[
    "公債費",
    "将来負担比率",
    "経常収支比率",
    "超過",
    "苦情",
    "事故",
    "待機児童",
    "滞納",
];

/// The goal of a target and the name of the rule, or None when there is nothing to judge by.
pub fn goal_of(target: &Kpi) -> (Goal, &'static str) {
    match target.qualifier.as_deref() {
        Some("以上") => (Goal::AtLeast { strict: false }, "以上"),
        Some("超") => (Goal::AtLeast { strict: true }, "超"),
        Some("以下") => (Goal::AtMost { strict: false }, "以下"),
        Some("未満") => (Goal::AtMost { strict: true }, "未満"),
        // A reduction (増: an increase) of at least the target amount.
        Some("減") => (Goal::AtLeast { strict: false }, "減"),
        Some("増") => (Goal::AtLeast { strict: false }, "増"),
        _ => {
            let lower = target.value == Some(0.0)
                || target
                    .indicator
                    .as_deref()
                    .is_some_and(|i| LOWER_IS_BETTER.iter().any(|w| i.contains(w)));
            if lower {
                (Goal::AtMost { strict: false }, "assumed 以下")
            } else {
                (Goal::AtLeast { strict: false }, "assumed 以上")
            }
        }
    }
}

impl Goal {
    /// "higher" or "lower": which way is better.
    pub fn direction(self) -> &'static str {
        match self {
            Goal::AtLeast { .. } => "higher",
            Goal::AtMost { .. } => "lower",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(indicator: &str, value: f64, qualifier: Option<&str>) -> Kpi {
        Kpi {
            indicator: Some(indicator.into()),
            value: Some(value),
            qualifier: qualifier.map(Into::into),
            ..Kpi::default()
        }
    }

    #[test]
    fn stated_and_assumed_goals() {
        assert_eq!(goal_of(&target("受験倍率", 10.0, Some("以上"))).1, "以上");
        assert_eq!(
            goal_of(&target("実質公債費比率", 7.2, None)),
            (Goal::AtMost { strict: false }, "assumed 以下")
        );
        assert_eq!(
            goal_of(&target("苦情申立件数", 0.0, None)).0.direction(),
            "lower"
        );
        assert_eq!(
            goal_of(&target("外部研修受講率", 50.0, None)),
            (Goal::AtLeast { strict: false }, "assumed 以上")
        );
    }
}
