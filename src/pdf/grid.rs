//! Ruling lines → ruled tables (lattice detection), the geometric half of the table stage.
//!
//! The idea follows pdfplumber's lattice finder (snap edges, join collinear pieces, connect
//! edges that cross), but the cells are built differently: instead of searching for the
//! smallest closed rectangle at every intersection, each table gets a fine grid made of every
//! distinct rule position, and neighbouring grid cells are merged (union-find) wherever no rule
//! separates them. A merged cell (colspan / rowspan) then falls out as one region, a cell with a
//! missing border stays usable, and looking up the cell under a point is two binary searches.
//!
//! Producers draw the same grid very differently: LibreOffice strokes long lines, Chromium fills
//! a thin rectangle per cell side, ReportLab strokes every cell's rectangle (so each border is
//! drawn twice), typst strokes per-cell segments. Snapping and joining make them all look alike.

use crate::pdf::Rule;
use crate::rows::BBox;

/// Rules whose positions differ by at most this much are the same line (double strokes,
/// half-line-width offsets between a cell's border and its neighbour's).
pub(crate) const SNAP_TOL: f32 = 3.0;
/// Collinear pieces with a gap of at most this much are one line (per-cell border pieces).
pub(crate) const JOIN_TOL: f32 = 3.0;
/// How far a rule may fall short of a crossing line and still count as touching it.
const TOUCH_TOL: f32 = 3.0;
/// Anything thicker than this is not a line but a box (shading, a filled block).
const MAX_THICKNESS: f32 = 3.0;
/// Dots and ticks are not grid lines.
const MIN_EDGE_LEN: f32 = 3.0;
/// Ceiling on the fine grid of one table (columns × rows). A real page has a few thousand; a
/// hostile file with thousands of distinct rule positions would otherwise cost quadratic
/// memory. Tables over the limit are dropped and their text goes to the alignment fallback.
const MAX_GRID_CELLS: usize = 200_000;
/// Ceiling on horizontal × vertical edge pairs examined when connecting edges into tables.
const MAX_EDGE_PAIRS: usize = 4_000_000;
/// A table with a single horizontal rule is still a table when its vertical rules run on past
/// that rule by at least this much: the part of a table left open by a page break (producers
/// slice a row's borders at the break, so the rest of a cut row has no top rule).
const MIN_OPEN_DEPTH: f32 = 6.0;

/// An axis-aligned segment: for a horizontal edge `pos` is y and `lo..hi` the x range; for a
/// vertical edge `pos` is x and `lo..hi` the y range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Edge {
    pub pos: f32,
    pub lo: f32,
    pub hi: f32,
}

/// One cell of a ruled table: a union of fine-grid cells not separated by rules. The indices
/// are inclusive ranges over the table's fine grid (`row0` is the topmost band).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Region {
    pub col0: usize,
    pub col1: usize,
    pub row0: usize,
    pub row1: usize,
    pub bbox: BBox,
}

/// A ruled table: its fine grid and the regions (cells) on it.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    /// Column boundaries, ascending (left to right).
    pub xs: Vec<f32>,
    /// Row boundaries, descending (top to bottom), so band `j` lies between `ys[j]` and
    /// `ys[j + 1]` and bands come in reading order.
    pub ys: Vec<f32>,
    /// Region index of every fine cell, `band * ncols + col`.
    cell_region: Vec<u32>,
    pub regions: Vec<Region>,
    pub bbox: BBox,
    /// No rule runs along the top (bottom) edge: the table's outer extent there comes from its
    /// vertical rules alone, as on either side of a row cut by a page break.
    pub open_top: bool,
    pub open_bottom: bool,
}

impl Table {
    pub fn ncols(&self) -> usize {
        self.xs.len().saturating_sub(1)
    }

    pub fn nrows(&self) -> usize {
        self.ys.len().saturating_sub(1)
    }

    /// Region index of the fine cell at column `col`, band `row`.
    pub fn region_at(&self, col: usize, row: usize) -> usize {
        self.cell_region[row * self.ncols() + col] as usize
    }

