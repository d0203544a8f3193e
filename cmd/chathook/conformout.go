package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/onsi/ginkgo/v2/formatter"

	"github.com/chathook/chathook/suites"
)

// conformOutput decides where conform's output goes and writes its reports.
// Human output (Ginkgo's progress, the table) goes to stdout, or to stderr
// when a report is written to stdout ("--json -"), so stdout then holds the
// report alone.
type conformOutput struct {
	e      *env
	f      *conformFlags
	human  io.Writer
	filter *interruptFilter
}

func newConformOutput(ctx context.Context, e *env, f *conformFlags) *conformOutput {
	o := &conformOutput{e: e, f: f, human: e.stdout}
	if f.reportOnStdout() {
		o.human = e.stderr
	}
	o.filter = &interruptFilter{w: o.human, ctx: ctx}
	return o
}

func (f *conformFlags) reportOnStdout() bool {
	return f.jsonOut == "-" || f.markdown == "-" || f.junit == "-"
}

// checkStdoutReports refuses two reports on stdout: they would interleave.
func (f *conformFlags) checkStdoutReports() error {
	n := 0
	for _, p := range []string{f.jsonOut, f.markdown, f.junit} {
		if p == "-" {
			n++
		}
	}
	if n > 1 {
		return usageErrorf("only one of --json, --junit and --markdown may be - (stdout)")
	}
	return nil
}

// captureGinkgo sends Ginkgo's progress through the interrupt filter to the
// human output; the returned func restores Ginkgo's writer.
func (o *conformOutput) captureGinkgo() func() {
	prev := formatter.ColorableStdOut
	formatter.ColorableStdOut = o.filter
	return func() { formatter.ColorableStdOut = prev }
}

// interruptFilter passes Ginkgo's output through until the run is
// interrupted; then it drops the rest (Ginkgo's progress report with its
// goroutine stacks, its partial summary): conform prints one line instead.
type interruptFilter struct {
	mu      sync.Mutex
	w       io.Writer
	ctx     context.Context
	dropped bool
}

func (f *interruptFilter) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.dropped && (f.ctx.Err() != nil || bytes.Contains(p, []byte("Interrupted by User"))) {
		f.dropped = true
	}
	if f.dropped {
		return len(p), nil
	}
	return f.w.Write(p)
}

// finish writes the summary and the reports and turns the outcome into
// conform's exit: 0 conformant, 1 a requirement failed, 3 interrupted or the
// receiver went away.
func (o *conformOutput) finish(ctx context.Context, sum *suites.Summary, dryRun bool) error {
	e, f := o.e, o.f
	sum.Version = moduleVersion()
	userStop := ctx.Err() != nil
	if userStop {
		sum.Interrupted = true
		if sum.InterruptReason == "" {
			sum.InterruptReason = "interrupted by user"
		}
	}
	fmt.Fprintln(o.human)
	if dryRun {
		fmt.Fprintf(o.human, "dry run: %d requirements listed, nothing was sent\n", len(sum.Specs))
		return nil
	}
	if err := sum.WriteText(o.human); err != nil {
		return err
	}
	for _, r := range []struct {
		path  string
		write func(io.Writer) error
	}{{f.jsonOut, sum.WriteJSON}, {f.junit, sum.WriteJUnit}, {f.markdown, sum.WriteMarkdown}} {
		r.write = redactReport(e, r.write)
		switch {
		case r.path == "":
		case r.path == "-":
			if err := r.write(e.stdout); err != nil {
				return err
			}
		case r.path == f.markdown && r.path == e.getenv("GITHUB_STEP_SUMMARY"):
			if err := appendReport(r.path, r.write); err != nil {
				return err
			}
		default:
			if err := writeReport(r.path, r.write); err != nil {
				return err
			}
		}
	}
	if f.annotations {
		w := e.stdout
		if f.reportOnStdout() {
			w = e.stderr
		}
		writeAnnotations(w, sum)
	}
	notRun := 0
	ran := 0
	for _, l := range sum.Labels {
		notRun += l.NotRun
		ran += l.Passed + l.Failed
	}
	switch {
	case userStop:
		return unreachableErrorf("interrupted: %d requirements not run; the reports mark the run interrupted", notRun)
	case sum.Interrupted:
		return unreachableErrorf("%s", strings.Join(strings.Fields(sum.InterruptReason), " "))
	}
	if ran == 0 {
		for _, sp := range sum.Specs {
			if sp.State == "skipped" && sp.Failure != "" && sp.Failure != suites.NotSelected {
				return unreachableErrorf("no requirement ran: every one that matches was skipped, e.g. [%s]: %s", sp.ID, oneLine(sp.Failure))
			}
		}
		if f.labelFilter != "" {
			return usageErrorf("no requirement matches --label-filter %q (labels: %s)", f.labelFilter, strings.Join(suites.Labels(), ", "))
		}
		return unreachableErrorf("no requirement ran: every one was skipped (see the reasons with --ginkgo.v)")
	}
	if !sum.Passed {
		return failed()
	}
	return nil
}

// appendReport appends to path (a CI step summary other steps also write).
func appendReport(path string, write func(io.Writer) error) error {
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return usageErrorf("cannot write report: %v", unwrapPathError(err))
	}
	if err := write(fh); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}

// writeAnnotations prints GitHub Actions workflow commands: one ::error per
// failed requirement, titled with the requirement (not a chathook source
// line), and a ::warning when the run was interrupted.
func writeAnnotations(w io.Writer, sum *suites.Summary) {
	for _, sp := range sum.Failed() {
		fmt.Fprintf(w, "::error title=%s::%s\n", annotationProperty("chathook ["+sp.ID+"] "+sp.Text), annotationData(sp.Failure))
	}
	if sum.Interrupted {
		fmt.Fprintf(w, "::warning title=%s::%s\n", annotationProperty("chathook conformance interrupted"), annotationData(sum.InterruptReason))
	}
}

// annotationData escapes a workflow command's message (GitHub's rules: %,
// CR and LF are percent-encoded).
func annotationData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(strings.TrimSpace(s))
}

// annotationProperty escapes a workflow command property value (also : and ,).
func annotationProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
