//! Tesseract 5 through its C API (`tesseract/capi.h`), loaded at run time with libloading.
//!
//! Why the C API and not the `tesseract` command: a page is read cell by cell (30–60 small
//! images), and each `tesseract` process spends about a third of a second loading the `jpn`
//! model before it reads anything; one engine per thread, kept for the whole run, reads a cell
//! in a few tens of milliseconds. Why loaded at run time: no headers, no bindgen and no
//! build-time dependency, so jisseki builds (and reads text PDFs) on a machine without
//! Tesseract, and a scan there gives one clear error.
//!
//! The library is `JISSEKI_TESSERACT` if set (a path or a file name), else the usual names
//! (`libtesseract.so.5`, …). The model directory is `JISSEKI_TESSDATA`, else `TESSDATA_PREFIX`,
//! else the library's default. OpenMP inside Tesseract is limited to one thread (pages and
//! cells are already read in parallel).

use std::ffi::{c_char, c_float, c_int, c_void, CStr, CString};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// Page iterator levels (`TessPageIteratorLevel`).
const RIL_TEXTLINE: c_int = 2;
const RIL_WORD: c_int = 3;
const RIL_SYMBOL: c_int = 4;

/// Page segmentation modes used (`TessPageSegMode`).
pub const PSM_SINGLE_BLOCK: c_int = 6;
pub const PSM_SINGLE_LINE: c_int = 7;
pub const PSM_RAW_LINE: c_int = 13;
pub const PSM_SINGLE_WORD: c_int = 8;
pub const PSM_SINGLE_CHAR: c_int = 10;

/// The second model: Latin digits and signs (`%`, `,`, `.`), which the Japanese model
/// confuses (`50%` → `509%`, `30%` → `3096`, `15,821` → `15.821`). It ships with the
/// Tesseract package; without it the Japanese reading stands.
pub const SECOND_LANG: &str = "eng";

pub const INSTALL_HINT: &str =
    "install Tesseract with the Japanese model (Debian/Ubuntu: apt-get install tesseract-ocr tesseract-ocr-jpn)";

type Api = *mut c_void;

/// The C functions used, resolved once.
struct Fns {
    version: unsafe extern "C" fn() -> *const c_char,
    create: unsafe extern "C" fn() -> Api,
    delete: unsafe extern "C" fn(Api),
    init3: unsafe extern "C" fn(Api, *const c_char, *const c_char) -> c_int,
    set_variable: unsafe extern "C" fn(Api, *const c_char, *const c_char) -> c_int,
    set_psm: unsafe extern "C" fn(Api, c_int),
    set_image: unsafe extern "C" fn(Api, *const u8, c_int, c_int, c_int, c_int),
    set_resolution: unsafe extern "C" fn(Api, c_int),
    recognize: unsafe extern "C" fn(Api, *mut c_void) -> c_int,
    get_iterator: unsafe extern "C" fn(Api) -> *mut c_void,
    clear: unsafe extern "C" fn(Api),
    it_delete: unsafe extern "C" fn(*mut c_void),
    it_next: unsafe extern "C" fn(*mut c_void, c_int) -> c_int,
    it_text: unsafe extern "C" fn(*const c_void, c_int) -> *mut c_char,
    it_conf: unsafe extern "C" fn(*const c_void, c_int) -> c_float,
    it_page: unsafe extern "C" fn(*const c_void) -> *const c_void,
    page_bbox: unsafe extern "C" fn(
        *const c_void,
        c_int,
        *mut c_int,
        *mut c_int,
        *mut c_int,
        *mut c_int,
    ) -> c_int,
    page_begins: unsafe extern "C" fn(*const c_void, c_int) -> c_int,
    delete_text: unsafe extern "C" fn(*const c_char),
}

/// The loaded library and what the run needs to know of it.
pub struct Engine {
    fns: Fns,
    datapath: Option<CString>,
    lang: CString,
    /// "5.3.0".
    pub version: String,
    /// "jpn" with the model's version string and file hash where found.
    pub model: String,
    /// Part of the OCR cache key: version, model hash.
    pub fingerprint: String,
    // Keeps the function pointers valid; dropped last.
    _lib: libloading::Library,
}

// The function pointers are plain C functions; TessBaseAPI handles are per thread.
unsafe impl Send for Engine {}
unsafe impl Sync for Engine {}

