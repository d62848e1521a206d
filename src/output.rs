//! Output: JSON documents and the three tidy CSV tables of the contract, written atomically
//! (a temp file in the target folder, renamed into place), so a failure never leaves a
//! half-written file.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, ErrorKind, Result};
use crate::model::{format_number, Document, Kpi};

pub fn to_json(doc: &Document, pretty: bool) -> String {
    // Serializing plain structs of strings and numbers cannot fail.
    let mut s = if pretty {
        serde_json::to_string_pretty(doc).unwrap_or_default()
    } else {
        serde_json::to_string(doc).unwrap_or_default()
    };
    s.push('\n');
    s
}

/// Write `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let fail = |e: std::io::Error| {
        Error::new(ErrorKind::OutputUnwritable, format!("cannot write: {e}"))
            .with_file(path.display().to_string())
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".jisseki-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

const KPI_FIELDS: [&str; 10] = [
    "raw",
    "indicator",
    "value",
    "value_max",
    "unit",
    "qualifier",
    "approx",
    "year",
    "as_of",
    "note",
];

fn kpi_cells(k: Option<&Kpi>) -> Vec<String> {
    let Some(k) = k else {
        return vec![String::new(); KPI_FIELDS.len()];
    };
    let num = |v: Option<f64>| v.map(format_number).unwrap_or_default();
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        k.raw.clone(),
        s(&k.indicator),
        num(k.value),
        num(k.value_max),
        s(&k.unit),
        s(&k.qualifier),
        k.approx.to_string(),
        k.year.map(|y| y.to_string()).unwrap_or_default(),
        s(&k.as_of),
        s(&k.note),
    ]
}

/// The three CSV tables for a set of documents (concatenated, in the given order).
pub struct Tables {
    pub items: Vec<u8>,
    pub initiatives: Vec<u8>,
    pub schedule: Vec<u8>,
}

pub fn items_header() -> Vec<String> {
    let mut h: Vec<String> = [
        "municipality",
        "fiscal_year",
        "item_key",
        "item_number",
        "pillar",
        "seq",
        "title",
        "departments",
        "current_issues",
        "target_state",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for side in ["kpi_target", "kpi_actual"] {
        h.extend(KPI_FIELDS.iter().map(|f| format!("{side}_{f}")));
    }
    h.extend(
        ["summary", "pages_start", "pages_end"]
            .iter()
            .map(|s| s.to_string()),
    );
    h
}

pub const INITIATIVES_HEADER: [&str; 9] = [
    "municipality",
    "fiscal_year",
    "item_key",
    "no",
    "text",
    "progress_symbol",
    "progress_label",
    "actions",
    "next_steps",
];
pub const SCHEDULE_HEADER: [&str; 6] = [
    "municipality",
    "fiscal_year",
    "item_key",
    "initiative_no",
    "year",
    "phase",
];

pub fn csv_tables(docs: &[&Document]) -> Tables {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut items = csv::Writer::from_writer(Vec::new());
    let mut inits = csv::Writer::from_writer(Vec::new());
    let mut sched = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail; errors are ignored on purpose below.
    let _ = items.write_record(items_header());
    let _ = inits.write_record(INITIATIVES_HEADER);
    let _ = sched.write_record(SCHEDULE_HEADER);
    for doc in docs {
        let muni = opt(&doc.report.municipality);
        let fy = doc
            .report
            .fiscal_year
            .map(|y| y.to_string())
            .unwrap_or_default();
        for it in &doc.items {
            let mut rec = vec![
                muni.clone(),
                fy.clone(),
                it.item_key.clone(),
                it.item_number.clone(),
                it.pillar.to_string(),
                it.seq.to_string(),
                opt(&it.title),
                it.departments.join(";"),
                opt(&it.current_issues),
                opt(&it.target_state),
            ];
            rec.extend(kpi_cells(it.kpi_target.as_ref()));
            rec.extend(kpi_cells(it.kpi_actual.as_ref()));
            rec.push(opt(&it.summary));
            rec.push(it.pages.map(|p| p.start.to_string()).unwrap_or_default());
            rec.push(it.pages.map(|p| p.end.to_string()).unwrap_or_default());
            let _ = items.write_record(&rec);
            for ini in &it.initiatives {
                let (sym, label) = match &ini.progress {
                    Some(p) => (p.symbol.clone(), p.label.clone()),
                    None => (String::new(), String::new()),
                };
                let _ = inits.write_record([
                    muni.clone(),
                    fy.clone(),
                    it.item_key.clone(),
                    ini.no.to_string(),
                    opt(&ini.text),
                    sym,
                    label,
                    opt(&ini.actions),
                    opt(&ini.next_steps),
                ]);
                for m in &ini.schedule {
                    let _ = sched.write_record([
                        muni.clone(),
                        fy.clone(),
                        it.item_key.clone(),
                        ini.no.to_string(),
                        m.year.to_string(),
                        m.phase.clone(),
                    ]);
                }
            }
        }
    }
    Tables {
        items: items.into_inner().unwrap_or_default(),
        initiatives: inits.into_inner().unwrap_or_default(),
        schedule: sched.into_inner().unwrap_or_default(),
    }
}

/// Write the three CSV tables into `dir`.
pub fn write_csv(dir: &Path, docs: &[&Document]) -> Result<()> {
    let t = csv_tables(docs);
    write_atomic(&dir.join("items.csv"), &t.items)?;
    write_atomic(&dir.join("initiatives.csv"), &t.initiatives)?;
    write_atomic(&dir.join("schedule.csv"), &t.schedule)?;
    Ok(())
}
