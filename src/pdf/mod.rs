//! PDF front end: PDF bytes → glyphs and ruling lines per page (`content`) → Rows (`table`).
//!
//! The glyph stage interprets content streams itself on top of lopdf (objects, streams) and
//! hayro-cmap (predefined Japanese CMaps); see docs/pdf-backend.md for why.

use crate::diag::WarningCode;
use crate::rows::BBox;

mod cmap;
pub mod content;
mod encoding;
mod font;
mod fxhash;
mod graphics;
mod interp;
mod lexer;
pub(crate) mod objects;

mod borderless;
pub(crate) mod grid;
pub mod table;

pub use content::{read, Limits};

/// One glyph (or a ligature / multi-char ToUnicode mapping) with its box on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Unicode text of the glyph, already mapped (ToUnicode, predefined CMap, encoding).
    pub text: String,
    /// Glyph box in page space (points, origin bottom-left, after CTM and text matrix).
    pub bbox: BBox,
    /// Effective font size in points (text matrix and CTM applied).
    pub size: f32,
    /// Set for vertical-writing (-V) fonts.
    pub vertical: bool,
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
}

/// The whole document as the glyph stage returns it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PdfContent {
    pub pages: Vec<PageContent>,
    /// /Producer from the document information dictionary.
    pub producer: Option<String>,
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
/// /Producer. A PDF without any text but with images is a scan: its own error, so the user
/// knows to OCR it first.
pub fn rows(bytes: &[u8]) -> crate::error::Result<PdfRows> {
    rows_from_content(read(bytes, &Limits::default())?)
}

/// The second half of [`rows`]: what the glyph stage found → Rows, with `page_unreadable`
/// warnings for pages whose fonts could not be mapped.
pub fn rows_from_content(content: PdfContent) -> crate::error::Result<PdfRows> {
    use crate::error::{Error, ErrorKind};
    let glyphs: usize = content.pages.iter().map(|p| p.glyphs.len()).sum();
    if glyphs == 0 {
        let images: u32 = content.pages.iter().map(|p| p.images).sum();
        return Err(if images > 0 {
            Error::new(
                ErrorKind::NoTextLayer,
                "no text layer — this looks like a scanned PDF, which needs OCR",
            )
        } else {
            Error::new(ErrorKind::PdfUnreadable, "no readable text in this PDF")
        });
    }
    let mut diag = crate::diag::Diag::default();
    let mut rows = Vec::new();
    for page in &content.pages {
        if page.unmapped_glyphs > 0 {
            diag.warn(
                WarningCode::PageUnreadable,
                None,
                None,
                format!(
                    "page {}: {} glyphs have no Unicode mapping in their font and were left out",
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
        rows.extend(table::page_rows(page));
    }
    Ok(PdfRows {
        rows,
        pages: u32::try_from(content.pages.len()).unwrap_or(u32::MAX),
        producer: content.producer,
        diag,
    })
}
