//! Page images: the image XObjects of an image-only PDF and image files (PNG, TIFF, JPEG),
//! decoded in Rust to 8-bit gray (0 = black, 255 = white), the only form later stages use.
//!
//! PDF filters: DCTDecode (zune-jpeg), CCITTFaxDecode G3/G4 (hayro-ccitt), JBIG2Decode
//! (hayro-jbig2), and everything lopdf decodes itself (Flate and LZW with predictors, raw),
//! with 1/2/4/8/16 bits per component in Gray, RGB, CMYK, ICCBased, Cal* and Indexed spaces.
//! Every decoder is bounded by [`MAX_PIXELS`] before it allocates.

use lopdf::{Dictionary, Document, Object, ObjectId};
use std::io::Cursor;

/// Largest page image we decode: 600 dpi A3 is 7016 × 9921 ≈ 70 M pixels.
pub const MAX_PIXELS: u64 = 100_000_000;
/// Largest encoded image stream we look at.
const MAX_STREAM_BYTES: usize = 256 << 20;

/// An 8-bit gray image, row-major, 0 = black.
#[derive(Debug, Clone, PartialEq)]
pub struct Gray {
    pub w: usize,
    pub h: usize,
    pub px: Vec<u8>,
    /// Only black and white pixels (a bilevel scan): no thresholding needed.
    pub bilevel: bool,
}

impl Gray {
    pub fn new(w: usize, h: usize, fill: u8) -> Result<Gray, String> {
        check_size(w as u64, h as u64)?;
        Ok(Gray {
            w,
            h,
            px: vec![fill; w * h],
            bilevel: false,
        })
    }

    pub fn get(&self, x: usize, y: usize) -> u8 {
        self.px[y * self.w + x]
    }
}

fn check_size(w: u64, h: u64) -> Result<(), String> {
    if w == 0 || h == 0 {
        return Err("an image of zero size".into());
    }
    if w.saturating_mul(h) > MAX_PIXELS {
        return Err(format!(
            "an image of {w} × {h} pixels, over the limit of {MAX_PIXELS}"
        ));
    }
    Ok(())
}

/// An image file's pages with their resolution (dots per inch, when the file says).
pub struct FileImage {
    pub gray: Gray,
    pub dpi: Option<f32>,
}

/// Which image file format the bytes are, if any.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        Some("tiff")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("jpeg")
    } else {
        None
    }
}

/// Decodes an image file: one entry per page (TIFF may hold several). A page that cannot be
/// decoded is an `Err` in its place, so the others are still read.
pub fn decode_file(bytes: &[u8]) -> Result<Vec<Result<FileImage, String>>, String> {
    match sniff(bytes) {
        Some("png") => Ok(vec![decode_png(bytes)]),
        Some("jpeg") => Ok(vec![
            decode_jpeg(bytes).map(|(gray, dpi)| FileImage { gray, dpi })
        ]),
        Some("tiff") => decode_tiff(bytes),
        _ => Err("not an image file".into()),
    }
}

fn decode_png(bytes: &[u8]) -> Result<FileImage, String> {
    let mut dec = png::Decoder::new_with_limits(
        Cursor::new(bytes),
        png::Limits {
            bytes: (MAX_PIXELS as usize) * 8,
        },
    );
    dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = dec.read_info().map_err(|e| format!("PNG: {e}"))?;
    let info = reader.info();
    check_size(u64::from(info.width), u64::from(info.height))?;
    let dpi = info.pixel_dims.and_then(|d| match d.unit {
        png::Unit::Meter if d.xppu > 0 => Some(d.xppu as f32 * 0.0254),
        _ => None,
    });
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| "PNG: image too large".to_string())?;
    let mut buf = vec![0u8; size];
    let frame = reader
        .next_frame(&mut buf)
        .map_err(|e| format!("PNG: {e}"))?;
    let (w, h) = (frame.width as usize, frame.height as usize);
    let channels = match frame.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => return Err("PNG: palette not expanded".into()),
    };
    let mut gray = Gray::new(w, h, 255)?;
    for y in 0..h {
        let row = &buf[y * frame.line_size..];
        for x in 0..w {
            let p = &row[x * channels..];
            gray.px[y * w + x] = match channels {
                1 | 2 => p[0],
                _ => luma(p[0], p[1], p[2]),
            };
        }
    }
    Ok(FileImage { gray, dpi })
}

