//! The output contract (../shared/contract/OUTPUT.md and OUTPUT_V2.md, version 2) as Rust
//! types.
//! Field order here is the key order of the JSON output.
//!
//! The types also deserialize, so that written documents can be read back (`compare` lines up
//! reports of several years from their JSON). A document the tool wrote reads back equal;
//! `source`, `warnings` and `corrections` may be missing (the gold files leave them out).

use serde::{Deserialize, Serialize, Serializer};

pub const SCHEMA_VERSION: &str = "2";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Document {
    pub schema_version: String,
    /// The report family the document was read as (the gold files leave it out).
    #[serde(default)]
    pub profile: Option<ProfileRef>,
    #[serde(default)]
    pub source: Source,
    pub report: Report,
    pub items: Vec<Item>,
    #[serde(default)]
    pub warnings: Vec<Warning>,
    #[serde(default)]
    pub corrections: Vec<Correction>,
}

/// `{"id": "tsukubamirai-action-plan", "origin": "builtin"}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ProfileRef {
    pub id: String,
    /// "builtin" or "file" (a profile the user passed).
    pub origin: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Source {
    pub file: String,
    pub sha256: String,
    /// "pdf", "text" or "scan" (an image-only PDF or an image file read by OCR).
    pub format: String,
    pub encoding: Option<String>,
    pub pages: Option<u32>,
    pub producer: Option<String>,
    /// Scans only: how the text was recognized.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr: Option<Ocr>,
}

/// Provenance of OCR'd text: the engine, its model and each page's image.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Ocr {
    /// "tesseract".
    pub engine: String,
    /// As the engine reports it ("5.3.0").
    pub engine_version: String,
    /// The recognition model ("jpn"), with its version where known.
    pub model: String,
    pub pages: Vec<ScanPage>,
}

