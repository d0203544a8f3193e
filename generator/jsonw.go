package generator

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// writer is an append-based JSON writer. It writes keys in the order they are
// given and escapes strings the way the platform's own encoder does:
//
//   - chatwoot (ActiveSupport to_json): compact; '<', '>', '&', U+2028 and
//     U+2029 escaped as \u003c, \u003e, \u0026, \u2028, \u2029; other
//     non-ASCII text written as raw UTF-8.
//   - python (Swiftsell, Python json.dumps defaults): ", " and ": "
//     separators; every non-ASCII character escaped as \uXXXX (lowercase hex,
//     surrogate pairs above U+FFFF), as ensure_ascii does.
type writer struct {
	b     []byte
	py    bool
	first bool // the next member or element is the first of its container
}

func (w *writer) sep() {
	if !w.first {
		if w.py {
			w.b = append(w.b, ',', ' ')
		} else {
			w.b = append(w.b, ',')
		}
	}
	w.first = false
}

func (w *writer) obj()  { w.b = append(w.b, '{'); w.first = true }
func (w *writer) end()  { w.b = append(w.b, '}'); w.first = false }
func (w *writer) arr()  { w.b = append(w.b, '['); w.first = true }
func (w *writer) aend() { w.b = append(w.b, ']'); w.first = false }

// elem starts an array element.
func (w *writer) elem() { w.sep() }

// key writes the separator, the key and the colon; the value follows.
func (w *writer) key(k string) {
	w.sep()
	w.str(k)
	if w.py {
		w.b = append(w.b, ':', ' ')
	} else {
		w.b = append(w.b, ':')
	}
}

func (w *writer) null()         { w.b = append(w.b, "null"...) }
func (w *writer) int(v int)     { w.b = strconv.AppendInt(w.b, int64(v), 10) }
func (w *writer) int64(v int64) { w.b = strconv.AppendInt(w.b, v, 10) }
func (w *writer) bool(v bool)   { w.b = strconv.AppendBool(w.b, v) }
func (w *writer) float(v float64) {
	// Ruby and Python both print the shortest representation and keep ".0"
	// on integral values.
	n := len(w.b)
	w.b = strconv.AppendFloat(w.b, v, 'f', -1, 64)
	for _, c := range w.b[n:] {
		if c == '.' {
			return
		}
	}
	w.b = append(w.b, '.', '0')
}

func (w *writer) kstr(k, v string)       { w.key(k); w.str(v) }
func (w *writer) kint(k string, v int)   { w.key(k); w.int(v) }
func (w *writer) kbool(k string, v bool) { w.key(k); w.bool(v) }
func (w *writer) knull(k string)         { w.key(k); w.null() }

// kstrp writes a nullable string (nil → null).
func (w *writer) kstrp(k string, v *string) {
	w.key(k)
	if v == nil {
		w.null()
	} else {
		w.str(*v)
	}
}

// kidp writes an id that is null when 0.
func (w *writer) kidn(k string, v int) {
	w.key(k)
	if v == 0 {
		w.null()
	} else {
		w.int(v)
	}
}

// iso writes t as ActiveSupport does: "2026-08-19T10:17:05.240Z".
func (w *writer) iso(t time.Time) {
	w.b = append(w.b, '"')
	w.b = appendISO(w.b, t)
	w.b = append(w.b, '"')
}

// kiso writes a time, null when zero.
func (w *writer) kiso(k string, t time.Time) {
	w.key(k)
	if t.IsZero() {
		w.null()
	} else {
		w.iso(t)
	}
}

// kunix writes unix seconds (Ruby .to_i: 0 for nil).
func (w *writer) kunix(k string, t time.Time) {
	w.key(k)
	if t.IsZero() {
		w.int(0)
	} else {
		w.int64(t.Unix())
	}
}

// kunixn writes unix seconds, null when zero.
func (w *writer) kunixn(k string, t time.Time) {
	w.key(k)
	if t.IsZero() {
		w.null()
	} else {
		w.int64(t.Unix())
	}
}

// kfloatTime writes Ruby's Time#to_f: seconds with up to 6 decimals
// (trailing zeros trimmed, at least one digit), e.g. 1763177714.230474.
func (w *writer) kfloatTime(k string, t time.Time) {
	w.key(k)
	w.b = appendFloatTime(w.b, t)
}

func appendFloatTime(b []byte, t time.Time) []byte {
	b = strconv.AppendInt(b, t.Unix(), 10)
	us := t.Nanosecond() / 1000
	b = append(b, '.')
	if us == 0 {
		return append(b, '0')
	}
	var d [6]byte
	for i := 5; i >= 0; i-- {
		d[i] = byte('0' + us%10)
		us /= 10
	}
	n := 6
	for n > 1 && d[n-1] == '0' {
		n--
	}
	return append(b, d[:n]...)
}

func appendISO(b []byte, t time.Time) []byte {
	t = t.UTC()
	b = appendDateTime(b, t, 'T')
	b = append(b, '.')
	b = pad(b, t.Nanosecond()/1e6, 3)
	return append(b, 'Z')
}

// appendDateTime writes "YYYY-MM-DD<sep>HH:MM:SS" of t.
func appendDateTime(b []byte, t time.Time, sep byte) []byte {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	b = pad(b, y, 4)
	b = append(b, '-')
	b = pad(b, int(mo), 2)
	b = append(b, '-')
	b = pad(b, d, 2)
	b = append(b, sep)
	b = pad(b, h, 2)
	b = append(b, ':')
	b = pad(b, mi, 2)
	b = append(b, ':')
	return pad(b, s, 2)
}

// appendPyTime writes Python's str(datetime) with microseconds:
// "2023-09-01 14:13:32.141788".
func appendPyTime(b []byte, t time.Time) []byte {
	t = t.UTC()
	b = appendDateTime(b, t, ' ')
	b = append(b, '.')
	return pad(b, t.Nanosecond()/1000, 6)
}

// appendPyISO writes Python's datetime.isoformat() of an aware UTC time:
// "2023-08-29T04:27:48.183000+00:00".
func appendPyISO(b []byte, t time.Time) []byte {
	n := len(b)
	b = appendPyTime(b, t)
	b[n+10] = 'T'
	return append(b, "+00:00"...)
}

func pad(b []byte, v, width int) []byte {
	var d [9]byte
	for i := width - 1; i >= 0; i-- {
		d[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, d[:width]...)
}

const hexdig = "0123456789abcdef"

// str writes a quoted, escaped string.
func (w *writer) str(s string) {
	b := append(w.b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && (w.py && c != 0x7f || !w.py && c != '<' && c != '>' && c != '&') {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"':
				b = append(b, '\\', '"')
			case '\\':
				b = append(b, '\\', '\\')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexdig[c>>4], hexdig[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !w.py && r != 0x2028 && r != 0x2029 && r != utf8.RuneError {
			i += size
			continue
		}
		b = append(b, s[start:i]...)
		if r > 0xffff {
			r -= 0x10000
			b = appendU(b, 0xd800+(r>>10))
			b = appendU(b, 0xdc00+(r&0x3ff))
		} else {
			b = appendU(b, r)
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	w.b = append(b, '"')
}

func appendU(b []byte, r rune) []byte {
	return append(b, '\\', 'u', hexdig[r>>12&0xf], hexdig[r>>8&0xf], hexdig[r>>4&0xf], hexdig[r&0xf])
}
