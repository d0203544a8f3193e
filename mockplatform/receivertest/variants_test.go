package receivertest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chathook/chathook/mockplatform"
)

func TestVariants(t *testing.T) {
	vs := Variants()
	if !slices.IsSortedFunc(vs, func(a, b Variant) int { return strings.Compare(a.Name, b.Name) }) {
		t.Error("Variants is not sorted by name")
	}
	if len(vs) != 24 {
		t.Errorf("%d variants; want 24", len(vs))
	}
	for _, v := range vs {
		if v.Description == "" || len(v.Platforms) == 0 {
			t.Errorf("%s: empty description or platforms", v.Name)
		}
		if (v.Breaks == "") != (v.Name == Correct || v.Sound) {
			t.Errorf("%s: Breaks %q: only the correct and the sound receivers break nothing", v.Name, v.Breaks)
		}
		if strings.Contains(v.Breaks, "\n") || strings.Contains(v.Description, "\n") {
			t.Errorf("%s: not one line", v.Name)
		}
		for _, p := range v.Platforms {
			if _, err := NewHandler(Config{Platform: p, Variant: v.Name}); err != nil {
				t.Errorf("NewHandler(%s, %s): %v", p, v.Name, err)
			}
		}
	}
	vs[0].Platforms[0] = "mutated"
	if Variants()[0].Platforms[0] == "mutated" {
		t.Error("Variants shares its slices with the caller")
	}
	cw, ss := VariantsFor(mockplatform.PlatformChatwoot), VariantsFor(mockplatform.PlatformSwiftsell)
	if len(cw) != 20 || len(ss) != 11 || !slices.Contains(cw, Correct) || !slices.Contains(ss, Correct) || !slices.IsSorted(cw) {
		t.Errorf("VariantsFor: chatwoot %v, swiftsell %v", cw, ss)
	}
	if VariantsFor("slack") != nil {
		t.Error("VariantsFor(unknown platform) is not nil")
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tt := range []struct {
		cfg  Config
		want []string // in the error
	}{
		{Config{Platform: "slack"}, []string{`unknown platform "slack"`, "chatwoot", "swiftsell"}},
		{Config{Variant: "sloppy"}, []string{`unknown variant "sloppy"`, "body-only-hmac", "correct"}},
		{Config{Variant: BatchOfOne}, []string{`variant "batch-of-one" applies to swiftsell only`, "reserializes"}},
		{Config{Platform: mockplatform.PlatformSwiftsell, Variant: Reserializes}, []string{"chatwoot only", "batch-of-one"}},
		{Config{TokenPlacement: "cookie"}, []string{`token placement "cookie"`, "header, query, body"}},
	} {
		_, err := NewHandler(tt.cfg)
		if err == nil || !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("NewHandler(%v) = %v; want ErrInvalidConfig", tt.cfg, err)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("NewHandler(%v) = %q; want it to mention %q", tt.cfg, err, w)
			}
		}
		if _, err := NewServer(tt.cfg); err == nil {
			t.Errorf("NewServer(%v) did not fail", tt.cfg)
		}
	}
}

func TestConfigStringRedacts(t *testing.T) {
	c := Config{Secret: "supersecretvalue", Token: "tokentokentoken"}
	for _, s := range []string{c.String(), fmt.Sprintf("%v", c), fmt.Sprintf("%#v", c)} {
		if strings.Contains(s, "supersecretvalue") || strings.Contains(s, "tokentokentoken") || !strings.Contains(s, "sup***") {
			t.Errorf("Config printed as %s", s)
		}
	}
}

func TestSeenSetIsBounded(t *testing.T) {
	s := newSeenSet(3)
	for _, k := range []string{"a", "b", "c", "a", "d"} {
		s.add(k)
	}
	for k, want := range map[string]bool{"a": false, "b": true, "c": true, "d": true} {
		if s.has(k) != want {
			t.Errorf("has(%q) = %v; want %v", k, !want, want)
		}
	}
	if len(s.keys) != 3 {
		t.Errorf("%d keys kept; want 3", len(s.keys))
	}
}
