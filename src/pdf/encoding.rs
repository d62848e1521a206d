//! Simple-font encodings (WinAnsi, MacRoman, Standard, Symbol, /Differences) and glyph names.
//!
//! WinAnsi and MacRoman are windows-1252 and x-mac-roman, which encoding_rs (already a
//! dependency for text input) decodes; Standard and Symbol are small tables here. Glyph names
//! cover `uniXXXX`, `uXXXX[XX]` and the Adobe Glyph List names of WinAnsi / Latin-1 and common
//! punctuation, which is what Japanese reports use in their Latin fonts.

use std::collections::HashMap;
use std::sync::OnceLock;

/// A code → character table for a simple font; '\0' means "no mapping".
pub type CodeTable = [char; 256];

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BaseEncoding {
    WinAnsi,
    MacRoman,
    Standard,
    Symbol,
}

impl BaseEncoding {
    pub fn from_name(name: &[u8]) -> Option<BaseEncoding> {
        match name {
            b"WinAnsiEncoding" => Some(BaseEncoding::WinAnsi),
            b"MacRomanEncoding" => Some(BaseEncoding::MacRoman),
            b"StandardEncoding" => Some(BaseEncoding::Standard),
            // MacExpert / PDFDoc are rare for text; Standard is the closest for the ASCII part.
            b"MacExpertEncoding" | b"PDFDocEncoding" => Some(BaseEncoding::Standard),
            _ => None,
        }
    }

    pub fn table(self) -> CodeTable {
        let mut t = ['\0'; 256];
        match self {
            BaseEncoding::WinAnsi => fill_from(&mut t, encoding_rs::WINDOWS_1252),
            BaseEncoding::MacRoman => fill_from(&mut t, encoding_rs::MACINTOSH),
            BaseEncoding::Standard => {
                for c in 0x20u8..0x7f {
                    t[usize::from(c)] = char::from(c);
                }
                t[0x27] = '\u{2019}';
                t[0x60] = '\u{2018}';
                for &(code, name) in STANDARD_UPPER {
                    if let Some(c) = glyph_name_to_char(name.as_bytes()) {
                        t[usize::from(code)] = c;
                    }
                }
            }
            BaseEncoding::Symbol => {
                for &(code, u) in SYMBOL {
                    if let Some(c) = char::from_u32(u) {
                        t[usize::from(code)] = c;
                    }
                }
            }
        }
        t
    }
}

fn fill_from(t: &mut CodeTable, enc: &'static encoding_rs::Encoding) {
    for b in 0x20u8..=0xff {
        let byte = [b];
        let (s, _) = enc.decode_without_bom_handling(&byte);
        if let Some(c) = s.chars().next() {
            if !c.is_control() && c != '\u{fffd}' {
                t[usize::from(b)] = c;
            }
        }
    }
}

/// Glyph name → character: `uniXXXX`, `uXXXX`..`uXXXXXX`, AGL names we know, and names with a
/// suffix (`A.sc`, `one.oldstyle`) by their base name.
pub fn glyph_name_to_char(name: &[u8]) -> Option<char> {
    let name = std::str::from_utf8(name).ok()?;
    let base = name.split('.').next().unwrap_or(name);
    if let Some(c) = names().get(base) {
        return Some(*c);
    }
    let hex = |s: &str| u32::from_str_radix(s, 16).ok().and_then(char::from_u32);
    if let Some(h) = base.strip_prefix("uni") {
        // uniXXXX (a ligature name uniXXXXYYYY keeps its first character).
        if h.len() >= 4 && h.is_char_boundary(4) {
            return hex(&h[..4]).filter(|c| !c.is_control());
        }
    }
    if let Some(h) = base.strip_prefix('u') {
        if (4..=6).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_hexdigit()) {
            return hex(h).filter(|c| !c.is_control());
        }
    }
    None
}

fn names() -> &'static HashMap<&'static str, char> {
    static NAMES: OnceLock<HashMap<&'static str, char>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut m = HashMap::with_capacity(400);
        let win = BaseEncoding::WinAnsi.table();
        for (i, name) in WINANSI_NAMES.iter().enumerate() {
            let c = win[i + 0x20];
            if !name.is_empty() && c != '\0' {
                m.insert(*name, c);
            }
        }
        for &(name, u) in EXTRA_NAMES {
            if let Some(c) = char::from_u32(u) {
                m.insert(name, c);
            }
        }
        m
    })
}

