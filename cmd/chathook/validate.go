package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/chathook/chathook/schemas"
)

const defaultMaxPayload = 32 << 20

func init() {
	c := &command{
		name:    "validate",
		summary: "validate webhook payloads against the platform's real contract",
		usage:   "chathook validate [--platform P] [--event E] [--strict] [--format text|json] FILE...   (FILE - is stdin)",
		example: `chathook validate capture.json
chathook validate --platform swiftsell --strict fixtures/*.json
chathook generate --platform chatwoot --count 100 | chathook validate -
chathook validate --format json payloads.jsonl   # one payload per line, reported as file:line`,
	}
	c.run = func(ctx context.Context, e *env, args []string) error {
		fs := newFlagSet(c, e)
		platform := fs.String("platform", "", "validate as this `platform` (name or alias); default: detect from each body")
		event := fs.String("event", "", "require every payload to be this `event`")
		strict := fs.Bool("strict", false, "count drift (keys the schema does not know) as errors")
		version := fs.String("version", "", "pin Chatwoot bodies to this `release` (X.Y.Z, X.Y for its last patch, X): keys it always sends are required, keys it never sends are drift; default: any release, and say which could have sent it")
		format := fs.String("format", "text", "output `format`: text or json")
		quiet := fs.Bool("quiet", false, "print only problems and the summary, not a line per valid payload")
		maxSize := fs.Int64("max-size", defaultMaxPayload, "largest payload in `bytes`; a larger one is invalid (never read whole)")
		files, err := parseFlags(fs, args)
		if err != nil {
			return err
		}
		if len(files) == 0 {
			return usageErrorf("no files given (use - for stdin)")
		}
		if err := checkFormat(*format); err != nil {
			return err
		}
		set, err := loadSchemas()
		if err != nil {
			return err
		}
		if *platform != "" {
			if _, err := resolvePlatform(set, *platform); err != nil {
				return err
			}
		}
		opt := schemas.Options{Platform: *platform, Event: *event, Version: *version}
		if _, err := set.Validate([]byte(`{}`), opt); errors.Is(err, schemas.ErrUnknown) {
			return usageErrorf("--event: %v", err)
		} else if err != nil {
			return usageErrorf("--version: %v", err)
		}

		// Validation runs on every core, in a bounded window of payloads
		// (memory stays flat whatever the input's size); results are
		// printed in input order.
		if os.Getenv("GOGC") == "" {
			// Little is live (the schemas and a window of payloads): trade
			// heap for GC time, within a soft cap.
			defer debug.SetGCPercent(debug.SetGCPercent(800))
			defer debug.SetMemoryLimit(debug.SetMemoryLimit(256 << 20))
		}
		out := &validateOutput{e: e, json: *format == "json", strict: *strict, quiet: *quiet}
		workers := runtime.GOMAXPROCS(0)
		jobs := make(chan *validateJob, workers)
		window := make(chan *validateJob, 4*workers)
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for j := range jobs {
					j.validate(set, opt, *maxSize)
					close(j.done)
				}
			})
		}
		printed := make(chan error, 1)
		go func() {
			var err error
			for j := range window {
				<-j.done
				if err == nil {
					err = out.add(j)
				}
			}
			printed <- err
		}()
		readErr := readPayloads(e, files, *maxSize, func(p payload) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			j := &validateJob{payload: p, done: make(chan struct{})}
			window <- j
			jobs <- j
			return nil
		})
		close(jobs)
		close(window)
		wg.Wait()
		if err := <-printed; err != nil {
			return err
		}
		if readErr != nil && !isInputError(readErr) {
			return withCode(exitUnreachable, readErr)
		}
		if err := out.finish(); err != nil {
			return err
		}
		invalid := out.invalid
		switch {
		case readErr != nil:
			return &exitError{code: exitUsage}
		case invalid > 0:
			return failed()
		}
		return nil
	}
	register(c)
}

