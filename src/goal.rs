//! Whether a KPI result meets its target, decided once for every output: the item tables
//! (`kpi_direction`, `kpi_met`, `kpi_attainment` in items.csv and SQLite, which the
//! `kpi_progress` view reads) and `jisseki compare` all call [`judge`].
//!
//! Which way a target points (higher or lower is better): where the report says (以上, 以下,
//! 未満, 超, 減, 増) that decides; where it does not, the rule is a guess and says so
//! ("assumed …").

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

/// The goal of a target and the name of the rule that decided it.
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

    /// Whether `measured` meets `target` under this goal.
    pub fn met(self, measured: f64, target: f64) -> bool {
        match self {
            Goal::AtLeast { strict: false } => measured >= target,
            Goal::AtLeast { strict: true } => measured > target,
            Goal::AtMost { strict: false } => measured <= target,
            Goal::AtMost { strict: true } => measured < target,
        }
    }
}

/// The judgement of an item's result against its target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    pub goal: Goal,
    /// What decided the goal: the target's qualifier, or `assumed 以上` / `assumed 以下`.
    pub rule: &'static str,
    /// Both numbers exist, in the same unit, and both or neither are a change (減/増).
    pub comparable: bool,
    /// Whether the result meets the target; None unless comparable.
    pub met: Option<bool>,
    /// How far the result is along the way to the target, in the target's direction: 1 is
    /// the target exactly, below 1 short of it, above 1 beyond it. For "higher is better"
    /// result / target, for "lower is better" target / result. None unless comparable, and
    /// where the ratio has no meaning (a target of 0; a result of 0 against a ceiling).
    pub attainment: Option<f64>,
}

/// The result as the number the goal compares. For 減/増 targets the result is the change in
/// the target's direction (an actual `3%増` against a `10%減` target is a reduction of -3). For a
/// range result the end that is worse for the goal counts, so a range meets the target only when
/// all of it does.
pub fn measure(actual: &Kpi, target: &Kpi, goal: Goal) -> Option<f64> {
    let lo = actual.value?;
    let hi = actual.value_max.unwrap_or(lo);
    let v = match goal {
        Goal::AtLeast { .. } => lo,
        Goal::AtMost { .. } => hi,
    };
    match (target.qualifier.as_deref(), actual.qualifier.as_deref()) {
        (Some("減"), Some("増")) | (Some("増"), Some("減")) => Some(-v),
        _ => Some(v),
    }
}

fn is_change(k: &Kpi) -> bool {
    matches!(k.qualifier.as_deref(), Some("減" | "増"))
}

/// Judge `actual` against `target`. None when the target has no number (nothing to judge by).
pub fn judge(target: &Kpi, actual: Option<&Kpi>) -> Option<Verdict> {
    let tv = target.value?;
    let (goal, rule) = goal_of(target);
    let measured = actual
        .filter(|a| a.unit == target.unit && is_change(a) == is_change(target))
        .and_then(|a| measure(a, target, goal));
    let attainment = measured.and_then(|m| match goal {
        Goal::AtLeast { .. } if tv != 0.0 => Some(m / tv),
        Goal::AtMost { .. } if tv > 0.0 && m > 0.0 => Some(tv / m),
        _ => None,
    });
    Some(Verdict {
        goal,
        rule,
        comparable: measured.is_some(),
        met: measured.map(|m| goal.met(m, tv)),
        attainment,
    })
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

    fn actual(value: f64, qualifier: Option<&str>) -> Kpi {
        Kpi {
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

    #[test]
    fn attainment_follows_the_direction() {
        // Higher is better: 46 of 50 is 0.92 of the way.
        let v = judge(
            &target("外部研修受講率", 50.0, None),
            Some(&actual(46.0, None)),
        )
        .unwrap();
        assert_eq!((v.met, v.attainment), (Some(false), Some(0.92)));
        // Lower is better: 10 against a ceiling of 5 is half way; 4 is beyond it.
        let ceiling = target("時間外勤務時間", 5.0, Some("以下"));
        let v = judge(&ceiling, Some(&actual(10.0, None))).unwrap();
        assert_eq!((v.met, v.attainment), (Some(false), Some(0.5)));
        let v = judge(&ceiling, Some(&actual(4.0, None))).unwrap();
        assert_eq!((v.met, v.attainment), (Some(true), Some(1.25)));
        // A target of 0: met or not, but no ratio.
        let zero = target("苦情件数", 0.0, None);
        let v = judge(&zero, Some(&actual(5.0, None))).unwrap();
        assert_eq!((v.met, v.attainment), (Some(false), None));
        // Reductions: 4%減 of 10%減; an increase against a reduction target is negative.
        let cut = target("経費", 10.0, Some("減"));
        let v = judge(&cut, Some(&actual(4.0, Some("減")))).unwrap();
        assert_eq!((v.met, v.attainment), (Some(false), Some(0.4)));
        let v = judge(&cut, Some(&actual(3.0, Some("増")))).unwrap();
        assert_eq!((v.met, v.attainment), (Some(false), Some(-0.3)));
        // A change against a level does not compare; neither do different units.
        let v = judge(&cut, Some(&actual(4.0, None))).unwrap();
        assert_eq!((v.comparable, v.met, v.attainment), (false, None, None));
        let mut other_unit = actual(4.0, Some("減"));
        other_unit.unit = Some("件".into());
        assert!(!judge(&cut, Some(&other_unit)).unwrap().comparable);
        // Nothing to judge by.
        assert_eq!(judge(&Kpi::default(), Some(&actual(1.0, None))), None);
    }
}
