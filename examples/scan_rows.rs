//! Dev probe: the rows the scan front end builds for a scanned PDF or image file, page by page
//! (`scan_rows FILE [PAGE]`), to compare with `norules`/`pdf_glyphs` on the born-digital PDF.
//! Doubts are shown after the cell text as `{text conf}`.
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: scan_rows FILE [PAGE]");
        std::process::exit(2);
    };
    let only: Option<u32> = args.get(1).and_then(|p| p.parse().ok());
    let bytes = std::fs::read(path).expect("readable input");
    let pages = if jisseki::ingest::looks_like_pdf(&bytes) {
        let content = jisseki::pdf::read(&bytes, &jisseki::pdf::Limits::default()).expect("PDF");
        jisseki::scan::pdf_page_images(&bytes, &content).expect("page images")
    } else {
        jisseki::scan::file_page_images(&bytes).expect("image file")
    };
    let pages: Vec<_> = pages
        .into_iter()
        .enumerate()
        .filter(|(i, _)| only.is_none_or(|p| p == *i as u32 + 1))
        .map(|(_, p)| p)
        .collect();
    let scan = jisseki::scan::read_pages(pages, path, None).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(7)
    });
    for r in &scan.rows {
        let cells: Vec<String> = r
            .cells
            .iter()
            .map(|c| {
                let d: Vec<String> = c
                    .doubts
                    .iter()
                    .map(|d| format!("{{{} {:.0}}}", d.text, d.confidence))
                    .collect();
                format!("{}{}", c.text, d.join(""))
            })
            .collect();
        println!("{:?} {}", r.page, cells.join(" | "));
    }
    for w in &scan.diag.warnings {
        println!("warning: {}", w.message);
    }
    println!("{:?}", scan.ocr.pages);
}
