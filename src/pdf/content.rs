//! The glyph stage entry point: PDF bytes → [`PdfContent`] (glyphs, rules, fills per page).
//!
//! lopdf loads the document (xref repair, decryption with the empty password, stream filters);
//! everything from the page tree down is ours: see `interp` for the content-stream interpreter
//! and `font` for Unicode mapping.

use super::fxhash::FxHashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use lopdf::{Dictionary, Document, Object};

use super::graphics::Matrix;
use super::interp::{FontCache, Interpreter};
use super::objects::{decode_text_string, dict_get, dict_of, numbers, resolve};
use super::{Glyph, PageContent, PdfContent};
use crate::error::{Error, ErrorKind, Result};

/// Resource bounds: exceeding one gives a [`ErrorKind::PdfUnreadable`] error, never a hang or
/// an out-of-memory abort.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest decompressed size of one stream (content, font, CMap), in bytes.
    pub max_stream_bytes: usize,
    /// Most glyphs one page may hold (after mapping, before overstrike removal).
    pub max_glyphs_per_page: usize,
    /// Most pages read.
    pub max_pages: usize,
    /// Most content-stream operators executed on one page (form XObjects included).
    pub max_operators: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_stream_bytes: 64 << 20,
            max_glyphs_per_page: 200_000,
            max_pages: 2_000,
            max_operators: 5_000_000,
        }
    }
}

fn unreadable(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::PdfUnreadable, msg)
}

/// Reads every page of a PDF: glyphs with Unicode text and boxes, rules, fills, image counts.
///
/// A scan reads fine (no glyphs, images > 0); telling the user is the caller's job. Encrypted
/// files open when the user password is empty; damaged files are repaired as far as lopdf can.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<PdfContent> {
    // lopdf and hayro-cmap are third-party parsers fed untrusted bytes: a panic in them must
    // become an error, not abort the run.
    match catch_unwind(AssertUnwindSafe(|| read_inner(bytes, limits))) {
        Ok(r) => r,
        Err(_) => Err(unreadable(
            "not a PDF or damaged beyond repair: the PDF parser failed",
        )),
    }
}

fn read_inner(bytes: &[u8], limits: &Limits) -> Result<PdfContent> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(unreadable(
            "not a PDF or damaged beyond repair: no %PDF- header",
        ));
    }
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(limits.max_stream_bytes),
        ..Default::default()
    };
    let mut doc = Document::load_mem_with_options(bytes, options)
        .map_err(|e| unreadable(format!("not a PDF or damaged beyond repair: {e}")))?;
    // lopdf already tries the empty user password while loading; when that did not work the
    // document is still encrypted here.
    if doc.is_encrypted() && !doc.was_encrypted() && doc.decrypt("").is_err() {
        return Err(unreadable("encrypted PDF (password required)"));
    }

    let producer = info_producer(&doc);
    let page_ids: Vec<_> = doc
        .page_iter()
        .take(limits.max_pages.saturating_add(1))
        .collect();
    if page_ids.len() > limits.max_pages {
        return Err(unreadable(format!("more than {} pages", limits.max_pages)));
    }
    if page_ids.is_empty() {
        return Err(unreadable(
            "not a PDF or damaged beyond repair: no pages found",
        ));
    }

    let mut fonts = FontCache::default();
    let mut pages = Vec::with_capacity(page_ids.len());
    for (i, id) in page_ids.into_iter().enumerate() {
        let number = i as u32 + 1;
        let Some(page) = doc.get_object(id).ok().and_then(dict_of) else {
            pages.push(PageContent {
                number,
                ..Default::default()
            });
            continue;
        };
        pages.push(read_page(&doc, page, number, &mut fonts, limits)?);
    }
    Ok(PdfContent { pages, producer })
}

/// An attribute of a page, inherited through /Parent (bounded, cycles end).
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..64 {
        if let Some(v) = dict_get(doc, node, key) {
            return Some(v);
        }
        node = dict_get(doc, node, b"Parent").and_then(dict_of)?;
    }
    None
}

fn read_page(
    doc: &Document,
    page: &Dictionary,
    number: u32,
    fonts: &mut FontCache,
    limits: &Limits,
) -> Result<PageContent> {
    let boxed = |key: &[u8]| {
        let v = inherited(doc, page, key)
            .map(|o| numbers(doc, o))
            .unwrap_or_default();
        (v.len() == 4).then(|| {
            (
                v[0].min(v[2]),
                v[1].min(v[3]),
                v[0].max(v[2]),
                v[1].max(v[3]),
            )
        })
    };
    let (x0, y0, x1, y1) = boxed(b"CropBox")
        .or_else(|| boxed(b"MediaBox"))
        .unwrap_or((0.0, 0.0, 595.0, 842.0));
    let content = PageContent {
        number,
        width: x1 - x0,
        height: y1 - y0,
        ..Default::default()
    };
    let resources = inherited(doc, page, b"Resources").and_then(dict_of);
    let data = page_contents(doc, page, limits, number)?;
    // Page space here has its origin at the box's lower-left corner.
    let mut interp = Interpreter::new(doc, fonts, limits, content, Matrix::translate(-x0, -y0));
    interp.run(&data, resources)?;
    let mut content = interp.page;
    remove_overstrike(&mut content.glyphs);
    Ok(content)
}

