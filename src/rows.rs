//! Rows: the meeting point of the front ends (text dump, PDF text layer, scan).
//!
//! A report page is a table. Every front end turns its input into rows of cells, in reading
//! order: the text path splits each line on tabs, the PDF and scan paths rebuild the table from
//! glyph (or OCR word) boxes and ruling lines. Every stage after this one sees only `Row`s (and
//! their normalized form [`NRow`]), so a reading fix helps every input.

use crate::normalize;

/// A box on a page in PDF user-space points, origin bottom-left (as in the PDF).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BBox {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

/// A span OCR was unsure of: its text, the engine's confidence (0–100) and where it was.
#[derive(Debug, Clone, PartialEq)]
pub struct Doubt {
    pub text: String,
    pub confidence: f32,
    pub bbox: BBox,
}

/// A change the OCR front end made to what the engine first read (a second reading of a
/// number by another model, a circled digit read again inside its ring): what was read, what
/// replaced it, the rule, and where (page points). Listed in the document's `corrections`, so
/// that no front-end repair is silent.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrFix {
    pub from: String,
    pub to: String,
    pub rule: String,
    pub bbox: BBox,
}

/// One table cell: its raw text (not yet normalized) and, for PDF and scan input, where it was.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    /// Raw text. Wrapped lines inside a PDF cell are already joined; `\n` separates explicit
    /// paragraphs. May be empty: empty cells keep their place, because a schedule grid is
    /// read by cell position.
    pub text: String,
    /// Position on the page (PDF and scan only).
    pub bbox: Option<BBox>,
    /// The cell's visual lines, raw, top to bottom (PDF and scan only; empty for text input,
    /// whose only structure is `text`'s paragraphs). List fields split on them, and a bullet
    /// starts an initiative only at the start of a line.
    pub lines: Vec<String>,
    /// OCR spans recognized with low confidence (scan only).
    pub doubts: Vec<Doubt>,
    /// Front-end corrections of the OCR reading inside this cell (scan only).
    pub fixes: Vec<OcrFix>,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            ..Cell::default()
        }
    }
}

/// One row of cells, left to right.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    /// 1-based page number (PDF and scan; text input has no pages).
    pub page: Option<u32>,
    /// For a row that a page break cut in two and the PDF front end joined again: the page its
    /// last part is on (`page` is where it starts). None for every other row.
    pub page_end: Option<u32>,
    /// 1-based line number in the source (text only), for messages.
    pub line: Option<u32>,
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn from_texts<S: AsRef<str>>(texts: &[S]) -> Self {
        Row {
            page: None,
            page_end: None,
            line: None,
            cells: texts.iter().map(|t| Cell::new(t.as_ref())).collect(),
        }
    }

    /// True when every cell is empty or white space.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.text.trim().is_empty())
    }
}

/// A row with each cell normalized (contract rules 1–3) once, plus the keys used to compare
/// labels, so that later stages compare and read values without normalizing again.
#[derive(Debug, Clone, PartialEq)]
pub struct NRow {
    pub page: Option<u32>,
    /// See [`Row::page_end`]: a joined row also counts for this page.
    pub page_end: Option<u32>,
    pub line: Option<u32>,
    /// Cells after rules 1–3.
    pub cells: Vec<String>,
    /// Cells with every white space removed (for label comparison).
    pub keys: Vec<String>,
    /// Cells after rule 1 with white space collapsed but kept (for headings and legends).
    pub spaced: Vec<String>,
    /// The source cells, raw (list fields split on white space and lines before rule 2).
    pub raw: Vec<Cell>,
}

impl NRow {
    pub fn from_row(row: &Row) -> NRow {
        NRow::from_owned(row.clone())
    }

    /// [`NRow::from_row`] keeping the row's own cells as `raw` rather than copies.
    pub fn from_owned(row: Row) -> NRow {
        let (cells, keys, spaced) = NRow::forms(&row.cells);
        NRow {
            page: row.page,
            page_end: row.page_end,
            line: row.line,
            cells,
            keys,
            spaced,
            raw: row.cells,
        }
    }

    /// The normalized, key and spaced forms of each cell.
    fn forms(raw: &[Cell]) -> (Vec<String>, Vec<String>, Vec<String>) {
        let n = raw.len();
        let (mut cells, mut keys, mut spaced) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for c in raw {
            if normalize::is_plain(&c.text) {
                // Most cells: no rule changes them, so all three forms are the text.
                cells.push(c.text.clone());
                keys.push(c.text.clone());
                spaced.push(c.text.clone());
                continue;
            }
            // Rule 1 once per cell; the text and the spaced form both start from it.
            let ch = normalize::chars(&c.text);
            spaced.push(normalize::spaced_of_chars(&ch));
            let text = normalize::text_of_chars(ch);
            keys.push(text.chars().filter(|c| !c.is_whitespace()).collect());
            cells.push(text);
        }
        (cells, keys, spaced)
    }

    /// Index of the first non-empty cell.
    pub fn first(&self) -> Option<usize> {
        self.cells.iter().position(|c| !c.is_empty())
    }

    pub fn non_empty(&self) -> impl Iterator<Item = (usize, &str)> {
        self.cells
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.is_empty())
            .map(|(i, c)| (i, c.as_str()))
    }

    pub fn has_key(&self, k: &str) -> bool {
        self.keys.iter().any(|x| x == k)
    }

    /// Where the row came from, for messages: ` (page 3)` or ` (line 120)`.
    pub fn position(&self) -> String {
        match (self.page, self.line) {
            (Some(p), _) => format!(" (page {p})"),
            (None, Some(l)) => format!(" (line {l})"),
            _ => String::new(),
        }
    }
}

/// What a front end may know of a report's layout, handed to it by the profiles (which alone
/// know report families): predicates, no words of any report in the front end. With none
/// (`Default`) a front end goes by geometry only.
#[derive(Clone, Default)]
pub struct LayoutHints {
    /// A line that is a section caption (`〈アクション項目の総括〉`): it starts a row of its
    /// own in a table without rules.
    pub caption: Option<Predicate>,
    /// A cell that heads a year column of a schedule grid (`2024`, `令和6年度`, `R6`).
    pub year_header: Option<Predicate>,
}

/// A test on a cell's or line's text.
pub type Predicate = std::sync::Arc<dyn Fn(&str) -> bool + Send + Sync>;

impl LayoutHints {
    pub fn is_caption(&self, text: &str) -> bool {
        self.caption.as_ref().is_some_and(|f| f(text))
    }

    pub fn is_year_header(&self, text: &str) -> bool {
        self.year_header.as_ref().is_some_and(|f| f(text))
    }
}

impl std::fmt::Debug for LayoutHints {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LayoutHints")
            .field("caption", &self.caption.is_some())
            .field("year_header", &self.year_header.is_some())
            .finish()
    }
}
