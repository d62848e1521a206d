//! Batch runs: many inputs (files and folders), processed in parallel, each written as
//! `OUT/<stem>.json`, plus combined tables for all of them.
//!
//! Results come back in input order whatever order the threads finish in, and combined tables
//! are sorted by municipality, fiscal year and item, so that two runs write the same bytes.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;

use crate::error::{Error, ErrorKind, Result};
use crate::model::{report_id_of, Document};
use crate::output;

/// Largest input read (a report PDF is a few MB; this stops a runaway read).
pub const MAX_INPUT: u64 = 512 * 1024 * 1024;

/// File name extensions taken from folders (explicit file arguments are always taken).
const EXTENSIONS: &[&str] = &["pdf", "txt", "tsv", "text"];

/// Expand folder arguments into their PDF and text files (sorted by path; subfolders only
/// with `recursive`). Files given by name are taken as they are; `-` is stdin.
pub fn collect_inputs(args: &[String], recursive: bool) -> (Vec<String>, Vec<Error>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for a in args {
        let p = Path::new(a);
        if a == "-" || !p.is_dir() {
            inputs.push(a.clone());
            continue;
        }
        let before = inputs.len();
        if let Err(e) = walk(p, recursive, &mut inputs) {
            errors.push(
                Error::new(
                    ErrorKind::InputUnreadable,
                    format!("cannot list folder: {e}"),
                )
                .with_file(a),
            );
            continue;
        }
        if inputs.len() == before {
            errors.push(
                Error::new(
                    ErrorKind::InputUnreadable,
                    "no PDF or text files in this folder",
                )
                .with_file(a),
            );
        }
    }
    (inputs, errors)
}

fn walk(dir: &Path, recursive: bool, out: &mut Vec<String>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        // Symlinked folders are not followed: no loops.
        let meta = std::fs::symlink_metadata(&p)?;
        if meta.is_dir() {
            if recursive {
                walk(&p, recursive, out)?;
            }
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            out.push(p.to_string_lossy().into_owned());
        }
    }
    Ok(())
}

/// Read an input (a path or `-` for stdin), at most [`MAX_INPUT`] bytes.
pub fn read_input(name: &str) -> Result<Vec<u8>> {
    let unreadable = |m: String| Error::new(ErrorKind::InputUnreadable, m).with_file(name);
    let mut bytes = Vec::new();
    if name == "-" {
        std::io::stdin()
            .take(MAX_INPUT + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| unreadable(format!("cannot read stdin: {e}")))?;
    } else {
        let path = Path::new(name);
        if path.is_dir() {
            return Err(unreadable("is a folder, not a file".into()));
        }
        let f = std::fs::File::open(path).map_err(|e| unreadable(io_message(&e)))?;
        f.take(MAX_INPUT + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| unreadable(io_message(&e)))?;
    }
    if bytes.len() as u64 > MAX_INPUT {
        return Err(unreadable(format!("larger than {} MiB", MAX_INPUT >> 20)));
    }
    Ok(bytes)
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => format!("cannot read: {e}"),
    }
}

/// `<stem>.json` for each input, made unique in input order when two inputs share a stem.
pub fn json_names(inputs: &[String]) -> Vec<String> {
    let mut used = std::collections::HashSet::new();
    inputs
        .iter()
        .map(|input| {
            let stem = if input == "-" {
                "stdin".to_string()
            } else {
                Path::new(input)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "report".into())
            };
            let mut name = stem.clone();
            let mut n = 2;
            while !used.insert(name.clone()) {
                name = format!("{stem}-{n}");
                n += 1;
            }
            format!("{name}.json")
        })
        .collect()
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Output folder; None means JSON to stdout (handled by the caller).
    pub out: Option<PathBuf>,
    pub json: bool,
    pub pretty: bool,
    /// Threads (1 = sequential).
    pub jobs: usize,
    /// Re-extract even when an up-to-date output exists.
    pub force: bool,
    /// How to read each input (the profile).
    pub extract: crate::Options,
}

/// What happened to one input.
#[derive(Debug)]
pub struct Outcome {
    pub input: String,
    pub result: Result<Document>,
    /// The output was up to date and was read back instead of extracting again.
    pub reused: bool,
}

