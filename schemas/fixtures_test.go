package schemas_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/chathook/chathook/schemas"
)

var update = flag.Bool("update", false, "rewrite the .golden files of invalid fixtures")

func mustSet(t testing.TB) *schemas.Set {
	t.Helper()
	s, err := schemas.Default()
	if err != nil {
		t.Fatalf("schemas.Default: %v", err)
	}
	return s
}

func fixtures(t *testing.T, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

func validateFile(t *testing.T, s *schemas.Set, file string) *schemas.Result {
	t.Helper()
	body, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	platform := strings.Split(filepath.ToSlash(file), "/")[1] // testdata/<platform>/...
	res, err := s.Validate(body, schemas.Options{Platform: platform})
	if err != nil {
		t.Fatalf("Validate(%s): %v", file, err)
	}
	return res
}

// wantPointers reads a fixture's .want file: one JSON pointer per line,
// "(root)" for the whole body.
func wantPointers(t *testing.T, fixture string) []string {
	t.Helper()
	b, err := os.ReadFile(strings.TrimSuffix(fixture, ".json") + ".want")
	if err != nil {
		t.Fatalf("%s has no .want file: %v", fixture, err)
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		switch line {
		case "":
		case "(root)":
			out = append(out, "")
		default:
			out = append(out, line)
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s: empty .want file", fixture)
	}
	return out
}

func render(ps []schemas.Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.String())
		b.WriteByte('\n')
	}
	return b.String()
}

func TestSwiftsellSeedExamplesValidateAsTheyAre(t *testing.T) {
	s := mustSet(t)
	files := fixtures(t, "swiftsell/seed/*.json")
	if len(files) != 28 {
		t.Fatalf("found %d seed examples; want the page's 28", len(files))
	}
	for _, f := range files {
		res := validateFile(t, s, f)
		if !res.OK(true) {
			t.Errorf("%s: want valid without drift, got errors:\n%sdrift:\n%s", f, render(res.Errors), render(res.Drift))
		}
		if res.Platform != "swiftsell" || len(res.Events) == 0 {
			t.Errorf("%s: platform %q events %v", f, res.Platform, res.Events)
		}
	}
}

func TestValidFixtures(t *testing.T) {
	s := mustSet(t)
	for _, f := range fixtures(t, "*/valid/*.json") {
		t.Run(f, func(t *testing.T) {
			res := validateFile(t, s, f)
			if !res.OK(true) {
				t.Errorf("want valid without drift, got errors:\n%sdrift:\n%s", render(res.Errors), render(res.Drift))
			}
		})
	}
}

func TestDriftFixturesWarnButPass(t *testing.T) {
	s := mustSet(t)
	files := fixtures(t, "*/drift/*.json")
	if len(files) == 0 {
		t.Fatal("no drift fixtures")
	}
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			res := validateFile(t, s, f)
			if len(res.Errors) != 0 {
				t.Fatalf("want no errors, got:\n%s", render(res.Errors))
			}
			if res.OK(true) {
				t.Fatal("want drift in strict mode, got none")
			}
			if !res.OK(false) {
				t.Fatal("want valid in lenient mode")
			}
			assertPointers(t, res.Drift, wantPointers(t, f))
		})
	}
}

func TestInvalidFixtures(t *testing.T) {
	s := mustSet(t)
	files := fixtures(t, "*/invalid/*.json")
	if len(files) < 40 {
		t.Errorf("only %d invalid fixtures; want at least 40", len(files))
	}
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			res := validateFile(t, s, f)
			if len(res.Errors) == 0 {
				t.Fatalf("want errors, got a valid result (drift: %s)", render(res.Drift))
			}
			assertPointers(t, res.Errors, wantPointers(t, f))
			golden := strings.TrimSuffix(f, ".json") + ".golden"
			got := render(res.Errors)
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("missing golden file (run go test ./schemas -update): %v", err)
			}
			if got != string(want) {
				t.Errorf("errors changed (go test ./schemas -update to accept)\ngot:\n%swant:\n%s", got, want)
			}
		})
	}
}

