//! The content-stream interpreter: graphics and text state, text-showing operators → glyphs,
//! path painting → rules and fills, XObjects (forms recursed, images counted).

use super::fxhash::FxHashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::content::Limits;
use super::font::{CMapCache, Font, Reading};
use super::graphics::{transform_box, Matrix, Path};
use super::lexer::{Lexer, Operand, Token};
use super::objects::{
    decode_stream, decode_text_string, dict_get, dict_of, name_of, num_of, numbers, recover_object,
    resolve, StreamError,
};
use super::{DrawnGlyph, Glyph, PageContent};
use crate::error::{Error, ErrorKind, Result};

/// Form XObjects nested deeper than this are skipped.
const MAX_FORM_DEPTH: usize = 12;
/// Operands kept for one operator; more is garbage and gets dropped.
const MAX_OPERANDS: usize = 64;

/// Fonts of one document, parsed once each.
#[derive(Default)]
pub struct FontCache {
    by_key: FxHashMap<FontKey, Rc<Font>>,
    pub cmaps: CMapCache,
}

#[derive(Hash, PartialEq, Eq)]
enum FontKey {
    Id(ObjectId),
    /// A font dictionary written directly into a resource dictionary, keyed by its address
    /// (stable: the document is not mutated while we read it).
    Direct(usize),
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    font_size: f32,
    char_spacing: f32,
    word_spacing: f32,
    /// Tz / 100.
    hscale: f32,
    leading: f32,
    rise: f32,
}

/// An open marked-content sequence; `actual` is its /ActualText, if any.
struct Marked {
    actual: Option<String>,
    first_glyph: usize,
    unmapped_at_start: u32,
}

pub struct Interpreter<'a> {
    doc: &'a Document,
    /// The file's bytes, to recover objects lopdf could not load.
    bytes: &'a [u8],
    fonts: &'a mut FontCache,
    limits: &'a Limits,
    pub page: PageContent,
    operators: usize,
    gs: GState,
    stack: Vec<GState>,
    tm: Matrix,
    tlm: Matrix,
    path: Path,
    marked: Vec<Marked>,
    forms: Vec<ObjectId>,
    /// The font a `Tf` selected last: its resource dictionary (by address), its name there and
    /// the font. Producers select a font again before nearly every string (ReportLab: twice),
    /// and a lookup through the resources costs two hashed dictionary lookups and one in the
    /// cache.
    last_font: Option<(usize, Vec<u8>, Rc<Font>)>,
    /// The graphics state a page starts with (annotations start from it again).
    initial: GState,
}

impl<'a> Interpreter<'a> {
    pub fn new(
        doc: &'a Document,
        bytes: &'a [u8],
        fonts: &'a mut FontCache,
        limits: &'a Limits,
        page: PageContent,
        base: Matrix,
    ) -> Self {
        let gs = GState {
            ctm: base,
            font: None,
            font_size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            hscale: 1.0,
            leading: 0.0,
            rise: 0.0,
        };
        Interpreter {
            doc,
            bytes,
            fonts,
            limits,
            page,
            operators: 0,
            initial: gs.clone(),
            gs,
            stack: Vec::new(),
            tm: Matrix::IDENTITY,
            tlm: Matrix::IDENTITY,
            last_font: None,
            path: Path::default(),
            marked: Vec::new(),
            forms: Vec::new(),
        }
    }

    fn error(&self, what: String) -> Error {
        Error::new(
            ErrorKind::PdfUnreadable,
            format!("page {}: {what}", self.page.number),
        )
    }

