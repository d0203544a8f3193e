package generator_test

import (
	"encoding/json"
	"testing"

	"github.com/chathook/chathook/generator"
)

// BenchmarkPayload measures one payload per event, world included in the
// generator (built once).
func BenchmarkPayload(b *testing.B) {
	for _, c := range []combo{
		{"chatwoot", "message_created", ""},
		{"chatwoot", "conversation_updated", ""},
		{"chatwoot", "webwidget_triggered", ""},
		{"swiftsell", "message", "form.response"},
	} {
		name := c.event
		if c.kind != "" {
			name += "." + c.kind
		}
		b.Run(name, func(b *testing.B) {
			g, _ := generator.New(1)
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				body, err := g.Payload(c.platform, c.event, c.kind)
				if err != nil {
					b.Fatal(err)
				}
				n += len(body)
			}
			b.SetBytes(int64(n / max(b.N, 1)))
		})
	}
}

// BenchmarkMarshalBaseline json.Marshals an equivalent message_created
// payload (decoded into maps from a generated one), for comparison with
// BenchmarkPayload/message_created: the generator should take at most 3×.
func BenchmarkMarshalBaseline(b *testing.B) {
	g, _ := generator.New(1)
	var v map[string]any
	body, _ := g.Payload("chatwoot", "message_created", "")
	if err := json.Unmarshal(body, &v); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(v); err != nil {
			b.Fatal(err)
		}
	}
}
