package mockplatform

import (
	"net/url"
	"regexp"
	"strings"
)

// Secrets are never printed whole by chathook, wherever they come from (a
// flag, the environment, a URL's query or user info). These are the one
// implementation every package and command uses.

// Redact shows at most the first 3 characters of a secret: "" stays "",
// a secret of up to 6 characters becomes "***", a longer one "abc***".
func Redact(s string) string {
	r := []rune(s)
	switch {
	case len(r) == 0:
		return ""
	case len(r) <= 6:
		return "***"
	default:
		return string(r[:3]) + "***"
	}
}

// IsCredentialParam reports whether a query parameter of this name carries
// a credential (token, secret, key, api_key, access_token, password,
// signature, ...), so that its value is never shown.
func IsCredentialParam(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "key", "sig", "auth", "pass", "pwd", "code", "jwt", "session", "sid", "hmac":
		return true
	}
	for _, part := range []string{"token", "secret", "apikey", "api_key", "api-key", "_key", "-key", "key_", "password",
		"passwd", "signature", "credential", "auth", "bearer", "session"} {
		if strings.Contains(n, part) {
			return true
		}
	}
	return false
}

// RedactURL returns raw with its user info, the values of its credential
// query parameters (IsCredentialParam) and every one of secrets (in any
// parameter, the path or the fragment) replaced by their Redact form. A raw
// that is not a URL is returned with only the secrets replaced.
func RedactURL(raw string, secrets ...string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme == "" && u.Host == "" && u.RawQuery == "") {
		return RedactText(raw, secrets...)
	}
	userFrom, userTo := "", ""
	if u.User != nil {
		userFrom, userTo = "//"+u.User.String()+"@", "//"+Redact(u.User.Username())
		if _, has := u.User.Password(); has {
			userTo += ":xxxxx"
		}
		userTo += "@"
	}
	if u.RawQuery != "" {
		parts := strings.Split(u.RawQuery, "&")
		for i, kv := range parts {
			k, v, hasValue := strings.Cut(kv, "=")
			key, err := url.QueryUnescape(k)
			if err != nil {
				key = k
			}
			val, err := url.QueryUnescape(v)
			if err != nil {
				val = v
			}
			if hasValue && (IsCredentialParam(key) || isOneOf(val, secrets)) {
				parts[i] = k + "=" + url.QueryEscape(strings.TrimSuffix(Redact(val), "***")) + "***"
			}
		}
		u.RawQuery = strings.Join(parts, "&")
	}
	out := u.String()
	if userFrom != "" {
		out = strings.Replace(out, userFrom, userTo, 1)
	}
	return RedactText(out, secrets...)
}

func isOneOf(s string, secrets []string) bool {
	for _, sec := range secrets {
		if sec != "" && s == sec {
			return true
		}
	}
	return false
}

// RedactText replaces every occurrence of each secret in s (as is, and
// query- or path-escaped) by its Redact form. Secrets shorter than 3
// characters are left alone (they would mangle ordinary text).
func RedactText(s string, secrets ...string) string {
	for _, sec := range secrets {
		if len(sec) < 3 {
			continue
		}
		for _, form := range []string{sec, url.QueryEscape(sec), url.PathEscape(sec)} {
			if strings.Contains(s, form) {
				s = strings.ReplaceAll(s, form, Redact(sec))
			}
		}
	}
	return s
}

// urlInText finds absolute URLs with a query or user info in free text.
var urlInText = regexp.MustCompile(`https?://[^\s"'<>` + "`" + `]*[?@][^\s"'<>` + "`" + `]*`)

// RedactAll is RedactText plus RedactURL on every URL in s: for text of any
// origin (errors, logs, reports) that may quote a URL with a token in it.
func RedactAll(s string, secrets ...string) string {
	if strings.Contains(s, "://") {
		s = urlInText.ReplaceAllStringFunc(s, func(u string) string { return RedactURL(u, secrets...) })
	}
	return RedactText(s, secrets...)
}