    /// The region containing point (x, y), if the point is inside the table.
    pub fn locate(&self, x: f32, y: f32) -> Option<usize> {
        if !(x >= self.bbox.x0 && x <= self.bbox.x1 && y >= self.bbox.y0 && y <= self.bbox.y1) {
            return None;
        }
        // Number of boundaries at or left of x, minus one, is the column (clamped so a point
        // exactly on the right border still lands in the last column).
        let col = self.xs.partition_point(|&v| v <= x).saturating_sub(1);
        let row = self.ys.partition_point(|&v| v >= y).saturating_sub(1);
        let col = col.min(self.ncols().checked_sub(1)?);
        let row = row.min(self.nrows().checked_sub(1)?);
        Some(self.region_at(col, row))
    }
}

/// Finds the ruled tables drawn by `rules`. Non-finite, diagonal and too-short rules are
/// ignored; the result is ordered top to bottom.
pub(crate) fn find_tables(rules: &[Rule]) -> Vec<Table> {
    let (horiz, vert) = split_rules(rules);
    let horiz = join_edges(snap_edges(horiz));
    let vert = join_edges(snap_edges(vert));
    if horiz.is_empty()
        || vert.is_empty()
        || horiz.len().saturating_mul(vert.len()) > MAX_EDGE_PAIRS
    {
        return Vec::new();
    }
    // The page-wide budget of fine cells keeps a hostile page (many small grids) bounded too.
    let mut budget = MAX_GRID_CELLS * 4;
    let mut tables: Vec<Table> = Vec::new();
    for (h, v) in connect(&horiz, &vert) {
        if let Some(t) = build_table(&h, &v) {
            let cells = t.ncols() * t.nrows();
            if cells > budget {
                break;
            }
            budget -= cells;
            tables.push(t);
        }
    }
    tables.sort_by(|a, b| b.bbox.y1.total_cmp(&a.bbox.y1));
    tables
}

/// Sorts rules into horizontal and vertical edges. A thin filled rectangle counts as a line
/// along its long side, placed at its middle.
fn split_rules(rules: &[Rule]) -> (Vec<Edge>, Vec<Edge>) {
    let mut horiz = Vec::new();
    let mut vert = Vec::new();
    for r in rules {
        if ![r.x0, r.y0, r.x1, r.y1].iter().all(|v| v.is_finite()) {
            continue;
        }
        let (x0, x1) = (r.x0.min(r.x1), r.x0.max(r.x1));
        let (y0, y1) = (r.y0.min(r.y1), r.y0.max(r.y1));
        let (w, h) = (x1 - x0, y1 - y0);
        if h <= MAX_THICKNESS && w >= MIN_EDGE_LEN && w > h {
            horiz.push(Edge {
                pos: (y0 + y1) / 2.0,
                lo: x0,
                hi: x1,
            });
        } else if w <= MAX_THICKNESS && h >= MIN_EDGE_LEN && h > w {
            vert.push(Edge {
                pos: (x0 + x1) / 2.0,
                lo: y0,
                hi: y1,
            });
        }
    }
    (horiz, vert)
}

/// Clusters sorted values: a value within `tol` of the previous one joins its cluster (chained,
/// as pdfplumber does). Returns the index ranges of the clusters in `values`.
fn clusters(values: &[f32], tol: f32) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=values.len() {
        if i == values.len() || values[i] - values[i - 1] > tol {
            if i > start {
                out.push(start..i);
            }
            start = i;
        }
    }
    out
}

/// Moves edges whose positions are within `SNAP_TOL` of each other onto their mean position.
fn snap_edges(mut edges: Vec<Edge>) -> Vec<Edge> {
    edges.sort_by(|a, b| a.pos.total_cmp(&b.pos));
    let positions: Vec<f32> = edges.iter().map(|e| e.pos).collect();
    for range in clusters(&positions, SNAP_TOL) {
        let mean = positions[range.clone()].iter().sum::<f32>() / range.len() as f32;
        for e in &mut edges[range] {
            e.pos = mean;
        }
    }
    edges
}

