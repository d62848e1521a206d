//! Writes the page images OCR reads for a PDF whose text is in fonts without a Unicode
//! mapping (`scan::drawn`), as PGM files: `paint_drawn FILE.pdf OUT_PREFIX`.

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(prefix)) = (args.next(), args.next()) else {
        eprintln!("usage: paint_drawn FILE.pdf OUT_PREFIX");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).expect("read the PDF");
    let content = jisseki::pdf::read(&bytes, &jisseki::pdf::Limits::default()).expect("a PDF");
    for page in jisseki::scan::drawn::page_images(&content) {
        let page = page.expect("painted");
        let out = format!("{prefix}-{}.pgm", page.number);
        let mut data = format!("P5\n{} {}\n255\n", page.gray.w, page.gray.h).into_bytes();
        data.extend_from_slice(&page.gray.px);
        std::fs::write(&out, data).expect("write");
        println!("{out}");
    }
}
