package mockplatform_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/chathook/chathook/mockplatform"
)

const testSecret = "ZxV8mN4qRt7Ws2Lp9Kd3Hj6B"

var (
	uuidV4     = regexp.MustCompile(`\A[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\z`)
	chatBody   = []byte(`{"account":{"id":1,"name":"Acme"},"content":"\u003cb\u003ehi\u003c/b\u003e Привет 👋","id":42,"event":"message_created"}`)
	restClient = "rest-client/2.1.0 (linux-musl x86_64) ruby/3.4.4p34" // 4.3.0 to 4.13.0
)

func TestDeliverChatwootHeaders(t *testing.T) {
	tests := []struct {
		name      string
		receiver  string
		version   string
		secret    string
		wantUA    string
		wantID    bool // X-Chatwoot-Delivery sent
		wantSig   bool
		wantNames []string // the complete header set besides Content-Length
	}{
		{"latest account signed", mockplatform.ReceiverAccount, "latest", testSecret, "Ruby", true, true, nil},
		{"4.16 api inbox signed", mockplatform.ReceiverAPIInbox, "4.16", testSecret, "Ruby", true, true, nil},
		{"4.14 agent bot signed", mockplatform.ReceiverAgentBot, "4.14", testSecret, "Ruby", true, true, nil},
		{"latest account unsigned", mockplatform.ReceiverAccount, "", "", "Ruby", true, false, nil},
		{"4.13 api inbox signed, rest-client", mockplatform.ReceiverAPIInbox, "4.13", testSecret, restClient, true, true, nil},
		{"4.12 account signed, rest-client", mockplatform.ReceiverAccount, "4.12", testSecret, restClient, true, true, nil},
		{"4.12.0 account signed", mockplatform.ReceiverAccount, "4.12.0", testSecret, restClient, true, true, nil},
		{"4.11.2 account: not yet", mockplatform.ReceiverAccount, "4.11.2", testSecret, restClient, false, false, nil},
		{"4.11.1 account: not yet", mockplatform.ReceiverAccount, "4.11.1", testSecret, restClient, false, false, nil},
		{"4.12 api inbox: delivery id, unsigned", mockplatform.ReceiverAPIInbox, "4.12", testSecret, restClient, true, false, nil},
		{"4.12 agent bot: not yet", mockplatform.ReceiverAgentBot, "4.12.1", testSecret, restClient, false, false, nil},
		{"4.10 account", mockplatform.ReceiverAccount, "4.10", testSecret, restClient, false, false, nil},
		{"2.x account", mockplatform.ReceiverAccount, "2", testSecret, "rest-client/2.1.0 (linux-musl x86_64) ruby/3.2.2p53", false, false, nil},
		{"1.22 account", mockplatform.ReceiverAccount, "1.22", testSecret, "rest-client/2.1.0 (linux-musl x86_64) ruby/3.0.2p107", false, false, nil},
		{"4.16 automation: never signed", mockplatform.ReceiverAutomation, "4.16", testSecret, "Ruby", false, false, nil},
		{"4.16 macro: never signed", mockplatform.ReceiverMacro, "4.16", testSecret, "Ruby", false, false, nil},
		{"4.13 installation: never signed", mockplatform.ReceiverInstallation, "4.13", testSecret, restClient, false, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := newReceiver(t, nil)
			cfg := testConfig()
			cfg.Receiver, cfg.Version, cfg.Secret = tt.receiver, tt.version, tt.secret
			p := newPlatform(t, cfg)
			d := deliver(t, p, rc.URL+"/hook?x=1", chatBody)
			if !d.OK() || d.Status != 200 || d.Err != nil || len(d.Attempts) != 1 {
				t.Fatalf("delivery OK=%v Status=%d Err=%v attempts=%d; want a single 200", d.OK(), d.Status, d.Err, len(d.Attempts))
			}
			reqs := rc.requests()
			if len(reqs) != 1 {
				t.Fatalf("receiver got %d requests; want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != http.MethodPost || r.URL != "/hook?x=1" {
				t.Errorf("request = %s %s; want POST /hook?x=1", r.Method, r.URL)
			}
			if !bytes.Equal(r.Body, chatBody) {
				t.Errorf("body = %q; want byte-identical %q", r.Body, chatBody)
			}
			want := http.Header{
				"Content-Type":    {"application/json"},
				"Accept":          {"application/json"},
				"Accept-Encoding": {"gzip;q=1.0,deflate;q=0.6,identity;q=0.3"},
				"User-Agent":      {tt.wantUA},
				"Content-Length":  {strconv.Itoa(len(chatBody))},
			}
			if tt.wantID {
				id := r.Header.Get("X-Chatwoot-Delivery")
				if !uuidV4.MatchString(id) {
					t.Errorf("X-Chatwoot-Delivery = %q; want a UUID v4", id)
				}
				if id != d.DeliveryID {
					t.Errorf("Delivery.DeliveryID = %q; sent %q", d.DeliveryID, id)
				}
				want["X-Chatwoot-Delivery"] = []string{id}
			}
			if tt.wantSig {
				want["X-Chatwoot-Timestamp"] = []string{strconv.FormatInt(epoch.Unix(), 10)}
				want["X-Chatwoot-Signature"] = []string{independentHMAC(tt.secret, fmt.Sprintf("%d.%s", epoch.Unix(), chatBody))}
			}
			checkHeaders(t, r.Header, want)
			if d.Request.Method != http.MethodPost || !bytes.Equal(d.Request.Body, chatBody) || d.Request.URL != rc.URL+"/hook?x=1" {
				t.Errorf("Delivery.Request = %s %s %q; want what was sent", d.Request.Method, d.Request.URL, d.Request.Body)
			}
			for k, vs := range want {
				if k != "Content-Length" && !slices.Equal(d.Request.Header[k], vs) {
					t.Errorf("Delivery.Request.Header[%s] = %q; sent %q", k, d.Request.Header[k], vs)
				}
			}
		})
	}
}

