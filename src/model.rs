//! The output contract (../shared/contract/OUTPUT.md, version 1) as Rust types.
//! Field order here is the key order of the JSON output.
//!
//! The types also deserialize, so that written documents can be read back (`compare` lines up
//! reports of several years from their JSON). A document the tool wrote reads back equal;
//! `source`, `warnings` and `corrections` may be missing (the gold files leave them out).

use serde::{Deserialize, Serialize, Serializer};

pub const SCHEMA_VERSION: &str = "1";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Document {
    pub schema_version: String,
    #[serde(default)]
    pub source: Source,
    pub report: Report,
    pub items: Vec<Item>,
    #[serde(default)]
    pub warnings: Vec<Warning>,
    #[serde(default)]
    pub corrections: Vec<Correction>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Source {
    pub file: String,
    pub sha256: String,
    /// "pdf" or "text".
    pub format: String,
    pub encoding: Option<String>,
    pub pages: Option<u32>,
    pub producer: Option<String>,
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
    pub pillar: u32,
    pub seq: u32,
    pub title: Option<String>,
    pub departments: Vec<String>,
    pub current_issues: Option<String>,
    pub target_state: Option<String>,
    pub kpi_target: Option<Kpi>,
    pub kpi_actual: Option<Kpi>,
    pub summary: Option<String>,
    pub initiatives: Vec<Initiative>,
    pub pages: Option<PageSpan>,
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
    pub progress: Option<Progress>,
    pub actions: Option<String>,
    pub next_steps: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ScheduleMark {
    pub year: i32,
    pub phase: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Progress {
    pub symbol: String,
    pub label: String,
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
    pub code: String,
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
