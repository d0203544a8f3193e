package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/chathook/chathook/generator"
)

func init() {
	c := &command{
		name:    "generate",
		summary: "generate realistic, valid, reproducible sample payloads",
		usage:   "chathook generate --platform P [--event E]... [--kind K]... [--count N] [--seed S] [--profile realistic|edge] [--version V] [--out DIR] [--pretty]",
		example: `chathook generate --platform chatwoot --event message_created --count 3 --seed 42
chathook generate --platform replycx --event message --kind form --kind form.response --out fixtures/
chathook generate --platform bevatel --profile edge --version 4.10 --count 50 > edge.jsonl`,
	}
	c.run = func(ctx context.Context, e *env, args []string) error {
		fs := newFlagSet(c, e)
		var events, kinds stringList
		platform := fs.String("platform", "", "platform or alias: chatwoot (bevatel, messagehub, voxsig) or swiftsell (replycx)")
		fs.Var(&events, "event", "event to generate (repeatable or comma-separated; default: every event)")
		fs.Var(&kinds, "kind", "Swiftsell message kind (repeatable; default: a random kind per message)")
		count := fs.Int("count", 1, "number of payloads in all, cycling over the selected events (and kinds)")
		seed := fs.Int64("seed", 0, "seed; 0 draws one (printed to stderr as \"seed: S\")")
		profile := fs.String("profile", generator.ProfileRealistic, "profile: "+strings.Join(generator.Profiles(), " | "))
		version := fs.String("version", generator.VersionLatest, "Chatwoot `release` whose payloads are generated, X.Y.Z, X.Y (its last patch) or X, e.g. latest, 4.12.0, 4.10, 2.4: its key sets and order, event names and events (as send --version)")
		out := fs.String("out", "", "write one file per payload, <event>[.<kind>]-<n>.json, into this directory instead of JSONL on stdout")
		world := addWorldFlags(fs, false)
		receiver := fs.String("receiver", generator.ReceiverAccount, "Chatwoot receiver `kind` the payloads go to: account (every inbox), api_inbox (the API inbox's events only) or agent_bot (the bot's inbox only)")
		pretty := fs.Bool("pretty", false, "indent the JSON (keeps the platform's \\u003c escapes)")
		pos, err := parseFlags(fs, args)
		if err != nil {
			return err
		}
		if len(pos) > 0 {
			return usageErrorf("unexpected argument %q", pos[0])
		}
		if *platform == "" {
			return usageErrorf("--platform is required (platforms: %s)", strings.Join(generator.Platforms(), ", "))
		}
		set, err := loadSchemas()
		if err != nil {
			return err
		}
		plat, err := resolvePlatform(set, *platform)
		if err != nil {
			return err
		}
		p := plat.Name
		if *count < 1 {
			return usageErrorf("--count must be at least 1")
		}
		valid := generator.Events(p)
		if len(events) == 0 {
			events = valid
		}
		for _, ev := range events {
			if !containsString(valid, ev) {
				return usageErrorf("unknown %s event %q (events: %s)", p, ev, strings.Join(valid, ", "))
			}
		}
		if len(kinds) > 0 {
			vk := generator.Kinds(p, "message")
			if vk == nil {
				return usageErrorf("--kind applies to swiftsell message events only")
			}
			for _, k := range kinds {
				if !containsString(vk, k) {
					return usageErrorf("unknown message kind %q (kinds: %s)", k, strings.Join(vk, ", "))
				}
			}
		}
		if err := world.check(); err != nil {
			return err
		}
		switch *receiver {
		case generator.ReceiverAccount, generator.ReceiverAPIInbox, generator.ReceiverAgentBot:
		default:
			return usageErrorf("--receiver %q: want account, api_inbox or agent_bot", *receiver)
		}
		shape, err := payloadShape(*version) // the same --version values as send
		if err != nil {
			return err
		}
		g, err := generator.New(*seed, append(world.options(*receiver), generator.WithProfile(*profile), generator.WithVersion(shape))...)
		if err != nil {
			return usageErrorf("%v", strings.TrimPrefix(err.Error(), "generator: "))
		}
		fmt.Fprintf(e.stderr, "seed: %d\n", g.Seed())
		world.print(e.stderr, g, p)
		if *out != "" {
			if err := os.MkdirAll(*out, 0o755); err != nil {
				return usageErrorf("--out: %v", err)
			}
		}
		// N payloads in all, cycling over the events; message events cycle
		// over the kinds in their own turn.
		ki := 0
		written := 0
		for i := 0; written < *count; i++ {
			if err := ctx.Err(); err != nil {
				return unreachableErrorf("interrupted after %d payloads", written)
			}
			ev := events[i%len(events)]
			kind := ""
			if len(kinds) > 0 && len(generator.Kinds(p, ev)) > 0 {
				kind = kinds[ki%len(kinds)]
				ki++
			}
			body, err := g.Payload(p, ev, kind)
			if errors.Is(err, generator.ErrNotInVersion) {
				if len(events) == 1 {
					return usageErrorf("%v", strings.TrimPrefix(err.Error(), "generator: "))
				}
				continue
			}
			if err != nil {
				return usageErrorf("%v", strings.TrimPrefix(err.Error(), "generator: "))
			}
			written++
			if *pretty {
				var buf bytes.Buffer
				if err := json.Indent(&buf, body, "", "  "); err != nil {
					return withCode(exitUnreachable, fmt.Errorf("indenting payload: %w", err))
				}
				body = buf.Bytes()
			}
			if *out == "" {
				if _, err := e.stdout.Write(append(body, '\n')); err != nil {
					return withCode(exitUnreachable, err)
				}
				continue
			}
			name := ev
			if kind != "" {
				name += "." + kind
			}
			file := filepath.Join(*out, name+"-"+strconv.Itoa(written)+".json")
			if err := os.WriteFile(file, append(body, '\n'), 0o644); err != nil {
				return withCode(exitUnreachable, err)
			}
		}
		if *out != "" {
			fmt.Fprintf(e.stderr, "wrote %d payloads to %s\n", written, *out)
		}
		return nil
	}
	register(c)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
