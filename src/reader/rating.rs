//! Ratings (contract v2): what a rating cell prints → `{symbol, label, level}`, decided by the
//! family's legend — the one printed in the document where there is one (read wherever it
//! stands, before the items), else the profile's. Never by the letter alone.
//!
//! Controlled values are mapped onto the scale and every change is a correction (rule 4):
//! symbol variants (`〇` → `○`), OCR damage of a label checked against the symbol (`川順調` →
//! `順調`), a label or symbol filled in from the legend where the cell prints only the other.

use crate::diag::{Diag, WarningCode};
use crate::model::{Level, Rating};
use crate::normalize;
use crate::profile::{lexicon, Profile, Scale, ScaleEntry, Scope};

/// The scales of one document: the profile's, with its printed legends applied.
pub struct Ratings {
    scales: Vec<ScaleState>,
}

struct ScaleState {
    scope: Scope,
    entries: Vec<ScaleEntry>,
    aliases: Vec<(String, Vec<String>)>,
    /// The entries come from a legend printed in the document.
    printed: bool,
}

impl Ratings {
    /// The profile's scales with the legends found in the document (legend cell texts).
    pub fn new(profile: &Profile, legends: &[String], diag: &mut Diag) -> Ratings {
        let scales = profile
            .scales
            .iter()
            .map(|s| {
                let pairs: Vec<(String, String)> = legends
                    .iter()
                    .filter(|l| s.legend.iter().any(|re| re.is_match(l)))
                    .flat_map(|l| legend_pairs(l, s))
                    .collect();
                state(s, &pairs, diag)
            })
            .collect();
        Ratings { scales }
    }

    /// Read a rating from the cells after its label. `field` names it in messages.
    pub fn read(
        &self,
        scope: Scope,
        cells: &[String],
        field: &str,
        diag: &mut Diag,
    ) -> Option<Rating> {
        let scale = self.scales.iter().find(|s| s.scope == scope)?;
        let cells: Vec<&str> = cells
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect();
        if cells.is_empty() {
            return None;
        }
        let (sym_raw, label_raw) = scale.split(&cells);
        Some(scale.rating(&sym_raw, &label_raw, field, diag))
    }
}

/// Symbol → label pairs of a printed legend: `S：特に良好に進捗　A：良好に進捗`, `評価 A:計画どおり
/// B:ほぼ計画どおり`. A symbol is one of the scale's symbols (or, for a scale without symbols,
/// an upper-case letter) followed by a colon; its label runs to the next symbol, and only its
/// first word is kept (clarification 10: the legend's explanation is not stored).
fn legend_pairs(text: &str, scale: &Scale) -> Vec<(String, String)> {
    let symbols: Vec<&str> = scale
        .entries
        .iter()
        .filter_map(|e| e.symbol.as_deref())
        .collect();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let is_symbol = |c: char| {
        if symbols.is_empty() {
            c.is_ascii_uppercase()
        } else {
            symbols.iter().any(|s| s.chars().eq(std::iter::once(c)))
        }
    };
    // Positions of `X:`.
    let mut marks: Vec<(usize, usize, char)> = Vec::new(); // (start of X, after colon, X)
    for (k, &(i, c)) in chars.iter().enumerate() {
        if !is_symbol(c) {
            continue;
        }
        let mut m = k + 1;
        while m < chars.len() && chars[m].1 == ' ' {
            m += 1;
        }
        if m < chars.len() && matches!(chars[m].1, ':' | '=' | '…') {
            let after = chars.get(m + 1).map_or(text.len(), |p| p.0);
            marks.push((i, after, c));
        }
    }
    let mut out = Vec::new();
    for (n, &(_, after, c)) in marks.iter().enumerate() {
        let end = marks.get(n + 1).map_or(text.len(), |m| m.0);
        let label = text[after..end].trim();
        let word = label
            .split([' ', '、', '(', ','])
            .next()
            .unwrap_or("")
            .trim();
        if !word.is_empty() {
            out.push((c.to_string(), normalize::key(word)));
        }
    }
    out
}

