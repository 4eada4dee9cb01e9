# The two commands people need are `make up` (deploy the app on a cluster on this machine) and
# `make test` (every layer). Everything else here is a step of those two.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PYTEST := $(VENV)/bin/pytest
# Each layer's JUnit XML (junit-<layer>.xml) and the run's summary.md.
REPORTS := build/reports
# Registries behind a TLS-intercepting proxy: the system bundle carries its CA.
SYSTEM_CA := /etc/ssl/certs/ca-certificates.crt
export NODE_EXTRA_CA_CERTS ?= $(if $(wildcard $(SYSTEM_CA)),$(SYSTEM_CA))
export NEXT_TELEMETRY_DISABLED := 1

.PHONY: up down test lint render deploykit backend frontend container cluster bench clean rehearse-fresh rehearse-loaded

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[dev]'
	touch $@

## up: build the images, start a cluster (kind unless one answers), install the chart with values-local.yaml
up: $(VENV)/.installed
	$(PY) -m deploykit up

## down: uninstall and stop the cluster this project started (no process, mount or chain left)
down: $(VENV)/.installed
	$(PY) -m deploykit down

## test: every layer, in order of cost, each timed; the first failing layer stops the run
test: $(VENV)/.installed
	$(PY) -m deploykit test

# The Python layers run in the project venv (tox -e <layer> runs the same in an env of its own).
render: $(VENV)/.installed
	$(PYTEST) -m render --junitxml=$(REPORTS)/junit-render.xml -o junit_suite_name=render

deploykit: $(VENV)/.installed
	$(PYTEST) -m deploykit --junitxml=$(REPORTS)/junit-deploykit.xml -o junit_suite_name=deploykit

backend: $(VENV)/.installed
	$(PY) -m deploykit postgres
	$(VENV)/bin/tox -e backend

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund

frontend: frontend/node_modules/.package-lock.json
	cd frontend && npm run lint && npm run typecheck && \
		npm test -- --reporter=default --reporter=junit --outputFile.junit=$(abspath $(REPORTS))/junit-frontend.xml

container: $(VENV)/.installed
	$(PYTEST) -m container --junitxml=$(REPORTS)/junit-container.xml -o junit_suite_name=container

cluster: $(VENV)/.installed
	$(PYTEST) -m cluster --junitxml=$(REPORTS)/junit-cluster.xml -o junit_suite_name=cluster

bench: $(VENV)/.installed
	$(PY) -m deploykit bench

## rehearse-fresh: .ci/run as a new runner sees it (empty caches, own Docker engine and cluster state)
rehearse-fresh: $(VENV)/.installed
	$(PY) -m deploykit rehearse fresh

## rehearse-loaded: the container and cluster layers idle, then three times beside a CPU hog
rehearse-loaded: $(VENV)/.installed
	$(PY) -m deploykit rehearse loaded

lint: $(VENV)/.installed
	$(PY) -m deploykit lint

clean:
	rm -rf $(VENV) .tox build frontend/node_modules frontend/out
