# review-apps: the two commands are `make demo` and `make test`. Both install what they need.
SHELL := /bin/bash
MVN   ?= mvn
MVNFLAGS ?= -B --no-transfer-progress
# Debian packages the build, the tests, the demo and the benchmarks use (python3-yaml: the CI
# config checks of reviewctl; systemd: systemd-analyze for the units in deploy/; openssl: the
# router's TLS test; chromium, chromium-driver: the dashboard's browser test, headless).
APT_PACKAGES := openjdk-17-jdk-headless maven git curl procps iproute2 util-linux \
  python3 python3-psycopg2 python3-redis python3-yaml \
  postgresql redis-server nginx libnginx-mod-http-lua lua-cjson prometheus wrk lua-busted lua-socket \
  systemd openssl chromium chromium-driver

.PHONY: all deps build test test-java test-lua bench bench-router demo clean format

all: build

# Installs only what is missing, so a second run costs a few dpkg queries.
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get -o DPkg::Lock::Timeout=300 update -qq && apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@# Debian starts these services on install; the tests start their own on free ports.
	@for s in nginx redis-server postgresql prometheus; do \
	  systemctl disable --now $$s >/dev/null 2>&1 || service $$s stop >/dev/null 2>&1 || true; \
	done

build: deps
	$(MVN) $(MVNFLAGS) package -DskipTests

format:
	$(MVN) $(MVNFLAGS) spotless:apply

# Every test script runs as it is: a missing or non-executable one fails the target, never skips.
test: deps
	$(MVN) $(MVNFLAGS) install
	scripts/check-package-cycles.py
	examples/app/test.sh
	deploy/test.sh
	lua-router/test/run.sh
	scripts/e2e-test.sh

# Benchmarks print figures measured side by side in one run; they are not pass/fail tests.
bench: deps
	$(MVN) $(MVNFLAGS) install -DskipTests
	$(MVN) $(MVNFLAGS) verify -Dtest.groups=bench -Dtest.excludedGroups= \
	  -Dtest.redirectOutput=false -Dsurefire.failIfNoSpecifiedTests=false -DfailIfNoTests=false
	$(MAKE) --no-print-directory bench-router
	scripts/bench-time-to-ready.sh
	scripts/bench-sleep-wake.sh

bench-router: deps
	lua-router/bench/run.sh

demo: deps
	$(MVN) $(MVNFLAGS) package -DskipTests
	scripts/demo.sh

clean:
	$(MVN) $(MVNFLAGS) -q clean
