//! The order of changes, the CSV files and the terminal summary.

use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::kpi::{target_text, verdict};
use super::levels::{level_name, percent};
use super::types::{Change, ChangeKind, Comparison, LevelCount};
use crate::model::format_number;

/// Item keys in numeric order (`1-2` before `1-10`), text parts as text.
pub(super) fn natural(s: &str) -> Vec<(u64, String)> {
    let mut parts = Vec::new();
    let mut num = String::new();
    let mut text = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            if !text.is_empty() {
                parts.push((u64::MAX, std::mem::take(&mut text)));
            }
            num.push(c);
        } else {
            if !num.is_empty() {
                parts.push((num.parse().unwrap_or(u64::MAX), std::mem::take(&mut num)));
            }
            text.push(c);
        }
    }
    if !num.is_empty() {
        parts.push((num.parse().unwrap_or(u64::MAX), num));
    }
    if !text.is_empty() {
        parts.push((u64::MAX, text));
    }
    parts
}

/// municipality, plan, item key, initiative (item-level rows first), kind, years.
pub(super) fn change_order(a: &Change, b: &Change) -> Ordering {
    a.municipality
        .cmp(&b.municipality)
        .then_with(|| a.plan_title.cmp(&b.plan_title))
        .then_with(|| natural(&a.item_key).cmp(&natural(&b.item_key)))
        .then_with(|| a.initiative_no.cmp(&b.initiative_no))
        .then_with(|| a.kind.cmp(&b.kind))
        .then_with(|| a.from_year.cmp(&b.from_year))
        .then_with(|| a.to_year.cmp(&b.to_year))
}

pub const CSV_HEADER: [&str; 21] = [
    "municipality",
    "plan_title",
    "item_key",
    "item_number",
    "title",
    "initiative_no",
    "kind",
    "from_year",
    "to_year",
    "from",
    "to",
    "direction",
    "detail",
    "from_value",
    "to_value",
    "unit",
    "target_value",
    "target_unit",
    "target_qualifier",
    "from_target_met",
    "to_target_met",
];

