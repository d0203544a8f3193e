package schemas

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/chathook/chathook/releases"
)

// The release dimension of Chatwoot bodies. The JSON Schemas are the union
// of every release: a body they accept is one some release could send, key
// by key. Which keys go together is a fact of each release, held as data in
// package releases (the key lists of each serializer); checkRelease compares
// a decoded body with one release's lists:
//
//   - a key the release always sends that the body lacks is an error;
//   - a key the release never sends in that object is drift (an error with
//     strict);
//   - an event the release never sends to any receiver is an error;
//   - a value the release writes in a format of its own (updated_at as a
//     float) in another one is an error.
//
// Unpinned, the same check runs against each payload-shape line
// (releases.Lines) and the result names the lines that could have sent the
// body; when none could, that is drift naming the closest line.

// chatwootPlatform is the platform whose bodies have a release dimension.
const chatwootPlatform = "chatwoot"

// checkVersion reports a release number Lookup does not know.
func checkVersion(version string) error {
	if version == "" {
		return nil
	}
	if _, err := releases.Lookup(version); err != nil {
		return fmt.Errorf("schemas: %w", err)
	}
	return nil
}

// releaseIssue is one way a body differs from what a release sends.
type releaseIssue struct {
	problem Problem
	drift   bool
	key     string // the key concerned, "" when none
}

var (
	linesOnce sync.Once
	lines     []releases.Line
)

func shapeLines() []releases.Line {
	linesOnce.Do(func() { lines = releases.Lines() })
	return lines
}

// applyRelease adds the release findings to res: pinned to version when it
// is set, otherwise the matching lines.
func applyRelease(res *Result, v any, events []eventRef, version string) error {
	if res.Platform != chatwootPlatform {
		return nil
	}
	event := ""
	if len(events) > 0 {
		event = events[0].name
	}
	if version != "" {
		r, err := releases.Lookup(version)
		if err != nil {
			return fmt.Errorf("schemas: %w", err)
		}
		res.Release = r.Version()
		for _, is := range checkRelease(v, event, r) {
			res.add(is)
		}
		return nil
	}
	// Newest first (most bodies are recent); once one line matches, the
	// others only need to be told apart from zero.
	ls := shapeLines()
	best, bestN, matched := -1, -1, false
	var runs []string
	var run *releases.Line // the current run of adjacent matching lines
	flush := func() {
		if run != nil {
			runs = append(runs, run.String())
			run = nil
		}
	}
	for i := len(ls) - 1; i >= 0; i-- {
		l := ls[i]
		limit := bestN
		if matched {
			limit = 0
		}
		n := countRelease(v, event, l.Last, limit)
		if n == 0 {
			matched = true
			if run == nil {
				run = &releases.Line{Last: l.Last}
			}
			run.First = l.First
			continue
		}
		flush()
		if best < 0 || n < bestN {
			best, bestN = i, n
		}
	}
	flush()
	for i := len(runs) - 1; i >= 0; i-- { // oldest first
		res.Releases = append(res.Releases, runs[i])
	}
	if matched || best < 0 {
		return nil
	}
	first := checkRelease(v, event, ls[best].Last)[0].problem
	res.add(releaseIssue{drift: true, problem: Problem{
		Keyword: "release",
		Message: fmt.Sprintf("no single Chatwoot release sends this body (a mix of releases?); closest %s, which differs in %d place(s), first %s",
			ls[best], bestN, first.String()),
	}})
	return nil
}

// add records an issue unless the schema already reported the same key at
// the same place.
func (res *Result) add(is releaseIssue) {
	if is.key != "" {
		for _, list := range [][]Problem{res.Errors, res.Drift} {
			for _, p := range list {
				if p.Pointer == is.problem.Pointer && strings.Contains(p.Message, "'"+is.key+"'") {
					return
				}
			}
		}
	}
	if is.drift {
		res.Drift = append(res.Drift, is.problem)
	} else {
		res.Errors = append(res.Errors, is.problem)
	}
}

// checkRelease lists how the decoded body v of event differs from what r
// sends.
func checkRelease(v any, event string, r releases.Release) []releaseIssue {
	c := &releaseChecker{r: r, shape: shapeOf(r)}
	c.run(v, event)
	return c.out
}

// countRelease is how many issues checkRelease would list, or some number
// above limit when there are more than limit (negative: no limit).
func countRelease(v any, event string, r releases.Release, limit int) int {
	c := &releaseChecker{r: r, shape: shapeOf(r), count: true, limit: limit}
	c.run(v, event)
	return c.n
}