fn state(s: &Scale, printed: &[(String, String)], diag: &mut Diag) -> ScaleState {
    if printed.is_empty() {
        return ScaleState {
            scope: s.scope,
            entries: s.entries.clone(),
            aliases: s.aliases.clone(),
            printed: false,
        };
    }
    let mut entries: Vec<ScaleEntry> = Vec::new();
    for (sym, label) in printed {
        if entries
            .iter()
            .any(|e| e.symbol.as_deref() == Some(sym.as_str()))
        {
            continue;
        }
        let level = s
            .entries
            .iter()
            .find(|e| e.label.as_deref() == Some(label.as_str()))
            .and_then(|e| e.level)
            .or_else(|| lexicon::rating_level(label));
        if level.is_none() {
            diag.warn(
                WarningCode::UnknownProgressLabel,
                None,
                None,
                format!(
                    "the printed legend gives {sym} as 「{label}」, a word with no known level; ratings {sym} get level null"
                ),
            );
        }
        entries.push(ScaleEntry {
            symbol: Some(sym.clone()),
            label: Some(label.clone()),
            level,
        });
    }
    // The profile's other steps (symbols the printed legend does not list) stay.
    for e in &s.entries {
        let listed = e.symbol.as_ref().is_some_and(|sym| {
            entries
                .iter()
                .any(|x| x.symbol.as_deref() == Some(sym.as_str()))
        });
        if !listed {
            entries.push(e.clone());
        }
    }
    ScaleState {
        scope: s.scope,
        entries,
        aliases: s.aliases.clone(),
        printed: true,
    }
}

impl ScaleState {
    /// The canonical symbol of a printed one (itself, or the symbol it is an alias of).
    fn symbol(&self, s: &str) -> Option<&str> {
        let k = normalize::key(s);
        if let Some(e) = self
            .entries
            .iter()
            .find(|e| e.symbol.as_deref() == Some(k.as_str()))
        {
            return e.symbol.as_deref();
        }
        self.aliases
            .iter()
            .find(|(_, alts)| alts.contains(&k))
            .map(|(canon, _)| canon.as_str())
    }

    /// Split the rating cells into the printed symbol and label: two cells, or one cell that
    /// is a symbol, a label, or a symbol followed by its label (`○ 順調`).
    fn split(&self, cells: &[&str]) -> (String, String) {
        match cells {
            [one] => {
                if self.symbol(one).is_some() {
                    return (one.to_string(), String::new());
                }
                let mut chars = one.chars();
                let first = chars.next().map(String::from).unwrap_or_default();
                let rest = chars.as_str().trim();
                if !rest.is_empty() && self.symbol(&first).is_some() {
                    (first, rest.to_string())
                } else {
                    (String::new(), one.to_string())
                }
            }
            [s, l, ..] => {
                if self.symbol(s).is_none() && self.symbol(l).is_some() {
                    (l.to_string(), s.to_string())
                } else {
                    (s.to_string(), l.to_string())
                }
            }
            [] => (String::new(), String::new()),
        }
    }

    fn labels_for(&self, symbol: &str) -> Vec<&str> {
        self.entries
            .iter()
            .filter(|e| e.symbol.as_deref() == Some(symbol))
            .filter_map(|e| e.label.as_deref())
            .collect()
    }

    fn all_labels(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .entries
            .iter()
            .filter_map(|e| e.label.as_deref())
            .collect();
        v.dedup();
        v
    }

    fn rating(&self, sym_raw: &str, label_raw: &str, field: &str, diag: &mut Diag) -> Rating {
        let sym_raw = sym_raw.trim();
        let label_raw = label_raw.trim();
        let symbol: Option<String> = if sym_raw.is_empty() {
            None
        } else {
            match self.symbol(sym_raw) {
                Some(s) => {
                    if s != sym_raw {
                        diag.correct(
                            &format!("{field}.symbol"),
                            sym_raw,
                            s,
                            "progress_symbol_vocabulary",
                        );
                    }
                    Some(s.to_string())
                }
                // Decided below: the label printed beside it may name the symbol.
                None => Some(sym_raw.to_string()),
            }
        };
        let known_symbol = symbol.as_deref().filter(|s| self.symbol(s).is_some());
        let label: Option<String> = if label_raw.is_empty() {
            // Clarification 3: the legend's word for a symbol printed alone.
            let word = known_symbol.and_then(|s| self.labels_for(s).first().copied());
            if let Some(w) = word {
                if !self.printed {
                    diag.correct(
                        &format!("{field}.label"),
                        "",
                        w,
                        "progress_label_from_symbol",
                    );
                }
            }
            word.map(str::to_string)
        } else {
            match self.label(label_raw, known_symbol) {
                Some(l) => {
                    if l != label_raw {
                        diag.correct(
                            &format!("{field}.label"),
                            label_raw,
                            l,
                            "progress_label_vocabulary",
                        );
                    }
                    Some(l.to_string())
                }
                None => {
                    diag.warn_item(
                        WarningCode::UnknownProgressLabel,
                        Some(&format!("{field}.label")),
                        format!("「{label_raw}」 is not a label of this family's scale; kept as printed"),
                    );
                    Some(label_raw.to_string())
                }
            }
        };
        // A label printed alone, or beside a mark that is no symbol of the scale (OCR's ⑥⑯
        // for ◎): the symbol the legend gives the label, where exactly one does.
        let unknown = symbol.as_deref().filter(|s| self.symbol(s).is_none());
        let from_label = label.as_deref().and_then(|l| {
            let syms: Vec<&str> = self
                .entries
                .iter()
                .filter(|e| e.label.as_deref() == Some(l))
                .filter_map(|e| e.symbol.as_deref())
                .collect();
            match syms.as_slice() {
                [one] => Some(one.to_string()),
                _ => None,
            }
        });
        let symbol = match (symbol.as_deref(), unknown, from_label) {
            (None, _, Some(one)) => {
                diag.correct(
                    &format!("{field}.symbol"),
                    "",
                    &one,
                    "progress_symbol_from_label",
                );
                Some(one)
            }
            (Some(raw), Some(_), Some(one)) => {
                diag.correct(
                    &format!("{field}.symbol"),
                    raw,
                    &one,
                    "progress_symbol_from_label",
                );
                Some(one)
            }
            (Some(raw), Some(_), None) => {
                diag.warn_item(
                    WarningCode::UnknownProgressSymbol,
                    Some(&format!("{field}.symbol")),
                    format!("「{raw}」 is not a symbol of this family's scale; kept as printed"),
                );
                symbol
            }
            _ => symbol,
        };
        let level = self.level(symbol.as_deref(), label.as_deref());
        Rating {
            symbol,
            label,
            level,
        }
    }

