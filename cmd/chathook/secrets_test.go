package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSecretsNeverShown: no command prints a secret or token whole, nor
// writes one into a report, wherever it came from: --secret/--token, the
// environment, or a credential in the target URL's query (api_key,
// access_token, key, secret, token) or user info; whether the target
// answers or not.
func TestSecretsNeverShown(t *testing.T) {
	const secret, token, envSecret, envToken = "flag-secret-0123456789", "flag-token-0123456789", "env-secret-abcdefghij", "env-token-abcdefghij"
	const qKey, qAccess, qSecret = "query-apikey-55555555", "query-access-66666666", "query-secret-77777777"
	// A receiver that echoes everything it got back, and one that is down.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(r.URL.String() + " " + r.Header.Get("X-Swiftsell-Token") + " " + r.Header.Get("Authorization")))
	}))
	t.Cleanup(echo.Close)
	dir := t.TempDir()
	body := filepath.Join(dir, "b.json")
	_ = os.WriteFile(body, firstPayload(t, "chatwoot", "message_created", "", 3, "realistic", "latest"), 0o600)
	vars := map[string]string{"CHATHOOK_SECRET": envSecret, "CHATHOOK_TOKEN": envToken}
	all := []string{secret, token, envSecret, envToken, qKey, qAccess, qSecret}
	for _, base := range []string{echo.URL, "http://127.0.0.1:1"} {
		target := base + "/hook?api_key=" + qKey + "&access_token=" + qAccess + "&secret=" + qSecret
		userTarget := strings.Replace(base, "http://", "http://admin:"+qSecret+"@", 1) + "/hook?key=" + qKey
		report := filepath.Join(dir, "report.json")
		junit := filepath.Join(dir, "report.xml")
		md := filepath.Join(dir, "report.md")
		for _, args := range [][]string{
			{"send", "--target", target, "--platform", "chatwoot", "--event", "message_created", "--secret", secret},
			{"send", "--target", userTarget, "--platform", "chatwoot", "--event", "message_created"},
			{"send", "--target", target, "--platform", "swiftsell", "--event", "message", "--token", token, "--token-placement", "query", "--format", "json"},
			{"send", "--target", target, "--file", body, "--header", "Authorization: Bearer " + token},
			{"scenario", "--target", target, "--platform", "chatwoot", "--secret", secret},
			{"replay", "--target", target, body, "--secret=" + secret},
			{"handshake", "--target", target, "--token", token},
			{"load", "--target", target, "--platform", "chatwoot", "--requests", "3", "--secret", secret},
			{"conform", "--target", target, "--platform", "chatwoot", "--secret", secret, "--json", report, "--junit", junit, "--markdown", md},
			{"conform", "--target", target, "--platform", "swiftsell", "--token", token, "--json", report},
		} {
			name := args[0] + " " + strings.TrimPrefix(base, "http://")
			t.Run(name, func(t *testing.T) {
				for _, f := range []string{report, junit, md} {
					_ = os.Remove(f)
				}
				var stdout, stderr string
				if args[0] == "conform" { // one Ginkgo run per process
					_, stdout, stderr = execChild(t, []string{"CHATHOOK_SECRET=" + envSecret, "CHATHOOK_TOKEN=" + envToken}, args...)
				} else {
					_, stdout, stderr = execCLIEnv(t, t.Context(), vars, "", args...)
				}
				out := stdout + stderr
				for _, f := range []string{report, junit, md} {
					if b, err := os.ReadFile(f); err == nil {
						out += string(b)
					}
				}
				for _, s := range all {
					if strings.Contains(out, s) {
						i := strings.Index(out, s)
						t.Fatalf("%v shows %q:\n...%s...", args, s, out[max(0, i-200):min(len(out), i+100)])
					}
				}
			})
		}
	}
}

func TestSecretsIn(t *testing.T) {
	got := secretsIn([]string{"--target", "x", "--secret", "a1", "--token=b2", "-user-token", "c3", "--token-placement", "query", "--token-param", "t", "--", "--secret", "no"})
	if strings.Join(got, ",") != "a1,b2,c3" {
		t.Errorf("secretsIn = %q", got)
	}
}
