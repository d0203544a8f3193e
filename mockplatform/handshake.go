package mockplatform

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// Handshake response forms, as reported in HandshakeResult.Form. An object
// form is FormJSONObject followed by the member name, e.g. "json-object:token".
const (
	FormRaw        = "raw"          // the body is exactly the token
	FormTrimmed    = "trimmed"      // the token with surrounding white space
	FormJSONString = "json-string"  // a JSON string holding the token
	FormJSONObject = "json-object:" // a JSON object with a string member equal to the token
)

// HandshakeResult records a Swiftsell handshake.
type HandshakeResult struct {
	// Passed is true when the receiver answered 200 and echoed the token.
	Passed bool
	// Form says how the token was echoed (FormRaw, FormTrimmed,
	// FormJSONString, or FormJSONObject+member); "" when it was not.
	Form string
	// Status is the HTTP status, 0 when there was no answer.
	Status int
	// Body is the captured response body (up to Config.CaptureBody bytes).
	Body []byte
	// Reason says why the handshake failed, e.g. `status 204, want 200`.
	Reason string
	// Err is the *DeliveryError when the receiver could not be reached.
	Err error
	// Delivery is the underlying POST.
	Delivery *Delivery
}

// Handshake performs Swiftsell's "save the webhook" handshake as chathook
// assumes it (the public page says only that the token is sent and must come
// back with 200 OK): a POST whose body is {"<TokenParam>":"<token>"} with the
// token also placed as Config.TokenPlacement says. It passes when the answer
// is 200 and the body is the token itself (raw, white-space trimmed, or a
// JSON string) or a JSON object with a string member equal to the token.
// Redirects are followed; there are no retries.
//
// The error is non-nil only when nothing was sent: the Config is not
// Swiftsell, has no Token, or target is not an http(s) URL. The WrongToken
// and MissingToken faults change (or leave out) the token wherever it is
// sent, the body included, while the answer is still checked against
// Config.Token.
func (p *Platform) Handshake(ctx context.Context, target string, opts ...DeliverOption) (*HandshakeResult, error) {
	if p.cfg.Platform != PlatformSwiftsell {
		return nil, fmt.Errorf("%w: the handshake is a swiftsell feature, not %s", ErrInvalidArgument, p.cfg.Platform)
	}
	if p.cfg.Token == "" {
		return nil, fmt.Errorf("%w: the handshake needs a token", ErrInvalidArgument)
	}
	o := collect(opts)
	body := []byte("{}")
	switch {
	case o.has(MissingToken):
	case o.has(WrongToken):
		body, _ = setMember(body, p.cfg.TokenParam, appendJSONString(nil, wrongSecret(p.cfg.Token)))
	default:
		body, _ = setMember(body, p.cfg.TokenParam, appendJSONString(nil, p.cfg.Token))
	}
	d, err := p.Deliver(ctx, target, body, opts...)
	if err != nil {
		return nil, err
	}
	r := &HandshakeResult{Delivery: d, Status: d.Status, Err: d.Err}
	last := d.Last()
	r.Body = last.Body
	switch {
	case d.Err != nil:
		r.Reason = fmt.Sprintf("no answer: %s", CauseOf(d.Err))
	case d.Status != http.StatusOK:
		r.Reason = fmt.Sprintf("status %d, want 200", d.Status)
	case last.Truncated:
		r.Reason = fmt.Sprintf("body of %d bytes is too long to be the token", last.BodySize)
	default:
		r.Form = echoForm(last.Body, p.cfg.Token)
		r.Passed = r.Form != ""
		if !r.Passed {
			r.Reason = fmt.Sprintf("body %s does not echo the token", quoteBody(last.Body))
		}
	}
	return r, nil
}

// echoForm says how body echoes token, "" when it does not.
func echoForm(body []byte, token string) string {
	if string(body) == token {
		return FormRaw
	}
	trimmed := bytes.TrimSpace(body)
	if string(trimmed) == token {
		return FormTrimmed
	}
	var s string
	if json.Unmarshal(trimmed, &s) == nil {
		if s == token {
			return FormJSONString
		}
		return ""
	}
	ms, err := topMembers(trimmed)
	if err != nil {
		return ""
	}
	for _, m := range ms {
		if json.Unmarshal(trimmed[m.start:m.end], &s) == nil && trimmed[m.start] == '"' && s == token {
			return FormJSONObject + m.key
		}
	}
	return ""
}

// quoteBody quotes a response body for a Reason, shortened to 64 bytes.
func quoteBody(b []byte) string {
	if len(b) > 64 {
		return strconv.Quote(string(b[:64])) + "..."
	}
	return strconv.Quote(string(b))
}