// checkHeaders compares the complete header set.
func checkHeaders(t *testing.T, got, want http.Header) {
	t.Helper()
	for k, vs := range want {
		if !slices.Equal(got[k], vs) {
			t.Errorf("header %s = %q; want %q", k, got[k], vs)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected header %s: %q", k, got[k])
		}
	}
}

func TestDeliverSignatureMatchesVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			rc := newReceiver(t, nil)
			cfg := testConfig()
			cfg.Secret = v.Secret
			p := newPlatform(t, cfg)
			deliver(t, p, rc.URL, []byte(v.Body), mockplatform.WithTimestamp(time.Unix(v.Timestamp, 0)))
			r := rc.requests()[0]
			if got := r.Header.Get("X-Chatwoot-Signature"); got != v.Signature {
				t.Errorf("X-Chatwoot-Signature = %s; want %s", got, v.Signature)
			}
			if got := r.Header.Get("X-Chatwoot-Timestamp"); got != strconv.FormatInt(v.Timestamp, 10) {
				t.Errorf("X-Chatwoot-Timestamp = %s; want %d", got, v.Timestamp)
			}
			if string(r.Body) != v.Body {
				t.Errorf("body = %q; want %q", r.Body, v.Body)
			}
		})
	}
}

func TestDeliverDeliveryIDOptions(t *testing.T) {
	rc := newReceiver(t, nil)
	p := newPlatform(t, testConfig())
	a := deliver(t, p, rc.URL, chatBody)
	b := deliver(t, p, rc.URL, chatBody)
	if a.DeliveryID == b.DeliveryID {
		t.Errorf("two deliveries share id %s; want fresh ids", a.DeliveryID)
	}
	const id = "0b8f3c4e-2d1a-4e5f-9a7b-6c5d4e3f2a1b"
	deliver(t, p, rc.URL, chatBody, mockplatform.WithDeliveryID(id))
	deliver(t, p, rc.URL, chatBody, mockplatform.WithDeliveryID(id))
	n := deliver(t, p, rc.URL, chatBody, mockplatform.NoDeliveryID())
	reqs := rc.requests()
	if reqs[2].Header.Get("X-Chatwoot-Delivery") != id || reqs[3].Header.Get("X-Chatwoot-Delivery") != id {
		t.Errorf("WithDeliveryID: sent %q and %q; want %q twice", reqs[2].Header.Get("X-Chatwoot-Delivery"), reqs[3].Header.Get("X-Chatwoot-Delivery"), id)
	}
	if _, ok := reqs[4].Header["X-Chatwoot-Delivery"]; ok || n.DeliveryID != "" {
		t.Errorf("NoDeliveryID: header sent %q, DeliveryID %q; want none", reqs[4].Header.Get("X-Chatwoot-Delivery"), n.DeliveryID)
	}

	old := testConfig()
	old.Version = "4.10"
	if _, err := newPlatform(t, old).Deliver(t.Context(), rc.URL, chatBody, mockplatform.WithDeliveryID(id)); !errors.Is(err, mockplatform.ErrInvalidArgument) {
		t.Errorf("WithDeliveryID on 4.10 error = %v; want ErrInvalidArgument", err)
	}
}

