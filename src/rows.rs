//! Rows: the meeting point of the text and PDF front ends.
//!
//! A report page is a table. Both front ends turn their input into rows of cells, in reading
//! order: the text path splits each line on tabs, the PDF path rebuilds the ruled grid. Every
//! stage after this one (normalize, segment, parse) sees only `Row`s, so a parsing fix helps
//! both inputs.

/// A box on a PDF page in PDF user-space points, origin bottom-left (as in the PDF).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BBox {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

/// One table cell: its raw text (not yet normalized) and, for PDF input, where it was.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    /// Raw text. Wrapped lines inside a PDF cell are already joined; `\n` separates explicit
    /// paragraphs. May be empty: empty cells keep their place, because the schedule grid is
    /// read by cell position.
    pub text: String,
    /// Position on the page (PDF only).
    pub bbox: Option<BBox>,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            bbox: None,
        }
    }
}

/// One row of cells, left to right.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    /// 1-based page number (PDF only; text input has no pages).
    pub page: Option<u32>,
    /// 1-based line number in the source (text only), for messages.
    pub line: Option<u32>,
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn from_texts<S: AsRef<str>>(texts: &[S]) -> Self {
        Row {
            page: None,
            line: None,
            cells: texts.iter().map(|t| Cell::new(t.as_ref())).collect(),
        }
    }

    /// True when every cell is empty or white space.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.text.trim().is_empty())
    }
}
