// Package queue spreads detente's ingest over many processes with NATS
// JetStream: a publisher reads, cleans, fingerprints and deduplicates
// articles in input order and publishes one job per article to a
// work-queue stream; workers, as many as wanted on as many machines,
// annotate and code the originals and store every article in a shared
// store (PostgreSQL), acknowledging each job only after its transaction
// commits.
//
// Why the publisher deduplicates: which article of a story is its
// original depends on order ("the first copy read"), and workers finish
// in no particular order. The publisher is the one place that sees the
// input in order, so it makes every exact and near copy decision, against
// the articles it published this run and against the store (read-only)
// for stories stored before: the stored result is then the same as a
// single process's, whatever the number of workers, their speed or their
// crashes. Dedup is cheap (a MinHash per article); annotating and coding,
// the expensive part, is what the workers share. A copy needs its
// original stored first; a worker holding a copy whose original is still
// in another worker's hands puts it back with a delay (NakWithDelay).
//
// Delivery is at least once: a job whose worker dies is redelivered after
// AckWait. Storing is idempotent (an article ID already stored changes
// nothing) and a batch is one transaction, so redelivery never doubles an
// article or a mention. A job that cannot succeed (undecodable, refused by
// the store as invalid, or a text that crashes the coder) goes at once to
// the dead-letter subject; a job that keeps failing for other reasons
// goes there on its MaxDeliver-th delivery; either way with its reason in
// a header, and the work queue drops it.
//
// Concurrent publishers: two publishers do not see each other's
// unpublished decisions, so each worker also rechecks every original
// under PostgreSQL advisory locks on its exact hash and band keys (see
// postgres.DB.SetNearCheck): of two copies of one text stored at once,
// the second to take the locks finds the first and is stored as its copy.
// That recheck only turns an original into a copy when the texts are
// near in both directions, which a single ordered publisher has already
// ruled out, so it never changes a single publisher's decisions.
package queue

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"time"

	"github.com/detente/detente"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Defaults of a queue URL's options.
const (
	DefaultStream     = "DETENTE"
	DefaultAckWait    = 60 * time.Second
	DefaultMaxDeliver = 20
	// DefaultDupWindow is how long JetStream remembers a job's message ID
	// (the article ID) to drop a second publish of it.
	DefaultDupWindow = time.Hour
	// consumerName is the durable consumer every worker pulls from: one
	// consumer, so each job goes to one worker.
	consumerName = "workers"
)

// Config is a queue's address and policies, read from a nats:// URL:
// nats://host:4222?stream=NAME&ack_wait=60s&max_deliver=20.
type Config struct {
	URL    string // the server, without detente's options
	Stream string // the work-queue stream; the dead letters are in Stream_DEAD
	// AckWait is how long a worker may hold a job before it is
	// redelivered; workers extend it while they work on a batch.
	AckWait time.Duration
	// MaxDeliver is how many deliveries a job gets before it is
	// dead-lettered.
	MaxDeliver int
	DupWindow  time.Duration
}

var streamName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// ParseURL reads a queue URL.
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "nats" && u.Scheme != "tls") {
		return Config{}, detente.Errorf(detente.EINVALID, "--queue %q is not a nats:// URL", raw)
	}
	c := Config{Stream: DefaultStream, AckWait: DefaultAckWait, MaxDeliver: DefaultMaxDeliver, DupWindow: DefaultDupWindow}
	q := u.Query()
	if s := q.Get("stream"); s != "" {
		c.Stream = s
	}
	if !streamName.MatchString(c.Stream) {
		return Config{}, detente.Errorf(detente.EINVALID, "stream %q: want letters, digits, _ and -", c.Stream)
	}
	for name, d := range map[string]*time.Duration{"ack_wait": &c.AckWait, "dup_window": &c.DupWindow} {
		if v := q.Get(name); v != "" {
			if *d, err = time.ParseDuration(v); err != nil || *d <= 0 {
				return Config{}, detente.Errorf(detente.EINVALID, "%s=%q is not a duration", name, v)
			}
		}
	}
	if v := q.Get("max_deliver"); v != "" {
		if c.MaxDeliver, err = strconv.Atoi(v); err != nil || c.MaxDeliver < 1 {
			return Config{}, detente.Errorf(detente.EINVALID, "max_deliver=%q is not a positive number", v)
		}
	}
	for _, k := range []string{"stream", "ack_wait", "dup_window", "max_deliver"} {
		q.Del(k)
	}
	u.RawQuery = q.Encode()
	c.URL = u.String()
	return c, nil
}

// JobSubject and DeadSubject are where a stream's jobs and dead letters
// are published.
func (c Config) JobSubject() string  { return c.Stream + ".jobs" }
func (c Config) DeadSubject() string { return c.Stream + ".dead" }
func (c Config) deadStream() string  { return c.Stream + "_DEAD" }

