//! Keeping lopdf's document small while it loads (its load filter sees every object once).
//!
//! lopdf holds each array element as a full `Object` (over 100 bytes), so a Chromium report
//! with 196 Type3 fonts (a 256-entry /Widths and /Differences each) and a tagged structure
//! tree costs ~20 MB parsed. While loading we therefore
//! - drop the structure tree (StructTreeRoot, StructElem, its parent tree): never read here;
//! - drop image data (we only count images) and Type 3 glyph procedures (never drawn);
//! - store long /Widths, /Differences, /W and /W2 arrays as their PDF text in a string under
//!   a key no real PDF can have (`\0Widths`): a few bytes per entry. [`array`] reads them back
//!   when a font is loaded (once per font).

use std::borrow::Cow;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::objects::dict_get;

/// Arrays shorter than this stay as they are.
const MIN_PACKED: usize = 32;

/// Keys whose long arrays are packed.
const PACKED_KEYS: [&[u8]; 4] = [b"Widths", b"Differences", b"W", b"W2"];

/// lopdf's load filter: compacts or drops one object.
///
/// lopdf keeps the object as mutated here and ignores the returned copy for top-level
/// objects, but uses the returned copy for objects inside object streams (never streams), so
/// streams return a cheap placeholder and the rest a copy.
pub fn load_filter(id: ObjectId, obj: &mut Object) -> Option<(ObjectId, Object)> {
    match obj {
        Object::Stream(s) => {
            if matches!(s.dict.get(b"Subtype"), Ok(Object::Name(n)) if n == b"Image") {
                s.content = Vec::new();
                // Else lopdf reads the data again for a stream left empty.
                s.start_position = None;
            } else if glyph_procedure(s) {
                return None;
            }
            compact_dict(&mut s.dict, 0);
            return Some((id, Object::Null));
        }
        Object::Dictionary(d) => {
            if structure_tree(d) {
                return None;
            }
            compact_dict(d, 0);
        }
        _ => {}
    }
    Some((id, obj.clone()))
}

/// A Type 3 glyph procedure: a stream whose content starts with the `d0` or `d1` operator,
/// which the PDF specification requires of glyph procedures and allows nowhere else. The text
/// stage reads a Type 3 font's encoding and widths, never its drawings, and a Chromium report
/// holds over a thousand of them (a megabyte parsed).
fn glyph_procedure(s: &lopdf::Stream) -> bool {
    const HEAD: usize = 96;
    // Glyph procedures carry /Length and at most /Filter: page contents look the same, but
    // font programs, CMaps and images do not; and only a file with Type 3 fonts has any.
    if !TYPE3_FONTS.get()
        || s.content.is_empty()
        || s.dict.iter().any(|(k, _)| k != b"Length" && k != b"Filter")
    {
        return false;
    }
    let head: Cow<[u8]> = match s.dict.get(b"Filter") {
        Err(_) => Cow::Borrowed(&s.content[..s.content.len().min(HEAD)]),
        Ok(Object::Name(n)) if n == b"FlateDecode" => {
            use std::io::Read;
            let mut out = Vec::with_capacity(HEAD);
            let _ = flate2::read::ZlibDecoder::new(s.content.as_slice())
                .take(HEAD as u64)
                .read_to_end(&mut out);
            Cow::Owned(out)
        }
        _ => return false,
    };
    starts_with_glyph_width(&head)
}

thread_local! {
    /// Whether the file being loaded on this thread names `/Type3` anywhere (lopdf's load
    /// filter is a plain function, so this is how it learns about the file).
    static TYPE3_FONTS: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

/// Before loading `bytes` with [`load_filter`]: whether to look for glyph procedures at all
/// (inflating the head of every stream costs a few percent of reading a file without any).
pub fn prepare(bytes: &[u8]) {
    TYPE3_FONTS.set(memchr::memmem::find(bytes, b"/Type3").is_some() || might_hide_names(bytes));
}

/// Object streams are compressed: a name in them cannot be seen in the file's bytes.
fn might_hide_names(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, b"/ObjStm").is_some()
}

