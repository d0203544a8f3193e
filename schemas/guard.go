package schemas

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Limits of the input guard. The platforms' encoders (Ruby's JSON for
// Chatwoot, Python's json for Swiftsell) write numbers as integers or
// shortest floats, valid UTF-8, each key once and no byte order mark, so a
// body beyond these is not one the platform sent. The limits also bound what
// the validator spends: jsonschema compares numbers as big.Rat, and a number
// like 1e1000001 costs it minutes (or a panic).
const (
	// MaxNumberLength is the longest number literal accepted, in bytes
	// (a 64-bit integer is at most 20, a float64 at most 24).
	MaxNumberLength = 64
	// MaxExponent bounds the exponent of a number literal (float64 reaches
	// about 1e308 and 5e-324).
	MaxExponent = 400
	// MaxDepth is the deepest nesting of objects and arrays accepted.
	MaxDepth = 128
)

// KeywordGuard is the Problem.Keyword of a body refused by the input guard:
// JSON no platform sends (a byte order mark, invalid UTF-8, a duplicate key,
// a number beyond MaxNumberLength or MaxExponent, nesting beyond MaxDepth).
const KeywordGuard = "guard"

// CheckInput returns the input guard's problem with body, or nil when the
// guard lets it through (it may still be invalid JSON or an invalid
// payload). Commands that send a file's bytes as they are use it to refuse
// what no platform can send, and what would make a validator spin.
func CheckInput(body []byte) *Problem {
	if _, p := decode(body); p != nil && p.Keyword == KeywordGuard {
		return p
	}
	return nil
}

// decode parses one JSON document with the input guard: numbers kept exact
// (json.Number) and bounded, strings valid UTF-8 without lone surrogate
// escapes, no duplicate key in any object, no byte order mark, no trailing
// data. It is the only decoder whose result reaches the validator. The
// problem names the pointer of the offending value and the reason, in one
// line.
func decode(body []byte) (any, *Problem) {
	d := decoder{b: body}
	d.skipSpace()
	if d.i == len(d.b) {
		return nil, &Problem{Keyword: "json", Message: "empty body: expected a JSON object"}
	}
	if strings.HasPrefix(string(body[d.i:min(len(body), d.i+3)]), "\uFEFF") {
		return nil, &Problem{Keyword: KeywordGuard, Message: "not JSON the platform sends: a byte order mark (U+FEFF) at offset " + strconv.Itoa(d.i) + ": the platform never sends one"}
	}
	v := d.value()
	if d.err == nil {
		d.skipSpace()
		if d.i < len(d.b) {
			return nil, &Problem{Keyword: "json", Message: fmt.Sprintf("not JSON: unexpected data after the document at offset %d", d.i)}
		}
	}
	if d.err != nil {
		d.err.Pointer = d.pointer()
		return nil, d.err
	}
	return v, nil
}

// decoder is a recursive-descent JSON parser that builds the same values
// encoding/json does with UseNumber (map[string]any, []any, string,
// json.Number, bool, nil) in one pass over the bytes.
type decoder struct {
	b    []byte
	i    int
	err  *Problem
	path []string // keys and indexes down to the value being parsed
}

