//! Years side by side: the same plan's reports of several fiscal years, lined up item by item.
//!
//! Reports are grouped by municipality and plan title, ordered by fiscal year, and each year is
//! compared with the next one the input has. What is reported is only what changed between the
//! two (progress of an initiative, the KPI result or its target, items and initiatives that came
//! or went), so an unchanged report yields no rows. The KPI status of every item in every year
//! (value against target, met or not) is kept as well, in [`Comparison::kpis`].
//!
//! The input is the tool's own JSON ([`read_documents`]) or documents just extracted.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};
use crate::goal::{goal_of, Goal};
use crate::model::{format_number, Document, Initiative, Item, Kpi, Progress, SCHEMA_VERSION};

/// The result of [`compare`]: one summary per pair of consecutive years, the changes of all
/// pairs (sorted, see [`Change`]), the KPI status per item per year, and the documents that
/// could not take part.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Comparison {
    pub pairs: Vec<Pair>,
    pub changes: Vec<Change>,
    pub kpis: Vec<KpiYear>,
    pub skipped: Vec<Skipped>,
}

/// Two consecutive reports of one plan and the counts of what changed between them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    pub municipality: String,
    pub plan_title: String,
    pub from_year: i32,
    pub to_year: i32,
    pub from_file: String,
    pub to_file: String,
    /// Items present in both years.
    pub items_compared: usize,
    pub items_added: usize,
    pub items_dropped: usize,
    /// Initiatives present in both years (of the items present in both).
    pub initiatives_compared: usize,
    pub initiatives_added: usize,
    pub initiatives_dropped: usize,
    pub progress_improved: usize,
    pub progress_worsened: usize,
    /// Progress that changed without a known order (an unknown label, a missing cell) or only
    /// in its symbol.
    pub progress_other: usize,
    pub kpi_changed: usize,
    /// KPI targets met / KPI results that could be judged, in each year.
    pub kpi_met_from: usize,
    pub kpi_judged_from: usize,
    pub kpi_met_to: usize,
    pub kpi_judged_to: usize,
}

/// What kind of change a [`Change`] row is. The order is the sort order within one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    ItemAdded,
    ItemDropped,
    Kpi,
    InitiativeAdded,
    InitiativeDropped,
    Progress,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::ItemAdded => "item_added",
            ChangeKind::ItemDropped => "item_dropped",
            ChangeKind::Kpi => "kpi",
            ChangeKind::InitiativeAdded => "initiative_added",
            ChangeKind::InitiativeDropped => "initiative_dropped",
            ChangeKind::Progress => "progress",
        }
    }
}

/// Whether a change is for the better. `Changed` is a change we cannot rank (an unknown
/// progress label, a KPI without a target or not measured in one of the years).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Improved,
    Worsened,
    Same,
    Changed,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Improved => "improved",
            Direction::Worsened => "worsened",
            Direction::Same => "same",
            Direction::Changed => "changed",
        }
    }
}

/// One change between two years of one plan.
///
/// `from` / `to` are the compared values as text: the progress label, the KPI result with its
/// unit (null when not measured), the title of an item or the text of an initiative that came
/// or went. KPI rows also carry the numbers in `kpi_from` / `kpi_to`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub municipality: String,
    pub plan_title: String,
    pub item_key: String,
    pub item_number: String,
    pub title: Option<String>,
    pub initiative_no: Option<u32>,
    pub kind: ChangeKind,
    pub from_year: i32,
    pub to_year: i32,
    pub from: Option<String>,
    pub to: Option<String>,
    pub direction: Option<Direction>,
    pub detail: Option<String>,
    pub kpi_from: Option<KpiStatus>,
    pub kpi_to: Option<KpiStatus>,
}

/// An item's KPI result against its target in one year.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct KpiStatus {
    pub indicator: Option<String>,
    /// The result; null when the report says it was not measured (or gives no result).
    pub value: Option<f64>,
    pub value_max: Option<f64>,
    pub unit: Option<String>,
    pub qualifier: Option<String>,
    pub target_value: Option<f64>,
    pub target_value_max: Option<f64>,
    pub target_unit: Option<String>,
    pub target_qualifier: Option<String>,
    pub target_year: Option<i32>,
    /// Whether the result meets the target; null when it cannot be judged (not measured, no
    /// target, units differ).
    pub target_met: Option<bool>,
    /// How `target_met` was decided: the target's qualifier (`以上`, `減`, …), or
    /// `assumed 以上` / `assumed 以下` when the target has none.
    pub rule: Option<String>,
}

