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
# A shared host drifts between fast and slow phases for minutes at a time, so the pair is
# timed in BENCH_ROUNDS rounds (default 3) one after the other: the figures are the medians
# over the rounds, and `range` is the lowest and highest wall ratio of one round. `paired` is
# the wall ratio measured the other way (tools/paired_ratio.py): BENCH_PAIRS (default 40)
# rounds that each run both commands back to back in random order, so both meet the same
# phase of the host; the median ratio and its 25th–75th percentiles.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-./target/release/jisseki}
[ -x "$bin" ] || cargo build --release
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
runs=${BENCH_RUNS:-20}
rounds=${BENCH_ROUNDS:-3}
peak() { # median peak RSS in MB of 3 runs of "$@"
  for _ in 1 2 3; do
    /usr/bin/time -o "$tmp/rss" -f '%M' "$@" >/dev/null 2>&1
    cat "$tmp/rss"
  done | sort -n | sed -n 2p | awk '{printf "%.1f", $1/1024}'
}
python3 tools/hot_symbols.py --check || true
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf '%-26s %9s %9s %6s %11s %17s %8s %8s %6s %8s %8s\n' fixture wall_ms p2t_ms ratio range paired cpu_ms p2t_cpu ratio peak_MB p2t_MB
for f in fixtures/pdf/seed_{chromium,libreoffice,typst,reportlab_ucs2,reportlab_rksj}.pdf; do
  for round in $(seq "$rounds"); do
    hyperfine -N --warmup 3 --runs "$runs" --export-json "$tmp/h.$round.json" \
      "$bin extract $f -o $tmp/out -q --force" \
      "pdftotext -layout $f $tmp/out.txt" >/dev/null 2>&1
  done
  python3 tools/paired_ratio.py --runs "${BENCH_PAIRS:-40}" \
    "$bin" extract "$f" -o "$tmp/out" -q --force -- pdftotext -layout "$f" "$tmp/out.txt" \
    >"$tmp/paired.json"
  ours_mb=$(peak "$bin" extract "$f" -o "$tmp/out" -q --force)
  theirs_mb=$(peak pdftotext -layout "$f" "$tmp/out.txt")
  python3 - "$(basename "$f")" "$ours_mb" "$theirs_mb" "$tmp/paired.json" "$tmp"/h.*.json <<'PY'
import json, statistics, sys
name, ours_mb, theirs_mb, paired, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
p = json.load(open(paired))
rounds = [json.load(open(f))["results"] for f in files]
wall = [[x["median"] * 1000 for x in r] for r in rounds]
cpu = [[(x["user"] + x["system"]) * 1000 for x in r] for r in rounds]
med = lambda rows, i: statistics.median(row[i] for row in rows)
ratios = [w[0] / w[1] for w in wall]
print(f"{name:<26} {med(wall, 0):9.1f} {med(wall, 1):9.1f} {statistics.median(ratios):6.2f} "
      f"{min(ratios):5.2f}-{max(ratios):4.2f} "
      f"{p['ratio']:6.2f} ({p['ratio_p25']:.2f}-{p['ratio_p75']:.2f}) {med(cpu, 0):8.1f} {med(cpu, 1):8.1f} "
      f"{statistics.median(c[0] / c[1] for c in cpu):6.2f} {float(ours_mb):8.1f} {float(theirs_mb):8.1f}")
PY
  rm -f "$tmp"/h.*.json
done
