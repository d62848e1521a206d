//! Reading the tool's JSON documents back.

use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};
use crate::model::{Document, SCHEMA_VERSION};
use crate::output::read_document;

/// Read report documents the tool wrote. Each path is a JSON file or a folder; of a folder,
/// every `*.json` directly inside is read in name order, and JSON that is not a report (no
/// `schema_version` and `items`, e.g. `datapackage.json`) is passed over. A file named
/// explicitly must be a report. JSON that does not parse is an error even inside a folder:
/// quietly leaving out a truncated report would make the comparison wrong without a sign.
pub fn read_documents(paths: &[PathBuf]) -> Result<Vec<Document>> {
    let mut docs = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| unreadable(path, &e))?;
        if meta.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|e| unreadable(path, &e))?;
            let mut files = Vec::new();
            for entry in entries {
                let entry = entry.map_err(|e| unreadable(path, &e))?;
                let p = entry.path();
                let is_json = p
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("json"));
                if is_json && p.is_file() {
                    files.push(p);
                }
            }
            files.sort();
            let before = docs.len();
            for f in &files {
                if let Some(doc) = read_document(f, &[SCHEMA_VERSION])? {
                    docs.push(doc);
                }
            }
            if docs.len() == before {
                return Err(Error::new(
                    ErrorKind::NoItems,
                    "no report documents in this folder (JSON with schema_version and items)",
                )
                .with_file(path.display().to_string()));
            }
        } else {
            match read_document(path, &[SCHEMA_VERSION])? {
                Some(doc) => docs.push(doc),
                None => {
                    return Err(Error::new(
                        ErrorKind::NotText,
                        "not a jisseki report document (no schema_version and items)",
                    )
                    .with_file(path.display().to_string()))
                }
            }
        }
    }
    Ok(docs)
}

fn unreadable(path: &Path, e: &std::io::Error) -> Error {
    Error::new(ErrorKind::InputUnreadable, format!("cannot read: {e}"))
        .with_file(path.display().to_string())
}
