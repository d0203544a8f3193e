package suites

import (
	"regexp"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
)

// StateNotRun is the state of a requirement a stopped run never reached:
// neither skipped (it was selected) nor failed (it was not tried).
const StateNotRun = "not run"

// stop says whether and why a run stopped before its end, and which specs
// it had selected.
type stop struct {
	stopped bool
	reason  string
	filter  types.LabelFilter // nil: every spec selected by labels
	focus   []*regexp.Regexp
	skip    []*regexp.Regexp
}

// stopOf reads from Ginkgo's report whether the run was interrupted
// (Ctrl-C, a timeout) or aborted (AbortSuite: the receiver went away).
func stopOf(r ginkgo.Report) stop {
	var st stop
	for _, reason := range r.SpecialSuiteFailureReasons {
		if strings.Contains(reason, "Interrupted") || strings.Contains(reason, "Timeout") {
			st.stopped, st.reason = true, strings.ToLower(reason)
		}
	}
	for _, sp := range r.SpecReports {
		if sp.State.Is(types.SpecStateAborted) {
			st.stopped, st.reason = true, sp.Failure.Message
		}
	}
	if f, err := types.ParseLabelFilter(r.SuiteConfig.LabelFilter); err == nil && r.SuiteConfig.LabelFilter != "" {
		st.filter = f
	}
	for _, s := range r.SuiteConfig.FocusStrings {
		if re, err := regexp.Compile(s); err == nil {
			st.focus = append(st.focus, re)
		}
	}
	for _, s := range r.SuiteConfig.SkipStrings {
		if re, err := regexp.Compile(s); err == nil {
			st.skip = append(st.skip, re)
		}
	}
	return st
}

// selected reports whether the run's filters chose sp.
func (st stop) selected(sp types.SpecReport) bool {
	if st.filter != nil && !st.filter(sp.Labels()) {
		return false
	}
	text := sp.FullText()
	if len(st.focus) > 0 {
		hit := false
		for _, re := range st.focus {
			hit = hit || re.MatchString(text)
		}
		if !hit {
			return false
		}
	}
	for _, re := range st.skip {
		if re.MatchString(text) {
			return false
		}
	}
	return true
}

// notRun reports a selected spec that a stopped run never reached: Ginkgo
// marks those skipped without a reason (a spec that skipped itself has one).
func (st stop) notRun(sp types.SpecReport) bool {
	return st.stopped && sp.State == types.SpecStateSkipped && sp.Failure.Message == "" && st.selected(sp)
}

func (st stop) notRunReason(types.SpecReport) string {
	return "not run: the run stopped before it (" + oneLineReason(st.reason) + ")"
}

func oneLineReason(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}
