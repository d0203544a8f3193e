package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chathook/chathook/mockplatform"
)

func init() {
	c := &command{
		name:    "verify",
		summary: "check a Chatwoot signature (or a Swiftsell token) for a body, as a receiver should",
		usage: "chathook verify [--platform chatwoot|swiftsell] --secret S --signature SIG --timestamp T [--tolerance D] [--format text|json] FILE|-\n\n" +
			"Chatwoot: recomputes sha256=<hex HMAC-SHA256(secret, \"<timestamp>.<raw body>\")> over exactly the bytes of FILE\n" +
			"(- is stdin) and compares it in constant time with --signature (the X-Chatwoot-Signature value, with or\n" +
			"without the header name). --tolerance D also rejects a timestamp more than D from now (default 0: not checked).\n" +
			"When it does not verify, the reason says what the signature is instead when it can tell (an HMAC of the body\n" +
			"alone, bare hex without sha256=, another timestamp).\n" +
			"Swiftsell (--platform swiftsell or replycx): --received-token T2 (what arrived in the header or query) or, with\n" +
			"--token-placement body, the body's \"token\" member is compared with --token.\n" +
			"Exit 0 when it verifies, 1 when it does not (with the reason), 2 on a usage or input error.",
		example: `export CHATHOOK_SECRET=s3cret
printf '{}' | chathook verify --timestamp 1700000000 --signature "sha256=$(printf '1700000000.{}' | openssl dgst -sha256 -hmac s3cret -r | cut -d' ' -f1)" -
chathook verify --timestamp "$TS" --signature "$SIG" --tolerance 5m --format json capture.json
CHATHOOK_TOKEN=t0ken chathook verify --platform replycx --received-token "$GOT" body.json`,
	}
	c.run = func(ctx context.Context, e *env, args []string) error { return runVerify(c, e, args) }
	register(c)
}

// verifyOutput is verify's --format json document.
type verifyOutput struct {
	Platform string `json:"platform"`
	Verified bool   `json:"verified"`
	Reason   string `json:"reason,omitempty"`
	Error    string `json:"error,omitempty"` // one of mockplatform's Err* names, when not verified
}

func runVerify(c *command, e *env, args []string) error {
	fs := newFlagSet(c, e)
	platform := fs.String("platform", "chatwoot", "`platform` or alias: chatwoot (bevatel, messagehub, voxsig) or swiftsell (replycx)")
	secret := fs.String("secret", "", "Chatwoot signing `secret` (default $CHATHOOK_SECRET)")
	signature := fs.String("signature", "", "the X-Chatwoot-Signature `value` received, sha256=<hex>")
	timestamp := fs.String("timestamp", "", "the X-Chatwoot-Timestamp `value` received (unix seconds)")
	tolerance := fs.Duration("tolerance", 0, "also reject a timestamp more than this from now; 0: not checked")
	token := fs.String("token", "", "Swiftsell `token` expected (default $CHATHOOK_TOKEN)")
	received := fs.String("received-token", "", "Swiftsell `token` received in the header or query")
	placement := fs.String("token-placement", mockplatform.TokenInHeader, "where the Swiftsell token travelled: `header`, query (use --received-token) or body (read from FILE)")
	format := fs.String("format", "text", "output `format`: text or json")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	if *tolerance < 0 {
		return usageErrorf("--tolerance must not be negative")
	}
	p, err := signPlatform(*platform)
	if err != nil {
		return err
	}
	body, err := readBodyArg(e, pos)
	if err != nil {
		return err
	}
	out := verifyOutput{Platform: p}
	if p == mockplatform.PlatformSwiftsell {
		if err := verifyToken(&out, secretFrom(*token, "CHATHOOK_TOKEN", e), *received, *placement, body); err != nil {
			return err
		}
	} else {
		key := secretFrom(*secret, "CHATHOOK_SECRET", e)
		switch {
		case key == "":
			return usageErrorf("--secret is required (or CHATHOOK_SECRET)")
		case *signature == "":
			return usageErrorf("--signature is required (the X-Chatwoot-Signature value)")
		case *timestamp == "":
			return usageErrorf("--timestamp is required (the X-Chatwoot-Timestamp value)")
		}
		sig := headerValue(*signature, mockplatform.HeaderSignature)
		ts := headerValue(*timestamp, mockplatform.HeaderTimestamp)
		err := mockplatform.Verify(key, sig, ts, body, time.Now(), *tolerance)
		out.Verified = err == nil
		if err != nil {
			out.Error = verifyErrorName(err)
			out.Reason = strings.TrimPrefix(err.Error(), "mockplatform: ")
			hint, known := signatureHint(key, sig, ts, body)
			if errors.Is(err, mockplatform.ErrSignatureMismatch) || known && errors.Is(err, mockplatform.ErrMalformedSignature) {
				out.Reason += ": " + hint
			}
		}
	}
	if *format == "json" {
		if err := writeJSON(e.stdout, out); err != nil {
			return err
		}
	} else if out.Verified {
		fmt.Fprintf(e.stdout, "ok: the %s verifies\n", map[bool]string{true: "token", false: "signature"}[p == mockplatform.PlatformSwiftsell])
	} else {
		fmt.Fprintf(e.stdout, "not verified: %s\n", out.Reason)
	}
	if !out.Verified {
		return failed()
	}
	return nil
}

