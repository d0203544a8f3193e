package mockplatform_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/chathook/chathook/mockplatform"
)

func FuzzVerify(f *testing.F) {
	for _, v := range loadVectors(f) {
		f.Add(v.Secret, v.Signature, strconv.FormatInt(v.Timestamp, 10), []byte(v.Body), v.Timestamp)
		f.Add(v.Secret, v.BodyOnlySignature, strconv.FormatInt(v.Timestamp, 10), []byte(v.Body), v.Timestamp)
	}
	f.Add("", "", "", []byte(nil), int64(0))
	f.Add("s", "sha256=", "-1", []byte("{}"), int64(-5))
	f.Fuzz(func(t *testing.T, secret, sig, ts string, body []byte, unix int64) {
		now := time.Unix(1763177714, 0)
		_ = mockplatform.Verify(secret, sig, ts, body, now, 5*time.Minute) // must not panic
		if unix < 0 {
			unix = -unix
		}
		unix %= 1e15
		s := mockplatform.Sign(secret, unix, body)
		if len(s) != len("sha256=")+64 {
			t.Fatalf("Sign = %q; want sha256= and 64 hex digits", s)
		}
		if err := mockplatform.Verify(secret, s, strconv.FormatInt(unix, 10), body, now, 0); err != nil {
			t.Fatalf("Sign→Verify(%q, %d, %q) = %v", secret, unix, body, err)
		}
		if len(body) > 0 {
			other := append([]byte{}, body...)
			other[0] ^= 1
			if err := mockplatform.Verify(secret, s, strconv.FormatInt(unix, 10), other, now, 0); err == nil {
				t.Fatalf("Verify accepted a changed body")
			}
		}
	})
}

func FuzzSplitEnvelope(f *testing.F) {
	for _, e := range rawEvents {
		f.Add([]byte(e))
		f.Add([]byte(`{"events":[` + e + `]}`))
	}
	if b, err := os.ReadFile("testdata/signature_vectors.json"); err == nil {
		f.Add(b)
	}
	for _, s := range []string{``, `{`, `{"events":`, `{"events":[1,2,{"a":[]}]}`, `{"events":null}`, `[]`, `"x"`, `{"a":1}{"b":2}`, "{\"events\":[\"\\ud800\"]}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		events, err := mockplatform.SplitEnvelope(b) // must not panic
		if err != nil {
			return
		}
		for _, e := range events {
			if !json.Valid(e) {
				t.Fatalf("SplitEnvelope(%q) returned invalid JSON %q", b, e)
			}
			if !bytes.Contains(b, e) {
				t.Fatalf("SplitEnvelope(%q) returned %q, not raw bytes of the input", b, e)
			}
		}
	})
}
