#!/usr/bin/env python3
"""Writes tools/hot-symbols.txt: the functions of the release binary that `jisseki extract`
executes on the bundled reports (the text seed, the five PDF producers, the sample families),
in the order first met. build.rs hands the list to the linker, which places these functions
together at the front of the code; see build.rs for why (resident memory).

    python3 tools/hot_symbols.py          # rewrite the list (needs valgrind; ~1 minute)
    python3 tools/hot_symbols.py --check  # how many listed names the current binary has

Regenerate after a toolchain upgrade, a change to jisseki's dependencies (cargo's hash of the
crate, part of every symbol name, changes with them) or a large change to the hot path: names
the binary no longer has are skipped by the linker, which only costs memory. `make bench`
prints the check.
"""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIST = os.path.join(ROOT, "tools", "hot-symbols.txt")
BIN = os.path.join(ROOT, "target", "release", "jisseki")
INPUTS = (
    ["fixtures/pdf/seed_%s.pdf" % p
     for p in ("chromium", "libreoffice", "typst", "reportlab_ucs2", "reportlab_rksj")]
    + ["fixtures/tsukubamirai_gyokaku_2024_jisseki.txt"]
    + ["fixtures/samples/%s/report.%s" % (s, e)
       for s in ("midorino_list_sabc", "sakuradai_ledger_ad") for e in ("pdf", "txt")]
)


def code_symbols():
    """Names of the binary's functions (mangled, as the linker sees them)."""
    out = subprocess.run(["nm", BIN], capture_output=True, text=True, check=True).stdout
    return {p[2] for p in (l.split() for l in out.splitlines()) if len(p) == 3 and p[1] in "tT"}


def main():
    if "--check" in sys.argv:
        listed = [l.strip() for l in open(LIST) if l.strip()]
        have = code_symbols()
        found = sum(1 for n in listed if n in have)
        print("hot-symbols: %d of %d listed functions are in %s (%.0f%%)"
              % (found, len(listed), os.path.relpath(BIN, ROOT), 100.0 * found / max(1, len(listed))))
        return
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    names, seen = [], set()
    with tempfile.TemporaryDirectory() as tmp:
        for i, f in enumerate(INPUTS):
            trace = os.path.join(tmp, "cg.%d" % i)
            subprocess.run(["valgrind", "--tool=callgrind", "--demangle=no",
                            "--callgrind-out-file=" + trace, BIN, "extract",
                            os.path.join(ROOT, f), "-o", os.path.join(tmp, "out"), "-q", "--force"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            # callgrind names each function once, at its first mention: "fn=(id) name" or,
            # for a callee, "cfn=(id) name".
            for line in open(trace, errors="replace"):
                m = re.match(r"^c?fn=\(\d+\) (\S+)", line)
                if m and m.group(1) not in seen:
                    seen.add(m.group(1))
                    names.append(m.group(1))
    have = code_symbols()
    hot = [n for n in names if n in have]
    with open(LIST, "w") as out:
        out.write("\n".join(hot) + "\n")
    print("wrote %s: %d functions" % (os.path.relpath(LIST, ROOT), len(hot)))


if __name__ == "__main__":
    main()
