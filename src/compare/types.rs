//! The types of a comparison: what [`compare`](super::compare) returns.

use serde::Serialize;

use crate::goal::Goal;
use crate::model::Level;

/// The result of [`compare`](super::compare): one summary per pair of consecutive years, the
/// changes of all pairs (sorted, see [`Change`]), the KPI status per item per year, the level
/// distribution per report, and the documents that could not take part.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Comparison {
    pub pairs: Vec<Pair>,
    pub changes: Vec<Change>,
    pub kpis: Vec<KpiYear>,
    /// How the ratings of each report spread over the common scale of contract v2.
    pub levels: Vec<LevelCount>,
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
    /// Which way the target points, as `rule` says.
    #[serde(skip)]
    pub goal: Option<Goal>,
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

/// What a rating rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// An item's assessment.
    Item,
    /// An initiative's progress.
    Initiative,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Item => "item",
            Scope::Initiative => "initiative",
        }
    }
}

/// How many ratings of one scope in one report are at one level of the common scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelCount {
    pub municipality: String,
    pub plan_title: String,
    pub fiscal_year: i32,
    pub scope: Scope,
    /// None for ratings outside the report's legend (an `unknown_progress_label` warning).
    pub level: Option<Level>,
    pub count: usize,
    /// Ratings of this scope in the report (the denominator of shares).
    pub rated: usize,
    /// Items (or initiatives) of the report, rated or not.
    pub total: usize,
}
