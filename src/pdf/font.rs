//! Fonts as the glyph stage needs them: how to split a string into codes, each code's advance
//! width, and its Unicode text.
//!
//! Unicode sources, in order: the font's /ToUnicode; for CID fonts a predefined Unicode CMap
//! (the code is the character), else code → CID (predefined or embedded CMap, or Identity) →
//! Unicode via the character collection's UCS2 CMap (Adobe-Japan1 from our tables, the others
//! from hayro-cmap: `predefined`); for simple fonts the /Encoding (base encoding +
//! /Differences) or the Symbol encoding; then the embedded font program's own cmap. A code
//! none of these map is reported as unmapped, except the codes of a non-embedded
//! Adobe-Identity font, which may be taken as Unicode with a `text_guessed` warning
//! (`Font::code_as_unicode`).

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;

use super::fxhash::FxHashMap;
use std::rc::Rc;

use hayro_cmap::{BfString, CMap, CidFamily};
use lopdf::{Dictionary, Document, Object};

use super::cmap::{self, CodeSplit, ToUnicode};
use super::compact;
use super::encoding::{glyph_name_to_char, BaseEncoding, CodeTable};
use super::objects::{dict_get, name_of, num_of, resolve, stream_data_in};
use super::outline::{Outline, OutlineProgram};
use super::predefined::Predefined;
use super::program::FontProgram;
use super::std_glyphs;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FontKind {
    Simple,
    Type3,
    Cid,
}

/// Per-document caches shared by all fonts: parsed predefined CMaps.
#[derive(Default)]
pub struct CMapCache {
    cmaps: HashMap<Vec<u8>, Option<Rc<Predefined>>>,
}

impl CMapCache {
    /// A predefined CMap by name (`90ms-RKSJ-H`, `Adobe-Japan1-UCS2`, …), parsed once.
    pub fn predefined(&mut self, name: &[u8]) -> Option<Rc<Predefined>> {
        self.cmaps
            .entry(name.to_vec())
            .or_insert_with(|| Predefined::named(name))
            .clone()
    }
}

/// How CID-keyed codes become Unicode when there is no ToUnicode entry.
enum CidUnicode {
    /// The code is itself UCS-2 / UTF-16BE (UniJIS-UCS2-H, UniJIS-UTF16-H, …).
    CodeIsUnicode,
    /// Code → CID through this CMap (None: Identity), then CID → Unicode through `ucs2`.
    ViaCid {
        encoding: Option<Rc<Predefined>>,
        ucs2: Rc<Predefined>,
    },
    None,
}

/// How a code's text was found (see [`Font::read_code`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Through the font's mappings (ToUnicode, predefined CMaps, encodings, its program).
    Mapped,
    /// The code taken as Unicode ([`Font::code_as_unicode`]): a guess.
    Guessed,
    /// A glyph id of the system font the PDF names ([`Font::system_glyph`]): a guess too.
    System,
    /// Nothing maps it; `text` is empty.
    Unmapped,
}

/// What one character code of a font reads as: its text, its advance and how the text was
/// found. Memoized per font: a page repeats the same few hundred codes thousands of times.
#[derive(Debug, Clone)]
pub struct CodeText {
    pub text: compact_str::CompactString,
    /// Horizontal advance in glyph units ([`Font::width`]).
    pub width: f32,
    pub reading: Reading,
}

pub struct Font {
    pub kind: FontKind,
    /// Vertical writing (an -V CMap).
    pub vertical: bool,
    split: CodeSplit,
    to_unicode: Option<ToUnicode>,
    /// Simple fonts: code → character from /Encoding.
    table: Option<Box<CodeTable>>,
    cid_unicode: CidUnicode,
    /// Simple fonts: /FirstChar and /Widths (glyph units), /MissingWidth.
    first_char: u32,
    widths: Vec<f32>,
    missing_width: f32,
    /// CID fonts: /W (single codes and ranges) and /DW.
    cid_widths: FxHashMap<u32, f32>,
    cid_width_ranges: Vec<(u32, u32, f32)>,
    dw: f32,
    /// Adobe-Japan1 font: CIDs 231–632 are half-width by the collection's definition.
    japan1: bool,
    /// Vertical advance (w1y, glyph units, negative = down) from /W2 and /DW2.
    w2: FxHashMap<u32, f32>,
    /// Code → CID through the encoding CMap, for widths.
    cid_memo: RefCell<FxHashMap<(u32, u8), u32>>,
    /// (code, length) → what [`Font::read_code`] found: the CMap lookups are the costly part
    /// of reading a font mapped through predefined CMaps, and a page repeats the same few
    /// hundred codes.
    code_memo: RefCell<FxHashMap<(u32, u8), CodeText>>,
    dw2: f32,
    /// Where the embedded TrueType / OpenType program is (and /CIDToGIDMap), read only when
    /// a code maps through nothing else.
    program_source: Option<ProgramSource>,
    program: OnceCell<Option<LoadedProgram>>,
    /// The same program read for its outlines, for glyphs nothing maps (see
    /// [`Font::glyph_outline`]).
    outlines: OnceCell<Option<RefCell<DrawingProgram>>>,
    /// The predefined CMap a ToUnicode CMap names with `usecmap`.
    base_ucs2: Option<Rc<Predefined>>,
    /// A CID font whose codes may be taken as Unicode when nothing else maps them (see
    /// [`Font::code_as_unicode`]).
    codes_may_be_unicode: bool,
    /// A CID TrueType font that is not embedded, with Identity codes and glyph ids, of a system
    /// family whose glyph order is known (see [`Font::system_glyph`]).
    system_glyphs: Option<SystemFamily>,
    /// Glyph units → text space (0.001, or the Type3 /FontMatrix).
    pub matrix: [f32; 4],
}

