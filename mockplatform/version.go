package mockplatform

import (
	"fmt"
	"strconv"
	"strings"
)

// version is a Chatwoot release number.
type version struct{ major, minor, patch int }

func (v version) atLeast(o version) bool {
	if v.major != o.major {
		return v.major > o.major
	}
	if v.minor != o.minor {
		return v.minor > o.minor
	}
	return v.patch >= o.patch
}

func (v version) String() string { return fmt.Sprintf("%d.%d.%d", v.major, v.minor, v.patch) }

// Milestones of the delivery contract (reference/chatwoot.md §7).
var (
	latestVersion     = version{4, 16, 0}
	accountSignedFrom = version{4, 11, 2} // webhooks.secret, #13573; agent-bot retries too
	inboxSignedFrom   = version{4, 13, 0} // channel_api.secret and agent_bots.secret, #13892
	safeFetchFrom     = version{4, 14, 0} // Net::HTTP via SafeFetch: UA "Ruby", POST redirects followed
)

// parseVersion reads "latest", "4", "4.14", "4.14.2" or "v4.14.2".
func parseVersion(s string) (version, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "latest") {
		return latestVersion, nil
	}
	parts := strings.Split(strings.TrimPrefix(s, "v"), ".")
	if len(parts) > 3 {
		return version{}, fmt.Errorf("%w: version %q is not major[.minor[.patch]]", ErrInvalidConfig, s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || p == "" || p[0] == '+' {
			return version{}, fmt.Errorf("%w: version %q is not major[.minor[.patch]]", ErrInvalidConfig, s)
		}
		n[i] = v
	}
	return version{n[0], n[1], n[2]}, nil
}