/// [`KpiStatus`] of one item in one report, for the table of all years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiYear {
    pub municipality: String,
    pub plan_title: String,
    pub fiscal_year: i32,
    pub item_key: String,
    pub item_number: String,
    #[serde(flatten)]
    pub status: KpiStatus,
}

/// A document left out of the comparison, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    pub file: String,
    pub reason: String,
}

/// Compare the reports of each plan year by year. The input order does not matter.
pub fn compare(docs: &[Document]) -> Comparison {
    let mut out = Comparison::default();

    // Group by plan; within a plan, one report per fiscal year (the first one given wins, so
    // the same report read from a PDF and from a text dump is compared once).
    let mut groups: BTreeMap<(String, String), BTreeMap<i32, &Document>> = BTreeMap::new();
    for doc in docs {
        let key = (
            doc.report.municipality.clone().unwrap_or_default(),
            doc.report.plan_title.clone().unwrap_or_default(),
        );
        let Some(year) = doc.report.fiscal_year else {
            out.skipped.push(Skipped {
                file: doc.source.file.clone(),
                reason: "no fiscal year, so it cannot be placed among the years".into(),
            });
            continue;
        };
        let years = groups.entry(key).or_default();
        match years.get(&year) {
            Some(first) => out.skipped.push(Skipped {
                file: doc.source.file.clone(),
                reason: format!(
                    "another report of {year} was given first: {}",
                    first.source.file
                ),
            }),
            None => {
                years.insert(year, doc);
            }
        }
    }

    for ((muni, plan), years) in &groups {
        let ctx = PlanCtx { muni, plan };
        for (&year, doc) in years {
            for item in &doc.items {
                if let Some(status) = kpi_status(item) {
                    out.kpis.push(KpiYear {
                        municipality: muni.clone(),
                        plan_title: plan.clone(),
                        fiscal_year: year,
                        item_key: item.item_key.clone(),
                        item_number: item.item_number.clone(),
                        status,
                    });
                }
            }
        }
        let ordered: Vec<&Document> = years.values().copied().collect();
        for w in ordered.windows(2) {
            if let [a, b] = w {
                let pair = compare_pair(&ctx, a, b, &mut out.changes);
                out.pairs.push(pair);
            }
        }
    }

    out.changes.sort_by(change_order);
    out
}

struct PlanCtx<'a> {
    muni: &'a str,
    plan: &'a str,
}

