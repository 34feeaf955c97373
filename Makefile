# The commands people use. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
OUTPUT ?= output
ROUTING := functions/chalicelib/routing.json

.PHONY: help run test build check routing kit publish deploy run-packages test-packages clean

help:
	@echo "make run    construire le site et le servir sur http://localhost:8000/ (formulaires compris)"
	@echo "make test   installer ce qu'il faut (Chromium compris) et lancer toute la suite de tests"
	@echo "make build  construire le site dans $(OUTPUT)/"
	@echo "make check  vérifier les données et les contenus seulement (CHECK_ARGS=--details : communes sans association)"
	@echo "make publish  construction de production (adresses absolues, ressources empreintées, kit compris)"
	@echo "make deploy   publier output/ sur S3 + CloudFront (DEPLOY_ARGS=--dry-run pour voir sans rien changer)"
	@echo "make kit    construire le site puis le kit d'impression de chaque association dans $(OUTPUT)/kit/"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

# CHECK_ARGS=--details lists every commune no association serves; CI adds --base origin/main.
check: $(STAMP)
	$(PY) -m model check $(CHECK_ARGS)

routing: $(STAMP)
	$(PY) -m model routing $(ROUTING)

# One process checks the data and contents (as make check does), writes the routing table and builds the site,
# rendering and writing only what changed since the last build into $(OUTPUT) (plugins/pipeline).
# pipeline.build is `python -m pelican` with a quicker exit (plugins/pipeline/build.py). The plugins are installed
# with the rest (pyproject.toml); PYTHONPATH keeps this checkout's first when a venv is shared by several.
PELICAN := PYTHONPATH=plugins $(PY) -m pipeline.build

build: $(STAMP)
	$(PELICAN) --settings pelicanconf.py --output $(OUTPUT) -e 'ROUTING_TABLE="$(ROUTING)"'

kit: build run-packages
	$(PY) -m kit --output $(OUTPUT)/kit

publish: $(STAMP) run-packages
	$(PELICAN) --settings publishconf.py --output $(OUTPUT) -e 'ROUTING_TABLE="$(ROUTING)"'
	$(PY) -m kit --output $(OUTPUT)/kit

deploy: publish
	$(PY) -m deploy $(OUTPUT) $(DEPLOY_ARGS)

run: $(STAMP) run-packages
	$(PY) scripts/serve.py

# The Debian packages of scripts/debian-packages/run.txt (the kit's Pango…) and test.txt (Chromium, Java…),
# installed only when missing.
run-packages:
	@bash scripts/install_debian_packages.sh run

test-packages:
	@bash scripts/install_debian_packages.sh test

test: $(STAMP) test-packages
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m pytest

clean:
	rm -rf $(OUTPUT) var .pytest_cache
