//! The report header from its title lines (contract v2, clarification 1): municipality, plan
//! title, plan period, report title and fiscal year come from the title lines only, never
//! from body text. The same for every family:
//!
//! - a title line is one of the document's first rows: short, and carrying a period
//!   `(2024 - 2028)`, a year `(2024年度報告)` / `(令和6年度末)`, a `計画期間：…` or a plan noun;
//! - `plan_title` is the title up to and including its first plan noun (プラン, 計画, 大綱,
//!   指針, 方針), or the whole line where the plan has a line of its own (with its period);
//! - `title` is the rest, without a leading `の` and without the period or year part;
//! - a `計画期間` line gives `plan_period` only.
//!
//! Title lines repeat at the top of every page; the reader drops the repeats by their text.

use crate::era;
use crate::model::{Period, Report};
use crate::normalize;

const PLAN_NOUNS: &[&str] = &["プラン", "計画", "大綱", "指針", "方針"];

/// What one title line says.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TitleLine {
    /// The title text without the period / year part (normalized); empty for a 計画期間 line.
    pub text: String,
    pub period: Option<Period>,
    pub fiscal_year: Option<i32>,
}

/// Read a row's joined text (cells joined with a space: a title split over two cells, as the
/// seed's text dump has it, is one title) as a title line, if it is one.
pub fn title_line(joined: &str) -> Option<TitleLine> {
    // A mark left after the title (a speck OCR read as `-`, a stray `.`) is no part of it.
    let t = normalize::text(joined)
        .trim_end_matches([' ', '-', '_', '.', ','])
        .to_string();
    if t.is_empty() || t.chars().count() > 80 {
        return None;
    }
    let key = normalize::key(&t);
    if let Some(rest) = key.strip_prefix("計画期間") {
        let rest = rest.trim_start_matches([':', '：']);
        return period(rest).map(|p| TitleLine {
            period: Some(p),
            ..TitleLine::default()
        });
    }
    let mut line = TitleLine::default();
    let mut text = t.clone();
    // Trailing parentheses: a period or a year (several may follow each other).
    while let Some((before, inner)) = trailing_paren(&text) {
        if let Some(p) = period(inner) {
            line.period = Some(p);
        } else if let Some(y) = paren_year(inner) {
            line.fiscal_year = Some(y);
        } else {
            break;
        }
        text = before.trim_end().to_string();
    }
    // A leading year: `令和6年度 行政改革進捗状況`.
    if line.fiscal_year.is_none() {
        if let Some((y, n)) = era::year_prefix(&text) {
            if let Some(rest) = text[n..].trim_start().strip_prefix("年度") {
                line.fiscal_year = Some(y);
                text = rest.trim_start_matches(['の', ' ']).to_string();
            }
        }
    }
    let has_plan_noun = PLAN_NOUNS.iter().any(|n| text.contains(n)) || text.contains("年度");
    if line.period.is_none() && line.fiscal_year.is_none() && !has_plan_noun {
        return None;
    }
    line.text = normalize::text(&text);
    Some(line)
}

/// `(2024 - 2028)` → `2024 - 2028`.
fn trailing_paren(t: &str) -> Option<(&str, &str)> {
    let t = t.trim_end().strip_suffix(')')?;
    let open = t.rfind('(')?;
    Some((&t[..open], &t[open + 1..]))
}

/// `2024年度報告`, `令和6年度末`, `令和6年度実績`, `2024年度` → the year.
fn paren_year(inner: &str) -> Option<i32> {
    let k = normalize::key(inner);
    let (y, n) = era::year_prefix(&k)?;
    let rest = k[n..]
        .strip_prefix("年度")
        .or_else(|| k[n..].strip_prefix('年'))?;
    const SUFFIXES: &[&str] = &[
        "",
        "報告",
        "末",
        "実績",
        "実績報告",
        "版",
        "分",
        "決算",
        "末時点",
        "末現在",
        "進捗状況",
        "評価",
    ];
    SUFFIXES.contains(&rest).then_some(y)
}

/// `2024 -2028`, `2024~2028`, `令和6年度~令和10年度`, `2024年度-2028年度`.
pub fn period(inner: &str) -> Option<Period> {
    let k = normalize::key(inner);
    for sep in ['-', '~'] {
        if let Some((a, b)) = k.split_once(sep) {
            let y = |s: &str| -> Option<i32> {
                let s = s
                    .strip_suffix("年度")
                    .or_else(|| s.strip_suffix('年'))
                    .unwrap_or(s);
                let (y, n) = era::year_prefix(s)?;
                (n == s.len()).then_some(y)
            };
            let (start, end) = (y(a)?, y(b)?);
            if start <= end && end - start < 30 {
                return Some(Period { start, end });
            }
        }
    }
    None
}

/// Municipality from the plan title: the shortest prefix ending in 市/町/村/区 that is not
/// followed by another of them (`つくばみらい市行政改革プラン` → つくばみらい市, `四日市市…` →
/// 四日市市), after an ordinal such as `第3次`. Also 都/道/府/県 for prefectural plans.
pub fn municipality(plan_title: &str) -> Option<String> {
    let title = strip_ordinal(plan_title);
    let chars: Vec<char> = title.chars().collect();
    let is_suffix = |c: char| matches!(c, '市' | '町' | '村' | '区');
    for i in 1..chars.len() {
        if is_suffix(chars[i]) && !chars.get(i + 1).is_some_and(|c| is_suffix(*c)) {
            return Some(chars[..=i].iter().collect());
        }
    }
    for i in 1..chars.len() {
        if matches!(chars[i], '都' | '道' | '府' | '県') {
            return Some(chars[..=i].iter().collect());
        }
    }
    None
}

