//! Schedule grids: a row of cells after an initiative's text, one per year. The year of a
//! cell is decided by its position: the first cell is the grid's first year (from the grid's
//! header row where printed, in any era form, else the plan's first year). A mark records
//! where a phase starts; continuation marks (→, 同上 …) add nothing.

use crate::diag::{Diag, WarningCode};
use crate::era;
use crate::model::ScheduleMark;
use crate::normalize;
use crate::profile::ScheduleSpec;
use crate::rows::NRow;

use super::rating::edit_distance;

/// A year as a grid header prints it: `2024`, `2024年度`, `令和6年度`, `R6`, `H30`, or a bare
/// `30` where the family says which era bare years are in. 平成 past 31 reads on (平成32 →
/// 2020).
pub fn header_year(cell: &str, spec: &ScheduleSpec) -> Option<i32> {
    let k = normalize::key(cell);
    let k = k
        .strip_suffix("年度")
        .or_else(|| k.strip_suffix('年'))
        .unwrap_or(&k);
    if let Some((y, n)) = era::year_prefix(k) {
        if n == k.len() {
            return Some(y);
        }
        // `2024(令和6)`: the Western year with its era in parentheses.
        if k[n..].starts_with('(') && k.ends_with(')') {
            return Some(y);
        }
    }
    let base = spec.bare_era_base?;
    let n: i32 = k.parse().ok().filter(|_| k.len() <= 2)?;
    (n > 0).then_some(base + n)
}

/// A grid header: the years it prints (at least two, consecutive), ignoring non-year words
/// such as a `取組` column caption. Returns (first year, number of year columns).
pub fn header_row(cells: &[String], spec: &ScheduleSpec) -> Option<(i32, usize)> {
    let mut years = Vec::new();
    for c in cells.iter().filter(|c| !c.is_empty()) {
        match header_year(c, spec) {
            Some(y) => years.push(y),
            None if years.is_empty() && c.chars().count() <= 8 => {}
            None => return None,
        }
    }
    if years.len() < 2 || years.windows(2).any(|w| w[1] != w[0] + 1) {
        return None;
    }
    Some((years[0], years.len()))
}

/// A row that is only a grid header (every non-empty cell a year).
pub fn is_header_row(row: &NRow, spec: &ScheduleSpec) -> Option<(i32, usize)> {
    let mut years = Vec::new();
    for (_, c) in row.non_empty() {
        years.push(header_year(c, spec)?);
    }
    if years.len() < 2 || years.windows(2).any(|w| w[1] != w[0] + 1) {
        return None;
    }
    Some((years[0], years.len()))
}

/// The phase of one word: a legend symbol, a phase word, or a phase word with OCR damage of
/// one character in a two-character word, mended where exactly one phase fits (the only
/// case that is a correction: `true`).
fn phase<'a>(word: &str, spec: &'a ScheduleSpec) -> Option<(&'a str, bool)> {
    let k = normalize::key(word);
    if let Some((_, p)) = spec.symbols.iter().find(|(s, _)| *s == k) {
        return Some((p, false));
    }
    if let Some(p) = spec.phases.iter().find(|p| **p == k) {
        return Some((p, false));
    }
    let fits: Vec<&str> = spec
        .phases
        .iter()
        .map(String::as_str)
        .filter(|p| p.chars().count() >= 2 && k.chars().count() >= 2 && edit_distance(&k, p) == 1)
        .collect();
    match fits.as_slice() {
        [one] => Some((one, true)),
        _ => None,
    }
}

fn is_continuation(cell: &str, spec: &ScheduleSpec) -> bool {
    let k = normalize::key(cell);
    if k.is_empty() {
        return false;
    }
    if spec
        .continuation
        .iter()
        .any(|c| c.chars().count() > 1 && *c == k)
    {
        return true;
    }
    k.chars().all(|c| {
        spec.continuation
            .iter()
            .any(|m| m.chars().eq(std::iter::once(c)))
    })
}

