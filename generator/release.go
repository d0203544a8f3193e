package generator

import (
	"strings"

	"github.com/chathook/chathook/releases"
)

// The generator writes every key any release writes (the union), then
// reshape rewrites each object to exactly the keys the chosen release
// writes, in its serializer's order, from the key lists of package
// releases. So a payload of release R holds what R sends and nothing else.

// reshape rewrites the object written from w.b[start:] (it must be the last
// thing written) to hold the members named by keys, in that order; members
// keys does not name are dropped. A nil keys leaves the object as written.
func (g *Generator) reshape(w *writer, start int, keys []releases.Key) {
	if keys == nil {
		return
	}
	obj := w.b[start:]
	members := splitMembers(obj)
	out := make([]byte, 0, len(obj))
	out = append(out, '{')
	n := 0
	for _, k := range keys {
		for _, m := range members {
			if m.key == k.Name {
				if n > 0 {
					out = append(out, ',')
				}
				out = append(out, m.raw...)
				n++
				break
			}
		}
	}
	out = append(out, '}')
	w.b = append(w.b[:start], out...)
}

// member is one "key":value of a compact JSON object, raw holding both.
type member struct {
	key string
	raw []byte
}

// splitMembers splits a compact JSON object written by writer into its
// members. It relies on the writer's output: no whitespace, valid JSON.
func splitMembers(obj []byte) []member {
	var out []member
	i := 1 // past '{'
	for i < len(obj)-1 {
		if obj[i] == ',' {
			i++
		}
		start := i
		end := skipString(obj, i)
		key := string(obj[i+1 : end-1])
		if strings.IndexByte(key, '\\') >= 0 {
			key = unescapeKey(key)
		}
		i = end + 1 // past ':'
		i = skipValue(obj, i)
		out = append(out, member{key: key, raw: obj[start:i]})
	}
	return out
}

// skipString returns the index just past the JSON string starting at i.
func skipString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(b)
}

// skipValue returns the index just past the JSON value starting at i.
func skipValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				j = skipString(b, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return len(b)
	}
	for j := i; j < len(b); j++ {
		if b[j] == ',' || b[j] == '}' || b[j] == ']' {
			return j
		}
	}
	return len(b)
}

// unescapeKey undoes the writer's \u00XX escapes in a key (keys are ASCII
// names in practice).
func unescapeKey(k string) string {
	r := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&", `\"`, `"`, `\\`, `\`)
	return r.Replace(k)
}

// keys is the release's key list of o.
func (g *Generator) keys(o releases.Object) []releases.Key { return g.rel.Keys(o) }

// eventName is the name the release gives event, and whether it sends it
// to any receiver: 2.4.x spells automation events "automation_event: X",
// 2.8.0 to 2.10.x name a macro's event after the macro.
func (g *Generator) eventName(event string) (string, bool) {
	if g.rel.SendsEvent(event) {
		return event, true
	}
	if rest, ok := strings.CutPrefix(event, "automation_event."); ok {
		if alt := "automation_event: " + rest; g.rel.SendsEvent(alt) {
			return alt, true
		}
	}
	if event == "macro.executed" && g.rel.SendsEvent("macro_event.{macro_name}") {
		return "macro_event." + g.pick([]string{"Escalate to billing", "Close as spam", "Handoff"}), true
	}
	return "", false
}

// contactPubsubToken is the contact's own pubsub_token, which
// push_event_data sent before 2.4.0; derived from the seed and the contact
// id, so older shapes draw nothing from the generator's source.
func (g *Generator) contactPubsubToken(c *Contact) string {
	const alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	x := uint64(g.seed)*0x9E3779B97F4A7C15 ^ uint64(c.ID)*0xBF58476D1CE4E5B9
	b := make([]byte, 24)
	for i := range b {
		x ^= x >> 31
		x *= 0x94D049BB133111EB
		b[i] = alphabet[x%uint64(len(alphabet))]
	}
	return string(b)
}

// webhookContent is the top-level content of a message event as the
// release writes it: from 4.9.0 to 4.12.0 rendered for the inbox's channel
// (markdown to HTML for the web widget and email), raw otherwise.
func (g *Generator) webhookContent(m *Message) *string {
	if m.Content == nil || g.rel.MessageContent() != releases.ContentRendered {
		return m.Content
	}
	switch m.Conversation.Inbox.ChannelType {
	case "Channel::WebWidget", "Channel::Email":
		html := renderHTML(*m.Content)
		return &html
	}
	return m.Content
}

// renderHTML renders plain text as CommonMarker does for text without
// markdown syntax: each paragraph (split at blank lines) in <p>…</p> and a
// newline, soft line breaks kept, &, < and > escaped. Markdown syntax
// (emphasis, lists, links) is not rendered.
func renderHTML(s string) string {
	esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
	var b strings.Builder
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		p = strings.Trim(p, "\n")
		if strings.TrimSpace(p) == "" {
			continue
		}
		b.WriteString("<p>")
		b.WriteString(esc.Replace(p))
		b.WriteString("</p>\n")
	}
	return b.String()
}
