//! Glyphs + ruling lines of one page → rows of cells in reading order.
//!
//! The ruled tables come from [`grid`](super::grid). Every glyph goes to the cell under its
//! centre; inside a cell glyphs are grouped into lines by height and ordered by x, so the
//! content-stream order (LibreOffice writes cells column by column, typst glyph by glyph)
//! does not matter. Each band of a table that starts at least one cell becomes a row; a cell
//! spanning several bands gives its text in its first band and an empty placeholder in the
//! others, so positions stay stable (the schedule grid is read by position). Text outside the
//! tables (page header, captions, footer) is grouped into lines, and each line becomes a row
//! whose cells are split at wide gaps, which is also the whole story for a page without rules.

use super::grid::{self, Table};
use super::{Glyph, PageContent};
use crate::rows::{BBox, Cell, Row};

/// Two Latin glyphs on one line further apart than this (× font size) are separate words and
/// get a space (for producers that position words instead of writing space glyphs; the
/// fixtures' producers all write them).
const WORD_GAP: f32 = 0.2;
/// The same between a CJK and a Latin glyph: typst adds a quarter em there
/// (`cjk-latin-spacing`) that is no space character, while a half-width space is 0.25–0.5 em.
const MIXED_WORD_GAP: f32 = 0.35;
/// The same between two CJK glyphs: Japanese has no spaces and justified CJK text is spread,
/// so only a real hole (about an ideographic space) counts.
const CJK_WORD_GAP: f32 = 0.8;
/// Outside the tables, a gap wider than this (× font size) splits a line into cells.
pub(super) const CELL_GAP: f32 = 1.0;
/// A line ends a paragraph when the room left at its end exceeds the next line's first word
/// by more than this (× font size): cell padding and justification slack stay below it.
const PARAGRAPH_SLACK: f32 = 1.5;
/// Two glyphs are on the same line when their centres are closer than this × line height.
const SAME_LINE: f32 = 0.5;

/// Rows of one page in reading order: ruled table rows cell by cell, other text line by line.
pub fn page_rows(page: &PageContent) -> Vec<Row> {
    let glyphs: Vec<G> = page.glyphs.iter().filter_map(G::new).collect();
    let tables = grid::find_tables(&page.rules);

    // Glyphs per (table, region); the rest are free text.
    let mut in_cells: Vec<Vec<Vec<&G>>> = tables
        .iter()
        .map(|t| vec![Vec::new(); t.regions.len()])
        .collect();
    let mut free: Vec<&G> = Vec::new();
    // Page numbers first: they may sit inside the last table cell's box.
    let (footers, glyphs) = take_page_numbers(glyphs.iter().collect(), page.height, page.number);
    let mut hits: Vec<Option<(usize, usize)>> = glyphs
        .iter()
        .map(|g| {
            let (cx, cy) = g.centre();
            tables
                .iter()
                .enumerate()
                .find_map(|(ti, t)| t.locate(cx, cy).map(|ri| (ti, ri)))
        })
        .collect();
    keep_overflow_in_cell(&glyphs, &tables, &mut hits);
    for (&g, hit) in glyphs.iter().zip(hits) {
        match hit {
            Some((ti, ri)) => in_cells[ti][ri].push(g),
            None => free.push(g),
        }
    }

    // Rows with the y of their top, merged by that key at the end.
    let mut placed: Vec<(f32, Row)> = Vec::new();
    for (table, cells) in tables.iter().zip(in_cells) {
        placed.extend(table_rows(table, cells, page.number));
    }
    placed.extend(footers);
    if tables.is_empty() {
        // No ruling lines at all: a borderless table, rebuilt from the whitespace.
        placed.extend(super::borderless::rows(group_lines(free), page.number));
    } else {
        for line in group_lines(free) {
            let row = free_line_row(&line, page.number);
            if !row.cells.is_empty() {
                placed.push((line.y1, row));
            }
        }
    }
    // Stable: rows of one table stay in band order even if their keys tie.
    placed.sort_by(|a, b| b.0.total_cmp(&a.0));
    placed.into_iter().map(|(_, row)| row).collect()
}

