package suites

import (
	"strings"
	"testing"
)

func TestReproduceCommand(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir()) // the edited body is saved under a run directory there
	base := Config{Target: "http://127.0.0.1:8080/hook", Platform: "chatwoot", Receiver: "account", Version: "latest",
		TokenPlacement: "header", Command: "chathook"}
	tests := []struct {
		name   string
		run    func(c *Config)
		s      sent
		want   []string
		absent []string
	}{
		{"generated payload", nil,
			sent{event: "message_created", seed: 7, profile: "realistic", version: "latest"},
			[]string{"chathook send --target http://127.0.0.1:8080/hook --platform chatwoot --event message_created --seed 7"},
			[]string{"--profile", "--version", "--delivery-version", "--file"}},
		{"older shape keeps the run's delivery", nil,
			sent{event: "conversation_created", seed: 9, profile: "edge", version: "2"},
			[]string{"--profile edge", "--version 2", "--delivery-version latest"}, nil},
		{"older delivery version", func(c *Config) { c.Version = "4.12"; c.Receiver = "agent_bot" },
			sent{event: "message_created", seed: 9, profile: "realistic", version: "latest"},
			[]string{"--delivery-version 4.12", "--receiver agent_bot"}, []string{"--version latest"}},
		{"fault and secret", func(c *Config) { c.Secret = "s3cret" },
			sent{event: "message_created", seed: 3, profile: "realistic", version: "latest", fault: "body_only_signature"},
			[]string{"CHATHOOK_SECRET=... chathook send", "--fault body_only_signature"}, []string{"s3cret"}},
		{"repeated delivery id", nil,
			sent{event: "message_created", seed: 3, profile: "realistic", version: "latest", deliveryID: "abc-123", repeat: true},
			[]string{"--delivery-id abc-123"}, nil},
		{"edited body is saved to a file", nil,
			sent{event: "message_created", seed: 3, profile: "realistic", version: "latest", edit: "sender set to null", body: []byte(`{}`)},
			[]string{"--file "}, []string{"--event", "--seed"}},
		{"swiftsell token placement", func(c *Config) { c.Platform = "swiftsell"; c.Token = "t0ken-123"; c.TokenPlacement = "query" },
			sent{event: "message", kind: "form", seed: 5, profile: "realistic"},
			[]string{"CHATHOOK_TOKEN=... chathook send", "--platform swiftsell --event message --kind form --seed 5", "--token-placement query"},
			[]string{"t0ken-123", "--delivery-version"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := &specContext{run: base, current: "test"}
			if tt.run != nil {
				tt.run(&sc.run)
			}
			got := sc.reproduce(&tt.s)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("reproduce = %q\nwant it to contain %q", got, w)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(got, a) {
					t.Errorf("reproduce = %q\nwant no %q", got, a)
				}
			}
		})
	}
}
