# Conveniences; the README's two commands need none of this.
.PHONY: test ci fuzz crash soak pgo

test:
	go test ./...

ci:
	./.ci/run

# Every fuzz target for minutes (FUZZTIME=10m make fuzz for longer).
fuzz:
	FUZZTIME=$${FUZZTIME:-2m} ./scripts/fuzz.sh

# Kill `detente ingest` with SIGKILL at 100 random points, and queue
# workers writing to PostgreSQL at 50, and compare each store with an
# uninterrupted SQLite run (internal/crashtest).
crash:
	DETENTE_CRASH_KILLS=$${DETENTE_CRASH_KILLS:-100} DETENTE_CRASH_ARTICLES=$${DETENTE_CRASH_ARTICLES:-400} \
	DETENTE_TEST_POSTGRES=$${DETENTE_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable} \
	DETENTE_TEST_NATS=$${DETENTE_TEST_NATS:-nats://127.0.0.1:4222} \
		go test -v -count=1 -timeout 90m -run KilledAtRandomPoints ./internal/crashtest

# detente serve under a steady wrk load, idle and while ingest writes
# (SOAK_SECONDS=600 by default; scripts/soak.sh says what it checks).
soak:
	./scripts/soak.sh

# Rewrite cmd/detente/default.pgo, the CPU profile Go's profile-guided
# optimization reads when it builds detente (go build uses it by itself):
# the one-core pipeline over 3,000 AllSides articles, run by a build made
# without the old profile. Refresh it after large changes to the hot paths.
pgo:
	go build -pgo=off -o /tmp/detente-nopgo ./cmd/detente
	cd /tmp && DETENTE_SHARED=$${DETENTE_SHARED:-$(CURDIR)/../shared} /tmp/detente-nopgo bench --stages pipeline \
		--cores 1 --runs 1 --limit 3000 --html "" --cpuprofile $(CURDIR)/cmd/detente/default.pgo
