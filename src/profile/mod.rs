//! Report families as data. A profile says how one family of reports is laid out, labelled,
//! numbered and rated; the reader (`crate::reader`) is the only code that reads it, and the
//! only code that knows anything about a family. Built-in profiles are TOML files embedded in
//! the binary; `--profile FILE` loads a user's. The format is documented in docs/profiles.md.

pub mod file;
pub mod init;
pub mod lexicon;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use regex::Regex;

use crate::error::{Error, ErrorKind, Result};
use crate::model::{Level, ProfileRef};
use crate::normalize;
use file::{EntryFile, ProfileFile, ScaleFile};

/// The built-in profiles, in the order `jisseki profiles` lists them.
const BUILTIN: &[(&str, &str)] = &[
    (
        "tsukubamirai-action-plan",
        include_str!("builtin/tsukubamirai-action-plan.toml"),
    ),
    (
        "sakuradai-ledger-ad",
        include_str!("builtin/sakuradai-ledger-ad.toml"),
    ),
    (
        "midorino-list-sabc",
        include_str!("builtin/midorino-list-sabc.toml"),
    ),
];

/// How a family lays out its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Label/value rows, one item per block (often one page per item).
    Form,
    /// A table with a header row, one row per item.
    List,
}

/// What a rating scale rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Each initiative (`progress`).
    Progress,
    /// The item as a whole (`assessment`).
    Assessment,
}

/// Where a labelled value goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    ItemNumber,
    Title,
    Departments,
    CurrentIssues,
    TargetState,
    Summary,
    NextSteps,
    /// A cell holding the target and the result (`目標:…` / `実績:…`).
    Kpi,
    /// A column that names the target's indicator (clarification 13): taken, not kept.
    KpiIndicator,
    /// A cell listing the item's initiatives (bullets).
    Initiatives,
    Effects,
    Group,
    Extra,
    /// A rating cell.
    Rating(Scope),
    /// A label cell that starts an initiative's row (`取組内容 1`).
    InitiativeLabel,
    /// An initiative's result text (`2024年度の実施内容`).
    Actions,
    /// An initiative's next steps (`次年度に向けた改善点`).
    InitiativeNextSteps,
    /// The schedule grid's label (its header row).
    Schedule,
    /// A section caption (`〈…〉`): ends the field above.
    Caption,
    /// A caption after which initiative rows are results of the initiatives listed before.
    Results,
    /// A printed header or structural label with no value of its own.
    Ignore,
}

impl Target {
    /// The contract field name, for messages and `inspect`.
    pub fn name(self) -> &'static str {
        match self {
            Target::ItemNumber => "item_number",
            Target::Title => "title",
            Target::Departments => "departments",
            Target::CurrentIssues => "current_issues",
            Target::TargetState => "target_state",
            Target::Summary => "summary",
            Target::NextSteps => "next_steps",
            Target::Kpi => "kpi",
            Target::KpiIndicator => "kpi_indicator",
            Target::Initiatives => "initiatives",
            Target::Effects => "effects",
            Target::Group => "groups",
            Target::Extra => "extra",
            Target::Rating(Scope::Progress) => "progress",
            Target::Rating(Scope::Assessment) => "assessment",
            Target::InitiativeLabel => "initiative",
            Target::Actions => "actions",
            Target::InitiativeNextSteps => "initiative next_steps",
            Target::Schedule => "schedule",
            Target::Caption => "caption",
            Target::Results => "results caption",
            Target::Ignore => "ignore",
        }
    }

    /// Fields that take free text (continuation rows add to them).
    pub fn is_text(self) -> bool {
        matches!(
            self,
            Target::Title
                | Target::CurrentIssues
                | Target::TargetState
                | Target::Summary
                | Target::NextSteps
                | Target::Kpi
                | Target::Initiatives
                | Target::Extra
                | Target::Actions
                | Target::InitiativeNextSteps
                | Target::Departments
        )
    }

    fn from_field_name(s: &str) -> Option<Target> {
        Some(match s {
            "target_state" => Target::TargetState,
            "summary" => Target::Summary,
            "current_issues" => Target::CurrentIssues,
            "next_steps" => Target::NextSteps,
            "kpi" => Target::Kpi,
            _ => return None,
        })
    }
}

