//! Item numbers as families print them (`1-①`, `No.82`, `No.R2-4`, `(1)-ア-3`, `12`) → the
//! contract's `item_key` (levels joined by `-`, ASCII), `pillar` and `seq`; group headings'
//! `number title`; and the checks over a report's numbers (duplicates, gaps).

use std::collections::HashMap;

use crate::diag::{Diag, WarningCode};
use crate::model::Item;

/// One level of an item number.
#[derive(Debug, Clone, PartialEq)]
enum Level {
    /// A number (digits, circled, parenthesized, kanji, kana position).
    Num(u32),
    /// An era-prefixed number kept as printed (`R2`).
    Era(String),
}

/// What an item number says: its key and numeric levels.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    pub key: String,
    pub pillar: Option<u32>,
    pub seq: Option<u32>,
}

const KANA_A: &str =
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン";
const KANA_I: &str =
    "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん";

/// ①–⑳, ⑴–⒇, ㉑–㊿ → their number.
fn circled(c: char) -> Option<u32> {
    let n = c as u32;
    match c {
        '\u{2460}'..='\u{2473}' => Some(n - 0x2460 + 1),
        '\u{2474}'..='\u{2487}' => Some(n - 0x2474 + 1),
        '\u{3251}'..='\u{325F}' => Some(n - 0x3251 + 21),
        '\u{32B1}'..='\u{32BF}' => Some(n - 0x32B1 + 36),
        _ => None,
    }
}

fn kanji_number(s: &str) -> Option<u32> {
    let digit = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [d] => digit(*d).filter(|&n| n > 0).or((*d == '十').then_some(10)),
        ['十', d] => digit(*d).map(|n| 10 + n),
        [d, '十'] => digit(*d).map(|n| n * 10),
        [a, '十', b] => Some(digit(*a)? * 10 + digit(*b)?),
        _ => None,
    }
}

fn roman(s: &str) -> Option<u32> {
    const R: &[&str] = &[
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
    ];
    R.iter().position(|r| *r == s).map(|p| p as u32 + 1)
}

/// One token of a number (brackets already removed) → a level.
fn level(tok: &str) -> Option<Level> {
    let mut chars = tok.chars();
    let first = chars.next()?;
    if tok.bytes().all(|b| b.is_ascii_digit()) && tok.len() <= 6 {
        return tok.parse().ok().map(Level::Num);
    }
    if chars.as_str().is_empty() {
        if let Some(n) = circled(first) {
            return Some(Level::Num(n));
        }
        if let Some(p) = KANA_A.chars().position(|k| k == first) {
            return Some(Level::Num(p as u32 + 1));
        }
        if let Some(p) = KANA_I.chars().position(|k| k == first) {
            return Some(Level::Num(p as u32 + 1));
        }
    }
    if let Some(n) = kanji_number(tok).or_else(|| roman(tok)) {
        return Some(Level::Num(n));
    }
    // An era letter before a number (`R2`, `H30`).
    let (era, rest) = tok.split_at(first.len_utf8());
    if matches!(era, "R" | "H" | "S")
        && !rest.is_empty()
        && rest.bytes().all(|b| b.is_ascii_digit())
    {
        return Some(Level::Era(tok.to_string()));
    }
    None
}

/// A label prefix before the number (`No.`, `番号`, `視点`, `項目`, `管理№`).
fn strip_label(s: &str) -> &str {
    let start = s
        .char_indices()
        .find(|(_, c)| {
            c.is_ascii_digit()
                || circled(*c).is_some()
                || matches!(c, '(' | '【' | '[' | '〔')
                || "一二三四五六七八九十".contains(*c)
        })
        .map_or(s.len(), |(i, _)| i);
    let prefix = &s[..start];
    // Keep an era letter that belongs to the number (`No.R2-4` → `R2-4`).
    let keep_era = prefix
        .chars()
        .last()
        .is_some_and(|c| matches!(c, 'R' | 'H' | 'S'))
        && prefix.len() <= 4
        || prefix.ends_with(".R")
        || prefix.ends_with(".H");
    if keep_era {
        return &s[start - 1..];
    }
    if prefix.chars().count() <= 6 {
        &s[start..]
    } else {
        s
    }
}

