# callbox — the two commands a newcomer needs: `make run` and `make test`.
# Each installs what is missing (npm packages, and Debian packages when root or with sudo -n).
SHELL := /bin/bash
.DEFAULT_GOAL := help

NPM_STAMP := node_modules/.install-stamp
BUNDLE := dist/callbox.mjs
# Debian packages: the box's audio tools (prompt generation) and the tests' real peers.
RUN_DEBS := sox espeak-ng multimon-ng tzdata
TEST_DEBS := tzdata sox espeak-ng socat chromium fonts-wqy-microhei ffmpeg multimon-ng mosquitto sip-tester baresip alsa-utils
# The slow suite's extra peers (a real PostgreSQL server for the fleet store; images and qemu runs).
SLOW_DEBS := postgresql strace eatmydata
# make image: cross compiler for the arm64 native addons, qemu to run the arm64 executable, zstd deltas.
IMAGE_DEBS := g++-aarch64-linux-gnu qemu-user-static zstd
DEMO ?= 60
PORT ?= 8080

.PHONY: help run test test-slow fuzz chaos powerloss bench soak lint typecheck build audio deps deps-npm deps-test deps-slow image rootfs clean

help:
	@echo "make run        start the box on simulated hardware with its dashboard (DEMO=calls/hour, PORT=8080)"
	@echo "make test       install what is missing and run every fast suite"
	@echo "make test-slow  long simulations and heavy suites"
	@echo "make chaos      crash consistency: TRIALS kill -9 and restart trials (default 200) -> chaos-report.json"
	@echo "make powerloss  power loss: TRIALS cuts (default 200) of a traced run, files rebuilt as unsynced writes drop -> powerloss-report.json"
	@echo "make fuzz       fuzz and property suites, FUZZ_RUNS cases per target (default 20000)"
	@echo "make bench      benchmarks -> bench/results/*.json"
	@echo "make image      single executables dist/callbox-linux-{x64,arm64} + signed dist/callbox-<version>.bundle (OTA_KEY=key.pem)"
	@echo "make rootfs     Debian arm64 root filesystem with the box installed (ROOTFS=dir; root, network; images/README.md)"
	@echo "make soak       SOAK_MINUTES (default 10; 480 = 8 hours) of 3x a busy shop's traffic -> bench/results/soak.json"
	@echo "make lint       biome + TypeScript type check"

$(NPM_STAMP): package.json package-lock.json
	@command -v node >/dev/null || { echo "Node.js 20 is required: apt-get install nodejs npm (or use nodesource)"; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

deps-npm: $(NPM_STAMP)

# Installs the Debian packages named in $(DEBS) that are missing.
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else \
	    echo "Missing Debian packages:$$missing"; echo "Install them with: sudo apt-get install -y$$missing"; exit 1; fi; \
	  echo "Installing Debian packages:$$missing"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

deps: deps-npm
	$(call apt_install,$(RUN_DEBS))

deps-test: deps-npm
	$(call apt_install,$(TEST_DEBS))

deps-slow: deps-test
	$(call apt_install,$(SLOW_DEBS) $(IMAGE_DEBS))

# The box bundle and the browser app (dist/app): rebuilt when any source of either changes.
$(BUNDLE): $(NPM_STAMP) $(shell find hal firmware web-ui images provisioning \( -name '*.ts' -o -name '*.tsx' -o -name '*.css' -o -name '*.html' \) -not -path '*/node_modules/*' 2>/dev/null) scripts/build.mjs scripts/build-app.mjs
	node scripts/build.mjs

build: $(BUNDLE)

# Logs are JSON lines (for machines); make run shows them readable. LOG=json keeps them raw.
run: deps $(BUNDLE)
	@if [ "$(LOG)" = json ]; then node $(BUNDLE) run --sim --demo=$(DEMO) --port $(PORT); \
	else set -o pipefail; node $(BUNDLE) run --sim --demo=$(DEMO) --port $(PORT) | node scripts/pretty-log.mjs; fi

# Incremental: the check's state is kept in node_modules/.cache (same errors; a run after a small
# change re-checks what it touches: 7 s instead of 24-34 s here).
typecheck: deps-npm
	npx tsc -p tsconfig.json --noEmit --incremental --tsBuildInfoFile node_modules/.cache/tsc/callbox.tsbuildinfo

lint: deps-npm typecheck
	npx biome check .

# Three test processes at once on two cores: many integration tests wait on real time (SIP phones,
# browsers, boxes starting), so two leave the CPU idle (measured: integration 386 s against 521 s wall,
# the same CPU time). The slow suites are heavy on CPU and memory: two.
test: deps-test $(BUNDLE) lint
	TEST_JOBS=3 node scripts/run-tests.mjs test/unit test/fuzz test/integration

test-slow: deps-slow $(BUNDLE) image
	TEST_JOBS=2 node scripts/run-tests.mjs test/slow

# The same suites as in make test (test/fuzz), with FUZZ_RUNS cases per target instead of a few
# hundred (FUZZ_SEED=n replays a run; docs/RELIABILITY.md).
FUZZ_RUNS ?= 20000
fuzz: deps-npm
	FUZZ_RUNS=$(FUZZ_RUNS) TAP_TIMEOUT=0 npx tap --timeout=0 test/fuzz/*.test.ts

# Crash consistency (docs/RELIABILITY.md): TRIALS kill -9 trials of the production bundle under
# traffic and SMS through a fake AT modem on a socat pty, each restarted and checked; writes
# chaos-report.json, exit 1 when anything is lost.
TRIALS ?= 200
chaos: deps-npm $(BUNDLE)
	$(call apt_install,socat)
	TRIALS=$(TRIALS) node scripts/chaos-crash.mjs

# Power loss (docs/RELIABILITY.md): the production bundle under strace with traffic, then TRIALS
# random cuts of the recorded run, the database, WAL and config rebuilt as a storage that drops
# unsynced writes would leave them; writes powerloss-report.json, exit 1 when anything is lost.
powerloss: deps-slow $(BUNDLE)
	TRIALS=$(TRIALS) node scripts/powerloss.mjs

# The benchmarks' peers: chromium (web), mosquitto (fleet-load), zstd and the arm64 image tools (field).
bench: deps-slow $(BUNDLE)
	node bench/run.mjs

# Soak (docs/RELIABILITY.md): the production bundle under 3x a busy shop's traffic; RSS, fds, SQLite
# size and event-loop lag sampled, least-squares slopes per hour, failed calls -> bench/results/soak.json.
SOAK_MINUTES ?= 10
soak: deps $(BUNDLE)
	SOAK_MINUTES=$(SOAK_MINUTES) node bench/soak.mjs

# Node SEA single executables for linux-x64/arm64, their native addons, the arm64 release folder
# and its signed OTA bundle (scripts/image/, images/README.md). OTA_KEY=path signs with a release
# key; otherwise a dev key in .dev-keys/.
image: deps-slow $(BUNDLE)
	OTA_KEY=$(OTA_KEY) node scripts/image/build-image.mjs

# Debian arm64 root filesystem with the release installed (debootstrap; root and a Debian mirror;
# never part of the tests). SDCARD=file.img also writes an SD-card image.
ROOTFS ?= dist/rootfs
rootfs: image
	images/rootfs/make-rootfs.sh "$(ROOTFS)" dist/release-$$(node -p "require('./package.json').version") $(SDCARD)

audio:
	scripts/make-audio.sh

clean:
	rm -rf dist .tap
