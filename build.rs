//! Link layout of the release binary, for memory: a short run of jisseki touches only a
//! fraction of its 7 MB of code, but the kernel maps a file 64 KB (or a whole page-cache
//! folio) around every page touched, so code spread over the binary costs resident memory.
//!
//! - `tools/hot-symbols.txt` lists the functions a run over the bundled reports executes
//!   (written by `tools/hot_symbols.py` from callgrind); the linker places them first, side by
//!   side (`--symbol-ordering-file`, lld and mold). Names missing from this build (another
//!   toolchain, renamed code) are skipped: only memory is affected, never behaviour.
//! - Relative relocations packed (`-z pack-relative-relocs`, DT_RELR, glibc ≥ 2.36): the
//!   position-independent binary's ~20,000 relocations take 6 KB instead of 466 KB to read at
//!   start.
//!
//! Each flag is used only if a probe program links with it (and, for DT_RELR, runs) on this
//! machine, so an older toolchain, another linker or an older C library builds as before.
//! `JISSEKI_LINK_LAYOUT=0` turns both off.
use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=tools/hot-symbols.txt");
    println!("cargo:rerun-if-env-changed=JISSEKI_LINK_LAYOUT");
    let var = |k: &str| env::var(k).unwrap_or_default();
    if var("JISSEKI_LINK_LAYOUT") == "0" || var("PROFILE") != "release" {
        return;
    }
    if !var("TARGET").contains("-linux-") {
        return;
    }
    let manifest = PathBuf::from(var("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(var("OUT_DIR"));
    let order = manifest.join("tools/hot-symbols.txt");
    let ordering = [
        format!("-Wl,--symbol-ordering-file={}", order.display()),
        "-Wl,--no-warn-symbol-ordering".to_string(),
    ];
    if !order.is_file() {
        println!("cargo:warning=tools/hot-symbols.txt is missing: hot code is not grouped (only memory use is affected)");
    } else if probe_links(&out, &ordering, false) {
        for arg in &ordering {
            println!("cargo:rustc-link-arg-bins={arg}");
        }
    } else {
        println!("cargo:warning=the linker has no --symbol-ordering-file: hot code is not grouped (only memory use is affected)");
    }
    // Running the probe is what tells whether this C library knows DT_RELR, so only when the
    // binary is for this machine.
    let relr = ["-Wl,-z,pack-relative-relocs".to_string()];
    if var("TARGET") == var("HOST") && probe_links(&out, &relr, true) {
        for arg in &relr {
            println!("cargo:rustc-link-arg-bins={arg}");
        }
    }
}

/// Whether an empty program links with `link_args` using the compiler, flags and linker of
/// this build (and, with `run`, starts).
fn probe_links(out: &Path, link_args: &[String], run: bool) -> bool {
    let src = out.join("link_probe.rs");
    let exe = out.join("link_probe");
    if std::fs::write(&src, "fn main() {}\n").is_err() {
        return false;
    }
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let mut cmd = Command::new(rustc);
    cmd.arg(&src)
        .arg("-o")
        .arg(&exe)
        .arg("--target")
        .arg(env::var("TARGET").unwrap_or_default());
    if let Ok(flags) = env::var("CARGO_ENCODED_RUSTFLAGS") {
        cmd.args(flags.split('\x1f').filter(|f| !f.is_empty()));
    }
    if let Ok(linker) = env::var("RUSTC_LINKER") {
        cmd.arg("-C").arg(format!("linker={linker}"));
    }
    for arg in link_args {
        cmd.arg("-C").arg(format!("link-arg={arg}"));
    }
    let linked = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    linked && (!run || Command::new(&exe).status().is_ok_and(|s| s.success()))
}
