package receivertest

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chathook/chathook/mockplatform"
)

// The schemas' fixtures: every valid payload of every version and profile.
const fixtureDir = "../../schemas/testdata"

func fixtures(t *testing.T, patterns ...string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, p := range patterns {
		files, err := filepath.Glob(filepath.Join(fixtureDir, p))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out[strings.TrimPrefix(f, fixtureDir+"/")] = bytes.TrimSpace(b) // no trailing newline, as the platforms send
		}
	}
	if len(out) == 0 {
		t.Skipf("no fixtures under %s matching %v", fixtureDir, patterns)
	}
	return out
}

// The variants whose defect is about unknown events, unknown keys and the
// raw bytes must accept every valid payload the platform sends: only what
// they do not know may trigger them.
func TestValidFixturesAccepted(t *testing.T) {
	t.Run("chatwoot", func(t *testing.T) {
		for _, variant := range []string{Correct, UnknownEvents5xx, UnknownKeys5xx, NoSignatureCheck, NoTimestampTolerance, RejectsDuplicates, NoConcurrency} {
			h := newTestReceiver(t, Config{Variant: variant, Secret: testSecret})
			for name, body := range fixtures(t, "chatwoot/valid/*.json") {
				if got := do(h, chatwootRequest(body, signed())); got.status != http.StatusOK {
					t.Errorf("%s: %s: got %v; want 200", variant, name, got)
				}
			}
		}
	})
	t.Run("chatwoot reserializes", func(t *testing.T) {
		h := newTestReceiver(t, Config{Variant: Reserializes, Secret: testSecret})
		accepted := 0
		for name, body := range fixtures(t, "chatwoot/valid/*.json") {
			// JSON.stringify compacts and drops optional escapes: the
			// variant accepts exactly the bodies it reproduces.
			want := http.StatusUnauthorized
			if re, err := reencode(body); err == nil && string(re) == string(body) {
				want = http.StatusOK
				accepted++
			}
			if got := do(h, chatwootRequest(body, signed())); got.status != want {
				t.Errorf("%s: got %v; want %d", name, got, want)
			}
		}
		if accepted == 0 {
			t.Error("no compact fixture without escapes: the test proves nothing")
		}
	})
	t.Run("swiftsell", func(t *testing.T) {
		for _, variant := range []string{Correct, UnknownEvents5xx, UnknownKeys5xx, RejectsDuplicates, NoConcurrency} {
			h := newTestReceiver(t, Config{Platform: mockplatform.PlatformSwiftsell, Variant: variant})
			for name, body := range fixtures(t, "swiftsell/valid/*.json", "swiftsell/seed/*.json") {
				if got := do(h, swiftsellRequest(body)); got.status != http.StatusOK {
					t.Errorf("%s: %s: got %v; want 200", variant, name, got)
				}
			}
		}
	})
}

// Drift fixtures with an unknown key where 5xx-unknown-keys looks.
func TestDriftFixturesTrigger(t *testing.T) {
	cw := newTestReceiver(t, Config{Variant: UnknownKeys5xx})
	for name, body := range fixtures(t, "chatwoot/drift/message_updated-future-top-level-status.json") {
		if got := do(cw, chatwootRequest(body)); got.status != http.StatusInternalServerError {
			t.Errorf("%s: got %v; want 500", name, got)
		}
		if got := do(newTestReceiver(t, Config{}), chatwootRequest(body)); got.status != http.StatusOK {
			t.Errorf("correct: %s: got %v; want 200", name, got)
		}
	}
	ss := newTestReceiver(t, Config{Platform: mockplatform.PlatformSwiftsell, Variant: UnknownKeys5xx})
	for name, body := range fixtures(t, "swiftsell/drift/event-unknown-key.json") {
		if got := do(ss, swiftsellRequest(body)); got.status != http.StatusInternalServerError {
			t.Errorf("%s: got %v; want 500", name, got)
		}
	}
}

// Every known event name and Swiftsell type has a fixture, so the lists of
// the 5xx-unknown-events variant match the schemas.
func TestKnownEventsMatchSchemas(t *testing.T) {
	files, _ := filepath.Glob("../../schemas/chatwoot/events/*.json")
	if len(files) == 0 {
		t.Skip("no chatwoot event schemas")
	}
	if len(files) != len(chatwootEvents) {
		t.Errorf("%d chatwoot event schemas, %d known events", len(files), len(chatwootEvents))
	}
	for _, f := range files {
		if _, ok := chatwootEvents[strings.TrimSuffix(filepath.Base(f), ".json")]; !ok {
			t.Errorf("event %s is not known", f)
		}
	}
	files, _ = filepath.Glob("../../schemas/swiftsell/events/*.json")
	if len(files) != len(ssPayloadKeys) {
		t.Errorf("%d swiftsell event schemas, %d known types", len(files), len(ssPayloadKeys))
	}
	for _, f := range files {
		if _, ok := ssPayloadKeys[strings.TrimSuffix(filepath.Base(f), ".json")]; !ok {
			t.Errorf("type %s is not known", f)
		}
	}
}
