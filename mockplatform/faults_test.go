package mockplatform_test

import (
	"encoding/json"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/chathook/chathook/mockplatform"
)

func TestSignatureFaults(t *testing.T) {
	tests := []struct {
		fault mockplatform.Fault
		want  error
	}{
		{"", nil},
		{mockplatform.WrongSignature, mockplatform.ErrSignatureMismatch},
		{mockplatform.MissingSignature, mockplatform.ErrMissingSignature},
		{mockplatform.BodyOnlySignature, mockplatform.ErrSignatureMismatch},
		{mockplatform.StaleTimestamp, mockplatform.ErrStaleTimestamp},
		{mockplatform.TamperedBody, mockplatform.ErrSignatureMismatch},
	}
	for _, tt := range tests {
		t.Run(string(tt.fault), func(t *testing.T) {
			rc := newReceiver(t, nil)
			cfg := testConfig()
			cfg.Secret = testSecret
			var opts []mockplatform.DeliverOption
			if tt.fault != "" {
				opts = append(opts, mockplatform.WithFault(tt.fault))
			}
			d := deliver(t, newPlatform(t, cfg), rc.URL, chatBody, opts...)
			r := rc.requests()[0]
			sig, ts := r.Header.Get("X-Chatwoot-Signature"), r.Header.Get("X-Chatwoot-Timestamp")
			err := mockplatform.Verify(testSecret, sig, ts, r.Body, epoch, 5*time.Minute)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("receiver's Verify = %v; want %v", err, tt.want)
			}
			if r.Header.Get("X-Chatwoot-Delivery") == "" || !d.OK() {
				t.Errorf("fault delivery lost its delivery id or failed: %v", d.Err)
			}
			switch tt.fault {
			case mockplatform.MissingSignature:
				if _, ok := r.Header["X-Chatwoot-Timestamp"]; ok {
					t.Errorf("MissingSignature still sent X-Chatwoot-Timestamp %q", ts)
				}
			case mockplatform.BodyOnlySignature:
				if want := independentHMAC(testSecret, string(chatBody)); sig != want {
					t.Errorf("BodyOnlySignature sent %s; want the body-only HMAC %s", sig, want)
				}
			case mockplatform.WrongSignature:
				if ts != strconv.FormatInt(epoch.Unix(), 10) {
					t.Errorf("WrongSignature timestamp = %s; want now", ts)
				}
			case mockplatform.StaleTimestamp:
				if want := strconv.FormatInt(epoch.Add(-10*time.Minute).Unix(), 10); ts != want {
					t.Errorf("StaleTimestamp timestamp = %s; want %s (10 minutes old)", ts, want)
				}
				if err := mockplatform.Verify(testSecret, sig, ts, r.Body, epoch, 0); err != nil {
					t.Errorf("StaleTimestamp is not correctly signed for its old timestamp: %v", err)
				}
			case mockplatform.TamperedBody:
				diff := 0
				for i := range r.Body {
					if i < len(chatBody) && r.Body[i] != chatBody[i] {
						diff++
					}
				}
				if len(r.Body) != len(chatBody) || diff != 1 || !json.Valid(r.Body) {
					t.Errorf("tampered body %s: %d bytes differ, valid JSON %v; want 1 byte changed, valid JSON", r.Body, diff, json.Valid(r.Body))
				}
				if err := mockplatform.Verify(testSecret, sig, ts, chatBody, epoch, 0); err != nil {
					t.Errorf("TamperedBody signature does not cover the original body: %v", err)
				}
			}
		})
	}
}

func TestStaleAgeSetting(t *testing.T) {
	rc := newReceiver(t, nil)
	cfg := testConfig()
	cfg.Secret, cfg.StaleAge = testSecret, time.Hour
	deliver(t, newPlatform(t, cfg), rc.URL, chatBody, mockplatform.WithFault(mockplatform.StaleTimestamp))
	if got, want := rc.requests()[0].Header.Get("X-Chatwoot-Timestamp"), strconv.FormatInt(epoch.Add(-time.Hour).Unix(), 10); got != want {
		t.Errorf("timestamp = %s; want %s", got, want)
	}
}

func TestFaultsThatDoNotApply(t *testing.T) {
	signed := testConfig()
	signed.Secret = testSecret
	unsigned := testConfig()
	old := signed
	old.Version = "4.10"
	inbox412 := signed
	inbox412.Receiver, inbox412.Version = mockplatform.ReceiverAPIInbox, "4.12"
	swift := swiftConfig(mockplatform.TokenInHeader)
	swiftNoToken := swift
	swiftNoToken.Token = ""
	tests := []struct {
		name   string
		cfg    mockplatform.Config
		body   string
		faults []mockplatform.Fault
	}{
		{"token fault on chatwoot", signed, `{}`, []mockplatform.Fault{mockplatform.WrongToken}},
		{"signature fault without secret", unsigned, `{}`, []mockplatform.Fault{mockplatform.WrongSignature}},
		{"signature fault on 4.10", old, `{}`, []mockplatform.Fault{mockplatform.StaleTimestamp}},
		{"api inbox on 4.12 is unsigned", inbox412, `{}`, []mockplatform.Fault{mockplatform.MissingSignature}},
		{"signature fault on swiftsell", swift, `{}`, []mockplatform.Fault{mockplatform.BodyOnlySignature}},
		{"token fault without token", swiftNoToken, `{}`, []mockplatform.Fault{mockplatform.MissingToken}},
		{"two signature faults", signed, `{}`, []mockplatform.Fault{mockplatform.WrongSignature, mockplatform.MissingSignature}},
		{"wrong and missing token", swift, `{}`, []mockplatform.Fault{mockplatform.WrongToken, mockplatform.MissingToken}},
		{"unknown fault", signed, `{}`, []mockplatform.Fault{"nonsense"}},
		{"nothing to tamper", signed, `{}`, []mockplatform.Fault{mockplatform.TamperedBody}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []mockplatform.DeliverOption
			for _, f := range tt.faults {
				opts = append(opts, mockplatform.WithFault(f))
			}
			_, err := newPlatform(t, tt.cfg).Deliver(t.Context(), "http://127.0.0.1:1/", []byte(tt.body), opts...)
			if !errors.Is(err, mockplatform.ErrInvalidArgument) {
				t.Errorf("Deliver error = %v; want ErrInvalidArgument", err)
			}
		})
	}
}

func TestParseFault(t *testing.T) {
	for _, f := range mockplatform.Faults() {
		if got, err := mockplatform.ParseFault(string(f)); err != nil || got != f {
			t.Errorf("ParseFault(%q) = %q, %v", f, got, err)
		}
	}
	if _, err := mockplatform.ParseFault("wrong-signature"); !errors.Is(err, mockplatform.ErrInvalidArgument) {
		t.Errorf("ParseFault(unknown) error = %v", err)
	}
	if n := len(mockplatform.Faults()); n != 7 {
		t.Errorf("Faults() has %d faults; want 7", n)
	}
}
