#!/usr/bin/env bash
# Whole-process comparison, in one run: jisseki's full PDF → JSON extraction against
# poppler's plain text dump (`pdftotext -layout`) on the same fixture PDFs. Needs hyperfine
# and poppler-utils. One line per fixture:
#   - wall-clock medians (hyperfine) and their ratio — the figure the targets are set in
#     (≤ 0.5 on every producer);
#   - CPU time (user + system, hyperfine's means) and its ratio, which a loaded machine
#     disturbs far less than wall time;
#   - peak RSS of both (GNU time, median of 3 runs); the target is jisseki ≤ pdftotext on
#     seed_chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-./target/release/jisseki}
[ -x "$bin" ] || cargo build --release
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
runs=${BENCH_RUNS:-20}
peak() { # median peak RSS in MB of 3 runs of "$@"
  for _ in 1 2 3; do
    /usr/bin/time -o "$tmp/rss" -f '%M' "$@" >/dev/null 2>&1
    cat "$tmp/rss"
  done | sort -n | sed -n 2p | awk '{printf "%.1f", $1/1024}'
}
python3 tools/hot_symbols.py --check || true
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf '%-26s %9s %9s %6s %8s %8s %6s %8s %8s\n' fixture wall_ms p2t_ms ratio cpu_ms p2t_cpu ratio peak_MB p2t_MB
for f in fixtures/pdf/seed_{chromium,libreoffice,typst,reportlab_ucs2,reportlab_rksj}.pdf; do
  hyperfine -N --warmup 3 --runs "$runs" --export-json "$tmp/h.json" \
    "$bin extract $f -o $tmp/out -q --force" \
    "pdftotext -layout $f $tmp/out.txt" >/dev/null 2>&1
  ours_mb=$(peak "$bin" extract "$f" -o "$tmp/out" -q --force)
  theirs_mb=$(peak pdftotext -layout "$f" "$tmp/out.txt")
  python3 - "$tmp/h.json" "$(basename "$f")" "$ours_mb" "$theirs_mb" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
wall = [x["median"] * 1000 for x in r]
cpu = [(x["user"] + x["system"]) * 1000 for x in r]
print(f"{sys.argv[2]:<26} {wall[0]:9.1f} {wall[1]:9.1f} {wall[0] / wall[1]:6.2f} "
      f"{cpu[0]:8.1f} {cpu[1]:8.1f} {cpu[0] / cpu[1]:6.2f} {float(sys.argv[3]):8.1f} {float(sys.argv[4]):8.1f}")
PY
done
