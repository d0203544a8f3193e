package schemas

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Platform is one platform's contract: its names, its event names and its
// compiled schemas. It is data (platforms/<name>.json) plus the schema files
// it points at, so adding a platform means adding files.
type Platform struct {
	Name        string   // canonical name, e.g. "chatwoot"
	Title       string   // display name, e.g. "Chatwoot"
	Description string   // one sentence
	Aliases     []string // rebrands that send the same payloads
	Root        string   // path of the root schema, e.g. "chatwoot/webhook.json"

	// Events lists the event names, derived from the files in the events
	// directory, sorted. Kinds lists, for an event that has sub-kinds
	// (Swiftsell "message"), the kind names from the kinds directory.
	Events []string
	Kinds  map[string][]string

	def    platformDef
	strict *jsonschema.Schema
	detect *jsonschema.Schema
	events map[string]*jsonschema.Schema // per-event schemas
	// dispatch is set when the root schema is only an event dispatch (see
	// buildDispatch): a body is then validated against the schemas its
	// event selects, directly, with the same outcome as the root's and
	// without the cost of the root's failed conditions.
	dispatch *dispatch
}

// dispatch is a root schema of the form: an object, requiring the event
// member, whose event matches a schema, and whose allOf entries are each
// "if the event matches C then T" (no else).
type dispatch struct {
	key     string                          // the event member
	event   *jsonschema.Schema              // the event member's schema
	byConst map[string][]*jsonschema.Schema // event name -> the T of entries whose C is that const
	other   []struct{ cond, then *jsonschema.Schema }
}

