package schemas

import (
	"fmt"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Options select how a body is validated. The zero value detects the
// platform and accepts any of its events.
type Options struct {
	// Platform is a platform name or alias; "" detects it from the body.
	Platform string
	// Event, when set, requires every event in the body to be this one.
	Event string
	// Version pins a Chatwoot body to one release ("X.Y.Z", "X.Y" for its
	// last patch, "X", "latest"; see releases.Lookup): keys that release
	// always sends are required, keys it never sends are drift, events and
	// formats must be its own. "" accepts a body some release could have
	// sent and reports which in Result.Releases. Other platforms ignore it.
	Version string
}

// Result is the outcome of validating one body.
type Result struct {
	Platform string    // canonical platform name; "" when it could not be told
	Events   []string  // event names found in the body, in order ("message.form" for a Swiftsell message of kind form)
	Errors   []Problem // contract violations
	Drift    []Problem // keys the schema does not know, in closed objects (warnings)
	// Release is the Chatwoot release the body was pinned to (Options.Version).
	Release string
	// Releases are the ranges of Chatwoot releases ("4.0.2 to 4.0.4") that
	// could have sent the body, when it was not pinned; empty when none
	// could (then Drift says which came closest) or the body is not Chatwoot's.
	Releases []string
}

// OK reports whether the body is valid: no errors, and, when strict, no
// drift either.
func (r *Result) OK(strict bool) bool {
	return len(r.Errors) == 0 && (!strict || len(r.Drift) == 0)
}

// Validate checks one body. A body that is not JSON, or not a body of any
// platform, is an invalid result, not a Go error; an error is returned only
// for bad Options (unknown platform or event), and matches ErrUnknown.
func (s *Set) Validate(body []byte, opt Options) (*Result, error) {
	var p *Platform
	if opt.Platform != "" {
		var err error
		if p, err = s.Platform(opt.Platform); err != nil {
			return nil, err
		}
	}
	if opt.Event != "" {
		if err := s.checkEvent(p, opt.Event); err != nil {
			return nil, err
		}
	}
	if err := checkVersion(opt.Version); err != nil {
		return nil, err
	}
	res := &Result{}
	v, perr := decode(body)
	if perr != nil {
		if p != nil {
			res.Platform = p.Name
		}
		res.Errors = []Problem{*perr}
		return res, nil
	}
	if p == nil {
		if p = s.detect(v); p == nil {
			res.Errors = []Problem{{Keyword: "platform", Message: s.detectMessage(v)}}
			return res, nil
		}
	}
	res.Platform = p.Name
	refs := p.eventsOf(v)
	for _, r := range refs {
		name := r.name
		if r.kind != "" {
			name += "." + r.kind
		}
		res.Events = append(res.Events, name)
	}
	schs := []*jsonschema.Schema{p.strict}
	if p.dispatch != nil {
		if sel, ok := p.dispatch.selected(v); ok {
			schs = sel
		}
	}
	// One pass: a failed additionalProperties of a closed object is drift,
	// everything else an error (see the package doc for why that holds).
	for _, sch := range schs {
		if err := sch.Validate(v); err != nil {
			for _, pr := range problems(err, v) {
				if isDrift(pr) {
					res.Drift = append(res.Drift, pr)
				} else {
					res.Errors = append(res.Errors, pr)
				}
			}
		}
	}
	if opt.Event != "" {
		for _, r := range refs {
			if r.name != opt.Event && r.name+"."+r.kind != opt.Event {
				res.Errors = append(res.Errors, Problem{
					Pointer: r.pointer, Keyword: "event",
					Message: fmt.Sprintf("expected event %q", opt.Event), Found: quote(r.name),
				})
			}
		}
	}
	if err := applyRelease(res, v, refs, opt.Version); err != nil {
		return nil, err
	}
	return res, nil
}

func (s *Set) checkEvent(p *Platform, event string) error {
	var all []string
	for _, q := range s.platforms {
		if p != nil && q != p {
			continue
		}
		if q.HasEvent(event) {
			return nil
		}
		for ev, kinds := range q.Kinds {
			for _, k := range kinds {
				if event == ev+"."+k {
					return nil
				}
			}
		}
		all = append(all, q.Events...)
	}
	return &UnknownError{What: "event", Name: event, Valid: all}
}

// detect returns the first platform whose detect rule matches v, else the
// only platform whose detect key v has.
func (s *Set) detect(v any) *Platform {
	for _, p := range s.platforms {
		if p.detect.Validate(v) == nil {
			return p
		}
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	var found *Platform
	for _, p := range s.platforms {
		if _, has := obj[p.def.DetectKey]; has && p.def.DetectKey != "" {
			if found != nil {
				return nil // ambiguous
			}
			found = p
		}
	}
	return found
}

func (s *Set) detectMessage(v any) string {
	var hints []string
	for _, p := range s.platforms {
		hints = append(hints, fmt.Sprintf("%s (%s)", p.def.DetectHint, p.Title))
	}
	return fmt.Sprintf("not a webhook body of any platform: expected %s; found %s",
		strings.Join(hints, " or "), describe(v))
}

func lineCol(b []byte, off int64) (int, int) {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	line, col := 1, 1
	for _, c := range b[:off] {
		if c == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

// compile-time check that the library's error type is what we flatten.
var _ error = (*jsonschema.ValidationError)(nil)
