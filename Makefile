# Delegates to dotnet and build.sh; `make help` lists the targets.
.PHONY: all build arm64 m2mcheck run test unit bench deps-build deps-test clean help

all: build

help:
	@echo "make            build ./fmp4streamer (linux-x64 NativeAOT, installs the build tools if missing)"
	@echo "make run        build, then stream the built-in test pattern on http://localhost:8000/"
	@echo "make arm64      cross-build ./fmp4streamer-arm64 for a Raspberry Pi (64-bit OS)"
	@echo "make test       install test tools if missing, build, run every test (unit, end to end, VM)"
	@echo "make unit       the in-process tests only: no daemon binary, browser, player or VM (about 3 minutes)"
	@echo "make m2mcheck   build the M2M stage checker the VM tests and the benchmark run inside the VM"
	@echo "make bench      fan-out, RTSP, HLS, HLS through nginx, slow HLS readers, per-frame, M2M-hop, pictures, AAC-encoder, decoder and 10-minute A/V drift benchmarks; print the figures the README quotes"
	@echo "make clean      remove build outputs"

build: deps-build
	./build.sh

arm64: deps-build
	./build.sh arm64

# The VM tests' and the benchmark's driver of the M2M stages (not shipped).
m2mcheck: deps-build
	dotnet publish tests/vm/M2MCheck -c Release -o artifacts/m2mcheck -p:StripSymbols=true -nologo -v quiet

run: build
	./fmp4streamer --test-pattern

deps-build:
	@tests/deps.sh build

deps-test:
	@tests/deps.sh test

test: deps-test build arm64 m2mcheck
	tests/run-tests.sh

# Everything outside EndToEnd/: parsers, muxers, the loop, HTTP on loopback sockets, simulated drivers.
unit: deps-test
	tests/run-tests.sh --filter "FullyQualifiedName!~EndToEnd"

bench: build m2mcheck
	tests/bench/run.sh
	tests/bench/rtsp.sh
	tests/bench/hls.sh
	tests/bench/nginx.sh
	tests/bench/slowhls.sh
	tests/bench/micro.sh
	tests/bench/m2m.sh
	tests/bench/pictures.sh
	tests/bench/aac.sh
	tests/bench/decode.sh
	tests/bench/avdrift.sh

clean:
	rm -rf artifacts fmp4streamer fmp4streamer-arm64 */bin */obj tests/vm/M2MCheck/bin tests/vm/M2MCheck/obj tests/bench/Microbench/bin tests/bench/Microbench/obj tests/bench/AacEncode/bin tests/bench/AacEncode/obj
