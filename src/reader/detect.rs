//! Which report family a document belongs to: every profile's `detect` labels must occur as
//! cells (a damaged label one edit away counts, for OCR), and one of its title patterns must
//! match a title line (or, where the title lines are missing, at least three labels must be
//! there to go by). Where several fit, one whose title matched, then the one with the most
//! detect labels (the most specific) wins; where none fits, the error names the closest and
//! what it missed.

use std::collections::HashSet;

use crate::error::{Error, ErrorKind, Result};
use crate::profile::Profile;
use crate::rows::NRow;

use super::rating::edit_distance;

/// How well one profile fits a document.
#[derive(Debug, Clone)]
pub struct Fit {
    pub id: String,
    /// Detect labels found / not found.
    pub found: Vec<String>,
    pub missing: Vec<String>,
    /// A title pattern matched (true where the profile has none).
    pub title: bool,
}

impl Fit {
    /// Every detect label found, and the title matched — or, for a report whose title lines
    /// are missing or worded otherwise this year, at least three labels to go by.
    pub fn fits(&self) -> bool {
        self.missing.is_empty() && (self.title || self.found.len() >= 3)
    }

    fn score(&self) -> f64 {
        let n = (self.found.len() + self.missing.len()).max(1) as f64;
        self.found.len() as f64 / n + if self.title { 0.5 } else { 0.0 }
    }

    /// What the profile missed, for messages.
    pub fn missed(&self) -> String {
        let mut parts = Vec::new();
        if !self.missing.is_empty() {
            parts.push(format!("labels not found: {}", self.missing.join(", ")));
        }
        if !self.title {
            parts.push("no title line matches its title pattern".to_string());
        }
        parts.join("; ")
    }
}

/// The keys of every cell and the text of the first rows (where titles are).
pub struct Evidence<'a> {
    /// Each distinct key once (borrowed from the rows).
    keys: HashSet<&'a str>,
    head: Vec<String>,
}

impl<'a> Evidence<'a> {
    pub fn new(rows: &'a [NRow]) -> Evidence<'a> {
        let keys = rows
            .iter()
            .flat_map(|r| r.keys.iter())
            .filter(|k| !k.is_empty())
            .map(String::as_str)
            .collect();
        let head = rows
            .iter()
            .filter(|r| r.first().is_some())
            .take(12)
            .map(|r| {
                r.spaced
                    .iter()
                    .filter(|c| !c.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        Evidence { keys, head }
    }

    fn has_label(&self, m: &crate::profile::Matcher) -> bool {
        if self.keys.iter().any(|k| m.matches(k).is_some()) {
            return true;
        }
        // A label damaged by OCR or a typo (`進捗伏況`) still says which family this is.
        m.literal().is_some_and(|l| {
            l.chars().count() >= 4
                && self
                    .keys
                    .iter()
                    .any(|k| k.chars().count() == l.chars().count() && edit_distance(k, l) <= 1)
        })
    }
}

pub fn fit(ev: &Evidence<'_>, p: &Profile) -> Fit {
    let (mut found, mut missing) = (Vec::new(), Vec::new());
    for m in &p.detect_labels {
        if ev.has_label(m) {
            found.push(m.source.clone());
        } else {
            missing.push(m.source.clone());
        }
    }
    let title = p.detect_title.is_empty()
        || ev
            .head
            .iter()
            .any(|h| p.detect_title.iter().any(|re| re.is_match(h)));
    Fit {
        id: p.id.clone(),
        found,
        missing,
        title,
    }
}

/// The profile that fits the document best, or an error naming the closest.
pub fn choose<'p>(rows: &[NRow], profiles: &'p [Profile]) -> Result<&'p Profile> {
    let ev = Evidence::new(rows);
    let fits: Vec<(Fit, &Profile)> = profiles.iter().map(|p| (fit(&ev, p), p)).collect();
    if let Some((_, p)) = fits
        .iter()
        .filter(|(f, _)| f.fits())
        .max_by_key(|(f, _)| (f.title, f.found.len()))
    {
        return Ok(p);
    }
    let closest = fits
        .iter()
        .max_by(|a, b| a.0.score().total_cmp(&b.0.score()));
    let msg = match closest {
        Some((f, _)) => format!(
            "no report family fits this report; the closest is {} ({}). Write a profile for it: jisseki profile init FILE",
            f.id,
            f.missed()
        ),
        None => "no report family profiles to read it with".to_string(),
    };
    Err(Error::new(ErrorKind::NoItems, msg))
}

/// A profile the user chose must fit too: a report of another family read with it would
/// give garbage, so say so instead.
pub fn check(rows: &[NRow], p: &Profile) -> Result<()> {
    let f = fit(&Evidence::new(rows), p);
    if f.fits() {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::NoItems,
        format!(
            "this report does not look like profile {} ({})",
            p.id,
            f.missed()
        ),
    ))
}