    /// Runs one content stream with the given resources.
    pub fn run(&mut self, data: &[u8], resources: Option<&'a Dictionary>) -> Result<()> {
        let mut lx = Lexer::new(data);
        let mut operands: Vec<Operand<'_>> = Vec::new();
        // Arrays (TJ) nest only one level deep in practice; deeper ones are flattened.
        let mut arrays: Vec<Vec<Operand<'_>>> = Vec::new();
        let mut dict_depth = 0u32;
        let mut last_key_actual = false;
        let mut pending_actual: Option<String> = None;
        while let Some(tok) = lx.next_token() {
            match tok {
                Token::Operand(op) => {
                    if dict_depth > 0 {
                        // Inside an inline dictionary (BDC properties): keep /ActualText only.
                        match &op {
                            Operand::Name(n) => last_key_actual = *n == b"ActualText",
                            Operand::Str(s) if last_key_actual => {
                                pending_actual = Some(decode_text_string(s));
                                last_key_actual = false;
                            }
                            _ => last_key_actual = false,
                        }
                    } else if let Some(a) = arrays.last_mut() {
                        if a.len() < 1_000_000 {
                            a.push(op);
                        }
                    } else if operands.len() < MAX_OPERANDS {
                        operands.push(op);
                    }
                }
                Token::ArrayStart => {
                    if dict_depth == 0 && arrays.len() < 8 {
                        arrays.push(Vec::new());
                    }
                }
                Token::ArrayEnd => {
                    if dict_depth == 0 {
                        if let Some(a) = arrays.pop() {
                            match arrays.last_mut() {
                                Some(outer) => outer.extend(a),
                                None if operands.len() < MAX_OPERANDS => {
                                    operands.push(Operand::Array(a))
                                }
                                None => {}
                            }
                        }
                    }
                }
                Token::DictStart => {
                    dict_depth += 1;
                    if dict_depth == 1 && operands.len() < MAX_OPERANDS {
                        operands.push(Operand::Other);
                    }
                }
                Token::DictEnd => dict_depth = dict_depth.saturating_sub(1),
                Token::Op(op) => {
                    self.operators += 1;
                    if self.operators > self.limits.max_operators {
                        return Err(self.error(format!(
                            "more than {} operators; the page was skipped",
                            self.limits.max_operators
                        )));
                    }
                    // An operator inside a TJ array (`[(a) 0 Tc (b)] TJ`, a real producer
                    // bug) is a bad element: poppler and pdf.js skip it and keep the array.
                    if !arrays.is_empty() && dict_depth == 0 && op != b"BI" {
                        continue;
                    }
                    dict_depth = 0;
                    arrays.clear();
                    if op == b"BI" {
                        lx.skip_inline_image();
                        self.page.images += 1;
                    } else {
                        self.operator(op, &operands, resources, pending_actual.take())?;
                    }
                    operands.clear();
                    pending_actual = None;
                }
            }
        }
        Ok(())
    }

