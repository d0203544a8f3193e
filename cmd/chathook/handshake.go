package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/chathook/chathook/mockplatform"
)

func init() {
	c := &command{
		name:    "handshake",
		summary: "perform Swiftsell's token handshake against a receiver and say whether it passes",
		usage: "chathook handshake --target URL --token T [--token-placement header|query|body] [--fault wrong_token|missing_token] [flags]\n\n" +
			"Prints passed or failed, the form of the reply (raw, trimmed, json-string, json-object:MEMBER), the status\n" +
			"and the start of the body. Exit 0 when it passes, 1 when it fails, 3 when the target cannot be reached.\n" +
			"With --fault wrong_token or missing_token the receiver is expected to refuse: exit 0 when it answers 4xx,\n" +
			"1 otherwise.\n\n" + swiftsellAssumptions,
		example: `CHATHOOK_TOKEN=t0ken chathook handshake --target http://127.0.0.1:9000/swiftsell
chathook handshake --target https://bot.example.test/hook --token t0ken --token-placement query --format json
CHATHOOK_TOKEN=t0ken chathook handshake --target http://127.0.0.1:9000/swiftsell --fault wrong_token   # must be refused`,
	}
	c.run = func(ctx context.Context, e *env, args []string) error {
		fs := newFlagSet(c, e)
		f := addDeliveryFlags(fs, false)
		fs.Lookup("fault").Usage = "deliberate `fault`: wrong_token or missing_token (the receiver must refuse the handshake)"
		platform := fs.String("platform", "swiftsell", "`platform` or alias; the handshake is Swiftsell's (swiftsell, replycx)")
		pos, err := parseFlags(fs, args)
		if err != nil {
			return err
		}
		if len(pos) > 0 {
			return usageErrorf("unexpected argument %q", pos[0])
		}
		set, err := loadSchemas()
		if err != nil {
			return err
		}
		p, err := resolvePlatform(set, *platform)
		if err != nil {
			return err
		}
		if p.Name != mockplatform.PlatformSwiftsell {
			return usageErrorf("the handshake is a Swiftsell feature, not %s's", p.Name)
		}
		if err := f.setup(e); err != nil {
			return err
		}
		if err := waitForTarget(ctx, e.stderr, f.target, *f.wait); err != nil {
			return err
		}
		defer f.close()
		if f.cfg.Token == "" {
			return usageErrorf("--token is required (or CHATHOOK_TOKEN)")
		}
		expectRefusal := false
		for _, ft := range f.faultOpts {
			if ft != mockplatform.WrongToken && ft != mockplatform.MissingToken {
				return usageErrorf("--fault %s does not apply to the handshake (wrong_token, missing_token do)", ft)
			}
			expectRefusal = true
		}
		mp, err := f.platformFor(mockplatform.PlatformSwiftsell, "")
		if err != nil {
			return err
		}
		h, err := mp.Handshake(ctx, f.target, f.options()...)
		if err != nil {
			return usageErrorf("%s", trimMP(err))
		}
		red := newRedactor(f.cfg.Token)
		out := struct {
			Passed     bool     `json:"passed"`
			Expected   string   `json:"expected"` // "echo" or "refusal"
			Form       string   `json:"form,omitempty"`
			Status     int      `json:"status"`
			Reason     string   `json:"reason,omitempty"`
			Response   string   `json:"response"`
			DurationMS float64  `json:"duration_ms"`
			Placement  string   `json:"token_placement"`
			Token      string   `json:"token"`
			Faults     []string `json:"faults,omitempty"`
			Error      string   `json:"error,omitempty"`
			Cause      string   `json:"cause,omitempty"`
		}{Expected: "echo", Form: h.Form, Status: h.Status, Reason: red.apply(h.Reason),
			DurationMS: float64(h.Delivery.Duration.Microseconds()) / 1000, Placement: f.cfg.TokenPlacement,
			Token: redact(f.cfg.Token), Faults: f.faults}
		if len(h.Body) > 0 {
			out.Response = red.apply(snippetOf(h.Body, responseSnippet))
		}
		out.Passed = h.Passed
		if expectRefusal {
			out.Expected = "refusal"
			out.Passed = h.Err == nil && h.Status >= 400 && h.Status <= 499
			out.Form, out.Reason = "", ""
			if !out.Passed && h.Err == nil {
				out.Reason = fmt.Sprintf("status %d, want 4xx: the receiver accepted a handshake with a %s", h.Status, strings.ReplaceAll(f.faults[0], "_", " "))
			}
		}
		cause := mockplatform.CauseOf(h.Err)
		if h.Err != nil {
			out.Cause = string(cause)
			out.Error = red.apply(shortError(h.Err, f.timeout))
		}
		if f.format == "json" {
			b, _ := json.Marshal(out)
			fmt.Fprintf(e.stdout, "%s\n", b)
		} else {
			verdict := "failed"
			if out.Passed {
				verdict = "passed"
			}
			dur := h.Delivery.Duration.Round(100 * time.Microsecond)
			var b strings.Builder
			fmt.Fprintf(&b, "handshake %s", verdict)
			if expectRefusal {
				fmt.Fprintf(&b, " (expected a refusal: %s)", strings.Join(f.faults, ", "))
			}
			switch {
			case h.Err != nil:
				fmt.Fprintf(&b, ": no answer (%s) after %s: %s", cause, dur, out.Error)
			default:
				fmt.Fprintf(&b, ": %d in %s", h.Status, dur)
				if out.Form != "" {
					fmt.Fprintf(&b, ", reply form %s", out.Form)
				}
				if out.Reason != "" {
					fmt.Fprintf(&b, ", %s", out.Reason)
				}
				resp := out.Response
				if resp == "" {
					resp = "(empty)"
				}
				fmt.Fprintf(&b, ", response: %s", resp)
			}
			fmt.Fprintf(&b, " (token %s in the %s)", redact(f.cfg.Token), f.cfg.TokenPlacement)
			fmt.Fprintln(e.stdout, b.String())
		}
		switch {
		case cause == mockplatform.CauseCanceled:
			return unreachableErrorf("interrupted")
		case h.Err != nil && unreachableCause(cause):
			return unreachableErrorf("cannot reach %s: %s (%s)", f.targetText, out.Error, cause)
		case !out.Passed:
			return failed()
		}
		return nil
	}
	register(c)
}