/// Codes a font's code memo holds at most (a hostile font's codes are not all remembered).
const MAX_MEMO: usize = 1 << 16;

/// Upper bound on entries read from /W, /W2 and /Widths arrays.
const MAX_WIDTH_ENTRIES: usize = 200_000;

impl Font {
    /// A font that maps nothing (unknown or broken font dictionaries).
    pub fn unusable() -> Font {
        Font {
            kind: FontKind::Simple,
            vertical: false,
            split: CodeSplit::Fixed(1),
            to_unicode: None,
            table: None,
            cid_unicode: CidUnicode::None,
            first_char: 0,
            widths: Vec::new(),
            missing_width: 500.0,
            cid_widths: FxHashMap::default(),
            cid_width_ranges: Vec::new(),
            dw: 1000.0,
            japan1: false,
            w2: FxHashMap::default(),
            cid_memo: RefCell::new(FxHashMap::default()),
            code_memo: RefCell::new(FxHashMap::default()),
            dw2: -1000.0,
            program_source: None,
            program: OnceCell::new(),
            outlines: OnceCell::new(),
            base_ucs2: None,
            codes_may_be_unicode: false,
            system_glyphs: None,
            matrix: [0.001, 0.0, 0.0, 0.001],
        }
    }

    pub fn load(
        doc: &Document,
        dict: &Dictionary,
        cache: &mut CMapCache,
        max_stream: usize,
    ) -> Font {
        let mut font = Font::unusable();
        let subtype = dict_get(doc, dict, b"Subtype")
            .and_then(name_of)
            .unwrap_or(b"Type1");
        let to_unicode = dict_get(doc, dict, b"ToUnicode")
            .and_then(|o| stream_data_in(doc, o, max_stream))
            .map(|d| ToUnicode::parse(&d))
            .filter(|t| !t.is_empty() || t.usecmap.is_some());
        // A ToUnicode CMap that extends a predefined one (`/Adobe-Korea1-UCS2 usecmap`):
        // what it does not map itself, that CMap maps (CID → Unicode).
        let base_ucs2 = to_unicode
            .as_ref()
            .and_then(|t| t.usecmap.as_deref())
            .and_then(|name| cache.predefined(name));
        if subtype == b"Type0" {
            font.kind = FontKind::Cid;
            font.load_type0(doc, dict, cache, max_stream, to_unicode.as_ref());
        } else {
            font.kind = if subtype == b"Type3" {
                FontKind::Type3
            } else {
                FontKind::Simple
            };
            font.load_simple(doc, dict);
        }
        if font.kind != FontKind::Type3 {
            font.program_source = ProgramSource::find(doc, dict, font.kind);
        }
        let nothing_else = font.program_source.is_none()
            && to_unicode.is_none()
            && matches!(font.cid_unicode, CidUnicode::None);
        font.codes_may_be_unicode &= nothing_else;
        if !nothing_else {
            font.system_glyphs = None;
        }
        font.to_unicode = to_unicode;
        font.base_ucs2 = base_ucs2;
        font
    }

    /// The text, advance and kind of reading of `code` (`len` bytes): [`Font::unicode`], else
    /// [`Font::program_unicode`], else the guesses [`Font::system_glyph`] and
    /// [`Font::code_as_unicode`]; one memo lookup per glyph once a code has been seen.
    pub fn read_code(&self, doc: &Document, max_stream: usize, code: u32, len: usize) -> CodeText {
        let key = (code, len as u8);
        if let Some(hit) = self.code_memo.borrow().get(&key) {
            return hit.clone();
        }
        let mut text = String::new();
        let reading = if self.unicode(code, len, &mut text)
            || self.program_unicode(doc, max_stream, code, &mut text)
        {
            Reading::Mapped
        } else if self.system_glyph(code, &mut text) {
            Reading::System
        } else if self.code_as_unicode(code, &mut text) {
            Reading::Guessed
        } else {
            text.clear();
            Reading::Unmapped
        };
        let read = CodeText {
            text: text.into(),
            width: self.width(code, len),
            reading,
        };
        let mut memo = self.code_memo.borrow_mut();
        if memo.len() < MAX_MEMO {
            memo.insert(key, read.clone());
        }
        read
    }