/// Merges overlapping or nearly touching collinear edges (input snapped, sorted by `pos`).
fn join_edges(mut edges: Vec<Edge>) -> Vec<Edge> {
    // Snapped edges on one line share exactly the same `pos`, so a stable sort by (pos, lo)
    // puts each line's pieces next to each other, left to right.
    edges.sort_by(|a, b| a.pos.total_cmp(&b.pos).then(a.lo.total_cmp(&b.lo)));
    let mut out: Vec<Edge> = Vec::with_capacity(edges.len());
    for e in edges {
        match out.last_mut() {
            Some(last) if last.pos == e.pos && e.lo <= last.hi + JOIN_TOL => {
                last.hi = last.hi.max(e.hi);
            }
            _ => out.push(e),
        }
    }
    out
}

/// Minimal union-find over `0..n`.
struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
        }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] as usize != i {
            let grand = self.parent[self.parent[i] as usize];
            self.parent[i] = grand;
            i = grand as usize;
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // Keep the smaller index as root so roots follow input order (deterministic).
            let (lo, hi) = (ra.min(rb), ra.max(rb));
            self.parent[hi] = lo as u32;
        }
    }
}

/// Groups edges into connected sets (edges that cross or touch belong to the same table).
fn connect(horiz: &[Edge], vert: &[Edge]) -> Vec<(Vec<Edge>, Vec<Edge>)> {
    let nh = horiz.len();
    let mut uf = UnionFind::new(nh + vert.len());
    // Verticals sorted by x, so each horizontal only looks at the verticals within its x range.
    let mut by_x: Vec<usize> = (0..vert.len()).collect();
    by_x.sort_by(|&a, &b| vert[a].pos.total_cmp(&vert[b].pos));
    for (hi, h) in horiz.iter().enumerate() {
        let start = by_x.partition_point(|&v| vert[v].pos < h.lo - TOUCH_TOL);
        for &vi in &by_x[start..] {
            let v = &vert[vi];
            if v.pos > h.hi + TOUCH_TOL {
                break;
            }
            if h.pos >= v.lo - TOUCH_TOL && h.pos <= v.hi + TOUCH_TOL {
                uf.union(hi, nh + vi);
            }
        }
    }
    let mut groups: Vec<(Vec<Edge>, Vec<Edge>)> = Vec::new();
    let mut group_of_root = std::collections::HashMap::new();
    for i in 0..nh + vert.len() {
        let root = uf.find(i);
        let g = *group_of_root.entry(root).or_insert_with(|| {
            groups.push((Vec::new(), Vec::new()));
            groups.len() - 1
        });
        if i < nh {
            groups[g].0.push(horiz[i]);
        } else {
            groups[g].1.push(vert[i - nh]);
        }
    }
    groups
}

/// Sorted, de-duplicated boundary positions: the edges' positions plus the table's outer
/// extent (so a table without, say, a left border still has a first column).
fn boundaries(mut values: Vec<f32>) -> Vec<f32> {
    values.sort_by(f32::total_cmp);
    clusters(&values, SNAP_TOL)
        .into_iter()
        .map(|r| values[r.clone()].iter().sum::<f32>() / r.len() as f32)
        .collect()
}

/// Index of the boundary nearest to `v`; `bounds` is sorted ascending or descending.
fn nearest(bounds: &[f32], v: f32) -> usize {
    if bounds.is_empty() {
        return 0;
    }
    let ascending = bounds.first() <= bounds.last();
    let split = if ascending {
        bounds.partition_point(|&b| b < v)
    } else {
        bounds.partition_point(|&b| b > v)
    };
    // The nearest boundary is on one side of the split point or the other.
    [
        split.saturating_sub(1),
        split.min(bounds.len().saturating_sub(1)),
    ]
    .into_iter()
    .min_by(|&a, &b| (bounds[a] - v).abs().total_cmp(&(bounds[b] - v).abs()))
    .unwrap_or(0)
}

