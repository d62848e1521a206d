//! Scan front end: page images (image-only PDF pages, image files) → the same `Rows` the PDF
//! front end builds.
//!
//! Per page: decode the image ([`images`]), threshold, remove specks and skew ([`bitmap`]),
//! find the ruling lines ([`rules`]) and hand them, in page space, to the PDF path's lattice
//! stage, which returns the table's cell regions. Each cell is then cropped (its borders
//! erased) and read by Tesseract ([`ocr`]) on its own, with the page segmentation mode of one
//! line or of a block; text outside the tables is read line by line. The recognized
//! characters become `pdf::Glyph`s and the PDF path's table stage turns glyphs + rules into
//! rows, so a scan and a born-digital PDF meet in the same `Row`s. Characters read with low
//! confidence are kept as `Cell.doubts`.
//!
//! Pages are read in parallel on the current rayon pool (`-j`), and each page's result is
//! cached under the hash of its image ([`cache`]), so a rerun does not OCR again.

pub mod bitmap;
mod cache;
pub mod drawn;
pub mod images;
pub mod ocr;
pub mod rules;

use crate::diag::{Diag, WarningCode};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Ocr, ScanPage};
use crate::pdf::{self, Glyph, PageContent, PdfContent, Rule};
use crate::rows::{BBox, Doubt, OcrFix, Row};
use images::Gray;
use rayon::prelude::*;
use std::sync::{Arc, Mutex, OnceLock};

/// Below this resolution OCR results are poor; the document says so.
pub const LOW_DPI: f32 = 200.0;
/// Characters recognized with a confidence under this (0–100) become doubts.
pub const DOUBT_CONFIDENCE: f32 = 60.0;
/// A line read with a lower mean confidence (0–100) is read again in raw-line mode.
const RETRY_CONFIDENCE: f32 = 80.0;
/// Changes whenever the reading below changes, so cached pages from an older build are not
/// reused.
const SETTINGS_VERSION: &str = "scan-3";

/// How scans are read.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Pages read at once; `None` uses the current thread pool (all cores, or `-j N`).
    pub threads: Option<usize>,
    /// A progress bar per page on stderr (when stderr is a terminal).
    pub progress: bool,
    /// Do not read or write the OCR cache (it is also off when `JISSEKI_OCR_CACHE=off`).
    pub no_cache: bool,
}

static DEFAULTS: OnceLock<ScanOptions> = OnceLock::new();

/// Sets the options every scan in this process uses (the command line calls this once).
pub fn set_defaults(opts: ScanOptions) {
    let _ = DEFAULTS.set(opts);
}

fn defaults() -> ScanOptions {
    DEFAULTS.get().cloned().unwrap_or_default()
}

/// What the scan front end hands to the shared stages.
pub struct ScanRows {
    pub rows: Vec<Row>,
    pub pages: u32,
    pub ocr: Ocr,
    pub diag: Diag,
}

/// One page image and where it sits on its page (points, origin bottom-left).
pub struct PageImage {
    pub number: u32,
    pub gray: Gray,
    /// The page's width and height in points.
    pub page_w: f32,
    pub page_h: f32,
    /// The box the image covers on the page.
    pub placed: BBox,
    /// The page's ruling lines in page space when they are known exactly (a page painted
    /// from a PDF's vector content, [`drawn`]): used instead of finding them in the image,
    /// where a kanji's long stroke in a one-line cell can pass for a rule.
    pub known_rules: Option<Vec<Rule>>,
}

impl PageImage {
    pub fn dpi(&self) -> f32 {
        let w_in = (self.placed.x1 - self.placed.x0) / 72.0;
        let h_in = (self.placed.y1 - self.placed.y0) / 72.0;
        let dx = self.gray.w as f32 / w_in;
        let dy = self.gray.h as f32 / h_in;
        let d = dx.min(dy);
        if d.is_finite() && d > 0.0 {
            d
        } else {
            72.0
        }
    }

    /// Image pixel → page point.
    fn to_page(&self, x: f32, y: f32) -> (f32, f32) {
        let p = &self.placed;
        (
            p.x0 + x / self.gray.w as f32 * (p.x1 - p.x0),
            p.y1 - y / self.gray.h as f32 * (p.y1 - p.y0),
        )
    }

    /// Page point → image pixel.
    fn to_px(&self, x: f32, y: f32) -> (f32, f32) {
        let p = &self.placed;
        (
            (x - p.x0) / (p.x1 - p.x0) * self.gray.w as f32,
            (p.y1 - y) / (p.y1 - p.y0) * self.gray.h as f32,
        )
    }
}

/// True when the glyph stage found a scan: images and no text at all.
pub fn is_scan(content: &PdfContent) -> bool {
    content.pages.iter().all(|p| p.glyphs.is_empty()) && content.pages.iter().any(|p| p.images > 0)
}

/// The page images of an image-only PDF: on each page the largest image drawn. A page whose
/// image cannot be decoded is an `Err` naming why.
pub fn pdf_page_images(
    bytes: &[u8],
    content: &PdfContent,
) -> Result<Vec<std::result::Result<PageImage, String>>> {
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| {
        Error::new(
            ErrorKind::PdfUnreadable,
            format!("not a PDF or damaged beyond repair: {e}"),
        )
    })?;
    Ok(content
        .pages
        .iter()
        .map(|page| {
            let best = page
                .placed_images
                .iter()
                .filter(|i| i.bbox.x1 > i.bbox.x0 && i.bbox.y1 > i.bbox.y0)
                .max_by(|a, b| area(&a.bbox).total_cmp(&area(&b.bbox)))
                .ok_or_else(|| "no image on this page".to_string())?;
            // Catch a panic in a third-party decoder: the page is unreadable, not the run.
            let gray = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                images::pdf_image(&doc, best.id)
            }))
            .map_err(|_| "the image decoder failed".to_string())??;
            Ok(PageImage {
                number: page.number,
                gray,
                page_w: page.width,
                page_h: page.height,
                placed: best.bbox,
                known_rules: None,
            })
        })
        .collect())
}

fn area(b: &BBox) -> f32 {
    (b.x1 - b.x0) * (b.y1 - b.y0)
}

/// The pages of an image file. Without a resolution in the file, the image is taken to be an
/// A4 page (its long side 11.69 in).
pub fn file_page_images(bytes: &[u8]) -> Result<Vec<std::result::Result<PageImage, String>>> {
    let pages = std::panic::catch_unwind(|| images::decode_file(bytes))
        .map_err(|_| "the image decoder failed".to_string())
        .and_then(|r| r)
        .map_err(|e| Error::new(ErrorKind::NotText, format!("unreadable image: {e}")))?;
    Ok(pages
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let p = p?;
            let long = p.gray.w.max(p.gray.h) as f32;
            let dpi = p
                .dpi
                .filter(|d| (20.0..=4800.0).contains(d))
                .unwrap_or(long / 11.69);
            let (w, h) = (p.gray.w as f32 / dpi * 72.0, p.gray.h as f32 / dpi * 72.0);
            Ok(PageImage {
                number: i as u32 + 1,
                gray: p.gray,
                page_w: w,
                page_h: h,
                placed: BBox {
                    x0: 0.0,
                    y0: 0.0,
                    x1: w,
                    y1: h,
                },
                known_rules: None,
            })
        })
        .collect())
}