/// Content that starts with up to six numbers and then `d0` or `d1`.
fn starts_with_glyph_width(content: &[u8]) -> bool {
    let mut numbers = 0;
    for token in content
        .split(|b| b" \t\r\n\x0c\0".contains(b))
        .filter(|t| !t.is_empty())
    {
        match token {
            b"d0" | b"d1" => return numbers >= 2,
            t if numbers < 6 && t.iter().all(|b| b"0123456789.+-".contains(b)) => numbers += 1,
            _ => return false,
        }
    }
    false
}

/// A node of the logical structure tree (tagged PDF), which the text stage never reads.
fn structure_tree(d: &Dictionary) -> bool {
    match d.get(b"Type") {
        Ok(Object::Name(t)) => matches!(
            t.as_slice(),
            b"StructTreeRoot" | b"StructElem" | b"MCR" | b"OBJR"
        ),
        // Untyped structure elements (/S, /P and /K) and number-tree nodes (/Nums).
        Err(_) => {
            (d.has(b"S") && d.has(b"P") && d.has(b"K")) || (d.has(b"Nums") && !d.has(b"Kids"))
        }
        _ => false,
    }
}

fn compact_dict(d: &mut Dictionary, depth: usize) {
    for key in PACKED_KEYS {
        let long = matches!(d.get(key), Ok(Object::Array(a)) if a.len() >= MIN_PACKED);
        if !long {
            continue;
        }
        let Ok(Object::Array(a)) = d.get(key) else {
            continue;
        };
        let mut text = Vec::with_capacity(a.len() * 4);
        if a.iter().all(|o| write_object(o, &mut text, 0)) {
            d.remove(key);
            d.set(
                packed_key(key),
                Object::String(text, lopdf::StringFormat::Literal),
            );
        }
    }
    // Inline encodings and descendant fonts hold such arrays too.
    if depth < 2 {
        for key in [&b"Encoding"[..], b"DescendantFonts"] {
            match d.get_mut(key) {
                Ok(Object::Dictionary(inner)) => compact_dict(inner, depth + 1),
                Ok(Object::Array(items)) => {
                    for item in items.iter_mut() {
                        if let Object::Dictionary(inner) = item {
                            compact_dict(inner, depth + 1);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

fn packed_key(key: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(key.len() + 1);
    k.push(0);
    k.extend_from_slice(key);
    k
}

/// Writes `o` as PDF syntax; false for objects we do not pack (strings, dictionaries).
fn write_object(o: &Object, out: &mut Vec<u8>, depth: usize) -> bool {
    use std::io::Write;
    match o {
        Object::Integer(i) => {
            let _ = write!(out, "{i} ");
        }
        Object::Real(r) if r.is_finite() => {
            let _ = write!(out, "{r} ");
        }
        Object::Name(n) => {
            out.push(b'/');
            for &b in n {
                if b.is_ascii_graphic() && !b"()<>[]{}/%#".contains(&b) {
                    out.push(b);
                } else {
                    let _ = write!(out, "#{b:02X}");
                }
            }
            out.push(b' ');
        }
        Object::Reference((n, g)) => {
            let _ = write!(out, "{n} {g} R ");
        }
        Object::Array(a) if depth < 4 => {
            out.push(b'[');
            if !a.iter().all(|o| write_object(o, out, depth + 1)) {
                return false;
            }
            out.extend_from_slice(b"] ");
        }
        _ => return false,
    }
    true
}

/// The array under `key` in `dict` (resolved), whether lopdf holds it as is or it was packed
/// while loading.
pub fn array<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<Cow<'a, [Object]>> {
    if let Some(Object::Array(a)) = dict_get(doc, dict, key) {
        return Some(Cow::Borrowed(a.as_slice()));
    }
    let Ok(Object::String(text, _)) = dict.get(&packed_key(key)) else {
        return None;
    };
    let mut src = Vec::with_capacity(text.len() + 6);
    src.push(b'[');
    src.extend_from_slice(text);
    src.extend_from_slice(b"] BX");
    let content = lopdf::content::Content::decode(&src).ok()?;
    let op = content.operations.into_iter().next()?;
    match op.operands.into_iter().next()? {
        Object::Array(a) => Some(Cow::Owned(a)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_procedures_are_told_from_page_content() {
        assert!(starts_with_glyph_width(b"0 0 0 0 0 0 d1\nq 1 0 0 1 0 0 cm"));
        assert!(starts_with_glyph_width(b"  500 0 d0 "));
        assert!(!starts_with_glyph_width(b"q 1 0 0 1 0 0 cm BT /F1 12 Tf"));
        assert!(!starts_with_glyph_width(b"0 0 0 0 0 0 0 d1"));
        assert!(!starts_with_glyph_width(b"d1"));
        let stream = |dict: Dictionary, content: &[u8]| lopdf::Stream::new(dict, content.to_vec());
        let mut flate = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut flate, b"750 0 0 -10 700 690 d1 0 0 m 5 5 l f").unwrap();
        let packed = flate.finish().unwrap();
        let mut d = Dictionary::new();
        d.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        let mut obj = Object::Stream(stream(d.clone(), &packed));
        assert!(load_filter((1, 0), &mut obj).is_none(), "dropped");
        let mut obj = Object::Stream(stream(Dictionary::new(), b"BT /F1 1 Tf (a) Tj ET"));
        assert!(load_filter((1, 0), &mut obj).is_some(), "page content kept");
    }

    #[test]
    fn packed_arrays_read_back_the_same() {
        let widths: Vec<Object> = (0..40).map(|i| Object::Integer(i * 10)).collect();
        let mut diffs = vec![Object::Integer(1)];
        diffs.extend((0..40).map(|i| Object::Name(format!("g{i}#x(").into_bytes())));
        diffs.push(Object::Real(2.5));
        let w = vec![
            Object::Integer(1),
            Object::Array((0..40).map(Object::Integer).collect()),
            Object::Integer(50),
            Object::Integer(60),
            Object::Integer(500),
        ];
        let mut d = Dictionary::new();
        d.set("Widths", Object::Array(widths.clone()));
        d.set("Differences", Object::Array(diffs.clone()));
        d.set("W", Object::Array(w.clone()));
        d.set("Short", Object::Array(vec![Object::Integer(1)]));
        let mut obj = Object::Dictionary(d);
        load_filter((1, 0), &mut obj);
        let Object::Dictionary(d) = obj else { panic!() };
        assert!(d.get(b"Widths").is_err());
        let doc = Document::new();
        assert_eq!(
            array(&doc, &d, b"Widths").unwrap().as_ref(),
            widths.as_slice()
        );
        assert_eq!(
            array(&doc, &d, b"Differences").unwrap().as_ref(),
            diffs.as_slice()
        );
        assert_eq!(array(&doc, &d, b"W").unwrap().as_ref(), w.as_slice());
        assert!(array(&doc, &d, b"Short").is_some());
    }

    #[test]
    fn structure_tree_and_image_data_are_dropped() {
        let mut d = Dictionary::new();
        d.set("Type", Object::Name(b"StructElem".to_vec()));
        assert!(load_filter((1, 0), &mut Object::Dictionary(d)).is_none());
        let mut s = lopdf::Stream::new(Dictionary::new(), vec![1, 2, 3]);
        s.dict.set("Subtype", Object::Name(b"Image".to_vec()));
        let mut obj = Object::Stream(s);
        assert!(load_filter((2, 0), &mut obj).is_some());
        assert!(matches!(obj, Object::Stream(s) if s.content.is_empty()));
    }
}
