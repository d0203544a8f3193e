package schemas

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// twoPass is the former design, kept here as the oracle: the root schema
// compiled twice, as written and with closed objects opened; errors come
// from the opened copy, drift from the closed one's unknown-key failures.
type twoPass struct{ strict, lenient map[string]*jsonschema.Schema }

func newTwoPass(t *testing.T, s *Set) *twoPass {
	tp := &twoPass{map[string]*jsonschema.Schema{}, map[string]*jsonschema.Schema{}}
	for _, lenient := range []bool{false, true} {
		c := jsonschema.NewCompiler()
		c.Draft, c.AssertFormat = jsonschema.Draft2020, true
		c.LoadURL = func(u string) (io.ReadCloser, error) { return nil, fmt.Errorf("not embedded: %s", u) }
		for _, p := range s.paths {
			var doc any
			if err := json.Unmarshal(s.raw[p], &doc); err != nil {
				t.Fatal(err)
			}
			if lenient {
				openObjects(doc)
			}
			b, _ := json.Marshal(doc)
			if err := c.AddResource(BaseURI+p, bytes.NewReader(b)); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range s.platforms {
			sch, err := c.Compile(BaseURI + p.Root)
			if err != nil {
				t.Fatal(err)
			}
			if lenient {
				tp.lenient[p.Name] = sch
			} else {
				tp.strict[p.Name] = sch
			}
		}
	}
	return tp
}

func openObjects(v any) {
	switch v := v.(type) {
	case map[string]any:
		for _, k := range []string{"additionalProperties", "unevaluatedProperties"} {
			if b, ok := v[k].(bool); ok && !b {
				delete(v, k)
			}
		}
		for _, c := range v {
			openObjects(c)
		}
	case []any:
		for _, c := range v {
			openObjects(c)
		}
	}
}

func (tp *twoPass) validate(platform string, v any) (errs, drift []Problem) {
	if err := tp.strict[platform].Validate(v); err != nil {
		if lerr := tp.lenient[platform].Validate(v); lerr != nil {
			errs = problems(lerr, v)
		}
		for _, pr := range problems(err, v) {
			if isDrift(pr) {
				drift = append(drift, pr)
			}
		}
	}
	return errs, drift
}

func keys(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Pointer+" "+p.Keyword+" "+p.Message)
	}
	slices.Sort(out)
	return out
}

// mutate adds an unknown key to, or breaks the type of a value in, the
// k-th object of v (in walk order); it reports whether there was one.
func mutate(v any, k *int, how int) bool {
	switch v := v.(type) {
	case map[string]any:
		if *k == 0 {
			switch how {
			case 0:
				v["chathook_unknown_key"] = 1
			default:
				for name, x := range v {
					if _, isObj := x.(map[string]any); !isObj {
						v[name] = []any{true}
						break
					}
				}
			}
			return true
		}
		*k--
		names := make([]string, 0, len(v))
		for n := range v {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			if mutate(v[n], k, how) {
				return true
			}
		}
	case []any:
		for _, c := range v {
			if mutate(c, k, how) {
				return true
			}
		}
	}
	return false
}

// TestSinglePassMatchesTwoPasses: over every fixture and thousands of
// mutations of them (an unknown key in each object in turn, a wrong type,
// both), one validation pass finds exactly the errors and the drift the
// former two-pass design found.
func TestSinglePassMatchesTwoPasses(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Platform("chatwoot"); p.dispatch == nil {
		t.Errorf("chatwoot's root schema is not recognised as an event dispatch")
	}
	tp := newTwoPass(t, s)
	files, _ := filepath.Glob("testdata/*/*/*.json")
	rng := rand.New(rand.NewSource(1))
	compared := 0
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for m := -1; m < 12; m++ {
			v, perr := decode(body)
			if perr != nil {
				break
			}
			if m >= 0 {
				k := m
				if !mutate(v, &k, rng.Intn(3)) {
					break
				}
				if rng.Intn(3) == 0 { // and a second change elsewhere
					k2 := rng.Intn(40)
					mutate(v, &k2, rng.Intn(2))
				}
			}
			b, _ := json.Marshal(v)
			res, err := s.Validate(b, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Platform == "" {
				continue
			}
			v2, _ := decode(b)
			wantErrs, wantDrift := tp.validate(res.Platform, v2)
			res.Drift = slices.DeleteFunc(res.Drift, func(p Problem) bool { return p.Keyword == "release" }) // added after validation
			res.Errors = slices.DeleteFunc(res.Errors, func(p Problem) bool { return p.Keyword == "release" })
			if !slices.Equal(keys(res.Errors), keys(wantErrs)) || !slices.Equal(keys(res.Drift), keys(wantDrift)) {
				t.Fatalf("%s mutation %d: single pass\n errors %q\n drift %q\ntwo passes\n errors %q\n drift %q\nbody %s",
					f, m, keys(res.Errors), keys(res.Drift), keys(wantErrs), keys(wantDrift), b)
			}
			compared++
		}
	}
	t.Logf("%d bodies compared", compared)
}
