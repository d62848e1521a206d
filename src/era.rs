//! Years as reports write them: Western (`2024年度`) or 和暦 (`令和6年度`, `令和元年度`).

/// Parse a year at the start of `s`: `2024`, `令和6`, `令和元`, `平成31`, `R6`.
/// Returns the Western year and the number of bytes consumed.
pub fn year_prefix(s: &str) -> Option<(i32, usize)> {
    let digits = |t: &str| -> Option<(i32, usize)> {
        let n = t.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 || n > 4 {
            return None;
        }
        Some((t[..n].parse().ok()?, n))
    };
    for (era, base) in [("令和", 2018), ("平成", 1988), ("R", 2018), ("H", 1988)] {
        if let Some(rest) = s.strip_prefix(era) {
            let rest_trim = rest.trim_start();
            let skipped = rest.len() - rest_trim.len();
            if let Some(r) = rest_trim.strip_prefix('元') {
                let _ = r;
                return Some((base + 1, era.len() + skipped + '元'.len_utf8()));
            }
            let (n, len) = digits(rest_trim)?;
            if n == 0 || n > 99 {
                return None;
            }
            return Some((base + n, era.len() + skipped + len));
        }
    }
    let (n, len) = digits(s)?;
    (len == 4 && (1900..=2200).contains(&n)).then_some((n, len))
}

/// `2024年度`, `令和6年度`, `2024 年度` (the whole string) → 2024.
pub fn fiscal_year(s: &str) -> Option<i32> {
    let t = s.trim();
    let (y, len) = year_prefix(t)?;
    let rest = t[len..].trim_start();
    (rest == "年度").then_some(y)
}

/// `2025年4月1日` with an optional trailing `時点` / `現在` → `2025-04-01`.
pub fn date_as_of(s: &str) -> Option<String> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let (y, len) = year_prefix(&t)?;
    let rest = t[len..].strip_prefix('年')?;
    let (m, rest) = split_num(rest)?;
    let rest = rest.strip_prefix('月')?;
    let (d, rest) = split_num(rest)?;
    let rest = rest.strip_prefix('日')?;
    if !matches!(rest, "" | "時点" | "現在" | "時点で" | "現在で") {
        return None;
    }
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

fn split_num(s: &str) -> Option<(u32, &str)> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 || n > 2 {
        return None;
    }
    Some((s[..n].parse().ok()?, &s[n..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years() {
        assert_eq!(fiscal_year("2024年度"), Some(2024));
        assert_eq!(fiscal_year("2027 年度"), Some(2027));
        assert_eq!(fiscal_year("令和7年度"), Some(2025));
        assert_eq!(fiscal_year("令和元年度"), Some(2019));
        assert_eq!(fiscal_year("10点満点"), None);
        assert_eq!(date_as_of("2025年4月1日時点"), Some("2025-04-01".into()));
        assert_eq!(date_as_of("令和7年3月31日現在"), Some("2025-03-31".into()));
        assert_eq!(date_as_of("公共施設包括管理事業"), None);
    }
}
