#!/usr/bin/env bash
# Scan speed: the whole structured extraction of the 300 dpi G4 scan (23 pages, OCR cache off,
# -j 2) against plain `tesseract -l jpn` (text only) on the same page images, two at a time.
# Prints pages per minute for both.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v tesseract >/dev/null || ! command -v hyperfine >/dev/null || ! command -v pdfimages >/dev/null; then
  echo "(install tesseract-ocr tesseract-ocr-jpn, hyperfine and poppler-utils for the scan benchmark)"
  exit 0
fi
pdf=fixtures/pdf/seed_scan_g4_300dpi.pdf
pages=23
sample=4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pdfimages -png -f 1 -l "$sample" "$pdf" "$tmp/p"
hyperfine --runs 1 --export-json "$tmp/jisseki.json" \
  "JISSEKI_OCR_CACHE=off ./target/release/jisseki extract -j 2 -q --force $pdf -o $tmp/out"
hyperfine --runs 1 --export-json "$tmp/tesseract.json" \
  "ls $tmp/p-*.png | OMP_THREAD_LIMIT=1 xargs -P 2 -I{} sh -c 'tesseract {} - -l jpn >/dev/null 2>&1'"
python3 - "$tmp" "$pages" "$sample" <<'PY'
import json, sys
tmp, pages, sample = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t = lambda n: json.load(open(f"{tmp}/{n}.json"))["results"][0]["mean"]
j, p = t("jisseki"), t("tesseract")
print(f"jisseki extract (structured, -j 2): {pages} pages in {j:.1f} s = {pages * 60 / j:.1f} pages/min")
print(f"plain tesseract -l jpn (text, 2 at a time): {sample} pages in {p:.1f} s = {sample * 60 / p:.1f} pages/min")
PY
