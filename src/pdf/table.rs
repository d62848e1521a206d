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
use super::lines::{cell_text, group_lines, is_cjk, run_text, Line, CELL_GAP, G, PARAGRAPH_SLACK};
use super::PageContent;
use crate::rows::{BBox, Cell, LayoutHints, Row};

/// Rows of one page in reading order: ruled table rows cell by cell, other text line by line.
/// Geometry only: see [`page_rows_cut`] for a page read with the profiles' layout hints.
pub fn page_rows(page: &PageContent) -> Vec<Row> {
    page_rows_cut(page, &LayoutHints::default()).rows
}

/// A page's rows, and which of them a page break may have cut (see [`join_cut_rows`]).
#[derive(Debug, Clone, Default)]
pub struct PageRows {
    pub rows: Vec<Row>,
    /// The first row of the topmost table, when no rule runs along that table's top edge.
    pub cut_top: Option<Cut>,
    /// The last row of the bottommost table, when no rule runs along that table's bottom
    /// edge and every cell of that row reaches it.
    pub cut_bottom: Option<Cut>,
    /// Indices in `rows` of the topmost table's rows, and of the bottommost table's.
    pub top_table: Vec<usize>,
    pub bottom_table: Vec<usize>,
}

/// A table row at an unruled page-side edge of its table.
#[derive(Debug, Clone, PartialEq)]
pub struct Cut {
    /// Index in [`PageRows::rows`].
    pub row: usize,
    /// The table's other edge is ruled (a table open at both ends is a style, not a cut).
    pub other_end_closed: bool,
    /// Per cell: its last line stopped short of the cell's right edge (a paragraph ended).
    pub ends_paragraph: Vec<bool>,
}

/// Which edge of its table a row sits on, when that edge is open.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Edge {
    Top,
    Bottom,
}

/// [`page_rows`] with the rows a page break may have cut.
pub fn page_rows_cut(page: &PageContent, hints: &LayoutHints) -> PageRows {
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

    // The tables at the page's top and bottom, where a page break cuts.
    let top_table =
        (0..tables.len()).max_by(|&a, &b| tables[a].bbox.y1.total_cmp(&tables[b].bbox.y1));
    let bottom_table =
        (0..tables.len()).min_by(|&a, &b| tables[a].bbox.y0.total_cmp(&tables[b].bbox.y0));

    // Rows with the y of their top, merged by that key at the end.
    let mut placed: Vec<Placed> = Vec::new();
    for (ti, (table, cells)) in tables.iter().zip(in_cells).enumerate() {
        let rows = table_rows(table, cells, page.number);
        let n = rows.len();
        for (i, (y, row, ends)) in rows.into_iter().enumerate() {
            let edge = if i == 0 && table.open_top && top_table == Some(ti) {
                Some((Edge::Top, !table.open_bottom))
            } else if i + 1 == n
                && table.open_bottom
                && bottom_table == Some(ti)
                && reaches_bottom(table, &row)
            {
                Some((Edge::Bottom, !table.open_top))
            } else {
                None
            };
            let cut = edge.map(|(edge, other_end_closed)| {
                (
                    edge,
                    Cut {
                        row: 0,
                        other_end_closed,
                        ends_paragraph: ends,
                    },
                )
            });
            placed.push(Placed {
                y,
                row,
                table: Some(ti),
                cut,
            });
        }
    }
    placed.extend(footers.into_iter().map(|(y, r)| Placed::free(y, r)));
    if tables.is_empty() {
        // No ruling lines at all: a borderless table, rebuilt from the whitespace.
        placed.extend(
            super::borderless::rows(group_lines(free), page.number, hints)
                .into_iter()
                .map(|(y, r)| Placed::free(y, r)),
        );
    } else {
        for line in group_lines(free) {
            let row = free_line_row(&line, page.number);
            if !row.cells.is_empty() {
                placed.push(Placed::free(line.y1, row));
            }
        }
    }
    // Stable: rows of one table stay in band order even if their keys tie.
    placed.sort_by(|a, b| b.y.total_cmp(&a.y));
    let mut out = PageRows::default();
    for (i, p) in placed.into_iter().enumerate() {
        match p.cut {
            Some((Edge::Top, cut)) => out.cut_top = Some(Cut { row: i, ..cut }),
            Some((Edge::Bottom, cut)) => out.cut_bottom = Some(Cut { row: i, ..cut }),
            None => {}
        }
        if p.table.is_some() && p.table == top_table {
            out.top_table.push(i);
        }
        if p.table.is_some() && p.table == bottom_table {
            out.bottom_table.push(i);
        }
        out.rows.push(p.row);
    }
    out
}

