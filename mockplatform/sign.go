package mockplatform

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Chatwoot's delivery headers.
const (
	HeaderDelivery  = "X-Chatwoot-Delivery"
	HeaderTimestamp = "X-Chatwoot-Timestamp"
	HeaderSignature = "X-Chatwoot-Signature"
)

const signaturePrefix = "sha256="

// Errors returned by Verify, wrapped with detail; test them with errors.Is.
var (
	ErrMissingSignature   = errors.New("mockplatform: missing signature")
	ErrMalformedSignature = errors.New("mockplatform: malformed signature")
	ErrMissingTimestamp   = errors.New("mockplatform: missing timestamp")
	ErrMalformedTimestamp = errors.New("mockplatform: malformed timestamp")
	ErrStaleTimestamp     = errors.New("mockplatform: stale timestamp")
	ErrSignatureMismatch  = errors.New("mockplatform: signature mismatch")
)

// Sign returns the X-Chatwoot-Signature value for a body sent at unix time
// ts: "sha256=" followed by the lowercase hex HMAC-SHA256, keyed with the
// secret's raw bytes, of the decimal timestamp, a dot and the raw body.
func Sign(secret string, ts int64, body []byte) string {
	return signString(secret, strconv.FormatInt(ts, 10), body)
}

// signString signs with the timestamp exactly as written in the header.
func signString(secret, ts string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	var sum [sha256.Size]byte
	var out [len(signaturePrefix) + 2*sha256.Size]byte
	copy(out[:], signaturePrefix)
	hex.Encode(out[len(signaturePrefix):], m.Sum(sum[:0]))
	return string(out[:])
}

// Verify checks a Chatwoot delivery the way a receiver should: it recomputes
// the HMAC over "<timestampHeader>.<body>" with the timestamp exactly as
// received and compares it in constant time with signatureHeader. Then, when
// tolerance > 0, it rejects a timestamp more than tolerance away from now, in
// either direction (tolerance <= 0: no staleness check; about 5 minutes is
// usual).
//
// It returns nil or an error wrapping one of ErrMissingSignature,
// ErrMalformedSignature, ErrMissingTimestamp, ErrMalformedTimestamp,
// ErrSignatureMismatch or ErrStaleTimestamp. A signature over the body alone
// does not verify.
func Verify(secret, signatureHeader, timestampHeader string, body []byte, now time.Time, tolerance time.Duration) error {
	sig := strings.TrimSpace(signatureHeader)
	ts := strings.TrimSpace(timestampHeader)
	if sig == "" {
		return ErrMissingSignature
	}
	if ts == "" {
		return ErrMissingTimestamp
	}
	unix, ok := parseUnix(ts)
	if !ok {
		return fmt.Errorf("%w: %q is not unix seconds", ErrMalformedTimestamp, clip(ts, 32))
	}
	hexPart, found := strings.CutPrefix(sig, signaturePrefix)
	if !found || len(hexPart) != 2*sha256.Size {
		return fmt.Errorf("%w: want %q followed by 64 hex digits", ErrMalformedSignature, signaturePrefix)
	}
	got, err := hex.DecodeString(hexPart)
	if err != nil {
		return fmt.Errorf("%w: want %q followed by 64 hex digits", ErrMalformedSignature, signaturePrefix)
	}
	want, _ := hex.DecodeString(signString(secret, ts, body)[len(signaturePrefix):])
	if !hmac.Equal(got, want) {
		return ErrSignatureMismatch
	}
	if tolerance > 0 {
		age := now.Sub(time.Unix(unix, 0))
		if age > tolerance || age < -tolerance {
			return fmt.Errorf("%w: timestamp %d is %s from now, tolerance %s", ErrStaleTimestamp, unix, age.Round(time.Second), tolerance)
		}
	}
	return nil
}

// parseUnix accepts decimal digits only (Chatwoot's timestamps match \A\d+\z).
func parseUnix(s string) (int64, bool) {
	if len(s) == 0 || len(s) > 18 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// clip shortens s for error text.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
