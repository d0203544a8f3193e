package mockplatform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// APICall is one recorded call to the API server.
type APICall struct {
	Seq       int           `json:"seq"`
	Time      time.Time     `json:"time"`
	Method    string        `json:"method"`
	Path      string        `json:"path"`
	Query     string        `json:"query,omitempty"`
	Endpoint  string        `json:"endpoint,omitempty"`  // "conversations/messages#create"; "" for an unknown route
	Principal string        `json:"principal,omitempty"` // "User 1", "AgentBot 2"; "" when not authenticated
	Request   string        `json:"request,omitempty"`   // request body, capped at APIConfig.RecordBody
	Status    int           `json:"status"`
	Response  string        `json:"response,omitempty"` // response body, capped
	Fault     bool          `json:"fault,omitempty"`    // answered by an injected fault
	Duration  time.Duration `json:"duration"`
}

// apiFault answers the next n calls with status.
type apiFault struct {
	status int
	n      int
}

// FailNext makes the next n calls (of any endpoint, before authentication)
// fail with status and the body Chatwoot sends with it: 401 {"error":"Invalid
// Access Token"}, 404 {"error":"Resource could not be found"}, 422
// {"error":"Validation failed: Too many messages"}, 429 "Retry later\n"
// (text/plain, Rack::Attack's throttle answer), 500
// {"status":500,"error":"Internal Server Error"}. Other statuses get
// {"status":N,"error":"<status text>"}.
func (s *APIServer) FailNext(status, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, apiFault{status, n})
}

func faultBody(status int) (string, []byte) {
	switch status {
	case 401:
		return "application/json", []byte(`{"error":"Invalid Access Token"}`)
	case 404:
		return "application/json", []byte(`{"error":"Resource could not be found"}`)
	case 422:
		return "application/json", []byte(`{"error":"Validation failed: Too many messages"}`)
	case 429:
		return "text/plain", []byte("Retry later\n")
	}
	return "application/json", railsErrorBody(status)
}

// railsErrorBody is ActionDispatch::PublicExceptions' JSON answer.
func railsErrorBody(status int) []byte {
	b, _ := json.Marshal(jo{{"status", status}, {"error", http.StatusText(status)}})
	return b
}

// apiRequest is one call being handled.
type apiRequest struct {
	s        *APIServer
	seq      int // the call's APICall.Seq
	r        *http.Request
	segs     []string // path segments after /api/v1
	params   map[string]any
	rawBody  []byte
	user     *APIAgent
	bot      *APIBot
	endpoint string

	status int
	ctype  string
	body   []byte
}

func (q *apiRequest) json(status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		q.status, q.ctype, q.body = 500, "application/json", railsErrorBody(500)
		return
	}
	q.status, q.ctype, q.body = status, "application/json; charset=utf-8", b
}

func (q *apiRequest) errorJSON(status int, msg string) { q.json(status, jo{{"error", msg}}) }

// head is Rails' head :ok: an empty body.
func (q *apiRequest) head(status int) { q.status, q.ctype, q.body = status, "", nil }

// ServeHTTP handles one API call and records it.
func (s *APIServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.busy(1)
	defer s.busy(-1)
	start := s.cfg.Now()
	q := &apiRequest{s: s, r: r}
	fault := false
	// The call takes its place in the transcript when it arrives, so the
	// events it causes follow it; its outcome is filled in at the end.
	s.mu.Lock()
	gen := s.gen
	q.seq = len(s.calls) + 1
	s.calls = append(s.calls, APICall{Seq: q.seq, Time: start, Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery})
	s.log = append(s.log, TranscriptEntry{Kind: "call", Time: start, Call: &APICall{Seq: q.seq}})
	logAt := len(s.log) - 1
	s.mu.Unlock()

	body, err := io.ReadAll(io.LimitReader(r.Body, s.cfg.MaxBody+1))
	switch {
	case err != nil:
		q.json(400, jo{{"status", 400}, {"error", "Bad Request"}})
	case int64(len(body)) > s.cfg.MaxBody:
		q.json(413, jo{{"status", 413}, {"error", "Payload Too Large"}})
	default:
		q.rawBody = body
		s.mu.Lock()
		if len(s.faults) > 0 {
			f := &s.faults[0]
			q.status = f.status
			q.ctype, q.body = faultBody(f.status)
			fault = true
			if f.n--; f.n <= 0 {
				s.faults = s.faults[1:]
			}
		}
		s.mu.Unlock()
		if !fault {
			q.handle()
		}
	}

	if q.ctype != "" {
		w.Header().Set("Content-Type", q.ctype)
	}
	w.WriteHeader(q.status)
	_, _ = w.Write(q.body)

	call := APICall{Seq: q.seq, Time: start, Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Endpoint: q.endpoint,
		Request: s.capBody(body), Status: q.status, Response: s.capBody(q.body), Fault: fault,
		Duration: s.cfg.Now().Sub(start)}
	switch {
	case q.user != nil:
		call.Principal = fmt.Sprintf("User %d", q.user.ID)
	case q.bot != nil:
		call.Principal = fmt.Sprintf("AgentBot %d", q.bot.ID)
	}
	s.mu.Lock()
	if s.gen == gen { // not Reset meanwhile
		s.calls[q.seq-1] = call
		c := call
		s.log[logAt].Call = &c
	}
	s.mu.Unlock()
}

