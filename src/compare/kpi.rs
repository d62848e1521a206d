//! KPI results against targets (judged by [`crate::goal`]), and how they changed between two
//! years.

use std::fmt::Write as _;

use super::types::{Direction, KpiStatus};
use crate::goal::{judge, Goal};
use crate::model::{format_number, Item};

pub(super) fn kpi_status(item: &Item) -> Option<KpiStatus> {
    let (actual, target) = (item.kpi_actual.as_ref(), item.kpi_target.as_ref());
    if actual.is_none() && target.is_none() {
        return None;
    }
    let mut s = KpiStatus {
        indicator: actual
            .and_then(|k| k.indicator.clone())
            .or_else(|| target.and_then(|k| k.indicator.clone())),
        ..KpiStatus::default()
    };
    if let Some(a) = actual {
        s.value = a.value;
        s.value_max = a.value_max;
        s.unit = a.unit.clone();
        s.qualifier = a.qualifier.clone();
    }
    if let Some(t) = target {
        s.target_value = t.value;
        s.target_value_max = t.value_max;
        s.target_unit = t.unit.clone();
        s.target_qualifier = t.qualifier.clone();
        s.target_year = t.year;
    }
    // The one judgement of every output: different units (人 against %) cannot be compared;
    // neither can a missing result.
    if let (Some(a), Some(t)) = (actual, target) {
        if let Some(v) = judge(t, Some(a)) {
            s.rule = Some(v.rule.to_string());
            s.goal = Some(v.goal);
            s.target_met = v.met;
        }
    }
    Some(s)
}

/// Whether two years differ in what the KPI says (result, target or verdict); the years in
/// parentheses and the wording of notes do not count.
pub(super) fn kpi_differs(a: Option<&KpiStatus>, b: Option<&KpiStatus>) -> bool {
    match (a, b) {
        (None, None) => false,
        (Some(a), Some(b)) => {
            a.value != b.value
                || a.value_max != b.value_max
                || a.unit != b.unit
                || a.qualifier != b.qualifier
                || a.target_value != b.target_value
                || a.target_value_max != b.target_value_max
                || a.target_unit != b.target_unit
                || a.target_qualifier != b.target_qualifier
                || a.target_year != b.target_year
                || a.target_met != b.target_met
        }
        _ => true,
    }
}

/// A met/not-met verdict that flips decides; otherwise the movement of the result towards the
/// target's goal; `Changed` when neither can be judged.
pub(super) fn kpi_direction(a: Option<&KpiStatus>, b: Option<&KpiStatus>) -> Direction {
    let (Some(a), Some(b)) = (a, b) else {
        return Direction::Changed;
    };
    match (a.target_met, b.target_met) {
        (Some(false), Some(true)) => return Direction::Improved,
        (Some(true), Some(false)) => return Direction::Worsened,
        _ => {}
    }
    let (Some(_), Some(_)) = (a.target_met, b.target_met) else {
        return Direction::Changed;
    };
    // Both judged with the same verdict: compare the results along the later year's goal.
    let at_most = matches!(b.goal, Some(Goal::AtMost { .. }));
    let sign = |s: &KpiStatus| match (s.target_qualifier.as_deref(), s.qualifier.as_deref()) {
        (Some("減"), Some("増")) | (Some("増"), Some("減")) => -1.0,
        _ => 1.0,
    };
    let pick = |s: &KpiStatus| {
        let v = if at_most {
            s.value_max.or(s.value)
        } else {
            s.value
        };
        v.map(|v| v * sign(s))
    };
    match (pick(a), pick(b)) {
        (Some(x), Some(y)) if a.unit == b.unit => {
            let better = if at_most { y < x } else { y > x };
            let worse = if at_most { y > x } else { y < x };
            if better {
                Direction::Improved
            } else if worse {
                Direction::Worsened
            } else {
                Direction::Same
            }
        }
        _ => Direction::Changed,
    }
}

pub(super) fn amount(
    value: Option<f64>,
    value_max: Option<f64>,
    unit: &Option<String>,
    q: &Option<String>,
) -> Option<String> {
    let v = value?;
    let mut s = format_number(v);
    if let Some(m) = value_max {
        s.push('~');
        s.push_str(&format_number(m));
    }
    s.push_str(unit.as_deref().unwrap_or(""));
    s.push_str(q.as_deref().unwrap_or(""));
    Some(s)
}

/// The result with unit and qualifier (`2310000000円`, `4~6回`, `4%減`); None when not measured.
pub(super) fn result_text(s: &KpiStatus) -> Option<String> {
    amount(s.value, s.value_max, &s.unit, &s.qualifier)
}

pub(super) fn target_text(s: &KpiStatus) -> Option<String> {
    amount(
        s.target_value,
        s.target_value_max,
        &s.target_unit,
        &s.target_qualifier,
    )
}

pub(super) fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "not met",
        None => "not judged",
    }
}

pub(super) fn kpi_detail(a: Option<&KpiStatus>, b: Option<&KpiStatus>, ya: i32, yb: i32) -> String {
    let side = |s: Option<&KpiStatus>, y: i32| match s {
        None => format!("{y}: no KPI"),
        Some(s) => {
            let result = result_text(s).unwrap_or_else(|| "not measured".into());
            match target_text(s) {
                Some(t) => {
                    let by = s.target_year.map(|y| format!(" ({y})")).unwrap_or_default();
                    format!(
                        "{y}: {result} vs target {t}{by} ({})",
                        verdict(s.target_met)
                    )
                }
                None => format!("{y}: {result}, no target"),
            }
        }
    };
    let mut d = format!("{}; {}", side(a, ya), side(b, yb));
    if let Some(rule) = b
        .and_then(|s| s.rule.as_deref())
        .filter(|r| r.starts_with("assumed"))
    {
        let _ = write!(d, "; target has no 以上/以下, {rule}");
    }
    d
}