/// Page numbers (`- 11 -`) printed over the last text line when a table runs to the page
/// bottom: the two lines are only a fraction of a point apart, so line grouping would
/// interleave them. A page number is a run of glyphs on exactly one baseline, in one size, in
/// the bottom fifth of the page, reading `- N -`; it becomes a row of its own.
fn take_page_numbers<'a>(
    free: Vec<&'a G<'a>>,
    page_height: f32,
    page: u32,
) -> (Vec<(f32, Row)>, Vec<&'a G<'a>>) {
    let bottom = if page_height.is_finite() && page_height > 0.0 {
        page_height * 0.2
    } else {
        0.0
    };
    let mut groups: Vec<Vec<&G>> = Vec::new();
    for &g in free.iter().filter(|g| !g.vertical && g.b.y0 < bottom) {
        match groups
            .iter_mut()
            .find(|grp| (grp[0].b.y0 - g.b.y0).abs() < 0.01 && (grp[0].size - g.size).abs() < 0.01)
        {
            Some(grp) => grp.push(g),
            None => groups.push(vec![g]),
        }
    }
    let mut rows = Vec::new();
    let mut taken: Vec<&G> = Vec::new();
    for mut grp in groups {
        grp.sort_by(|a, b| a.b.x0.total_cmp(&b.b.x0));
        let text: String = grp
            .iter()
            .map(|g| g.text)
            .collect::<String>()
            .split_whitespace()
            .collect();
        let inner = text
            .strip_prefix('-')
            .and_then(|t| t.strip_suffix('-'))
            .unwrap_or("");
        if inner.is_empty() || !inner.chars().all(|c| c.is_ascii_digit()) || inner.len() > 5 {
            continue;
        }
        taken.extend(grp.iter().copied());
        if let Some(line) = group_lines(grp).first() {
            rows.push((line.y1, free_line_row(line, page)));
        }
    }
    let rest = free
        .into_iter()
        .filter(|g| !taken.iter().any(|t| std::ptr::eq(*t, *g)))
        .collect();
    (rows, rest)
}

/// A line that runs past its cell's right border (the producer measured the text narrower
/// than it is drawn, as ReportLab does with half-width CIDs) still belongs to that cell: a
/// glyph that continues, with no gap, a line that reached its cell's right border is put in
/// that cell, whatever lies under its centre. Text in a neighbouring cell is always separated
/// from its neighbour by the cell padding, so it is never glued on this way.
fn keep_overflow_in_cell(
    glyphs: &[&G],
    tables: &[grid::Table],
    hits: &mut [Option<(usize, usize)>],
) {
    // Horizontal glyphs by baseline, then x.
    let mut order: Vec<usize> = (0..glyphs.len()).filter(|&i| !glyphs[i].vertical).collect();
    order.sort_by(|&a, &b| {
        glyphs[b]
            .b
            .y0
            .total_cmp(&glyphs[a].b.y0)
            .then(glyphs[a].b.x0.total_cmp(&glyphs[b].b.x0))
    });
    for w in 1..order.len() {
        let (pi, gi) = (order[w - 1], order[w]);
        let (p, g) = (&glyphs[pi], &glyphs[gi]);
        let Some((ti, ri)) = hits[pi] else { continue };
        if hits[gi] == Some((ti, ri)) {
            continue;
        }
        let same_line = (g.b.y0 - p.b.y0).abs() < 0.2 * p.size;
        let touching = g.b.x0 >= p.b.x0 && g.b.x0 - p.b.x1 < 0.2 * p.size;
        let cell = &tables[ti].regions[ri].bbox;
        let at_border = p.b.x1 > cell.x1 - 0.5 * p.size;
        if same_line && touching && at_border {
            hits[gi] = Some((ti, ri));
        }
    }
}

/// A glyph with a sanitized box (ordered corners, finite) and a usable size.
#[derive(Debug)]
pub(super) struct G<'a> {
    pub(super) text: &'a str,
    pub(super) b: BBox,
    pub(super) size: f32,
    pub(super) vertical: bool,
}

