//! The whole job for one input: bytes → front end (text dump | PDF text layer | scan by OCR)
//! → Rows → report family (the profile given, or the one that fits) → reader → `Document`.

use crate::diag::{Diag, WarningCode};
use crate::error::{Error, ErrorKind, Result};
use crate::ingest::{self, Input};
use crate::model::{Document, Source, SCHEMA_VERSION};
use crate::profile::{self, Profile};
use crate::reader;
use crate::rows::Row;

/// How to read an input.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The report family; None: detect it among the built-in profiles.
    pub profile: Option<Profile>,
}

/// Extract one report, detecting its family. `file` is the name reported in `source.file`
/// and in error messages. Never panics: a panic inside a stage becomes an `Internal` error
/// naming the file.
pub fn extract(bytes: &[u8], file: &str) -> Result<Document> {
    extract_with(bytes, file, &Options::default())
}

/// [`extract`] with options (a profile).
pub fn extract_with(bytes: &[u8], file: &str, opts: &Options) -> Result<Document> {
    extract_hashed(bytes, None, file, opts)
}

/// [`extract_with`] for a caller that has already hashed the bytes (a batch, to find earlier
/// outputs): `sha256` is their SHA-256 in hex, or None to hash them here.
pub(crate) fn extract_hashed(
    bytes: &[u8],
    sha256: Option<&str>,
    file: &str,
    opts: &Options,
) -> Result<Document> {
    let run = std::panic::catch_unwind(|| extract_inner(bytes, sha256, file, opts));
    match run {
        Ok(r) => r.map_err(|e| {
            if e.file.is_none() {
                e.with_file(file)
            } else {
                e
            }
        }),
        Err(_) => Err(Error::new(
            ErrorKind::Internal,
            "internal error while reading this input (please report it)",
        )
        .with_file(file)),
    }
}

fn extract_inner(
    bytes: &[u8],
    sha256: Option<&str>,
    file: &str,
    opts: &Options,
) -> Result<Document> {
    let fe = front_end_hashed(bytes, sha256, file, &hints(opts.profile.as_ref()))?;
    let fixes = scan_fixes(&fe.rows);
    from_nrows(
        reader::normalize_owned(fe.rows),
        &fixes,
        fe.source,
        fe.diag,
        opts,
    )
}

/// What a front end hands to the reader: the rows, where they came from, and what it could
/// not read.
pub struct FrontEnd {
    pub rows: Vec<Row>,
    pub source: Source,
    pub diag: Diag,
}

/// Bytes → Rows by the front end their format needs (text dump or PDF text layer), with the
/// layout hints of every built-in profile.
pub fn front_end(bytes: &[u8], file: &str) -> Result<FrontEnd> {
    front_end_with(bytes, file, &hints(None))
}

/// The layout hints of the run's profile, else of every built-in.
pub fn hints(profile: Option<&Profile>) -> crate::rows::LayoutHints {
    match profile {
        Some(p) => profile::layout_hints(std::slice::from_ref(p)),
        None => {
            static BUILTIN: std::sync::OnceLock<crate::rows::LayoutHints> =
                std::sync::OnceLock::new();
            BUILTIN
                .get_or_init(|| profile::layout_hints(profile::builtins()))
                .clone()
        }
    }
}

/// [`front_end`] with the layout hints given.
pub fn front_end_with(
    bytes: &[u8],
    file: &str,
    hints: &crate::rows::LayoutHints,
) -> Result<FrontEnd> {
    front_end_hashed(bytes, None, file, hints)
}

fn front_end_hashed(
    bytes: &[u8],
    sha256: Option<&str>,
    file: &str,
    hints: &crate::rows::LayoutHints,
) -> Result<FrontEnd> {
    // The hash is needed only for `source`: with a second core it is computed while the
    // front end reads (SHA-256 of a small report costs as much as a tenth of reading it).
    let (fe, sha256) = match sha256 {
        Some(s) => (front_end_unhashed(bytes, file, hints), s.to_string()),
        None if crate::cores::second_core_free() => std::thread::scope(|scope| {
            let hashing = std::thread::Builder::new()
                .name("sha256".into())
                .spawn_scoped(scope, || ingest::sha256_hex(bytes));
            let fe = front_end_unhashed(bytes, file, hints);
            let sha = match hashing.map(|h| h.join()) {
                Ok(Ok(sha)) => sha,
                _ => ingest::sha256_hex(bytes),
            };
            (fe, sha)
        }),
        None => (
            front_end_unhashed(bytes, file, hints),
            ingest::sha256_hex(bytes),
        ),
    };
    let mut fe = fe?;
    fe.source.sha256 = sha256;
    Ok(fe)
}