// Queue is a connection to the job and dead-letter streams.
type Queue struct {
	cfg  Config
	nc   *nats.Conn
	js   jetstream.JetStream
	jobs jetstream.Stream
}

// Open connects to the server and creates (or updates) the streams and
// the workers' consumer.
func Open(ctx context.Context, cfg Config) (*Queue, error) {
	nc, err := nats.Connect(cfg.URL, nats.Name("detente"), nats.MaxReconnects(-1))
	if err != nil {
		return nil, fmt.Errorf("queue: connect %s: %w", cfg.URL, err)
	}
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(256))
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("queue: %w", err)
	}
	q := &Queue{cfg: cfg, nc: nc, js: js}
	if err := q.setup(ctx); err != nil {
		nc.Close()
		return nil, err
	}
	return q, nil
}

func (q *Queue) setup(ctx context.Context) error {
	var err error
	// Work-queue retention: a job is gone once acknowledged, so the
	// stream holds exactly the work still to do. Jobs are on disk: a
	// server restart loses none.
	q.jobs, err = q.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        q.cfg.Stream,
		Description: "detente article jobs",
		Subjects:    []string{q.cfg.JobSubject()},
		Retention:   jetstream.WorkQueuePolicy,
		Storage:     jetstream.FileStorage,
		Duplicates:  q.cfg.DupWindow,
	})
	if err != nil {
		return fmt.Errorf("queue: stream %s: %w", q.cfg.Stream, err)
	}
	if _, err := q.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        q.cfg.deadStream(),
		Description: "detente article jobs that failed, with their reasons",
		Subjects:    []string{q.cfg.DeadSubject()},
		Retention:   jetstream.LimitsPolicy,
		Storage:     jetstream.FileStorage,
	}); err != nil {
		return fmt.Errorf("queue: stream %s: %w", q.cfg.deadStream(), err)
	}
	if _, err := q.jobs.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{
		Durable:       consumerName,
		Description:   "detente workers",
		FilterSubject: q.cfg.JobSubject(),
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       q.cfg.AckWait,
		// The server redelivers without limit; the worker dead-letters a
		// job on its MaxDeliver-th delivery. A server-side limit would
		// strand a job whose last delivery was lost (a worker killed, a
		// lost Nak or Term): it would stay in the work-queue stream,
		// never delivered again and never dead-lettered.
		MaxDeliver: -1,
		// Back-pressure across all workers: at most this many jobs are
		// out at once, however many workers pull.
		MaxAckPending: 4096,
	}); err != nil {
		return fmt.Errorf("queue: consumer: %w", err)
	}
	return nil
}

// Config returns the queue's configuration.
func (q *Queue) Config() Config { return q.cfg }

// Close closes the connection, flushing what was published.
func (q *Queue) Close() error {
	if q.nc == nil {
		return nil
	}
	err := q.nc.Drain()
	if errors.Is(err, nats.ErrConnectionClosed) {
		err = nil
	}
	return err
}

// Pending is how many jobs wait in the stream (delivered but not yet
// acknowledged ones included).
func (q *Queue) Pending(ctx context.Context) (uint64, error) {
	info, err := q.jobs.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("queue: stream info: %w", err)
	}
	return info.State.Msgs, nil
}

// DeadLetters returns the dead-lettered jobs' reasons by article ID.
func (q *Queue) DeadLetters(ctx context.Context) (map[string]string, error) {
	s, err := q.js.Stream(ctx, q.cfg.deadStream())
	if err != nil {
		return nil, fmt.Errorf("queue: dead letters: %w", err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		return nil, fmt.Errorf("queue: dead letters: %w", err)
	}
	out := map[string]string{}
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("queue: dead letter %d: %w", seq, err)
		}
		out[m.Header.Get(HeaderArticle)] = m.Header.Get(HeaderReason)
	}
	return out, nil
}

// DeleteStreams removes the job and dead-letter streams; tests call it
// to leave the server as they found it.
func (q *Queue) DeleteStreams(ctx context.Context) error {
	for _, name := range []string{q.cfg.Stream, q.cfg.deadStream()} {
		if err := q.js.DeleteStream(ctx, name); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
			return err
		}
	}
	return nil
}

// Headers of a dead letter.
const (
	HeaderReason   = "Detente-Reason"
	HeaderArticle  = "Detente-Article"
	HeaderAttempts = "Detente-Deliveries"
)

// Job is one article to store: cleaned, identified and fingerprinted by
// the publisher, with its dedup decision.
type Job struct {
	// Seq is the article's position in the publisher's input, larger in
	// later runs: workers store a batch in this order so an original
	// precedes its copies, and pass it to the store so events keep their
	// first report in input order.
	Seq         int64               `json:"seq"`
	Origin      string              `json:"origin,omitempty"`
	Article     *detente.Article    `json:"article"`
	Fingerprint detente.Fingerprint `json:"fingerprint"`
	Duplicate   *detente.Duplicate  `json:"duplicate,omitempty"`
}