/// What the reader knows about the grid of one initiative.
pub struct Grid<'a> {
    pub cells: &'a [String],
    /// First year of the grid (header row, else the plan's first year).
    pub first_year: Option<i32>,
    /// Year columns the header printed (0: unknown).
    pub header_years: usize,
    pub plan_end: Option<i32>,
}

/// The schedule marks of a grid row.
pub fn marks(grid: &Grid, spec: &ScheduleSpec, field: &str, diag: &mut Diag) -> Vec<ScheduleMark> {
    let mut out = Vec::new();
    let Some(start) = grid.first_year else {
        if grid.cells.iter().any(|c| !c.is_empty()) {
            diag.warn_item(
                WarningCode::ScheduleMissing,
                Some(field),
                "neither the grid's header nor the plan period gives its years".to_string(),
            );
        }
        return out;
    };
    // Clarification 12: empty padding cells that belong to the text column are not grid
    // cells. Where the row has more cells than the header has years, leading empty ones go.
    let mut cells = grid.cells;
    if grid.header_years > 0 {
        while cells.len() > grid.header_years && cells.first().is_some_and(|c| c.is_empty()) {
            cells = &cells[1..];
        }
    }
    for (k, cell) in cells.iter().enumerate() {
        if cell.is_empty() || is_continuation(cell, spec) {
            continue;
        }
        let year = start + k as i32;
        if let Some(end) = grid.plan_end {
            if year > end {
                diag.warn_item(
                    WarningCode::ScheduleOutsidePlan,
                    Some(field),
                    format!("mark 「{cell}」 in a column after the plan's last year {end}"),
                );
            }
        }
        for word in cell.split_whitespace() {
            if is_continuation(word, spec) {
                continue;
            }
            let phase = match phase(word, spec) {
                Some((p, repaired)) => {
                    if repaired {
                        diag.correct(field, word, p, "schedule_phase_vocabulary");
                    }
                    p.to_string()
                }
                None => {
                    diag.warn_item(
                        WarningCode::UnknownPhase,
                        Some(field),
                        format!("「{word}」 is not a known phase word; kept as printed"),
                    );
                    word.to_string()
                }
            };
            out.push(ScheduleMark { year, phase });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> ScheduleSpec {
        ScheduleSpec {
            phases: crate::profile::lexicon::PHASES
                .iter()
                .map(|s| s.to_string())
                .collect(),
            symbols: vec![("●".into(), "実施".into())],
            continuation: crate::profile::lexicon::CONTINUATION
                .iter()
                .map(|s| s.to_string())
                .collect(),
            bare_era_base: Some(1988),
        }
    }

    #[test]
    fn year_headers() {
        let s = spec();
        assert_eq!(header_year("R6", &s), Some(2024));
        assert_eq!(header_year("令和6年度", &s), Some(2024));
        assert_eq!(header_year("H30", &s), Some(2018));
        assert_eq!(header_year("30", &s), Some(2018));
        assert_eq!(header_year("平成32年度", &s), Some(2020));
        assert_eq!(header_year("2024(令和6)年度", &s), Some(2024));
        let cells: Vec<String> = ["取組", "R5", "R6", "R7"].map(String::from).to_vec();
        assert_eq!(header_row(&cells, &s), Some((2023, 3)));
    }

    #[test]
    fn phases_symbols_and_continuations() {
        let s = spec();
        let mut d = Diag::default();
        let cells: Vec<String> = ["●", "→", "実旅", ""].map(String::from).to_vec();
        let g = Grid {
            cells: &cells,
            first_year: Some(2024),
            header_years: 4,
            plan_end: Some(2028),
        };
        let m = marks(&g, &s, "initiatives[0].schedule", &mut d);
        assert_eq!(
            m,
            vec![
                ScheduleMark {
                    year: 2024,
                    phase: "実施".into()
                },
                ScheduleMark {
                    year: 2026,
                    phase: "実施".into()
                }
            ]
        );
        assert_eq!(d.corrections.len(), 1);
    }
}