/// A PDF whose text is all in fonts with no Unicode mapping (`unmapped`, the glyph stage's
/// `PdfUnmappedFonts` answer): the glyphs their embedded programs can draw are painted
/// ([`drawn`]) and read by OCR, with a `text_guessed` warning per page. `unmapped` comes back
/// (with the reason OCR could not help) when no glyph can be drawn or OCR is not available.
pub fn read_unmapped(bytes: &[u8], file: &str, unmapped: Error) -> Result<(ScanRows, PdfContent)> {
    let content = pdf::read(bytes, &pdf::Limits::default())?;
    let images = drawn::page_images(&content);
    if images.is_empty() {
        return Err(unmapped);
    }
    let mut scan = read_pages(images, file, None).map_err(|e| {
        Error::new(
            unmapped.kind.clone(),
            format!(
                "{}; reading its drawn glyphs by OCR failed: {}",
                unmapped.message, e.message
            ),
        )
    })?;
    scan.pages = content.pages.len() as u32;
    for why in &content.problems {
        scan.diag
            .warn(WarningCode::PageUnreadable, None, None, why.clone());
    }
    for page in &content.pages {
        for why in &page.problems {
            scan.diag
                .warn(WarningCode::PageUnreadable, None, None, why.clone());
        }
        if !page.drawn.is_empty() {
            scan.diag.warn(
                WarningCode::TextGuessed,
                None,
                None,
                format!(
                    "page {}: the text is in fonts with no Unicode mapping; {} glyphs were \
                     painted from the embedded font programs and read by OCR: check them",
                    page.number,
                    page.drawn.len()
                ),
            );
        }
        let undrawn = page.undrawn_glyphs;
        if undrawn > 0 {
            scan.diag.warn(
                WarningCode::PageUnreadable,
                None,
                None,
                format!(
                    "page {}: {undrawn} glyphs in fonts with no Unicode mapping could not be \
                     drawn either (no outline in an embedded TrueType or CFF program)",
                    page.number
                ),
            );
        }
    }
    Ok((scan, content))
}

/// Ruling lines known in page space → the pixel rules of the image (as painted by [`drawn`]:
/// a band of 3 pixels around the line).
fn known_px_rules(img: &PageImage, known: &[Rule]) -> Vec<rules::PxRule> {
    known
        .iter()
        .filter_map(|r| {
            let (ax, ay) = img.to_px(r.x0, r.y0);
            let (bx, by) = img.to_px(r.x1, r.y1);
            let horizontal = (by - ay).abs() <= (bx - ax).abs();
            let (pos, lo, hi) = if horizontal {
                ((ay + by) / 2.0, ax.min(bx), ax.max(bx))
            } else {
                ((ax + bx) / 2.0, ay.min(by), ay.max(by))
            };
            if !(pos.is_finite() && lo.is_finite() && hi.is_finite()) || pos < 0.0 || hi < 0.0 {
                return None;
            }
            let c = pos.round() as usize;
            Some(rules::PxRule {
                horizontal,
                pos,
                lo: lo.max(0.0) as usize,
                hi: hi as usize,
                from: c.saturating_sub(1),
                to: c + 1,
            })
        })
        .collect()
}

/// What reading one page gives: its glyphs and rules in page space, the doubts, the skew.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct PageRead {
    pub skew: f32,
    pub rules: Vec<[f32; 4]>,
    /// (text, box, size)
    pub glyphs: Vec<(String, [f32; 4], f32)>,
    /// (text, confidence, box)
    pub doubts: Vec<(String, f32, [f32; 4])>,
    /// Corrections of the first reading: (from, to, rule, box).
    #[serde(default)]
    pub fixes: Vec<(String, String, String, [f32; 4])>,
}

/// Reads the pages (in parallel) → Rows, with the OCR provenance and warnings. `total` is the
/// number of pages of the input (pages that failed to decode are in `pages` as `Err`).
pub fn read_pages(
    pages: Vec<std::result::Result<PageImage, String>>,
    file: &str,
    opts: Option<&ScanOptions>,
) -> Result<ScanRows> {
    let opts = opts.cloned().unwrap_or_else(defaults);
    let engine = ocr::engine().map_err(|e| {
        Error::new(
            ErrorKind::NoTextLayer,
            format!("a scan (no text layer) needs OCR: {e}"),
        )
    })?;
    let total = pages.len();
    let bar = progress_bar(&opts, total, file);
    let cache = cache::Cache::open(opts.no_cache);
    let work = |p: &std::result::Result<PageImage, String>| -> std::result::Result<(PageRead, ScanPage), String> {
        let p = p.as_ref().map_err(String::clone)?;
        let read = read_cached(p, &engine, cache.as_ref())?;
        if let Some(b) = &bar {
            b.inc(1);
        }
        let scan = ScanPage {
            page: p.number,
            dpi: (p.dpi() * 10.0).round() / 10.0,
            width_px: p.gray.w as u32,
            height_px: p.gray.h as u32,
            skew_degrees: read.skew,
        };
        Ok((read, scan))
    };
    let results: Vec<_> = match opts.threads {
        Some(n) => match rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
        {
            Ok(pool) => pool.install(|| pages.par_iter().map(work).collect()),
            Err(_) => pages.iter().map(work).collect(),
        },
        None => pages.par_iter().map(work).collect(),
    };
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let mut diag = Diag::default();
    let mut rows = Vec::new();
    let mut scan_pages = Vec::new();
    for (i, (page, res)) in pages.iter().zip(results).enumerate() {
        let number = page.as_ref().map_or(i as u32 + 1, |p| p.number);
        match (page.as_ref().map_err(String::clone), res) {
            (Ok(img), Ok((read, sp))) => {
                if sp.dpi < LOW_DPI {
                    diag.warn(
                        WarningCode::LowResolution,
                        None,
                        None,
                        format!(
                            "page {number}: scanned at {:.0} dpi; OCR results will be poor (scan at 300 dpi)",
                            sp.dpi
                        ),
                    );
                }
                rows.extend(page_rows(img, &read));
                scan_pages.push(sp);
            }
            (Err(e), _) | (_, Err(e)) => diag.warn(
                WarningCode::PageUnreadable,
                None,
                None,
                format!("page {number}: the page image cannot be read: {e}"),
            ),
        }
    }
    Ok(ScanRows {
        rows,
        pages: total as u32,
        ocr: Ocr {
            engine: "tesseract".into(),
            engine_version: engine.version.clone(),
            model: engine.model.clone(),
            pages: scan_pages,
        },
        diag,
    })
}

fn progress_bar(opts: &ScanOptions, pages: usize, file: &str) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !opts.progress || pages < 2 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(pages as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{msg} {bar:30} {pos}/{len} pages {elapsed}")
    {
        bar.set_style(style);
    }
    bar.set_message(format!("OCR {file}"));
    Some(bar)
}

/// One page read through the OCR cache (a rerun on the same image does not OCR again).
fn read_cached(
    img: &PageImage,
    engine: &Arc<ocr::Engine>,
    cache: Option<&cache::Cache>,
) -> std::result::Result<PageRead, String> {
    let key = cache::key(img, &engine.fingerprint, SETTINGS_VERSION);
    if let Some(r) = cache.and_then(|c| c.get(&key)) {
        return Ok(r);
    }
    let r = with_tess(engine, |t| read_page(img, t))??;
    if let Some(c) = cache {
        c.put(&key, &r);
    }
    Ok(r)
}

/// A glyph OCR read, in page space: (text, box, size) of [`PageRead::glyphs`].
fn glyph_of((text, b, size): &(String, [f32; 4], f32)) -> Glyph {
    Glyph {
        text: text.as_str().into(),
        bbox: BBox {
            x0: b[0],
            y0: b[1],
            x1: b[2],
            y1: b[3],
        },
        size: *size,
        vertical: false,
    }
}

