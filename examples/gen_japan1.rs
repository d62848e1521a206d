//! Writes src/pdf/japan1/*.bin: the predefined Japanese CMaps as flat tables the PDF front
//! end reads without decompressing hayro-cmap's bundle of every CMap (see
//! src/pdf/japan1.rs). The data is hayro-cmap's (Adobe's cmap-resources, BSD-3-Clause);
//! `tests` in japan1.rs check every code against it. Run after updating hayro-cmap:
//!
//!     cargo run --release --example gen_japan1

use hayro_cmap::{BfString, CMap, CMapName};

fn main() {
    let dir = format!("{}/src/pdf/japan1", env!("CARGO_MANIFEST_DIR"));
    // CID → Unicode: one u32 per CID (0: none); multi-character values are few and go to a
    // side list (index | 0x8000_0000 → NUL-separated UTF-8).
    let ucs2 = cmap(b"Adobe-Japan1-UCS2");
    let (mut table, mut extra) = (Vec::new(), Vec::<u8>::new());
    let mut last = 0;
    for cid in 0..=30_000u32 {
        let v = match ucs2.lookup_bf_string(cid) {
            None => 0,
            Some(BfString::Char(c)) => c as u32,
            Some(BfString::String(s)) => {
                let at = extra.len() as u32 | 0x8000_0000;
                extra.extend_from_slice(s.as_bytes());
                extra.push(0);
                at
            }
        };
        if v != 0 {
            last = cid;
        }
        table.push(v);
    }
    table.truncate(last as usize + 1);
    let mut out = Vec::new();
    out.extend_from_slice(&(table.len() as u32).to_le_bytes());
    for v in &table {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&extra);
    std::fs::write(format!("{dir}/Adobe-Japan1-UCS2.bin"), out).unwrap();
    println!(
        "Adobe-Japan1-UCS2: {} CIDs, {} bytes of strings",
        table.len(),
        extra.len()
    );
    for name in japan1_encodings() {
        let cmap = cmap(name.as_bytes());
        // Runs of codes (one byte length each) whose CIDs rise with the code (step 1) or stay
        // the same (step 0, .notdef ranges): len, first, last, cid, step as u32 LE.
        let mut runs: Vec<[u32; 5]> = Vec::new();
        for len in 1..=3u8 {
            let codes: Box<dyn Iterator<Item = u32>> = match len {
                1 => Box::new(0..=0xFF),
                2 => Box::new(0..=0xFFFF),
                _ => Box::new(0x8F_0000..=0x8F_FFFF),
            };
            for code in codes {
                let Some(cid) = cmap.lookup_cid_code(code, len) else {
                    continue;
                };
                if let Some(r) = runs.last_mut() {
                    if r[0] == len as u32 && r[2] + 1 == code {
                        let n = code - r[1];
                        let step = if n == 1 { cid.wrapping_sub(r[3]) } else { r[4] };
                        if step <= 1 && r[3].wrapping_add(step * n) == cid {
                            r[2] = code;
                            r[4] = step;
                            continue;
                        }
                    }
                }
                runs.push([len as u32, code, code, cid, 1]);
            }
        }
        let mut out = Vec::new();
        for r in &runs {
            for v in r {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        std::fs::write(format!("{dir}/{name}.bin"), out).unwrap();
        println!("{name}: {} runs", runs.len());
    }
}

fn cmap(name: &[u8]) -> CMap {
    let data = hayro_cmap::load_embedded(CMapName::from_bytes(name)).expect("known CMap");
    CMap::parse(data, hayro_cmap::load_embedded).expect("parses")
}

/// The Adobe-Japan1 encoding CMaps (the same list as src/pdf/japan1.rs).
fn japan1_encodings() -> Vec<&'static str> {
    vec![
        "83pv-RKSJ-H",
        "90ms-RKSJ-H",
        "90ms-RKSJ-V",
        "90msp-RKSJ-H",
        "90msp-RKSJ-V",
        "90pv-RKSJ-H",
        "Add-RKSJ-H",
        "Add-RKSJ-V",
        "EUC-H",
        "EUC-V",
        "Ext-RKSJ-H",
        "Ext-RKSJ-V",
        "H",
        "V",
    ]
}
