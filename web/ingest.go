package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/detente/detente"
	"github.com/detente/detente/clean"
	"github.com/detente/detente/ingest"
	"github.com/detente/detente/pipeline"
)

// upload is one input of an ingest request: a file's bytes for the
// readers, or an article typed into the form.
type upload struct {
	Name    string
	Data    []byte
	Article *detente.Article
}

// ingestTimeout bounds a background ingest job.
const ingestTimeout = 30 * time.Minute

func readOptions(format, source, published string) (ingest.Options, error) {
	switch format {
	case "", "auto":
		format = ""
	case ingest.FormatPagetext, ingest.FormatJSONL, ingest.FormatHTML, ingest.FormatFeed, ingest.FormatWARC:
	default:
		return ingest.Options{}, invalid("format %q: want pagetext, jsonl, html, feed or warc (or nothing to detect it)", format)
	}
	if published != "" {
		d, err := clean.Date(published)
		if err != nil {
			return ingest.Options{}, invalid("published %q is not a date: %v", published, err)
		}
		published = d
	}
	// Uploads may not point the feed reader at the server's files.
	return ingest.Options{Format: format, Source: source, Published: published}, nil
}

func readBody(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, invalid("the request body is empty: send an article file (page text, JSON Lines, HTML, RSS/Atom or WARC)")
	}
	return data, nil
}

// runIngest reads the uploads and stores what they hold through the
// pipeline, one run at a time.
func (s *Server) runIngest(ctx context.Context, uploads []upload, opts ingest.Options, progress func(pipeline.Summary)) (pipeline.Summary, error) {
	s.ingestMu.Lock()
	defer s.ingestMu.Unlock()
	in := make(chan pipeline.Input, 16)
	go func() {
		defer close(in)
		send := func(x pipeline.Input) bool {
			select {
			case in <- x:
				return true
			case <-ctx.Done():
				return false
			}
		}
		for _, u := range uploads {
			if u.Article != nil {
				if !send(pipeline.Input{Article: u.Article}) {
					return
				}
				continue
			}
			if !s.readUpload(u, opts, send) {
				return
			}
		}
	}()
	sum, err := s.cfg.Ingest(ctx, in, progress)
	// Drain what the reader still sends if the pipeline stopped early.
	for range in {
	}
	s.metrics.countIngest(sum.New, sum.Duplicate+sum.NearDuplicate, sum.Unchanged, sum.Failed)
	s.forgetSummary()
	return sum, err
}

// readUpload sends the articles of one uploaded file, false when the
// run stopped. A reader that panics on hostile input fails this upload
// only, not the others nor the server (the reading goroutine is beyond
// recoverPanics).
func (s *Server) readUpload(u upload, opts ingest.Options, send func(pipeline.Input) bool) (more bool) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("web: reader panic", "input", u.Name, "panic", v, "stack", string(debug.Stack()))
			more = send(pipeline.Input{Err: &ingest.RecordError{Origin: u.Name, Err: errors.New("internal error while reading this input")}})
		}
	}()
	rd, err := ingest.NewReader(bytes.NewReader(u.Data), u.Name, opts)
	if err != nil {
		return send(pipeline.Input{Err: err})
	}
	for {
		a, err := rd.Next()
		if err == io.EOF {
			return true
		}
		var re *ingest.RecordError
		if err != nil && !errors.As(err, &re) {
			// The rest of this input cannot be read.
			return send(pipeline.Input{Err: &ingest.RecordError{Origin: u.Name, Err: err}})
		}
		if !send(pipeline.Input{Article: a, Err: err}) {
			return false
		}
	}
}

// job is an ingest started from the form, followed on its own page.
type job struct {
	ID      string           `json:"id"`
	Started time.Time        `json:"started"`
	Inputs  []string         `json:"inputs"`
	Done    bool             `json:"done"`
	Summary pipeline.Summary `json:"summary"`
	Error   string           `json:"error,omitempty"`
	Took    string           `json:"took,omitempty"`
}

// jobs keeps the latest ingest jobs in memory.
type jobs struct {
	mu    sync.Mutex
	byID  map[string]*job
	order []string
	keep  int
}

func newJobs(keep int) *jobs { return &jobs{byID: map[string]*job{}, keep: keep} }

func (js *jobs) add(inputs []string) *job {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	j := &job{ID: hex.EncodeToString(b), Started: time.Now().UTC(), Inputs: inputs}
	js.mu.Lock()
	defer js.mu.Unlock()
	js.byID[j.ID] = j
	js.order = append(js.order, j.ID)
	if len(js.order) > js.keep {
		delete(js.byID, js.order[0])
		js.order = js.order[1:]
	}
	return j
}

// get returns a copy of a job, safe to read while it runs.
func (js *jobs) get(id string) (job, bool) {
	js.mu.Lock()
	defer js.mu.Unlock()
	j, ok := js.byID[id]
	if !ok {
		return job{}, false
	}
	c := *j
	c.Summary.Failures = append([]pipeline.Failure(nil), j.Summary.Failures...)
	return c, true
}

func (js *jobs) update(id string, fn func(*job)) {
	js.mu.Lock()
	defer js.mu.Unlock()
	if j, ok := js.byID[id]; ok {
		fn(j)
	}
}

type ingestView struct {
	NeedToken bool
	Enabled   bool
	Formats   []string
	MaxMB     int64
}

func (ingestView) pageTitle() (string, string) { return "Ingest", "ingest" }

