//! The form layout: label/value rows, one item per block (often one page per item).
//!
//! A label's value is the text after it in its row, up to the next label (a row may hold
//! several pairs: `実施項目 | … | 項目番号 | 1-①`); rows without a label continue the field above,
//! across page breaks (page headers and footers are not body rows). An item starts where one
//! of the profile's start labels repeats or comes after the item's body has begun, so the
//! item's head rows may come in any order. Initiative rows are numbered by a label cell
//! (`取組内容 1`) or a prefix (`取組1 …`); a plan row carries its schedule grid by position, a
//! result row its rating cells. Anything in a block that no label takes is kept as stray text
//! and reported, never dropped silently.

use super::{classify, number, piece, schedule, Field, Piece, RawInitiative, RawItem, RowKind};
use crate::diag::Diag;
use crate::model::Group;
use crate::profile::{LabelMatch, Profile, Scope, Target};
use crate::rows::NRow;

/// Where continuation rows go.
#[derive(Debug, Clone, PartialEq)]
enum Slot {
    None,
    /// An item field (target, label).
    Item(Target, String),
    /// The text of the last plan / result initiative.
    PlanText,
    ResultText,
    /// A sub-field of the current initiative.
    Actions,
    NextSteps,
}

/// A label cell of a row.
struct LabelCell {
    at: usize,
    target: Target,
    m: LabelMatch,
}

/// Labels of the item head: rows holding only these do not start the item's body.
fn is_head(t: Target) -> bool {
    matches!(
        t,
        Target::ItemNumber
            | Target::Title
            | Target::Departments
            | Target::Group
            | Target::Caption
            | Target::Results
    )
}

/// Fields that keep their first value (the head repeats on continuation pages).
fn first_wins(t: Target) -> bool {
    matches!(t, Target::ItemNumber | Target::Title | Target::Departments)
}

/// A damaged label (OCR, a typo: `項目晩号`): the profile's literal label it is one or two
/// edits away from, where exactly one is that close. Only for cells of four characters or
/// more, so short labels (`目標`, `評価`) never match each other.
fn fuzzy_label(key: &str, profile: &Profile) -> Option<(String, Target)> {
    let n = key.chars().count();
    if !(4..=20).contains(&n) {
        return None;
    }
    let max = if n >= 8 { 2 } else { 1 };
    let mut best: Vec<(usize, &str, Target)> = profile
        .literal_labels()
        .filter(|(l, _)| {
            // The distance is at least the difference in length: most labels need no
            // computing.
            let m = l.chars().count();
            m >= 4 && m.abs_diff(n) <= max
        })
        .map(|(l, t)| (super::rating::edit_distance(key, l), l, t))
        .filter(|(d, _, _)| *d <= max)
        .collect();
    best.sort_by_key(|(d, _, _)| *d);
    match best.as_slice() {
        [(_, l, t)] => Some((l.to_string(), *t)),
        [(d0, l, t), (d1, _, _), ..] if d0 < d1 => Some((l.to_string(), *t)),
        _ => None,
    }
}

/// A caption whose bracket pair OCR broke (`(アクション項目の総括〉`, `く〈…〉`, `〈…)`): the
/// text with the pair made whole, where one end is a bracket and the other end a look-alike
/// of its partner. The profile's caption patterns then decide whether it is one.
fn repair_brackets(key: &str) -> Option<String> {
    const PAIRS: &[(char, char)] = &[
        ('〈', '〉'),
        ('《', '》'),
        ('【', '】'),
        ('「', '」'),
        ('『', '』'),
        ('〔', '〕'),
        ('(', ')'),
        ('[', ']'),
    ];
    // Marks OCR gives for an opening or a closing bracket.
    const OPEN_LIKE: &str = "(（<＜く〈《【「『〔[［{";
    const CLOSE_LIKE: &str = ")）>＞〉》】」』〕]］}";
    let c: Vec<char> = key.chars().collect();
    if c.len() < 4 {
        return None;
    }
    let (first, last) = (c[0], c[c.len() - 1]);
    // Parentheses and angle marks are what OCR makes of other brackets, so an end that is a
    // CJK bracket is the one to trust.
    let plain = |ch: char| "()（）<>＜＞く[]［］{}".contains(ch);
    let open_of = |ch: char| PAIRS.iter().find(|p| p.1 == ch).map(|p| p.0);
    let close_of = |ch: char| PAIRS.iter().find(|p| p.0 == ch).map(|p| p.1);
    if let Some(close) = close_of(first).filter(|_| !plain(first)) {
        if last != close && CLOSE_LIKE.contains(last) {
            let mut s: String = c[..c.len() - 1].iter().collect();
            s.push(close);
            return Some(s);
        }
        return None;
    }
    let open = open_of(last)?;
    if first == open {
        return None;
    }
    if c[1] == open && OPEN_LIKE.contains(first) {
        // A stray mark before the right opener.
        return Some(c[1..].iter().collect());
    }
    OPEN_LIKE.contains(first).then(|| {
        std::iter::once(open)
            .chain(c[1..].iter().copied())
            .collect()
    })
}

