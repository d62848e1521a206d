//! CMaps: the /ToUnicode CMaps embedded in fonts (parsed here), code-space ranges (how many
//! bytes each character code takes), and the predefined Japanese CMaps from hayro-cmap.
//!
//! We parse ToUnicode ourselves rather than with hayro-cmap because we also need the
//! code-space ranges (hayro-cmap keeps them private) and because one malformed entry must not
//! throw away the whole map: real ToUnicode streams are often slightly broken.

use super::fxhash::FxHashMap;

use super::lexer::{Lexer, Operand, Token};

/// One code-space range: codes of `len` bytes whose every byte lies within `lo[i]..=hi[i]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CodespaceRange {
    pub len: u8,
    pub lo: [u8; 4],
    pub hi: [u8; 4],
}

/// How a font's byte string splits into character codes.
#[derive(Debug, Clone, PartialEq)]
pub enum CodeSplit {
    /// Every code has this many bytes (simple fonts: 1, Identity-H and UCS2: 2).
    Fixed(u8),
    /// Explicit ranges, as in a CMap's `begincodespacerange`.
    Ranges(Vec<CodespaceRange>),
    /// Shift_JIS (the RKSJ CMaps): lead bytes 81–9F and E0–FC start a 2-byte code.
    ShiftJis,
    /// EUC-JP (EUC-H/V): 8E and A1–FE start a 2-byte code.
    Euc,
    /// UTF-16BE (the UTF16 CMaps): a high surrogate starts a 4-byte code.
    Utf16,
}

impl CodeSplit {
    /// The length of the code starting at `bytes[0]` (1..=4, never more than `bytes.len()`).
    /// `bytes` must not be empty.
    pub fn code_len(&self, bytes: &[u8]) -> usize {
        let n = match self {
            CodeSplit::Fixed(n) => usize::from(*n).max(1),
            CodeSplit::ShiftJis => match bytes[0] {
                0x81..=0x9f | 0xe0..=0xfc => 2,
                _ => 1,
            },
            CodeSplit::Euc => match bytes[0] {
                0x8e | 0xa1..=0xfe => 2,
                _ => 1,
            },
            CodeSplit::Utf16 => match bytes[0] {
                0xd8..=0xdb => 4,
                _ => 2,
            },
            CodeSplit::Ranges(ranges) => ranges_code_len(ranges, bytes),
        };
        n.min(bytes.len())
    }
}

fn ranges_code_len(ranges: &[CodespaceRange], bytes: &[u8]) -> usize {
    // The shortest range that matches all its bytes wins (PDF 32000 9.7.6.2).
    let mut best: Option<usize> = None;
    for r in ranges {
        let n = usize::from(r.len);
        if n == 0 || n > bytes.len() {
            continue;
        }
        if (0..n).all(|i| bytes[i] >= r.lo[i] && bytes[i] <= r.hi[i]) && best.is_none_or(|b| n < b)
        {
            best = Some(n);
        }
    }
    if let Some(n) = best {
        return n;
    }
    // No full match: take the length of a range whose first byte matches, else the shortest.
    ranges
        .iter()
        .filter(|r| r.len > 0 && bytes[0] >= r.lo[0] && bytes[0] <= r.hi[0])
        .map(|r| usize::from(r.len))
        .min()
        .or_else(|| {
            ranges
                .iter()
                .map(|r| usize::from(r.len))
                .filter(|&n| n > 0)
                .min()
        })
        .unwrap_or(1)
}

/// Big-endian bytes → code value.
pub fn code_value(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take(4)
        .fold(0u32, |acc, &b| acc << 8 | u32::from(b))
}

#[derive(Debug, Clone)]
enum RangeDst {
    /// UTF-16 units; the last one is incremented along the range.
    Base(Vec<u16>),
    /// One destination string per code.
    List(Vec<String>),
}

#[derive(Debug, Clone)]
struct BfRange {
    lo: u32,
    hi: u32,
    dst: RangeDst,
}

/// A parsed /ToUnicode CMap.
#[derive(Debug, Clone, Default)]
pub struct ToUnicode {
    pub codespace: Vec<CodespaceRange>,
    chars: FxHashMap<u32, String>,
    /// Sorted by `lo`.
    ranges: Vec<BfRange>,
    /// `/Adobe-Japan1-UCS2 usecmap`: the predefined CMap this one extends (codes are CIDs).
    pub usecmap: Option<Vec<u8>>,
}

/// Limit on codes expanded from one bfrange when the range uses the array form.
const MAX_RANGE_LIST: usize = 65_536;