/// `第3次…`, `第二期…` → the rest.
fn strip_ordinal(s: &str) -> &str {
    let Some(rest) = s.strip_prefix('第') else {
        return s;
    };
    let n = rest
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || "一二三四五六七八九十".contains(*c)))
        .map_or(rest.len(), |(i, _)| i);
    if n == 0 {
        return s;
    }
    match rest[n..].strip_prefix(['次', '期']) {
        Some(r) => r,
        None => s,
    }
}

/// Split a title at its first plan noun: (plan title, rest).
fn split_plan(text: &str) -> Option<(String, String)> {
    let (pos, noun) = PLAN_NOUNS
        .iter()
        .filter_map(|n| text.find(n).map(|p| (p, *n)))
        .min_by_key(|(p, _)| *p)?;
    let end = pos + noun.len();
    let rest = text[end..].trim_start_matches(['の', ' ']).trim();
    Some((text[..end].trim().to_string(), rest.to_string()))
}

/// Build `report` from the title lines in order.
pub fn report(lines: &[TitleLine]) -> Report {
    let mut r = Report::default();
    for l in lines {
        if l.period.is_some() && r.plan_period.is_none() {
            r.plan_period = l.period;
        }
        if l.fiscal_year.is_some() && r.fiscal_year.is_none() {
            r.fiscal_year = l.fiscal_year;
        }
        if l.text.is_empty() {
            continue;
        }
        let own_plan_line = l.period.is_some() && PLAN_NOUNS.iter().any(|n| l.text.ends_with(n));
        if r.plan_title.is_none() && own_plan_line {
            r.plan_title = Some(l.text.clone());
        } else if r.plan_title.is_none() {
            match split_plan(&l.text) {
                Some((plan, rest)) => {
                    r.plan_title = Some(plan);
                    // `…実施計画 令和6年度取組結果`: the year that follows the plan's name.
                    let mut rest = rest.as_str();
                    if let Some((y, n)) = era::year_prefix(rest) {
                        if let Some(after) = rest[n..].trim_start().strip_prefix("年度") {
                            r.fiscal_year.get_or_insert(y);
                            rest = after.trim_start_matches(['の', ' ']);
                        }
                    }
                    if r.title.is_none() && !rest.is_empty() {
                        r.title = Some(normalize::text(rest));
                    }
                }
                None => {
                    if r.title.is_none() {
                        r.title = Some(l.text.clone());
                    }
                }
            }
        } else if r.title.is_none() {
            r.title = Some(l.text.clone());
        }
    }
    r.municipality = r.plan_title.as_deref().and_then(municipality);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(lines: &[&str]) -> Report {
        let l: Vec<TitleLine> = lines.iter().filter_map(|t| title_line(t)).collect();
        report(&l)
    }

    #[test]
    fn seed_two_lines() {
        let r = read(&[
            "つくばみら い市行政改革プラン (2024 -2028)",
            "アクションプラン個別項目 – 実績報告 (2024年度報告)",
        ]);
        assert_eq!(r.municipality.as_deref(), Some("つくばみらい市"));
        assert_eq!(
            r.plan_title.as_deref(),
            Some("つくばみらい市行政改革プラン")
        );
        assert_eq!(
            r.plan_period,
            Some(Period {
                start: 2024,
                end: 2028
            })
        );
        assert_eq!(
            r.title.as_deref(),
            Some("アクションプラン個別項目 - 実績報告")
        );
        assert_eq!(r.fiscal_year, Some(2024));
    }

    #[test]
    fn one_line_with_plan_noun_and_period_line() {
        let r = read(&[
            "第3次みどり野市行財政改革行動計画 進捗状況（令和6年度末）",
            "計画期間：令和4年度～令和8年度",
        ]);
        assert_eq!(r.municipality.as_deref(), Some("みどり野市"));
        assert_eq!(
            r.plan_title.as_deref(),
            Some("第3次みどり野市行財政改革行動計画")
        );
        assert_eq!(r.title.as_deref(), Some("進捗状況"));
        assert_eq!(r.fiscal_year, Some(2024));
        assert_eq!(
            r.plan_period,
            Some(Period {
                start: 2022,
                end: 2026
            })
        );

        let r = read(&[
            "さくら台町行政改革推進プラン取組項目　進行管理台帳（令和6年度実績）",
            "計画期間：令和5年度～令和9年度",
        ]);
        assert_eq!(
            r.plan_title.as_deref(),
            Some("さくら台町行政改革推進プラン")
        );
        assert_eq!(r.title.as_deref(), Some("取組項目進行管理台帳"));
        assert_eq!(r.municipality.as_deref(), Some("さくら台町"));
    }

    #[test]
    fn year_after_the_plan_name() {
        let r = read(&["ひばり市行財政改革実施計画 令和6年度取組結果"]);
        assert_eq!(r.plan_title.as_deref(), Some("ひばり市行財政改革実施計画"));
        assert_eq!(r.title.as_deref(), Some("取組結果"));
        assert_eq!(r.fiscal_year, Some(2024));
    }

    #[test]
    fn not_title_lines() {
        assert_eq!(title_line("■評価結果の集計（重点改革項目別件数）"), None);
        assert_eq!(title_line("10点満点"), None);
        assert_eq!(
            municipality("四日市市行政改革大綱").as_deref(),
            Some("四日市市")
        );
        assert_eq!(strip_ordinal("第二期計画"), "計画");
    }
}
