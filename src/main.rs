//! The command line. Thin on purpose: the work is in the library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use jisseki::batch::{self, Options};
use jisseki::diag::Severity;
use jisseki::error::{Error, ErrorKind};
use jisseki::model::Document;
use jisseki::output;
use jisseki::tables::{CsvOptions, HeaderLang};

const SCHEMA: &str = include_str!("../schemas/report.schema.json");

const USAGE: &str = "\
jisseki: Japanese municipal progress reports (実績報告) → JSON, CSV and SQLite

usage:
  jisseki extract INPUT... [-o DIR] [--format json|csv|sqlite[,...]] [options]
  jisseki compare JSON_OR_DIR... [-o CHANGES.csv] [--levels LEVELS.csv]
                            line up the same items across fiscal years and show what
                            changed (progress, KPI against target, new and dropped items),
                            and how each report's ratings spread over the common scale
  jisseki profiles          list the built-in report families (profiles)
  jisseki inspect FILE [--profile P]
                            show what the reader sees: rows, cells and their boxes,
                            how each row was read, the items and warnings
  jisseki profile init FILE [-o PROFILE.toml]
                            draft a profile for a report of a family jisseki does not
                            know yet (see docs/profiles.md), to finish by hand
  jisseki schema            print the JSON Schema of the output
  jisseki --help | --version

INPUT is a PDF or a text dump (UTF-8, UTF-16 with BOM, Shift_JIS or EUC-JP), a folder of
them, or - for stdin. Without -o, JSON goes to stdout (one compact document per line when
there are several inputs). With -o DIR: DIR/<name>.json per input; csv adds the tables
(reports.csv, sources.csv, items.csv, initiatives.csv, … and datapackage.json) and sqlite
DIR/jisseki.sqlite, both rebuilt from every report JSON in DIR (so they imply json).

options:
  -o, --output DIR      output folder (created if missing)
  -p, --profile P       read as report family P (a built-in id or a profile file);
                        default: detect it among the built-in profiles
  -f, --format LIST     json (default), csv, sqlite, comma-separated
  -r, --recursive       also take files in subfolders of folder inputs
  -j, --jobs N          threads (default: all cores; -j 1 keeps to one)
      --force           extract again even when DIR/<name>.json is up to date
      --compact         JSON on one line
      --bom             CSV with a UTF-8 BOM (for Excel)
      --header-lang L   CSV header language: en (default) or ja
      --license ID      data licence named in datapackage.json (default CC-BY-4.0)
      --strict[=LEVEL]  fail (exit 12) when an input has warnings of LEVEL or above:
                        warning (the default), error, or info (any warning)
  -q, --quiet           no progress bar, no summary line
      --levels FILE     (compare) the level distributions as CSV
      --no-ocr-cache    OCR scans again instead of reusing cached pages

exit codes: 0 ok, 1 some inputs failed, 2 usage, 3 input unreadable, 4 not text,
5 no report items (or no report family fits), 6 PDF unreadable, 7 a scan and no Tesseract
(jpn) to OCR it, 8 output unwritable, 9 PDF needs a password, 10 PDF has no text at all,
11 PDF fonts without a usable Unicode mapping, 12 warnings at the --strict level,
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
    profile: Option<String>,
    license: Option<String>,
    strict: Option<Severity>,
    levels: Option<PathBuf>,
}

