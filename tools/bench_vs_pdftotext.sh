#!/usr/bin/env bash
# Whole-process comparison, in one run: jisseki's full PDF → JSON extraction against
# poppler's plain text dump (`pdftotext -layout`) on the same fixture PDFs, plus jisseki's
# peak memory. Needs hyperfine and poppler-utils. Prints one line per fixture with the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=./target/release/jisseki
[ -x "$bin" ] || cargo build --release
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%-26s %12s %12s %7s %10s\n' fixture jisseki_ms pdftotext_ms ratio peak_MB
for f in fixtures/pdf/seed_{chromium,libreoffice,typst,reportlab_ucs2,reportlab_rksj}.pdf; do
  hyperfine -N --warmup 2 --runs 15 --export-json "$tmp/h.json" \
    "$bin extract $f -o $tmp/out -q --force" \
    "pdftotext -layout $f $tmp/out.txt" >/dev/null 2>&1
  read -r ours theirs < <(python3 -c "import json,sys; r=json.load(open('$tmp/h.json'))['results']; print(r[0]['mean']*1000, r[1]['mean']*1000)")
  peak=$( { /usr/bin/time -f '%M' "$bin" extract "$f" >/dev/null; } 2>&1 | tail -n1 )
  printf '%-26s %12.1f %12.1f %7.2f %10.1f\n' "$(basename "$f")" "$ours" "$theirs" \
    "$(python3 -c "print($ours/$theirs)")" "$(python3 -c "print($peak/1024)")"
done