    /// Poppler's last resort for a code nothing else maps: the embedded font program's own
    /// cmap and glyph names (code → glyph through /CIDToGIDMap or the program's symbol cmap,
    /// glyph → character). The program is read on the first such code, once per font.
    fn program_unicode(
        &self,
        doc: &Document,
        max_stream: usize,
        code: u32,
        out: &mut String,
    ) -> bool {
        let Some(source) = &self.program_source else {
            return false;
        };
        let Some(loaded) = self.program.get_or_init(|| source.load(doc, max_stream)) else {
            return false;
        };
        let gid = match self.kind {
            FontKind::Cid => match &loaded.cid_to_gid {
                Some(map) => usize::try_from(code).ok().and_then(|i| map.get(i).copied()),
                None => u16::try_from(code).ok(),
            },
            _ => loaded.program.code_gid(code),
        };
        match gid.and_then(|g| loaded.program.gid_char(g)) {
            Some(c) => {
                out.push(c);
                true
            }
            None => false,
        }
    }

    /// Poppler's and pdf.js's answer for a CID font of the Adobe-Identity collection that maps
    /// its codes no other way: the code is the character. We take it only where that is
    /// likely to be right, a font that is not embedded (no program whose glyph ids the codes
    /// could be) with a /CIDToGIDMap stream (the producer chose the codes and mapped them to
    /// the system font's glyphs), and only codes that are characters of running text
    /// (letters, kana, kanji, punctuation: no controls, no private use, no IPA). The caller
    /// counts these glyphs for a `text_guessed` warning.
    fn code_as_unicode(&self, code: u32, out: &mut String) -> bool {
        if !self.codes_may_be_unicode {
            return false;
        }
        match char::from_u32(code).filter(|&c| running_text(c)) {
            Some(c) => {
                out.push(c);
                true
            }
            None => false,
        }
    }

    /// The outline of the glyph `code` selects, in em units, for a glyph nothing maps to text:
    /// drawn and read by OCR later (`scan::drawn`). Code → glyph as the font program is
    /// addressed: CID (through /CIDToGIDMap for TrueType, the charset for CID-keyed CFF), or
    /// for simple fonts the program's own cmap or encoding.
    pub fn glyph_outline(
        &self,
        doc: &Document,
        max_stream: usize,
        code: u32,
        len: usize,
    ) -> Option<std::sync::Arc<Outline>> {
        let source = self.program_source.as_ref()?;
        let cell = self
            .outlines
            .get_or_init(|| {
                let data = stream_data_in(doc, &source.file, max_stream)?;
                let program = OutlineProgram::parse(data)?;
                Some(RefCell::new(DrawingProgram {
                    named: source.named_glyphs(doc, &program),
                    program,
                    cid_to_gid: source.cid_to_gid(doc, max_stream),
                }))
            })
            .as_ref()?;
        let mut drawing = cell.borrow_mut();
        let gid = match self.kind {
            FontKind::Cid => {
                let cid = self.cid(code, len);
                match &drawing.cid_to_gid {
                    Some(map) => map.get(usize::try_from(cid).ok()?).copied(),
                    None => drawing.program.cid_glyph(u16::try_from(cid).ok()?),
                }
            }
            _ => drawing
                .named
                .as_ref()
                .and_then(|t| t.get(usize::try_from(code).ok()?).copied())
                .filter(|&g| g != 0)
                .or_else(|| {
                    let encoded = self
                        .table
                        .as_ref()
                        .and_then(|t| t.get(usize::try_from(code).ok()?).copied())
                        .filter(|&c| c != '\0');
                    drawing.program.code_glyph(code, encoded)
                }),
        }?;
        drawing.program.outline(gid)
    }

    /// pdf.js's answer for a CID TrueType font that is not embedded, whose codes are glyph
    /// ids (Identity encoding and /CIDToGIDMap) of a system font and which maps them no other
    /// way (Ghostscript and Office write such files): the glyph order of the well-known
    /// families Arial / Times New Roman / Courier New (one order), Arial Black and Calibri,
    /// from pdf.js's tables. The caller counts these glyphs for a `text_guessed` warning.
    fn system_glyph(&self, code: u32, out: &mut String) -> bool {
        let Some(family) = self.system_glyphs else {
            return false;
        };
        let Ok(gid) = u16::try_from(code) else {
            return false;
        };
        let find = |table: &[(u16, u16)]| {
            table
                .binary_search_by_key(&gid, |&(g, _)| g)
                .ok()
                .map(|i| table[i].1)
        };
        let supplement = match family {
            SystemFamily::Standard => None,
            SystemFamily::ArialBlack => find(std_glyphs::ARIAL_BLACK),
            SystemFamily::Calibri => find(std_glyphs::CALIBRI),
        };
        match supplement
            .or_else(|| find(std_glyphs::STANDARD))
            .and_then(|u| char::from_u32(u.into()))
        {
            Some(c) => {
                out.push(c);
                true
            }
            None => false,
        }
    }

