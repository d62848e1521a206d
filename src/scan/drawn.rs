//! Pages whose text is in fonts that map to no characters, painted for OCR.
//!
//! When no glyph of a PDF maps to text (a subset font with custom codes and neither
//! /ToUnicode nor a usable cmap or glyph names: pdftotext prints its glyph ids), the glyph
//! stage keeps each such glyph's outline from its embedded program (`PageContent::drawn`).
//! Here they are painted, with the page's ruling lines, into a page image at 300 dpi, which
//! the scan front end then reads like a scanned page. This is what a reader of the printed
//! page would do; the result is OCR (`source.format` "scan", a `text_guessed` warning).

use super::images::Gray;
use super::PageImage;
use crate::pdf::outline::Segment;
use crate::pdf::{Glyph, PageContent, PdfContent, Rule};
use crate::rows::BBox;
use ab_glyph_rasterizer::{point, Point, Rasterizer};

/// The resolution pages are painted at (the scan front end's reference resolution).
pub const DPI: f32 = 300.0;
/// Pixels a painted page may have at most (a 3 × 3 m page would not fit at 300 dpi: it is
/// painted at a lower resolution).
const MAX_PIXELS: f32 = 60e6;
/// A glyph larger than this many pixels on a side is not painted (a hostile matrix).
const MAX_GLYPH_PX: f32 = 4000.0;

/// The page images of the pages that hold drawn glyphs, in page order.
pub fn page_images(content: &PdfContent) -> Vec<Result<PageImage, String>> {
    content
        .pages
        .iter()
        .filter(|p| !p.drawn.is_empty())
        .map(paint)
        .collect()
}

/// The text of a page's drawn glyphs read by OCR, as glyphs in page space: for a page whose
/// other text maps (the table stage then places them with it). The painted page holds only
/// those glyphs, without rules, and is read line by line.
pub fn read_glyphs(page: &PageContent) -> Result<Vec<Glyph>, String> {
    if page.rotate != 0 {
        return Err("the page is turned (/Rotate)".into());
    }
    let engine = super::ocr::engine()?;
    let mut img = paint_glyphs(page, false)?;
    img.known_rules = Some(Vec::new());
    // Through the OCR cache, as scanned pages are: a rerun does not OCR again.
    let cache = super::cache::Cache::open(super::defaults().no_cache);
    let read = super::read_cached(&img, &engine, cache.as_ref())?;
    Ok(read.glyphs.iter().map(super::glyph_of).collect())
}

/// Paints one page's drawn glyphs and rules, black on white.
pub fn paint(page: &PageContent) -> Result<PageImage, String> {
    paint_glyphs(page, true)
}

