//! RawItem → Item: the values of the collected fields, shared by every layout. Numbers and
//! keys, list fields, texts (rule 5: `-` is nothing), numeric targets and results, initiatives
//! (from plan and result rows, or from a bulleted cell), schedules, ratings, effects, extra
//! fields and groups; and a warning for every field the family has that an item lacks, or
//! whose label is there without text.

use super::{number, rating::Ratings, results, schedule, Field, Piece, RawInitiative, RawItem};
use crate::diag::{Diag, WarningCode};
use crate::model::{Extra, Group, Initiative, Item, Kpi, Rating};
use crate::normalize;
use crate::profile::{lexicon, Profile, Scope, Target};

/// What building an item needs besides the item.
pub struct Context<'a> {
    pub profile: &'a Profile,
    pub ratings: &'a Ratings,
    pub plan_start: Option<i32>,
    pub plan_end: Option<i32>,
    pub fiscal_year: Option<i32>,
    /// The rows were read by OCR (numbers may be misread: checked for plausibility).
    pub ocr: bool,
}

/// Join pieces and normalize the whole again (rule 2 across the join).
fn join(pieces: &[Piece], sep: &str) -> String {
    let parts: Vec<&str> = pieces.iter().map(|p| p.text.as_str()).collect();
    normalize::text(&parts.join(sep))
}

/// Rule 5: a text that is only `-` means nothing.
fn text_value(t: String) -> Option<String> {
    (!t.is_empty() && !normalize::is_nothing(&t)).then_some(t)
}

/// The separator between a field's pieces: paragraphs for narratives, a space for short
/// fields (rule 2 removes it between CJK characters).
fn separator(t: Target) -> &'static str {
    match t {
        Target::Summary
        | Target::NextSteps
        | Target::Extra
        | Target::Actions
        | Target::InitiativeNextSteps
        | Target::Kpi
        | Target::Initiatives => "\n",
        _ => " ",
    }
}

/// The lines of a piece's cell: its visual lines (PDF, scan), else its paragraphs.
fn segments(p: &Piece) -> Vec<String> {
    if !p.cell.lines.is_empty() {
        p.cell
            .lines
            .iter()
            .map(|l| normalize::text(l))
            .filter(|l| !l.is_empty())
            .collect()
    } else {
        p.text
            .split('\n')
            .map(str::to_string)
            .filter(|l| !l.is_empty())
            .collect()
    }
}

/// A list field (departments) split on white space, line breaks and 、，, (clarification 2).
/// A line of a stacked list that does not end like a name of the list (`課`, `室` …) was
/// wrapped and continues on the next line.
fn list_values(pieces: &[Piece]) -> Vec<String> {
    let mut out = Vec::new();
    for p in pieces {
        // Before rule 2: the white space between names must survive.
        let lines: Vec<String> = if p.cell.lines.is_empty() {
            normalize::chars(&normalize::strip_markup(&p.cell.text))
                .split('\n')
                .map(str::to_string)
                .collect()
        } else {
            p.cell.lines.iter().map(|l| normalize::chars(l)).collect()
        };
        let mut merged: Vec<String> = Vec::new();
        let mut open = false;
        for l in lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
            match merged.last_mut() {
                Some(last) if open => last.push_str(l),
                _ => merged.push(l.to_string()),
            }
            open = !lexicon::DEPARTMENT_SUFFIXES
                .iter()
                .any(|s| l.ends_with(s) || l.ends_with(['、', ',', '，']));
        }
        for line in merged {
            for name in line.split(|c: char| c.is_whitespace() || matches!(c, '、' | '，' | ','))
            {
                let n = normalize::spaces(name);
                if !n.is_empty() && !normalize::is_nothing(&n) {
                    out.push(n);
                }
            }
        }
    }
    out
}

/// Where a bullet starts a segment: its length in bytes. `①` stands for any circled number,
/// `(1)` for any parenthesized number.
fn bullet_len(seg: &str, bullets: &[String]) -> Option<usize> {
    for b in bullets {
        match b.as_str() {
            "①" => {
                let c = seg.chars().next()?;
                if ('\u{2460}'..='\u{2473}').contains(&c) {
                    return Some(c.len_utf8());
                }
            }
            "(1)" => {
                let rest = seg.strip_prefix('(')?;
                let n = rest.bytes().take_while(u8::is_ascii_digit).count();
                if n > 0 && rest[n..].starts_with(')') {
                    return Some(n + 2);
                }
            }
            b => {
                if seg.starts_with(b) {
                    return Some(b.len());
                }
            }
        }
    }
    None
}

