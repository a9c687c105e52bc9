# sipdocs: `make demo` renders the samples into out/, `make test` runs every check.
# Both first install what they need: Debian packages (scripts/install-system-deps.sh) and a
# virtual environment in .venv with the pinned Python dependencies (constraints.txt).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
AXE := tests/axe
AXE_STAMP := $(AXE)/node_modules/.installed

.PHONY: setup system-deps demo test lint templates clean

setup: system-deps $(STAMP)

system-deps:
	@PYTHON="$(PYTHON)" scripts/install-system-deps.sh

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,dask,serve]'
	@touch $@

demo: setup
	$(BIN)/sipdocs validate samples/*.yaml
	$(BIN)/sipdocs render samples/*.yaml --out out

lint: setup
	$(BIN)/ruff check sipdocs tests benchmarks tools fuzz
	$(BIN)/mypy

# axe-core for tests/test_accessibility.py, as pinned by its package-lock.json.
$(AXE_STAMP): $(AXE)/package.json $(AXE)/package-lock.json | system-deps
	npm ci --prefix $(AXE) --no-audit --no-fund
	@touch $@

test: export SIPDOCS_TEST_DEPS = 1
# The suite on every core (pytest-xdist); each test file stays on one worker, so a file's
# shared renders are made once. TEST_JOBS=1 runs it in one process.
TEST_JOBS ?= auto
test: lint $(AXE_STAMP)
	$(BIN)/pytest -n $(TEST_JOBS) --dist loadfile

templates: setup  # rebuild the built-in DOCX templates from tools/docxbuild
	$(BIN)/python -m tools.docxbuild

clean:
	rm -rf out build dist .pytest_cache .mypy_cache .ruff_cache
