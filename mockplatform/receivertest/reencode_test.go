package receivertest

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"unicode/utf8"
)

func TestReencode(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`{"a":1,"b":"x"}`, `{"a":1,"b":"x"}`},
		{`{"b":1,"a":2}`, `{"b":1,"a":2}`}, // order kept
		{` { "a" : [ 1 , 2 ] ,"b":{} , "c":[]} `, `{"a":[1,2],"b":{},"c":[]}`},
		{`{"n":[1.50,1e3,-0,1763177714.230474,12345678901234567890]}`, `{"n":[1.50,1e3,-0,1763177714.230474,12345678901234567890]}`},
		{`{"t":true,"f":false,"z":null}`, `{"t":true,"f":false,"z":null}`},
		{`{"h":"\u003cb\u003e \u0026 \u003e"}`, `{"h":"<b> & >"}`},
		{`{"ls":"a\u2028b\u2029c"}`, "{\"ls\":\"a\u2028b\u2029c\"}"},
		{`{"u":"caf\u00e9 \ud83d\ude00 \/"}`, `{"u":"café 😀 /"}`},
		{`{"c":"\"\\\n\t\r\b\f\u0001\u001F"}`, `{"c":"\"\\\n\t\r\b\f\u0001\u001f"}`},
		{`{"\u003ckey\u003e":1}`, `{"<key>":1}`},
		{`[{"a":[{}]},[[]]]`, `[{"a":[{}]},[[]]]`},
		{`"s"`, `"s"`},
		{`7`, `7`},
	} {
		got, err := reencode([]byte(tt.in))
		if err != nil || string(got) != tt.want {
			t.Errorf("reencode(%s) = %s, %v; want %s", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{``, ` `, `{`, `{"a":}`, `{}{}`, `{} 1`, `[1,]`, `nul`} {
		if got, err := reencode([]byte(bad)); err == nil {
			t.Errorf("reencode(%q) = %s; want an error", bad, got)
		}
	}
}

// FuzzReencode checks that the re-serialization keeps the value, is
// idempotent, and reproduces compact bodies that have no optional escapes.
func FuzzReencode(f *testing.F) {
	for _, s := range []string{`{"a":"\u003c"}`, `{"b":[1,2.5e-3,{"c":null}]}`, `"\u2028"`, `{"x":"\ud800"}`} {
		f.Add([]byte(s))
	}
	f.Add([]byte(cwMessage))
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := reencode(in)
		if !json.Valid(in) {
			if err == nil {
				t.Fatalf("reencode(%q) accepted invalid JSON: %q", in, out)
			}
			return
		}
		if err != nil {
			t.Fatalf("reencode(%q): %v", in, err)
		}
		var a, b any
		if json.Unmarshal(in, &a) != nil || json.Unmarshal(out, &b) != nil || !reflect.DeepEqual(a, b) {
			t.Fatalf("reencode(%q) = %q: a different value", in, out)
		}
		var compact bytes.Buffer
		_ = json.Compact(&compact, in)
		if bytes.Equal(compact.Bytes(), in) && utf8.Valid(in) && !bytes.Contains(in, []byte(`\u`)) && !bytes.Contains(in, []byte(`\/`)) && !bytes.Equal(out, in) {
			t.Fatalf("reencode(%q) = %q: a compact body without optional escapes changed", in, out)
		}
		again, err := reencode(out)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("reencode is not idempotent: %q -> %q -> %q", in, out, again)
		}
	})
}
