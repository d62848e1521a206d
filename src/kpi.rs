//! The Kpi parser: the content of a 【…】 numeric target or result → `Kpi`.
//!
//! Shape: `indicator [約] value [unit] [~ value unit] [qualifier] [程度] (year|date|note)…`.
//! The value is the last number in the bracket (before the trailing parentheses), so numbers
//! and parentheses inside the indicator (`時間外勤務時間数360時間(…)超過者数5人`) stay there.

use crate::era;
use crate::model::Kpi;
use crate::normalize;

/// Qualifiers that may follow the value (longest first).
const QUALIFIERS: &[&str] = &["以上", "以下", "未満", "超", "減", "増"];
const APPROX_AFTER: &[&str] = &["程度", "前後"];
/// Indicator endings that are grammar, not part of the name: `外部研修受講率は46%`.
const INDICATOR_TAIL: &[char] = &['は', 'が', ':', '：', '=', ' '];

/// Result of parsing one bracket.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub kpi: Kpi,
    /// Why the bracket did not parse as a measured value, for a `kpi_unparsed` warning.
    pub problem: Option<String>,
}

/// Parse a bracket's content (raw, as printed; normalized here).
pub fn parse(content: &str) -> Parsed {
    let raw = normalize::text(content).replace('\n', " ");
    let mut kpi = Kpi {
        raw: raw.clone(),
        ..Kpi::default()
    };

    // A bracket that starts with ※ is a remark: not measured.
    if let Some(rest) = raw.strip_prefix('※') {
        kpi.note = non_empty(normalize::text(rest.trim_start_matches('※')));
        return Parsed { kpi, problem: None };
    }

    // Trailing parentheses: year, as-of date, or notes.
    let mut core = raw.as_str();
    let mut notes: Vec<&str> = Vec::new();
    let mut note_cut = core.len();
    while let Some((start, inner)) = trailing_paren(core) {
        if let Some(y) = era::fiscal_year(inner) {
            kpi.year.get_or_insert(y);
        } else if let Some(d) = era::date_as_of(inner) {
            kpi.as_of.get_or_insert(d);
        } else {
            notes.insert(0, inner.trim());
            note_cut = start;
        }
        core = core[..start].trim_end();
    }

    match find_value(core) {
        Some(v) => {
            kpi.indicator = indicator(&core[..v.indicator_end]);
            kpi.value = Some(v.value);
            kpi.value_max = v.value_max;
            kpi.unit = v.unit;
            kpi.qualifier = v.qualifier;
            kpi.approx = v.approx;
            if !notes.is_empty() {
                kpi.note = non_empty(normalize::text(&notes.join(" ")));
            }
            let problem = v
                .unit_doubtful
                .then(|| format!("unclear unit in 【{raw}】"));
            Parsed { kpi, problem }
        }
        None => {
            // No number: the parentheses we took as notes belong to the indicator.
            let ind = raw[..note_cut.min(raw.len())].to_string();
            let ind = if notes.is_empty() {
                core.to_string()
            } else {
                ind
            };
            kpi.indicator = indicator(&ind);
            Parsed {
                kpi,
                problem: Some(format!("no value in 【{raw}】")),
            }
        }
    }
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

fn indicator(s: &str) -> Option<String> {
    let t = s.trim_end_matches(INDICATOR_TAIL).trim();
    non_empty(normalize::text(t))
}

/// If `s` ends with a balanced `(…)`, its start byte and inner text.
fn trailing_paren(s: &str) -> Option<(usize, &str)> {
    let t = s.trim_end();
    if !t.ends_with(')') {
        return None;
    }
    let mut depth = 0i32;
    for (i, c) in t.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth -= 1;
                if depth == 0 {
                    return Some((i, &t[i + 1..t.len() - 1]));
                }
            }
            _ => {}
        }
    }
    None
}

struct Value {
    indicator_end: usize,
    value: f64,
    value_max: Option<f64>,
    unit: Option<String>,
    qualifier: Option<String>,
    approx: bool,
    unit_doubtful: bool,
}

/// A number as printed: `15,821`, `6.3`, `23億1千万`, `4万`.
#[derive(Debug, Clone, Copy)]
struct NumSpan {
    start: usize,
    end: usize,
    value: f64,
}

fn is_mult(c: char) -> bool {
    matches!(c, '億' | '万' | '千' | '百' | '兆')
}

