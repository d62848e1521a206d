//! The OCR cache: one JSON file per read page, named by the SHA-256 of the page image (its
//! pixels and placement) together with the engine, the model and the reading settings, so a
//! rerun on the same scan does not OCR again and any change of engine, model or settings
//! misses.
//!
//! Location: `JISSEKI_OCR_CACHE` (`off` turns the cache off), else
//! `$XDG_CACHE_HOME/jisseki/ocr`, else `~/.cache/jisseki/ocr`. A cache that cannot be
//! written is silently skipped: it is an optimization, never a source of errors.

use super::{PageImage, PageRead};
use sha2::{Digest, Sha256};
use std::path::PathBuf;

pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The cache, or `None` when it is turned off or has no home.
    pub fn open(off: bool) -> Option<Cache> {
        if off {
            return None;
        }
        let dir = match std::env::var_os("JISSEKI_OCR_CACHE") {
            Some(v) if v == "off" || v == "0" || v.is_empty() => return None,
            Some(v) => PathBuf::from(v),
            None => {
                let base = std::env::var_os("XDG_CACHE_HOME")
                    .filter(|v| !v.is_empty())
                    .map(PathBuf::from)
                    .or_else(|| {
                        std::env::var_os("HOME")
                            .filter(|v| !v.is_empty())
                            .map(|h| PathBuf::from(h).join(".cache"))
                    })?;
                base.join("jisseki").join("ocr")
            }
        };
        Some(Cache { dir })
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(format!("{key}.json"))
    }

    pub fn get(&self, key: &str) -> Option<PageRead> {
        let bytes = std::fs::read(self.path(key)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    pub fn put(&self, key: &str, read: &PageRead) {
        let path = self.path(key);
        let Some(dir) = path.parent() else { return };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let Ok(json) = serde_json::to_vec(read) else {
            return;
        };
        // Write then rename, so a reader never sees half a file.
        if let Ok(mut tmp) = tempfile::NamedTempFile::new_in(dir) {
            use std::io::Write;
            if tmp.write_all(&json).is_ok() {
                let _ = tmp.persist(&path);
            }
        }
    }
}

/// The cache key of a page: its image, where it sits, the engine and the settings.
pub fn key(p: &PageImage, engine: &str, settings: &str) -> String {
    let mut h = Sha256::new();
    h.update(settings.as_bytes());
    h.update([0]);
    h.update(engine.as_bytes());
    h.update([0]);
    for v in [
        p.page_w,
        p.page_h,
        p.placed.x0,
        p.placed.y0,
        p.placed.x1,
        p.placed.y1,
    ] {
        h.update(v.to_le_bytes());
    }
    h.update((p.gray.w as u64).to_le_bytes());
    h.update((p.gray.h as u64).to_le_bytes());
    h.update([u8::from(p.gray.bilevel)]);
    h.update(&p.gray.px);
    // Rules given with the image change the reading.
    if let Some(rules) = &p.known_rules {
        h.update(b"rules");
        for r in rules {
            for v in [r.x0, r.y0, r.x1, r.y1] {
                h.update(v.to_le_bytes());
            }
        }
    }
    crate::ingest::hex(&h.finalize())
}
