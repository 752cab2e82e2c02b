# Two commands on a fresh machine (see README.md):
#   make site   set up, validate and build the site from directory/ into site/,
#               in every language (site/ and site/es/), with its search index
#   make test   set up and run every test, the browser tests included
# Everything installs into .venv/ from requirements.lock (exact pins).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml package-lock.json 2>/dev/null | cksum | cut -d' ' -f1)

.PHONY: site serve test validate bench clean setup

site: $(STAMP)
	$(BIN)/recovery-directory validate
	$(BIN)/recovery-directory build

# One language at a time: make serve CONFIG=mkdocs.es.yml for the Spanish site.
CONFIG ?= mkdocs.yml
serve: $(STAMP)
	$(BIN)/mkdocs serve -f $(CONFIG)

validate: $(STAMP)
	$(BIN)/recovery-directory validate

test: $(STAMP)
	.ci/install-browser
	$(BIN)/python -m pytest

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --silent; fi
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

clean:
	rm -rf site $(VENV) node_modules
