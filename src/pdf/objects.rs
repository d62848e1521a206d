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

/// Decoded stream data, bounded by `max` bytes; `None` when not a stream or undecodable.
pub fn stream_data(obj: &Object, max: usize) -> Option<Vec<u8>> {
    match obj {
        Object::Stream(s) => s.get_plain_content_with_limit(max).ok(),
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