    fn operator(
        &mut self,
        op: &[u8],
        args: &[Operand<'_>],
        resources: Option<&'a Dictionary>,
        actual: Option<String>,
    ) -> Result<()> {
        let n = |i: usize| args.get(i).and_then(Operand::num).unwrap_or(0.0);
        // A matrix's six numbers, at the end of the list (extra garbage may precede them).
        let matrix = || -> Option<Matrix> {
            let start = args.len().checked_sub(6)?;
            let mut v = [0.0; 6];
            for (d, a) in v.iter_mut().zip(&args[start..]) {
                *d = a.num().unwrap_or(0.0);
            }
            Some(Matrix(v))
        };
        match op {
            b"q" if self.stack.len() < 256 => self.stack.push(self.gs.clone()),
            b"Q" => {
                if let Some(gs) = self.stack.pop() {
                    self.gs = gs;
                }
            }
            b"cm" => {
                if let Some(m) = matrix() {
                    let ctm = m.then(&self.gs.ctm);
                    if ctm.is_finite() {
                        self.gs.ctm = ctm;
                    }
                }
            }
            // Path construction.
            b"m" => self.path.move_to(&self.gs.ctm, n(0), n(1)),
            b"l" => self.path.line_to(&self.gs.ctm, n(0), n(1)),
            b"c" => self.path.curve_to(&self.gs.ctm, n(4), n(5)),
            b"v" | b"y" => self.path.curve_to(&self.gs.ctm, n(2), n(3)),
            b"h" => self.path.close(),
            b"re" => self.path.rect(&self.gs.ctm, n(0), n(1), n(2), n(3)),
            // Path painting.
            b"S" => self.paint(true, false, false),
            b"s" => self.paint(true, false, true),
            b"f" | b"F" | b"f*" => self.paint(false, true, false),
            b"B" | b"B*" => self.paint(true, true, false),
            b"b" | b"b*" => self.paint(true, true, true),
            b"n" => self.path.clear(),
            // Text objects and state.
            b"BT" => {
                self.tm = Matrix::IDENTITY;
                self.tlm = Matrix::IDENTITY;
            }
            b"ET" => {}
            b"Tf" => {
                self.gs.font_size = n(1);
                if let Some(Operand::Name(name)) = args.first() {
                    self.gs.font = self.font(resources, name);
                }
            }
            b"Tc" => self.gs.char_spacing = n(0),
            b"Tw" => self.gs.word_spacing = n(0),
            b"Tz" => self.gs.hscale = n(0) / 100.0,
            b"TL" => self.gs.leading = n(0),
            b"Ts" => self.gs.rise = n(0),
            b"Td" => self.td(n(0), n(1)),
            b"TD" => {
                self.gs.leading = -n(1);
                self.td(n(0), n(1));
            }
            b"Tm" => {
                if let Some(m) = matrix() {
                    if m.is_finite() {
                        self.tm = m;
                        self.tlm = m;
                    }
                }
            }
            b"T*" => self.td(0.0, -self.gs.leading),
            b"Tj" => {
                if let Some(Operand::Str(s)) = args.last() {
                    self.show(s)?;
                }
            }
            b"'" => {
                self.td(0.0, -self.gs.leading);
                if let Some(Operand::Str(s)) = args.last() {
                    self.show(s)?;
                }
            }
            b"\"" => {
                self.gs.word_spacing = n(0);
                self.gs.char_spacing = n(1);
                self.td(0.0, -self.gs.leading);
                if let Some(Operand::Str(s)) = args.last() {
                    self.show(s)?;
                }
            }
            b"TJ" => {
                if let Some(Operand::Array(items)) = args.last() {
                    for item in items {
                        match item {
                            Operand::Str(s) => self.show(s)?,
                            Operand::Num(k) => self.adjust(*k),
                            _ => {}
                        }
                    }
                }
            }
            // Marked content: only /ActualText matters (Chromium wraps glyphs whose
            // ToUnicode gives a radical code point in a span carrying the real character).
            b"BMC" | b"BDC" if self.marked.len() < 256 => self.marked.push(Marked {
                actual: actual.filter(|_| op == b"BDC"),
                first_glyph: self.page.glyphs.len(),
                unmapped_at_start: self.page.unmapped_glyphs,
            }),
            b"EMC" => {
                if let Some(m) = self.marked.pop() {
                    self.apply_actual_text(m);
                }
            }
            b"Do" => {
                if let Some(Operand::Name(name)) = args.last() {
                    self.xobject(resources, name)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn td(&mut self, tx: f32, ty: f32) {
        self.tlm = Matrix::translate(tx, ty).then(&self.tlm);
        self.tm = self.tlm;
    }

    fn paint(&mut self, stroke: bool, fill: bool, close: bool) {
        if close {
            self.path.close();
        }
        if stroke {
            self.path.stroke_rules(&mut self.page.rules);
        } else if fill {
            self.path
                .fill_rects(&mut self.page.rules, &mut self.page.fills);
        }
        self.path.clear();
    }

    fn font(&mut self, resources: Option<&'a Dictionary>, name: &[u8]) -> Option<Rc<Font>> {
        let resources = resources?;
        let at = resources as *const Dictionary as usize;
        if let Some((a, n, f)) = &self.last_font {
            if *a == at && n == name {
                return Some(f.clone());
            }
        }
        let font = self.font_lookup(resources, name)?;
        self.last_font = Some((at, name.to_vec(), font.clone()));
        Some(font)
    }

    fn font_lookup(&mut self, resources: &'a Dictionary, name: &[u8]) -> Option<Rc<Font>> {
        let doc = self.doc;
        let fonts = dict_get(doc, resources, b"Font").and_then(dict_of)?;
        let raw = fonts.get(name).ok()?;
        let key = match raw {
            Object::Reference(id) => FontKey::Id(*id),
            other => FontKey::Direct(other as *const Object as usize),
        };
        if let Some(f) = self.fonts.by_key.get(&key) {
            return Some(f.clone());
        }
        // A font object lopdf could not load (no `endobj`, say) is read from the file's
        // bytes; a font that is not there at all maps nothing, so its glyphs are counted as
        // unmapped (and warned about) rather than silently dropped.
        let recovered = match (resolve(doc, raw), raw) {
            (None | Some(Object::Null), Object::Reference(id)) => {
                recover_object(doc, self.bytes, *id)
            }
            _ => None,
        };
        let font = match recovered
            .as_ref()
            .or_else(|| resolve(doc, raw))
            .and_then(dict_of)
        {
            Some(dict) => Font::load(
                doc,
                dict,
                &mut self.fonts.cmaps,
                self.limits.max_stream_bytes,
            ),
            None => Font::unusable(),
        };
        let font = Rc::new(font);
        self.fonts.by_key.insert(key, font.clone());
        Some(font)
    }

    /// TJ number: move back by k/1000 text-space units (down for vertical fonts).
    fn adjust(&mut self, k: f32) {
        let vertical = self.gs.font.as_ref().is_some_and(|f| f.vertical);
        let d = -k / 1000.0 * self.gs.font_size;
        let m = if vertical {
            Matrix::translate(0.0, d)
        } else {
            Matrix::translate(d * self.gs.hscale, 0.0)
        };
        self.tm = m.then(&self.tm);
    }

    fn show(&mut self, bytes: &[u8]) -> Result<()> {
        let Some(font) = self.gs.font.clone() else {
            return Ok(());
        };
        let gs = &self.gs;
        let fs = gs.font_size;
        // Glyph "em space" → text space: the font matrix scaled so one em is 1.0 (identity
        // for everything but Type3 fonts with unusual matrices).
        // The em is 1/scale glyph units, where scale is the font matrix's size (0.001 for all
        // but Type3 fonts); dividing by it keeps only the matrix's orientation (flips).
        let fm = font.matrix;
        let scale = (fm[0] * fm[3] - fm[1] * fm[2]).abs().sqrt();
        let scale = if scale.is_finite() && scale > 0.0 {
            scale
        } else {
            0.001
        };
        let em = Matrix([
            fm[0] / scale,
            fm[1] / scale,
            fm[2] / scale,
            fm[3] / scale,
            0.0,
            0.0,
        ]);
        let text_to_page = Matrix([fs * gs.hscale, 0.0, 0.0, fs, 0.0, gs.rise]);
        let em_to_text = em.then(&text_to_page);
        let mut rest = bytes;
        while !rest.is_empty() {
            let (code, len) = font.next_code(rest);
            rest = &rest[len.max(1)..];
            let read = font.read_code(self.doc, self.limits.max_stream_bytes, code, len);
            let width = read.width;
            let g = em_to_text.then(&self.tm).then(&self.gs.ctm);
            if read.reading != Reading::Unmapped {
                let guessed = read.reading != Reading::Mapped;
                let system = read.reading == Reading::System;
                self.page.guessed_glyphs += u32::from(guessed);
                self.page.system_font_glyphs += u32::from(system);
                if self.page.glyphs.len() >= self.limits.max_glyphs_per_page {
                    return Err(self.error(format!(
                        "more than {} glyphs; the page was skipped",
                        self.limits.max_glyphs_per_page
                    )));
                }
                // Box in em space: horizontal fonts sit on the baseline from the origin;
                // vertical fonts hang below the origin, centred on it.
                let w_em = width * scale;
                let bbox = if font.vertical {
                    transform_box(&g, -w_em / 2.0, -1.0, w_em / 2.0, 0.0)
                } else {
                    transform_box(&g, 0.0, -0.2, w_em, 0.8)
                };
                let size = (g.0[2] * g.0[2] + g.0[3] * g.0[3]).sqrt();
                if bbox.x0.is_finite() && bbox.y1.is_finite() {
                    self.page.glyphs.push(Glyph {
                        text: read.text,
                        bbox,
                        size,
                        vertical: font.vertical,
                    });
                }
            } else {
                self.page.unmapped_glyphs += 1;
                match font.glyph_outline(self.doc, self.limits.max_stream_bytes, code, len) {
                    Some(outline) if outline.segments.is_empty() => {}
                    Some(outline) if self.page.drawn.len() < self.limits.max_glyphs_per_page => {
                        self.page.drawn.push(DrawnGlyph {
                            outline,
                            to_page: g.0,
                        });
                    }
                    _ => self.page.undrawn_glyphs += 1,
                }
            }
            let spacing = self.gs.char_spacing
                + if font.is_word_space(code, len) {
                    self.gs.word_spacing
                } else {
                    0.0
                };
            let step = if font.vertical {
                Matrix::translate(
                    0.0,
                    font.vertical_advance(code, len) / 1000.0 * fs + spacing,
                )
            } else {
                Matrix::translate((width * fm[0] * fs + spacing) * self.gs.hscale, 0.0)
            };
            self.tm = step.then(&self.tm);
        }
        Ok(())
    }

    /// Replaces the glyphs of a finished /ActualText span by one glyph with that text.
    fn apply_actual_text(&mut self, m: Marked) {
        let Some(actual) = m.actual else { return };
        let glyphs = &mut self.page.glyphs;
        if m.first_glyph >= glyphs.len() || actual.chars().all(char::is_whitespace) {
            return;
        }
        let mut span = glyphs.drain(m.first_glyph..);
        let Some(mut first) = span.next() else { return };
        for g in span {
            first.bbox.x0 = first.bbox.x0.min(g.bbox.x0);
            first.bbox.y0 = first.bbox.y0.min(g.bbox.y0);
            first.bbox.x1 = first.bbox.x1.max(g.bbox.x1);
            first.bbox.y1 = first.bbox.y1.max(g.bbox.y1);
        }
        first.text = actual.into();
        glyphs.push(first);
        // Glyphs the font could not map but the span explains are mapped now.
        self.page.unmapped_glyphs = m.unmapped_at_start.min(self.page.unmapped_glyphs);
    }

    fn xobject(&mut self, resources: Option<&'a Dictionary>, name: &[u8]) -> Result<()> {
        let doc = self.doc;
        let Some(xobjects) = resources
            .and_then(|r| dict_get(doc, r, b"XObject"))
            .and_then(dict_of)
        else {
            return Ok(());
        };
        let Ok(raw) = xobjects.get(name) else {
            return Ok(());
        };
        let Some(Object::Stream(stream)) = resolve(doc, raw) else {
            return Ok(());
        };
        let subtype = dict_get(doc, &stream.dict, b"Subtype")
            .and_then(name_of)
            .unwrap_or(b"");
        match subtype {
            b"Image" => {
                self.page.images += 1;
                // Where the unit square lands (for the scan front end: which image covers the
                // page, and at what resolution).
                let corners = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)]
                    .map(|(x, y)| self.gs.ctm.apply(x, y));
                let xs = corners.map(|c| c.0);
                let ys = corners.map(|c| c.1);
                let bbox = crate::rows::BBox {
                    x0: xs.iter().copied().fold(f32::INFINITY, f32::min),
                    y0: ys.iter().copied().fold(f32::INFINITY, f32::min),
                    x1: xs.iter().copied().fold(f32::NEG_INFINITY, f32::max),
                    y1: ys.iter().copied().fold(f32::NEG_INFINITY, f32::max),
                };
                if let (Object::Reference(id), true) = (raw, self.page.placed_images.len() < 64) {
                    self.page
                        .placed_images
                        .push(super::PlacedImage { id: *id, bbox });
                }
            }
            b"Form" => {
                let id = match raw {
                    Object::Reference(id) => Some(*id),
                    _ => None,
                };
                self.form(stream, id, resources, None)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Runs a form XObject: its /Matrix (then `extra`, for annotation appearances) applied to
    /// the current transformation, its own resources (else the caller's), state restored after.
    fn form(
        &mut self,
        stream: &'a lopdf::Stream,
        id: Option<ObjectId>,
        resources: Option<&'a Dictionary>,
        extra: Option<Matrix>,
    ) -> Result<()> {
        let doc = self.doc;
        {
            {
                if self.forms.len() >= MAX_FORM_DEPTH
                    || id.is_some_and(|id| self.forms.contains(&id))
                {
                    return Ok(());
                }
                let data = match decode_stream(doc, stream, self.limits.max_stream_bytes) {
                    Ok(d) => d,
                    Err(e @ StreamError::TooLarge(_)) => {
                        return Err(self.error(format!("a form XObject {e}; the page was skipped")));
                    }
                    Err(e) => {
                        let msg = format!(
                            "page {}: a form XObject {e}; its part of the page was not read",
                            self.page.number
                        );
                        self.page.problems.push(msg);
                        return Ok(());
                    }
                };
                let form_res = dict_get(doc, &stream.dict, b"Resources")
                    .and_then(dict_of)
                    .or(resources);
                let matrix = stream
                    .dict
                    .get(b"Matrix")
                    .map(|m| numbers(doc, m))
                    .unwrap_or_default();
                let saved = self.gs.clone();
                let saved_stack = self.stack.len();
                if let Some(extra) = extra {
                    self.gs.ctm = extra.then(&self.gs.ctm);
                }
                if matrix.len() == 6 {
                    let m = Matrix([
                        matrix[0], matrix[1], matrix[2], matrix[3], matrix[4], matrix[5],
                    ]);
                    if m.is_finite() {
                        self.gs.ctm = m.then(&self.gs.ctm);
                    }
                }
                self.forms.push(id.unwrap_or((0, 0)));
                let (tm, tlm) = (self.tm, self.tlm);
                let result = self.run(&data, form_res);
                self.forms.pop();
                self.stack.truncate(saved_stack);
                self.gs = saved;
                self.tm = tm;
                self.tlm = tlm;
                result?;
            }
        }
        Ok(())
    }

    /// Draws the page's annotations' normal appearances, as poppler does for text output
    /// (form fields, free text, stamps); hidden / no-view annotations and popups are skipped.
    /// `base` is the page's own transformation (the content stream's is not inherited).
    pub fn annotations(&mut self, page: &'a Dictionary, base: Matrix) -> Result<()> {
        let doc = self.doc;
        let Some(Object::Array(annots)) = dict_get(doc, page, b"Annots") else {
            return Ok(());
        };
        for annot in annots.iter().take(10_000) {
            let Some(a) = resolve(doc, annot).and_then(dict_of) else {
                continue;
            };
            let flags = dict_get(doc, a, b"F").and_then(num_of).unwrap_or(0.0) as i64;
            let subtype = dict_get(doc, a, b"Subtype").and_then(name_of);
            if flags & (2 | 32) != 0 || subtype == Some(b"Popup") {
                continue;
            }
            let Some(normal) = dict_get(doc, a, b"AP")
                .and_then(dict_of)
                .and_then(|ap| ap.get(b"N").ok())
            else {
                continue;
            };
            // The normal appearance is a stream, or one stream per state (/AS picks it).
            let (raw, stream) = match resolve(doc, normal) {
                Some(Object::Stream(s)) => (normal, s),
                Some(Object::Dictionary(states)) => {
                    let Some(state) = dict_get(doc, a, b"AS").and_then(name_of) else {
                        continue;
                    };
                    let Ok(raw) = states.get(state) else { continue };
                    match resolve(doc, raw) {
                        Some(Object::Stream(s)) => (raw, s),
                        _ => continue,
                    }
                }
                _ => continue,
            };
            let rect = dict_get(doc, a, b"Rect")
                .map(|r| numbers(doc, r))
                .unwrap_or_default();
            if rect.len() != 4 {
                continue;
            }
            // PDF 32000 12.5.5: the form's BBox, transformed by its /Matrix, is mapped onto
            // the annotation's /Rect.
            let bbox = dict_get(doc, &stream.dict, b"BBox")
                .map(|b| numbers(doc, b))
                .unwrap_or_default();
            let matrix = match dict_get(doc, &stream.dict, b"Matrix").map(|m| numbers(doc, m)) {
                Some(m) if m.len() == 6 => Matrix([m[0], m[1], m[2], m[3], m[4], m[5]]),
                _ => Matrix::IDENTITY,
            };
            if bbox.len() != 4 {
                continue;
            }
            let b = transform_box(&matrix, bbox[0], bbox[1], bbox[2], bbox[3]);
            let (w, h) = (b.x1 - b.x0, b.y1 - b.y0);
            let (rx0, ry0) = (rect[0].min(rect[2]), rect[1].min(rect[3]));
            let (rw, rh) = ((rect[2] - rect[0]).abs(), (rect[3] - rect[1]).abs());
            let (sx, sy) = if w > 0.0 && h > 0.0 {
                (rw / w, rh / h)
            } else {
                (1.0, 1.0)
            };
            let fit = Matrix([sx, 0.0, 0.0, sy, rx0 - b.x0 * sx, ry0 - b.y0 * sy]);
            if !fit.is_finite() {
                continue;
            }
            let id = match raw {
                Object::Reference(id) => Some(*id),
                _ => None,
            };
            // The form's own /Matrix is applied inside `form`; `fit` goes outside it.
            self.gs = self.initial.clone();
            self.gs.ctm = base;
            self.stack.clear();
            self.form(stream, id, None, Some(fit))?;
        }
        Ok(())
    }
}