/// The profile's head label (a literal start label) that a damaged cell of a head row stands
/// for: not already in the row, the same length, at most half its characters different, and
/// the only one that close.
fn sibling_start(key: &str, row: &NRow, profile: &Profile) -> Option<String> {
    let n = key.chars().count();
    if !(3..=12).contains(&n) {
        return None;
    }
    let close: Vec<&str> = profile
        .literal_labels()
        .map(|(l, _)| l)
        .filter(|l| profile.is_start(l) && !row.has_key(l))
        .filter(|l| l.chars().count() == n && super::rating::edit_distance(key, l) * 2 <= n)
        .collect();
    match close.as_slice() {
        [one] => Some(one.to_string()),
        _ => None,
    }
}

/// A scan's label cell with a speck or noise read as a short extra line (`取組内容1⏎反人`): its
/// first line, where that is a label and every other line is at most two characters.
fn first_line_label(
    row: &NRow,
    j: usize,
    profile: &Profile,
) -> Option<(String, (Target, LabelMatch))> {
    let cell = &row.cells[j];
    let mut lines = cell.split('\n').map(crate::normalize::key);
    let first = lines.next()?;
    let rest: Vec<String> = lines.filter(|l| !l.is_empty()).collect();
    if rest.is_empty() || rest.iter().any(|l| l.chars().count() > 2) {
        return None;
    }
    let m = profile.label(&first)?;
    Some((first, m))
}

/// Cells of a row that are labels.
fn label_cells(
    row: &NRow,
    profile: &Profile,
    ocr: bool,
    fixes: &mut Vec<(usize, String)>,
) -> Vec<LabelCell> {
    let mut out = Vec::new();
    // The item's head labels (実施項目 / 項目番号) are printed together: in a row that has one,
    // a damaged cell of the same length is the other one even when badly damaged (half its
    // characters; `論放項目` for 実施項目).
    let head_row = row.keys.iter().any(|k| profile.is_start(k));
    for (j, k) in row.keys.iter().enumerate() {
        if k.is_empty() {
            continue;
        }
        if let Some((target, m)) = profile.label(k) {
            out.push(LabelCell { at: j, target, m });
        } else if let Some((first, (target, m))) =
            ocr.then(|| first_line_label(row, j, profile)).flatten()
        {
            fixes.push((j, first));
            out.push(LabelCell { at: j, target, m });
        } else if let Some((fixed, (target, m))) = repair_brackets(k)
            .and_then(|f| profile.label(&f).map(|t| (f, t)))
            .filter(|(_, (t, _))| matches!(t, Target::Caption | Target::Results))
        {
            fixes.push((j, fixed));
            out.push(LabelCell { at: j, target, m });
        } else if let Some((lit, (target, _))) = (head_row
            && row.cells[j + 1..].iter().any(|c| !c.is_empty()))
        .then(|| sibling_start(k, row, profile))
        .flatten()
        .and_then(|lit| profile.label(&lit).map(|t| (lit, t)))
        {
            fixes.push((j, lit));
            out.push(LabelCell {
                at: j,
                target,
                m: LabelMatch::default(),
            });
        } else if row.cells[j + 1..].iter().any(|c| !c.is_empty())
            || (j == 0 && row.cells.len() > 1 && row.raw[0].bbox.is_some())
        {
            // Only a cell with a value after it can be a damaged label, or a table's first
            // cell with an empty value cell beside it (a label whose value is blank).
            if let Some((lit, target)) = fuzzy_label(k, profile) {
                fixes.push((j, lit));
                out.push(LabelCell {
                    at: j,
                    target,
                    m: LabelMatch::default(),
                });
            }
        }
    }
    out
}

