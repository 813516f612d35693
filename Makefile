# 居民之家 — everyday commands. `make run` and `make test` work on a fresh clone; `make help` lists the rest.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

# The virtualenv; .ci/run points VENV at a fresh one outside the checkout.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST := $(VENV)/bin/pytest
RUFF := $(VENV)/bin/ruff
MANAGE := $(PY) manage.py
# Newer than requirements*.txt once they are installed; pip runs again only when they change.
STAMP := $(VENV)/.installed

# python3.11 if it runs, else python3 (the project needs 3.11 or newer).
BOOTSTRAP_PYTHON ?= $(shell for p in python3.11 python3; do \
	if $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then echo $$p; break; fi; done)

# Measured on 2 cores (465 tests): one process 37–60 s, -n auto 35–58 s, -n auto --dist loadfile 23–37 s.
# Module-scoped fixtures (the demo street) are built once per file instead of once per worker and file.
# --nomigrations: the test databases are made from the models (migrating cost 70 s of CPU per worker and database,
# measured 2026-12-02); the migrations themselves run in make outside (a fresh file) and makemigrations --check.
PYTEST_ARGS ?= -n auto --dist loadfile --nomigrations
PG_HOST ?= 127.0.0.1
PG_PORT ?= 5432
PG_USER ?= postgres
HOST ?= 127.0.0.1
PORT ?= 8000

# $(call pytest,ARGS): run pytest; "nothing collected" (exit 5) is a failure, never a silent pass.
define pytest
status=0; $(PYTEST) $(1) || status=$$?; \
if [ $$status -eq 5 ]; then echo "错误:pytest 没有收集到任何测试 (no tests ran),按失败处理" >&2; exit 1; fi; \
exit $$status
endef

.PHONY: help venv run test test-pg e2e outside lint format bench migrations-check check clean

help:
	@echo "居民之家 · make 命令"
	@echo "  make run               建立 .venv、迁移、载入演示数据,在 http://$(HOST):$(PORT) 启动"
	@echo "  make test              单元测试(SQLite,不含浏览器测试)"
	@echo "  make test-pg           在本机 PostgreSQL($(PG_HOST):$(PG_PORT))的临时数据库上跑单元测试"
	@echo "  make e2e               Playwright 浏览器测试(Debian chromium)"
	@echo "  make outside           从外部测试:gunicorn 上的演示库,schemathesis 测 API、爬虫走遍页面和表单,不许 5xx"
	@echo "  make lint              ruff check + ruff format --check + lint-imports(分层)"
	@echo "  make format            ruff format + ruff check --fix"
	@echo "  make migrations-check  模型改了却没有迁移文件时失败"
	@echo "  make bench             性能数据(--scale 10 数据库 + gunicorn),见 README「性能测量」"
	@echo "  make clean             删除缓存、测试库、collectstatic 产物和 bench/out(保留 .venv 和 db.sqlite3)"

$(PY):
	@test -n "$(BOOTSTRAP_PYTHON)" || { echo "错误:需要 Python 3.11 或更新版本 (python3.11 / python3)" >&2; exit 1; }
	$(BOOTSTRAP_PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	@touch $@

venv: $(STAMP)

run: $(STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo --if-empty
	@$(MANAGE) demo_accounts
	@echo "居民之家:http://$(HOST):$(PORT)/  (Ctrl+C 停止)"
	DJANGO_DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

# Each run gets its own SQLite test database, so runs started side by side (two terminals, CI) never share one.
SQLITE_TEST_TMP = tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	export SQLITE_TEST_PATH="$${SQLITE_TEST_PATH:-$$tmp/test.sqlite3}"

test: $(STAMP)
	@$(SQLITE_TEST_TMP); $(call pytest,$(PYTEST_ARGS) -m "not e2e")

# A throwaway database per run (jumin_ci_<pid>); pytest-django creates and drops test_<name>[_gwN] beside it.
test-pg: $(STAMP)
	@db=jumin_ci_$$$$; pg="-h $(PG_HOST) -p $(PG_PORT) -U $(PG_USER)"; \
	cleanup() { \
		for name in $$(psql $$pg -d postgres -Atc "select datname from pg_database where datname ~ '^(test_)?$$db(_gw[0-9]+)?$$'"); do \
			dropdb $$pg --if-exists "$$name"; \
		done; \
	}; \
	trap cleanup EXIT; \
	createdb $$pg "$$db"; \
	echo "PostgreSQL 测试库:$$db($(PG_USER)@$(PG_HOST):$(PG_PORT))"; \
	export DATABASE_URL="postgres://$(PG_USER)@$(PG_HOST):$(PG_PORT)/$$db"; \
	$(call pytest,$(PYTEST_ARGS) -m "not e2e")

# Debian's chromium, never `playwright install`. Two workers, each with its own live_server and database: a journey
# waits on the browser about a third of its time (serial 447 s, -n 2 414 s with another job on the cores).
e2e: $(STAMP)
	@if ! command -v chromium >/dev/null || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
		echo "安装 chromium 与中文字体(apt-get)"; \
		sudo=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
		$$sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q chromium fonts-noto-cjk; \
	fi
	@test -d tests/e2e || { echo "错误:没有 tests/e2e 目录,没有运行任何浏览器测试 (no tests ran)" >&2; exit 1; }
	@$(SQLITE_TEST_TMP); $(call pytest,tests/e2e -m e2e -n 2 --dist loadfile --nomigrations)

# The demo street in a throwaway SQLite file under gunicorn, tried from outside as every demo account: schemathesis
# against the OpenAPI schema and a crawler through every page and form (tests/outside/run.py). Any 5xx fails.
outside: $(STAMP)
	$(PY) -m tests.outside.run $(OUTSIDE_ARGS)

lint: $(STAMP)
	$(RUFF) check .
	$(RUFF) format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(RUFF) format .
	$(RUFF) check --fix .

migrations-check: $(STAMP)
	$(MANAGE) makemigrations --check --dry-run

check: $(STAMP)
	$(MANAGE) check

bench: $(STAMP)
	$(PY) bench/run.py $(BENCH_ARGS)
	$(PY) bench/votes.py

clean:
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +
	rm -rf .ruff_cache .pytest_cache staticfiles test-results bench/out .test-db.sqlite3*
