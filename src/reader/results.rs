//! Numeric targets, results and effects inside a field's text (contract v1 Kpi, v2
//! clarifications 5, 6, 11): the last 【…】 of a target text, the result 【…】 of a summary with
//! its ※ notes, `目標：… / 実績：…` lines, and amounts of money under a 効果額 label.

use crate::diag::{Diag, WarningCode};
use crate::kpi;
use crate::model::Kpi;
use crate::normalize;

fn non_empty(s: String) -> Option<String> {
    (!s.trim().is_empty()).then_some(s)
}

/// The last 【…】 in `s`: (start byte of 【, end byte after 】, content).
pub fn last_bracket(s: &str) -> Option<(usize, usize, &str)> {
    let open = s.rfind('【')?;
    let close_rel = s[open..].find('】')?;
    let close = open + close_rel;
    Some((
        open,
        close + '】'.len_utf8(),
        &s[open + '【'.len_utf8()..close],
    ))
}

/// A target text: (the text without its last 【…】, the Kpi in it).
pub fn split_target(text: &str, field: &str, diag: &mut Diag) -> (Option<String>, Option<Kpi>) {
    match last_bracket(text) {
        Some((start, end, content)) => {
            let rest = format!("{} {}", &text[..start], &text[end..]);
            let parsed = kpi::parse(content);
            if let Some(p) = &parsed.problem {
                diag.warn_item(WarningCode::KpiUnparsed, Some(field), p.clone());
            }
            (non_empty(normalize::text(&rest)), Some(parsed.kpi))
        }
        None => (non_empty(text.to_string()), None),
    }
}

/// Split a result narrative into the text and the result Kpi: the last 【…】 with the ※
/// notes after it, or a ※ remark that contains the bracket.
pub fn split_result(text: &str, field: &str, diag: &mut Diag) -> (Option<String>, Option<Kpi>) {
    let Some((open, end, content)) = last_bracket(text) else {
        return (non_empty(text.to_string()), None);
    };
    let before = &text[..open];
    let after = text[end..].trim();
    // A ※ remark that contains the bracket: ※ before it in the same sentence.
    let remark_start = before.rfind('※').filter(|&i| {
        let between = &before[i..];
        !between.contains('。') && !between.contains('\n') && !between.contains('】')
    });
    if let Some(rs) = remark_start {
        let remark_end = text[end..]
            .find(['\n', '※'])
            .map_or(text.len(), |i| end + i);
        let remark = &text[rs..remark_end];
        let mut parsed = kpi::parse(content);
        parsed.kpi.note = non_empty(normalize::text(remark.trim_start_matches('※')));
        let rest = format!("{}\n{}", &text[..rs], &text[remark_end..]);
        return (non_empty(normalize::text(&rest)), Some(parsed.kpi));
    }
    let is_result = (after.is_empty() || after.starts_with('※'))
        && (content.chars().any(|c| c.is_ascii_digit()) || content.trim_start().starts_with('※'));
    if !is_result {
        return (non_empty(text.to_string()), None);
    }
    let parsed = kpi::parse(content);
    if let Some(p) = &parsed.problem {
        diag.warn_item(WarningCode::KpiUnparsed, Some(field), p.clone());
    }
    let mut kpi = parsed.kpi;
    add_notes(&mut kpi, after);
    (non_empty(normalize::text(before)), Some(kpi))
}

/// Append the ※ notes of `after` to the Kpi's note (joined with a space, normalized again).
fn add_notes(kpi: &mut Kpi, after: &str) {
    let notes: Vec<&str> = after
        .split('※')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if !notes.is_empty() {
        let mut parts: Vec<String> = kpi.note.take().into_iter().collect();
        parts.extend(notes.iter().map(|s| s.to_string()));
        kpi.note = non_empty(normalize::text(&parts.join(" ")));
    }
}

/// A Kpi written without 【】 after its label (clarification 5): `raw` is the text up to the
/// first ※, the ※ notes go to `note`; a text that starts with ※ is the not-measured form
/// (`raw` keeps the ※; indicator and year only from a 【】 inside the remark). A text with a
/// 【…】 is read as a result narrative is.
pub fn labelled_kpi(text: &str, field: &str, diag: &mut Diag) -> Option<Kpi> {
    let t = text.trim();
    if t.is_empty() || normalize::is_nothing(t) {
        return None;
    }
    if t.contains('【') {
        let (_, kpi) = split_result(t, field, diag);
        if kpi.is_some() {
            return kpi;
        }
    }
    if let Some(remark) = t.strip_prefix('※') {
        return Some(Kpi {
            raw: t.to_string(),
            note: non_empty(normalize::text(remark)),
            ..Kpi::default()
        });
    }
    let (raw, after) = match t.find('※') {
        Some(i) => (t[..i].trim(), &t[i..]),
        None => (t, ""),
    };
    let parsed = kpi::parse(raw);
    if let Some(p) = &parsed.problem {
        diag.warn_item(WarningCode::KpiUnparsed, Some(field), p.clone());
    }
    let mut kpi = parsed.kpi;
    add_notes(&mut kpi, after);
    Some(kpi)
}

