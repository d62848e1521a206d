//! Glyphs → text lines → a cell's text: the stage ruled tables ([`table`](super::table)) and
//! borderless ones ([`borderless`](super::borderless)) share. Glyphs are grouped into lines by
//! height, ordered by x, spaced by the gaps between them (Latin words, CJK runs), and a cell's
//! lines are joined into one text with paragraph breaks where a line stops short.

use super::Glyph;
use crate::rows::BBox;

/// Two Latin glyphs on one line further apart than this (× font size) are separate words and
/// get a space (for producers that position words instead of writing space glyphs; the
/// fixtures' producers all write them).
const WORD_GAP: f32 = 0.2;
/// The same between a CJK and a Latin glyph: typst adds a quarter em there
/// (`cjk-latin-spacing`) that is no space character, while a half-width space is 0.25–0.5 em.
const MIXED_WORD_GAP: f32 = 0.35;
/// The same between two CJK glyphs: Japanese has no spaces and justified CJK text is spread,
/// so only a real hole (about an ideographic space) counts.
const CJK_WORD_GAP: f32 = 0.8;
/// Outside the tables, a gap wider than this (× font size) splits a line into cells.
pub(super) const CELL_GAP: f32 = 1.0;
/// A line ends a paragraph when the room left at its end exceeds the next line's first word
/// by more than this (× font size): cell padding and justification slack stay below it.
pub(super) const PARAGRAPH_SLACK: f32 = 1.5;
/// Two glyphs are on the same line when their centres are closer than this × line height.
const SAME_LINE: f32 = 0.5;

/// A glyph with a sanitized box (ordered corners, finite) and a usable size.
#[derive(Debug)]
pub(super) struct G<'a> {
    pub(super) text: &'a str,
    pub(super) b: BBox,
    pub(super) size: f32,
    pub(super) vertical: bool,
}

impl<'a> G<'a> {
    /// None for glyphs that cannot be placed (non-finite box) or carry no text.
    pub(super) fn new(g: &'a Glyph) -> Option<Self> {
        let b = g.bbox;
        if g.text.is_empty() || ![b.x0, b.y0, b.x1, b.y1].iter().all(|v| v.is_finite()) {
            return None;
        }
        let b = BBox {
            x0: b.x0.min(b.x1),
            x1: b.x0.max(b.x1),
            y0: b.y0.min(b.y1),
            y1: b.y0.max(b.y1),
        };
        // Some producers give degenerate boxes (zero height for spaces); fall back to the
        // font size, and to 1 pt when even that is unusable.
        let size = if g.size.is_finite() && g.size > 0.0 {
            g.size
        } else if b.y1 - b.y0 > 0.0 {
            b.y1 - b.y0
        } else {
            1.0
        };
        Some(G {
            text: &g.text,
            b,
            size,
            vertical: g.vertical,
        })
    }

    pub(super) fn centre(&self) -> (f32, f32) {
        ((self.b.x0 + self.b.x1) / 2.0, (self.b.y0 + self.b.y1) / 2.0)
    }

    pub(super) fn height(&self) -> f32 {
        let h = self.b.y1 - self.b.y0;
        if h > 0.1 {
            h
        } else {
            self.size
        }
    }

    pub(super) fn is_space(&self) -> bool {
        self.text.chars().all(char::is_whitespace)
    }
}

/// Glyphs of one text line, left to right, with their union box.
pub(super) struct Line<'a> {
    pub(super) glyphs: Vec<&'a G<'a>>,
    pub(super) x0: f32,
    pub(super) x1: f32,
    pub(super) y1: f32,
    pub(super) size: f32,
}

impl<'a> Line<'a> {
    /// A line of glyphs already ordered left to right, with its extent.
    pub(super) fn new(glyphs: Vec<&'a G<'a>>) -> Self {
        let mut line = Line {
            glyphs,
            x0: 0.0,
            x1: 0.0,
            y1: 0.0,
            size: 0.0,
        };
        line.measure();
        line
    }

    fn measure(&mut self) {
        self.x0 = self.glyphs.iter().map(|g| g.b.x0).fold(f32::MAX, f32::min);
        self.x1 = self.glyphs.iter().map(|g| g.b.x1).fold(f32::MIN, f32::max);
        self.y1 = self.glyphs.iter().map(|g| g.b.y1).fold(f32::MIN, f32::max);
        // The largest size on the line: gaps are judged against the body text, not a
        // small superscript.
        self.size = self.glyphs.iter().map(|g| g.size).fold(0.0, f32::max);
    }
}

/// Groups glyphs into lines, top to bottom, each ordered left to right. Sort by centre height,
/// then sweep: a glyph joins the current line when its centre is close to the line's mean
/// centre (relative to the mean glyph height), so wrapped lines ~1.2 em apart stay apart
/// while mixed fonts on one baseline stay together. O(n log n).
pub(super) fn group_lines<'a>(mut glyphs: Vec<&'a G<'a>>) -> Vec<Line<'a>> {
    glyphs.sort_by(|a, b| {
        b.centre()
            .1
            .total_cmp(&a.centre().1)
            .then(a.b.x0.total_cmp(&b.b.x0))
    });
    let mut lines: Vec<Line<'a>> = Vec::new();
    let (mut sum_cy, mut sum_h) = (0.0f32, 0.0f32);
    for g in glyphs {
        let cy = g.centre().1;
        if let Some(line) = lines.last_mut() {
            let n = line.glyphs.len() as f32;
            if (sum_cy / n - cy).abs() <= SAME_LINE * (sum_h / n) {
                line.glyphs.push(g);
                sum_cy += cy;
                sum_h += g.height();
                continue;
            }
        }
        lines.push(Line {
            glyphs: vec![g],
            x0: 0.0,
            x1: 0.0,
            y1: 0.0,
            size: 0.0,
        });
        sum_cy = cy;
        sum_h = g.height();
    }
    for line in &mut lines {
        line.glyphs.sort_by(|a, b| a.b.x0.total_cmp(&b.b.x0));
        line.measure();
    }
    lines
}

