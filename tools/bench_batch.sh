#!/usr/bin/env bash
# Batch throughput: 200 copies of the fixtures (text seed + five PDFs, cycled), extracted with
# 1 and with 2 threads in one run; prints reports/second for each and the speed-up.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=./target/release/jisseki
[ -x "$bin" ] || cargo build --release
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/in"
srcs=(fixtures/tsukubamirai_gyokaku_2024_jisseki.txt fixtures/pdf/seed_{chromium,libreoffice,typst,reportlab_ucs2,reportlab_rksj}.pdf)
for i in $(seq 0 199); do
  s=${srcs[$((i % ${#srcs[@]}))]}
  cp "$s" "$tmp/in/r$(printf %03d "$i").${s##*.}"
done
for j in 1 2; do
  start=$(date +%s.%N)
  "$bin" extract "$tmp/in" -o "$tmp/out$j" --format json,csv -q --force -j "$j"
  end=$(date +%s.%N)
  python3 -c "s=$end-$start; print(f'-j $j: 200 reports in {s:.2f} s = {200/s:.0f} reports/s')"
done
