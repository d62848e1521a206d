//! The README shows the SQLite example queries verbatim and the two commands that work.

#[test]
fn readme_shows_the_tested_queries_verbatim() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for (title, sql) in jisseki::sqlite::EXAMPLE_QUERIES {
        assert!(readme.contains(title), "README lacks the title {title}");
        assert!(readme.contains(sql), "README lacks the SQL of {title}");
    }
    assert!(readme.contains("make demo") && readme.contains("make test"));
    let makefile =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Makefile")).unwrap();
    assert!(makefile.contains("fixtures/tsukubamirai_gyokaku_2024_jisseki.txt"));
}
