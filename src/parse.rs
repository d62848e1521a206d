//! Parse: one block of normalized rows → one `Item`.
//!
//! The report is read by its labels (実施項目, 現状と課題, 取組内容 N, 進捗状況, …), not by line
//! positions, because layouts differ between pages and producers: a label's value is the
//! next non-empty cell. The schedule grid is the exception: it is read by cell position.

use std::collections::BTreeMap;

use crate::diag::{Diag, WarningCode};
use crate::kpi;
use crate::model::{Initiative, Item, Kpi, Level, PageSpan, Rating, ScheduleMark};
use crate::normalize;
use crate::rows::NRow;
use crate::vocab;

/// The column header that sits beside or above 総括評価; it is not part of the summary.
const SUMMARY_HEADER: &str = "取組状況、今後の取組、数値目標の状況など";

/// What a continuation row (first cell empty, no label) adds to.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Field {
    None,
    CurrentIssues,
    Target,
    Summary,
    Actions,
    NextSteps,
}

#[derive(Debug, Default)]
struct PlanRow {
    text: String,
    grid: Vec<String>,
}

#[derive(Debug, Default)]
struct ReportRow {
    text: String,
    symbol: String,
    label: String,
    actions: Vec<String>,
    next_steps: Vec<String>,
    actions_heading_year: Option<i32>,
    seen_actions: bool,
    seen_next: bool,
}

#[derive(Debug, Default)]
struct Raw {
    title: Option<String>,
    number: Option<String>,
    departments: Option<String>,
    current_issues: Vec<String>,
    target: Vec<String>,
    summary: Vec<String>,
    plan: BTreeMap<u32, PlanRow>,
    report: BTreeMap<u32, ReportRow>,
    pages: Option<PageSpan>,
}

/// Context the parser needs from the report header.
pub struct Context {
    pub plan_start: Option<i32>,
    pub plan_end: Option<i32>,
    pub fiscal_year: Option<i32>,
}

