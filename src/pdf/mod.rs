//! PDF front end: PDF bytes → glyphs and ruling lines per page (`content`) → Rows (`table`).
//!
//! The glyph stage interprets content streams itself on top of lopdf (objects, streams) and
//! hayro-cmap (predefined Japanese CMaps); see docs/pdf-backend.md for why.

use crate::diag::WarningCode;
use crate::rows::{BBox, LayoutHints};

mod cmap;
mod compact;
pub mod content;
mod encoding;
mod font;
mod fxhash;
mod graphics;
mod interp;
mod lexer;
pub(crate) mod objects;
pub mod outline;
mod predefined;
mod program;
mod std_glyphs;

mod borderless;
pub(crate) mod grid;
mod lines;
pub mod table;

pub use content::{read, read_pages, DocInfo, Limits};

/// One glyph (or a ligature / multi-char ToUnicode mapping) with its box on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Unicode text of the glyph, already mapped (ToUnicode, predefined CMap, encoding). Held
    /// inline (up to 24 bytes): a page has thousands of glyphs of a character or two, and one
    /// allocation each was a quarter of all allocations reading a report.
    pub text: compact_str::CompactString,
    /// Glyph box in page space (points, origin bottom-left, after CTM and text matrix).
    pub bbox: BBox,
    /// Effective font size in points (text matrix and CTM applied).
    pub size: f32,
    /// Set for vertical-writing (-V) fonts.
    pub vertical: bool,
}

/// A glyph drawn from its font program's outline: em units → page space by `to_page`
/// (a, b, c, d, e, f as in PDF matrices).
#[derive(Debug, Clone, PartialEq)]
pub struct DrawnGlyph {
    pub outline: std::sync::Arc<outline::Outline>,
    pub to_page: [f32; 6],
}

/// A straight stroked line or a thin filled rectangle used as a rule, in page space.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

/// An image XObject drawn on a page: its object and the page-space box it covers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlacedImage {
    pub id: lopdf::ObjectId,
    pub bbox: BBox,
}

/// What the glyph stage found on one page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageContent {
    /// 1-based page number.
    pub number: u32,
    /// MediaBox (or CropBox) width and height in points.
    pub width: f32,
    pub height: f32,
    /// /Rotate: how far the page turns clockwise when shown (0, 90, 180 or 270). Glyphs and
    /// rules are in the unturned page space; only painting for OCR (`scan::drawn`) turns it.
    pub rotate: u16,
    /// Glyphs in content-stream order, overstrike duplicates already dropped.
    pub glyphs: Vec<Glyph>,
    /// Horizontal and vertical rules: stroked segments and rectangle edges, and thin filled
    /// rectangles. Curves are ignored.
    pub rules: Vec<Rule>,
    /// Filled rectangles that are not thin (cell shading), kept for grid detection.
    pub fills: Vec<BBox>,
    /// Number of images drawn (to tell a scan from an empty page).
    pub images: u32,
    /// Image XObjects drawn by reference, with the box they cover (at most 64 a page): the
    /// scan front end reads the page-covering one.
    pub placed_images: Vec<PlacedImage>,
    /// Glyphs whose font had no usable Unicode mapping (they are not in `glyphs`).
    pub unmapped_glyphs: u32,
    /// Glyphs read by taking their font's character codes as Unicode, for a font that maps
    /// them no other way (see `Font::code_as_unicode`): in `glyphs`, but a guess.
    pub guessed_glyphs: u32,
    /// Of `guessed_glyphs`, those read as glyph ids of the system font the PDF names (see
    /// `Font::system_glyph`).
    pub system_font_glyphs: u32,
    /// Unmapped glyphs whose font program could draw them (at most `Limits::max_glyphs_per_page`):
    /// what OCR reads when a document's text is in such fonts only (`scan::drawn`).
    pub drawn: Vec<DrawnGlyph>,
    /// Unmapped glyphs that could not be drawn either (no embedded TrueType or CFF program,
    /// a glyph it lacks, over the limit); blank glyphs (spaces) are neither.
    pub undrawn_glyphs: u32,
    /// Entries in the page's /Annots (their text is not read).
    pub annotations: u32,
    /// What could not be read on this page, one message each ("page 3: …"); empty when the
    /// whole page was read.
    pub problems: Vec<String>,
    /// Set when the page could not be read at all (over a limit, a parser failure): its
    /// glyphs, rules and images are empty and `problems` says why.
    pub skipped: bool,
}

