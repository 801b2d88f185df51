# Sportello — the two commands:
#   make run    install what is missing, build, load the demo Comune, serve on :8080
#   make test   install what is missing, build, run every test (unit, integration, browser)
PORT ?= 8080
HOST ?= 127.0.0.1
BUILD ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)

.PHONY: run test deps test-deps build web bench clean format

run: deps build web
	@mkdir -p data
	./$(BUILD)/sportello serve --demo --data ./data --host $(HOST) --port $(PORT) --web web/dist

test: test-deps build web
	bash tests/run_all.sh

deps:
	@bash scripts/deps.sh build

test-deps:
	@bash scripts/deps.sh test

build:
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error

web: web/node_modules/.package-lock.json
	cd web && npm run --silent build

bench: build web
	@bash scripts/deps.sh bench
	bash bench/run.sh

format:
	clang-format -i $$(find src tests/unit bench -name '*.cc' -o -name '*.h')

clean:
	rm -rf $(BUILD) web/dist