const LIB_NAMES: &[&str] = &[
    "libtesseract.so.5",
    "libtesseract.so",
    "libtesseract.5.dylib",
    "libtesseract.dylib",
    "/opt/homebrew/lib/libtesseract.dylib",
    "/usr/local/lib/libtesseract.dylib",
    "tesseract55.dll",
    "tesseract53.dll",
    "libtesseract-5.dll",
];

/// The engine, loaded on first use (once per process).
pub fn engine() -> Result<Arc<Engine>, String> {
    static ENGINE: OnceLock<Result<Arc<Engine>, String>> = OnceLock::new();
    ENGINE.get_or_init(load).clone()
}

fn load() -> Result<Arc<Engine>, String> {
    if std::env::var_os("OMP_THREAD_LIMIT").is_none() {
        // Read by libgomp when Tesseract loads it, below. Set before any engine thread runs.
        std::env::set_var("OMP_THREAD_LIMIT", "1");
    }
    let names: Vec<String> = match std::env::var("JISSEKI_TESSERACT") {
        Ok(p) if !p.is_empty() => vec![p],
        _ => LIB_NAMES.iter().map(|s| s.to_string()).collect(),
    };
    let mut last = String::new();
    let mut lib = None;
    for n in &names {
        // SAFETY: loading Tesseract runs its static initializers, which have no preconditions.
        match unsafe { libloading::Library::new(n) } {
            Ok(l) => {
                lib = Some(l);
                break;
            }
            Err(e) => last = e.to_string(),
        }
    }
    let Some(lib) = lib else {
        return Err(format!(
            "Tesseract OCR is not installed (no {}: {last}); {INSTALL_HINT}",
            names.first().map_or("libtesseract", String::as_str)
        ));
    };
    let fns =
        resolve(&lib).map_err(|e| format!("the Tesseract library lacks {e}; {INSTALL_HINT}"))?;
    // SAFETY: TessVersion returns a static NUL-terminated string.
    let version = unsafe { CStr::from_ptr((fns.version)()) }
        .to_string_lossy()
        .into_owned();
    if !version.starts_with(|c: char| c.is_ascii_digit() && c >= '4') {
        return Err(format!(
            "Tesseract {version} is too old (need 4 or later); {INSTALL_HINT}"
        ));
    }
    let datapath = std::env::var("JISSEKI_TESSDATA")
        .or_else(|_| std::env::var("TESSDATA_PREFIX"))
        .ok()
        .filter(|s| !s.is_empty());
    let lang = "jpn";
    let (model, hash) = model_info(datapath.as_deref(), lang);
    let engine = Arc::new(Engine {
        fns,
        datapath: datapath.clone().and_then(|d| CString::new(d).ok()),
        lang: CString::new(lang).expect("no NUL"),
        fingerprint: format!(
            "tesseract {version} {lang} {hash} {SECOND_LANG} {}",
            model_info(datapath.as_deref(), SECOND_LANG).1
        ),
        version,
        model,
        _lib: lib,
    });
    // Prove the model loads now, so a missing model is one clear error rather than one per page.
    Tess::new(&engine).map_err(|_| {
        format!(
            "Tesseract has no Japanese model ({lang}.traineddata{}); {INSTALL_HINT}",
            datapath
                .as_deref()
                .map(|d| format!(" in {d}"))
                .unwrap_or_default()
        )
    })?;
    Ok(engine)
}

fn resolve(lib: &libloading::Library) -> Result<Fns, String> {
    macro_rules! f {
        ($name:literal) => {
            // SAFETY: the symbol has the signature of capi.h, which the field's type repeats.
            *unsafe { lib.get(concat!($name, "\0").as_bytes()) }.map_err(|_| $name.to_string())?
        };
    }
    Ok(Fns {
        version: f!("TessVersion"),
        create: f!("TessBaseAPICreate"),
        delete: f!("TessBaseAPIDelete"),
        init3: f!("TessBaseAPIInit3"),
        set_variable: f!("TessBaseAPISetVariable"),
        set_psm: f!("TessBaseAPISetPageSegMode"),
        set_image: f!("TessBaseAPISetImage"),
        set_resolution: f!("TessBaseAPISetSourceResolution"),
        recognize: f!("TessBaseAPIRecognize"),
        get_iterator: f!("TessBaseAPIGetIterator"),
        clear: f!("TessBaseAPIClear"),
        it_delete: f!("TessResultIteratorDelete"),
        it_next: f!("TessResultIteratorNext"),
        it_text: f!("TessResultIteratorGetUTF8Text"),
        it_conf: f!("TessResultIteratorConfidence"),
        it_page: f!("TessResultIteratorGetPageIteratorConst"),
        page_bbox: f!("TessPageIteratorBoundingBox"),
        page_begins: f!("TessPageIteratorIsAtBeginningOf"),
        delete_text: f!("TessDeleteText"),
    })
}

