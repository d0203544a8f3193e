package schemas

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Files lists the schema files by path (e.g. "chatwoot/objects/message.json"),
// sorted.
func (s *Set) Files() []string { return append([]string(nil), s.paths...) }

// File returns a schema file's bytes by path, by path without ".json", by its
// $id, or by a unique base name ("message", "form.response").
func (s *Set) File(name string) (path string, data []byte, err error) {
	name = strings.TrimPrefix(strings.TrimSpace(name), BaseURI)
	candidates := []string{name, name + ".json"}
	for _, c := range candidates {
		if b, ok := s.raw[c]; ok {
			return c, b, nil
		}
	}
	var matches []string
	for _, p := range s.paths {
		if base := filepath.Base(p); base == name || base == name+".json" {
			matches = append(matches, p)
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], s.raw[matches[0]], nil
	case 0:
		return "", nil, &UnknownError{What: "schema", Name: name, Valid: []string{"see 'chathook schemas list'"}}
	default:
		return "", nil, fmt.Errorf("schemas: %q is ambiguous: %s", name, strings.Join(matches, ", "))
	}
}

// Export writes every schema file under dir, keeping its relative path and
// its $id, so other validators can load them (each $id resolves to
// BaseURI + the path under dir). Existing files are overwritten.
func (s *Set) Export(dir string) error {
	for _, p := range s.paths {
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return fmt.Errorf("schemas: export: %w", err)
		}
		if err := os.WriteFile(dst, s.raw[p], 0o644); err != nil {
			return fmt.Errorf("schemas: export: %w", err)
		}
	}
	return nil
}
