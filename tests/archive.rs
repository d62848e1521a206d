//! Archive integrity (issue 8), through the command line: what a portal publishes joins,
//! validates and loses nothing — one report from three sources plus another year, runs into
//! the same folder, file modes, relative source paths, --strict, and a repeated item number.

mod outputs_common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use jisseki::model::Document;
use jisseki::tables::Table;
use outputs_common::*;

fn jisseki(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jisseki"))
        .args(args)
        .output()
        .expect("runs")
}

/// `jisseki extract INPUTS -o OUT -f FORMATS -q`.
fn extract_into(inputs: &[&str], out: &str, formats: &str) -> Output {
    let mut args = vec!["extract"];
    args.extend_from_slice(inputs);
    args.extend(["-o", out, "-f", formats, "-q"]);
    jisseki(&args)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The report JSONs of an output folder, by file name.
fn report_jsons(dir: &Path) -> BTreeMap<String, Document> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter_map(|p| {
            let doc =
                jisseki::output::read_document(&p, jisseki::output::READABLE_VERSIONS).unwrap()?;
            Some((p.file_name().unwrap().to_string_lossy().into_owned(), doc))
        })
        .collect()
}

/// JSON, CSV and SQLite of an output folder agree: the CSV package validates, the SQLite
/// archive has no dangling key, every table has the same rows in CSV and SQLite, and as many as
/// the report JSONs say; with frictionless installed, its load into SQLite passes
/// `PRAGMA foreign_key_check` too (where `frictionless` is true: it takes seconds). Returns the
/// row counts.
fn assert_outputs_agree_with(dir: &Path, frictionless: bool) -> BTreeMap<Table, usize> {
    assert_eq!(package_problems(dir), Vec::<String>::new());
    let db = dir.join("jisseki.sqlite");
    assert_eq!(sqlite_dangling(&db), 0);
    let jsons = report_jsons(dir);
    let docs: Vec<&Document> = jsons.values().collect();
    let want = expected_counts(&docs);
    // Independent of the tables code: each report's primary source (named in reports.csv)
    // counted from its JSON.
    let (header, reports) = read_csv(&dir.join("reports.csv"));
    let sha = header.iter().position(|h| h == "sha256").unwrap();
    let mut from_json: BTreeMap<Table, usize> = BTreeMap::new();
    for r in &reports {
        let doc = docs.iter().find(|d| d.source.sha256 == r[sha]).unwrap();
        for (t, n) in json_counts(doc) {
            *from_json.entry(t).or_default() += n;
        }
    }
    let mut shas: Vec<&str> = docs.iter().map(|d| d.source.sha256.as_str()).collect();
    shas.sort_unstable();
    shas.dedup();
    from_json.insert(Table::Sources, shas.len());
    let mut counts = BTreeMap::new();
    for t in Table::ALL {
        let (_, csv) = read_csv(&dir.join(t.file_name()));
        assert_eq!(sqlite_rows(&db, t), csv, "{t:?}: SQLite and CSV differ");
        assert_eq!(csv.len(), want[&t], "{t:?}");
        assert_eq!(csv.len(), from_json[&t], "{t:?}: CSV and JSON differ");
        counts.insert(t, csv.len());
    }
    if let Some(r) = frictionless.then(|| frictionless_check(dir)).flatten() {
        match r {
            Ok(text) => assert!(text.contains("foreign_key_check clean"), "{text}"),
            Err(text) => panic!("tools/check_package.py failed:\n{text}"),
        }
    }
    counts
}

fn assert_outputs_agree(dir: &Path) -> BTreeMap<Table, usize> {
    assert_outputs_agree_with(dir, false)
}

fn counts(list: &[(Table, usize)]) -> BTreeMap<Table, usize> {
    list.iter().copied().collect()
}

