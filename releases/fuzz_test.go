package releases

import (
	"errors"
	"strings"
	"testing"
)

// FuzzLookup: any string either names a release of the table, whose number
// matches the parts given, or is an error; never a panic.
func FuzzLookup(f *testing.F) {
	for _, s := range []string{"", "latest", "4", "4.12", "4.12.0", "v2.4.1", "4.17", "1.2.3.4", "-1", "+4", "4..1", " 3.16 ", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := Lookup(s)
		if err != nil {
			if r.e != nil {
				t.Fatalf("Lookup(%q) returned a release and an error", s)
			}
			if !strings.HasPrefix(err.Error(), "releases: ") {
				t.Fatalf("error %q lacks the package prefix", err)
			}
			return
		}
		if errors.Is(err, ErrUnknown) {
			t.Fatal("ErrUnknown without an error")
		}
		if _, err := Lookup(r.Version()); err != nil {
			t.Fatalf("Lookup(%q) = %s, which does not look up: %v", s, r, err)
		}
		if n, parts, err := parseNumber(s); err == nil {
			for i := 0; i < parts; i++ {
				if r.e.num[i] != n[i] {
					t.Fatalf("Lookup(%q) = %s, another line", s, r)
				}
			}
		}
	})
}
