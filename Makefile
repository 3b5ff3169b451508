# The two entry points of the README: `make up` (annotators) and `make test` (everything, as CI runs it).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup up test browser java postgresql

# Create the virtualenv and install the package with every pinned dependency (Label Studio server and the
# baselines' scikit-learn and CRFsuite included).
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[server,test,baselines,spark]'
	touch $(STAMP)

setup: $(STAMP)

browser:
	scripts/install-chromium

# Java 17+ for the pool's Spark engine (Debian's default-jre-headless), PostgreSQL for Label Studio on PostgreSQL.
java:
	scripts/install-java

postgresql:
	scripts/install-postgresql

up: setup
	$(BIN)/counterclaim up

test: setup browser java postgresql
	$(BIN)/python -m pytest
