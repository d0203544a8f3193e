package receivertest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

var errNotOneValue = errors.New("receivertest: not exactly one JSON value")

// reencode re-serializes the JSON text b the way JavaScript's
// JSON.stringify(JSON.parse(b)) does, the body a Node.js receiver signs when
// it verifies over req.body instead of the raw bytes: compact, keys in input
// order, numbers as written (JSON.stringify would also normalize those; the
// variant keeps them so that only escapes differ), and strings escaped only
// where JSON requires it, so \u003c, \u003e, \u0026, \u2028, \u2029, \/ and
// every other optional escape come back as the raw character.
//
// For a compact body without optional escapes the result equals b.
func reencode(b []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	type frame struct {
		object bool
		n      int  // members or elements written
		key    bool // object: a key was written, its value comes next
	}
	var stack []frame
	out := make([]byte, 0, len(b))
	done := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			if !done {
				return nil, errNotOneValue
			}
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if done {
			return nil, errNotOneValue
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			out = append(out, byte(d))
			done = len(stack) == 0
			continue
		}
		if n := len(stack); n > 0 {
			top := &stack[n-1]
			switch {
			case top.object && !top.key: // tok is a key
				if top.n > 0 {
					out = append(out, ',')
				}
				top.n++
				top.key = true
				out = appendJSString(out, tok.(string))
				out = append(out, ':')
				continue
			case top.object:
				top.key = false
			default:
				if top.n > 0 {
					out = append(out, ',')
				}
				top.n++
			}
		}
		switch v := tok.(type) {
		case json.Delim:
			stack = append(stack, frame{object: v == '{'})
			out = append(out, byte(v))
			continue
		case string:
			out = appendJSString(out, v)
		case json.Number:
			out = append(out, v...)
		case bool:
			if v {
				out = append(out, "true"...)
			} else {
				out = append(out, "false"...)
			}
		case nil:
			out = append(out, "null"...)
		}
		done = len(stack) == 0
	}
}

// appendJSString appends s as JSON.stringify quotes it: only '"', '\\' and
// control characters are escaped (\b \t \n \f \r, others \u00xx with
// lowercase hex); everything else, U+2028 and U+2029 included, is raw UTF-8.
func appendJSString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\b':
			b = append(b, '\\', 'b')
		case c == '\t':
			b = append(b, '\\', 't')
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\f':
			b = append(b, '\\', 'f')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}