/// Parse an item number (normalized, white space removed) into its key and levels.
/// `group_number` is prefixed to the key where numbers restart under each group.
pub fn parse(number: &str, group_number: Option<&str>) -> Option<Number> {
    let s: String = number.chars().filter(|c| !c.is_whitespace()).collect();
    let body = strip_label(&s);
    let mut levels: Vec<Level> = Vec::new();
    let mut tok = String::new();
    let flush = |tok: &mut String, levels: &mut Vec<Level>| -> Option<()> {
        if !tok.is_empty() {
            levels.push(level(tok)?);
            tok.clear();
        }
        Some(())
    };
    for c in body.chars() {
        match c {
            '-' | '.' | '・' | '_' | '/' => flush(&mut tok, &mut levels)?,
            '(' | ')' | '【' | '】' | '[' | ']' | '〔' | '〕' => flush(&mut tok, &mut levels)?,
            c if circled(c).is_some() => {
                flush(&mut tok, &mut levels)?;
                levels.push(Level::Num(circled(c)?));
            }
            c => tok.push(c),
        }
    }
    flush(&mut tok, &mut levels)?;
    if let Some(g) = group_number {
        let mut gl: Vec<Level> = Vec::new();
        for t in g.split(['-', '.', '(', ')', '【', '】']) {
            if !t.is_empty() {
                gl.push(level(t)?);
            }
        }
        gl.extend(levels);
        levels = gl;
    }
    if levels.is_empty() {
        return None;
    }
    let key = levels
        .iter()
        .map(|l| match l {
            Level::Num(n) => n.to_string(),
            Level::Era(e) => e.clone(),
        })
        .collect::<Vec<_>>()
        .join("-");
    let nums: Vec<u32> = levels
        .iter()
        .filter_map(|l| match l {
            Level::Num(n) => Some(*n),
            Level::Era(_) => None,
        })
        .collect();
    let pillar = match levels.first() {
        Some(Level::Num(n)) if levels.len() >= 2 => Some(*n),
        _ => None,
    };
    Some(Number {
        key,
        pillar,
        seq: nums.last().copied(),
    })
}

/// A dash-like character between two parts of a number that OCR or a typist put there
/// (`1ー②`, `1一②`): the number with an ASCII `-` instead, where that differs.
pub fn repair_dashes(number: &str) -> Option<String> {
    let chars: Vec<char> = number.chars().collect();
    let mut out = String::with_capacity(number.len());
    let mut changed = false;
    for (i, &c) in chars.iter().enumerate() {
        let between = i > 0
            && i + 1 < chars.len()
            && (chars[i - 1].is_ascii_digit() || circled(chars[i - 1]).is_some())
            && (chars[i + 1].is_ascii_digit() || circled(chars[i + 1]).is_some());
        if between
            && c != '-'
            && (crate::normalize::is_dash_like(c) || matches!(c, '~' | '=' | 'ｰ'))
        {
            out.push('-');
            changed = true;
        } else {
            out.push(c);
        }
    }
    changed.then_some(out)
}

/// Readings of a damaged item number that OCR or a typist produced, most likely first: a
/// dash-like mark for the hyphen (`1ー②`), a hyphen lost between a number and a circled one
/// (`1②`), a stray character read at either end (`2-②の`, `.1-②`). The caller keeps the first
/// that fits the family's number pattern and lists the change.
pub fn repairs(number: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let base = repair_dashes(number).unwrap_or_else(|| number.to_string());
    let mut push = |s: String| {
        if s != number && !s.is_empty() && !out.contains(&s) {
            out.push(s);
        }
    };
    push(base.clone());
    // A missing hyphen between an ASCII number and a circled one.
    let chars: Vec<char> = base.chars().collect();
    let mut joined = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if i > 0 && chars[i - 1].is_ascii_digit() && circled(c).is_some() {
            joined.push('-');
        }
        joined.push(c);
    }
    push(joined.clone());
    // One stray character at the start or the end (not a digit, a circled number or a
    // bracket, which would be part of the number).
    let part = |c: char| c.is_ascii_alphanumeric() || circled(c).is_some() || "()（）".contains(c);
    for s in [base, joined] {
        let mut t: Vec<char> = s.chars().collect();
        if t.len() > 2 && !part(t[t.len() - 1]) {
            t.pop();
            push(t.iter().collect());
        }
        if t.len() > 2 && !part(t[0]) {
            t.remove(0);
            push(t.iter().collect());
        }
    }
    out
}