/// A label in the label column that the profile does not name: short, no sentence in it,
/// with a value after it.
fn unknown_label(row: &NRow) -> Option<usize> {
    let j = row.first()?;
    if j != 0 || row.non_empty().count() < 2 {
        return None;
    }
    let c = &row.cells[0];
    let n = c.chars().count();
    let prose =
        c.contains(['。', '、', '【', '】', '※', '\n']) || c.chars().all(|c| c.is_ascii_digit());
    (n <= 16 && !prose).then_some(0)
}

/// Text after a printed column header that the profile says to ignore, where a cell starts
/// with one (`取組状況、今後の取組、数値目標の状況など 2024年度は…`).
fn strip_ignored(text: &str, profile: &Profile) -> String {
    for (m, t) in &profile.labels {
        if *t != Target::Ignore {
            continue;
        }
        if let Some(lit) = m.literal() {
            if let Some(rest) = strip_key_prefix(text, lit) {
                return rest.trim().to_string();
            }
        }
    }
    text.to_string()
}

/// `text` without a prefix that equals `key` once white space is ignored.
pub fn strip_key_prefix<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let mut want = key.chars().peekable();
    for (i, c) in text.char_indices() {
        if want.peek().is_none() {
            return Some(&text[i..]);
        }
        if c.is_whitespace() {
            continue;
        }
        if want.next() != Some(c) {
            return None;
        }
    }
    want.peek().is_none().then_some("")
}

/// The non-empty cells after `from` up to the next label of a field; printed headers
/// (ignored labels) and captions in between are skipped.
fn values(row: &NRow, from: usize, labels: &[LabelCell], profile: &Profile) -> Vec<Piece> {
    let passive = |t: Target| matches!(t, Target::Ignore | Target::Caption | Target::Results);
    let stop = labels
        .iter()
        .filter(|l| !passive(l.target))
        .map(|l| l.at)
        .find(|&a| a > from)
        .unwrap_or(row.cells.len());
    (from + 1..stop)
        .filter(|&j| !row.cells[j].is_empty() && !labels.iter().any(|l| l.at == j))
        .map(|j| piece(row, j, strip_ignored(&row.cells[j], profile)))
        .filter(|p| !p.text.is_empty())
        .collect()
}

struct Reader<'a> {
    profile: &'a Profile,
    items: Vec<RawItem>,
    cur: Option<RawItem>,
    seen_starts: Vec<String>,
    body: bool,
    slot: Slot,
    in_results: bool,
    in_schedule: bool,
    grid_first_year: Option<i32>,
    grid_years: usize,
    groups: Vec<Option<Group>>,
    /// Rows read by OCR from a scan.
    ocr: bool,
}

impl<'a> Reader<'a> {
    fn new_item(&mut self, row: &NRow) {
        if let Some(b) = self.cur.take() {
            self.items.push(b);
        }
        self.cur = Some(RawItem {
            position: row.position(),
            groups: self.groups.iter().flatten().cloned().collect(),
            ..RawItem::default()
        });
        self.seen_starts.clear();
        self.body = false;
        self.slot = Slot::None;
        self.in_results = false;
        self.in_schedule = false;
        self.grid_first_year = None;
        self.grid_years = 0;
    }

    fn group_heading(&mut self, row: &NRow) -> String {
        let Some((lvl, c)) = classify::group_level(row, self.profile) else {
            return String::new();
        };
        let g = heading_group(&c);
        self.groups.truncate(lvl);
        self.groups.resize(lvl, None);
        self.groups.push(Some(g.clone()));
        format!(
            "group level {}: {:?} {:?} {:?}",
            lvl + 1,
            g.label,
            g.number,
            g.title
        )
    }