/// One CSV row per change (RFC 4180, UTF-8, header [`CSV_HEADER`]). The KPI columns are filled
/// for `kpi` rows only; `unit` and the target are the later year's where it has them.
pub fn to_csv(c: &Comparison) -> Vec<u8> {
    let mut rows: Vec<&Change> = c.changes.iter().collect();
    rows.sort_by(|a, b| change_order(a, b));
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let num = |v: Option<f64>| v.map(format_number).unwrap_or_default();
    let met = |v: Option<bool>| v.map(|b| b.to_string()).unwrap_or_default();
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail; errors are ignored on purpose below.
    let _ = w.write_record(CSV_HEADER);
    for ch in rows {
        let (fa, fb) = (ch.kpi_from.as_ref(), ch.kpi_to.as_ref());
        let later = fb.or(fa);
        let target = fb.filter(|s| s.target_value.is_some()).or(fa);
        let _ = w.write_record([
            ch.municipality.clone(),
            ch.plan_title.clone(),
            ch.item_key.clone(),
            ch.item_number.clone(),
            opt(&ch.title),
            ch.initiative_no.map(|n| n.to_string()).unwrap_or_default(),
            ch.kind.as_str().to_string(),
            ch.from_year.to_string(),
            ch.to_year.to_string(),
            opt(&ch.from),
            opt(&ch.to),
            ch.direction
                .map(|d| d.as_str().to_string())
                .unwrap_or_default(),
            opt(&ch.detail),
            num(fa.and_then(|s| s.value)),
            num(fb.and_then(|s| s.value)),
            later.and_then(|s| s.unit.clone()).unwrap_or_default(),
            num(target.and_then(|s| s.target_value)),
            target
                .and_then(|s| s.target_unit.clone())
                .unwrap_or_default(),
            target
                .and_then(|s| s.target_qualifier.clone())
                .unwrap_or_default(),
            met(fa.and_then(|s| s.target_met)),
            met(fb.and_then(|s| s.target_met)),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

/// Shorten free text for one terminal line.
pub(super) fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}

pub const LEVELS_CSV_HEADER: [&str; 9] = [
    "municipality",
    "plan_title",
    "fiscal_year",
    "scope",
    "level",
    "count",
    "rated",
    "total",
    "share",
];

/// One CSV row per report, scope (item or initiative) and level of the common scale (header
/// [`LEVELS_CSV_HEADER`]): `share` is `count / rated`, `level` is empty for ratings outside
/// the report's legend. Concatenated over municipalities, the table compares them although
/// their reports rate on different scales.
pub fn levels_to_csv(c: &Comparison) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail; errors are ignored on purpose below.
    let _ = w.write_record(LEVELS_CSV_HEADER);
    for l in &c.levels {
        let share = if l.rated == 0 {
            String::new()
        } else {
            let s = l.count as f64 / l.rated as f64;
            format_number((s * 1000.0).round() / 1000.0)
        };
        let _ = w.write_record([
            l.municipality.clone(),
            l.plan_title.clone(),
            l.fiscal_year.to_string(),
            l.scope.as_str().to_string(),
            l.level.map(|v| v.as_str().to_string()).unwrap_or_default(),
            l.count.to_string(),
            l.rated.to_string(),
            l.total.to_string(),
            share,
        ]);
    }
    w.into_inner().unwrap_or_default()
}

fn plan_name(muni: &str, plan: &str) -> String {
    [muni, plan]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The level lines of one plan: per year and scope, `2024 initiatives (61 rated of 61):
/// achieved 2 (3%), on_track 56 (92%), not_started 3 (5%)`.
fn level_lines(out: &mut String, levels: &[&LevelCount]) {
    let keys: BTreeSet<(i32, super::types::Scope)> =
        levels.iter().map(|l| (l.fiscal_year, l.scope)).collect();
    for (year, scope) in keys {
        let ls: Vec<&&LevelCount> = levels
            .iter()
            .filter(|l| l.fiscal_year == year && l.scope == scope)
            .collect();
        let (rated, total) = (ls[0].rated, ls[0].total);
        let parts: Vec<String> = ls
            .iter()
            .map(|l| {
                format!(
                    "{} {} ({}%)",
                    level_name(l.level),
                    l.count,
                    percent(l.count, rated)
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "  {year} {}s ({rated} rated of {total}): {}",
            scope.as_str(),
            parts.join(", ")
        );
    }
}

/// A terminal summary: per plan the spread of its ratings over the common scale, year by
/// year; then per pair of years the counts and one line per change.
pub fn render_text(c: &Comparison) -> String {
    let mut out = String::new();
    let plans: BTreeSet<(&str, &str)> = c
        .levels
        .iter()
        .map(|l| (l.municipality.as_str(), l.plan_title.as_str()))
        .collect();
    for (muni, plan) in plans {
        let _ = writeln!(out, "{}: ratings by level", plan_name(muni, plan));
        let ls: Vec<&LevelCount> = c
            .levels
            .iter()
            .filter(|l| l.municipality == muni && l.plan_title == plan)
            .collect();
        level_lines(&mut out, &ls);
    }
    if c.pairs.is_empty() {
        out.push_str(
            "nothing to compare: give reports of at least two fiscal years of the same plan\n",
        );
    }
    for p in &c.pairs {
        let plan = plan_name(&p.municipality, &p.plan_title);
        let _ = writeln!(out, "{plan}: {} → {}", p.from_year, p.to_year);
        let _ = writeln!(
            out,
            "  {} items compared ({} added, {} dropped); initiatives: {} compared ({} added, {} dropped)",
            p.items_compared,
            p.items_added,
            p.items_dropped,
            p.initiatives_compared,
            p.initiatives_added,
            p.initiatives_dropped
        );
        let _ = writeln!(
            out,
            "  progress: {} improved, {} worsened, {} other changes; KPI: {} changed, targets met {}/{} → {}/{}",
            p.progress_improved,
            p.progress_worsened,
            p.progress_other,
            p.kpi_changed,
            p.kpi_met_from,
            p.kpi_judged_from,
            p.kpi_met_to,
            p.kpi_judged_to
        );
        let lines = c.changes.iter().filter(|ch| {
            ch.municipality == p.municipality
                && ch.plan_title == p.plan_title
                && ch.from_year == p.from_year
                && ch.to_year == p.to_year
        });
        for ch in lines {
            let _ = writeln!(out, "  {}", change_line(ch));
        }
    }
    for s in &c.skipped {
        let _ = writeln!(out, "skipped {}: {}", s.file, s.reason);
    }
    out
}

pub(super) fn change_line(ch: &Change) -> String {
    let dir = ch
        .direction
        .map(|d| format!(" ({})", d.as_str()))
        .unwrap_or_default();
    let no = ch
        .initiative_no
        .map(|n| format!(" #{n}"))
        .unwrap_or_default();
    let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
    match ch.kind {
        ChangeKind::Progress => format!(
            "{}{no} progress {} → {}{dir}",
            ch.item_number,
            or_none(&ch.from),
            or_none(&ch.to)
        ),
        ChangeKind::Kpi => {
            let later = ch.kpi_to.as_ref().or(ch.kpi_from.as_ref());
            let indicator = later
                .and_then(|s| s.indicator.as_deref())
                .map(|i| format!(" {}", clip(i, 20)))
                .unwrap_or_default();
            let measured = |v: &Option<String>| v.clone().unwrap_or_else(|| "not measured".into());
            let target = ch
                .kpi_to
                .as_ref()
                .and_then(|s| target_text(s).map(|t| (t, s.target_met)))
                .map(|(t, met)| format!(" vs target {t} ({})", verdict(met)))
                .unwrap_or_default();
            format!(
                "{} KPI{indicator} {} → {}{target}{dir}",
                ch.item_number,
                measured(&ch.from),
                measured(&ch.to)
            )
        }
        ChangeKind::ItemAdded => format!("{} item added: {}", ch.item_number, or_none(&ch.to)),
        ChangeKind::ItemDropped => {
            format!("{} item dropped: {}", ch.item_number, or_none(&ch.from))
        }
        ChangeKind::InitiativeAdded => format!(
            "{}{no} initiative added: {}",
            ch.item_number,
            clip(&or_none(&ch.to), 40)
        ),
        ChangeKind::InitiativeDropped => format!(
            "{}{no} initiative dropped: {}",
            ch.item_number,
            clip(&or_none(&ch.from), 40)
        ),
    }
}