/// All number spans in `s`, left to right.
fn numbers(s: &str) -> Vec<NumSpan> {
    let b: Vec<(usize, char)> = s.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].1.is_ascii_digit() {
            i += 1;
            continue;
        }
        // A digit glued to a preceding letter or digit-dot belongs to a word (`PPP2`)?
        // Japanese indicators rarely do that; take it as a number.
        let start = b[i].0;
        let mut j = i;
        let mut text = String::new();
        while j < b.len() {
            let c = b[j].1;
            let next = b.get(j + 1).map(|x| x.1);
            if c.is_ascii_digit() || is_mult(c) {
                text.push(c);
            } else if c == ',' && next.is_some_and(|n| n.is_ascii_digit()) && !text.is_empty() {
                // thousands separator
            } else if c == '.' && next.is_some_and(|n| n.is_ascii_digit()) && !text.is_empty() {
                text.push('.');
            } else {
                break;
            }
            j += 1;
        }
        // Trailing multiplier only counts when it multiplies (4万件); strip none.
        let end = b.get(j).map_or(s.len(), |x| x.0);
        if let Some(v) = japanese_number(&text) {
            out.push(NumSpan {
                start,
                end,
                value: v,
            });
        }
        i = j.max(i + 1);
    }
    out
}

/// `23億1千万` → 2310000000, `4万` → 40000, `15821` → 15821, `6.3` → 6.3.
pub fn japanese_number(s: &str) -> Option<f64> {
    let mut total = 0f64; // finished 億/万 groups
    let mut section = 0f64; // below 万
    let mut n: Option<f64> = None;
    let mut digits = String::new();
    let flush = |digits: &mut String, n: &mut Option<f64>| -> Option<()> {
        if !digits.is_empty() {
            *n = Some(digits.parse::<f64>().ok()?);
            digits.clear();
        }
        Some(())
    };
    for c in s.chars() {
        match c {
            '0'..='9' | '.' => digits.push(c),
            '千' | '百' => {
                flush(&mut digits, &mut n)?;
                let m = if c == '千' { 1000.0 } else { 100.0 };
                section += n.take().unwrap_or(1.0) * m;
            }
            '万' | '億' | '兆' => {
                flush(&mut digits, &mut n)?;
                let m = match c {
                    '万' => 1e4,
                    '億' => 1e8,
                    _ => 1e12,
                };
                let group = section + n.take().unwrap_or(0.0);
                if group == 0.0 {
                    return None;
                }
                total += group * m;
                section = 0.0;
            }
            _ => return None,
        }
    }
    flush(&mut digits, &mut n)?;
    let v = total + section + n.unwrap_or(0.0);
    v.is_finite().then_some(v)
}

/// Find the value (and range end) in the core text, and what follows it.
fn find_value(core: &str) -> Option<Value> {
    let nums = numbers(core);
    let last = *nums.last()?;
    let (unit_raw, tail) = split_unit(&core[last.end..]);
    let (qualifier, approx_after, rest) = split_qualifier(tail);
    let mut unit = unit_raw.trim().to_string();
    let mut first = last;
    let mut value_max = None;
    // Range: `4回~ 6回`, `4~6回`, `4回から6回`.
    if nums.len() >= 2 {
        let prev = nums[nums.len() - 2];
        let between = core[prev.end..last.start].trim();
        let sep = ["~", "-", "から", "〜"]
            .iter()
            .find_map(|s| between.strip_suffix(s).map(str::trim));
        if let Some(prev_unit) = sep {
            if prev_unit.is_empty() || prev_unit == unit {
                first = prev;
                value_max = Some(last.value);
            }
        }
    }
    let before = &core[..first.start];
    let before_trim = before.trim_end();
    let (indicator_end, approx_before) = match before_trim.strip_suffix('約') {
        Some(b) => (b.len(), true),
        None => (before_trim.len(), false),
    };
    // Multiplier characters are not part of the unit (NumSpan took them).
    let unit_doubtful = !rest.trim().is_empty()
        || unit.chars().count() > 6
        || unit
            .chars()
            .any(|c| c.is_ascii_digit() || c == '(' || c == ')');
    if unit_doubtful && !rest.trim().is_empty() {
        unit.push_str(rest);
    }
    Some(Value {
        indicator_end,
        value: first.value,
        value_max,
        unit: non_empty(unit.trim().to_string()),
        qualifier: qualifier.map(str::to_string),
        approx: approx_before || approx_after,
        unit_doubtful,
    })
}

/// After the number: the unit runs up to a qualifier, 程度, or the end.
fn split_unit(s: &str) -> (&str, &str) {
    for (i, _) in s.char_indices() {
        let t = &s[i..];
        if QUALIFIERS
            .iter()
            .chain(APPROX_AFTER)
            .any(|q| t.starts_with(q))
        {
            return (&s[..i], t);
        }
    }
    (s, "")
}

