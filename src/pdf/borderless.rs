//! Pages without any ruling line: a borderless table (Word or Excel with hidden borders) is
//! rebuilt from the whitespace, the way a reader sees it.
//!
//! * Lines are split into segments at wide gaps, and also where a glyph starts on a column
//!   edge (an x where many segments start) after a visible gap: a label that nearly fills its
//!   column is then still cut from the text beside it.
//! * Lines are grouped into row blocks by vertical gaps: inside a cell lines are set at the
//!   text's leading; between table rows the cell padding adds to it. The leading is measured
//!   on the page (consecutive lines starting at the same x), so the threshold adapts to the
//!   producer. A label vertically centred beside several lines overlaps them and stays in
//!   their block.
//! * Inside a block, segments whose x-ranges overlap form a column; each column is one cell,
//!   its lines joined as in a ruled cell.
//! * A line of years (`2024 2025 … 2028`) is the head of the schedule grid: in the blocks
//!   below it, whatever lies over the year columns is put in the cell of the nearest year and
//!   the other years get empty cells, so the grid is read by position as in a ruled table.

use super::fxhash::FxHashMap;
use super::lines::{cell_text, run_text, Line, CELL_GAP, G};
use crate::rows::{BBox, Cell, LayoutHints, Row};

/// A gap wider than this (× font size) before a glyph that starts on a column edge splits
/// the line there.
const EDGE_GAP: f32 = 0.25;
/// Segment starts within this many points count as one x position.
const EDGE_TOLERANCE: f32 = 0.75;
/// An x where at least this many segments start, and at least one in `EDGE_SHARE` of the
/// page's lines, is a column edge.
const EDGE_MIN_STARTS: usize = 3;
const EDGE_SHARE: usize = 8;
/// Between two rows the gap exceeds the page's leading by more than this (× font size).
const ROW_GAP_EXTRA: f32 = 0.1;
/// When the page has no two lines to measure the leading on, a gap wider than this
/// (× font size) separates rows.
const DEFAULT_ROW_GAP: f32 = 0.3;

/// A run of a line's glyphs that belongs to one cell.
struct Seg<'a> {
    line: Line<'a>,
    /// Index of the text line it was cut from.
    line_no: usize,
}

/// A text line with a robust vertical extent (medians: a tall bracket or a low comma does not
/// move it) and its segments.
struct TextLine<'a> {
    segs: Vec<Seg<'a>>,
    y0: f32,
    y1: f32,
    size: f32,
}

