//! The glyph stage entry point: PDF bytes → [`PdfContent`] (glyphs, rules, fills per page).
//!
//! lopdf loads the document (xref repair, decryption with the empty password, stream filters);
//! everything from the page tree down is ours: see `interp` for the content-stream interpreter
//! and `font` for Unicode mapping.

use std::panic::{catch_unwind, AssertUnwindSafe};

use lopdf::{Dictionary, Document, Object};

use super::compact;
use super::graphics::Matrix;
use super::interp::{FontCache, Interpreter};
use super::objects::{
    decode_stream, decode_text_string, dict_get, dict_of, name_of, num_of, numbers, recover_object,
    recover_stream, reset_scan_budget, resolve, StreamError,
};
use super::{Glyph, PageContent, PdfContent};
use crate::error::{Error, ErrorKind, Result};

/// Resource bounds, per page: a page over one is skipped (its `problems` say why) and the
/// others are read; never a hang or an out-of-memory abort. Only a document none of whose
/// pages can be read is an [`ErrorKind::PdfUnreadable`] error.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest decompressed size of one stream (content, font, CMap), in bytes.
    pub max_stream_bytes: usize,
    /// Most glyphs one page may hold (after mapping, before overstrike removal).
    pub max_glyphs_per_page: usize,
    /// Most pages read (the rest are said in [`DocInfo::problems`]).
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

/// What [`read_pages`] tells about the document as a whole.
#[derive(Debug, Clone, Default)]
pub struct DocInfo {
    /// /Producer from the document information dictionary.
    pub producer: Option<String>,
    /// Pages in the page tree (read or not).
    pub pages: u32,
    /// Problems that concern the document rather than one page (pages over the page limit).
    pub problems: Vec<String>,
}

/// Reads every page of a PDF: glyphs with Unicode text and boxes, rules, fills, image counts.
///
/// A scan reads fine (no glyphs, images > 0); telling the user is the caller's job. Encrypted
/// files open when the user password is empty; damaged files are repaired as far as lopdf can.
/// A page that cannot be read (over a limit, a parser failure) comes back with `skipped` set
/// and its reason in `problems`; only a document none of whose pages could be read is an error.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<PdfContent> {
    let mut pages = Vec::new();
    let info = read_pages(bytes, limits, |page| pages.push(page))?;
    Ok(PdfContent {
        pages,
        producer: info.producer,
        problems: info.problems,
    })
}

/// [`read`], one page at a time: `each` gets every page as soon as it is read, so a caller
/// that keeps only what it derives from a page (its Rows) never holds all pages' glyphs.
pub fn read_pages(bytes: &[u8], limits: &Limits, each: impl FnMut(PageContent)) -> Result<DocInfo> {
    read_pages_with(bytes, limits, false, each)
}

