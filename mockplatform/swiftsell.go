package mockplatform

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// Swiftsell's public page ("Integrations → Events") documents the payloads
// and says only that the token "will be passed when the event is published".
// Everything else here is chathook's assumption, each a setting:
//
//   - Body: the {"events":[...]} envelope, Content-Type application/json,
//     User-Agent Go's default (the real one is unknown).
//   - Token: in the header Config.TokenHeader (default X-Swiftsell-Token),
//     the query parameter Config.TokenParam (default "token"), or a
//     top-level body member Config.TokenParam added before "events"
//     ({"token":"...","events":[...]}); no token when Config.Token is empty.
//   - No delivery id, timestamp or signature header (none is documented).
//   - Timeout Config.Timeout, redirects followed as for Chatwoot, no retries.

func init() { registerProfile(PlatformSwiftsell, swiftsellProfile{}) }

// swiftsellMaxRedirects is how many redirects a Swiftsell delivery follows
// when Config.MaxRedirects is zero (an assumption, as the rest).
const swiftsellMaxRedirects = 10

type swiftsellProfile struct{}

func (swiftsellProfile) plan(p *Platform, target *url.URL, body []byte, o *deliverOptions) (*plan, error) {
	cfg := p.cfg
	for _, f := range o.faults {
		switch {
		case f.signatureFault():
			return nil, fmt.Errorf("%w: fault %q applies to chatwoot only", ErrInvalidArgument, string(f))
		case f.tokenFault() && cfg.Token == "":
			return nil, fmt.Errorf("%w: fault %q needs a token", ErrInvalidArgument, string(f))
		}
	}
	if o.deliveryID != "" {
		return nil, fmt.Errorf("%w: swiftsell sends no delivery id", ErrInvalidArgument)
	}
	u := *target
	pl := &plan{
		url:          &u,
		body:         body,
		header:       http.Header{"Content-Type": {"application/json"}},
		extra:        p.extraHeader(o),
		maxAttempts:  1,
		maxRedirects: cmp.Or(cfg.MaxRedirects, swiftsellMaxRedirects),
	}
	token := cfg.Token
	switch {
	case o.has(MissingToken):
		token = ""
	case o.has(WrongToken):
		token = wrongSecret(token)
	}
	if token == "" {
		return pl, nil
	}
	pl.secrets = []string{token, cfg.Token}
	switch cfg.TokenPlacement {
	case TokenInHeader:
		pl.header.Set(cfg.TokenHeader, token)
		pl.credentialHeaders = []string{cfg.TokenHeader}
	case TokenInQuery:
		pl.tokenParam = cfg.TokenParam
		kv := url.QueryEscape(cfg.TokenParam) + "=" + url.QueryEscape(token)
		if u.RawQuery == "" {
			u.RawQuery = kv
		} else {
			u.RawQuery += "&" + kv
		}
	case TokenInBody:
		b, err := setMember(body, cfg.TokenParam, appendJSONString(nil, token))
		if err != nil {
			return nil, fmt.Errorf("%w: cannot place the token in the body: not a JSON object", ErrInvalidArgument)
		}
		pl.body = b
		pl.bodyCredential = true
	}
	return pl, nil
}

// DeliverBatch delivers events. For Swiftsell, each body is an envelope or a
// single event object; their events are taken out as raw bytes (see
// SplitEnvelope), in order, and sent in envelopes of Config.BatchSize events,
// one POST per envelope. For Chatwoot, which has no batches, each body is one
// POST. It returns one Delivery per POST, in order, and stops early (without
// an error) when ctx ends.
//
// The error is non-nil only when nothing was sent: a body is not an envelope
// or event object, or an option does not apply (see Deliver).
func (p *Platform) DeliverBatch(ctx context.Context, target string, bodies [][]byte, opts ...DeliverOption) ([]*Delivery, error) {
	u, err := parseTarget(target)
	if err != nil {
		return nil, err
	}
	o := collect(opts)
	if err := checkFaults(o.faults); err != nil {
		return nil, err
	}
	posts := bodies
	if p.cfg.Platform == PlatformSwiftsell {
		var events []json.RawMessage
		for i, b := range bodies {
			es, err := SplitEnvelope(b)
			if err != nil {
				return nil, fmt.Errorf("mockplatform: body %d: %w", i, err)
			}
			events = append(events, es...)
		}
		posts = nil
		for size := max(p.cfg.BatchSize, 1); len(events) > 0; {
			n := min(size, len(events))
			posts = append(posts, joinEnvelope(events[:n], "", ""))
			events = events[n:]
		}
	}
	plans := make([]*plan, len(posts))
	for i, b := range posts {
		if plans[i], err = p.prof.plan(p, u, b, o); err != nil {
			return nil, err
		}
	}
	var out []*Delivery
	for _, pl := range plans {
		if ctx.Err() != nil {
			break
		}
		out = append(out, p.run(ctx, pl))
	}
	return out, nil
}
