# Silk Road Academy — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 5000
SEED ?= 2019
PYTEST_ARGS ?=

BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard academy/translations/*/LC_MESSAGES/messages.po))

.PHONY: run test install lint format translations extract-messages clean fonts

run: install ## install, migrate, import the curriculum, seed the demo and serve on http://$(HOST):$(PORT)
	$(BIN)/academy db upgrade
	$(BIN)/academy courses import $(wildcard courses/*/)
	$(BIN)/academy seed-demo --seed $(SEED)
	$(BIN)/academy run --host $(HOST) --port $(PORT)

test: install ## install with test extras and run the whole suite
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(STAMP) translations fonts

CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc

fonts: ## the CJK font the certificate PDFs embed (Debian's fonts-wqy-microhei)
	@test -f $(CJK_FONT) || test -n "$$ACADEMY_CJK_FONT" || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null \
	      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null; }; \
	  else echo "Install the Debian package fonts-wqy-microhei (or set ACADEMY_CJK_FONT) for certificate PDFs."; fi; }

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

translations: $(CATALOGUES)

academy/translations/%/LC_MESSAGES/messages.mo: academy/translations/%/LC_MESSAGES/messages.po $(STAMP)
	@# A compile error stops make (and so `make run` and `make test`); the half-made
	@# catalogue is removed so the next run compiles again rather than trusting it.
	$(BIN)/pybabel -q compile -d academy/translations -l $* -i $< -o $@ || { rm -f $@; exit 1; }

extract-messages: $(STAMP) ## refresh messages.pot and merge it into the catalogues
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 --no-location --sort-output -o academy/translations/messages.pot .
	$(BIN)/pybabel update -i academy/translations/messages.pot -d academy/translations --no-fuzzy-matching

# Operations modules (where every write happens) carry Google docstrings, as sandbox/ does
# (sandbox/ruff.toml); add a domain's operations module here once it passes.
DOCUMENTED := academy/labs/markets.py academy/labs/founding.py academy/labs/class_markets.py academy/labs/repository.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff check --extend-select D --extend-ignore D107 --config "lint.pydocstyle.convention = 'google'" $(DOCUMENTED)
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find academy/translations -name '*.mo' -delete