/// [`read_pages`]; with `decode_ahead`, a second thread decodes each page's content streams
/// while this one interprets the page before (one page ahead at most), which takes the
/// decoding (a tenth of the glyph stage) off this thread. The pages read are the same.
pub(crate) fn read_pages_with(
    bytes: &[u8],
    limits: &Limits,
    decode_ahead: bool,
    mut each: impl FnMut(PageContent),
) -> Result<DocInfo> {
    reset_scan_budget(bytes.len());
    // lopdf and hayro-cmap are third-party parsers fed untrusted bytes: a panic in them must
    // become an error, not abort the run.
    let mut doc = match catch_unwind(|| open(bytes, limits)) {
        Ok(r) => r?,
        Err(_) => {
            return Err(unreadable(
                "not a PDF or damaged beyond repair: the PDF parser failed",
            ))
        }
    };
    compact::drop_glyph_procedures(&mut doc);
    let producer = info_producer(&doc);
    let mut page_dicts = page_tree(&doc, limits.max_pages.saturating_add(1));
    if page_dicts.is_empty() {
        return Err(
            if doc.trailer.get(b"Encrypt").is_ok() && !doc.was_encrypted() {
                Error::new(
                    ErrorKind::PdfEncrypted,
                    "encrypted PDF: a password is required to read it",
                )
            } else {
                unreadable("not a PDF or damaged beyond repair: no pages found")
            },
        );
    }
    let mut problems = Vec::new();
    if page_dicts.len() > limits.max_pages {
        page_dicts.truncate(limits.max_pages);
        problems.push(format!(
            "pages after page {} were not read (more than {} pages)",
            limits.max_pages, limits.max_pages
        ));
    }
    let total = page_dicts.len();
    let mut fonts = FontCache::default();
    let mut skipped = 0;
    let mut first_reason = None;
    let mut read_one = |number: u32, page: &Dictionary, ahead: Option<Decoded>| {
        let content = page_or_skipped(number, ahead, |decoded| {
            read_page(&doc, bytes, page, number, &mut fonts, limits, decoded)
        });
        if content.skipped {
            skipped += 1;
            if first_reason.is_none() {
                first_reason = content.problems.first().cloned();
            }
        }
        each(content);
    };
    let numbered = || (1u32..).zip(page_dicts.iter().copied());
    if decode_ahead && total > 1 {
        let doc = &doc;
        std::thread::scope(|scope| {
            let (ready, next) = std::sync::mpsc::sync_channel::<Decoded>(1);
            let decoder = std::thread::Builder::new()
                .name("pdf-streams".into())
                .spawn_scoped(scope, move || {
                    // The recovery scans of this thread's streams have a budget of their own.
                    reset_scan_budget(bytes.len());
                    for (number, page) in numbered() {
                        let decoded = catch_unwind(AssertUnwindSafe(|| {
                            let mut problems = Vec::new();
                            page_contents(doc, bytes, page, limits, number, &mut problems)
                                .map(|data| (data, problems))
                        }))
                        .map_err(|_| ());
                        if ready.send(decoded).is_err() {
                            break;
                        }
                    }
                });
            let mut next = decoder.is_ok().then_some(next);
            for (number, page) in numbered() {
                // No thread to be had (or it stopped): this one decodes.
                let data = next.as_ref().and_then(|n| n.recv().ok());
                if data.is_none() {
                    next = None;
                }
                read_one(number, page, data);
            }
        });
    } else {
        for (number, page) in numbered() {
            read_one(number, page, None);
        }
    }
    if skipped == total {
        let why = first_reason.unwrap_or_default();
        return Err(unreadable(if total == 1 {
            format!("the only page cannot be read: {why}")
        } else {
            format!("none of the {total} pages can be read ({why})")
        }));
    }
    Ok(DocInfo {
        producer,
        pages: u32::try_from(total).unwrap_or(u32::MAX),
        problems,
    })
}

/// A page's content streams decoded ahead (see [`read_pages_with`]): the data and what could
/// not be read of them, the error that makes the page unreadable, or `Err(())` for a parser
/// panic.
type Decoded = std::result::Result<Result<(Vec<u8>, Vec<String>)>, ()>;

fn parser_failed(number: u32) -> String {
    format!("page {number}: the PDF parser failed on this page")
}

/// Page `number` read by `read` (given its content streams when they were decoded ahead), or
/// skipped with the reason: never an error, never a panic.
fn page_or_skipped(
    number: u32,
    ahead: Option<Decoded>,
    read: impl FnOnce(Option<(Vec<u8>, Vec<String>)>) -> Result<PageContent>,
) -> PageContent {
    let decoded = match ahead {
        None => None,
        Some(Ok(Ok(decoded))) => Some(decoded),
        Some(Ok(Err(e))) => return skipped_page(number, e.message),
        Some(Err(())) => return skipped_page(number, parser_failed(number)),
    };
    match catch_unwind(AssertUnwindSafe(|| read(decoded))) {
        Ok(Ok(content)) => content,
        Ok(Err(e)) => skipped_page(number, e.message),
        Err(_) => skipped_page(number, parser_failed(number)),
    }
}

fn skipped_page(number: u32, why: String) -> PageContent {
    PageContent {
        number,
        skipped: true,
        problems: vec![why],
        ..Default::default()
    }
}

