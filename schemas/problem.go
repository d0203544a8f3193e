package schemas

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Problem is one violation (or one drift warning) in a body.
type Problem struct {
	// Pointer is the RFC 6901 JSON pointer of the offending value; "" is the
	// whole body. Missing and unknown keys are reported at their object.
	Pointer string `json:"pointer"`
	// Keyword is the schema rule that failed (type, enum, required,
	// additionalProperties, ...), or "json" (not JSON), "guard" (JSON no
	// platform sends: see KeywordGuard), "platform" or "event" for checks
	// made before or after the schema.
	Keyword string `json:"keyword"`
	// Message says what was expected.
	Message string `json:"message"`
	// Found is a short rendering of the value found, when useful.
	Found string `json:"found,omitempty"`
	// Schema is the schema location of the failed rule.
	Schema string `json:"schema,omitempty"`
}

// DisplayPointer is Pointer, with the whole body shown as "(root)".
func (p Problem) DisplayPointer() string {
	if p.Pointer == "" {
		return "(root)"
	}
	return p.Pointer
}

// String renders the problem on one line: pointer, expectation, finding.
func (p Problem) String() string {
	s := p.DisplayPointer() + ": " + p.Message
	if p.Found != "" {
		s += " (found " + p.Found + ")"
	}
	return s
}

// problems flattens a validation error into one Problem per leaf, sorted by
// pointer, without duplicates. Of the branches of a failed anyOf/oneOf only
// the one that got furthest is kept, so a wrong value yields one line, not one
// per alternative.
func problems(err error, instance any) []Problem {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []Problem{{Keyword: "schema", Message: err.Error()}}
	}
	var leaves []*jsonschema.ValidationError
	collectLeaves(ve, &leaves)
	seen := map[string]bool{}
	var out []Problem
	for _, l := range leaves {
		pr := toProblem(l, instance)
		key := pr.Pointer + "\x00" + pr.Message
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, pr)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pointer < out[j].Pointer })
	return out
}

func collectLeaves(ve *jsonschema.ValidationError, out *[]*jsonschema.ValidationError) {
	if len(ve.Causes) == 0 {
		*out = append(*out, ve)
		return
	}
	kw := lastToken(ve.KeywordLocation)
	if kw == "anyOf" || kw == "oneOf" {
		if best := bestBranch(ve.Causes); best != nil {
			collectLeaves(best, out)
			return
		}
	}
	for _, c := range ve.Causes {
		collectLeaves(c, out)
	}
}

// isDrift reports whether pr is an unknown key in a closed object.
func isDrift(pr Problem) bool {
	return pr.Keyword == "additionalProperties" || pr.Keyword == "unevaluatedProperties"
}

func isDriftLeaf(l *jsonschema.ValidationError) bool {
	kw := lastToken(l.KeywordLocation)
	return kw == "additionalProperties" || kw == "unevaluatedProperties"
}

// bestBranch picks the alternative that fails only by drift (the body
// matches it but for unknown keys), else the one whose errors lie deepest in
// the instance (it matched the most), preferring fewer errors on a tie.
func bestBranch(causes []*jsonschema.ValidationError) *jsonschema.ValidationError {
	var best *jsonschema.ValidationError
	bestDepth, bestCount := -1, 0
	for _, c := range causes {
		var leaves []*jsonschema.ValidationError
		collectLeaves(c, &leaves)
		if !slices.ContainsFunc(leaves, func(l *jsonschema.ValidationError) bool { return !isDriftLeaf(l) }) {
			return c
		}
		depth := 0
		for _, l := range leaves {
			if d := strings.Count(l.InstanceLocation, "/"); d > depth {
				depth = d
			}
		}
		if depth > bestDepth || (depth == bestDepth && len(leaves) < bestCount) {
			best, bestDepth, bestCount = c, depth, len(leaves)
		}
	}
	return best
}

func toProblem(l *jsonschema.ValidationError, instance any) Problem {
	ptr := normalizePointer(l.InstanceLocation)
	kw := lastToken(l.KeywordLocation)
	if n := strings.LastIndex(l.KeywordLocation, "/"); n >= 0 && kw != "" {
		// "/properties/x/type" → "type"; "/items/0" → "items"
		if _, isIndex := atoi(kw); isIndex {
			kw = lastToken(l.KeywordLocation[:n])
		}
	}
	pr := Problem{Pointer: ptr, Keyword: kw, Message: l.Message, Schema: schemaPath(l.AbsoluteKeywordLocation)}
	switch kw {
	case "additionalProperties", "unevaluatedProperties":
		// "additionalProperties 'a', 'b' not allowed" → "unknown key(s) 'a', 'b' ..."
		names := strings.TrimSuffix(strings.TrimPrefix(l.Message, kw+" "), " not allowed")
		list := strings.Split(names, ", ") // the library lists them in map order: sort
		sort.Strings(list)
		pr.Message = "unknown key(s) " + strings.Join(list, ", ") + " (drift: not in the schema)"
	case "required":
		pr.Message = strings.Replace(l.Message, "missing properties:", "missing required key(s):", 1)
	case "const", "enum", "type", "pattern", "format", "minimum", "maximum", "exclusiveMinimum",
		"exclusiveMaximum", "multipleOf", "false":
		pr.Found = describe(lookup(instance, ptr))
	}
	if forbiddenKey.MatchString(l.KeywordLocation) && (kw == "not" || l.Message == "not allowed") {
		// "properties": {"display_id": false} or {"not": {}}: a key the
		// platform never sends in this object (its $comment says why).
		file := pr.Schema
		if i := strings.Index(file, "#"); i >= 0 {
			file = file[:i]
		}
		pr.Keyword = "forbidden"
		pr.Message = "key never sent by the platform here (see " + file + ")"
	}
	if kw == "type" {
		// "expected string, but got number" → "expected string" (found says the rest)
		if i := strings.Index(pr.Message, ", but got"); i > 0 {
			pr.Message = pr.Message[:i]
		}
	}
	return pr
}

// normalizePointer turns the library's instance location (URL-escaped
// tokens) into an RFC 6901 pointer.
func normalizePointer(loc string) string {
	if loc == "" || loc == "/" {
		return ""
	}
	toks := strings.Split(strings.TrimPrefix(loc, "/"), "/")
	for i, t := range toks {
		if u, err := url.PathUnescape(t); err == nil {
			toks[i] = u
		}
	}
	return "/" + strings.Join(toks, "/")
}

func schemaPath(abs string) string {
	return strings.TrimPrefix(abs, BaseURI)
}

func lastToken(loc string) string {
	if i := strings.LastIndex(loc, "/"); i >= 0 {
		return loc[i+1:]
	}
	return loc
}

func atoi(s string) (int, bool) {
	n := 0
	if s == "" {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// forbiddenKey matches the keyword location of a forbidden property.
var forbiddenKey = regexp.MustCompile(`/properties/[^/]+(/not)?$`)

// describe renders a decoded value briefly, for "found ..." texts.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return fmt.Sprintf("an object with %d key(s)", len(v))
	case []any:
		return fmt.Sprintf("an array of %d item(s)", len(v))
	case string:
		return quote(v)
	case json.Number:
		return v.String()
	case bool:
		return fmt.Sprint(v)
	}
	return fmt.Sprintf("%v", v)
}

func quote(s string) string {
	const max = 60
	r := []rune(s)
	if len(r) > max {
		s = string(r[:max]) + "…"
	}
	b, _ := json.Marshal(s)
	return string(b)
}
