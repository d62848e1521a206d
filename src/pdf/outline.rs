//! Glyph outlines from embedded font programs, for glyphs whose font maps them to no text.
//!
//! Such glyphs are still drawn on the page: the scan front end paints them and reads them by
//! OCR (`scan::drawn`), the only way to their text when neither the PDF nor the font program
//! says which characters they are. ttf-parser reads the outlines of TrueType / OpenType
//! programs (/FontFile2, /FontFile3 /OpenType) and of bare CFF ones (/FontFile3 /Type1C,
//! /CIDFontType0C); Type 1 programs (/FontFile) and Type 3 glyph procedures are not drawn.

use std::sync::Arc;

use super::fxhash::FxHashMap;

/// One glyph's outline in em units (1.0 = the font size; y up), as the font program gives
/// it: contours of lines and quadratic / cubic Bézier curves.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outline {
    pub segments: Vec<Segment>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Segment {
    Move([f32; 2]),
    Line([f32; 2]),
    Quad([f32; 2], [f32; 2]),
    Cubic([f32; 2], [f32; 2], [f32; 2]),
    Close,
}

/// More segments than any real glyph has: a hostile program's outline stops there.
const MAX_SEGMENTS: usize = 20_000;
/// Distinct glyphs kept per font.
const MAX_GLYPHS: usize = 65_536;

/// A font program that can draw its glyphs, with the glyphs drawn so far.
pub struct OutlineProgram {
    data: Vec<u8>,
    /// A bare CFF program rather than an sfnt (TrueType / OpenType).
    cff: bool,
    /// Font units → em (the CFF /FontMatrix, or 1 / unitsPerEm).
    scale: [f32; 4],
    /// CID-keyed CFF: CID → glyph id (its charset read backwards).
    cff_cids: Option<FxHashMap<u16, u16>>,
    drawn: FxHashMap<u16, Option<Arc<Outline>>>,
}

impl OutlineProgram {
    /// `None` when ttf-parser cannot read `data` as either kind of program.
    pub fn parse(data: Vec<u8>) -> Option<OutlineProgram> {
        if let Ok(face) = ttf_parser::Face::parse(&data, 0) {
            let upem = f32::from(face.units_per_em().max(1));
            return Some(OutlineProgram {
                data,
                cff: false,
                scale: [1.0 / upem, 0.0, 0.0, 1.0 / upem],
                cff_cids: None,
                drawn: FxHashMap::default(),
            });
        }
        let table = ttf_parser::cff::Table::parse(&data)?;
        let m = table.matrix();
        let scale = [m.sx, m.ky, m.kx, m.sy];
        let cff_cids = (table.glyph_cid(ttf_parser::GlyphId(0)).is_some()).then(|| {
            (0..table.number_of_glyphs())
                .filter_map(|g| Some((table.glyph_cid(ttf_parser::GlyphId(g))?, g)))
                .collect()
        });
        Some(OutlineProgram {
            data,
            cff: true,
            scale,
            cff_cids,
            drawn: FxHashMap::default(),
        })
    }

    /// A CID font's glyph for `cid` (after /CIDToGIDMap, which the caller applies for
    /// TrueType programs): the charset of a CID-keyed CFF program, else the CID itself.
    pub fn cid_glyph(&self, cid: u16) -> Option<u16> {
        match &self.cff_cids {
            Some(map) => map.get(&cid).copied(),
            None => Some(cid),
        }
    }

    /// A simple font's glyph for `code`: through the symbol (3,0) or Macintosh (1,0) cmap of
    /// an sfnt, or a Unicode cmap for the character the encoding gives; through a CFF
    /// program's own encoding.
    pub fn code_glyph(&self, code: u32, encoded: Option<char>) -> Option<u16> {
        let byte = u8::try_from(code).ok()?;
        if self.cff {
            let table = ttf_parser::cff::Table::parse(&self.data)?;
            return table.glyph_index(byte).map(|g| g.0).filter(|&g| g != 0);
        }
        let face = ttf_parser::Face::parse(&self.data, 0).ok()?;
        let cmap = face.tables().cmap?;
        let mut by_unicode = None;
        for sub in cmap.subtables {
            let symbol = sub.platform_id == ttf_parser::PlatformId::Windows && sub.encoding_id == 0;
            let mac = sub.platform_id == ttf_parser::PlatformId::Macintosh && sub.encoding_id == 0;
            let found = if symbol {
                [0xf000 + u32::from(byte), u32::from(byte)]
                    .iter()
                    .find_map(|&cp| sub.glyph_index(cp))
            } else if mac {
                sub.glyph_index(u32::from(byte))
            } else {
                if sub.is_unicode() && by_unicode.is_none() {
                    by_unicode = encoded.and_then(|c| sub.glyph_index(u32::from(c)));
                }
                None
            };
            if let Some(g) = found.filter(|g| g.0 != 0) {
                return Some(g.0);
            }
        }
        by_unicode.map(|g| g.0).filter(|&g| g != 0)
    }

