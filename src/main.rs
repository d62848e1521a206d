//! The command line. Thin on purpose: the work is in the library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use jisseki::batch::{self, Options};
use jisseki::error::{Error, ErrorKind};
use jisseki::model::Document;
use jisseki::output;
use jisseki::tables::{CsvOptions, HeaderLang};

const SCHEMA: &str = include_str!("../schemas/report.schema.json");

const USAGE: &str = "\
jisseki: Japanese municipal progress reports (実績報告) → JSON, CSV and SQLite

usage:
  jisseki extract INPUT... [-o DIR] [--format json|csv|sqlite[,...]] [options]
  jisseki compare JSON_OR_DIR... [-o CHANGES.csv]
                            line up the same items across fiscal years and show what
                            changed (progress, KPI against target, new and dropped items)
  jisseki schema            print the JSON Schema of the output
  jisseki --help | --version

INPUT is a PDF or a text dump (UTF-8, UTF-16 with BOM, Shift_JIS or EUC-JP), a folder of
them, or - for stdin. Without -o, JSON goes to stdout (one compact document per line when
there are several inputs). With -o DIR: DIR/<name>.json per input; csv adds reports.csv,
items.csv, initiatives.csv, schedule.csv and datapackage.json for all inputs together;
sqlite adds DIR/jisseki.sqlite.

options:
  -o, --output DIR      output folder (created if missing)
  -f, --format LIST     json (default), csv, sqlite, comma-separated
  -r, --recursive       also take files in subfolders of folder inputs
  -j, --jobs N          threads (default: all cores)
      --force           extract again even when DIR/<name>.json is up to date
      --compact         JSON on one line
      --bom             CSV with a UTF-8 BOM (for Excel)
      --header-lang L   CSV header language: en (default) or ja
  -q, --quiet           no progress bar, no summary line
      --no-ocr-cache    OCR scans again instead of reusing cached pages

exit codes: 0 ok, 1 some inputs failed, 2 usage, 3 input unreadable, 4 not text,
5 no report items, 6 PDF unreadable, 7 a scan and no Tesseract (jpn) to OCR it,
8 output unwritable,
70 internal error";

struct Args {
    inputs: Vec<String>,
    out: Option<PathBuf>,
    json: bool,
    csv: bool,
    sqlite: bool,
    compact: bool,
    recursive: bool,
    force: bool,
    quiet: bool,
    no_ocr_cache: bool,
    jobs: Option<usize>,
    csv_opts: CsvOptions,
}

enum Command {
    Extract(Args),
    Compare(Vec<String>, Option<PathBuf>),
    Schema,
    Help,
    Version,
}

fn parse_args() -> Result<Command, String> {
    use lexopt::prelude::*;
    let err = |e: lexopt::Error| e.to_string();
    let mut p = lexopt::Parser::from_env();
    let mut command: Option<String> = None;
    let mut a = Args {
        inputs: Vec::new(),
        out: None,
        json: true,
        csv: false,
        sqlite: false,
        compact: false,
        recursive: false,
        force: false,
        quiet: false,
        no_ocr_cache: false,
        jobs: None,
        csv_opts: CsvOptions::default(),
    };
    while let Some(arg) = p.next().map_err(err)? {
        match arg {
            Short('h') | Long("help") => return Ok(Command::Help),
            Short('V') | Long("version") => return Ok(Command::Version),
            Short('o') | Long("output") => a.out = Some(p.value().map_err(err)?.into()),
            Long("compact") => a.compact = true,
            Short('r') | Long("recursive") => a.recursive = true,
            Long("force") => a.force = true,
            Short('q') | Long("quiet") => a.quiet = true,
            Long("no-ocr-cache") => a.no_ocr_cache = true,
            Long("bom") => a.csv_opts.bom = true,
            Long("header-lang") => {
                a.csv_opts.header_lang = match p.value().map_err(err)?.to_str() {
                    Some("en") => HeaderLang::En,
                    Some("ja") => HeaderLang::Ja,
                    _ => return Err("--header-lang: en or ja".into()),
                }
            }
            Short('j') | Long("jobs") => {
                let v: usize = p.value().map_err(err)?.parse().map_err(err)?;
                if v == 0 {
                    return Err("--jobs: at least 1".into());
                }
                a.jobs = Some(v);
            }
            Long("format") | Short('f') => {
                let v = p
                    .value()
                    .map_err(err)?
                    .string()
                    .map_err(|_| "--format: not UTF-8".to_string())?;
                (a.json, a.csv, a.sqlite) = (false, false, false);
                for f in v.split(',') {
                    match f.trim() {
                        "json" => a.json = true,
                        "csv" => a.csv = true,
                        "sqlite" => a.sqlite = true,
                        other => {
                            return Err(format!(
                                "--format: unknown format '{other}' (json, csv, sqlite)"
                            ))
                        }
                    }
                }
            }
            Value(v) if command.is_none() => {
                command = Some(v.string().map_err(|_| "command: not UTF-8".to_string())?)
            }
            Value(v) => a.inputs.push(v.to_string_lossy().into_owned()),
            other => return Err(other.unexpected().to_string()),
        }
    }
    match command.as_deref() {
        Some("extract") => {
            if a.inputs.is_empty() {
                return Err("extract: no INPUT given".into());
            }
            if (a.csv || a.sqlite) && a.out.is_none() {
                return Err("--format csv and sqlite write several files and need -o DIR".into());
            }
            Ok(Command::Extract(a))
        }
        Some("compare") => {
            if a.inputs.is_empty() {
                return Err("compare: no report JSON or folder given".into());
            }
            Ok(Command::Compare(a.inputs, a.out))
        }
        Some("schema") => Ok(Command::Schema),
        Some(other) => Err(format!("unknown command '{other}'")),
        None => Ok(Command::Help),
    }
}