/// Engines kept for reuse: loading the model costs a third of a second, a page far more
/// calls than that would allow.
fn with_tess<R>(
    engine: &Arc<ocr::Engine>,
    f: impl FnOnce(&mut ocr::Tess) -> R,
) -> std::result::Result<R, String> {
    static POOL: Mutex<Vec<ocr::Tess>> = Mutex::new(Vec::new());
    let taken = POOL.lock().ok().and_then(|mut p| p.pop());
    let mut tess = match taken {
        Some(t) => t,
        None => ocr::Tess::new(engine)?,
    };
    let r = f(&mut tess);
    if let Ok(mut p) = POOL.lock() {
        p.push(tess);
    }
    Ok(r)
}

/// Glyphs + rules of a read page → rows (the PDF path's table stage), doubts in their cells.
fn page_rows(img: &PageImage, read: &PageRead) -> Vec<Row> {
    let b = |v: &[f32; 4]| BBox {
        x0: v[0],
        y0: v[1],
        x1: v[2],
        y1: v[3],
    };
    let content = PageContent {
        number: img.number,
        width: img.page_w,
        height: img.page_h,
        glyphs: read.glyphs.iter().map(glyph_of).collect(),
        rules: read
            .rules
            .iter()
            .map(|r| Rule {
                x0: r[0],
                y0: r[1],
                x1: r[2],
                y1: r[3],
            })
            .collect(),
        ..Default::default()
    };
    let mut rows = pdf::table::page_rows(&content);
    let cell_at = |rows: &mut Vec<Row>, d: &BBox| -> Option<(usize, usize)> {
        let (cx, cy) = ((d.x0 + d.x1) / 2.0, (d.y0 + d.y1) / 2.0);
        rows.iter().enumerate().find_map(|(ri, r)| {
            r.cells
                .iter()
                .position(|c| {
                    c.bbox
                        .is_some_and(|cb| cx >= cb.x0 && cx <= cb.x1 && cy >= cb.y0 && cy <= cb.y1)
                })
                .map(|ci| (ri, ci))
        })
    };
    for (text, confidence, bx) in &read.doubts {
        let d = b(bx);
        if let Some((ri, ci)) = cell_at(&mut rows, &d) {
            rows[ri].cells[ci].doubts.push(Doubt {
                text: text.clone(),
                confidence: *confidence,
                bbox: d,
            });
        }
    }
    for (from, to, rule, bx) in &read.fixes {
        let d = b(bx);
        if let Some((ri, ci)) = cell_at(&mut rows, &d) {
            rows[ri].cells[ci].fixes.push(OcrFix {
                from: from.clone(),
                to: to.clone(),
                rule: rule.clone(),
                bbox: d,
            });
        }
    }
    rows
}

/// Reads one page: clean, deskew, rules, cells, OCR.
pub fn read_page(img: &PageImage, tess: &mut ocr::Tess) -> std::result::Result<PageRead, String> {
    let dpi = img.dpi();
    let speck = if dpi >= 150.0 { 2 } else { 1 };
    let threshold = bitmap::otsu(&img.gray);
    let mut bm = bitmap::binarize(&img.gray, threshold);
    bitmap::despeckle(&mut bm, speck);
    // A painted page is not skewed.
    let skew = if img.known_rules.is_some() {
        0.0
    } else {
        bitmap::estimate_skew(&bm)
    };
    let rotated;
    let gray = if skew.abs() >= 0.05 {
        rotated = bitmap::rotate(&img.gray, skew);
        let t = if img.gray.bilevel { 127 } else { threshold };
        bm = bitmap::binarize(&rotated, t);
        bitmap::despeckle(&mut bm, speck);
        &rotated
    } else {
        &img.gray
    };
    let px_rules = match &img.known_rules {
        Some(known) => known_px_rules(img, known),
        None => rules::find(&bm, dpi),
    };
    let mut read = PageRead {
        skew,
        ..Default::default()
    };
    for r in &px_rules {
        let (a, b) = if r.horizontal {
            (
                img.to_page(r.lo as f32, r.pos),
                img.to_page(r.hi as f32, r.pos),
            )
        } else {
            (
                img.to_page(r.pos, r.lo as f32),
                img.to_page(r.pos, r.hi as f32),
            )
        };
        read.rules.push([a.0, a.1, b.0, b.1]);
    }
    let rules: Vec<Rule> = read
        .rules
        .iter()
        .map(|r| Rule {
            x0: r[0],
            y0: r[1],
            x1: r[2],
            y1: r[3],
        })
        .collect();
    let tables = pdf::grid::find_tables(&rules);
    rules::erase(&mut bm, &px_rules, ((dpi / 100.0).round() as usize).max(2));

    let mut reader = CellReader {
        img,
        gray,
        bm: &bm,
        dpi,
        tess,
        read: &mut read,
    };
    // Every cell of every table, then the text outside them, line by line.
    let mut covered: Vec<(usize, usize, usize, usize)> = Vec::new();
    for t in &tables {
        let (x0, y0) = img.to_px(t.bbox.x0, t.bbox.y1);
        let (x1, y1) = img.to_px(t.bbox.x1, t.bbox.y0);
        covered.push((
            x0.max(0.0) as usize,
            y0.max(0.0) as usize,
            x1.max(0.0) as usize,
            y1.max(0.0) as usize,
        ));
        for (ri, region) in t.regions.iter().enumerate() {
            let (x0, y0) = img.to_px(region.bbox.x0, region.bbox.y1);
            let (x1, y1) = img.to_px(region.bbox.x1, region.bbox.y0);
            // A merged cell need not be a rectangle: the parts of its box that belong to
            // other cells are left out of its crop (they are read with their own cell).
            let mut others = Vec::new();
            for row in region.row0..=region.row1 {
                for col in region.col0..=region.col1 {
                    if t.region_at(col, row) != ri {
                        let (a, b) = img.to_px(t.xs[col], t.ys[row]);
                        let (c, d) = img.to_px(t.xs[col + 1], t.ys[row + 1]);
                        others.push((
                            a.max(0.0) as usize,
                            b.max(0.0) as usize,
                            c.max(0.0) as usize,
                            d.max(0.0) as usize,
                        ));
                    }
                }
            }
            reader.cell(x0, y0, x1, y1, &others);
        }
    }
    if std::env::var_os("JISSEKI_SCAN_DEBUG").is_some() {
        eprintln!("page {}: tables {covered:?}", img.number);
    }
    reader.outside(&covered);
    Ok(read)
}

struct CellReader<'a> {
    img: &'a PageImage,
    /// The straightened page, for the crops' gray levels.
    gray: &'a Gray,
    bm: &'a bitmap::Bitmap,
    dpi: f32,
    tess: &'a mut ocr::Tess,
    read: &'a mut PageRead,
}

