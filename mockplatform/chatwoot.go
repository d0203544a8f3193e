package mockplatform

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/chathook/chathook/releases"
)

func init() { registerProfile(PlatformChatwoot, chatwootProfile{}) }

// acceptEncoding is Net::HTTP's default, which both Chatwoot transports
// (RestClient and SafeFetch) leave in place.
const acceptEncoding = "gzip;q=1.0,deflate;q=0.6,identity;q=0.3"

// chatwootProfile delivers as lib/webhooks/trigger.rb of the configured
// release does; every release fact comes from package releases.
type chatwootProfile struct{}

func (p *Platform) kind() releases.Kind { return releases.Kind(p.cfg.Receiver) }

// Signs reports whether p's deliveries carry X-Chatwoot-Timestamp and
// X-Chatwoot-Signature: the platform is Chatwoot, a Secret is set, and the
// imitated release signs the configured receiver kind. The signature faults
// need it.
func (p *Platform) Signs() bool {
	return p.cfg.Platform == PlatformChatwoot && p.cfg.Secret != "" && p.release.Signs(p.kind())
}

// firstRelease names the oldest release for which ok holds, for messages.
func firstRelease(ok func(releases.Release) bool) string {
	if r, found := releases.First(ok); found {
		return r.Version() + " or later"
	}
	return "no release"
}

// restClientRedirect is RestClient 2.1's answer to a redirect: 301, 302 and
// 307 are followed only for GET and HEAD, 303 turns into a GET without a
// body, anything else (308 included) is the final answer.
func restClientRedirect(status int, method string) (string, bool) {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect:
		return method, method == http.MethodGet
	case http.StatusSeeOther:
		return http.MethodGet, true
	}
	return method, false
}

func (chatwootProfile) plan(p *Platform, target *url.URL, body []byte, o *deliverOptions) (*plan, error) {
	cfg, r, k := p.cfg, p.release, p.kind()
	signing := p.Signs()
	for _, f := range o.faults {
		switch {
		case f.tokenFault():
			return nil, fmt.Errorf("%w: fault %q applies to swiftsell only", ErrInvalidArgument, string(f))
		case f.signatureFault() && !signing:
			return nil, fmt.Errorf("%w: fault %q needs a secret and a release that signs %s webhooks (%s)", ErrInvalidArgument, string(f), cfg.Receiver,
				firstRelease(func(r releases.Release) bool { return r.Signs(k) }))
		}
	}
	sendsID := r.SendsDeliveryID(k)
	if o.deliveryID != "" && !sendsID {
		return nil, fmt.Errorf("%w: chatwoot %s sends no %s to %s webhooks (%s)", ErrInvalidArgument, r, HeaderDelivery, cfg.Receiver,
			firstRelease(func(r releases.Release) bool { return r.SendsDeliveryID(k) }))
	}

	h := http.Header{
		"Content-Type":    {"application/json"},
		"Accept":          {"application/json"},
		"Accept-Encoding": {acceptEncoding},
		"User-Agent":      {r.UserAgent()},
	}
	rd := r.Redirects()
	pl := &plan{url: target, body: body, header: h, extra: p.extraHeader(o), maxAttempts: 1, maxRedirects: rd.Max}
	pl.secrets = []string{cfg.Secret}
	if cfg.MaxRedirects != 0 {
		pl.maxRedirects = cfg.MaxRedirects
	}
	if !rd.FollowsPOST {
		pl.redirect, pl.keepCredentials = restClientRedirect, true
	}
	if sendsID && !o.noDeliveryID {
		pl.deliveryID = o.deliveryID
		if pl.deliveryID == "" {
			pl.deliveryID = newUUID()
		}
		h[HeaderDelivery] = []string{pl.deliveryID}
	}
	if rt := r.Retries(k); rt.Attempts > 1 {
		pl.maxAttempts = rt.Attempts
		if cfg.MaxAttempts > 0 {
			pl.maxAttempts = cfg.MaxAttempts
		}
		pl.wait = rt.Wait
		statuses := rt.Statuses
		pl.retry = func(status int) bool { return slices.Contains(statuses, status) }
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
