package mockplatform

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// SplitEnvelope returns the events of a Swiftsell delivery body as raw bytes,
// exactly as they appear in it (not re-encoded). body is either an envelope,
// a JSON object with an "events" array, or a single event object, which is
// returned whole. Anything else is an error wrapping ErrInvalidArgument.
func SplitEnvelope(body []byte) ([]json.RawMessage, error) {
	members, err := topMembers(body)
	if err != nil {
		return nil, err
	}
	for _, m := range members {
		if m.key != "events" {
			continue
		}
		var events []json.RawMessage
		if err := json.Unmarshal(body[m.start:m.end], &events); err != nil || body[m.start] != '[' {
			return nil, fmt.Errorf("%w: envelope: \"events\" is not an array", ErrInvalidArgument)
		}
		return events, nil
	}
	return []json.RawMessage{bytes.TrimSpace(body)}, nil
}

// joinEnvelope builds {"events":[e1,e2,...]}, or {"<param>":<token>,"events":[...]}
// when tokenParam is not empty.
func joinEnvelope(events []json.RawMessage, tokenParam, token string) []byte {
	n := 16
	for _, e := range events {
		n += len(e) + 1
	}
	b := make([]byte, 0, n+len(token)+len(tokenParam)+8)
	b = append(b, '{')
	if tokenParam != "" {
		b = appendJSONString(b, tokenParam)
		b = append(b, ':')
		b = appendJSONString(b, token)
		b = append(b, ',')
	}
	b = append(b, `"events":[`...)
	for i, e := range events {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, e...)
	}
	return append(b, "]}"...)
}

func appendJSONString(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return append(b, q...)
}

// member is a top-level member of a JSON object; start and end delimit its
// raw value in the input.
type member struct {
	key        string
	start, end int
}

// topMembers lists the top-level members of the JSON object in b. It fails
// when b is not exactly one JSON object.
func topMembers(b []byte) ([]member, error) {
	notObject := fmt.Errorf("%w: body is not a JSON object", ErrInvalidArgument)
	if !json.Valid(b) {
		return nil, notObject
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, notObject
	}
	var ms []member
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, notObject
		}
		key, ok := tok.(string)
		if !ok {
			return nil, notObject
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, notObject
		}
		end := int(dec.InputOffset())
		start := end - len(raw)
		if start < 0 || end > len(b) || !bytes.Equal(b[start:end], raw) {
			return nil, errors.New("mockplatform: internal error locating a JSON member")
		}
		ms = append(ms, member{key: key, start: start, end: end})
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return nil, notObject
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, notObject
	}
	return ms, nil
}

// setMember returns a copy of the JSON object b with the top-level member key
// set to the raw JSON value val: replaced in place when present (every
// occurrence), otherwise inserted first. Other bytes are kept as they were.
func setMember(b []byte, key string, val []byte) ([]byte, error) {
	ms, err := topMembers(b)
	if err != nil {
		return nil, err
	}
	var out []byte
	last := 0
	for _, m := range ms {
		if m.key != key {
			continue
		}
		out = append(out, b[last:m.start]...)
		out = append(out, val...)
		last = m.end
	}
	if out != nil {
		return append(out, b[last:]...), nil
	}
	open := bytes.IndexByte(b, '{')
	out = append(out, b[:open+1]...)
	out = appendJSONString(out, key)
	out = append(out, ':')
	out = append(out, val...)
	if len(ms) > 0 {
		out = append(out, ',')
	}
	return append(out, b[open+1:]...), nil
}
