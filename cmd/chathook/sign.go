package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/chathook/chathook/mockplatform"
)

func init() {
	c := &command{
		name:    "sign",
		summary: "print the signature headers a Chatwoot delivery of a body carries (or where a Swiftsell token goes)",
		usage: "chathook sign [--platform chatwoot|swiftsell] --secret S [--timestamp T] [--format text|json] FILE|-\n\n" +
			"Chatwoot: the X-Chatwoot-Timestamp and X-Chatwoot-Signature header lines for exactly the bytes of FILE\n" +
			"(- is stdin): sha256=<hex HMAC-SHA256(secret, \"<timestamp>.<raw body>\")>. --timestamp defaults to now.\n" +
			"Swiftsell (--platform swiftsell or replycx) has no signature: it prints how --token travels with the body\n" +
			"(--token-placement header: the header line; query: the query parameter; body: the body with the token member).\n" +
			"Secrets may come from CHATHOOK_SECRET and CHATHOOK_TOKEN.",
		example: `export CHATHOOK_SECRET=s3cret
chathook generate --platform chatwoot --event message_created --seed 42 > body.json
chathook sign --timestamp 1700000000 body.json
chathook sign --format json - < body.json
curl -H 'Content-Type: application/json' $(chathook sign body.json | sed 's/^/-H /; s/: /:/') --data-binary @body.json http://127.0.0.1:8080/webhooks`,
	}
	c.run = func(ctx context.Context, e *env, args []string) error { return runSign(c, e, args) }
	register(c)
}

// signOutput is sign's --format json document.
type signOutput struct {
	Platform  string            `json:"platform"`
	Timestamp string            `json:"timestamp,omitempty"`
	Signature string            `json:"signature,omitempty"`
	Headers   map[string]string `json:"headers,omitempty"`
	Query     map[string]string `json:"query,omitempty"`
	Body      json.RawMessage   `json:"body,omitempty"` // Swiftsell --token-placement body
}

func runSign(c *command, e *env, args []string) error {
	fs := newFlagSet(c, e)
	platform := fs.String("platform", "chatwoot", "`platform` or alias: chatwoot (bevatel, messagehub, voxsig) or swiftsell (replycx)")
	secret := fs.String("secret", "", "Chatwoot signing `secret` (default $CHATHOOK_SECRET)")
	timestamp := fs.String("timestamp", "", "unix `seconds` of the delivery (default: now)")
	token := fs.String("token", "", "Swiftsell `token` (default $CHATHOOK_TOKEN)")
	placement := fs.String("token-placement", mockplatform.TokenInHeader, "where the Swiftsell token travels: `header` (X-Swiftsell-Token), query or body (parameter/member \"token\")")
	format := fs.String("format", "text", "output `format`: text (header lines) or json")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	p, err := signPlatform(*platform)
	if err != nil {
		return err
	}
	body, err := readBodyArg(e, pos)
	if err != nil {
		return err
	}
	out := signOutput{Platform: p}
	if p == mockplatform.PlatformSwiftsell {
		tok := secretFrom(*token, "CHATHOOK_TOKEN", e)
		if tok == "" {
			return usageErrorf("--token is required for swiftsell (or CHATHOOK_TOKEN)")
		}
		if err := placeToken(&out, *placement, tok, body); err != nil {
			return err
		}
	} else {
		key := secretFrom(*secret, "CHATHOOK_SECRET", e)
		if key == "" {
			return usageErrorf("--secret is required (or CHATHOOK_SECRET)")
		}
		ts := time.Now().Unix()
		if *timestamp != "" {
			if ts, err = parseTimestampFlag(*timestamp); err != nil {
				return err
			}
		}
		out.Timestamp = strconv.FormatInt(ts, 10)
		out.Signature = mockplatform.Sign(key, ts, body)
		out.Headers = map[string]string{mockplatform.HeaderTimestamp: out.Timestamp, mockplatform.HeaderSignature: out.Signature}
	}
	if *format == "json" {
		return writeJSON(e.stdout, out)
	}
	switch {
	case out.Signature != "":
		fmt.Fprintf(e.stdout, "%s: %s\n%s: %s\n", mockplatform.HeaderTimestamp, out.Timestamp, mockplatform.HeaderSignature, out.Signature)
	case out.Headers != nil:
		for k, v := range out.Headers {
			fmt.Fprintf(e.stdout, "%s: %s\n", k, v)
		}
	case out.Query != nil:
		fmt.Fprintf(e.stdout, "?token=%s\n", out.Query["token"])
	default:
		fmt.Fprintf(e.stdout, "%s\n", out.Body)
	}
	return nil
}

// signPlatform resolves --platform to chatwoot or swiftsell.
func signPlatform(name string) (string, error) {
	set, err := loadSchemas()
	if err != nil {
		return "", err
	}
	p, err := resolvePlatform(set, name)
	if err != nil {
		return "", err
	}
	return p.Name, nil
}

func placeToken(out *signOutput, placement, tok string, body []byte) error {
	switch placement {
	case mockplatform.TokenInHeader:
		out.Headers = map[string]string{mockplatform.DefaultTokenHeader: tok}
	case mockplatform.TokenInQuery:
		out.Query = map[string]string{"token": tok}
	case mockplatform.TokenInBody:
		var m map[string]json.RawMessage
		if err := json.Unmarshal(body, &m); err != nil || m == nil {
			return usageErrorf("--token-placement body: the body is not a JSON object")
		}
		if _, ok := m["token"]; ok {
			return usageErrorf("--token-placement body: the body already has a \"token\" member")
		}
		// Append the member, keeping the body's bytes as they are.
		t, _ := json.Marshal(tok)
		b := bytes.TrimSpace(body)
		member := append([]byte(`"token":`), t...)
		if len(m) > 0 {
			member = append([]byte{','}, member...)
		}
		out.Body = append(append(bytes.Clone(b[:len(b)-1]), member...), '}')
	default:
		return usageErrorf("--token-placement %q: want header, query or body", placement)
	}
	return nil
}

// parseTimestampFlag reads --timestamp as unix seconds.
func parseTimestampFlag(s string) (int64, error) {
	ts, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || ts < 0 {
		return 0, usageErrorf("--timestamp %q: want unix seconds, e.g. %d", s, time.Now().Unix())
	}
	return ts, nil
}

// readBodyArg reads the one FILE|- argument's bytes exactly.
func readBodyArg(e *env, pos []string) ([]byte, error) {
	switch {
	case len(pos) == 0:
		return nil, usageErrorf("want the body: FILE, or - for stdin")
	case len(pos) > 1:
		return nil, usageErrorf("unexpected argument %q: want one FILE or -", pos[1])
	}
	if pos[0] == "-" {
		b, err := io.ReadAll(io.LimitReader(e.stdin, maxSignBody+1))
		if err != nil {
			return nil, usageErrorf("reading stdin: %v", err)
		}
		if len(b) > maxSignBody {
			return nil, usageErrorf("stdin: body larger than %d bytes", maxSignBody)
		}
		return b, nil
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return nil, usageErrorf("%s: %v", pos[0], unwrapPathError(err))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSignBody+1))
	if err != nil {
		return nil, usageErrorf("%s: %v", pos[0], unwrapPathError(err))
	}
	if len(b) > maxSignBody {
		return nil, usageErrorf("%s: body larger than %d bytes", pos[0], maxSignBody)
	}
	return b, nil
}

// maxSignBody bounds the body sign and verify read (Chatwoot bodies are far
// smaller).
const maxSignBody = 64 << 20
