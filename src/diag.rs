//! Warnings and corrections collected while a document is read: every guess is visible.

use serde::{Deserialize, Serialize};

use crate::model::{Correction, Warning};

/// Every warning the tool gives, with how serious it is. The JSON carries the snake_case name
/// (`schedule_missing`); `--strict` fails a run on warnings of a chosen severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum WarningCode {
    /// A page (or part of it) could not be read: text may be missing.
    PageUnreadable,
    /// A block that looks like an item could not be read as one; its text is not in `items`.
    ItemUnreadable,
    /// The same item number twice; both are kept, the second with a suffixed key.
    DuplicateItem,
    /// Item numbers out of sequence, or a number missing from a run.
    ItemNumberGap,
    /// An item number in a form the family's pattern does not describe (kept as printed).
    UnexpectedItemNumber,
    /// A field the report family has was not found for an item.
    MissingField,
    /// A field the layout shows (its label is there) whose text the reader could not take.
    FieldUnread,
    /// A numeric target or result that could not be parsed.
    KpiUnparsed,
    /// The plan table and the result table word an initiative differently (or one lacks it).
    InitiativeMismatch,
    /// A schedule grid row without a mark.
    ScheduleMissing,
    /// A schedule mark in a column after the plan's last year.
    ScheduleOutsidePlan,
    /// A schedule cell that is no phase word or legend symbol of the family.
    UnknownPhase,
    /// A rating symbol outside the family's scale.
    UnknownProgressSymbol,
    /// A rating label outside the family's scale.
    UnknownProgressLabel,
    /// A heading's year that is not the report's fiscal year.
    FiscalYearMismatch,
    /// OCR recognized a span with low confidence.
    OcrLowConfidence,
    /// A scanned page below 200 dpi: recognition will be poor.
    LowResolution,
    /// PDF text read by a guess: a font with no Unicode mapping whose character codes were
    /// taken as Unicode.
    TextGuessed,
    /// A code written by another version of the tool.
    #[serde(other)]
    Other,
}

/// How serious a warning is, for `--strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing; the values are as printed (an empty grid row, two wordings).
    Info,
    /// A value may be wrong or missing.
    Warning,
    /// Text was lost: a page or an item could not be read.
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        [Severity::Info, Severity::Warning, Severity::Error]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

impl WarningCode {
    pub const ALL: [WarningCode; 18] = [
        WarningCode::PageUnreadable,
        WarningCode::ItemUnreadable,
        WarningCode::DuplicateItem,
        WarningCode::ItemNumberGap,
        WarningCode::UnexpectedItemNumber,
        WarningCode::MissingField,
        WarningCode::FieldUnread,
        WarningCode::KpiUnparsed,
        WarningCode::InitiativeMismatch,
        WarningCode::ScheduleMissing,
        WarningCode::ScheduleOutsidePlan,
        WarningCode::UnknownPhase,
        WarningCode::UnknownProgressSymbol,
        WarningCode::UnknownProgressLabel,
        WarningCode::FiscalYearMismatch,
        WarningCode::OcrLowConfidence,
        WarningCode::LowResolution,
        WarningCode::TextGuessed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WarningCode::PageUnreadable => "page_unreadable",
            WarningCode::ItemUnreadable => "item_unreadable",
            WarningCode::DuplicateItem => "duplicate_item",
            WarningCode::ItemNumberGap => "item_number_gap",
            WarningCode::UnexpectedItemNumber => "unexpected_item_number",
            WarningCode::MissingField => "missing_field",
            WarningCode::FieldUnread => "field_unread",
            WarningCode::KpiUnparsed => "kpi_unparsed",
            WarningCode::InitiativeMismatch => "initiative_mismatch",
            WarningCode::ScheduleMissing => "schedule_missing",
            WarningCode::ScheduleOutsidePlan => "schedule_outside_plan",
            WarningCode::UnknownPhase => "unknown_phase",
            WarningCode::UnknownProgressSymbol => "unknown_progress_symbol",
            WarningCode::UnknownProgressLabel => "unknown_progress_label",
            WarningCode::FiscalYearMismatch => "fiscal_year_mismatch",
            WarningCode::OcrLowConfidence => "ocr_low_confidence",
            WarningCode::LowResolution => "low_resolution",
            WarningCode::TextGuessed => "text_guessed",
            WarningCode::Other => "other",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            WarningCode::PageUnreadable | WarningCode::ItemUnreadable => Severity::Error,
            WarningCode::InitiativeMismatch
            | WarningCode::ScheduleMissing
            | WarningCode::ScheduleOutsidePlan => Severity::Info,
            _ => Severity::Warning,
        }
    }
}

impl std::fmt::Display for WarningCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Default)]
pub struct Diag {
    /// The item being read, for entries that name no other.
    pub item: Option<String>,
    pub warnings: Vec<Warning>,
    pub corrections: Vec<Correction>,
}

impl Diag {
    pub fn warn(
        &mut self,
        code: WarningCode,
        item: Option<&str>,
        field: Option<&str>,
        message: String,
    ) {
        self.warnings.push(Warning {
            code,
            item_number: item.map(str::to_string),
            field: field.map(str::to_string),
            message,
        });
    }

    /// A warning about the item being read (`self.item`).
    pub fn warn_item(&mut self, code: WarningCode, field: Option<&str>, message: String) {
        let item = self.item.clone();
        self.warn(code, item.as_deref(), field, message);
    }

    pub fn correct(&mut self, field: &str, from: &str, to: &str, rule: &str) {
        self.corrections.push(Correction {
            item_number: self.item.clone(),
            field: field.to_string(),
            from: from.to_string(),
            to: to.to_string(),
            rule: rule.to_string(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialize_as_their_names() {
        for c in WarningCode::ALL {
            let j = serde_json::to_string(&c).unwrap();
            assert_eq!(j, format!("\"{}\"", c.as_str()));
            let back: WarningCode = serde_json::from_str(&j).unwrap();
            assert_eq!(back, c);
        }
        let other: WarningCode = serde_json::from_str("\"from_the_future\"").unwrap();
        assert_eq!(other, WarningCode::Other);
    }
}