/// The whole document as the glyph stage returns it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PdfContent {
    pub pages: Vec<PageContent>,
    /// /Producer from the document information dictionary.
    pub producer: Option<String>,
    /// Problems that concern the document rather than one page.
    pub problems: Vec<String>,
}

/// What the PDF front end hands to the shared stages.
pub struct PdfRows {
    pub rows: Vec<crate::rows::Row>,
    pub pages: u32,
    pub producer: Option<String>,
    /// `page_unreadable` warnings for pages whose text could not be (fully) read.
    pub diag: crate::diag::Diag,
}

/// PDF bytes → Rows (glyph stage, then table stage per page), with the page count and
/// /Producer. Pages are turned into Rows as they are read, so only one page's glyphs are held
/// at a time (but for pages with text in fonts without any mapping, which wait to be read by
/// OCR together: at most `MAX_PENDING` of them once other text has mapped). A PDF from which no text comes out is an error that says why: a scan (images
/// only), fonts without a Unicode mapping, or no text at all.
pub fn rows(bytes: &[u8]) -> crate::error::Result<PdfRows> {
    rows_with(bytes, &LayoutHints::default())
}

/// [`rows`] with what the profiles say of the layout (captions, year headers), which tables
/// without rules need.
///
/// With a second core ([`crate::cores::second_core_free`]), the stages run side by side: this
/// thread interprets each page's content while one helper decodes the next page's content
/// streams and another cuts the pages read before into rows (a page is handed over whole, at
/// most two waiting). Interpreting is the longest stage, so the two helpers share the second
/// core.
pub fn rows_with(bytes: &[u8], hints: &LayoutHints) -> crate::error::Result<PdfRows> {
    let builder = || RowsBuilder {
        hints: hints.clone(),
        ..RowsBuilder::default()
    };
    if !crate::cores::second_core_free() {
        return rows_in_turn(bytes, builder());
    }
    std::thread::scope(|scope| {
        let (pages, waiting) = std::sync::mpsc::sync_channel::<PageContent>(2);
        let cutter = std::thread::Builder::new()
            .name("pdf-rows".into())
            .spawn_scoped(scope, move || {
                let mut acc = builder();
                for page in waiting {
                    acc.add(page);
                }
                acc
            });
        let Ok(cutter) = cutter else {
            // No thread to be had: both stages here.
            return rows_in_turn(bytes, builder());
        };
        let info = content::read_pages_with(bytes, &Limits::default(), true, |page| {
            // The cutter only stops early by panicking, which `join` reports below.
            let _ = pages.send(page);
        });
        drop(pages);
        let acc = cutter
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        let info = info?;
        acc.finish(info.pages, info.producer, &info.problems)
    })
}

/// Both stages on this thread, page after page.
fn rows_in_turn(bytes: &[u8], mut acc: RowsBuilder) -> crate::error::Result<PdfRows> {
    let info = read_pages(bytes, &Limits::default(), |page| acc.add(page))?;
    acc.finish(info.pages, info.producer, &info.problems)
}

/// The second half of [`rows`] for a document already read: what the glyph stage found →
/// Rows, with `page_unreadable` warnings for pages (or parts of pages) that could not be read.
pub fn rows_from_content(content: PdfContent) -> crate::error::Result<PdfRows> {
    rows_from_content_with(content, &LayoutHints::default())
}

/// [`rows_from_content`] with layout hints (see [`rows_with`]).
pub fn rows_from_content_with(
    content: PdfContent,
    hints: &LayoutHints,
) -> crate::error::Result<PdfRows> {
    let mut acc = RowsBuilder {
        hints: hints.clone(),
        ..RowsBuilder::default()
    };
    let pages = u32::try_from(content.pages.len()).unwrap_or(u32::MAX);
    for page in content.pages {
        acc.add(page);
    }
    acc.finish(pages, content.producer, &content.problems)
}