/// Paints one page's drawn glyphs, and its rules when `rules` is set.
fn paint_glyphs(page: &PageContent, rules: bool) -> Result<PageImage, String> {
    // Painted as the page is shown (/Rotate applied), so that OCR sees upright lines.
    let (pw, ph) = (page.width.max(1.0), page.height.max(1.0));
    let (w_pt, h_pt) = if page.rotate % 180 == 90 {
        (ph, pw)
    } else {
        (pw, ph)
    };
    let rotate = page.rotate;
    let shown = move |x: f32, y: f32| -> (f32, f32) {
        match rotate {
            90 => (y, pw - x),
            180 => (pw - x, ph - y),
            270 => (ph - y, x),
            _ => (x, y),
        }
    };
    let mut dpi = DPI;
    let pixels = |dpi: f32| (w_pt / 72.0 * dpi) * (h_pt / 72.0 * dpi);
    if pixels(dpi) > MAX_PIXELS {
        dpi *= (MAX_PIXELS / pixels(dpi)).sqrt();
    }
    let px_per_pt = dpi / 72.0;
    let w = ((w_pt * px_per_pt).ceil() as usize).max(1);
    let h = ((h_pt * px_per_pt).ceil() as usize).max(1);
    let mut gray = Gray::new(w, h, 255)?;
    // Page point → pixel (y down). The glyph stage's coordinates are relative to the page's
    // box, origin bottom-left, unturned.
    let to_px = |x: f32, y: f32| -> [f32; 2] {
        let (x, y) = shown(x, y);
        [x * px_per_pt, (h_pt - y) * px_per_pt]
    };
    let mut raster = Rasterizer::new(1, 1);
    // Each glyph's points in pixels, in the order its segments name them (one buffer for all
    // glyphs: transformed once, used for the bounds and then for drawing).
    let mut px: Vec<Point> = Vec::new();
    for glyph in &page.drawn {
        let m = glyph.to_page;
        px.clear();
        for s in &glyph.outline.segments {
            let points: &[[f32; 2]] = match s {
                Segment::Move(p) | Segment::Line(p) => std::slice::from_ref(p),
                Segment::Quad(c, p) => &[*c, *p],
                Segment::Cubic(c1, c2, p) => &[*c1, *c2, *p],
                Segment::Close => &[],
            };
            px.extend(points.iter().map(|p| {
                let [x, y] = to_px(
                    p[0] * m[0] + p[1] * m[2] + m[4],
                    p[0] * m[1] + p[1] * m[3] + m[5],
                );
                point(x, y)
            }));
        }
        let Some(bbox) = bounds(&px) else {
            continue;
        };
        let (x0, y0) = (bbox.x0.floor(), bbox.y0.floor());
        let (gw, gh) = (bbox.x1.ceil() - x0 + 1.0, bbox.y1.ceil() - y0 + 1.0);
        if gw > MAX_GLYPH_PX || gh > MAX_GLYPH_PX || bbox.x1 < 0.0 || bbox.y1 < 0.0 {
            continue;
        }
        if x0 >= w as f32 || y0 >= h as f32 {
            continue;
        }
        raster.reset(gw as usize, gh as usize);
        let origin = point(x0, y0);
        let mut next = px.iter().map(|&p| p - origin);
        let mut take = || next.next().unwrap_or(origin);
        let mut start: Option<Point> = None;
        let mut at: Option<Point> = None;
        for s in &glyph.outline.segments {
            match *s {
                Segment::Move(_) => {
                    if let (Some(a), Some(b)) = (at, start) {
                        raster.draw_line(a, b);
                    }
                    let p = take();
                    start = Some(p);
                    at = Some(p);
                }
                Segment::Line(_) => {
                    let p = take();
                    if let Some(a) = at {
                        raster.draw_line(a, p);
                    }
                    at = Some(p);
                }
                Segment::Quad(..) => {
                    let (c, p) = (take(), take());
                    if let Some(a) = at {
                        raster.draw_quad(a, c, p);
                    }
                    at = Some(p);
                }
                Segment::Cubic(..) => {
                    let (c1, c2, p) = (take(), take(), take());
                    if let Some(a) = at {
                        raster.draw_cubic(a, c1, c2, p);
                    }
                    at = Some(p);
                }
                Segment::Close => {
                    if let (Some(a), Some(b)) = (at, start) {
                        raster.draw_line(a, b);
                    }
                    at = start;
                }
            }
        }
        if let (Some(a), Some(b)) = (at, start) {
            raster.draw_line(a, b);
        }
        let (ox, oy) = (x0 as i64, y0 as i64);
        raster.for_each_pixel_2d(|x, y, coverage| {
            let (px, py) = (ox + i64::from(x), oy + i64::from(y));
            if coverage <= 0.0 || px < 0 || py < 0 || px >= w as i64 || py >= h as i64 {
                return;
            }
            let i = py as usize * w + px as usize;
            let ink = (255.0 * (1.0 - coverage.min(1.0))) as u8;
            gray.px[i] = gray.px[i].min(ink);
        });
    }
    // Ruling lines, 3 px wide, as a scan would show them; the scan front end takes their
    // positions from `known_rules`, not from the image.
    let half = 1.0;
    let mut known = Vec::with_capacity(page.rules.len());
    for r in page.rules.iter().filter(|_| rules) {
        let (sx0, sy0) = shown(r.x0, r.y0);
        let (sx1, sy1) = shown(r.x1, r.y1);
        known.push(Rule {
            x0: sx0,
            y0: sy0,
            x1: sx1,
            y1: sy1,
        });
        let [ax, ay] = to_px(r.x0, r.y0);
        let [bx, by] = to_px(r.x1, r.y1);
        let xs = (ax.min(bx) - half).max(0.0) as usize;
        let xe = ((ax.max(bx) + half).max(0.0) as usize).min(w);
        let ys = (ay.min(by) - half).max(0.0) as usize;
        let ye = ((ay.max(by) + half).max(0.0) as usize).min(h);
        for y in ys..ye {
            gray.px[y * w + xs.min(xe)..y * w + xe].fill(0);
        }
    }
    Ok(PageImage {
        number: page.number,
        gray,
        page_w: w_pt,
        page_h: h_pt,
        placed: BBox {
            x0: 0.0,
            y0: 0.0,
            x1: w_pt,
            y1: h_pt,
        },
        known_rules: Some(known),
    })
}

/// The box around `points` (control points included: a bound, not the tight box), or
/// `None` when there are none or one is not finite.
fn bounds(points: &[Point]) -> Option<BBox> {
    let mut b = BBox {
        x0: f32::INFINITY,
        y0: f32::INFINITY,
        x1: f32::NEG_INFINITY,
        y1: f32::NEG_INFINITY,
    };
    for p in points {
        if !(p.x.is_finite() && p.y.is_finite()) {
            return None;
        }
        b.x0 = b.x0.min(p.x);
        b.y0 = b.y0.min(p.y);
        b.x1 = b.x1.max(p.x);
        b.y1 = b.y1.max(p.y);
    }
    (b.x0 <= b.x1 && b.y0 <= b.y1).then_some(b)
}