enum Command {
    Extract(Args),
    Compare(Vec<String>, Option<PathBuf>, Option<PathBuf>),
    Profiles,
    Inspect(String, Option<String>),
    ProfileInit(String, Option<PathBuf>),
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
        profile: None,
        license: None,
        strict: None,
        levels: None,
    };
    while let Some(arg) = p.next().map_err(err)? {
        match arg {
            Short('h') | Long("help") => return Ok(Command::Help),
            Short('V') | Long("version") => return Ok(Command::Version),
            Short('o') | Long("output") => a.out = Some(p.value().map_err(err)?.into()),
            Long("compact") => a.compact = true,
            Short('p') | Long("profile") => {
                a.profile = Some(
                    p.value()
                        .map_err(err)?
                        .string()
                        .map_err(|_| "--profile: not UTF-8".to_string())?,
                )
            }
            Short('r') | Long("recursive") => a.recursive = true,
            Long("force") => a.force = true,
            Short('q') | Long("quiet") => a.quiet = true,
            Long("no-ocr-cache") => a.no_ocr_cache = true,
            Long("bom") => a.csv_opts.bom = true,
            Long("license") => {
                let v = p.value().map_err(err)?.string();
                match v {
                    Ok(v) if !v.trim().is_empty() => a.license = Some(v.trim().to_string()),
                    _ => return Err("--license: a licence id such as CC-BY-4.0".into()),
                }
            }
            Long("strict") => {
                a.strict = Some(match p.optional_value() {
                    None => Severity::Warning,
                    Some(v) => v
                        .to_str()
                        .and_then(Severity::parse)
                        .ok_or("--strict: info, warning or error")?,
                })
            }
            Long("levels") => a.levels = Some(p.value().map_err(err)?.into()),
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
            Ok(Command::Compare(a.inputs, a.out, a.levels))
        }
        Some("schema") => Ok(Command::Schema),
        Some("profiles") => Ok(Command::Profiles),
        Some("inspect") => match a.inputs.as_slice() {
            [file] => Ok(Command::Inspect(file.clone(), a.profile)),
            _ => Err("inspect: give one FILE".into()),
        },
        Some("profile") => match a.inputs.as_slice() {
            [sub, file] if sub == "init" => Ok(Command::ProfileInit(file.clone(), a.out)),
            _ => Err("profile: jisseki profile init FILE [-o PROFILE.toml]".into()),
        },
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
        Command::Profiles => {
            let mut text = String::new();
            for p in jisseki::profile::builtins() {
                let layout = match p.layout {
                    jisseki::profile::Layout::Form => "form",
                    jisseki::profile::Layout::List => "list",
                };
                text.push_str(&format!("{:<28} {layout:<5} {}\n", p.id, p.name));
            }
            print_stdout(text.as_bytes());
            ExitCode::SUCCESS
        }
        Command::Inspect(file, profile) => inspect(&file, profile.as_deref()),
        Command::ProfileInit(file, out) => profile_init(&file, out.as_deref()),
        Command::Schema => {
            print_stdout(SCHEMA.as_bytes());
            ExitCode::SUCCESS
        }
        Command::Extract(args) => extract(&args),
        Command::Compare(inputs, out, levels) => {
            compare(&inputs, out.as_deref(), levels.as_deref())
        }
    }
}

fn compare(
    inputs: &[String],
    out: Option<&std::path::Path>,
    levels: Option<&std::path::Path>,
) -> ExitCode {
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
    let files = [
        (out, jisseki::compare::to_csv as fn(&_) -> Vec<u8>),
        (levels, jisseki::compare::levels_to_csv),
    ];
    for (path, bytes) in files {
        if let Some(path) = path {
            if let Err(e) = output::write_atomic(path, &bytes(&c)) {
                eprintln!("jisseki: {e}");
                return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(1));
            }
        }
    }
    ExitCode::SUCCESS
}

/// Exit with an error's line and code.
fn fail(e: &Error) -> ExitCode {
    eprintln!("jisseki: {e}");
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(1))
}

fn load_profile(spec: Option<&str>) -> Result<Option<jisseki::profile::Profile>, Error> {
    spec.map(jisseki::profile::load).transpose()
}

fn read_file(file: &str) -> Result<Vec<u8>, Error> {
    std::fs::read(file).map_err(|e| {
        Error::new(ErrorKind::InputUnreadable, format!("cannot read: {e}")).with_file(file)
    })
}