/// Split a group value `1 人材の育成と活用`, `(1)人材の育成`, `ア 職員の能力開発` into its
/// number and title. `spaced` keeps the printed white space (rule 1 only).
pub fn group_value(spaced: &str) -> (Option<String>, Option<String>) {
    let t = spaced.trim();
    // `【視点1】…` / `(1)…` / `①…`: a bracketed or circled number at the start.
    let closers = [(')', '('), ('】', '【'), (']', '['), ('〕', '〔')];
    for (close, open) in closers {
        if let Some(rest) = t.strip_prefix(open) {
            if let Some(end) = rest.find(close) {
                let inner = &rest[..end];
                if inner.chars().count() <= 8 {
                    // Brackets that wrap a label and its number (`【視点1】`) give the number.
                    let digits_at = inner.find(|c: char| c.is_ascii_digit());
                    let number = if open == '(' {
                        format!("({inner})")
                    } else {
                        match digits_at {
                            Some(i) if i > 0 => inner[i..].to_string(),
                            _ => inner.to_string(),
                        }
                    };
                    let title = rest[end + close.len_utf8()..].trim();
                    return (Some(number), non_empty(title));
                }
            }
        }
    }
    if let Some(c) = t.chars().next() {
        if circled(c).is_some() {
            return (Some(c.to_string()), non_empty(t[c.len_utf8()..].trim()));
        }
    }
    if let Some((first, rest)) = t.split_once(' ') {
        let looks_numeric =
            first.chars().count() <= 6 && level(first.trim_start_matches("第")).is_some();
        if looks_numeric {
            return (Some(first.to_string()), non_empty(rest.trim()));
        }
    }
    (None, non_empty(t))
}

fn non_empty(s: &str) -> Option<String> {
    let t = crate::normalize::text(s);
    (!t.is_empty()).then_some(t)
}

/// `number` with its last level replaced by `n`, in the same style (`2-②`, 3 → `2-③`).
fn with_seq(number: &str, n: u32) -> String {
    let chars: Vec<char> = number.chars().collect();
    let Some(end) = chars
        .iter()
        .rposition(|c| c.is_ascii_digit() || circled(*c).is_some())
    else {
        return n.to_string();
    };
    if circled(chars[end]).is_some() {
        let c = (1..=20)
            .contains(&n)
            .then(|| char::from_u32(0x2460 + n - 1))
            .flatten();
        let mut out: String = chars[..end].iter().collect();
        match c {
            Some(c) => out.push(c),
            None => out.push_str(&n.to_string()),
        }
        out.extend(&chars[end + 1..]);
        return out;
    }
    let start = chars[..=end]
        .iter()
        .rposition(|c| !c.is_ascii_digit())
        .map_or(0, |i| i + 1);
    let mut out: String = chars[..start].iter().collect();
    out.push_str(&n.to_string());
    out.extend(&chars[end + 1..]);
    out
}

/// Where an item's own warnings and corrections lie in the [`Diag`] lists (start, end).
#[derive(Debug, Clone, Copy, Default)]
pub struct DiagSpan {
    pub warnings: (usize, usize),
    pub corrections: (usize, usize),
}

