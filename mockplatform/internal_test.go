package mockplatform

import (
	"encoding/json"
	"errors"
	"github.com/chathook/chathook/releases"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestTamper(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"content":"hi"}`, `{"content":"ii"}`},
		{`{"a":"\u003c!","b":"z"}`, `{"a":"\u003c!","b":"y"}`},
		{`{"a":"\n9"}`, `{"a":"\n8"}`},
		{`{"key":1}`, `{"key":2}`},
		{`{"n":[9,0]}`, `{"n":[8,0]}`},
		{`{"s":"","n":0.5}`, `{"s":"","n":1.5}`},
		{`{"k" : "Z"}`, `{"k" : "Y"}`},
	}
	for _, tt := range tests {
		got, ok := tamper([]byte(tt.in))
		if !ok || string(got) != tt.want || !json.Valid(got) {
			t.Errorf("tamper(%s) = %s, %v; want %s", tt.in, got, ok, tt.want)
		}
	}
	for _, in := range []string{`{}`, `{"a":true,"b":null}`, `{"k":"!?"}`} {
		if got, ok := tamper([]byte(in)); ok {
			t.Errorf("tamper(%s) = %s; want nothing to change", in, got)
		}
	}
}

func TestConfigVersion(t *testing.T) {
	for in, want := range map[string]string{"latest": "4.16.2", "": "4.16.2", "4": "4.16.2", "4.14": "4.14.2", "v4.11.2": "4.11.2", "2": "2.18.0"} {
		p, err := New(Config{Version: in})
		if err != nil || p.Release().Version() != want {
			t.Errorf("Version %q: release %v, %v; want %s", in, p, err, want)
		}
	}
	for _, in := range []string{"x", "4.", "4.-1", "4.+1", "1.2.3.4", "4.x", "4.17", "1.17.0"} {
		if _, err := New(Config{Version: in}); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("Version %q: err %v; want ErrInvalidConfig", in, err)
		}
	}
}

func TestLimitsFollowTheRelease(t *testing.T) {
	r := releases.MustLookup("4.10")
	cfg := NewConfig().withDefaults()
	l := limitsFor(cfg, r)
	if l.dial != 5*time.Second || l.header != 5*time.Second || l.idle != 5*time.Second || l.hop != 70*time.Second {
		t.Errorf("release limits = %+v; want 5 s open, 5 s read", l)
	}
	cfg.Timeout = 2 * time.Second
	if l := limitsFor(cfg, r); l.dial != 2*time.Second || l.hop != 2*time.Second || l.header != 0 || l.idle != 0 {
		t.Errorf("explicit Timeout limits = %+v", l)
	}
}

// A body that trickles stays within the read timeout as long as each read
// does, however long the whole takes; a read that waits longer ends it.
func TestIdleBodyTimeout(t *testing.T) {
	tests := []struct {
		name    string
		pause   time.Duration
		wantErr bool
	}{
		{"each read in time", 5 * time.Millisecond, false},
		{"a read too slow", 300 * time.Millisecond, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(200)
				for i := 0; i < 10; i++ {
					_, _ = w.Write([]byte("x"))
					w.(http.Flusher).Flush()
					select {
					case <-time.After(tt.pause):
					case <-r.Context().Done():
						return
					}
				}
			}))
			defer srv.Close()
			p, err := New(Config{})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			p.limits.idle = 100 * time.Millisecond
			d, err := p.Deliver(t.Context(), srv.URL, []byte(`{}`))
			if err != nil {
				t.Fatal(err)
			}
			if got := d.Err != nil; got != tt.wantErr {
				t.Fatalf("Err = %v; want error %v", d.Err, tt.wantErr)
			}
			if tt.wantErr && CauseOf(d.Err) != CauseTimeout {
				t.Errorf("cause = %s; want timeout", CauseOf(d.Err))
			}
		})
	}
}
