//! Ruling lines from pixels: long thin runs of ink (a morphological opening with a line
//! element, done as run lengths), joined across the rows (or columns) they cover.
//!
//! A horizontal rule is a run of ink at least [`MIN_H_INCH`] long in a row (gaps of a pixel
//! or two, left by thresholding a thin line, are bridged), stacked over a few rows at most
//! [`MAX_THICK_INCH`] thick. Vertical rules are found the same way on the transposed bitmap;
//! as table rows can be shorter than a CJK stroke is long, a short vertical run counts only
//! when both its ends meet horizontal rules. Shading is not ink after thresholding, so shaded
//! cells need no special case here.

use super::bitmap::Bitmap;

/// Shortest horizontal rule, in inches (longer than any stroke of a 16 pt character).
const MIN_H_INCH: f32 = 0.3;
/// A vertical rule this long is one whatever its ends touch.
const MIN_V_LONG_INCH: f32 = 0.35;
/// A vertical rule at least this long counts when both ends meet horizontal rules.
const MIN_V_SHORT_INCH: f32 = 0.08;
/// Thicker than this is a filled block, not a line.
const MAX_THICK_INCH: f32 = 0.05;

/// A rule in pixel coordinates: `pos` is the centre row (horizontal) or column (vertical),
/// `lo..hi` its extent, `thick` its thickness in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PxRule {
    pub horizontal: bool,
    pub pos: f32,
    pub lo: usize,
    pub hi: usize,
    pub from: usize,
    pub to: usize,
}

/// Horizontal and vertical rules of a page bitmap at `dpi`.
pub fn find(bm: &Bitmap, dpi: f32) -> Vec<PxRule> {
    let gap = ((dpi / 100.0).round() as usize).max(1);
    let max_thick = ((dpi * MAX_THICK_INCH).round() as usize).max(2);
    let tol = ((dpi * 0.03).round() as usize).max(2);
    let horiz = lines(bm, (dpi * MIN_H_INCH) as usize, gap, max_thick, true);
    let t = transpose(bm);
    let vert_all = lines(&t, (dpi * MIN_V_SHORT_INCH) as usize, gap, max_thick, false);
    let long = (dpi * MIN_V_LONG_INCH) as usize;
    let touches = |x: f32, y: usize| {
        horiz.iter().any(|h| {
            (h.pos - y as f32).abs() <= tol as f32 + (h.to - h.from) as f32 / 2.0
                && x + tol as f32 >= h.lo as f32
                && x <= (h.hi + tol) as f32
        })
    };
    let vert: Vec<PxRule> = vert_all
        .into_iter()
        .filter(|v| v.hi - v.lo >= long || (touches(v.pos, v.lo) && touches(v.pos, v.hi)))
        .collect();
    let mut out = horiz;
    out.extend(vert);
    out
}

fn transpose(bm: &Bitmap) -> Bitmap {
    let mut ink = vec![0u8; bm.w * bm.h];
    const B: usize = 64;
    for y0 in (0..bm.h).step_by(B) {
        for x0 in (0..bm.w).step_by(B) {
            for y in y0..(y0 + B).min(bm.h) {
                for x in x0..(x0 + B).min(bm.w) {
                    ink[x * bm.h + y] = bm.ink[y * bm.w + x];
                }
            }
        }
    }
    Bitmap {
        w: bm.h,
        h: bm.w,
        ink,
    }
}

/// Long runs in every row, grouped into lines over consecutive rows.
fn lines(
    bm: &Bitmap,
    min_len: usize,
    gap: usize,
    max_thick: usize,
    horizontal: bool,
) -> Vec<PxRule> {
    let min_len = min_len.max(8);
    // Open lines: (first row, last row, lo, hi).
    let mut open: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut done: Vec<(usize, usize, usize, usize)> = Vec::new();
    for y in 0..bm.h {
        let row = &bm.ink[y * bm.w..(y + 1) * bm.w];
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut x = 0;
        while x < bm.w {
            if row[x] == 0 {
                x += 1;
                continue;
            }
            let start = x;
            let mut end = x; // last ink
            let mut k = x + 1;
            while k < bm.w && k <= end + gap + 1 {
                if row[k] != 0 {
                    end = k;
                }
                k += 1;
            }
            if end + 1 - start >= min_len {
                runs.push((start, end + 1));
            }
            x = end + 1;
        }
        // Extend the open lines that overlap a run of this row; close the others.
        let mut next: Vec<(usize, usize, usize, usize)> = Vec::new();
        for (lo, hi) in runs {
            let mut merged = (y, y, lo, hi);
            let mut i = 0;
            while i < open.len() {
                let o = open[i];
                let overlap = hi.min(o.3).saturating_sub(lo.max(o.2));
                // Only runs of about the same extent stack into one line: a character's
                // stroke beside a rule must not widen the rule (it would then be too thick).
                if overlap * 2 >= (hi - lo).max(o.3 - o.2) {
                    merged = (o.0.min(merged.0), y, o.2.min(merged.2), o.3.max(merged.3));
                    open.swap_remove(i);
                } else {
                    i += 1;
                }
            }
            next.push(merged);
        }
        done.append(&mut open);
        open = next;
    }
    done.append(&mut open);
    done.into_iter()
        .filter(|&(from, to, _, _)| to + 1 - from <= max_thick)
        .map(|(from, to, lo, hi)| PxRule {
            horizontal,
            pos: (from + to) as f32 / 2.0 + 0.5,
            lo,
            hi,
            from,
            to,
        })
        .collect()
}

/// Paints every rule (`margin` pixels wider on each side, for the blurred edges) as paper,
/// so OCR crops hold text only.
pub fn erase(bm: &mut Bitmap, rules: &[PxRule], margin: usize) {
    for r in rules {
        let (a, b) = (r.from.saturating_sub(margin), r.to + 1 + margin);
        for p in a..b {
            for q in r.lo.saturating_sub(margin)..(r.hi + margin) {
                let (x, y) = if r.horizontal { (q, p) } else { (p, q) };
                if x < bm.w && y < bm.h {
                    bm.ink[y * bm.w + x] = 0;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3 × 2 grid of 1-pixel-thick lines at 100 dpi, with a text-like blob inside a cell.
    #[test]
    fn finds_grid_lines_and_ignores_strokes() {
        let (w, h) = (400, 300);
        let mut bm = Bitmap {
            w,
            h,
            ink: vec![0; w * h],
        };
        for y in [50, 150, 250] {
            for x in 50..351 {
                bm.ink[y * w + x] = 1;
                bm.ink[(y + 1) * w + x] = 1;
            }
        }
        for x in [50, 150, 250, 350] {
            for y in 50..252 {
                bm.ink[y * w + x] = 1;
            }
        }
        // A short stroke (a character), not a rule.
        for x in 70..80 {
            bm.ink[100 * w + x] = 1;
        }
        // A gap of one pixel in a rule is bridged.
        bm.ink[150 * w + 200] = 0;
        bm.ink[151 * w + 200] = 0;
        let rules = find(&bm, 100.0);
        let h: Vec<_> = rules.iter().filter(|r| r.horizontal).collect();
        let v: Vec<_> = rules.iter().filter(|r| !r.horizontal).collect();
        assert_eq!(h.len(), 3, "{h:?}");
        assert_eq!(v.len(), 4, "{v:?}");
        assert!(h.iter().all(|r| r.lo == 50 && r.hi == 351));
        assert!((h[1].pos - 151.0).abs() < 0.01);
    }
}