fn decode_tiff(bytes: &[u8]) -> Result<Vec<Result<FileImage, String>>, String> {
    use tiff::decoder::{Decoder, DecodingResult, Limits};
    use tiff::tags::Tag;
    let mut limits = Limits::default();
    limits.decoding_buffer_size = MAX_PIXELS as usize * 4;
    limits.intermediate_buffer_size = MAX_PIXELS as usize * 4;
    let mut dec = Decoder::new(Cursor::new(bytes))
        .map_err(|e| format!("TIFF: {e}"))?
        .with_limits(limits);
    let mut pages = Vec::new();
    for _ in 0..crate::pdf::Limits::default().max_pages {
        let page = (|| -> Result<FileImage, String> {
            let (w, h) = dec.dimensions().map_err(|e| format!("TIFF: {e}"))?;
            check_size(u64::from(w), u64::from(h))?;
            let dpi = tiff_dpi(&mut dec);
            let color = dec.colortype().map_err(|e| format!("TIFF: {e}"))?;
            let photometric = dec.get_tag_u32(Tag::PhotometricInterpretation).unwrap_or(1);
            let img = dec.read_image().map_err(|e| format!("TIFF: {e}"))?;
            let (w, h) = (w as usize, h as usize);
            let mut gray = Gray::new(w, h, 255)?;
            let samples: Vec<u8> = match img {
                DecodingResult::U8(v) => v,
                DecodingResult::U16(v) => v.into_iter().map(|s| (s >> 8) as u8).collect(),
                _ => return Err("TIFF: unsupported sample format".into()),
            };
            let (channels, bits) = match color {
                tiff::ColorType::Gray(b) => (1, b),
                tiff::ColorType::GrayA(b) => (2, b),
                tiff::ColorType::RGB(b) => (3, b),
                tiff::ColorType::RGBA(b) => (4, b),
                other => return Err(format!("TIFF: unsupported colour type {other:?}")),
            };
            let bits = bits.min(8) as usize;
            if channels == 1 && bits < 8 {
                let stride = (w * bits).div_ceil(8);
                unpack_gray(&samples, stride, bits, &mut gray);
                gray.bilevel = bits == 1;
            } else {
                for (i, p) in gray.px.iter_mut().enumerate() {
                    let s = samples.get(i * channels..i * channels + channels.min(3));
                    *p = match s {
                        Some([g]) | Some([g, _]) => *g,
                        Some([r, g, b]) => luma(*r, *g, *b),
                        _ => 255,
                    };
                }
            }
            if photometric == 0 && channels <= 2 {
                // WhiteIsZero.
                gray.px.iter_mut().for_each(|p| *p = 255 - *p);
            }
            Ok(FileImage { gray, dpi })
        })();
        pages.push(page);
        if !dec.more_images() || dec.next_image().is_err() {
            break;
        }
    }
    Ok(pages)
}

fn tiff_dpi<R: std::io::Read + std::io::Seek>(dec: &mut tiff::decoder::Decoder<R>) -> Option<f32> {
    use tiff::tags::Tag;
    let v = dec.get_tag(Tag::XResolution).ok()?;
    let r = match v {
        tiff::decoder::ifd::Value::Rational(n, d) if d > 0 => n as f32 / d as f32,
        other => other.into_f64().ok()? as f32,
    };
    let unit = dec.get_tag_u32(Tag::ResolutionUnit).unwrap_or(2);
    let dpi = if unit == 3 { r * 2.54 } else { r };
    (dpi.is_finite() && dpi > 1.0 && unit != 1).then_some(dpi)
}

