//! The reader: Rows + a profile → the report and its items. The only place that knows about
//! report families, and it knows them only through the profile.
//!
//! ```text
//! rows → NRow (normalized once) → classify (titles, page headers, footers, legends, group
//! headings) → form | list (the layout's blocks → RawItem: labelled pieces) → build (Item)
//! → numbers (keys, duplicates, gaps)
//! ```
//!
//! Each stage is inspectable: `jisseki inspect` prints the classification and what each row
//! was read as (see [`Reading::trace`]).

pub mod build;
pub mod classify;
pub mod detect;
pub mod form;
pub mod header;
pub mod list;
pub mod number;
pub mod rating;
pub mod results;
pub mod schedule;

use crate::diag::{Diag, WarningCode};
use crate::model::{Item, PageSpan, Report};
use crate::profile::{Profile, Target};
use crate::rows::{Cell, NRow, Row};

/// What a row is, for the readers and for `inspect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Blank,
    /// A title line of the report (plan, report title, period).
    Title,
    /// A title line repeated at the top of a later page.
    PageHeader,
    /// A page number.
    Footer,
    /// A printed legend of a rating scale.
    Legend,
    /// A group heading (list of items under it).
    Group,
    /// Everything else: read by the layout reader.
    Body,
}

impl RowKind {
    pub fn name(self) -> &'static str {
        match self {
            RowKind::Blank => "blank",
            RowKind::Title => "title",
            RowKind::PageHeader => "page header",
            RowKind::Footer => "footer",
            RowKind::Legend => "legend",
            RowKind::Group => "group heading",
            RowKind::Body => "body",
        }
    }
}

/// One cell's text taken for a field, with where it came from.
#[derive(Debug, Clone)]
pub struct Piece {
    /// After rules 1–3 (a prefix label or printed column header removed).
    pub text: String,
    /// The source cell as the front end gave it (lines, box, OCR doubts).
    pub cell: Cell,
    pub page: Option<u32>,
}

/// A labelled field of an item as collected: its target, the label as printed, and its text.
#[derive(Debug, Clone)]
pub struct Field {
    pub target: Target,
    /// The label (normalized), for `extra`, `effects` and groups.
    pub label: String,
    /// A year the label carries (`令和6年度の実績`), as printed.
    pub year: Option<String>,
    pub pieces: Vec<Piece>,
}

/// An initiative's row(s): from a plan table, a list cell, or a result table.
#[derive(Debug, Clone, Default)]
pub struct RawInitiative {
    /// N as printed (`1`, `①`), where the row numbers it.
    pub no: Option<String>,
    pub text: Option<Piece>,
    /// Schedule grid cells after the text, by position (may be empty strings).
    pub grid: Vec<String>,
    /// Whether the row has grid cells at all (a plan row).
    pub has_grid: bool,
    /// First year of the grid from its header row, where printed.
    pub grid_first_year: Option<i32>,
    /// Number of year columns in the grid's header row.
    pub grid_years: usize,
    /// The rating cells after the rating label (None: no rating label on the row).
    pub rating: Option<Vec<String>>,
    pub actions: Option<Field>,
    pub next_steps: Option<Field>,
}

/// One item as the layout reader collected it, before its values are parsed.
#[derive(Debug, Clone, Default)]
pub struct RawItem {
    /// Where the item starts, for messages (` (page 3)`, ` (line 120)`).
    pub position: String,
    pub pages: Option<PageSpan>,
    pub fields: Vec<Field>,
    /// Initiatives of the plan table (or the list cell), in document order.
    pub initiatives: Vec<RawInitiative>,
    /// Initiatives of the result table (families that report per initiative after the plan).
    pub results: Vec<RawInitiative>,
    /// Group headings the item stands under (list layout; form groups are fields).
    pub groups: Vec<crate::model::Group>,
    /// Text in the block that no label took (continuations with nothing to continue).
    pub stray: Vec<Piece>,
    /// Damaged labels read as the profile's (as printed, as read).
    pub label_fixes: Vec<(String, String)>,
}

impl RawItem {
    pub fn touch_page(&mut self, page: Option<u32>) {
        if let Some(p) = page {
            self.pages = Some(match self.pages {
                None => PageSpan { start: p, end: p },
                Some(s) => PageSpan {
                    start: s.start.min(p),
                    end: s.end.max(p),
                },
            });
        }
    }

    pub fn field(&self, t: Target) -> Option<&Field> {
        self.fields.iter().find(|f| f.target == t)
    }

    /// The field of this target (for fields an item has several of — groups, extra, effects
    /// — the last one with this label), created where missing.
    pub fn field_mut(&mut self, t: Target, label: &str, year: Option<String>) -> &mut Field {
        let multi = matches!(t, Target::Group | Target::Extra | Target::Effects);
        let at = match self
            .fields
            .iter()
            .rposition(|f| f.target == t && (!multi || f.label == label))
        {
            Some(i) => i,
            None => {
                self.fields.push(Field {
                    target: t,
                    label: label.to_string(),
                    year,
                    pieces: Vec::new(),
                });
                self.fields.len() - 1
            }
        };
        &mut self.fields[at]
    }
}