func assertPointers(t *testing.T, got []schemas.Problem, want []string) {
	t.Helper()
	have := map[string]bool{}
	for _, p := range got {
		have[p.Pointer] = true
	}
	for _, w := range want {
		if !have[w] {
			t.Errorf("no problem reported at %q; got:\n%s", w, render(got))
		}
	}
}

func TestMalformedBodies(t *testing.T) {
	s := mustSet(t)
	big := bytes.Repeat([]byte("x"), 50<<20)
	tests := []struct {
		name, body, platform, want string
	}{
		{"not json", "hello", "", "not JSON: invalid character 'h'"},
		{"truncated", `{"event":"message_created","id":`, "", "not JSON: truncated document"},
		{"empty", "", "", "empty body"},
		{"blank", " \n\t", "chatwoot", "empty body"},
		{"two documents", `{"event":"x"} {}`, "", "unexpected data after the document"},
		{"top-level array", `[{"event":"message_created"}]`, "", "not a webhook body of any platform"},
		{"top-level array for chatwoot", `[{"event":"message_created"}]`, "chatwoot", "expected object"},
		{"string", `"message_created"`, "", "not a webhook body of any platform"},
		{"null", `null`, "swiftsell", "expected object"},
		{"missing event", `{"id":1}`, "chatwoot", "missing required key(s): 'event'"},
		{"dotted event", `{"event":"conversation.status_changed"}`, "", `/event: value must be`},
		{"50 MB of garbage", string(big), "", "not JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.Validate([]byte(tt.body), schemas.Options{Platform: tt.platform})
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if res.OK(false) {
				t.Fatal("want invalid")
			}
			if got := render(res.Errors); !strings.Contains(got, tt.want) {
				t.Errorf("errors = %q; want one containing %q", got, tt.want)
			}
		})
	}
}

func TestUnknownOptionsAreErrors(t *testing.T) {
	s := mustSet(t)
	for _, opt := range []schemas.Options{{Platform: "slack"}, {Event: "message.created"}, {Platform: "swiftsell", Event: "message_created"}} {
		if _, err := s.Validate([]byte(`{}`), opt); err == nil || !strings.Contains(err.Error(), "valid:") {
			t.Errorf("Validate(%+v) error = %v; want an unknown-name error listing valid names", opt, err)
		}
	}
}

func TestPlatformsAndAliases(t *testing.T) {
	s := mustSet(t)
	for alias, want := range map[string]string{
		"chatwoot": "chatwoot", "Bevatel": "chatwoot", "messagehub": "chatwoot", "voxsig": "chatwoot",
		"swiftsell": "swiftsell", "replycx": "swiftsell",
	} {
		p, err := s.Platform(alias)
		if err != nil || p.Name != want {
			t.Errorf("Platform(%q) = %v, %v; want %s", alias, p, err, want)
		}
	}
	cw, _ := s.Platform("chatwoot")
	for _, ev := range []string{"message_created", "conversation_status_changed", "inbox_updated", "conversation_opened", "macro.executed", "automation_event.message_created"} {
		if !cw.HasEvent(ev) {
			t.Errorf("chatwoot lacks event %s", ev)
		}
	}
	ss, _ := s.Platform("swiftsell")
	if len(ss.Events) != 7 || len(ss.Kinds["message"]) != 21 {
		t.Errorf("swiftsell: %d events, %d message kinds; want 7 and 21", len(ss.Events), len(ss.Kinds["message"]))
	}
}

func TestExportKeepsIDs(t *testing.T) {
	s := mustSet(t)
	dir := t.TempDir()
	if err := s.Export(dir); err != nil {
		t.Fatal(err)
	}
	for _, p := range s.Files() {
		b, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			ID string `json:"$id"`
		}
		if err := json.Unmarshal(b, &doc); err != nil || doc.ID != schemas.BaseURI+p {
			t.Errorf("%s: exported $id = %q (%v); want %q", p, doc.ID, err, schemas.BaseURI+p)
		}
	}
}
