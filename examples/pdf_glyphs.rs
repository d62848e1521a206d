//! Debugging aid: prints one page's glyphs and rules as the glyph stage sees them.
//!
//! `cargo run --release --example pdf_glyphs -- FILE.pdf [PAGE]`

use std::io::Write;
use std::process::ExitCode;

use jisseki::pdf::{PageContent, PdfContent};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: pdf_glyphs FILE.pdf [PAGE]");
        return ExitCode::from(2);
    };
    let page_no: u32 = args.get(1).and_then(|p| p.parse().ok()).unwrap_or(1);
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(3);
        }
    };
    let start = std::time::Instant::now();
    let content = match jisseki::pdf::read(&bytes, &jisseki::pdf::Limits::default()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(6);
        }
    };
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    let Some(page) = content.pages.iter().find(|p| p.number == page_no) else {
        eprintln!("{path}: no page {page_no} (of {})", content.pages.len());
        return ExitCode::from(2);
    };
    // Write errors (a closed pipe under `head`) just end the output.
    let _ = print_page(path, &content, page, ms);
    ExitCode::SUCCESS
}

fn print_page(
    path: &str,
    content: &PdfContent,
    page: &PageContent,
    ms: f64,
) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "# {path} page {}/{}: {} glyphs, {} unmapped, {} rules, {} fills, {} images, \
         {:.0}x{:.0} pt; producer {:?}; read in {ms:.1} ms",
        page.number,
        content.pages.len(),
        page.glyphs.len(),
        page.unmapped_glyphs,
        page.rules.len(),
        page.fills.len(),
        page.images,
        page.width,
        page.height,
        content.producer,
    )?;
    writeln!(out, "# glyphs: text x0 y0 size [v]")?;
    for g in &page.glyphs {
        let v = if g.vertical { " v" } else { "" };
        writeln!(
            out,
            "{:?}\t{:.2}\t{:.2}\t{:.2}{v}",
            g.text, g.bbox.x0, g.bbox.y0, g.size
        )?;
    }
    writeln!(out, "# rules: x0 y0 x1 y1")?;
    for r in &page.rules {
        writeln!(out, "{:.2}\t{:.2}\t{:.2}\t{:.2}", r.x0, r.y0, r.x1, r.y1)?;
    }
    Ok(())
}