func TestDeliverExtraHeaders(t *testing.T) {
	rc := newReceiver(t, nil)
	cfg := testConfig()
	cfg.Header = http.Header{"X-Extra": {"cfg"}, "Authorization": {"Bearer abc"}}
	p := newPlatform(t, cfg)
	cfg.Header.Set("X-Extra", "mutated after New")
	deliver(t, p, rc.URL, chatBody, mockplatform.WithHeader("User-Agent", "custom"), mockplatform.WithHeader("X-Other", "opt"))
	h := rc.requests()[0].Header
	for k, want := range map[string]string{"X-Extra": "cfg", "Authorization": "Bearer abc", "User-Agent": "custom", "X-Other": "opt", "Accept": "application/json"} {
		if got := h.Get(k); got != want {
			t.Errorf("header %s = %q; want %q", k, got, want)
		}
	}
}

func TestDeliverRetries(t *testing.T) {
	tests := []struct {
		name         string
		receiver     string
		version      string
		codes        []int
		wantAttempts int
		wantStatus   int
	}{
		{"agent bot 429 then 200", mockplatform.ReceiverAgentBot, "", []int{429, 200}, 2, 200},
		{"agent bot 500 500 200", mockplatform.ReceiverAgentBot, "", []int{500, 500, 200}, 3, 200},
		{"agent bot 500 exhausts", mockplatform.ReceiverAgentBot, "", []int{500}, 3, 500},
		{"agent bot 429 exhausts", mockplatform.ReceiverAgentBot, "4.13", []int{429}, 3, 429},
		{"agent bot 502 no retry", mockplatform.ReceiverAgentBot, "", []int{502}, 1, 502},
		{"agent bot 503 no retry", mockplatform.ReceiverAgentBot, "", []int{503}, 1, 503},
		{"agent bot 404 no retry", mockplatform.ReceiverAgentBot, "", []int{404}, 1, 404},
		{"agent bot 4.12.0 retries", mockplatform.ReceiverAgentBot, "4.12.0", []int{500, 200}, 2, 200},
		{"agent bot 4.11.2 no retry", mockplatform.ReceiverAgentBot, "4.11.2", []int{500}, 1, 500},
		{"agent bot 4.10 no retry", mockplatform.ReceiverAgentBot, "4.10", []int{500}, 1, 500},
		{"automation 500 no retry", mockplatform.ReceiverAutomation, "", []int{500}, 1, 500},
		{"account 500 no retry", mockplatform.ReceiverAccount, "", []int{500}, 1, 500},
		{"account 429 no retry", mockplatform.ReceiverAccount, "", []int{429}, 1, 429},
		{"api inbox 500 no retry", mockplatform.ReceiverAPIInbox, "", []int{500}, 1, 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := newReceiver(t, statuses(tt.codes...))
			cfg := testConfig()
			cfg.Receiver, cfg.Version, cfg.Secret = tt.receiver, tt.version, testSecret
			cfg.Now = tickingClock(epoch, 3*time.Second)
			d := deliver(t, newPlatform(t, cfg), rc.URL, chatBody)
			reqs := rc.requests()
			if len(d.Attempts) != tt.wantAttempts || len(reqs) != tt.wantAttempts {
				t.Fatalf("attempts = %d, requests = %d; want %d", len(d.Attempts), len(reqs), tt.wantAttempts)
			}
			if d.Status != tt.wantStatus || d.Err != nil || d.OK() != (tt.wantStatus == 200) {
				t.Errorf("Status = %d, Err = %v, OK = %v; want %d, nil", d.Status, d.Err, d.OK(), tt.wantStatus)
			}
			seen := map[string]bool{}
			for i, r := range reqs {
				if id := r.Header.Get("X-Chatwoot-Delivery"); id != reqs[0].Header.Get("X-Chatwoot-Delivery") {
					t.Errorf("attempt %d X-Chatwoot-Delivery = %q; want %q (reused)", i+1, id, reqs[0].Header.Get("X-Chatwoot-Delivery"))
				}
				ts := r.Header.Get("X-Chatwoot-Timestamp")
				if ts == "" {
					continue // unsigned version
				}
				if seen[ts] {
					t.Errorf("attempt %d reuses timestamp %s; want it recomputed", i+1, ts)
				}
				seen[ts] = true
				if err := mockplatform.Verify(testSecret, r.Header.Get("X-Chatwoot-Signature"), ts, r.Body, time.Time{}, 0); err != nil {
					t.Errorf("attempt %d signature: %v", i+1, err)
				}
				if a := d.Attempts[i]; a.N != i+1 || strconv.FormatInt(a.Timestamp, 10) != ts || a.Status != tt.codes[min(i+1, len(tt.codes))-1] {
					t.Errorf("Attempts[%d] = {N:%d Timestamp:%d Status:%d}; sent ts %s", i, a.N, a.Timestamp, a.Status, ts)
				}
			}
		})
	}
}