func (d *decoder) pointer() string {
	if len(d.path) == 0 {
		return ""
	}
	var sb strings.Builder
	for _, t := range d.path {
		sb.WriteByte('/')
		sb.WriteString(strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1"))
	}
	return sb.String()
}

func (d *decoder) fail(keyword, format string, a ...any) {
	if d.err == nil {
		d.err = &Problem{Keyword: keyword, Message: fmt.Sprintf(format, a...)}
	}
}

// syntax reports a syntax error at the current offset, as encoding/json words
// it, with its line and column.
func (d *decoder) syntax(context string) {
	if d.i >= len(d.b) {
		d.fail("json", "not JSON: truncated document (%d bytes)", len(d.b))
		return
	}
	line, col := lineCol(d.b, int64(d.i))
	d.fail("json", "not JSON: invalid character %s %s at line %d, column %d", quoteChar(d.b[d.i:]), context, line, col)
}

func quoteChar(b []byte) string {
	r, _ := utf8.DecodeRune(b)
	if r == utf8.RuneError {
		return fmt.Sprintf("byte 0x%02x", b[0])
	}
	if r == '\'' {
		return `'\''`
	}
	if r == '"' {
		return `'"'`
	}
	s := strconv.QuoteRune(r)
	return "'" + s[1:len(s)-1] + "'"
}

func (d *decoder) skipSpace() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *decoder) value() any {
	if d.err != nil {
		return nil
	}
	d.skipSpace()
	if d.i >= len(d.b) {
		d.syntax("")
		return nil
	}
	switch c := d.b[d.i]; {
	case c == '{':
		return d.object()
	case c == '[':
		return d.array()
	case c == '"':
		s, _ := d.str()
		return s
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	case c == 't':
		return d.literal("true", true)
	case c == 'f':
		return d.literal("false", false)
	case c == 'n':
		return d.literal("null", nil)
	}
	d.syntax("looking for beginning of value")
	return nil
}

func (d *decoder) literal(word string, v any) any {
	for k := 0; k < len(word); k++ {
		if d.i >= len(d.b) || d.b[d.i] != word[k] {
			d.syntax("in literal " + word + " (expecting '" + word[k:k+1] + "')")
			return nil
		}
		d.i++
	}
	return v
}

func (d *decoder) enter() bool {
	if len(d.path) >= MaxDepth {
		d.fail(KeywordGuard, "nesting deeper than %d levels: the platform never sends one", MaxDepth)
		return false
	}
	return true
}

func (d *decoder) object() any {
	if !d.enter() {
		return nil
	}
	d.i++ // {
	m := map[string]any{}
	d.skipSpace()
	if d.i < len(d.b) && d.b[d.i] == '}' {
		d.i++
		return m
	}
	for {
		d.skipSpace()
		if d.i >= len(d.b) || d.b[d.i] != '"' {
			d.syntax("looking for beginning of object key string")
			return nil
		}
		k, ok := d.str()
		if !ok {
			return nil
		}
		if _, dup := m[k]; dup {
			d.fail(KeywordGuard, "duplicate key %s: the platform never sends one (which value counts is undefined)", quote(k))
			return nil
		}
		d.skipSpace()
		if d.i >= len(d.b) || d.b[d.i] != ':' {
			d.syntax("after object key")
			return nil
		}
		d.i++
		d.path = append(d.path, k)
		v := d.value()
		if d.err != nil {
			return nil
		}
		d.path = d.path[:len(d.path)-1]
		m[k] = v
		d.skipSpace()
		if d.i >= len(d.b) {
			d.syntax("")
			return nil
		}
		switch d.b[d.i] {
		case ',':
			d.i++
		case '}':
			d.i++
			return m
		default:
			d.syntax("after object key:value pair")
			return nil
		}
	}
}

func (d *decoder) array() any {
	if !d.enter() {
		return nil
	}
	d.i++ // [
	a := []any{}
	d.skipSpace()
	if d.i < len(d.b) && d.b[d.i] == ']' {
		d.i++
		return a
	}
	for {
		d.path = append(d.path, strconv.Itoa(len(a)))
		v := d.value()
		if d.err != nil {
			return nil
		}
		d.path = d.path[:len(d.path)-1]
		a = append(a, v)
		d.skipSpace()
		if d.i >= len(d.b) {
			d.syntax("")
			return nil
		}
		switch d.b[d.i] {
		case ',':
			d.i++
		case ']':
			d.i++
			return a
		default:
			d.syntax("after array element")
			return nil
		}
	}
}