#[test]
fn one_report_from_three_sources_and_another_year() {
    let input = tempfile::tempdir().unwrap();
    let copy = |from: PathBuf, name: &str| std::fs::copy(from, input.path().join(name)).unwrap();
    copy(fixture("tsukubamirai_gyokaku_2024_jisseki.txt"), "seed.txt");
    copy(fixture("pdf/seed_libreoffice.pdf"), "seed_libreoffice.pdf");
    copy(
        fixture("pdf/seed_reportlab_ucs2.pdf"),
        "seed_reportlab_ucs2.pdf",
    );
    std::fs::write(input.path().join("y2025.txt"), seed_of_year(2025)).unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let mut all = vec!["extract"];
        all.extend_from_slice(args);
        all.extend(["-o", s(out.path()), "--format", "json,csv,sqlite"]);
        let o = jisseki(&all);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        o
    };
    let o = run(&[s(input.path())]);
    let err = stderr(&o);
    assert!(err.contains("4 reports, 92 items"), "{err}");
    assert!(
        err.contains("seed.txt and 2 more hold the same report; the item tables carry it once, from seed.txt"),
        "{err}"
    );
    assert!(err.contains("holds 2 reports from 4 sources"), "{err}");

    let one_year = [
        (Table::Reports, 2),
        (Table::Sources, 4),
        (Table::Items, 46),
        (Table::ItemDepartments, 52),
        (Table::ItemGroups, 0),
        (Table::Initiatives, 122),
        (Table::Schedule, 150),
        (Table::Effects, 0),
        (Table::Extra, 0),
        // The seed's 4; the later years add 3 fiscal_year_mismatch (3-① prints its
        // 実施内容 heading in a form the edit leaves at 2024).
        (Table::Warnings, 4 + 7),
        (Table::Corrections, 40),
    ];
    assert_eq!(
        assert_outputs_agree_with(out.path(), true),
        counts(&one_year)
    );
    // One row per report; the sources name theirs.
    let (_, sources) = read_csv(&out.path().join("sources.csv"));
    let files: Vec<(&str, &str)> = sources
        .iter()
        .map(|r| (r[2].as_str(), r[11].as_str()))
        .collect();
    assert_eq!(
        files,
        [
            ("seed.txt", "true"),
            ("seed_libreoffice.pdf", "false"),
            ("seed_reportlab_ucs2.pdf", "false"),
            ("y2025.txt", "true")
        ]
    );
    let before: BTreeMap<String, Vec<u8>> = ["reports.csv", "items.csv", "jisseki.sqlite"]
        .iter()
        .map(|f| (f.to_string(), std::fs::read(out.path().join(f)).unwrap()))
        .collect();

    // A second run into the same folder with another year only: the tables hold all three.
    let later = tempfile::tempdir().unwrap();
    std::fs::write(later.path().join("y2026.txt"), seed_of_year(2026)).unwrap();
    let o = run(&[s(&later.path().join("y2026.txt"))]);
    assert!(
        stderr(&o).contains("holds 3 reports from 5 sources"),
        "{}",
        stderr(&o)
    );
    let mut three_years = counts(&one_year);
    for (t, n) in three_years.iter_mut() {
        *n = match t {
            Table::Sources => 5,
            Table::Warnings => 4 + 7 + 7,
            _ => *n / 2 * 3,
        };
    }
    assert_eq!(assert_outputs_agree_with(out.path(), true), three_years);

    // And the first inputs again (up to date): the same as after the second run.
    let after_second: Vec<u8> = std::fs::read(out.path().join("items.csv")).unwrap();
    let o = run(&[s(input.path())]);
    assert!(stderr(&o).contains("4 up to date"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(out.path().join("items.csv")).unwrap(),
        after_second
    );
    assert_ne!(before["items.csv"], after_second);
    assert_eq!(assert_outputs_agree(out.path()), three_years);

    // compare on the archive: the years in a row, and the level distributions as CSV.
    let levels = input.path().join("levels.csv");
    let o = jisseki(&["compare", s(out.path()), "--levels", s(&levels)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains(": 2024 → 2025\n") && text.contains(": 2025 → 2026\n"),
        "{text}"
    );
    let (header, rows) = read_csv(&levels);
    assert_eq!(
        header[..6],
        [
            "municipality",
            "plan_title",
            "fiscal_year",
            "scope",
            "level",
            "count"
        ]
    );
    let on_track: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r[4] == "on_track")
        .map(|r| (r[2].as_str(), r[5].as_str()))
        .collect();
    assert_eq!(on_track, [("2024", "56"), ("2025", "56"), ("2026", "56")]);
}

