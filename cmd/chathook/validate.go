package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

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
		maxSize := fs.Int("max-size", defaultMaxPayload, "largest payload in `bytes`; a larger one is invalid")
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

		type report struct {
			Source   string            `json:"source"`
			Platform string            `json:"platform,omitempty"`
			Events   []string          `json:"events,omitempty"`
			Valid    bool              `json:"valid"`
			Errors   []schemas.Problem `json:"errors,omitempty"`
			Drift    []schemas.Problem `json:"drift,omitempty"`
			Release  string            `json:"release,omitempty"`
			Releases []string          `json:"releases,omitempty"`
		}
		var reports []report
		total, invalid, drifted := 0, 0, 0
		readErr := readPayloads(e, files, func(p payload) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			total++
			var res *schemas.Result
			if len(p.body) > *maxSize {
				res = &schemas.Result{Errors: []schemas.Problem{{Keyword: "size",
					Message: fmt.Sprintf("payload of %d bytes exceeds --max-size %d", len(p.body), *maxSize)}}}
			} else if res, err = set.Validate(p.body, opt); err != nil {
				return err
			}
			ok := res.OK(*strict)
			if !ok {
				invalid++
			}
			if len(res.Drift) > 0 {
				drifted++
			}
			if *format == "json" {
				reports = append(reports, report{p.source, res.Platform, res.Events, ok, res.Errors, res.Drift, res.Release, res.Releases})
				return nil
			}
			for _, pr := range res.Errors {
				fmt.Fprintf(e.stdout, "%s: %s\n", p.source, pr)
			}
			level := "warning"
			if *strict {
				level = "error"
			}
			for _, pr := range res.Drift {
				fmt.Fprintf(e.stdout, "%s: %s: %s\n", p.source, level, pr)
			}
			if ok && !*quiet {
				fmt.Fprintf(e.stdout, "%s: ok (%s %s%s)\n", p.source, res.Platform, joinEvents(res.Events), releaseNote(res))
			}
			return nil
		})
		if readErr != nil && !isInputError(readErr) {
			return withCode(exitUnreachable, readErr)
		}
		if *format == "json" {
			out := struct {
				Payloads []report `json:"payloads"`
				Summary  any      `json:"summary"`
			}{reports, map[string]int{"total": total, "valid": total - invalid, "invalid": invalid, "drift": drifted}}
			if reports == nil {
				out.Payloads = []report{}
			}
			if err := writeJSON(e.stdout, out); err != nil {
				return err
			}
		} else {
			fmt.Fprintf(e.stdout, "%d payload(s): %d valid, %d invalid, %d with drift\n", total, total-invalid, invalid, drifted)
		}
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