fn split_qualifier(s: &str) -> (Option<&'static str>, bool, &str) {
    let mut rest = s.trim_start();
    let mut qualifier = None;
    let mut approx = false;
    loop {
        if let Some(q) = QUALIFIERS.iter().find(|q| rest.starts_with(**q)) {
            if qualifier.is_some() {
                break;
            }
            qualifier = Some(*q);
            rest = rest[q.len()..].trim_start();
        } else if let Some(a) = APPROX_AFTER.iter().find(|a| rest.starts_with(**a)) {
            approx = true;
            rest = rest[a.len()..].trim_start();
        } else {
            break;
        }
    }
    (qualifier, approx, rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Kpi {
        let r = parse(s);
        assert!(r.problem.is_none(), "{s}: {:?}", r.problem);
        r.kpi
    }

    #[test]
    fn multipliers() {
        assert_eq!(japanese_number("23億1千万"), Some(2_310_000_000.0));
        assert_eq!(japanese_number("4万"), Some(40_000.0));
        assert_eq!(japanese_number("40億"), Some(4_000_000_000.0));
        assert_eq!(japanese_number("6.3"), Some(6.3));
    }

    #[test]
    fn contract_examples() {
        let k = p("寄附金年間受入額 23億1千万円 (2024年度)");
        assert_eq!(
            (k.value, k.unit.as_deref(), k.year),
            (Some(2310000000.0), Some("円"), Some(2024))
        );
        assert_eq!(k.indicator.as_deref(), Some("寄附金年間受入額"));
        let k = p("電子申請年間件数 4 万件");
        assert_eq!((k.value, k.unit.as_deref()), (Some(40000.0), Some("件")));
        let k = p("電子申請年間件数:15,821件(2024年度)");
        assert_eq!(
            (k.value, k.indicator.as_deref()),
            (Some(15821.0), Some("電子申請年間件数"))
        );
        let k = p("各校の学校運営協議会年間の実施回数 4 回～ 6 回 (2024年度)");
        assert_eq!(
            (k.value, k.value_max, k.unit.as_deref()),
            (Some(4.0), Some(6.0), Some("回"))
        );
        let k = p("管理費約6.3%減（2024年度）");
        assert_eq!(
            (k.value, k.approx, k.qualifier.as_deref()),
            (Some(6.3), true, Some("減"))
        );
        let k = p("管理職の女性比率 21% (2025年4月1日時点)");
        assert_eq!((k.year, k.as_of.as_deref()), (None, Some("2025-04-01")));
        let k = p("サービス利用満足度 9点 (10点満点)");
        assert_eq!((k.value, k.note.as_deref()), (Some(9.0), Some("10点満点")));
        let k = p("時間外勤務時間数 360時間（1年間の時間外勤務の上限）超過者数 5人（2024年度）");
        assert_eq!(k.value, Some(5.0));
        assert_eq!(k.unit.as_deref(), Some("人"));
        assert_eq!(
            k.indicator.as_deref(),
            Some("時間外勤務時間数360時間(1年間の時間外勤務の上限)超過者数")
        );
        let k = p("受験倍率 10 倍以上");
        assert_eq!(
            (k.value, k.unit.as_deref(), k.qualifier.as_deref()),
            (Some(10.0), Some("倍"), Some("以上"))
        );
        let k = p("外部研修受講率は46% (2024年度)");
        assert_eq!(k.indicator.as_deref(), Some("外部研修受講率"));
        let k = p("PPP/PFI導入事業累計件数1件 (公共施設包括管理事業) (2024年度)");
        assert_eq!(
            (k.value, k.note.as_deref(), k.year),
            (Some(1.0), Some("公共施設包括管理事業"), Some(2024))
        );
    }

    #[test]
    fn not_measured() {
        let k = p("※サービス利用満足度については、評価するには至らなかった。");
        assert_eq!(
            (k.value, k.unit.clone(), k.indicator.clone()),
            (None, None, None)
        );
        assert_eq!(
            k.note.as_deref(),
            Some("サービス利用満足度については、評価するには至らなかった。")
        );
        let r = parse("見直し可能な規制の改正率 (2024年度) ");
        assert_eq!(r.kpi.indicator.as_deref(), Some("見直し可能な規制の改正率"));
        assert_eq!((r.kpi.value, r.kpi.year), (None, Some(2024)));
        assert!(r.problem.is_some());
    }
}
