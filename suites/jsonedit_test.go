package suites

import "testing"

func TestJSONEditKeepsOtherBytes(t *testing.T) {
	in := `{"a":"x\u003cy","b":{"c":1.50,"d":[{"e":null},{}]},"sender":{"id":1}}`
	tests := []struct {
		name string
		edit func(n *node) error
		want string
	}{
		{"no edit", func(*node) error { return nil }, in},
		{"null sender", func(n *node) error { return n.set("/sender", "null") },
			`{"a":"x\u003cy","b":{"c":1.50,"d":[{"e":null},{}]},"sender":null}`},
		{"remove nested", func(n *node) error { return n.remove("/b/c") },
			`{"a":"x\u003cy","b":{"d":[{"e":null},{}]},"sender":{"id":1}}`},
		{"add member", func(n *node) error { return n.set("/b/d/1/f", `"<"`) },
			`{"a":"x\u003cy","b":{"c":1.50,"d":[{"e":null},{"f":"<"}]},"sender":{"id":1}}`},
		{"add everywhere", func(n *node) error { n.addEverywhere("z", "0"); return nil },
			`{"a":"x\u003cy","b":{"c":1.50,"d":[{"e":null,"z":0},{"z":0}],"z":0},"sender":{"id":1,"z":0},"z":0}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := parseNode([]byte(in))
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.edit(n); err != nil {
				t.Fatal(err)
			}
			if got := string(n.bytes()); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
	n, _ := parseNode([]byte(in))
	if err := n.set("/nope/x", "1"); err == nil {
		t.Error("set under a missing object: want an error")
	}
}