    fn load_simple(&mut self, doc: &Document, dict: &Dictionary) {
        self.split = CodeSplit::Fixed(1);
        self.first_char = dict_get(doc, dict, b"FirstChar")
            .and_then(num_of)
            .unwrap_or(0.0)
            .max(0.0) as u32;
        if let Some(ws) = compact::array(doc, dict, b"Widths") {
            self.widths = ws
                .iter()
                .take(MAX_WIDTH_ENTRIES)
                .map(|w| resolve(doc, w).and_then(num_of).unwrap_or(0.0))
                .collect();
        }
        let descriptor = dict_get(doc, dict, b"FontDescriptor").and_then(|o| o.as_dict().ok());
        self.missing_width = descriptor
            .and_then(|d| dict_get(doc, d, b"MissingWidth"))
            .and_then(num_of)
            .unwrap_or(if self.kind == FontKind::Type3 {
                0.0
            } else {
                500.0
            });
        if self.kind == FontKind::Type3 {
            if let Some(Object::Array(m)) = dict_get(doc, dict, b"FontMatrix") {
                let v: Vec<f32> = m
                    .iter()
                    .filter_map(|o| resolve(doc, o).and_then(num_of))
                    .collect();
                if v.len() >= 4 && v[..4].iter().all(|x| x.is_finite()) {
                    self.matrix = [v[0], v[1], v[2], v[3]];
                }
            }
        }

        // Encoding: base table, then /Differences.
        let base_font = dict_get(doc, dict, b"BaseFont")
            .and_then(name_of)
            .unwrap_or(b"");
        // Non-embedded Symbol uses its built-in encoding; everything else defaults to Standard.
        let default_base = if base_font.ends_with(b"Symbol") {
            BaseEncoding::Symbol
        } else {
            BaseEncoding::Standard
        };
        let enc = dict_get(doc, dict, b"Encoding");
        let (base, differences) = match enc {
            Some(Object::Name(n)) => (BaseEncoding::from_name(n).unwrap_or(default_base), None),
            Some(Object::Dictionary(d)) => {
                let base = dict_get(doc, d, b"BaseEncoding")
                    .and_then(name_of)
                    .and_then(BaseEncoding::from_name)
                    .unwrap_or(default_base);
                (base, compact::array(doc, d, b"Differences"))
            }
            _ => (default_base, None),
        };
        // Type3 fonts have no built-in encoding: a /Differences dictionary without
        // /BaseEncoding starts from nothing. A named encoding (`/Encoding /WinAnsiEncoding`,
        // as some producers write for Type3 fonts) is that encoding.
        let type3 = self.kind == FontKind::Type3;
        let mut table = match enc {
            Some(Object::Dictionary(d)) if type3 && d.get(b"BaseEncoding").is_err() => ['\0'; 256],
            _ => base.table(),
        };
        if let Some(diffs) = differences {
            for (code, name) in difference_names(doc, &diffs) {
                table[code] = glyph_name_to_char(name)
                    .or_else(|| single_char_name(name))
                    .or_else(|| type3.then(|| type3_pass_through(code)).flatten())
                    .unwrap_or('\0');
            }
        }
        self.table = Some(Box::new(table));
    }