/// Rows and warnings gathered page by page, and what is needed to tell why a document gave
/// no text.
#[derive(Default)]
struct RowsBuilder {
    /// What the profiles say of the layout (captions, year headers).
    hints: LayoutHints,
    /// Each page's rows, joined where a page break cut a row when the last page is in.
    pages: Vec<table::PageRows>,
    /// Pages holding text in fonts without any mapping but with programs to draw it, kept to
    /// be read by OCR in parallel when all pages are in; their rows' places in `pages` are
    /// held by empty ones meanwhile.
    pending: Vec<Pending>,
    diag: crate::diag::Diag,
    glyphs: usize,
    images: u32,
    image_pages: u32,
    unmapped: u32,
    unmapped_pages: u32,
    annotations: u32,
    skipped: u32,
}

/// Pages waiting for OCR of their drawn glyphs that are read as soon as there are this many
/// (one per core of a large machine; each holds its glyphs and outlines).
const MAX_PENDING: usize = 16;

/// A page waiting for OCR of its drawn glyphs.
struct Pending {
    page: PageContent,
    /// Its index in `RowsBuilder::pages`.
    at: usize,
    /// How many warnings came before it: its own go there, so they stay in page order.
    warned: usize,
}

impl RowsBuilder {
    fn add(&mut self, page: PageContent) {
        for why in &page.problems {
            self.diag
                .warn(WarningCode::PageUnreadable, None, None, why.clone());
        }
        if page.skipped {
            self.skipped += 1;
            return;
        }
        if !page.drawn.is_empty() {
            self.pending.push(Pending {
                at: self.pages.len(),
                warned: self.diag.warnings.len(),
                page,
            });
            self.pages.push(table::PageRows::default());
            // Read now and then rather than all at the end, so that a long document does
            // not hold every such page (once other text has mapped: a document where none
            // maps is read as a scan instead).
            if self.pending.len() >= MAX_PENDING && self.text_mapped() {
                self.read_pending();
            }
            return;
        }
        let mut diag = std::mem::take(&mut self.diag);
        let rows = self.settle(page, None, &mut diag);
        self.diag = diag;
        self.pages.push(rows);
    }

    /// Text in a font that maps to no characters, on pages of a document with text that
    /// maps (a heading or a number in such a font, or whole pages): its glyphs painted and
    /// read by OCR, placed with the page's other glyphs before the table stage. The pages are
    /// read in parallel on the current thread pool. A document with no mapped text at all is
    /// left as it is: it is read as a scan instead (`scan::read_unmapped`).
    fn read_pending(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let mapped = self.text_mapped();
        let pending = std::mem::take(&mut self.pending);
        let reads: Vec<Option<Result<Vec<Glyph>, String>>> = if !mapped {
            pending.iter().map(|_| None).collect()
        } else {
            use rayon::prelude::*;
            pending
                .par_iter()
                .map(|p| Some(crate::scan::drawn::read_glyphs(&p.page)))
                .collect()
        };
        // From the last page back, so that the earlier pages' warning places hold.
        for (p, read) in pending.into_iter().zip(reads).rev() {
            let mut diag = crate::diag::Diag::default();
            self.pages[p.at] = self.settle(p.page, read, &mut diag);
            let at = p.warned.min(self.diag.warnings.len());
            self.diag.warnings.splice(at..at, diag.warnings);
        }
    }

    /// Whether any text of the pages so far maps (settled pages, or the mapped glyphs of
    /// pages waiting for OCR).
    fn text_mapped(&self) -> bool {
        self.glyphs > 0 || self.pending.iter().any(|p| !p.page.glyphs.is_empty())
    }

