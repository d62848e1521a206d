//! Pixels → a clean ink bitmap: threshold (Otsu), skew estimate (projection profiles),
//! rotation, speck removal.
//!
//! Otsu's global threshold suits scanner output (even light, light-gray cell shading far
//! from the ink); the OCR crops are small and clean, so no local method is needed there.
//! The skew is the angle whose horizontal projection profile is sharpest (sum of squared row
//! counts), the classic method for documents with text lines and ruling lines; it is searched
//! on a half-resolution bitmap, coarse to fine, within ±[`MAX_SKEW`] degrees.

use super::images::Gray;

/// Largest skew searched, in degrees.
pub const MAX_SKEW: f32 = 3.0;

/// A binary image: `ink[y * w + x]` is 1 for ink, 0 for paper.
#[derive(Debug, Clone, PartialEq)]
pub struct Bitmap {
    pub w: usize,
    pub h: usize,
    pub ink: Vec<u8>,
}

impl Bitmap {
    pub fn at(&self, x: usize, y: usize) -> bool {
        self.ink[y * self.w + x] != 0
    }

    pub fn count(&self) -> usize {
        self.ink.iter().filter(|&&v| v != 0).count()
    }
}

/// Otsu's threshold of a gray image (pixels ≤ threshold are ink). A bilevel image needs none.
pub fn otsu(gray: &Gray) -> u8 {
    if gray.bilevel {
        return 127;
    }
    let mut hist = [0u64; 256];
    for &p in &gray.px {
        hist[usize::from(p)] += 1;
    }
    otsu_of(&hist)
}

fn otsu_of(hist: &[u64; 256]) -> u8 {
    let total: u64 = hist.iter().sum();
    if total == 0 {
        return 127;
    }
    let sum_all: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &n)| i as f64 * n as f64)
        .sum();
    let (mut w0, mut sum0) = (0f64, 0f64);
    let (mut best, mut best_t) = (-1f64, 127u8);
    for (t, &n) in hist.iter().enumerate() {
        w0 += n as f64;
        sum0 += t as f64 * n as f64;
        let w1 = total as f64 - w0;
        if w0 == 0.0 || w1 == 0.0 {
            continue;
        }
        let m0 = sum0 / w0;
        let m1 = (sum_all - sum0) / w1;
        let between = w0 * w1 * (m0 - m1) * (m0 - m1);
        if between > best {
            best = between;
            best_t = t as u8;
        }
    }
    best_t
}

pub fn binarize(gray: &Gray, threshold: u8) -> Bitmap {
    Bitmap {
        w: gray.w,
        h: gray.h,
        ink: gray.px.iter().map(|&p| u8::from(p <= threshold)).collect(),
    }
}

/// The rotation of the page content, in degrees, counter-clockwise positive (the angle to
/// rotate back by). 0 when the page holds too little ink to tell.
pub fn estimate_skew(bm: &Bitmap) -> f32 {
    // Ink points of a half-resolution bitmap (a 2 × 2 block with any ink).
    let (hw, hh) = (bm.w / 2, bm.h / 2);
    let mut pts: Vec<(f32, f32)> = Vec::new();
    for y in 0..hh {
        for x in 0..hw {
            let i = 2 * y * bm.w + 2 * x;
            if bm.ink[i] | bm.ink[i + 1] | bm.ink[i + bm.w] | bm.ink[i + bm.w + 1] != 0 {
                pts.push((x as f32, y as f32));
            }
        }
    }
    if pts.len() < 200 {
        return 0.0;
    }
    // Subsample very inky pages: the profile stays as sharp.
    let step = (pts.len() / 400_000).max(1);
    let pts: Vec<(f32, f32)> = pts.into_iter().step_by(step).collect();
    let slack = (hw as f32 * (MAX_SKEW.to_radians()).tan()).ceil() as usize + 2;
    let mut hist = vec![0u32; hh + 2 * slack + 2];
    let mut score = |deg: f32| -> f64 {
        let t = deg.to_radians().tan();
        hist.iter_mut().for_each(|v| *v = 0);
        for &(x, y) in &pts {
            let r = (y + x * t).round() as isize + slack as isize;
            if let Some(v) = usize::try_from(r).ok().and_then(|r| hist.get_mut(r)) {
                *v += 1;
            }
        }
        hist.iter().map(|&v| f64::from(v) * f64::from(v)).sum()
    };
    let search = |score: &mut dyn FnMut(f32) -> f64, lo: f32, hi: f32, step: f32| {
        let mut best = (f64::MIN, 0.0f32);
        let n = ((hi - lo) / step).round() as i32;
        for i in 0..=n {
            let a = lo + i as f32 * step;
            let s = score(a);
            if s > best.0 {
                best = (s, a);
            }
        }
        best.1
    };
    let coarse = search(&mut score, -MAX_SKEW, MAX_SKEW, 0.1);
    let fine = search(&mut score, coarse - 0.1, coarse + 0.1, 0.01);
    // Round away float noise so the reported angle is stable.
    (fine * 100.0).round() / 100.0
}