    /// Append continuation pieces to the current slot; None when there is no slot.
    fn continue_slot(&mut self, pieces: Vec<Piece>) -> &'static str {
        let Some(cur) = self.cur.as_mut() else {
            return "preamble";
        };
        match &self.slot {
            Slot::Item(t, label) => {
                let (t, label) = (*t, label.clone());
                cur.field_mut(t, &label, None).pieces.extend(pieces);
                "continues the field above"
            }
            Slot::PlanText | Slot::ResultText => {
                let list = if self.slot == Slot::PlanText {
                    &mut cur.initiatives
                } else {
                    &mut cur.results
                };
                if let Some(ini) = list.last_mut() {
                    for p in pieces {
                        match &mut ini.text {
                            Some(t) => t.text = crate::normalize::join_wrapped(&t.text, &p.text),
                            None => ini.text = Some(p),
                        }
                    }
                }
                "continues the initiative's text"
            }
            Slot::Actions | Slot::NextSteps => {
                let is_actions = self.slot == Slot::Actions;
                if let Some(ini) = current_initiative(cur) {
                    let f = if is_actions {
                        &mut ini.actions
                    } else {
                        &mut ini.next_steps
                    };
                    if let Some(f) = f {
                        f.pieces.extend(pieces);
                    }
                }
                "continues the initiative's field above"
            }
            Slot::None => {
                cur.stray.extend(pieces);
                "text under no label (reported)"
            }
        }
    }
}

/// The initiative that result sub-fields belong to: the last result row, else the last
/// plan row (families without a separate result table).
fn current_initiative(cur: &mut RawItem) -> Option<&mut RawInitiative> {
    if !cur.results.is_empty() {
        cur.results.last_mut()
    } else {
        cur.initiatives.last_mut()
    }
}

/// A group heading's captures → Group.
pub fn heading_group(c: &regex::Captures) -> Group {
    let get = |n: &str| {
        c.name(n)
            .map(|m| crate::normalize::text(m.as_str()))
            .filter(|s| !s.is_empty())
    };
    Group {
        label: get("label"),
        number: get("number"),
        title: get("title"),
    }
}

pub fn read(
    rows: &[NRow],
    kinds: &[RowKind],
    profile: &Profile,
    notes: &mut [String],
    ocr: bool,
    _diag: &mut Diag,
) -> Vec<RawItem> {
    let mut r = Reader {
        ocr,
        profile,
        items: Vec::new(),
        cur: None,
        seen_starts: Vec::new(),
        body: false,
        slot: Slot::None,
        in_results: false,
        in_schedule: false,
        grid_first_year: None,
        grid_years: 0,
        groups: Vec::new(),
    };
    let mut joined_into: Vec<bool> = vec![false; rows.len()];
    for (i, row) in rows.iter().enumerate() {
        if joined_into[i] {
            continue;
        }
        match kinds[i] {
            RowKind::Body => {}
            RowKind::Group => {
                notes[i] = r.group_heading(row);
                continue;
            }
            _ => continue,
        }
        match cut_label(rows, kinds, i, profile) {
            Some((j, merged)) => {
                joined_into[j] = true;
                notes[j] = "the rest of the row before the page break".into();
                notes[i] = format!(
                    "a row cut by a page break, joined with the next page's first row; {}",
                    read_row(&mut r, &merged)
                );
            }
            None => notes[i] = read_row(&mut r, row),
        }
    }
    if let Some(b) = r.cur.take() {
        r.items.push(b);
    }
    r.items
}

/// A row whose label was cut by a page break (`2024年度の` at the bottom of a page, `実施内容`
/// at the top of the next, after the page's header lines), where the front end could not join
/// the two parts (no rules to show the cut): the next body row, and the two joined cell by
/// cell. Only where the first part is a short cell that is no label and the two together are
/// one.
fn cut_label(
    rows: &[NRow],
    kinds: &[RowKind],
    i: usize,
    profile: &Profile,
) -> Option<(usize, NRow)> {
    let a = &rows[i];
    let j0 = a.first()?;
    if profile.label(&a.keys[j0]).is_some() || a.keys[j0].chars().count() > 12 {
        return None;
    }
    let m = (i + 1..rows.len()).find(|&m| kinds[m] == RowKind::Body)?;
    let b = &rows[m];
    if b.page == a.page || b.first() != Some(j0) {
        return None;
    }
    profile.label(&format!("{}{}", a.keys[j0], b.keys[j0]))?;
    let n = a.cells.len().max(b.cells.len());
    let get = |r: &NRow, c: usize| r.raw.get(c).cloned().unwrap_or_default();
    let mut raw = Vec::with_capacity(n);
    for c in 0..n {
        let (x, y) = (get(a, c), get(b, c));
        let mut cell = x.clone();
        cell.text = crate::normalize::join_wrapped(&x.text, &y.text);
        cell.lines.extend(y.lines);
        cell.doubts.extend(y.doubts);
        cell.fixes.extend(y.fixes);
        if cell.bbox.is_none() {
            cell.bbox = y.bbox;
        }
        raw.push(cell);
    }
    let mut merged = NRow::from_row(&crate::rows::Row {
        page: a.page,
        page_end: b.page,
        line: a.line,
        cells: raw,
    });
    merged.page_end = b.page;
    Some((m, merged))
}