impl<'a> G<'a> {
    /// None for glyphs that cannot be placed (non-finite box) or carry no text.
    fn new(g: &'a Glyph) -> Option<Self> {
        let b = g.bbox;
        if g.text.is_empty() || ![b.x0, b.y0, b.x1, b.y1].iter().all(|v| v.is_finite()) {
            return None;
        }
        let b = BBox {
            x0: b.x0.min(b.x1),
            x1: b.x0.max(b.x1),
            y0: b.y0.min(b.y1),
            y1: b.y0.max(b.y1),
        };
        // Some producers give degenerate boxes (zero height for spaces); fall back to the
        // font size, and to 1 pt when even that is unusable.
        let size = if g.size.is_finite() && g.size > 0.0 {
            g.size
        } else if b.y1 - b.y0 > 0.0 {
            b.y1 - b.y0
        } else {
            1.0
        };
        Some(G {
            text: &g.text,
            b,
            size,
            vertical: g.vertical,
        })
    }

    pub(super) fn centre(&self) -> (f32, f32) {
        ((self.b.x0 + self.b.x1) / 2.0, (self.b.y0 + self.b.y1) / 2.0)
    }

    pub(super) fn height(&self) -> f32 {
        let h = self.b.y1 - self.b.y0;
        if h > 0.1 {
            h
        } else {
            self.size
        }
    }

    pub(super) fn is_space(&self) -> bool {
        self.text.chars().all(char::is_whitespace)
    }
}

/// Glyphs of one text line, left to right, with their union box.
pub(super) struct Line<'a> {
    pub(super) glyphs: Vec<&'a G<'a>>,
    pub(super) x0: f32,
    pub(super) x1: f32,
    pub(super) y1: f32,
    pub(super) size: f32,
}

impl<'a> Line<'a> {
    /// A line of glyphs already ordered left to right, with its extent.
    pub(super) fn new(glyphs: Vec<&'a G<'a>>) -> Self {
        let mut line = Line {
            glyphs,
            x0: 0.0,
            x1: 0.0,
            y1: 0.0,
            size: 0.0,
        };
        line.measure();
        line
    }

    fn measure(&mut self) {
        self.x0 = self.glyphs.iter().map(|g| g.b.x0).fold(f32::MAX, f32::min);
        self.x1 = self.glyphs.iter().map(|g| g.b.x1).fold(f32::MIN, f32::max);
        self.y1 = self.glyphs.iter().map(|g| g.b.y1).fold(f32::MIN, f32::max);
        // The largest size on the line: gaps are judged against the body text, not a
        // small superscript.
        self.size = self.glyphs.iter().map(|g| g.size).fold(0.0, f32::max);
    }
}

/// Groups glyphs into lines, top to bottom, each ordered left to right. Sort by centre height,
/// then sweep: a glyph joins the current line when its centre is close to the line's mean
/// centre (relative to the mean glyph height), so wrapped lines ~1.2 em apart stay apart
/// while mixed fonts on one baseline stay together. O(n log n).
pub(super) fn group_lines<'a>(mut glyphs: Vec<&'a G<'a>>) -> Vec<Line<'a>> {
    glyphs.sort_by(|a, b| {
        b.centre()
            .1
            .total_cmp(&a.centre().1)
            .then(a.b.x0.total_cmp(&b.b.x0))
    });
    let mut lines: Vec<Line<'a>> = Vec::new();
    let (mut sum_cy, mut sum_h) = (0.0f32, 0.0f32);
    for g in glyphs {
        let cy = g.centre().1;
        if let Some(line) = lines.last_mut() {
            let n = line.glyphs.len() as f32;
            if (sum_cy / n - cy).abs() <= SAME_LINE * (sum_h / n) {
                line.glyphs.push(g);
                sum_cy += cy;
                sum_h += g.height();
                continue;
            }
        }
        lines.push(Line {
            glyphs: vec![g],
            x0: 0.0,
            x1: 0.0,
            y1: 0.0,
            size: 0.0,
        });
        sum_cy = cy;
        sum_h = g.height();
    }
    for line in &mut lines {
        line.glyphs.sort_by(|a, b| a.b.x0.total_cmp(&b.b.x0));
        line.measure();
    }
    lines
}

