//! Batch runs: many inputs (files and folders), processed in parallel, each written as
//! `OUT/<stem>.json`, plus the combined tables (CSV and SQLite) of the whole output folder.
//!
//! The output folder is the archive: its report JSONs are what the combined tables hold. After
//! every run the CSV tables are rebuilt, and the SQLite archive brought in line, from every
//! report JSON in the folder — the ones this run wrote and the ones earlier runs left — so a
//! run for FY2025 into the folder that holds FY2024 keeps both, in CSV and SQLite alike, and a
//! JSON removed from the folder leaves both on the next run.
//!
//! A JSON is overwritten only by a new reading of the same source (the same bytes, or the same
//! file name and report); another input with the same stem gets `<stem>-2.json`, so that last
//! year's `report.pdf` is not replaced by this year's.
//!
//! Results come back in input order whatever order the threads finish in, and combined tables
//! are sorted by municipality, fiscal year and report, so that two runs write the same bytes.

use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;
use serde::Deserialize;

use crate::diag::Severity;
use crate::error::{Error, ErrorKind, Result};
use crate::model::{report_id_of, Document, Report, Source, SCHEMA_VERSION};
use crate::tables::{self, CsvOptions};
use crate::{datapackage, output, sqlite};

/// Largest input read (a report PDF is a few MB; this stops a runaway read).
pub const MAX_INPUT: u64 = 512 * 1024 * 1024;

/// File name extensions taken from folders (explicit file arguments are always taken).
const EXTENSIONS: &[&str] = &["pdf", "txt", "tsv", "text"];

/// One input: where it is read from, and the name it is known by in the outputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The path to read (as given on the command line, or below a folder given there); `-`
    /// for stdin. Error messages name this.
    pub path: String,
    /// `source.file`: the path relative to the folder or file given on the command line (a
    /// file's name, or `2024/report.pdf` below a folder), never the machine's absolute path.
    pub name: String,
}

impl Input {
    /// A file given by name: known by its file name.
    pub fn file(path: &str) -> Input {
        let name = if path == "-" {
            "-".to_string()
        } else {
            Path::new(path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.to_string())
        };
        Input {
            path: path.to_string(),
            name,
        }
    }
}

