package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/chathook/chathook/mockplatform"
	"github.com/chathook/chathook/schemas"
)

func init() {
	c := &command{
		name:    "replay",
		summary: "resend payloads (files, JSONL, stdin, or a directory saved by listen) byte for byte",
		usage: "chathook replay --target URL [--platform P] [--keep-delivery-id] [flags] FILE|DIR...   (FILE - is stdin)\n\n" +
			"A .jsonl/.ndjson file (or stdin holding several lines) is one payload per line; any other file is one\n" +
			"payload, its bytes untouched. A directory is replayed as \"chathook listen --save\" wrote it: its\n" +
			"<seq>-<event>.json files in seq order, the *.headers.json files skipped. Each body's platform is detected\n" +
			"from the body unless --platform is given; every input is read and checked before anything is sent.\n" +
			"One line per delivery and a summary; --format json prints one JSON object per delivery (the summary goes\n" +
			"to stderr). Sending stops early when the target cannot be reached. Exit codes as for send.",
		example: `chathook replay --target http://127.0.0.1:8080/webhooks captures/        # a directory saved by chathook listen
CHATHOOK_SECRET=s3cret chathook replay --target http://127.0.0.1:8080/webhooks fixtures/*.json
chathook generate --platform chatwoot --count 20 --seed 3 | chathook replay --target http://127.0.0.1:8080/webhooks -
CHATHOOK_TOKEN=t0ken chathook replay --target http://127.0.0.1:9000/swiftsell --platform replycx events.jsonl --format json`,
	}
	c.run = func(ctx context.Context, e *env, args []string) error {
		fs := newFlagSet(c, e)
		f := addDeliveryFlags(fs, true)
		keepID := fs.Bool("keep-delivery-id", false, "resend a saved capture with the X-Chatwoot-Delivery recorded in its .headers.json")
		pos, err := parseFlags(fs, args)
		if err != nil {
			return err
		}
		if len(pos) == 0 {
			return usageErrorf("no files given (FILE, DIR, or - for stdin)")
		}
		if err := f.setup(e); err != nil {
			return err
		}
		if err := waitForTarget(ctx, e.stderr, f.target, *f.wait); err != nil {
			return err
		}
		defer f.close()
		set, err := loadSchemas()
		if err != nil {
			return err
		}
		platform, err := f.resolvedPlatform(set)
		if err != nil {
			return err
		}
		files, err := expandReplayArgs(pos)
		if err != nil {
			return err
		}
		type item struct {
			payload
			platform, event, deliveryID string
		}
		var items []item
		bad := 0
		guarded := 0
		readErr := readPayloads(e, files, defaultMaxPayload, func(p payload) error {
			if p.oversize {
				fmt.Fprintf(e.stderr, "chathook replay: %s: payload of %d bytes is over %d bytes: no platform sends one\n", p.source, p.size, defaultMaxPayload)
				bad++
				return nil
			}
			if pr := schemas.CheckInput(p.body); pr != nil {
				fmt.Fprintf(e.stderr, "chathook replay: %s: %s\n", p.source, pr)
				guarded++
				return nil
			}
			pl, ev := detectPlatform(set, p.body, platform)
			if pl == "" {
				// A capture listen could not parse still records the platform
				// it was received as.
				pl = savedPlatform(p.source)
			}
			if pl == "" {
				fmt.Fprintf(e.stderr, "chathook replay: %s: cannot tell the platform from the body; pass --platform\n", p.source)
				bad++
				return nil
			}
			it := item{payload: p, platform: pl, event: ev}
			if *keepID {
				it.deliveryID = savedDeliveryID(p.source)
			}
			items = append(items, it)
			return nil
		})
		if readErr != nil && !isInputError(readErr) {
			return withCode(exitUnreachable, readErr)
		}
		if guarded > 0 && readErr == nil && bad == 0 {
			return withCode(exitFailed, fmt.Errorf("nothing sent: %d payload(s) no platform can send", guarded))
		}
		if readErr != nil || bad > 0 || guarded > 0 {
			return usageErrorf("nothing sent: fix the input above")
		}
		if len(items) == 0 {
			return usageErrorf("no payloads in %s", strings.Join(pos, ", "))
		}
		t := f.newTally(e, len(items))
		for _, it := range items {
			if interrupted(ctx, t) {
				break
			}
			mp, err := f.platformFor(it.platform, "")
			if err != nil {
				return err
			}
			opts := f.options()
			if it.deliveryID != "" && it.platform == mockplatform.PlatformChatwoot {
				opts = append(opts, mockplatform.WithDeliveryID(it.deliveryID))
			}
			d, err := mp.Deliver(ctx, f.target, it.body, opts...)
			if err != nil {
				if t.sent() > 0 {
					_ = t.finish(e, true)
				}
				return usageErrorf("%s: %s", it.source, trimMP(err))
			}
			rec := deliveryRecord{Source: it.source, Platform: it.platform, Event: it.event, Faults: f.faults}
			if it.platform == mockplatform.PlatformChatwoot {
				rec.Receiver = mp.Config().Receiver
			}
			if t.record(rec, d) {
				break
			}
		}
		return t.finish(e, true)
	}
	register(c)
}