/// The model's version string (from the traineddata file) and a short hash of the file.
fn model_info(datapath: Option<&str>, lang: &str) -> (String, String) {
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Some(d) = datapath {
        dirs.push(PathBuf::from(d));
        dirs.push(PathBuf::from(d).join("tessdata"));
    }
    for v in ["5", "4.00"] {
        dirs.push(PathBuf::from(format!(
            "/usr/share/tesseract-ocr/{v}/tessdata"
        )));
    }
    dirs.push(PathBuf::from("/usr/share/tessdata"));
    dirs.push(PathBuf::from("/usr/local/share/tessdata"));
    dirs.push(PathBuf::from("/opt/homebrew/share/tessdata"));
    for d in dirs {
        let path = d.join(format!("{lang}.traineddata"));
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let hash = crate::ingest::sha256_hex(&bytes)[..16].to_string();
        let needle = format!(":{lang}:");
        let version = bytes
            .split(|b| !(0x20..0x7f).contains(b))
            .filter(|run| run.len() < 200)
            .find_map(|run| {
                let s = std::str::from_utf8(run).ok()?;
                s.contains(&needle)
                    .then(|| s.split(":[").next().unwrap_or(s).to_string())
            });
        let model = match version {
            Some(v) => format!("{lang} ({v}, sha256 {hash})"),
            None => format!("{lang} (sha256 {hash})"),
        };
        return (model, hash);
    }
    (lang.to_string(), "unknown".into())
}

/// One recognized character: its text, box in the image's pixels, confidence (0–100), and
/// whether it starts a word or a line.
#[derive(Debug, Clone, PartialEq)]
pub struct Symbol {
    pub text: String,
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
    pub conf: f32,
    /// The confidence of the word the character belongs to: a misread word (`党業` for 営業,
    /// `窓ロ` for 窓口) often has confident characters and a low word confidence.
    pub word_conf: f32,
    pub word_start: bool,
    /// The box of the text line the symbol is on (top and bottom rows).
    pub line_y0: i32,
    pub line_y1: i32,
}

impl Symbol {
    /// How sure the reading is: the lower of the character's and its word's confidence.
    pub fn sureness(&self) -> f32 {
        self.conf.min(self.word_conf)
    }
}

/// One TessBaseAPI, initialized with the model: use it from one thread at a time.
pub struct Tess {
    api: Api,
    engine: Arc<Engine>,
    /// The second model's engine: not yet loaded, loaded, or unavailable (`Some(None)`).
    second: Option<Option<Box<Tess>>>,
}

// A TessBaseAPI may move between threads; it is never shared.
unsafe impl Send for Tess {}

impl Tess {
    pub fn new(engine: &Arc<Engine>) -> Result<Tess, String> {
        Tess::with_lang(engine, &engine.lang)
    }

    /// The engine of the second model ([`SECOND_LANG`]), loaded on first use; `None` when
    /// the model is not installed (then it is not tried again).
    pub fn second(&mut self) -> Option<&mut Tess> {
        if self.second.is_none() {
            let lang = CString::new(SECOND_LANG).expect("no NUL");
            self.second = Some(Tess::with_lang(&self.engine, &lang).ok().map(Box::new));
        }
        self.second.as_mut().and_then(|s| s.as_deref_mut())
    }

    /// Sets a Tesseract variable (`tessedit_char_whitelist`, …); false when it is unknown.
    pub fn set_var(&mut self, key: &str, value: &str) -> bool {
        let (Ok(k), Ok(v)) = (CString::new(key), CString::new(value)) else {
            return false;
        };
        // SAFETY: valid handle and NUL-terminated strings.
        unsafe { (self.engine.fns.set_variable)(self.api, k.as_ptr(), v.as_ptr()) != 0 }
    }