/// OCR'd item numbers: a circled digit misread (`4-②` as `4-③`) gives a number printed twice,
/// or one out of sequence, next to a gap. Where exactly one number is missing between an
/// item's neighbours in its run (`4-①`, ?, `4-③`) and the item's own number repeats another
/// item's or breaks the run, the item is read as the missing number; the change is listed in
/// `corrections` (rule `item_number_sequence`) and the item's earlier warnings and corrections
/// follow it. Text input keeps its numbers as printed (a duplicate there is the publisher's,
/// and [`check_sequence`] reports it).
pub fn repair_ocr_sequence(items: &mut [Item], spans: &[DiagSpan], diag: &mut Diag) {
    // How often each key occurs, kept up to date as numbers are repaired.
    let mut counts: HashMap<String, usize> = HashMap::new();
    for it in items.iter() {
        *counts.entry(it.item_key.clone()).or_insert(0) += 1;
    }
    for i in 0..items.len() {
        let (Some(seq), pillar) = (items[i].seq, items[i].pillar) else {
            continue;
        };
        if items[i].item_key.chars().any(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        let same = |j: &usize| items[*j].pillar == pillar && items[*j].seq.is_some();
        let prev = (0..i)
            .rev()
            .find(same)
            .and_then(|j| items[j].seq)
            .unwrap_or(0);
        let Some(next) = (i + 1..items.len()).find(same).and_then(|j| items[j].seq) else {
            continue;
        };
        let repeated = counts.get(&items[i].item_key).copied().unwrap_or(0) > 1;
        let out_of_run = seq != prev + 1;
        let want = prev + 1;
        if !(repeated || out_of_run) || next != want + 1 || seq == want {
            continue;
        }
        let number = with_seq(&items[i].item_number, want);
        let Some(n) = parse(&crate::normalize::key(&number), None) else {
            continue;
        };
        if n.pillar != pillar || n.seq != Some(want) || counts.contains_key(&n.key) {
            continue;
        }
        let from = std::mem::replace(&mut items[i].item_number, number.clone());
        if let Some(c) = counts.get_mut(&items[i].item_key) {
            *c -= 1;
        }
        *counts.entry(n.key.clone()).or_insert(0) += 1;
        items[i].item_key = n.key;
        items[i].seq = n.seq;
        if let Some(sp) = spans.get(i) {
            for w in &mut diag.warnings[sp.warnings.0..sp.warnings.1] {
                if w.item_number.as_deref() == Some(from.as_str()) {
                    w.item_number = Some(number.clone());
                }
            }
            for c in &mut diag.corrections[sp.corrections.0..sp.corrections.1] {
                if c.item_number.as_deref() == Some(from.as_str()) {
                    c.item_number = Some(number.clone());
                }
            }
        }
        diag.item = Some(number.clone());
        diag.correct("item_number", &from, &number, "item_number_sequence");
        diag.item = None;
    }
}

/// Item numbers over the whole report: a repeated key gets a suffix (`1-4_2`) and a
/// `duplicate_item` warning so that every output keeps unique keys and all items; a number
/// out of sequence or missing from a run gets an `item_number_gap` warning.
pub fn check_sequence(items: &mut [Item], diag: &mut Diag) {
    let mut seen: HashMap<String, u32> = HashMap::new();
    for it in items.iter_mut() {
        let n = seen.entry(it.item_key.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            let new_key = format!("{}_{}", it.item_key, n);
            diag.warn(
                WarningCode::DuplicateItem,
                Some(&it.item_number),
                Some("item_key"),
                format!(
                    "項目番号 {} appears {} times; this one is kept with the key {new_key}",
                    it.item_number, n
                ),
            );
            it.item_key = new_key;
        }
    }
    // Runs: items with the same pillar (or all single-level numbers) in document order.
    let mut last: HashMap<Option<u32>, (u32, String)> = HashMap::new();
    for it in items.iter() {
        let Some(seq) = it.seq else { continue };
        if it.item_key.contains('_') || it.item_key.chars().any(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        match last.get(&it.pillar) {
            Some((prev, prev_number)) => {
                if seq == prev + 1 {
                } else if seq <= *prev {
                    diag.warn(
                        WarningCode::ItemNumberGap,
                        Some(&it.item_number),
                        Some("item_number"),
                        format!(
                            "項目番号 {} comes after {prev_number}: out of sequence",
                            it.item_number
                        ),
                    );
                } else {
                    let missing: Vec<String> = (prev + 1..seq)
                        .take(5)
                        .map(|n| with_seq(prev_number, n))
                        .collect();
                    let more = if seq - prev - 1 > 5 { " …" } else { "" };
                    diag.warn(
                        WarningCode::ItemNumberGap,
                        Some(&it.item_number),
                        Some("item_number"),
                        format!(
                            "{}{more} missing between {prev_number} and {}",
                            missing.join(", "),
                            it.item_number
                        ),
                    );
                }
            }
            None => {
                if seq > 1 && it.pillar.is_some() {
                    diag.warn(
                        WarningCode::ItemNumberGap,
                        Some(&it.item_number),
                        Some("item_number"),
                        format!(
                            "項目番号 {} is the first of its group: {} number(s) before it are missing",
                            it.item_number,
                            seq - 1
                        ),
                    );
                }
            }
        }
        last.insert(it.pillar, (seq, it.item_number.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> (String, Option<u32>, Option<u32>) {
        let n = parse(s, None).unwrap_or_else(|| panic!("{s}"));
        (n.key, n.pillar, n.seq)
    }

    #[test]
    fn contract_examples() {
        assert_eq!(key("1-①"), ("1-1".into(), Some(1), Some(1)));
        assert_eq!(key("No.82"), ("82".into(), None, Some(82)));
        assert_eq!(key("No.R2-4"), ("R2-4".into(), None, Some(4)));
        assert_eq!(key("(2)-③"), ("2-3".into(), Some(2), Some(3)));
        assert_eq!(key("番号12"), ("12".into(), None, Some(12)));
        assert_eq!(key("視点1-①"), ("1-1".into(), Some(1), Some(1)));
        assert_eq!(key("(1)-ア-3"), ("1-1-3".into(), Some(1), Some(3)));
        assert_eq!(key("12"), ("12".into(), None, Some(12)));
        assert_eq!(key("5-⑤"), ("5-5".into(), Some(5), Some(5)));
        assert_eq!(
            parse("①", Some("2")).map(|n| n.key),
            Some("2-1".to_string())
        );
    }

    #[test]
    fn unreadable_numbers() {
        assert_eq!(parse("", None), None);
        assert_eq!(parse("No.", None), None);
        assert_eq!(parse("abc", None), None);
        assert_eq!(repair_dashes("1ー②").as_deref(), Some("1-②"));
        assert_eq!(repair_dashes("1-②"), None);
        assert!(repairs("1②").contains(&"1-②".to_string()));
        assert!(repairs("2-②の").contains(&"2-②".to_string()));
        assert!(repairs("1ー②の").contains(&"1-②".to_string()));
        assert_eq!(repairs("1-②"), Vec::<String>::new());
        assert_eq!(with_seq("2-②", 3), "2-③");
        assert_eq!(with_seq("No.12", 13), "No.13");
    }

    fn items(numbers: &[&str]) -> Vec<Item> {
        numbers
            .iter()
            .map(|n| {
                let p = parse(n, None).unwrap();
                let mut it = Item::new(*n, p.key);
                it.pillar = p.pillar;
                it.seq = p.seq;
                it
            })
            .collect()
    }

    fn numbers(items: &[Item]) -> Vec<&str> {
        items.iter().map(|i| i.item_number.as_str()).collect()
    }

    #[test]
    fn ocr_numbers_repaired_by_their_run() {
        // A circled ② read as ③: printed twice, next to the gap.
        let mut v = items(&["4-①", "4-③", "4-③", "4-④"]);
        let spans = vec![DiagSpan::default(); v.len()];
        let mut d = Diag::default();
        repair_ocr_sequence(&mut v, &spans, &mut d);
        assert_eq!(numbers(&v), ["4-①", "4-②", "4-③", "4-④"]);
        assert_eq!(v[1].item_key, "4-2");
        assert_eq!(d.corrections.len(), 1);
        assert_eq!(d.corrections[0].rule, "item_number_sequence");
        // Out of the run, with its number free: read as the missing one.
        let mut v = items(&["1-①", "1-⑧", "1-③"]);
        repair_ocr_sequence(&mut v, &spans, &mut Diag::default());
        assert_eq!(numbers(&v), ["1-①", "1-②", "1-③"]);
        // Two numbers missing, or nothing missing: left as printed (check_sequence warns).
        for case in [&["2-①", "2-④", "2-④", "2-⑤"][..], &["3-①", "3-②", "3-②"]] {
            let mut v = items(case);
            let mut d = Diag::default();
            repair_ocr_sequence(&mut v, &spans, &mut d);
            assert_eq!(numbers(&v), case);
            assert!(d.corrections.is_empty());
        }
    }

    #[test]
    fn group_values() {
        assert_eq!(
            group_value("1 人材の育成と活用"),
            (Some("1".into()), Some("人材の育成と活用".into()))
        );
        assert_eq!(
            group_value("ア 職員の能力開発"),
            (Some("ア".into()), Some("職員の能力開発".into()))
        );
        assert_eq!(
            group_value("(1)人材の育成"),
            (Some("(1)".into()), Some("人材の育成".into()))
        );
        assert_eq!(group_value("【視点1】"), (Some("1".into()), None));
        assert_eq!(group_value("人材の育成"), (None, Some("人材の育成".into())));
    }
}
