//! `jisseki profile init FILE`: a draft profile for a report of a family jisseki does not know,
//! for a person to finish. It finds what is mechanical to find — the title, the layout (a list
//! table's header row, or the label column of a form), the labels and the contract field each
//! usual synonym stands for, the item numbers' pattern, group headings, initiative labels or
//! prefixes, a rating scale from a printed legend (or from the rating cells), KPI sources —
//! and marks every guess with a comment. The draft loads with `--profile` as it is.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use super::lexicon;
use crate::error::Result;
use crate::normalize;
use crate::reader::{self, header};
use crate::rows::NRow;

/// Words that name a report's kind in its title (for `detect.title`).
const REPORT_WORDS: &[&str] = &[
    "実績報告",
    "進捗状況",
    "進行管理台帳",
    "進捗管理",
    "実施状況",
    "取組状況",
    "評価結果",
    "取組実績",
    "実施結果",
    "成果報告",
    "取組結果",
    "進捗報告",
];

fn toml_str(s: &str) -> String {
    // A TOML literal string where possible (patterns keep their backslashes).
    if !s.contains('\'') && !s.contains('\n') {
        format!("'{s}'")
    } else {
        format!("{s:?}")
    }
}

fn list(items: &[String]) -> String {
    let v: Vec<String> = items.iter().map(|s| toml_str(s)).collect();
    format!("[{}]", v.join(", "))
}

/// A short cell that could be a label: no sentence, not a number, a year or a phase word.
fn label_like(text: &str) -> bool {
    let n = text.chars().count();
    !lexicon::PHASES.contains(&text)
        && (2..=16).contains(&n)
        && !text.contains(['。', '、', '【', '】', '※', '\n', ':'])
        && !text
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == '.')
        && crate::reader::schedule::header_year(text, &Default::default()).is_none()
}

/// The contract field a label usually stands for.
fn field_of(label: &str) -> Option<&'static str> {
    for (field, syns) in lexicon::LABEL_SYNONYMS {
        if syns.iter().any(|s| normalize::key(s) == label) {
            return Some(field);
        }
    }
    // A year before a result label: `令和6年度の取組実績`, `2024年度の実績`.
    for (field, syns) in lexicon::LABEL_SYNONYMS {
        if matches!(*field, "summary" | "effects" | "next_steps" | "kpi")
            && syns.iter().any(|s| label.contains(&normalize::key(s)))
        {
            return Some(field);
        }
    }
    None
}

/// A label as the profile writes it: literal, or a pattern where it carries a year.
fn label_entry(label: &str) -> String {
    if let Some(pos) = label.find("年度") {
        let before = &label[..pos];
        if crate::era::year_prefix(before).is_some_and(|(_, n)| n == before.len()) {
            let rest = regex::escape(&label[pos + "年度".len()..]);
            return format!("^(?P<year>.+年度){rest}$");
        }
    }
    if label.contains('(') && label.ends_with(')') {
        // `効果額(千円)`: the unit may change between years.
        let stem = &label[..label.find('(').unwrap_or(label.len())];
        return format!("^{}", regex::escape(stem));
    }
    label.to_string()
}

/// The shape of an item number as a pattern: digits, circled numbers, a literal prefix.
fn number_shape(key: &str) -> String {
    let mut out = String::from("^");
    let mut chars = key.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            while chars.peek().is_some_and(|c| c.is_ascii_digit()) {
                chars.next();
            }
            out.push_str("[0-9]+");
        } else if ('\u{2460}'..='\u{2473}').contains(&c) {
            out.push_str("[①-⑳]");
        } else {
            out.push_str(&regex::escape(&c.to_string()));
        }
    }
    out.push('$');
    out
}

/// An item number: a number, or a short ASCII label before one (`No.12`, `R2-4`).
fn looks_like_number(key: &str) -> bool {
    let n = key.chars().count();
    let start = key
        .char_indices()
        .find(|(_, c)| c.is_ascii_digit() || ('\u{2460}'..='\u{2473}').contains(c) || *c == '(')
        .map(|(i, _)| i);
    (1..=10).contains(&n)
        && start.is_some_and(|i| i <= 3 && key[..i].is_ascii())
        && !key.contains(['%', '年', '円', '/'])
}

