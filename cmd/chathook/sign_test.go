package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// knownSig is HMAC-SHA256("s3cret", `1700000000.{"a":1}`), computed with
// openssl (printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac s3cret).
const knownSig = "sha256=1698a50bc74d1ff1db85c4e0a5297c2ad9fdba245d5737cdb789e4cc6e098940"

func TestSignVerify(t *testing.T) {
	dir := t.TempDir()
	body := filepath.Join(dir, "b.json")
	if err := os.WriteFile(body, []byte(`{"a":1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	// bodyOnly is HMAC-SHA256("s3cret", `{"a":1}`) (openssl, as above).
	const bodyOnly = "sha256=5910e62016ef5034272c926c27071992a465c2335cecf41851bda071577f4f6d"
	tests := []struct {
		name    string
		stdin   string
		args    []string
		code    int
		wantOut string
		wantErr string
	}{
		{"sign", "", []string{"sign", "--secret", "s3cret", "--timestamp", "1700000000", body}, 0,
			"X-Chatwoot-Timestamp: 1700000000\nX-Chatwoot-Signature: " + knownSig + "\n", ""},
		{"sign stdin json", `{"a":1}`, []string{"sign", "--secret", "s3cret", "--timestamp", "1700000000", "--format", "json", "-"}, 0, `"signature": "` + knownSig + `"`, ""},
		{"sign no secret", "", []string{"sign", body}, 2, "", "--secret is required"},
		{"sign no file", "", []string{"sign", "--secret", "s"}, 2, "", "want the body"},
		{"sign missing file", "", []string{"sign", "--secret", "s", filepath.Join(dir, "nope.json")}, 2, "", "nope.json"},
		{"sign bad timestamp", "", []string{"sign", "--secret", "s", "--timestamp", "soon", body}, 2, "", "--timestamp"},
		{"sign two files", "", []string{"sign", "--secret", "s", body, body}, 2, "", "unexpected argument"},
		{"sign swiftsell header", "", []string{"sign", "--platform", "replycx", "--token", "tk", body}, 0, "X-Swiftsell-Token: tk\n", ""},
		{"sign swiftsell body", "", []string{"sign", "--platform", "swiftsell", "--token", "tk", "--token-placement", "body", body}, 0, `{"a":1,"token":"tk"}` + "\n", ""},
		{"verify ok", "", []string{"verify", "--secret", "s3cret", "--timestamp", "1700000000", "--signature", knownSig, body}, 0, "ok: the signature verifies", ""},
		{"verify header line", "", []string{"verify", "--secret", "s3cret", "--timestamp", "X-Chatwoot-Timestamp: 1700000000", "--signature", "X-Chatwoot-Signature: " + knownSig, body}, 0, "ok", ""},
		{"verify other timestamp", "", []string{"verify", "--secret", "s3cret", "--timestamp", "1700000001", "--signature", knownSig, body}, 1, "signature mismatch", ""},
		{"verify wrong secret", "", []string{"verify", "--secret", "other", "--timestamp", "1700000000", "--signature", knownSig, body}, 1, "signature mismatch", ""},
		{"verify bare hex", "", []string{"verify", "--secret", "s3cret", "--timestamp", "1700000000", "--signature", strings.TrimPrefix(knownSig, "sha256="), body}, 1, "bare hex", ""},
		{"verify body only", "", []string{"verify", "--secret", "s3cret", "--timestamp", "1700000000", "--signature", bodyOnly, body}, 1, "body alone", ""},
		{"verify stale", "", []string{"verify", "--secret", "s3cret", "--timestamp", "1700000000", "--signature", knownSig, "--tolerance", "5m", body}, 1, "stale timestamp", ""},
		{"verify json", "", []string{"verify", "--secret", "s3cret", "--timestamp", "1700000001", "--signature", knownSig, "--format", "json", body}, 1, `"error": "signature_mismatch"`, ""},
		{"verify no signature", "", []string{"verify", "--secret", "s3cret", "--timestamp", "1", body}, 2, "", "--signature is required"},
		{"verify token ok", "", []string{"verify", "--platform", "replycx", "--token", "tk", "--received-token", "tk", body}, 0, "ok: the token verifies", ""},
		{"verify token wrong", "", []string{"verify", "--platform", "replycx", "--token", "tk", "--received-token", "tx", body}, 1, "differs", ""},
		{"verify token body", `{"a":1,"token":"tk"}`, []string{"verify", "--platform", "swiftsell", "--token", "tk", "--token-placement", "body", "-"}, 0, "ok", ""},
		{"verify token body missing", "", []string{"verify", "--platform", "swiftsell", "--token", "tk", "--token-placement", "body", body}, 1, `no "token" member`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := execCLI(t, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.wantOut) || !strings.Contains(errs, tt.wantErr) {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errs)
			}
		})
	}
}

// TestSignThenVerify feeds sign's JSON to verify, for bodies of every shape.
func TestSignThenVerify(t *testing.T) {
	for _, body := range []string{`{}`, `{"content":"caf\u00e9 <b>"}`, "{\"a\":1}\n", ``} {
		code, out, errs := execCLI(t, body, "sign", "--secret", "k", "--format", "json", "-")
		if code != 0 {
			t.Fatalf("sign: exit %d: %s", code, errs)
		}
		var got signOutput
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		code, out, errs = execCLI(t, body, "verify", "--secret", "k", "--timestamp", got.Timestamp, "--signature", got.Signature, "--tolerance", "1m", "-")
		if code != 0 {
			t.Errorf("verify %q: exit %d\n%s%s", body, code, out, errs)
		}
		if code, _, _ = execCLI(t, body+" ", "verify", "--secret", "k", "--timestamp", got.Timestamp, "--signature", got.Signature, "-"); code != 1 {
			t.Errorf("verify %q plus a space: exit %d, want 1", body, code)
		}
	}
}