func (s *Server) ingestPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "ingest", ingestView{NeedToken: s.access(r) < accessWrite, Enabled: s.cfg.Ingest != nil,
		Formats: []string{ingest.FormatPagetext, ingest.FormatJSONL, ingest.FormatHTML, ingest.FormatFeed, ingest.FormatWARC},
		MaxMB:   s.cfg.MaxUploadBytes >> 20})
}

// ingestPost takes the form's files and pasted article, starts a job and
// sends the browser to its page.
func (s *Server) ingestPost(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Ingest == nil {
		s.fail(w, r, &statusError{status: http.StatusServiceUnavailable, msg: "ingest is not enabled on this server"})
		return
	}
	// A session with write access (or an open server) passes; otherwise
	// the form's token field must hold the write token, and it must come
	// before the files (the form puts it first) so that no upload is read
	// from a caller who may not ingest.
	f, err := s.readIngestForm(r, s.access(r) >= accessWrite)
	if err != nil {
		var mbe *http.MaxBytesError
		var se *statusError
		switch {
		case errors.As(err, &se) && se.status == http.StatusUnauthorized:
			s.metrics.authFailures.Inc()
			s.log.Warn("web: ingest form refused", "client", s.clientAddr(r))
		case errors.As(err, &mbe) || errors.As(err, &se):
		default:
			err = invalid("the form could not be read: %v", err)
		}
		s.fail(w, r, err)
		return
	}
	opts, err := readOptions(f.fields["format"], strings.TrimSpace(f.fields["source"]), strings.TrimSpace(f.fields["published"]))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	uploads := f.files
	var names []string
	for _, u := range uploads {
		names = append(names, u.Name)
	}
	if body := strings.TrimSpace(f.fields["body"]); body != "" {
		a := &detente.Article{
			Title:     strings.TrimSpace(f.fields["title"]),
			Source:    opts.Source,
			URL:       strings.TrimSpace(f.fields["url"]),
			Published: opts.Published,
			Body:      body,
			Tags:      []string{},
			Origin:    "pasted article",
		}
		uploads = append(uploads, upload{Name: "pasted article", Article: a})
		names = append(names, "pasted article")
	}
	if len(uploads) == 0 {
		s.fail(w, r, invalid("choose a file or paste an article"))
		return
	}
	j := s.jobs.add(names)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), ingestTimeout)
		defer cancel()
		start := time.Now()
		var sum pipeline.Summary
		err := s.guard(func() (err error) {
			sum, err = s.runIngest(ctx, uploads, opts, func(sum pipeline.Summary) {
				s.jobs.update(j.ID, func(j *job) { j.Summary = sum })
			})
			return err
		})
		s.jobs.update(j.ID, func(j *job) {
			j.Summary, j.Done, j.Took = sum, true, time.Since(start).Round(time.Millisecond).String()
			if err != nil {
				s.log.Error("web: ingest job", "job", j.ID, "err", err)
				_, j.Error = errorStatus(err)
			}
		})
	}()
	http.Redirect(w, r, "/ingest/jobs/"+j.ID, http.StatusSeeOther)
}

// ingestFormData is what an ingest form sent: its text fields and files.
type ingestFormData struct {
	fields map[string]string
	files  []upload
}

// ingestFields are the form's text fields; others are ignored.
var ingestFields = map[string]bool{"token": true, "format": true, "source": true, "published": true,
	"title": true, "url": true, "body": true}

// readIngestForm streams an ingest form part by part (the request body is
// already bounded by the upload limit). Until the caller has shown write
// access, a file part is refused before any of it is read; a form that
// never shows it is refused at its end.
func (s *Server) readIngestForm(r *http.Request, authorized bool) (ingestFormData, error) {
	unauthorized := func(msg string) error {
		return &statusError{status: http.StatusUnauthorized, msg: msg}
	}
	f := ingestFormData{fields: map[string]string{}}
	mr, err := r.MultipartReader()
	if err != nil {
		return f, err
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return f, err
		}
		name := p.FormName()
		switch {
		case name == "files" && p.FileName() != "":
			if !authorized { // not closed: closing would read the part to its end
				return f, unauthorized("the access token is missing or wrong (it must come before the files in the form)")
			}
			data, err := io.ReadAll(p)
			if err != nil {
				return f, err
			}
			f.files = append(f.files, upload{Name: p.FileName(), Data: data})
		case ingestFields[name]:
			v, err := io.ReadAll(p)
			if err != nil {
				return f, err
			}
			f.fields[name] = string(v)
			if name == "token" && s.tokenAccess(string(v)) >= accessWrite {
				authorized = true
			}
		}
		p.Close()
	}
	if !authorized {
		return f, unauthorized("the access token is missing or wrong")
	}
	return f, nil
}

type jobView struct{ Job job }

func (v jobView) pageTitle() (string, string) { return "Ingest job", "ingest" }

// Refresh asks the browser to reload the page while the job runs.
func (v jobView) Refresh() bool { return !v.Job.Done }

func (s *Server) jobPage(w http.ResponseWriter, r *http.Request) {
	j, ok := s.jobs.get(r.PathValue("id"))
	if !ok {
		s.fail(w, r, detente.Errorf(detente.ENOTFOUND, "no such ingest job (jobs are kept in memory until the server restarts)"))
		return
	}
	s.render(w, r, http.StatusOK, "job", jobView{Job: j})
}

func (s *Server) apiJob(w http.ResponseWriter, r *http.Request) {
	j, ok := s.jobs.get(r.PathValue("id"))
	if !ok {
		s.fail(w, r, detente.Errorf(detente.ENOTFOUND, "no such ingest job"))
		return
	}
	writeJSON(w, http.StatusOK, j)
}
