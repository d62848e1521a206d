//! The profile file as written (TOML), before its patterns are compiled. Every table and key
//! is documented in `docs/profiles.md`; unknown keys are errors, so that a typo in a profile
//! is reported instead of silently ignored.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileFile {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// "form" (label/value rows, one item per block) or "list" (one row per item).
    pub layout: String,
    #[serde(default)]
    pub detect: DetectFile,
    #[serde(default)]
    pub item: ItemFile,
    #[serde(default)]
    pub labels: LabelsFile,
    #[serde(default)]
    pub kpi: KpiFile,
    #[serde(default)]
    pub initiatives: InitiativesFile,
    #[serde(default)]
    pub schedule: ScheduleFile,
    #[serde(default)]
    pub effects: EffectsFile,
    #[serde(default, rename = "scale")]
    pub scales: Vec<ScaleFile>,
    #[serde(default, rename = "group")]
    pub groups: Vec<GroupFile>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetectFile {
    /// Patterns of which one must match a title line.
    #[serde(default)]
    pub title: Vec<String>,
    /// Labels that must all occur (as cells) in a report of this family.
    #[serde(default)]
    pub labels: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemFile {
    /// Form layout: labels whose row starts a new item.
    #[serde(default)]
    pub starts: Vec<String>,
    /// Pattern(s) an item number must match (white space removed).
    #[serde(default)]
    pub number: Vec<String>,
    /// Numbers restart under each group (① under every 視点): the key starts with the
    /// innermost group's number.
    #[serde(default)]
    pub restart_per_group: bool,
}

/// Label → contract field. Each value is a list of labels (literal, white space ignored) or
/// patterns (starting with `^`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelsFile {
    #[serde(default)]
    pub item_number: Vec<String>,
    #[serde(default)]
    pub title: Vec<String>,
    #[serde(default)]
    pub departments: Vec<String>,
    #[serde(default)]
    pub current_issues: Vec<String>,
    #[serde(default)]
    pub target_state: Vec<String>,
    #[serde(default)]
    pub summary: Vec<String>,
    #[serde(default)]
    pub next_steps: Vec<String>,
    #[serde(default)]
    pub kpi: Vec<String>,
    #[serde(default)]
    pub kpi_indicator: Vec<String>,
    #[serde(default)]
    pub initiatives: Vec<String>,
    #[serde(default)]
    pub effects: Vec<String>,
    #[serde(default)]
    pub group: Vec<String>,
    #[serde(default)]
    pub extra: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub captions: Vec<String>,
    /// Form layout: what a label in the label column that no key above names becomes:
    /// "extra" (default) or "ignore".
    #[serde(default)]
    pub unknown: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpiFile {
    /// The field whose last 【…】 is the numeric target ("target_state").
    #[serde(default)]
    pub target_in: Option<String>,
    /// The field whose result 【…】 (with the ※ notes after it) is the result ("summary").
    #[serde(default)]
    pub actual_in: Option<String>,
    /// In a `kpi` field: the prefixes of the target's and the result's text.
    #[serde(default)]
    pub target_prefix: Vec<String>,
    #[serde(default)]
    pub actual_prefix: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InitiativesFile {
    /// A label cell that starts an initiative's row (`取組内容 1`); `(?P<no>…)` gives N.
    #[serde(default)]
    pub label: Vec<String>,
    /// A prefix of the initiative's text cell (`取組1 …`); `(?P<no>…)` gives N.
    #[serde(default)]
    pub prefix: Vec<String>,
    /// Bullets that split an `initiatives` field into initiatives (`・`, `①`, `(1)`).
    #[serde(default)]
    pub bullets: Vec<String>,
    /// Captions after which initiative rows are the results of initiatives listed before.
    #[serde(default)]
    pub results: Vec<String>,
    /// Labels of an initiative's result rows.
    #[serde(default)]
    pub actions: Vec<String>,
    #[serde(default)]
    pub next_steps: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleFile {
    /// Labels of the schedule grid (its header row); initiative rows follow.
    #[serde(default)]
    pub labels: Vec<String>,
    /// Phase words besides the common ones (実施, 検討, 導入 …).
    #[serde(default)]
    pub phases: Vec<String>,
    /// Symbols the legend draws for phases: `{ "●" = "実施", "▲" = "検討" }`.
    #[serde(default)]
    pub symbols: BTreeMap<String, String>,
    /// Continuation marks besides the common ones (→, ⇒, 同上 …).
    #[serde(default)]
    pub continuation: Vec<String>,
    /// How a bare two-digit year header (`30`) is read: "heisei" or "reiwa".
    #[serde(default)]
    pub bare_years: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EffectsFile {
    /// Marks that make an amount negative, where the family's legend says so (`▲`).
    #[serde(default)]
    pub minus: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleFile {
    /// "progress" (of an initiative) or "assessment" (of the item).
    #[serde(rename = "for")]
    pub scope: String,
    /// Labels of the rating cell (進捗状況, 評価 …).
    #[serde(default)]
    pub labels: Vec<String>,
    /// Patterns of the printed legend (on its text); where one is found, its symbol → label
    /// pairs win over `entries`.
    #[serde(default)]
    pub legend: Vec<String>,
    #[serde(default)]
    pub entries: Vec<EntryFile>,
    /// Other printed forms of a symbol: `{ "○" = ["〇", "O"] }`.
    #[serde(default)]
    pub aliases: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryFile {
    #[serde(default)]
    pub symbol: Option<String>,
    #[serde(default)]
    pub label: Option<String>,
    /// A level of the common scale; where omitted, the label's usual level.
    #[serde(default)]
    pub level: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupFile {
    /// A heading row's pattern (on its text) with `(?P<label>…)`, `(?P<number>…)` and
    /// `(?P<title>…)` where the heading has them. Earlier entries are outer levels.
    pub pattern: String,
}
