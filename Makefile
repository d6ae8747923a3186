# `make app` (the web app, what most people use), `make run` (the main job, headless, offline defaults) and
# `make test`. All create .venv on first use; set-up is idempotent (re-runs only when pyproject.toml changes).

VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
UNAME := $(shell uname -s)-$(shell uname -m)

ifeq ($(UNAME),Darwin-arm64)
  # MLX is the native path (a core dependency here); torch too, for the parity tests.
  EXTRAS := torch,app,dev
  TORCH_PIN :=
else
  # torch CPU does the work; mlx[cpu] so the MLX path is tested. Pinned torch: an unpinned one can pull a
  # multi-GB CUDA build. Elsewhere, TORCH_INDEX=https://download.pytorch.org/whl/cpu gets the CPU wheel.
  EXTRAS := torch,mlx-cpu,app,dev
  TORCH_PIN := torch==2.13.0
endif
TORCH_INDEX ?=
# `make app APP_ARGS="--port 8080 --no-browser"` passes options to the app (see `python -m ui.app --help`).
APP_ARGS ?=

.PHONY: setup app run test test-slow lint bench browser clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(if $(TORCH_PIN),$(PY) -m pip install -q $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX)) "$(TORCH_PIN)")
	$(PY) -m pip install -q -e ".[$(EXTRAS)]"
	touch $(STAMP)

app: setup
	$(PY) -m ui.app $(APP_ARGS)

run: setup
	$(VENV)/bin/wotd train
	$(VENV)/bin/wotd generate 2,1,3,0 -n 5
	$(VENV)/bin/wotd today

# Two workers share the tests; tests that share a trained fixture run on one worker (tests/conftest.py).
# `make test TEST_WORKERS=0` runs in one process. The full-lexicon run (marked slow, 8.5 min) is `make test-slow`;
# CI runs both (.ci/run).
TEST_WORKERS ?= 2
test: setup lint browser
	$(PY) -m pytest -q $(if $(filter-out 0,$(TEST_WORKERS)),-n $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder)

test-slow: setup
	$(PY) -m pytest -q -m slow

# Debian's chromium and chromedriver for the app's browser test, installed only where it can be (root with
# apt-get); anywhere else the test skips and says why. Never fails the build.
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "installing Debian chromium and chromium-driver for the browser test"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver \
	    >/dev/null; } || echo "could not install chromium: the browser test will be skipped"; \
	else echo "no chromium and no root apt-get: the browser test will be skipped"; fi

lint: setup
	$(VENV)/bin/ruff check wotd_mlx ui tests scripts

# The LM benchmarks need a trained home: bench_pipeline trains one in BENCH_HOME and keeps it.
BENCH_HOME ?= .bench-home
bench: setup
	$(PY) scripts/bench_embed.py
	$(PY) scripts/bench_pipeline.py --home $(BENCH_HOME)
	$(PY) scripts/bench_lora.py --home $(BENCH_HOME)
	$(PY) scripts/bench_lm.py --home $(BENCH_HOME)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
