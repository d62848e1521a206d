#!/usr/bin/env python3
"""Corpus check for the PDF front end: runs over a folder of PDFs you point it at (it fetches
nothing) and reports the files where `pdftotext` reads text and jisseki does not, with
panics, hangs and memory over the limit.

    python3 tools/pdf_corpus.py DIR [DIR...] [--jobs 2] [--timeout 60] [--mem-mb 500]
                                [--probe target/release/examples/pdf_probe] [--json OUT]

`make corpus CORPUS=DIR` builds the probe (examples/pdf_probe.rs, the same glyph stage and
error classification as `jisseki extract`) and runs this. For each file it records the
probe's exit answer (0 = text read; 6, 7, 9, 10, 11 = the PDF answers of `jisseki extract`),
the characters read, wall time and peak RSS (from /usr/bin/time, or getrusage), and, where
`pdftotext` is installed, the characters `pdftotext -raw` reads and the share of its
kana/kanji that jisseki also read (multiset recall).

A file counts as a *miss* when pdftotext reads at least --min-chars non-space characters and
jisseki reads none. The summary gives the miss share; the exit status is 1 when there are
panics (exit 70 / a signal), hangs (timeouts) or runs over the memory limit, else 0.
"""
import argparse
import collections
import concurrent.futures
import json
import os
import resource
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def is_kana_kanji(c):
    o = ord(c)
    return (0x3040 <= o <= 0x30FF or 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF
            or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3134F or 0xFF66 <= o <= 0xFF9F)


def run_limited(cmd, timeout, mem_mb):
    """Runs cmd with an address-space limit of 4 × mem_mb (a guard against runaway runs; the
    peak RSS is measured separately); returns (returncode or None on timeout, stdout, seconds)."""
    def limit():
        cap = 4 * mem_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    start = time.monotonic()
    try:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             preexec_fn=limit)
    except OSError:
        return (None, b"", 0.0)
    try:
        out, _ = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        return (None, b"", time.monotonic() - start)
    return (p.returncode, out, time.monotonic() - start)


def time_v(cmd, timeout):
    """Peak RSS (MB) of one run through /usr/bin/time, when it exists."""
    if not os.path.exists("/usr/bin/time"):
        return None
    try:
        r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, timeout=timeout)
        return int(r.stderr.decode().strip().splitlines()[-1]) / 1024
    except (subprocess.TimeoutExpired, ValueError, IndexError):
        return None


def check(path, args, have_pdftotext):
    rec = {"file": path}
    code, out, secs = run_limited([args.probe, path], args.timeout, args.mem_mb)
    rec["seconds"] = round(secs, 3)
    if code is None:
        rec["status"] = "hang"
        return rec
    if code != 0 or not out.strip():
        rec["status"] = "panic" if code in (70, 101) or code < 0 else "crash"
        rec["returncode"] = code
        return rec
    try:
        probe = json.loads(out)
    except ValueError:
        rec["status"] = "crash"
        return rec
    rec["status"] = "ok"
    rec["exit"] = probe["exit"]
    rec["kind"] = probe["kind"]
    rec["message"] = probe["message"]
    rec["chars"] = probe["chars"]
    rec["warnings"] = len(probe["warnings"])
    peak = time_v([args.probe, path], args.timeout)
    rec["peak_mb"] = round(peak, 1) if peak is not None else None
    if have_pdftotext:
        try:
            r = subprocess.run(["pdftotext", "-raw", "-q", path, "-"], capture_output=True,
                               timeout=args.timeout)
            ref = r.stdout.decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            ref = ""
        rec["pdftotext_chars"] = sum(1 for c in ref if not c.isspace())
        a = collections.Counter(c for c in ref if is_kana_kanji(c))
        b = collections.Counter(c for c in probe["text"] if is_kana_kanji(c))
        rec["cjk_pdftotext"] = sum(a.values())
        rec["cjk_common"] = sum((a & b).values())
        rec["cjk_ours"] = sum(b.values())
    return rec


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--probe", default=os.path.join(ROOT, "target/release/examples/pdf_probe"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--mem-mb", type=int, default=500)
    ap.add_argument("--min-chars", type=int, default=20)
    ap.add_argument("--json", help="write every file's record here (JSON lines)")
    args = ap.parse_args()
    if not os.path.exists(args.probe):
        sys.exit(f"no probe at {args.probe}: cargo build --release --example pdf_probe")
    files = []
    for d in args.dirs:
        if os.path.isfile(d):
            files.append(d)
            continue
        for root, _, names in os.walk(d):
            files.extend(os.path.join(root, n) for n in names if n.lower().endswith(".pdf"))
    files.sort()
    have = shutil.which("pdftotext") is not None
    if not have:
        print("pdftotext not installed: no comparison, only panics / hangs / memory")
    recs = []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
        for rec in ex.map(lambda f: check(f, args, have), files):
            recs.append(rec)
    if args.json:
        with open(args.json, "w") as f:
            for r in recs:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")

    bad = [r for r in recs if r["status"] != "ok"]
    over = [r for r in recs if (r.get("peak_mb") or 0) > args.mem_mb]
    ok = [r for r in recs if r["status"] == "ok"]
    print(f"{len(files)} PDFs: {len(ok)} answered, {len(bad)} panics/crashes/hangs, "
          f"{len(over)} over {args.mem_mb} MB")
    for r in bad:
        print(f"  {r['status'].upper():6} {r['file']} ({r.get('returncode', '')})")
    for r in over:
        print(f"  MEMORY {r['file']} {r['peak_mb']} MB")
    answers = collections.Counter(r["exit"] for r in ok)
    print("answers (exit code: files): " + ", ".join(f"{k}: {v}" for k, v in sorted(answers.items())))
    if have:
        text = [r for r in ok if r["pdftotext_chars"] >= args.min_chars]
        missed = [r for r in text if r["chars"] == 0]
        share = len(missed) / len(text) if text else 0.0
        print(f"pdftotext reads text in {len(text)} files; jisseki reads none in {len(missed)} "
              f"({share:.2%})")
        for r in sorted(missed, key=lambda r: r["file"]):
            print(f"  MISS   {r['file']}: exit {r['exit']} {r['message'][:100]}")
        cjk = [r for r in ok if r["cjk_pdftotext"] > 0]
        if cjk:
            p = sum(r["cjk_pdftotext"] for r in cjk)
            common = sum(r["cjk_common"] for r in cjk)
            ours = sum(r["cjk_ours"] for r in cjk)
            print(f"kana/kanji in {len(cjk)} files: recall {common / p:.2%} of pdftotext's "
                  f"{p}, precision {common / ours if ours else 0:.2%}")
    peaks = [r["peak_mb"] for r in ok if r.get("peak_mb")]
    if peaks:
        print(f"peak RSS: max {max(peaks):.1f} MB, median {sorted(peaks)[len(peaks) // 2]:.1f} MB")
    sys.exit(1 if bad or over else 0)


if __name__ == "__main__":
    main()