/// Japanese script and full-width forms: no spaces are written between these.
pub(super) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2460}'..='\u{24FF}' // enclosed numbers ①
        | '\u{2E80}'..='\u{9FFF}' // radicals, CJK punctuation, kana, ideographs
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FFEF}' // full-width and half-width forms
        | '\u{20000}'..='\u{3FFFF}')
}

/// Text of a run of glyphs already ordered left to right, with a space wherever a word gap
/// is wider than the glyphs' own spacing (producers that position words instead of writing
/// spaces).
pub(super) fn run_text(glyphs: &[&G]) -> String {
    // Sized for the glyphs' text and a few word gaps: no regrowing in the loop.
    let mut out = String::with_capacity(glyphs.iter().map(|g| g.text.len()).sum::<usize>() + 8);
    let mut prev: Option<&G> = None;
    for &g in glyphs {
        if let Some(p) = prev {
            let gap = g.b.x0 - p.b.x1;
            let left = p.text.chars().last().is_some_and(is_cjk);
            let right = g.text.chars().next().is_some_and(is_cjk);
            let limit = match (left, right) {
                (true, true) => CJK_WORD_GAP,
                (false, false) => WORD_GAP,
                _ => MIXED_WORD_GAP,
            } * p.size.max(g.size);
            if gap > limit && !p.is_space() && !g.is_space() {
                out.push(' ');
            }
        }
        out.push_str(g.text);
        prev = Some(g);
    }
    out
}

/// Text of a cell: its lines joined, and the lines themselves. A line that stops well short
/// of the cell's right edge (more room than the next line's first word needed) ended a
/// paragraph: `\n`. Otherwise the line was wrapped: CJK on either side joins directly, Latin
/// words get one space.
pub(super) fn cell_text(lines: &[Line], right: f32) -> (String, Vec<String>) {
    let mut texts: Vec<String> = Vec::with_capacity(lines.len());
    for line in lines {
        let text = run_text(&line.glyphs);
        let trimmed = text.trim();
        texts.push(if trimmed.len() == text.len() {
            text
        } else {
            trimmed.to_string()
        });
    }
    let mut out = String::with_capacity(texts.iter().map(|t| t.len() + 1).sum());
    for (i, (text, line)) in texts.iter().zip(lines).enumerate() {
        if text.is_empty() {
            continue;
        }
        if i > 0 && !out.is_empty() {
            let prev = &lines[i - 1];
            let room = right - prev.x1;
            let first_word = first_word_width(line);
            let last = out.chars().last();
            let first = text.chars().next();
            if room > first_word + PARAGRAPH_SLACK * prev.size {
                out.push('\n');
            } else if !(last.is_some_and(is_cjk) || first.is_some_and(is_cjk)) {
                out.push(' ');
            }
        }
        out.push_str(text);
    }
    texts.retain(|t| !t.is_empty());
    (out, texts)
}

/// Characters that Japanese line breaking (kinsoku) keeps off the start of a line.
fn is_no_break_start(c: char) -> bool {
    matches!(
        c,
        '、' | '。'
            | '，'
            | '．'
            | ','
            | '.'
            | '」'
            | '』'
            | '）'
            | ')'
            | '】'
            | '〕'
            | '〉'
            | '》'
            | '・'
            | 'ー'
            | '々'
            | '！'
            | '？'
            | '：'
            | '；'
            | 'っ'
            | 'ゃ'
            | 'ゅ'
            | 'ょ'
            | 'ッ'
            | 'ャ'
            | 'ュ'
            | 'ョ'
            | 'ぁ'
            | 'ぃ'
            | 'ぅ'
            | 'ぇ'
            | 'ぉ'
            | 'ァ'
            | 'ィ'
            | 'ゥ'
            | 'ェ'
            | 'ォ'
    )
}

/// Width of the first word of a line: the first glyph for CJK (it can break anywhere), else
/// the glyphs up to the first space or word gap.
fn first_word_width(line: &Line) -> f32 {
    let Some(first) = line.glyphs.iter().find(|g| !g.is_space()) else {
        return 0.0;
    };
    if first.text.chars().next().is_some_and(is_cjk) {
        // Japanese breaks anywhere, but a closing mark (、。」…) may not start a line, so the
        // character before it wraps along with it.
        let end = line
            .glyphs
            .iter()
            .skip_while(|g| g.is_space())
            .skip(1)
            .take_while(|g| g.text.chars().all(is_no_break_start))
            .fold(first.b.x1, |end, g| end.max(g.b.x1));
        return end - first.b.x0;
    }
    let mut end = first.b.x1;
    for g in line.glyphs.iter().skip_while(|g| g.is_space()).skip(1) {
        if g.is_space()
            || g.b.x0 - end > WORD_GAP * g.size
            || g.text.chars().next().is_some_and(is_cjk)
        {
            break;
        }
        end = g.b.x1;
    }
    end - first.b.x0
}
