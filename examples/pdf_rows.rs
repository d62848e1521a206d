//! Dev probe: the Rows the PDF front end hands to the reader, one line per row.
//!
//! `cargo run --release --example pdf_rows -- FILE.pdf [FIRST_PAGE [LAST_PAGE]]` prints, per
//! row, the page and every cell as `「text」`; a cell whose visual lines differ from its text
//! (wrapped or multi-line) also shows its lines as `[line / line]`. With `DEBUG=1` in the
//! environment every row is printed in full (`{:?}`: boxes too), for diffs between builds.
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: pdf_rows FILE.pdf [FIRST_PAGE [LAST_PAGE]]");
        return ExitCode::from(2);
    };
    let first: u32 = args.get(1).and_then(|p| p.parse().ok()).unwrap_or(1);
    let last: u32 = args
        .get(2)
        .and_then(|p| p.parse().ok())
        .unwrap_or(if args.len() > 1 { first } else { u32::MAX });
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(3);
        }
    };
    let pdf = match jisseki::pdf::rows_with(&bytes, &jisseki::pipeline::hints(None)) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(6);
        }
    };
    let debug = std::env::var_os("DEBUG").is_some();
    let mut out = std::io::stdout().lock();
    for row in &pdf.rows {
        let page = row.page.unwrap_or(0);
        if page < first || page > last {
            continue;
        }
        let _ = if debug {
            writeln!(out, "{row:?}")
        } else {
            writeln!(out, "p{page:<3} {}", describe(row))
        };
    }
    ExitCode::SUCCESS
}

fn describe(row: &jisseki::rows::Row) -> String {
    row.cells
        .iter()
        .map(|c| {
            let mut s = format!("「{}」", c.text.replace('\n', "⏎"));
            if c.lines.len() > 1 {
                s.push_str(&format!("[{}]", c.lines.join(" / ")));
            }
            s
        })
        .collect::<Vec<_>>()
        .join(" ")
}