fn main() -> ExitCode {
    // The library turns a panic into an "internal error" line naming the file; the default
    // hook would add a multi-line report to stderr. JISSEKI_BACKTRACE=1 keeps it for debugging.
    if std::env::var_os("JISSEKI_BACKTRACE").is_none() {
        std::panic::set_hook(Box::new(|_| {}));
    }
    let cmd = match parse_args() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("jisseki: {e}\n(see jisseki --help)");
            return ExitCode::from(2);
        }
    };
    match cmd {
        Command::Help => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Command::Version => {
            println!("jisseki {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Command::Schema => {
            print_stdout(SCHEMA.as_bytes());
            ExitCode::SUCCESS
        }
        Command::Extract(args) => extract(&args),
        Command::Compare(inputs, out) => compare(&inputs, out.as_deref()),
    }
}

fn compare(inputs: &[String], out: Option<&std::path::Path>) -> ExitCode {
    let paths: Vec<PathBuf> = inputs.iter().map(PathBuf::from).collect();
    let docs = match jisseki::compare::read_documents(&paths) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("jisseki: {e}");
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(1));
        }
    };
    let c = jisseki::compare::compare(&docs);
    print_stdout(jisseki::compare::render_text(&c).as_bytes());
    if let Some(path) = out {
        if let Err(e) = output::write_atomic(path, &jisseki::compare::to_csv(&c)) {
            eprintln!("jisseki: {e}");
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(1));
        }
    }
    ExitCode::SUCCESS
}

fn print_stdout(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = out.write_all(bytes).and_then(|_| out.flush());
}

fn extract(args: &Args) -> ExitCode {
    let started = Instant::now();
    if let Some(dir) = &args.out {
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!(
                "jisseki: {}: cannot create output folder: {e}",
                dir.display()
            );
            return ExitCode::from(ErrorKind::OutputUnwritable.exit_code() as u8);
        }
    }
    let (inputs, mut errors) = batch::collect_inputs(&args.inputs, args.recursive);
    for e in &errors {
        eprintln!("jisseki: {e}");
    }
    let several = inputs.len() > 1 || args.inputs.len() > 1;
    // Scans: a bar per page when one input is read (several inputs have a bar per input);
    // threads come from the -j pool the batch runs in.
    jisseki::scan::set_defaults(jisseki::scan::ScanOptions {
        threads: None,
        progress: !args.quiet && !several,
        no_cache: args.no_ocr_cache,
    });
    let opts = Options {
        out: args.out.clone(),
        json: args.json,
        pretty: !args.compact,
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        force: args.force,
    };
    let bar = if !args.quiet && std::io::stderr().is_terminal() && inputs.len() > 1 {
        indicatif::ProgressBar::new(inputs.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let outcomes = batch::run(&inputs, &opts, &|| bar.inc(1));
    bar.finish_and_clear();

    let mut docs: Vec<&Document> = Vec::new();
    let mut reused = 0;
    for o in &outcomes {
        match &o.result {
            Ok(doc) => {
                if args.out.is_none() && args.json {
                    print_stdout(output::to_json(doc, !args.compact && !several).as_bytes());
                }
                reused += usize::from(o.reused);
                docs.push(doc);
            }
            Err(e) => {
                eprintln!("jisseki: {e}");
                errors.push(e.clone());
            }
        }
    }
    if let Some(dir) = &args.out {
        if let Err(e) = write_combined(dir, &docs, args) {
            eprintln!("jisseki: {e}");
            errors.push(e);
        }
    }
    if !args.quiet && (args.out.is_some() || several) {
        let items: usize = docs.iter().map(|d| d.items.len()).sum();
        let warnings: usize = docs.iter().map(|d| d.warnings.len()).sum();
        eprintln!(
            "jisseki: {}, {}, {}, {} failed, {reused} up to date, {:.2} s",
            count(docs.len(), "report"),
            count(items, "item"),
            count(warnings, "warning"),
            errors.len(),
            started.elapsed().as_secs_f64()
        );
    }
    exit_code(&errors, docs.len())
}

/// The combined outputs for all documents: CSV tables with their data package, SQLite.
fn write_combined(dir: &std::path::Path, docs: &[&Document], args: &Args) -> Result<(), Error> {
    if !(args.csv || args.sqlite) {
        return Ok(());
    }
    let c = batch::combined(docs);
    for (first, others) in &c.duplicates {
        if !args.quiet {
            eprintln!(
                "jisseki: {first} and {} more hold the same report; the item tables carry it once, from {first}",
                others.len()
            );
        }
    }
    if args.csv {
        output::write_csv(dir, &c.sources, &c.reports, args.csv_opts)?;
        output::write_atomic(
            &dir.join("datapackage.json"),
            jisseki::datapackage::json(args.csv_opts).as_bytes(),
        )?;
    }
    if args.sqlite {
        // An archive grows run by run: reports already in it are replaced, others kept.
        jisseki::sqlite::write_sqlite(&dir.join("jisseki.sqlite"), &c.reports)?;
    }
    Ok(())
}

/// `1 report`, `6 reports`.
fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn exit_code(errors: &[Error], succeeded: usize) -> ExitCode {
    let Some(first) = errors.first() else {
        return ExitCode::SUCCESS;
    };
    if succeeded > 0 || errors.iter().any(|e| e.kind != first.kind) {
        return ExitCode::from(1);
    }
    ExitCode::from(u8::try_from(first.exit_code()).unwrap_or(1))
}