func TestDeliverRetryWaitHonoursContext(t *testing.T) {
	rc := newReceiver(t, status(500))
	cfg := testConfig()
	cfg.Receiver, cfg.RetryWait = mockplatform.ReceiverAgentBot, time.Hour
	p := newPlatform(t, cfg)
	done := make(chan *mockplatform.Delivery)
	cctx, ccancel := context.WithCancel(t.Context())
	go func() {
		d, _ := p.Deliver(cctx, rc.URL, chatBody)
		done <- d
	}()
	for rc.n.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	ccancel()
	d := <-done
	if len(d.Attempts) != 1 || mockplatform.CauseOf(d.Err) != mockplatform.CauseCanceled {
		t.Errorf("attempts = %d, cause = %q; want 1, canceled", len(d.Attempts), mockplatform.CauseOf(d.Err))
	}
}

func TestDeliverResponseCapture(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 1000)
	rc := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Answer", "yes")
		w.WriteHeader(201)
		w.Write(big)
	})
	cfg := testConfig()
	cfg.CaptureBody = 100
	d := deliver(t, newPlatform(t, cfg), rc.URL, chatBody)
	a := d.Last()
	if !d.OK() || a.Status != 201 || len(a.Body) != 100 || a.BodySize != 1000 || !a.Truncated || a.Response.Get("X-Answer") != "yes" {
		t.Errorf("attempt = {Status:%d len(Body):%d BodySize:%d Truncated:%v}; want 201, 100, 1000, true", a.Status, len(a.Body), a.BodySize, a.Truncated)
	}
}

func TestDeliverInvalidArguments(t *testing.T) {
	p := newPlatform(t, testConfig())
	for _, target := range []string{"", "example.com/hook", "ftp://example.com/", "http://", "://x"} {
		if d, err := p.Deliver(t.Context(), target, chatBody); !errors.Is(err, mockplatform.ErrInvalidArgument) || d != nil {
			t.Errorf("Deliver(%q) = %v, %v; want nil, ErrInvalidArgument", target, d, err)
		}
	}
}

func TestNewValidates(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*mockplatform.Config)
	}{
		{"platform", func(c *mockplatform.Config) { c.Platform = "bevatel" }},
		{"receiver", func(c *mockplatform.Config) { c.Receiver = "inbox" }},
		{"version", func(c *mockplatform.Config) { c.Version = "four" }},
		{"version parts", func(c *mockplatform.Config) { c.Version = "4.1.2.3" }},
		{"version unknown", func(c *mockplatform.Config) { c.Version = "4.17" }},
		{"placement", func(c *mockplatform.Config) { c.TokenPlacement = "cookie" }},
		{"token header", func(c *mockplatform.Config) { c.TokenHeader = "Bad Header" }},
		{"timeout", func(c *mockplatform.Config) { c.Timeout = -1 }},
		{"batch", func(c *mockplatform.Config) { c.BatchSize = -1 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := mockplatform.NewConfig()
			tt.mod(&cfg)
			if _, err := mockplatform.New(cfg); !errors.Is(err, mockplatform.ErrInvalidConfig) {
				t.Errorf("New = %v; want ErrInvalidConfig", err)
			}
		})
	}
	p, err := mockplatform.New(mockplatform.Config{})
	if err != nil {
		t.Fatalf("New(Config{}) = %v; want the defaults", err)
	}
	defer p.Close()
	c := p.Config()
	if c.Platform != "chatwoot" || c.Receiver != "account" || c.Timeout != 0 || c.MaxRedirects != 0 || c.RetryWait != 0 || c.MaxAttempts != 0 || c.Version != "latest" || p.Release().Version() != "4.16.2" || c.MaxResponseBody != 40<<20 || c.CaptureBody != 64<<10 || c.BatchSize != 1 || c.TokenHeader != "X-Swiftsell-Token" || c.TokenParam != "token" {
		t.Errorf("defaults = %v", c)
	}
}

func TestConfigRedactsSecrets(t *testing.T) {
	cfg := mockplatform.NewConfig()
	cfg.Secret, cfg.Token = "ZxV8mN4qRt7Ws2Lp9Kd3Hj6B", "tok-0123456789"
	for _, s := range []string{cfg.String(), fmt.Sprintf("%v", cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg)} {
		if bytes.Contains([]byte(s), []byte(cfg.Secret)) || bytes.Contains([]byte(s), []byte(cfg.Token)) {
			t.Errorf("%s shows a secret", s)
		}
		if !bytes.Contains([]byte(s), []byte(`"ZxV***"`)) {
			t.Errorf("%s: want the secret redacted to ZxV***", s)
		}
	}
}
