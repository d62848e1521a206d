//! A small, allocation-light tokenizer for page content streams.
//!
//! lopdf can decode content streams into `Operation`s, but that allocates an `Object` per operand
//! and does not let us skip inline image data cheaply; content streams are the hot loop of the
//! glyph stage, so we tokenize them ourselves. Every loop advances `pos`, so malformed input
//! ends in `None`, never in a hang.

/// One operand of a content-stream operator.
use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq)]
pub enum Operand<'a> {
    Num(f32),
    /// A string with escapes (literal) or hex digits already decoded; borrowed from the
    /// content stream when it had nothing to decode.
    Str(Cow<'a, [u8]>),
    Name(&'a [u8]),
    Array(Vec<Operand<'a>>),
    /// Dictionaries, booleans, null: kept only so operand counts stay right.
    Other,
}

impl Operand<'_> {
    pub fn num(&self) -> Option<f32> {
        match self {
            Operand::Num(n) => Some(*n),
            _ => None,
        }
    }
}

#[derive(Debug, PartialEq)]
pub enum Token<'a> {
    Operand(Operand<'a>),
    ArrayStart,
    ArrayEnd,
    DictStart,
    DictEnd,
    Op(&'a [u8]),
}

pub struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

const fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

const fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// Bytes that end a regular token (white space or a delimiter), one lookup per byte: the
/// tokenizer's inner loop.
static ENDS_TOKEN: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = is_white(b as u8) || is_delim(b as u8);
        b += 1;
    }
    t
};

/// The value of each hex digit, 16 for any other byte.
static HEX: [u8; 256] = {
    let mut t = [16u8; 256];
    let mut b = 0;
    while b < 256 {
        if let Some(v) = hex_val(b as u8) {
            t[b] = v;
        }
        b += 1;
    }
    t
};

const fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

impl<'a> Lexer<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Lexer { data, pos: 0 }
    }

    fn skip_white_and_comments(&mut self) {
        while let Some(&b) = self.data.get(self.pos) {
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(&c) = self.data.get(self.pos) {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// The next token, or `None` at the end of the data.
    pub fn next_token(&mut self) -> Option<Token<'a>> {
        self.skip_white_and_comments();
        let b = *self.data.get(self.pos)?;
        match b {
            b'(' => Some(Token::Operand(Operand::Str(self.literal_string()))),
            b'<' => {
                if self.data.get(self.pos + 1) == Some(&b'<') {
                    self.pos += 2;
                    Some(Token::DictStart)
                } else {
                    Some(Token::Operand(Operand::Str(Cow::Owned(self.hex_string()))))
                }
            }
            b'>' => {
                self.pos += 1;
                if self.data.get(self.pos) == Some(&b'>') {
                    self.pos += 1;
                    Some(Token::DictEnd)
                } else {
                    // A stray '>': ignore it as an unknown operator.
                    Some(Token::Op(b">"))
                }
            }
            b'[' => {
                self.pos += 1;
                Some(Token::ArrayStart)
            }
            b']' => {
                self.pos += 1;
                Some(Token::ArrayEnd)
            }
            b'/' => {
                self.pos += 1;
                let start = self.pos;
                self.skip_regular();
                Some(Token::Operand(Operand::Name(&self.data[start..self.pos])))
            }
            b'{' | b'}' | b')' => {
                self.pos += 1;
                Some(Token::Op(&self.data[self.pos - 1..self.pos]))
            }
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                let start = self.pos;
                self.skip_regular();
                let word = &self.data[start..self.pos];
                Some(Token::Operand(Operand::Num(
                    parse_number(word).unwrap_or(0.0),
                )))
            }
            _ => {
                let start = self.pos;
                self.skip_regular();
                if self.pos == start {
                    // Cannot happen with the cases above, but never loop without progress.
                    self.pos += 1;
                }
                let word = &self.data[start..self.pos];
                Some(match word {
                    b"true" | b"false" | b"null" => Token::Operand(Operand::Other),
                    _ => Token::Op(word),
                })
            }
        }
    }

    fn skip_regular(&mut self) {
        let rest = self.data.get(self.pos..).unwrap_or_default();
        self.pos += rest
            .iter()
            .position(|&b| ENDS_TOKEN[usize::from(b)])
            .unwrap_or(rest.len());
    }

    fn literal_string(&mut self) -> Cow<'a, [u8]> {
        // self.data[self.pos] == b'('
        // Most strings have no escapes and no nested parentheses: borrow them.
        let data = self.data;
        let body = &data[self.pos + 1..];
        if let Some(end) = body.iter().position(|&b| matches!(b, b')' | b'(' | b'\\')) {
            if body[end] == b')' {
                self.pos += end + 2;
                return Cow::Borrowed(&body[..end]);
            }
        }
        Cow::Owned(self.literal_string_escaped())
    }

    fn literal_string_escaped(&mut self) -> Vec<u8> {
        self.pos += 1;
        // Room for the bytes up to the first ')' (escapes only shorten them).
        let rest = self.data.get(self.pos..).unwrap_or_default();
        let mut out =
            Vec::with_capacity(memchr::memchr(b')', rest).unwrap_or(rest.len()).min(4096));
        let mut depth = 1u32;
        while let Some(&b) = self.data.get(self.pos) {
            self.pos += 1;
            match b {
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    out.push(b);
                }
                b'\\' => {
                    let Some(&e) = self.data.get(self.pos) else {
                        break;
                    };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        // Three digits, as nearly every producer writes them.
                        b'0'..=b'7'
                            if matches!(
                                self.data.get(self.pos..self.pos + 2),
                                Some([b'0'..=b'7', b'0'..=b'7'])
                            ) =>
                        {
                            let (d1, d2) = (self.data[self.pos], self.data[self.pos + 1]);
                            let v = (u32::from(e - b'0') << 6)
                                | (u32::from(d1 - b'0') << 3)
                                | u32::from(d2 - b'0');
                            self.pos += 2;
                            out.push((v & 0xff) as u8);
                        }
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.data.get(self.pos) {
                                    Some(&d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((v & 0xff) as u8);
                        }
                        b'\r' => {
                            // Line continuation; swallow a following \n too.
                            if self.data.get(self.pos) == Some(&b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        other => out.push(other),
                    }
                }
                _ => out.push(b),
            }
        }
        out
    }

    fn hex_string(&mut self) -> Vec<u8> {
        self.pos += 1;
        let rest = self.data.get(self.pos..).unwrap_or_default();
        let end = memchr::memchr(b'>', rest);
        let digits = &rest[..end.unwrap_or(rest.len())];
        self.pos += end.map_or(rest.len(), |e| e + 1);
        let mut out = Vec::with_capacity(digits.len().div_ceil(2));
        let mut high: Option<u8> = None;
        // Anything not a hex digit (white space, say) is skipped.
        for v in digits
            .iter()
            .map(|&b| HEX[usize::from(b)])
            .filter(|&v| v < 16)
        {
            match high.take() {
                Some(h) => out.push(h << 4 | v),
                None => high = Some(v),
            }
        }
        if let Some(h) = high {
            out.push(h << 4);
        }
        out
    }

    /// After the `BI` operator: skip the inline image dictionary and its data up to and including
    /// `EI`. The data length is rarely given, so we look for `EI` between white space, like
    /// other readers do.
    pub fn skip_inline_image(&mut self) {
        // Dictionary part: tokens up to the `ID` operator.
        loop {
            match self.next_token() {
                None => return,
                Some(Token::Op(b"ID")) => break,
                Some(_) => {}
            }
        }
        // One white-space byte follows `ID`.
        self.pos += 1;
        let data = self.data;
        let mut i = self.pos;
        while i + 1 < data.len() {
            if data[i] == b'E'
                && data[i + 1] == b'I'
                && (i == 0 || is_white(data[i - 1]))
                && data.get(i + 2).is_none_or(|&c| is_white(c) || is_delim(c))
            {
                self.pos = i + 2;
                return;
            }
            i += 1;
        }
        self.pos = data.len();
    }
}

