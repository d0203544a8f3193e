package main

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// FuzzReadPayloads feeds arbitrary stdin to the JSON/JSONL reader: it must
// not panic, and the payloads it yields, in order, hold exactly the
// non-blank content of the input (one document, or one per line).
func FuzzReadPayloads(f *testing.F) {
	f.Add([]byte(`{"event":"message_created"}`))
	f.Add([]byte("{\"a\":1}\n{\"b\":2}\n"))
	f.Add([]byte("{\n  \"a\": 1\n}\n"))
	f.Add([]byte("\n\n{}\r\n[]\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, in []byte) {
		e := &env{stdin: bytes.NewReader(in), stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
		var got [][]byte
		err := readPayloads(e, []string{"-"}, 1<<20, func(p payload) error {
			if !strings.HasPrefix(p.source, "stdin") {
				t.Fatalf("source %q", p.source)
			}
			got = append(got, p.body)
			return nil
		})
		if err != nil {
			t.Fatalf("readPayloads: %v", err)
		}
		if len(got) == 1 && bytes.Equal(got[0], in) {
			return // one document, untouched
		}
		var want [][]byte
		for _, l := range bytes.Split(in, []byte("\n")) {
			l = bytes.TrimRight(l, "\r")
			if len(bytes.TrimSpace(l)) > 0 {
				want = append(want, l)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("got %d payloads, want %d lines", len(got), len(want))
		}
		for i := range got {
			if !bytes.Equal(got[i], want[i]) {
				t.Fatalf("payload %d = %q, want %q", i, got[i], want[i])
			}
		}
	})
}
