package generator_test

import (
	"fmt"

	"github.com/chathook/chathook/generator"
)

// A seeded generator gives the same payload on every run and machine.
func ExampleGenerator_Payload() {
	g, err := generator.New(42)
	if err != nil {
		panic(err)
	}
	body, err := g.Payload("swiftsell", "note", "")
	if err != nil {
		panic(err)
	}
	fmt.Println(string(body))
	// Output:
	// {"events": [{"event": {"type": "note", "payload": {"note_by": {"email": "bertha@internationalreinvent.org", "id": "8420", "type": "user"}, "note": "Hi there, thanks for reaching out! Let me check that for you."}}, "conversation": {"key": "04684036e7aeeef3f05620ad6c075c0d1768841025", "id": 7081395}, "account": {"key": "KgIK6z3yYrvwid9VvLNGLAvSjPU1lVfE", "id": 4163, "bot": {"id": 2939}}, "visitor": {"key": "0c8209ebefa380fead9b58b807eb0b17", "id": 858696}, "timestamp": "2026-01-25 15:17:16.190513"}]}
}
