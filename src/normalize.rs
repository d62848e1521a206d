//! String rules 1–3 of the contract (NFKC with ①–⑳ kept, dashes, wave dash, middle dots,
//! radicals; white space; no markup). Rule 4 (controlled vocabularies) lives in `vocab`.
//!
//! Every string value of the output goes through [`text`]. Free text is never rewritten beyond
//! these rules.

use unicode_normalization::UnicodeNormalization;

/// ①–⑳: NFKC would turn them into digits, but item numbers (`1-①`) need them.
fn is_circled(c: char) -> bool {
    ('\u{2460}'..='\u{2473}').contains(&c)
}

/// Rule 1 on one string: NFKC except ①–⑳, then dashes → `-`, 〜 → `~`, middle dots → ・,
/// radicals → ideographs. Does not touch white space.
pub fn chars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // NFKC the runs between circled numbers; the circled numbers stay as they are.
    let mut run_start = 0;
    for (i, c) in s.char_indices() {
        if is_circled(c) {
            push_mapped(&mut out, &s[run_start..i]);
            out.push(c);
            run_start = i + c.len_utf8();
        }
    }
    push_mapped(&mut out, &s[run_start..]);
    if out.contains('\u{2019}') {
        out = fold_apostrophes(&out);
    }
    out
}

/// A typographic apostrophe inside a Latin word (`Let’s`) is the ASCII `'` the author typed:
/// typesetters (typst, Word) substitute it on their own, as Chromium substitutes ‧ for ・.
/// Quotes elsewhere stay as printed.
fn fold_apostrophes(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let inside_word = c == '\u{2019}'
            && i > 0
            && chars[i - 1].is_ascii_alphabetic()
            && chars.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic());
        out.push(if inside_word { '\'' } else { c });
    }
    out
}

fn push_mapped(out: &mut String, run: &str) {
    if run.is_ascii() {
        // Fast path: NFKC and the maps below leave ASCII alone.
        out.push_str(run);
        return;
    }
    // Most report text is kanji, kana and ASCII that no rule changes: copy it as it is, and
    // send only the stretches that hold other characters (full-width forms, marks) through
    // NFKC, each with the character before it, the one a combining mark would compose with.
    let mut copied = 0; // bytes of `run` already in `out`
    let mut chars = run.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_stable(c) {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if is_stable(d) {
                break;
            }
            end = j + d.len_utf8();
            chars.next();
        }
        let start = run[..i]
            .char_indices()
            .next_back()
            .map_or(i, |(k, _)| k)
            .max(copied);
        out.push_str(&run[copied..start]);
        out.extend(run[start..end].nfkc().map(map_char));
        copied = end;
    }
    out.push_str(&run[copied..]);
}

/// Characters that NFKC and the maps below leave alone and that do not compose with a
/// following combining mark in a way that matters here (the marks themselves are not stable,
/// so a run holding one takes the slow path).
fn is_stable(c: char) -> bool {
    matches!(c,
        ' '..='~'
        | '\u{3001}'..='\u{3007}'
        | '\u{3008}'..='\u{301B}'
        | '\u{3041}'..='\u{3096}'
        | '\u{30A1}'..='\u{30FC}'
        | '\u{4E00}'..='\u{9FFF}')
}

/// True when rules 1–3 leave `s` as it is ([`text`], [`spaced`] and [`key`] of it are `s`):
/// only characters rule 1 keeps, no white space, nothing that could start markup.
pub fn is_plain(s: &str) -> bool {
    s.chars().all(|c| is_stable(c) && c != ' ' && c != '<')
}

/// The character maps of rule 1 that NFKC does not do.
fn map_char(c: char) -> char {
    match c {
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        '\u{301C}' => '~',
        '\u{00B7}' | '\u{2027}' | '\u{2219}' | '\u{22C5}' => '\u{30FB}',
        '\u{2E80}'..='\u{2FDF}' => crate::radicals::equivalent_ideograph(c).unwrap_or(c),
        _ => c,
    }
}

