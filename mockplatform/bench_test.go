package mockplatform_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chathook/chathook/mockplatform"
)

var benchBody = bytes.Repeat([]byte(`{"content":"hello \u003cworld\u003e","id":12345,"event":"message_created"},`), 20)

func BenchmarkSign(b *testing.B) {
	b.SetBytes(int64(len(benchBody)))
	for b.Loop() {
		mockplatform.Sign(testSecret, 1763177714, benchBody)
	}
}

func BenchmarkVerify(b *testing.B) {
	sig := mockplatform.Sign(testSecret, 1763177714, benchBody)
	b.SetBytes(int64(len(benchBody)))
	for b.Loop() {
		if err := mockplatform.Verify(testSecret, sig, "1763177714", benchBody, epoch, 0); err != nil {
			b.Fatal(err)
		}
	}
}

func benchServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusOK)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkDeliver/mockplatform is a signed Chatwoot delivery; bare-client is
// the same bytes POSTed by a plain keep-alive http.Client. Their ratio is
// the cost of the platform imitation.
func BenchmarkDeliver(b *testing.B) {
	b.Run("mockplatform", func(b *testing.B) {
		srv := benchServer(b)
		cfg := mockplatform.NewConfig()
		cfg.Secret = testSecret
		p := newPlatform(b, cfg)
		ctx := context.Background()
		b.SetBytes(int64(len(benchBody)))
		for b.Loop() {
			d, err := p.Deliver(ctx, srv.URL, benchBody)
			if err != nil || !d.OK() {
				b.Fatal(err, d.Err)
			}
		}
	})
	b.Run("bare-client", func(b *testing.B) {
		srv := benchServer(b)
		tr := &http.Transport{DisableCompression: true}
		b.Cleanup(tr.CloseIdleConnections)
		c := &http.Client{Transport: tr}
		b.SetBytes(int64(len(benchBody)))
		for b.Loop() {
			resp, err := c.Post(srv.URL, "application/json", bytes.NewReader(benchBody))
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Fatal(resp.Status)
			}
		}
	})
}