    /// The glyph the program names `name` (CFF charset, TrueType `post` table).
    pub fn named_glyph(&self, name: &[u8]) -> Option<u16> {
        let name = std::str::from_utf8(name).ok()?;
        let gid = if self.cff {
            ttf_parser::cff::Table::parse(&self.data)?.glyph_index_by_name(name)
        } else {
            ttf_parser::Face::parse(&self.data, 0)
                .ok()?
                .glyph_index_by_name(name)
        }?;
        (gid.0 != 0).then_some(gid.0)
    }

    /// Glyph `gid`'s outline in em units, read once: empty for a glyph that draws nothing (a
    /// space), `None` for one the program does not have or cannot draw.
    pub fn outline(&mut self, gid: u16) -> Option<Arc<Outline>> {
        if let Some(hit) = self.drawn.get(&gid) {
            return hit.clone();
        }
        let mut pen = Pen {
            scale: self.scale,
            out: Outline::default(),
        };
        let id = ttf_parser::GlyphId(gid);
        // A glyph of the program that draws nothing (a space) is blank, not missing.
        let exists = if self.cff {
            ttf_parser::cff::Table::parse(&self.data)
                .is_some_and(|t| t.outline(id, &mut pen).is_ok() || gid < t.number_of_glyphs())
        } else {
            ttf_parser::Face::parse(&self.data, 0)
                .is_ok_and(|f| f.outline_glyph(id, &mut pen).is_some() || blank_glyph(&f, id))
        };
        if pen.out.segments.len() >= MAX_SEGMENTS {
            pen.out.segments.clear();
        }
        let outline = exists.then(|| Arc::new(pen.out));
        if self.drawn.len() < MAX_GLYPHS {
            self.drawn.insert(gid, outline.clone());
        }
        outline
    }
}

/// A TrueType glyph without an outline: an empty `loca` range inside the program (a
/// truncated or damaged `glyf` is not blank, its glyphs are missing). Programs without
/// `glyf` (OpenType CFF) draw every glyph they have.
fn blank_glyph(face: &ttf_parser::Face, id: ttf_parser::GlyphId) -> bool {
    if id.0 >= face.number_of_glyphs() {
        return false;
    }
    let raw = face.raw_face();
    let tag = |t: &[u8; 4]| raw.table(ttf_parser::Tag::from_bytes(t));
    let (Some(loca), Some(glyf)) = (tag(b"loca"), tag(b"glyf")) else {
        return true;
    };
    // The offsets of the glyph and the next one (ttf-parser's `glyph_range` answers None for
    // both an empty and an invalid range).
    let i = usize::from(id.0);
    let offset = |k: usize| -> Option<usize> {
        match face.tables().head.index_to_location_format {
            ttf_parser::head::IndexToLocationFormat::Short => loca
                .get(2 * k..2 * k + 2)
                .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])) * 2),
            ttf_parser::head::IndexToLocationFormat::Long => loca
                .get(4 * k..4 * k + 4)
                .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize),
        }
    };
    matches!((offset(i), offset(i + 1)), (Some(a), Some(b)) if a == b && a <= glyf.len())
}

/// Collects ttf-parser's outline calls, font units → em.
struct Pen {
    scale: [f32; 4],
    out: Outline,
}

impl Pen {
    fn at(&self, x: f32, y: f32) -> [f32; 2] {
        let s = self.scale;
        [x * s[0] + y * s[2], x * s[1] + y * s[3]]
    }

    fn push(&mut self, s: Segment) {
        if self.out.segments.len() < MAX_SEGMENTS {
            self.out.segments.push(s);
        }
    }
}

impl ttf_parser::OutlineBuilder for Pen {
    fn move_to(&mut self, x: f32, y: f32) {
        let p = self.at(x, y);
        self.push(Segment::Move(p));
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let p = self.at(x, y);
        self.push(Segment::Line(p));
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let (c, p) = (self.at(x1, y1), self.at(x, y));
        self.push(Segment::Quad(c, p));
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let (c1, c2, p) = (self.at(x1, y1), self.at(x2, y2), self.at(x, y));
        self.push(Segment::Cubic(c1, c2, p));
    }
    fn close(&mut self) {
        self.push(Segment::Close);
    }
}
