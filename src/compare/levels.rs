//! How each report's ratings spread over the common scale of contract v2: the figure that
//! compares municipalities whose reports rate on different scales (◎○△-, S/A/B/C, A–D …).

use std::collections::BTreeMap;

use super::types::{LevelCount, Scope};
use crate::model::{Document, Level, Rating};

/// A rating that says anything (a printed symbol or label, or a level).
fn rated(r: &Rating) -> bool {
    r.symbol.is_some() || r.label.is_some() || r.level.is_some()
}

/// The level counts of one report: items' assessments and initiatives' progress, each level
/// that occurs once, in the scale's order (unknown levels last).
pub(super) fn level_counts(muni: &str, plan: &str, year: i32, doc: &Document) -> Vec<LevelCount> {
    let mut out = Vec::new();
    let items: Vec<Option<&Rating>> = doc.items.iter().map(|i| i.assessment.as_ref()).collect();
    let initiatives: Vec<Option<&Rating>> = doc
        .items
        .iter()
        .flat_map(|i| i.initiatives.iter().map(|n| n.progress.as_ref()))
        .collect();
    for (scope, ratings) in [(Scope::Item, items), (Scope::Initiative, initiatives)] {
        let mut counts: BTreeMap<(bool, Option<Level>), usize> = BTreeMap::new();
        for r in ratings.iter().flatten().filter(|r| rated(r)) {
            *counts.entry((r.level.is_none(), r.level)).or_default() += 1;
        }
        let rated: usize = counts.values().sum();
        out.extend(counts.into_iter().map(|((_, level), count)| LevelCount {
            municipality: muni.to_string(),
            plan_title: plan.to_string(),
            fiscal_year: year,
            scope,
            level,
            count,
            rated,
            total: ratings.len(),
        }));
    }
    out
}

/// `on_track`, or `unknown` for a rating outside the legend.
pub(super) fn level_name(level: Option<Level>) -> &'static str {
    level.map_or("unknown", Level::as_str)
}

/// Percent, rounded, of `n` in `of`.
pub(super) fn percent(n: usize, of: usize) -> usize {
    (n * 100 + of / 2).checked_div(of).unwrap_or(0)
}
