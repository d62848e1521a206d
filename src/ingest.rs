//! Ingest: input bytes → decoded text, a PDF or an image file (a scan), with the facts `source` reports.
//!
//! Text may come as UTF-8 (with or without BOM), UTF-16 with BOM, Shift_JIS/CP932 or EUC-JP.
//! A BOM decides; valid UTF-8 is UTF-8; otherwise chardetng (Firefox's detector) picks among
//! the legacy encodings, and the bytes must then decode without a single error.

use crate::error::{Error, ErrorKind, Result};
use encoding_rs::{Encoding, EUC_JP, SHIFT_JIS, UTF_16BE, UTF_16LE, UTF_8};
use sha2::{Digest, Sha256};

/// What an input turned out to be.
#[derive(Debug)]
pub enum Input {
    Text {
        text: String,
        encoding: &'static str,
    },
    Pdf,
    /// An image file (a scan): "png", "tiff" or "jpeg".
    Image {
        format: &'static str,
    },
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // Writing into a String cannot fail.
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// A PDF starts with `%PDF-`, possibly after some junk (the spec allows 1024 bytes).
pub fn looks_like_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}

/// Classify and decode. Errors name no file; the caller adds it.
pub fn classify(bytes: &[u8]) -> Result<Input> {
    if bytes.is_empty() {
        return Err(Error::new(ErrorKind::NotText, "empty input"));
    }
    if looks_like_pdf(bytes) {
        return Ok(Input::Pdf);
    }
    if let Some(format) = crate::scan::images::sniff(bytes) {
        return Ok(Input::Image { format });
    }
    let (text, encoding) = decode_text(bytes)?;
    if text.trim().is_empty() {
        return Err(Error::new(
            ErrorKind::NotText,
            "input holds only white space",
        ));
    }
    Ok(Input::Text { text, encoding })
}

/// Encoding names as `source.encoding` reports them.
fn name_of(enc: &'static Encoding) -> &'static str {
    if enc == UTF_8 {
        "UTF-8"
    } else if enc == UTF_16LE {
        "UTF-16LE"
    } else if enc == UTF_16BE {
        "UTF-16BE"
    } else if enc == SHIFT_JIS {
        "Shift_JIS"
    } else if enc == EUC_JP {
        "EUC-JP"
    } else {
        enc.name()
    }
}

pub fn decode_text(bytes: &[u8]) -> Result<(String, &'static str)> {
    // A BOM decides (encoding_rs also strips it).
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        let (text, had_errors) = enc.decode_without_bom_handling(body);
        if had_errors {
            return Err(Error::new(
                ErrorKind::NotText,
                format!("not valid {} text after its byte order mark", name_of(enc)),
            ));
        }
        let name = if enc == UTF_8 { "UTF-8" } else { name_of(enc) };
        return check_text(text.into_owned(), name);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return check_text(s.to_owned(), "UTF-8");
    }
    // NUL bytes without a UTF-16 BOM: binary data, not text.
    if bytes.contains(&0) {
        return Err(Error::new(
            ErrorKind::NotText,
            "binary data, not a text or PDF file",
        ));
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let guess = det.guess(Some(b"jp"), chardetng::Utf8Detection::Deny);
    // Japanese reports are in one of these; try the guess first, then the others.
    let mut candidates: Vec<&'static Encoding> = vec![guess];
    for e in [SHIFT_JIS, EUC_JP] {
        if !candidates.contains(&e) {
            candidates.push(e);
        }
    }
    for enc in candidates {
        if enc != SHIFT_JIS && enc != EUC_JP {
            continue;
        }
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if !had_errors {
            return check_text(text.into_owned(), name_of(enc));
        }
    }
    Err(Error::new(
        ErrorKind::NotText,
        "undecodable text: not UTF-8, UTF-16 (with BOM), Shift_JIS or EUC-JP",
    ))
}

/// Decoded text that is mostly control characters is binary data that happened to decode.
fn check_text(text: String, encoding: &'static str) -> Result<(String, &'static str)> {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars().take(100_000) {
        total += 1;
        if (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')) || c == '\u{FFFD}' {
            control += 1;
        }
    }
    if total > 0 && control * 20 > total {
        return Err(Error::new(
            ErrorKind::NotText,
            "binary data, not a text or PDF file",
        ));
    }
    Ok((text, encoding))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_encodings() {
        let s = "実施項目\t人材の育成\t項目番号\t1-①\r\n";
        assert_eq!(decode_text(s.as_bytes()).unwrap().1, "UTF-8");
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(s.as_bytes());
        assert_eq!(decode_text(&bom).unwrap(), (s.to_string(), "UTF-8"));
        let (sj, _, _) = SHIFT_JIS.encode(s);
        assert_eq!(decode_text(&sj).unwrap(), (s.to_string(), "Shift_JIS"));
        let (euc, _, _) = EUC_JP.encode(s);
        assert_eq!(decode_text(&euc).unwrap(), (s.to_string(), "EUC-JP"));
        let mut u16 = vec![0xFF, 0xFE];
        for u in s.encode_utf16() {
            u16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode_text(&u16).unwrap(), (s.to_string(), "UTF-16LE"));
    }

    #[test]
    fn rejects_binary_and_empty() {
        assert_eq!(classify(b"").unwrap_err().kind, ErrorKind::NotText);
        assert_eq!(
            classify(&[0u8, 1, 2, 3, 0xff, 0xfe, 0]).unwrap_err().kind,
            ErrorKind::NotText
        );
        assert!(matches!(classify(b"%PDF-1.7\n"), Ok(Input::Pdf)));
    }
}
