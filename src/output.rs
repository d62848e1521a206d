//! Output files: JSON documents (and reading them back) and the tidy CSV tables, written
//! atomically (a temp file in the target folder, renamed into place), so a failure never leaves
//! a half-written file. Files get the usual permissions: read-write for the owner and readable
//! by others as the umask allows (0644 under umask 022), like any file a program creates.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, ErrorKind, Result};
use crate::model::{Document, SCHEMA_VERSION};
use crate::tables::{self, CsvOptions, ReportSet, Table};

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

/// Write `bytes` to `path` atomically, with mode 0666 less the umask.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let fail = |e: std::io::Error| {
        Error::new(ErrorKind::OutputUnwritable, format!("cannot write: {e}"))
            .with_file(path.display().to_string())
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".jisseki-").suffix(".tmp");
    // tempfile's default is 0600; a file created with 0666 gets the umask applied by the
    // system, as `open` does for every other program.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// The contract's tables (and `reports.csv`) for a set of documents, for a quick look;
/// [`write_csv`] writes every table.
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
    let sets = tables::group(docs);
    Tables {
        reports: tables::csv(Table::Reports, &sets, opts),
        items: tables::csv(Table::Items, &sets, opts),
        initiatives: tables::csv(Table::Initiatives, &sets, opts),
        schedule: tables::csv(Table::Schedule, &sets, opts),
    }
}

/// Write every CSV table for `sets` into `dir`.
pub fn write_csv(dir: &Path, sets: &[ReportSet<'_>], opts: CsvOptions) -> Result<()> {
    for t in Table::ALL {
        write_atomic(&dir.join(t.file_name()), &tables::csv(t, sets, opts))?;
    }
    Ok(())
}

/// Contract versions whose documents the tables read: version 2 adds to version 1 and renames
/// nothing, so a version 1 document is a version 2 one with empty additions.
pub const READABLE_VERSIONS: &[&str] = &["1", SCHEMA_VERSION];

fn not_text(path: &Path, msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::NotText, msg).with_file(path.display().to_string())
}

/// Read a JSON file the tool wrote: Some(document), None when it is JSON but not a report
/// document (no `schema_version` and `items`, e.g. `datapackage.json`). A report of a version
/// outside `versions`, or one that does not parse, is an error.
pub fn read_document(path: &Path, versions: &[&str]) -> Result<Option<Document>> {
    let bytes = std::fs::read(path).map_err(|e| {
        Error::new(ErrorKind::InputUnreadable, format!("cannot read: {e}"))
            .with_file(path.display().to_string())
    })?;
    let text = String::from_utf8(bytes).map_err(|_| not_text(path, "not UTF-8 text"))?;
    // Editors on Windows may add a byte order mark, which serde_json rejects.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    // A first pass that skips the items: is this a report document, and of which version?
    #[derive(serde::Deserialize)]
    struct Probe {
        schema_version: Option<serde_json::Value>,
        items: Option<Vec<serde::de::IgnoredAny>>,
    }
    let probe = match serde_json::from_str::<Probe>(text) {
        Ok(p) => p,
        // JSON, but not an object of that shape (an array, a number…): not a report.
        Err(e) if e.classify() == serde_json::error::Category::Data => return Ok(None),
        Err(e) => return Err(not_text(path, format!("not JSON: {e}"))),
    };
    let (Some(version), Some(_)) = (probe.schema_version, probe.items) else {
        return Ok(None);
    };
    if !version.as_str().is_some_and(|v| versions.contains(&v)) {
        return Err(not_text(
            path,
            format!(
                "schema_version {version} is not supported (this tool reads {})",
                versions.join(", ")
            ),
        ));
    }
    serde_json::from_str(text)
        .map(Some)
        .map_err(|e| not_text(path, format!("not a valid report document: {e}")))
}
