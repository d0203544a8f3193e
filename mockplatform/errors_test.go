package mockplatform_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chathook/chathook/mockplatform"
)

// hangingServer runs h, whose blocking parts wait on the returned channel or
// the request context; the channel is closed before the server.
func hangingServer(t *testing.T, h func(release <-chan struct{}, w http.ResponseWriter, r *http.Request)) *httptest.Server {
	t.Helper()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h(release, w, r) }))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	return srv
}

func wait(release <-chan struct{}, r *http.Request) {
	select {
	case <-release:
	case <-r.Context().Done():
	}
}

// closedPort returns an address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestDeliverFailureCauses(t *testing.T) {
	hangHeaders := hangingServer(t, func(release <-chan struct{}, _ http.ResponseWriter, r *http.Request) { wait(release, r) })
	hangBody := hangingServer(t, func(release <-chan struct{}, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(200)
		w.Write([]byte("partial"))
		w.(http.Flusher).Flush()
		wait(release, r)
	})
	resetLinger := hangingServer(t, func(_ <-chan struct{}, w http.ResponseWriter, _ *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		conn.(*net.TCPConn).SetLinger(0)
		conn.Close()
	})
	closeEarly := hangingServer(t, func(_ <-chan struct{}, w http.ResponseWriter, _ *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort")
		buf.Flush()
		conn.Close()
	})
	big := hangingServer(t, func(_ <-chan struct{}, w http.ResponseWriter, _ *http.Request) {
		w.Write(make([]byte, 4096))
	})
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(200) }))
	t.Cleanup(tlsSrv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(tlsSrv.Certificate())

	short := func(c *mockplatform.Config) { c.Timeout = 150 * time.Millisecond }
	tests := []struct {
		name   string
		target string
		mod    func(*mockplatform.Config)
		want   mockplatform.Cause // "" = success
	}{
		{"timeout waiting for headers", hangHeaders.URL, short, mockplatform.CauseTimeout},
		{"timeout mid-body", hangBody.URL, short, mockplatform.CauseTimeout},
		{"refused", "http://" + closedPort(t) + "/hook", nil, mockplatform.CauseRefused},
		{"reset (linger 0)", resetLinger.URL, nil, mockplatform.CauseReset},
		{"closed mid-body", closeEarly.URL, nil, mockplatform.CauseReset},
		{"body too large", big.URL, func(c *mockplatform.Config) { c.MaxResponseBody = 1024 }, mockplatform.CauseBodyTooLarge},
		{"body at the limit", big.URL, func(c *mockplatform.Config) { c.MaxResponseBody = 4096 }, ""},
		{"https trusted test CA", tlsSrv.URL, func(c *mockplatform.Config) { c.TLSConfig = &tls.Config{RootCAs: pool} }, ""},
		{"https insecure skip verify", tlsSrv.URL, func(c *mockplatform.Config) { c.TLSConfig = &tls.Config{InsecureSkipVerify: true} }, ""},
		{"https untrusted", tlsSrv.URL, nil, mockplatform.CauseTLS},
		{"http to https port", strings.Replace(tlsSrv.URL, "https:", "http:", 1), nil, ""}, // Go's TLS server answers 400
		{"https to http port", strings.Replace(big.URL, "http:", "https:", 1), nil, mockplatform.CauseTLS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			if tt.mod != nil {
				tt.mod(&cfg)
			}
			d := deliver(t, newPlatform(t, cfg), tt.target, chatBody)
			if got := mockplatform.CauseOf(d.Err); got != tt.want {
				t.Fatalf("cause = %q (Err = %v); want %q", got, d.Err, tt.want)
			}
			if tt.want == "" {
				return
			}
			var de *mockplatform.DeliveryError
			if !errors.As(d.Err, &de) || de.Err == nil || d.OK() {
				t.Errorf("Err = %#v, OK = %v; want a *DeliveryError with a cause", d.Err, d.OK())
			}
			if !strings.HasPrefix(d.Err.Error(), "mockplatform: ") {
				t.Errorf("Err = %q; want the package prefix", d.Err)
			}
			if d.Last().Err != d.Err {
				t.Errorf("last attempt Err = %v; want the delivery's", d.Last().Err)
			}
		})
	}
}

func TestDeliverDNSFailure(t *testing.T) {
	cfg := testConfig()
	cfg.Timeout = 2 * time.Second
	d := deliver(t, newPlatform(t, cfg), "http://chathook-test.invalid/hook", chatBody)
	switch c := mockplatform.CauseOf(d.Err); c {
	case mockplatform.CauseDNS:
	case mockplatform.CauseTimeout:
		t.Skip("resolver timed out in this environment")
	default:
		t.Errorf("cause = %q (Err = %v); want dns", c, d.Err)
	}
}

func TestDeliverCanceledContext(t *testing.T) {
	srv := hangingServer(t, func(release <-chan struct{}, _ http.ResponseWriter, r *http.Request) { wait(release, r) })
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	p := newPlatform(t, testConfig())
	d, err := p.Deliver(ctx, srv.URL, chatBody)
	if err != nil || mockplatform.CauseOf(d.Err) != mockplatform.CauseCanceled {
		t.Errorf("Deliver(canceled ctx) = %v, %v; want cause canceled", d.Err, err)
	}
}

func TestDeliveryErrorRedactsQueryToken(t *testing.T) {
	cfg := testConfig()
	cfg.Platform, cfg.Token, cfg.TokenPlacement = mockplatform.PlatformSwiftsell, "tok-very-secret-value", mockplatform.TokenInQuery
	d := deliver(t, newPlatform(t, cfg), "http://"+closedPort(t)+"/hook", []byte(`{"events":[]}`))
	if d.Err == nil || strings.Contains(d.Err.Error(), cfg.Token) {
		t.Errorf("Err = %v; want an error without the token", d.Err)
	}
	if !strings.Contains(d.Err.Error(), "tok***") {
		t.Errorf("Err = %v; want the token redacted to tok***", d.Err)
	}
}
