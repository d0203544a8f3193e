package schemas_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chathook/chathook/schemas"
)

// FuzzValidate feeds arbitrary bytes to validation: it must never panic,
// and a result is either valid or names at least one problem.
func FuzzValidate(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/*/*.json")
	for i, p := range seeds {
		if i%4 != 0 { // a sample of every kind of fixture is enough
			continue
		}
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"event":"message_created"}`))
	f.Add([]byte(`{"events":[{}]}`))
	f.Add([]byte(`[1,2`))
	f.Add([]byte{})
	s, err := schemas.Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, opt := range []schemas.Options{{}, {Platform: "chatwoot"}, {Platform: "swiftsell"}} {
			res, err := s.Validate(body, opt)
			if err != nil {
				t.Fatalf("Validate(%q, %+v): unexpected error %v", body, opt, err)
			}
			if !res.OK(true) && len(res.Errors)+len(res.Drift) == 0 {
				t.Fatalf("invalid result without any problem for %q", body)
			}
			for _, p := range res.Errors {
				if p.Message == "" {
					t.Fatalf("problem without a message: %+v", p)
				}
			}
		}
	})
}