func (c *releaseChecker) run(v any, event string) {
	r := c.r
	body, ok := v.(map[string]any)
	if !ok {
		return
	}
	if event != "" && !c.sendsEvent(event) {
		c.issue(false, "/event", "", "Chatwoot %s never sends the event %q", r, event)
	}
	top := r.BodyKeys(event)
	switch releases.BodyObject(event) {
	case releases.Message:
		c.object("", body, top, nil, "message event")
		c.messageParts("", body)
	case releases.Contact:
		c.object("", body, top, nil, "contact event")
	case releases.ContactInboxEvent:
		c.object("", body, top, nil, "webwidget_triggered body")
		if conv, ok := body["current_conversation"].(map[string]any); ok {
			c.conversation("/current_conversation", conv)
		}
		if ct, ok := body["contact"].(map[string]any); ok {
			c.obj("/contact", ct, releases.Contact, "contact")
		}
	case releases.Inbox:
		c.object("", body, top, nil, "inbox event")
	case releases.Conversation:
		c.object("", body, top, nil, "conversation event")
		c.conversationParts("", body)
	default:
		if conv, ok := body["conversation"].(map[string]any); ok { // typing events
			c.conversation("/conversation", conv)
		}
	}
	sort.SliceStable(c.out, func(i, j int) bool { return c.out[i].problem.Pointer < c.out[j].problem.Pointer })
}

// sendsEvent reports whether the release sends event to some receiver
// kind; a macro's "macro_event.<name>" matches "macro_event.{macro_name}".
func (c *releaseChecker) sendsEvent(event string) bool {
	if c.shape.events[event] {
		return true
	}
	return strings.HasPrefix(event, "macro_event.") && c.shape.events["macro_event.{macro_name}"]
}

type releaseChecker struct {
	r     releases.Release
	shape *shape
	out   []releaseIssue
	// count only counts issues (n), without building them: the search for
	// the lines that could have sent a body needs no more.
	count bool
	n     int
	limit int // in count mode, stop once n exceeds it (negative: no limit)
}

// stopped reports whether counting can stop: the line is already worse
// than the best one seen.
func (c *releaseChecker) stopped() bool { return c.count && c.limit >= 0 && c.n > c.limit }

func (c *releaseChecker) issue(drift bool, ptr, key, msg string, a ...any) {
	c.n++
	if c.count {
		return
	}
	c.out = append(c.out, releaseIssue{drift: drift, key: key, problem: Problem{Pointer: ptr, Keyword: "release", Message: fmt.Sprintf(msg, a...)}})
}

// shape is a release's key lists as sets, computed once per release.
type shape struct {
	keys   map[releases.Object][]releases.Key
	known  map[releases.Object]map[string]bool
	events map[string]bool
}

var shapes sync.Map // release version → *shape

func shapeOf(r releases.Release) *shape {
	if sh, ok := shapes.Load(r.Version()); ok {
		return sh.(*shape)
	}
	sh := &shape{keys: map[releases.Object][]releases.Key{}, known: map[releases.Object]map[string]bool{}, events: map[string]bool{}}
	for _, o := range releases.Objects() {
		ks := r.Keys(o)
		if ks == nil {
			continue
		}
		sh.keys[o] = ks
		set := make(map[string]bool, len(ks))
		for _, k := range ks {
			set[k.Name] = true
		}
		sh.known[o] = set
	}
	for _, k := range releases.Kinds() {
		for _, e := range r.Events(k) {
			sh.events[e] = true
		}
	}
	actual, _ := shapes.LoadOrStore(r.Version(), sh)
	return actual.(*shape)
}

// pointer is ptr+mid+i, or "" when only counting (no message is built).
func (c *releaseChecker) pointer(ptr, mid string, i int) string {
	if c.count {
		return ""
	}
	return ptr + mid + strconv.Itoa(i)
}

// obj compares obj's keys with the release's keys of o.
func (c *releaseChecker) obj(ptr string, obj map[string]any, o releases.Object, what string) {
	c.object(ptr, obj, c.shape.keys[o], c.shape.known[o], what)
}

