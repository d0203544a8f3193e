package mockplatform_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chathook/chathook/mockplatform"
)

type vector struct {
	Name              string `json:"name"`
	Secret            string `json:"secret"`
	Timestamp         int64  `json:"timestamp"`
	Body              string `json:"body"`
	Signature         string `json:"signature"`
	BodyOnlySignature string `json:"body_only_signature"`
}

func loadVectors(t testing.TB) []vector {
	t.Helper()
	b, err := os.ReadFile("testdata/signature_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Vectors []vector }
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Vectors) < 3 {
		t.Fatalf("only %d vectors", len(doc.Vectors))
	}
	return doc.Vectors
}

// independentHMAC is a second implementation, straight from crypto/hmac.
func independentHMAC(secret string, msg string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(msg))
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

func TestSignVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			body := []byte(v.Body)
			if got := mockplatform.Sign(v.Secret, v.Timestamp, body); got != v.Signature {
				t.Errorf("Sign = %s; want %s", got, v.Signature)
			}
			if got := independentHMAC(v.Secret, strconv.FormatInt(v.Timestamp, 10)+"."+v.Body); got != v.Signature {
				t.Errorf("independent HMAC = %s; vector says %s", got, v.Signature)
			}
			if got := independentHMAC(v.Secret, v.Body); got != v.BodyOnlySignature {
				t.Errorf("independent body-only HMAC = %s; vector says %s", got, v.BodyOnlySignature)
			}
			ts := strconv.FormatInt(v.Timestamp, 10)
			if err := mockplatform.Verify(v.Secret, v.Signature, ts, body, time.Time{}, 0); err != nil {
				t.Errorf("Verify(vector) = %v; want nil", err)
			}
			if err := mockplatform.Verify(v.Secret, v.BodyOnlySignature, ts, body, time.Time{}, 0); !errors.Is(err, mockplatform.ErrSignatureMismatch) {
				t.Errorf("Verify(body-only HMAC) = %v; want ErrSignatureMismatch", err)
			}
		})
	}
}

func TestVerify(t *testing.T) {
	const secret = "ZxV8mN4qRt7Ws2Lp9Kd3Hj6B"
	body := []byte(`{"event":"message_created"}`)
	now := epoch
	ts := strconv.FormatInt(now.Unix(), 10)
	sig := mockplatform.Sign(secret, now.Unix(), body)
	old := strconv.FormatInt(now.Add(-10*time.Minute).Unix(), 10)
	oldSig := mockplatform.Sign(secret, now.Add(-10*time.Minute).Unix(), body)
	future := strconv.FormatInt(now.Add(10*time.Minute).Unix(), 10)
	futureSig := mockplatform.Sign(secret, now.Add(10*time.Minute).Unix(), body)
	tests := []struct {
		name      string
		sig, ts   string
		body      []byte
		tolerance time.Duration
		want      error
	}{
		{"valid", sig, ts, body, 5 * time.Minute, nil},
		{"valid, surrounding space", " " + sig + " ", ts + " ", body, 5 * time.Minute, nil},
		{"valid, uppercase hex", "sha256=" + strings.ToUpper(sig[7:]), ts, body, 0, nil},
		{"missing signature", "", ts, body, 0, mockplatform.ErrMissingSignature},
		{"missing timestamp", sig, "", body, 0, mockplatform.ErrMissingTimestamp},
		{"timestamp not digits", sig, "abc", body, 0, mockplatform.ErrMalformedTimestamp},
		{"negative timestamp", sig, "-1", body, 0, mockplatform.ErrMalformedTimestamp},
		{"fractional timestamp", sig, ts + ".5", body, 0, mockplatform.ErrMalformedTimestamp},
		{"huge timestamp", sig, strings.Repeat("9", 40), body, 0, mockplatform.ErrMalformedTimestamp},
		{"no prefix", sig[7:], ts, body, 0, mockplatform.ErrMalformedSignature},
		{"sha1 prefix", "sha1=" + sig[7:], ts, body, 0, mockplatform.ErrMalformedSignature},
		{"short hex", sig[:len(sig)-2], ts, body, 0, mockplatform.ErrMalformedSignature},
		{"not hex", "sha256=" + strings.Repeat("zz", 32), ts, body, 0, mockplatform.ErrMalformedSignature},
		{"other secret", mockplatform.Sign("other", now.Unix(), body), ts, body, 0, mockplatform.ErrSignatureMismatch},
		{"other body", sig, ts, []byte(`{"event":"message_updated"}`), 0, mockplatform.ErrSignatureMismatch},
		{"other timestamp", sig, old, body, 0, mockplatform.ErrSignatureMismatch},
		{"leading zero timestamp", sig, "0" + ts, body, 0, mockplatform.ErrSignatureMismatch},
		{"stale", oldSig, old, body, 5 * time.Minute, mockplatform.ErrStaleTimestamp},
		{"future", futureSig, future, body, 5 * time.Minute, mockplatform.ErrStaleTimestamp},
		{"old but no tolerance", oldSig, old, body, 0, nil},
		{"old within tolerance", oldSig, old, body, 11 * time.Minute, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := mockplatform.Verify(secret, tt.sig, tt.ts, tt.body, now, tt.tolerance)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Verify = %v; want %v", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), secret) {
				t.Errorf("error %q contains the secret", err)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "mockplatform: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}
