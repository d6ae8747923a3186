# The two commands: `make run` (the main job, headless, offline defaults) and `make test`.
# Both create .venv on first use; set-up is idempotent (re-runs only when pyproject.toml changes).

VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
UNAME := $(shell uname -s)-$(shell uname -m)

ifeq ($(UNAME),Darwin-arm64)
  # MLX is the native path (a core dependency here); torch too, for the parity tests.
  EXTRAS := torch,dev
  TORCH_PIN :=
else
  # torch CPU does the work; mlx[cpu] so the MLX path is tested. Pinned torch: an unpinned one can pull a
  # multi-GB CUDA build. Elsewhere, TORCH_INDEX=https://download.pytorch.org/whl/cpu gets the CPU wheel.
  EXTRAS := torch,mlx-cpu,dev
  TORCH_PIN := torch==2.13.0
endif
TORCH_INDEX ?=

.PHONY: setup run test test-fast lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(if $(TORCH_PIN),$(PY) -m pip install -q $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX)) "$(TORCH_PIN)")
	$(PY) -m pip install -q -e ".[$(EXTRAS)]"
	touch $(STAMP)

run: setup
	$(VENV)/bin/wotd train
	$(VENV)/bin/wotd today

test: setup lint
	$(PY) -m pytest -q

test-fast: setup
	$(PY) -m pytest -q -m "not slow"

lint: setup
	$(VENV)/bin/ruff check wotd_mlx ui tests scripts

bench: setup
	$(PY) scripts/bench_embed.py
	$(PY) scripts/bench_pipeline.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
