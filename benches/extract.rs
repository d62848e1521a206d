//! `make bench`: time of the whole job on the bundled report (text → JSON + CSV) and, for
//! each fixture PDF, PDF → JSON.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::Path;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(name),
    )
    .expect("fixture")
}

fn text_to_json_and_csv(c: &mut Criterion) {
    let bytes = fixture("tsukubamirai_gyokaku_2024_jisseki.txt");
    let mut g = c.benchmark_group("text");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("seed_text_to_json_and_csv", |b| {
        b.iter(|| {
            let doc = jisseki::extract(&bytes, "seed.txt").expect("extracts");
            let json = jisseki::output::to_json(&doc, true);
            let csv = jisseki::output::csv_tables(&[&doc]);
            (json.len(), csv.items.len())
        })
    });
    g.finish();
}

fn pdf_to_json(c: &mut Criterion) {
    let mut g = c.benchmark_group("pdf");
    g.sample_size(20);
    for name in [
        "seed_chromium",
        "seed_libreoffice",
        "seed_typst",
        "seed_reportlab_ucs2",
        "seed_reportlab_rksj",
    ] {
        let bytes = fixture(&format!("pdf/{name}.pdf"));
        if jisseki::extract(&bytes, name).is_err() {
            continue; // PDF stage not able to read this one (yet): nothing to time.
        }
        g.bench_function(name, |b| {
            b.iter(|| {
                let doc = jisseki::extract(&bytes, name).expect("extracts");
                jisseki::output::to_json(&doc, true).len()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, text_to_json_and_csv, pdf_to_json);
criterion_main!(benches);