// str parses a string at d.i (a '"'), checking UTF-8 and escapes.
func (d *decoder) str() (string, bool) {
	start := d.i + 1
	i := start
	// Fast path: no escapes, ASCII or valid UTF-8.
	for i < len(d.b) {
		c := d.b[i]
		if c == '"' {
			s := d.b[start:i]
			if !utf8.Valid(s) {
				return "", d.badUTF8(start)
			}
			d.i = i + 1
			return string(s), true
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			d.i = i
			d.syntax("in string literal")
			return "", false
		}
		i++
	}
	if i >= len(d.b) {
		d.i = len(d.b)
		d.syntax("")
		return "", false
	}
	// Slow path: escapes.
	buf := append([]byte(nil), d.b[start:i]...)
	for i < len(d.b) {
		c := d.b[i]
		switch {
		case c == '"':
			if !utf8.Valid(buf) {
				return "", d.badUTF8(start)
			}
			d.i = i + 1
			return string(buf), true
		case c < 0x20:
			d.i = i
			d.syntax("in string literal")
			return "", false
		case c != '\\':
			buf = append(buf, c)
			i++
			continue
		}
		if i+1 >= len(d.b) {
			break
		}
		i++
		switch e := d.b[i]; e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := d.hex4(i + 1)
			if !ok {
				d.i = i
				d.syntax("in \\u hexadecimal character escape")
				return "", false
			}
			i += 4
			if utf16.IsSurrogate(r) {
				r2, ok2 := rune(0), false
				if i+2 < len(d.b) && d.b[i+1] == '\\' && d.b[i+2] == 'u' {
					r2, ok2 = d.hex4(i + 3)
				}
				dec := utf16.DecodeRune(r, r2)
				if !ok2 || dec == utf8.RuneError {
					d.fail(KeywordGuard, "not JSON the platform sends: a lone UTF-16 surrogate escape \\u%04x in a string (its encoder writes valid Unicode)", r)
					return "", false
				}
				r = dec
				i += 6
			}
			buf = utf8.AppendRune(buf, r)
		default:
			d.i = i
			d.syntax("in string escape code")
			return "", false
		}
		i++
	}
	d.i = len(d.b)
	d.syntax("")
	return "", false
}

func (d *decoder) hex4(at int) (rune, bool) {
	if at+4 > len(d.b) {
		return 0, false
	}
	var r rune
	for _, c := range d.b[at : at+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

func (d *decoder) badUTF8(start int) bool {
	off := start
	for s := d.b[start:]; len(s) > 0; {
		r, n := utf8.DecodeRune(s)
		if r == utf8.RuneError && n <= 1 {
			break
		}
		s, off = s[n:], off+n
	}
	d.fail(KeywordGuard, "not JSON the platform sends: invalid UTF-8 (byte 0x%02x at offset %d)", d.b[off], off)
	return false
}

// number parses a number literal, bounding its length and exponent.
func (d *decoder) number() any {
	start := d.i
	i := d.i
	if d.b[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(d.b) && d.b[i] >= '0' && d.b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	switch {
	case i < len(d.b) && d.b[i] == '0':
		i++
	case digits() == 0:
		d.i = i
		d.syntax("in numeric literal")
		return nil
	}
	if i < len(d.b) && d.b[i] == '.' {
		i++
		if digits() == 0 {
			d.i = i
			d.syntax("after decimal point in numeric literal")
			return nil
		}
	}
	exp := 0
	if i < len(d.b) && (d.b[i] == 'e' || d.b[i] == 'E') {
		i++
		neg := false
		if i < len(d.b) && (d.b[i] == '+' || d.b[i] == '-') {
			neg = d.b[i] == '-'
			i++
		}
		es := i
		if digits() == 0 {
			d.i = i
			d.syntax("in exponent of numeric literal")
			return nil
		}
		for _, c := range d.b[es:i] {
			if exp <= MaxExponent {
				exp = exp*10 + int(c-'0')
			}
		}
		if neg {
			exp = -exp
		}
	}
	lit := d.b[start:i]
	switch {
	case len(lit) > MaxNumberLength:
		d.fail(KeywordGuard, "number of %d characters (%s): the platform never sends numbers longer than %d", len(lit), abbreviate(lit), MaxNumberLength)
		return nil
	case exp > MaxExponent || exp < -MaxExponent:
		d.fail(KeywordGuard, "number %s has an exponent beyond ±%d: the platform never sends one", abbreviate(lit), MaxExponent)
		return nil
	}
	d.i = i
	return json.Number(lit)
}

func abbreviate(b []byte) string {
	if len(b) > 24 {
		return string(b[:20]) + "…"
	}
	return string(b)
}