/// An initiative label whose number OCR lost (`取組内容` for `取組内容1`) is the next
/// initiative's: where the row's first cell, with the number that comes next in the plan or
/// result table appended, is the profile's initiative label, it is read so (listed as a label
/// repair), rather than as another label it happens to be close to.
fn numberless_initiative(
    r: &Reader,
    row: &NRow,
    labels: &mut Vec<LabelCell>,
    fixes: &mut Vec<(usize, String)>,
) {
    let (Some(cur), Some(j)) = (r.cur.as_ref(), row.first()) else {
        return;
    };
    let exact = labels.iter().any(|l| l.at == j) && !fixes.iter().any(|(f, _)| *f == j);
    if exact || !row.cells[j + 1..].iter().any(|c| !c.is_empty()) {
        return;
    }
    let next = if r.in_results {
        cur.results.len()
    } else {
        cur.initiatives.len()
    } + 1;
    let want = format!("{}{next}", row.keys[j]);
    let Some((Target::InitiativeLabel, m)) = r.profile.label(&want) else {
        return;
    };
    if m.no.as_deref() != Some(next.to_string().as_str()) {
        return;
    }
    labels.retain(|l| l.at != j);
    fixes.retain(|(f, _)| *f != j);
    labels.insert(
        0,
        LabelCell {
            at: j,
            target: Target::InitiativeLabel,
            m,
        },
    );
    fixes.push((j, want));
}

