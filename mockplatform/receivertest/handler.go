package receivertest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"mime"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/chathook/chathook/mockplatform"
)

// busyWork is how long the no-concurrency variant holds its lock per request.
const busyWork = 25 * time.Millisecond

// NewHandler returns the receiver cfg describes. It fails, with an error
// wrapping ErrInvalidConfig that lists the valid names, on an unknown
// platform, variant or token placement, or a variant that does not apply to
// the platform.
func NewHandler(cfg Config) (http.Handler, error) {
	r, err := newReceiver(cfg)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// NewServer starts the receiver cfg describes on a loopback port
// (127.0.0.1:0) and returns it; the caller must Close it. Its error log is
// discarded.
func NewServer(cfg Config) (*httptest.Server, error) {
	h, err := NewHandler(cfg)
	if err != nil {
		return nil, err
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	return srv, nil
}

// receiver is the handler of every variant: the correct receiver, with the
// defect of cfg.Variant switched on where it applies.
type receiver struct {
	cfg    Config // defaulted and validated
	defect string // cfg.Variant; Correct for none
	seen   *seenSet

	// busy is held by the no-concurrency variant while it handles a
	// request.
	busy sync.Mutex
	// work simulates the no-concurrency variant's processing while it holds
	// busy; tests replace it to make overlaps deterministic.
	work func(ctx context.Context)
}

func newReceiver(cfg Config) (*receiver, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return &receiver{
		cfg:    cfg,
		defect: cfg.Variant,
		seen:   newSeenSet(seenCapacity),
		work:   func(ctx context.Context) { sleep(ctx, busyWork) },
	}, nil
}

// has reports whether the receiver has the defect of variant name.
func (h *receiver) has(name string) bool { return h.defect == name }

// failure is a request the receiver refuses, with its status.
type failure struct {
	status int
	msg    string
}

func (f *failure) Error() string { return f.msg }

// errGaveUp answers a request whose client went away while the slow-ack
// variant stalled; nobody reads it.
var errGaveUp = &failure{status: http.StatusServiceUnavailable, msg: "gave up: the request was canceled"}

func fail(status int, format string, a ...any) *failure {
	return &failure{status: status, msg: fmt.Sprintf(format, a...)}
}

// ServeHTTP checks what every delivery shares (method, content type, size),
// then hands the body to the platform's receiver.
func (h *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// A crash in the business logic (the crash-* variants' defects) becomes
	// a 500, as a web framework answers an uncaught exception.
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			writeJSON(w, http.StatusInternalServerError, map[string]any{"error": fmt.Sprintf("internal error: %v", p)})
		}
	}()
	if h.has(NoConcurrency) {
		if !h.busy.TryLock() {
			writeError(w, fail(http.StatusServiceUnavailable, "busy: another delivery is being processed"))
			return
		}
		// Unlock when the work is done, before the answer is written: a
		// client that sends its next delivery as soon as it reads this
		// answer must not find the receiver still busy.
		h.work(r.Context())
		h.busy.Unlock()
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, fail(http.StatusMethodNotAllowed, "method %s not allowed: use POST", r.Method))
		return
	}
	if !isJSON(r.Header.Get("Content-Type")) {
		if h.has(Malformed500) {
			writeError(w, fail(http.StatusInternalServerError, "cannot handle content type %q", r.Header.Get("Content-Type")))
			return
		}
		writeError(w, fail(http.StatusUnsupportedMediaType, "content type %q: want application/json", r.Header.Get("Content-Type")))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			writeError(w, fail(http.StatusRequestEntityTooLarge, "body larger than %d bytes", MaxBody))
			return
		}
		writeError(w, fail(http.StatusBadRequest, "reading the body: %v", err))
		return
	}
	var res any
	if h.cfg.Platform == mockplatform.PlatformSwiftsell {
		res, err = h.serveSwiftsell(r, body)
	} else {
		res, err = h.serveChatwoot(r, body)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	switch v := res.(type) {
	case []byte: // a raw reply (wrong-handshake-reply)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(v)
	default:
		writeJSON(w, http.StatusOK, v)
	}
}

// isJSON accepts application/json with any parameters.
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/json"
}

func writeError(w http.ResponseWriter, err error) {
	f, ok := errors.AsType[*failure](err)
	if !ok {
		f = &failure{status: http.StatusInternalServerError, msg: err.Error()}
	}
	writeJSON(w, f.status, map[string]any{"error": f.msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"encoding the reply"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// ack is the reply to an accepted delivery; dup marks a duplicate.
func ack(dup bool) map[string]any {
	if dup {
		return map[string]any{"ok": true, "duplicate": true}
	}
	return map[string]any{"ok": true}
}

// decodeObject parses body as exactly one JSON object, numbers as
// json.Number.
func decodeObject(body []byte) (map[string]any, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, fail(http.StatusBadRequest, "empty body")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fail(http.StatusBadRequest, "body is not JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fail(http.StatusBadRequest, "body is not JSON: data after the top-level value")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fail(http.StatusBadRequest, "body is not a JSON object")
	}
	return obj, nil
}

// sleep waits d or until ctx ends, and reports whether it waited d.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// Safe accessors for decoded JSON: the absent and the null read as zero.

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }
func arr(v any) []any          { a, _ := v.([]any); return a }
func str(v any) string         { s, _ := v.(string); return s }
