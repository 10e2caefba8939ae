# Two commands do all the set-up on a fresh machine: `make run` and `make test` (see README).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DEV_ENV := DJANGO_DEBUG=1

.PHONY: run test install lint format demo check-deploy clean e2e lighthouse bench explain soak faults audit claims-eval claims-model report-scale scale-xl cluster cluster-stop cluster-test search-eval search-perf

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e ".[test]"
	touch $@

install: $(VENV)/.installed

# Browser checks only (axe-core, Lighthouse): nothing from node_modules is served to customers.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "make test needs Node and npm for axe-core and Lighthouse: apt-get install -y nodejs npm (as .ci/run does)"; exit 2; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## Demo shop on SQLite with DEBUG on, at http://127.0.0.1:8000
run: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py load_demo
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# `make test` runs pytest on this many xdist workers (one test database and one Chromium each);
# --dist loadgroup hands the tests out one by one in collection order (pytest-django's order:
# transactional tests, which empty the database, last on each worker) and keeps an xdist_group
# (a module with module-scoped set-up, e.g. tests/features/perf/test_query_budgets.py) on one worker.
PYTEST_WORKERS ?= 2

## Whole suite on PostgreSQL (starts a throwaway cluster when none answers)
test: install node_modules/.installed
	@command -v chromium >/dev/null || { echo "make test drives Debian's Chromium: apt-get install -y chromium (as .ci/run does)"; exit 2; }
	@command -v redis-server >/dev/null || { echo "make test starts a private redis-server: apt-get install -y redis-server (as .ci/run does)"; exit 2; }
	@set -e; DATABASE_URL=$$(bin/ensure-postgres); export DATABASE_URL; \
	echo "DATABASE_URL=$$DATABASE_URL"; \
	$(VENV)/bin/ruff check .; \
	$(VENV)/bin/ruff format --check .; \
	PYTHONPATH=. $(VENV)/bin/lint-imports --no-cache; \
	DATABASE_URL=sqlite:///:memory: $(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run; \
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

## Benchmark, ours vs stock Oscar on catalogues S and L (~20 min; not part of `make test`, see bench/README.md)
bench: install
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	$(VENV)/bin/pip install -q -e ".[test,bench]"
	@set -e; DATABASE_URL=$$(bin/ensure-postgres); export DATABASE_URL; $(PY) -m bench.run

## Soak: 10 min of mixed browsing and checkout (locust) against gunicorn with production settings; prints the figures, fails on a broken limit (SOAK_MINUTES=1 for a short run; not part of `make test`, see soak/run.py)
soak: install
	$(VENV)/bin/pip install -q -e ".[test,soak]"
	@set -e; DATABASE_URL=$$(bin/ensure-postgres); export DATABASE_URL; $(PY) -m soak.run

## EXPLAIN ANALYZE of every SELECT the storefront pages make, on catalogue L of `make bench` (bench/EXPLAIN.md)
explain: install
	@set -e; DATABASE_URL=$$(bin/ensure-postgres); export DATABASE_URL; \
	$(PY) -m bench.explain --size L --out bench/results/explain.md

## PostgreSQL stopped for 10 s under browsing and checkout: branded 503, recovery, no half orders.
## A throwaway cluster of its own and gunicorn, ~5-8 min, so not part of `make test` (tests/faults)
faults: install
	$(VENV)/bin/pytest tests/faults -m faults -s -p no:cacheprovider $(PYTEST_ARGS)

## Browser suite only (Playwright + Debian's Chromium; also part of `make test`)
e2e: install node_modules/.installed
	@set -e; DATABASE_URL=$$(bin/ensure-postgres); export DATABASE_URL; \
	$(VENV)/bin/pytest tests/browser -m browser -p no:cacheprovider $(PYTEST_ARGS)

## Kennisbank → omzet at 10,000 orders (bulk_create): its query count and time (~30 s; not part of `make test`)
report-scale: install
	@set -e; DATABASE_URL=$$(bin/ensure-postgres); export DATABASE_URL; \
	$(VENV)/bin/pytest tests/features/storefront/attribution/test_report_scale.py -m scale -s -p no:cacheprovider $(PYTEST_ARGS)

## Catalogue XL (50,000 products, 500 categories, 1,000 guides; built once into its own database,
## reused after): cold SQL per storefront page on S and XL side by side, uncached search p99 and
## whether typo queries find their product (bench/xl.py, ~10 min with XL built; fails when a page's
## cold SQL differs). The same check as a test: pytest -m scale tests/bench/test_scale_xl.py.
## BENCH_DB_PREFIX / BENCH_REDIS_URL as for `make bench`
scale-xl: install
	@set -e; DATABASE_URL=$$(bin/ensure-postgres); export DATABASE_URL; $(PY) -m bench.xl

## Lighthouse (mobile) on home, product and guide pages under gunicorn with production settings
lighthouse: install node_modules/.installed
	bin/lighthouse

## Known vulnerabilities in the installed dependencies (pip-audit, kept in its own venv so it adds
## nothing to the shop's), as pinned by `pip freeze` without the shop itself (--strict fails on
## any package it skips, and it skips an editable one); a package that could not be checked fails.
## AUDIT_SERVICE=osv AUDIT_OSV_URL=http://…/v1/query asks an OSV mirror where PyPI's per-version
## JSON and api.osv.dev cannot be reached
AUDIT_VENV := var/audit-venv
AUDIT_SERVICE ?= pypi
AUDIT_OSV_URL ?=
audit: install
	@test -x $(AUDIT_VENV)/bin/pip-audit || { $(PYTHON) -m venv $(AUDIT_VENV) && $(AUDIT_VENV)/bin/pip install -q 'pip-audit>=2.10,<3'; }
	@mkdir -p var && $(PY) -m pip freeze --exclude-editable > var/audit-requirements.txt
	$(AUDIT_VENV)/bin/pip-audit --strict --desc -s $(AUDIT_SERVICE) \
		$(if $(AUDIT_OSV_URL),--osv-url $(AUDIT_OSV_URL)) \
		-r var/audit-requirements.txt --no-deps --disable-pip \
		|| { echo "make audit: FAILED (a known vulnerability, or a package the vulnerability service could not check: see above)"; exit 1; }