// expandReplayArgs replaces each directory by its payload files in capture
// order and drops *.headers.json files (listen's metadata).
func expandReplayArgs(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		if a == "-" {
			out = append(out, a)
			continue
		}
		if isHeadersFile(a) {
			continue
		}
		st, err := os.Stat(a)
		if err != nil || !st.IsDir() {
			out = append(out, a) // readPayloads reports unreadable files
			continue
		}
		entries, err := os.ReadDir(a)
		if err != nil {
			return nil, usageErrorf("cannot read directory %s: %v", a, unwrapPathError(err))
		}
		var names []string
		for _, en := range entries {
			n := en.Name()
			ext := strings.ToLower(filepath.Ext(n))
			if en.IsDir() || strings.HasPrefix(n, ".") || isHeadersFile(n) || (ext != ".json" && ext != ".jsonl" && ext != ".ndjson") {
				continue
			}
			names = append(names, n)
		}
		sort.SliceStable(names, func(i, j int) bool {
			si, oki := captureSeq(names[i])
			sj, okj := captureSeq(names[j])
			switch {
			case oki && okj && si != sj:
				return si < sj
			case oki != okj:
				return oki // numbered captures first
			}
			return names[i] < names[j]
		})
		for _, n := range names {
			out = append(out, filepath.Join(a, n))
		}
	}
	return out, nil
}

func isHeadersFile(name string) bool {
	return strings.HasSuffix(strings.ToLower(name), ".headers.json")
}

// captureSeq reads the <seq> of a "<seq>-<event>.json" name.
func captureSeq(name string) (int64, bool) {
	digits, _, ok := strings.Cut(name, "-")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	return n, err == nil
}

// savedPlatform reads the platform listen recorded in the .headers.json
// saved next to a capture body; "" when there is none.
func savedPlatform(bodyFile string) string {
	var meta struct {
		Platform string `json:"platform"`
	}
	if !strings.HasSuffix(bodyFile, ".json") {
		return ""
	}
	if b, err := os.ReadFile(strings.TrimSuffix(bodyFile, ".json") + ".headers.json"); err == nil && json.Unmarshal(b, &meta) == nil {
		return meta.Platform
	}
	return ""
}

// savedDeliveryID reads X-Chatwoot-Delivery from the .headers.json saved
// next to a capture body by listen; "" when there is none.
func savedDeliveryID(bodyFile string) string {
	if !strings.HasSuffix(bodyFile, ".json") {
		return ""
	}
	b, err := os.ReadFile(strings.TrimSuffix(bodyFile, ".json") + ".headers.json")
	if err != nil {
		return ""
	}
	var meta struct {
		Header map[string][]string `json:"header"`
	}
	if json.Unmarshal(b, &meta) != nil {
		return ""
	}
	for k, v := range meta.Header {
		if strings.EqualFold(k, mockplatform.HeaderDelivery) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}