/// A row of a page before the rows are put in reading order: the y of its top, the table it
/// belongs to, and, for a row at an open edge of its table, that edge and how it was cut.
struct Placed {
    y: f32,
    row: Row,
    table: Option<usize>,
    cut: Option<(Edge, Cut)>,
}

impl Placed {
    /// A row outside the tables.
    fn free(y: f32, row: Row) -> Self {
        Placed {
            y,
            row,
            table: None,
            cut: None,
        }
    }
}

/// Whether every cell of a table's last row reaches the table's bottom edge (a cell that ends
/// higher up is closed by a rule, so the row was not cut through).
fn reaches_bottom(table: &Table, row: &Row) -> bool {
    let bottom = table.bbox.y0;
    row.cells.iter().all(|c| {
        c.bbox
            .is_some_and(|b| (b.y0 - bottom).abs() < grid::SNAP_TOL)
    })
}

/// Header rows that a producer repeats at the top of the next page are looked for among this
/// many rows before a cut row.
const MAX_HEADER_SEARCH: usize = 40;

/// Rows of a whole document: each page's rows in order, with a row that a page break cut in
/// two joined again.
///
/// A page's last row is cut when the bottommost table of the page has no rule along its
/// bottom edge and every cell of the row reaches that edge (producers slice the borders of a
/// cut row: ReportLab, Chromium). Its rest is the next page's first table row when the topmost
/// table there has no rule along its top edge either, or else the first row after header rows
/// repeated from the cut table (rows with the same texts in the same cells as a run of the cut
/// table's rows, as word processors repeat header rows; tables stacked without a gap are one
/// table here, so those rows need not be its first). Both parts must have the same cells
/// (count, left and right edges), and the two tables must not both be open at their other
/// ends (a style without outer rules opens every table; a cell taller than a page leaves only
/// the middle page's part open at both ends). After repeated header rows the cut table must
/// be closed at its top.
///
/// The joined row keeps its first part's place and page and notes the page of its last part
/// in `page_end`; each cell's text continues across the break as across a wrapped line (`\n`
/// where its last line ended a paragraph) and its lines are both parts' lines.
pub fn join_cut_rows(pages: Vec<PageRows>) -> Vec<Row> {
    /// The row of `out` left open at the previous page's bottom, how it was cut, and the
    /// rows of its table before it (candidates for repeated header rows).
    struct Open {
        at: usize,
        cut: Cut,
        head: Vec<Row>,
    }
    let mut out: Vec<Row> = Vec::new();
    let mut open: Option<Open> = None;
    for page in pages {
        let base = out.len();
        let mut skip = None;
        if let Some(o) = open.take() {
            if let Some(rest) = continuation(&o.cut, &o.head, &out[o.at], &page) {
                let next = &page.rows[rest];
                let row = &mut out[o.at];
                for ((cell, part), para) in row
                    .cells
                    .iter_mut()
                    .zip(&next.cells)
                    .zip(&o.cut.ends_paragraph)
                {
                    cell.text = join_parts(&cell.text, &part.text, *para);
                    cell.lines.extend(part.lines.iter().cloned());
                    cell.doubts.extend(part.doubts.iter().cloned());
                    cell.fixes.extend(part.fixes.iter().cloned());
                }
                row.page_end = next.page;
                skip = Some((rest, o.at));
            }
        }
        // Where this page's bottom row ends up in `out`: the joined row itself when the cut
        // row was also the rest of the previous page's (a cell taller than a page).
        let position = |i: usize| match skip {
            Some((s, at)) if s == i => at,
            Some((s, _)) if i > s => base + i - 1,
            _ => base + i,
        };
        open = page.cut_bottom.clone().map(|cut| {
            let before: Vec<usize> = page
                .bottom_table
                .iter()
                .copied()
                .take_while(|&i| i != cut.row)
                .collect();
            let head = before[before.len().saturating_sub(MAX_HEADER_SEARCH)..]
                .iter()
                .map(|&i| page.rows[i].clone())
                .collect();
            Open {
                at: position(cut.row),
                cut,
                head,
            }
        });
        for (i, row) in page.rows.into_iter().enumerate() {
            if skip.is_none_or(|(s, _)| s != i) {
                out.push(row);
            }
        }
    }
    out
}

