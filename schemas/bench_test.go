package schemas_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chathook/chathook/schemas"
)

// BenchmarkValidate measures validation per platform against the
// encoding/json decode of the same bytes (the floor: validation must at
// least decode), so the ratio can be read from one run:
//
//	go test -run '^$' -bench 'Validate|Decode' -count 5 ./schemas
func BenchmarkValidate(b *testing.B) {
	s, err := schemas.Default()
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range benchBodies(b) {
		b.Run(tc.name+"/validate", func(b *testing.B) {
			b.SetBytes(int64(len(tc.body)))
			for i := 0; i < b.N; i++ {
				res, err := s.Validate(tc.body, schemas.Options{Platform: tc.platform})
				if err != nil || !res.OK(true) {
					b.Fatalf("invalid: %v %v", err, res.Errors)
				}
			}
		})
		b.Run(tc.name+"/decode", func(b *testing.B) {
			b.SetBytes(int64(len(tc.body)))
			for i := 0; i < b.N; i++ {
				d := json.NewDecoder(bytes.NewReader(tc.body))
				d.UseNumber()
				var v any
				if err := d.Decode(&v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func firstMatch(pattern string) (string, error) {
	m, err := filepath.Glob(pattern)
	if err != nil || len(m) == 0 {
		return "", fmt.Errorf("no file matches %s", pattern)
	}
	return m[0], nil
}

type benchBody struct {
	name, platform string
	body           []byte
}

func benchBodies(b *testing.B) []benchBody {
	read := func(p string) []byte {
		body, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		return body
	}
	cw, _ := firstMatch("testdata/chatwoot/valid/message_created-incoming-widget-text-4.16.json")
	ss, _ := firstMatch("testdata/swiftsell/seed/01-*.json")
	return []benchBody{
		{"chatwoot/message_created", "chatwoot", read(cw)},
		{"swiftsell/conversation_create", "swiftsell", read(ss)},
	}
}