/// Parses a PDF number (integer or real, no exponent). Lenient: `--5`, `5.`, `.5` all work.
pub fn parse_number(word: &[u8]) -> Option<f32> {
    parse_plain_number(word).or_else(|| parse_number_slowly(word))
}

/// The numbers content streams are made of (`-12.345`, `.5`, `612`): at most 15 digits, one
/// sign, one dot and nothing after them, read as one integer (exact in an f64) divided once by
/// a power of ten: the correctly rounded value, as `str::parse::<f64>` gives it. `None` for
/// anything else, which [`parse_number_slowly`] reads.
fn parse_plain_number(word: &[u8]) -> Option<f32> {
    const POW10: [f64; 19] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18,
    ];
    let (neg, digits) = match word.first()? {
        b'-' => (true, &word[1..]),
        b'+' => (false, &word[1..]),
        _ => (false, word),
    };
    let (mut mantissa, mut count, mut after_dot) = (0u64, 0usize, None);
    for (i, &c) in digits.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(c - b'0');
                count += 1;
            }
            b'.' if after_dot.is_none() => after_dot = Some(i + 1),
            _ => return None,
        }
    }
    if count == 0 || count > 15 {
        return None;
    }
    let scale = after_dot.map_or(0, |at| digits.len() - at);
    let v = mantissa as f64 / POW10[scale];
    Some(if neg { -v } else { v } as f32)
}

