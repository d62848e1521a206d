//! The same report in other encodings, line endings and digit widths gives the same items.

mod common;

use common::*;
use jisseki::model::Document;

fn seed_text() -> String {
    String::from_utf8(seed_bytes()).unwrap()
}

/// The seed with the two dashes Shift_JIS cannot hold (– U+2013, — U+2014) written as ―
/// (U+2015), which is in JIS X 0208; all three normalize to `-`.
fn seed_text_jis() -> String {
    seed_text().replace(['\u{2013}', '\u{2014}'], "\u{2015}")
}

fn items_json(doc: &Document) -> serde_json::Value {
    serde_json::to_value(&doc.items).unwrap()
}

fn reference() -> Document {
    jisseki::extract(&seed_bytes(), "seed.txt").unwrap()
}

#[test]
fn shift_jis_with_crlf() {
    let crlf = seed_text_jis().replace('\n', "\r\n");
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&crlf);
    assert!(!unmappable, "the seed is representable in Shift_JIS");
    let doc = jisseki::extract(&bytes, "seed.sjis.txt").unwrap();
    assert_eq!(doc.source.encoding.as_deref(), Some("Shift_JIS"));
    assert_eq!(items_json(&doc), items_json(&reference()));
    assert_schema_valid(&serde_json::to_value(&doc).unwrap());
}

#[test]
fn euc_jp_with_cr() {
    let cr = seed_text_jis().replace('\n', "\r");
    let (bytes, _, unmappable) = encoding_rs::EUC_JP.encode(&cr);
    assert!(!unmappable);
    let doc = jisseki::extract(&bytes, "seed.euc.txt").unwrap();
    assert_eq!(doc.source.encoding.as_deref(), Some("EUC-JP"));
    assert_eq!(items_json(&doc), items_json(&reference()));
}

#[test]
fn utf16le_with_bom() {
    let mut bytes = vec![0xFF, 0xFE];
    for u in seed_text().encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let doc = jisseki::extract(&bytes, "seed.utf16.txt").unwrap();
    assert_eq!(doc.source.encoding.as_deref(), Some("UTF-16LE"));
    assert_eq!(items_json(&doc), items_json(&reference()));
}

#[test]
fn utf16be_and_utf8_bom() {
    let mut be = vec![0xFE, 0xFF];
    for u in seed_text().encode_utf16() {
        be.extend_from_slice(&u.to_be_bytes());
    }
    assert_eq!(
        items_json(&jisseki::extract(&be, "be").unwrap()),
        items_json(&reference())
    );
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(&seed_bytes());
    let doc = jisseki::extract(&bom, "bom").unwrap();
    assert_eq!(doc.source.encoding.as_deref(), Some("UTF-8"));
    assert_eq!(items_json(&doc), items_json(&reference()));
}

/// Full-width digits, letters, %, parentheses and ideographic spaces, as OCR and Word give.
#[test]
fn full_width_forms_injected() {
    let wide: String = seed_text()
        .chars()
        .map(|c| match c {
            '0'..='9' | 'A'..='Z' | 'a'..='z' | '%' | '(' | ')' | ':' => {
                char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap()
            }
            _ => c,
        })
        .collect();
    assert!(wide.contains("１-①") && wide.contains("（２０２４年度報告）"));
    let doc = jisseki::extract(wide.as_bytes(), "wide.txt").unwrap();
    assert_eq!(items_json(&doc), items_json(&reference()));
    assert_eq!(doc.report, reference().report);
}

/// Wave dash variants: Shift_JIS decoders disagree on 0x8160 (〜 or ～); both give `~`.
#[test]
fn wave_dash_variants() {
    for wave in ['\u{301C}', '\u{FF5E}'] {
        let t = seed_text().replace("4 回～ 6 回", &format!("4 回{wave} 6 回"));
        let doc = jisseki::extract(t.as_bytes(), "w").unwrap();
        let k = doc
            .items
            .iter()
            .find(|i| i.item_key == "5-4")
            .unwrap()
            .kpi_actual
            .clone()
            .unwrap();
        assert_eq!(
            k.raw,
            "各校の学校運営協議会年間の実施回数4回~ 6回 (2024年度)"
        );
        assert_eq!(k.value_max, Some(6.0));
    }
}

/// 和暦 in the header: the plan period and the report year come out as Western years.
#[test]
fn japanese_era_years_in_the_header() {
    let t = seed_text()
        .replace("(2024年度報告)", "(令和6年度報告)")
        .replace("(2024 -2028)", "(令和6年度～令和10年度)")
        .replace("(2024 - 2028)", "(令和6年度～令和10年度)");
    let doc = jisseki::extract(t.as_bytes(), "wareki.txt").unwrap();
    assert_eq!(doc.report, reference().report);
    assert_eq!(items_json(&doc), items_json(&reference()));
}
