package mockplatform

import (
	"net/http"
	"net/url"
	"time"
)

// profile is one platform's delivery behaviour. Adding a platform means a new
// file with a profile and its registerProfile call, nothing else.
type profile interface {
	// plan prepares one delivery of body to target, or returns an
	// ErrInvalidArgument error when it cannot be sent as asked.
	plan(p *Platform, target *url.URL, body []byte, o *deliverOptions) (*plan, error)
}

// profiles holds the registered platforms by canonical name.
var profiles = map[string]profile{}

func registerProfile(name string, p profile) { profiles[name] = p }

// plan is everything the delivery loop needs, computed once per delivery.
type plan struct {
	url        *url.URL
	body       []byte      // exactly the bytes to send
	header     http.Header // headers that do not change between attempts
	extra      http.Header // Config.Header and WithHeader, set last
	deliveryID string      // "" when none is sent
	tokenParam string      // query parameter to redact in errors; "" none
	// secrets are redacted from every error (the token, the secret).
	secrets []string
	// credentialHeaders are dropped, like Authorization, on a redirect to
	// another origin (the Swiftsell token header); bodyCredential says the
	// body carries the token, so a redirect to another origin is not
	// followed at all (the body cannot be resent without it).
	credentialHeaders []string
	bodyCredential    bool
	// stamp adds the per-attempt headers (timestamp, signature) for the
	// clock reading now, and returns the timestamp used (0 when unsigned).
	stamp func(h http.Header, now time.Time) int64
	// retry says whether a final status is worth another attempt.
	retry       func(status int) bool
	maxAttempts int
	// wait is the pause between attempts when Config.RetryWait is zero.
	wait time.Duration
	// maxRedirects is how many 3xx are followed; negative: none.
	maxRedirects int
	// redirect says whether a 3xx answer with a Location to a request of
	// method is followed, and with which method (a GET is sent without a
	// body). Nil: every one is followed with the same method and body.
	redirect func(status int, method string) (next string, follow bool)
	// keepCredentials keeps Authorization and Cookie on a redirect to
	// another origin (RestClient does; Net::HTTP via SafeFetch strips them).
	keepCredentials bool
}

// attemptHeader builds the headers of one attempt.
func (pl *plan) attemptHeader(now time.Time) (http.Header, int64) {
	h := pl.header.Clone()
	var ts int64
	if pl.stamp != nil {
		ts = pl.stamp(h, now)
	}
	for k, vs := range pl.extra {
		h[k] = append([]string(nil), vs...)
	}
	return h, ts
}