/// Loads the document; an encrypted one is opened with the empty user password.
fn open(bytes: &[u8], limits: &Limits) -> Result<Document> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(unreadable(
            "not a PDF or damaged beyond repair: no %PDF- header",
        ));
    }
    compact::find_glyph_procedures(bytes);
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(limits.max_stream_bytes),
        // Drops and packs what the text stage never reads while loading (see `compact`).
        filter: Some(compact::load_filter),
        ..Default::default()
    };
    let load = |bytes: &[u8]| {
        let doc = Document::load_mem_with_options(bytes, options.clone())
            .map_err(|e| unreadable(format!("not a PDF or damaged beyond repair: {e}")))?;
        // lopdf rebuilds a broken page tree only for an unfiltered load: do that one when the
        // filtered load gives no pages.
        if page_tree(&doc, 1).is_empty() {
            let plain = lopdf::LoadOptions {
                filter: None,
                ..options.clone()
            };
            if let Ok(full) = Document::load_mem_with_options(bytes, plain) {
                return Ok(full);
            }
        }
        Ok(doc)
    };
    let mut doc = load(bytes)?;
    // lopdf already tries the empty user password while loading; when that did not work the
    // document is still encrypted here (and lopdf kept none of its objects).
    let encrypt = doc.trailer.get(b"Encrypt").ok().cloned();
    let Some(encrypt) = encrypt.filter(|_| !doc.was_encrypted()) else {
        return Ok(doc);
    };
    if doc.is_encrypted() && doc.decrypt("").is_ok() {
        return Ok(doc);
    }
    let dict = match &encrypt {
        Object::Reference(id) => recover_object(&doc, bytes, *id),
        other => Some(other.clone()),
    };
    let dict = dict.as_ref().and_then(dict_of);
    // Only the attachments are encrypted (/StmF and /StrF are /Identity, the crypt filter
    // opens on /EFOpen): the pages are plain, as poppler reads them. Load again with the
    // trailer's /Encrypt key renamed (same length, so every offset stays valid).
    if dict.is_some_and(|d| identity_filter(d, b"StmF") && identity_filter(d, b"StrF")) {
        if let Some(patched) = rename_trailer_key(bytes, b"/Encrypt", b"/Encrypx") {
            return load(&patched);
        }
    }
    // RC4 without the trailer's /ID (which the key derivation uses): poppler takes an empty
    // ID; lopdf refuses, so give it one.
    if doc.trailer.get(b"ID").is_err() {
        if let Some(patched) = add_empty_id(bytes) {
            let doc = load(&patched)?;
            if doc.was_encrypted() {
                return Ok(doc);
            }
        }
    }
    Err(Error::new(
        ErrorKind::PdfEncrypted,
        "encrypted PDF: a password is required to read it",
    ))
}

/// Whether an encryption dictionary's stream / string filter is /Identity (no encryption).
fn identity_filter(encrypt: &Dictionary, key: &[u8]) -> bool {
    matches!(encrypt.get(key), Ok(Object::Name(n)) if n == b"Identity")
}

/// The file with `key` renamed (same length) in its last trailer (or cross-reference stream
/// dictionary): the last occurrence of the key in the file.
fn rename_trailer_key(bytes: &[u8], key: &[u8], to: &[u8]) -> Option<Vec<u8>> {
    debug_assert_eq!(key.len(), to.len());
    let at = bytes.windows(key.len()).rposition(|w| w == key)?;
    let mut out = bytes.to_vec();
    out[at..at + key.len()].copy_from_slice(to);
    Some(out)
}

/// The file with `/ID [<> <>]` added to its last `trailer` dictionary (classic cross-reference
/// tables only; the insertion comes after every object, so no offset moves).
fn add_empty_id(bytes: &[u8]) -> Option<Vec<u8>> {
    let at = bytes.windows(7).rposition(|w| w == b"trailer")?;
    let open = at + bytes[at..].windows(2).position(|w| w == b"<<")? + 2;
    let mut out = Vec::with_capacity(bytes.len() + 16);
    out.extend_from_slice(&bytes[..open]);
    out.extend_from_slice(b" /ID [<> <>] ");
    out.extend_from_slice(&bytes[open..]);
    Some(out)
}

