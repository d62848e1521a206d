//! Output: JSON documents and the tidy CSV tables (the contract's three plus reports.csv),
//! written atomically
//! (a temp file in the target folder, renamed into place), so a failure never leaves a
//! half-written file.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, ErrorKind, Result};
use crate::model::Document;
use crate::tables::{self, CsvOptions, Table};

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

/// The CSV tables for a set of documents (concatenated, in the given order).
pub struct Tables {
    pub reports: Vec<u8>,
    pub items: Vec<u8>,
    pub initiatives: Vec<u8>,
    pub schedule: Vec<u8>,
}

pub fn csv_tables(docs: &[&Document]) -> Tables {
    csv_tables_with(docs, CsvOptions::default())
}

pub fn csv_tables_with(docs: &[&Document], opts: CsvOptions) -> Tables {
    Tables {
        reports: tables::csv(Table::Reports, docs, opts),
        items: tables::csv(Table::Items, docs, opts),
        initiatives: tables::csv(Table::Initiatives, docs, opts),
        schedule: tables::csv(Table::Schedule, docs, opts),
    }
}

/// Write the CSV tables into `dir`: `reports.csv` with one row per source in `sources`, and
/// the item-level tables for `reports` (one source per report, see `batch::combined`).
pub fn write_csv(
    dir: &Path,
    sources: &[&Document],
    reports: &[&Document],
    opts: CsvOptions,
) -> Result<()> {
    for t in Table::ALL {
        let docs = if t == Table::Reports {
            sources
        } else {
            reports
        };
        write_atomic(&dir.join(t.file_name()), &tables::csv(t, docs, opts))?;
    }
    Ok(())
}