/// A profile's regular expression, compiled when it is first used. A run reads one family,
/// so most patterns of the other built-ins are never needed: compiling all of them up front
/// cost ≈4 ms and 3 MB a process, more than reading a small report. A file's patterns are
/// compiled when it loads, so that a bad one is reported with the file's name; a built-in's
/// are checked by the tests (`builtin_patterns_compile`). Clones share the compiled regex.
#[derive(Clone)]
pub struct Pattern(Arc<(String, OnceLock<Compiled>)>);

struct Compiled {
    regex: Regex,
    /// What every match of a pattern anchored at the text's start and/or end begins and/or
    /// ends with (`^取組内容…` → `取組内容`, `^…実施内容$` → `実施内容`): most cells a label
    /// pattern is tried on have none of these, and comparing a few bytes is far cheaper than
    /// a regex search.
    literals: Anchored,
}

/// Literal starts and ends of an anchored pattern's matches (see [`Compiled`]); `None` where
/// the pattern is not anchored on that side or the set is infinite or holds the empty string.
#[derive(Default)]
struct Anchored {
    starts: Option<Vec<Vec<u8>>>,
    ends: Option<Vec<Vec<u8>>>,
}

impl Compiled {
    fn new(source: &str) -> std::result::Result<Compiled, regex::Error> {
        Ok(Compiled {
            regex: Regex::new(source)?,
            literals: anchored_literals(source),
        })
    }
}

/// regex-syntax's literal extraction, whose contract is that every match starts (ends) with
/// one of the literals of a finite set: for a pattern anchored at the text's start (end) the
/// text must then start (end) with one.
fn anchored_literals(source: &str) -> Anchored {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    use regex_syntax::hir::Look;
    let Ok(hir) = regex_syntax::Parser::new().parse(source) else {
        return Anchored::default();
    };
    let side = |kind: ExtractKind| {
        let seq = Extractor::new().kind(kind).extract(&hir);
        let literals = seq.literals()?;
        if literals.is_empty() || literals.iter().any(|l| l.as_bytes().is_empty()) {
            return None;
        }
        Some(literals.iter().map(|l| l.as_bytes().to_vec()).collect())
    };
    let props = hir.properties();
    Anchored {
        starts: if props.look_set_prefix().contains(Look::Start) {
            side(ExtractKind::Prefix)
        } else {
            None
        },
        ends: if props.look_set_suffix().contains(Look::End) {
            side(ExtractKind::Suffix)
        } else {
            None
        },
    }
}

impl Pattern {
    /// `eager`: compile now (a user's file) rather than on first use (a built-in).
    fn new(source: &str, eager: bool) -> std::result::Result<Pattern, regex::Error> {
        let cell = OnceLock::new();
        if eager {
            let _ = cell.set(Compiled::new(source)?);
        }
        Ok(Pattern(Arc::new((source.to_string(), cell))))
    }

    /// The pattern as written in the profile.
    pub fn as_str(&self) -> &str {
        &self.0 .0
    }

    fn compiled(&self) -> &Compiled {
        self.0 .1.get_or_init(|| {
            // Only built-ins are compiled lazily, and every one of their patterns is
            // compiled by the tests: this cannot fail on a released binary.
            Compiled::new(&self.0 .0)
                .unwrap_or_else(|e| panic!("built-in profile pattern {:?}: {e}", self.0 .0))
        })
    }

    fn regex(&self) -> &Regex {
        &self.compiled().regex
    }

    /// False when `text` cannot match: the pattern is anchored and `text` does not start (or
    /// end) with any of the literals every match starts (ends) with. True says nothing (the
    /// regex decides).
    pub fn may_match(&self, text: &str) -> bool {
        let Anchored { starts, ends } = &self.compiled().literals;
        let text = text.as_bytes();
        starts
            .as_ref()
            .is_none_or(|s| s.iter().any(|l| text.starts_with(l)))
            && ends
                .as_ref()
                .is_none_or(|e| e.iter().any(|l| text.ends_with(l)))
    }
}

impl std::ops::Deref for Pattern {
    type Target = Regex;
    fn deref(&self) -> &Regex {
        self.regex()
    }
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pattern({:?})", self.as_str())
    }
}

/// A label as the profile gives it: a literal (compared without white space, after rule 1)
/// or a pattern (a regular expression starting with `^`, matched against the cell without
/// white space).
#[derive(Debug, Clone)]
pub struct Matcher {
    /// As written in the profile.
    pub source: String,
    literal: Option<String>,
    pattern: Option<Pattern>,
}

