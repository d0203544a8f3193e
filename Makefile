# chathook make targets. `make test` is what CI runs (.ci/run).
GO      ?= go
BIN     ?= bin/chathook
FUZZTIME ?= 30s

.PHONY: all build install test test-long check fmt-check vet bench bench-ajv fuzz fuzz-short clean

all: check build

build:
	$(GO) build -o $(BIN) ./cmd/chathook

install:
	$(GO) install ./cmd/chathook

# The gate: formatting, vet, and every test with the race detector.
test: fmt-check vet
	$(GO) test -race -count=1 ./...
	$(MAKE) fuzz-short

# The generator's property test over many more seeds (about 36,000), and the
# suite self-test: longer than make test, for a nightly job.
test-long:
	CHATHOOK_LONG=1 $(GO) test -count=1 -run 'TestPayloadsValidate' -timeout 30m ./generator
	$(GO) test -race -count=1 -run 'TestReferenceReceivers' ./suites

check: test build

fmt-check:
	@out=$$(gofmt -s -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt -s would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

# Benchmarks: compare runs with benchstat, never single numbers.
bench:
	$(GO) test -run='^$$' -bench=. -benchmem -count=5 ./...

# chathook validate against ajv (npm), whole process against whole process
# over the same generated file, in one run; skipped without node and ajv.
# Not part of make test.
bench-ajv:
	@scripts/bench-ajv.sh

# Every fuzz target for FUZZTIME each (go test -fuzz takes one target at a time).
fuzz:
	@scripts/fuzz.sh $(FUZZTIME)

# A few seconds per fuzz target, part of `make test`.
fuzz-short:
	@scripts/fuzz.sh 3s

clean:
	rm -rf bin