/// Issue 8, case 5: FY2025 into the folder that holds FY2024 — and the same file name for both
/// years, as municipal sites often publish — keeps both years in CSV and SQLite alike; a JSON
/// removed from the folder leaves both on the next run.
#[test]
fn yearly_runs_into_one_folder() {
    let src = tempfile::tempdir().unwrap();
    for (year, dir) in [(2024, "r2024"), (2025, "r2025")] {
        std::fs::create_dir(src.path().join(dir)).unwrap();
        std::fs::write(src.path().join(dir).join("report.txt"), seed_of_year(year)).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    for dir in ["r2024", "r2025"] {
        let file = src.path().join(dir).join("report.txt");
        let o = extract_into(&[s(&file)], s(out.path()), "csv,sqlite");
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let jsons = report_jsons(out.path());
    let years: Vec<(&str, Option<i32>)> = jsons
        .iter()
        .map(|(n, d)| (n.as_str(), d.report.fiscal_year))
        .collect();
    assert_eq!(
        years,
        [("report-2.json", Some(2025)), ("report.json", Some(2024))]
    );
    let c = assert_outputs_agree(out.path());
    assert_eq!((c[&Table::Reports], c[&Table::Items]), (2, 46));

    // A corrected edition of the 2025 file replaces its reading, not the 2024 one.
    let fixed = seed_of_year(2025).replacen("人材の育成", "人材の育成と確保", 1);
    let file = src.path().join("r2025").join("report.txt");
    std::fs::write(&file, fixed).unwrap();
    let o = extract_into(&[s(&file)], s(out.path()), "csv,sqlite");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(report_jsons(out.path()).len(), 2);
    let c = assert_outputs_agree(out.path());
    assert_eq!((c[&Table::Reports], c[&Table::Sources]), (2, 2));
    let titles = sqlite_rows(&out.path().join("jisseki.sqlite"), Table::Items);
    assert!(titles
        .iter()
        .any(|r| r.contains(&"人材の育成と確保".to_string())));

    // Removing a report's JSON removes it from both on the next run.
    std::fs::remove_file(out.path().join("report.json")).unwrap();
    let o = extract_into(&[s(&file)], s(out.path()), "csv,sqlite");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let c = assert_outputs_agree(out.path());
    assert_eq!((c[&Table::Reports], c[&Table::Items]), (1, 23));
}

/// Issue 8, case 6: files get 0666 less the umask, like any file a program creates.
#[cfg(unix)]
#[test]
fn files_are_created_with_the_usual_permissions() {
    use std::os::unix::fs::PermissionsExt;
    for (umask, want) in [("022", 0o644), ("027", 0o640)] {
        let out = tempfile::tempdir().unwrap();
        let seed = fixture("tsukubamirai_gyokaku_2024_jisseki.txt");
        let o = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "umask {umask} && exec \"$0\" extract \"$1\" -o \"$2\" -f json,csv,sqlite -q"
            ))
            .arg(env!("CARGO_BIN_EXE_jisseki"))
            .arg(&seed)
            .arg(out.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let mut seen = 0;
        for e in std::fs::read_dir(out.path()).unwrap() {
            let e = e.unwrap();
            let mode = e.metadata().unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, want, "umask {umask}: {:?} is {mode:o}", e.file_name());
            seen += 1;
        }
        // The JSON, 11 tables, the data package and the SQLite archive.
        assert_eq!(seen, 14);
    }
}