/// AGL names of WinAnsiEncoding codes 0x20..=0xFF ("" where undefined).
#[rustfmt::skip]
const WINANSI_NAMES: [&str; 224] = [
    "space", "exclam", "quotedbl", "numbersign", "dollar", "percent", "ampersand", "quotesingle",
    "parenleft", "parenright", "asterisk", "plus", "comma", "hyphen", "period", "slash",
    "zero", "one", "two", "three", "four", "five", "six", "seven",
    "eight", "nine", "colon", "semicolon", "less", "equal", "greater", "question",
    "at", "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O",
    "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z",
    "bracketleft", "backslash", "bracketright", "asciicircum", "underscore",
    "grave", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
    "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z",
    "braceleft", "bar", "braceright", "asciitilde", "",
    "Euro", "", "quotesinglbase", "florin", "quotedblbase", "ellipsis", "dagger", "daggerdbl",
    "circumflex", "perthousand", "Scaron", "guilsinglleft", "OE", "", "Zcaron", "",
    "", "quoteleft", "quoteright", "quotedblleft", "quotedblright", "bullet", "endash", "emdash",
    "tilde", "trademark", "scaron", "guilsinglright", "oe", "", "zcaron", "Ydieresis",
    "nbspace", "exclamdown", "cent", "sterling", "currency", "yen", "brokenbar", "section",
    "dieresis", "copyright", "ordfeminine", "guillemotleft", "logicalnot", "sfthyphen", "registered", "macron",
    "degree", "plusminus", "twosuperior", "threesuperior", "acute", "mu", "paragraph", "periodcentered",
    "cedilla", "onesuperior", "ordmasculine", "guillemotright", "onequarter", "onehalf", "threequarters", "questiondown",
    "Agrave", "Aacute", "Acircumflex", "Atilde", "Adieresis", "Aring", "AE", "Ccedilla",
    "Egrave", "Eacute", "Ecircumflex", "Edieresis", "Igrave", "Iacute", "Icircumflex", "Idieresis",
    "Eth", "Ntilde", "Ograve", "Oacute", "Ocircumflex", "Otilde", "Odieresis", "multiply",
    "Oslash", "Ugrave", "Uacute", "Ucircumflex", "Udieresis", "Yacute", "Thorn", "germandbls",
    "agrave", "aacute", "acircumflex", "atilde", "adieresis", "aring", "ae", "ccedilla",
    "egrave", "eacute", "ecircumflex", "edieresis", "igrave", "iacute", "icircumflex", "idieresis",
    "eth", "ntilde", "ograve", "oacute", "ocircumflex", "otilde", "odieresis", "divide",
    "oslash", "ugrave", "uacute", "ucircumflex", "udieresis", "yacute", "thorn", "ydieresis",
];

/// AGL names outside WinAnsi that still turn up in Latin text fonts.
#[rustfmt::skip]
const EXTRA_NAMES: &[(&str, u32)] = &[
    ("fi", 0xfb01), ("fl", 0xfb02), ("ff", 0xfb00), ("ffi", 0xfb03), ("ffl", 0xfb04),
    ("dotlessi", 0x131), ("Lslash", 0x141), ("lslash", 0x142), ("fraction", 0x2044),
    ("minus", 0x2212), ("breve", 0x2d8), ("dotaccent", 0x2d9), ("ring", 0x2da),
    ("ogonek", 0x2db), ("caron", 0x2c7), ("hungarumlaut", 0x2dd), ("middot", 0xb7),
    ("space", 0x20), ("nonbreakingspace", 0xa0), ("softhyphen", 0xad), ("Omega", 0x3a9),
    ("Delta", 0x2206), ("mu", 0xb5), ("pi", 0x3c0), ("alpha", 0x3b1), ("beta", 0x3b2),
    ("gamma", 0x3b3), ("delta", 0x3b4), ("lessequal", 0x2264), ("greaterequal", 0x2265),
    ("notequal", 0x2260), ("infinity", 0x221e), ("approxequal", 0x2248), ("summation", 0x2211),
    ("product", 0x220f), ("radical", 0x221a), ("integral", 0x222b), ("partialdiff", 0x2202),
    ("lozenge", 0x25ca), ("arrowleft", 0x2190), ("arrowup", 0x2191), ("arrowright", 0x2192),
    ("arrowdown", 0x2193), ("arrowboth", 0x2194), ("circle", 0x25cb), ("blackcircle", 0x25cf),
    ("filledbox", 0x25a0), ("H22073", 0x25a1), ("triagup", 0x25b2), ("figuredash", 0x2012),
    ("horizontalbar", 0x2015), ("underscoredbl", 0x2017), ("quotereversed", 0x201b),
    ("minute", 0x2032), ("second", 0x2033), ("numero", 0x2116), ("estimated", 0x212e),
    ("Ydieresis", 0x178), ("florin", 0x192), ("Euro", 0x20ac), ("emspace", 0x2003),
    ("endash", 0x2013), ("emdash", 0x2014), ("bullet", 0x2022), ("ellipsis", 0x2026),
];

