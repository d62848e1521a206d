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
    // An indirect /Filter or /DecodeParms is not plain: resolved below.
    if let Some(data) = decode_plainly(stream, max) {
        return Ok(data);
    }
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

/// The data of a stream filtered by /FlateDecode alone or after /ASCII85Decode, without
/// parameters (nearly every content stream, font program and CMap; ReportLab writes the pair),
/// decoded here in one pass each: `None` for any other stream and for anything irregular (a
/// damaged stream, over `max`), which lopdf then decodes as before, so the data are lopdf's in
/// every case. lopdf reads through flate2's 32 KB buffers and grows its output a few bytes at
/// a time, which cost more than the inflating itself on a report's content streams.
fn decode_plainly(stream: &lopdf::Stream, max: usize) -> Option<Vec<u8>> {
    if stream
        .dict
        .get(b"DecodeParms")
        .is_ok_and(|p| !matches!(p, Object::Null))
    {
        return None;
    }
    let inflate =
        |data: &[u8]| miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(data, max).ok();
    let is = |o: &Object, name: &[u8]| matches!(o, Object::Name(n) if n == name);
    match stream.dict.get(b"Filter").ok()? {
        Object::Name(n) if n == b"FlateDecode" => inflate(&stream.content),
        Object::Array(a) => match &a[..] {
            [f] if is(f, b"FlateDecode") => inflate(&stream.content),
            [a85, f] if is(a85, b"ASCII85Decode") && is(f, b"FlateDecode") => {
                let raw = ascii85(&stream.content)?;
                if raw.len() > max {
                    return None;
                }
                inflate(&raw)
            }
            _ => None,
        },
        _ => None,
    }
}

/// ASCII85Decode as lopdf decodes it (the same bytes for every input it decodes; `None`
/// where it reports an error), in one pass into a buffer sized up front.
fn ascii85(input: &[u8]) -> Option<Vec<u8>> {
    let data = input.strip_suffix(b"~>").unwrap_or(input);
    let mut out = Vec::with_capacity(data.len() / 5 * 4 + 4);
    let (mut group, mut count) = (0u32, 0usize);
    for &c in data {
        match c {
            b'z' if count == 0 => out.extend_from_slice(&[0; 4]),
            b'z' => return None,
            c if c.is_ascii_whitespace() => {}
            b'!'..=b'u' => {
                group = group.checked_mul(85)?.checked_add(u32::from(c - b'!'))?;
                count += 1;
                if count == 5 {
                    out.extend_from_slice(&group.to_be_bytes());
                    (group, count) = (0, 0);
                }
            }
            _ => break,
        }
    }
    if count > 0 {
        for _ in count..5 {
            group = group.checked_mul(85)?.checked_add(84)?;
        }
        out.extend_from_slice(&group.to_be_bytes()[..count - 1]);
    }
    Some(out)
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn stream(filter: Object, data: Vec<u8>) -> lopdf::Stream {
        let mut dict = Dictionary::new();
        dict.set("Filter", filter);
        lopdf::Stream::new(dict, data)
    }

    fn name(n: &str) -> Object {
        Object::Name(n.as_bytes().to_vec())
    }

    /// ASCII85 as PDF writers encode it (`z` for a zero group, `~>` at the end).
    fn a85_encode(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for chunk in data.chunks(4) {
            let mut group = [0u8; 4];
            group[..chunk.len()].copy_from_slice(chunk);
            let mut v = u32::from_be_bytes(group);
            if chunk.len() == 4 && v == 0 {
                out.push(b'z');
                continue;
            }
            let mut digits = [0u8; 5];
            for d in digits.iter_mut().rev() {
                *d = (v % 85) as u8 + b'!';
                v /= 85;
            }
            out.extend_from_slice(&digits[..chunk.len() + 1]);
        }
        out.extend_from_slice(b"~>");
        out
    }

    fn lopdf_decoded(s: &lopdf::Stream, max: usize) -> Option<Vec<u8>> {
        s.get_plain_content_with_limit(max).ok()
    }

    proptest! {
        /// Our ASCII85 decoder gives lopdf's bytes, and `None` where lopdf reports an error.
        #[test]
        fn ascii85_decodes_as_lopdf_does(input in proptest::collection::vec(
            prop_oneof![b'!'..=b'u', Just(b'z'), Just(b' '), Just(b'~'), Just(b'>'), any::<u8>()],
            0..48,
        )) {
            let s = stream(name("ASCII85Decode"), input.clone());
            prop_assert_eq!(ascii85(&input), lopdf_decoded(&s, usize::MAX));
        }

        /// FlateDecode alone or after ASCII85Decode: our one-pass decoding gives the data (and
        /// lopdf's bytes); a damaged stream is left to lopdf (`None`).
        #[test]
        fn flate_streams_decode_as_lopdf_decodes_them(
            data in proptest::collection::vec(any::<u8>(), 0..3000),
            runs in 0usize..400,
            a85 in any::<bool>(),
            cut in prop_oneof![Just(0usize), 1usize..40],
        ) {
            let mut data = data;
            data.extend(std::iter::repeat_n(0u8, runs));
            let z = miniz_oxide::deflate::compress_to_vec_zlib(&data, 6);
            let (filter, mut bytes) = if a85 {
                (Object::Array(vec![name("ASCII85Decode"), name("FlateDecode")]), a85_encode(&z))
            } else {
                (name("FlateDecode"), z)
            };
            bytes.truncate(bytes.len().saturating_sub(cut));
            let s = stream(filter, bytes);
            let ours = decode_plainly(&s, 1 << 20);
            if let Some(ours) = &ours {
                let theirs = lopdf_decoded(&s, 1 << 20);
                prop_assert_eq!(Some(ours), theirs.as_ref());
            }
            if cut == 0 {
                prop_assert_eq!(ours.as_deref(), Some(&data[..]));
            }
        }
    }

    #[test]
    fn streams_over_the_limit_and_with_parameters_are_left_to_lopdf() {
        let z = miniz_oxide::deflate::compress_to_vec_zlib(&[0; 1000], 6);
        let s = stream(name("FlateDecode"), z.clone());
        assert_eq!(decode_plainly(&s, 100), None);
        let doc = Document::new();
        assert!(matches!(
            decode_stream(&doc, &s, 100),
            Err(StreamError::TooLarge(_))
        ));
        assert_eq!(decode_stream(&doc, &s, 1000).unwrap(), vec![0; 1000]);
        let mut with_params = stream(name("FlateDecode"), z);
        let mut parms = Dictionary::new();
        parms.set("Predictor", 1);
        with_params.dict.set("DecodeParms", parms);
        assert_eq!(decode_plainly(&with_params, 1 << 20), None);
        assert_eq!(
            decode_stream(&doc, &with_params, 1 << 20).unwrap(),
            vec![0; 1000]
        );
    }
}
