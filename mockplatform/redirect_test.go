package mockplatform_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chathook/chathook/mockplatform"
)

func TestDeliverFollowsRedirects(t *testing.T) {
	for _, code := range []int{301, 302, 303, 307, 308} {
		for _, relative := range []bool{false, true} {
			name := http.StatusText(code)
			if relative {
				name += " relative"
			}
			t.Run(name, func(t *testing.T) {
				var base string
				rc := newReceiver(t, func(_ int, w http.ResponseWriter, r *http.Request) {
					switch r.URL.Path {
					case "/old":
						loc := base + "/new?q=1"
						if relative {
							loc = "new?q=1"
						}
						w.Header().Set("Location", loc)
						w.WriteHeader(code)
					default:
						w.WriteHeader(204)
					}
				})
				base = rc.URL
				cfg := testConfig()
				cfg.Secret = testSecret
				cfg.Header = http.Header{"Authorization": {"Bearer same-origin"}}
				d := deliver(t, newPlatform(t, cfg), rc.URL+"/old", chatBody)
				if !d.OK() || d.Status != 204 {
					t.Fatalf("Status = %d, Err = %v; want 204", d.Status, d.Err)
				}
				reqs := rc.requests()
				if len(reqs) != 2 {
					t.Fatalf("receiver got %d requests; want 2", len(reqs))
				}
				first, second := reqs[0], reqs[1]
				if second.Method != http.MethodPost || second.URL != "/new?q=1" || !bytes.Equal(second.Body, chatBody) {
					t.Errorf("redirected request = %s %s %q; want POST /new?q=1 with the same body", second.Method, second.URL, second.Body)
				}
				for _, k := range []string{"X-Chatwoot-Signature", "X-Chatwoot-Timestamp", "X-Chatwoot-Delivery", "Content-Type", "Accept", "User-Agent", "Authorization"} {
					if first.Header.Get(k) == "" || first.Header.Get(k) != second.Header.Get(k) {
						t.Errorf("header %s: first %q, redirected %q; want the same, non-empty", k, first.Header.Get(k), second.Header.Get(k))
					}
				}
				hops := d.Last().Hops
				if len(hops) != 1 || hops[0].Status != code || hops[0].Location != rc.URL+"/new?q=1" {
					t.Errorf("Hops = %+v; want one %d to %s/new?q=1", hops, code, rc.URL)
				}
			})
		}
	}
}

func TestDeliverRedirectCrossOriginStripsCredentials(t *testing.T) {
	other := newReceiver(t, nil)
	rc := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Location", other.URL+"/there")
		w.WriteHeader(307)
	})
	cfg := testConfig()
	cfg.Secret = testSecret
	cfg.Header = http.Header{"Authorization": {"Bearer x"}, "Cookie": {"s=1"}}
	d := deliver(t, newPlatform(t, cfg), rc.URL, chatBody)
	if !d.OK() {
		t.Fatalf("Status = %d, Err = %v; want 200", d.Status, d.Err)
	}
	h := other.requests()[0].Header
	if h.Get("Authorization") != "" || h.Get("Cookie") != "" {
		t.Errorf("cross-origin hop kept Authorization %q / Cookie %q; want them stripped", h.Get("Authorization"), h.Get("Cookie"))
	}
	if h.Get("X-Chatwoot-Signature") == "" || h.Get("X-Chatwoot-Delivery") == "" {
		t.Errorf("cross-origin hop lost the X-Chatwoot headers")
	}
}

func TestDeliverRedirectLimits(t *testing.T) {
	loop := func(_ int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", r.URL.Path)
		w.WriteHeader(302)
	}
	tests := []struct {
		name         string
		version      string
		maxRedirects int
		wantRequests int
		wantCause    mockplatform.Cause
		wantStatus   int
	}{
		{"default limit", "", 0, 11, mockplatform.CauseTooManyRedirects, 302},
		{"limit 3", "", 3, 4, mockplatform.CauseTooManyRedirects, 302},
		{"never follow", "", -1, 1, "", 302},
		{"rest-client does not follow", "4.13", 0, 1, "", 302},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := newReceiver(t, loop)
			cfg := testConfig()
			cfg.Version, cfg.MaxRedirects = tt.version, tt.maxRedirects
			d := deliver(t, newPlatform(t, cfg), rc.URL+"/loop", chatBody)
			if n := len(rc.requests()); n != tt.wantRequests {
				t.Errorf("requests = %d; want %d", n, tt.wantRequests)
			}
			if c := mockplatform.CauseOf(d.Err); c != tt.wantCause || d.Status != tt.wantStatus || d.OK() {
				t.Errorf("cause = %q, Status = %d, OK = %v; want %q, %d, false", c, d.Status, d.OK(), tt.wantCause, tt.wantStatus)
			}
		})
	}
}

func TestDeliverRedirectBadLocation(t *testing.T) {
	rc := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Location", "ftp://example.com/x")
		w.WriteHeader(301)
	})
	d := deliver(t, newPlatform(t, testConfig()), rc.URL, chatBody)
	if mockplatform.CauseOf(d.Err) != mockplatform.CauseOther || !strings.Contains(d.Err.Error(), "unsupported scheme") {
		t.Errorf("Err = %v; want cause other, unsupported scheme", d.Err)
	}
}

func TestDeliverRedirectTimeoutPerHop(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/start" {
			http.Redirect(w, r, "/hang", 307)
			return
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	cfg := testConfig()
	cfg.Timeout = 500 * time.Millisecond
	d := deliver(t, newPlatform(t, cfg), srv.URL+"/start", chatBody)
	if mockplatform.CauseOf(d.Err) != mockplatform.CauseTimeout || len(d.Last().Hops) != 1 {
		t.Errorf("Err = %v, hops = %d; want timeout after 1 hop", d.Err, len(d.Last().Hops))
	}
}