/// The page dictionaries in page-tree order (at most `max`), walked ourselves so that a root
/// /Pages that is a single page, a node without /Type, reference cycles and dangling kids all
/// read the way poppler reads them. A document whose tree gives nothing falls back to every
/// object whose /Type is /Page, in object order (pdf.js's recovery).
fn page_tree(doc: &Document, max: usize) -> Vec<&Dictionary> {
    let mut pages = Vec::new();
    let root = doc
        .trailer
        .get(b"Root")
        .ok()
        .and_then(|o| resolve(doc, o))
        .and_then(dict_of);
    if let Some(top) = root.and_then(|r| r.get(b"Pages").ok()) {
        let mut seen = std::collections::HashSet::new();
        let mut stack = vec![(top, 0usize)];
        while let Some((node, depth)) = stack.pop() {
            if pages.len() >= max {
                break;
            }
            if let Object::Reference(id) = node {
                if !seen.insert(*id) {
                    continue;
                }
            }
            let Some(dict) = resolve(doc, node).and_then(dict_of) else {
                continue;
            };
            let kind = dict.get(b"Type").ok().and_then(name_of);
            match dict_get(doc, dict, b"Kids") {
                Some(Object::Array(kids)) if kind != Some(b"Page") => {
                    if depth < 64 {
                        stack.extend(kids.iter().rev().map(|k| (k, depth + 1)));
                    }
                }
                _ if kind == Some(b"Pages") => {}
                _ => pages.push(dict),
            }
        }
    }
    if pages.is_empty() {
        pages = doc
            .objects
            .values()
            .filter_map(dict_of)
            .filter(|d| d.get(b"Type").ok().and_then(name_of) == Some(b"Page"))
            .take(max)
            .collect();
    }
    pages
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
    bytes: &[u8],
    page: &Dictionary,
    number: u32,
    fonts: &mut FontCache,
    limits: &Limits,
    decoded: Option<(Vec<u8>, Vec<String>)>,
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
    let mut content = PageContent {
        number,
        width: x1 - x0,
        height: y1 - y0,
        rotate: inherited(doc, page, b"Rotate")
            .and_then(num_of)
            .map_or(0, |r| ((r as i64 / 90).rem_euclid(4) * 90) as u16),
        annotations: match dict_get(doc, page, b"Annots") {
            Some(Object::Array(a)) => u32::try_from(a.len()).unwrap_or(u32::MAX),
            _ => 0,
        },
        ..Default::default()
    };
    let resources = inherited(doc, page, b"Resources").and_then(dict_of);
    let data = match decoded {
        Some((data, problems)) => {
            content.problems = problems;
            data
        }
        None => page_contents(doc, bytes, page, limits, number, &mut content.problems)?,
    };
    // Page space here has its origin at the box's lower-left corner.
    let base = Matrix::translate(-x0, -y0);
    let mut interp = Interpreter::new(doc, bytes, fonts, limits, content, base);
    interp.run(&data, resources)?;
    // Annotation appearances (form fields, free text, stamps) are drawn text too: poppler
    // reads them, so do we.
    interp.annotations(page, base)?;
    let mut content = interp.page;
    remove_overstrike(&mut content.glyphs);
    Ok(content)
}

