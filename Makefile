# Two entry points for a fresh machine with Python 3.11+ and make:
#   make run   runs the daily jobs locally on an embedded moto server over the sample data
#   make test  runs every test
# Both create .venv on first use and reinstall when pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

run: $(BIN)/.installed
	rm -rf out/sample
	$(BIN)/kepctl run --accounts data/sample_accounts.jsonl --events data/sample_events.jsonl \
		--quota-enforcement data/sample_quota_enforcement.json \
		--from 2025-02-20 --to 2025-04-04 --out out/sample

test: $(BIN)/.installed
	$(BIN)/python -m pytest -n 2

bench: $(BIN)/.installed
	$(BIN)/python bench/quota_scan_bench.py

clean:
	rm -rf $(VENV) out

# SAM builds the shared layer with this target (BuildMethod: makefile): the
# domain package, its pinned dependencies and the notice templates.
build-SharedLayer:
	$(PYTHON) -m pip install --quiet --target "$(ARTIFACTS_DIR)/python" -r src/requirements.txt
	cp -r src/kep_lifecycle "$(ARTIFACTS_DIR)/python/"
	mkdir -p "$(ARTIFACTS_DIR)/templates"
	cp -r templates/notices "$(ARTIFACTS_DIR)/templates/"