/// Rows (with the y of their top) of a page without rules, from its text lines.
pub(super) fn rows<'a>(lines: Vec<Line<'a>>, page: u32, hints: &LayoutHints) -> Vec<(f32, Row)> {
    let edges = column_edges(&lines);
    // The text's right margin: a last column's lines that stop well short of it end paragraphs.
    let margin = lines.iter().map(|l| l.x1).fold(f32::MIN, f32::max);
    let lines: Vec<TextLine<'a>> = lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| text_line(l, i, &edges))
        .filter(|l| !l.segs.is_empty())
        .collect();
    let row_gap = row_gap(&lines);

    // Row blocks: runs of lines without a row-sized gap between them.
    let mut blocks: Vec<Vec<TextLine<'a>>> = Vec::new();
    let mut bottom = f32::MAX;
    let mut prev_was_years = false;
    let mut prev_size = f32::MAX;
    for line in lines {
        let years = year_header(&line, hints).is_some();
        let caption = line
            .segs
            .first()
            .is_some_and(|s| hints.is_caption(&seg_text(s)));
        // Judged at the smaller size: a large title above body text has a larger leading.
        let gap = bottom - line.y1;
        let size = line.size.min(prev_size);
        prev_size = line.size;
        // A section caption starts a block unless it sits beside the line above (a caption
        // sharing its row with header labels).
        let new_block = blocks.is_empty()
            || gap > row_gap * size
            || years
            || prev_was_years
            || (caption && gap > 0.0);
        prev_was_years = years;
        if new_block {
            bottom = line.y0;
            blocks.push(vec![line]);
        } else if let Some(b) = blocks.last_mut() {
            bottom = bottom.min(line.y0);
            b.push(line);
        }
    }

    let blocks = join_split_cells(blocks, hints);

    let mut out = Vec::new();
    let mut grid: Option<Vec<f32>> = None;
    for block in blocks {
        let top = block.iter().map(|l| l.y1).fold(f32::MIN, f32::max);
        if let [only] = block.as_slice() {
            if let Some(centres) = year_header(only, hints) {
                grid = Some(centres);
            }
        }
        let mut segs: Vec<Seg> = block.into_iter().flat_map(|l| l.segs).collect();
        segs.sort_by(|a, b| a.line.x0.total_cmp(&b.line.x0));
        let columns = columns(segs);
        if grid.is_some() && ends_grid(&columns, grid.as_deref().unwrap_or(&[]), hints) {
            grid = None;
        }
        let cells = match &grid {
            Some(centres) if !is_year_row(&columns, hints) => grid_cells(columns, centres),
            _ => {
                let n = columns.len();
                columns
                    .into_iter()
                    .enumerate()
                    .filter_map(|(i, c)| column_cell(c, if i + 1 == n { margin } else { f32::MIN }))
                    .collect()
            }
        };
        if !cells.is_empty() {
            out.push((
                top,
                Row {
                    page: Some(page),
                    page_end: None,
                    line: None,
                    cells,
                },
            ));
        }
    }
    out
}

/// A cell whose paragraphs are separated by a blank line looks like two rows: the first block
/// has no label and the next has the label, set vertically centred on the whole cell. When the
/// label sits higher than the second block's text alone would put it (PDF y grows upwards),
/// and the two blocks together centre it, they are one row.
fn join_split_cells<'a>(
    blocks: Vec<Vec<TextLine<'a>>>,
    hints: &LayoutHints,
) -> Vec<Vec<TextLine<'a>>> {
    // The text column starts where most segments start; a label lies wholly left of it.
    let mut starts: Vec<i64> = blocks
        .iter()
        .flatten()
        .flat_map(|l| l.segs.iter().map(|s| bin(s.line.x0)))
        .collect();
    starts.sort_unstable();
    let text_x0 = starts
        .chunk_by(|a, b| a == b)
        .max_by_key(|run| run.len())
        .and_then(|run| run.first())
        .map_or(f32::MIN, |&b| b as f32 * EDGE_TOLERANCE);
    let is_label = |s: &Seg| s.line.x1 <= text_x0;
    // (label centre, top and bottom of the text beside it); None for a block without a label.
    let shape = |b: &[TextLine]| -> (Option<f32>, f32, f32) {
        let label: Vec<f32> = b
            .iter()
            .filter(|l| l.segs.iter().any(&is_label))
            .map(|l| (l.y0 + l.y1) / 2.0)
            .collect();
        let text: Vec<&TextLine> = b
            .iter()
            .filter(|l| l.segs.iter().any(|s| !is_label(s)))
            .collect();
        let top = text.iter().map(|l| l.y1).fold(f32::MIN, f32::max);
        let bottom = text.iter().map(|l| l.y0).fold(f32::MAX, f32::min);
        let centre = (!label.is_empty()).then(|| label.iter().sum::<f32>() / label.len() as f32);
        (centre, top, bottom)
    };
    let mut out: Vec<Vec<TextLine>> = Vec::with_capacity(blocks.len());
    for b in blocks {
        let (label, top, bottom) = shape(&b);
        let joined = match (out.last(), label) {
            (Some(prev), Some(label))
                if !prev.is_empty() && !b.iter().any(|l| year_header(l, hints).is_some()) =>
            {
                let (prev_label, prev_top, _) = shape(prev);
                let caption = prev.iter().any(|l| {
                    l.segs
                        .first()
                        .is_some_and(|s| seg_text(s).starts_with('〈'))
                });
                let size = b.first().map_or(1.0, |l| l.size);
                let alone = (top + bottom) / 2.0;
                let together = (prev_top + bottom) / 2.0;
                prev_label.is_none()
                    && !caption
                    && prev.iter().all(|l| year_header(l, hints).is_none())
                    && label > alone + 0.5 * size
                    && (label - together).abs() < (label - alone).abs()
            }
            _ => false,
        };
        match out.last_mut() {
            Some(prev) if joined => prev.extend(b),
            _ => out.push(b),
        }
    }
    out
}