/// Packed gray samples of `bits` (1, 2, 4) per pixel → 8-bit gray.
fn unpack_gray(data: &[u8], stride: usize, bits: usize, gray: &mut Gray) {
    let max = (1u32 << bits) - 1;
    for y in 0..gray.h {
        let Some(row) = data.get(y * stride..(y + 1) * stride) else {
            break;
        };
        for x in 0..gray.w {
            let bit = x * bits;
            let byte = row[bit / 8];
            let v = u32::from(byte >> (8 - bits - bit % 8)) & max;
            gray.px[y * gray.w + x] = (v * 255 / max) as u8;
        }
    }
}

pub fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b)) / 1000) as u8
}

/// JPEG → gray, with the JFIF density when it is in dots per inch or per cm.
pub fn decode_jpeg(bytes: &[u8]) -> Result<(Gray, Option<f32>), String> {
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    use zune_jpeg::zune_core::options::DecoderOptions;
    let opts = DecoderOptions::default()
        .set_max_width(1 << 16)
        .set_max_height(1 << 16)
        .jpeg_set_out_colorspace(ColorSpace::Luma);
    let mut dec = zune_jpeg::JpegDecoder::new_with_options(Cursor::new(bytes), opts);
    dec.decode_headers().map_err(|e| format!("JPEG: {e:?}"))?;
    let info = dec.info().ok_or("JPEG: no header")?;
    let (w, h) = (usize::from(info.width), usize::from(info.height));
    check_size(w as u64, h as u64)?;
    let dpi = jfif_dpi(bytes);
    let px = dec.decode().map_err(|e| format!("JPEG: {e:?}"))?;
    if px.len() < w * h {
        return Err("JPEG: truncated image".into());
    }
    let px = if px.len() == w * h {
        px
    } else {
        // Some colour spaces ignore the Luma request: take the first channel of each pixel.
        let n = px.len() / (w * h);
        px.chunks_exact(n).map(|c| c[0]).collect()
    };
    Ok((
        Gray {
            w,
            h,
            px,
            bilevel: false,
        },
        dpi,
    ))
}

/// The density of a JFIF header (APP0 right after SOI), in dots per inch.
fn jfif_dpi(b: &[u8]) -> Option<f32> {
    if b.get(2..4)? != [0xff, 0xe0] || b.get(6..11)? != b"JFIF\0" {
        return None;
    }
    let x = f32::from(u16::from_be_bytes([*b.get(14)?, *b.get(15)?]));
    match b.get(13)? {
        1 if x > 1.0 => Some(x),
        2 if x > 1.0 => Some(x * 2.54),
        _ => None,
    }
}