/// Issue 8, case 6: `source.file` is relative to what was given on the command line; no output
/// holds the machine's absolute paths.
#[test]
fn source_paths_are_relative_to_the_arguments() {
    let root = tempfile::tempdir().unwrap();
    let sub = root.path().join("2024");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("seed.txt"), seed_bytes()).unwrap();
    let single = root.path().join("single.txt");
    std::fs::write(&single, seed_of_year(2023)).unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = jisseki(&[
        "extract",
        "-r",
        s(root.path()),
        "-o",
        s(out.path()),
        "-f",
        "json,csv,sqlite",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let files: Vec<String> = report_jsons(out.path())
        .values()
        .map(|d| d.source.file.clone())
        .collect();
    assert_eq!(files, ["2024/seed.txt", "single.txt"]);
    // A file given by its absolute path is known by its name.
    let o = jisseki(&["extract", s(&single)]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["source"]["file"], "single.txt");

    let roots = [
        root.path().to_str().unwrap().to_string(),
        std::fs::canonicalize(root.path())
            .unwrap()
            .to_str()
            .unwrap()
            .to_string(),
    ];
    for e in std::fs::read_dir(out.path()).unwrap() {
        let p = e.unwrap().path();
        let bytes = std::fs::read(&p).unwrap();
        for r in &roots {
            assert!(
                !bytes.windows(r.len()).any(|w| w == r.as_bytes()),
                "{} holds the absolute path {r}",
                p.display()
            );
        }
    }
    // The sha256 stays the identity.
    let (_, sources) = read_csv(&out.path().join("sources.csv"));
    assert_eq!(sources.len(), 2);
    assert_eq!(
        sources[0][0],
        jisseki::ingest::sha256_hex(&seed_of_year(2023).into_bytes())
    );
}

#[test]
fn strict_fails_on_warnings_of_the_chosen_severity() {
    let seed = fixture("tsukubamirai_gyokaku_2024_jisseki.txt");
    let seed = s(&seed);
    // The seed's four warnings are all of severity info.
    for (flag, code) in [
        (None, 0),
        (Some("--strict"), 0),
        (Some("--strict=error"), 0),
        (Some("--strict=warning"), 0),
        (Some("--strict=info"), 12),
    ] {
        let mut args = vec!["extract", seed];
        args.extend(flag);
        let o = jisseki(&args);
        assert_eq!(o.status.code(), Some(code), "{flag:?}: {}", stderr(&o));
        assert!(!o.stdout.is_empty(), "the output is written all the same");
    }
    let o = jisseki(&["extract", seed, "--strict=info"]);
    assert_eq!(
        stderr(&o).trim(),
        format!(
            "jisseki: {seed}: --strict=info: 4 warnings at or above info \
             (initiative_mismatch 1, schedule_missing 3)"
        )
    );

    // A progress label beyond repair is a warning.
    let dir = tempfile::tempdir().unwrap();
    let damaged = dir.path().join("damaged.txt");
    std::fs::write(
        &damaged,
        seed_text().replacen("○\t順調", "○\tよくわからない", 1),
    )
    .unwrap();
    let o = jisseki(&["extract", s(&damaged), "--strict"]);
    assert_eq!(o.status.code(), Some(12), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("damaged.txt: --strict=warning: 1 warning at or above warning (unknown_progress_label 1)"),
        "{}",
        stderr(&o)
    );
    // With a folder: the summary counts them; a hard failure beside them decides the code.
    let out = dir.path().join("out");
    let o = jisseki(&["extract", s(&damaged), seed, "-o", s(&out), "--strict"]);
    assert_eq!(o.status.code(), Some(12), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("0 failed, 1 over --strict=warning"),
        "{}",
        stderr(&o)
    );
    let missing = dir.path().join("missing.txt");
    let o = jisseki(&["extract", s(&damaged), s(&missing), "--strict"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        jisseki(&["extract", seed, "--strict=loud"]).status.code(),
        Some(2)
    );
}

/// The seed with the block of item `number` printed twice (two reports concatenated, or a
/// typo'd number).
fn seed_with_item_twice(number: &str) -> String {
    let t = seed_text();
    let lines: Vec<&str> = t.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("実施項目\t") && l.ends_with(&format!("\t{number}")))
        .expect("the item's first line");
    let end = lines[start + 1..]
        .iter()
        .position(|l| l.starts_with("実施項目\t"))
        .map_or(lines.len(), |i| start + 1 + i);
    let mut out: Vec<&str> = lines[..end].to_vec();
    out.extend_from_slice(&lines[start..end]);
    out.extend_from_slice(&lines[end..]);
    out.join("\n")
}

/// Issue 8, case 2, downstream: a repeated 項目番号 keeps both items in every output, with a
/// distinct key for the second, and JSON, CSV and SQLite agree on the count.
#[test]
fn a_repeated_item_number_keeps_both_items_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("twice.txt");
    std::fs::write(&input, seed_with_item_twice("1-④")).unwrap();
    let out = dir.path().join("out");
    let o = extract_into(&[s(&input)], s(&out), "json,csv,sqlite");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc = report_jsons(&out).remove("twice.json").unwrap();
    assert_eq!(doc.items.len(), 24);
    assert!(doc
        .warnings
        .iter()
        .any(|w| w.code.as_str() == "duplicate_item" && w.item_number.as_deref() == Some("1-④")));
    let c = assert_outputs_agree(&out);
    assert_eq!(c[&Table::Items], 24);
    let items = sqlite_rows(&out.join("jisseki.sqlite"), Table::Items);
    let got: Vec<(&str, &str)> = items
        .iter()
        .filter(|r| r[4] == "1-④")
        .map(|r| (r[3].as_str(), r[7].as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("1-4", "人事評価制度の運用"),
            ("1-4_2", "人事評価制度の運用")
        ]
    );
    let (_, reports) = read_csv(&out.join("reports.csv"));
    assert_eq!(reports[0][13], "24", "item_count");
}