/// A bulleted cell → initiative texts (contract v2, clarification 4). In PDF and scan input a
/// bullet starts an initiative only at the start of its cell or of a line after one that
/// ends in `。` (a wrapped line can begin with a middle dot); in a text dump, at the start of
/// a paragraph. A cell without bullets is one initiative.
fn bullet_items(pieces: &[Piece], bullets: &[String]) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    for p in pieces {
        let visual = !p.cell.lines.is_empty();
        let segs = segments(p);
        let mut prev_end: Option<char> = None;
        let mut first = true;
        for seg in segs {
            let starts =
                bullet_len(&seg, bullets).filter(|_| first || !visual || prev_end == Some('。'));
            prev_end = seg.chars().last();
            match starts {
                Some(n) => items.push(seg[n..].trim().to_string()),
                None => match items.last_mut() {
                    Some(last) if !first || visual => {
                        *last = normalize::join_wrapped(last, &seg);
                    }
                    _ => items.push(seg.trim().to_string()),
                },
            }
            first = false;
        }
    }
    items
        .into_iter()
        .map(|t| normalize::text(&t))
        .filter(|t| !t.is_empty())
        .collect()
}

/// `1`, `①`, `2` → N.
fn initiative_no(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let mut it = s.chars();
    match (it.next(), it.next()) {
        (Some(c @ '\u{2460}'..='\u{2473}'), None) => Some(c as u32 - 0x2460 + 1),
        _ => None,
    }
}

/// A field's name as the family prints it (its first label), for messages.
fn label_name(profile: &Profile, t: Target) -> String {
    profile.labels.iter().find(|(_, x)| *x == t).map_or_else(
        || t.name().to_string(),
        |(m, _)| m.source.trim_start_matches('^').to_string(),
    )
}

fn maps(profile: &Profile, t: Target) -> bool {
    profile.labels.iter().any(|(_, x)| *x == t)
}

/// An item that cannot be read: say where it is and what it holds, never drop it silently.
fn unreadable(raw: &RawItem, why: &str, diag: &mut Diag) {
    let sample = raw
        .fields
        .iter()
        .flat_map(|f| f.pieces.iter())
        .map(|p| p.text.as_str())
        .find(|t| !t.is_empty())
        .unwrap_or("");
    let sample: String = sample.chars().take(40).collect();
    diag.warn(
        WarningCode::ItemUnreadable,
        None,
        None,
        format!(
            "a block{} that looks like an item was not read: {why}; it begins 「{sample}」",
            raw.position
        ),
    );
}

