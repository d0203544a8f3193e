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

// Up to 4.13 Chatwoot posts with RestClient 2.1: a POST answered 301, 302,
// 307 or 308 is not followed (the 3xx is the answer, and Chatwoot logs a
// failure), and a 303 is followed with a GET without a body whose answer
// decides; the GET itself follows 301, 302, 303 and 307 but not 308.
func TestDeliverRestClientRedirects(t *testing.T) {
	tests := []struct {
		name       string
		first      int   // answer to the POST
		then       []int // answers to the following GETs, 0 = 204
		wantStatus int
		wantReqs   []string // method and path of each request the receiver got
	}{
		{"301 not followed", 301, nil, 301, []string{"POST /a"}},
		{"302 not followed", 302, nil, 302, []string{"POST /a"}},
		{"307 not followed", 307, nil, 307, []string{"POST /a"}},
		{"308 not followed", 308, nil, 308, []string{"POST /a"}},
		{"303 becomes a GET", 303, []int{0}, 204, []string{"POST /a", "GET /b"}},
		{"303 then 302 as GET", 303, []int{302, 0}, 204, []string{"POST /a", "GET /b", "GET /b"}},
		{"303 then 308 is final", 303, []int{308}, 308, []string{"POST /a", "GET /b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var gets int
			rc := newReceiver(t, func(_ int, w http.ResponseWriter, r *http.Request) {
				code := tt.first
				if r.Method == http.MethodGet {
					code = 0
					if gets < len(tt.then) {
						code = tt.then[gets]
					}
					gets++
				}
				if code == 0 {
					w.WriteHeader(204)
					return
				}
				w.Header().Set("Location", "/b")
				w.WriteHeader(code)
			})
			cfg := testConfig()
			cfg.Version, cfg.Secret = "4.13", testSecret
			d := deliver(t, newPlatform(t, cfg), rc.URL+"/a", chatBody)
			if d.Status != tt.wantStatus || d.Err != nil {
				t.Fatalf("Status = %d, Err = %v; want %d", d.Status, d.Err, tt.wantStatus)
			}
			reqs := rc.requests()
			var got []string
			for _, r := range reqs {
				got = append(got, r.Method+" "+r.URL)
			}
			if strings.Join(got, ", ") != strings.Join(tt.wantReqs, ", ") {
				t.Fatalf("requests = %v; want %v", got, tt.wantReqs)
			}
			for _, r := range reqs[1:] {
				if len(r.Body) != 0 || r.Header.Get("Content-Length") != "" {
					t.Errorf("GET carried a body (%d bytes, Content-Length %q)", len(r.Body), r.Header.Get("Content-Length"))
				}
				for _, k := range []string{"X-Chatwoot-Signature", "X-Chatwoot-Delivery", "User-Agent", "Content-Type"} {
					if r.Header.Get(k) != reqs[0].Header.Get(k) {
						t.Errorf("GET header %s = %q; want the POST's %q", k, r.Header.Get(k), reqs[0].Header.Get(k))
					}
				}
			}
			if hops := d.Last().Hops; len(hops) != len(reqs)-1 || (len(hops) > 0 && hops[0].Method != http.MethodGet) {
				t.Errorf("Hops = %+v", hops)
			}
		})
	}
}

// TestRedirectDropsPlatformCredentials: on a redirect to another origin the
// Swiftsell token header is dropped as Authorization is; a token in the body
// is never carried to another origin (the redirect is not followed); the
// same origin keeps both.
func TestRedirectDropsPlatformCredentials(t *testing.T) {
	other := newReceiver(t, status(200))
	for _, tc := range []struct {
		placement string
		sameHost  bool
		wantOther int // requests the other origin gets
	}{
		{mockplatform.TokenInHeader, false, 1},
		{mockplatform.TokenInBody, false, 0},
		{mockplatform.TokenInHeader, true, 0},
	} {
		t.Run(tc.placement, func(t *testing.T) {
			var first *receiver
			first = newReceiver(t, func(_ int, w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/moved" {
					w.WriteHeader(200)
					return
				}
				loc := other.URL + "/elsewhere"
				if tc.sameHost {
					loc = first.URL + "/moved"
				}
				w.Header().Set("Location", loc)
				w.WriteHeader(307)
			})
			before := len(other.requests())
			cfg := swiftConfig(tc.placement)
			p := newPlatform(t, cfg)
			d, err := p.Deliver(t.Context(), first.URL+"/hook", []byte(`{"events":[`+rawEvents[0]+`]}`))
			if err != nil {
				t.Fatal(err)
			}
			got := other.requests()[before:]
			if len(got) != tc.wantOther {
				t.Fatalf("the other origin got %d requests; want %d (delivery %d %v)", len(got), tc.wantOther, d.Status, d.Err)
			}
			for _, r := range got {
				if r.Header.Get(cfg.TokenHeader) != "" || bytes.Contains(r.Body, []byte(cfg.Token)) {
					t.Errorf("the token reached another origin: %v %s", r.Header, r.Body)
				}
			}
			if tc.placement == mockplatform.TokenInBody && (d.Err == nil || !strings.Contains(d.Err.Error(), "not followed")) {
				t.Errorf("body token: error %v; want the redirect not followed", d.Err)
			}
			if tc.sameHost {
				reqs := first.requests()
				if last := reqs[len(reqs)-1]; last.URL != "/moved" || last.Header.Get(cfg.TokenHeader) != cfg.Token {
					t.Errorf("same origin: %s with token %q", last.URL, last.Header.Get(cfg.TokenHeader))
				}
			}
		})
	}
}

// TestDeliveryErrorsHideCredentials: a target that cannot be reached is
// named without the token or secret, wherever in the URL they are.
func TestDeliveryErrorsHideCredentials(t *testing.T) {
	cfg := swiftConfig(mockplatform.TokenInQuery)
	cfg.Timeout = time.Second
	p := newPlatform(t, cfg)
	d, err := p.Deliver(t.Context(), "http://127.0.0.1:1/hook?api_key=k3y-value-long&x=1", []byte(`{"events":[`+rawEvents[0]+`]}`))
	if err != nil {
		t.Fatal(err)
	}
	msg := d.Err.Error()
	if d.Err == nil || strings.Contains(msg, cfg.Token) || strings.Contains(msg, "k3y-value-long") {
		t.Fatalf("error shows a credential: %v", d.Err)
	}
}
