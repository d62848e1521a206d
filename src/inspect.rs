//! `jisseki inspect`: what the reader sees, stage by stage (pdfplumber's `debug_tablefinder`
//! habit): the source, how well each profile fits, then page by page every row with its cells
//! and their boxes, what the row was classified as and what the layout reader made of it, then
//! the items and the warnings. For the person adding a municipality.

use std::fmt::Write;

use crate::diag::Diag;
use crate::error::Result;
use crate::pipeline;
use crate::profile::{self, Profile};
use crate::reader::{self, detect};

/// A cell as `«text»` with its box, shortened to `width` characters.
fn cell(text: &str, bbox: Option<crate::rows::BBox>, width: usize) -> String {
    let flat = text.replace('\n', "⏎");
    let n = flat.chars().count();
    let shown: String = flat.chars().take(width).collect();
    let more = if n > width { "…" } else { "" };
    match bbox {
        Some(b) => format!(
            "«{shown}{more}»@{:.0},{:.0}–{:.0},{:.0}",
            b.x0, b.y0, b.x1, b.y1
        ),
        None => format!("«{shown}{more}»"),
    }
}

/// The report as the reader sees it. `profile`: read with this one, else the detected one.
pub fn inspect(
    bytes: &[u8],
    file: &str,
    profile: Option<&Profile>,
    width: usize,
) -> Result<String> {
    let fe = pipeline::front_end_with(bytes, file, &pipeline::hints(profile))?;
    let mut out = String::new();
    let s = &fe.source;
    let _ = writeln!(
        out,
        "{file}: {}{}{}{}",
        s.format,
        s.encoding
            .as_deref()
            .map(|e| format!(", {e}"))
            .unwrap_or_default(),
        s.pages.map(|p| format!(", {p} pages")).unwrap_or_default(),
        s.producer
            .as_deref()
            .map(|p| format!(", producer {p}"))
            .unwrap_or_default(),
    );
    for w in &fe.diag.warnings {
        let _ = writeln!(out, "  front end: {} {}", w.code, w.message);
    }
    let nrows = reader::normalize(&fe.rows);
    let ev = detect::Evidence::new(&nrows);
    let _ = writeln!(out, "\nprofiles:");
    for p in profile::builtins()
        .iter()
        .chain(profile.filter(|p| p.origin == "file"))
    {
        let f = detect::fit(&ev, p);
        let _ = writeln!(
            out,
            "  {:<28} {} ({}/{} labels{})",
            p.id,
            if f.fits() { "fits" } else { "does not fit" },
            f.found.len(),
            f.found.len() + f.missing.len(),
            if f.fits() {
                String::new()
            } else {
                format!("; {}", f.missed())
            }
        );
    }
    let chosen = match profile {
        Some(p) => p.clone(),
        None => match detect::choose(&nrows, profile::builtins()) {
            Ok(p) => p.clone(),
            Err(e) => {
                let _ = writeln!(out, "\n{}", e.message);
                // Still show the rows: that is what a new profile is written from.
                let _ = writeln!(out);
                for r in &nrows {
                    row_line(&mut out, r, "", "", width);
                }
                return Ok(out);
            }
        },
    };
    let _ = writeln!(
        out,
        "\nread as {} ({}): {}",
        chosen.id, chosen.origin, chosen.name
    );
    if let Err(e) = detect::check(&nrows, &chosen) {
        let _ = writeln!(out, "  (extract would refuse: {})", e.message);
    }
    let mut diag = Diag::default();
    let reading = reader::read(nrows, &chosen, fe.source.format == "scan", &mut diag);
    let mut page = None;
    for t in &reading.trace {
        if t.row.page != page && t.row.page.is_some() {
            page = t.row.page;
            let _ = writeln!(out, "\npage {}", page.unwrap_or(0));
        }
        if t.kind == reader::RowKind::Blank {
            continue;
        }
        row_line(&mut out, &t.row, t.kind.name(), &t.note, width);
    }
    let r = &reading.report;
    let _ = writeln!(
        out,
        "\nreport: municipality {:?}, plan {:?} {:?}, title {:?}, fiscal year {:?}",
        r.municipality,
        r.plan_title,
        r.plan_period.map(|p| (p.start, p.end)),
        r.title,
        r.fiscal_year
    );
    let numbers: Vec<&str> = reading
        .items
        .iter()
        .map(|i| i.item_number.as_str())
        .collect();
    let _ = writeln!(out, "items: {} ({})", numbers.len(), numbers.join(", "));
    for w in fe.diag.warnings.iter().chain(&diag.warnings) {
        let _ = writeln!(
            out,
            "warning {} {} {}: {}",
            w.code,
            w.item_number.as_deref().unwrap_or("-"),
            w.field.as_deref().unwrap_or("-"),
            w.message
        );
    }
    for c in &diag.corrections {
        let _ = writeln!(
            out,
            "correction {} {}: 「{}」 → 「{}」 ({})",
            c.item_number.as_deref().unwrap_or("-"),
            c.field,
            c.from,
            c.to,
            c.rule
        );
    }
    Ok(out)
}

fn row_line(out: &mut String, r: &crate::rows::NRow, kind: &str, note: &str, width: usize) {
    let at = match (r.page, r.line) {
        (_, Some(l)) => format!("l{l}"),
        _ => String::new(),
    };
    // The cells as printed (normalized): a footer or legend cell is emptied for the reader
    // but shown here.
    let cells: Vec<String> = r
        .raw
        .iter()
        .map(|raw| cell(&crate::normalize::text(&raw.text), raw.bbox, width))
        .collect();
    let _ = writeln!(out, "  {at:>5} {kind:<12} {}", cells.join(" | "));
    if !note.is_empty() {
        let _ = writeln!(out, "  {:>5} {:<12} → {note}", "", "");
    }
}
