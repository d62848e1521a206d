//! Reading the tool's JSON documents back.

use super::*;

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
                if let Some(doc) = read_one(f)? {
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
            match read_one(path)? {
                Some(doc) => docs.push(doc),
                None => {
                    return Err(not_text(
                        path,
                        "not a jisseki report document (no schema_version and items)",
                    ))
                }
            }
        }
    }
    Ok(docs)
}

pub(super) fn unreadable(path: &Path, e: &std::io::Error) -> Error {
    Error::new(ErrorKind::InputUnreadable, format!("cannot read: {e}"))
        .with_file(path.display().to_string())
}

pub(super) fn not_text(path: &Path, msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::NotText, msg).with_file(path.display().to_string())
}

/// One JSON file: Some(report), None when it is JSON but not a report.
pub(super) fn read_one(path: &Path) -> Result<Option<Document>> {
    let bytes = std::fs::read(path).map_err(|e| unreadable(path, &e))?;
    let text = String::from_utf8(bytes).map_err(|_| not_text(path, "not UTF-8 text"))?;
    // Editors on Windows may add a byte order mark, which serde_json rejects.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| not_text(path, format!("not JSON: {e}")))?;
    let is_report =
        value.get("schema_version").is_some() && value.get("items").is_some_and(|i| i.is_array());
    if !is_report {
        return Ok(None);
    }
    let version = value.get("schema_version").and_then(|v| v.as_str());
    if version != Some(SCHEMA_VERSION) {
        return Err(not_text(
            path,
            format!(
                "schema_version {} is not supported (this tool reads {SCHEMA_VERSION})",
                value
                    .get("schema_version")
                    .map(|v| v.to_string())
                    .unwrap_or_default()
            ),
        ));
    }
    let doc: Document = serde_json::from_value(value)
        .map_err(|e| not_text(path, format!("not a valid report document: {e}")))?;
    Ok(Some(doc))
}