lint: install
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && PYTHONPATH=. $(VENV)/bin/lint-imports --no-cache

format: install
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 var node_modules test-artifacts

# --- Issue 15: the claim checker's labelled set -------------------------------------------------
## Precision and recall of the claim checker on the development and held-out sentences
claims-eval: install
	DATABASE_URL=sqlite:///:memory: $(DEV_ENV) $(PY) manage.py claims_eval

## Retrain the claim checker's second-opinion model on the development sentences (reproducible)
claims-model: install
	$(VENV)/bin/pip install -q -e ".[claims]"
	DATABASE_URL=sqlite:///:memory: $(DEV_ENV) $(PY) manage.py train_claims_model

# --- Issue 17: several app servers behind Varnish ---------------------------------------------
## The shop on 2 gunicorn app servers, each a host of its own (a network namespace; processes on ports without them), behind Varnish (cache + tag purges + health-probed round robin), media in a moto S3 bucket, Celery workers on RabbitMQ; prints the topology; PIDs and the network in var/cluster/ (not needed by `make run`)
cluster: install
	@command -v /usr/sbin/varnishd >/dev/null || { echo "make cluster needs Debian's varnish and varnish-modules: apt-get install -y varnish varnish-modules"; exit 2; }
	@command -v socat >/dev/null || echo "no socat (apt-get install -y socat): the app servers run as processes on ports, not in network namespaces"
	$(VENV)/bin/pip install -q -e ".[test,cluster]"
	@set -e; DATABASE_URL=$$(bin/ensure-postgres); export DATABASE_URL; $(PY) -m cluster.run start

## Stop what `make cluster` started, by the PIDs in var/cluster/, and remove its namespaces and bridge
cluster-stop:
	$(PY) -m cluster.run stop

## Start the cluster, run the distributed tests and figures of tests/cluster/ against it, stop it (minutes; not part of `make test`)
cluster-test: cluster
	@set -e; DATABASE_URL=$$(bin/ensure-postgres); export DATABASE_URL; \
	status=0; $(VENV)/bin/pytest tests/cluster -m cluster -p no:cacheprovider -s $(PYTEST_ARGS) || status=$$?; \
	$(PY) -m cluster.results || true; \
	$(PY) -m cluster.run stop; exit $$status
## Search relevance (issue 20): top-3 hit rates of the development and held-out parts of the 163-query
## set, per kind, and the no-result rate (pytest on PostgreSQL, prints the figures)
search-eval: install
	@set -e; DATABASE_URL=$$(bin/ensure-postgres); export DATABASE_URL; \
	$(VENV)/bin/pytest tests/search/test_relevance_set.py -s -q -p no:cacheprovider $(PYTEST_ARGS)

## Search speed on catalogue L (issue 20): uncached search page and suggestion p50/p99 (in-process,
## page cache off) and the issue's seven example queries, for SEARCH_BASELINE (a commit, through
## git archive) and then the working tree, printed as before -> after. SEARCH_PERF_DATABASE_URL: a
## database holding `python -m bench.catalogue ours --size L`. DEBUG off unless SEARCH_PERF_DEBUG=1.
## Both runs read the product images from SEARCH_PERF_MEDIA_ROOT (where the catalogue was built:
## the baseline's own var/media is empty, and a card without its image costs a failed thumbnail).
## Each run starts from an empty file cache (the baseline's var/cache is new with its archive; the
## working tree's is var/search-perf/cache, emptied first), so no earlier run's entries count.
SEARCH_BASELINE ?= bc65fc0
SEARCH_PERF_DEBUG ?= 0
SEARCH_PERF_MEDIA_ROOT ?= $(CURDIR)/var/media
search-perf:
	@set -e; test -n "$(SEARCH_PERF_DATABASE_URL)" || { echo "set SEARCH_PERF_DATABASE_URL"; exit 2; }; \
	out=$(CURDIR)/var/search-perf; rm -rf $$out/baseline; mkdir -p $$out/baseline; \
	git archive $(SEARCH_BASELINE) | tar -x -C $$out/baseline; \
	export DATABASE_URL="$(SEARCH_PERF_DATABASE_URL)" SHOP_PAGE_CACHE_SECONDS=0 \
		DJANGO_ALLOWED_HOSTS=testserver DJANGO_DEBUG=$(SEARCH_PERF_DEBUG) \
		DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECRET_KEY=search-perf DJANGO_STATIC_ROOT=$$out/static \
		DJANGO_MEDIA_ROOT="$(SEARCH_PERF_MEDIA_ROOT)"; \
	script="exec(open('$(CURDIR)/tests/search/perf_forgiving.py').read())"; \
	echo "== before: $(SEARCH_BASELINE)"; \
	(cd $$out/baseline && $(CURDIR)/$(PY) manage.py collectstatic --noinput -v0 && \
		PERF_OUT=$$out/before.json $(CURDIR)/$(PY) manage.py shell -c "$$script"); \
	echo "== after: working tree"; $(PY) manage.py collectstatic --noinput -v0; \
	rm -rf $$out/cache; DJANGO_CACHE_DIR=$$out/cache \
	PERF_OUT=$$out/after.json PERF_BASELINE=$$out/before.json $(PY) manage.py shell -c "$$script"