/// Process every input on `opts.jobs` threads; `on_done` is called once per input as it
/// finishes (for a progress bar). Results are in input order.
pub fn run(inputs: &[String], opts: &Options, on_done: &(dyn Fn() + Sync)) -> Vec<Outcome> {
    let names = json_names(inputs);
    let exe_time = std::env::current_exe()
        .ok()
        .and_then(|p| p.metadata().ok())
        .and_then(|m| m.modified().ok());
    let work = |(input, name): (&String, &String)| {
        let o = process_one(input, name, opts, exe_time);
        on_done();
        o
    };
    let pairs: Vec<(&String, &String)> = inputs.iter().zip(&names).collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.max(1))
        .build();
    match pool {
        Ok(pool) => pool.install(|| pairs.into_par_iter().map(work).collect()),
        // No threads to be had: do the work here.
        Err(_) => pairs.into_iter().map(work).collect(),
    }
}

fn process_one(
    input: &str,
    json_name: &str,
    opts: &Options,
    exe_time: Option<SystemTime>,
) -> Outcome {
    let bytes = match read_input(input) {
        Ok(b) => b,
        Err(e) => {
            return Outcome {
                input: input.into(),
                result: Err(e),
                reused: false,
            }
        }
    };
    let out_path = opts.out.as_ref().map(|d| d.join(json_name));
    // An earlier output is reused only where it was read as the family asked for now; a
    // profile file may have changed since, so its outputs are always made again.
    let same_family = |doc: &Document| match &opts.extract.profile {
        None => true,
        Some(p) => p.origin == "builtin" && doc.profile.as_ref().is_some_and(|d| d.id == p.id),
    };
    if let (false, Some(path)) = (opts.force || input == "-", &out_path) {
        if let Some(doc) = up_to_date(path, &bytes, input, exe_time).filter(same_family) {
            return Outcome {
                input: input.into(),
                result: Ok(doc),
                reused: true,
            };
        }
    }
    let result = crate::extract_with(&bytes, input, &opts.extract).and_then(|doc| {
        if let (true, Some(path)) = (opts.json, &out_path) {
            output::write_atomic(path, output::to_json(&doc, opts.pretty).as_bytes())?;
        }
        Ok(doc)
    });
    Outcome {
        input: input.into(),
        result,
        reused: false,
    }
}

/// An earlier output for the same bytes and file name, written after this program was built.
fn up_to_date(
    path: &Path,
    bytes: &[u8],
    input: &str,
    exe_time: Option<SystemTime>,
) -> Option<Document> {
    let meta = std::fs::metadata(path).ok()?;
    if let (Some(exe), Ok(written)) = (exe_time, meta.modified()) {
        if written < exe {
            return None;
        }
    }
    let doc: Document = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    (doc.source.sha256 == crate::ingest::sha256_hex(bytes) && doc.source.file == input)
        .then_some(doc)
}

/// The combined tables' documents.
pub struct Combined<'a> {
    /// Every source, sorted by municipality, fiscal year, report id and file.
    pub sources: Vec<&'a Document>,
    /// One source per report id, in the same order: the same report read from several
    /// sources (a PDF and its text dump) is carried once in the item-level tables.
    pub reports: Vec<&'a Document>,
    /// (kept file, other files) for reports read from more than one source.
    pub duplicates: Vec<(String, Vec<String>)>,
}

pub fn combined<'a>(docs: &[&'a Document]) -> Combined<'a> {
    let mut sorted: Vec<(String, &Document)> = docs.iter().map(|d| (report_id_of(d), *d)).collect();
    sorted.sort_by(|(ia, a), (ib, b)| {
        (
            &a.report.municipality,
            a.report.fiscal_year,
            ia,
            &a.source.file,
        )
            .cmp(&(
                &b.report.municipality,
                b.report.fiscal_year,
                ib,
                &b.source.file,
            ))
    });
    let mut kept: Vec<(String, &Document)> = Vec::new();
    let mut duplicates: Vec<(String, Vec<String>)> = Vec::new();
    for (id, d) in &sorted {
        match kept.iter().find(|(k, _)| k == id) {
            Some((_, first)) => {
                match duplicates.iter_mut().find(|(f, _)| *f == first.source.file) {
                    Some((_, others)) => others.push(d.source.file.clone()),
                    None => {
                        duplicates.push((first.source.file.clone(), vec![d.source.file.clone()]))
                    }
                }
            }
            None => kept.push((id.clone(), d)),
        }
    }
    Combined {
        sources: sorted.into_iter().map(|(_, d)| d).collect(),
        reports: kept.into_iter().map(|(_, d)| d).collect(),
        duplicates,
    }
}