pub fn parse_block(rows: &[NRow], ctx: &Context, diag: &mut Diag) -> Option<Item> {
    let raw = collect(rows);
    let Some(number) = raw.number.clone() else {
        let where_ = rows.first().map(describe).unwrap_or_default();
        diag.warn(
            WarningCode::MissingField,
            None,
            Some("item_number"),
            format!(
                "a block with 実施項目 {} has no 項目番号{where_}; skipped",
                raw.title.as_deref().unwrap_or("?")
            ),
        );
        return None;
    };
    let Some((pillar, seq)) = item_number_parts(&number) else {
        diag.warn(
            WarningCode::MissingField,
            Some(&number),
            Some("item_number"),
            format!("cannot read 項目番号 {number}; skipped"),
        );
        return None;
    };
    diag.item = Some(number.clone());
    let item_key = format!("{pillar}-{seq}");

    let departments = raw
        .departments
        .as_deref()
        .map(|d| {
            normalize::chars(&normalize::strip_markup(d))
                .split_whitespace()
                .map(normalize::spaces)
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();

    let target_text = join_text(&raw.target, " ");
    let (target_state, kpi_target) = match last_bracket(&target_text) {
        Some((start, end, content)) => {
            let rest = format!("{} {}", &target_text[..start], &target_text[end..]);
            let parsed = kpi::parse(content);
            if let Some(p) = &parsed.problem {
                diag.warn(
                    WarningCode::KpiUnparsed,
                    Some(&number),
                    Some("kpi_target"),
                    p.clone(),
                );
            }
            (non_empty(normalize::text(&rest)), Some(parsed.kpi))
        }
        None => (non_empty(target_text.clone()), None),
    };

    let summary_text = join_text(&raw.summary, "\n");
    let (summary, kpi_actual) = split_result(&summary_text, &number, diag);

    let mut item = Item {
        item_number: number.clone(),
        item_key,
        pillar: Some(pillar),
        seq: Some(seq),
        groups: Vec::new(),
        title: raw.title.clone(),
        departments,
        current_issues: non_empty(join_text(&raw.current_issues, " ")),
        target_state,
        kpi_target,
        kpi_actual,
        summary,
        initiatives: initiatives(&raw, ctx, diag),
        assessment: None,
        next_steps: None,
        effects: Vec::new(),
        extra: Vec::new(),
        pages: raw.pages,
    };
    missing_fields(&mut item, diag);
    Some(item)
}

fn describe(r: &NRow) -> String {
    match (r.page, r.line) {
        (Some(p), _) => format!(" (page {p})"),
        (None, Some(l)) => format!(" (line {l})"),
        _ => String::new(),
    }
}

fn non_empty(s: String) -> Option<String> {
    (!s.trim().is_empty()).then_some(s)
}

/// Join cell texts and normalize the whole again (rule 2 across the join).
fn join_text(parts: &[String], sep: &str) -> String {
    normalize::text(&parts.join(sep))
}

/// `1-①` → (1, 1); `1-1` → (1, 1).
pub fn item_number_parts(s: &str) -> Option<(u32, u32)> {
    let (a, b) = s.split_once('-')?;
    let pillar: u32 = a.trim().parse().ok()?;
    let b = b.trim();
    let seq = match b.chars().next()? {
        c @ '\u{2460}'..='\u{2473}' if b.chars().count() == 1 => c as u32 - 0x2460 + 1,
        _ => b.parse().ok()?,
    };
    Some((pillar, seq))
}

/// `取組内容1`, `取組内容 2`, `取組内容①` → N.
fn initiative_no(key: &str) -> Option<u32> {
    let rest = key.strip_prefix("取組内容")?;
    if rest.is_empty() {
        return None;
    }
    if let Ok(n) = rest.parse() {
        return Some(n);
    }
    let mut it = rest.chars();
    match (it.next(), it.next()) {
        (Some(c @ '\u{2460}'..='\u{2473}'), None) => Some(c as u32 - 0x2460 + 1),
        _ => None,
    }
}

fn is_year_header(r: &NRow) -> bool {
    let mut any = false;
    for (_, c) in r.non_empty() {
        let k: String = c.chars().filter(|c| !c.is_whitespace()).collect();
        let k = k.strip_suffix("年度").unwrap_or(&k);
        match crate::era::year_prefix(k) {
            Some((_, n)) if n == k.len() => any = true,
            _ => return false,
        }
    }
    any
}

/// `2024年度の実施内容`, `令和6年度の実施内容` → Some(year).
fn actions_heading(key: &str) -> Option<Option<i32>> {
    let rest = key
        .strip_suffix("の実施内容")
        .or_else(|| key.strip_suffix("実施内容"))?;
    if rest.is_empty() || rest == "今年度" || rest == "本年度" {
        return Some(None);
    }
    let y = rest.strip_suffix("年度")?;
    Some(
        crate::era::year_prefix(y)
            .filter(|(_, n)| *n == y.len())
            .map(|(y, _)| y),
    )
}

const LABELS: &[&str] = &[
    "実施項目",
    "項目番号",
    "主管課",
    "現状と課題",
    "目指す姿",
    "総括評価",
    "取組の内容",
    "進捗状況",
    "次年度に向けた改善点",
];

fn is_label(key: &str) -> bool {
    LABELS.contains(&key)
        || initiative_no(key).is_some()
        || actions_heading(key).is_some()
        || key.starts_with("取組期間")
        || (key.starts_with('〈') && key.ends_with('〉'))
}

/// The value after label `i`: the next non-empty cell that is not itself a label.
fn value_after(r: &NRow, i: usize) -> Option<(usize, String)> {
    r.cells
        .iter()
        .enumerate()
        .skip(i + 1)
        .find(|(_, c)| !c.is_empty())
        .filter(|(j, _)| !is_label(&r.keys[*j]))
        .map(|(j, c)| (j, c.clone()))
}

/// Cells after `i` that are text (not labels, not the summary column header).
fn texts_after(r: &NRow, i: usize) -> Vec<String> {
    r.cells
        .iter()
        .enumerate()
        .skip(i + 1)
        .filter(|(j, c)| !c.is_empty() && r.keys[*j] != SUMMARY_HEADER && !is_label(&r.keys[*j]))
        .map(|(_, c)| strip_summary_header(c))
        .filter(|c| !c.is_empty())
        .collect()
}

fn strip_summary_header(c: &str) -> String {
    match c.strip_prefix(SUMMARY_HEADER) {
        Some(rest) => rest.trim().to_string(),
        None => c.to_string(),
    }
}

fn collect(rows: &[NRow]) -> Raw {
    let mut raw = Raw::default();
    let mut field = Field::None;
    let mut in_report = false;
    let mut current_report: Option<u32> = None;
    for r in rows {
        if let Some(p) = r.page {
            raw.pages = Some(match raw.pages {
                None => PageSpan { start: p, end: p },
                Some(s) => PageSpan {
                    start: s.start.min(p),
                    end: s.end.max(p),
                },
            });
        }
        let Some(f) = r.first() else { continue };
        // Section captions may share a row with header labels (〈…概要〉 | 主管課 | 総務課).
        for k in &r.keys {
            if k.starts_with('〈') && k.ends_with('〉') {
                if k.contains("実績報告") || k.contains("取組内容別") {
                    in_report = true;
                }
                field = Field::None;
            }
        }
        // Header labels anywhere in the row.
        let mut header = false;
        for (i, k) in r.keys.iter().enumerate() {
            let slot = match k.as_str() {
                "実施項目" => &mut raw.title,
                "項目番号" => &mut raw.number,
                "主管課" => &mut raw.departments,
                _ => continue,
            };
            header = true;
            if let Some((j, v)) = value_after(r, i) {
                if slot.is_none() {
                    *slot = Some(if k == "主管課" {
                        r.raw[j].text.clone()
                    } else {
                        v
                    });
                }
            }
        }
        if header {
            field = Field::None;
            continue;
        }
        let key = r.keys[f].as_str();
        if key.starts_with('〈') && key.ends_with('〉') {
            continue;
        }
        if key == "現状と課題" {
            raw.current_issues.extend(value_after(r, f).map(|(_, v)| v));
            field = Field::CurrentIssues;
        } else if key == "目指す姿" {
            raw.target.extend(value_after(r, f).map(|(_, v)| v));
            field = Field::Target;
        } else if key == "取組の内容" || key.starts_with("取組期間") || is_year_header(r) {
            field = Field::None;
        } else if key == "総括評価" {
            raw.summary.extend(texts_after(r, f));
            field = Field::Summary;
        } else if key == SUMMARY_HEADER {
            // Column header on its own row before 総括評価: nothing to keep.
        } else if let Some(no) = initiative_no(key) {
            let text = value_after(r, f).map(|(_, v)| v).unwrap_or_default();
            let progress_at = r.keys.iter().position(|k| k == "進捗状況");
            if progress_at.is_some() || in_report {
                in_report = true;
                let (symbol, label) = match progress_at {
                    Some(p) => progress_cells(r, p),
                    None => (String::new(), String::new()),
                };
                let e = raw.report.entry(no).or_default();
                e.text = text;
                e.symbol = symbol;
                e.label = label;
                current_report = Some(no);
            } else {
                let grid_from = value_after(r, f).map_or(f + 2, |(j, _)| j + 1);
                let grid = r.cells.get(grid_from..).unwrap_or(&[]).to_vec();
                raw.plan.insert(no, PlanRow { text, grid });
            }
            field = Field::None;
        } else if let Some(year) = actions_heading(key) {
            if let Some(e) = current_report.and_then(|n| raw.report.get_mut(&n)) {
                e.actions.extend(texts_after(r, f));
                e.actions_heading_year = year;
                e.seen_actions = true;
            }
            field = Field::Actions;
        } else if key == "次年度に向けた改善点" {
            if let Some(e) = current_report.and_then(|n| raw.report.get_mut(&n)) {
                e.next_steps.extend(texts_after(r, f));
                e.seen_next = true;
            }
            field = Field::NextSteps;
        } else {
            // A continuation row: its text belongs to the field above.
            let texts: Vec<String> = r
                .non_empty()
                .filter(|(j, _)| r.keys[*j] != SUMMARY_HEADER)
                .map(|(_, c)| strip_summary_header(c))
                .filter(|c| !c.is_empty())
                .collect();
            let report = current_report.and_then(|n| raw.report.get_mut(&n));
            match (field, report) {
                (Field::CurrentIssues, _) => raw.current_issues.extend(texts),
                (Field::Target, _) => raw.target.extend(texts),
                (Field::Summary, _) => raw.summary.extend(texts),
                (Field::Actions, Some(e)) => e.actions.extend(texts),
                (Field::NextSteps, Some(e)) => e.next_steps.extend(texts),
                _ => {}
            }
        }
    }
    raw
}

/// The symbol and label after 進捗状況 (two cells, or one cell such as `○ 順調`).
fn progress_cells(r: &NRow, p: usize) -> (String, String) {
    let after: Vec<&str> = r
        .cells
        .iter()
        .skip(p + 1)
        .map(String::as_str)
        .filter(|c| !c.is_empty())
        .collect();
    match after.as_slice() {
        [] => (String::new(), String::new()),
        [one] => {
            let mut chars = one.chars();
            let first = chars.next().map(String::from).unwrap_or_default();
            if vocab::progress_symbol(&first).is_some() && one.chars().count() > 1 {
                (first, chars.as_str().trim().to_string())
            } else if vocab::progress_symbol(one).is_some() {
                (one.to_string(), String::new())
            } else {
                (String::new(), one.to_string())
            }
        }
        [s, l, ..] => (s.to_string(), l.to_string()),
    }
}

fn initiatives(raw: &Raw, ctx: &Context, diag: &mut Diag) -> Vec<Initiative> {
    let mut nos: Vec<u32> = raw.plan.keys().chain(raw.report.keys()).copied().collect();
    nos.sort_unstable();
    nos.dedup();
    let mut out = Vec::with_capacity(nos.len());
    for (idx, no) in nos.into_iter().enumerate() {
        let plan = raw.plan.get(&no);
        let report = raw.report.get(&no);
        let field = |f: &str| format!("initiatives[{idx}].{f}");
        let text = match (plan, report) {
            (Some(p), Some(r)) => {
                if normalize::key(&p.text) != normalize::key(&r.text) {
                    diag.warn_item(WarningCode::InitiativeMismatch,
                        Some(&field("text")),
                        format!("取組内容 {no}: 取組の内容 reads 「{}」 but 取組内容別の実績報告 reads 「{}」; kept the first", p.text, r.text),
                    );
                }
                non_empty(p.text.clone())
            }
            (Some(p), None) => {
                diag.warn_item(
                    WarningCode::InitiativeMismatch,
                    Some(&format!("initiatives[{idx}]")),
                    format!(
                        "取組内容 {no} is in 取組の内容 but has no entry in 取組内容別の実績報告"
                    ),
                );
                non_empty(p.text.clone())
            }
            (None, Some(r)) => {
                diag.warn_item(
                    WarningCode::InitiativeMismatch,
                    Some(&format!("initiatives[{idx}]")),
                    format!("取組内容 {no} is in 取組内容別の実績報告 but not in 取組の内容"),
                );
                non_empty(r.text.clone())
            }
            (None, None) => None,
        };
        let schedule = match plan {
            Some(p) => schedule(&p.grid, ctx, &field("schedule"), diag),
            None => Vec::new(),
        };
        if plan.is_some() && schedule.is_empty() {
            diag.warn_item(
                WarningCode::ScheduleMissing,
                Some(&field("schedule")),
                format!("取組内容 {no} has no mark in the 取組期間 grid"),
            );
        }
        let (progress, actions, next_steps) = match report {
            Some(r) => {
                if let (Some(h), Some(fy)) = (r.actions_heading_year, ctx.fiscal_year) {
                    if h != fy {
                        diag.warn_item(
                            WarningCode::FiscalYearMismatch,
                            Some(&field("actions")),
                            format!(
                                "the heading says {h}年度の実施内容 but the report is for {fy}年度"
                            ),
                        );
                    }
                }
                (
                    progress(&r.symbol, &r.label, &field("progress"), diag),
                    text_cell(&r.actions),
                    text_cell(&r.next_steps),
                )
            }
            None => (None, None, None),
        };
        out.push(Initiative {
            no,
            text,
            schedule,
            progress,
            actions,
            next_steps,
        });
    }
    out
}

/// Rule 5: a cell that is only `-` is "nothing".
fn text_cell(parts: &[String]) -> Option<String> {
    let t = join_text(parts, "\n");
    if t.is_empty() || normalize::is_nothing(&t) {
        None
    } else {
        Some(t)
    }
}

/// The 取組期間 grid: the k-th cell after the initiative text is the plan's first year + k.
fn schedule(grid: &[String], ctx: &Context, field: &str, diag: &mut Diag) -> Vec<ScheduleMark> {
    let mut marks = Vec::new();
    let Some(start) = ctx.plan_start else {
        if grid.iter().any(|c| !c.is_empty()) {
            diag.warn_item(
                WarningCode::ScheduleMissing,
                Some(field),
                "the plan period is unknown, so the grid's years are unknown".to_string(),
            );
        }
        return marks;
    };
    for (k, cell) in grid.iter().enumerate() {
        if cell.is_empty() || vocab::is_continuation_mark(cell) {
            continue;
        }
        let year = start + k as i32;
        if let Some(end) = ctx.plan_end {
            if year > end {
                diag.warn_item(
                    WarningCode::ScheduleOutsidePlan,
                    Some(field),
                    format!("mark 「{cell}」 in a column after the plan's last year {end}"),
                );
            }
        }
        for word in cell.split_whitespace() {
            let phase = match vocab::phase(word) {
                Some(p) => {
                    if p != word {
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
            marks.push(ScheduleMark { year, phase });
        }
    }
    marks
}

fn progress(symbol_raw: &str, label_raw: &str, field: &str, diag: &mut Diag) -> Option<Rating> {
    let item = diag.item.clone();
    if symbol_raw.trim().is_empty() && label_raw.trim().is_empty() {
        diag.warn(
            WarningCode::MissingField,
            item.as_deref(),
            Some(field),
            "進捗状況 is empty".to_string(),
        );
        return None;
    }
    let symbol = match vocab::progress_symbol(symbol_raw) {
        Some(s) => {
            if s != symbol_raw.trim() {
                diag.correct(
                    &format!("{field}.symbol"),
                    symbol_raw.trim(),
                    s,
                    "progress_symbol_vocabulary",
                );
            }
            s.to_string()
        }
        None => {
            if !symbol_raw.trim().is_empty() {
                diag.warn(
                    WarningCode::UnknownProgressSymbol,
                    item.as_deref(),
                    Some(&format!("{field}.symbol")),
                    format!("「{symbol_raw}」 is not a known progress symbol; kept as printed"),
                );
            }
            symbol_raw.trim().to_string()
        }
    };
    let sym_known = vocab::progress_symbol(&symbol);
    let label = if label_raw.trim().is_empty() {
        match sym_known.and_then(vocab::default_label) {
            Some(l) => {
                diag.correct(
                    &format!("{field}.label"),
                    "",
                    l,
                    "progress_label_from_symbol",
                );
                l.to_string()
            }
            None => String::new(),
        }
    } else {
        match vocab::progress_label(label_raw, sym_known) {
            Some(l) => {
                if l != label_raw.trim() {
                    diag.correct(
                        &format!("{field}.label"),
                        label_raw.trim(),
                        l,
                        "progress_label_vocabulary",
                    );
                }
                l.to_string()
            }
            None => {
                diag.warn(
                    WarningCode::UnknownProgressLabel,
                    item.as_deref(),
                    Some(&format!("{field}.label")),
                    format!("「{label_raw}」 is not a known progress label; kept as printed"),
                );
                label_raw.trim().to_string()
            }
        }
    };
    let level = match label.as_str() {
        "達成" | "完了" => Some(Level::Achieved),
        "順調" => Some(Level::OnTrack),
        "概ね順調" | "おおむね順調" => Some(Level::MostlyOnTrack),
        "やや遅れ" => Some(Level::SlightlyDelayed),
        "遅れ" | "大幅な遅れ" => Some(Level::Delayed),
        "未着手" | "未実施" => Some(Level::NotStarted),
        "中止" | "休止" | "見直し" => Some(Level::Stopped),
        _ => None,
    };
    let opt = |s: String| (!s.is_empty()).then_some(s);
    Some(Rating {
        symbol: opt(symbol),
        label: opt(label),
        level,
    })
}

/// The last 【…】 in `s`: (start byte of 【, end byte after 】, content).
fn last_bracket(s: &str) -> Option<(usize, usize, &str)> {
    let open = s.rfind('【')?;
    let close_rel = s[open..].find('】')?;
    let close = open + close_rel;
    Some((
        open,
        close + '】'.len_utf8(),
        &s[open + '【'.len_utf8()..close],
    ))
}

/// Split the 総括評価 text into the summary and the result Kpi (the last 【…】 with the ※
/// notes after it, or a ※ remark that contains the bracket).
fn split_result(text: &str, number: &str, diag: &mut Diag) -> (Option<String>, Option<Kpi>) {
    let Some((open, end, content)) = last_bracket(text) else {
        return (non_empty(text.to_string()), None);
    };
    let before = &text[..open];
    let after = text[end..].trim();
    // A ※ remark that contains the bracket: ※ before it in the same sentence.
    let remark_start = before.rfind('※').filter(|&i| {
        let between = &before[i..];
        !between.contains('。') && !between.contains('\n') && !between.contains('】')
    });
    if let Some(rs) = remark_start {
        let remark_end = text[end..]
            .find(['\n', '※'])
            .map_or(text.len(), |i| end + i);
        let remark = &text[rs..remark_end];
        let mut parsed = kpi::parse(content);
        parsed.kpi.note = non_empty(normalize::text(remark.trim_start_matches('※')));
        let rest = format!("{}\n{}", &text[..rs], &text[remark_end..]);
        return (non_empty(normalize::text(&rest)), Some(parsed.kpi));
    }
    let is_result = (after.is_empty() || after.starts_with('※'))
        && (content.chars().any(|c| c.is_ascii_digit()) || content.trim_start().starts_with('※'));
    if !is_result {
        return (non_empty(text.to_string()), None);
    }
    let parsed = kpi::parse(content);
    if let Some(p) = &parsed.problem {
        diag.warn(
            WarningCode::KpiUnparsed,
            Some(number),
            Some("kpi_actual"),
            p.clone(),
        );
    }
    let mut kpi = parsed.kpi;
    let notes: Vec<&str> = after
        .split('※')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if !notes.is_empty() {
        let mut parts: Vec<String> = kpi.note.take().into_iter().collect();
        parts.extend(notes.iter().map(|s| s.to_string()));
        kpi.note = non_empty(normalize::text(&parts.join(" ")));
    }
    (non_empty(normalize::text(before)), Some(kpi))
}

fn missing_fields(item: &mut Item, diag: &mut Diag) {
    let n = item.item_number.clone();
    let mut miss = |f: &str, what: &str| {
        diag.warn(
            WarningCode::MissingField,
            Some(&n),
            Some(f),
            format!("{what} not found"),
        );
    };
    if item.title.is_none() {
        miss("title", "実施項目");
    }
    if item.departments.is_empty() {
        miss("departments", "主管課");
    }
    if item.current_issues.is_none() {
        miss("current_issues", "現状と課題");
    }
    if item.target_state.is_none() {
        miss("target_state", "目指す姿");
    }
    if item.kpi_target.is_none() {
        miss("kpi_target", "the 【…】 numeric target in 目指す姿");
    }
    if item.summary.is_none() {
        miss("summary", "総括評価");
    }
    if item.kpi_actual.is_none() {
        miss("kpi_actual", "the 【…】 result in 総括評価");
    }
    if item.initiatives.is_empty() {
        miss("initiatives", "取組内容");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(item_number_parts("1-①"), Some((1, 1)));
        assert_eq!(item_number_parts("5-⑤"), Some((5, 5)));
        assert_eq!(item_number_parts("12-3"), Some((12, 3)));
        assert_eq!(initiative_no("取組内容2"), Some(2));
        assert_eq!(actions_heading("2024年度の実施内容"), Some(Some(2024)));
        assert_eq!(actions_heading("令和6年度の実施内容"), Some(Some(2024)));
    }
}
