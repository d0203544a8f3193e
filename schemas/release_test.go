package schemas_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/chathook/chathook/schemas"
)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/chatwoot/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A body validates pinned to a release that sends it, fails pinned to one
// that does not, and unpinned names the releases that could have sent it.
func TestReleasePinning(t *testing.T) {
	s := mustSet(t)
	tests := []struct {
		name, file, version string
		wantErrors          []string // substrings of the errors, in any order; none: valid
		wantDrift           []string
		wantReleases        string // unpinned: Result.Releases joined
	}{
		{name: "4.10 body unpinned", file: "valid/message_created-4.10-no-account.json", wantReleases: "4.8.0 to 4.14.1"},
		{name: "4.10 body pinned 4.10", file: "valid/message_created-4.10-no-account.json", version: "4.10"},
		{name: "4.10 body pinned 4.14.1", file: "valid/message_created-4.10-no-account.json", version: "4.14.1"},
		{name: "4.10 body pinned 4.16", file: "valid/message_created-4.10-no-account.json", version: "4.16",
			wantErrors: []string{`/conversation: Chatwoot 4.16.2 always sends "account" in a conversation`, `"icon" in a team`}},
		{name: "4.10 body pinned 4.7", file: "valid/message_created-4.10-no-account.json", version: "4.7",
			wantDrift: []string{`/conversation/meta: Chatwoot 4.7.0 never sends "assignee_type"`}},
		{name: "docs-era chimera pinned 4.16", file: "drift/chimera-conversation_created-docs-era-2x.json", version: "4.16",
			wantErrors: []string{`always sends "waiting_since" in a conversation event`, `/messages/0: Chatwoot 4.16.2 always sends "status"`}},
		{name: "docs-era chimera unpinned", file: "drift/chimera-conversation_created-docs-era-2x.json",
			wantDrift: []string{"no single Chatwoot release sends this body", "closest 2.4.0 to 2.4.1"}},
		{name: "contact event before 2.14", file: "valid/real-issue7274-contact_created-2023.json", version: "2.13",
			wantErrors: []string{`/event: Chatwoot 2.13.1 never sends the event "contact_created"`}},
		{name: "integer updated_at pinned 4.16", file: "drift/chimera-conversation_created-4.0-integer-updated-at.json", version: "4.16",
			wantErrors: []string{"/updated_at: Chatwoot 4.16.2 writes updated_at as a float"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.Validate(readFixture(t, tt.file), schemas.Options{Version: tt.version})
			if err != nil {
				t.Fatal(err)
			}
			check := func(kind string, got []schemas.Problem, want []string) {
				text := render(got)
				for _, w := range want {
					if !strings.Contains(text, w) {
						t.Errorf("%s: want %q in:\n%s", kind, w, text)
					}
				}
				if len(want) == 0 && len(got) > 0 {
					t.Errorf("%s: want none, got:\n%s", kind, text)
				}
			}
			check("errors", res.Errors, tt.wantErrors)
			if tt.wantDrift != nil || len(tt.wantErrors) == 0 {
				check("drift", res.Drift, tt.wantDrift)
			}
			if tt.version != "" && res.Release == "" {
				t.Error("Result.Release not set")
			}
			if got := strings.Join(res.Releases, ", "); tt.version == "" && got != tt.wantReleases {
				t.Errorf("Releases = %q, want %q", got, tt.wantReleases)
			}
		})
	}
}

func TestReleaseUnknownVersion(t *testing.T) {
	s := mustSet(t)
	for _, v := range []string{"4.17", "x", "1.17"} {
		if _, err := s.Validate([]byte(`{"event":"message_created"}`), schemas.Options{Version: v}); err == nil || errors.Is(err, schemas.ErrUnknown) {
			t.Errorf("Version %q: err = %v, want a release error", v, err)
		}
	}
	// Swiftsell has no release dimension: the version is ignored.
	res, err := s.Validate(readFixture(t, "../swiftsell/seed/01-conversation_create.json"), schemas.Options{Version: "4.16"})
	if err == nil && (res.Release != "" || len(res.Releases) != 0) {
		t.Errorf("swiftsell got release %q %v", res.Release, res.Releases)
	}
}

// Every real-body fixture is one some release sends, so it validates
// pinned to each release that could have sent it.
func TestValidFixturesPinnedToTheirReleases(t *testing.T) {
	s := mustSet(t)
	for _, f := range fixtures(t, "chatwoot/valid/*.json") {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.Validate(body, schemas.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Releases) == 0 {
			t.Errorf("%s: no release could have sent it", f)
			continue
		}
		for _, rng := range res.Releases {
			first, _, _ := strings.Cut(rng, " to ")
			pinned, err := s.Validate(body, schemas.Options{Version: first})
			if err != nil {
				t.Fatal(err)
			}
			if !pinned.OK(true) {
				t.Errorf("%s pinned to %s: %s%s", f, first, render(pinned.Errors), render(pinned.Drift))
			}
		}
	}
}

// Bodies rebuilt by hand from each release's source (testdata/chatwoot/
// releases/README.md says which lines): valid strictly pinned to their
// release and unpinned, rejected pinned to a release that could not have
// sent them.
func TestReleaseFixtures(t *testing.T) {
	s := mustSet(t)
	files := fixtures(t, "chatwoot/releases/*/*.json")
	if len(files) < 16 {
		t.Fatalf("only %d release fixtures", len(files))
	}
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			body, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			dir := f[:strings.LastIndex(f, "/")]
			version := dir[strings.LastIndex(dir, "/")+1:]
			pinned, err := s.Validate(body, schemas.Options{Version: version})
			if err != nil {
				t.Fatal(err)
			}
			if !pinned.OK(true) {
				t.Errorf("pinned to %s: %s%s", version, render(pinned.Errors), render(pinned.Drift))
			}
			res, err := s.Validate(body, schemas.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !res.OK(true) || !inRanges(version, res.Releases) {
				t.Errorf("unpinned: %v%s%s; want %s among the releases", res.Releases, render(res.Errors), render(res.Drift), version)
			}
			foreign := "4.16.2"
			if strings.HasPrefix(version, "4.") {
				foreign = "2.0.0"
			}
			other, err := s.Validate(body, schemas.Options{Version: foreign})
			if err != nil {
				t.Fatal(err)
			}
			if other.OK(true) {
				t.Errorf("pinned to %s, a %s body passes", foreign, version)
			}
			if strings.HasPrefix(version, "2.") || strings.HasPrefix(version, "3.") || strings.HasPrefix(version, "1.") {
				if len(other.Errors) == 0 {
					t.Errorf("pinned to %s, a pre-4.0 body has no errors (only drift: %s)", foreign, render(other.Drift))
				}
			}
		})
	}
}

// inRanges reports whether version falls in one of the "A to B" ranges.
func inRanges(version string, ranges []string) bool {
	num := func(v string) [3]int {
		var n [3]int
		for i, p := range strings.SplitN(v, ".", 3) {
			for _, c := range p {
				n[i] = n[i]*10 + int(c-'0')
			}
		}
		return n
	}
	less := func(a, b [3]int) bool {
		for i := range a {
			if a[i] != b[i] {
				return a[i] < b[i]
			}
		}
		return false
	}
	v := num(version)
	for _, r := range ranges {
		first, last, ok := strings.Cut(r, " to ")
		if !ok {
			last = first
		}
		if !less(v, num(first)) && !less(num(last), v) {
			return true
		}
	}
	return false
}