pub fn item(raw: &RawItem, ctx: &Context, diag: &mut Diag) -> Option<Item> {
    let profile = ctx.profile;
    let number_field = raw.field(Target::ItemNumber);
    let Some(np) = number_field.and_then(|f| f.pieces.first()) else {
        unreadable(
            raw,
            &format!("it has no {}", label_name(profile, Target::ItemNumber)),
            diag,
        );
        return None;
    };
    let fits =
        |k: &str| profile.number.is_empty() || profile.number.iter().any(|re| re.is_match(k));
    let mut number = np.text.clone();
    let mut key = normalize::key(&number);
    let mut unexpected = false;
    let mut repaired: Option<(String, String)> = None;
    if !fits(&key) {
        match number::repairs(&key).into_iter().find(|k| fits(k)) {
            Some(fixed) => {
                repaired = Some((number.clone(), fixed.clone()));
                number = fixed.clone();
                key = fixed;
            }
            None => unexpected = true,
        }
    }
    let group_number = if profile.restart_per_group {
        raw.groups.last().and_then(|g| g.number.clone())
    } else {
        None
    };
    let Some(num) = number::parse(&key, group_number.as_deref()) else {
        unreadable(
            raw,
            &format!("its number 「{number}」 cannot be read"),
            diag,
        );
        return None;
    };
    diag.item = Some(number.clone());
    if let Some((from, to)) = repaired {
        diag.correct("item_number", &from, &to, "item_number_vocabulary");
    }
    if unexpected {
        diag.warn_item(
            WarningCode::UnexpectedItemNumber,
            Some("item_number"),
            format!("「{number}」 is not an item number of this family's form; kept as printed"),
        );
    }
    for (from, to) in &raw.label_fixes {
        diag.correct("label", from, to, "label_vocabulary");
    }

    // Texts.
    let text = |t: Target| -> Option<String> {
        raw.field(t)
            .and_then(|f| text_value(join(&f.pieces, separator(t))))
    };
    let mut current_issues = text(Target::CurrentIssues);
    let mut target_state = text(Target::TargetState);
    let mut summary = text(Target::Summary);
    let mut next_steps = text(Target::NextSteps);
    let mut kpi_target: Option<Kpi> = None;
    let mut kpi_actual: Option<Kpi> = None;
    if let Some(t) = profile.kpi.target_in {
        let field = match t {
            Target::CurrentIssues => &mut current_issues,
            Target::Summary => &mut summary,
            Target::NextSteps => &mut next_steps,
            _ => &mut target_state,
        };
        if let Some(s) = field.take() {
            let (rest, kpi) = results::split_target(&s, "kpi_target", diag);
            *field = rest;
            kpi_target = kpi;
        }
    }
    if let Some(t) = profile.kpi.actual_in {
        let field = match t {
            Target::CurrentIssues => &mut current_issues,
            Target::TargetState => &mut target_state,
            Target::NextSteps => &mut next_steps,
            _ => &mut summary,
        };
        if let Some(s) = field.take() {
            let (rest, kpi) = results::split_result(&s, "kpi_actual", diag);
            *field = rest;
            kpi_actual = kpi;
        }
    }
    if let Some(f) = raw.field(Target::Kpi) {
        let (t, a, rest) = kpi_lines(f, profile);
        if let Some(t) = t {
            kpi_target = results::labelled_kpi(&t, "kpi_target", diag);
        }
        if let Some(a) = a {
            kpi_actual = results::labelled_kpi(&a, "kpi_actual", diag);
        }
        if !rest.is_empty() {
            diag.warn_item(
                WarningCode::FieldUnread,
                Some("kpi_target"),
                format!(
                    "text in {} that is neither the target nor the result: 「{rest}」",
                    f.label
                ),
            );
        }
    }

    let mut item = Item::new(number, num.key);
    item.pillar = num.pillar;
    item.seq = num.seq;
    item.title = text(Target::Title);
    item.departments = raw
        .field(Target::Departments)
        .map(|f| list_values(&f.pieces))
        .unwrap_or_default();
    item.current_issues = current_issues;
    item.target_state = target_state;
    if ctx.ocr {
        for (field, k) in [("kpi_target", &kpi_target), ("kpi_actual", &kpi_actual)] {
            if let Some(why) = k.as_ref().and_then(implausible_ocr_number) {
                diag.warn_item(WarningCode::OcrLowConfidence, Some(field), why);
            }
        }
    }
    item.kpi_target = kpi_target;
    item.kpi_actual = kpi_actual;
    item.summary = summary;
    item.next_steps = next_steps;
    item.initiatives = initiatives(raw, ctx, diag);
    item.assessment = raw.field(Target::Rating(Scope::Assessment)).and_then(|f| {
        let cells: Vec<String> = f.pieces.iter().map(|p| p.text.clone()).collect();
        ctx.ratings
            .read(Scope::Assessment, &cells, "assessment", diag)
    });
    item.groups = groups(raw);
    item.effects = effects(raw, profile, diag);
    item.extra = raw
        .fields
        .iter()
        .filter(|f| f.target == Target::Extra)
        .filter_map(|f| {
            let text = text_value(join(&f.pieces, "\n"))?;
            Some(Extra {
                label: normalize::text(&f.label),
                text,
            })
        })
        .collect();
    if ctx.ocr {
        // In a scan, a label the profile does not know is as likely noise read as text as a
        // field of the report: kept, and said.
        for (i, e) in item.extra.iter().enumerate() {
            diag.warn_item(
                WarningCode::OcrLowConfidence,
                Some(&format!("extra[{i}]")),
                format!(
                    "「{}」 is no label of this family's profile; kept as an extra field (it may be OCR noise)",
                    e.label
                ),
            );
        }
    }
    item.pages = raw.pages;
    year_labels(raw, ctx, diag);
    missing(&item, raw, profile, diag);
    doubts(raw, diag);
    Some(item)
}