/// `X:word` pairs of a printed legend (symbols: upper-case letters or marks).
fn legend_pairs(text: &str) -> Vec<(String, String)> {
    let chars: Vec<char> = text.chars().collect();
    let mut marks = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let sym = c.is_ascii_uppercase() || "◎○△×●▲■◆☆★-".contains(c);
        if sym
            && chars.get(i + 1) == Some(&':')
            && (i == 0 || !chars[i - 1].is_ascii_alphanumeric())
        {
            marks.push(i);
        }
    }
    let mut out = Vec::new();
    for (n, &i) in marks.iter().enumerate() {
        let end = marks.get(n + 1).copied().unwrap_or(chars.len());
        let label: String = chars[i + 2..end].iter().collect();
        let word = label
            .split([' ', '、', '('])
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        if !word.is_empty() {
            out.push((chars[i].to_string(), normalize::key(&word)));
        }
    }
    out
}

/// What the draft found, to write out.
#[derive(Default)]
struct Draft {
    layout: &'static str,
    title_word: Option<String>,
    /// field → labels (patterns where they carry a year).
    labels: BTreeMap<&'static str, Vec<String>>,
    unmapped: Vec<String>,
    number: Vec<String>,
    starts: Vec<String>,
    initiative_label: Option<String>,
    initiative_prefix: Option<String>,
    groups: Vec<String>,
    legend: Option<(String, Vec<(String, String)>)>,
    rating_cells: Vec<(String, String)>,
    rating_scope: &'static str,
    kpi_prefixes: Option<(String, String)>,
    kpi_in_brackets: (bool, bool),
    results_caption: Option<String>,
    /// Rows that are a 〈caption〉 alone.
    captions: bool,
    /// The initiatives are bulleted lines of one cell.
    bullets: bool,
    /// Item numbers restart under each group heading.
    restart: bool,
}

pub fn draft(bytes: &[u8], file: &str) -> Result<String> {
    let fe = crate::pipeline::front_end(bytes, file)?;
    let rows = reader::normalize(&fe.rows);
    let d = analyse(&rows);
    Ok(write(&d, file, &rows))
}

