//! The command line: outputs, formats, errors and exit codes.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn jisseki(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jisseki"))
        .args(args)
        .output()
        .expect("runs")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn seed() -> String {
    common::fixture("tsukubamirai_gyokaku_2024_jisseki.txt")
        .display()
        .to_string()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn json_to_stdout_matches_gold() {
    let o = jisseki(&["extract", &seed()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(common::compare_with_gold(&common::gold(), &v).is_empty());
    common::assert_schema_valid(&v);
    // Known by its name, not by the machine's absolute path.
    assert_eq!(v["source"]["file"], "tsukubamirai_gyokaku_2024_jisseki.txt");
    // Pretty by default, one line with --compact; same bytes every run.
    assert!(o.stdout.iter().filter(|b| **b == b'\n').count() > 100);
    let c = jisseki(&["extract", "--compact", &seed()]);
    assert_eq!(c.stdout.iter().filter(|b| **b == b'\n').count(), 1);
    assert_eq!(jisseki(&["extract", &seed()]).stdout, o.stdout);
}

#[test]
fn json_and_csv_into_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = jisseki(&[
        "extract",
        &seed(),
        "-o",
        out.to_str().unwrap(),
        "--format",
        "json,csv",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        files_in(&out),
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
            "sources.csv",
            "tsukubamirai_gyokaku_2024_jisseki.json",
            "warnings.csv"
        ]
    );
    let sched = std::fs::read_to_string(out.join("schedule.csv")).unwrap();
    assert!(
        sched.starts_with("report_id,municipality,fiscal_year,item_key,initiative_no,year,phase\n")
    );
    assert!(sched.contains(",つくばみらい市,2024,1-1,2,2026,実施\n"));
}

#[test]
fn stdin_input() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_jisseki"))
        .args(["extract", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&common::seed_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(code(&o), 0);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["source"]["file"], "-");
    assert_eq!(v["items"].as_array().unwrap().len(), 23);
}

#[test]
fn bad_inputs_give_one_line_and_their_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).display().to_string();
    std::fs::write(p("empty.txt"), b"").unwrap();
    std::fs::write(
        p("binary.bin"),
        [0u8, 159, 146, 150, 0, 1, 2, 3, 255, 254, 0, 7],
    )
    .unwrap();
    std::fs::write(
        p("noitems.txt"),
        "つくばみらい市行政改革プラン (2024 - 2028)\n本文だけ\n",
    )
    .unwrap();
    // Invalid in UTF-8, Shift_JIS and EUC-JP alike.
    std::fs::write(
        p("undecodable.txt"),
        [0x82, 0xA0, 0xFF, 0xFF, 0x85, 0x40, 0xEF, 0xFF, 0x80],
    )
    .unwrap();
    let cases = [
        (p("missing.txt"), 3, "no such file"),
        (p("empty.txt"), 4, "empty input"),
        (p("binary.bin"), 4, "binary"),
        (p("undecodable.txt"), 4, "undecodable"),
        (p("noitems.txt"), 5, "no report family fits"),
    ];
    for (file, want, msg) in cases {
        let o = jisseki(&["extract", &file]);
        let err = stderr(&o);
        assert_eq!(code(&o), want, "{file}: {err}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(err.contains(&file) && err.contains(msg), "{err}");
        assert!(o.stdout.is_empty());
        assert!(!err.contains("panicked"));
    }
}

#[test]
fn one_bad_input_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let missing = dir.path().join("missing.txt").display().to_string();
    let o = jisseki(&[
        "extract",
        &seed(),
        &missing,
        "-o",
        out.to_str().unwrap(),
        "--format",
        "json,csv",
    ]);
    assert_eq!(code(&o), 1, "some failed");
    assert!(stderr(&o).contains("missing.txt: no such file"));
    assert!(out.join("tsukubamirai_gyokaku_2024_jisseki.json").exists());
    assert!(out.join("items.csv").exists());
    // Several inputs to stdout: one compact document per line.
    let o = jisseki(&["extract", &seed(), &seed()]);
    assert_eq!(code(&o), 0);
    let lines: Vec<&[u8]> = o
        .stdout
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(lines.len(), 2);
    for l in lines {
        let _: serde_json::Value = serde_json::from_slice(l).unwrap();
    }
}

#[test]
fn unwritable_output_and_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let o = jisseki(&["extract", &seed(), "-o", file.join("sub").to_str().unwrap()]);
    assert_eq!(code(&o), 8, "{}", stderr(&o));
    assert_eq!(stderr(&o).lines().count(), 1);
    assert_eq!(code(&jisseki(&["extract"])), 2);
    assert_eq!(code(&jisseki(&["extract", &seed(), "--format", "xml"])), 2);
    assert_eq!(
        code(&jisseki(&["extract", &seed(), "--format", "csv"])),
        2,
        "csv needs -o"
    );
    assert_eq!(code(&jisseki(&["frobnicate"])), 2);
    assert_eq!(code(&jisseki(&["--help"])), 0);
}

#[cfg(unix)]
#[test]
fn no_partial_files_when_the_folder_is_read_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ro");
    std::fs::create_dir(&out).unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root ignores permissions; the check only means something for other users.
    let probe = out.join("probe");
    if std::fs::write(&probe, b"x").is_ok() {
        std::fs::remove_file(&probe).unwrap();
        return;
    }
    let o = jisseki(&["extract", &seed(), "-o", out.to_str().unwrap()]);
    assert_eq!(code(&o), 8);
    assert!(files_in(&out).is_empty(), "no partial or temp files");
}

