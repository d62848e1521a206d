//! Dev probe: the report with every ruling line removed (alignment fallback), as JSON.
fn main() {
    let path = std::env::args().nth(1).expect("PDF path");
    let bytes = std::fs::read(&path).unwrap();
    let mut content = jisseki::pdf::read(&bytes, &jisseki::pdf::Limits::default()).unwrap();
    for p in &mut content.pages {
        p.rules.clear();
        p.fills.clear();
    }
    let pdf = jisseki::pdf::rows_from_content(content).unwrap();
    if std::env::args().nth(2).is_some() {
        for r in pdf.rows.iter().take(
            std::env::var("NR_ROWS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(60),
        ) {
            let cells: Vec<String> = r
                .cells
                .iter()
                .map(|c| match (&c.bbox, std::env::args().nth(3).is_some()) {
                    (Some(b), true) => format!(
                        "[{:.1},{:.1} {:.1}-{:.1}]{}",
                        b.x0, b.x1, b.y0, b.y1, c.text
                    ),
                    _ => c.text.clone(),
                })
                .collect();
            eprintln!("{:?} {}", r.page, cells.join(" | "));
        }
    }
    let source = jisseki::model::Source {
        format: "pdf".into(),
        ..Default::default()
    };
    match jisseki::pipeline::from_rows(&pdf.rows, source, pdf.diag, &Default::default()) {
        Ok(doc) => println!("{}", jisseki::output::to_json(&doc, true)),
        Err(e) => eprintln!("{e}"),
    }
}