/// One row as `inspect` shows it: what the classifier and the layout reader made of it.
#[derive(Debug, Clone)]
pub struct RowTrace {
    pub row: NRow,
    pub kind: RowKind,
    pub note: String,
}

/// The result of reading a document.
pub struct Reading {
    pub report: Report,
    pub items: Vec<Item>,
    /// Per row (blank rows included): its kind and what it was read as.
    pub trace: Vec<RowTrace>,
}

/// A piece of a cell's text at a position.
pub fn piece(row: &NRow, j: usize, text: String) -> Piece {
    Piece {
        text,
        cell: row.raw[j].clone(),
        page: row.page,
    }
}

/// Normalize the front end's rows once, for detection and reading.
pub fn normalize(rows: &[Row]) -> Vec<NRow> {
    // A few milliseconds for a whole report: worth a second core past a few hundred rows.
    crate::cores::map_halves(rows, 512, NRow::from_row)
}

/// [`normalize`] taking the rows, whose cells become the rows' `raw` without a copy.
pub fn normalize_owned(rows: Vec<Row>) -> Vec<NRow> {
    crate::cores::map_halves_owned(rows, 512, NRow::from_owned)
}

/// OCR reads a dash alone in a cell (rule 5's "nothing") as long-vowel marks or 一 (`ー`,
/// `ーー`); alone in a cell they are no word, so such a cell is read as `-` and the change is
/// listed. Text input keeps ー as printed (the contract's rule 1).
fn ocr_dashes(nrows: &mut [NRow], diag: &mut Diag) {
    for row in nrows.iter_mut() {
        for j in 0..row.cells.len() {
            let k = &row.keys[j];
            let n = k.chars().count();
            let marks = k.chars().all(crate::normalize::is_dash_like) && !k.contains('-');
            if (1..=3).contains(&n) && marks {
                diag.correct(
                    &format!("cell{}", row.position()),
                    &row.cells[j].clone(),
                    "-",
                    "ocr_dash",
                );
                row.cells[j] = "-".into();
                row.keys[j] = "-".into();
                row.spaced[j] = "-".into();
            }
        }
    }
}

/// Read the (normalized) rows as a report of the profile's family. `ocr`: the rows were read
/// by OCR from a scan (item numbers may then be repaired by their sequence).
pub fn read(mut nrows: Vec<NRow>, profile: &Profile, ocr: bool, diag: &mut Diag) -> Reading {
    if ocr {
        ocr_dashes(&mut nrows, diag);
    }
    let classified = classify::classify(&mut nrows, profile);
    let report = header::report(&classified.titles);
    let ratings = rating::Ratings::new(profile, &classified.legends, diag);
    let mut notes = vec![String::new(); nrows.len()];
    let raw = match profile.layout {
        crate::profile::Layout::Form => {
            form::read(&nrows, &classified.kinds, profile, &mut notes, ocr, diag)
        }
        crate::profile::Layout::List => {
            list::read(&nrows, &classified.kinds, profile, &mut notes, diag)
        }
    };
    let ctx = build::Context {
        profile,
        ratings: &ratings,
        plan_start: report.plan_period.map(|p| p.start),
        plan_end: report.plan_period.map(|p| p.end),
        fiscal_year: report.fiscal_year,
        ocr,
    };
    // Items are built each on its own (each with its own warnings, joined in order after),
    // so a second core can take half of them.
    let built = crate::cores::map_halves(&raw, 8, |r| {
        let mut own = Diag::default();
        let item = build::item(r, &ctx, &mut own);
        (item, own)
    });
    let mut items = Vec::with_capacity(raw.len());
    let mut spans = Vec::with_capacity(raw.len());
    for (item, own) in built {
        let (w0, c0) = (diag.warnings.len(), diag.corrections.len());
        diag.warnings.extend(own.warnings);
        diag.corrections.extend(own.corrections);
        if let Some(item) = item {
            items.push(item);
            spans.push(number::DiagSpan {
                warnings: (w0, diag.warnings.len()),
                corrections: (c0, diag.corrections.len()),
            });
        }
    }
    diag.item = None;
    if ocr {
        number::repair_ocr_sequence(&mut items, &spans, diag);
    }
    number::check_sequence(&mut items, diag);
    if report.plan_title.is_none() {
        diag.warn(
            WarningCode::MissingField,
            None,
            Some("report.plan_title"),
            "no title line with a plan name (…プラン, …計画) was found".into(),
        );
    }
    if report.plan_title.is_some() && report.municipality.is_none() {
        diag.warn(
            WarningCode::MissingField,
            None,
            Some("report.municipality"),
            "the plan title names no municipality (…市, …町, …村)".into(),
        );
    }
    if report.fiscal_year.is_none() {
        diag.warn(
            WarningCode::MissingField,
            None,
            Some("report.fiscal_year"),
            "no title line with the report's year such as 「(2024年度報告)」 was found".into(),
        );
    }
    let trace = nrows
        .into_iter()
        .zip(classified.kinds)
        .zip(notes)
        .map(|((row, kind), note)| RowTrace { row, kind, note })
        .collect();
    Reading {
        report,
        items,
        trace,
    }
}