fn compare_pair(ctx: &PlanCtx, a: &Document, b: &Document, changes: &mut Vec<Change>) -> Pair {
    // Only called for documents that have a fiscal year; 0 never shows.
    let from_year = a.report.fiscal_year.unwrap_or_default();
    let to_year = b.report.fiscal_year.unwrap_or_default();
    let mut pair = Pair {
        municipality: ctx.muni.to_string(),
        plan_title: ctx.plan.to_string(),
        from_year,
        to_year,
        from_file: a.source.file.clone(),
        to_file: b.source.file.clone(),
        items_compared: 0,
        items_added: 0,
        items_dropped: 0,
        initiatives_compared: 0,
        initiatives_added: 0,
        initiatives_dropped: 0,
        progress_improved: 0,
        progress_worsened: 0,
        progress_other: 0,
        kpi_changed: 0,
        kpi_met_from: 0,
        kpi_judged_from: 0,
        kpi_met_to: 0,
        kpi_judged_to: 0,
    };
    let row = |item: &Item, kind: ChangeKind| Change {
        municipality: ctx.muni.to_string(),
        plan_title: ctx.plan.to_string(),
        item_key: item.item_key.clone(),
        item_number: item.item_number.clone(),
        title: item.title.clone(),
        initiative_no: None,
        kind,
        from_year,
        to_year,
        from: None,
        to: None,
        direction: None,
        detail: None,
        kpi_from: None,
        kpi_to: None,
    };

    for (met, judged, doc) in [
        (&mut pair.kpi_met_from, &mut pair.kpi_judged_from, a),
        (&mut pair.kpi_met_to, &mut pair.kpi_judged_to, b),
    ] {
        for s in doc.items.iter().filter_map(kpi_status) {
            if let Some(m) = s.target_met {
                *judged += 1;
                *met += usize::from(m);
            }
        }
    }

    let later: BTreeMap<&str, &Item> = b.items.iter().map(|i| (i.item_key.as_str(), i)).collect();
    let earlier: BTreeSet<&str> = a.items.iter().map(|i| i.item_key.as_str()).collect();

    for ia in &a.items {
        let Some(ib) = later.get(ia.item_key.as_str()).copied() else {
            pair.items_dropped += 1;
            changes.push(Change {
                from: ia.title.clone(),
                ..row(ia, ChangeKind::ItemDropped)
            });
            continue;
        };
        pair.items_compared += 1;

        // The KPI: a row when the result, the target or the verdict differ.
        let (sa, sb) = (kpi_status(ia), kpi_status(ib));
        if kpi_differs(sa.as_ref(), sb.as_ref()) {
            pair.kpi_changed += 1;
            changes.push(Change {
                from: sa.as_ref().and_then(result_text),
                to: sb.as_ref().and_then(result_text),
                direction: Some(kpi_direction(sa.as_ref(), sb.as_ref())),
                detail: Some(kpi_detail(sa.as_ref(), sb.as_ref(), from_year, to_year)),
                kpi_from: sa,
                kpi_to: sb,
                ..row(ib, ChangeKind::Kpi)
            });
        }

        // Initiatives by their number.
        let later_inis: BTreeMap<u32, &Initiative> =
            ib.initiatives.iter().map(|i| (i.no, i)).collect();
        for xa in &ia.initiatives {
            let Some(xb) = later_inis.get(&xa.no).copied() else {
                pair.initiatives_dropped += 1;
                changes.push(Change {
                    initiative_no: Some(xa.no),
                    from: xa.text.clone(),
                    ..row(ib, ChangeKind::InitiativeDropped)
                });
                continue;
            };
            pair.initiatives_compared += 1;
            if xa.progress != xb.progress {
                let dir = progress_direction(xa.progress.as_ref(), xb.progress.as_ref());
                match dir {
                    Direction::Improved => pair.progress_improved += 1,
                    Direction::Worsened => pair.progress_worsened += 1,
                    Direction::Same | Direction::Changed => pair.progress_other += 1,
                }
                changes.push(Change {
                    initiative_no: Some(xa.no),
                    from: xa.progress.as_ref().map(|p| p.label.clone()),
                    to: xb.progress.as_ref().map(|p| p.label.clone()),
                    direction: Some(dir),
                    detail: Some(format!(
                        "{} → {}",
                        progress_text(xa.progress.as_ref()),
                        progress_text(xb.progress.as_ref())
                    )),
                    ..row(ib, ChangeKind::Progress)
                });
            }
        }
        let earlier_nos: BTreeSet<u32> = ia.initiatives.iter().map(|i| i.no).collect();
        for xb in ib
            .initiatives
            .iter()
            .filter(|x| !earlier_nos.contains(&x.no))
        {
            pair.initiatives_added += 1;
            changes.push(Change {
                initiative_no: Some(xb.no),
                to: xb.text.clone(),
                ..row(ib, ChangeKind::InitiativeAdded)
            });
        }
    }
    for ib in b
        .items
        .iter()
        .filter(|i| !earlier.contains(i.item_key.as_str()))
    {
        pair.items_added += 1;
        changes.push(Change {
            to: ib.title.clone(),
            ..row(ib, ChangeKind::ItemAdded)
        });
    }
    pair
}

// ---------------------------------------------------------------------------------------------
// Progress

