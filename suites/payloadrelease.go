package suites

import "github.com/chathook/chathook/generator"

// payloadVersion is the release a spec's payloads are shaped as: the run's
// release when it pins one (conform --version R sends R's payloads, as R
// delivers them), otherwise what the spec asked for.
func (sc *specContext) payloadVersion(version string) string {
	if version == generator.VersionLatest && sc.run.Version != "" && sc.run.Version != "latest" {
		return sc.run.Version
	}
	return version
}