/// `a/b.pdf` for `base/a/b.pdf`, with `/` on every platform.
fn relative_name(path: &Path, base: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Expand folder arguments into their PDF and text files (sorted by path; subfolders only
/// with `recursive`). Files given by name are taken as they are; `-` is stdin.
pub fn collect_inputs(args: &[String], recursive: bool) -> (Vec<Input>, Vec<Error>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for a in args {
        let p = Path::new(a);
        if a == "-" || !p.is_dir() {
            inputs.push(Input::file(a));
            continue;
        }
        let mut found = Vec::new();
        if let Err(e) = walk(p, recursive, &mut found) {
            errors.push(
                Error::new(
                    ErrorKind::InputUnreadable,
                    format!("cannot list folder: {e}"),
                )
                .with_file(a),
            );
            continue;
        }
        if found.is_empty() {
            errors.push(
                Error::new(
                    ErrorKind::InputUnreadable,
                    "no PDF or text files in this folder",
                )
                .with_file(a),
            );
        }
        inputs.extend(found.into_iter().map(|f| Input {
            name: relative_name(&f, p),
            path: f.to_string_lossy().into_owned(),
        }));
    }
    (inputs, errors)
}

fn walk(dir: &Path, recursive: bool, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
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
            out.push(p);
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
        // Room for the whole file at once: growing by doubling would leave up to twice its
        // size allocated (and resident) while the PDF is parsed.
        let size = f.metadata().map(|m| m.len()).unwrap_or(0).min(MAX_INPUT);
        bytes.reserve_exact(size as usize + 1);
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

/// The stem a JSON is named after: `report` for `2024/report.pdf`, `stdin` for `-`.
fn stem(input: &Input) -> String {
    if input.name == "-" {
        return "stdin".into();
    }
    Path::new(&input.name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "report".into())
}

/// A report JSON found in the output folder.
#[derive(Debug, Clone)]
pub struct Held {
    /// Its file name in the folder.
    pub name: String,
    /// What it holds; Err when it cannot be read as a report document.
    pub head: std::result::Result<Head, Error>,
    pub modified: Option<SystemTime>,
}

/// What identifies a report JSON: its source and report.
#[derive(Debug, Clone)]
pub struct Head {
    pub schema_version: String,
    pub file: String,
    pub sha256: String,
    pub report_id: String,
}

/// The part of a document [`Head`] is read from; the rest is skipped unparsed.
#[derive(Deserialize)]
struct HeadDoc {
    schema_version: String,
    #[serde(default)]
    source: Source,
    report: Report,
    #[allow(dead_code)]
    items: serde::de::IgnoredAny,
}

/// The report JSONs in `dir` (JSON that is not a report document, such as
/// `datapackage.json`, is passed over).
pub fn scan_folder(dir: &Path) -> Vec<Held> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json") && !n.starts_with('.') && n != "datapackage.json")
        .collect();
    names.sort();
    let one = |name: String| {
        let path = dir.join(&name);
        let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
        let head = read_head(&path)?;
        Some(Held {
            name,
            head,
            modified,
        })
    };
    // In parallel only inside a batch's pool: outside one, rayon would start its global pool
    // (threads and their memory) for a single report.
    let held: Vec<Option<Held>> = if rayon::current_thread_index().is_some() {
        names.into_par_iter().map(one).collect()
    } else {
        names.into_iter().map(one).collect()
    };
    held.into_iter().flatten().collect()
}

/// None: JSON that is no report document; Some(Err): a report JSON that cannot be read.
fn read_head(path: &Path) -> Option<std::result::Result<Head, Error>> {
    let bad = |m: String| {
        Some(Err(
            Error::new(ErrorKind::OutputUnwritable, m).with_file(path.display().to_string())
        ))
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return bad(format!("cannot read: {e}")),
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match serde_json::from_slice::<HeadDoc>(bytes) {
        Ok(h) => {
            let doc = Document {
                schema_version: h.schema_version.clone(),
                profile: None,
                source: h.source,
                report: h.report,
                items: Vec::new(),
                warnings: Vec::new(),
                corrections: Vec::new(),
            };
            Some(Ok(Head {
                report_id: report_id_of(&doc),
                schema_version: h.schema_version,
                file: doc.source.file,
                sha256: doc.source.sha256,
            }))
        }
        Err(_) => {
            // Not a report document at all (another JSON someone keeps here) is passed over.
            let value: Option<serde_json::Value> = serde_json::from_slice(bytes).ok();
            match value {
                Some(v) if v.get("schema_version").is_none() || v.get("items").is_none() => None,
                Some(_) => bad(
                    "a report JSON in the output folder that is not a valid report document; \
                     the combined tables are built from every report JSON there: fix or \
                     remove it"
                        .into(),
                ),
                None => bad(
                    "not valid JSON, in the output folder whose report JSONs the combined \
                     tables are built from: fix or remove it"
                        .into(),
                ),
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Output folder; None means JSON to stdout (handled by the caller).
    pub out: Option<PathBuf>,
    /// Write `OUT/<stem>.json` per input (the combined tables need them: they are built from
    /// the report JSONs in the folder).
    pub json: bool,
    pub pretty: bool,
    /// Threads (1 = sequential).
    pub jobs: usize,
    /// Re-extract even when an up-to-date output exists.
    pub force: bool,
    /// How to read each input (the report family's profile).
    pub extract: crate::Options,
}

/// What happened to one input.
#[derive(Debug)]
pub struct Outcome {
    pub input: Input,
    pub result: Result<Document>,
    /// The output was up to date and was read back instead of extracting again.
    pub reused: bool,
    /// The JSON in the output folder that holds this input's document.
    pub json_name: Option<String>,
}

/// A batch run: the outcomes in input order, and the report JSONs the output folder held
/// before it.
#[derive(Debug)]
pub struct Run {
    pub outcomes: Vec<Outcome>,
    pub held: Vec<Held>,
}

/// Process every input on `opts.jobs` threads; `on_done` is called once per input as it
/// finishes (for a progress bar). Results are in input order. With an output folder and
/// `opts.json`, each document is written to its JSON (named in input order, see the module
/// documentation).
pub fn run(inputs: &[Input], opts: &Options, on_done: &(dyn Fn() + Sync)) -> Run {
    let exe_time = std::env::current_exe()
        .ok()
        .and_then(|p| p.metadata().ok())
        .and_then(|m| m.modified().ok());
    // One input, or one thread: no pool (starting one costs more than it gives).
    let pool = if inputs.len() <= 1 || opts.jobs <= 1 {
        Err(())
    } else {
        rayon::ThreadPoolBuilder::new()
            .num_threads(opts.jobs)
            .build()
            .map_err(|_| ())
    };
    let scan = || opts.out.as_deref().map(scan_folder).unwrap_or_default();
    let held = match &pool {
        Ok(pool) => pool.install(scan),
        Err(_) => scan(),
    };
    let work = |input: &Input| {
        let o = process_one(input, opts, &held, exe_time);
        on_done();
        o
    };
    let mut outcomes: Vec<(Outcome, Option<String>)> = match &pool {
        Ok(pool) => pool.install(|| inputs.par_iter().map(work).collect()),
        // No threads to be had: do the work here.
        Err(_) => inputs.iter().map(work).collect(),
    };
    if let (Some(dir), true) = (&opts.out, opts.json) {
        let mut taken: HashSet<String> = outcomes
            .iter()
            .filter_map(|(o, _)| o.json_name.clone())
            .collect();
        for (o, json) in &mut outcomes {
            let (Ok(doc), Some(json)) = (&o.result, json.take()) else {
                continue;
            };
            let name = json_name(&held, &mut taken, &o.input, doc);
            if let Err(e) = output::write_atomic(&dir.join(&name), json.as_bytes()) {
                o.result = Err(e);
                continue;
            }
            o.json_name = Some(name);
        }
    }
    Run {
        outcomes: outcomes.into_iter().map(|(o, _)| o).collect(),
        held,
    }
}

/// The JSON name for a new reading of `input`: the JSON of the same source (the same bytes,
/// or the same file name and report) if the folder has one, else `<stem>.json`, `<stem>-2.json`
/// … whichever is free.
fn json_name(held: &[Held], taken: &mut HashSet<String>, input: &Input, doc: &Document) -> String {
    let id = report_id_of(doc);
    let same = |h: &&Held| {
        h.head.as_ref().is_ok_and(|head| {
            head.sha256 == doc.source.sha256
                || (head.file == doc.source.file && head.report_id == id)
        })
    };
    if let Some(h) = held.iter().find(same) {
        taken.insert(h.name.clone());
        return h.name.clone();
    }
    let in_folder: HashSet<&str> = held.iter().map(|h| h.name.as_str()).collect();
    let stem = stem(input);
    let mut name = format!("{stem}.json");
    let mut n = 2;
    while in_folder.contains(name.as_str()) || taken.contains(&name) {
        name = format!("{stem}-{n}.json");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

/// Read and extract one input; the JSON text to write comes back beside the outcome.
fn process_one(
    input: &Input,
    opts: &Options,
    held: &[Held],
    exe_time: Option<SystemTime>,
) -> (Outcome, Option<String>) {
    let outcome = |result, reused, json_name| Outcome {
        input: input.clone(),
        result,
        reused,
        json_name,
    };
    let bytes = match read_input(&input.path) {
        Ok(b) => b,
        Err(e) => return (outcome(Err(e), false, None), None),
    };
    // An earlier output is reused only where it was read as the family asked for now; a
    // profile file may have changed since, so its outputs are always made again.
    let same_family = |doc: &(String, Document)| match &opts.extract.profile {
        None => true,
        Some(p) => p.origin == "builtin" && doc.1.profile.as_ref().is_some_and(|d| d.id == p.id),
    };
    // The bytes are hashed here only when an earlier output of this file name may be
    // reused; otherwise the pipeline hashes them while it reads.
    let mut sha256 = None;
    if let (false, Some(dir)) = (opts.force || input.path == "-", &opts.out) {
        let candidate = held
            .iter()
            .any(|h| h.head.as_ref().is_ok_and(|head| head.file == input.name));
        if candidate {
            let sha = sha256.insert(crate::ingest::sha256_hex(&bytes));
            if let Some((name, doc)) =
                up_to_date(dir, held, sha, input, exe_time).filter(same_family)
            {
                return (outcome(Ok(doc), true, Some(name)), None);
            }
        }
    }
    match crate::pipeline::extract_hashed(&bytes, sha256.as_deref(), &input.name, &opts.extract) {
        Ok(doc) => {
            let json =
                (opts.json && opts.out.is_some()).then(|| output::to_json(&doc, opts.pretty));
            (outcome(Ok(doc), false, None), json)
        }
        // Errors name the path as given, so that the user finds the file.
        Err(mut e) => {
            e.file = Some(input.path.clone());
            (outcome(Err(e), false, None), None)
        }
    }
}

/// An earlier output for the same bytes and file name, of this contract version, written
/// after this program was built.
fn up_to_date(
    dir: &Path,
    held: &[Held],
    sha256: &str,
    input: &Input,
    exe_time: Option<SystemTime>,
) -> Option<(String, Document)> {
    let h = held.iter().find(|h| {
        h.head.as_ref().is_ok_and(|head| {
            head.sha256 == sha256
                && head.file == input.name
                && head.schema_version == SCHEMA_VERSION
        })
    })?;
    if let (Some(exe), Some(written)) = (exe_time, h.modified) {
        if written < exe {
            return None;
        }
    }
    let doc = output::read_document(&dir.join(&h.name), &[SCHEMA_VERSION]).ok()??;
    Some((h.name.clone(), doc))
}

/// What the combined outputs are written from and with.
#[derive(Debug, Clone, Default)]
pub struct Combine {
    pub csv: bool,
    pub sqlite: bool,
    pub csv_opts: CsvOptions,
    pub license: datapackage::License,
}

/// What the combined outputs hold after a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Combined {
    pub reports: usize,
    pub sources: usize,
    /// For reports of this run read from several sources: (the source the item tables carry,
    /// how many others).
    pub shared: Vec<(String, usize)>,
}

/// Write the combined outputs (CSV tables with their data package, the SQLite archive) of
/// every report JSON in `dir`: those of this run and those earlier runs left. Without an
/// output folder (JSON to stdout), from this run's documents only.
pub fn write_combined(dir: &Path, run: &Run, c: &Combine) -> Result<Combined> {
    let mine: Vec<&Document> = run
        .outcomes
        .iter()
        .filter_map(|o| o.result.as_ref().ok())
        .collect();
    let this_run: HashSet<&str> = run
        .outcomes
        .iter()
        .filter_map(|o| o.json_name.as_deref())
        .collect();
    let mut others = Vec::new();
    for h in run
        .held
        .iter()
        .filter(|h| !this_run.contains(h.name.as_str()))
    {
        if let Err(e) = &h.head {
            return Err(e.clone());
        }
        let path = dir.join(&h.name);
        match output::read_document(&path, output::READABLE_VERSIONS) {
            Ok(Some(doc)) => others.push(doc),
            Ok(None) => {}
            Err(e) => {
                return Err(Error::new(
                    ErrorKind::OutputUnwritable,
                    format!(
                        "{}; the combined tables are built from every report JSON in the \
                         output folder: fix or remove it",
                        e.message
                    ),
                )
                .with_file(path.display().to_string()))
            }
        }
    }
    let mut all = mine.clone();
    all.extend(others.iter());
    let sets = tables::group(&all);
    if c.csv {
        output::write_csv(dir, &sets, c.csv_opts)?;
        output::write_atomic(
            &dir.join("datapackage.json"),
            datapackage::json(c.csv_opts, &c.license).as_bytes(),
        )?;
    }
    if c.sqlite {
        sqlite::sync_sqlite(&dir.join("jisseki.sqlite"), &sets)?;
    }
    let ran: HashSet<&str> = mine.iter().map(|d| d.source.sha256.as_str()).collect();
    Ok(Combined {
        reports: sets.len(),
        sources: sets.iter().map(|s| s.sources.len()).sum(),
        shared: sets
            .iter()
            .filter(|s| s.sources.len() > 1)
            .filter(|s| {
                s.sources
                    .iter()
                    .any(|d| ran.contains(d.source.sha256.as_str()))
            })
            .map(|s| (s.doc.source.file.clone(), s.sources.len() - 1))
            .collect(),
    })
}

/// `--strict`: one error per document of this run with warnings of `level` or above, naming
/// the input and the count by code.
pub fn strict_errors(outcomes: &[Outcome], level: Severity) -> Vec<Error> {
    outcomes
        .iter()
        .filter_map(|o| {
            let doc = o.result.as_ref().ok()?;
            let counts: BTreeMap<&str, usize> = doc
                .warnings
                .iter()
                .filter(|w| w.code.severity() >= level)
                .fold(BTreeMap::new(), |mut m, w| {
                    *m.entry(w.code.as_str()).or_default() += 1;
                    m
                });
            let total: usize = counts.values().sum();
            (total > 0).then(|| {
                let by_code: Vec<String> = counts.iter().map(|(c, n)| format!("{c} {n}")).collect();
                Error::new(
                    ErrorKind::Strict,
                    format!(
                        "--strict={}: {total} warning{} at or above {} ({})",
                        level.as_str(),
                        if total == 1 { "" } else { "s" },
                        level.as_str(),
                        by_code.join(", ")
                    ),
                )
                .with_file(o.input.path.clone())
            })
        })
        .collect()
}