fn analyse(rows: &[NRow]) -> Draft {
    let mut d = Draft {
        layout: "form",
        rating_scope: "assessment",
        ..Draft::default()
    };
    // Title lines: the first rows with a title's marks.
    for r in rows.iter().filter(|r| r.first().is_some()).take(6) {
        let joined = r
            .cells
            .iter()
            .filter(|c| !c.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        if header::title_line(&joined).is_some() {
            if let Some(w) = REPORT_WORDS
                .iter()
                .find(|w| normalize::key(&joined).contains(*w))
            {
                d.title_word.get_or_insert_with(|| w.to_string());
            }
        }
    }
    // Legends.
    for r in rows {
        for s in &r.spaced {
            let pairs = legend_pairs(s);
            if pairs.len() >= 2 && d.legend.is_none() {
                let first = s.find(&format!("{}:", pairs[0].0)).unwrap_or(0);
                d.legend = Some((s[..first].trim().to_string(), pairs));
            }
        }
    }
    // A list table: a row of short cells with the usual labels, followed by numbered rows.
    let header_at = rows.iter().enumerate().position(|(i, r)| {
        let cells: Vec<&str> = r.non_empty().map(|(_, c)| c).collect();
        cells.len() >= 4
            && cells.iter().all(|c| label_like(c))
            && cells
                .iter()
                .filter(|c| field_of(&normalize::key(c)).is_some())
                .count()
                >= 3
            && rows[i + 1..].iter().take(4).any(|n| {
                n.first().is_some_and(|j| looks_like_number(&n.keys[j]))
                    && n.non_empty().count() >= 3
            })
    });
    if let Some(h) = header_at {
        d.layout = "list";
        let head = &rows[h];
        for (j, c) in head.non_empty() {
            let key = normalize::key(c);
            match field_of(&key) {
                Some(f) => d
                    .labels
                    .entry(map_field(f, "list"))
                    .or_default()
                    .push(label_entry(&key)),
                None => d.unmapped.push(c.to_string()),
            }
            let _ = j;
        }
        // Item numbers: the first column of the rows after the header.
        let numbers: Vec<String> = rows[h + 1..]
            .iter()
            .filter_map(|r| r.first().map(|j| r.keys[j].clone()))
            .filter(|k| looks_like_number(k))
            .collect();
        let mut shapes: Vec<String> = numbers.iter().map(|k| number_shape(k)).collect();
        shapes.sort();
        shapes.dedup();
        d.number = shapes.into_iter().take(3).collect();
        group_headings(&rows[h + 1..], &mut d);
        // KPI lines `目標:` / `実績:` in a column.
        let has = |p: &str| {
            rows.iter()
                .any(|r| r.cells.iter().any(|c| c.contains(&format!("{p}:"))))
        };
        if has("目標") && has("実績") {
            d.kpi_prefixes = Some((r"^目標\s*:".into(), r"^実績\s*:".into()));
        }
    } else {
        group_headings(rows, &mut d);
        form_labels(rows, &mut d);
    }
    // Ratings printed in cells after a rating label (for the scale where no legend is printed).
    if let Some(rating) = d.labels.get("rating").and_then(|l| l.first()).cloned() {
        for r in rows {
            if let Some(j) = r.keys.iter().position(|k| *k == rating) {
                let after: Vec<&str> = r.cells[j + 1..]
                    .iter()
                    .filter(|c| !c.is_empty())
                    .map(String::as_str)
                    .collect();
                match after.as_slice() {
                    [s, l, ..] if s.chars().count() == 1 => {
                        d.rating_cells.push((s.to_string(), normalize::key(l)))
                    }
                    [one] if one.chars().count() <= 12 => {
                        d.rating_cells.push((String::new(), normalize::key(one)))
                    }
                    _ => {}
                }
            }
        }
    }
    d
}

/// Group headings: single-cell rows `label N title` or `【label N】title`, repeated with
/// other numbers.
fn group_headings(rows: &[NRow], d: &mut Draft) {
    let re = regex::Regex::new(
        r"^(?P<open>【)?(?P<label>[^\s0-9【】]{1,12}?)\s*(?P<number>[0-9]+)(?P<close>】)?\s*(?P<title>.+)$",
    )
    .expect("valid");
    let mut seen: HashMap<(String, bool), usize> = HashMap::new();
    for r in rows {
        let cells: Vec<(usize, &str)> = r.non_empty().collect();
        if let [(j, _)] = cells.as_slice() {
            if let Some(c) = re.captures(&r.spaced[*j]).filter(|c| {
                // A heading is a title, not a sentence (`取組1 …を行う。` is an initiative).
                let t = &c["title"];
                !t.ends_with('。') && t.chars().count() <= 40
            }) {
                let bracketed = c.name("open").is_some() && c.name("close").is_some();
                let spaced = c.name("close").is_some() || r.spaced[*j].contains(' ');
                if bracketed || spaced {
                    *seen.entry((c["label"].to_string(), bracketed)).or_default() += 1;
                }
            }
        }
    }
    for ((label, bracketed), n) in seen {
        if n >= 2 {
            let l = regex::escape(&label);
            d.groups.push(if bracketed {
                format!(r"^【(?P<label>{l})(?P<number>[0-9]+)】\s*(?P<title>.+)$")
            } else {
                format!(r"^(?P<label>{l})\s*(?P<number>[0-9]+)\s+(?P<title>.+)$")
            });
        }
    }
}

/// The field name the profile uses for a lexicon field in a layout.
fn map_field(f: &'static str, layout: &str) -> &'static str {
    match (f, layout) {
        ("initiatives", "form") => "initiatives",
        (f, _) => f,
    }
}

/// The labels of a form: short cells that come before a value, repeated block after block.
fn form_labels(rows: &[NRow], d: &mut Draft) {
    let mut count: HashMap<String, usize> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for r in rows {
        for (j, c) in r.non_empty() {
            let has_value = r.cells[j + 1..].iter().any(|c| !c.is_empty());
            if has_value && label_like(c) {
                let k = r.keys[j].clone();
                if !count.contains_key(&k) {
                    order.push(k.clone());
                }
                *count.entry(k).or_default() += 1;
            }
        }
    }
    // Items: as many as the label that occurs in most blocks once (the most common count).
    let mut freq: HashMap<usize, usize> = HashMap::new();
    for n in count.values() {
        *freq.entry(*n).or_default() += 1;
    }
    let blocks = freq
        .iter()
        .filter(|(n, _)| **n >= 2)
        .max_by_key(|(n, f)| (**f, **n))
        .map_or(0, |(n, _)| *n);
    // Initiative labels: one stem with numbers 1, 2, 3 (`取組内容 1`).
    let numbered = regex::Regex::new(r"^(?P<stem>\D{2,10}?)(?P<no>[0-9]+|[①-⑳])$").expect("valid");
    let mut stems: HashMap<String, usize> = HashMap::new();
    for k in &order {
        if let Some(c) = numbered.captures(k) {
            *stems.entry(c["stem"].to_string()).or_default() += 1;
        }
    }
    if let Some((stem, _)) = stems
        .iter()
        .filter(|(_, n)| **n >= 2)
        .max_by_key(|(_, n)| **n)
    {
        d.initiative_label = Some(format!("^{}(?P<no>[0-9]+|[①-⑳])$", regex::escape(stem)));
    }
    // Initiative prefixes inside text cells (`取組1 …`).
    let prefixed = regex::Regex::new(r"^(?P<stem>\D{1,6}?)(?P<no>[0-9]+)\S").expect("valid");
    let mut pre: HashMap<String, usize> = HashMap::new();
    for r in rows {
        if let Some(j) = r.first() {
            if r.cells.len() > j + 2 && r.cells[j].chars().count() > 12 {
                if let Some(c) = prefixed.captures(&r.keys[j]) {
                    *pre.entry(c["stem"].to_string()).or_default() += 1;
                }
            }
        }
    }
    if let Some((stem, _)) = pre
        .iter()
        .filter(|(_, n)| **n >= 3)
        .max_by_key(|(_, n)| **n)
    {
        d.initiative_prefix = Some(format!("^{}(?P<no>[0-9]+)", regex::escape(stem)));
    }
    let keep = (blocks / 3).max(2);
    // Labels repeated once per initiative (more often than once per item) belong to the
    // initiatives: their result text and next steps.
    if d.initiative_label.is_some() {
        for k in &order {
            let n = count[k];
            if n <= blocks || numbered.is_match(k) {
                continue;
            }
            let field = if k.contains("改善") || k.contains("次年度") || k.contains("今後") {
                Some("initiative_next_steps")
            } else if k.contains("実施内容") || k.contains("実績") {
                Some("actions")
            } else {
                None
            };
            if let Some(f) = field {
                // A year before the label (`2024年度の実施内容`): any year.
                let year_end = k
                    .find("年度")
                    .filter(|&p| crate::era::year_prefix(&k[..p]).is_some_and(|(_, n)| n == p));
                let e = match year_end {
                    Some(p) => format!(
                        "^((?P<year>.*年度)の?)?{}$",
                        regex::escape(k[p + "年度".len()..].trim_start_matches('の'))
                    ),
                    None => k.clone(),
                };
                d.labels.entry(f).or_default().push(e);
            }
        }
        // A caption before the result rows (`〈取組内容別の実績報告〉`).
        for r in rows {
            let cells: Vec<&str> = r.non_empty().map(|(_, c)| c).collect();
            if let [c] = cells.as_slice() {
                let k = normalize::key(c);
                let bracketed = (k.starts_with('〈') && k.ends_with('〉'))
                    || (k.starts_with('【') && k.ends_with('】'));
                if k.starts_with('〈') && k.ends_with('〉') {
                    d.captions = true;
                }
                if bracketed
                    && (k.contains("実績") || k.contains("報告"))
                    && d.results_caption.is_none()
                {
                    let (open, close) = (
                        k.chars().next().unwrap_or('〈'),
                        k.chars().last().unwrap_or('〉'),
                    );
                    d.results_caption = Some(format!(
                        "^{}.*(実績|報告).*{}$",
                        regex::escape(&open.to_string()),
                        regex::escape(&close.to_string())
                    ));
                }
            }
        }
    }
    for k in &order {
        let n = count[k];
        if n < keep || numbered.is_match(k) && d.initiative_label.is_some() {
            continue;
        }
        let taken = d
            .labels
            .get("actions")
            .into_iter()
            .chain(d.labels.get("initiative_next_steps"))
            .flatten()
            .any(|e| super::Matcher::new(e).is_ok_and(|m| m.matches(k).is_some()));
        if taken {
            continue;
        }
        // A measures cell listed with bullets: the item's initiatives.
        let bulleted = field_of(k) == Some("initiatives")
            && rows.iter().any(|r| {
                r.keys.iter().position(|x| x == k).is_some_and(|j| {
                    r.cells[j + 1..]
                        .iter()
                        .any(|c| c.starts_with(['・', '●', '○', '①']))
                })
            });
        if bulleted && d.initiative_label.is_none() && d.initiative_prefix.is_none() {
            d.labels
                .entry("initiatives")
                .or_default()
                .push(label_entry(k));
            d.bullets = true;
            continue;
        }
        match field_of(k) {
            Some("initiatives") | None => d.unmapped.push(k.clone()),
            Some("schedule") => d.labels.entry("schedule").or_default().push(label_entry(k)),
            Some(f) => {
                let list = d.labels.entry(f).or_default();
                let e = label_entry(k);
                if !list.contains(&e) {
                    list.push(e);
                }
            }
        }
        if k.contains("工程") && field_of(k).is_none() {
            d.labels.entry("schedule").or_default().push(label_entry(k));
            d.unmapped.retain(|u| u != k);
        }
    }
    // Item numbers: the values after the number label.
    if let Some(label) = d.labels.get("item_number").and_then(|l| l.first()).cloned() {
        let mut shapes: Vec<String> = rows
            .iter()
            .filter_map(|r| {
                let j = r.keys.iter().position(|k| *k == label)?;
                r.keys[j + 1..].iter().find(|k| !k.is_empty()).cloned()
            })
            .filter(|k| looks_like_number(k))
            .map(|k| number_shape(&k))
            .collect();
        shapes.sort();
        shapes.dedup();
        d.number = shapes.into_iter().take(3).collect();
        let values: Vec<String> = rows
            .iter()
            .filter_map(|r| {
                let j = r.keys.iter().position(|k| *k == label)?;
                r.keys[j + 1..].iter().find(|k| !k.is_empty()).cloned()
            })
            .collect();
        let mut uniq = values.clone();
        uniq.sort();
        uniq.dedup();
        d.restart = !d.groups.is_empty() && uniq.len() < values.len();
    }
    // An item starts at the first label of a block, its number and its title.
    let first_label = rows
        .iter()
        .filter_map(|r| r.first().map(|j| r.keys[j].clone()))
        .find(|k| {
            d.labels.values().any(|l| l.contains(k)) || count.get(k).is_some_and(|n| *n >= keep)
        });
    for k in first_label
        .into_iter()
        .chain(
            d.labels
                .get("group")
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .take(1),
        )
        .chain(d.labels.get("item_number").cloned().unwrap_or_default())
        .chain(d.labels.get("title").cloned().unwrap_or_default())
    {
        if !k.starts_with('^') && !d.starts.contains(&k) {
            d.starts.push(k);
        }
    }
    // Brackets in the target / result texts: KPI sources.
    let bracket_after = |field: &str| {
        d.labels
            .get(field)
            .and_then(|l| l.first())
            .is_some_and(|label| {
                let m = super::Matcher::new(label).ok();
                // The label's row or the next two (a long text continues below its label).
                rows.iter().enumerate().any(|(i, r)| {
                    r.keys.iter().enumerate().any(|(j, k)| {
                        m.as_ref().is_some_and(|m| m.matches(k).is_some())
                            && (r.cells[j + 1..].iter().any(|c| c.contains('【'))
                                || rows[i + 1..]
                                    .iter()
                                    .take(2)
                                    .any(|n| n.cells.iter().any(|c| c.contains('【'))))
                    })
                })
            })
    };
    d.kpi_in_brackets = (bracket_after("target_state"), bracket_after("summary"));
    if d.initiative_label.is_some() {
        d.rating_scope = "progress";
    }
}

fn write(d: &Draft, file: &str, rows: &[NRow]) -> String {
    let mut o = String::new();
    let name = std::path::Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "report".into());
    let id: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .trim_matches('-')
        .to_string();
    let id = if id.is_empty() || !id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric()) {
        "draft".to_string()
    } else {
        format!("draft-{id}")
    };
    let _ = writeln!(o, "# Draft profile made by `jisseki profile init {file}`.");
    let _ = writeln!(o, "# Every guess is marked TODO: check it against `jisseki inspect {file} --profile THIS_FILE`.");
    let _ = writeln!(o, "# The format is documented in docs/profiles.md.");
    let _ = writeln!(o, "id = {}", toml_str(&id));
    let _ = writeln!(
        o,
        "name = {}  # TODO: a one-line name",
        toml_str(&format!("{name} (draft)"))
    );
    let _ = writeln!(o, "layout = \"{}\"", d.layout);
    let _ = writeln!(o, "\n[detect]");
    match &d.title_word {
        Some(w) => {
            let _ = writeln!(o, "title = [{}]", toml_str(w));
        }
        None => {
            let _ = writeln!(o, "title = []  # TODO: a word of the report's title");
        }
    }
    let mut detect: Vec<String> = Vec::new();
    for f in ["item_number", "title", "departments", "rating", "summary"] {
        if let Some(l) = d.labels.get(f).and_then(|l| l.first()) {
            if !l.starts_with('^') {
                detect.push(l.clone());
            }
        }
    }
    let _ = writeln!(o, "labels = {}", list(&detect));
    let _ = writeln!(o, "\n[item]");
    if d.layout == "form" {
        let _ = writeln!(
            o,
            "starts = {}  # TODO: the labels whose row begins an item",
            list(&d.starts)
        );
    }
    if d.restart {
        let _ = writeln!(
            o,
            "restart_per_group = true  # the numbers restart under each group"
        );
    }
    if d.number.is_empty() {
        let _ = writeln!(o, "number = []  # TODO: the item numbers' pattern");
    } else {
        let _ = writeln!(o, "number = {}", list(&d.number));
    }
    let _ = writeln!(o, "\n[labels]");
    for (f, labels) in &d.labels {
        let key = match *f {
            "rating" | "schedule" | "actions" | "initiative_next_steps" => continue,
            f => f,
        };
        let _ = writeln!(o, "{key} = {}", list(labels));
    }
    if d.captions {
        let _ = writeln!(o, "captions = ['^〈.*〉$']");
    }
    if !d.unmapped.is_empty() {
        let _ = writeln!(
            o,
            "# TODO: labels with no contract field (they become `extra`; map or ignore them): {}",
            d.unmapped.join(", ")
        );
    }
    if d.kpi_prefixes.is_some() || d.kpi_in_brackets.0 || d.kpi_in_brackets.1 {
        let _ = writeln!(o, "\n[kpi]");
        if d.kpi_in_brackets.0 {
            let _ = writeln!(o, "target_in = \"target_state\"");
        }
        if d.kpi_in_brackets.1 {
            let _ = writeln!(o, "actual_in = \"summary\"");
        }
        if let Some((t, a)) = &d.kpi_prefixes {
            let _ = writeln!(
                o,
                "target_prefix = [{}]\nactual_prefix = [{}]",
                toml_str(t),
                toml_str(a)
            );
        }
    }
    if let Some(s) = d.labels.get("schedule") {
        let _ = writeln!(o, "\n[schedule]\nlabels = {}", list(s));
    }
    if d.initiative_label.is_some()
        || d.initiative_prefix.is_some()
        || d.layout == "list"
        || d.bullets
    {
        let _ = writeln!(o, "\n[initiatives]");
        if let Some(l) = &d.initiative_label {
            let _ = writeln!(o, "label = [{}]", toml_str(l));
        }
        if let Some(p) = &d.initiative_prefix {
            let _ = writeln!(o, "prefix = [{}]", toml_str(p));
        }
        if let Some(c) = &d.results_caption {
            let _ = writeln!(o, "results = [{}]", toml_str(c));
        }
        if let Some(a) = d.labels.get("actions") {
            let _ = writeln!(o, "actions = {}", list(a));
        }
        if let Some(a) = d.labels.get("initiative_next_steps") {
            let _ = writeln!(o, "next_steps = {}", list(a));
        }
        if d.layout == "list" || d.bullets {
            let _ = writeln!(
                o,
                "bullets = [\"・\"]  # TODO: how the initiatives cell lists them"
            );
        }
    }
    for g in &d.groups {
        let _ = writeln!(o, "\n[[group]]\npattern = {}", toml_str(g));
    }
    if let Some(rating) = d.labels.get("rating") {
        let _ = writeln!(o, "\n[[scale]]\nfor = \"{}\"  # TODO: \"progress\" (initiatives) or \"assessment\" (items)", d.rating_scope);
        let _ = writeln!(o, "labels = {}", list(rating));
        let mut entries: Vec<(String, String)> = Vec::new();
        if let Some((prefix, pairs)) = &d.legend {
            // The legend's lead and its first symbol, so that the rating's own label cell
            // (`評価`) is not taken for the legend.
            let pat = format!(
                "^{}\\s*{}\\s*:",
                regex::escape(prefix),
                regex::escape(&pairs[0].0)
            );
            let _ = writeln!(o, "legend = [{}]", toml_str(&pat));
            entries = pairs.clone();
        } else {
            for (s, l) in &d.rating_cells {
                // A word no scale knows printed with a symbol that has a known word is most
                // likely that word damaged (OCR): the reader repairs it by the symbol.
                let damaged = lexicon::rating_level(l).is_none()
                    && d.rating_cells
                        .iter()
                        .any(|(s2, l2)| s2 == s && lexicon::rating_level(l2).is_some());
                if !damaged && !entries.contains(&(s.clone(), l.clone())) {
                    entries.push((s.clone(), l.clone()));
                }
            }
        }
        let _ = writeln!(o, "entries = [");
        for (s, l) in &entries {
            let level = lexicon::rating_level(l);
            let sym = if s.is_empty() {
                String::new()
            } else {
                format!("symbol = {}, ", toml_str(s))
            };
            match level {
                Some(lv) => {
                    let _ = writeln!(
                        o,
                        "  {{ {sym}label = {}, level = \"{}\" }},",
                        toml_str(l),
                        lv.as_str()
                    );
                }
                None => {
                    let _ = writeln!(
                        o,
                        "  {{ {sym}label = {} }},  # TODO: its level",
                        toml_str(l)
                    );
                }
            }
        }
        let _ = writeln!(o, "]");
    }
    let _ = rows;
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_legends() {
        assert_eq!(number_shape("1-①"), "^[0-9]+\\-[①-⑳]$");
        assert_eq!(number_shape("No.12"), "^No\\.[0-9]+$");
        let p = legend_pairs("【評価区分】S:特に良好に進捗 A:良好に進捗");
        assert_eq!(
            p,
            [
                ("S".into(), "特に良好に進捗".into()),
                ("A".into(), "良好に進捗".into())
            ]
        );
        assert_eq!(
            label_entry("令和6年度の取組実績"),
            "^(?P<year>.+年度)の取組実績$"
        );
        assert_eq!(field_of("令和6年度の取組実績"), Some("summary"));
        assert_eq!(field_of("所管課"), Some("departments"));
    }
}
