# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# The development server runs with DEBUG on; production settings are in README.md.
DEV_ENV := DJANGO_DEBUG=1

.PHONY: install run serve test lint format migrate seed clean evaluate bench

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
# Uses DATABASE_URL if set; a local secret key is made once for this machine.
WORKERS ?= $(shell echo $$(( $$(nproc) * 2 + 1 )))
serve: seed
	@test -s .local-secret-key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > .local-secret-key
	DJANGO_SECRET_KEY=$$(cat .local-secret-key) DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost} \
		$(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_SECRET_KEY=$$(cat .local-secret-key) DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost} \
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

# Extraction scores against the gold files (evaluation/README.md).
evaluate: install
	$(DEV_ENV) $(BIN)/python manage.py evaluate_extraction evaluation/seeds evaluation/articles

# Loader speed and memory on 1,000 articles; rewrites its section of BENCHMARKS.md.
bench: install
	$(BIN)/python benchmarks/bench_loader.py --articles 1000 --runs 3 --out BENCHMARKS.md

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache .ruff_cache *.egg-info