// validateJob is one payload on its way through the workers.
type validateJob struct {
	payload
	res  *schemas.Result
	err  error
	done chan struct{}
}

func (j *validateJob) validate(set *schemas.Set, opt schemas.Options, maxSize int64) {
	if j.oversize || j.size > maxSize {
		j.res = &schemas.Result{Errors: []schemas.Problem{{Keyword: "size",
			Message: fmt.Sprintf("payload of %d bytes exceeds --max-size %d", j.size, maxSize)}}}
		return
	}
	j.res, j.err = set.Validate(j.body, opt)
}

// payloadReport is the JSON form of one payload's result.
type payloadReport struct {
	Source   string            `json:"source"`
	Platform string            `json:"platform,omitempty"`
	Events   []string          `json:"events,omitempty"`
	Valid    bool              `json:"valid"`
	Errors   []schemas.Problem `json:"errors,omitempty"`
	Drift    []schemas.Problem `json:"drift,omitempty"`
	Release  string            `json:"release,omitempty"`
	Releases []string          `json:"releases,omitempty"`
}

// validateOutput prints results as they come, in order: text lines, or one
// JSON document written incrementally (the same bytes as encoding it whole).
type validateOutput struct {
	e                       *env
	json, strict, quiet     bool
	total, invalid, drifted int
}

func (o *validateOutput) add(j *validateJob) error {
	if j.err != nil {
		return j.err
	}
	res := j.res
	o.total++
	ok := res.OK(o.strict)
	if !ok {
		o.invalid++
	}
	if len(res.Drift) > 0 {
		o.drifted++
	}
	if o.json {
		b, err := json.MarshalIndent(payloadReport{j.source, res.Platform, res.Events, ok, res.Errors, res.Drift, res.Release, res.Releases}, "    ", "  ")
		if err != nil {
			return err
		}
		sep := ",\n    "
		if o.total == 1 {
			sep = "{\n  \"payloads\": [\n    "
		}
		_, err = fmt.Fprintf(o.e.stdout, "%s%s", sep, b)
		return err
	}
	for _, pr := range res.Errors {
		fmt.Fprintf(o.e.stdout, "%s: %s\n", j.source, pr)
	}
	level := "warning"
	if o.strict {
		level = "error"
	}
	for _, pr := range res.Drift {
		fmt.Fprintf(o.e.stdout, "%s: %s: %s\n", j.source, level, pr)
	}
	if ok && !o.quiet {
		fmt.Fprintf(o.e.stdout, "%s: ok (%s %s%s)\n", j.source, res.Platform, joinEvents(res.Events), releaseNote(res))
	}
	return nil
}

func (o *validateOutput) finish() error {
	if !o.json {
		_, err := fmt.Fprintf(o.e.stdout, "%d payload(s): %d valid, %d invalid, %d with drift\n", o.total, o.total-o.invalid, o.invalid, o.drifted)
		return err
	}
	head := "\n  ],\n"
	if o.total == 0 {
		head = "{\n  \"payloads\": [],\n"
	}
	sum, err := json.MarshalIndent(map[string]int{"total": o.total, "valid": o.total - o.invalid, "invalid": o.invalid, "drift": o.drifted}, "  ", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(o.e.stdout, "%s  \"summary\": %s\n}\n", head, sum)
	return err
}

func isInputError(err error) bool {
	var ie *inputError
	return errors.As(err, &ie)
}

// releaseNote names the Chatwoot release a body was pinned to, or the
// releases that could have sent it.
func releaseNote(res *schemas.Result) string {
	switch {
	case res.Release != "":
		return "; Chatwoot " + res.Release
	case len(res.Releases) > 0:
		return "; sent by Chatwoot " + strings.Join(res.Releases, ", ")
	}
	return ""
}

func joinEvents(evs []string) string {
	if len(evs) == 0 {
		return "(no event)"
	}
	b, _ := json.Marshal(evs)
	if len(evs) == 1 {
		return evs[0]
	}
	return string(b)
}