// The reader's side of issue 8 (cases 2 and 3). The profile reader (issue 7) keys a repeated
// number itself and warns about unreadable blocks and gaps; these tests state what the outputs
// then show.

#[test]

fn a_repeated_item_number_gets_a_suffixed_key_in_the_json() {
    let doc = jisseki::extract(seed_with_item_twice("1-④").as_bytes(), "twice.txt").unwrap();
    let keys: Vec<&str> = doc
        .items
        .iter()
        .filter(|i| i.item_number == "1-④")
        .map(|i| i.item_key.as_str())
        .collect();
    assert_eq!(keys, ["1-4", "1-4_2"]);
    let sets = jisseki::tables::group(&[&doc]);
    assert_eq!(
        sets[0].keys,
        doc.items
            .iter()
            .map(|i| i.item_key.clone())
            .collect::<Vec<_>>()
    );
}

/// Run the CLI on `text` (written to `name`) into a folder; the document and the warnings.csv
/// rows (code, severity, item_number, message).
fn extract_into_folder(text: &str, name: &str) -> (Document, Vec<Vec<String>>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join(name);
    std::fs::write(&input, text).unwrap();
    let out = dir.path().join("out");
    let o = extract_into(&[s(&input)], s(&out), "json,csv,sqlite");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let stem = name.trim_end_matches(".txt");
    let doc = report_jsons(&out).remove(&format!("{stem}.json")).unwrap();
    assert_outputs_agree(&out);
    let (header, rows) = read_csv(&out.join("warnings.csv"));
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let warnings = rows
        .iter()
        .map(|r| {
            vec![
                r[col("code")].clone(),
                r[col("severity")].clone(),
                r[col("item_number")].clone(),
                r[col("message")].clone(),
            ]
        })
        .collect();
    (doc, warnings, dir)
}

/// The 1-based line of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]

fn a_typo_in_an_item_header_is_repaired_or_an_item_unreadable_error() {
    // Repairable: a long-vowel mark for the hyphen, a one-character typo in the label. The
    // item is kept and the repair is listed in corrections.csv.
    for (from, to, rule) in [
        ("項目番号\t1-②", "項目番号\t1ー②", "item_number_vocabulary"),
        ("項目番号\t1-③", "項目晩号\t1-③", "label_vocabulary"),
    ] {
        let text = seed_text().replacen(from, to, 1);
        let (doc, warnings, dir) = extract_into_folder(&text, "typo.txt");
        assert_eq!(doc.items.len(), 23, "{to}: the item is kept");
        assert!(!warnings.iter().any(|w| w[0] == "item_unreadable"), "{to}");
        let (_, corrections) = read_csv(&dir.path().join("out/corrections.csv"));
        assert!(
            corrections.iter().any(|c| c.iter().any(|v| v == rule)),
            "{to}: {corrections:?}"
        );
    }
    // Not repairable: the block is reported with its text position, and --strict=error fails.
    let to = "項目番号\t1-?";
    let text = seed_text().replacen("項目番号\t1-②", to, 1);
    let line = line_of(&text, to);
    let (doc, warnings, dir) = extract_into_folder(&text, "typo.txt");
    assert_eq!(doc.items.len(), 22, "{to}: the block is not an item");
    let w: Vec<&Vec<String>> = warnings
        .iter()
        .filter(|w| w[0] == "item_unreadable")
        .collect();
    assert_eq!(w.len(), 1, "{to}: {warnings:?}");
    assert_eq!(w[0][1], "error");
    assert!(
        w[0][3].contains(&line.to_string()),
        "{to}: the text position: {:?}",
        w[0][3]
    );
    let input = dir.path().join("typo.txt");
    let o = jisseki(&["extract", s(&input), "--strict=error"]);
    assert_eq!(o.status.code(), Some(12), "{}", stderr(&o));
    assert!(stderr(&o).contains("item_unreadable 1"), "{}", stderr(&o));
}

