//! Keeping lopdf's document small while it loads (its load filter sees every object once).
//!
//! lopdf holds each array element as a full `Object` (over 100 bytes), so a Chromium report
//! with 196 Type3 fonts (a 256-entry /Widths and /Differences each) and a tagged structure
//! tree costs ~20 MB parsed. While loading we therefore
//! - drop the structure tree (StructTreeRoot, StructElem, its parent tree): never read here;
//! - drop image data (we only count images), and once loaded Type 3 glyph procedures (never
//!   drawn);
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
            } else if GLYPH_PROCS.with_borrow(|p| p.contains(&id.0)) {
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

thread_local! {
    /// Object numbers of the Type 3 glyph procedures `find_glyph_procedures` saw in the file
    /// being loaded on this thread (lopdf's load filter is a plain function).
    static GLYPH_PROCS: std::cell::RefCell<std::collections::HashSet<u32>> =
        std::cell::RefCell::new(std::collections::HashSet::new());
}

/// Before loading `bytes` with [`load_filter`]: the glyph procedures named by the /CharProcs
/// dictionaries written out in the file (`/CharProcs << /g0 12 0 R … >>`), so that they are
/// dropped as they load and never held at all. Those inside object streams or behind a
/// reference are left to [`drop_glyph_procedures`].
pub fn find_glyph_procedures(bytes: &[u8]) {
    const KEY: &[u8] = b"/CharProcs";
    let mut found = std::collections::HashSet::new();
    let mut at = 0;
    while let Some(i) = find(&bytes[at..], KEY) {
        at += i + KEY.len();
        let rest = &bytes[at..bytes.len().min(at + (1 << 16))];
        let Some(open) = rest.iter().position(|b| !b.is_ascii_whitespace()) else {
            break;
        };
        if !rest[open..].starts_with(b"<<") {
            continue;
        }
        let Some(close) = find(&rest[open..], b">>") else {
            continue;
        };
        // Tokens of the dictionary: `N G R` triples are the glyph procedures.
        let body = &rest[open + 2..open + close];
        let tokens: Vec<&[u8]> = body
            .split(|b| b.is_ascii_whitespace() || *b == b'/')
            .filter(|t| !t.is_empty())
            .collect();
        for w in tokens.windows(3) {
            if w[2] == b"R" && w[1].iter().all(u8::is_ascii_digit) {
                if let Some(n) = std::str::from_utf8(w[0]).ok().and_then(|n| n.parse().ok()) {
                    found.insert(n);
                }
            }
        }
    }
    GLYPH_PROCS.set(found);
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// Drops every Type 3 font's glyph procedures (the streams its /CharProcs names) from a loaded
/// document: the text stage reads a Type 3 font's encoding and widths, never its drawings,
/// and a Chromium report holds over a thousand of them (a megabyte parsed). Freed before the
/// pages are read, that memory serves them instead.
pub fn drop_glyph_procedures(doc: &mut Document) {
    let mut procs: Vec<ObjectId> = Vec::new();
    for obj in doc.objects.values() {
        let Object::Dictionary(font) = obj else {
            continue;
        };
        if !matches!(font.get(b"Subtype"), Ok(Object::Name(n)) if n == b"Type3") {
            continue;
        }
        let char_procs = match font.get(b"CharProcs") {
            Ok(Object::Dictionary(d)) => Some(d),
            Ok(Object::Reference(id)) => match doc.objects.get(id) {
                Some(Object::Dictionary(d)) => Some(d),
                _ => None,
            },
            _ => None,
        };
        for (_, p) in char_procs.into_iter().flat_map(|d| d.iter()) {
            if let Object::Reference(id) = p {
                procs.push(*id);
            }
        }
    }
    for id in procs {
        if matches!(doc.objects.get(&id), Some(Object::Stream(_))) {
            doc.objects.remove(&id);
        }
    }
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
    fn glyph_procedures_are_dropped_while_loading_or_after() {
        // Written out in the file: dropped as they load.
        find_glyph_procedures(
            b"1 0 obj << /Subtype /Type3 /CharProcs << /a 5 0 R/b 6 0 R >> >> endobj",
        );
        let proc_stream =
            || Object::Stream(lopdf::Stream::new(Dictionary::new(), b"0 0 d0".to_vec()));
        assert!(load_filter((5, 0), &mut proc_stream()).is_none());
        assert!(load_filter((6, 0), &mut proc_stream()).is_none());
        assert!(load_filter((7, 0), &mut proc_stream()).is_some());
        find_glyph_procedures(b"");
        assert!(load_filter((5, 0), &mut proc_stream()).is_some());
        // Behind a reference (or in an object stream): dropped once loaded.
        let mut doc = Document::new();
        let mut procs = Dictionary::new();
        procs.set("a", Object::Reference((5, 0)));
        doc.objects.insert((4, 0), Object::Dictionary(procs));
        let mut font = Dictionary::new();
        font.set("Subtype", Object::Name(b"Type3".to_vec()));
        font.set("CharProcs", Object::Reference((4, 0)));
        doc.objects.insert((3, 0), Object::Dictionary(font));
        doc.objects.insert((5, 0), proc_stream());
        doc.objects.insert((6, 0), proc_stream());
        drop_glyph_procedures(&mut doc);
        assert!(!doc.objects.contains_key(&(5, 0)));
        assert!(doc.objects.contains_key(&(6, 0)), "not a glyph procedure");
        assert!(doc.objects.contains_key(&(3, 0)));
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
