//! Predefined CMaps as the font stage uses them: the Adobe-Japan1 ones (the encodings of
//! Japanese PDFs — 90ms-RKSJ, EUC, H/V — and CID → Unicode) from flat tables compiled into
//! the binary, every other one from hayro-cmap.
//!
//! hayro-cmap keeps all 65 predefined CMaps in one brotli bundle that it decompresses whole
//! on first use, about 10 ms a process and then 3 ms to parse Adobe-Japan1-UCS2: a fifth of
//! reading a Shift_JIS report. The tables here hold the same data (written from hayro-cmap by
//! `cargo run --release --example gen_japan1`, checked code by code against it by the tests)
//! in a form that is read in place: a run table per encoding, one u32 per CID for Unicode.

use std::rc::Rc;

use hayro_cmap::{BfString, CMap, CidFamily};

/// A CMap the font stage maps codes through.
pub enum Predefined {
    /// An Adobe-Japan1 encoding CMap (code → CID), from its table.
    Japan1Encoding(CodeTable),
    /// Adobe-Japan1-UCS2 (CID → Unicode), from its table.
    Japan1Ucs2,
    /// Any other CMap, parsed by hayro-cmap (predefined, or embedded in the PDF).
    Parsed(Box<CMap>),
}

impl Predefined {
    /// The CMap named `name`: a table where there is one, else hayro-cmap's.
    pub fn named(name: &[u8]) -> Option<Rc<Predefined>> {
        if name == b"Adobe-Japan1-UCS2" {
            return Some(Rc::new(Predefined::Japan1Ucs2));
        }
        if let Some(t) = CodeTable::named(name) {
            return Some(Rc::new(Predefined::Japan1Encoding(t)));
        }
        let data = hayro_cmap::load_embedded(hayro_cmap::CMapName::from_bytes(name))?;
        CMap::parse(data, hayro_cmap::load_embedded)
            .map(|c| Rc::new(Predefined::Parsed(Box::new(c))))
    }

    /// Code → CID.
    pub fn lookup_cid_code(&self, code: u32, byte_len: u8) -> Option<u32> {
        match self {
            Predefined::Japan1Encoding(t) => t.lookup(code, byte_len),
            Predefined::Japan1Ucs2 => None,
            Predefined::Parsed(c) => c.lookup_cid_code(code, byte_len),
        }
    }

    /// CID (or code) → Unicode.
    pub fn lookup_bf_string(&self, code: u32) -> Option<BfString> {
        match self {
            Predefined::Japan1Encoding(_) => None,
            Predefined::Japan1Ucs2 => japan1_unicode(code),
            Predefined::Parsed(c) => c.lookup_bf_string(code),
        }
    }

    /// The character collection the CIDs belong to.
    pub fn family(&self) -> Option<CidFamily> {
        match self {
            Predefined::Japan1Encoding(_) | Predefined::Japan1Ucs2 => Some(CidFamily::AdobeJapan1),
            Predefined::Parsed(c) => c
                .metadata()
                .character_collection
                .as_ref()
                .map(|cc| cc.family.clone()),
        }
    }
}

/// The Adobe-Japan1 encoding CMaps with a table (examples/gen_japan1.rs writes the same list).
const ENCODINGS: &[(&str, &[u8])] = &[
    ("83pv-RKSJ-H", include_bytes!("japan1/83pv-RKSJ-H.bin")),
    ("90ms-RKSJ-H", include_bytes!("japan1/90ms-RKSJ-H.bin")),
    ("90ms-RKSJ-V", include_bytes!("japan1/90ms-RKSJ-V.bin")),
    ("90msp-RKSJ-H", include_bytes!("japan1/90msp-RKSJ-H.bin")),
    ("90msp-RKSJ-V", include_bytes!("japan1/90msp-RKSJ-V.bin")),
    ("90pv-RKSJ-H", include_bytes!("japan1/90pv-RKSJ-H.bin")),
    ("Add-RKSJ-H", include_bytes!("japan1/Add-RKSJ-H.bin")),
    ("Add-RKSJ-V", include_bytes!("japan1/Add-RKSJ-V.bin")),
    ("EUC-H", include_bytes!("japan1/EUC-H.bin")),
    ("EUC-V", include_bytes!("japan1/EUC-V.bin")),
    ("Ext-RKSJ-H", include_bytes!("japan1/Ext-RKSJ-H.bin")),
    ("Ext-RKSJ-V", include_bytes!("japan1/Ext-RKSJ-V.bin")),
    ("H", include_bytes!("japan1/H.bin")),
    ("V", include_bytes!("japan1/V.bin")),
];