/// Drops fake-bold copies: a glyph with the same text as an earlier one whose origin is within
/// min(0.1 × size, 1 pt). Glyphs are hashed by 2 pt cell: a copy within 1 pt lies in one of
/// the 2 × 2 cells nearest to the glyph's origin. The cells hash into a power-of-two array of
/// chain heads, each bucket's glyphs chained through one array (no allocation per cell, no
/// hash map): cells that share a bucket only add candidates the distance test turns away.
fn remove_overstrike(glyphs: &mut Vec<Glyph>) {
    const NONE: u32 = u32::MAX;
    let n = glyphs.len();
    if n < 2 || n >= (NONE / 4) as usize {
        return;
    }
    let bits = (2 * n).next_power_of_two().trailing_zeros();
    let bucket = |(cx, cy): (i32, i32)| {
        let key = (u64::from(cx as u32) << 32) | u64::from(cy as u32);
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - bits)) as usize
    };
    let mut heads = vec![NONE; 1 << bits];
    let mut next = vec![NONE; n];
    let mut keep = vec![true; n];
    for i in 0..n {
        let g = &glyphs[i];
        // The origin of a horizontal glyph is its box's left edge at the baseline; comparing
        // box corners is equivalent for copies of one glyph.
        let (x, y) = (g.bbox.x0 / 2.0, g.bbox.y0 / 2.0);
        let tol = (0.1 * g.size).min(1.0);
        let (cx, cy) = (floor(x), floor(y));
        // The neighbouring column / row on the side the origin is nearer to.
        let side = |v: f32, c: i32| if v - (c as f32) < 0.5 { -1 } else { 1 };
        let (nx, ny) = (cx.wrapping_add(side(x, cx)), cy.wrapping_add(side(y, cy)));
        let mut dup = false;
        'search: for cell in [(cx, cy), (nx, cy), (cx, ny), (nx, ny)] {
            let mut j = heads[bucket(cell)];
            while j != NONE {
                let o = &glyphs[j as usize];
                if (o.bbox.x0 - g.bbox.x0).abs() <= tol
                    && (o.bbox.y0 - g.bbox.y0).abs() <= tol
                    && o.text == g.text
                {
                    dup = true;
                    break 'search;
                }
                j = next[j as usize];
            }
        }
        if dup {
            keep[i] = false;
        } else {
            let head = &mut heads[bucket((cx, cy))];
            next[i] = *head;
            *head = i as u32;
        }
    }
    let mut k = keep.iter();
    glyphs.retain(|_| *k.next().unwrap_or(&true));
}