impl CellReader<'_> {
    /// Reads the cell with pixel box (x0, y0)–(x1, y1), its borders cut off.
    fn cell(
        &mut self,
        x0: f32,
        y0: f32,
        x1: f32,
        y1: f32,
        others: &[(usize, usize, usize, usize)],
    ) {
        let inset = (self.dpi * 0.02).max(2.0);
        let (x0, y0) = (
            (x0 + inset).max(0.0) as usize,
            (y0 + inset).max(0.0) as usize,
        );
        let x1 = ((x1 - inset).max(0.0) as usize).min(self.bm.w);
        let y1 = ((y1 - inset).max(0.0) as usize).min(self.bm.h);
        if x1 <= x0 + 2 || y1 <= y0 + 2 {
            return;
        }
        let mask = (!others.is_empty()).then_some(others);
        self.ocr_crop(x0, y0, x1, y1, mask);
    }

    /// Text outside the tables: bands of ink rows, each read as one line.
    fn outside(&mut self, covered: &[(usize, usize, usize, usize)]) {
        let (w, h) = (self.bm.w, self.bm.h);
        let pad = (self.dpi * 0.02) as usize;
        let is_covered = |x: usize, y: usize| {
            covered
                .iter()
                .any(|&(a, b, c, d)| x + pad >= a && x <= c + pad && y + pad >= b && y <= d + pad)
        };
        let mut row_ink = vec![(0usize, usize::MAX, 0usize); h]; // (count, min x, max x)
        for (y, slot) in row_ink.iter_mut().enumerate() {
            for x in 0..w {
                if self.bm.ink[y * w + x] != 0 && !is_covered(x, y) {
                    slot.0 += 1;
                    slot.1 = slot.1.min(x);
                    slot.2 = slot.2.max(x);
                }
            }
        }
        let gap = (self.dpi * 0.03) as usize + 1;
        let mut y = 0;
        while y < h {
            if row_ink[y].0 == 0 {
                y += 1;
                continue;
            }
            let start = y;
            let mut end = y;
            let mut k = y;
            while k < h && k <= end + gap {
                if row_ink[k].0 > 0 {
                    end = k;
                }
                k += 1;
            }
            let (lo, hi) = row_ink[start..=end]
                .iter()
                .fold((usize::MAX, 0), |(lo, hi), r| (lo.min(r.1), hi.max(r.2)));
            let margin = (self.dpi * 0.03) as usize;
            let band_h = end + 1 - start;
            if band_h as f32 >= self.dpi * 0.04 && band_h as f32 <= self.dpi * 1.0 {
                self.ocr_box_masked(
                    lo.saturating_sub(margin),
                    start.saturating_sub(margin),
                    (hi + margin + 1).min(w),
                    (end + margin + 1).min(h),
                    covered,
                );
            }
            y = end + 1;
        }
    }

    fn ocr_box_masked(
        &mut self,
        x0: usize,
        y0: usize,
        x1: usize,
        y1: usize,
        covered: &[(usize, usize, usize, usize)],
    ) {
        self.ocr_crop(x0, y0, x1, y1, Some(covered));
    }

    /// Crops, pads and scales the box, picks the segmentation mode, runs OCR and keeps the
    /// characters as glyphs in page space.
    fn ocr_crop(
        &mut self,
        x0: usize,
        y0: usize,
        x1: usize,
        y1: usize,
        mask: Option<&[(usize, usize, usize, usize)]>,
    ) {
        let cell = (x0, y0, x1, y1);
        let masked = |x: usize, y: usize| {
            mask.is_some_and(|m| {
                m.iter()
                    .any(|&(a, b, c, d)| x >= a && x <= c && y >= b && y <= d)
            })
        };
        // The ink's own box: Tesseract reads a tight crop (with a margin) far better than a
        // wide cell with a short word in it.
        let mut ink = 0usize;
        let (mut ix0, mut iy0, mut ix1, mut iy1) = (usize::MAX, usize::MAX, 0, 0);
        for y in y0..y1 {
            for x in x0..x1 {
                if self.bm.at(x, y) && !masked(x, y) {
                    ink += 1;
                    ix0 = ix0.min(x);
                    ix1 = ix1.max(x);
                    iy0 = iy0.min(y);
                    iy1 = iy1.max(y);
                }
            }
        }
        let min_ink = ((self.dpi / 300.0).powi(2) * 20.0) as usize;
        if ink < min_ink.max(4) {
            return;
        }
        // Text lines: bands of rows with ink, split where a blank row separates them, then
        // fragments (the parts of 三, a line of small marks) merged into their neighbours
        // while the result stays one line high. Each line is read on its own: a cell's short
        // last line, or two sizes of text in one cell, confuse Tesseract's own line finding.
        let (x0, y0, x1) = (ix0, iy0, ix1 + 1);
        let mut bands: Vec<(usize, usize)> = Vec::new();
        let mut start = None;
        for y in iy0..=iy1 + 1 {
            let has = y <= iy1 && (x0..x1).any(|x| self.bm.at(x, y) && !masked(x, y));
            match (has, start) {
                (true, None) => start = Some(y),
                (false, Some(s0)) => {
                    bands.push((s0, y));
                    start = None;
                }
                _ => {}
            }
        }
        // Lines set close together in a coarse or noisy scan touch (a descender, a speck, the
        // residue of skew), so no blank row separates them: split a band again where its
        // horizontal projection falls to a deep valley between two runs of text.
        let bands: Vec<(usize, usize)> = bands
            .into_iter()
            .flat_map(|b| self.split_band(b, x0, x1, &masked))
            .collect();
        let tallest = bands.iter().map(|b| b.1 - b.0).max().unwrap_or(0);
        let line_h = (tallest as f32).max(self.dpi * 0.08);
        let mut lines: Vec<(usize, usize)> = Vec::new();
        for b in bands {
            if let Some(last) = lines.last_mut() {
                let small = |h: usize| (h as f32) < 0.5 * line_h;
                let merged = (b.1 - last.0) as f32;
                if (small(b.1 - b.0) || small(last.1 - last.0)) && merged <= 1.2 * line_h {
                    last.1 = b.1;
                    continue;
                }
            }
            lines.push(b);
        }
        let _ = y0;
        for (ly0, ly1) in lines {
            // Each line's own horizontal extent, without specks standing far from its text
            // (noise of a gray scan; Tesseract reads a lone dot at a line's end as "-").
            let Some((lx0, lx1, ink)) = self.line_extent(x0, x1, ly0, ly1, &masked) else {
                continue;
            };
            // Not text: a speck, or a sliver of a border left at the cell's edge (Tesseract
            // reads both as ー).
            let thin = (ly1 - ly0) as f32 <= (self.dpi * 0.012).max(2.0);
            let at_edge =
                lx0 <= cell.0 + 1 || lx1 + 2 >= cell.2 || ly0 <= cell.1 + 1 || ly1 + 1 >= cell.3;
            if ink < min_ink.max(4) || (thin && at_edge) {
                continue;
            }
            // A band taller than any line (lines joined by something drawn across them) is
            // left to Tesseract's own line finding.
            let psm = if (ly1 - ly0) as f32 > self.dpi * 0.2 {
                ocr::PSM_SINGLE_BLOCK
            } else {
                ocr::PSM_SINGLE_LINE
            };
            if lx0 <= lx1 {
                self.ocr_line(lx0, ly0, lx1 + 1, ly1, mask, psm);
            }
        }
    }

    /// Splits a band of ink rows (y0..y1) at the deep valleys of its horizontal projection:
    /// rows with at most a tenth of the band's typical ink, with at least 1/20 inch of inked
    /// rows on either side. A band with no such valley is returned whole: the rows of a single
    /// line of CJK text are all well inked, so a line is not cut.
    fn split_band(
        &self,
        (y0, y1): (usize, usize),
        x0: usize,
        x1: usize,
        masked: &dyn Fn(usize, usize) -> bool,
    ) -> Vec<(usize, usize)> {
        let min_line = ((self.dpi * 0.05) as usize).max(4);
        if y1 - y0 < 2 * min_line {
            return vec![(y0, y1)];
        }
        let prof: Vec<usize> = (y0..y1)
            .map(|y| {
                (x0..x1)
                    .filter(|&x| self.bm.at(x, y) && !masked(x, y))
                    .count()
            })
            .collect();
        // The raw profile, not a smoothed one: the valley between touching lines can be a
        // single row, which smoothing would fill; noise is far under the limit anyway.
        let mut sorted = prof.clone();
        sorted.sort_unstable();
        let typical = sorted[sorted.len() * 3 / 4];
        let limit = typical / 10;
        let mut cuts = Vec::new();
        let mut last = 0usize;
        let mut i = min_line;
        while i + min_line <= prof.len() {
            if prof[i] <= limit {
                // The valley's run of low rows; cut at its lowest row.
                let mut j = i;
                while j + 1 < prof.len() && prof[j + 1] <= limit {
                    j += 1;
                }
                let cut = (i..=j).min_by_key(|&k| (prof[k], k)).unwrap_or(i);
                let above_ink = prof[last..i].iter().filter(|&&v| v > limit).count();
                let below_ink = prof[j + 1..].iter().filter(|&&v| v > limit).count();
                if cut >= last + min_line && above_ink >= min_line && below_ink >= min_line {
                    cuts.push(cut);
                    last = cut + 1;
                }
                i = j + 1;
            } else {
                i += 1;
            }
        }
        let mut out = Vec::with_capacity(cuts.len() + 1);
        let mut s = y0;
        for c in cuts {
            out.push((s, y0 + c));
            s = y0 + c + 1;
        }
        out.push((s, y1));
        out
    }

    /// The columns (first, last) and ink count of a line's ink between x0 and x1, rows
    /// y0..y1, leaving out small clusters of ink that stand more than two line heights away
    /// from the rest (specks); the largest cluster is always kept. `None` when there is none.
    fn line_extent(
        &self,
        x0: usize,
        x1: usize,
        y0: usize,
        y1: usize,
        masked: &dyn Fn(usize, usize) -> bool,
    ) -> Option<(usize, usize, usize)> {
        let cols: Vec<usize> = (x0..x1)
            .map(|x| {
                (y0..y1)
                    .filter(|&y| self.bm.at(x, y) && !masked(x, y))
                    .count()
            })
            .collect();
        let lh = y1 - y0;
        let far = 2 * lh.max(4);
        // Clusters of inked columns, split at gaps wider than `far`: (first, last, ink).
        let mut clusters: Vec<(usize, usize, usize)> = Vec::new();
        for (i, &c) in cols.iter().enumerate() {
            if c == 0 {
                continue;
            }
            match clusters.last_mut() {
                Some(last) if i - last.1 <= far => {
                    last.1 = i;
                    last.2 += c;
                }
                _ => clusters.push((i, i, c)),
            }
        }
        let biggest = clusters.iter().map(|c| c.2).max()?;
        let speck = (lh * lh / 16).max(4);
        let kept = clusters
            .iter()
            .filter(|c| c.2 == biggest || c.2 > speck)
            .fold(None, |acc: Option<(usize, usize, usize)>, c| {
                Some(match acc {
                    None => *c,
                    Some(a) => (a.0.min(c.0), a.1.max(c.1), a.2 + c.2),
                })
            })?;
        Some((x0 + kept.0, x0 + kept.1, kept.2))
    }

    /// Reads one line of text in the pixel box (x0, y0)–(x1, y1) and keeps its characters as
    /// glyphs in page space.
    fn ocr_line(
        &mut self,
        x0: usize,
        y0: usize,
        x1: usize,
        y1: usize,
        mask: Option<&[(usize, usize, usize, usize)]>,
        psm: i32,
    ) {
        let masked = |x: usize, y: usize| {
            mask.is_some_and(|m| {
                m.iter()
                    .any(|&(a, b, c, d)| x >= a && x <= c && y >= b && y <= d)
            })
        };
        let (cw, ch) = (x1 - x0, y1 - y0);
        // Scale small scans up to about 300 dpi; pad with paper (Tesseract wants a margin).
        let scale = if self.dpi < 280.0 {
            (300.0 / self.dpi).clamp(1.0, 4.0)
        } else {
            1.0
        };

        let pad = ((self.dpi * scale * 0.05) as usize).max(10);
        let sw = (cw as f32 * scale).round() as usize + 2 * pad;
        let sh = (ch as f32 * scale).round() as usize + 2 * pad;
        // The crop in gray (bilinear when scaled), with everything the cleaned bitmap does not
        // call ink nearby (paper, cell shading, specks, erased rules) made white, and the
        // background level (shading) stretched to white.
        let mut paper: Vec<u8> = Vec::with_capacity(cw * ch / 4 + 1);
        for y in (y0..y1).step_by(2) {
            for x in (x0..x1).step_by(2) {
                if !self.bm.at(x, y) {
                    paper.push(self.gray.get(x, y));
                }
            }
        }
        let bg = if paper.is_empty() {
            255
        } else {
            let mid = paper.len() / 2;
            *paper.select_nth_unstable(mid).1
        };
        let bg = f32::from(bg.max(128));
        // And the ink level (a dark percentile of the ink) stretched to black: light or
        // low-contrast print reads as well as dark.
        let mut inkv: Vec<u8> = Vec::with_capacity(cw * ch / 4 + 1);
        for y in (y0..y1).step_by(2) {
            for x in (x0..x1).step_by(2) {
                if self.bm.at(x, y) {
                    inkv.push(self.gray.get(x, y));
                }
            }
        }
        let ink = if inkv.is_empty() {
            0.0
        } else {
            let k = inkv.len() / 10;
            f32::from(*inkv.select_nth_unstable(k).1)
        };
        let ink = ink.min(bg - 32.0).max(0.0);
        let near_ink = |x: usize, y: usize| {
            let (xa, xb) = (x.saturating_sub(1), (x + 1).min(self.bm.w - 1));
            let (ya, yb) = (y.saturating_sub(1), (y + 1).min(self.bm.h - 1));
            (ya..=yb).any(|yy| (xa..=xb).any(|xx| self.bm.at(xx, yy) && !masked(xx, yy)))
        };
        let mut px = vec![255u8; sw * sh];
        for y in 0..sh - 2 * pad {
            let fy = y0 as f32 + (y as f32 + 0.5) / scale - 0.5;
            let sy = (fy.round().max(0.0) as usize).min(self.bm.h - 1);
            for x in 0..sw - 2 * pad {
                let fx = x0 as f32 + (x as f32 + 0.5) / scale - 0.5;
                let sx = (fx.round().max(0.0) as usize).min(self.bm.w - 1);
                if !near_ink(sx, sy) {
                    continue;
                }
                let v = if scale > 1.0 {
                    bilinear(self.gray, fx, fy)
                } else {
                    f32::from(self.gray.get(sx, sy))
                };
                px[(y + pad) * sw + x + pad] =
                    ((v - ink) * 255.0 / (bg - ink)).clamp(0.0, 255.0) as u8;
            }
        }
        let ppi = (self.dpi * scale).round() as u32;
        let mut symbols = self.tess.recognize(&px, sw, sh, ppi, psm);
        if psm == ocr::PSM_SINGLE_LINE && mean_conf(&symbols) < RETRY_CONFIDENCE {
            // Single-line mode drops some short lines (a three-character department name)
            // and misreads others; the raw-line mode reads them. Keep the surer reading.
            let raw = self.tess.recognize(&px, sw, sh, ppi, ocr::PSM_RAW_LINE);
            if mean_conf(&raw) > mean_conf(&symbols) {
                symbols = raw;
            }
        }
        if let Some(m) = mask {
            // Text outside the tables only: what lies inside one was read with its cell.
            symbols.retain(|s| {
                let cx = x0 as f32 + ((s.x0 + s.x1) as f32 / 2.0 - pad as f32) / scale;
                let cy = y0 as f32 + ((s.y0 + s.y1) as f32 / 2.0 - pad as f32) / scale;
                !m.iter().any(|&(a, b, c, d)| {
                    cx >= a as f32 && cx <= c as f32 && cy >= b as f32 && cy <= d as f32
                })
            });
        }
        let fixes = self.second_reading(&px, sw, sh, ppi, &mut symbols);
        debug_dump(
            self.img.number,
            (x0, y0, x1, y1),
            psm,
            &px,
            sw,
            sh,
            &symbols,
        );
        // Back to page pixels, then page points.
        let to_page = |x: i32, y: i32| {
            let fx = x0 as f32 + (x as f32 - pad as f32) / scale;
            let fy = y0 as f32 + (y as f32 - pad as f32) / scale;
            self.img.to_page(fx, fy)
        };
        let mut doubt: Option<(String, f32, [f32; 4])> = None;
        let first = self.read.glyphs.len();
        for (i, s) in symbols.iter().enumerate() {
            let (lx0, ly_top) = to_page(s.x0, s.line_y0);
            let (lx1, ly_bot) = to_page(s.x1, s.line_y1);
            let size = (ly_top - ly_bot).abs().max(1.0);
            let mut bx = [
                lx0.min(lx1),
                ly_bot.min(ly_top),
                lx0.max(lx1),
                ly_bot.max(ly_top),
            ];
            let same_line = i > 0 && symbols[i - 1].line_y0 == s.line_y0;
            if same_line {
                // Tesseract's order is the reading order and its word breaks say where a
                // space is; character boxes are rough (they overlap, or leave holes inside
                // words). Keep the order (x0 never decreases) and make the gaps say what
                // Tesseract said: touching inside a word, at least an em at a real space.
                let prev = &mut self.read.glyphs[first + i - 1];
                let gap = bx[0] - prev.1[2];
                let latin = !is_wide(&prev.0) && !is_wide(&s.text);
                let space = s.word_start
                    && if latin {
                        gap > 0.12 * size
                    } else {
                        gap > 1.2 * size
                    };
                if space {
                    prev.1[2] = prev.1[2].min(bx[0] - size).max(prev.1[0] + 0.01);
                } else {
                    prev.1[2] = prev.1[2].max(bx[0]);
                }
                bx[0] = bx[0].max(prev.1[0] + 0.01);
                bx[2] = bx[2].max(bx[0] + 0.01);
            }
            self.read.glyphs.push((s.text.clone(), bx, size));
            // Low-confidence runs of one line become doubts.
            if s.sureness() < DOUBT_CONFIDENCE && same_line {
                if let Some(d) = &mut doubt {
                    d.0.push_str(&s.text);
                    d.1 = d.1.min(s.sureness());
                    d.2 = [
                        d.2[0].min(bx[0]),
                        d.2[1].min(bx[1]),
                        d.2[2].max(bx[2]),
                        d.2[3].max(bx[3]),
                    ];
                    continue;
                }
            }
            self.read.doubts.extend(doubt.take());
            if s.sureness() < DOUBT_CONFIDENCE {
                doubt = Some((s.text.clone(), s.sureness(), bx));
            }
        }
        self.read.doubts.extend(doubt);
        for (from, to, rule, (a, b, c, d)) in fixes {
            let (p0, p1) = (to_page(a, b), to_page(c, d));
            self.read.fixes.push((
                from,
                to,
                rule.to_string(),
                [
                    p0.0.min(p1.0),
                    p0.1.min(p1.1),
                    p0.0.max(p1.0),
                    p0.1.max(p1.1),
                ],
            ));
        }
    }

    /// Reads again, with the second model, what the Japanese model is known to get wrong in
    /// a line's crop `px` (`w` × `h`): numbers with `%` or separators, and the digit inside a
    /// circled number. A second reading replaces the first only when it is well formed and
    /// differs in the way the first model errs; every replacement is returned (from, to,
    /// rule, box in crop pixels) to be listed as a correction.
    fn second_reading(
        &mut self,
        px: &[u8],
        w: usize,
        h: usize,
        ppi: u32,
        symbols: &mut Vec<ocr::Symbol>,
    ) -> Vec<LineFix> {
        let mut fixes = Vec::new();
        let numeric = |t: &str| {
            t.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '%' | '％'))
        };
        let mut i = 0;
        while i < symbols.len() {
            if !numeric(&symbols[i].text) {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < symbols.len()
                && numeric(&symbols[j].text)
                && symbols[j].line_y0 == symbols[i].line_y0
            {
                j += 1;
            }
            let first: String = symbols[i..j].iter().map(|s| s.text.as_str()).collect();
            if j - i < 2 && !first.contains(['%', '％']) {
                i = j;
                continue;
            }
            let run = &symbols[i..j];
            let (rx0, rx1) = (
                run.iter().map(|s| s.x0).min().unwrap_or(0),
                run.iter().map(|s| s.x1).max().unwrap_or(0),
            );
            let ry0 = run.iter().map(|s| s.y0.min(s.line_y0)).min().unwrap_or(0);
            let ry1 = run.iter().map(|s| s.y1.max(s.line_y1)).max().unwrap_or(0);
            // The crop: from the middle of the symbol before to the middle of the one after.
            // Tesseract's symbol boxes are rough (shifted by a few pixels, or one box
            // swallowing its neighbours), so a crop of the run's own boxes can clip a digit;
            // the halves of the neighbours it includes read as letters or signs, which are
            // not part of the number the second model reads.
            let m = (ry1 - ry0) / 3;
            let lo = if i > 0 {
                (symbols[i - 1].x0 + symbols[i - 1].x1) / 2
            } else {
                rx0 - m
            };
            let hi = if j < symbols.len() {
                (symbols[j].x0 + symbols[j].x1) / 2
            } else {
                rx1 + m
            };
            let bx = (lo.min(rx0), ry0, hi.max(rx1), ry1);
            let Some(read) = self.read_second(px, w, h, ppi, bx, ocr::PSM_SINGLE_LINE, None) else {
                i = j;
                continue;
            };
            // The second model's numeric runs; the first that passes replaces the first model's.
            let mut found = None;
            let mut a = 0;
            while a < read.len() {
                if !numeric(&read[a].text) {
                    a += 1;
                    continue;
                }
                let mut b = a + 1;
                while b < read.len() && numeric(&read[b].text) {
                    b += 1;
                }
                let second: String = read[a..b].iter().map(|s| s.text.as_str()).collect();
                if std::env::var_os("JISSEKI_SCAN_DEBUG").is_some() {
                    eprintln!(
                        "page {}: second reading {first:?} → {second:?}",
                        self.img.number
                    );
                }
                if let Some(to) = better_number(&first, &second) {
                    found = Some((to, read[a..b].to_vec()));
                    break;
                }
                a = b;
            }
            if let Some((to, read)) = found {
                let mut new: Vec<ocr::Symbol> = read
                    .into_iter()
                    .enumerate()
                    .map(|(k, mut s)| {
                        s.word_start = k == 0 && symbols[i].word_start;
                        s.line_y0 = symbols[i].line_y0;
                        s.line_y1 = symbols[i].line_y1;
                        s
                    })
                    .collect();
                new.retain(|s| !s.text.trim().is_empty());
                fixes.push((first, to, "ocr_second_reading", (rx0, ry0, rx1, ry1)));
                let n = new.len();
                symbols.splice(i..j, new);
                i += n;
            } else {
                i = j;
            }
        }
        let mut k = 0;
        while k < symbols.len() {
            let Some(n) = circled_value(&symbols[k].text) else {
                k += 1;
                continue;
            };
            // A symbol after the circled number that lies mostly on it is the ring read a
            // second time (the bottom of ② read as の in a coarse scan): it goes.
            if let Some(next) = symbols.get(k + 1) {
                let s = &symbols[k];
                // The ring: the largest piece of ink the circled number's box touches (its
                // box may be narrower than the glyph). The next symbol is the ring again when
                // its box lies mostly inside the ring's.
                let ring = ring_box(px, w, h, (s.x0, s.y0, s.x1, s.y1));
                let within = ring.is_some_and(|(a, _, c, _)| {
                    let overlap = c.min(next.x1) - a.max(next.x0);
                    overlap * 10 >= 8 * (next.x1 - next.x0) && (c - a) * 10 >= 8 * (s.y1 - s.y0)
                });
                if within && !is_wide_ring_neighbour(&next.text) {
                    let from = format!("{}{}", s.text, next.text);
                    let bx = (s.x0, s.y0, s.x1.max(next.x1), s.y1.max(next.y1));
                    let to = s.text.clone();
                    symbols.remove(k + 1);
                    fixes.push((from, to, "ocr_circled_digit", bx));
                }
            }
            let s = &symbols[k];
            let bx = (s.x0, s.y0, s.x1, s.y1);
            // Under 250 dpi the number inside a ring is a dozen pixels high and joins the
            // ring: read alone it is no surer than the whole glyph (measured: wrong or empty
            // on the 200 dpi scan, right on every item number at 300 dpi).
            // Two circled numbers side by side are one glyph split in two (◎ read ⑥⑯), not
            // numbers to read again.
            let twin =
                |o: Option<&ocr::Symbol>| o.is_some_and(|o| circled_value(&o.text).is_some());
            if self.dpi < 250.0
                || twin(symbols.get(k + 1))
                || twin(k.checked_sub(1).and_then(|p| symbols.get(p)))
            {
                k += 1;
                continue;
            }
            if let Some(m) = self.inner_digit(px, w, h, ppi, bx) {
                if m != n {
                    let to = circled(m).to_string();
                    let from = std::mem::replace(&mut symbols[k].text, to.clone());
                    fixes.push((from, to, "ocr_circled_digit", bx));
                }
            }
            k += 1;
        }
        fixes
    }

    /// The second model's reading of the box `bx` of the crop `px`, padded with paper, in
    /// mode `psm` (and with `whitelist`); symbol boxes in the crop's pixels.
    #[allow(clippy::too_many_arguments)]
    fn read_second(
        &mut self,
        px: &[u8],
        w: usize,
        h: usize,
        ppi: u32,
        (x0, y0, x1, y1): (i32, i32, i32, i32),
        psm: i32,
        whitelist: Option<&str>,
    ) -> Option<Vec<ocr::Symbol>> {
        let (x0, y0) = (x0.max(0) as usize, y0.max(0) as usize);
        let (x1, y1) = ((x1.max(0) as usize).min(w), (y1.max(0) as usize).min(h));
        if x1 <= x0 + 1 || y1 <= y0 + 1 {
            return None;
        }
        let pad = (y1 - y0).max(10);
        let (cw, ch) = (x1 - x0 + 2 * pad, y1 - y0 + 2 * pad);
        let mut out = vec![255u8; cw * ch];
        for y in y0..y1 {
            let row = &px[y * w + x0..y * w + x1];
            out[(y - y0 + pad) * cw + pad..(y - y0 + pad) * cw + pad + (x1 - x0)]
                .copy_from_slice(row);
        }
        let second = self.tess.second()?;
        if let Some(wl) = whitelist {
            second.set_var("tessedit_char_whitelist", wl);
        }
        let mut read = second.recognize(&out, cw, ch, ppi, psm);
        if whitelist.is_some() {
            second.set_var("tessedit_char_whitelist", "");
        }
        for s in &mut read {
            let (dx, dy) = (x0 as i32 - pad as i32, y0 as i32 - pad as i32);
            s.x0 += dx;
            s.x1 += dx;
            s.y0 += dy;
            s.y1 += dy;
        }
        Some(read)
    }

    /// The number inside a circled-number glyph at `bx` of the crop: the ring (the largest
    /// connected piece of ink, as wide and high as the glyph) is erased and what is inside it
    /// is read, enlarged, by the second model restricted to digits. The Japanese model tells
    /// the circled numbers apart poorly (② read ③, ⑨); the digit alone is easy.
    fn inner_digit(
        &mut self,
        px: &[u8],
        w: usize,
        h: usize,
        ppi: u32,
        (x0, y0, x1, y1): (i32, i32, i32, i32),
    ) -> Option<u32> {
        let (x0, y0) = (x0.max(0) as usize, y0.max(0) as usize);
        let (x1, y1) = (
            (x1.max(0) as usize + 1).min(w),
            (y1.max(0) as usize + 1).min(h),
        );
        let (bw, bh) = (x1.checked_sub(x0)?, y1.checked_sub(y0)?);
        if bw < 8 || bh < 8 {
            return None;
        }
        let ink: Vec<bool> = (0..bw * bh)
            .map(|i| px[(y0 + i / bw) * w + x0 + i % bw] < 128)
            .collect();
        let comps = components(&ink, bw, bh);
        let ring = comps.iter().max_by_key(|c| (c.2 - c.0) * (c.3 - c.1))?;
        // The ring spans the glyph; else this is not a ring and a digit.
        if ((ring.2 - ring.0) as f32) < 0.7 * bw as f32
            || ((ring.3 - ring.1) as f32) < 0.7 * bh as f32
        {
            return None;
        }
        // What lies well inside the ring's circle is the number: erase the rest (the ring,
        // also where a coarse scan joins it to the digit).
        let (cx, cy) = (
            (ring.0 + ring.2) as f32 / 2.0,
            (ring.1 + ring.3) as f32 / 2.0,
        );
        let r = ((ring.2 - ring.0).min(ring.3 - ring.1)) as f32 / 2.0;
        let inner = |x: usize, y: usize| {
            let (dx, dy) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
            (dx * dx + dy * dy).sqrt() < 0.7 * r
        };
        let (mut ix0, mut iy0, mut ix1, mut iy1) = (usize::MAX, usize::MAX, 0, 0);
        for y in 0..bh {
            for x in 0..bw {
                if ink[y * bw + x] && inner(x, y) {
                    ix0 = ix0.min(x);
                    iy0 = iy0.min(y);
                    ix1 = ix1.max(x + 1);
                    iy1 = iy1.max(y + 1);
                }
            }
        }
        if ix1 <= ix0 + 1 || iy1 <= iy0 + 2 {
            return None;
        }
        // The number alone, three times enlarged (it is a third of a line high), on paper.
        let scale = 3usize;
        let pad = 12usize;
        let (dw, dh) = ((ix1 - ix0) * scale + 2 * pad, (iy1 - iy0) * scale + 2 * pad);
        let mut out = vec![255u8; dw * dh];
        for y in 0..(iy1 - iy0) * scale {
            for x in 0..(ix1 - ix0) * scale {
                let (sx, sy) = (ix0 + x / scale, iy0 + y / scale);
                if inner(sx, sy) {
                    out[(y + pad) * dw + x + pad] = px[(y0 + sy) * w + x0 + sx];
                }
            }
        }
        let second = self.tess.second()?;
        second.set_var("tessedit_char_whitelist", "0123456789");
        let read = second.recognize(&out, dw, dh, ppi * scale as u32, ocr::PSM_SINGLE_WORD);
        second.set_var("tessedit_char_whitelist", "");
        let text: String = read.iter().map(|s| s.text.as_str()).collect();
        let conf = read.iter().map(|s| s.conf).fold(100.0f32, f32::min);
        if std::env::var_os("JISSEKI_SCAN_DEBUG").is_some() {
            eprintln!(
                "page {}: inner digit {text:?} conf {conf:.0}",
                self.img.number
            );
        }
        if conf < 90.0 {
            return None;
        }
        let n: u32 = text.trim().parse().ok()?;
        (1..=20).contains(&n).then_some(n)
    }
}