fn inspect(file: &str, profile: Option<&str>) -> ExitCode {
    let run = || -> Result<String, Error> {
        let p = load_profile(profile)?;
        let bytes = read_file(file)?;
        jisseki::inspect::inspect(&bytes, file, p.as_ref(), 40).map_err(|e| {
            if e.file.is_none() {
                e.with_file(file)
            } else {
                e
            }
        })
    };
    match run() {
        Ok(text) => {
            print_stdout(text.as_bytes());
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

fn profile_init(file: &str, out: Option<&std::path::Path>) -> ExitCode {
    let run = || -> Result<String, Error> {
        let bytes = read_file(file)?;
        jisseki::profile::init::draft(&bytes, file).map_err(|e| {
            if e.file.is_none() {
                e.with_file(file)
            } else {
                e
            }
        })
    };
    match run() {
        Ok(text) => match out {
            Some(path) => match output::write_atomic(path, text.as_bytes()) {
                Ok(()) => {
                    eprintln!("jisseki: wrote {}", path.display());
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            },
            None => {
                print_stdout(text.as_bytes());
                ExitCode::SUCCESS
            }
        },
        Err(e) => fail(&e),
    }
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
    let profile = match load_profile(args.profile.as_deref()) {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
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
        // The combined tables are built from the report JSONs in the folder.
        json: args.json || args.csv || args.sqlite,
        pretty: !args.compact,
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        force: args.force,
        extract: jisseki::Options { profile },
    };
    jisseki::cores::set_helper_threads(opts.jobs > 1);
    let bar = if !args.quiet && std::io::stderr().is_terminal() && inputs.len() > 1 {
        indicatif::ProgressBar::new(inputs.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let run = batch::run(&inputs, &opts, &|| bar.inc(1));
    bar.finish_and_clear();
    let outcomes = &run.outcomes;

    let mut docs: Vec<&Document> = Vec::new();
    let mut reused = 0;
    for o in outcomes {
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
    let mut archive = None;
    if let Some(dir) = &args.out {
        match write_combined(dir, &run, args) {
            Ok(c) => archive = c,
            Err(e) => {
                eprintln!("jisseki: {e}");
                errors.push(e);
            }
        }
    }
    let strict = args
        .strict
        .map(|level| batch::strict_errors(outcomes, level))
        .unwrap_or_default();
    for e in &strict {
        eprintln!("jisseki: {e}");
    }
    if !args.quiet && (args.out.is_some() || several) {
        let items: usize = docs.iter().map(|d| d.items.len()).sum();
        let warnings: usize = docs.iter().map(|d| d.warnings.len()).sum();
        let strict_note = match args.strict {
            Some(level) => format!(", {} over --strict={}", strict.len(), level.as_str()),
            None => String::new(),
        };
        eprintln!(
            "jisseki: {}, {}, {}, {} failed{strict_note}, {reused} up to date, {:.2} s",
            count(docs.len(), "report"),
            count(items, "item"),
            count(warnings, "warning"),
            errors.len(),
            started.elapsed().as_secs_f64()
        );
        if let (Some(c), Some(dir)) = (&archive, &args.out) {
            eprintln!(
                "jisseki: {} holds {} from {} (tables rebuilt from its report JSONs)",
                dir.display(),
                count(c.reports, "report"),
                count(c.sources, "source")
            );
        }
    }
    exit_code(&errors, docs.len(), !strict.is_empty())
}

/// The combined outputs of every report JSON in the folder: CSV tables with their data
/// package, SQLite. None when neither was asked for.
fn write_combined(
    dir: &std::path::Path,
    run: &batch::Run,
    args: &Args,
) -> Result<Option<batch::Combined>, Error> {
    if !(args.csv || args.sqlite) {
        return Ok(None);
    }
    let combine = batch::Combine {
        csv: args.csv,
        sqlite: args.sqlite,
        csv_opts: args.csv_opts,
        license: args
            .license
            .clone()
            .map(|name| jisseki::datapackage::License { name })
            .unwrap_or_default(),
    };
    let c = batch::write_combined(dir, run, &combine)?;
    if !args.quiet {
        for (first, others) in &c.shared {
            eprintln!(
                "jisseki: {first} and {others} more hold the same report; the item tables carry it once, from {first}"
            );
        }
    }
    Ok(Some(c))
}

/// `1 report`, `6 reports`.
fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The exit code: 8 when an output could not be written (whatever else failed), that of the
/// failure when all failed alike, 1 when some inputs failed, 12 when every input was read but
/// some over the --strict level, 0 otherwise.
fn exit_code(errors: &[Error], succeeded: usize, strict_failed: bool) -> ExitCode {
    let Some(first) = errors.first() else {
        return if strict_failed {
            ExitCode::from(ErrorKind::Strict.exit_code() as u8)
        } else {
            ExitCode::SUCCESS
        };
    };
    if errors.iter().any(|e| e.kind == ErrorKind::OutputUnwritable) {
        return ExitCode::from(ErrorKind::OutputUnwritable.exit_code() as u8);
    }
    if succeeded > 0 || errors.iter().any(|e| e.kind != first.kind) {
        return ExitCode::from(1);
    }
    ExitCode::from(u8::try_from(first.exit_code()).unwrap_or(1))
}
