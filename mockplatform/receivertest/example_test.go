package receivertest_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/chathook/chathook/mockplatform"
	"github.com/chathook/chathook/mockplatform/receivertest"
)

func ExampleNewServer() {
	const secret = "s3cret-Key_0123456789ab"
	srv, err := receivertest.NewServer(receivertest.Config{Platform: "chatwoot", Secret: secret})
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	body := []byte(`{"id":318,"status":"open","contact_inbox":{"source_id":"a3f1"},"event":"conversation_created"}`)
	ts := time.Now().Unix()
	req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(mockplatform.HeaderDelivery, "9b2f7c1e-4a7d-4c0e-9a53-0d1e2f3a4b5c")
	req.Header.Set(mockplatform.HeaderTimestamp, fmt.Sprint(ts))
	req.Header.Set(mockplatform.HeaderSignature, mockplatform.Sign(secret, ts, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	reply, _ := io.ReadAll(resp.Body)
	fmt.Printf("%s %s", resp.Status, reply)
	// Output: 200 OK {"ok":true}
}

func ExampleVariants() {
	shown := 0
	for _, v := range receivertest.Variants() {
		if v.Breaks == "" || shown == 3 {
			continue // the correct receiver and the sound ones break nothing
		}
		fmt.Printf("%s %v: breaks %s\n", v.Name, v.Platforms, v.Breaks)
		shown++
	}
	// Output:
	// 5xx-unknown-events [chatwoot swiftsell]: breaks robustness.unknown-event
	// 5xx-unknown-keys [chatwoot swiftsell]: breaks robustness.unknown-keys
	// bare-hex-hmac [chatwoot]: breaks signature.valid, signature.raw-bytes, and every requirement delivering signed events
}
