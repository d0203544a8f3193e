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
	Version  string `json:"chathook_version,omitempty"` // set by the caller (chathook conform sets its own)
	Target   string `json:"target"`
	Platform string `json:"platform"`
	Seed     int64  `json:"seed"`
	World    *World `json:"world,omitempty"` // the ids every delivery of the run shares
	// Diagnosis holds one line per common cause of the failures (a
	// forgotten secret, a signing mistake, a payload field the receiver
	// fails on), what to do first; empty when there is none.
	Diagnosis []string `json:"diagnosis,omitempty"`
	// RunDir holds the bodies the reproduction commands send (edited
	// payloads no seed reproduces); removed when the run passes.
	RunDir string `json:"run_dir,omitempty"`
	Passed bool   `json:"passed"`
	// Interrupted: the run stopped before every selected requirement ran
	// (Ctrl-C, or a receiver that stopped accepting connections); the
	// requirements it did not reach are "not run".
	Interrupted     bool           `json:"interrupted"`
	InterruptReason string         `json:"interrupt_reason,omitempty"`
	Started         time.Time      `json:"started"`
	Duration        time.Duration  `json:"duration_ns"`
	Labels          []LabelSummary `json:"labels"`
	Specs           []SpecResult   `json:"specs"`

	hide string // a label whose specs are left out (hardening, when not asked for)
}

// LabelSummary counts the specs of one label.
type LabelSummary struct {
	Label   string `json:"label"`
	Passed  int    `json:"passed"`
	Failed  int    `json:"failed"`
	Skipped int    `json:"skipped"`
	NotRun  int    `json:"not_run"`
}

// SpecResult is one requirement's outcome.
type SpecResult struct {
	ID       string            `json:"id"`    // e.g. "signature.body-only"
	Label    string            `json:"label"` // e.g. "signature"
	Text     string            `json:"text"`
	State    string            `json:"state"` // passed, failed, skipped or "not run"
	Duration time.Duration     `json:"duration_ns"`
	Failure  string            `json:"failure,omitempty"` // the failure message, or the skip or not-run reason
	Entries  map[string]string `json:"entries,omitempty"` // report entries (seed, latency, handshake form)
	// Failures are the failed deliveries, one by one (at most a few).
	Failures []FailureDetail `json:"failures,omitempty"`
}

// NotSelected is the Failure text of a spec the label filter left out.
const NotSelected = "not selected by the label filter"

func (s *Summary) fill(r ginkgo.Report) {
	s.Passed = r.SuiteSucceeded
	s.Duration = r.RunTime
	s.Started = r.StartTime.UTC().Truncate(time.Second)
	st := stopOf(r)
	s.Interrupted, s.InterruptReason = st.stopped, st.reason
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
		case st.notRun(sp):
			res.State = StateNotRun
			res.Failure = st.notRunReason(sp)
		case sp.State.Is(types.SpecStateInterrupted):
			res.State = StateNotRun
			res.Failure = "interrupted while it ran: " + st.reason
		case sp.State == types.SpecStatePassed:
			res.State = "passed"
		case sp.State.Is(types.SpecStateSkipped | types.SpecStatePending):
			res.State = "skipped"
			res.Failure = sp.Failure.Message
			if res.Failure == "" && !st.selected(sp) {
				res.Failure = NotSelected
			}
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
		case StateNotRun:
			c.NotRun++
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
	notRunCol := ""
	if s.Interrupted {
		notRunCol = "\tNOT RUN"
	}
	fmt.Fprintf(tw, "LABEL\tPASSED\tFAILED\tSKIPPED%s\n", notRunCol)
	var tp, tf, ts, tn int
	row := func(label string, p, f, sk, nr int) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d", label, p, f, sk)
		if s.Interrupted {
			fmt.Fprintf(tw, "\t%d", nr)
		}
		fmt.Fprintln(tw)
	}
	for _, l := range s.Labels {
		row(l.Label, l.Passed, l.Failed, l.Skipped, l.NotRun)
		tp, tf, ts, tn = tp+l.Passed, tf+l.Failed, ts+l.Skipped, tn+l.NotRun
	}
	row("total", tp, tf, ts, tn)
	if err := tw.Flush(); err != nil {
		return err
	}
	verdict := "CONFORMANT"
	switch {
	case s.Interrupted:
		verdict = fmt.Sprintf("INTERRUPTED (%d requirements not run)", tn)
	case !s.Passed:
		verdict = "NOT CONFORMANT"
	}
	fmt.Fprintf(w, "\n%s: %s receiver at %s (seed %d, %s)\n", verdict, s.Platform, s.Target, s.Seed, s.Duration.Round(time.Millisecond))
	if s.World != nil && s.World.Description != "" {
		fmt.Fprintf(w, "world: %s\n", s.World.Description)
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
	icon, state := "✅", ""
	switch {
	case s.Interrupted:
		icon, state = "⚠️", " (interrupted)"
	case !s.Passed:
		icon = "❌"
	}
	fmt.Fprintf(w, "## %s chathook conformance: %s%s\n\n", icon, s.Platform, state)
	version := ""
	if s.Version != "" {
		version = fmt.Sprintf(", chathook %s", s.Version)
	}
	fmt.Fprintf(w, "Target `%s`, seed `%d`, %s%s.\n\n", s.Target, s.Seed, s.Duration.Round(time.Millisecond), version)
	for _, d := range s.Diagnosis {
		fmt.Fprintf(w, "> **%s**\n\n", mdInline(strings.TrimPrefix(d, "diagnosis: ")))
	}
	if s.RunDir != "" {
		fmt.Fprintf(w, "Reproduction bodies: `%s`.\n\n", s.RunDir)
	}
	if s.Interrupted {
		fmt.Fprintf(w, "**The run was interrupted**: %s. Requirements it did not reach are *not run* (neither passed, failed nor skipped).\n\n", mdInline(oneLineReason(s.InterruptReason)))
	}
	fmt.Fprintf(w, "| label | passed | failed | skipped | not run |\n|---|---:|---:|---:|---:|\n")
	for _, l := range s.Labels {
		fmt.Fprintf(w, "| %s | %d | %d | %d | %d |\n", l.Label, l.Passed, l.Failed, l.Skipped, l.NotRun)
	}
	if failed := s.Failed(); len(failed) > 0 {
		fmt.Fprintf(w, "\n### Failing requirements\n\n")
		for _, f := range failed {
			fmt.Fprintf(w, "<details><summary><code>%s</code> %s</summary>\n\n```\n%s\n```\n</details>\n\n", f.ID, f.Text, strings.TrimSpace(f.Failure))
		}
	}
	writeSkipReasons(w, s.Specs)
	return nil
}