    /// One page's warnings and rows; `read` is what OCR made of its drawn glyphs.
    fn settle(
        &mut self,
        mut page: PageContent,
        read: Option<Result<Vec<Glyph>, String>>,
        diag: &mut crate::diag::Diag,
    ) -> table::PageRows {
        let mut why_left = String::new();
        match read {
            Some(Ok(read)) => {
                // The start of what OCR read, enough to find it on the page.
                let mut quote: String = read.iter().map(|g| g.text.as_str()).collect();
                if let Some((cut, _)) = quote.char_indices().nth(40) {
                    quote.truncate(cut);
                    quote.push('…');
                }
                diag.warn(
                    WarningCode::TextGuessed,
                    None,
                    None,
                    format!(
                        "page {}: {} glyphs are in fonts with no Unicode mapping; they were \
                         painted from the embedded font programs and read by OCR as {:?}: \
                         check them",
                        page.number,
                        page.drawn.len(),
                        quote
                    ),
                );
                page.glyphs.extend(read);
                // Left out now: only glyphs no program could draw (blank ones, spaces,
                // are the gaps OCR reads).
                page.unmapped_glyphs = page.undrawn_glyphs.min(page.unmapped_glyphs);
            }
            Some(Err(e)) => why_left = format!(" (reading them by OCR failed: {e})"),
            None => {}
        }
        if page.unmapped_glyphs > 0 {
            self.unmapped_pages += 1;
            diag.warn(
                WarningCode::PageUnreadable,
                None,
                None,
                format!(
                    "page {}: {} glyphs have no Unicode mapping in their font and were left \
                     out{why_left}",
                    page.number, page.unmapped_glyphs
                ),
            );
        } else if page.glyphs.is_empty() && page.images > 0 {
            diag.warn(
                WarningCode::PageUnreadable,
                None,
                None,
                format!(
                    "page {}: no text layer (an image only); OCR it to read it",
                    page.number
                ),
            );
        }
        let by_codes = page.guessed_glyphs - page.system_font_glyphs.min(page.guessed_glyphs);
        if page.system_font_glyphs > 0 {
            diag.warn(
                WarningCode::TextGuessed,
                None,
                None,
                format!(
                    "page {}: {} characters are in a system font (Arial, Times New Roman, \
                     Courier New or Calibri) that was not embedded and has no Unicode mapping; \
                     they were read from its glyph ids by that family's glyph order, as pdf.js \
                     does: check them",
                    page.number, page.system_font_glyphs
                ),
            );
        }
        if by_codes > 0 {
            diag.warn(
                WarningCode::TextGuessed,
                None,
                None,
                format!(
                    "page {}: {} characters are in a font with no Unicode mapping that was not \
                     embedded; they were read taking its character codes as Unicode, as \
                     poppler and pdf.js do: check them",
                    page.number, by_codes
                ),
            );
        }
        self.glyphs += page.glyphs.len();
        self.images += page.images;
        self.image_pages += u32::from(page.images > 0);
        self.unmapped += page.unmapped_glyphs;
        self.annotations += page.annotations;
        table::page_rows_cut(&page, &self.hints)
    }

    fn finish(
        mut self,
        pages: u32,
        producer: Option<String>,
        problems: &[String],
    ) -> crate::error::Result<PdfRows> {
        use crate::error::{Error, ErrorKind};
        self.read_pending();
        for why in problems {
            self.diag
                .warn(WarningCode::PageUnreadable, None, None, why.clone());
        }
        if self.glyphs == 0 {
            return Err(if self.skipped > 0 {
                Error::new(
                    ErrorKind::PdfUnreadable,
                    format!(
                        "{} of {pages} pages could not be read and the others hold no text",
                        self.skipped
                    ),
                )
            } else if self.unmapped > 0 {
                // Text exists (even if the pages also hold images): the fonts are the problem.
                Error::new(
                    ErrorKind::PdfUnmappedFonts,
                    format!(
                        "PDF text is in fonts with no usable Unicode mapping ({} glyphs on {} \
                         pages); it cannot be read as text",
                        self.unmapped, self.unmapped_pages
                    ),
                )
            } else if self.images > 0 {
                Error::new(
                    ErrorKind::NoTextLayer,
                    format!(
                        "no text layer — this looks like a scanned PDF; OCR it first ({} of \
                         {pages} pages hold images, none text)",
                        self.image_pages
                    ),
                )
            } else {
                let what = if self.annotations > 0 {
                    "no text in its pages (only annotations, which are not read)"
                } else {
                    "no text at all (blank pages or drawings only)"
                };
                Error::new(ErrorKind::PdfNoText, format!("PDF has {what}"))
            });
        }
        Ok(PdfRows {
            rows: table::join_cut_rows(self.pages),
            pages,
            producer,
            diag: self.diag,
        })
    }
}