fn read_row(r: &mut Reader, row: &NRow) -> String {
    let profile = r.profile;
    let mut fixes = Vec::new();
    let mut labels = label_cells(row, profile, r.ocr, &mut fixes);
    numberless_initiative(r, row, &mut labels, &mut fixes);

    // Does this row start an item?
    let starts: Vec<&str> = labels
        .iter()
        .filter(|l| {
            profile.is_start(&row.keys[l.at])
                || (fixes
                    .iter()
                    .any(|(j, lit)| *j == l.at && profile.is_start(lit)))
        })
        .map(|l| {
            fixes
                .iter()
                .find(|(j, _)| *j == l.at)
                .map_or(row.keys[l.at].as_str(), |(_, lit)| lit.as_str())
        })
        .collect();
    let mut note = String::new();
    if !starts.is_empty() {
        let repeat = starts.iter().any(|k| r.seen_starts.iter().any(|s| s == k));
        if r.cur.is_none() || r.body || repeat {
            r.new_item(row);
            note.push_str("new item; ");
        }
        r.seen_starts.extend(starts.iter().map(|s| s.to_string()));
    }
    let Some(_) = r.cur.as_ref() else {
        return "before the first item (not read)".into();
    };
    {
        let cur = r.cur.as_mut().expect("checked above");
        cur.touch_page(row.page);
        cur.touch_page(row.page_end);
        for (j, lit) in &fixes {
            cur.label_fixes.push((row.cells[*j].clone(), lit.clone()));
        }
    }
    let head_only = !labels.is_empty() && labels.iter().all(|l| is_head(l.target));
    if !head_only {
        r.body = true;
    }

    // Section captions.
    for l in &labels {
        if matches!(l.target, Target::Caption | Target::Results) {
            if l.target == Target::Results {
                r.in_results = true;
            }
            r.in_schedule = false;
            r.slot = Slot::None;
        }
    }
    let first = labels
        .iter()
        .find(|l| !matches!(l.target, Target::Caption | Target::Results));
    let first_cell = row.first();

    // An initiative row numbered by its label cell.
    if let Some(l) =
        first.filter(|l| l.target == Target::InitiativeLabel && Some(l.at) == first_cell)
    {
        return note + &initiative_row(r, row, l, &labels);
    }

    // Label/value pairs.
    let mut described = Vec::new();
    for l in &labels {
        match l.target {
            Target::Caption | Target::Results | Target::Ignore | Target::KpiIndicator => {}
            Target::InitiativeLabel => {}
            Target::Schedule => {
                r.in_schedule = true;
                r.slot = Slot::None;
                let rest: Vec<String> = row.cells[l.at + 1..].to_vec();
                if let Some((y, n)) = schedule::header_row(&rest, &profile.schedule) {
                    r.grid_first_year = Some(y);
                    r.grid_years = n;
                }
                described.push(format!("schedule grid {:?}", r.grid_first_year));
            }
            Target::Actions | Target::InitiativeNextSteps => {
                let vals = values(row, l.at, &labels, profile);
                let cur = r.cur.as_mut().expect("an item");
                let label = row.cells[l.at].clone();
                let Some(ini) = current_initiative(cur) else {
                    cur.stray.extend(vals);
                    described.push(format!("{} with no initiative before it (reported)", label));
                    continue;
                };
                let f = Field {
                    target: l.target,
                    label,
                    year: l.m.year.clone(),
                    pieces: vals,
                };
                if l.target == Target::Actions {
                    ini.actions = Some(f);
                    r.slot = Slot::Actions;
                } else {
                    ini.next_steps = Some(f);
                    r.slot = Slot::NextSteps;
                }
                described.push(format!("→ initiative {}", l.target.name()));
            }
            Target::Rating(Scope::Progress) => {
                // A progress rating outside an initiative row: the last initiative's.
                let cells: Vec<String> = values(row, l.at, &labels, profile)
                    .into_iter()
                    .map(|p| p.text)
                    .collect();
                let cur = r.cur.as_mut().expect("an item");
                if let Some(ini) = current_initiative(cur) {
                    ini.rating = Some(cells);
                }
                described.push("→ progress of the initiative above".into());
            }
            t => {
                let vals = values(row, l.at, &labels, profile);
                let label = fixes
                    .iter()
                    .find(|(j, _)| *j == l.at)
                    .map_or(row.cells[l.at].clone(), |(_, lit)| lit.clone());
                let cur = r.cur.as_mut().expect("an item");
                let multi = matches!(t, Target::Group | Target::Extra | Target::Effects);
                let f = if multi {
                    cur.fields.push(Field {
                        target: t,
                        label: label.clone(),
                        year: l.m.year.clone(),
                        pieces: Vec::new(),
                    });
                    cur.fields.last_mut().expect("pushed")
                } else {
                    cur.field_mut(t, &label, l.m.year.clone())
                };
                if !first_wins(t) || f.pieces.is_empty() {
                    f.pieces.extend(vals);
                }
                // Text fields take continuation rows; the head's fields do not (the next row
                // of a head is another head row or the body).
                r.slot = if (t.is_text() || multi) && !first_wins(t) {
                    Slot::Item(t, label.clone())
                } else {
                    Slot::None
                };
                described.push(format!("{} → {}", label, t.name()));
            }
        }
    }
    if first.is_some() {
        if first.is_some_and(|l| matches!(l.target, Target::Ignore | Target::KpiIndicator))
            && described.is_empty()
        {
            // A printed header, repeated at the top of a page too: the field above goes on.
            return note + "printed header (not a value)";
        }
        if described.is_empty() {
            return note + "caption";
        }
        return note + &described.join("; ");
    }
    if labels
        .iter()
        .any(|l| matches!(l.target, Target::Caption | Target::Results))
    {
        return note + "caption";
    }

    // No label: an initiative numbered by a prefix, a grid header, an unknown label, or a
    // continuation.
    if let Some(j) = first_cell {
        if let Some((no, len)) = profile.initiative_prefix(&row.keys[j]) {
            let has_grid = row.cells.len() > j + 1;
            if r.in_schedule || has_grid {
                let text = super::form::strip_key_prefix(&row.cells[j], &row.keys[j][..len])
                    .unwrap_or(&row.cells[j])
                    .trim()
                    .to_string();
                let ini = RawInitiative {
                    no: Some(no.clone()),
                    text: Some(piece(row, j, text)),
                    grid: row.cells[j + 1..].to_vec(),
                    has_grid,
                    grid_first_year: r.grid_first_year,
                    grid_years: r.grid_years,
                    ..RawInitiative::default()
                };
                r.cur.as_mut().expect("an item").initiatives.push(ini);
                r.slot = Slot::PlanText;
                return note + &format!("initiative {no} (prefix) with its grid");
            }
        }
    }
    if let Some((y, n)) = schedule::is_header_row(row, &profile.schedule) {
        r.grid_first_year = Some(y);
        r.grid_years = n;
        r.slot = Slot::None;
        return note + &format!("schedule header, first year {y}");
    }
    if let Some(j) = unknown_label(row) {
        if profile.unknown_labels_are_extra {
            let label = row.cells[j].clone();
            let vals = values(row, j, &[], profile);
            let cur = r.cur.as_mut().expect("an item");
            cur.fields.push(Field {
                target: Target::Extra,
                label: label.clone(),
                year: None,
                pieces: vals,
            });
            r.slot = Slot::Item(Target::Extra, label.clone());
            return note + &format!("unknown label {label} → extra");
        }
    }
    let pieces: Vec<Piece> = row
        .non_empty()
        .map(|(j, c)| piece(row, j, strip_ignored(c, profile)))
        .filter(|p| !p.text.is_empty())
        .collect();
    // In a scan, text in the label column beside a value is no continuation of a field
    // above (a continuation row's label cell is empty or merged): it is what OCR made of
    // something else (a caption cut by a misread rule, noise). Kept as stray text, warned.
    if r.ocr
        && matches!(r.slot, Slot::Item(..))
        && row.first() == Some(0)
        && row.cells.len() > 1
        && row.non_empty().count() > 1
    {
        if let Some(cur) = r.cur.as_mut() {
            cur.stray.extend(pieces);
            return note + "label-column text under no label (stray)";
        }
    }
    note + r.continue_slot(pieces)
}

