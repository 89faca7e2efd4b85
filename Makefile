# Conveniences; the README's two commands need none of this.
.PHONY: test ci fuzz crash soak

test:
	go test ./...

ci:
	./.ci/run

# Every fuzz target for minutes (FUZZTIME=10m make fuzz for longer).
fuzz:
	FUZZTIME=$${FUZZTIME:-2m} ./scripts/fuzz.sh

# Kill `detente ingest` with SIGKILL at 100 random points and compare the
# store with an uninterrupted run (internal/crashtest).
crash:
	DETENTE_CRASH_KILLS=$${DETENTE_CRASH_KILLS:-100} DETENTE_CRASH_ARTICLES=$${DETENTE_CRASH_ARTICLES:-400} \
		go test -v -count=1 -timeout 60m -run TestIngestKilled ./internal/crashtest

# detente serve under a steady wrk load, idle and while ingest writes
# (SOAK_SECONDS=600 by default; scripts/soak.sh says what it checks).
soak:
	./scripts/soak.sh