/// Split a `kpi` field into the target's and the result's text by their line prefixes
/// (`目標：…`, `実績：…`); a line without a prefix continues the one above. Returns the text
/// before any prefix too (reported by the caller).
fn kpi_lines(f: &Field, profile: &Profile) -> (Option<String>, Option<String>, String) {
    #[derive(PartialEq)]
    enum Part {
        None,
        Target,
        Actual,
    }
    let mut part = Part::None;
    let (mut t, mut a, mut rest) = (None::<String>, None::<String>, String::new());
    for p in &f.pieces {
        for seg in segments(p) {
            let strip = |res: &[crate::profile::Pattern]| {
                res.iter().find_map(|re| {
                    re.find(&seg)
                        .filter(|m| m.start() == 0)
                        .map(|m| seg[m.end()..].trim().to_string())
                })
            };
            if let Some(s) = strip(&profile.kpi.target_prefix) {
                part = Part::Target;
                t = Some(s);
                continue;
            }
            if let Some(s) = strip(&profile.kpi.actual_prefix) {
                part = Part::Actual;
                a = Some(s);
                continue;
            }
            let add = |x: &mut Option<String>| {
                let joined = match x.take() {
                    Some(prev) => normalize::join_wrapped(&prev, &seg),
                    None => seg.clone(),
                };
                *x = Some(joined);
            };
            match part {
                Part::Target => add(&mut t),
                Part::Actual => add(&mut a),
                Part::None => {
                    if !rest.is_empty() {
                        rest.push(' ');
                    }
                    rest.push_str(&seg);
                }
            }
        }
    }
    (t, a, rest)
}

/// Groups: the headings above the item (list layout), then its group fields (form layout).
fn groups(raw: &RawItem) -> Vec<Group> {
    let mut out = raw.groups.clone();
    for f in raw.fields.iter().filter(|f| f.target == Target::Group) {
        let spaced: Vec<String> = f
            .pieces
            .iter()
            .map(|p| normalize::spaced(&p.cell.text))
            .collect();
        let value = spaced.join(" ");
        if value.is_empty() || normalize::is_nothing(&value) {
            continue;
        }
        out.push(super::form::field_group(&normalize::text(&f.label), &value));
    }
    out
}

fn effects(raw: &RawItem, profile: &Profile, diag: &mut Diag) -> Vec<Kpi> {
    let mut out = Vec::new();
    for f in raw.fields.iter().filter(|f| f.target == Target::Effects) {
        let label = normalize::text(&f.label);
        for p in &f.pieces {
            for seg in segments(p) {
                let field = format!("effects[{}]", out.len());
                if let Some(k) = results::effect(&label, &seg, &profile.effects_minus, &field, diag)
                {
                    out.push(k);
                }
            }
        }
    }
    out
}

/// Labels that carry a year (`令和6年度の実績`) must carry the report's.
fn year_labels(raw: &RawItem, ctx: &Context, diag: &mut Diag) {
    let Some(fy) = ctx.fiscal_year else { return };
    for f in &raw.fields {
        if let Some(y) = f.year.as_deref().and_then(parse_year) {
            if y != fy {
                diag.warn_item(
                    WarningCode::FiscalYearMismatch,
                    Some(f.target.name()),
                    format!(
                        "the label 「{}」 is for {y}年度 but the report is for {fy}年度",
                        f.label
                    ),
                );
            }
        }
    }
}

fn parse_year(s: &str) -> Option<i32> {
    let k = normalize::key(s);
    let k = k.strip_suffix("年度").unwrap_or(&k);
    crate::era::year_prefix(k)
        .filter(|(_, n)| *n == k.len())
        .map(|(y, _)| y)
}

