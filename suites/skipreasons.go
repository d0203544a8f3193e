package suites

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// writeSkipReasons lists, in Markdown, why requirements skipped: one line
// per distinct reason with the requirements it covers, so a green summary
// does not hide what was not checked.
func writeSkipReasons(w io.Writer, specs []SpecResult) {
	byReason := map[string][]string{}
	for _, sp := range specs {
		if sp.State != "skipped" {
			continue
		}
		r := oneLineReason(sp.Failure)
		if r == "" {
			r = "no reason given"
		}
		// "account_created comes from ..." and "macro.executed comes from
		// ..." are one reason: the requirement's own event becomes "the event".
		if _, ev, ok := strings.Cut(sp.ID, "."); ok && strings.HasPrefix(r, ev+" ") {
			r = "the event " + strings.TrimPrefix(r, ev+" ")
		}
		byReason[r] = append(byReason[r], sp.ID)
	}
	if len(byReason) == 0 {
		return
	}
	reasons := make([]string, 0, len(byReason))
	for r := range byReason {
		reasons = append(reasons, r)
	}
	sort.Slice(reasons, func(i, j int) bool {
		if len(byReason[reasons[i]]) != len(byReason[reasons[j]]) {
			return len(byReason[reasons[i]]) > len(byReason[reasons[j]])
		}
		return reasons[i] < reasons[j]
	})
	fmt.Fprintf(w, "\n### Skipped requirements\n\n")
	for _, r := range reasons {
		ids := byReason[r]
		shown := ids
		if len(shown) > 8 {
			shown = shown[:8]
		}
		more := ""
		if len(ids) > len(shown) {
			more = fmt.Sprintf(" and %d more", len(ids)-len(shown))
		}
		fmt.Fprintf(w, "- %s (%d): `%s`%s\n", mdInline(r), len(ids), strings.Join(shown, "`, `"), more)
	}
}

// mdInline keeps a reason on one Markdown line without breaking a table or
// list: pipes and backticks are escaped.
func mdInline(s string) string {
	return strings.NewReplacer("|", `\|`, "`", "'", "\n", " ").Replace(s)
}
