package mockplatform_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/chathook/chathook/mockplatform"
)

// A receiver under test, verifying signatures the way it should.
func verifyingReceiver(secret string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		err := mockplatform.Verify(secret, r.Header.Get("X-Chatwoot-Signature"), r.Header.Get("X-Chatwoot-Timestamp"), body, time.Now(), 5*time.Minute)
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

func ExamplePlatform_Deliver() {
	srv := httptest.NewServer(verifyingReceiver("my-secret"))
	defer srv.Close()

	cfg := mockplatform.NewConfig() // Chatwoot 4.16 account webhook
	cfg.Secret = "my-secret"
	p, err := mockplatform.New(cfg)
	if err != nil {
		panic(err)
	}
	defer p.Close()

	body := []byte(`{"content":"hi","event":"message_created"}`)
	d, err := p.Deliver(context.Background(), srv.URL, body)
	if err != nil {
		panic(err)
	}
	fmt.Println(d.OK(), d.Status, len(d.Attempts))

	d, _ = p.Deliver(context.Background(), srv.URL, body, mockplatform.WithFault(mockplatform.BodyOnlySignature))
	fmt.Println(d.OK(), d.Status)
	// Output:
	// true 200 1
	// false 401
}

func ExampleSign() {
	body := []byte(`{"event":"message_created"}`)
	sig := mockplatform.Sign("my-secret", 1763177714, body)
	fmt.Println(sig)

	err := mockplatform.Verify("my-secret", sig, "1763177714", body, time.Unix(1763177714, 0), 5*time.Minute)
	fmt.Println(err)
	err = mockplatform.Verify("my-secret", sig, "1763177714", body, time.Unix(1763177714, 0).Add(time.Hour), 5*time.Minute)
	fmt.Println(err != nil)
	// Output:
	// sha256=22c8e0a8495007da9ac351758244bb80e94a1df17f02f29911d6de803accde38
	// <nil>
	// true
}

func ExamplePlatform_Handshake() {
	// A receiver that answers the handshake with the token it was sent.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.Header.Get("X-Swiftsell-Token"))
	}))
	defer srv.Close()

	cfg := mockplatform.NewConfig()
	cfg.Platform = mockplatform.PlatformSwiftsell
	cfg.Token = "tok-123"
	p, err := mockplatform.New(cfg)
	if err != nil {
		panic(err)
	}
	defer p.Close()

	r, err := p.Handshake(context.Background(), srv.URL)
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Passed, r.Form, r.Status)
	// Output:
	// true raw 200
}

func ExamplePlatform_DeliverBatch() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fmt.Println(string(b))
	}))
	defer srv.Close()

	cfg := mockplatform.NewConfig()
	cfg.Platform = mockplatform.PlatformSwiftsell
	cfg.BatchSize = 2
	p, _ := mockplatform.New(cfg)
	defer p.Close()

	events := [][]byte{
		[]byte(`{"events":[{"event":{"type":"message"}},{"event":{"type":"note"}}]}`),
		[]byte(`{"event":{"type":"status"}}`),
	}
	ds, _ := p.DeliverBatch(context.Background(), srv.URL, events)
	fmt.Println(len(ds), "posts")
	// Output:
	// {"events":[{"event":{"type":"message"}},{"event":{"type":"note"}}]}
	// {"events":[{"event":{"type":"status"}}]}
	// 2 posts
}