/// Rotates the content by `deg` degrees clockwise around the centre (undoing a
/// counter-clockwise skew of `deg`), bilinear, paper-white outside.
pub fn rotate(gray: &Gray, deg: f32) -> Gray {
    let (s, c) = deg.to_radians().sin_cos();
    let (w, h) = (gray.w, gray.h);
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let mut out = vec![255u8; w * h];
    for y in 0..h {
        let dy = y as f32 - cy;
        for x in 0..w {
            let dx = x as f32 - cx;
            // Where this point of the straight page landed on the skewed scan.
            let sx = cx + dx * c + dy * s;
            let sy = cy - dx * s + dy * c;
            if sx < 0.0 || sy < 0.0 {
                continue;
            }
            let (x0, y0) = (sx as usize, sy as usize);
            if x0 + 1 >= w || y0 + 1 >= h {
                continue;
            }
            let (fx, fy) = (sx - x0 as f32, sy - y0 as f32);
            let p = |xx: usize, yy: usize| f32::from(gray.px[yy * w + xx]);
            let top = p(x0, y0) * (1.0 - fx) + p(x0 + 1, y0) * fx;
            let bot = p(x0, y0 + 1) * (1.0 - fx) + p(x0 + 1, y0 + 1) * fx;
            out[y * w + x] = (top * (1.0 - fy) + bot * fy).round() as u8;
        }
    }
    Gray {
        w,
        h,
        px: out,
        bilevel: false,
    }
}

/// Removes specks: ink that fits in a `size` × `size` box with paper all around it.
pub fn despeckle(bm: &mut Bitmap, size: usize) {
    let size = size.max(1);
    let (w, h) = (bm.w, bm.h);
    if w < size + 2 || h < size + 2 {
        return;
    }
    for y in 1..h - size - 1 {
        for x in 1..w - size - 1 {
            if bm.ink[y * w + x] == 0 {
                continue;
            }
            // The box is [x, x+size) × [y, y+size); its ring must be paper, and the pixel
            // must be the box's first ink in row order (so every speck is seen once).
            let ring_clear = (x - 1..=x + size)
                .all(|xx| bm.ink[(y - 1) * w + xx] == 0 && bm.ink[(y + size) * w + xx] == 0)
                && (y..y + size)
                    .all(|yy| bm.ink[yy * w + x - 1] == 0 && bm.ink[yy * w + x + size] == 0);
            if ring_clear {
                for yy in y..y + size {
                    bm.ink[yy * w + x..yy * w + x + size].fill(0);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page_with_lines(w: usize, h: usize) -> Gray {
        let mut g = Gray::new(w, h, 240).unwrap();
        for y in (40..h - 40).step_by(60) {
            for x in 30..w - 30 {
                for t in 0..3 {
                    g.px[(y + t) * w + x] = 20;
                }
            }
        }
        g
    }

    #[test]
    fn otsu_splits_ink_from_paper_and_shading() {
        let mut g = page_with_lines(400, 400);
        // A shaded block (light gray) stays paper.
        for y in 100..150 {
            for x in 100..300 {
                g.px[y * 400 + x] = 200;
            }
        }
        let t = otsu(&g);
        assert!((20..200).contains(&t), "threshold {t}");
    }

    #[test]
    fn skew_is_found_and_removed() {
        // Lines as long as a page's (a scan's precision grows with the line length).
        let g = page_with_lines(2000, 600);
        for angle in [-1.5f32, -0.4, 0.3, 1.2] {
            // Skew the page by `angle` (counter-clockwise) = rotate by -angle clockwise.
            let skewed = rotate(&g, -angle);
            let bm = binarize(&skewed, otsu(&skewed));
            let est = estimate_skew(&bm);
            assert!((est - angle).abs() < 0.08, "angle {angle}, estimated {est}");
            let straight = rotate(&skewed, est);
            assert!(estimate_skew(&binarize(&straight, 127)).abs() < 0.08);
        }
    }

    #[test]
    fn specks_go_dots_stay() {
        let mut bm = Bitmap {
            w: 20,
            h: 20,
            ink: vec![0; 400],
        };
        bm.ink[5 * 20 + 5] = 1; // a speck
        for y in 10..14 {
            for x in 10..14 {
                bm.ink[y * 20 + x] = 1; // a 4 × 4 dot
            }
        }
        despeckle(&mut bm, 2);
        assert_eq!(bm.ink[5 * 20 + 5], 0);
        assert_eq!(bm.count(), 16);
    }
}