    fn with_lang(engine: &Arc<Engine>, lang: &CStr) -> Result<Tess, String> {
        let e = engine;
        // SAFETY: capi.h contracts; the handle is deleted on every path (Drop).
        let api = unsafe { (e.fns.create)() };
        if api.is_null() {
            return Err("Tesseract could not create an engine".into());
        }
        let t = Tess {
            api,
            engine: engine.clone(),
            second: None,
        };
        let dp = e.datapath.as_ref().map_or(std::ptr::null(), |c| c.as_ptr());
        // SAFETY: valid handle and NUL-terminated strings.
        let rc = unsafe { (e.fns.init3)(t.api, dp, lang.as_ptr()) };
        if rc != 0 {
            return Err("Tesseract could not load its model".into());
        }
        for (k, v) in [
            (
                "debug_file",
                if cfg!(windows) { "NUL" } else { "/dev/null" },
            ),
            // CJK text has no spaces between words; keep Tesseract from inventing them.
            ("preserve_interword_spaces", "1"),
        ] {
            let (k, v) = (
                CString::new(k).expect("no NUL"),
                CString::new(v).expect("no NUL"),
            );
            // SAFETY: valid handle and strings.
            unsafe { (e.fns.set_variable)(t.api, k.as_ptr(), v.as_ptr()) };
        }
        Ok(t)
    }

    /// Recognizes an 8-bit gray image (`w * h` bytes, 0 = black) with the page segmentation
    /// mode `psm` at `ppi`; returns its characters.
    pub fn recognize(
        &mut self,
        px: &[u8],
        w: usize,
        h: usize,
        ppi: u32,
        psm: c_int,
    ) -> Vec<Symbol> {
        let f = &self.engine.fns;
        if px.len() < w * h || w == 0 || h == 0 || w > 32_000 || h > 32_000 {
            return Vec::new();
        }
        let mut out = Vec::new();
        // SAFETY: capi.h contracts: the image outlives Recognize (it is copied by SetImage),
        // the iterator and every returned string are freed here.
        unsafe {
            (f.set_psm)(self.api, psm);
            (f.set_image)(self.api, px.as_ptr(), w as c_int, h as c_int, 1, w as c_int);
            (f.set_resolution)(self.api, ppi.clamp(70, 1200) as c_int);
            if (f.recognize)(self.api, std::ptr::null_mut()) != 0 {
                (f.clear)(self.api);
                return out;
            }
            let it = (f.get_iterator)(self.api);
            if it.is_null() {
                (f.clear)(self.api);
                return out;
            }
            loop {
                let t = (f.it_text)(it, RIL_SYMBOL);
                if !t.is_null() {
                    let text = CStr::from_ptr(t).to_string_lossy().into_owned();
                    (f.delete_text)(t);
                    let page = (f.it_page)(it);
                    let (mut l, mut tp, mut r, mut b) = (0, 0, 0, 0);
                    let (mut ll, mut lt, mut lr, mut lb) = (0, 0, 0, 0);
                    let ok = (f.page_bbox)(page, RIL_SYMBOL, &mut l, &mut tp, &mut r, &mut b) != 0;
                    (f.page_bbox)(page, RIL_TEXTLINE, &mut ll, &mut lt, &mut lr, &mut lb);
                    if ok && !text.trim().is_empty() {
                        out.push(Symbol {
                            text,
                            x0: l,
                            y0: tp,
                            x1: r,
                            y1: b,
                            conf: (f.it_conf)(it, RIL_SYMBOL),
                            word_conf: (f.it_conf)(it, RIL_WORD),
                            word_start: (f.page_begins)(page, RIL_WORD) != 0,
                            line_y0: lt,
                            line_y1: lb,
                        });
                    }
                }
                if (f.it_next)(it, RIL_SYMBOL) == 0 {
                    break;
                }
            }
            (f.it_delete)(it);
            (f.clear)(self.api);
        }
        out
    }
}

impl Drop for Tess {
    fn drop(&mut self) {
        // SAFETY: the handle came from TessBaseAPICreate and is deleted once.
        unsafe { (self.engine.fns.delete)(self.api) };
    }
}