/// StandardEncoding above 0x7F: code → AGL name.
#[rustfmt::skip]
const STANDARD_UPPER: &[(u8, &str)] = &[
    (0xa1, "exclamdown"), (0xa2, "cent"), (0xa3, "sterling"), (0xa4, "fraction"), (0xa5, "yen"),
    (0xa6, "florin"), (0xa7, "section"), (0xa8, "currency"), (0xa9, "quotesingle"),
    (0xaa, "quotedblleft"), (0xab, "guillemotleft"), (0xac, "guilsinglleft"),
    (0xad, "guilsinglright"), (0xae, "fi"), (0xaf, "fl"), (0xb1, "endash"), (0xb2, "dagger"),
    (0xb3, "daggerdbl"), (0xb4, "periodcentered"), (0xb6, "paragraph"), (0xb7, "bullet"),
    (0xb8, "quotesinglbase"), (0xb9, "quotedblbase"), (0xba, "quotedblright"),
    (0xbb, "guillemotright"), (0xbc, "ellipsis"), (0xbd, "perthousand"), (0xbf, "questiondown"),
    (0xc1, "grave"), (0xc2, "acute"), (0xc3, "circumflex"), (0xc4, "tilde"), (0xc5, "macron"),
    (0xc6, "breve"), (0xc7, "dotaccent"), (0xc8, "dieresis"), (0xca, "ring"), (0xcb, "cedilla"),
    (0xcd, "hungarumlaut"), (0xce, "ogonek"), (0xcf, "caron"), (0xd0, "emdash"), (0xe1, "AE"),
    (0xe3, "ordfeminine"), (0xe8, "Lslash"), (0xe9, "Oslash"), (0xea, "OE"),
    (0xeb, "ordmasculine"), (0xf1, "ae"), (0xf5, "dotlessi"), (0xf8, "lslash"), (0xf9, "oslash"),
    (0xfa, "oe"), (0xfb, "germandbls"),
];