#[test]
fn schema_command_prints_the_schema() {
    let o = jisseki(&["schema"]);
    assert_eq!(code(&o), 0);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
}

#[test]
fn compare_two_years() {
    let dir = tempfile::tempdir().unwrap();
    let y2025 = String::from_utf8(common::seed_bytes())
        .unwrap()
        .replace("2024年度報告", "2025年度報告")
        .replacen("○\t順調", "△\t遅れ", 1);
    let y2025_path = dir.path().join("y2025.txt");
    std::fs::write(&y2025_path, y2025).unwrap();
    let out = dir.path().join("out");
    let o = jisseki(&[
        "extract",
        &seed(),
        y2025_path.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let csv_path = dir.path().join("changes.csv");
    let o = jisseki(&[
        "compare",
        out.to_str().unwrap(),
        "-o",
        csv_path.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("2024 → 2025"), "{text}");
    assert!(
        text.contains("1-① #1 progress 順調 → 遅れ (worsened)"),
        "{text}"
    );
    let rows: Vec<csv::StringRecord> = csv::Reader::from_path(&csv_path)
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), 1, "only the one change");
    assert_eq!(
        code(&jisseki(&[
            "compare",
            dir.path().join("nothing").to_str().unwrap()
        ])),
        3
    );
}

#[test]
fn sqlite_archive_grows_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let db = out.join("jisseki.sqlite");
    for _ in 0..2 {
        let o = jisseki(&[
            "extract",
            &seed(),
            "-o",
            out.to_str().unwrap(),
            "-f",
            "sqlite",
            "-q",
        ]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    let count = |t: &str| -> i64 {
        conn.query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(
        (
            count("reports"),
            count("items"),
            count("initiatives"),
            count("schedule")
        ),
        (1, 23, 61, 75)
    );
}

#[test]
fn profiles_lists_the_builtins() {
    let o = jisseki(&["profiles"]);
    assert_eq!(code(&o), 0);
    let out = String::from_utf8(o.stdout).unwrap();
    for id in [
        "tsukubamirai-action-plan",
        "sakuradai-ledger-ad",
        "midorino-list-sabc",
    ] {
        assert_eq!(
            out.lines().filter(|l| l.starts_with(id)).count(),
            1,
            "{out}"
        );
    }
}

#[test]
fn inspect_shows_rows_cells_boxes_and_how_they_were_read() {
    let pdf = common::fixture("samples/sakuradai_ledger_ad/report.pdf");
    let o = jisseki(&["inspect", pdf.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.contains("sakuradai-ledger-ad          fits"), "{out}");
    assert!(out.contains("read as sakuradai-ledger-ad"), "{out}");
    // A cell with its box, and what its row was read as.
    assert!(out.contains("«項目名»@38,"), "{out}");
    assert!(out.contains("→ 項目名 → title"), "{out}");
    assert!(out.contains("legend"), "{out}");
    assert!(out.contains("items: 23 (1, 2, 3,"), "{out}");
    // With another family's profile it still shows the rows, and says it does not fit.
    let o = jisseki(&[
        "inspect",
        pdf.to_str().unwrap(),
        "--profile",
        "midorino-list-sabc",
    ]);
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.contains(
            "(extract would refuse: this report does not look like profile midorino-list-sabc"
        ),
        "{out}"
    );
}

#[test]
fn profile_init_drafts_a_profile_that_loads_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    for (report, gold) in [
        (
            "samples/midorino_list_sabc/report.txt",
            "samples/midorino_list_sabc/gold.json",
        ),
        (
            "samples/sakuradai_ledger_ad/report.pdf",
            "samples/sakuradai_ledger_ad/gold.json",
        ),
    ] {
        let src = common::fixture(report);
        let draft = dir.path().join("draft.toml");
        let o = jisseki(&[
            "profile",
            "init",
            src.to_str().unwrap(),
            "-o",
            draft.to_str().unwrap(),
        ]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let text = std::fs::read_to_string(&draft).unwrap();
        assert!(text.contains("TODO"), "guesses are marked: {text}");
        // The draft reads the report it was made from, as a profile file.
        let o = jisseki(&[
            "extract",
            src.to_str().unwrap(),
            "--profile",
            draft.to_str().unwrap(),
        ]);
        assert_eq!(code(&o), 0, "{report}: {}\n{text}", stderr(&o));
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(doc["profile"]["origin"], "file");
        let g: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(common::fixture(gold)).unwrap()).unwrap();
        let diffs = common::compare_with_gold(&g, &doc);
        assert!(
            diffs.is_empty(),
            "{report}: {} mismatches\n{}",
            diffs.len(),
            diffs.join("\n")
        );
    }
}

#[test]
fn a_bad_profile_file_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "id = \"x\"\nname = \"x\"\nlayout = \"form\"\n[labels]\ntitel = [\"a\"]\n",
    )
    .unwrap();
    let o = jisseki(&["extract", &seed(), "--profile", bad.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("bad.toml") && err.contains("titel"), "{err}");
    let o = jisseki(&["extract", &seed(), "--profile", "no-such-family"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("not a built-in profile"),
        "{}",
        stderr(&o)
    );
}