/// What a matched label says besides its kind: a year (`2024年度の実施内容`), a number
/// (`取組内容 2`) and where the match ended (for prefixes).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LabelMatch {
    pub year: Option<String>,
    pub no: Option<String>,
    /// Byte length of the matched prefix of the key.
    pub end: usize,
}

impl Matcher {
    pub fn new(source: &str) -> std::result::Result<Matcher, String> {
        Matcher::compile(source, true)
    }

    /// `eager`: see [`Pattern`].
    fn compile(source: &str, eager: bool) -> std::result::Result<Matcher, String> {
        if source.starts_with('^') {
            let re = Pattern::new(source, eager).map_err(|e| format!("pattern {source:?}: {e}"))?;
            Ok(Matcher {
                source: source.to_string(),
                literal: None,
                pattern: Some(re),
            })
        } else {
            let lit = normalize::key(source);
            if lit.is_empty() {
                return Err("an empty label".into());
            }
            Ok(Matcher {
                source: source.to_string(),
                literal: Some(lit),
                pattern: None,
            })
        }
    }

    /// Match a whole cell key (white space removed).
    pub fn matches(&self, key: &str) -> Option<LabelMatch> {
        if let Some(l) = &self.literal {
            return (l == key).then(|| LabelMatch {
                end: key.len(),
                ..LabelMatch::default()
            });
        }
        let re = self.pattern.as_ref()?;
        // Most cells match no pattern: a plain test first, without allocating captures, and
        // before it the pattern's literal prefixes.
        if !re.may_match(key) || !re.is_match(key) {
            return None;
        }
        let c = re.captures(key)?;
        let whole = c.get(0)?;
        // A pattern names a whole label unless it is used as a prefix.
        Some(LabelMatch {
            year: c.name("year").map(|m| m.as_str().to_string()),
            no: c.name("no").map(|m| m.as_str().to_string()),
            end: whole.end(),
        })
    }

    /// The literal label, where this is one (for fuzzy matching of damaged labels).
    pub fn literal(&self) -> Option<&str> {
        self.literal.as_deref()
    }
}

/// One step of a rating scale: a symbol and/or label and its level.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleEntry {
    pub symbol: Option<String>,
    pub label: Option<String>,
    pub level: Option<Level>,
}

/// A rating scale: which labels carry it, how its legend is printed, its steps.
#[derive(Debug, Clone)]
pub struct Scale {
    pub scope: Scope,
    pub labels: Vec<Matcher>,
    pub legend: Vec<Pattern>,
    pub entries: Vec<ScaleEntry>,
    /// (canonical symbol, other printed forms).
    pub aliases: Vec<(String, Vec<String>)>,
}

#[derive(Debug, Clone, Default)]
pub struct KpiSpec {
    pub target_in: Option<Target>,
    pub actual_in: Option<Target>,
    pub target_prefix: Vec<Pattern>,
    pub actual_prefix: Vec<Pattern>,
}

#[derive(Debug, Clone, Default)]
pub struct ScheduleSpec {
    pub phases: Vec<String>,
    /// (symbol, phase).
    pub symbols: Vec<(String, String)>,
    pub continuation: Vec<String>,
    /// Base of a bare two-digit year header (平成: 1988, 令和: 2018).
    pub bare_era_base: Option<i32>,
}

/// A compiled profile.
#[derive(Debug, Clone)]
pub struct Profile {
    pub id: String,
    pub name: String,
    pub description: String,
    /// "builtin" or "file".
    pub origin: &'static str,
    pub layout: Layout,
    pub detect_title: Vec<Pattern>,
    pub detect_labels: Vec<Matcher>,
    pub starts: Vec<Matcher>,
    pub number: Vec<Pattern>,
    pub restart_per_group: bool,
    /// Label → target, first match wins.
    pub labels: Vec<(Matcher, Target)>,
    /// Each literal label's first place in `labels`: a cell is looked up, not compared with
    /// every label (the reader asks this of every cell).
    literal_at: std::collections::HashMap<String, usize>,
    /// Names this compiled profile in the label memo (see [`Profile::label`]); a clone has the
    /// same labels, so it shares the id.
    memo_id: u64,
    pub unknown_labels_are_extra: bool,
    pub kpi: KpiSpec,
    pub initiative_prefix: Vec<Pattern>,
    pub bullets: Vec<String>,
    pub schedule: ScheduleSpec,
    pub effects_minus: Vec<String>,
    pub scales: Vec<Scale>,
    pub groups: Vec<Pattern>,
}

