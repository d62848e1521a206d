# jisseki — common tasks. `make demo` runs the tool on the bundled real report; `make test`
# runs every test (the same command CI runs).

CARGO ?= cargo
OUT ?= out

.PHONY: build test demo bench corpus lint fmt clean

build:
	$(CARGO) build --release

test:
	$(CARGO) test --release

demo: build
	./target/release/jisseki extract fixtures/tsukubamirai_gyokaku_2024_jisseki.txt -o $(OUT) --format json,csv
	@echo "wrote $(OUT)/tsukubamirai_gyokaku_2024_jisseki.json, the tables $(OUT)/*.csv (reports, sources, items, initiatives, schedule, …) and $(OUT)/datapackage.json"

# Criterion benchmarks of the library, whole-process timings and peak memory against
# pdftotext (wall and CPU ratios), batch throughput with 1 and 2 threads, and scan pages per
# minute against plain tesseract.
bench: build
	$(CARGO) bench --bench extract
	@if command -v hyperfine >/dev/null && command -v pdftotext >/dev/null; then \
		bash tools/bench_vs_pdftotext.sh; \
	else \
		echo "(install hyperfine and poppler-utils for the comparison with pdftotext)"; \
	fi
	bash tools/bench_batch.sh
	bash tools/bench_scan.sh

# The PDF front end over a folder of PDFs you point it at (nothing is fetched): files where
# pdftotext reads text and jisseki does not, panics, hangs, memory. `make corpus CORPUS=dir`.
CORPUS ?= fixtures/pdf
corpus:
	$(CARGO) build --release --example pdf_probe
	python3 tools/pdf_corpus.py $(CORPUS)

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

fmt:
	$(CARGO) fmt

clean:
	$(CARGO) clean
	rm -rf $(OUT)
