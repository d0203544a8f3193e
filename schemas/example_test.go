package schemas_test

import (
	"fmt"

	"github.com/chathook/chathook/schemas"
)

// Validate a body as received; the platform is detected from it.
func ExampleSet_Validate() {
	set, err := schemas.Default()
	if err != nil {
		panic(err)
	}
	body := []byte(`{"events": [{"event": {"type": "note", "payload": {"note_by": {"email": "ana@example.com", "id": "42", "type": "user"}, "note": "VIP"}}, ` +
		`"conversation": {"key": "42bb83f00d8240e5bb41290a12eb4440", "id": 7}, "account": {"key": "acc1", "id": 1, "bot": {"id": 9}}, ` +
		`"visitor": {"key": "a569015fa03d41a2", "id": 5}, "timestamp": "2023-09-01 14:13:32.141788"}]}`)
	res, err := set.Validate(body, schemas.Options{})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Platform, res.Events, res.OK(true))

	// A top-level message as the old docs describe it: integer message_type.
	res, _ = set.Validate([]byte(`{"event":"message_created","id":1,"message_type":0}`), schemas.Options{Platform: "bevatel"})
	for _, p := range res.Errors {
		if p.Pointer == "/message_type" {
			fmt.Println(p)
		}
	}
	// Output:
	// swiftsell [note] true
	// /message_type: value must be one of "incoming", "outgoing", "template" (found 0)
}