impl Profile {
    /// Parse and compile a profile from TOML. `what` names it in errors (a file path or a
    /// built-in id).
    pub fn from_toml(text: &str, what: &str, origin: &'static str) -> Result<Profile> {
        let bad = |msg: String| Error::new(ErrorKind::Usage, format!("profile {what}: {msg}"));
        let file: ProfileFile = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            let msg = e.message().replace('\n', " ");
            bad(match line {
                Some(l) => format!("line {l}: {msg}"),
                None => msg,
            })
        })?;
        compile(file, origin).map_err(bad)
    }

    pub fn reference(&self) -> ProfileRef {
        ProfileRef {
            id: self.id.clone(),
            origin: self.origin.to_string(),
        }
    }

    /// The target of a label cell (its key: white space removed), if the profile names it.
    pub fn label(&self, key: &str) -> Option<(Target, LabelMatch)> {
        if key.is_empty() {
            return None;
        }
        // The reader asks this of the same cells several times (classifying, reading each
        // row, repairing damaged labels), and a pattern label costs a regex search: answers
        // are remembered per thread and profile.
        // SipHash: the keys are the document's text.
        type Memo = HashMap<u64, HashMap<Box<str>, Option<(Target, LabelMatch)>>>;
        thread_local! {
            static MEMO: std::cell::RefCell<Memo> = std::cell::RefCell::new(Memo::new());
        }
        const MAX_KEYS: usize = 8192;
        if let Some(hit) = MEMO.with(|m| {
            m.borrow()
                .get(&self.memo_id)
                .and_then(|keys| keys.get(key).cloned())
        }) {
            return hit;
        }
        let found = self.label_uncached(key);
        MEMO.with(|m| {
            let mut m = m.borrow_mut();
            let keys = m.entry(self.memo_id).or_default();
            if keys.len() >= MAX_KEYS {
                keys.clear();
            }
            keys.insert(key.into(), found.clone());
        });
        found
    }

    fn label_uncached(&self, key: &str) -> Option<(Target, LabelMatch)> {
        // The first label that matches, as if each were tried in turn: patterns before the
        // literal one found (if any), then that literal.
        let literal = self.literal_at.get(key).copied();
        let before = literal.unwrap_or(self.labels.len());
        let pattern = self.labels[..before]
            .iter()
            .filter(|(m, _)| m.literal.is_none())
            .find_map(|(m, t)| m.matches(key).map(|lm| (*t, lm)));
        pattern.or_else(|| {
            literal.map(|i| {
                let lm = LabelMatch {
                    end: key.len(),
                    ..LabelMatch::default()
                };
                (self.labels[i].1, lm)
            })
        })
    }

    /// True when `key` starts a new item (form layout).
    pub fn is_start(&self, key: &str) -> bool {
        self.starts.iter().any(|m| m.matches(key).is_some())
    }

    /// A prefix that numbers an initiative inside its text cell (`取組1 …`): (N, prefix length).
    pub fn initiative_prefix(&self, key: &str) -> Option<(String, usize)> {
        self.initiative_prefix.iter().find_map(|re| {
            let c = re.captures(key)?;
            let no = c.name("no")?.as_str().to_string();
            Some((no, c.get(0)?.end()))
        })
    }

    pub fn scale(&self, scope: Scope) -> Option<&Scale> {
        self.scales.iter().find(|s| s.scope == scope)
    }

    /// Every literal label (for fuzzy matching of damaged labels).
    pub fn literal_labels(&self) -> impl Iterator<Item = (&str, Target)> {
        self.labels
            .iter()
            .filter_map(|(m, t)| m.literal().map(|l| (l, *t)))
    }
}

fn regexes(list: &[String], key: &str, eager: bool) -> std::result::Result<Vec<Pattern>, String> {
    list.iter()
        .map(|p| Pattern::new(p, eager).map_err(|e| format!("{key}: pattern {p:?}: {e}")))
        .collect()
}