#[test]

fn an_item_number_out_of_sequence_or_missing_warns() {
    // 2-⑪ among 2-①…2-⑤.
    let text = seed_text().replacen("項目番号\t2-③", "項目番号\t2-⑪", 1);
    let (doc, warnings, _dir) = extract_into_folder(&text, "gap.txt");
    assert_eq!(doc.items.len(), 23);
    assert!(
        warnings
            .iter()
            .any(|w| w[0] == "item_number_gap" && w[1] == "warning" && w[2] == "2-⑪"),
        "{warnings:?}"
    );
    // 2-③ absent between 2-② and 2-④.
    let t = seed_text();
    let lines: Vec<&str> = t.lines().collect();
    let start = lines.iter().position(|l| l.ends_with("\t2-③")).unwrap();
    let end = start
        + 1
        + lines[start + 1..]
            .iter()
            .position(|l| l.starts_with("実施項目\t"))
            .unwrap();
    let cut = [&lines[..start], &lines[end..]].concat().join("\n");
    let (doc, warnings, _dir) = extract_into_folder(&cut, "missing.txt");
    assert_eq!(doc.items.len(), 22);
    let gap: Vec<&Vec<String>> = warnings
        .iter()
        .filter(|w| w[0] == "item_number_gap")
        .collect();
    assert_eq!(gap.len(), 1, "{warnings:?}");
    assert!(
        gap[0][3].contains("2-③"),
        "names the missing number: {:?}",
        gap[0][3]
    );
}

/// What else the output folder may hold: a report JSON of contract version 1 (an older
/// jisseki) is read into the tables; JSON that is no report is passed over; a report JSON that
/// cannot be read stops the combined outputs with a line naming it (exit 8), never leaving it
/// out silently.
#[test]
fn other_json_in_the_output_folder() {
    let out = tempfile::tempdir().unwrap();
    let mut v1 =
        serde_json::to_value(jisseki::extract(seed_of_year(2023).as_bytes(), "old.txt").unwrap())
            .unwrap();
    v1["schema_version"] = "1".into();
    v1.as_object_mut().unwrap().remove("profile");
    for item in v1["items"].as_array_mut().unwrap() {
        for ini in item["initiatives"].as_array_mut().unwrap() {
            if let Some(p) = ini["progress"].as_object_mut() {
                p.remove("level");
            }
        }
    }
    std::fs::write(out.path().join("old.json"), v1.to_string()).unwrap();
    std::fs::write(out.path().join("notes.json"), r#"{"note": "not a report"}"#).unwrap();
    let seed = fixture("tsukubamirai_gyokaku_2024_jisseki.txt");
    let run = || extract_into(&[s(&seed)], s(out.path()), "csv,sqlite");
    let o = run();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let c = assert_outputs_agree(out.path());
    assert_eq!((c[&Table::Reports], c[&Table::Items]), (2, 46));
    let (_, reports) = read_csv(&out.path().join("reports.csv"));
    let versions: Vec<(&str, &str, &str)> = reports
        .iter()
        .map(|r| (r[6].as_str(), r[7].as_str(), r[9].as_str()))
        .collect();
    assert_eq!(
        versions,
        [("2023", "", "1"), ("2024", "tsukubamirai-action-plan", "2")]
    );

    let broken = out.path().join("broken.json");
    std::fs::write(
        &broken,
        r#"{"schema_version": "2", "items": [{"item_number": "#,
    )
    .unwrap();
    let before = std::fs::read(out.path().join("items.csv")).unwrap();
    let o = run();
    assert_eq!(o.status.code(), Some(8), "{}", stderr(&o));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("broken.json"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(out.path().join("items.csv")).unwrap(),
        before,
        "left as it was"
    );
}