    /// Map a printed label onto the scale. `symbol` is the check: an OCR form such as 川順調
    /// is accepted as 順調 only when the symbol's labels say so, or when the damage is small
    /// and only one label fits.
    fn label(&self, raw: &str, symbol: Option<&str>) -> Option<&str> {
        let k = normalize::key(raw);
        let all = self.all_labels();
        if let Some(l) = all.iter().find(|l| **l == k) {
            return Some(l);
        }
        if let Some(sym) = symbol {
            let expected = self.labels_for(sym);
            if let Some(best) = closest(&k, &expected) {
                return Some(best);
            }
        }
        let fits: Vec<&str> = all
            .iter()
            .copied()
            .filter(|l| k.contains(l) || edit_distance(&k, l) <= 1)
            .collect();
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

    fn level(&self, symbol: Option<&str>, label: Option<&str>) -> Option<Level> {
        let exact = self.entries.iter().find(|e| {
            e.symbol.as_deref() == symbol && e.label.as_deref() == label && label.is_some()
        });
        if let Some(e) = exact {
            return e.level;
        }
        if let Some(l) = label {
            if let Some(e) = self.entries.iter().find(|e| e.label.as_deref() == Some(l)) {
                return e.level;
            }
            return None;
        }
        let s = symbol?;
        self.entries
            .iter()
            .find(|e| e.symbol.as_deref() == Some(s))
            .and_then(|e| e.level)
    }
}

/// The expected label closest to a damaged one, if it shares characters with it and no
/// other expected label is as close.
fn closest<'a>(k: &str, expected: &[&'a str]) -> Option<&'a str> {
    let n = k.chars().count();
    let mut scored: Vec<(usize, &'a str)> = expected
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

/// Levenshtein distance over characters (labels are a few characters long).
pub fn edit_distance(a: &str, b: &str) -> usize {
    // Labels and cells compared are short: their characters and the two rows of the table
    // fit on the stack (the reader compares hundreds of pairs per report).
    const SHORT: usize = 32;
    let (na, nb) = (a.chars().count(), b.chars().count());
    if na <= SHORT && nb <= SHORT {
        let (mut ca, mut cb) = (['\0'; SHORT], ['\0'; SHORT]);
        for (slot, c) in ca.iter_mut().zip(a.chars()) {
            *slot = c;
        }
        for (slot, c) in cb.iter_mut().zip(b.chars()) {
            *slot = c;
        }
        let (mut prev, mut cur) = ([0usize; SHORT + 1], [0usize; SHORT + 1]);
        return levenshtein(&ca[..na], &cb[..nb], &mut prev, &mut cur);
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (mut prev, mut cur) = (vec![0; b.len() + 1], vec![0; b.len() + 1]);
    levenshtein(&a, &b, &mut prev, &mut cur)
}

/// Levenshtein distance with two rows of at least `b.len() + 1` entries.
fn levenshtein(a: &[char], b: &[char], prev: &mut [usize], cur: &mut [usize]) -> usize {
    for (j, p) in prev.iter_mut().enumerate().take(b.len() + 1) {
        *p = j;
    }
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let sub = prev[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
        }
        prev[..=b.len()].copy_from_slice(&cur[..=b.len()]);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_short_and_long() {
        for (a, b, d) in [
            ("", "", 0),
            ("abc", "", 3),
            ("", "abc", 3),
            ("項目番号", "項目晩号", 1),
            ("実施項目", "論放項目", 2),
            ("kitten", "sitting", 3),
            ("取組内容", "取組内容と工程", 3),
        ] {
            assert_eq!(edit_distance(a, b), d, "{a} {b}");
            assert_eq!(edit_distance(b, a), d, "{b} {a}");
        }
        // Past the stack buffers: the same answer from the heap rows.
        let long_a = "あ".repeat(40) + "い";
        let long_b = "あ".repeat(40) + "う";
        assert_eq!(edit_distance(&long_a, &long_b), 1);
        assert_eq!(edit_distance(&long_a, "あ"), 40);
    }
    use crate::profile::builtins;

    fn profile(id: &str) -> &'static Profile {
        builtins().iter().find(|p| p.id == id).unwrap()
    }

    fn rate(id: &str, scope: Scope, legends: &[&str], cells: &[&str]) -> (Rating, Diag) {
        let mut diag = Diag::default();
        let legends: Vec<String> = legends.iter().map(|s| s.to_string()).collect();
        let r = Ratings::new(profile(id), &legends, &mut diag);
        let cells: Vec<String> = cells.iter().map(|s| s.to_string()).collect();
        let rating = r.read(scope, &cells, "assessment", &mut diag).unwrap();
        (rating, diag)
    }

    #[test]
    fn seed_progress_and_ocr_damage() {
        let (r, d) = rate(
            "tsukubamirai-action-plan",
            Scope::Progress,
            &[],
            &["○", "川順調"],
        );
        assert_eq!(r.label.as_deref(), Some("順調"));
        assert_eq!(r.level, Some(Level::OnTrack));
        assert_eq!(d.corrections.len(), 1);
        let (r, _) = rate(
            "tsukubamirai-action-plan",
            Scope::Progress,
            &[],
            &["〇 概ね順調"],
        );
        assert_eq!(r.symbol.as_deref(), Some("○"));
        assert_eq!(r.level, Some(Level::MostlyOnTrack));
        let (r, d) = rate("tsukubamirai-action-plan", Scope::Progress, &[], &["-"]);
        assert_eq!(
            (r.symbol.as_deref(), r.label.as_deref()),
            (Some("-"), Some("未着手"))
        );
        assert_eq!(r.level, Some(Level::NotStarted));
        assert_eq!(d.corrections[0].rule, "progress_label_from_symbol");
        let (r, d) = rate(
            "tsukubamirai-action-plan",
            Scope::Progress,
            &[],
            &["○", "まったく別"],
        );
        assert_eq!(r.level, None);
        assert_eq!(d.warnings[0].code, WarningCode::UnknownProgressLabel);
    }

    #[test]
    fn printed_legend_decides_a_letter() {
        // The same letter B in two families.
        let (r, _) = rate(
            "midorino-list-sabc",
            Scope::Assessment,
            &["【評価区分】S：特に良好に進捗 A：良好に進捗 B：概ね進捗 C：進捗に課題あり"],
            &["B"],
        );
        assert_eq!(r.label.as_deref(), Some("概ね進捗"));
        assert_eq!(r.level, Some(Level::MostlyOnTrack));
        let (r, _) = rate(
            "sakuradai-ledger-ad",
            Scope::Assessment,
            &["評価 A:計画どおり B:ほぼ計画どおり C:やや遅れ気味 D:未着手"],
            &["C"],
        );
        assert_eq!(r.label.as_deref(), Some("やや遅れ気味"));
        assert_eq!(r.level, Some(Level::SlightlyDelayed));
        // A legend that renames a step: its word's usual level.
        let (r, _) = rate(
            "sakuradai-ledger-ad",
            Scope::Assessment,
            &["評価 A:計画どおり B:概ね順調 C:遅れ D:未着手"],
            &["C"],
        );
        assert_eq!(
            (r.label.as_deref(), r.level),
            (Some("遅れ"), Some(Level::Delayed))
        );
    }

    #[test]
    fn legend_pairs_without_spaces() {
        let p = profile("midorino-list-sabc");
        let s = p.scale(Scope::Assessment).unwrap();
        let pairs = legend_pairs(
            "【評価区分】S:特に良好に進捗A:良好に進捗B:概ね進捗C:進捗に課題あり",
            s,
        );
        assert_eq!(pairs.len(), 4, "{pairs:?}");
        assert_eq!(pairs[3], ("C".to_string(), "進捗に課題あり".to_string()));
    }
}
