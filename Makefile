# Two commands do all set-up on a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := portal.settings

.PHONY: run test test-pg bench soak messages lint venv demo

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --silent
	touch $@

venv: $(VENV)/.installed node_modules/.installed

demo: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

# The monitor's probes and link checks reach the demo's sites (localhost, edu.localhost) here.
MONITORING_SITE_ADDRESS ?= 127.0.0.1:$(PORT)
# Web, worker and beat run as jobs of their own (set -m), out of the terminal's reach: Ctrl-C
# goes to the shell alone (make's direct child, by exec), which asks each of them once (SIGTERM)
# to shut down, waits for them and exits 0; a process still starting up is simply ended. Should
# one exit by itself, the others are stopped too and make reports its status. The shell's own
# job notices ("[1] Done ...") are silenced once the three have started.
# The public pages are published as files (staticsite/) by the worker, queued here, and the
# application answers them from the files first (STATIC_PAGES_SERVE), as nginx does in production.
# SITE_PORT: links from one demo site to another carry the port (columns.site_urls).
run: demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py publish_static --all --queue
	@echo "Portal on http://127.0.0.1:$(PORT)/  admin on http://127.0.0.1:$(PORT)/admin/  (Ctrl-C stops all)"
	@exec env MONITORING_SITE_ADDRESS=$(MONITORING_SITE_ADDRESS) SITE_PORT=$(PORT) \
	  STATIC_PAGES_SERVE=1 bash -c 'set -m; \
	  stop() { kill -TERM $$(jobs -p) 2>/dev/null; wait; }; \
	  trap "stop; exit 0" INT TERM HUP; \
	  $(VENV)/bin/celery -A portal worker --loglevel=warning --concurrency=2 & \
	  $(VENV)/bin/celery -A portal beat --loglevel=warning & \
	  $(VENV)/bin/gunicorn portal.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 --access-logfile - & \
	  exec 2>/dev/null; wait -n; status=$$?; stop; exit $$status'

# Two test processes, one per core; each has its own test database and Redis database.
TEST_WORKERS ?= 2
test: venv
	PORTAL_TESTING=1 $(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

bench: venv
	$(PY) bench/run.py

# Load and fault tests need PostgreSQL and Redis; CI runs them short (SOAK_ARTICLES=25).
SOAK_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal
SOAK_REDIS_URL ?= redis://127.0.0.1:6379/14
soak: venv
	PORTAL_TESTING=1 PORTAL_SOAK=1 DATABASE_URL=$(SOAK_DATABASE_URL) REDIS_URL=$(SOAK_REDIS_URL) \
	  $(PY) -m pytest tests/soak -s -p no:cacheprovider $(PYTEST_ARGS)

messages: venv
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --ignore=node_modules --ignore=staticfiles
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

lint: venv
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
