//! Geometry for the interpreter: affine matrices, the current path, and turning painted paths
//! into rules (straight horizontal / vertical lines) and fills (shaded rectangles).

use crate::rows::BBox;

use super::Rule;

/// A PDF matrix `[a b c d e f]`: (x, y) → (a·x + c·y + e, b·x + d·y + f).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Matrix(pub [f32; 6]);

impl Matrix {
    pub const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    pub fn translate(x: f32, y: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }

    /// `self` then `other` (the PDF order: `self × other`).
    pub fn then(&self, other: &Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    pub fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }

    pub fn is_finite(&self) -> bool {
        self.0.iter().all(|v| v.is_finite())
    }
}

/// Axis-aligned box of four transformed corners of (x0, y0)–(x1, y1).
pub fn transform_box(m: &Matrix, x0: f32, y0: f32, x1: f32, y1: f32) -> BBox {
    let pts = [
        m.apply(x0, y0),
        m.apply(x1, y0),
        m.apply(x0, y1),
        m.apply(x1, y1),
    ];
    let mut b = BBox {
        x0: f32::MAX,
        y0: f32::MAX,
        x1: f32::MIN,
        y1: f32::MIN,
    };
    for (x, y) in pts {
        b.x0 = b.x0.min(x);
        b.y0 = b.y0.min(y);
        b.x1 = b.x1.max(x);
        b.y1 = b.y1.max(y);
    }
    b
}

/// A path point in page space; `straight` is false when a curve led to it.
#[derive(Debug, Clone, Copy)]
struct Pt {
    x: f32,
    y: f32,
    straight: bool,
}

#[derive(Debug, Default)]
struct SubPath {
    pts: Vec<Pt>,
    closed: bool,
}

/// The current path, in page space (the CTM is applied while it is built: PDF forbids `cm`
/// inside a path object).
#[derive(Debug, Default)]
pub struct Path {
    subs: Vec<SubPath>,
    /// Bounds the work on absurd paths: points beyond this are dropped.
    points: usize,
}

const MAX_PATH_POINTS: usize = 1_000_000;
/// Filled rectangles thinner than this (points) are rules, not shading.
const THIN: f32 = 2.0;
/// A segment counts as horizontal / vertical when it deviates less than this (points).
const AXIS_TOLERANCE: f32 = 0.5;

impl Path {
    pub fn clear(&mut self) {
        self.subs.clear();
        self.points = 0;
    }

    fn push(&mut self, x: f32, y: f32, straight: bool) {
        if self.points >= MAX_PATH_POINTS || !x.is_finite() || !y.is_finite() {
            return;
        }
        self.points += 1;
        if let Some(sub) = self.subs.last_mut() {
            sub.pts.push(Pt { x, y, straight });
        }
    }

    pub fn move_to(&mut self, ctm: &Matrix, x: f32, y: f32) {
        let (x, y) = ctm.apply(x, y);
        // A move right after a move replaces it.
        if self
            .subs
            .last()
            .is_some_and(|s| s.pts.len() == 1 && !s.closed)
        {
            self.subs.pop();
        }
        self.subs.push(SubPath::default());
        self.push(x, y, true);
    }

    fn ensure_started(&mut self, ctm: &Matrix, x: f32, y: f32) -> bool {
        if self.subs.is_empty() {
            self.move_to(ctm, x, y);
            return false;
        }
        true
    }

    pub fn line_to(&mut self, ctm: &Matrix, x: f32, y: f32) {
        if self.ensure_started(ctm, x, y) {
            let (x, y) = ctm.apply(x, y);
            self.push(x, y, true);
        }
    }

    pub fn curve_to(&mut self, ctm: &Matrix, x: f32, y: f32) {
        if self.ensure_started(ctm, x, y) {
            let (x, y) = ctm.apply(x, y);
            self.push(x, y, false);
        }
    }

    pub fn close(&mut self) {
        if let Some(sub) = self.subs.last_mut() {
            sub.closed = true;
        }
    }

    pub fn rect(&mut self, ctm: &Matrix, x: f32, y: f32, w: f32, h: f32) {
        self.move_to(ctm, x, y);
        for (px, py) in [(x + w, y), (x + w, y + h), (x, y + h)] {
            let (px, py) = ctm.apply(px, py);
            self.push(px, py, true);
        }
        self.close();
    }

