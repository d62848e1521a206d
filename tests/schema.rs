//! `schemas/report.schema.json` encodes the output contract: the gold document (with the
//! `source`, `warnings` and `corrections` a run adds) validates, and broken variants do not.

use serde_json::{json, Value};
use std::path::Path;

fn load(rel: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn validator() -> jsonschema::Validator {
    let schema = load("schemas/report.schema.json");
    jsonschema::draft202012::meta::validate(&schema).expect("schema is valid draft 2020-12");
    jsonschema::draft202012::new(&schema).expect("schema compiles")
}

/// The gold fixture completed to a full document as a text-input run writes it.
fn gold_document() -> Value {
    gold_document_of("fixtures/tsukubamirai_2024.gold.v2.json")
}

fn gold_document_of(path: &str) -> Value {
    let gold = load(path);
    json!({
        "schema_version": gold["schema_version"],
        "profile": {"id": "tsukubamirai-action-plan", "origin": "builtin"},
        "source": {
            "file": "fixtures/tsukubamirai_gyokaku_2024_jisseki.txt",
            "sha256": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "format": "text",
            "encoding": "UTF-8",
            "pages": null,
            "producer": null
        },
        "report": gold["report"],
        "items": gold["items"],
        "warnings": [],
        "corrections": []
    })
}

fn errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path))
        .collect()
}

fn assert_invalid(v: &jsonschema::Validator, doc: &Value, what: &str) {
    assert!(!v.is_valid(doc), "{what}: accepted, should be rejected");
}

#[test]
fn gold_document_validates() {
    let v = validator();
    let doc = gold_document();
    assert_eq!(errors(&v, &doc), Vec::<String>::new());
}

#[test]
fn sample_family_golds_validate() {
    let v = validator();
    for g in [
        "fixtures/samples/midorino_list_sabc/gold.json",
        "fixtures/samples/sakuradai_ledger_ad/gold.json",
    ] {
        assert_eq!(
            errors(&v, &gold_document_of(g)),
            Vec::<String>::new(),
            "{g}"
        );
    }
}

#[test]
fn full_document_with_warnings_corrections_and_pdf_source_validates() {
    let v = validator();
    let mut doc = gold_document();
    doc["source"] = json!({
        "file": "a.pdf",
        "sha256": "f".repeat(64),
        "format": "pdf",
        "encoding": null,
        "pages": 12,
        "producer": "LibreOffice 7.5"
    });
    doc["items"][0]["pages"] = json!({"start": 3, "end": 4});
    doc["warnings"] = json!([
        {"code": "schedule_missing", "item_number": "1-①", "field": "initiatives[2].schedule", "message": "empty grid row"},
        {"code": "page_unreadable", "item_number": null, "field": null, "message": "page 5"}
    ]);
    doc["corrections"] = json!([
        {"item_number": "2-④", "field": "initiatives[0].progress.label", "from": "川原調", "to": "順調", "rule": "progress_label_vocabulary"}
    ]);
    // A damaged report may lack report fields and item texts.
    doc["report"]["municipality"] = Value::Null;
    doc["report"]["plan_period"] = Value::Null;
    doc["items"][1]["title"] = Value::Null;
    doc["items"][1]["summary"] = Value::Null;
    doc["items"][1]["initiatives"][0]["text"] = Value::Null;
    assert_eq!(errors(&v, &doc), Vec::<String>::new());
}

#[test]
fn broken_documents_are_rejected() {
    let v = validator();
    let gold = gold_document();
    assert!(v.is_valid(&gold));

    let mut doc = gold.clone();
    doc["items"][0].as_object_mut().unwrap().remove("item_key");
    assert_invalid(&v, &doc, "missing item_key");

    let mut doc = gold.clone();
    doc["items"][0]["kpi_target"]["value"] = json!("50");
    assert_invalid(&v, &doc, "Kpi value as a string");

    let mut doc = gold.clone();
    doc["items"][0]["remarks"] = json!(1);
    assert_invalid(&v, &doc, "unknown key in an item");

    let mut doc = gold.clone();
    doc["items"][0]["initiatives"][0]["progress"]["level"] = json!("good");
    assert_invalid(&v, &doc, "level outside the common scale");

    let mut doc = gold.clone();
    doc["items"][0]["initiatives"][0]["progress"]
        .as_object_mut()
        .unwrap()
        .remove("level");
    assert_invalid(&v, &doc, "rating without level");

    let mut doc = gold.clone();
    doc.as_object_mut().unwrap().remove("profile");
    assert_invalid(&v, &doc, "no profile");

    let mut doc = gold.clone();
    doc["extra"] = json!(1);
    assert_invalid(&v, &doc, "unknown top-level key");

    let mut doc = gold.clone();
    doc["source"]["sha256"] = json!("ABC");
    assert_invalid(&v, &doc, "bad sha256");

    let mut doc = gold.clone();
    doc["source"]["sha256"] =
        json!("0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF");
    assert_invalid(&v, &doc, "upper-case sha256");

    let mut doc = gold.clone();
    doc["schema_version"] = json!("1");
    assert_invalid(&v, &doc, "schema_version 1");

    let mut doc = gold.clone();
    doc["source"]["format"] = json!("docx");
    assert_invalid(&v, &doc, "unknown source format");

    let mut doc = gold.clone();
    doc["items"][0]["item_number"] = json!(" 1-1");
    assert_invalid(&v, &doc, "item_number with a leading space");

    let mut doc = gold.clone();
    doc["items"][0]["item_key"] = json!("1-①");
    assert_invalid(&v, &doc, "item_key not ASCII");

    let mut doc = gold.clone();
    doc["items"][0]["item_key"] = json!("No.1");
    assert_invalid(&v, &doc, "item_key with a label prefix");

    let mut doc = gold.clone();
    doc["items"][0]["kpi_actual"]["as_of"] = json!("2025年4月1日");
    assert_invalid(&v, &doc, "as_of not ISO");

    let mut doc = gold.clone();
    doc["items"][0]["pages"] = json!({"start": 1, "end": 1});
    assert_invalid(&v, &doc, "pages for text input");

    let mut doc = gold.clone();
    doc["items"][0]["initiatives"][0]["actions"] = json!("-");
    assert_invalid(&v, &doc, "actions '-' instead of null");

    let mut doc = gold.clone();
    doc["items"][0]["title"] = json!("人材の\t育成");
    assert_invalid(&v, &doc, "tab in a value");

    let mut doc = gold.clone();
    doc["items"][0]["title"] = json!("人材の育成\u{2F8F}");
    assert_invalid(&v, &doc, "radical left in a value");

    let mut doc = gold.clone();
    doc["warnings"] = json!([{"code": "kpi_unparsed", "item_number": "1-①", "message": "x"}]);
    assert_invalid(&v, &doc, "warning without field");
}
