# chathook make targets. `make test` is what CI runs (.ci/run).
GO      ?= go
BIN     ?= bin/chathook
FUZZTIME ?= 30s

# Version stamping (chathook version): from git when there is a checkout.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
DATE    ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS ?= -s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.date=$(DATE)

# make image: podman if installed, else docker; IMAGE names the result.
IMAGE     ?= chathook:$(VERSION)
CONTAINER ?= $(shell command -v podman 2>/dev/null || command -v docker 2>/dev/null)
CA_CERTS  ?= /etc/ssl/certs/ca-certificates.crt

.PHONY: all build install test test-long check fmt-check vet bench bench-ajv fuzz fuzz-short clean image image-context image-smoke

all: check build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/chathook

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

# The container image (Dockerfile): a static binary, CA certificates, a
# writable /tmp, a non-root user; built offline from build/image.
image-context:
	rm -rf build/image && mkdir -p build/image/rootfs/usr/local/bin build/image/rootfs/etc/ssl/certs build/image/rootfs/tmp
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o build/image/rootfs/usr/local/bin/chathook ./cmd/chathook
	cp $(CA_CERTS) build/image/rootfs/etc/ssl/certs/ca-certificates.crt
	chmod 0755 build/image/rootfs/usr/local/bin/chathook && chmod 0644 build/image/rootfs/etc/ssl/certs/ca-certificates.crt
	chmod 1777 build/image/rootfs/tmp
	cp Dockerfile build/image/Dockerfile

image: image-context
	@test -n "$(CONTAINER)" || { echo "make image: neither podman nor docker is installed"; exit 2; }
	$(CONTAINER) build -t $(IMAGE) -f build/image/Dockerfile build/image

# Check a built image without starting a container: export its filesystem
# and run the entrypoint in a chroot (needs root and podman or docker).
image-smoke:
	scripts/image-smoke.sh $(IMAGE)

clean:
	rm -rf bin build
