//! Debugging aid: prints one page's glyphs and rules as the glyph stage sees them.
//!
//! `cargo run --release --example pdf_glyphs -- FILE.pdf [PAGE]`

use std::process::ExitCode;

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
    let elapsed = start.elapsed();
    let Some(page) = content.pages.iter().find(|p| p.number == page_no) else {
        eprintln!("{path}: no page {page_no} (of {})", content.pages.len());
        return ExitCode::from(2);
    };
    println!(
        "# {path} page {page_no}/{}: {} glyphs, {} unmapped, {} rules, {} fills, {} images, {:.0}x{:.0} pt; producer {:?}; read in {:.1} ms",
        content.pages.len(),
        page.glyphs.len(),
        page.unmapped_glyphs,
        page.rules.len(),
        page.fills.len(),
        page.images,
        page.width,
        page.height,
        content.producer,
        elapsed.as_secs_f64() * 1000.0
    );
    println!("# glyphs: text x0 y0 size [v]");
    for g in &page.glyphs {
        let v = if g.vertical { " v" } else { "" };
        println!(
            "{:?}\t{:.2}\t{:.2}\t{:.2}{v}",
            g.text, g.bbox.x0, g.bbox.y0, g.size
        );
    }
    println!("# rules: x0 y0 x1 y1");
    for r in &page.rules {
        println!("{:.2}\t{:.2}\t{:.2}\t{:.2}", r.x0, r.y0, r.x1, r.y1);
    }
    ExitCode::SUCCESS
}
