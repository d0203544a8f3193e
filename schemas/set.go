package schemas

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// BaseURI prefixes every schema's $id: a file at chatwoot/objects/message.json
// has $id BaseURI+"chatwoot/objects/message.json".
const BaseURI = "https://chathook.dev/schemas/"

//go:embed platforms/*.json chatwoot swiftsell
var files embed.FS

// Set is a compiled set of schemas for every platform. It is safe for
// concurrent use.
type Set struct {
	platforms []*Platform          // sorted by name
	byName    map[string]*Platform // names and aliases
	paths     []string             // schema files, sorted
	raw       map[string][]byte    // path -> file bytes
}

var (
	defaultOnce sync.Once
	defaultSet  *Set
	defaultErr  error
)

// Default returns the embedded set, compiled once per process.
func Default() (*Set, error) {
	defaultOnce.Do(func() { defaultSet, defaultErr = Load() })
	return defaultSet, defaultErr
}

// Load compiles the embedded schemas. Most callers want Default.
func Load() (*Set, error) {
	return load(files)
}

func load(fsys fs.FS) (*Set, error) {
	s := &Set{byName: map[string]*Platform{}, raw: map[string][]byte{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || path.Ext(p) != ".json" || strings.HasPrefix(p, "platforms/") {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		s.raw[p] = b
		s.paths = append(s.paths, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("schemas: reading embedded files: %w", err)
	}
	sort.Strings(s.paths)

	strict, err := s.newCompiler()
	if err != nil {
		return nil, err
	}

	defs, err := fs.Glob(fsys, "platforms/*.json")
	if err != nil {
		return nil, fmt.Errorf("schemas: %w", err)
	}
	for _, def := range defs {
		b, err := fs.ReadFile(fsys, def)
		if err != nil {
			return nil, fmt.Errorf("schemas: %s: %w", def, err)
		}
		p, err := s.loadPlatform(def, b, strict)
		if err != nil {
			return nil, err
		}
		for _, n := range append([]string{p.Name}, p.Aliases...) {
			if _, dup := s.byName[n]; dup {
				return nil, fmt.Errorf("schemas: %s: platform name %q is used twice", def, n)
			}
			s.byName[n] = p
		}
		s.platforms = append(s.platforms, p)
	}
	sort.Slice(s.platforms, func(i, j int) bool { return s.platforms[i].Name < s.platforms[j].Name })
	return s, nil
}

// newCompiler returns a hermetic compiler holding every schema file.
func (s *Set) newCompiler() (*jsonschema.Compiler, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	c.LoadURL = func(u string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("schemas: %s is not embedded (compilation is hermetic)", u)
	}
	for _, p := range s.paths {
		b := s.raw[p]
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			return nil, fmt.Errorf("schemas: %s: %w", p, err)
		}
		id, _ := doc["$id"].(string)
		if want := BaseURI + p; id != want {
			return nil, fmt.Errorf("schemas: %s: $id is %q, want %q", p, id, want)
		}
		if err := c.AddResource(id, bytes.NewReader(b)); err != nil {
			return nil, fmt.Errorf("schemas: %s: %w", p, err)
		}
	}
	return c, nil
}

// checkSinglePass refuses a webhook schema (root, and every file it reaches)
// where one validation pass could not tell drift from errors.
func (s *Set) checkSinglePass(root string) error {
	seen := map[string]bool{}
	todo := []string{root}
	for len(todo) > 0 {
		f := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if seen[f] {
			continue
		}
		seen[f] = true
		var doc any
		if err := json.Unmarshal(s.raw[f], &doc); err != nil {
			return fmt.Errorf("schemas: %s: %w", f, err)
		}
		if ptr := s.closedUnderCondition(f, doc, "", false); ptr != "" {
			return fmt.Errorf("schemas: %s#%s: a closed object (or a $ref to one) under a condition: drift there could change "+
				"another keyword's outcome, so one validation pass could not tell drift from errors", f, ptr)
		}
		var refs []string
		collectRefs(doc, &refs)
		for _, r := range refs {
			if t, _, _ := strings.Cut(r, "#"); t != "" {
				todo = append(todo, path.Join(path.Dir(f), t))
			}
		}
	}
	return nil
}

// closedUnderCondition returns the pointer of the first closed object
// (additionalProperties or unevaluatedProperties false), or $ref to a file
// that has one, inside an if, not, oneOf or contains subschema of v (in
// file), "" when none.
func (s *Set) closedUnderCondition(file string, v any, ptr string, under bool) string {
	switch v := v.(type) {
	case map[string]any:
		if under {
			for _, k := range []string{"additionalProperties", "unevaluatedProperties"} {
				if b, ok := v[k].(bool); ok && !b {
					return ptr + "/" + k
				}
			}
			if ref, ok := v["$ref"].(string); ok && s.hasClosed(file, ref, map[string]bool{}) {
				return ptr + "/$ref"
			}
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			cond := under
			switch k {
			case "if", "not", "oneOf", "contains":
				cond = true
			case "const", "enum", "examples", "default", "propertyNames": // values, or schemas of strings
				continue
			}
			if p := s.closedUnderCondition(file, v[k], ptr+"/"+k, cond); p != "" {
				return p
			}
		}
	case []any:
		for i, child := range v {
			if p := s.closedUnderCondition(file, child, fmt.Sprintf("%s/%d", ptr, i), under); p != "" {
				return p
			}
		}
	}
	return ""
}

// hasClosed reports whether the file ref points at (relative to from) holds
// a closed object, or refers to a file that does. Unknown files count as
// closed.
func (s *Set) hasClosed(from, ref string, seen map[string]bool) bool {
	target, _, _ := strings.Cut(ref, "#")
	if target == "" {
		target = from
	} else {
		target = path.Join(path.Dir(from), target)
	}
	if seen[target] {
		return false
	}
	seen[target] = true
	b, ok := s.raw[target]
	if !ok {
		return true
	}
	if bytes.Contains(b, []byte(`"additionalProperties": false`)) || bytes.Contains(b, []byte(`"unevaluatedProperties": false`)) ||
		bytes.Contains(b, []byte(`"additionalProperties":false`)) || bytes.Contains(b, []byte(`"unevaluatedProperties":false`)) {
		return true
	}
	var doc any
	if json.Unmarshal(b, &doc) != nil {
		return true
	}
	var refs []string
	collectRefs(doc, &refs)
	for _, r := range refs {
		if s.hasClosed(target, r, seen) {
			return true
		}
	}
	return false
}

func collectRefs(v any, out *[]string) {
	switch v := v.(type) {
	case map[string]any:
		if r, ok := v["$ref"].(string); ok {
			*out = append(*out, r)
		}
		for _, c := range v {
			collectRefs(c, out)
		}
	case []any:
		for _, c := range v {
			collectRefs(c, out)
		}
	}
}

// Platforms returns every platform, sorted by name.
func (s *Set) Platforms() []*Platform { return append([]*Platform(nil), s.platforms...) }

// Platform returns the platform called name or one of its aliases
// (case-insensitive).
func (s *Set) Platform(name string) (*Platform, error) {
	if p, ok := s.byName[strings.ToLower(strings.TrimSpace(name))]; ok {
		return p, nil
	}
	return nil, &UnknownError{What: "platform", Name: name, Valid: s.PlatformNames()}
}

// PlatformNames lists every accepted platform name, aliases included.
func (s *Set) PlatformNames() []string {
	var names []string
	for n := range s.byName {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// UnknownError reports a name that is not one of the valid ones.
type UnknownError struct {
	What  string // "platform", "event", "schema"
	Name  string
	Valid []string
}

func (e *UnknownError) Error() string {
	return fmt.Sprintf("schemas: unknown %s %q (valid: %s)", e.What, e.Name, strings.Join(e.Valid, ", "))
}

// ErrUnknown matches every *UnknownError with errors.Is.
var ErrUnknown = errors.New("schemas: unknown name")

// Is makes errors.Is(err, ErrUnknown) true.
func (e *UnknownError) Is(target error) bool { return target == ErrUnknown }
