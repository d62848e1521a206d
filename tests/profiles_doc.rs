//! docs/profiles.md's worked example, followed step by step with the built binary: the report
//! excerpt, the error without a profile, the draft `profile init` prints, the finished profile
//! and what extracting with it gives must be what the page shows.

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn doc() -> String {
    std::fs::read_to_string(root().join("docs/profiles.md")).expect("docs/profiles.md")
}

/// The fenced block between `<!-- NAME:begin -->` and `<!-- NAME:end -->`.
fn marked_block(page: &str, name: &str) -> String {
    let begin = format!("<!-- {name}:begin -->\n");
    let end = format!("<!-- {name}:end -->");
    let a = page.find(&begin).unwrap_or_else(|| panic!("no {begin}")) + begin.len();
    let b = a + page[a..].find(&end).unwrap_or_else(|| panic!("no {end}"));
    let block = &page[a..b];
    let body = block
        .strip_prefix("```toml\n")
        .and_then(|s| s.strip_suffix("```\n"))
        .unwrap_or_else(|| panic!("{name}: not one ```toml block"));
    body.to_string()
}

fn jisseki(args: &[&str]) -> (Option<i32>, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_jisseki"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("run jisseki");
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

const REPORT: &str = "docs/example/report.txt";

#[test]
fn the_excerpt_is_the_report() {
    let page = doc();
    let a =
        page.find("Its start:\n\n```text\n").expect("excerpt") + "Its start:\n\n```text\n".len();
    let b = a + page[a..].find("…\n```").expect("excerpt end");
    let report = std::fs::read_to_string(root().join(REPORT)).unwrap();
    assert!(
        report.starts_with(&page[a..b]),
        "the excerpt is not the start of {REPORT}"
    );
}

#[test]
fn without_a_profile_the_report_is_refused_as_shown() {
    let (code, out, err) = jisseki(&["extract", REPORT]);
    assert_eq!(code, Some(5), "{err}");
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    // The page quotes the message verbatim.
    assert!(
        doc().contains(err.trim_end()),
        "docs/profiles.md does not show: {err}"
    );
    assert!(err.contains("the closest is midorino-list-sabc"), "{err}");
}

#[test]
fn the_draft_is_what_profile_init_prints_and_it_loads() {
    let (code, draft, err) = jisseki(&["profile", "init", REPORT]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(draft, marked_block(&doc(), "draft"));
    // "The draft already loads as it is … reads all three items".
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("hibari.toml");
    std::fs::write(&p, &draft).unwrap();
    let (code, out, err) = jisseki(&["extract", REPORT, "--profile", p.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    let d: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(d["items"].as_array().unwrap().len(), 3);
}

#[test]
fn the_finished_profile_is_the_example_file_and_reads_the_report() {
    let file = "docs/example/hibari.toml";
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    assert_eq!(text, marked_block(&doc(), "profile"));
    let (code, out, err) = jisseki(&["extract", REPORT, "--profile", file]);
    assert_eq!(code, Some(0), "{err}");
    let d: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(d["profile"]["id"], "hibari-jisshi-keikaku");
    assert_eq!(d["profile"]["origin"], "file");
    assert_eq!(
        d["warnings"].as_array().unwrap().len(),
        0,
        "{}",
        d["warnings"]
    );
    let items = d["items"].as_array().unwrap();
    let col = |k: &str| -> Vec<Value> { items.iter().map(|i| i[k].clone()).collect() };
    assert_eq!(col("item_key"), ["1-1", "1-2", "2-1"]);
    assert_eq!(col("item_number"), ["①", "②", "①"]);
    let levels: Vec<&Value> = items.iter().map(|i| &i["assessment"]["level"]).collect();
    assert_eq!(levels, ["on_track", "ahead", "delayed"]);
    let first = &items[0];
    assert_eq!(first["groups"][0]["label"], "視点");
    assert_eq!(first["groups"][0]["number"], "1");
    assert_eq!(first["groups"][0]["title"], "市民サービスの向上");
    assert_eq!(first["title"], "窓口のワンストップ化");
    assert_eq!(
        first["departments"],
        serde_json::json!(["市民課", "情報政策課"])
    );
    assert_eq!(first["kpi_target"]["raw"], "窓口での平均待ち時間15分以下");
    assert_eq!(first["kpi_target"]["value"], 15);
    assert_eq!(first["kpi_target"]["qualifier"], "以下");
    assert_eq!(first["kpi_actual"]["value"], 18);
    assert_eq!(first["kpi_actual"]["year"], 2024);
    assert_eq!(
        first["initiatives"][0]["text"],
        "転入・転出に伴う手続を一か所の窓口で受け付ける。"
    );
    assert_eq!(first["next_steps"], "電子申請の対象となる証明書を増やす。");
    // 備考 is an extra field, kept (its "-" means nothing, so no entry for the first item).
    assert!(first["extra"].as_array().is_some());
    // The values the page shows for the first item are the ones extracted.
    let page = doc();
    for shown in [
        "\"item_key\": \"1-1\"",
        "\"title\": \"窓口のワンストップ化\"",
        "\"raw\": \"窓口での平均待ち時間15分以下\"",
        "\"raw\": \"窓口での平均待ち時間18分 (2024年度)\"",
    ] {
        assert!(page.contains(shown), "{shown}");
    }
    assert_eq!(
        first["kpi_actual"]["raw"],
        "窓口での平均待ち時間18分 (2024年度)"
    );
}
