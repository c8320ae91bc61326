# agno.infra: `make test` runs every test on a fresh machine (venv, Docker engine, base image, moto).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
VENV := .venv
BIN := $(VENV)/bin
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/.build/collections

.PHONY: up down status logs run rollback test venv engine images unit sanity lint docs integration integration-docker integration-aws integration-k8s changelog bench

DEV_INVENTORY := examples/agent-app/inventory/dev.yml
PLAY := $(BIN)/ansible-playbook -e ansible_python_interpreter=$(CURDIR)/$(BIN)/python -i $(DEV_INVENTORY)

# Deploy the example's dev environment on the local Docker engine, then print its URLs.
up: venv images
	$(PLAY) agno.infra.up

down: venv engine
	$(PLAY) agno.infra.down

status: venv engine
	$(PLAY) agno.infra.status

# The newest lines of the dev environment's apps (add ARGS='-e agno_app=api -e agno_since=10m' to narrow them).
logs: venv engine
	$(PLAY) agno.infra.logs $(ARGS)

# A one-off command in an app of the dev environment: make run ARGS="-e agno_app=api -e 'agno_command=\"python -V\"'".
run: venv engine
	$(PLAY) agno.infra.run $(ARGS)

# The dev environment's apps back to the images their last rebuild replaced (ARGS='-e agno_app=api' for one app).
rollback: venv engine
	$(PLAY) agno.infra.rollback $(ARGS)

test: venv images unit docs sanity lint integration

venv:
	./scripts/venv.sh

engine:
	./scripts/ensure-docker.sh

images: engine
	./scripts/build-base-image.sh >/dev/null

unit: venv
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/unit

docs: venv
	./scripts/check-docs.sh

sanity: venv
	./scripts/sanity.sh

lint: venv
	$(BIN)/ansible-lint --offline --profile production

changelog: venv
	$(BIN)/antsibull-changelog lint

# The Docker part, the Kubernetes part (the kit, or the cluster KUBECONFIG names) and the rest (moto) share nothing:
# they run side by side, the Docker and Kubernetes reports after.
integration: venv images
	cd tests/integration && { \
	  AGNO_IT_OUTPUT=playbook-output-docker ../../$(BIN)/python -m pytest -q -p no:cacheprovider -m docker \
	    > ../../.build/integration-docker.log 2>&1 & docker=$$!; \
	  AGNO_IT_OUTPUT=playbook-output-k8s ../../$(BIN)/python -m pytest -q -p no:cacheprovider -m k8s \
	    > ../../.build/integration-k8s.log 2>&1 & k8s=$$!; \
	  aws=0; AGNO_IT_OUTPUT=playbook-output-aws ../../$(BIN)/python -m pytest -q -p no:cacheprovider -m "not docker and not k8s" || aws=$$?; \
	  docker_rc=0; wait $$docker || docker_rc=$$?; echo "---- Docker half ----"; cat ../../.build/integration-docker.log; \
	  k8s_rc=0; wait $$k8s || k8s_rc=$$?; echo "---- Kubernetes part ----"; cat ../../.build/integration-k8s.log; \
	  exit $$(( aws || docker_rc || k8s_rc )); }

integration-k8s: venv
	cd tests/integration && ../../$(BIN)/python -m pytest -q -p no:cacheprovider -m k8s

integration-docker: venv images
	cd tests/integration && ../../$(BIN)/python -m pytest -q -p no:cacheprovider -m docker

integration-aws: venv
	cd tests/integration && ../../$(BIN)/python -m pytest -q -p no:cacheprovider -m aws

bench: venv images
	$(BIN)/python benchmarks/docker_noop.py 5
	$(BIN)/python benchmarks/aws_noop.py 3
	$(BIN)/python benchmarks/env_noop.py 3
	$(BIN)/python benchmarks/first_up.py 3
	$(BIN)/python benchmarks/prd_noop.py 3
