package suites

import (
	"strings"

	"github.com/chathook/chathook/generator"
	"github.com/chathook/chathook/releases"
)

// releaseCases drops the Chatwoot events the configured release never
// sends to any receiver (package releases): contact events before 2.14.0,
// typing before 4.2.0, inbox events from 3.2.0 to 4.14.0, ...; for the
// latest release it keeps every case. Which events each receiver kind gets
// (releases.Release.Events) is for the per-kind event sets to apply. Other
// platforms (platform is the canonical name), and a release it cannot
// resolve, keep every case (Config.Validate reports a bad release).
func releaseCases(cases []eventCase, platform string, cfg *Config) []eventCase {
	if platform != "chatwoot" {
		return cases
	}
	r, err := releases.Lookup(cfg.Version)
	if err != nil {
		return cases
	}
	var out []eventCase
	for _, c := range cases {
		if r.SendsEvent(c.event) {
			out = append(out, c)
			continue
		}
		// 2.4.x spells automation events "automation_event: X"; the
		// generator writes that spelling for the schema name.
		if rest, ok := strings.CutPrefix(c.event, "automation_event."); ok && r.SendsEvent("automation_event: "+rest) {
			out = append(out, c)
		}
		if c.event == "macro.executed" && r.SendsEvent("macro_event.{macro_name}") {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return cases
	}
	return out
}

// payloadVersion is the release a spec's payloads are shaped as: the run's
// release when it pins one, so a run of release R sends R's payloads;
// otherwise what the spec asked for.
func (sc *specContext) payloadVersion(version string) string {
	if version == generator.VersionLatest && sc.run.Version != "" && sc.run.Version != "latest" {
		return sc.run.Version
	}
	return version
}