/// Index in `page.rows` of the rest of the row `cut` left open at the previous page's bottom
/// (see [`join_cut_rows`]).
fn continuation(cut: &Cut, head: &[Row], row: &Row, page: &PageRows) -> Option<usize> {
    if let Some(top) = &page.cut_top {
        if (cut.other_end_closed || top.other_end_closed) && same_cells(row, &page.rows[top.row]) {
            return Some(top.row);
        }
    }
    if !cut.other_end_closed {
        return None;
    }
    // Header rows repeated from the cut table (the longest run of its rows that the page's
    // first rows repeat), then the rest of the cut row.
    let same = |r: &Row, h: &Row| {
        same_cells(r, h) && r.cells.iter().zip(&h.cells).all(|(a, b)| a.text == b.text)
    };
    let repeated = (0..head.len())
        .map(|j| {
            page.top_table
                .iter()
                .zip(&head[j..])
                .take_while(|(&i, h)| same(&page.rows[i], h))
                .count()
        })
        .max()
        .unwrap_or(0);
    let rest = *page.top_table.get(repeated)?;
    (repeated > 0 && same_cells(row, &page.rows[rest])).then_some(rest)
}

/// Same number of cells with the same left and right edges.
fn same_cells(a: &Row, b: &Row) -> bool {
    a.cells.len() == b.cells.len()
        && a.cells
            .iter()
            .zip(&b.cells)
            .all(|(x, y)| match (x.bbox, y.bbox) {
                (Some(p), Some(q)) => {
                    (p.x0 - q.x0).abs() <= grid::SNAP_TOL && (p.x1 - q.x1).abs() <= grid::SNAP_TOL
                }
                _ => false,
            })
}

/// A cell's text continued by its rest from the next page: as across a wrapped line.
fn join_parts(a: &str, b: &str, paragraph: bool) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => {
            let cjk = a.chars().last().is_some_and(is_cjk) || b.chars().next().is_some_and(is_cjk);
            let sep = if paragraph {
                "\n"
            } else if cjk {
                ""
            } else {
                " "
            };
            format!("{a}{sep}{b}")
        }
    }
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

/// Text of the glyphs inside one cell box, its lines, and whether its last line stopped short
/// of the right edge (ended a paragraph: room for more than a character and the slack).
fn region_text(glyphs: Vec<&G>, bbox: BBox) -> (String, Vec<String>, bool) {
    let vertical = glyphs.iter().filter(|g| g.vertical).count() * 2 > glyphs.len();
    if !vertical {
        let lines = group_lines(glyphs);
        let short = lines
            .last()
            .is_some_and(|l| bbox.x1 - l.x1 > (1.0 + PARAGRAPH_SLACK) * l.size);
        let (text, texts) = cell_text(&lines, bbox.x1);
        return (text, texts, short);
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
    let (text, texts) = cell_text(&group_lines(turned.iter().collect()), -bbox.y0);
    (text, texts, false)
}

/// One row per band of the table that starts a cell. Cells are the regions crossing the band
/// left to right; regions that started in an earlier band are empty placeholders. Each row
/// comes with the y of its top and, per cell, whether the cell's last line ended a paragraph.
fn table_rows(table: &Table, cells: Vec<Vec<&G>>, page: u32) -> Vec<(f32, Row, Vec<bool>)> {
    let texts: Vec<(String, Vec<String>, bool)> = cells
        .into_iter()
        .zip(&table.regions)
        .map(|(glyphs, region)| region_text(glyphs, region.bbox))
        .collect();
    let mut rows = Vec::new();
    for band in 0..table.nrows() {
        let mut row = Row {
            page: Some(page),
            page_end: None,
            line: None,
            cells: Vec::new(),
        };
        let mut ends = Vec::new();
        let mut starts_cell = false;
        let mut col = 0;
        while col < table.ncols() {
            let ri = table.region_at(col, band);
            let region = &table.regions[ri];
            let first_band = region.row0 == band;
            starts_cell |= first_band;
            let (text, lines, short) = if first_band {
                texts[ri].clone()
            } else {
                Default::default()
            };
            ends.push(short);
            row.cells.push(Cell {
                text,
                bbox: Some(region.bbox),
                lines,
                doubts: Vec::new(),
                fixes: Vec::new(),
            });
            // Skip the columns this region covers in this band. Not `region.col1 + 1`: a
            // region left open by a missing rule can be L-shaped and reach around others.
            while col < table.ncols() && table.region_at(col, band) == ri {
                col += 1;
            }
        }
        if starts_cell {
            rows.push((table.ys[band], row, ends));
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
                    fixes: Vec::new(),
                });
            }
            start = i;
        }
    }
    Row {
        page: Some(page),
        page_end: None,
        line: None,
        cells,
    }
}