/// Warnings for fields the family has (the profile maps them) that the item lacks
/// (`missing_field`) or whose label is there without text (`field_unread`).
fn missing(item: &Item, raw: &RawItem, profile: &Profile, diag: &mut Diag) {
    let checks: [(Target, &str, bool); 8] = [
        (Target::Title, "title", item.title.is_some()),
        (
            Target::Departments,
            "departments",
            !item.departments.is_empty(),
        ),
        (
            Target::CurrentIssues,
            "current_issues",
            item.current_issues.is_some(),
        ),
        (
            Target::TargetState,
            "target_state",
            item.target_state.is_some(),
        ),
        (Target::Summary, "summary", item.summary.is_some()),
        (Target::NextSteps, "next_steps", item.next_steps.is_some()),
        (
            Target::Rating(Scope::Assessment),
            "assessment",
            item.assessment.is_some(),
        ),
        (
            Target::Kpi,
            "kpi_target",
            item.kpi_target.is_some() || item.kpi_actual.is_some(),
        ),
    ];
    for (t, field, present) in checks {
        if present || !maps(profile, t) {
            continue;
        }
        match raw.field(t) {
            None => diag.warn_item(
                WarningCode::MissingField,
                Some(field),
                format!("{} not found", label_name(profile, t)),
            ),
            Some(f) if f.pieces.iter().all(|p| p.text.is_empty()) => diag.warn_item(
                WarningCode::FieldUnread,
                Some(field),
                format!("{} is there but no text was read from it", f.label),
            ),
            // Printed as nothing (`-`): null by rule 5.
            Some(_) => {}
        }
    }
    if let Some(t) = profile.kpi.target_in {
        if item.kpi_target.is_none() && raw.field(t).is_some() {
            diag.warn_item(
                WarningCode::MissingField,
                Some("kpi_target"),
                format!(
                    "the 【…】 numeric target in {} not found",
                    label_name(profile, t)
                ),
            );
        }
    }
    if let Some(t) = profile.kpi.actual_in {
        if item.kpi_actual.is_none() && raw.field(t).is_some() {
            diag.warn_item(
                WarningCode::MissingField,
                Some("kpi_actual"),
                format!("the 【…】 result in {} not found", label_name(profile, t)),
            );
        }
    }
    let has_initiative_source = maps(profile, Target::InitiativeLabel)
        || maps(profile, Target::Initiatives)
        || !profile.initiative_prefix.is_empty();
    if item.initiatives.is_empty() && has_initiative_source {
        diag.warn_item(
            WarningCode::MissingField,
            Some("initiatives"),
            "no initiatives found".into(),
        );
    }
    if !raw.stray.is_empty() {
        let text: Vec<&str> = raw.stray.iter().map(|p| p.text.as_str()).collect();
        let text: String = text.join(" ").chars().take(60).collect();
        diag.warn_item(
            WarningCode::FieldUnread,
            None,
            format!("text under no label was not taken into any field: 「{text}」"),
        );
    }
}

/// A KPI number OCR has likely misread, by what the KPI says of itself: a rate (率, 割合)
/// without a `%` or over 100%, a doubled `%`, or a number glued to `96` where `%` belongs
/// (`3096`: OCR's reading of `30%`). Only flagged: the value is kept as read.
fn implausible_ocr_number(k: &Kpi) -> Option<String> {
    let rate = k
        .indicator
        .as_deref()
        .is_some_and(|i| i.contains('率') || i.contains("割合"));
    let opens = k.raw.matches(['(', '（']).count();
    let closes = k.raw.matches([')', '）']).count();
    if opens != closes || k.raw.contains("...") || k.raw.contains('…') {
        return Some(format!(
            "「{}」: unbalanced parentheses or an ellipsis, which KPIs do not print; a mark may be misread by OCR",
            k.raw
        ));
    }
    let v = k.value?;
    let pct = k.unit.as_deref() == Some("%");
    let why = if k.raw.contains("%%") {
        "a doubled %"
    } else if rate && !pct && k.unit.is_none() {
        "a rate without %"
    } else if rate && pct && v > 100.0 {
        "a rate over 100%"
    } else {
        return None;
    };
    Some(format!(
        "「{}」: {why}; the number may be misread by OCR (a % read as 9, 96 or %%)",
        k.raw
    ))
}

