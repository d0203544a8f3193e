package suites

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
)

// Summary is the outcome of a run, requirement by requirement.
type Summary struct {
	Target   string `json:"target"`
	Platform string `json:"platform"`
	Seed     int64  `json:"seed"`
	World    string `json:"world,omitempty"` // the account and inbox every delivery came from
	// Diagnosis holds one line per common cause of the failures (a
	// forgotten secret, a signing mistake, a payload field the receiver
	// fails on), what to do first; empty when there is none.
	Diagnosis []string `json:"diagnosis,omitempty"`
	// RunDir holds the bodies the reproduction commands send (edited
	// payloads no seed reproduces); removed when the run passes.
	RunDir   string         `json:"run_dir,omitempty"`
	Passed   bool           `json:"passed"`
	Duration time.Duration  `json:"duration_ns"`
	Labels   []LabelSummary `json:"labels"`
	Specs    []SpecResult   `json:"specs"`

	hide string // a label whose specs are left out (hardening, when not asked for)
}

// LabelSummary counts the specs of one label.
type LabelSummary struct {
	Label   string `json:"label"`
	Passed  int    `json:"passed"`
	Failed  int    `json:"failed"`
	Skipped int    `json:"skipped"`
}

// SpecResult is one requirement's outcome.
type SpecResult struct {
	ID       string            `json:"id"`    // e.g. "signature.body-only"
	Label    string            `json:"label"` // e.g. "signature"
	Text     string            `json:"text"`
	State    string            `json:"state"` // passed, failed or skipped
	Duration time.Duration     `json:"duration_ns"`
	Failure  string            `json:"failure,omitempty"` // the failure message, or the skip reason
	Entries  map[string]string `json:"entries,omitempty"` // report entries (seed, latency, handshake form)
}

func (s *Summary) fill(r ginkgo.Report) {
	s.Passed = r.SuiteSucceeded
	s.Duration = r.RunTime
	counts := map[string]*LabelSummary{}
	for _, sp := range r.SpecReports {
		if sp.LeafNodeType != types.NodeTypeIt {
			continue
		}
		res := SpecResult{Text: sp.LeafNodeText, Duration: sp.RunTime, Entries: map[string]string{}}
		res.ID, res.Text = splitID(sp.LeafNodeText)
		if labels := sp.Labels(); len(labels) > 0 {
			res.Label = labels[0]
		}
		if s.hide != "" && res.Label == s.hide {
			continue
		}
		switch {
		case sp.State == types.SpecStatePassed:
			res.State = "passed"
		case sp.State.Is(types.SpecStateSkipped | types.SpecStatePending):
			res.State = "skipped"
			res.Failure = sp.Failure.Message
		default:
			res.State = "failed"
			res.Failure = sp.Failure.Message
			if res.Failure == "" {
				res.Failure = sp.State.String()
			}
		}
		for _, e := range sp.ReportEntries {
			if e.Name != "seed" {
				res.Entries[e.Name] = e.StringRepresentation()
			}
		}
		if len(res.Entries) == 0 {
			res.Entries = nil
		}
		s.Specs = append(s.Specs, res)
		c := counts[res.Label]
		if c == nil {
			c = &LabelSummary{Label: res.Label}
			counts[res.Label] = c
		}
		switch res.State {
		case "passed":
			c.Passed++
		case "failed":
			c.Failed++
		default:
			c.Skipped++
		}
	}
	rank := map[string]int{}
	for i, l := range Labels() {
		rank[l] = i + 1
	}
	sort.SliceStable(s.Specs, func(i, j int) bool {
		a, b := s.Specs[i], s.Specs[j]
		if rank[a.Label] != rank[b.Label] {
			return rank[a.Label] < rank[b.Label]
		}
		return a.ID < b.ID
	})
	for _, l := range append(Labels(), "") {
		if c := counts[l]; c != nil {
			s.Labels = append(s.Labels, *c)
			delete(counts, l)
		}
	}
	var rest []string
	for l := range counts {
		rest = append(rest, l)
	}
	sort.Strings(rest)
	for _, l := range rest {
		s.Labels = append(s.Labels, *counts[l])
	}
}

