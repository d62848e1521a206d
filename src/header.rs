//! The report header: the plan title line (`つくばみらい市行政改革プラン (2024 - 2028)`) and the
//! report title line (`アクションプラン個別項目 – 実績報告 (2024年度報告)`), repeated on every page.

use crate::era;
use crate::model::{Period, Report};
use crate::rows::NRow;

#[derive(Debug, Clone, PartialEq)]
pub enum PageLine {
    /// Plan title and period.
    Plan { title: String, period: Period },
    /// Report title and its 年度.
    Report {
        title: String,
        fiscal_year: Option<i32>,
    },
    /// `- 3 -` page footers.
    Footer,
}

/// Recognize a page header or footer line: one non-empty cell.
pub fn page_line(row: &NRow) -> Option<PageLine> {
    let mut it = row.non_empty();
    let (_, text) = it.next()?;
    if it.next().is_some() {
        return None;
    }
    let t = text.trim();
    if is_footer(t) {
        return Some(PageLine::Footer);
    }
    let (before, inner) = trailing_paren(t)?;
    let title = before.trim().to_string();
    if title.is_empty() {
        return None;
    }
    if let Some(period) = period(inner) {
        return Some(PageLine::Plan { title, period });
    }
    let key: String = inner.chars().filter(|c| !c.is_whitespace()).collect();
    for suffix in ["年度報告", "年度実績", "年度版", "年度実績報告"] {
        if let Some(y) = key.strip_suffix(suffix) {
            let fy = era::year_prefix(y)
                .filter(|(_, n)| *n == y.len())
                .map(|(y, _)| y);
            return Some(PageLine::Report {
                title,
                fiscal_year: fy,
            });
        }
    }
    None
}

fn is_footer(t: &str) -> bool {
    let inner = t.trim_matches(|c: char| c == '-' || c.is_whitespace());
    t.starts_with('-')
        && t.ends_with('-')
        && !inner.is_empty()
        && inner.chars().all(|c| c.is_ascii_digit())
}

fn trailing_paren(t: &str) -> Option<(&str, &str)> {
    let t = t.strip_suffix(')')?;
    let open = t.rfind('(')?;
    Some((&t[..open], &t[open + 1..]))
}

/// `2024 -2028`, `2024~2028`, `令和6年度~令和10年度`, `2024年度-2028年度`.
fn period(inner: &str) -> Option<Period> {
    let k: String = inner.chars().filter(|c| !c.is_whitespace()).collect();
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
/// 四日市市). Also 都/道/府/県 for prefectural plans.
pub fn municipality(plan_title: &str) -> Option<String> {
    let chars: Vec<char> = plan_title.chars().collect();
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

/// Build `report` from the page lines (the first of each kind wins).
pub fn report(lines: &[PageLine]) -> Report {
    let mut r = Report::default();
    for l in lines {
        match l {
            PageLine::Plan { title, period } if r.plan_title.is_none() => {
                r.municipality = municipality(title);
                r.plan_title = Some(title.clone());
                r.plan_period = Some(*period);
            }
            PageLine::Report { title, fiscal_year } if r.title.is_none() => {
                r.title = Some(title.clone());
                r.fiscal_year = *fiscal_year;
            }
            _ => {}
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn municipalities() {
        assert_eq!(
            municipality("つくばみらい市行政改革プラン").as_deref(),
            Some("つくばみらい市")
        );
        assert_eq!(
            municipality("四日市市行政改革大綱").as_deref(),
            Some("四日市市")
        );
        assert_eq!(municipality("町田市行革プラン").as_deref(), Some("町田市"));
    }

    #[test]
    fn periods() {
        assert_eq!(
            period("2024 -2028"),
            Some(Period {
                start: 2024,
                end: 2028
            })
        );
        assert_eq!(
            period("令和6年度~令和10年度"),
            Some(Period {
                start: 2024,
                end: 2028
            })
        );
        assert_eq!(period("10点満点"), None);
    }
}