    fn load_type0(
        &mut self,
        doc: &Document,
        dict: &Dictionary,
        cache: &mut CMapCache,
        max_stream: usize,
        to_unicode: Option<&ToUnicode>,
    ) {
        let descendant = descendant_font(doc, dict);
        // Character collection of the descendant font (for Identity and embedded CMaps).
        let family = descendant
            .and_then(|d| dict_get(doc, d, b"CIDSystemInfo"))
            .and_then(|o| o.as_dict().ok())
            .map(|csi| {
                let reg = dict_get(doc, csi, b"Registry")
                    .and_then(|o| o.as_str().ok())
                    .unwrap_or(b"");
                let ord = dict_get(doc, csi, b"Ordering")
                    .and_then(|o| o.as_str().ok())
                    .unwrap_or(b"");
                CidFamily::from_registry_ordering(reg, ord)
            });

        let mut encoding_cmap: Option<Rc<Predefined>> = None;
        let mut encoding_family = None;
        match dict_get(doc, dict, b"Encoding") {
            Some(Object::Name(name)) => {
                self.vertical = name.ends_with(b"-V") || name == b"V";
                self.split = cmap::predefined_split(name).unwrap_or(CodeSplit::Fixed(2));
                if cmap::is_unicode_cmap(name) {
                    self.cid_unicode = CidUnicode::CodeIsUnicode;
                } else if !name.starts_with(b"Identity") {
                    encoding_cmap = cache.predefined(name);
                    encoding_family = encoding_cmap.as_ref().and_then(|c| c.family());
                }
            }
            Some(stream @ Object::Stream(s)) => {
                self.vertical = dict_get(doc, &s.dict, b"WMode").and_then(num_of) == Some(1.0);
                if let Some(data) = stream_data_in(doc, stream, max_stream) {
                    let ranges = ToUnicode::parse(&data).codespace;
                    if !ranges.is_empty() {
                        self.split = CodeSplit::Ranges(ranges);
                    } else {
                        self.split = CodeSplit::Fixed(2);
                    }
                    encoding_cmap = CMap::parse(&data, hayro_cmap::load_embedded)
                        .map(|c| Rc::new(Predefined::Parsed(Box::new(c))));
                }
            }
            _ => self.split = CodeSplit::Fixed(2),
        }
        // Without an encoding that fixes code lengths, the ToUnicode code space decides.
        if matches!(self.split, CodeSplit::Fixed(2)) && encoding_cmap.is_none() {
            if let Some(tu) = to_unicode {
                if !tu.codespace.is_empty() && tu.codespace.iter().any(|r| r.len != 2) {
                    self.split = CodeSplit::Ranges(tu.codespace.clone());
                }
            }
        }
        // Codes that are glyph ids of a named system font (checked again in `load`: only
        // when the font is not embedded and nothing else maps it).
        let identity_encoding = matches!(
            dict_get(doc, dict, b"Encoding").and_then(name_of),
            Some(b"Identity-H" | b"Identity-V")
        );
        let identity_gids = match descendant.and_then(|d| dict_get(doc, d, b"CIDToGIDMap")) {
            None => true,
            Some(o) => name_of(o) == Some(b"Identity"),
        };
        let truetype = descendant
            .and_then(|d| dict_get(doc, d, b"Subtype"))
            .and_then(name_of)
            == Some(b"CIDFontType2");
        if identity_encoding && identity_gids && truetype {
            self.system_glyphs = descendant
                .and_then(|d| dict_get(doc, d, b"BaseFont"))
                .or_else(|| dict_get(doc, dict, b"BaseFont"))
                .and_then(name_of)
                .and_then(SystemFamily::of);
        }
        self.codes_may_be_unicode = matches!(family, Some(CidFamily::AdobeIdentity))
            && encoding_cmap.is_none()
            && matches!(
                descendant.and_then(|d| dict_get(doc, d, b"CIDToGIDMap")),
                Some(Object::Stream(_))
            );
        if !matches!(self.cid_unicode, CidUnicode::CodeIsUnicode) {
            self.japan1 = matches!(
                encoding_family.as_ref().or(family.as_ref()),
                Some(CidFamily::AdobeJapan1)
            );
            let ucs2 = encoding_family
                .or(family)
                .and_then(|f| f.ucs2_cmap())
                .and_then(|n| cache.predefined(n.to_bytes()));
            if let Some(ucs2) = ucs2 {
                self.cid_unicode = CidUnicode::ViaCid {
                    encoding: encoding_cmap,
                    ucs2,
                };
            }
        }

        if let Some(d) = descendant {
            self.dw = dict_get(doc, d, b"DW").and_then(num_of).unwrap_or(1000.0);
            if let Some(w) = compact::array(doc, d, b"W") {
                self.read_w(doc, &w);
            }
            if let Some(Object::Array(dw2)) = dict_get(doc, d, b"DW2") {
                if let Some(w1) = dw2.get(1).and_then(|o| resolve(doc, o)).and_then(num_of) {
                    self.dw2 = w1;
                }
            }
            if let Some(w2) = compact::array(doc, d, b"W2") {
                self.read_w2(doc, &w2);
            }
        }
    }

    /// /W: `c [w1 w2 …]` and `cfirst clast w`.
    fn read_w(&mut self, doc: &Document, w: &[Object]) {
        let mut i = 0;
        let mut budget = MAX_WIDTH_ENTRIES;
        while i < w.len() && budget > 0 {
            let first = resolve(doc, &w[i]).and_then(num_of);
            match (first, w.get(i + 1).and_then(|o| resolve(doc, o))) {
                (Some(c), Some(Object::Array(list))) => {
                    for (k, v) in list.iter().enumerate().take(budget) {
                        if let Some(v) = resolve(doc, v).and_then(num_of) {
                            self.cid_widths
                                .insert((c as u32).saturating_add(k as u32), v);
                        }
                    }
                    budget = budget.saturating_sub(list.len().max(1));
                    i += 2;
                }
                (Some(c0), Some(o)) => {
                    let c1 = num_of(o);
                    let v = w.get(i + 2).and_then(|o| resolve(doc, o)).and_then(num_of);
                    if let (Some(c1), Some(v)) = (c1, v) {
                        self.cid_width_ranges.push((c0 as u32, c1 as u32, v));
                    }
                    budget -= 1;
                    i += 3;
                }
                _ => break,
            }
        }
    }

    /// /W2: `c [w1y vx vy …]` and `cfirst clast w1y vx vy`; we keep w1y only.
    fn read_w2(&mut self, doc: &Document, w: &[Object]) {
        let mut i = 0;
        let mut budget = MAX_WIDTH_ENTRIES;
        while i < w.len() && budget > 0 {
            let first = resolve(doc, &w[i]).and_then(num_of);
            match (first, w.get(i + 1).and_then(|o| resolve(doc, o))) {
                (Some(c), Some(Object::Array(list))) => {
                    for (k, v) in list.chunks(3).enumerate().take(budget) {
                        if let Some(v) = resolve(doc, &v[0]).and_then(num_of) {
                            self.w2.insert((c as u32).saturating_add(k as u32), v);
                        }
                    }
                    budget = budget.saturating_sub(list.len().max(1));
                    i += 2;
                }
                (Some(c0), Some(o)) => {
                    let c1 = num_of(o).unwrap_or(c0) as u32;
                    let v = w.get(i + 2).and_then(|o| resolve(doc, o)).and_then(num_of);
                    if let Some(v) = v {
                        for c in (c0 as u32)..=c1.min(c0 as u32 + 65_535) {
                            self.w2.insert(c, v);
                        }
                    }
                    budget = budget.saturating_sub(1 + (c1.saturating_sub(c0 as u32)) as usize);
                    i += 5;
                }
                _ => break,
            }
        }
    }

