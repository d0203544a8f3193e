package mockplatform_test

import (
	"strings"
	"testing"

	"github.com/chathook/chathook/mockplatform"
)

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{"": "", "abc": "***", "abcdef": "***", "abcdefg": "abc***", "ключ-секрет": "клю***"} {
		if got := mockplatform.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q; want %q", in, got, want)
		}
	}
}

// TestRedactURL: no credential in a URL survives, wherever it sits.
func TestRedactURL(t *testing.T) {
	const secret, token = "s3cr3t-value-42", "tok-9f8e7d6c5b"
	for _, tc := range []struct{ in, want string }{
		{"https://h.test/hook?secret=hunter2hunter2", "https://h.test/hook?secret=hun***"},
		{"https://h.test/hook?token=abcdefgh&x=1", "https://h.test/hook?token=abc***&x=1"},
		{"https://h.test/hook?key=k1k2k3k4&api_key=zzzzzzzz&access_token=aaaaaaaa&apiKey=bbbbbbbb&X-Auth=cccccccc",
			"https://h.test/hook?key=k1k***&api_key=zzz***&access_token=aaa***&apiKey=bbb***&X-Auth=ccc***"},
		{"https://h.test/hook?auth_token=short", "https://h.test/hook?auth_token=***"},
		{"https://h.test/hook?q=" + token, "https://h.test/hook?q=tok***"},   // the --token's value, under any name
		{"https://h.test/" + secret + "/hook", "https://h.test/s3c***/hook"}, // in the path
		{"https://user:p4ssw0rd-long@h.test/", "https://***:xxxxx@h.test/"},
		{"https://" + token + "@h.test/", "https://tok***@h.test/"},
		{"https://h.test/hook?page=2&lang=en", "https://h.test/hook?page=2&lang=en"},
		{"not a url " + secret, "not a url s3c***"},
	} {
		if got := mockplatform.RedactURL(tc.in, secret, token); got != tc.want {
			t.Errorf("RedactURL(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestRedactAll(t *testing.T) {
	in := `cannot reach Post "https://h.test/hook?access_token=eyJhbGciOiJIUzI1NiJ9.e30.x": dial tcp: refused; secret was s3cr3t-value-42`
	got := mockplatform.RedactAll(in, "s3cr3t-value-42")
	if strings.Contains(got, "eyJhbGciOiJIUzI1NiJ9") || strings.Contains(got, "s3cr3t-value-42") || !strings.Contains(got, "access_token=eyJ***") {
		t.Errorf("RedactAll = %q", got)
	}
}
