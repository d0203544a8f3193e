package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/chathook/chathook/mockplatform/receivertest"
)

func TestHandshake(t *testing.T) {
	const token = "tok-handshake-1"
	vars := map[string]string{"CHATHOOK_TOKEN": token}
	correct, err := receivertest.NewServer(receivertest.Config{Platform: "swiftsell", Token: token})
	if err != nil {
		t.Fatal(err)
	}
	defer correct.Close()
	wrong, err := receivertest.NewServer(receivertest.Config{Platform: "swiftsell", Token: token, Variant: receivertest.WrongHandshakeReply})
	if err != nil {
		t.Fatal(err)
	}
	defer wrong.Close()
	accepting, _ := newRecorder(t, 200, `{"ok":true}`) // accepts any handshake
	dead := closedPort(t)

	tests := []struct {
		name   string
		args   []string
		code   int
		inOut  string
		inErrs string
	}{
		{"passes", []string{"--target", correct.URL}, exitOK, "handshake passed: 200", ""},
		{"query placement", []string{"--target", correct.URL, "--token-placement", "query"}, exitOK, "handshake passed", ""},
		{"wrong reply", []string{"--target", wrong.URL}, exitFailed, "handshake failed: 200", ""},
		{"refusal expected and given", []string{"--target", correct.URL, "--fault", "wrong_token"}, exitOK, "handshake passed (expected a refusal: wrong_token): 401", ""},
		{"refusal expected, not given", []string{"--target", accepting.URL, "--fault", "wrong_token"}, exitFailed, "want 4xx", ""},
		{"refused", []string{"--target", dead}, exitUnreachable, "no answer (refused)", "cannot reach " + dead + ": connection refused (refused)"},
		{"chatwoot", []string{"--target", correct.URL, "--platform", "chatwoot"}, exitUsage, "", "Swiftsell feature"},
		{"signature fault", []string{"--target", correct.URL, "--fault", "wrong_signature"}, exitUsage, "", "does not apply"},
		{"no target", nil, exitUsage, "", "--target is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := execCLIEnv(t, context.Background(), vars, "", append([]string{"handshake"}, tt.args...)...)
			if code != tt.code || !strings.Contains(out, tt.inOut) || !strings.Contains(errs, tt.inErrs) {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errs)
			}
			if strings.Contains(out+errs, token) {
				t.Errorf("the token was printed whole:\n%s%s", out, errs)
			}
		})
	}
	code, _, errs := execCLI(t, "", "handshake", "--target", correct.URL)
	if code != exitUsage || !strings.Contains(errs, "--token is required") {
		t.Errorf("no token: exit %d %s", code, errs)
	}
}

func TestHandshakeJSON(t *testing.T) {
	srv, err := receivertest.NewServer(receivertest.Config{Platform: "swiftsell", Token: "tok-json-123"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	code, out, errs := execCLI(t, "", "handshake", "--target", srv.URL, "--token", "tok-json-123", "--format", "json", "--platform", "replycx")
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	var r struct {
		Passed   bool   `json:"passed"`
		Form     string `json:"form"`
		Status   int    `json:"status"`
		Response string `json:"response"`
		Token    string `json:"token"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || !r.Passed || r.Form == "" || r.Status != 200 || r.Token != "tok***" || strings.Contains(r.Response, "tok-json-123") {
		t.Errorf("%+v %v: %s", r, err, out)
	}
}