/// Drops fake-bold copies: a glyph with the same text as an earlier one whose origin is within
/// min(0.1 × size, 1 pt). A 1 pt grid hash keeps this linear in the number of glyphs.
fn remove_overstrike(glyphs: &mut Vec<Glyph>) {
    // The origin of a horizontal glyph is its box's left edge at the baseline; comparing box
    // corners is equivalent for copies of one glyph.
    let mut grid: FxHashMap<(i32, i32), Vec<usize>> =
        FxHashMap::with_capacity_and_hasher(glyphs.len(), Default::default());
    let mut keep = vec![true; glyphs.len()];
    for i in 0..glyphs.len() {
        let g = &glyphs[i];
        let (x, y) = (g.bbox.x0, g.bbox.y0);
        let tol = (0.1 * g.size).min(1.0);
        let (cx, cy) = (x.floor() as i32, y.floor() as i32);
        let mut dup = false;
        'search: for dx in -1..=1 {
            for dy in -1..=1 {
                if let Some(list) = grid.get(&(cx + dx, cy + dy)) {
                    for &j in list {
                        let o = &glyphs[j];
                        if (o.bbox.x0 - x).abs() <= tol
                            && (o.bbox.y0 - y).abs() <= tol
                            && o.text == g.text
                        {
                            dup = true;
                            break 'search;
                        }
                    }
                }
            }
        }
        if dup {
            keep[i] = false;
        } else {
            grid.entry((cx, cy)).or_default().push(i);
        }
    }
    let mut k = keep.iter();
    glyphs.retain(|_| *k.next().unwrap_or(&true));
}

fn info_producer(doc: &Document) -> Option<String> {
    let info = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| resolve(doc, o))
        .and_then(dict_of)?;
    match dict_get(doc, info, b"Producer")? {
        Object::String(s, _) => {
            let p = decode_text_string(s);
            let p = p.trim_end_matches('\0').trim().to_string();
            (!p.is_empty()).then_some(p)
        }
        _ => None,
    }
}

/// Decoded content of a page's /Contents (one stream or an array, concatenated with a space
/// between parts, as the spec says they form one stream).
fn page_contents(
    doc: &Document,
    page: &Dictionary,
    limits: &Limits,
    number: u32,
) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let parts: Vec<&Object> = match page.get(b"Contents").ok().and_then(|o| resolve(doc, o)) {
        Some(Object::Array(a)) => a.iter().filter_map(|o| resolve(doc, o)).collect(),
        Some(o) => vec![o],
        None => Vec::new(),
    };
    for part in parts {
        if let Object::Stream(s) = part {
            match s.get_plain_content_with_limit(limits.max_stream_bytes) {
                Ok(d) => {
                    out.extend_from_slice(&d);
                    out.push(b'\n');
                }
                Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                    limit,
                })) => {
                    return Err(Error::new(
                        ErrorKind::PdfUnreadable,
                        format!("page {number}: a content stream decompresses to more than {limit} bytes"),
                    ));
                }
                // A damaged stream (bad filter data): skip it rather than fail the page.
                Err(_) => {}
            }
            if out.len() > limits.max_stream_bytes {
                return Err(Error::new(
                    ErrorKind::PdfUnreadable,
                    format!(
                        "page {number}: content streams exceed {} bytes",
                        limits.max_stream_bytes
                    ),
                ));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rows::BBox;

    fn g(text: &str, x: f32, y: f32) -> Glyph {
        Glyph {
            text: text.into(),
            bbox: BBox {
                x0: x,
                y0: y,
                x1: x + 10.0,
                y1: y + 10.0,
            },
            size: 10.0,
            vertical: false,
        }
    }

    #[test]
    fn overstrike_removed_but_neighbours_kept() {
        let mut v = vec![
            g("項", 100.0, 100.0),
            g("目", 110.0, 100.0),
            g("項", 100.25, 100.0),
            g("項", 120.0, 100.0),
        ];
        remove_overstrike(&mut v);
        let texts: Vec<_> = v.iter().map(|g| g.text.as_str()).collect();
        assert_eq!(texts, ["項", "目", "項"]);
    }

    #[test]
    fn garbage_is_an_error() {
        let e = read(b"hello", &Limits::default()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::PdfUnreadable);
    }
}
