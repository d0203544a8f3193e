package suites

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// node is a JSON value that keeps its key order and, for scalars, its raw
// bytes, so editing one member leaves every other byte as the platform wrote
// it (escapes included).
type node struct {
	raw   []byte // scalars: the exact bytes
	keys  []string
	vals  []*node // object members, parallel to keys
	items []*node // array items
	kind  byte    // '{', '[', or 0 for a scalar
}

var errEdit = errors.New("suites: json edit")

// parseNode parses one JSON document.
func parseNode(b []byte) (*node, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	n, err := parseValue(d, b)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errEdit, err)
	}
	return n, nil
}

func parseValue(d *json.Decoder, src []byte) (*node, error) {
	start := d.InputOffset()
	tok, err := d.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := &node{kind: '{'}
			for d.More() {
				kt, err := d.Token()
				if err != nil {
					return nil, err
				}
				v, err := parseValue(d, src)
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, kt.(string))
				n.vals = append(n.vals, v)
			}
			_, err := d.Token()
			return n, err
		case '[':
			n := &node{kind: '['}
			for d.More() {
				v, err := parseValue(d, src)
				if err != nil {
					return nil, err
				}
				n.items = append(n.items, v)
			}
			_, err := d.Token()
			return n, err
		}
		return nil, fmt.Errorf("unexpected %v", t)
	default:
		raw := bytes.TrimLeft(src[start:d.InputOffset()], " \t\r\n,:")
		return &node{raw: append([]byte(nil), raw...)}, nil
	}
}

// encode writes n compactly; scalars keep their raw bytes, keys are escaped
// as Chatwoot escapes them (<, >, & as \u003c, \u003e, \u0026).
func (n *node) encode(buf *bytes.Buffer) {
	switch n.kind {
	case '{':
		buf.WriteByte('{')
		for i, k := range n.keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			kb, _ := json.Marshal(k)
			buf.Write(kb)
			buf.WriteByte(':')
			n.vals[i].encode(buf)
		}
		buf.WriteByte('}')
	case '[':
		buf.WriteByte('[')
		for i, it := range n.items {
			if i > 0 {
				buf.WriteByte(',')
			}
			it.encode(buf)
		}
		buf.WriteByte(']')
	default:
		buf.Write(n.raw)
	}
}

func (n *node) bytes() []byte {
	var buf bytes.Buffer
	n.encode(&buf)
	return buf.Bytes()
}

// find returns the node at an RFC 6901 pointer, or nil.
func (n *node) find(pointer string) *node {
	if pointer == "" {
		return n
	}
	cur := n
	for _, tok := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch cur.kind {
		case '{':
			i := indexOf(cur.keys, tok)
			if i < 0 {
				return nil
			}
			cur = cur.vals[i]
		case '[':
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(cur.items) {
				return nil
			}
			cur = cur.items[i]
		default:
			return nil
		}
	}
	return cur
}

// set replaces (or adds, in an object) the member at pointer with raw JSON.
func (n *node) set(pointer string, rawJSON string) error {
	parent, key := splitPointer(pointer)
	p := n.find(parent)
	if p == nil || p.kind != '{' {
		return fmt.Errorf("%w: no object at %q", errEdit, parent)
	}
	v, err := parseNode([]byte(rawJSON))
	if err != nil {
		return err
	}
	if i := indexOf(p.keys, key); i >= 0 {
		p.vals[i] = v
	} else {
		p.keys = append(p.keys, key)
		p.vals = append(p.vals, v)
	}
	return nil
}

// remove deletes the object member at pointer; a missing member is no error.
func (n *node) remove(pointer string) error {
	parent, key := splitPointer(pointer)
	p := n.find(parent)
	if p == nil || p.kind != '{' {
		return fmt.Errorf("%w: no object at %q", errEdit, parent)
	}
	if i := indexOf(p.keys, key); i >= 0 {
		p.keys = append(p.keys[:i:i], p.keys[i+1:]...)
		p.vals = append(p.vals[:i:i], p.vals[i+1:]...)
	}
	return nil
}

// addEverywhere adds member key with raw JSON value to every object in the
// tree that does not have it, and returns how many objects it changed.
func (n *node) addEverywhere(key, rawJSON string) int {
	count := 0
	switch n.kind {
	case '{':
		for _, v := range n.vals {
			count += v.addEverywhere(key, rawJSON)
		}
		if indexOf(n.keys, key) < 0 {
			n.keys = append(n.keys, key)
			n.vals = append(n.vals, &node{raw: []byte(rawJSON)})
			count++
		}
	case '[':
		for _, it := range n.items {
			count += it.addEverywhere(key, rawJSON)
		}
	}
	return count
}

func splitPointer(p string) (parent, key string) {
	i := strings.LastIndex(p, "/")
	if i < 0 {
		return "", p
	}
	key = strings.ReplaceAll(strings.ReplaceAll(p[i+1:], "~1", "/"), "~0", "~")
	return p[:i], key
}

func indexOf(keys []string, k string) int {
	for i, x := range keys {
		if x == k {
			return i
		}
	}
	return -1
}