/// The Symbol font's built-in encoding: code → Unicode.
#[rustfmt::skip]
const SYMBOL: &[(u8, u32)] = &[
    (0x20, 0x20), (0x21, 0x21), (0x22, 0x2200), (0x23, 0x23), (0x24, 0x2203), (0x25, 0x25),
    (0x26, 0x26), (0x27, 0x220b), (0x28, 0x28), (0x29, 0x29), (0x2a, 0x2217), (0x2b, 0x2b),
    (0x2c, 0x2c), (0x2d, 0x2212), (0x2e, 0x2e), (0x2f, 0x2f), (0x30, 0x30), (0x31, 0x31),
    (0x32, 0x32), (0x33, 0x33), (0x34, 0x34), (0x35, 0x35), (0x36, 0x36), (0x37, 0x37),
    (0x38, 0x38), (0x39, 0x39), (0x3a, 0x3a), (0x3b, 0x3b), (0x3c, 0x3c), (0x3d, 0x3d),
    (0x3e, 0x3e), (0x3f, 0x3f), (0x40, 0x2245), (0x41, 0x391), (0x42, 0x392), (0x43, 0x3a7),
    (0x44, 0x394), (0x45, 0x395), (0x46, 0x3a6), (0x47, 0x393), (0x48, 0x397), (0x49, 0x399),
    (0x4a, 0x3d1), (0x4b, 0x39a), (0x4c, 0x39b), (0x4d, 0x39c), (0x4e, 0x39d), (0x4f, 0x39f),
    (0x50, 0x3a0), (0x51, 0x398), (0x52, 0x3a1), (0x53, 0x3a3), (0x54, 0x3a4), (0x55, 0x3a5),
    (0x56, 0x3c2), (0x57, 0x3a9), (0x58, 0x39e), (0x59, 0x3a8), (0x5a, 0x396), (0x5b, 0x5b),
    (0x5c, 0x2234), (0x5d, 0x5d), (0x5e, 0x22a5), (0x5f, 0x5f), (0x61, 0x3b1), (0x62, 0x3b2),
    (0x63, 0x3c7), (0x64, 0x3b4), (0x65, 0x3b5), (0x66, 0x3c6), (0x67, 0x3b3), (0x68, 0x3b7),
    (0x69, 0x3b9), (0x6a, 0x3d5), (0x6b, 0x3ba), (0x6c, 0x3bb), (0x6d, 0x3bc), (0x6e, 0x3bd),
    (0x6f, 0x3bf), (0x70, 0x3c0), (0x71, 0x3b8), (0x72, 0x3c1), (0x73, 0x3c3), (0x74, 0x3c4),
    (0x75, 0x3c5), (0x76, 0x3d6), (0x77, 0x3c9), (0x78, 0x3be), (0x79, 0x3c8), (0x7a, 0x3b6),
    (0x7b, 0x7b), (0x7c, 0x7c), (0x7d, 0x7d), (0x7e, 0x223c), (0xa0, 0x20ac), (0xa1, 0x3d2),
    (0xa2, 0x2032), (0xa3, 0x2264), (0xa4, 0x2044), (0xa5, 0x221e), (0xa6, 0x192), (0xa7, 0x2663),
    (0xa8, 0x2666), (0xa9, 0x2665), (0xaa, 0x2660), (0xab, 0x2194), (0xac, 0x2190), (0xad, 0x2191),
    (0xae, 0x2192), (0xaf, 0x2193), (0xb0, 0xb0), (0xb1, 0xb1), (0xb2, 0x2033), (0xb3, 0x2265),
    (0xb4, 0xd7), (0xb5, 0x221d), (0xb6, 0x2202), (0xb7, 0x2022), (0xb8, 0xf7), (0xb9, 0x2260),
    (0xba, 0x2261), (0xbb, 0x2248), (0xbc, 0x2026), (0xc0, 0x2135), (0xc1, 0x2111), (0xc2, 0x211c),
    (0xc3, 0x2118), (0xc4, 0x2297), (0xc5, 0x2295), (0xc6, 0x2205), (0xc7, 0x2229), (0xc8, 0x222a),
    (0xc9, 0x2283), (0xca, 0x2287), (0xcb, 0x2284), (0xcc, 0x2282), (0xcd, 0x2286), (0xce, 0x2208),
    (0xcf, 0x2209), (0xd0, 0x2220), (0xd1, 0x2207), (0xd5, 0x220f), (0xd6, 0x221a), (0xd7, 0x22c5),
    (0xd8, 0xac), (0xd9, 0x2227), (0xda, 0x2228), (0xdb, 0x21d4), (0xdc, 0x21d0), (0xdd, 0x21d1),
    (0xde, 0x21d2), (0xdf, 0x21d3), (0xe0, 0x25ca), (0xe1, 0x2329), (0xe5, 0x2211), (0xf1, 0x232a),
    (0xf2, 0x222b),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_tables() {
        assert_eq!(glyph_name_to_char(b"Adieresis"), Some('Ä'));
        assert_eq!(glyph_name_to_char(b"endash"), Some('–'));
        assert_eq!(glyph_name_to_char(b"uni4EBA"), Some('人'));
        assert_eq!(glyph_name_to_char(b"u1F600"), Some('😀'));
        assert_eq!(glyph_name_to_char(b"g123"), None);
        assert_eq!(BaseEncoding::WinAnsi.table()[0x80], '€');
        assert_eq!(BaseEncoding::MacRoman.table()[0x80], 'Ä');
        assert_eq!(BaseEncoding::Standard.table()[0x27], '’');
        assert_eq!(BaseEncoding::Symbol.table()[0x61], 'α');
    }
}
