//! Rule 4: controlled vocabularies (progress symbols, progress labels, schedule phases).
//! Values are mapped onto their vocabulary; the caller records every change as a correction,
//! and anything we cannot map with confidence stays as printed, with a warning.

use crate::normalize;

/// Progress symbols and the labels each one may carry (the first is the usual one).
const SYMBOLS: &[(&str, &[&str])] = &[
    ("◎", &["達成", "完了"]),
    ("○", &["順調", "概ね順調", "おおむね順調"]),
    ("△", &["やや遅れ", "遅れ", "概ね順調"]),
    ("×", &["遅れ", "大幅な遅れ", "未実施", "中止"]),
    ("-", &["未着手", "未実施"]),
];

/// Every progress label we know.
pub const LABELS: &[&str] = &[
    "達成",
    "完了",
    "順調",
    "概ね順調",
    "おおむね順調",
    "やや遅れ",
    "遅れ",
    "大幅な遅れ",
    "未着手",
    "未実施",
    "中止",
    "休止",
    "見直し",
];

/// Phase words of the 取組期間 grid.
pub const PHASES: &[&str] = &[
    "実施",
    "検討",
    "導入",
    "準備",
    "試行",
    "調査",
    "研究",
    "調査研究",
    "策定",
    "運用",
    "継続",
    "見直し",
    "完了",
    "開始",
    "改定",
    "改正",
    "拡充",
    "推進",
    "整備",
    "構築",
    "設置",
    "検証",
    "公表",
    "周知",
    "移行",
    "廃止",
    "統合",
];

/// Map a progress symbol cell (already through rules 1–3) onto ○ ◎ △ × -.
pub fn progress_symbol(s: &str) -> Option<&'static str> {
    let k = normalize::key(s);
    let sym = match k.as_str() {
        "○" | "〇" | "◯" | "O" | "o" | "0" | "⚪" => "○",
        "◎" | "⊚" => "◎",
        "△" | "▲" | "▵" => "△",
        "×" | "✕" | "✖" | "X" | "x" | "╳" => "×",
        "-" | "ー" | "ｰ" | "一" | "_" => "-",
        _ => return None,
    };
    Some(sym)
}

/// Labels that go with a symbol.
fn labels_for(symbol: &str) -> &'static [&'static str] {
    SYMBOLS
        .iter()
        .find(|(s, _)| *s == symbol)
        .map(|(_, l)| *l)
        .unwrap_or(&[])
}

/// The usual label of a symbol (`-` → 未着手), for a label cell left empty.
pub fn default_label(symbol: &str) -> Option<&'static str> {
    labels_for(symbol).first().copied()
}

/// Map a progress label onto the vocabulary. `symbol` (already mapped) is the check: an OCR
/// form such as 川順調 or 川原調 is accepted as 順調 only when ○ says so, or when the
/// damage is small and only one label fits.
pub fn progress_label(label: &str, symbol: Option<&str>) -> Option<&'static str> {
    let k = normalize::key(label);
    if let Some(l) = LABELS.iter().find(|l| **l == k) {
        return Some(l);
    }
    if k.is_empty() {
        return None;
    }
    let expected = symbol.map(labels_for).unwrap_or(&[]);
    if !expected.is_empty() {
        if let Some(best) = closest(&k, expected) {
            return Some(best);
        }
    }
    // No symbol to check against: only a label contained in the damaged form, or one edit
    // away, and only one such label.
    let fits: Vec<&'static str> = LABELS
        .iter()
        .copied()
        .filter(|l| k.contains(l) || edit_distance(&k, l) <= 1)
        .collect();
    // Prefer the longest contained label (概ね順調 over 順調).
    match fits.as_slice() {
        [one] => Some(one),
        many if !many.is_empty() => {
            let longest = many.iter().max_by_key(|l| l.chars().count())?;
            let n = longest.chars().count();
            (many.iter().filter(|l| l.chars().count() == n).count() == 1).then_some(*longest)
        }
        _ => None,
    }
}

/// The expected label closest to a damaged one, if it shares characters with it and no
/// other expected label is as close.
fn closest(k: &str, expected: &[&'static str]) -> Option<&'static str> {
    let n = k.chars().count();
    let mut scored: Vec<(usize, &'static str)> = expected
        .iter()
        .filter(|l| l.chars().any(|c| k.contains(c)))
        .map(|l| (edit_distance(k, l), *l))
        .filter(|(d, _)| *d < n.max(2))
        .collect();
    scored.sort();
    match scored.as_slice() {
        [] => None,
        [(_, l)] => Some(l),
        [(d0, l), (d1, _), ..] => (d0 < d1).then_some(*l),
    }
}

/// Map a schedule cell onto a phase word. OCR damage of one character in a two-character
/// word is mended only when exactly one phase fits.
pub fn phase(cell: &str) -> Option<&'static str> {
    let k = normalize::key(cell);
    if let Some(p) = PHASES.iter().find(|p| **p == k) {
        return Some(p);
    }
    let fits: Vec<&'static str> = PHASES
        .iter()
        .copied()
        .filter(|p| p.chars().count() >= 2 && edit_distance(&k, p) == 1 && k.chars().count() >= 2)
        .collect();
    match fits.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

/// Cells of the schedule grid that only continue a phase (arrows, bars): not a mark.
pub fn is_continuation_mark(cell: &str) -> bool {
    let k = normalize::key(cell);
    !k.is_empty()
        && k.chars().all(|c| {
            matches!(
                c,
                '→' | '⇒' | '⟶' | '➡' | '─' | '━' | '-' | 'ー' | '>' | '=' | '＝'
            )
        })
}

/// Levenshtein distance over characters (labels are a few characters long).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let sub = prev[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols() {
        assert_eq!(progress_symbol("〇"), Some("○"));
        assert_eq!(progress_symbol("O"), Some("○"));
        assert_eq!(progress_symbol("－"), Some("-"));
        assert_eq!(progress_symbol("ー"), Some("-"));
        assert_eq!(progress_symbol("—"), Some("-"));
        assert_eq!(progress_symbol("?"), None);
    }

    #[test]
    fn ocr_labels_with_symbol_check() {
        assert_eq!(progress_label("川順調", Some("○")), Some("順調"));
        assert_eq!(progress_label("川原調", Some("○")), Some("順調"));
        assert_eq!(progress_label("川順調", None), Some("順調"));
        assert_eq!(progress_label("順調", Some("○")), Some("順調"));
        assert_eq!(progress_label("概ね順調", Some("○")), Some("概ね順調"));
        assert_eq!(progress_label("未着手", Some("-")), Some("未着手"));
        assert_eq!(progress_label("まったく別", Some("○")), None);
        assert_eq!(progress_label("川原調", None), None);
    }

    #[test]
    fn phases() {
        assert_eq!(phase("実施"), Some("実施"));
        assert_eq!(phase("実 施"), Some("実施"));
        assert_eq!(phase("実旅"), Some("実施"));
        assert_eq!(phase("何か"), None);
        assert!(is_continuation_mark("→"));
    }
}
