package load

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParseRate parses an arrival rate in requests per second: a number ("250",
// "0.5"), optionally with a unit "/s", "/m" ("/min") or "/h" ("6000/m" is
// 100/s). "0" means a closed loop. Negative, NaN and infinite values are
// errors.
func ParseRate(s string) (float64, error) {
	num, unit, _ := strings.Cut(strings.TrimSpace(s), "/")
	per := 1.0
	switch strings.TrimSpace(unit) {
	case "", "s", "sec":
	case "m", "min":
		per = 60
	case "h", "hour":
		per = 3600
	default:
		return 0, fmt.Errorf("load: rate %q: unit %q, want /s, /m or /h", s, unit)
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0, fmt.Errorf("load: rate %q: want a number of requests >= 0, optionally per s, m or h", s)
	}
	return v / per, nil
}

// ParseFraction parses a fraction in [0, 1], written as a number ("0.01")
// or a percentage ("1%").
func ParseFraction(s string) (float64, error) {
	t := strings.TrimSpace(s)
	scale := 1.0
	if p, ok := strings.CutSuffix(t, "%"); ok {
		t, scale = strings.TrimSpace(p), 100
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || v < 0 || v/scale > 1 {
		return 0, fmt.Errorf("load: %q is not a fraction between 0 and 1 (or 0%% and 100%%)", s)
	}
	return v / scale, nil
}