/// Decodes the image XObject `id` of a PDF to gray.
pub fn pdf_image(doc: &Document, id: ObjectId) -> Result<Gray, String> {
    use crate::pdf::objects::{dict_get, name_of, num_of, resolve};
    let Ok(Object::Stream(stream)) = doc.get_object(id) else {
        return Err("the image is not a stream".into());
    };
    let dict = &stream.dict;
    let int = |key: &[u8]| dict_get(doc, dict, key).and_then(num_of).map(|v| v as i64);
    let w = int(b"Width").unwrap_or(0).max(0) as u64;
    let h = int(b"Height").unwrap_or(0).max(0) as u64;
    check_size(w, h)?;
    let (w, h) = (w as usize, h as usize);
    let filters: Vec<Vec<u8>> = match dict_get(doc, dict, b"Filter") {
        Some(Object::Name(n)) => vec![n.clone()],
        Some(Object::Array(a)) => a
            .iter()
            .filter_map(|o| resolve(doc, o).and_then(name_of).map(<[u8]>::to_vec))
            .collect(),
        _ => Vec::new(),
    };
    let parms = match dict_get(doc, dict, b"DecodeParms") {
        Some(Object::Array(a)) => a
            .last()
            .and_then(|o| resolve(doc, o))
            .and_then(crate::pdf::objects::dict_of),
        Some(o) => crate::pdf::objects::dict_of(o),
        None => None,
    };
    let image_mask = matches!(
        dict_get(doc, dict, b"ImageMask"),
        Some(Object::Boolean(true))
    );
    let invert = crate::pdf::objects::numbers(doc, dict.get(b"Decode").unwrap_or(&Object::Null))
        .first()
        .is_some_and(|&d| d > 0.5);
    let last = filters.last().map(Vec::as_slice).unwrap_or(b"");
    let encoded_filter = matches!(
        last,
        b"DCTDecode" | b"DCT" | b"CCITTFaxDecode" | b"CCF" | b"JBIG2Decode"
    );
    if encoded_filter && filters.len() > 1 {
        return Err(format!(
            "unsupported filter chain {}",
            filters
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect::<Vec<_>>()
                .join(" ")
        ));
    }
    if stream.content.len() > MAX_STREAM_BYTES {
        return Err("the image stream is too large".into());
    }
    let mut gray = match last {
        // The JPEG's own size wins: the dictionary is sometimes approximate.
        b"DCTDecode" | b"DCT" => decode_jpeg(&stream.content)?.0,
        b"CCITTFaxDecode" | b"CCF" => ccitt(doc, &stream.content, parms, w, h)?,
        b"JBIG2Decode" => jbig2(doc, &stream.content, parms, w, h)?,
        _ => {
            let data = stream
                .get_plain_content_with_limit(MAX_PIXELS as usize * 4)
                .map_err(|e| format!("image stream: {e}"))?;
            let bpc = if image_mask {
                1
            } else {
                int(b"BitsPerComponent").unwrap_or(8)
            };
            let cs = if image_mask {
                ColorSpace::Gray
            } else {
                color_space(doc, dict_get(doc, dict, b"ColorSpace"))
            };
            samples_to_gray(&data, w, h, bpc as usize, &cs)?
        }
    };
    if image_mask {
        // A stencil mask paints where the sample is 0 (1 with Decode [1 0]).
        if !invert {
            gray.px.iter_mut().for_each(|p| *p = 255 - *p);
        }
    } else if invert {
        gray.px.iter_mut().for_each(|p| *p = 255 - *p);
    }
    Ok(gray)
}

/// Colour spaces reduced to what gray conversion needs.
enum ColorSpace {
    Gray,
    Rgb,
    Cmyk,
    /// Base colour space and a lookup table of gray values.
    Indexed(Vec<u8>),
}

fn color_space(doc: &Document, obj: Option<&Object>) -> ColorSpace {
    use crate::pdf::objects::{dict_get, dict_of, name_of, num_of, resolve};
    let Some(obj) = obj else {
        return ColorSpace::Gray;
    };
    match obj {
        Object::Name(n) => match n.as_slice() {
            b"DeviceRGB" | b"RGB" | b"CalRGB" => ColorSpace::Rgb,
            b"DeviceCMYK" | b"CMYK" => ColorSpace::Cmyk,
            _ => ColorSpace::Gray,
        },
        Object::Array(a) => {
            let head = a.first().and_then(|o| resolve(doc, o)).and_then(name_of);
            match head {
                Some(b"CalRGB") | Some(b"Lab") => ColorSpace::Rgb,
                Some(b"CalGray") => ColorSpace::Gray,
                Some(b"ICCBased") => {
                    let n = a
                        .get(1)
                        .and_then(|o| resolve(doc, o))
                        .and_then(dict_of)
                        .and_then(|d| dict_get(doc, d, b"N"))
                        .and_then(num_of)
                        .unwrap_or(3.0);
                    match n as i32 {
                        1 => ColorSpace::Gray,
                        4 => ColorSpace::Cmyk,
                        _ => ColorSpace::Rgb,
                    }
                }
                Some(b"Indexed") | Some(b"I") => {
                    let base = color_space(doc, a.get(1).and_then(|o| resolve(doc, o)));
                    let ncomp = match base {
                        ColorSpace::Gray => 1,
                        ColorSpace::Cmyk => 4,
                        _ => 3,
                    };
                    let table: Vec<u8> = match a.get(3).and_then(|o| resolve(doc, o)) {
                        Some(Object::String(s, _)) => s.clone(),
                        Some(o @ Object::Stream(_)) => {
                            crate::pdf::objects::stream_data_in(doc, o, 4096).unwrap_or_default()
                        }
                        _ => Vec::new(),
                    };
                    let lut = table
                        .chunks(ncomp)
                        .map(|c| to_gray(c, ncomp))
                        .collect::<Vec<u8>>();
                    ColorSpace::Indexed(lut)
                }
                _ => ColorSpace::Gray,
            }
        }
        _ => ColorSpace::Gray,
    }
}