/// One scanned page: its resolution and what was done to it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct ScanPage {
    /// 1-based page number.
    pub page: u32,
    /// Resolution in dots per inch (from the image size and the page size).
    pub dpi: f32,
    pub width_px: u32,
    pub height_px: u32,
    /// Rotation removed before reading, in degrees (counter-clockwise positive).
    pub skew_degrees: f32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Report {
    pub municipality: Option<String>,
    pub plan_title: Option<String>,
    pub plan_period: Option<Period>,
    pub title: Option<String>,
    pub fiscal_year: Option<i32>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Period {
    pub start: i32,
    pub end: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Item {
    pub item_number: String,
    pub item_key: String,
    /// The first numeric level when the number has two or more levels.
    pub pillar: Option<u32>,
    /// The last numeric level.
    pub seq: Option<u32>,
    /// The headings the item stands under, outermost first.
    #[serde(default)]
    pub groups: Vec<Group>,
    pub title: Option<String>,
    pub departments: Vec<String>,
    pub current_issues: Option<String>,
    pub target_state: Option<String>,
    pub kpi_target: Option<Kpi>,
    pub kpi_actual: Option<Kpi>,
    pub summary: Option<String>,
    pub initiatives: Vec<Initiative>,
    /// The rating of the item as a whole, where the report rates items.
    #[serde(default)]
    pub assessment: Option<Rating>,
    /// The item's own next steps (今後の方向性, 今後の課題 …).
    #[serde(default)]
    pub next_steps: Option<String>,
    /// Financial effects (効果額 …), amounts in 円.
    #[serde(default)]
    pub effects: Vec<Kpi>,
    /// Every labelled field no other key takes, in document order.
    #[serde(default)]
    pub extra: Vec<Extra>,
    pub pages: Option<PageSpan>,
}

impl Item {
    /// An item with only its number and key; every other field empty.
    pub fn new(item_number: impl Into<String>, item_key: impl Into<String>) -> Item {
        Item {
            item_number: item_number.into(),
            item_key: item_key.into(),
            pillar: None,
            seq: None,
            groups: Vec::new(),
            title: None,
            departments: Vec::new(),
            current_issues: None,
            target_state: None,
            kpi_target: None,
            kpi_actual: None,
            summary: None,
            initiatives: Vec::new(),
            assessment: None,
            next_steps: None,
            effects: Vec::new(),
            extra: Vec::new(),
            pages: None,
        }
    }
}

/// A heading an item stands under: `{"label": "大項目", "number": "1", "title": "…"}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Hash)]
pub struct Group {
    pub label: Option<String>,
    pub number: Option<String>,
    pub title: Option<String>,
}

/// A labelled field of an item that no contract key takes.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Extra {
    pub label: String,
    pub text: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct PageSpan {
    pub start: u32,
    pub end: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Initiative {
    pub no: u32,
    pub text: Option<String>,
    pub schedule: Vec<ScheduleMark>,
    pub progress: Option<Rating>,
    pub actions: Option<String>,
    pub next_steps: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ScheduleMark {
    pub year: i32,
    pub phase: String,
}

/// A rating as printed (symbol and/or label) with its level on the common scale.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Rating {
    pub symbol: Option<String>,
    pub label: Option<String>,
    /// Decided by the report family's legend; null for a value outside it.
    #[serde(default)]
    pub level: Option<Level>,
}

/// The common rating scale of contract v2, best first.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Achieved,
    Ahead,
    OnTrack,
    MostlyOnTrack,
    SlightlyDelayed,
    Delayed,
    NotStarted,
    Stopped,
    NotApplicable,
    NotEvaluable,
}

impl Level {
    pub const ALL: [Level; 10] = [
        Level::Achieved,
        Level::Ahead,
        Level::OnTrack,
        Level::MostlyOnTrack,
        Level::SlightlyDelayed,
        Level::Delayed,
        Level::NotStarted,
        Level::Stopped,
        Level::NotApplicable,
        Level::NotEvaluable,
    ];

    /// The name used in JSON, CSV and profiles (`on_track`).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Achieved => "achieved",
            Level::Ahead => "ahead",
            Level::OnTrack => "on_track",
            Level::MostlyOnTrack => "mostly_on_track",
            Level::SlightlyDelayed => "slightly_delayed",
            Level::Delayed => "delayed",
            Level::NotStarted => "not_started",
            Level::Stopped => "stopped",
            Level::NotApplicable => "not_applicable",
            Level::NotEvaluable => "not_evaluable",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Kpi {
    pub raw: String,
    pub indicator: Option<String>,
    #[serde(serialize_with = "plain_number")]
    pub value: Option<f64>,
    #[serde(serialize_with = "plain_number")]
    pub value_max: Option<f64>,
    pub unit: Option<String>,
    pub qualifier: Option<String>,
    pub approx: bool,
    pub year: Option<i32>,
    pub as_of: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Warning {
    pub code: crate::diag::WarningCode,
    pub item_number: Option<String>,
    pub field: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Correction {
    pub item_number: Option<String>,
    pub field: String,
    pub from: String,
    pub to: String,
    pub rule: String,
}

/// The stable id of a report, so that rows of all tables join across files and runs: the
/// first 16 hex digits of the SHA-256 of municipality, plan title and fiscal year. It does not
/// depend on the file, its format or the tool's version, so the same report read from a PDF
/// or from a text dump gets the same id.
pub fn report_id(report: &Report) -> String {
    short_hash(&format!(
        "{}\u{1f}{}\u{1f}{}",
        report.municipality.as_deref().unwrap_or(""),
        report.plan_title.as_deref().unwrap_or(""),
        report
            .fiscal_year
            .map(|y| y.to_string())
            .unwrap_or_default()
    ))
}

/// The report_id of a document. A report whose municipality or fiscal year could not be read
/// gets its source's sha256 mixed in, so that unreadable headers never make two different
/// reports share an id.
pub fn report_id_of(doc: &Document) -> String {
    let id = report_id(&doc.report);
    if doc.report.municipality.is_some() && doc.report.fiscal_year.is_some() {
        id
    } else {
        short_hash(&format!("{id}\u{1f}{}", doc.source.sha256))
    }
}

/// First 16 hex digits of the SHA-256 of `key`.
fn short_hash(key: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(key.as_bytes());
    crate::ingest::hex(&digest[..8])
}

/// Whole numbers are written without a fraction (`2310000000`, not `2310000000.0`), so JSON
/// and CSV carry the same plain number.
pub fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

fn plain_number<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        None => s.serialize_none(),
        Some(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => s.serialize_i64(*x as i64),
        Some(x) => s.serialize_f64(*x),
    }
}