/// A row that starts with an initiative label: its text, then its grid (plan) or rating
/// (result).
fn initiative_row(r: &mut Reader, row: &NRow, l: &LabelCell, labels: &[LabelCell]) -> String {
    let text_at = (l.at + 1..row.cells.len())
        .find(|&j| !row.cells[j].is_empty())
        .filter(|j| !labels.iter().any(|x| x.at == *j));
    let text = text_at.map(|j| piece(row, j, row.cells[j].clone()));
    let rating_at = labels
        .iter()
        .find(|x| x.target == Target::Rating(Scope::Progress))
        .map(|x| x.at);
    let no = l.m.no.clone().or_else(|| {
        // `取組内容 1` matched without a number group: the digits of the label.
        let d: String = row.keys[l.at]
            .chars()
            .filter(|c| c.is_ascii_digit())
            .collect();
        (!d.is_empty()).then_some(d)
    });
    let cur = r.cur.as_mut().expect("an item");
    if rating_at.is_some() || r.in_results {
        r.in_results = true;
        let rating = rating_at.map(|p| {
            row.cells[p + 1..]
                .iter()
                .filter(|c| !c.is_empty())
                .cloned()
                .collect()
        });
        cur.results.push(RawInitiative {
            no: no.clone(),
            text,
            rating,
            ..RawInitiative::default()
        });
        r.slot = Slot::ResultText;
        format!("result of initiative {}", no.unwrap_or_default())
    } else {
        let grid_from = text_at.map_or(l.at + 2, |j| j + 1);
        let grid = row.cells.get(grid_from..).unwrap_or(&[]).to_vec();
        cur.initiatives.push(RawInitiative {
            no: no.clone(),
            text,
            has_grid: true,
            grid,
            grid_first_year: r.grid_first_year,
            grid_years: r.grid_years,
            ..RawInitiative::default()
        });
        r.slot = Slot::PlanText;
        format!("initiative {} with its grid", no.unwrap_or_default())
    }
}

/// A label-type group's value (`1 人材の育成と活用`) → Group.
pub fn field_group(label: &str, spaced: &str) -> Group {
    let (number, title) = number::group_value(spaced);
    Group {
        label: Some(label.to_string()).filter(|l| !l.is_empty()),
        number,
        title,
    }
}

#[cfg(test)]
mod tests {
    use super::repair_brackets;

    #[test]
    fn broken_bracket_pairs() {
        let r = |s: &str| repair_brackets(s);
        assert_eq!(
            r("(アクション項目の総括〉").as_deref(),
            Some("〈アクション項目の総括〉")
        );
        assert_eq!(
            r("く〈アクション項目の総括〉").as_deref(),
            Some("〈アクション項目の総括〉")
        );
        assert_eq!(
            r("〈取組内容別の実績報告)").as_deref(),
            Some("〈取組内容別の実績報告〉")
        );
        assert_eq!(r("〈アクション項目の総括〉"), None);
        assert_eq!(r("(1)人材の育成"), None);
        assert_eq!(r("定員の適正化"), None);
    }
}