/// Any other number as poppler reads it: leading signs (each `-` flips), digits, one dot, and
/// whatever follows ignored.
fn parse_number_slowly(word: &[u8]) -> Option<f32> {
    let mut neg = false;
    let mut i = 0;
    while let Some(&c) = word.get(i) {
        match c {
            b'-' => neg = !neg,
            b'+' => {}
            _ => break,
        }
        i += 1;
    }
    let mut int: f64 = 0.0;
    let mut frac: f64 = 0.0;
    let mut scale = 1.0f64;
    let mut seen_dot = false;
    let mut any = false;
    for &c in &word[i..] {
        match c {
            b'0'..=b'9' => {
                any = true;
                if seen_dot {
                    scale /= 10.0;
                    frac += f64::from(c - b'0') * scale;
                } else {
                    int = int * 10.0 + f64::from(c - b'0');
                }
            }
            b'.' if !seen_dot => seen_dot = true,
            _ => break,
        }
    }
    if !any {
        return None;
    }
    let v = int + frac;
    let v = if neg { -v } else { v };
    Some(v as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(data: &[u8]) -> Vec<Token<'_>> {
        let mut lx = Lexer::new(data);
        let mut v = Vec::new();
        while let Some(t) = lx.next_token() {
            v.push(t);
        }
        v
    }

    #[test]
    fn octal_escapes_of_one_two_and_three_digits() {
        // Three digits at most; a fourth is a plain byte; past 0o377 the high bit is lost;
        // a non-octal digit ends the escape; an escape at the very end.
        let t = ops(b"(\\101\\7\\12x\\1234\\400\\08\\202\\302) (\\1");
        assert_eq!(
            t[0],
            Token::Operand(Operand::Str(b"A\x07\nxS4\x00\x008\x82\xc2".to_vec().into()))
        );
        assert_eq!(t[1], Token::Operand(Operand::Str(b"\x01".to_vec().into())));
    }

    #[test]
    fn strings_and_numbers() {
        let t = ops(b"(a\\(b\\)\\101) <4142 3> -1.5 .5 /F1 Tf");
        assert_eq!(t[0], Token::Operand(Operand::Str(b"a(b)A".to_vec().into())));
        assert_eq!(
            t[1],
            Token::Operand(Operand::Str(vec![0x41, 0x42, 0x30].into()))
        );
        assert_eq!(t[2], Token::Operand(Operand::Num(-1.5)));
        assert_eq!(t[3], Token::Operand(Operand::Num(0.5)));
        assert_eq!(t[4], Token::Operand(Operand::Name(b"F1")));
        assert_eq!(t[5], Token::Op(b"Tf"));
        let t = ops(b"(plain) ((nested)) (a\\)b)");
        assert_eq!(t[0], Token::Operand(Operand::Str(b"plain".to_vec().into())));
        assert_eq!(
            t[1],
            Token::Operand(Operand::Str(b"(nested)".to_vec().into()))
        );
        assert_eq!(t[2], Token::Operand(Operand::Str(b"a)b".to_vec().into())));
    }

    #[test]
    fn inline_image_is_skipped() {
        let data = b"BI /W 2 /H 2 ID \x00EI\xffzz EI Q";
        let mut lx = Lexer::new(data);
        assert_eq!(lx.next_token(), Some(Token::Op(b"BI")));
        lx.skip_inline_image();
        assert_eq!(lx.next_token(), Some(Token::Op(b"Q")));
    }

    #[test]
    fn hex_strings_skip_white_space_and_pad_an_odd_digit() {
        let t = ops(b"<41 4\n2x43> <> <4> <414");
        let strs: Vec<&[u8]> = t
            .iter()
            .map(|t| match t {
                Token::Operand(Operand::Str(s)) => s.as_ref(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(strs, [&b"ABC"[..], b"", b"\x40", b"A\x40"]);
    }

    proptest::proptest! {
        /// Plain numbers of up to 15 digits (the fast path) are the correctly rounded value.
        #[test]
        fn numbers_read_as_rust_parses_them(
            sign in "[-+]?", int in "[0-9]{0,9}", dot in proptest::bool::ANY, frac in "[0-9]{0,7}",
        ) {
            let word = format!("{sign}{int}{}{frac}", if dot { "." } else { "" });
            let expected = word.parse::<f64>().ok().map(|v| v as f32);
            let digits = int.len() + if dot { frac.len() } else { 0 };
            if digits > 0 && (dot || frac.is_empty()) {
                let plain = parse_plain_number(word.as_bytes());
                proptest::prop_assert_eq!(plain, expected.filter(|_| digits <= 15), "{}", word);
                if digits <= 15 {
                    proptest::prop_assert_eq!(parse_number(word.as_bytes()), expected, "{}", word);
                }
            }
        }
    }

    #[test]
    fn irregular_numbers_keep_their_old_reading() {
        assert_eq!(parse_number(b"--5"), Some(5.0));
        assert_eq!(parse_number(b"-+-2.5"), Some(2.5));
        assert_eq!(parse_number(b"1.2.3"), Some(1.2));
        assert_eq!(parse_number(b"12abc"), Some(12.0));
        assert_eq!(
            parse_number(b"1234567890123456789"),
            Some(1.234_567_9e18_f64 as f32)
        );
        assert_eq!(parse_number(b"-"), None);
        assert_eq!(parse_number(b"."), None);
    }

    #[test]
    fn garbage_terminates() {
        let data: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
        let mut lx = Lexer::new(&data);
        let mut n = 0;
        while lx.next_token().is_some() {
            n += 1;
            assert!(n < 10_000);
        }
    }
}