    /// Splits off the next code: (code value, byte length). `bytes` must not be empty.
    pub fn next_code(&self, bytes: &[u8]) -> (u32, usize) {
        let n = self.split.code_len(bytes);
        (cmap::code_value(&bytes[..n]), n)
    }

    /// The CID a code selects (CID fonts), for width lookups.
    fn cid(&self, code: u32, len: usize) -> u32 {
        match &self.cid_unicode {
            CidUnicode::ViaCid {
                encoding: Some(enc),
                ..
            } => {
                // Every glyph's width needs its CID: memoized like the text lookups.
                let key = (code, len as u8);
                if let Some(&cid) = self.cid_memo.borrow().get(&key) {
                    return cid;
                }
                let cid = enc.lookup_cid_code(code, len as u8).unwrap_or(0);
                self.cid_memo.borrow_mut().insert(key, cid);
                cid
            }
            CidUnicode::CodeIsUnicode => {
                // Widths of UCS2-encoded fonts are keyed by CID too; we rarely have them
                // (non-embedded fonts), so the default width is what we get.
                u32::MAX
            }
            _ => code,
        }
    }

    /// Horizontal advance in glyph units (1000 per em for all but Type3 fonts).
    fn width(&self, code: u32, len: usize) -> f32 {
        match self.kind {
            // Memoized with the code's text by `read_code`.
            FontKind::Cid => self.cid_width(code, len),
            _ => code
                .checked_sub(self.first_char)
                .and_then(|i| self.widths.get(i as usize))
                .copied()
                .unwrap_or(self.missing_width),
        }
    }

    /// A CID font's width of `code` (glyph units).
    fn cid_width(&self, code: u32, len: usize) -> f32 {
        let cid = self.cid(code, len);
        if let Some(w) = self.cid_widths.get(&cid) {
            return *w;
        }
        for &(lo, hi, w) in &self.cid_width_ranges {
            if cid >= lo && cid <= hi {
                return w;
            }
        }
        if cid == u32::MAX {
            // UCS2 without CID widths: half width for ASCII / half-width kana.
            return if code < 0x7f || (0xff61..=0xff9f).contains(&code) {
                500.0
            } else {
                self.dw
            };
        }
        // Half-width CIDs that /W leaves out: ReportLab lays 90ms-RKSJ text out with
        // half-width digits but lists only some of those CIDs in /W, so /DW (1000)
        // would push the rest of the line out of its table cell. The collection
        // defines them as half-width, which is what the producer meant.
        if self.japan1 && (231..=632).contains(&cid) {
            return 500.0;
        }
        self.dw
    }

    /// Vertical advance (w1y) in glyph units; negative means downward.
    pub fn vertical_advance(&self, code: u32, len: usize) -> f32 {
        let cid = self.cid(code, len);
        self.w2.get(&cid).copied().unwrap_or(self.dw2)
    }

    /// Appends the Unicode text of `code` to `out`; false when nothing usable maps it.
    fn unicode(&self, code: u32, len: usize, out: &mut String) -> bool {
        let before = out.len();
        if let Some(tu) = &self.to_unicode {
            if tu.lookup(code, out) && usable(&out[before..]) {
                return true;
            }
            out.truncate(before);
        }
        if let Some(base) = &self.base_ucs2 {
            let cid = match &self.cid_unicode {
                CidUnicode::ViaCid {
                    encoding: Some(enc),
                    ..
                } => enc.lookup_cid_code(code, len as u8).unwrap_or(code),
                _ => code,
            };
            match base.lookup_bf_string(cid) {
                Some(BfString::Char(c)) => cmap::push_without_vs(out, c.encode_utf8(&mut [0; 4])),
                Some(BfString::String(s)) => cmap::push_without_vs(out, &s),
                None => {}
            }
            if usable(&out[before..]) {
                return true;
            }
            out.truncate(before);
        }
        match self.kind {
            FontKind::Cid => match &self.cid_unicode {
                CidUnicode::CodeIsUnicode => match cmap::unicode_code(code, len) {
                    Some(c) => {
                        out.push(c);
                        true
                    }
                    None => false,
                },
                // The CMap lookups are memoized with the code's width by `read_code`.
                CidUnicode::ViaCid { encoding, ucs2 } => {
                    self.via_cid_lookup(encoding.as_deref(), ucs2, code, len, out, before)
                }
                CidUnicode::None => false,
            },
            _ => {
                let c = self
                    .table
                    .as_ref()
                    .and_then(|t| t.get(code as usize))
                    .copied()
                    .unwrap_or('\0');
                if c != '\0' {
                    out.push(c);
                    true
                } else {
                    false
                }
            }
        }
    }