fn seg_text(s: &Seg) -> String {
    run_text(&s.line.glyphs).trim().to_string()
}

/// Bin of an x position for edge counting.
fn bin(x: f32) -> i64 {
    (x / EDGE_TOLERANCE).round() as i64
}

/// Where segments (cut at wide gaps) start: counts per x bin, and how many make an edge.
struct Edges {
    starts: FxHashMap<i64, usize>,
    min: usize,
}

/// Column edges: x positions where many wide-gap segments start.
fn column_edges(lines: &[Line]) -> Edges {
    let mut starts: FxHashMap<i64, usize> = FxHashMap::default();
    for line in lines {
        for seg in split_at_gaps(&line.glyphs, line.size) {
            if let Some(g) = seg.iter().find(|g| !g.is_space()) {
                *starts.entry(bin(g.b.x0)).or_default() += 1;
            }
        }
    }
    Edges {
        starts,
        min: EDGE_MIN_STARTS.max(lines.len() / EDGE_SHARE),
    }
}

/// Whether a column edge lies at `x0` or up to `x1` (a glyph whose box starts left of the
/// column, as typst sets an opening bracket half an em early).
fn is_edge(edges: &Edges, x0: f32, x1: f32) -> bool {
    let (lo, hi) = (bin(x0), bin(x1.max(x0)));
    if hi.saturating_sub(lo) > 64 {
        return false;
    }
    (lo..=hi).any(|b| {
        let n: usize = (b.saturating_sub(1)..=b.saturating_add(1))
            .map(|k| edges.starts.get(&k).copied().unwrap_or(0))
            .sum();
        n >= edges.min
    })
}

/// Runs of glyphs separated by gaps wider than `CELL_GAP` em.
fn split_at_gaps<'b, 'a>(glyphs: &'b [&'a G<'a>], size: f32) -> Vec<&'b [&'a G<'a>]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut end = f32::MIN;
    for (i, g) in glyphs.iter().enumerate() {
        if g.is_space() {
            continue;
        }
        if i > start && end > f32::MIN && g.b.x0 - end > CELL_GAP * size {
            out.push(&glyphs[start..i]);
            start = i;
        }
        end = end.max(g.b.x1);
    }
    if start < glyphs.len() {
        out.push(&glyphs[start..]);
    }
    out
}

fn median(mut v: Vec<f32>) -> Option<f32> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f32::total_cmp);
    Some(v[v.len() / 2])
}

/// A line cut into segments: at wide gaps, and at a column edge after a visible gap.
fn text_line<'a>(line: Line<'a>, line_no: usize, edges: &Edges) -> TextLine<'a> {
    let ink: Vec<&G> = line
        .glyphs
        .iter()
        .copied()
        .filter(|g| !g.is_space())
        .collect();
    let y0 = median(ink.iter().map(|g| g.b.y0).collect()).unwrap_or(0.0);
    let y1 = median(ink.iter().map(|g| g.b.y1).collect()).unwrap_or(0.0);
    let size = median(ink.iter().map(|g| g.size).collect()).unwrap_or(line.size);
    let mut segs = Vec::new();
    let mut cur: Vec<&G> = Vec::new();
    let mut end = f32::MIN;
    for g in line.glyphs {
        if !g.is_space() && !cur.is_empty() && end > f32::MIN {
            let gap = g.b.x0 - end;
            if gap > CELL_GAP * line.size
                || (gap > EDGE_GAP * line.size
                    && is_edge(edges, g.b.x0, g.b.x0 + 0.5 * (g.b.x1 - g.b.x0)))
            {
                segs.push(std::mem::take(&mut cur));
            }
        }
        if !g.is_space() {
            end = end.max(g.b.x1);
        }
        cur.push(g);
    }
    segs.push(cur);
    let segs: Vec<Seg> = segs
        .into_iter()
        .map(trim_spaces)
        .filter(|s| !s.is_empty())
        .map(|s| Seg {
            line: Line::new(s),
            line_no,
        })
        .collect();
    TextLine { segs, y0, y1, size }
}