impl ToUnicode {
    pub fn parse(data: &[u8]) -> ToUnicode {
        let mut tu = ToUnicode::default();
        let mut lx = Lexer::new(data);
        let mut operands: Vec<Operand<'_>> = Vec::new();
        // Arrays inside bfrange: we collect their strings here.
        let mut in_array = false;
        let mut array: Vec<Operand<'_>> = Vec::new();
        #[derive(PartialEq)]
        enum Section {
            None,
            Codespace,
            BfChar,
            BfRange,
        }
        let mut section = Section::None;
        // The name before `usecmap` (operands outside sections are not kept).
        let mut last_name: Option<Vec<u8>> = None;
        while let Some(tok) = lx.next_token() {
            match tok {
                Token::ArrayStart => {
                    in_array = true;
                    array.clear();
                }
                Token::ArrayEnd => {
                    in_array = false;
                    operands.push(Operand::Array(std::mem::take(&mut array)));
                }
                Token::Operand(op) => {
                    last_name = match &op {
                        Operand::Name(n) => Some(n.to_vec()),
                        _ => None,
                    };
                    if in_array {
                        array.push(op);
                    } else {
                        operands.push(op);
                    }
                }
                Token::Op(word) => {
                    if word == b"usecmap" {
                        tu.usecmap = last_name.take();
                    }
                    match word {
                        b"begincodespacerange" => section = Section::Codespace,
                        b"beginbfchar" => section = Section::BfChar,
                        b"beginbfrange" => section = Section::BfRange,
                        b"endcodespacerange" | b"endbfchar" | b"endbfrange" => {
                            section = Section::None
                        }
                        _ => {}
                    }
                    operands.clear();
                    continue;
                }
                Token::DictStart | Token::DictEnd => continue,
            }
            // Consume complete entries as soon as they are there.
            match section {
                Section::Codespace if operands.len() == 2 => {
                    if let (Operand::Str(lo), Operand::Str(hi)) = (&operands[0], &operands[1]) {
                        if !lo.is_empty() && lo.len() <= 4 && lo.len() == hi.len() {
                            let mut r = CodespaceRange {
                                len: lo.len() as u8,
                                lo: [0; 4],
                                hi: [0; 4],
                            };
                            r.lo[..lo.len()].copy_from_slice(lo);
                            r.hi[..hi.len()].copy_from_slice(hi);
                            tu.codespace.push(r);
                        }
                    }
                    operands.clear();
                }
                Section::BfChar if operands.len() == 2 => {
                    if let (Operand::Str(src), dst) = (&operands[0], &operands[1]) {
                        if let Some(s) = dst_string(dst) {
                            tu.chars.insert(code_value(src), s);
                        }
                    }
                    operands.clear();
                }
                Section::BfRange if operands.len() == 3 => {
                    if let (Operand::Str(lo), Operand::Str(hi)) = (&operands[0], &operands[1]) {
                        let (lo, hi) = (code_value(lo), code_value(hi));
                        if lo <= hi {
                            let dst = match &operands[2] {
                                Operand::Str(d) => Some(RangeDst::Base(utf16_units(d))),
                                Operand::Array(items) => Some(RangeDst::List(
                                    items
                                        .iter()
                                        .take(MAX_RANGE_LIST)
                                        .map(|o| dst_string(o).unwrap_or_default())
                                        .collect(),
                                )),
                                _ => None,
                            };
                            if let Some(dst) = dst {
                                tu.ranges.push(BfRange { lo, hi, dst });
                            }
                        }
                    }
                    operands.clear();
                }
                Section::None => operands.clear(),
                _ => {}
            }
        }
        tu.ranges.sort_by_key(|r| r.lo);
        tu
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty() && self.ranges.is_empty()
    }

    /// Appends the text for `code` to `out`; false when the code is not mapped.
    pub fn lookup(&self, code: u32, out: &mut String) -> bool {
        if let Some(s) = self.chars.get(&code) {
            out.push_str(s);
            return true;
        }
        // Ranges are sorted by start; look at the ones starting at or before `code`, latest
        // first (later definitions are more specific in practice).
        let idx = self.ranges.partition_point(|r| r.lo <= code);
        for r in self.ranges[..idx].iter().rev().take(16) {
            if code > r.hi {
                continue;
            }
            let off = code - r.lo;
            match &r.dst {
                RangeDst::Base(units) => {
                    let Some((&last, head)) = units.split_last() else {
                        return false;
                    };
                    let Some(last) = u32::from(last).checked_add(off) else {
                        return false;
                    };
                    let Ok(last) = u16::try_from(last) else {
                        return false;
                    };
                    let before = out.len();
                    let it = head.iter().copied().chain(std::iter::once(last));
                    for c in char::decode_utf16(it) {
                        match c {
                            Ok(c) => out.push(c),
                            Err(_) => {
                                out.truncate(before);
                                return false;
                            }
                        }
                    }
                    return true;
                }
                RangeDst::List(list) => {
                    return match list.get(off as usize) {
                        Some(s) if !s.is_empty() => {
                            out.push_str(s);
                            true
                        }
                        _ => false,
                    };
                }
            }
        }
        false
    }
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
        .collect()
}