    /// Code → CID (through `encoding`, or Identity) → Unicode (through `ucs2`), variation
    /// selectors stripped; appends to `out` and says whether it found usable text.
    fn via_cid_lookup(
        &self,
        encoding: Option<&Predefined>,
        ucs2: &Predefined,
        code: u32,
        len: usize,
        out: &mut String,
        before: usize,
    ) -> bool {
        let cid = match encoding {
            Some(enc) => match enc.lookup_cid_code(code, len as u8) {
                Some(cid) => cid,
                None => return false,
            },
            None => code,
        };
        match ucs2.lookup_bf_string(cid) {
            Some(BfString::Char(c)) => cmap::push_without_vs(out, c.encode_utf8(&mut [0; 4])),
            Some(BfString::String(s)) => cmap::push_without_vs(out, &s),
            None => return false,
        }
        if usable(&out[before..]) {
            true
        } else {
            out.truncate(before);
            false
        }
    }

    /// Word spacing applies to the single-byte code 32 only (PDF 32000 9.3.3).
    pub fn is_word_space(&self, code: u32, len: usize) -> bool {
        code == 32 && len == 1
    }
}

/// A glyph name of one printable ASCII character (`/0`, `/7`, as some Type3 fonts name their
/// digits) is that character, as poppler reads it.
fn single_char_name(name: &[u8]) -> Option<char> {
    match name {
        [b] if b.is_ascii_graphic() => Some(char::from(*b)),
        _ => None,
    }
}

/// A Type3 glyph whose name means nothing (pdfTeX's bitmap fonts name them /a65, /a66 …)
/// stands for its own code, as poppler reads such fonts; control codes map to nothing.
fn type3_pass_through(code: usize) -> Option<char> {
    let c = char::from(u8::try_from(code).ok()?);
    (!c.is_control()).then_some(c)
}

/// A mapping result we can use: not empty, no NUL / U+FFFD / C0 controls other than white space.
fn usable(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c != '\u{fffd}' && (!c.is_control() || c == '\t' || c == '\n'))
}

/// A Type0 font's (first) descendant CIDFont dictionary.
fn descendant_font<'a>(doc: &'a Document, dict: &'a Dictionary) -> Option<&'a Dictionary> {
    match dict_get(doc, dict, b"DescendantFonts") {
        Some(Object::Array(a)) => a
            .first()
            .and_then(|o| resolve(doc, o))
            .and_then(|o| o.as_dict().ok()),
        Some(Object::Dictionary(d)) => Some(d),
        _ => None,
    }
}

/// Where a font's embedded program and /CIDToGIDMap are (references, cheap to keep).
struct ProgramSource {
    file: Object,
    cid_to_gid: Option<Object>,
    /// Simple fonts: /Encoding (its /Differences name the glyphs codes draw).
    encoding: Option<Object>,
}

/// A font program read for its outlines, with its CID → glyph map.
struct DrawingProgram {
    program: OutlineProgram,
    cid_to_gid: Option<Vec<u16>>,
    /// Simple fonts: code → glyph by the /Differences names.
    named: Option<Vec<u16>>,
}

/// A font program as read, with its CID → glyph map.
struct LoadedProgram {
    program: FontProgram,
    /// None: Identity.
    cid_to_gid: Option<Vec<u16>>,
}

impl ProgramSource {
    fn find(doc: &Document, dict: &Dictionary, kind: FontKind) -> Option<ProgramSource> {
        let font_dict = if kind == FontKind::Cid {
            descendant_font(doc, dict)
        } else {
            Some(dict)
        }?;
        let descriptor =
            dict_get(doc, font_dict, b"FontDescriptor").and_then(|o| o.as_dict().ok())?;
        let file = [&b"FontFile2"[..], b"FontFile3"]
            .iter()
            .find_map(|k| descriptor.get(k).ok())?
            .clone();
        let cid_to_gid = match font_dict.get(b"CIDToGIDMap") {
            Ok(o @ Object::Reference(_)) => Some(o.clone()),
            _ => None,
        };
        let encoding = (kind != FontKind::Cid)
            .then(|| dict.get(b"Encoding").ok().cloned())
            .flatten();
        Some(ProgramSource {
            file,
            cid_to_gid,
            encoding,
        })
    }

    fn load(&self, doc: &Document, max_stream: usize) -> Option<LoadedProgram> {
        let data = stream_data_in(doc, &self.file, max_stream)?;
        let program = FontProgram::parse(&data)?;
        Some(LoadedProgram {
            program,
            cid_to_gid: self.cid_to_gid(doc, max_stream),
        })
    }

