# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# The development server runs with DEBUG on; production settings are in README.md.
DEV_ENV := DJANGO_DEBUG=1

.PHONY: install run serve test lint format migrate seed clean evaluate bench loadtest

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput

seed: migrate
	$(DEV_ENV) $(BIN)/python manage.py load_seeds

run: seed
	$(DEV_ENV) $(BIN)/python manage.py ensure_local_admin
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production-style: gunicorn, workers from the CPU count, static files by whitenoise.
# Uses DATABASE_URL if set; a local secret key is made once for this machine. Plain HTTP on
# loopback (behind TLS in production: leave the two DJANGO_SECURE_* at their default, on);
# the workers share one throttle count through a file cache.
WORKERS ?= $(shell echo $$(( $$(nproc) * 2 + 1 )))
serve: seed
	@test -s .local-secret-key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > .local-secret-key
	DJANGO_SECRET_KEY=$$(cat .local-secret-key) DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost} \
		$(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_SECRET_KEY=$$(cat .local-secret-key) DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost} \
		DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 DJANGO_CACHE_URL=$${DJANGO_CACHE_URL:-file://$(CURDIR)/.throttle-cache} \
		$(BIN)/gunicorn project.wsgi --workers $(WORKERS) --bind $(HOST):$(PORT) \
		--access-logfile - --max-requests 10000 --max-requests-jitter 1000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	$(BIN)/pytest

# Extraction scores against the gold files (evaluation/README.md), written to
# evaluation/RESULTS.md. The real-news texts are third-party and git-ignored: without them
# (a fresh clone) only the committed sets are scored, and the message says how to rebuild.
evaluate: install
	@if $(DEV_ENV) $(BIN)/python manage.py evaluate_extraction --check evaluation/realnews; then \
		$(DEV_ENV) $(BIN)/python manage.py evaluate_extraction evaluation/seeds evaluation/articles \
			evaluation/realnews --results evaluation/RESULTS.md; \
	else \
		echo "evaluation/realnews skipped: rebuild its texts (evaluation/realnews/ANNOTATION.md)."; \
		$(DEV_ENV) $(BIN)/python manage.py evaluate_extraction evaluation/seeds evaluation/articles; \
	fi

# Loader speed on 1,000 articles, then the API at 1M claims against Datasette and the
# database floor (PostgreSQL at BENCH_DATABASE_URL, default claims_bench on 127.0.0.1),
# then sources search at 200,000 claims (its own database), then the load test on the 1M
# database; each rewrites its section of BENCHMARKS.md.
# Installs wrk (Debian) and Datasette (its own virtualenv, so its pins never meet ours)
# when missing.
BENCH_VENV := .bench-venv
bench: install
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	@test -x $(BENCH_VENV)/bin/datasette || ($(PYTHON) -m venv $(BENCH_VENV) && $(BENCH_VENV)/bin/pip install --quiet "datasette==0.65.*")
	$(BIN)/python benchmarks/bench_loader.py --articles 1000 --runs 3 --out BENCHMARKS.md
	$(BIN)/python benchmarks/bench_stance.py --runs 5 --scale 10 --out BENCHMARKS.md
	$(BIN)/python benchmarks/bench_api.py --claims 1000000 --runs 3 --out BENCHMARKS.md
	$(BIN)/python benchmarks/bench_sources_search.py --claims 200000 --runs 3 --out BENCHMARKS.md
	$(BIN)/python benchmarks/bench_load.py --claims 1000000 --out BENCHMARKS.md

# `make serve` on the 1M-claim database (made if missing) under wrk, 64 connections for
# 30 s: zero errors and no worker restarts, or the section of BENCHMARKS.md says FAIL.
loadtest: install
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(BIN)/python benchmarks/bench_load.py --claims 1000000 --out BENCHMARKS.md

clean:
	rm -rf $(VENV) $(BENCH_VENV) db.sqlite3 .pytest_cache .ruff_cache *.egg-info