/// OCR doubts of every piece an item took: `ocr_low_confidence` naming the field, page and box.
fn doubts(raw: &RawItem, diag: &mut Diag) {
    let report = |field: &str, p: &Piece, diag: &mut Diag| {
        for d in &p.cell.doubts {
            diag.warn_item(
                WarningCode::OcrLowConfidence,
                Some(field),
                format!(
                    "「{}」 recognized with confidence {:.0} on page {} at ({:.0}, {:.0})–({:.0}, {:.0}) pt",
                    d.text,
                    d.confidence,
                    p.page.map_or_else(|| "?".to_string(), |n| n.to_string()),
                    d.bbox.x0,
                    d.bbox.y0,
                    d.bbox.x1,
                    d.bbox.y1
                ),
            );
        }
    };
    for f in &raw.fields {
        for p in &f.pieces {
            report(f.target.name(), p, diag);
        }
    }
    // Plan and result rows of one initiative are one entry of `initiatives`: named by the
    // initiative's number (its place in the list), with the contract's field names.
    for (n, ini) in numbered(&raw.initiatives)
        .into_iter()
        .chain(numbered(&raw.results))
    {
        let i = n.saturating_sub(1);
        if let Some(p) = &ini.text {
            report(&format!("initiatives[{i}].text"), p, diag);
        }
        for (name, f) in [("actions", &ini.actions), ("next_steps", &ini.next_steps)] {
            for p in f.iter().flat_map(|f| &f.pieces) {
                report(&format!("initiatives[{i}].{name}"), p, diag);
            }
        }
    }
}

/// One initiative's number: as printed, else its position.
fn numbered(list: &[RawInitiative]) -> Vec<(u32, &RawInitiative)> {
    list.iter()
        .enumerate()
        .map(|(i, ini)| {
            let n = ini
                .no
                .as_deref()
                .and_then(initiative_no)
                .unwrap_or(i as u32 + 1);
            (n, ini)
        })
        .collect()
}