/// A bfchar / bfrange destination: a UTF-16BE string (or, rarely, a glyph name).
fn dst_string(op: &Operand<'_>) -> Option<String> {
    match op {
        Operand::Str(bytes) => {
            let s: String = char::decode_utf16(utf16_units(bytes))
                .filter_map(|c| c.ok())
                .collect();
            (!s.is_empty()).then_some(s)
        }
        Operand::Name(name) => super::encoding::glyph_name_to_char(name).map(String::from),
        _ => None,
    }
}

/// How codes of a predefined CMap split, by its name.
pub fn predefined_split(name: &[u8]) -> Option<CodeSplit> {
    let s = std::str::from_utf8(name).ok()?;
    Some(if s.contains("RKSJ") {
        CodeSplit::ShiftJis
    } else if s.starts_with("EUC-") {
        CodeSplit::Euc
    } else if s.contains("UTF16") {
        CodeSplit::Utf16
    } else if s.contains("UCS2") || s.starts_with("Identity-") || s == "H" || s == "V" {
        CodeSplit::Fixed(2)
    } else {
        return None;
    })
}

/// True for the predefined CMaps whose codes are themselves Unicode (UCS-2 / UTF-16BE).
pub fn is_unicode_cmap(name: &[u8]) -> bool {
    name.starts_with(b"Uni")
        && (name.windows(4).any(|w| w == b"UCS2") || name.windows(5).any(|w| w == b"UTF16"))
}

/// A code of a UCS2 / UTF16 CMap read as Unicode. `None` for control codes and lone surrogates.
pub fn unicode_code(code: u32, len: usize) -> Option<char> {
    let c = if len == 4 {
        let (hi, lo) = (code >> 16, code & 0xffff);
        if !(0xd800..0xdc00).contains(&hi) || !(0xdc00..0xe000).contains(&lo) {
            return None;
        }
        0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00)
    } else {
        code
    };
    char::from_u32(c).filter(|c| !c.is_control())
}

/// Writes a CID → Unicode mapping result, dropping variation selectors that the Adobe-Japan1
/// UCS2 CMap appends to some CIDs (they identify a glyph variant, not a different character).
pub fn push_without_vs(out: &mut String, s: &str) {
    for c in s.chars() {
        let u = c as u32;
        if (0xfe00..=0xfe0f).contains(&u) || (0xe0100..=0xe01ef).contains(&u) {
            continue;
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bfchar_bfrange_and_arrays() {
        let data = b"1 begincodespacerange <0000> <FFFF> endcodespacerange
            2 beginbfchar <0001> <4EBA> <0002> <D840DC0B> endbfchar
            2 beginbfrange <0010> <0012> <0041> <0020> <0021> [<0066006C> <3042>] endbfrange";
        let tu = ToUnicode::parse(data);
        assert_eq!(tu.codespace.len(), 1);
        let get = |c| {
            let mut s = String::new();
            tu.lookup(c, &mut s).then_some(s)
        };
        assert_eq!(get(1).as_deref(), Some("人"));
        assert_eq!(get(2).as_deref(), Some("\u{2000B}"));
        assert_eq!(get(0x11).as_deref(), Some("B"));
        assert_eq!(get(0x20).as_deref(), Some("fl"));
        assert_eq!(get(0x21).as_deref(), Some("あ"));
        assert_eq!(get(0x22), None);
    }

    #[test]
    fn code_lengths() {
        assert_eq!(CodeSplit::ShiftJis.code_len(&[0x88, 0x9f]), 2);
        assert_eq!(CodeSplit::ShiftJis.code_len(&[0x41, 0x9f]), 1);
        assert_eq!(CodeSplit::ShiftJis.code_len(&[0x88]), 1);
        assert_eq!(CodeSplit::Utf16.code_len(&[0xd8, 0x40, 0xdc, 0x0b]), 4);
        let r = CodeSplit::Ranges(vec![
            CodespaceRange {
                len: 1,
                lo: [0, 0, 0, 0],
                hi: [0x80, 0, 0, 0],
            },
            CodespaceRange {
                len: 2,
                lo: [0x81, 0x40, 0, 0],
                hi: [0xfc, 0xfc, 0, 0],
            },
        ]);
        assert_eq!(r.code_len(&[0x41, 0x42]), 1);
        assert_eq!(r.code_len(&[0x82, 0xa0]), 2);
    }
}
