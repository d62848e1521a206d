//! Page furniture, the same for every layout: title lines (and their repeats at the top of
//! each page), page-number footers, printed legends, group headings. What is left is the body
//! that the layout readers (`form`, `list`) read.

use super::header::{self, TitleLine};
use super::RowKind;
use crate::profile::Profile;
use crate::rows::NRow;

/// The classified rows of a document.
pub struct Classified {
    pub kinds: Vec<RowKind>,
    pub titles: Vec<TitleLine>,
    /// Text of legend cells, in document order (for the rating scales).
    pub legends: Vec<String>,
}

/// A page number: `- 3 -`, `3 / 23`, `P.3`, `3頁`, `-3/23-`. A bare number is not one (it
/// is as likely an item number or a count).
pub fn is_page_number(key: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    // OCR reads the dashes around a page number as long-vowel marks or 一 (`-7ー`).
    let dash = crate::normalize::is_dash_like;
    let k = key
        .strip_prefix(dash)
        .and_then(|k| k.strip_suffix(dash))
        .unwrap_or(key);
    if k != key && digits(k) {
        return true;
    }
    if let Some((a, b)) = k.split_once('/') {
        return digits(a) && digits(b);
    }
    if let Some(n) = k.strip_prefix("P.").or_else(|| k.strip_prefix("p.")) {
        return digits(n);
    }
    k.strip_suffix('頁').is_some_and(digits)
}

/// The row's cells joined with a space (a title split over cells is one line).
pub fn joined(row: &NRow) -> String {
    row.non_empty()
        .map(|(_, c)| c)
        .collect::<Vec<_>>()
        .join(" ")
}

fn joined_key(row: &NRow) -> String {
    row.keys.concat()
}

/// True when the row holds a cell the profile names as a label.
fn has_label(row: &NRow, profile: &Profile) -> bool {
    row.keys.iter().any(|k| profile.label(k).is_some())
}

/// Classify every row; footer and legend cells are emptied in place so that the rest of
/// their row is still read.
pub fn classify(rows: &mut [NRow], profile: &Profile) -> Classified {
    let mut kinds = vec![RowKind::Body; rows.len()];
    let mut legends = Vec::new();
    let legend_patterns: Vec<&crate::profile::Pattern> = profile
        .scales
        .iter()
        .flat_map(|s| s.legend.iter())
        .collect();
    for (i, row) in rows.iter_mut().enumerate() {
        if row.first().is_none() {
            kinds[i] = RowKind::Blank;
            continue;
        }
        let mut emptied = false;
        for j in 0..row.cells.len() {
            if row.cells[j].is_empty() {
                continue;
            }
            let footer = is_page_number(&row.keys[j]);
            let legend = !footer && legend_patterns.iter().any(|re| re.is_match(&row.spaced[j]));
            if legend {
                legends.push(row.spaced[j].clone());
            }
            if footer || legend {
                row.cells[j].clear();
                row.keys[j].clear();
                row.spaced[j].clear();
                emptied = true;
            }
        }
        if emptied && row.first().is_none() {
            kinds[i] = if legends.is_empty() {
                RowKind::Footer
            } else {
                RowKind::Legend
            };
        }
        if crate::normalize::is_markdown_rule(&joined(row)) {
            kinds[i] = RowKind::Blank;
        }
    }

    // Title lines: the first rows, before any labelled or table row.
    let mut titles = Vec::new();
    let mut title_keys: Vec<String> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if kinds[i] != RowKind::Body {
            continue;
        }
        if has_label(row, profile) || row.non_empty().count() > 3 || is_group(row, profile) {
            break;
        }
        if let Some(t) = header::title_line(&joined(row)) {
            titles.push(t);
            title_keys.push(joined_key(row));
            kinds[i] = RowKind::Title;
        }
    }
    // Their repeats at the top of later pages, and group headings. Among a page's first rows
    // (before any labelled one) a title line repeated with a few characters damaged (OCR) is a
    // repeat too.
    let mut page_top = None;
    let mut nth_on_page = 0;
    for (i, row) in rows.iter().enumerate() {
        if kinds[i] == RowKind::Blank {
            continue;
        }
        if row.page != page_top {
            nth_on_page = 0;
        }
        nth_on_page += 1;
        let top = row.page.is_some()
            && nth_on_page <= title_keys.len().max(1) + 1
            && !has_label(row, profile);
        page_top = row.page;
        if kinds[i] != RowKind::Body {
            continue;
        }
        let key = joined_key(row);
        let near = |k: &String| {
            let n = k.chars().count();
            n >= 8 && super::rating::edit_distance(k, &key) <= (n / 8).max(2)
        };
        if title_keys.contains(&key) || (top && title_keys.iter().any(near)) {
            kinds[i] = RowKind::PageHeader;
        } else if is_group(row, profile) {
            kinds[i] = RowKind::Group;
        }
    }
    Classified {
        kinds,
        titles,
        legends,
    }
}

/// A group heading: a row whose only cell matches one of the profile's group patterns.
pub fn is_group(row: &NRow, profile: &Profile) -> bool {
    group_level(row, profile).is_some()
}

/// The heading's level (index of the matching pattern) and its captures.
pub fn group_level<'r>(row: &'r NRow, profile: &Profile) -> Option<(usize, regex::Captures<'r>)> {
    let mut it = row.non_empty();
    let (j, _) = it.next()?;
    if it.next().is_some() {
        return None;
    }
    profile
        .groups
        .iter()
        .enumerate()
        .find_map(|(lvl, re)| re.captures(&row.spaced[j]).map(|c| (lvl, c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        for k in ["-3-", "3/23", "P.3", "12頁", "-3/23-", "-7ー"] {
            assert!(is_page_number(k), "{k}");
        }
        for k in ["3", "1-①", "No.3", "2024", "-", "--"] {
            assert!(!is_page_number(k), "{k}");
        }
    }
}