fn initiatives(raw: &RawItem, ctx: &Context, diag: &mut Diag) -> Vec<Initiative> {
    let profile = ctx.profile;
    let plan = numbered(&raw.initiatives);
    let res = numbered(&raw.results);
    if plan.is_empty() && res.is_empty() {
        // A cell that lists the initiatives.
        let Some(f) = raw.field(Target::Initiatives) else {
            return Vec::new();
        };
        return bullet_items(&f.pieces, &profile.bullets)
            .into_iter()
            .enumerate()
            .map(|(i, text)| Initiative {
                no: i as u32 + 1,
                text: Some(text),
                schedule: Vec::new(),
                progress: None,
                actions: None,
                next_steps: None,
            })
            .collect();
    }
    let family_has_results = maps(profile, Target::Results);
    let mut nos: Vec<u32> = plan.iter().chain(&res).map(|(n, _)| *n).collect();
    nos.sort_unstable();
    nos.dedup();
    let mut out = Vec::with_capacity(nos.len());
    for (idx, no) in nos.into_iter().enumerate() {
        let p = plan.iter().find(|(n, _)| *n == no).map(|(_, i)| *i);
        let r = res.iter().find(|(n, _)| *n == no).map(|(_, i)| *i);
        let field = |f: &str| format!("initiatives[{idx}].{f}");
        let text_of =
            |i: &RawInitiative| i.text.as_ref().map(|t| t.text.clone()).and_then(text_value);
        let text = match (p, r) {
            (Some(p), Some(r)) => {
                let (a, b) = (text_of(p), text_of(r));
                if normalize::key(a.as_deref().unwrap_or(""))
                    != normalize::key(b.as_deref().unwrap_or(""))
                {
                    diag.warn_item(
                        WarningCode::InitiativeMismatch,
                        Some(&field("text")),
                        format!(
                            "initiative {no}: the plan reads 「{}」 but the results read 「{}」; kept the first",
                            a.as_deref().unwrap_or(""),
                            b.as_deref().unwrap_or("")
                        ),
                    );
                }
                a
            }
            (Some(p), None) => {
                if family_has_results {
                    diag.warn_item(
                        WarningCode::InitiativeMismatch,
                        Some(&format!("initiatives[{idx}]")),
                        format!("initiative {no} is in the plan but has no entry in the results"),
                    );
                }
                text_of(p)
            }
            (None, Some(r)) => {
                if !plan.is_empty() || family_has_results {
                    diag.warn_item(
                        WarningCode::InitiativeMismatch,
                        Some(&format!("initiatives[{idx}]")),
                        format!("initiative {no} is in the results but not in the plan"),
                    );
                }
                text_of(r)
            }
            (None, None) => None,
        };
        let schedule = match p.filter(|p| p.has_grid) {
            Some(p) => {
                let grid = schedule::Grid {
                    cells: &p.grid,
                    first_year: p.grid_first_year.or(ctx.plan_start),
                    header_years: p.grid_years,
                    plan_end: ctx.plan_end,
                };
                let marks = schedule::marks(&grid, &profile.schedule, &field("schedule"), diag);
                if marks.is_empty() {
                    diag.warn_item(
                        WarningCode::ScheduleMissing,
                        Some(&field("schedule")),
                        format!("initiative {no} has no mark in the schedule grid"),
                    );
                }
                marks
            }
            None => Vec::new(),
        };
        // Result fields: from the result row, else from the plan row.
        let src = r.or(p);
        let progress = src.and_then(|s| progress(s, ctx, &field("progress"), diag));
        let sub = |f: &Option<Field>, name: &str, diag: &mut Diag| -> Option<String> {
            let f = f.as_ref()?;
            if f.pieces.iter().all(|p| p.text.is_empty()) {
                diag.warn_item(
                    WarningCode::FieldUnread,
                    Some(&field(name)),
                    format!(
                        "initiative {no}: {} is there but no text was read from it",
                        f.label
                    ),
                );
                return None;
            }
            text_value(join(&f.pieces, "\n"))
        };
        let actions = src.and_then(|s| sub(&s.actions, "actions", diag));
        let next_steps = src.and_then(|s| sub(&s.next_steps, "next_steps", diag));
        if let (Some(f), Some(fy)) = (src.and_then(|s| s.actions.as_ref()), ctx.fiscal_year) {
            if let Some(h) = f.year.as_deref().and_then(parse_year) {
                if h != fy {
                    diag.warn_item(
                        WarningCode::FiscalYearMismatch,
                        Some(&field("actions")),
                        format!("the heading says {h}年度 but the report is for {fy}年度"),
                    );
                }
            }
        }
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

fn progress(src: &RawInitiative, ctx: &Context, field: &str, diag: &mut Diag) -> Option<Rating> {
    let cells = src.rating.as_ref()?;
    let r = ctx.ratings.read(Scope::Progress, cells, field, diag);
    if r.is_none() {
        diag.warn_item(
            WarningCode::MissingField,
            Some(field),
            format!(
                "{} is empty",
                label_name(ctx.profile, Target::Rating(Scope::Progress))
            ),
        );
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rows::Cell;

    fn pc(text: &str, lines: &[&str]) -> Piece {
        Piece {
            text: normalize::text(text),
            cell: Cell {
                text: text.into(),
                lines: lines.iter().map(|s| s.to_string()).collect(),
                ..Cell::default()
            },
            page: None,
        }
    }

    #[test]
    fn departments_split_on_lines_but_not_inside_a_wrapped_name() {
        let p = pc("秘書広報課企画政策課", &["秘書広報課", "企画政策課"]);
        assert_eq!(list_values(&[p]), ["秘書広報課", "企画政策課"]);
        let p = pc("行政経営デジタル戦略課", &["行政経営デジタル", "戦略課"]);
        assert_eq!(list_values(&[p]), ["行政経営デジタル戦略課"]);
        let p = pc("収納課、関係各課", &[]);
        assert_eq!(list_values(&[p]), ["収納課", "関係各課"]);
        let p = pc("収納課 関係各課", &[]);
        assert_eq!(list_values(&[p]), ["収納課", "関係各課"]);
    }

    #[test]
    fn bullets_in_pdf_lines_and_paragraphs() {
        let b = vec!["・".to_string()];
        let p = pc(
            "",
            &[
                "・見直しを行う。",
                "・職員研修を拡充す",
                "る。・研修の",
                "・外部派遣を行う。",
            ],
        );
        // `・研修の` after a line ending in す is a wrapped line, not a new bullet… and a line
        // `・外部派遣` after `・研修の` (no 。) is not one either.
        let items = bullet_items(&[p], &b);
        assert_eq!(items[0], "見直しを行う。");
        assert_eq!(items.len(), 2, "{items:?}");
        let p = pc("・一つ目。\n・二つ目。", &[]);
        assert_eq!(bullet_items(&[p], &b), ["一つ目。", "二つ目。"]);
    }
}