// headerValue accepts "Name: value" as pasted from a capture.
func headerValue(s, name string) string {
	s = strings.TrimSpace(s)
	if v, ok := strings.CutPrefix(strings.ToLower(s), strings.ToLower(name)+":"); ok {
		return strings.TrimSpace(s[len(s)-len(v):])
	}
	return s
}

func verifyErrorName(err error) string {
	for _, c := range []struct {
		err  error
		name string
	}{
		{mockplatform.ErrMissingSignature, "missing_signature"},
		{mockplatform.ErrMalformedSignature, "malformed_signature"},
		{mockplatform.ErrMissingTimestamp, "missing_timestamp"},
		{mockplatform.ErrMalformedTimestamp, "malformed_timestamp"},
		{mockplatform.ErrStaleTimestamp, "stale_timestamp"},
		{mockplatform.ErrSignatureMismatch, "signature_mismatch"},
	} {
		if errors.Is(err, c.err) {
			return c.name
		}
	}
	return "error"
}

// signatureHint tells what a signature that does not verify is, when it is
// one of the common mistakes (known), or a general hint.
func signatureHint(secret, sig, ts string, body []byte) (hint string, known bool) {
	general := "the secret, the timestamp or the body bytes differ from what was signed (sign exactly the raw body received)"
	hexPart := strings.TrimPrefix(sig, "sha256=")
	got, err := hex.DecodeString(hexPart)
	if err != nil || len(got) != sha256.Size {
		return general, false
	}
	mac := func(parts ...[]byte) []byte {
		m := hmac.New(sha256.New, []byte(secret))
		for _, p := range parts {
			m.Write(p)
		}
		return m.Sum(nil)
	}
	switch {
	case !strings.HasPrefix(sig, "sha256=") && hmac.Equal(got, mac([]byte(ts), []byte("."), body)):
		return "it is the right HMAC as bare hex; Chatwoot sends it as sha256=<hex>", true
	case hmac.Equal(got, mac(body)):
		return "it is an HMAC of the body alone; Chatwoot signs \"<timestamp>.<raw body>\"", true
	case hmac.Equal(got, mac([]byte(ts), body)):
		return "it is an HMAC of the timestamp and body without the dot; Chatwoot signs \"<timestamp>.<raw body>\"", true
	}
	return general, false
}

// verifyToken compares the Swiftsell token that arrived with the expected one.
func verifyToken(out *verifyOutput, want, got, placement string, body []byte) error {
	if want == "" {
		return usageErrorf("--token is required for swiftsell (or CHATHOOK_TOKEN)")
	}
	switch placement {
	case mockplatform.TokenInHeader, mockplatform.TokenInQuery:
	case mockplatform.TokenInBody:
		var m map[string]json.RawMessage
		if err := json.Unmarshal(body, &m); err != nil || m == nil {
			return usageErrorf("--token-placement body: the body is not a JSON object")
		}
		raw, ok := m["token"]
		if !ok {
			out.Reason = `the body has no "token" member`
			return nil
		}
		if err := json.Unmarshal(raw, &got); err != nil {
			out.Reason = `the body's "token" member is not a string`
			return nil
		}
	default:
		return usageErrorf("--token-placement %q: want header, query or body", placement)
	}
	if got == "" {
		if placement != mockplatform.TokenInBody {
			return usageErrorf("--received-token is required with --token-placement %s", placement)
		}
		out.Reason = "the token is empty"
		return nil
	}
	out.Verified = subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
	if !out.Verified {
		out.Reason = "the token differs from --token"
	}
	return nil
}