fn matchers(list: &[String], key: &str, eager: bool) -> std::result::Result<Vec<Matcher>, String> {
    list.iter()
        .map(|p| Matcher::compile(p, eager).map_err(|e| format!("{key}: {e}")))
        .collect()
}

fn compile(f: ProfileFile, origin: &'static str) -> std::result::Result<Profile, String> {
    let eager = origin != "builtin";
    let id_ok = !f.id.is_empty()
        && f.id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
        && f.id
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if !id_ok {
        return Err(format!(
            "id {:?}: use lower-case ASCII letters, digits, '.', '_' and '-'",
            f.id
        ));
    }
    let layout = match f.layout.as_str() {
        "form" => Layout::Form,
        "list" => Layout::List,
        other => return Err(format!("layout {other:?}: \"form\" or \"list\"")),
    };
    let l = &f.labels;
    let i = &f.initiatives;
    let mut labels: Vec<(Matcher, Target)> = Vec::new();
    let mut add = |list: &[String], key: &str, t: Target| -> std::result::Result<(), String> {
        for m in matchers(list, key, eager)? {
            labels.push((m, t));
        }
        Ok(())
    };
    add(&l.item_number, "labels.item_number", Target::ItemNumber)?;
    add(&l.title, "labels.title", Target::Title)?;
    add(&l.departments, "labels.departments", Target::Departments)?;
    add(
        &l.current_issues,
        "labels.current_issues",
        Target::CurrentIssues,
    )?;
    add(&l.target_state, "labels.target_state", Target::TargetState)?;
    add(&l.summary, "labels.summary", Target::Summary)?;
    add(&l.next_steps, "labels.next_steps", Target::NextSteps)?;
    add(&l.kpi, "labels.kpi", Target::Kpi)?;
    add(
        &l.kpi_indicator,
        "labels.kpi_indicator",
        Target::KpiIndicator,
    )?;
    add(&l.initiatives, "labels.initiatives", Target::Initiatives)?;
    add(&l.effects, "labels.effects", Target::Effects)?;
    add(&l.group, "labels.group", Target::Group)?;
    add(&l.extra, "labels.extra", Target::Extra)?;
    for s in &f.scales {
        let scope = scope_of(s)?;
        add(&s.labels, "scale.labels", Target::Rating(scope))?;
    }
    add(&i.label, "initiatives.label", Target::InitiativeLabel)?;
    add(&i.actions, "initiatives.actions", Target::Actions)?;
    add(
        &i.next_steps,
        "initiatives.next_steps",
        Target::InitiativeNextSteps,
    )?;
    add(&f.schedule.labels, "schedule.labels", Target::Schedule)?;
    add(&i.results, "initiatives.results", Target::Results)?;
    add(&l.captions, "labels.captions", Target::Caption)?;
    add(&l.ignore, "labels.ignore", Target::Ignore)?;

    let unknown_labels_are_extra = match l.unknown.as_deref() {
        None | Some("extra") => true,
        Some("ignore") => false,
        Some(other) => return Err(format!("labels.unknown {other:?}: \"extra\" or \"ignore\"")),
    };
    let field = |s: &Option<String>, key: &str| -> std::result::Result<Option<Target>, String> {
        s.as_deref()
            .map(|n| {
                Target::from_field_name(n).ok_or_else(|| {
                    format!("{key} {n:?}: one of target_state, summary, current_issues, next_steps, kpi")
                })
            })
            .transpose()
    };
    let kpi = KpiSpec {
        target_in: field(&f.kpi.target_in, "kpi.target_in")?,
        actual_in: field(&f.kpi.actual_in, "kpi.actual_in")?,
        target_prefix: regexes(&f.kpi.target_prefix, "kpi.target_prefix", eager)?,
        actual_prefix: regexes(&f.kpi.actual_prefix, "kpi.actual_prefix", eager)?,
    };
    let mut phases: Vec<String> = lexicon::PHASES.iter().map(|s| s.to_string()).collect();
    phases.extend(f.schedule.phases.iter().map(|p| normalize::key(p)));
    let mut continuation: Vec<String> = lexicon::CONTINUATION
        .iter()
        .map(|s| s.to_string())
        .collect();
    continuation.extend(f.schedule.continuation.iter().map(|p| normalize::key(p)));
    let bare_era_base = match f.schedule.bare_years.as_deref() {
        None => None,
        Some("heisei") => Some(1988),
        Some("reiwa") => Some(2018),
        Some(other) => {
            return Err(format!(
                "schedule.bare_years {other:?}: \"heisei\" or \"reiwa\""
            ))
        }
    };
    let scales = f
        .scales
        .iter()
        .map(|s| compile_scale(s, eager))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let groups = f
        .groups
        .iter()
        .map(|g| {
            Pattern::new(&g.pattern, eager)
                .map_err(|e| format!("group: pattern {:?}: {e}", g.pattern))
        })
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(Profile {
        id: f.id,
        name: f.name,
        description: f.description,
        origin,
        layout,
        detect_title: regexes(&f.detect.title, "detect.title", eager)?,
        detect_labels: matchers(&f.detect.labels, "detect.labels", eager)?,
        starts: matchers(&f.item.starts, "item.starts", eager)?,
        number: regexes(&f.item.number, "item.number", eager)?,
        restart_per_group: f.item.restart_per_group,
        literal_at: labels
            .iter()
            .enumerate()
            .rev()
            .filter_map(|(i, (m, _))| Some((m.literal.clone()?, i)))
            .collect(),
        labels,
        memo_id: {
            static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        },
        unknown_labels_are_extra,
        kpi,
        initiative_prefix: regexes(&i.prefix, "initiatives.prefix", eager)?,
        bullets: i.bullets.iter().map(|b| normalize::key(b)).collect(),
        schedule: ScheduleSpec {
            phases,
            symbols: f
                .schedule
                .symbols
                .iter()
                .map(|(s, p)| (normalize::key(s), normalize::key(p)))
                .collect(),
            continuation,
            bare_era_base,
        },
        effects_minus: f.effects.minus.clone(),
        scales,
        groups,
    })
}

