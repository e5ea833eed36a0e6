# newscrawl: the README's commands. Everything installs itself on a fresh machine.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
# Debian packages the tests drive for real: Chromium (scrapy-playwright tests), Redis (cluster mode).
DEBS    := chromium redis-server

.PHONY: install system demo test lint bench bench-render clean scrapyd deploy
# Where `make scrapyd` runs Scrapyd (its eggs, logs, dbs, and the jobs' working directory).
SCRAPYD_DIR ?= $(HOME)/newscrawl-scrapyd

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# apt-get only what is missing (needs root, as on CI and the dev machines).
system:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi

demo: install
	$(BIN)/python scripts/demo.py

# The layer contracts (pyproject's [tool.importlinter]) first: a broken layer fails CI at once.
# Two pytest workers (the machines have 2 cores): 5½ minutes instead of 9.
test: install system
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

lint: install
	$(BIN)/ruff check newscrawl tests scripts benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# Scrapyd with deploy/scrapyd.example.conf, outside the source tree (see README, "Scrapyd").
scrapyd: install
	mkdir -p $(SCRAPYD_DIR)
	test -f $(SCRAPYD_DIR)/scrapyd.conf || cp deploy/scrapyd.example.conf $(SCRAPYD_DIR)/scrapyd.conf
	cd $(SCRAPYD_DIR) && exec $(CURDIR)/$(BIN)/scrapyd --pidfile=

# Build the egg and deploy it to scrapy.cfg's [deploy:local] (SCRAPYD_USERNAME/PASSWORD from the environment).
deploy: install
	$(BIN)/scrapyd-deploy local

bench: install
	$(BIN)/python benchmarks/run.py

# JS rendering with Debian's Chromium: pages/s and the memory of crawler + browser.
bench-render: install system
	$(BIN)/python benchmarks/bench_render.py

clean:
	rm -rf $(VENV) feeds .pytest_cache .mypy_cache .ruff_cache