    /// Stroked: every straight horizontal or vertical segment is a rule.
    pub fn stroke_rules(&self, rules: &mut Vec<Rule>) {
        for sub in &self.subs {
            let n = sub.pts.len();
            if n < 2 {
                continue;
            }
            let closing = if sub.closed { n } else { n - 1 };
            for i in 0..closing {
                let p = sub.pts[i];
                let q = sub.pts[(i + 1) % n];
                if !q.straight && i + 1 < n {
                    continue;
                }
                push_segment(rules, p.x, p.y, q.x, q.y);
            }
        }
    }

    /// Filled: straight axis-aligned subpaths are rectangles; thin ones become rules (their
    /// centre line), the others fills. Other shapes are ignored.
    pub fn fill_rects(&self, rules: &mut Vec<Rule>, fills: &mut Vec<BBox>) {
        for sub in &self.subs {
            if sub.pts.len() < 3 || sub.pts.len() > 5 || sub.pts.iter().any(|p| !p.straight) {
                continue;
            }
            let n = sub.pts.len();
            let axis_aligned = (0..n).all(|i| {
                let (p, q) = (sub.pts[i], sub.pts[(i + 1) % n]);
                (p.x - q.x).abs() < AXIS_TOLERANCE || (p.y - q.y).abs() < AXIS_TOLERANCE
            });
            if !axis_aligned {
                continue;
            }
            let mut b = BBox {
                x0: f32::MAX,
                y0: f32::MAX,
                x1: f32::MIN,
                y1: f32::MIN,
            };
            for p in &sub.pts {
                b.x0 = b.x0.min(p.x);
                b.y0 = b.y0.min(p.y);
                b.x1 = b.x1.max(p.x);
                b.y1 = b.y1.max(p.y);
            }
            let (w, h) = (b.x1 - b.x0, b.y1 - b.y0);
            if h < THIN && w >= h {
                let y = (b.y0 + b.y1) / 2.0;
                rules.push(Rule {
                    x0: b.x0,
                    y0: y,
                    x1: b.x1,
                    y1: y,
                });
            } else if w < THIN {
                let x = (b.x0 + b.x1) / 2.0;
                rules.push(Rule {
                    x0: x,
                    y0: b.y0,
                    x1: x,
                    y1: b.y1,
                });
            } else {
                fills.push(b);
            }
        }
    }
}

/// A stroked segment as a rule when it is horizontal or vertical (and not a dot).
fn push_segment(rules: &mut Vec<Rule>, x0: f32, y0: f32, x1: f32, y1: f32) {
    let (dx, dy) = ((x1 - x0).abs(), (y1 - y0).abs());
    if dx < AXIS_TOLERANCE && dy < AXIS_TOLERANCE {
        return;
    }
    if dy < AXIS_TOLERANCE {
        let y = (y0 + y1) / 2.0;
        rules.push(Rule {
            x0: x0.min(x1),
            y0: y,
            x1: x0.max(x1),
            y1: y,
        });
    } else if dx < AXIS_TOLERANCE {
        let x = (x0 + x1) / 2.0;
        rules.push(Rule {
            x0: x,
            y0: y0.min(y1),
            x1: x,
            y1: y0.max(y1),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_order() {
        let scale = Matrix([2.0, 0.0, 0.0, 2.0, 0.0, 0.0]);
        let m = Matrix::translate(1.0, 1.0).then(&scale);
        assert_eq!(m.apply(0.0, 0.0), (2.0, 2.0));
    }

    #[test]
    fn rect_fill_and_stroke() {
        let mut p = Path::default();
        p.rect(&Matrix::IDENTITY, 10.0, 10.0, 100.0, 0.5);
        p.rect(&Matrix::IDENTITY, 10.0, 20.0, 100.0, 50.0);
        let (mut rules, mut fills) = (Vec::new(), Vec::new());
        p.fill_rects(&mut rules, &mut fills);
        assert_eq!(rules.len(), 1);
        assert_eq!(fills.len(), 1);
        rules.clear();
        p.stroke_rules(&mut rules);
        assert_eq!(rules.len(), 8);
    }
}
