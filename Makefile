# Conveniences; the README's two commands need none of this.
.PHONY: test ci fuzz

test:
	go test ./...

ci:
	./.ci/run

# Every fuzz target for minutes (FUZZTIME=10m make fuzz for longer).
fuzz:
	FUZZTIME=$${FUZZTIME:-2m} ./scripts/fuzz.sh