fn scope_of(s: &ScaleFile) -> std::result::Result<Scope, String> {
    match s.scope.as_str() {
        "progress" => Ok(Scope::Progress),
        "assessment" => Ok(Scope::Assessment),
        other => Err(format!(
            "scale.for {other:?}: \"progress\" (initiatives) or \"assessment\" (items)"
        )),
    }
}

fn compile_scale(s: &ScaleFile, eager: bool) -> std::result::Result<Scale, String> {
    let entries = s
        .entries
        .iter()
        .map(|e: &EntryFile| {
            let label = e.label.as_deref().map(normalize::key);
            let level = match &e.level {
                Some(l) => Some(Level::parse(l).ok_or_else(|| {
                    format!(
                        "scale.entries: level {l:?} is not on the common scale ({})",
                        Level::ALL.map(|l| l.as_str()).join(", ")
                    )
                })?),
                None => label.as_deref().and_then(lexicon::rating_level),
            };
            if e.symbol.is_none() && label.is_none() {
                return Err("scale.entries: an entry needs a symbol or a label".to_string());
            }
            Ok(ScaleEntry {
                symbol: e.symbol.as_deref().map(normalize::key),
                label,
                level,
            })
        })
        .collect::<std::result::Result<Vec<_>, String>>()?;
    Ok(Scale {
        scope: scope_of(s)?,
        labels: matchers(&s.labels, "scale.labels", eager)?,
        legend: regexes(&s.legend, "scale.legend", eager)?,
        entries,
        aliases: s
            .aliases
            .iter()
            .map(|(k, v)| {
                (
                    normalize::key(k),
                    v.iter().map(|a| normalize::key(a)).collect(),
                )
            })
            .collect(),
    })
}

/// The built-in profiles, compiled once.
pub fn builtins() -> &'static [Profile] {
    static CELL: OnceLock<Vec<Profile>> = OnceLock::new();
    CELL.get_or_init(|| {
        BUILTIN
            .iter()
            .map(|(id, text)| {
                // A broken built-in is a bug caught by the tests, not a user error.
                Profile::from_toml(text, id, "builtin").unwrap_or_else(|e| panic!("{e}"))
            })
            .collect()
    })
}