fn to_gray(c: &[u8], ncomp: usize) -> u8 {
    match (ncomp, c) {
        (3, [r, g, b, ..]) => luma(*r, *g, *b),
        (4, [cc, m, y, k, ..]) => {
            let k = u32::from(*k);
            let ch = |v: u8| (255 - (u32::from(v) + k).min(255)) as u8;
            luma(ch(*cc), ch(*m), ch(*y))
        }
        (_, [g, ..]) => *g,
        _ => 255,
    }
}

/// Raw samples (after Flate/LZW/predictors) → gray.
fn samples_to_gray(
    data: &[u8],
    w: usize,
    h: usize,
    bpc: usize,
    cs: &ColorSpace,
) -> Result<Gray, String> {
    if !matches!(bpc, 1 | 2 | 4 | 8 | 16) {
        return Err(format!("{bpc} bits per component"));
    }
    let ncomp = match cs {
        ColorSpace::Gray | ColorSpace::Indexed(_) => 1,
        ColorSpace::Rgb => 3,
        ColorSpace::Cmyk => 4,
    };
    let stride = (w * ncomp * bpc).div_ceil(8);
    let mut gray = Gray::new(w, h, 255)?;
    let max = (1u32 << bpc.min(8)) - 1;
    let sample = |row: &[u8], i: usize| -> u32 {
        match bpc {
            8 => u32::from(row[i]),
            16 => u32::from(row[2 * i]),
            _ => {
                let bit = i * bpc;
                u32::from(row[bit / 8] >> (8 - bpc - bit % 8)) & max
            }
        }
    };
    let mut c = [0u8; 4];
    for y in 0..h {
        let Some(row) = data.get(y * stride..(y + 1) * stride) else {
            break; // a short stream leaves the rest white
        };
        for x in 0..w {
            for (k, slot) in c.iter_mut().enumerate().take(ncomp) {
                let s = sample(row, x * ncomp + k);
                *slot = if bpc >= 8 {
                    s as u8
                } else {
                    (s * 255 / max) as u8
                };
            }
            gray.px[y * w + x] = match cs {
                ColorSpace::Indexed(lut) => {
                    let i = sample(row, x) as usize;
                    lut.get(i).copied().unwrap_or(255)
                }
                _ => to_gray(&c[..ncomp], ncomp),
            };
        }
    }
    gray.bilevel = bpc == 1 && ncomp == 1;
    Ok(gray)
}

struct CcittSink {
    gray: Gray,
    row: usize,
}

impl hayro_ccitt::Decoder for CcittSink {
    fn push_row(&mut self, changes: &[u32]) {
        if self.row >= self.gray.h {
            return;
        }
        let w = self.gray.w;
        let line = &mut self.gray.px[self.row * w..(self.row + 1) * w];
        for pair in changes.chunks(2) {
            let a = (pair[0] as usize).min(w);
            let b = pair.get(1).map_or(w, |&v| (v as usize).min(w));
            if a < b {
                line[a..b].fill(0);
            }
        }
        self.row += 1;
    }
}

