//! Small helpers over lopdf objects: bounded reference resolution and typed getters that never
//! fail loudly (a broken entry reads as "absent").

use lopdf::{Dictionary, Document, Object};

/// Follows references (at most 32 hops, so reference cycles end).
pub fn resolve<'a>(doc: &'a Document, mut obj: &'a Object) -> Option<&'a Object> {
    for _ in 0..32 {
        match obj {
            Object::Reference(id) => obj = doc.get_object(*id).ok()?,
            _ => return Some(obj),
        }
    }
    None
}

pub fn dict_get<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    resolve(doc, dict.get(key).ok()?)
}

pub fn name_of(obj: &Object) -> Option<&[u8]> {
    match obj {
        Object::Name(n) => Some(n),
        _ => None,
    }
}

pub fn num_of(obj: &Object) -> Option<f32> {
    match obj {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) if r.is_finite() => Some(*r),
        _ => None,
    }
}

/// A dictionary, whether given directly or as a stream's dictionary.
pub fn dict_of(obj: &Object) -> Option<&Dictionary> {
    match obj {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

/// Numbers of an array of (possibly indirect) numbers.
pub fn numbers(doc: &Document, obj: &Object) -> Vec<f32> {
    match resolve(doc, obj) {
        Some(Object::Array(a)) => a
            .iter()
            .filter_map(|o| resolve(doc, o).and_then(num_of))
            .collect(),
        _ => Vec::new(),
    }
}

/// Decodes a PDF text string: UTF-16BE with BOM, UTF-8 with BOM, else PDFDocEncoding (which
/// matches Latin-1 except for 0x80–0x9F, close enough for producer names).
pub fn decode_text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units = rest
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]));
        return char::decode_utf16(units)
            .map(|c| c.unwrap_or('\u{fffd}'))
            .collect();
    }
    if let Some(rest) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes.iter().map(|&b| pdfdoc_char(b)).collect()
}

fn pdfdoc_char(b: u8) -> char {
    const HIGH: [u32; 32] = [
        0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044, 0x2039, 0x203a, 0x2212,
        0x2030, 0x201e, 0x201c, 0x201d, 0x2018, 0x2019, 0x201a, 0x2122, 0xfb01, 0xfb02, 0x0141,
        0x0152, 0x0160, 0x0178, 0x017d, 0x0131, 0x0142, 0x0153, 0x0161, 0x017e, 0xfffd,
    ];
    match b {
        0x80..=0x9f => char::from_u32(HIGH[usize::from(b - 0x80)]).unwrap_or('\u{fffd}'),
        0xa0 => '\u{20ac}',
        _ => char::from(b),
    }
}

/// Why a stream could not be decoded.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamError {
    /// It decompresses to more than the limit (a decompression bomb or a huge page).
    TooLarge(usize),
    /// Its filter data is damaged or uses a filter we cannot decode.
    Damaged(String),
}

impl std::fmt::Display for StreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StreamError::TooLarge(limit) => write!(f, "decompresses to more than {limit} bytes"),
            StreamError::Damaged(why) => write!(f, "cannot be decoded ({why})"),
        }
    }
}

/// Whether a dictionary entry is, or holds, an indirect reference.
fn holds_reference(obj: Option<&Object>) -> bool {
    match obj {
        Some(Object::Reference(_)) => true,
        Some(Object::Array(a)) => a.iter().any(|o| matches!(o, Object::Reference(_))),
        _ => false,
    }
}

/// An object with its references resolved one level deep (arrays of names / parameter
/// dictionaries given indirectly, as in `/Filter 6 0 R` or `/Filter [6 0 R]`).
fn resolved_shallow(doc: &Document, obj: &Object) -> Object {
    match resolve(doc, obj) {
        Some(Object::Array(a)) => Object::Array(
            a.iter()
                .map(|o| resolve(doc, o).cloned().unwrap_or(Object::Null))
                .collect(),
        ),
        Some(o) => o.clone(),
        None => Object::Null,
    }
}

/// Decoded data of a stream, bounded by `max` bytes. Unlike lopdf's own decoding, an indirect
/// `/Filter` or `/DecodeParms` is resolved first (lopdf would hand back the still-compressed
/// bytes), as poppler and pdf.js do.
pub fn decode_stream(
    doc: &Document,
    stream: &lopdf::Stream,
    max: usize,
) -> std::result::Result<Vec<u8>, StreamError> {
    let indirect = holds_reference(stream.dict.get(b"Filter").ok())
        || holds_reference(stream.dict.get(b"DecodeParms").ok());
    let result = if indirect {
        let mut dict = stream.dict.clone();
        for key in [&b"Filter"[..], b"DecodeParms"] {
            if let Ok(v) = stream.dict.get(key) {
                dict.set(key, resolved_shallow(doc, v));
            }
        }
        let mut copy = lopdf::Stream::new(dict, Vec::new());
        copy.content.clone_from(&stream.content);
        copy.get_plain_content_with_limit(max)
    } else {
        stream.get_plain_content_with_limit(max)
    };
    result.map_err(|e| match e {
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { limit }) => {
            StreamError::TooLarge(limit)
        }
        other => StreamError::Damaged(other.to_string()),
    })
}

/// Decoded data of a (possibly indirect) stream object, bounded by `max` bytes; `None` when
/// it is not a stream or cannot be decoded.
pub fn stream_data_in(doc: &Document, obj: &Object, max: usize) -> Option<Vec<u8>> {
    match resolve(doc, obj)? {
        Object::Stream(s) => decode_stream(doc, s, max).ok(),
        _ => None,
    }
}