/// Rank of a progress label, higher is better; None for labels without an agreed place.
/// おおむね順調 is the kana spelling of 概ね順調.
fn progress_rank(label: &str) -> Option<u8> {
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

fn progress_direction(a: Option<&Progress>, b: Option<&Progress>) -> Direction {
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

fn progress_text(p: Option<&Progress>) -> String {
    match p {
        Some(p) => format!("{} {}", p.symbol, p.label),
        None => "(none)".into(),
    }
}

// ---------------------------------------------------------------------------------------------
// KPI

/// The result as the number the goal compares. For 減/増 targets the result is the change in
/// the target's direction (an actual `3%増` against a `10%減` target is a reduction of -3). For a
/// range result the end that is worse for the goal counts, so a range meets the target only when
/// all of it does.
fn measure(actual: &Kpi, target: &Kpi, goal: Goal) -> Option<f64> {
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

fn kpi_status(item: &Item) -> Option<KpiStatus> {
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
    if let (Some(a), Some(t)) = (actual, target) {
        if let Some(tv) = t.value {
            let (goal, rule) = goal_of(t);
            s.rule = Some(rule.to_string());
            // Different units (人 against %) cannot be compared; neither can a missing result.
            if a.unit == t.unit {
                s.target_met = measure(a, t, goal).map(|v| match goal {
                    Goal::AtLeast { strict: false } => v >= tv,
                    Goal::AtLeast { strict: true } => v > tv,
                    Goal::AtMost { strict: false } => v <= tv,
                    Goal::AtMost { strict: true } => v < tv,
                });
            }
        }
    }
    Some(s)
}

/// Whether two years differ in what the KPI says (result, target or verdict); the years in
/// parentheses and the wording of notes do not count.
fn kpi_differs(a: Option<&KpiStatus>, b: Option<&KpiStatus>) -> bool {
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
fn kpi_direction(a: Option<&KpiStatus>, b: Option<&KpiStatus>) -> Direction {
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
    let at_most = b
        .rule
        .as_deref()
        .is_some_and(|r| r.ends_with("以下") || r == "未満");
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

fn amount(
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
fn result_text(s: &KpiStatus) -> Option<String> {
    amount(s.value, s.value_max, &s.unit, &s.qualifier)
}

fn target_text(s: &KpiStatus) -> Option<String> {
    amount(
        s.target_value,
        s.target_value_max,
        &s.target_unit,
        &s.target_qualifier,
    )
}

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "not met",
        None => "not judged",
    }
}

fn kpi_detail(a: Option<&KpiStatus>, b: Option<&KpiStatus>, ya: i32, yb: i32) -> String {
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

// ---------------------------------------------------------------------------------------------
// Order and output

/// Item keys in numeric order (`1-2` before `1-10`), text parts as text.
fn natural(s: &str) -> Vec<(u64, String)> {
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
fn change_order(a: &Change, b: &Change) -> Ordering {
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
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}

/// A terminal summary: per pair of years the counts, then one line per change.
pub fn render_text(c: &Comparison) -> String {
    let mut out = String::new();
    if c.pairs.is_empty() {
        out.push_str(
            "nothing to compare: give reports of at least two fiscal years of the same plan\n",
        );
    }
    for p in &c.pairs {
        let plan = [p.municipality.as_str(), p.plan_title.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
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

fn change_line(ch: &Change) -> String {
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

// ---------------------------------------------------------------------------------------------
// Reading documents back

/// Read report documents the tool wrote. Each path is a JSON file or a folder; of a folder,
/// every `*.json` directly inside is read in name order, and JSON that is not a report (no
/// `schema_version` and `items`, e.g. `datapackage.json`) is passed over. A file named
/// explicitly must be a report. JSON that does not parse is an error even inside a folder:
/// quietly leaving out a truncated report would make the comparison wrong without a sign.
pub fn read_documents(paths: &[PathBuf]) -> Result<Vec<Document>> {
    let mut docs = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| unreadable(path, &e))?;
        if meta.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|e| unreadable(path, &e))?;
            let mut files = Vec::new();
            for entry in entries {
                let entry = entry.map_err(|e| unreadable(path, &e))?;
                let p = entry.path();
                let is_json = p
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("json"));
                if is_json && p.is_file() {
                    files.push(p);
                }
            }
            files.sort();
            let before = docs.len();
            for f in &files {
                if let Some(doc) = read_one(f)? {
                    docs.push(doc);
                }
            }
            if docs.len() == before {
                return Err(Error::new(
                    ErrorKind::NoItems,
                    "no report documents in this folder (JSON with schema_version and items)",
                )
                .with_file(path.display().to_string()));
            }
        } else {
            match read_one(path)? {
                Some(doc) => docs.push(doc),
                None => {
                    return Err(not_text(
                        path,
                        "not a jisseki report document (no schema_version and items)",
                    ))
                }
            }
        }
    }
    Ok(docs)
}

fn unreadable(path: &Path, e: &std::io::Error) -> Error {
    Error::new(ErrorKind::InputUnreadable, format!("cannot read: {e}"))
        .with_file(path.display().to_string())
}

fn not_text(path: &Path, msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::NotText, msg).with_file(path.display().to_string())
}

/// One JSON file: Some(report), None when it is JSON but not a report.
fn read_one(path: &Path) -> Result<Option<Document>> {
    let bytes = std::fs::read(path).map_err(|e| unreadable(path, &e))?;
    let text = String::from_utf8(bytes).map_err(|_| not_text(path, "not UTF-8 text"))?;
    // Editors on Windows may add a byte order mark, which serde_json rejects.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| not_text(path, format!("not JSON: {e}")))?;
    let is_report =
        value.get("schema_version").is_some() && value.get("items").is_some_and(|i| i.is_array());
    if !is_report {
        return Ok(None);
    }
    let version = value.get("schema_version").and_then(|v| v.as_str());
    if version != Some(SCHEMA_VERSION) {
        return Err(not_text(
            path,
            format!(
                "schema_version {} is not supported (this tool reads {SCHEMA_VERSION})",
                value
                    .get("schema_version")
                    .map(|v| v.to_string())
                    .unwrap_or_default()
            ),
        ));
    }
    let doc: Document = serde_json::from_value(value)
        .map_err(|e| not_text(path, format!("not a valid report document: {e}")))?;
    Ok(Some(doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kpi(value: Option<f64>, unit: &str, q: Option<&str>) -> Kpi {
        Kpi {
            value,
            unit: Some(unit.into()),
            qualifier: q.map(Into::into),
            ..Kpi::default()
        }
    }

    fn met(actual: Kpi, target: Kpi) -> Option<bool> {
        let item = Item {
            item_number: "1-①".into(),
            item_key: "1-1".into(),
            pillar: 1,
            seq: 1,
            title: None,
            departments: vec![],
            current_issues: None,
            target_state: None,
            kpi_target: Some(target),
            kpi_actual: Some(actual),
            summary: None,
            initiatives: vec![],
            pages: None,
        };
        kpi_status(&item).and_then(|s| s.target_met)
    }

    #[test]
    fn qualifiers_decide_the_verdict() {
        let k = kpi;
        assert_eq!(
            met(k(Some(11.0), "倍", None), k(Some(10.0), "倍", Some("以上"))),
            Some(true)
        );
        assert_eq!(
            met(k(Some(10.0), "倍", None), k(Some(10.0), "倍", Some("超"))),
            Some(false)
        );
        assert_eq!(
            met(k(Some(3.0), "件", None), k(Some(3.0), "件", Some("以下"))),
            Some(true)
        );
        assert_eq!(
            met(k(Some(3.0), "件", None), k(Some(3.0), "件", Some("未満"))),
            Some(false)
        );
        // 4%減 against a 10%減 target: not yet; 6.3%減 against 5%減: met.
        assert_eq!(
            met(
                k(Some(4.0), "%", Some("減")),
                k(Some(10.0), "%", Some("減"))
            ),
            Some(false)
        );
        assert_eq!(
            met(k(Some(6.3), "%", Some("減")), k(Some(5.0), "%", Some("減"))),
            Some(true)
        );
        // An increase is no reduction.
        assert_eq!(
            met(k(Some(6.0), "%", Some("増")), k(Some(5.0), "%", Some("減"))),
            Some(false)
        );
        assert_eq!(
            met(k(Some(6.0), "%", Some("増")), k(Some(5.0), "%", Some("増"))),
            Some(true)
        );
        // No qualifier: reach the target; a zero target is a ceiling.
        assert_eq!(
            met(k(Some(46.0), "%", None), k(Some(50.0), "%", None)),
            Some(false)
        );
        assert_eq!(
            met(k(Some(5.0), "人", None), k(Some(0.0), "人", None)),
            Some(false)
        );
        assert_eq!(
            met(k(Some(0.0), "件", None), k(Some(0.0), "件", None)),
            Some(true)
        );
        // Not measured, or units that do not compare: no verdict.
        assert_eq!(met(k(None, "%", None), k(Some(50.0), "%", None)), None);
        assert_eq!(
            met(k(Some(5.0), "人", None), k(Some(50.0), "%", None)),
            None
        );
    }

    #[test]
    fn debt_ratios_are_ceilings() {
        let mut target = kpi(Some(7.2), "%", None);
        target.indicator = Some("実質公債費比率".into());
        assert_eq!(met(kpi(Some(7.1), "%", None), target), Some(true));
    }

    #[test]
    fn progress_order() {
        let p = |l: &str| Progress {
            symbol: "○".into(),
            label: l.into(),
        };
        let d = |a: &str, b: &str| progress_direction(Some(&p(a)), Some(&p(b)));
        assert_eq!(d("順調", "遅れ"), Direction::Worsened);
        assert_eq!(d("未着手", "概ね順調"), Direction::Improved);
        assert_eq!(d("達成", "完了"), Direction::Same);
        assert_eq!(d("順調", "見直し"), Direction::Changed);
        assert_eq!(
            progress_direction(None, Some(&p("順調"))),
            Direction::Changed
        );
    }

    #[test]
    fn item_keys_sort_by_number() {
        let mut keys = vec!["1-10", "1-2", "10-1", "2-1"];
        keys.sort_by_key(|k| natural(k));
        assert_eq!(keys, ["1-2", "1-10", "2-1", "10-1"]);
    }
}