/// What the front ends may know of the layout of reports of these families (a run's
/// `--profile`, else every built-in): section captions and schedule year headers, as the
/// profiles define them. The front ends keep no report words of their own.
pub fn layout_hints(profiles: &[Profile]) -> crate::rows::LayoutHints {
    let profiles: std::sync::Arc<Vec<Profile>> = std::sync::Arc::new(profiles.to_vec());
    let for_captions = profiles.clone();
    crate::rows::LayoutHints {
        caption: Some(std::sync::Arc::new(move |text: &str| {
            let key = crate::normalize::key(text);
            // Try the caption labels first: `label` would compile every label pattern of
            // every profile for each line of a borderless page.
            for_captions.iter().any(|p| {
                p.labels
                    .iter()
                    .any(|(m, t)| is_caption(*t) && m.matches(&key).is_some())
                    && matches!(p.label(&key), Some((t, _)) if is_caption(t))
            })
        })),
        year_header: Some(std::sync::Arc::new(move |text: &str| {
            profiles
                .iter()
                .any(|p| crate::reader::schedule::header_year(text, &p.schedule).is_some())
        })),
    }
}

fn is_caption(t: Target) -> bool {
    matches!(t, Target::Caption | Target::Results)
}

/// The TOML source of a built-in profile.
pub fn builtin_source(id: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|(i, _)| *i == id).map(|(_, t)| *t)
}