/// ⌊v⌋ as an integer (saturating), without a call to libm's `floorf`, which the baseline
/// x86-64 target cannot inline.
fn floor(v: f32) -> i32 {
    let i = v as i32;
    if (i as f32) > v {
        i.saturating_sub(1)
    } else {
        i
    }
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

/// Whether lopdf loaded a stream without its data because its /Length was missing or
/// unusable (it then keeps only the data's position).
fn length_unknown(doc: &Document, s: &lopdf::Stream) -> bool {
    if !s.content.is_empty() {
        return false;
    }
    !matches!(s.dict.get(b"Length").ok().and_then(|o| resolve(doc, o)), Some(Object::Integer(n)) if *n >= 0)
}

/// Decoded content of a page's /Contents (one stream or an array, concatenated with a space
/// between parts, as the spec says they form one stream). A part that cannot be decoded is
/// left out and said in `problems`; a stream lopdf dropped (a bad /Length) is recovered from
/// the file's bytes; a part over the size limit makes the page unreadable (an error).
fn page_contents(
    doc: &Document,
    bytes: &[u8],
    page: &Dictionary,
    limits: &Limits,
    number: u32,
    problems: &mut Vec<String>,
) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    // One warning per kind of trouble, however many parts have it.
    let mut missing = Vec::new();
    let mut damaged: Option<String> = None;
    let mut damaged_count = 0;
    let parts: Vec<&Object> = match page.get(b"Contents") {
        Ok(Object::Reference(id)) => match doc.get_object(*id) {
            Ok(Object::Array(a)) => a.iter().collect(),
            _ => vec![page.get(b"Contents").unwrap_or(&Object::Null)],
        },
        Ok(Object::Array(a)) => a.iter().collect(),
        Ok(o) => vec![o],
        Err(_) => Vec::new(),
    };
    let too_large = |what: String| {
        Error::new(
            ErrorKind::PdfUnreadable,
            format!("page {number}: {what}; the page was skipped"),
        )
    };
    for part in parts {
        let recovered;
        let stream = match resolve(doc, part) {
            Some(Object::Stream(s)) if !length_unknown(doc, s) => s,
            Some(Object::Stream(s)) => match part {
                // lopdf kept the dictionary but not the data (no usable /Length): scan to
                // `endstream` as poppler does.
                Object::Reference(id) => match recover_stream(doc, bytes, *id) {
                    Some(r) => {
                        recovered = r;
                        &recovered
                    }
                    None => s,
                },
                _ => s,
            },
            Some(Object::Null) | None => {
                let id = match part {
                    Object::Reference(id) => *id,
                    _ => continue,
                };
                match recover_stream(doc, bytes, id) {
                    Some(s) => {
                        recovered = s;
                        &recovered
                    }
                    None => {
                        missing.push(id);
                        continue;
                    }
                }
            }
            Some(_) => continue,
        };
        match decode_stream(doc, stream, limits.max_stream_bytes) {
            Ok(d) => {
                if out.is_empty() {
                    out = d;
                } else {
                    out.extend_from_slice(&d);
                }
                out.push(b'\n');
            }
            Err(e @ StreamError::TooLarge(_)) => {
                return Err(too_large(format!("a content stream {e}")));
            }
            Err(e) => {
                if damaged.is_none() {
                    damaged = Some(e.to_string());
                }
                damaged_count += 1;
            }
        }
        if out.len() > limits.max_stream_bytes {
            return Err(too_large(format!(
                "content streams exceed {} bytes",
                limits.max_stream_bytes
            )));
        }
    }
    if let Some(first) = missing.first() {
        problems.push(if missing.len() == 1 {
            format!(
                "page {number}: content stream {} {} R is missing or damaged; its part of the \
                 page was not read",
                first.0, first.1
            )
        } else {
            format!(
                "page {number}: {} content streams (from {} {} R) are missing or damaged; \
                 their parts of the page were not read",
                missing.len(),
                first.0,
                first.1
            )
        });
    }
    if let Some(why) = damaged {
        problems.push(if damaged_count == 1 {
            format!("page {number}: a content stream {why}; its part of the page was not read")
        } else {
            format!(
                "page {number}: {damaged_count} content streams cannot be decoded (the first: \
                 {why}); their parts of the page were not read"
            )
        });
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
    fn overstrike_found_across_cells_and_below_zero() {
        // Copies whose origins fall in neighbouring 2 pt cells (x/2 = 0.95 and 1.05), around
        // the origin (negative cells), and a same-text glyph 1.5 pt away (kept).
        let mut v = vec![
            g("あ", 1.9, 3.9),
            g("い", -0.1, -0.1),
            g("あ", 2.1, 4.1),
            g("い", 0.3, 0.3),
            g("あ", 3.4, 3.9),
        ];
        remove_overstrike(&mut v);
        let kept: Vec<_> = v.iter().map(|g| (g.text.as_str(), g.bbox.x0)).collect();
        assert_eq!(kept, [("あ", 1.9), ("い", -0.1), ("あ", 3.4)]);
        assert_eq!(
            (floor(-0.5), floor(0.0), floor(1.99), floor(-3.0)),
            (-1, 0, 1, -3)
        );
        assert_eq!(floor(-1e20), i32::MIN);
    }

    /// Every page of every PDF fixture (damaged ones included) comes out the same whether its
    /// content streams are decoded ahead on a second thread or in turn.
    #[test]
    fn decoding_ahead_reads_the_same_pages() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/pdf");
        let mut files: Vec<_> = ["", "/cases"]
            .iter()
            .flat_map(|sub| std::fs::read_dir(format!("{dir}{sub}")).unwrap())
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
            .collect();
        files.sort();
        assert!(files.len() > 40, "{files:?}");
        for path in files {
            let bytes = std::fs::read(&path).unwrap();
            let read = |ahead: bool| {
                let mut pages = Vec::new();
                let info = read_pages_with(&bytes, &Limits::default(), ahead, |p| pages.push(p))
                    .map(|i| (i.pages, i.producer, i.problems))
                    .map_err(|e| (e.kind, e.message));
                (info, pages)
            };
            assert_eq!(read(true), read(false), "{}", path.display());
        }
    }

    #[test]
    fn garbage_is_an_error() {
        let e = read(b"hello", &Limits::default()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::PdfUnreadable);
    }
}
