# jisseki — common tasks. `make demo` runs the tool on the bundled real report; `make test`
# runs every test (the same command CI runs).

CARGO ?= cargo
OUT ?= out

.PHONY: build test demo bench lint fmt clean

build:
	$(CARGO) build --release

test:
	$(CARGO) test --release

demo: build
	./target/release/jisseki extract fixtures/tsukubamirai_gyokaku_2024_jisseki.txt -o $(OUT) --format json,csv
	@echo "wrote $(OUT)/tsukubamirai_gyokaku_2024_jisseki.json, $(OUT)/{reports,items,initiatives,schedule}.csv and $(OUT)/datapackage.json"

# Criterion benchmarks of the library, whole-process timings against pdftotext, batch
# throughput with 1 and 2 threads, and scan pages per minute against plain tesseract.
bench: build
	$(CARGO) bench --bench extract
	@if command -v hyperfine >/dev/null && command -v pdftotext >/dev/null; then \
		bash tools/bench_vs_pdftotext.sh; \
	else \
		echo "(install hyperfine and poppler-utils for the comparison with pdftotext)"; \
	fi
	bash tools/bench_batch.sh
	bash tools/bench_scan.sh

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

fmt:
	$(CARGO) fmt

clean:
	$(CARGO) clean
	rm -rf $(OUT)