/// The boxes (x0, y0, x1, y1, exclusive) of the connected pieces of ink (8-neighbours) of a
/// `w` × `h` mask.
fn components(ink: &[bool], w: usize, h: usize) -> Vec<(usize, usize, usize, usize)> {
    let mut seen = vec![false; ink.len()];
    let mut out = Vec::new();
    for start in 0..ink.len() {
        if !ink[start] || seen[start] {
            continue;
        }
        let mut stack = vec![start];
        seen[start] = true;
        let (mut a, mut b, mut c, mut d) = (usize::MAX, usize::MAX, 0, 0);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            a = a.min(x);
            b = b.min(y);
            c = c.max(x + 1);
            d = d.max(y + 1);
            for dy in -1i32..=1 {
                for dx in -1i32..=1 {
                    let (nx, ny) = (x as i32 + dx, y as i32 + dy);
                    if nx < 0 || ny < 0 || nx >= w as i32 || ny >= h as i32 {
                        continue;
                    }
                    let j = ny as usize * w + nx as usize;
                    if ink[j] && !seen[j] {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        out.push((a, b, c, d));
    }
    out
}

/// Not the ring read again: a digit or sign that may follow a circled number.
fn is_wide_ring_neighbour(t: &str) -> bool {
    t.chars().all(|c| c.is_ascii_alphanumeric()) || circled_value(t).is_some()
}

/// The box (x0, y0, x1, y1) of the largest connected piece of ink of the crop `px` that
/// touches the box `b`, searched within a square around it as wide as its height.
fn ring_box(
    px: &[u8],
    w: usize,
    h: usize,
    (x0, y0, x1, y1): (i32, i32, i32, i32),
) -> Option<(i32, i32, i32, i32)> {
    let side = (y1 - y0).max(x1 - x0);
    let (ax, ay) = ((x0 - side).max(0) as usize, y0.max(0) as usize);
    let (bx, by) = (
        ((x1 + side).max(0) as usize).min(w),
        (y1.max(0) as usize).min(h),
    );
    let (bw, bh) = (bx.checked_sub(ax)?, by.checked_sub(ay)?);
    let ink: Vec<bool> = (0..bw * bh)
        .map(|i| px[(ay + i / bw) * w + ax + i % bw] < 128)
        .collect();
    components(&ink, bw, bh)
        .into_iter()
        .map(|c| {
            (
                c.0 as i32 + ax as i32,
                c.1 as i32 + ay as i32,
                c.2 as i32 + ax as i32,
                c.3 as i32 + ay as i32,
            )
        })
        .filter(|c| c.0 < x1 && c.2 > x0)
        .max_by_key(|c| (c.2 - c.0) * (c.3 - c.1))
}

/// A correction inside a line's crop: from, to, rule, box in the crop's pixels.
type LineFix = (String, String, &'static str, (i32, i32, i32, i32));

/// ① … ⑳ → 1 … 20.
fn circled_value(t: &str) -> Option<u32> {
    let mut cs = t.chars();
    let c = cs.next()?;
    if cs.next().is_some() {
        return None;
    }
    ('\u{2460}'..='\u{2473}')
        .contains(&c)
        .then(|| c as u32 - 0x2460 + 1)
}

fn circled(n: u32) -> char {
    char::from_u32(0x2460 + n - 1).unwrap_or('?')
}

/// The second model's reading of a number, when it should replace the first: it must be a
/// well-formed number (`50`, `50%`, `15,821`, `7.2%`), differ from the first, keep a `%` the
/// first had, and its digits must be the first's, or (when it has a `%`) a prefix of them
/// short by at most two: the Japanese model reads `%` as `9`, `96` or `%%`, never drops or
/// changes other digits.
fn better_number(first: &str, second: &str) -> Option<String> {
    let second: String = second.chars().filter(|c| !c.is_whitespace()).collect();
    let first: String = first.replace('％', "%");
    if second == first || !well_formed_number(&second) {
        return None;
    }
    if first.contains('%') && !second.contains('%') {
        return None;
    }
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let (fd, sd) = (digits(&first), digits(&second));
    // The same digits: only separators changed, or a doubled `%` (`46%%`) became one; a
    // `%` the first reading did not see at all is not added to them.
    let ok = (fd == sd && first.contains('%') == second.contains('%'))
        || (second.ends_with('%')
            && fd.starts_with(&sd)
            && fd.len() > sd.len()
            && fd.len() - sd.len() <= 2);
    ok.then_some(second)
}

/// `50`, `50%`, `15,821`, `7.2%`, `1234.5`: digits in groups of three after the first when
/// there are commas, an optional decimal part, an optional final `%`.
fn well_formed_number(s: &str) -> bool {
    let body = s.strip_suffix('%').unwrap_or(s);
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if frac.is_some_and(|f| f.is_empty() || !f.chars().all(|c| c.is_ascii_digit())) {
        return false;
    }
    let groups: Vec<&str> = int.split(',').collect();
    let all_digits = |g: &str| !g.is_empty() && g.chars().all(|c| c.is_ascii_digit());
    if !groups.iter().all(|g| all_digits(g)) {
        return false;
    }
    groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3))
}

fn mean_conf(symbols: &[ocr::Symbol]) -> f32 {
    if symbols.is_empty() {
        return 0.0;
    }
    symbols.iter().map(|s| s.conf).sum::<f32>() / symbols.len() as f32
}

fn bilinear(g: &Gray, x: f32, y: f32) -> f32 {
    let x = x.clamp(0.0, (g.w - 1) as f32);
    let y = y.clamp(0.0, (g.h - 1) as f32);
    let (x0, y0) = (x as usize, y as usize);
    let (x1, y1) = ((x0 + 1).min(g.w - 1), (y0 + 1).min(g.h - 1));
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let p = |xx: usize, yy: usize| f32::from(g.get(xx, yy));
    let top = p(x0, y0) * (1.0 - fx) + p(x1, y0) * fx;
    let bot = p(x0, y1) * (1.0 - fx) + p(x1, y1) * fx;
    top * (1.0 - fy) + bot * fy
}

/// Full-width text (CJK, kana, full-width forms): no spaces between such characters.
fn is_wide(s: &str) -> bool {
    s.chars()
        .any(|c| c as u32 >= 0x2E80 || ('\u{2460}'..='\u{24FF}').contains(&c))
}

/// Dev aid: with `JISSEKI_SCAN_DEBUG=DIR`, every OCR crop is written to DIR as a PGM image and
/// what Tesseract read of it (with confidences) to `DIR/pN.txt`.
fn debug_dump(
    page: u32,
    b: (usize, usize, usize, usize),
    psm: i32,
    px: &[u8],
    w: usize,
    h: usize,
    symbols: &[ocr::Symbol],
) {
    use std::io::Write;
    let Some(dir) = std::env::var_os("JISSEKI_SCAN_DEBUG") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let name = format!("p{page}_{}_{}", b.0, b.1);
    let mut img = format!("P5 {w} {h} 255\n").into_bytes();
    img.extend_from_slice(px);
    let _ = std::fs::write(dir.join(format!("{name}.pgm")), img);
    let text: String = symbols
        .iter()
        .map(|s| {
            let sep = if s.word_start { " " } else { "" };
            format!(
                "{sep}{}{}",
                s.text,
                if s.conf < DOUBT_CONFIDENCE {
                    format!("[{:.0}]", s.conf)
                } else {
                    String::new()
                }
            )
        })
        .collect();
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(format!("p{page}.txt")))
    {
        let _ = writeln!(f, "{name} {b:?} psm {psm}: {text}");
    }
}