/// A segment without the space glyphs at its ends (they would stretch its extent).
fn trim_spaces<'a>(mut seg: Vec<&'a G<'a>>) -> Vec<&'a G<'a>> {
    while seg.last().is_some_and(|g| g.is_space()) {
        seg.pop();
    }
    let lead = seg.iter().take_while(|g| g.is_space()).count();
    seg.drain(..lead);
    seg
}

/// The gap (× font size) above which two lines are in different rows: the page's leading
/// plus `ROW_GAP_EXTRA`. The leading is the smallest gap that recurs between a segment and the
/// segment starting at the same x on the nearest line above (lines of one paragraph; labels
/// set beside them are skipped).
fn row_gap(lines: &[TextLine]) -> f32 {
    let mut gaps: Vec<f32> = Vec::new();
    // Per x bin: the last line (index) with a segment starting there.
    let mut above: FxHashMap<i64, usize> = FxHashMap::default();
    for (i, b) in lines.iter().enumerate() {
        for s in &b.segs {
            let k = bin(s.line.x0);
            let prev = (k.saturating_sub(1)..=k.saturating_add(1))
                .filter_map(|k| above.get(&k).copied())
                .max();
            if let Some(a) = prev.and_then(|j| lines.get(j)) {
                let size = a.size.max(b.size);
                if size > 0.0 && (a.size - b.size).abs() < 0.1 * size {
                    gaps.push((a.y0 - b.y1) / size);
                }
            }
            above.insert(k, i);
        }
    }
    // Lines of one paragraph do not overlap by more than a touch.
    gaps.retain(|g| g.is_finite() && *g > -0.25);
    gaps.sort_by(f32::total_cmp);
    // The smallest gap that occurs twice (give or take 0.05 em), else the smallest.
    let recurring = gaps.windows(2).find(|w| w[1] - w[0] <= 0.05).map(|w| w[0]);
    match recurring.or(gaps.first().copied()) {
        Some(g) => g + ROW_GAP_EXTRA,
        None => DEFAULT_ROW_GAP,
    }
}

/// Year columns' x centres when the line is nothing but years (`2024 2025 …`, `令和6年度 …`:
/// what a year header is, the profiles say).
fn year_header(line: &TextLine, hints: &LayoutHints) -> Option<Vec<f32>> {
    if line.segs.len() < 2 {
        return None;
    }
    let mut centres = Vec::new();
    for s in &line.segs {
        if !hints.is_year_header(&seg_text(s)) {
            return None;
        }
        centres.push((s.line.x0 + s.line.x1) / 2.0);
    }
    Some(centres)
}

/// Segments of one block grouped into columns: overlapping x-ranges chain together.
/// `segs` must be sorted by x0.
fn columns(segs: Vec<Seg>) -> Vec<Vec<Seg>> {
    let mut cols: Vec<Vec<Seg>> = Vec::new();
    let mut right = f32::MIN;
    for s in segs {
        match cols.last_mut() {
            Some(c) if s.line.x0 < right => {
                right = right.max(s.line.x1);
                c.push(s);
            }
            _ => {
                right = s.line.x1;
                cols.push(vec![s]);
            }
        }
    }
    cols
}