/// A stream object that lopdf could not load (a `/Length` of −1, 2^64 or a reference to a
/// missing object makes it drop the object), recovered from the file's bytes the way poppler
/// does: the dictionary as written, and the data up to the next `endstream`.
pub fn recover_stream(doc: &Document, bytes: &[u8], id: lopdf::ObjectId) -> Option<lopdf::Stream> {
    let start = match doc.reference_table.get(id.0)? {
        lopdf::xref::XrefEntry::Normal { offset, .. } => *offset as usize,
        _ => return None,
    };
    let rest = bytes.get(start..)?;
    // The object header must be the one we were asked for: `N G obj`.
    let body = object_body(rest, id)?;
    // The dictionary ends where the `stream` keyword starts (searched within a bounded window:
    // stream dictionaries are short).
    let window = &body[..body.len().min(64 * 1024)];
    let kw = find_budgeted(window, b"stream")?;
    let dict_bytes = &body[..kw];
    let mut data_start = kw + b"stream".len();
    if body.get(data_start) == Some(&b'\r') {
        data_start += 1;
    }
    if body.get(data_start) == Some(&b'\n') {
        data_start += 1;
    }
    let data = &body[data_start..];
    let mut end = find_budgeted(data, b"endstream")?;
    // The end-of-line marker before `endstream` is not part of the data.
    if end > 0 && data[end - 1] == b'\n' {
        end -= 1;
    }
    if end > 0 && data[end - 1] == b'\r' {
        end -= 1;
    }
    let mut dict = parse_dictionary(dict_bytes)?;
    dict.remove(b"Length");
    Some(lopdf::Stream::new(dict, data[..end].to_vec()))
}

/// What follows `N G obj` at the start of `bytes`, if that header names `id`.
fn object_body(bytes: &[u8], id: lopdf::ObjectId) -> Option<&[u8]> {
    let mut pos = 0;
    let number = |pos: &mut usize| -> Option<u64> {
        while bytes.get(*pos).is_some_and(|b| b.is_ascii_whitespace()) {
            *pos += 1;
        }
        let start = *pos;
        while bytes.get(*pos).is_some_and(u8::is_ascii_digit) && *pos - start < 12 {
            *pos += 1;
        }
        std::str::from_utf8(&bytes[start..*pos]).ok()?.parse().ok()
    };
    let (n, g) = (number(&mut pos)?, number(&mut pos)?);
    if n != u64::from(id.0) || g != u64::from(id.1) {
        return None;
    }
    while bytes.get(pos).is_some_and(|b| b.is_ascii_whitespace()) {
        pos += 1;
    }
    bytes.get(pos..)?.strip_prefix(b"obj")
}

/// Any object lopdf could not load (a dictionary whose `endobj` is missing, a stream with a
/// bad /Length), recovered from the file's bytes at its cross-reference offset.
pub fn recover_object(doc: &Document, bytes: &[u8], id: lopdf::ObjectId) -> Option<Object> {
    let start = match doc.reference_table.get(id.0)? {
        lopdf::xref::XrefEntry::Normal { offset, .. } => *offset as usize,
        _ => return None,
    };
    let body = object_body(bytes.get(start..)?, id)?;
    let window = &body[..body.len().min(64 * 1024)];
    // The object ends at `endobj`, or where the next section or a stream starts.
    let end = [&b"endobj"[..], b"stream", b"xref", b"trailer", b"startxref"]
        .iter()
        .filter_map(|k| find_budgeted(window, k))
        .min()
        .unwrap_or(window.len());
    if window[end..].starts_with(b"stream") {
        return recover_stream(doc, bytes, id).map(Object::Stream);
    }
    let mut src = window[..end].to_vec();
    src.extend_from_slice(b" BX");
    let content = lopdf::content::Content::decode(&src).ok()?;
    content
        .operations
        .into_iter()
        .find_map(|op| op.operands.into_iter().next())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

thread_local! {
    /// Bytes the recovery scans may still read for the document being read.
    static SCAN_BUDGET: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Gives the recovery scans of one document a budget of a few times its size, so that a
/// hostile file with thousands of broken streams cannot make them quadratic.
pub fn reset_scan_budget(file_len: usize) {
    SCAN_BUDGET.with(|b| b.set(file_len.saturating_mul(4).saturating_add(1 << 20)));
}

/// `find` within what is left of the scan budget (which it uses up); `None` when the budget
/// is spent.
fn find_budgeted(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let budget = SCAN_BUDGET.with(std::cell::Cell::get);
    let window = &hay[..hay.len().min(budget)];
    let found = find(window, needle);
    let used = found.map_or(window.len(), |at| at + needle.len());
    SCAN_BUDGET.with(|b| b.set(budget.saturating_sub(used)));
    found
}

/// Parses `<< … >>` with lopdf's content-stream parser (a dictionary operand of a dummy
/// operator), so no PDF object grammar is repeated here. The /Length entry is cut out first:
/// it is what was wrong (a number too large to parse, say), and the data is delimited anyway.
fn parse_dictionary(bytes: &[u8]) -> Option<Dictionary> {
    let mut src = match find(bytes, b"/Length") {
        Some(at) => {
            let value = at + b"/Length".len();
            let end = bytes[value..]
                .iter()
                .position(|&b| b == b'/' || b == b'>')
                .map_or(bytes.len(), |n| value + n);
            [&bytes[..at], &bytes[end..]].concat()
        }
        None => bytes.to_vec(),
    };
    src.extend_from_slice(b" BX");
    let content = lopdf::content::Content::decode(&src).ok()?;
    content
        .operations
        .into_iter()
        .find_map(|op| match op.operands.into_iter().next() {
            Some(Object::Dictionary(d)) => Some(d),
            _ => None,
        })
}
