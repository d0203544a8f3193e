package releases

import (
	"fmt"
	"strconv"
	"strings"
)

// number is a release number major.minor.patch.
type number [3]int

func (n number) String() string { return fmt.Sprintf("%d.%d.%d", n[0], n[1], n[2]) }

func (n number) compare(o number) int {
	for i := range n {
		if n[i] != o[i] {
			if n[i] < o[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// parseNumber reads "X", "X.Y" or "X.Y.Z" with an optional leading "v", and
// returns how many parts were given.
func parseNumber(s string) (number, int, error) {
	var n number
	t := strings.TrimPrefix(strings.TrimSpace(s), "v")
	parts := strings.Split(t, ".")
	if t == "" || len(parts) > 3 {
		return n, 0, fmt.Errorf("releases: %q is not a release number X, X.Y or X.Y.Z", s)
	}
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || p == "" || p[0] == '+' || p[0] == '-' {
			return n, 0, fmt.Errorf("releases: %q is not a release number X, X.Y or X.Y.Z", s)
		}
		n[i] = v
	}
	return n, len(parts), nil
}
