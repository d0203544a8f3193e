package mockplatform

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

func init() { registerProfile(PlatformChatwoot, chatwootProfile{}) }

// User agents of the two Chatwoot transports.
const (
	userAgentNetHTTP    = "Ruby"                                           // SafeFetch → Net::HTTP, 4.14.0+
	userAgentRestClient = "rest-client/2.1.0 (linux x86_64) ruby/3.3.3p89" // RestClient, before 4.14.0
	acceptEncoding      = "gzip;q=1.0,deflate;q=0.6,identity;q=0.3"        // Net::HTTP's default, both transports
)

// chatwootProfile delivers as lib/webhooks/trigger.rb does (chatwoot.md §3).
type chatwootProfile struct{}

// signedFrom is the first version that signs (and sends
// X-Chatwoot-Delivery to) the configured receiver kind.
func (p *Platform) signedFrom() version {
	if p.cfg.Receiver != ReceiverAccount {
		return inboxSignedFrom
	}
	return accountSignedFrom
}

// Signs reports whether p's deliveries carry X-Chatwoot-Timestamp and
// X-Chatwoot-Signature: the platform is Chatwoot, a Secret is set, and the
// imitated version signs the configured receiver kind. The signature faults
// need it.
func (p *Platform) Signs() bool {
	return p.cfg.Platform == PlatformChatwoot && p.cfg.Secret != "" && p.version.atLeast(p.signedFrom())
}

func (chatwootProfile) plan(p *Platform, target *url.URL, body []byte, o *deliverOptions) (*plan, error) {
	cfg, v := p.cfg, p.version
	signedFrom := p.signedFrom()
	modern := v.atLeast(signedFrom) // sends X-Chatwoot-Delivery, signs with a secret
	signing := p.Signs()
	for _, f := range o.faults {
		switch {
		case f.tokenFault():
			return nil, fmt.Errorf("%w: fault %q applies to swiftsell only", ErrInvalidArgument, string(f))
		case f.signatureFault() && !signing:
			return nil, fmt.Errorf("%w: fault %q needs a secret and a version that signs %s webhooks (%s or later)", ErrInvalidArgument, string(f), cfg.Receiver, signedFrom)
		}
	}
	if o.deliveryID != "" && !modern {
		return nil, fmt.Errorf("%w: chatwoot %s sends no %s to %s webhooks", ErrInvalidArgument, v, HeaderDelivery, cfg.Receiver)
	}

	h := http.Header{
		"Content-Type":    {"application/json"},
		"Accept":          {"application/json"},
		"Accept-Encoding": {acceptEncoding},
		"User-Agent":      {userAgentRestClient},
	}
	if v.atLeast(safeFetchFrom) {
		h["User-Agent"] = []string{userAgentNetHTTP}
	}
	pl := &plan{url: target, body: body, header: h, extra: p.extraHeader(o), maxAttempts: 1, maxRedirects: -1}
	if modern && !o.noDeliveryID {
		pl.deliveryID = o.deliveryID
		if pl.deliveryID == "" {
			pl.deliveryID = newUUID()
		}
		h[HeaderDelivery] = []string{pl.deliveryID}
	}
	if v.atLeast(safeFetchFrom) {
		pl.maxRedirects = cfg.MaxRedirects
	}
	if cfg.Receiver == ReceiverAgentBot && v.atLeast(accountSignedFrom) {
		pl.maxAttempts = max(cfg.MaxAttempts, 1)
		pl.retry = func(status int) bool {
			return status == http.StatusTooManyRequests || status == http.StatusInternalServerError
		}
	}
	if !signing {
		return pl, nil
	}

	signed := body
	if o.has(TamperedBody) {
		t, ok := tamper(body)
		if !ok {
			return nil, fmt.Errorf("%w: fault %q: the body has no string value or number to change", ErrInvalidArgument, string(TamperedBody))
		}
		pl.body = t
	}
	secret, staleAge := cfg.Secret, cfg.StaleAge
	pinned := o.timestamp
	pl.stamp = func(h http.Header, now time.Time) int64 {
		if o.has(MissingSignature) {
			return 0
		}
		if !pinned.IsZero() {
			now = pinned
		}
		if o.has(StaleTimestamp) {
			now = now.Add(-staleAge)
		}
		ts := now.Unix()
		var sig string
		switch {
		case o.has(WrongSignature):
			sig = Sign(wrongSecret(secret), ts, signed)
		case o.has(BodyOnlySignature):
			m := hmac.New(sha256.New, []byte(secret))
			m.Write(signed)
			sig = signaturePrefix + hex.EncodeToString(m.Sum(nil))
		default:
			sig = Sign(secret, ts, signed)
		}
		h[HeaderTimestamp] = []string{fmt.Sprint(ts)}
		h[HeaderSignature] = []string{sig}
		return ts
	}
	return pl, nil
}

// newUUID returns a random (version 4) UUID from crypto/rand, as Ruby's
// SecureRandom.uuid.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}