const RUN: usize = 20;

/// An encoding CMap as runs of codes, sorted by (byte length, first code): five u32 LE each,
/// byte length, first code, last code, first CID, step (1: the CID rises with the code, 0: one
/// CID for the whole run, as in .notdef ranges).
#[derive(Clone, Copy)]
pub struct CodeTable {
    runs: &'static [u8],
}

impl CodeTable {
    pub fn named(name: &[u8]) -> Option<CodeTable> {
        ENCODINGS
            .iter()
            .find(|(n, _)| n.as_bytes() == name)
            .map(|(_, runs)| CodeTable { runs })
    }

    fn field(&self, run: usize, k: usize) -> u32 {
        let at = run * RUN + k * 4;
        u32::from_le_bytes([
            self.runs[at],
            self.runs[at + 1],
            self.runs[at + 2],
            self.runs[at + 3],
        ])
    }

    pub fn lookup(&self, code: u32, byte_len: u8) -> Option<u32> {
        let key = (u32::from(byte_len), code);
        let (mut lo, mut hi) = (0, self.runs.len() / RUN);
        // The last run starting at or before `key`.
        while lo < hi {
            let mid = (lo + hi) / 2;
            if (self.field(mid, 0), self.field(mid, 1)) <= key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let run = lo.checked_sub(1)?;
        if self.field(run, 0) != key.0 || code > self.field(run, 2) {
            return None;
        }
        let offset = (code - self.field(run, 1)) * self.field(run, 4);
        self.field(run, 3).checked_add(offset)
    }
}

/// Adobe-Japan1-UCS2: a CID count, one u32 LE per CID (0: none; with the top bit set, the
/// byte offset of a NUL-terminated UTF-8 string after the table), then the strings.
static JAPAN1_UCS2: &[u8] = include_bytes!("japan1/Adobe-Japan1-UCS2.bin");

fn japan1_unicode(cid: u32) -> Option<BfString> {
    let word = |i: usize| -> Option<u32> {
        let b = JAPAN1_UCS2.get(i * 4..i * 4 + 4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let count = word(0)? as usize;
    let cid = cid as usize;
    if cid >= count {
        return None;
    }
    match word(1 + cid)? {
        0 => None,
        v if v & 0x8000_0000 != 0 => {
            let start = (1 + count) * 4 + (v & 0x7FFF_FFFF) as usize;
            let rest = JAPAN1_UCS2.get(start..)?;
            let end = rest.iter().position(|&b| b == 0)?;
            let s = std::str::from_utf8(&rest[..end]).ok()?;
            Some(BfString::String(s.to_string()))
        }
        v => char::from_u32(v).map(BfString::Char),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hayro(name: &str) -> CMap {
        let data =
            hayro_cmap::load_embedded(hayro_cmap::CMapName::from_bytes(name.as_bytes())).unwrap();
        CMap::parse(data, hayro_cmap::load_embedded).unwrap()
    }

    /// Every code of every length, every CID: the tables answer as hayro-cmap does.
    #[test]
    fn tables_match_hayro_cmap_everywhere() {
        for (name, _) in ENCODINGS {
            let ours = CodeTable::named(name.as_bytes()).unwrap();
            let theirs = hayro(name);
            let mut mapped = 0;
            for (len, codes) in [
                (1u8, 0..=0xFFu32),
                (2, 0..=0xFFFF),
                (3, 0x8F_0000..=0x8F_FFFF),
            ] {
                for code in codes {
                    let want = theirs.lookup_cid_code(code, len);
                    assert_eq!(ours.lookup(code, len), want, "{name} {code:#x}/{len}");
                    mapped += usize::from(want.is_some());
                }
            }
            assert!(mapped > 6000, "{name}: {mapped}");
        }
        let ucs2 = hayro("Adobe-Japan1-UCS2");
        for cid in 0..=30_000 {
            assert_eq!(japan1_unicode(cid), ucs2.lookup_bf_string(cid), "CID {cid}");
        }
        assert_eq!(japan1_unicode(843), Some(BfString::Char('あ')));
    }
}
