//! The command line. Thin on purpose: the work is in the library.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use jisseki::error::{Error, ErrorKind};
use jisseki::model::Document;
use jisseki::output;

const SCHEMA: &str = include_str!("../schemas/report.schema.json");

const USAGE: &str = "\
jisseki: Japanese municipal progress reports (実績報告) → JSON and CSV

usage:
  jisseki extract INPUT... [-o DIR] [--format json|csv|json,csv] [--compact]
  jisseki schema            print the JSON Schema of the output
  jisseki --help | --version

INPUT is a PDF or a text dump (UTF-8, UTF-16 with BOM, Shift_JIS or EUC-JP), or - for stdin.
Without -o, JSON goes to stdout (one compact document per line when there are several
inputs). With -o DIR, each input gives DIR/<name>.json, and csv gives DIR/items.csv,
DIR/initiatives.csv and DIR/schedule.csv for all inputs together.

exit codes: 0 ok, 1 some inputs failed, 2 usage, 3 input unreadable, 4 not text,
5 no report items, 6 PDF unreadable, 7 PDF has no text layer, 8 output unwritable,
70 internal error";

struct Args {
    inputs: Vec<String>,
    out: Option<PathBuf>,
    json: bool,
    csv: bool,
    compact: bool,
}

enum Command {
    Extract(Args),
    Schema,
    Help,
    Version,
}

fn parse_args() -> Result<Command, String> {
    use lexopt::prelude::*;
    let mut p = lexopt::Parser::from_env();
    let mut command: Option<String> = None;
    let mut args = Args {
        inputs: Vec::new(),
        out: None,
        json: true,
        csv: false,
        compact: false,
    };
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Short('h') | Long("help") => return Ok(Command::Help),
            Short('V') | Long("version") => return Ok(Command::Version),
            Short('o') | Long("output") => {
                args.out = Some(p.value().map_err(|e| e.to_string())?.into())
            }
            Long("compact") => args.compact = true,
            Long("format") | Short('f') => {
                let v = p
                    .value()
                    .map_err(|e| e.to_string())?
                    .string()
                    .map_err(|_| "--format: not UTF-8".to_string())?;
                args.json = false;
                args.csv = false;
                for f in v.split(',') {
                    match f.trim() {
                        "json" => args.json = true,
                        "csv" => args.csv = true,
                        other => {
                            return Err(format!("--format: unknown format '{other}' (json, csv)"))
                        }
                    }
                }
            }
            Value(v) if command.is_none() => {
                command = Some(v.string().map_err(|_| "command: not UTF-8".to_string())?)
            }
            Value(v) => args.inputs.push(v.to_string_lossy().into_owned()),
            // A lone "-" is stdin.
            Short('-') => args.inputs.push("-".into()),
            other => return Err(other.unexpected().to_string()),
        }
    }
    match command.as_deref() {
        Some("extract") => {
            if args.inputs.is_empty() {
                return Err("extract: no INPUT given".into());
            }
            if args.csv && args.out.is_none() {
                return Err("--format csv writes three tables and needs -o DIR".into());
            }
            Ok(Command::Extract(args))
        }
        Some("schema") => Ok(Command::Schema),
        Some(other) => Err(format!("unknown command '{other}'")),
        None => Ok(Command::Help),
    }
}

fn main() -> ExitCode {
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
    }
}

/// Largest input we read (a report PDF is a few MB; this stops a runaway read).
const MAX_INPUT: u64 = 512 * 1024 * 1024;

fn read_input(name: &str) -> Result<Vec<u8>, Error> {
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

fn print_stdout(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = out.write_all(bytes).and_then(|_| out.flush());
}

/// `DIR/<stem>.json`, made unique when two inputs share a stem.
fn json_name(input: &str, used: &mut std::collections::HashSet<String>) -> String {
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
}

fn extract(args: &Args) -> ExitCode {
    if let Some(dir) = &args.out {
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!(
                "jisseki: {}: cannot create output folder: {e}",
                dir.display()
            );
            return ExitCode::from(ErrorKind::OutputUnwritable.exit_code() as u8);
        }
    }
    let mut docs: Vec<Document> = Vec::new();
    let mut errors: Vec<Error> = Vec::new();
    let mut used = std::collections::HashSet::new();
    let several = args.inputs.len() > 1;
    for input in &args.inputs {
        let result = read_input(input).and_then(|b| jisseki::extract(&b, input));
        let doc = match result {
            Ok(d) => d,
            Err(e) => {
                eprintln!("jisseki: {e}");
                errors.push(e);
                continue;
            }
        };
        if args.json {
            match &args.out {
                Some(dir) => {
                    let path = dir.join(json_name(input, &mut used));
                    if let Err(e) =
                        output::write_atomic(&path, output::to_json(&doc, !args.compact).as_bytes())
                    {
                        eprintln!("jisseki: {e}");
                        errors.push(e);
                        continue;
                    }
                }
                None => print_stdout(output::to_json(&doc, !args.compact && !several).as_bytes()),
            }
        }
        docs.push(doc);
    }
    if args.csv {
        if let Some(dir) = &args.out {
            let refs: Vec<&Document> = docs.iter().collect();
            if let Err(e) = output::write_csv(dir, &refs) {
                eprintln!("jisseki: {e}");
                errors.push(e);
            }
        }
    }
    exit_code(&errors, docs.len())
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