fn ccitt(
    doc: &Document,
    data: &[u8],
    parms: Option<&Dictionary>,
    w: usize,
    h: usize,
) -> Result<Gray, String> {
    use crate::pdf::objects::{dict_get, num_of};
    let get = |k: &[u8]| parms.and_then(|p| dict_get(doc, p, k));
    let flag = |k: &[u8], default: bool| match get(k) {
        Some(Object::Boolean(b)) => *b,
        _ => default,
    };
    let k = get(b"K").and_then(num_of).unwrap_or(0.0);
    let columns = get(b"Columns").and_then(num_of).unwrap_or(1728.0);
    let columns = if columns >= 1.0 { columns as usize } else { w };
    let black_is_1 = flag(b"BlackIs1", false);
    let settings = hayro_ccitt::DecodeSettings {
        columns: columns.min(w.max(1)) as u32,
        rows: h as u32,
        end_of_block: flag(b"EndOfBlock", true),
        end_of_line: flag(b"EndOfLine", false),
        rows_are_byte_aligned: flag(b"EncodedByteAlign", false),
        encoding: if k < 0.0 {
            hayro_ccitt::EncodingMode::Group4
        } else if k > 0.0 {
            hayro_ccitt::EncodingMode::Group3_2D
        } else {
            hayro_ccitt::EncodingMode::Group3_1D
        },
        strict: false,
    };
    let mut sink = CcittSink {
        gray: Gray::new(w, h, 255)?,
        row: 0,
    };
    let mut ctx = hayro_ccitt::DecoderContext::new(settings);
    // A damaged stream still gives the rows decoded before the damage.
    let res = hayro_ccitt::decode(data, &mut sink, &mut ctx);
    if sink.row == 0 {
        return Err(format!("CCITT: {:?}", res.err()));
    }
    let mut gray = sink.gray;
    if black_is_1 {
        // The runs the codes call black are 1 bits, which DeviceGray shows as white.
        gray.px.iter_mut().for_each(|p| *p = 255 - *p);
    }
    gray.bilevel = true;
    Ok(gray)
}

struct Jbig2Sink {
    gray: Gray,
    x: usize,
    y: usize,
}

impl hayro_jbig2::Decoder for Jbig2Sink {
    fn push_pixel(&mut self, black: bool) {
        if self.x < self.gray.w && self.y < self.gray.h && black {
            self.gray.px[self.y * self.gray.w + self.x] = 0;
        }
        self.x += 1;
    }
    fn push_pixel_chunk(&mut self, black: bool, chunk_count: u32) {
        let n = chunk_count as usize * 8;
        if black && self.y < self.gray.h {
            let a = self.x.min(self.gray.w);
            let b = (self.x + n).min(self.gray.w);
            let row = self.y * self.gray.w;
            self.gray.px[row + a..row + b].fill(0);
        }
        self.x += n;
    }
    fn next_line(&mut self) {
        self.x = 0;
        self.y += 1;
    }
}

fn jbig2(
    doc: &Document,
    data: &[u8],
    parms: Option<&Dictionary>,
    w: usize,
    h: usize,
) -> Result<Gray, String> {
    use crate::pdf::objects::{dict_get, stream_data_in};
    let settings = hayro_jbig2::DecodeSettings::default();
    let globals_data = parms
        .and_then(|p| dict_get(doc, p, b"JBIG2Globals"))
        .and_then(|o| stream_data_in(doc, o, MAX_STREAM_BYTES));
    let globals = match &globals_data {
        Some(d) => {
            Some(hayro_jbig2::Globals::new(d, &settings).map_err(|e| format!("JBIG2: {e:?}"))?)
        }
        None => None,
    };
    let page = hayro_jbig2::Page::new_embedded(data, globals.as_ref(), &settings)
        .map_err(|e| format!("JBIG2: {e:?}"))?;
    check_size(u64::from(page.width()), u64::from(page.height()))?;
    let mut sink = Jbig2Sink {
        gray: Gray::new(w, h, 255)?,
        x: 0,
        y: 0,
    };
    page.decode(&mut sink)
        .map_err(|e| format!("JBIG2: {e:?}"))?;
    sink.gray.bilevel = true;
    Ok(sink.gray)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpacks_packed_gray() {
        let mut g = Gray::new(10, 1, 255).unwrap();
        // 1 bpc: 1010 0000 11..
        unpack_gray(&[0b1010_0000, 0b1100_0000], 2, 1, &mut g);
        assert_eq!(&g.px[..4], &[255, 0, 255, 0]);
        assert_eq!(&g.px[8..], &[255, 255]);
    }

    #[test]
    fn refuses_huge_images_before_allocating() {
        assert!(Gray::new(1 << 20, 1 << 20, 0).is_err());
        assert!(Gray::new(0, 10, 0).is_err());
    }
}