fn extent(col: &[Seg]) -> (f32, f32) {
    col.iter().fold((f32::MAX, f32::MIN), |(a, b), s| {
        (a.min(s.line.x0), b.max(s.line.x1))
    })
}

/// Spacing of the year columns (the narrowest distance between two centres).
fn spacing(centres: &[f32]) -> f32 {
    centres
        .windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .fold(f32::MAX, f32::min)
}

fn grid_left(centres: &[f32]) -> f32 {
    let first = centres.iter().copied().fold(f32::MAX, f32::min);
    let sp = spacing(centres);
    first - if sp < f32::MAX { sp / 2.0 } else { 0.0 }
}

/// The schedule grid ends at a section caption, at text wider than a year column over the
/// year columns, or at text running from the left into the first year's column.
fn ends_grid(columns: &[Vec<Seg>], centres: &[f32], hints: &LayoutHints) -> bool {
    let left = grid_left(centres);
    let sp = spacing(centres);
    let first = centres.iter().copied().fold(f32::MAX, f32::min);
    columns.iter().any(|c| {
        let (x0, x1) = extent(c);
        let caption = c.iter().any(|s| hints.is_caption(&seg_text(s)));
        let wide_over_grid = (x0 + x1) / 2.0 > left && x1 - x0 > 1.5 * sp;
        let across_first_year = x0 < left && x1 > first;
        caption || wide_over_grid || across_first_year
    })
}

fn is_year_row(columns: &[Vec<Seg>], hints: &LayoutHints) -> bool {
    columns
        .iter()
        .all(|c| c.iter().all(|s| hints.is_year_header(&seg_text(s))))
}

/// The text of a column: its segments as lines of one cell whose right edge is the longest
/// line or `right`, whichever is further right.
fn column_cell(mut col: Vec<Seg>, right: f32) -> Option<Cell> {
    col.sort_by_key(|s| s.line_no);
    let right = col.iter().map(|s| s.line.x1).fold(right, f32::max);
    let lines: Vec<Line> = col.into_iter().map(|s| s.line).collect();
    let (text, line_texts) = cell_text(&lines, right);
    if text.is_empty() {
        return None;
    }
    let bbox = BBox {
        x0: lines.iter().map(|l| l.x0).fold(f32::MAX, f32::min),
        x1: right,
        y0: lines
            .iter()
            .flat_map(|l| l.glyphs.iter().map(|g| g.b.y0))
            .fold(f32::MAX, f32::min),
        y1: lines.iter().map(|l| l.y1).fold(f32::MIN, f32::max),
    };
    Some(Cell {
        text,
        bbox: Some(bbox),
        lines: line_texts,
        doubts: Vec::new(),
        fixes: Vec::new(),
    })
}

/// A schedule row: the columns left of the grid as cells, then one cell per year, empty
/// unless something lies over that year's column.
fn grid_cells(columns: Vec<Vec<Seg>>, centres: &[f32]) -> Vec<Cell> {
    let left = grid_left(centres);
    let mut cells = Vec::new();
    let mut years: Vec<Cell> = centres.iter().map(|_| Cell::default()).collect();
    for col in columns {
        let (x0, x1) = extent(&col);
        let centre = (x0 + x1) / 2.0;
        let Some(cell) = column_cell(col, f32::MIN) else {
            continue;
        };
        if centre < left {
            cells.push(cell);
            continue;
        }
        let nearest = centres
            .iter()
            .enumerate()
            .min_by(|a, b| (a.1 - centre).abs().total_cmp(&(b.1 - centre).abs()))
            .map(|(i, _)| i);
        if let Some(slot) = nearest.and_then(|i| years.get_mut(i)) {
            if !slot.text.is_empty() {
                slot.text.push(' ');
            }
            slot.text.push_str(&cell.text);
            slot.bbox = cell.bbox;
        }
    }
    cells.extend(years);
    cells
}
