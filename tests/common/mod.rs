//! Shared test helpers: the fixtures and a field-by-field comparison with the gold.
#![allow(dead_code)]

use serde_json::Value;
use std::path::PathBuf;

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

pub fn seed_bytes() -> Vec<u8> {
    std::fs::read(fixture("tsukubamirai_gyokaku_2024_jisseki.txt")).expect("seed fixture")
}

pub fn gold() -> Value {
    let s =
        std::fs::read_to_string(fixture("tsukubamirai_2024.gold.v2.json")).expect("gold fixture");
    serde_json::from_str(&s).expect("gold parses")
}

/// Free-text fields: compared ignoring white space (paragraph breaks are a layout choice).
const TEXT_FIELDS: &[&str] = &[
    "current_issues",
    "target_state",
    "summary",
    "raw",
    "note",
    "text",
    "actions",
    "next_steps",
];

fn no_ws(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every field of `gold` must equal `cand`: structured fields exactly, free text ignoring white
/// space. Keys the gold does not have (source, warnings, corrections) are not compared, and
/// `pages` is skipped (null for text, page numbers for PDF). Returns the mismatches.
pub fn compare_with_gold(gold: &Value, cand: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(gold, cand, "", None, &mut out);
    out
}

fn walk(g: &Value, c: &Value, path: &str, key: Option<&str>, out: &mut Vec<String>) {
    match (g, c) {
        (Value::Object(go), Value::Object(co)) => {
            for (k, gv) in go {
                if k == "pages" {
                    continue;
                }
                match co.get(k) {
                    Some(cv) => walk(gv, cv, &format!("{path}.{k}"), Some(k), out),
                    None => out.push(format!("{path}.{k}: missing")),
                }
            }
        }
        (Value::Array(ga), Value::Array(ca)) => {
            if ga.len() != ca.len() {
                out.push(format!(
                    "{path}: {} elements, gold has {}",
                    ca.len(),
                    ga.len()
                ));
            }
            for (i, (gv, cv)) in ga.iter().zip(ca).enumerate() {
                walk(gv, cv, &format!("{path}[{i}]"), key, out);
            }
        }
        (Value::String(gs), Value::String(cs)) if key.is_some_and(|k| TEXT_FIELDS.contains(&k)) => {
            if no_ws(gs) != no_ws(cs) {
                out.push(format!("{path}: {cs:?}, gold {gs:?}"));
            }
        }
        (Value::Number(gn), Value::Number(cn)) => {
            if gn.as_f64() != cn.as_f64() {
                out.push(format!("{path}: {cn}, gold {gn}"));
            }
        }
        _ => {
            if g != c {
                out.push(format!("{path}: {c}, gold {g}"));
            }
        }
    }
}

/// Every gold field must match but the `known` misses (mismatch paths, by prefix), and each
/// known miss must still be one: when a miss is fixed, it is dropped from its list.
pub fn assert_known_misses(name: &str, doc: &Value, known: &[&str]) {
    let diffs = compare_with_gold(&gold(), doc);
    let unexpected: Vec<&String> = diffs
        .iter()
        .filter(|d| !known.iter().any(|k| d.starts_with(k)))
        .collect();
    assert!(
        unexpected.is_empty(),
        "{name}: {} unexpected mismatches:\n{}",
        unexpected.len(),
        unexpected
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    for k in known {
        assert!(
            diffs.iter().any(|d| d.starts_with(k)),
            "{name}: {k} now matches the gold; remove it from the known misses"
        );
    }
}

/// The document of a PDF read with every ruling line and fill removed, as a Word or Excel
/// export with hidden borders draws it: the table stage's whitespace fallback.
pub fn rule_stripped_doc(name: &str, pdf: &[u8]) -> Value {
    let mut content = jisseki::pdf::read(pdf, &jisseki::pdf::Limits::default()).unwrap();
    for p in &mut content.pages {
        p.rules.clear();
        p.fills.clear();
    }
    let rows =
        jisseki::pdf::rows_from_content_with(content, &jisseki::pipeline::hints(None)).unwrap();
    let source = jisseki::model::Source {
        format: "pdf".into(),
        ..Default::default()
    };
    let doc = jisseki::pipeline::from_rows(&rows.rows, source, rows.diag, &Default::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::to_value(&doc).unwrap()
}

pub fn validator() -> jsonschema::Validator {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas/report.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::draft202012::new(&schema).expect("schema compiles")
}

/// Assert that a document validates against the JSON Schema, listing every error.
pub fn assert_schema_valid(doc: &Value) {
    let v = validator();
    let errs: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path))
        .collect();
    assert!(errs.is_empty(), "schema errors:\n{}", errs.join("\n"));
}
