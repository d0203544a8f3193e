package mockplatform

import (
	"encoding/json"
	"testing"
)

func TestTamper(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"content":"hi"}`, `{"content":"ii"}`},
		{`{"a":"\u003c!","b":"z"}`, `{"a":"\u003c!","b":"y"}`},
		{`{"a":"\n9"}`, `{"a":"\n8"}`},
		{`{"key":1}`, `{"key":2}`},
		{`{"n":[9,0]}`, `{"n":[8,0]}`},
		{`{"s":"","n":0.5}`, `{"s":"","n":1.5}`},
		{`{"k" : "Z"}`, `{"k" : "Y"}`},
	}
	for _, tt := range tests {
		got, ok := tamper([]byte(tt.in))
		if !ok || string(got) != tt.want || !json.Valid(got) {
			t.Errorf("tamper(%s) = %s, %v; want %s", tt.in, got, ok, tt.want)
		}
	}
	for _, in := range []string{`{}`, `{"a":true,"b":null}`, `{"k":"!?"}`} {
		if got, ok := tamper([]byte(in)); ok {
			t.Errorf("tamper(%s) = %s; want nothing to change", in, got)
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{"": "", "ab": "***", "abc": "***", "abcd": "abc***", "Привет": "При***"} {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q; want %q", in, got, want)
		}
	}
	if got := redactQuery("http://h/p?a=1&token=secret-value&b=2", "token"); got != "http://h/p?a=1&token=sec***&b=2" {
		t.Errorf("redactQuery = %s", got)
	}
}

func TestParseVersion(t *testing.T) {
	for in, want := range map[string]version{"latest": latestVersion, "": latestVersion, "4": {4, 0, 0}, "4.14": {4, 14, 0}, "v4.11.2": {4, 11, 2}, "2": {2, 0, 0}} {
		if got, err := parseVersion(in); err != nil || got != want {
			t.Errorf("parseVersion(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"x", "4.", "4.-1", "4.+1", "1.2.3.4", "4.x"} {
		if _, err := parseVersion(in); err == nil {
			t.Errorf("parseVersion(%q) succeeded; want an error", in)
		}
	}
}
