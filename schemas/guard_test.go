package schemas

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestDecodeGuard: every body the platforms never send, and that could make
// the validator panic or spin, is refused in one line naming the reason;
// what they do send decodes as encoding/json decodes it.
func TestDecodeGuard(t *testing.T) {
	for _, tc := range []struct {
		name, body, pointer, want string
	}{
		{"huge exponent", `{"event":"message_created","id":1e1000001}`, "/id", "exponent beyond ±400"},
		{"huge negative exponent", `{"id":1E-1000001}`, "/id", "exponent beyond ±400"},
		{"exponent with many digits", `{"id":1e` + strings.Repeat("0", 5000) + `1}`, "/id", "longer than 64"},
		{"very long integer", `{"id":` + strings.Repeat("9", 65) + `}`, "/id", "longer than 64"},
		{"long fraction", `{"a":[0.` + strings.Repeat("1", 100) + `]}`, "/a/0", "longer than 64"},
		{"invalid utf-8 in a value", "{\"content\":\"caf\xe9\"}", "/content", "invalid UTF-8 (byte 0xe9 at offset 15)"},
		{"invalid utf-8 in a key", "{\"k\xff\":1}", "", "invalid UTF-8"},
		{"invalid utf-8 after an escape", "{\"c\":\"\\n\xc3\"}", "/c", "invalid UTF-8"},
		{"lone surrogate", `{"c":"\ud800x"}`, "/c", "lone UTF-16 surrogate"},
		{"reversed surrogates", `{"c":"\udc00\ud800"}`, "/c", "lone UTF-16 surrogate"},
		{"duplicate key", `{"event":"message_created","event":"conversation_created"}`, "", `duplicate key "event"`},
		{"nested duplicate key", `{"a":{"b":[{"x":1,"x":2}]}}`, "/a/b/0", `duplicate key "x"`},
		{"byte order mark", "\uFEFF{\"event\":\"message_created\"}", "", "byte order mark"},
		{"too deep", strings.Repeat("[", 129) + strings.Repeat("]", 129), strings.Repeat("/0", 128), "deeper than 128"},
		{"not json", "hello", "", "not JSON: invalid character 'h' looking for beginning of value at line 1, column 1"},
		{"truncated", `{"a":`, "/a", "truncated document (5 bytes)"},
		{"trailing data", `{} {}`, "", "unexpected data after the document at offset 3"},
		{"leading zero", `{"a":01}`, "", "invalid character '1' after object key:value pair"},
		{"control character", "{\"a\":\"x\ty\"}", "/a", "in string literal"},
		{"empty", "  ", "", "empty body"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, p := decode([]byte(tc.body))
			if p == nil {
				t.Fatalf("decoded %v, want a problem", v)
			}
			if !strings.Contains(p.Message, tc.want) || p.Pointer != tc.pointer {
				t.Fatalf("problem %q at %q, want %q at %q", p.Message, p.Pointer, tc.want, tc.pointer)
			}
			if strings.Contains(p.String(), "\n") {
				t.Fatalf("problem is not one line: %q", p)
			}
		})
	}
	for _, body := range []string{
		`{"content":"\u003cb\u003e \u0026 caf\u00e9 😀 \ud83d\ude00 \"q\" \\ \/ \b\f\n\r\t"}`,
		`{"n":[0,-0,1.5,-12.25e+10,1e400,1E-400,1712345678.123456,18446744073709551616]}`,
		`[]`, `{}`, `"x"`, `null`, `true`, ` {"a" : [ 1 , {"b":null} ] } `,
		`{"a":{"a":{"a":1}},"b":{"a":2}}`, // the same key in different objects is fine
		strings.Repeat("[", 128) + strings.Repeat("]", 128),
	} {
		got, p := decode([]byte(body))
		if p != nil {
			t.Fatalf("%s: %v", body, p)
		}
		if want := stdDecode(t, []byte(body)); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: decoded %#v, encoding/json %#v", body, got, want)
		}
	}
}

func stdDecode(t testing.TB, b []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("encoding/json: %v", err)
	}
	return v
}

// FuzzDecode compares the guarded decoder with encoding/json: what it
// accepts, encoding/json decodes to the same value; what encoding/json
// refuses, it refuses too; what it refuses that encoding/json accepts is one
// of the guard's reasons. It never panics.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"event":"message_created","id":1e1000001}`, `{"a":"\ud83d\ude00"}`,
		"{\"a\":\"\xff\"}", `{"a":1,"a":2}`, "\uFEFF{}", `[1.5e3,-0,{"":null}]`, `{"a":"\u00e9\n"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, p := decode(b)
		var want any
		var stdErr error = errInvalid
		if json.Valid(b) {
			d := json.NewDecoder(bytes.NewReader(b))
			d.UseNumber()
			stdErr = d.Decode(&want)
		}
		switch {
		case p == nil && stdErr != nil:
			t.Fatalf("accepted %q that encoding/json refuses (%v)", b, stdErr)
		case p == nil && !reflect.DeepEqual(got, want):
			t.Fatalf("%q: decoded %#v, encoding/json %#v", b, got, want)
		case p != nil && stdErr == nil && !guardReason(p.Message, b):
			t.Fatalf("refused %q that encoding/json accepts, for no guard reason: %v", b, p)
		}
	})
}

var errInvalid = json.Unmarshal([]byte(`x`), new(any))

func guardReason(msg string, b []byte) bool {
	for _, r := range []string{"exponent beyond", "longer than", "duplicate key", "byte order mark", "deeper than", "lone UTF-16 surrogate"} {
		if strings.Contains(msg, r) {
			return true
		}
	}
	return strings.Contains(msg, "invalid UTF-8") && !utf8.Valid(b)
}