    /// Simple fonts: code → glyph through the glyph names /Differences gives, as the program
    /// names its glyphs (0: none).
    fn named_glyphs(&self, doc: &Document, program: &OutlineProgram) -> Option<Vec<u16>> {
        let enc = resolve(doc, self.encoding.as_ref()?)?.as_dict().ok()?;
        // Long arrays are kept packed while loading (compact.rs).
        let diffs = compact::array(doc, enc, b"Differences")?;
        let mut table = vec![0u16; 256];
        for (code, name) in difference_names(doc, &diffs) {
            table[code] = program.named_glyph(name).unwrap_or(0);
        }
        table.iter().any(|&g| g != 0).then_some(table)
    }

    /// The /CIDToGIDMap stream as glyph ids (None: Identity).
    fn cid_to_gid(&self, doc: &Document, max_stream: usize) -> Option<Vec<u16>> {
        let map = stream_data_in(doc, self.cid_to_gid.as_ref()?, max_stream)?;
        Some(
            map.chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect(),
        )
    }
}

/// The (code, glyph name) pairs of a /Differences array, where each number gives the code of
/// the name after it and each further name the next code; codes past 255 are left out.
fn difference_names<'d>(
    doc: &'d Document,
    diffs: &'d [Object],
) -> impl Iterator<Item = (usize, &'d [u8])> + 'd {
    let mut code: usize = 0;
    diffs
        .iter()
        .take(MAX_WIDTH_ENTRIES)
        .filter_map(move |item| match resolve(doc, item) {
            Some(Object::Integer(i)) => {
                code = (*i).clamp(0, 256) as usize;
                None
            }
            Some(Object::Real(r)) => {
                code = r.clamp(0.0, 256.0) as usize;
                None
            }
            Some(Object::Name(name)) => {
                let at = code;
                code += 1;
                (at < 256).then_some((at, name.as_slice()))
            }
            _ => None,
        })
}

/// The system font families whose glyph ids we can read (pdf.js's standard-font glyph map).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SystemFamily {
    Standard,
    ArialBlack,
    Calibri,
}

impl SystemFamily {
    /// The family of a /BaseFont name: a subset tag (`ABCDEF+`) dropped, spaces, commas and
    /// underscores as pdf.js normalizes them, the style after the first hyphen ignored.
    /// Only the families pdf.js maps to its standard fonts and whose glyph order its tables
    /// give; others (MS Gothic, Verdana, …) order their glyphs differently.
    fn of(base_font: &[u8]) -> Option<SystemFamily> {
        let name = String::from_utf8_lossy(base_font);
        let name = match name.split_once('+') {
            Some((tag, rest)) if tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()) => {
                rest
            }
            _ => &name,
        };
        let name: String = name
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c == ',' || c == '_' { '-' } else { c })
            .collect();
        if name.starts_with("ArialBlack") || name.starts_with("Arial-Black") {
            return Some(SystemFamily::ArialBlack);
        }
        let family = name.split('-').next().unwrap_or("");
        match family {
            "Calibri" => Some(SystemFamily::Calibri),
            "Arial" | "ArialMT" | "ArialNarrow" | "ArialUnicodeMS" | "Helvetica"
            | "HelveticaLTStd" | "LiberationSans" | "Times" | "TimesNewRoman"
            | "TimesNewRomanPS" | "TimesNewRomanPSMT" | "Courier" | "CourierNew"
            | "CourierNewPS" | "CourierNewPSMT" => Some(SystemFamily::Standard),
            _ => None,
        }
    }
}

/// A character of running text in the scripts reports are written in: ASCII and Latin-1
/// printables, Latin Extended-A, Greek, Cyrillic, general punctuation and symbols, CJK
/// punctuation, kana, kanji, Hangul, full-width forms. Codes taken as Unicode outside these
/// are almost always glyph ids or indexes, not characters.
fn running_text(c: char) -> bool {
    matches!(c as u32,
        0x20..=0x7E
        | 0xA0..=0x17F
        | 0x370..=0x3FF
        | 0x400..=0x4FF
        | 0x2010..=0x206F
        | 0x20A0..=0x20CF
        | 0x2100..=0x218F
        | 0x2190..=0x22FF
        | 0x2460..=0x24FF
        | 0x25A0..=0x26FF
        | 0x3000..=0x30FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFF01..=0xFFEF)
}

#[cfg(test)]
mod tests {
    use super::SystemFamily::{self, *};

    #[test]
    fn system_families_by_base_font_name() {
        for (name, want) in [
            (&b"Arial"[..], Some(Standard)),
            (b"ArialMT", Some(Standard)),
            (b"Arial,Bold", Some(Standard)),
            (b"Arial-BoldItalicMT", Some(Standard)),
            (b"ABCDEF+TimesNewRomanPSMT", Some(Standard)),
            (b"Courier New", Some(Standard)),
            (b"ArialBlack,Bold", Some(ArialBlack)),
            (b"Arial-Black", Some(ArialBlack)),
            (b"Calibri-Bold", Some(Calibri)),
            (b"MS-Gothic", None),
            (b"Verdana", None),
            (b"ArialRounded", None),
            (b"abcdef+Arial", None),
        ] {
            assert_eq!(
                SystemFamily::of(name),
                want,
                "{}",
                String::from_utf8_lossy(name)
            );
        }
    }
}
