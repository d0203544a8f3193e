package mockplatform

import (
	"fmt"
	"slices"
)

// Fault is a deliberate mistake in a delivery, for testing that a receiver
// rejects it. Pass it with WithFault.
type Fault string

// Faults. The signature faults need a Chatwoot Config with a Secret and a
// Version that signs the receiver kind; the token faults need a Swiftsell
// Config with a Token. Deliver returns an ErrInvalidArgument error otherwise.
const (
	// WrongSignature signs with another secret.
	WrongSignature Fault = "wrong_signature"
	// MissingSignature sends neither X-Chatwoot-Timestamp nor
	// X-Chatwoot-Signature.
	MissingSignature Fault = "missing_signature"
	// BodyOnlySignature signs the body alone, without "<ts>.", the classic
	// receiver-side mistake (Chatwoot issue #13809).
	BodyOnlySignature Fault = "body_only_signature"
	// StaleTimestamp sends a timestamp Config.StaleAge (default 10 minutes)
	// older than now, correctly signed for that old timestamp.
	StaleTimestamp Fault = "stale_timestamp"
	// TamperedBody signs the body, then changes one letter or digit inside
	// a JSON string value (or, failing that, a number), so the body stays
	// valid JSON of the same length but no longer matches the signature.
	TamperedBody Fault = "tampered_body"
	// WrongToken sends a token other than Config.Token.
	WrongToken Fault = "wrong_token"
	// MissingToken sends no token at all.
	MissingToken Fault = "missing_token"
)

var allFaults = []Fault{WrongSignature, MissingSignature, BodyOnlySignature, StaleTimestamp, TamperedBody, WrongToken, MissingToken}

// Faults lists every Fault, for help text and flag validation.
func Faults() []Fault { return slices.Clone(allFaults) }

// ParseFault returns the Fault named s (e.g. "wrong_signature").
func ParseFault(s string) (Fault, error) {
	for _, f := range allFaults {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("%w: unknown fault %q", ErrInvalidArgument, s)
}

func (f Fault) signatureFault() bool {
	return f == WrongSignature || f == MissingSignature || f == BodyOnlySignature || f == StaleTimestamp || f == TamperedBody
}

func (f Fault) tokenFault() bool { return f == WrongToken || f == MissingToken }

// checkFaults rejects unknown faults and conflicting pairs.
func checkFaults(fs []Fault) error {
	sig := 0
	for _, f := range fs {
		if !slices.Contains(allFaults, f) {
			return fmt.Errorf("%w: unknown fault %q", ErrInvalidArgument, string(f))
		}
		if f == WrongSignature || f == MissingSignature || f == BodyOnlySignature {
			sig++
		}
	}
	if sig > 1 {
		return fmt.Errorf("%w: faults %v conflict: choose one signature fault", ErrInvalidArgument, fs)
	}
	if slices.Contains(fs, WrongToken) && slices.Contains(fs, MissingToken) {
		return fmt.Errorf("%w: faults %q and %q conflict", ErrInvalidArgument, WrongToken, MissingToken)
	}
	return nil
}

// wrongSecret derives a different secret from s.
func wrongSecret(s string) string { return "not-" + s }

// tamper returns a copy of body with one character changed inside the first
// JSON string value that holds an ASCII letter or digit outside an escape;
// if there is none, one digit of the first number. The result has the same
// length and stays valid JSON if body was. ok is false when nothing could be
// changed.
func tamper(body []byte) (out []byte, ok bool) {
	out = slices.Clone(body)
	if i := findStringValueChar(out); i >= 0 {
		out[i] = bump(out[i])
		return out, true
	}
	if i := findNumberDigit(out); i >= 0 {
		out[i] = bump(out[i])
		return out, true
	}
	return nil, false
}

// bump changes an ASCII letter or digit to another of the same class, never
// producing '0' from another digit (a leading zero would break a number).
func bump(c byte) byte {
	switch {
	case c == '9':
		return '8'
	case c >= '0' && c < '9':
		return c + 1
	case c == 'z':
		return 'y'
	case c == 'Z':
		return 'Y'
	default:
		return c + 1
	}
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// findStringValueChar scans JSON text for string values (strings not
// followed by ':') and returns the index of the first letter or digit in one,
// outside escape sequences; -1 if none.
func findStringValueChar(b []byte) int {
	for i := 0; i < len(b); i++ {
		if b[i] != '"' {
			continue
		}
		start := i + 1
		cand := -1
		j := start
		for ; j < len(b) && b[j] != '"'; j++ {
			switch {
			case b[j] == '\\':
				if j+1 < len(b) && b[j+1] == 'u' {
					j += 5
				} else {
					j++
				}
			case cand < 0 && isAlnum(b[j]):
				cand = j
			}
		}
		if j >= len(b) {
			return -1
		}
		i = j
		k := j + 1
		for k < len(b) && (b[k] == ' ' || b[k] == '\t' || b[k] == '\n' || b[k] == '\r') {
			k++
		}
		if k < len(b) && b[k] == ':' {
			continue // a key
		}
		if cand >= 0 {
			return cand
		}
	}
	return -1
}

// findNumberDigit returns the index of the first digit outside strings; -1 if
// none.
func findNumberDigit(b []byte) int {
	in := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case in && c == '\\':
			i++
		case c == '"':
			in = !in
		case !in && c >= '0' && c <= '9':
			return i
		}
	}
	return -1
}
