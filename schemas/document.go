package schemas

import (
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// documents caches the compiled schemas ValidateDocument uses, by path.
var documents sync.Map // path -> *jsonschema.Schema

// ValidateDocument checks body against one schema file of the set, named as
// File names it (e.g. "chatwoot/api/message.json"): for documents that are
// not webhook events, such as the responses of Chatwoot's Application API.
// Unknown keys in closed objects are errors here: these schemas describe
// what chathook's own mock serves. A body that is not JSON is one problem.
func (s *Set) ValidateDocument(file string, body []byte) ([]Problem, error) {
	path, _, err := s.File(file)
	if err != nil {
		return nil, err
	}
	var sch *jsonschema.Schema
	if v, ok := documents.Load(path); ok {
		sch = v.(*jsonschema.Schema)
	} else {
		c, err := s.newCompiler()
		if err != nil {
			return nil, err
		}
		if sch, err = c.Compile(BaseURI + path); err != nil {
			return nil, fmt.Errorf("schemas: %s: %w", path, err)
		}
		documents.Store(path, sch)
	}
	v, perr := decode(body)
	if perr != nil {
		return []Problem{*perr}, nil
	}
	if err := sch.Validate(v); err != nil {
		return problems(err, v), nil
	}
	return nil, nil
}