// object compares obj's keys with keys (known: their names, nil to build
// it), what naming the object in messages. A nil keys (the release has no
// such object) checks nothing: the key that holds it is reported by its
// parent.
func (c *releaseChecker) object(ptr string, obj map[string]any, keys []releases.Key, known map[string]bool, what string) {
	if keys == nil || c.stopped() {
		return
	}
	if known == nil {
		known = make(map[string]bool, len(keys))
		for _, k := range keys {
			known[k.Name] = true
		}
	}
	for _, k := range keys {
		if _, has := obj[k.Name]; !has && !k.Optional {
			c.issue(false, ptr, k.Name, "Chatwoot %s always sends %q in a %s", c.r, k.Name, what)
		}
	}
	var extra []string
	for k := range obj {
		if !known[k] {
			if c.count {
				c.n++
				continue
			}
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		c.issue(true, ptr, k, "Chatwoot %s never sends %q in a %s", c.r, k, what)
	}
}

// messageParts checks what a message event body holds.
func (c *releaseChecker) messageParts(ptr string, m map[string]any) {
	if conv, ok := m["conversation"].(map[string]any); ok {
		c.conversation(ptr+"/conversation", conv)
	}
	if s, ok := m["sender"].(map[string]any); ok {
		c.sender(ptr+"/sender", s, releases.Contact, releases.User, releases.Bot)
	}
	c.attachments(ptr, m)
}

// conversation checks a conversation's webhook data (without event keys).
func (c *releaseChecker) conversation(ptr string, conv map[string]any) {
	c.obj(ptr, conv, releases.Conversation, "conversation")
	c.conversationParts(ptr, conv)
}

// conversationParts checks the objects inside a conversation.
func (c *releaseChecker) conversationParts(ptr string, conv map[string]any) {
	if c.r.Format(releases.Conversation, "updated_at") == "float" {
		if n, ok := conv["updated_at"].(interface{ String() string }); ok && !strings.ContainsAny(n.String(), ".eE") {
			c.issue(false, ptr+"/updated_at", "", "Chatwoot %s writes updated_at as a float (updated_at.to_f), not %s", c.r, n.String())
		}
	}
	if meta, ok := conv["meta"].(map[string]any); ok {
		c.obj(ptr+"/meta", meta, releases.ConversationMeta, "conversation meta")
		if s, ok := meta["sender"].(map[string]any); ok {
			c.obj(ptr+"/meta/sender", s, releases.ContactPush, "conversation's contact (meta.sender)")
		}
		if a, ok := meta["assignee"].(map[string]any); ok {
			c.sender(ptr+"/meta/assignee", a, releases.ContactPush, releases.UserPush, releases.BotPush)
		}
		if t, ok := meta["team"].(map[string]any); ok {
			c.obj(ptr+"/meta/team", t, releases.Team, "team")
		}
	}
	msgs, _ := conv["messages"].([]any)
	for i, item := range msgs {
		nm, ok := item.(map[string]any)
		if !ok {
			continue
		}
		p := c.pointer(ptr, "/messages/", i)
		c.obj(p, nm, releases.NestedMessage, "conversation's last message (messages[])")
		if nc, ok := nm["conversation"].(map[string]any); ok {
			c.obj(p+"/conversation", nc, releases.NestedConversation, "nested message's conversation")
		}
		if s, ok := nm["sender"].(map[string]any); ok {
			c.sender(p+"/sender", s, releases.ContactPush, releases.UserPush, releases.BotPush)
		}
		c.attachments(p, nm)
	}
}

// sender checks a sender by its type: an agent ("user"), a bot
// ("agent_bot"), or else a contact (whose type is "contact" or absent).
func (c *releaseChecker) sender(ptr string, s map[string]any, contact, user, bot releases.Object) {
	switch t, _ := s["type"].(string); t {
	case "user":
		c.obj(ptr, s, user, "agent ("+string(user)+")")
	case "agent_bot":
		c.obj(ptr, s, bot, "agent bot ("+string(bot)+")")
	case "", "contact":
		c.obj(ptr, s, contact, "contact ("+string(contact)+")")
	}
}

// attachments checks the file attachments (image, audio, video, file) of a
// message; location, fallback and contact attachments have shapes of their
// own that the schemas alone check.
func (c *releaseChecker) attachments(ptr string, m map[string]any) {
	list, _ := m["attachments"].([]any)
	for i, item := range list {
		a, ok := item.(map[string]any)
		if !ok {
			continue
		}
		switch a["file_type"] {
		case "image", "audio", "video", "file":
			c.obj(c.pointer(ptr, "/attachments/", i), a, releases.Attachment, "attachment")
		}
	}
}
