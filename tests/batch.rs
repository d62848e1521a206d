//! Batch runs over the fixtures: one JSON per good input, combined tables equal to the
//! per-report outputs, failures reported, deterministic bytes, options that change only form.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn jisseki(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jisseki"))
        .args(args)
        .output()
        .expect("runs")
}

/// A folder with the text seed, the five text-bearing PDFs and one broken PDF.
fn input_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let copy = |from: PathBuf, name: &str| std::fs::copy(from, dir.path().join(name)).unwrap();
    copy(
        common::fixture("tsukubamirai_gyokaku_2024_jisseki.txt"),
        "seed.txt",
    );
    for p in [
        "chromium",
        "libreoffice",
        "typst",
        "reportlab_ucs2",
        "reportlab_rksj",
    ] {
        copy(
            common::fixture(&format!("pdf/seed_{p}.pdf")),
            &format!("seed_{p}.pdf"),
        );
    }
    copy(common::fixture("pdf/cases/truncated.pdf"), "broken.pdf");
    // Not taken from a folder: neither PDF nor text by name.
    std::fs::write(dir.path().join("notes.md"), "# notes").unwrap();
    dir
}

fn read_dir_bytes(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    r.records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn batch_over_the_fixtures() {
    let input = input_folder();
    let out = tempfile::tempdir().unwrap();
    let out_s = out.path().to_str().unwrap();
    let o = jisseki(&[
        "extract",
        input.path().to_str().unwrap(),
        "-o",
        out_s,
        "--format",
        "json,csv",
        "-j",
        "2",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "some input failed: {err}");
    assert!(
        err.contains("broken.pdf: not a PDF or damaged beyond repair"),
        "{err}"
    );
    assert!(err.contains("6 reports, 138 items"), "{err}");
    assert!(err.contains("holds 1 report from 6 sources"), "{err}");

    let files = read_dir_bytes(out.path());
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        vec![
            "corrections.csv",
            "datapackage.json",
            "effects.csv",
            "extra.csv",
            "initiatives.csv",
            "item_departments.csv",
            "item_groups.csv",
            "items.csv",
            "reports.csv",
            "schedule.csv",
            "seed.json",
            "seed_chromium.json",
            "seed_libreoffice.json",
            "seed_reportlab_rksj.json",
            "seed_reportlab_ucs2.json",
            "seed_typst.json",
            "sources.csv",
            "warnings.csv",
        ]
    );
    // Every per-report JSON matches the gold. All six sources hold the same report, which the
    // item tables carry once: from the first source in sort order (seed.txt).
    for (name, bytes) in files.iter().filter(|(n, _)| n.starts_with("seed")) {
        let doc: jisseki::model::Document = serde_json::from_slice(bytes).unwrap();
        let v = serde_json::to_value(&doc).unwrap();
        assert!(
            common::compare_with_gold(&common::gold(), &v).is_empty(),
            "{name}"
        );
    }
    let first: jisseki::model::Document = serde_json::from_slice(&files["seed.json"]).unwrap();
    let single = jisseki::output::csv_tables(&[&first]);
    for (table, bytes) in [
        ("items.csv", &single.items),
        ("initiatives.csv", &single.initiatives),
        ("schedule.csv", &single.schedule),
    ] {
        assert!(
            csv_rows(&files[table]) == csv_rows(bytes),
            "{table} differs from seed.txt's own table"
        );
    }
    // reports.csv: one row for the report; sources.csv one per source, all naming it.
    let reports = csv_rows(&files["reports.csv"]);
    assert_eq!(reports.len(), 1 + 1);
    assert_eq!(
        reports[1][10], "seed.txt",
        "the source the item tables carry"
    );
    let sources = csv_rows(&files["sources.csv"]);
    assert_eq!(sources.len(), 1 + 6);
    assert!(sources[1..].iter().all(|r| r[1] == reports[1][0]));

    // Twice: byte-identical, from the up-to-date outputs; again with --force and one thread.
    let o2 = jisseki(&[
        "extract",
        input.path().to_str().unwrap(),
        "-o",
        out_s,
        "--format",
        "json,csv",
    ]);
    assert!(String::from_utf8_lossy(&o2.stderr).contains("6 up to date"));
    assert_eq!(read_dir_bytes(out.path()), files);
    let o3 = jisseki(&[
        "extract",
        input.path().to_str().unwrap(),
        "-o",
        out_s,
        "--format",
        "json,csv",
        "--force",
        "-j",
        "1",
    ]);
    assert!(String::from_utf8_lossy(&o3.stderr).contains("0 up to date"));
    assert_eq!(read_dir_bytes(out.path()), files);
}

#[test]
fn bom_and_japanese_headers_change_only_the_form() {
    let seed = common::fixture("tsukubamirai_gyokaku_2024_jisseki.txt");
    let seed = seed.to_str().unwrap();
    let plain = tempfile::tempdir().unwrap();
    let ja = tempfile::tempdir().unwrap();
    assert!(jisseki(&[
        "extract",
        seed,
        "-o",
        plain.path().to_str().unwrap(),
        "-f",
        "csv",
        "-q"
    ])
    .status
    .success());
    let o = jisseki(&[
        "extract",
        seed,
        "-o",
        ja.path().to_str().unwrap(),
        "-f",
        "csv",
        "--bom",
        "--header-lang",
        "ja",
        "-q",
    ]);
    assert!(o.status.success());
    assert!(o.stderr.is_empty(), "--quiet");
    for t in jisseki::tables::Table::ALL.map(|t| t.file_name()) {
        let t = t.as_str();
        let a = std::fs::read(plain.path().join(t)).unwrap();
        let b = std::fs::read(ja.path().join(t)).unwrap();
        assert!(b.starts_with(b"\xEF\xBB\xBF"), "{t}: BOM");
        assert!(!a.starts_with(b"\xEF\xBB\xBF"));
        let (ra, rb) = (csv_rows(&a), csv_rows(&b[3..]));
        assert_eq!(ra[1..], rb[1..], "{t}: same values");
        assert_ne!(ra[0], rb[0]);
    }
    let head = String::from_utf8(std::fs::read(ja.path().join("items.csv")).unwrap()).unwrap();
    assert!(
        head.lines()
            .next()
            .unwrap()
            .contains("項目番号,基本方針番号,項目連番,実施項目,主管課"),
        "{head:.200}"
    );
    let pkg: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ja.path().join("datapackage.json")).unwrap())
            .unwrap();
    let items = pkg["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "items")
        .unwrap();
    assert_eq!(items["encoding"], "utf-8-sig");
    assert_eq!(
        items["schema"]["primaryKey"],
        serde_json::json!(["報告書ID", "項目キー"])
    );
}

#[test]
fn folders_and_recursion() {
    let root = tempfile::tempdir().unwrap();
    let sub = root.path().join("2024");
    std::fs::create_dir(&sub).unwrap();
    std::fs::copy(
        common::fixture("tsukubamirai_gyokaku_2024_jisseki.txt"),
        sub.join("a.txt"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = jisseki(&[
        "extract",
        root.path().to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("no PDF or text files in this folder"));
    let o = jisseki(&[
        "extract",
        "-r",
        root.path().to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.path().join("a.json").exists());
}
