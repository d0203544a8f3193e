package load_test

import (
	"math"
	"strconv"
	"testing"

	"github.com/chathook/chathook/mockplatform/load"
)

func TestParseRate(t *testing.T) {
	for in, want := range map[string]float64{"0": 0, "250": 250, " 0.5 ": 0.5, "100/s": 100, "6000/m": 100, "60/min": 1, "7200/h": 2} {
		if got, err := load.ParseRate(in); err != nil || got != want {
			t.Errorf("ParseRate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "x", "NaN", "Inf", "1/d", "1e400", "/s"} {
		if got, err := load.ParseRate(in); err == nil {
			t.Errorf("ParseRate(%q) = %v, want an error", in, got)
		}
	}
}

func TestParseFraction(t *testing.T) {
	for in, want := range map[string]float64{"0": 0, "0.01": 0.01, "1%": 0.01, "100%": 1, "1": 1, " 2.5 % ": 0.025} {
		if got, err := load.ParseFraction(in); err != nil || math.Abs(got-want) > 1e-12 {
			t.Errorf("ParseFraction(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-0.1", "1.5", "101%", "x", "NaN", "%"} {
		if got, err := load.ParseFraction(in); err == nil {
			t.Errorf("ParseFraction(%q) = %v, want an error", in, got)
		}
	}
}

func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"0", "100", "6000/m", "1.5/s", "7200/h", "-1", "1/x", "NaN", "1e308/s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := load.ParseRate(s)
		if err != nil {
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			t.Fatalf("ParseRate(%q) = %v: not a finite rate >= 0", s, v)
		}
		// What it accepts, written back per second, parses to the same.
		back, err := load.ParseRate(strconv.FormatFloat(v, 'g', -1, 64) + "/s")
		if err != nil || back != v {
			t.Fatalf("ParseRate(%q) = %v, but %v/s parses to %v, %v", s, v, v, back, err)
		}
	})
}

func FuzzParseFraction(f *testing.F) {
	for _, s := range []string{"0", "0.01", "1%", "100%", "101%", "-1", "NaN", " 5 % "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := load.ParseFraction(s)
		if err == nil && (math.IsNaN(v) || v < 0 || v > 1) {
			t.Fatalf("ParseFraction(%q) = %v: not in [0, 1]", s, v)
		}
	})
}