/// `--profile ID|FILE`: a built-in by id, else a file.
pub fn load(spec: &str) -> Result<Profile> {
    if let Some(p) = builtins().iter().find(|p| p.id == spec) {
        return Ok(p.clone());
    }
    let path = Path::new(spec);
    let text = std::fs::read_to_string(path).map_err(|e| {
        let known: Vec<&str> = builtins().iter().map(|p| p.id.as_str()).collect();
        Error::new(
            ErrorKind::Usage,
            format!(
                "profile {spec}: not a built-in profile ({}) and not a readable file ({e})",
                known.join(", ")
            ),
        )
    })?;
    Profile::from_toml(&text, spec, "file")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_compile() {
        assert_eq!(builtins().len(), BUILTIN.len());
        for p in builtins() {
            assert_eq!(p.origin, "builtin");
            assert!(!p.detect_labels.is_empty(), "{}", p.id);
        }
    }

    /// `label` looks literals up: it must answer as trying every label in turn would.
    #[test]
    fn label_lookup_is_the_first_match_in_order() {
        let mut keys: Vec<String> = vec![
            "2024年度の実施内容".into(),
            "取組内容3".into(),
            "〈取組内容別の実績報告〉".into(),
            "何でもない".into(),
        ];
        for p in builtins() {
            keys.extend(p.labels.iter().filter_map(|(m, _)| m.literal.clone()));
        }
        let mut checked = 0;
        for p in builtins() {
            for key in &keys {
                let in_turn = p
                    .labels
                    .iter()
                    .find_map(|(m, t)| m.matches(key).map(|lm| (*t, lm)));
                assert_eq!(p.label(key), in_turn, "{} {key}", p.id);
                checked += usize::from(in_turn.is_some());
            }
        }
        // Every profile's own literal labels at least are found.
        let own: usize = builtins()
            .iter()
            .map(|p| {
                let mut l: Vec<_> = p.labels.iter().filter_map(|(m, _)| m.literal()).collect();
                l.sort();
                l.dedup();
                l.len()
            })
            .sum();
        assert!(checked >= own && own > 20, "{checked} of {own}");
    }

    /// Built-ins compile their patterns on first use: every one must compile.
    /// The patterns of a profile's label matchers (detection labels, item starts, field
    /// labels, rating labels).
    fn matcher_patterns(p: &Profile) -> impl Iterator<Item = &Pattern> {
        p.detect_labels
            .iter()
            .chain(&p.starts)
            .chain(p.labels.iter().map(|(m, _)| m))
            .chain(p.scales.iter().flat_map(|s| &s.labels))
            .filter_map(|m| m.pattern.as_ref())
    }

    #[test]
    fn builtin_patterns_compile() {
        let mut n = 0;
        let mut check = |p: &Pattern| {
            Regex::new(p.as_str()).unwrap_or_else(|e| panic!("{}: {e}", p.as_str()));
            n += 1;
        };
        for p in builtins() {
            for re in matcher_patterns(p) {
                check(re);
            }
            let patterns = p
                .detect_title
                .iter()
                .chain(&p.number)
                .chain(&p.kpi.target_prefix)
                .chain(&p.kpi.actual_prefix)
                .chain(&p.initiative_prefix)
                .chain(&p.groups)
                .chain(p.scales.iter().flat_map(|s| &s.legend));
            for re in patterns {
                check(re);
            }
        }
        // The three built-ins hold twenty between them: the walk above reaches them all.
        assert!(n >= 20, "only {n} patterns");
    }

    #[test]
    fn literals_of_anchored_patterns() {
        let text = |v: Option<Vec<Vec<u8>>>| {
            v.map(|v| {
                v.into_iter()
                    .map(|l| String::from_utf8(l).unwrap())
                    .collect::<Vec<_>>()
            })
        };
        let starts = |s: &str| text(anchored_literals(s).starts);
        let ends = |s: &str| text(anchored_literals(s).ends);
        assert_eq!(
            starts("^取組内容(?P<no>[0-9]+|[①-⑳])$").unwrap(),
            ["取組内容"]
        );
        assert_eq!(starts("^(目標|実績)\\s*:").unwrap(), ["目標", "実績"]);
        assert_eq!(ends("^(目標|実績)\\s*:"), None);
        // A leading optional part: no start every match has, but an end.
        let actions = "^((?P<year>.*年度)の?)?実施内容$";
        assert_eq!(starts(actions), None);
        assert_eq!(
            ends(actions).unwrap(),
            ["年度の実施内容", "年度実施内容", "実施内容"]
        );
        assert_eq!(starts("^[0-9]+$").map(|v| v.len()), Some(10));
        assert_eq!(starts("^.*"), None);
        // Not anchored: a match may start or end anywhere.
        assert_eq!(starts("取組"), None);
        assert_eq!(ends("取組"), None);
        let p = Pattern::new("^((?P<year>.*年度)の?)?実施内容$", true).unwrap();
        assert!(p.may_match("2024年度の実施内容"));
        assert!(!p.may_match("実施内容と課題"));
    }

    /// The prefix test never turns away a cell its pattern matches: every built-in matcher on
    /// every cell key of the bundled reports.
    #[test]
    fn prefix_test_keeps_every_match() {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut keys = Vec::new();
        for file in [
            "fixtures/tsukubamirai_gyokaku_2024_jisseki.txt",
            "fixtures/samples/midorino_list_sabc/report.txt",
            "fixtures/samples/sakuradai_ledger_ad/report.txt",
        ] {
            let bytes = std::fs::read(format!("{root}/{file}")).unwrap();
            let fe = crate::pipeline::front_end(&bytes, file).unwrap();
            for row in crate::reader::normalize(&fe.rows) {
                keys.extend(row.keys);
            }
        }
        assert!(keys.len() > 1000, "{}", keys.len());
        let (mut matched, mut skipped) = (0, 0);
        for p in builtins() {
            for re in matcher_patterns(p) {
                for k in &keys {
                    let hit = re.is_match(k);
                    assert!(!hit || re.may_match(k), "{} on {k:?}", re.as_str());
                    matched += usize::from(hit);
                    skipped += usize::from(!re.may_match(k));
                }
            }
        }
        assert!(matched > 50 && skipped > 10_000, "{matched} {skipped}");
    }

    #[test]
    fn matchers() {
        let m = Matcher::new("実施項目").unwrap();
        assert!(m.matches("実施項目").is_some());
        assert!(m.matches("実施項目名").is_none());
        let m = Matcher::new("^(?P<year>.+年度)の実施内容$").unwrap();
        let lm = m.matches("2024年度の実施内容").unwrap();
        assert_eq!(lm.year.as_deref(), Some("2024年度"));
        assert!(Matcher::new("^(").is_err());
    }

    #[test]
    fn bad_profiles_say_where() {
        let e = Profile::from_toml(
            "id = \"x\"\nname = 1\nlayout = \"form\"\n",
            "p.toml",
            "file",
        )
        .unwrap_err();
        assert!(
            e.message.starts_with("profile p.toml: line 2"),
            "{}",
            e.message
        );
        let e = Profile::from_toml(
            "id = \"x\"\nname = \"x\"\nlayout = \"grid\"\n",
            "p.toml",
            "file",
        )
        .unwrap_err();
        assert!(e.message.contains("layout \"grid\""), "{}", e.message);
        let e = Profile::from_toml(
            "id = \"x\"\nname = \"x\"\nlayout = \"form\"\n[labels]\ntitel = [\"a\"]\n",
            "p.toml",
            "file",
        )
        .unwrap_err();
        assert!(e.message.contains("titel"), "{}", e.message);
    }
}
