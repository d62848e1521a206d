//! Unicode from an embedded font program (TrueType or OpenType in /FontFile2 or /FontFile3),
//! for fonts that have no /ToUnicode and no encoding or character collection that maps their
//! codes: poppler's fallback. The program's Unicode cmap subtables, read backwards, give each
//! glyph its character; glyphs the cmap does not reach fall back to their `post` names.
//! ttf-parser reads the tables (bounds-checked, no allocation).

use super::encoding::glyph_name_to_char;
use super::fxhash::FxHashMap;

/// What we keep of a font program.
#[derive(Debug, Default)]
pub struct FontProgram {
    /// Glyph id → character.
    by_gid: FxHashMap<u16, char>,
    /// Simple fonts: code → glyph id through the symbol (3,0) or Macintosh (1,0) cmap, as
    /// PDF 32000 9.6.6.4 describes for symbolic TrueType fonts (0 = none).
    code_gid: Option<Box<[u16; 256]>>,
}

impl FontProgram {
    /// Parses `data`; `None` when it is not a font program ttf-parser can read or it maps
    /// nothing.
    pub fn parse(data: &[u8]) -> Option<FontProgram> {
        let face = ttf_parser::Face::parse(data, 0).ok()?;
        let mut best: FxHashMap<u16, (u8, char)> = FxHashMap::default();
        let mut code_gid: Option<Box<[u16; 256]>> = None;
        if let Some(cmap) = face.tables().cmap {
            for sub in cmap.subtables {
                if sub.is_unicode() {
                    sub.codepoints(|cp| {
                        let (Some(c), Some(g)) = (char::from_u32(cp), sub.glyph_index(cp)) else {
                            return;
                        };
                        if g.0 == 0 {
                            return;
                        }
                        let r = rank(c);
                        let e = best.entry(g.0).or_insert((r, c));
                        if (r, c) < *e {
                            *e = (r, c);
                        }
                    });
                } else {
                    let symbol =
                        sub.platform_id == ttf_parser::PlatformId::Windows && sub.encoding_id == 0;
                    let mac = sub.platform_id == ttf_parser::PlatformId::Macintosh
                        && sub.encoding_id == 0;
                    if !(symbol || mac) {
                        continue;
                    }
                    let table = code_gid.get_or_insert_with(|| Box::new([0; 256]));
                    for code in 0..256u32 {
                        if table[code as usize] != 0 {
                            continue;
                        }
                        let candidates: &[u32] = if symbol {
                            &[0xf000 + code, code, 0xf100 + code, 0xf200 + code]
                        } else {
                            &[code]
                        };
                        if let Some(g) = candidates.iter().find_map(|&cp| sub.glyph_index(cp)) {
                            table[code as usize] = g.0;
                        }
                    }
                }
            }
        }
        let mut by_gid: FxHashMap<u16, char> = best.into_iter().map(|(g, (_, c))| (g, c)).collect();
        for g in 1..face.number_of_glyphs() {
            if by_gid.contains_key(&g) {
                continue;
            }
            if let Some(c) = face
                .glyph_name(ttf_parser::GlyphId(g))
                .and_then(|n| glyph_name_to_char(n.as_bytes()))
            {
                by_gid.insert(g, c);
            }
        }
        (!by_gid.is_empty() || code_gid.is_some()).then_some(FontProgram { by_gid, code_gid })
    }

    /// The character of glyph `gid`.
    pub fn gid_char(&self, gid: u16) -> Option<char> {
        self.by_gid.get(&gid).copied().filter(|c| !c.is_control())
    }

    /// A simple font's code → glyph id through the program's symbol / Macintosh cmap.
    pub fn code_gid(&self, code: u32) -> Option<u16> {
        let table = self.code_gid.as_ref()?;
        let g = *table.get(usize::try_from(code).ok()?)?;
        (g != 0).then_some(g)
    }
}

/// When several code points share a glyph, the ordinary one wins: unified ideographs over
/// Kangxi / supplementary radicals and compatibility ideographs, anything over private use.
fn rank(c: char) -> u8 {
    match u32::from(c) {
        0xe000..=0xf8ff | 0xf0000..=0x10ffff => 3,
        0x2e80..=0x2fdf | 0xf900..=0xfaff | 0x2f800..=0x2fa1f => 2,
        0xfe30..=0xfe4f => 1,
        _ => 0,
    }
}