/// "CJK" for the white-space rule: ideographs, kana (with ・ and ー), CJK symbols and
/// punctuation, radicals and what is left of the full-width forms after NFKC.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{3040}'..='\u{30FF}'
        | '\u{31F0}'..='\u{31FF}'
        | '\u{3000}'..='\u{303F}'
        | '\u{2E80}'..='\u{2FFF}'
        | '\u{FF00}'..='\u{FFEF}'
        | '\u{20000}'..='\u{2FFFF}')
}

fn is_ascii_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Rule 2 on one line of text: collapse white space, drop spaces between CJK characters and
/// between CJK and ASCII letters/digits, join letter-spaced capitals (`P R活動` → `PR活動`),
/// trim.
pub fn spaces(s: &str) -> String {
    if !s.contains(char::is_whitespace) {
        return s.to_string();
    }
    // Collapse first, so that every space below has non-space neighbours.
    let collapsed: Vec<char> = {
        let mut v = Vec::with_capacity(s.len());
        let mut pending_space = false;
        for c in s.chars() {
            if c.is_whitespace() {
                pending_space = !v.is_empty();
            } else {
                if pending_space {
                    v.push(' ');
                    pending_space = false;
                }
                v.push(c);
            }
        }
        v
    };
    let mut out = String::with_capacity(s.len());
    for (i, &c) in collapsed.iter().enumerate() {
        if c == ' ' {
            // Collapsing guarantees i > 0 and a non-space character after it.
            let a = collapsed[i - 1];
            let b = collapsed[i + 1];
            let drop = (is_cjk(a) && (is_cjk(b) || is_ascii_alnum(b)))
                || (is_ascii_alnum(a) && is_cjk(b))
                || letter_spaced_capitals(&collapsed, i);
            if drop {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// A space between two single capital letters (`P R`), each standing alone (not part of a
/// word such as `PPP R`).
fn letter_spaced_capitals(s: &[char], i: usize) -> bool {
    let (a, b) = (s[i - 1], s[i + 1]);
    if !(a.is_ascii_uppercase() && b.is_ascii_uppercase()) {
        return false;
    }
    let before_ok = i < 2 || !s[i - 2].is_ascii_alphanumeric();
    let after_ok = i + 2 >= s.len() || !s[i + 2].is_ascii_alphanumeric();
    before_ok && after_ok
}

/// Rule 3: HTML tags go; `</p>`, `<br>` mark paragraph ends (returned as `\n`); tabs become
/// spaces. Markdown table rules are handled at the row level (`is_markdown_rule`).
pub fn strip_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('<') {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        match html_tag_len(tail) {
            Some((len, name, closing)) => {
                let breaks = (name.eq_ignore_ascii_case("p") && closing)
                    || name.eq_ignore_ascii_case("br")
                    || (name.eq_ignore_ascii_case("div") && closing);
                if breaks {
                    out.push('\n');
                } else if name.eq_ignore_ascii_case("p") || name.eq_ignore_ascii_case("div") {
                    // An opening paragraph after text also starts a new paragraph.
                    if !out.trim().is_empty() {
                        out.push('\n');
                    }
                }
                rest = &tail[len..];
            }
            None => {
                out.push('<');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out.replace('\t', " ")
}

/// If `s` starts with an HTML tag (`<p>`, `</p>`, `<br/>`, `<span class="x">`), its byte
/// length, tag name and whether it is a closing tag.
fn html_tag_len(s: &str) -> Option<(usize, &str, bool)> {
    let b = s.as_bytes();
    let mut i = 1;
    let closing = b.get(1) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    while i < b.len() && b[i].is_ascii_alphanumeric() {
        i += 1;
    }
    if i == name_start || !b[name_start].is_ascii_alphabetic() {
        return None;
    }
    let name = &s[name_start..i];
    // Attributes until '>', on one line and without another '<'.
    while i < b.len() && b[i] != b'>' {
        if b[i] == b'<' || b[i] == b'\n' || i - name_start > 200 {
            return None;
        }
        i += 1;
    }
    if i >= b.len() {
        return None;
    }
    let before = &s[name_start + name.len()..i];
    if !(before.is_empty() || before == "/" || before.starts_with(' ')) {
        return None;
    }
    Some((i + 1, name, closing))
}

/// A markdown table rule line such as `------` or `|---|:--:|`.
pub fn is_markdown_rule(s: &str) -> bool {
    let t = s.trim();
    t.len() >= 3 && t.contains("---") && t.chars().all(|c| matches!(c, '-' | ':' | '|' | ' '))
}

/// Rules 1–3 on a cell or field: markup out, paragraphs kept as `\n`, each paragraph through
/// rule 1 and rule 2, empty paragraphs dropped.
pub fn text(s: &str) -> String {
    // Rule 1 first, so that full-width markup (＜ｐ＞) is seen as markup too and a second
    // pass finds nothing left to change.
    text_of_chars(chars(s))
}

/// [`text`] of a string rule 1 ([`chars`]) has already been applied to.
pub fn text_of_chars(mut stripped: String) -> String {
    // Removing a tag can join the halves of another (`<<p>b>`): strip until nothing changes.
    for _ in 0..8 {
        if !stripped.contains(['<', '\t']) {
            break;
        }
        let next = strip_markup(&stripped);
        if next == stripped {
            break;
        }
        stripped = next;
    }
    let mut out = String::with_capacity(stripped.len());
    for para in stripped.split(['\n', '\r']) {
        let p = spaces(para);
        if p.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&p);
    }
    out
}

/// Two lines of one wrapped paragraph joined (rule 3): directly where either side is CJK,
/// else with a space (Latin words), then normalized.
pub fn join_wrapped(a: &str, b: &str) -> String {
    let a = a.trim_end();
    let b = b.trim_start();
    let glue = a.chars().last().is_some_and(is_cjk) || b.chars().next().is_some_and(is_cjk);
    if a.is_empty() || b.is_empty() || glue {
        text(&format!("{a}{b}"))
    } else {
        text(&format!("{a} {b}"))
    }
}

/// Rule 1 and markup removal, white space collapsed to single spaces but kept: the form in
/// which headings and legends are matched (`重点改革項目1 人材育成…`, `S：… A：…`), where the
/// space rule 2 would remove still separates a number from its title.
pub fn spaced(s: &str) -> String {
    spaced_of_chars(&chars(s))
}

/// [`spaced`] of a string rule 1 ([`chars`]) has already been applied to.
pub fn spaced_of_chars(c: &str) -> String {
    let stripped = strip_markup(c);
    stripped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` with every white space removed: for comparing labels (`2024年度の 実施内容`).
pub fn key(s: &str) -> String {
    chars(s).chars().filter(|c| !c.is_whitespace()).collect()
}

/// A mark that OCR (or a typist) puts where a dash is printed: `-` itself, the long-vowel mark
/// ー and the kanji 一 (after rule 1, which makes ｰ ー), an underscore.
pub fn is_dash_like(c: char) -> bool {
    matches!(c, '-' | 'ー' | '一' | '_')
}

/// Rule 5: a text cell holding only a dash means "nothing".
pub fn is_nothing(s: &str) -> bool {
    // A character rule 1 keeps and that is neither a dash nor a space rules it out without
    // normalizing (most cells).
    if s.chars().any(|c| is_stable(c) && c != ' ' && c != '-') {
        return false;
    }
    let t = key(s);
    !t.is_empty() && t.chars().all(|c| c == '-') && t.chars().count() <= 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfkc_keeps_circled_numbers() {
        assert_eq!(chars("１-①"), "1-①");
        assert_eq!(chars("（２０２４年度）％"), "(2024年度)%");
        assert_eq!(chars("ｱｲｳｶﾞ"), "アイウガ");
    }

    #[test]
    fn fast_path_agrees_with_nfkc() {
        for c in (0u32..0x10000)
            .filter_map(char::from_u32)
            .filter(|c| is_stable(*c))
        {
            let slow: String = c.to_string().nfkc().map(map_char).collect();
            assert_eq!(slow, c.to_string(), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn stretchwise_nfkc_agrees_with_nfkc_of_the_whole_run() {
        let whole = |r: &str| -> String { r.nfkc().map(map_char).collect() };
        for r in [
            "か\u{3099}き",
            "ｶﾞｷﾞ（１）テスト",
            "e\u{301}te\u{301}",
            "【外部研修受講率５０％】（2024年度）",
            "漢字\u{3099}\u{309A}かな",
            "ＡＢＣ　ｄｅｆ",
            "\u{1100}\u{1161}\u{11A8}한",
            "⺟⻘部首",
        ] {
            let mut out = String::new();
            push_mapped(&mut out, r);
            assert_eq!(out, whole(r), "{r}");
        }
    }

    #[test]
    fn dashes_waves_dots_radicals() {
        assert_eq!(chars("a–b—c―d−e－f"), "a-b-c-d-e-f");
        assert_eq!(chars("ー"), "ー");
        assert_eq!(chars("4回〜6回"), "4回~6回");
        assert_eq!(chars("4回～6回"), "4回~6回");
        assert_eq!(chars("A‧B·C"), "A・B・C");
        assert_eq!(chars("⾏政"), "行政");
        assert_eq!(chars("Let’s!春ボラ"), "Let's!春ボラ");
        assert_eq!(chars("「’」 ’s"), "「’」 ’s");
    }

    #[test]
    fn white_space_rule() {
        assert_eq!(spaces("40 億円"), "40億円");
        assert_eq!(spaces("。 市民"), "。市民");
        assert_eq!(spaces("46% (2024年度)"), "46% (2024年度)");
        assert_eq!(spaces("企業訪問等の P R 活動"), "企業訪問等のPR活動");
        assert_eq!(spaces("  a   b  "), "a b");
        assert_eq!(spaces("個別項目 - 実績報告"), "個別項目 - 実績報告");
        assert_eq!(spaces("PPP R"), "PPP R");
        assert_eq!(text("個別項目 – 実績報告"), "個別項目 - 実績報告");
    }

    #[test]
    fn markup_and_paragraphs() {
        assert_eq!(
            text("<p>一つ目。</p> <p>二つ目。</p>"),
            "一つ目。\n二つ目。"
        );
        assert_eq!(text("x<3かつy>2"), "x<3かつy>2");
        assert_eq!(text("a<b>太字</b>c"), "a太字c");
        assert!(is_markdown_rule(
            "------\t-----".replace('\t', " ").as_str()
        ));
        assert!(!is_markdown_rule("-"));
    }

    #[test]
    fn nothing_cells() {
        assert!(is_nothing("-"));
        assert!(is_nothing("—"));
        assert!(is_nothing(" － "));
        assert!(!is_nothing("ー"));
        assert!(!is_nothing(""));
    }

    /// The strings of the seed report, cut at white space, and some made ones.
    fn samples() -> Vec<String> {
        let seed = include_str!("../fixtures/tsukubamirai_gyokaku_2024_jisseki.txt");
        let mut v: Vec<String> = seed.split_whitespace().map(str::to_string).collect();
        v.extend(seed.lines().map(str::to_string));
        for s in [
            "",
            "-",
            "--",
            "----",
            " - ",
            "－",
            "ー",
            "一",
            "A\u{301}",
            "a<b",
            "R6年度〜",
            "’s",
        ] {
            v.push(s.to_string());
        }
        v
    }

    #[test]
    fn plain_strings_are_their_own_normal_forms() {
        let mut plain = 0;
        for s in samples() {
            if is_plain(&s) {
                plain += 1;
                assert_eq!(text(&s), s);
                assert_eq!(spaced(&s), s);
                assert_eq!(key(&s), s);
            }
        }
        // The shortcut is taken for most of the report's words.
        assert!(plain > 1000, "{plain}");
    }

    #[test]
    fn nothing_shortcut_agrees_with_the_rule() {
        for s in samples() {
            let t = key(&s);
            let slow = !t.is_empty() && t.chars().all(|c| c == '-') && t.chars().count() <= 3;
            assert_eq!(is_nothing(&s), slow, "{s:?}");
        }
    }
}
