//! Segment: Rows → one block per 項目番号.
//!
//! Rows are normalized here (rules 1–3 per cell) once, so that later stages compare labels
//! and read values without normalizing again. An item starts at its 実施項目 row (or at a
//! 項目番号 row when the current block already has a number); page header lines and footers
//! are taken out wherever they occur, so a page break inside an item does not cut it.

use crate::header::{self, PageLine};
use crate::normalize;
use crate::rows::{NRow, Row};

#[derive(Debug, Default)]
pub struct Segmented {
    /// Page header lines (plan title, report title) in order of appearance.
    pub page_lines: Vec<PageLine>,
    /// Rows before the first item that are not page headers.
    pub preamble: Vec<NRow>,
    pub blocks: Vec<Vec<NRow>>,
}

/// What the current block has seen so far.
#[derive(Default)]
struct Seen {
    title: bool,
    number: bool,
    body: bool,
}

pub fn segment(rows: &[Row]) -> Segmented {
    let mut out = Segmented::default();
    let mut current: Option<Vec<NRow>> = None;
    let mut cur = Seen::default();
    for row in rows {
        if row.is_blank() {
            continue;
        }
        let n = NRow::from_row(row);
        if n.cells
            .iter()
            .all(|c| c.is_empty() || normalize::is_markdown_rule(c))
        {
            continue;
        }
        if let Some(pl) = header::page_line(&n) {
            out.page_lines.push(pl);
            continue;
        }
        let has_title = n.has_key("実施項目");
        let has_number = n.has_key("項目番号");
        let header_row = has_title || has_number || n.has_key("主管課");
        // The header rows (実施項目, 項目番号, 主管課) may come in any order; a new item starts
        // when one of them repeats, or arrives after the current item's body has begun.
        let new_item = (has_title || has_number)
            && (current.is_none()
                || (has_title && cur.title)
                || (has_number && cur.number)
                || cur.body);
        if new_item {
            if let Some(b) = current.take() {
                out.blocks.push(b);
            }
            current = Some(Vec::new());
            cur = Seen::default();
        }
        if current.is_some() {
            cur.title |= has_title;
            cur.number |= has_number;
            cur.body |= !header_row;
        }
        match current.as_mut() {
            Some(b) => b.push(n),
            None => out.preamble.push(n),
        }
    }
    if let Some(b) = current {
        out.blocks.push(b);
    }
    out
}