/// Japanese script and full-width forms: no spaces are written between these.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2460}'..='\u{24FF}' // enclosed numbers ①
        | '\u{2E80}'..='\u{9FFF}' // radicals, CJK punctuation, kana, ideographs
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FFEF}' // full-width and half-width forms
        | '\u{20000}'..='\u{3FFFF}')
}

/// Text of a run of glyphs already ordered left to right, with a space wherever a word gap
/// is wider than the glyphs' own spacing (producers that position words instead of writing
/// spaces).
pub(super) fn run_text(glyphs: &[&G]) -> String {
    let mut out = String::new();
    let mut prev: Option<&G> = None;
    for &g in glyphs {
        if let Some(p) = prev {
            let gap = g.b.x0 - p.b.x1;
            let left = p.text.chars().last().is_some_and(is_cjk);
            let right = g.text.chars().next().is_some_and(is_cjk);
            let limit = match (left, right) {
                (true, true) => CJK_WORD_GAP,
                (false, false) => WORD_GAP,
                _ => MIXED_WORD_GAP,
            } * p.size.max(g.size);
            if gap > limit && !p.is_space() && !g.is_space() {
                out.push(' ');
            }
        }
        out.push_str(g.text);
        prev = Some(g);
    }
    out
}

/// Text of a cell: its lines joined, and the lines themselves. A line that stops well short
/// of the cell's right edge (more room than the next line's first word needed) ended a
/// paragraph: `\n`. Otherwise the line was wrapped: CJK on either side joins directly, Latin
/// words get one space.
pub(super) fn cell_text(lines: &[Line], right: f32) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut texts = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let text = run_text(&line.glyphs);
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        texts.push(text.to_string());
        if i > 0 && !out.is_empty() {
            let prev = &lines[i - 1];
            let room = right - prev.x1;
            let first_word = first_word_width(line);
            let last = out.chars().last();
            let first = text.chars().next();
            if room > first_word + PARAGRAPH_SLACK * prev.size {
                out.push('\n');
            } else if !(last.is_some_and(is_cjk) || first.is_some_and(is_cjk)) {
                out.push(' ');
            }
        }
        out.push_str(text);
    }
    (out, texts)
}

/// Characters that Japanese line breaking (kinsoku) keeps off the start of a line.
fn is_no_break_start(c: char) -> bool {
    matches!(
        c,
        '、' | '。'
            | '，'
            | '．'
            | ','
            | '.'
            | '」'
            | '』'
            | '）'
            | ')'
            | '】'
            | '〕'
            | '〉'
            | '》'
            | '・'
            | 'ー'
            | '々'
            | '！'
            | '？'
            | '：'
            | '；'
            | 'っ'
            | 'ゃ'
            | 'ゅ'
            | 'ょ'
            | 'ッ'
            | 'ャ'
            | 'ュ'
            | 'ョ'
            | 'ぁ'
            | 'ぃ'
            | 'ぅ'
            | 'ぇ'
            | 'ぉ'
            | 'ァ'
            | 'ィ'
            | 'ゥ'
            | 'ェ'
            | 'ォ'
    )
}

/// Width of the first word of a line: the first glyph for CJK (it can break anywhere), else
/// the glyphs up to the first space or word gap.
fn first_word_width(line: &Line) -> f32 {
    let Some(first) = line.glyphs.iter().find(|g| !g.is_space()) else {
        return 0.0;
    };
    if first.text.chars().next().is_some_and(is_cjk) {
        // Japanese breaks anywhere, but a closing mark (、。」…) may not start a line, so the
        // character before it wraps along with it.
        let end = line
            .glyphs
            .iter()
            .skip_while(|g| g.is_space())
            .skip(1)
            .take_while(|g| g.text.chars().all(is_no_break_start))
            .fold(first.b.x1, |end, g| end.max(g.b.x1));
        return end - first.b.x0;
    }
    let mut end = first.b.x1;
    for g in line.glyphs.iter().skip_while(|g| g.is_space()).skip(1) {
        if g.is_space()
            || g.b.x0 - end > WORD_GAP * g.size
            || g.text.chars().next().is_some_and(is_cjk)
        {
            break;
        }
        end = g.b.x1;
    }
    end - first.b.x0
}

