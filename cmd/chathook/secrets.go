package main

import (
	"bytes"
	"html"
	"io"
	"net/url"
	"strings"

	"github.com/chathook/chathook/mockplatform"
)

// rawOutputCommands print data byte for byte (payloads, schema files): their
// output is never rewritten.
var rawOutputCommands = map[string]bool{"generate": true, "schemas": true, "events": true, "platforms": true, "version": true}

// redactOutput returns e with stdout and stderr passed through the one
// redaction (mockplatform.RedactAll): the secrets of the command line and
// the environment, and credentials in any URL, never reach the terminal or
// a log, whatever part of chathook (or a receiver's answer) printed them.
// Commands in rawOutputCommands are left alone.
func redactOutput(e *env, name string, args []string) *env {
	if rawOutputCommands[name] {
		return e
	}
	secrets := secretsIn(args)
	for _, k := range []string{"CHATHOOK_SECRET", "CHATHOOK_TOKEN"} {
		if v := e.getenv(k); v != "" {
			secrets = append(secrets, v)
		}
	}
	for _, a := range args { // credentials in a target URL, so that an echo of them is hidden too
		secrets = append(secrets, urlCredentials(a)...)
	}
	for _, s := range secrets { // as reports escape them
		if esc := html.EscapeString(s); esc != s {
			secrets = append(secrets, esc)
		}
	}
	re := *e
	re.secrets = secrets
	re.stdout = &redactingWriter{w: e.stdout, secrets: secrets}
	re.stderr = &redactingWriter{w: e.stderr, secrets: secrets}
	return &re
}

// secretsIn returns the values of every flag whose name holds "secret" or
// "token" (--secret S, --token=T, -user-token T, ...).
func secretsIn(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name, value, inline := strings.Cut(strings.TrimLeft(a, "-"), "=")
		n := strings.ToLower(name)
		if n == "header" || n == "h" { // --header 'Authorization: Bearer X'
			if !inline && i+1 < len(args) {
				i++
				value = args[i]
			}
			k, v, ok := strings.Cut(value, ":")
			if v = strings.TrimSpace(v); ok && v != "" && (mockplatform.IsCredentialParam(strings.TrimSpace(k)) || strings.EqualFold(strings.TrimSpace(k), "cookie")) {
				out = append(out, v)
				if _, cred, ok := strings.Cut(v, " "); ok && len(cred) >= 3 { // the credential of "Bearer X"
					out = append(out, cred)
				}
			}
			continue
		}
		if !strings.Contains(n, "secret") && !strings.Contains(n, "token") || strings.Contains(n, "placement") || strings.Contains(n, "param") || strings.Contains(n, "header") {
			continue
		}
		if !inline && i+1 < len(args) {
			i++
			value = args[i]
		}
		if value != "" {
			out = append(out, value)
		}
	}
	return out
}

// redactingWriter redacts each Write (chathook writes whole lines or
// documents at a time).
type redactingWriter struct {
	w       io.Writer
	secrets []string
}

func (r *redactingWriter) Write(p []byte) (int, error) {
	s := string(p)
	if out := mockplatform.RedactAll(s, r.secrets...); out != s {
		if _, err := io.WriteString(r.w, out); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	return r.w.Write(p)
}

// urlCredentials returns the credentials an absolute URL carries: its user
// info and the values of its credential query parameters.
func urlCredentials(raw string) []string {
	if !strings.Contains(raw, "://") {
		raw = raw[strings.Index(raw, "=")+1:] // --target=URL
		if !strings.Contains(raw, "://") {
			return nil
		}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil
	}
	var out []string
	if u.User != nil {
		if p, ok := u.User.Password(); ok && p != "" {
			out = append(out, p)
		}
		if n := u.User.Username(); len(n) >= 8 { // a token as the user name
			out = append(out, n)
		}
	}
	for k, vs := range u.Query() {
		if mockplatform.IsCredentialParam(k) {
			for _, v := range vs {
				if v != "" {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

// redactReport makes a report writer redact like the output does: a report
// file is output too.
func redactReport(e *env, write func(io.Writer) error) func(io.Writer) error {
	return func(w io.Writer) error {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			return err
		}
		_, err := io.WriteString(w, mockplatform.RedactAll(buf.String(), e.secrets...))
		return err
	}
}