/// The front end without `source.sha256` (left empty; the caller fills it in).
fn front_end_unhashed(
    bytes: &[u8],
    file: &str,
    hints: &crate::rows::LayoutHints,
) -> Result<FrontEnd> {
    let sha256 = String::new();
    match ingest::classify(bytes)? {
        Input::Text { text, encoding } => Ok(FrontEnd {
            rows: crate::text::rows(&text),
            source: Source {
                file: file.to_string(),
                sha256,
                format: "text".into(),
                encoding: Some(encoding.into()),
                pages: None,
                producer: None,
                ocr: None,
            },
            diag: Diag::default(),
        }),
        Input::Pdf => match crate::pdf::rows_with(bytes, hints) {
            Ok(pdf) => Ok(FrontEnd {
                rows: pdf.rows,
                source: Source {
                    file: file.to_string(),
                    sha256,
                    format: "pdf".into(),
                    encoding: None,
                    pages: Some(pdf.pages),
                    producer: pdf.producer,
                    ocr: None,
                },
                diag: pdf.diag,
            }),
            // Images and no text layer: a scan, read by OCR.
            Err(e) if e.kind == ErrorKind::NoTextLayer => {
                let content = crate::pdf::read(bytes, &crate::pdf::Limits::default())?;
                let pages = crate::scan::pdf_page_images(bytes, &content)?;
                let scan = crate::scan::read_pages(pages, file, None)?;
                Ok(scan_front_end(scan, file, sha256, content.producer))
            }
            // Text in fonts that map to no characters: their glyphs painted and read by OCR.
            Err(e) if e.kind == ErrorKind::PdfUnmappedFonts => {
                let (scan, content) = crate::scan::read_unmapped(bytes, file, e)?;
                Ok(scan_front_end(scan, file, sha256, content.producer))
            }
            Err(e) => Err(e),
        },
        Input::Image { .. } => {
            let pages = crate::scan::file_page_images(bytes)?;
            let scan = crate::scan::read_pages(pages, file, None)?;
            Ok(scan_front_end(scan, file, sha256, None))
        }
    }
}

/// A scan read by OCR: `source.format` "scan", with the OCR provenance.
fn scan_front_end(
    scan: crate::scan::ScanRows,
    file: &str,
    sha256: String,
    producer: Option<String>,
) -> FrontEnd {
    FrontEnd {
        rows: scan.rows,
        source: Source {
            file: file.to_string(),
            sha256,
            format: "scan".into(),
            encoding: None,
            pages: Some(scan.pages),
            producer,
            ocr: Some(scan.ocr),
        },
        diag: scan.diag,
    }
}

/// The shared back half: Rows → family → reader → Document.
pub fn from_rows(rows: &[Row], source: Source, diag: Diag, opts: &Options) -> Result<Document> {
    from_nrows(
        reader::normalize(rows),
        &scan_fixes(rows),
        source,
        diag,
        opts,
    )
}

/// The scan front end's corrections inside cells, with the page of their row.
fn scan_fixes(rows: &[Row]) -> Vec<(Option<u32>, crate::rows::OcrFix)> {
    rows.iter()
        .flat_map(|r| {
            r.cells
                .iter()
                .flat_map(move |c| c.fixes.iter().map(move |f| (r.page, f.clone())))
        })
        .collect()
}

/// [`from_rows`] for rows normalized already.
fn from_nrows(
    nrows: Vec<crate::rows::NRow>,
    fixes: &[(Option<u32>, crate::rows::OcrFix)],
    source: Source,
    mut diag: Diag,
    opts: &Options,
) -> Result<Document> {
    let unreadable = diag
        .warnings
        .iter()
        .filter(|w| w.code == WarningCode::PageUnreadable)
        .count();
    let low_dpi = diag
        .warnings
        .iter()
        .find(|w| w.code == WarningCode::LowResolution)
        .map(|w| w.message.split("; ").next().unwrap_or("").to_string());
    // Say why when the cause is known: a scan too coarse for OCR, text the fonts did not let
    // us read.
    let why = |e: Error| -> Error {
        if let (Some(dpi), ErrorKind::NoItems) = (&low_dpi, &e.kind) {
            Error::new(
                e.kind,
                format!("{}; {dpi}, too coarse for OCR (scan at 300 dpi)", e.message),
            )
        } else if unreadable > 0 && e.kind == ErrorKind::NoItems {
            Error::new(
                e.kind,
                format!(
                    "{}; {unreadable} pages hold text that could not be read",
                    e.message
                ),
            )
        } else {
            e
        }
    };
    let profile: &Profile = match &opts.profile {
        Some(p) => {
            reader::detect::check(&nrows, p).map_err(why)?;
            p
        }
        None => reader::detect::choose(&nrows, profile::builtins()).map_err(why)?,
    };
    let ocr = source.format == "scan";
    let reading = reader::read(nrows, profile, ocr, &mut diag);
    ocr_fixes(fixes, &reading.items, &mut diag);
    if reading.items.is_empty() {
        return Err(why(Error::new(
            ErrorKind::NoItems,
            format!(
                "no report items found (read as {}: no item numbers where its profile expects them)",
                profile.id
            ),
        )));
    }
    Ok(Document {
        schema_version: SCHEMA_VERSION.into(),
        profile: Some(profile.reference()),
        source,
        report: reading.report,
        items: reading.items,
        warnings: diag.warnings,
        corrections: diag.corrections,
    })
}

/// The scan front end's own corrections (`Cell::fixes`: a number read again by a second
/// model, a circled digit read again inside its ring) as document corrections, so that none is
/// silent. Each is put under the item whose pages hold it; the field names the page and box,
/// as the rows do not say which item field a cell became.
fn ocr_fixes(
    fixes: &[(Option<u32>, crate::rows::OcrFix)],
    items: &[crate::model::Item],
    diag: &mut Diag,
) {
    for (page, f) in fixes {
        let item = page.and_then(|p| {
            items
                .iter()
                .find(|i| i.pages.as_ref().is_some_and(|s| s.start <= p && p <= s.end))
        });
        let b = f.bbox;
        diag.corrections.push(crate::model::Correction {
            item_number: item.map(|i| i.item_number.clone()),
            field: format!(
                "ocr: page {} at ({:.0}, {:.0})–({:.0}, {:.0}) pt",
                page.unwrap_or(0),
                b.x0,
                b.y0,
                b.x1,
                b.y1
            ),
            from: f.from.clone(),
            to: f.to.clone(),
            rule: f.rule.clone(),
        });
    }
}