/// Builds the fine grid and the regions of one connected set of edges.
fn build_table(horiz: &[Edge], vert: &[Edge]) -> Option<Table> {
    // A lone underline or a box side is not a table: ask for two vertical lines, and two
    // horizontal ones unless the verticals run on past the only one (a table cut open).
    if vert.len() < 2 || horiz.is_empty() {
        return None;
    }
    if horiz.len() == 1 {
        let h = horiz[0].pos;
        let above = vert.iter().map(|e| e.hi - h).fold(f32::MIN, f32::max);
        let below = vert.iter().map(|e| h - e.lo).fold(f32::MIN, f32::max);
        if above.max(below) < MIN_OPEN_DEPTH {
            return None;
        }
    }
    let x0 = horiz
        .iter()
        .map(|e| e.lo)
        .chain(vert.iter().map(|e| e.pos))
        .fold(f32::MAX, f32::min);
    let x1 = horiz
        .iter()
        .map(|e| e.hi)
        .chain(vert.iter().map(|e| e.pos))
        .fold(f32::MIN, f32::max);
    let y0 = vert
        .iter()
        .map(|e| e.lo)
        .chain(horiz.iter().map(|e| e.pos))
        .fold(f32::MAX, f32::min);
    let y1 = vert
        .iter()
        .map(|e| e.hi)
        .chain(horiz.iter().map(|e| e.pos))
        .fold(f32::MIN, f32::max);
    let xs = boundaries(vert.iter().map(|e| e.pos).chain([x0, x1]).collect());
    let mut ys = boundaries(horiz.iter().map(|e| e.pos).chain([y0, y1]).collect());
    ys.reverse();
    let (ncols, nrows) = (xs.len().checked_sub(1)?, ys.len().checked_sub(1)?);
    if ncols == 0 || nrows == 0 || ncols.saturating_mul(nrows) > MAX_GRID_CELLS {
        return None;
    }

    // Which fine-cell sides are ruled. vsep[row * (ncols + 1) + i]: a vertical line at xs[i]
    // runs along band `row`; hsep[j * ncols + col]: a horizontal line at ys[j] runs along
    // column `col`. An edge covers a side when it spans it, give or take TOUCH_TOL.
    let mut vsep = vec![false; nrows * (ncols + 1)];
    for e in vert {
        let i = nearest(&xs, e.pos);
        // Bands run top to bottom: ys[row] is the band's top, ys[row + 1] its bottom.
        let first = ys.partition_point(|&y| y > e.hi + TOUCH_TOL);
        for row in first..nrows {
            if ys[row + 1] < e.lo - TOUCH_TOL {
                break;
            }
            vsep[row * (ncols + 1) + i] = true;
        }
    }
    let mut hsep = vec![false; (nrows + 1) * ncols];
    for e in horiz {
        let j = nearest(&ys, e.pos);
        let first = xs.partition_point(|&x| x < e.lo - TOUCH_TOL);
        for col in first..ncols {
            if xs[col + 1] > e.hi + TOUCH_TOL {
                break;
            }
            hsep[j * ncols + col] = true;
        }
    }

    let mut uf = UnionFind::new(ncols * nrows);
    for row in 0..nrows {
        for col in 0..ncols {
            let here = row * ncols + col;
            if col + 1 < ncols && !vsep[row * (ncols + 1) + col + 1] {
                uf.union(here, here + 1);
            }
            if row + 1 < nrows && !hsep[(row + 1) * ncols + col] {
                uf.union(here, here + ncols);
            }
        }
    }

    // Number the regions in reading order of their first fine cell (row-major scan).
    let mut cell_region = vec![0u32; ncols * nrows];
    let mut region_of_root = vec![u32::MAX; ncols * nrows];
    let mut regions: Vec<Region> = Vec::new();
    for row in 0..nrows {
        for col in 0..ncols {
            let root = uf.find(row * ncols + col);
            if region_of_root[root] == u32::MAX {
                region_of_root[root] = regions.len() as u32;
                regions.push(Region {
                    col0: col,
                    col1: col,
                    row0: row,
                    row1: row,
                    bbox: BBox::default(),
                });
            }
            let r = region_of_root[root];
            cell_region[row * ncols + col] = r;
            let reg = &mut regions[r as usize];
            reg.col0 = reg.col0.min(col);
            reg.col1 = reg.col1.max(col);
            reg.row1 = reg.row1.max(row);
        }
    }
    for reg in &mut regions {
        reg.bbox = BBox {
            x0: xs[reg.col0],
            x1: xs[reg.col1 + 1],
            y0: ys[reg.row1 + 1],
            y1: ys[reg.row0],
        };
    }
    let open_top = (0..ncols).all(|col| !hsep[col]);
    let open_bottom = (0..ncols).all(|col| !hsep[nrows * ncols + col]);
    Some(Table {
        bbox: BBox {
            x0: xs[0],
            x1: xs[ncols],
            y0: ys[nrows],
            y1: ys[0],
        },
        xs,
        ys,
        cell_region,
        regions,
        open_top,
        open_bottom,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(x0: f32, y0: f32, x1: f32, y1: f32) -> Rule {
        Rule { x0, y0, x1, y1 }
    }

    #[test]
    fn pieces_snap_and_join_into_one_line() {
        // Chromium-style: one thin filled rect per cell side, slightly offset.
        let h = vec![
            Edge {
                pos: 100.0,
                lo: 0.0,
                hi: 50.0,
            },
            Edge {
                pos: 100.8,
                lo: 50.5,
                hi: 100.0,
            },
            Edge {
                pos: 200.0,
                lo: 0.0,
                hi: 100.0,
            },
        ];
        let joined = join_edges(snap_edges(h));
        assert_eq!(joined.len(), 2);
        assert!((joined[0].pos - 100.4).abs() < 1e-3);
        assert_eq!((joined[0].lo, joined[0].hi), (0.0, 100.0));
    }

    #[test]
    fn two_by_two_grid_with_merged_top_row() {
        let rules = vec![
            rule(0.0, 0.0, 100.0, 0.0),
            rule(0.0, 50.0, 100.0, 50.0),
            rule(0.0, 100.0, 100.0, 100.0),
            rule(0.0, 0.0, 0.0, 100.0),
            rule(100.0, 0.0, 100.0, 100.0),
            rule(50.0, 0.0, 50.0, 50.0), // only the bottom row is split
        ];
        let tables = find_tables(&rules);
        assert_eq!(tables.len(), 1);
        let t = &tables[0];
        assert_eq!((t.ncols(), t.nrows()), (2, 2));
        assert_eq!(t.regions.len(), 3);
        assert_eq!(t.locate(10.0, 90.0), t.locate(90.0, 90.0));
        assert_ne!(t.locate(10.0, 10.0), t.locate(90.0, 10.0));
        assert_eq!(t.locate(150.0, 10.0), None);
    }

    #[test]
    fn table_cut_open_by_a_page_break() {
        // The rest of a cut row at a page top: verticals up to the top margin, no top rule,
        // one rule below it.
        let rules = vec![
            rule(0.0, 700.0, 0.0, 770.0),
            rule(80.0, 700.0, 80.0, 770.0),
            rule(500.0, 700.0, 500.0, 770.0),
            rule(0.0, 700.0, 500.0, 700.0),
        ];
        let tables = find_tables(&rules);
        assert_eq!(tables.len(), 1);
        let t = &tables[0];
        assert_eq!((t.ncols(), t.nrows()), (2, 1));
        assert!(t.open_top && !t.open_bottom);
        assert_eq!(t.bbox.y1, 770.0);
        // A ruled grid is closed; ticks shorter than MIN_OPEN_DEPTH under a rule are no table.
        let closed = find_tables(&[
            rule(0.0, 0.0, 100.0, 0.0),
            rule(0.0, 50.0, 100.0, 50.0),
            rule(0.0, 0.0, 0.0, 50.0),
            rule(100.0, 0.0, 100.0, 50.0),
        ]);
        assert!(!closed[0].open_top && !closed[0].open_bottom);
        let ticks = find_tables(&[
            rule(0.0, 10.0, 100.0, 10.0),
            rule(0.0, 6.0, 0.0, 10.0),
            rule(100.0, 6.0, 100.0, 10.0),
        ]);
        assert!(ticks.is_empty());
    }

    #[test]
    fn hostile_rules_do_not_panic() {
        let mut rules = vec![
            rule(f32::NAN, 0.0, 1.0, 0.0),
            rule(f32::INFINITY, 0.0, 0.0, f32::NEG_INFINITY),
        ];
        rules.push(rule(0.0, 0.0, 0.0, 0.0));
        rules.push(rule(0.0, 0.0, 100.0, 100.0));
        assert!(find_tables(&rules).is_empty());
        assert!(find_tables(&[]).is_empty());
    }
}