/// Money multipliers in a unit: `千円` → (1000, 円).
fn money_unit(unit: &str) -> Option<f64> {
    Some(match unit {
        "円" => 1.0,
        "千円" => 1e3,
        "万円" => 1e4,
        "百万円" => 1e6,
        "億円" => 1e8,
        _ => return None,
    })
}

/// An effect amount under a label such as `効果額（千円）` (clarification 6): `indicator` is the
/// label without its unit parenthesis, the label's unit multiplies the amount (unit 円),
/// `year` only from a 年度 printed with the amount or in the label. A sign mark makes the
/// amount negative only where the profile's legend says so (`minus`).
pub fn effect(
    label: &str,
    amount: &str,
    minus: &[String],
    field: &str,
    diag: &mut Diag,
) -> Option<Kpi> {
    let raw = amount.trim();
    if raw.is_empty() || normalize::is_nothing(raw) {
        return None;
    }
    // The label's unit: `効果額(千円)`.
    let (indicator, label_unit) = match label.rfind('(') {
        Some(i) if label.ends_with(')') => {
            let unit = &label[i + 1..label.len() - 1];
            (
                label[..i].trim().to_string(),
                money_unit(unit).map(|m| (m, unit)),
            )
        }
        _ => (label.trim().to_string(), None),
    };
    let negative = minus.iter().any(|m| raw.starts_with(m.as_str()));
    let body = minus
        .iter()
        .find_map(|m| raw.strip_prefix(m.as_str()))
        .unwrap_or(raw)
        .trim();
    let parsed = kpi::parse(body);
    let mut k = parsed.kpi;
    k.raw = raw.to_string();
    k.indicator = non_empty(indicator);
    if k.value.is_none() {
        diag.warn_item(
            WarningCode::KpiUnparsed,
            Some(field),
            format!("no amount in 「{raw}」 under 「{label}」"),
        );
        return Some(k);
    }
    // The amount's own unit, else the label's.
    let mult = match k.unit.as_deref() {
        Some(u) => money_unit(u),
        None => label_unit.map(|(m, _)| m),
    };
    if let Some(m) = mult {
        k.value = k.value.map(|v| v * m);
        k.value_max = k.value_max.map(|v| v * m);
        k.unit = Some("円".into());
    }
    if negative {
        k.value = k.value.map(|v| -v);
    }
    if k.year.is_none() {
        k.year = label_year(label);
    }
    Some(k)
}

/// A 年度 in a label (`令和6年度効果額`).
fn label_year(label: &str) -> Option<i32> {
    let pos = label.find("年度")?;
    let before = &label[..pos];
    (0..before.len())
        .filter(|i| before.is_char_boundary(*i))
        .find_map(|i| crate::era::year_prefix(&before[i..]).filter(|(_, n)| i + n == before.len()))
        .map(|(y, _)| y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn effects_in_thousands() {
        let mut d = Diag::default();
        let k = effect("効果額(千円)", "12,480", &[], "effects[0]", &mut d).unwrap();
        assert_eq!(k.value, Some(12_480_000.0));
        assert_eq!(k.unit.as_deref(), Some("円"));
        assert_eq!(k.indicator.as_deref(), Some("効果額"));
        assert_eq!(k.raw, "12,480");
        assert_eq!(k.year, None);
        assert!(effect("効果額(千円)", "-", &[], "effects[0]", &mut d).is_none());
        let k = effect("効果額", "425万4千円", &[], "effects[0]", &mut d).unwrap();
        assert_eq!(k.value, Some(4_254_000.0));
        let k = effect(
            "令和6年度効果額(千円)",
            "▲1,000",
            &["▲".into()],
            "e",
            &mut d,
        )
        .unwrap();
        assert_eq!((k.value, k.year), (Some(-1_000_000.0), Some(2024)));
    }

    #[test]
    fn labelled_results() {
        let mut d = Diag::default();
        let k = labelled_kpi(
            "外部研修受講率は46% (2024年度) ※県職員、暫定再任用職員等除く。",
            "kpi_actual",
            &mut d,
        )
        .unwrap();
        assert_eq!(k.raw, "外部研修受講率は46% (2024年度)");
        assert_eq!(k.note.as_deref(), Some("県職員、暫定再任用職員等除く。"));
        assert_eq!(k.year, Some(2024));
        let k = labelled_kpi(
            "※サービス利用満足度については、評価するには至らなかった。",
            "kpi_actual",
            &mut d,
        )
        .unwrap();
        assert!(k.raw.starts_with('※'));
        assert_eq!(k.value, None);
        assert_eq!(k.indicator, None);
    }
}