// splitID takes "[id] text" apart.
func splitID(text string) (id, rest string) {
	if strings.HasPrefix(text, "[") {
		if i := strings.Index(text, "] "); i > 0 {
			return text[1:i], text[i+2:]
		}
	}
	return text, text
}

// Failed lists the failed requirements.
func (s *Summary) Failed() []SpecResult {
	var out []SpecResult
	for _, sp := range s.Specs {
		if sp.State == "failed" {
			out = append(out, sp)
		}
	}
	return out
}

// FailedIDs lists the ids of the failed requirements, sorted.
func (s *Summary) FailedIDs() []string {
	var out []string
	for _, sp := range s.Failed() {
		out = append(out, sp.ID)
	}
	sort.Strings(out)
	return out
}

// WriteText writes the per-label table and the failing requirements.
func (s *Summary) WriteText(w io.Writer) error {
	for _, d := range s.Diagnosis {
		fmt.Fprintf(w, "%s\n\n", d)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "LABEL\tPASSED\tFAILED\tSKIPPED\n")
	var tp, tf, ts int
	for _, l := range s.Labels {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\n", l.Label, l.Passed, l.Failed, l.Skipped)
		tp, tf, ts = tp+l.Passed, tf+l.Failed, ts+l.Skipped
	}
	fmt.Fprintf(tw, "total\t%d\t%d\t%d\n", tp, tf, ts)
	if err := tw.Flush(); err != nil {
		return err
	}
	verdict := "CONFORMANT"
	if !s.Passed {
		verdict = "NOT CONFORMANT"
	}
	fmt.Fprintf(w, "\n%s: %s receiver at %s (seed %d, %s)\n", verdict, s.Platform, s.Target, s.Seed, s.Duration.Round(time.Millisecond))
	if s.World != "" {
		fmt.Fprintf(w, "world: %s\n", s.World)
	}
	if s.RunDir != "" {
		fmt.Fprintf(w, "reproduction bodies: %s\n", s.RunDir)
	}
	if failed := s.Failed(); len(failed) > 0 {
		fmt.Fprintf(w, "failing requirements:\n")
		for _, f := range failed {
			fmt.Fprintf(w, "  [%s] %s\n", f.ID, f.Text)
		}
	}
	return nil
}

// WriteJSON writes the summary as one JSON document.
func (s *Summary) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// WriteMarkdown writes a summary fit for a CI step summary
// ($GITHUB_STEP_SUMMARY).
func (s *Summary) WriteMarkdown(w io.Writer) error {
	icon := "✅"
	if !s.Passed {
		icon = "❌"
	}
	fmt.Fprintf(w, "## %s chathook conformance: %s\n\n", icon, s.Platform)
	fmt.Fprintf(w, "Target `%s`, seed `%d`, %s.\n\n", s.Target, s.Seed, s.Duration.Round(time.Millisecond))
	for _, d := range s.Diagnosis {
		fmt.Fprintf(w, "> **%s**\n\n", strings.TrimPrefix(d, "diagnosis: "))
	}
	if s.RunDir != "" {
		fmt.Fprintf(w, "Reproduction bodies: `%s`.\n\n", s.RunDir)
	}
	fmt.Fprintf(w, "| label | passed | failed | skipped |\n|---|---:|---:|---:|\n")
	for _, l := range s.Labels {
		fmt.Fprintf(w, "| %s | %d | %d | %d |\n", l.Label, l.Passed, l.Failed, l.Skipped)
	}
	if failed := s.Failed(); len(failed) > 0 {
		fmt.Fprintf(w, "\n### Failing requirements\n\n")
		for _, f := range failed {
			fmt.Fprintf(w, "<details><summary><code>%s</code> %s</summary>\n\n```\n%s\n```\n</details>\n\n", f.ID, f.Text, strings.TrimSpace(f.Failure))
		}
	}
	return nil
}