func (s *APIServer) capBody(b []byte) string {
	n := s.cfg.RecordBody
	if n < 0 {
		return ""
	}
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

// parseParams merges the query string and the body as Rails does (the body
// wins): JSON objects, and form-encoded bodies with a[]= arrays and a[k]=
// hashes.
func (q *apiRequest) parseParams() error {
	p := map[string]any{}
	mergeForm(p, q.r.URL.Query())
	ct := q.r.Header.Get("Content-Type")
	body := bytes.TrimSpace(q.rawBody)
	switch {
	case len(body) == 0:
	case strings.Contains(ct, "json") || (ct == "" && (body[0] == '{' || body[0] == '[')):
		d := json.NewDecoder(bytes.NewReader(body))
		d.UseNumber()
		var v any
		if err := d.Decode(&v); err != nil {
			return err
		}
		if obj, ok := v.(map[string]any); ok {
			for k, x := range obj {
				p[k] = x
			}
		} else {
			p["_json"] = v
		}
	case strings.Contains(ct, "x-www-form-urlencoded"):
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			return err
		}
		mergeForm(p, vals)
	}
	q.params = p
	return nil
}

func mergeForm(p map[string]any, vals url.Values) {
	for k, vs := range vals {
		switch i := strings.IndexByte(k, '['); {
		case strings.HasSuffix(k, "[]"):
			name := k[:len(k)-2]
			arr, _ := p[name].([]any)
			for _, v := range vs {
				arr = append(arr, v)
			}
			p[name] = arr
		case i > 0 && strings.HasSuffix(k, "]"):
			name, sub := k[:i], k[i+1:len(k)-1]
			h, _ := p[name].(map[string]any)
			if h == nil {
				h = map[string]any{}
			}
			h[sub] = vs[len(vs)-1]
			p[name] = h
		default:
			p[k] = vs[len(vs)-1]
		}
	}
}

// param helpers, following Rails' loose typing.

func (q *apiRequest) has(k string) bool { _, ok := q.params[k]; return ok }

func (q *apiRequest) str(k string) (string, bool) {
	switch v := q.params[k].(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

// present is Rails' present?: not nil, not blank.
func (q *apiRequest) present(k string) bool {
	switch v := q.params[k].(type) {
	case nil:
		return false
	case string:
		return strings.TrimSpace(v) != ""
	case []any:
		return len(v) > 0
	case map[string]any:
		return len(v) > 0
	case bool:
		return v
	}
	return true
}

func (q *apiRequest) intParam(k string) (int, bool) {
	s, ok := q.str(k)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil
}

func (q *apiRequest) boolParam(k string) bool {
	switch v := q.params[k].(type) {
	case bool:
		return v
	case string:
		return v == "true" || v == "1"
	case json.Number:
		return v.String() == "1"
	}
	return false
}

func (q *apiRequest) hashParam(k string) (map[string]any, bool) {
	h, ok := q.params[k].(map[string]any)
	return normalizeNumbers(h).(map[string]any), ok && h != nil
}

// normalizeNumbers turns json.Numbers into int64 or float64 so state holds
// plain values.
func normalizeNumbers(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if v == nil {
			return map[string]any(nil)
		}
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = normalizeNumbers(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = normalizeNumbers(x)
		}
		return out
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return n
		}
		f, _ := v.Float64()
		return f
	}
	return v
}