// platformDef is the JSON form of platforms/<name>.json.
type platformDef struct {
	Name        string   `json:"name"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Aliases     []string `json:"aliases"`
	Root        string   `json:"root"`
	// Batch, when set, is the pointer of the array holding the events of one
	// delivery; event and kind pointers are then relative to each item.
	Batch  string `json:"batch"`
	Events struct {
		Dir     string `json:"dir"`
		Pointer string `json:"pointer"`
	} `json:"events"`
	Kinds *struct {
		Event   string `json:"event"`
		Dir     string `json:"dir"`
		Pointer string `json:"pointer"`
	} `json:"kinds"`
	// Detect is a JSON Schema that a body of this platform matches.
	// DetectKey is a top-level key that only this platform's bodies have:
	// a body matching no Detect rule but having the key is validated as this
	// platform, so its error is precise ("/events: expected array").
	Detect     json.RawMessage `json:"detect"`
	DetectKey  string          `json:"detectKey"`
	DetectHint string          `json:"detectHint"`
}

func (s *Set) loadPlatform(file string, b []byte, strict *jsonschema.Compiler) (*Platform, error) {
	var def platformDef
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&def); err != nil {
		return nil, fmt.Errorf("schemas: %s: %w", file, err)
	}
	if def.Name == "" || def.Root == "" || def.Events.Dir == "" || def.Events.Pointer == "" || len(def.Detect) == 0 {
		return nil, fmt.Errorf("schemas: %s: name, root, events.dir, events.pointer and detect are required", file)
	}
	p := &Platform{
		Name: def.Name, Title: def.Title, Description: def.Description,
		Aliases: def.Aliases, Root: def.Root, def: def,
		Kinds:  map[string][]string{},
		events: map[string]*jsonschema.Schema{},
	}
	if err := s.checkSinglePass(def.Root); err != nil {
		return nil, err
	}
	var err error
	if p.strict, err = strict.Compile(BaseURI + def.Root); err != nil {
		return nil, fmt.Errorf("schemas: compiling %s: %w", def.Root, err)
	}
	for _, f := range s.filesIn(def.Events.Dir) {
		name := strings.TrimSuffix(path.Base(f), ".json")
		p.Events = append(p.Events, name)
		if p.events[name], err = strict.Compile(BaseURI + f); err != nil {
			return nil, fmt.Errorf("schemas: compiling %s: %w", f, err)
		}
	}
	if len(p.Events) == 0 {
		return nil, fmt.Errorf("schemas: %s: no event schemas in %s", file, def.Events.Dir)
	}
	p.dispatch = p.buildDispatch()
	if def.Kinds != nil {
		for _, f := range s.filesIn(def.Kinds.Dir) {
			p.Kinds[def.Kinds.Event] = append(p.Kinds[def.Kinds.Event], strings.TrimSuffix(path.Base(f), ".json"))
		}
	}
	dc := jsonschema.NewCompiler()
	dc.Draft = jsonschema.Draft2020
	detectURL := BaseURI + "platforms/" + def.Name + ".detect.json"
	if err := dc.AddResource(detectURL, bytes.NewReader(def.Detect)); err != nil {
		return nil, fmt.Errorf("schemas: %s: detect: %w", file, err)
	}
	if p.detect, err = dc.Compile(detectURL); err != nil {
		return nil, fmt.Errorf("schemas: %s: detect: %w", file, err)
	}
	return p, nil
}

// filesIn lists the schema files directly inside dir, sorted.
func (s *Set) filesIn(dir string) []string {
	var out []string
	for _, p := range s.paths {
		if path.Dir(p) == dir {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// HasEvent reports whether name is one of the platform's events.
func (p *Platform) HasEvent(name string) bool {
	_, ok := p.events[name]
	return ok
}

// eventRef is one event found in a body: its name, its kind when the
// platform has kinds, and the pointer of its name.
type eventRef struct {
	name, kind, pointer string
}

// eventsOf extracts the event names of a decoded body, best effort (a body
// that fails validation may not have them).
func (p *Platform) eventsOf(v any) []eventRef {
	items := []any{v}
	prefixes := []string{""}
	if p.def.Batch != "" {
		arr, _ := lookup(v, p.def.Batch).([]any)
		items, prefixes = arr, make([]string, len(arr))
		for i := range arr {
			prefixes[i] = fmt.Sprintf("%s/%d", p.def.Batch, i)
		}
	}
	var out []eventRef
	for i, item := range items {
		name, ok := lookup(item, p.def.Events.Pointer).(string)
		if !ok {
			continue
		}
		ref := eventRef{name: name, pointer: prefixes[i] + p.def.Events.Pointer}
		if k := p.def.Kinds; k != nil && name == k.Event {
			ref.kind, _ = lookup(item, k.Pointer).(string)
		}
		out = append(out, ref)
	}
	return out
}

// lookup resolves an RFC 6901 pointer in a decoded JSON value; nil when the
// pointer does not resolve.
func lookup(v any, pointer string) any {
	if pointer == "" {
		return v
	}
	for _, tok := range strings.Split(pointer[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch c := v.(type) {
		case map[string]any:
			v = c[tok]
		case []any:
			i := 0
			if _, err := fmt.Sscanf(tok, "%d", &i); err != nil || i < 0 || i >= len(c) {
				return nil
			}
			v = c[i]
		default:
			return nil
		}
	}
	return v
}

// buildDispatch returns the root's dispatch, nil when the root is anything
// more than one.
func (p *Platform) buildDispatch() *dispatch {
	r := p.strict
	ptr := p.def.Events.Pointer
	if p.def.Batch != "" || strings.Count(ptr, "/") != 1 || r.Ref != nil || r.If != nil || len(r.AnyOf)+len(r.OneOf) > 0 ||
		r.Not != nil || r.AdditionalProperties != nil || len(r.PatternProperties) > 0 || r.UnevaluatedProperties != nil ||
		r.PropertyNames != nil || len(r.DependentSchemas)+len(r.DependentRequired)+len(r.Dependencies) > 0 ||
		r.MinProperties > 0 || r.MaxProperties >= 0 || r.Constant != nil || r.Enum != nil || r.DynamicRef != nil ||
		r.RecursiveRef != nil || r.Always != nil || len(r.Extensions) > 0 ||
		len(r.Properties) != 1 || len(r.Types) != 1 || r.Types[0] != "object" {
		return nil
	}
	d := &dispatch{key: ptr[1:], byConst: map[string][]*jsonschema.Schema{}}
	if d.event = r.Properties[d.key]; d.event == nil || len(r.Required) != 1 || r.Required[0] != d.key {
		return nil
	}
	for _, a := range r.AllOf {
		c := a.If
		if c == nil || a.Then == nil || a.Else != nil || a.Ref != nil || len(a.AllOf)+len(a.AnyOf)+len(a.OneOf) > 0 ||
			len(a.Properties) > 0 || len(a.Types) > 0 || len(c.Properties) != 1 || c.Properties[d.key] == nil ||
			len(c.Required) != 1 || c.Required[0] != d.key || len(c.AllOf)+len(c.AnyOf)+len(c.OneOf) > 0 || c.Ref != nil {
			return nil
		}
		cond := c.Properties[d.key]
		if name, ok := constString(cond); ok {
			d.byConst[name] = append(d.byConst[name], a.Then)
		} else {
			d.other = append(d.other, struct{ cond, then *jsonschema.Schema }{cond, a.Then})
		}
	}
	return d
}

// constString returns the string a schema is only a const of.
func constString(s *jsonschema.Schema) (string, bool) {
	if len(s.Constant) != 1 || s.Ref != nil || len(s.Types) > 0 || s.Enum != nil || len(s.AllOf)+len(s.AnyOf)+len(s.OneOf) > 0 ||
		s.Pattern != nil || s.Not != nil || s.If != nil {
		return "", false
	}
	name, ok := s.Constant[0].(string)
	return name, ok
}

// selected returns the schemas the dispatch applies to v, false when v
// must be validated against the whole root (not an object, no string event,
// or an event the root refuses).
func (d *dispatch) selected(v any) ([]*jsonschema.Schema, bool) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	name, ok := obj[d.key].(string)
	if !ok || d.event.Validate(name) != nil {
		return nil, false
	}
	out := d.byConst[name]
	for _, o := range d.other {
		if o.cond.Validate(name) == nil {
			out = append(out[:len(out):len(out)], o.then)
		}
	}
	return out, true
}
