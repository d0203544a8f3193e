package releases

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
)

//go:embed chatwoot.json
var chatwootJSON []byte

// ErrUnknown is wrapped by Lookup's error when a release number names no
// Chatwoot release in the table.
var ErrUnknown = errors.New("unknown Chatwoot release")

// file is the shape of chatwoot.json.
type file struct {
	Comment    string      `json:"$comment"`
	Platform   string      `json:"platform"`
	Repository string      `json:"repository"`
	Releases   []fileEntry `json:"releases"`
}

type fileEntry struct {
	Version string       `json:"version"`
	Commit  string       `json:"commit"`
	Date    string       `json:"date"`
	Changes []fileChange `json:"changes"`
}

// fileChange changes one fact: set replaces its value, add and remove edit a
// list of names. Exactly one of them is given.
type fileChange struct {
	Fact   string           `json:"fact"`
	Set    *json.RawMessage `json:"set"`
	Add    []string         `json:"add"`
	Remove []string         `json:"remove"`
	Source string           `json:"source"`
	hasSet bool
}

func (c *fileChange) UnmarshalJSON(b []byte) error {
	type plain fileChange
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	for k := range raw {
		switch k {
		case "fact", "set", "add", "remove", "source":
		default:
			return fmt.Errorf("unknown key %q", k)
		}
	}
	_, p.hasSet = raw["set"]
	if p.hasSet && p.Set == nil { // "set": null
		null := json.RawMessage("null")
		p.Set = &null
	}
	*c = fileChange(p)
	return nil
}

// entry is one release with every fact as it stands at that release.
type entry struct {
	num    number
	commit string
	date   string
	facts  facts
	prov   map[string]provenance
}

type provenance struct{ since, source string }

// facts is the decoded state of every fact at one release; the JSON names
// are the fact names of chatwoot.json, nested at each dot.
type facts struct {
	Events         map[Kind][]string `json:"events"`
	Subscriptions  []string          `json:"subscriptions"`
	Undeliverable  []string          `json:"undeliverable"`
	Signs          map[Kind]bool     `json:"signs"`
	DeliveryID     map[Kind]bool     `json:"delivery_id"`
	Retry          map[Kind]*retryJS `json:"retry"`
	Transport      string            `json:"transport"`
	Ruby           string            `json:"ruby"`
	Host           string            `json:"host"`
	Redirects      redirectsJS       `json:"redirects"`
	Timeout        timeoutJS         `json:"timeout"`
	PrivateTargets PrivateTargets    `json:"private_targets"`

	Keys              map[Object][]string          `json:"keys"`
	MessageContent    string                       `json:"message_content"`
	ChangedAttributes []string                     `json:"changed_attributes"`
	Format            map[Object]map[string]string `json:"format"`
}

type retryJS struct {
	Attempts    int   `json:"attempts"`
	WaitSeconds int   `json:"wait_seconds"`
	Statuses    []int `json:"statuses"`
}

type redirectsJS struct {
	Post     string `json:"post"`      // "not_followed" or "follow"
	SeeOther string `json:"see_other"` // "get_without_body" or "follow"
	Max      int    `json:"max"`
}

type timeoutJS struct {
	OpenSeconds  int  `json:"open_seconds"`
	ReadSeconds  int  `json:"read_seconds"`
	Configurable bool `json:"configurable"`
}

var (
	loadOnce sync.Once
	table    []*entry
	loadErr  error
)

func load() ([]*entry, error) {
	loadOnce.Do(func() { table, loadErr = build(chatwootJSON) })
	return table, loadErr
}

// mustTable is the table; the embedded data is checked by the package's
// tests, so an error here is a build defect, not an input error.
func mustTable() []*entry {
	t, err := load()
	if err != nil {
		panic(err)
	}
	return t
}