/// Text of the glyphs inside one cell box.
fn region_text(glyphs: Vec<&G>, bbox: BBox) -> (String, Vec<String>) {
    let vertical = glyphs.iter().filter(|g| g.vertical).count() * 2 > glyphs.len();
    if !vertical {
        return cell_text(&group_lines(glyphs), bbox.x1);
    }
    // Vertical writing reads columns right to left, each top to bottom. A quarter turn of the
    // coordinates (x' = -y: downwards becomes rightwards; y' = x: rightwards becomes upwards)
    // turns that into ordinary lines, so the same grouping and joining apply; the cell's
    // bottom edge plays the right edge for paragraph breaks.
    let turned: Vec<G> = glyphs
        .iter()
        .map(|g| G {
            text: g.text,
            b: BBox {
                x0: -g.b.y1,
                x1: -g.b.y0,
                y0: g.b.x0,
                y1: g.b.x1,
            },
            size: g.size,
            vertical: true,
        })
        .collect();
    cell_text(&group_lines(turned.iter().collect()), -bbox.y0)
}

/// One row per band of the table that starts a cell. Cells are the regions crossing the band
/// left to right; regions that started in an earlier band are empty placeholders.
fn table_rows(table: &Table, cells: Vec<Vec<&G>>, page: u32) -> Vec<(f32, Row)> {
    let texts: Vec<(String, Vec<String>)> = cells
        .into_iter()
        .zip(&table.regions)
        .map(|(glyphs, region)| region_text(glyphs, region.bbox))
        .collect();
    let mut rows = Vec::new();
    for band in 0..table.nrows() {
        let mut row = Row {
            page: Some(page),
            line: None,
            cells: Vec::new(),
        };
        let mut starts_cell = false;
        let mut col = 0;
        while col < table.ncols() {
            let ri = table.region_at(col, band);
            let region = &table.regions[ri];
            let first_band = region.row0 == band;
            starts_cell |= first_band;
            let (text, lines) = if first_band {
                texts[ri].clone()
            } else {
                Default::default()
            };
            row.cells.push(Cell {
                text,
                bbox: Some(region.bbox),
                lines,
                doubts: Vec::new(),
            });
            // Skip the columns this region covers in this band. Not `region.col1 + 1`: a
            // region left open by a missing rule can be L-shaped and reach around others.
            while col < table.ncols() && table.region_at(col, band) == ri {
                col += 1;
            }
        }
        if starts_cell {
            rows.push((table.ys[band], row));
        }
    }
    rows
}

/// A line of free text as a row: cells split where the gap is wider than `CELL_GAP` em.
fn free_line_row(line: &Line, page: u32) -> Row {
    let mut cells = Vec::new();
    let mut start = 0;
    let glyphs = &line.glyphs;
    for i in 1..=glyphs.len() {
        let split = i == glyphs.len() || glyphs[i].b.x0 - glyphs[i - 1].b.x1 > CELL_GAP * line.size;
        if split {
            let run = &glyphs[start..i];
            let text = run_text(run).trim().to_string();
            if !text.is_empty() {
                let bbox = BBox {
                    x0: run.iter().map(|g| g.b.x0).fold(f32::MAX, f32::min),
                    x1: run.iter().map(|g| g.b.x1).fold(f32::MIN, f32::max),
                    y0: run.iter().map(|g| g.b.y0).fold(f32::MAX, f32::min),
                    y1: run.iter().map(|g| g.b.y1).fold(f32::MIN, f32::max),
                };
                cells.push(Cell {
                    lines: vec![text.clone()],
                    text,
                    bbox: Some(bbox),
                    doubts: Vec::new(),
                });
            }
            start = i;
        }
    }
    Row {
        page: Some(page),
        line: None,
        cells,
    }
}
