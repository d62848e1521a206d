//! Property tests: normalization is idempotent, the pipeline never panics, CSV round-trips.

mod common;

use proptest::prelude::*;

/// Strings rich in what the rules touch: CJK, full-width forms, dashes, spaces, markup.
fn report_like() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "実施", "項目", "番号", "①", "⑳", "１", "2024", "年度", " ", "  ", "\u{3000}", "\t", "－",
        "—", "‒", "ー", "〜", "～", "·", "‧", "⾏", "⺠", "ｶﾞ", "Ａ", "P", " R", "%", "％", "（",
        ")", "<p>", "</p>", "<br>", "【", "】", "※", "、", "。", "a", "-", "~", "\n", "〈", "〉",
        "<", ">", "A B", "x",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn normalize_is_idempotent(s in report_like()) {
        let once = jisseki::normalize::text(&s);
        prop_assert_eq!(jisseki::normalize::text(&once), once.clone());
        prop_assert!(!once.contains('\t'));
        prop_assert!(!once.starts_with(' ') && !once.ends_with(' '));
    }

    #[test]
    fn normalize_is_idempotent_on_any_string(s in any::<String>()) {
        let once = jisseki::normalize::text(&s);
        prop_assert_eq!(jisseki::normalize::text(&once), once);
    }

    #[test]
    fn kpi_parser_never_panics(s in report_like()) {
        let _ = jisseki::kpi::parse(&s);
    }

    #[test]
    fn pipeline_never_panics_on_bytes(b in prop::collection::vec(any::<u8>(), 0..2048)) {
        match jisseki::extract(&b, "fuzz") {
            Ok(_) => {}
            Err(e) => prop_assert!(e.kind != jisseki::error::ErrorKind::Internal, "{e}"),
        }
    }

    #[test]
    fn pipeline_never_panics_on_utf8(s in any::<String>()) {
        if let Err(e) = jisseki::extract(s.as_bytes(), "fuzz") {
            prop_assert!(e.kind != jisseki::error::ErrorKind::Internal, "{e}");
        }
    }

    /// Pieces of the real report shuffled: the pipeline must cope without panicking.
    #[test]
    fn pipeline_never_panics_on_shuffled_report(idx in prop::collection::vec(0usize..700, 1..200)) {
        let seed = String::from_utf8(common::seed_bytes()).unwrap();
        let lines: Vec<&str> = seed.lines().collect();
        let text: String = idx.iter().map(|i| lines[i % lines.len()]).collect::<Vec<_>>().join("\n");
        if let Err(e) = jisseki::extract(text.as_bytes(), "shuffled") {
            prop_assert!(e.kind != jisseki::error::ErrorKind::Internal, "{e}");
        }
    }
}

/// CSV round-trip: every value of the JSON is in the CSV, read back with a CSV reader.
#[test]
fn csv_round_trips_to_json_values() {
    let doc = jisseki::extract(&common::seed_bytes(), "seed.txt").unwrap();
    let t = jisseki::output::csv_tables(&[&doc]);
    let mut rd = csv::Reader::from_reader(t.items.as_slice());
    let h = rd.headers().unwrap().clone();
    let recs: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(recs.len(), doc.items.len());
    let opt = |s: &str| {
        if s.is_empty() {
            None
        } else {
            Some(s.to_string())
        }
    };
    for (it, r) in doc.items.iter().zip(&recs) {
        let get = |n: &str| r[h.iter().position(|x| x == n).unwrap()].to_string();
        assert_eq!(get("item_key"), it.item_key);
        assert_eq!(opt(&get("title")), it.title);
        assert_eq!(opt(&get("summary")), it.summary);
        assert_eq!(opt(&get("current_issues")), it.current_issues);
        assert_eq!(get("departments"), it.departments.join(";"));
        for (side, k) in [
            ("kpi_target", &it.kpi_target),
            ("kpi_actual", &it.kpi_actual),
        ] {
            let k = k.as_ref().unwrap();
            assert_eq!(get(&format!("{side}_raw")), k.raw);
            assert_eq!(opt(&get(&format!("{side}_note"))), k.note);
            let v: Option<f64> = opt(&get(&format!("{side}_value"))).map(|s| s.parse().unwrap());
            assert_eq!(v, k.value);
            assert_eq!(get(&format!("{side}_approx")), k.approx.to_string());
        }
    }
    let mut rd = csv::Reader::from_reader(t.initiatives.as_slice());
    let h = rd.headers().unwrap().clone();
    let at = |n: &str| h.iter().position(|x| x == n).unwrap();
    let recs: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    let all: Vec<(&str, &jisseki::model::Initiative)> = doc
        .items
        .iter()
        .flat_map(|i| i.initiatives.iter().map(move |n| (i.item_key.as_str(), n)))
        .collect();
    assert_eq!(recs.len(), all.len());
    for ((key, ini), r) in all.iter().zip(&recs) {
        assert_eq!(&r[at("item_key")], *key);
        assert_eq!(&r[at("report_id")], jisseki::model::report_id_of(&doc));
        assert_eq!(r[at("no")].parse::<u32>().unwrap(), ini.no);
        assert_eq!(opt(&r[at("text")]), ini.text);
        assert_eq!(opt(&r[at("actions")]), ini.actions);
        assert_eq!(opt(&r[at("next_steps")]), ini.next_steps);
        let p = ini.progress.as_ref().unwrap();
        assert_eq!(
            (&r[at("progress_symbol")], &r[at("progress_label")]),
            (
                p.symbol.as_deref().unwrap_or(""),
                p.label.as_deref().unwrap_or("")
            )
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Damaged PDFs (bytes overwritten anywhere, or cut short): a clear error or a result,
    /// never a panic (which `extract` would report as an internal error).
    #[test]
    fn damaged_pdfs_never_panic(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
        cut in any::<prop::sample::Index>(),
        which in 0usize..3,
    ) {
        let name = ["pdf/cases/identity_h_tounicode.pdf", "pdf/cases/rksj_90ms_v.pdf", "pdf/cases/misc_ops.pdf"][which];
        let mut bytes = std::fs::read(common::fixture(name)).unwrap();
        for (at, b) in edits {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        let keep = bytes.len() / 2 + cut.index(bytes.len() / 2 + 1);
        bytes.truncate(keep);
        if let Err(e) = jisseki::extract(&bytes, name) {
            prop_assert!(e.kind != jisseki::error::ErrorKind::Internal, "{e}");
        }
    }
}