// build folds the changes of data into one entry per release.
func build(data []byte) ([]*entry, error) {
	var f file
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("releases: chatwoot.json: %w", err)
	}
	if len(f.Releases) == 0 {
		return nil, errors.New("releases: chatwoot.json: no releases")
	}
	state := map[string]json.RawMessage{}
	prov := map[string]provenance{}
	var out []*entry
	for i, fe := range f.Releases {
		n, parts, err := parseNumber(fe.Version)
		if err != nil || parts != 3 {
			return nil, fmt.Errorf("releases: chatwoot.json: releases[%d]: version %q is not X.Y.Z", i, fe.Version)
		}
		if len(out) > 0 && n.compare(out[len(out)-1].num) <= 0 {
			return nil, fmt.Errorf("releases: chatwoot.json: releases[%d]: %s does not come after %s", i, n, out[len(out)-1].num)
		}
		for j, c := range fe.Changes {
			where := fmt.Sprintf("releases: chatwoot.json: %s changes[%d] (%s)", fe.Version, j, c.Fact)
			if err := apply(state, c); err != nil {
				return nil, fmt.Errorf("%s: %w", where, err)
			}
			if strings.TrimSpace(c.Source) == "" {
				return nil, fmt.Errorf("%s: no source", where)
			}
			prov[c.Fact] = provenance{since: fe.Version, source: c.Source}
		}
		fs, err := decodeFacts(state)
		if err != nil {
			return nil, fmt.Errorf("releases: chatwoot.json: %s: %w", fe.Version, err)
		}
		p := make(map[string]provenance, len(prov))
		for k, v := range prov {
			p[k] = v
		}
		out = append(out, &entry{num: n, commit: fe.Commit, date: fe.Date, facts: fs, prov: p})
	}
	return out, nil
}

// apply edits state by one change.
func apply(state map[string]json.RawMessage, c fileChange) error {
	ops := 0
	if c.hasSet {
		ops++
	}
	if c.Add != nil {
		ops++
	}
	if c.Remove != nil {
		ops++
	}
	if ops != 1 || c.Fact == "" {
		return errors.New("want a fact and exactly one of set, add, remove")
	}
	if c.hasSet {
		state[c.Fact] = *c.Set
		return nil
	}
	var list []string
	if cur, ok := state[c.Fact]; ok {
		if err := json.Unmarshal(cur, &list); err != nil {
			return fmt.Errorf("add or remove on a fact that is not a list: %w", err)
		}
	}
	if c.Add != nil {
		for _, a := range c.Add {
			if contains(list, a) {
				return fmt.Errorf("add %q: already there", a)
			}
			list = append(list, a)
		}
	}
	for _, r := range c.Remove {
		if !contains(list, r) {
			return fmt.Errorf("remove %q: not there", r)
		}
		list = without(list, r)
	}
	b, err := json.Marshal(list)
	if err != nil {
		return err
	}
	state[c.Fact] = b
	return nil
}

// decodeFacts nests the flat fact names at their dots and decodes the
// result strictly, so a misspelt fact name is an error.
func decodeFacts(state map[string]json.RawMessage) (facts, error) {
	nested := map[string]any{}
	keys := make([]string, 0, len(state))
	for k := range state {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts := strings.Split(k, ".")
		m := nested
		for _, p := range parts[:len(parts)-1] {
			sub, ok := m[p].(map[string]any)
			if !ok {
				if _, clash := m[p]; clash {
					return facts{}, fmt.Errorf("fact %q is both a value and a group", k)
				}
				sub = map[string]any{}
				m[p] = sub
			}
			m = sub
		}
		m[parts[len(parts)-1]] = state[k]
	}
	b, err := json.Marshal(nested)
	if err != nil {
		return facts{}, err
	}
	var fs facts
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fs); err != nil {
		return facts{}, err
	}
	for _, m := range []map[Kind]bool{fs.Signs, fs.DeliveryID} {
		for k := range m {
			if !k.valid() {
				return facts{}, fmt.Errorf("unknown receiver kind %q", k)
			}
		}
	}
	for k := range fs.Events {
		if !k.valid() {
			return facts{}, fmt.Errorf("unknown receiver kind %q", k)
		}
	}
	for o := range fs.Keys {
		if !o.valid() {
			return facts{}, fmt.Errorf("unknown object %q", o)
		}
	}
	for o := range fs.Format {
		if !o.valid() {
			return facts{}, fmt.Errorf("unknown object %q", o)
		}
	}
	return fs, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func without(list []string, s string) []string {
	out := list[:0:0]
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}
