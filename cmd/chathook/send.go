package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/chathook/chathook/generator"
	"github.com/chathook/chathook/mockplatform"
	"github.com/chathook/chathook/schemas"
)

func init() {
	c := &command{
		name:    "send",
		summary: "deliver one webhook to a receiver exactly as the platform does (signed, seeded, with faults)",
		usage: "chathook send --target URL --platform P (--event E [--kind K] [--seed S] [--profile realistic|edge] [--version V] | --file F) [--fault F]... [flags]\n\n" +
			"--event sends the first payload of the seed (the one \"chathook generate --seed S\" prints first), or with\n" +
			"--sample N the payload chathook conform made as sample N of the seed's world;\n" +
			"--file sends the file's bytes exactly (- is stdin; the platform is detected from the body without --platform).\n" +
			"One line per delivery: status, duration, delivery id, attempts and the first 200 bytes of the response;\n" +
			"--format json prints the same as one JSON object. Exit 0 on 2xx, 1 on any other status (or a reset,\n" +
			"too many redirects), 2 on a usage or input error, 3 when the target cannot be reached (refused, DNS, TLS, timeout).\n\n" +
			swiftsellAssumptions,
		example: `CHATHOOK_SECRET=s3cret chathook send --target http://127.0.0.1:8080/webhooks --platform chatwoot --event message_created --seed 42
chathook send --target http://127.0.0.1:8080/webhooks --platform chatwoot --event conversation_updated --fault wrong_signature --secret s3cret   # exit 0 only if rejected with 4xx
chathook send --target https://bot.example.test/hook --platform chatwoot --receiver agent_bot --file capture.json --header 'X-Env: staging'
CHATHOOK_TOKEN=t0ken chathook send --target http://127.0.0.1:9000/swiftsell --platform replycx --event message --kind form.response --format json`,
	}
	c.run = func(ctx context.Context, e *env, args []string) error {
		fs := newFlagSet(c, e)
		f := addDeliveryFlags(fs, true)
		event := fs.String("event", "", "generate this `event` (see chathook events); Swiftsell message kinds also as message.KIND")
		kind := fs.String("kind", "", "Swiftsell message `kind` for --event message (default: a random kind)")
		seed := fs.Int64("seed", 0, "generator `seed`; 0 draws one (printed to stderr as \"seed: S\")")
		profile := fs.String("profile", generator.ProfileRealistic, "generator `profile`: "+strings.Join(generator.Profiles(), " | "))
		file := fs.String("file", "", "send this `file`'s bytes exactly (- is stdin) instead of a generated payload")
		deliveryID := fs.String("delivery-id", "", "send this X-Chatwoot-Delivery `id` instead of a fresh UUID (to repeat a delivery)")
		world := addWorldFlags(fs, true)
		pos, err := parseFlags(fs, args)
		if err != nil {
			return err
		}
		if len(pos) > 0 {
			return usageErrorf("unexpected argument %q (did you mean --file %s?)", pos[0], pos[0])
		}
		if err := world.check(); err != nil {
			return err
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
		given := setFlags(fs)
		rec := deliveryRecord{Receiver: f.cfg.Receiver}
		var body []byte
		switch {
		case *event != "" && *file != "":
			return usageErrorf("--event and --file exclude each other: send a generated payload or a file")
		case *event == "" && *file == "":
			return usageErrorf("want --event E (a generated payload) or --file F (a file's bytes)")
		case *file != "":
			for _, n := range []string{"seed", "kind", "profile", "sample", "account-id", "inbox-id"} {
				if given[n] {
					return usageErrorf("--%s applies to --event, not --file", n)
				}
			}
			if body, err = readFileArg(e, *file); err != nil {
				return err
			}
			if pr := schemas.CheckInput(body); pr != nil {
				return withCode(exitFailed, fmt.Errorf("%s: %s (nothing sent)", *file, pr))
			}
			det, ev := detectPlatform(set, body, platform)
			if det == "" {
				return usageErrorf("cannot tell the platform of %s from its body; pass --platform", *file)
			}
			platform, rec.Event, rec.Source = det, ev, *file
		default:
			if platform == "" {
				return usageErrorf("--platform is required with --event (platforms: %s)", strings.Join(set.PlatformNames(), ", "))
			}
			g, b, err := generateFirst(platform, *event, *kind, *seed, *profile, f.version, world.options(f.cfg.Receiver)...)
			if err != nil {
				return err
			}
			if *seed == 0 {
				fmt.Fprintf(e.stderr, "seed: %d\n", g.Seed())
			}
			world.print(e.stderr, g, platform)
			body, rec.Seed, rec.Source = b, g.Seed(), "generated"
			rec.Event = *event
			if *kind != "" {
				rec.Event += "." + *kind
			}
		}
		if platform != mockplatform.PlatformChatwoot {
			rec.Receiver = ""
		}
		rec.Platform = platform
		rec.Faults = f.faults
		mp, err := f.platformFor(platform, "")
		if err != nil {
			return err
		}
		opts := f.options()
		if *deliveryID != "" {
			opts = append(opts, mockplatform.WithDeliveryID(*deliveryID))
		}
		d, err := mp.Deliver(ctx, f.target, body, opts...)
		if err != nil {
			return usageErrorf("%s", trimMP(err))
		}
		t := f.newTally(e, 1)
		t.record(rec, d)
		return t.finish(e, false)
	}
	register(c)
}

// generateFirst returns the generator and the first payload of seed, exactly
// as the conformance suites make it (so their "chathook send --seed"
// reproductions send the same bytes): generator.New(seed, WithProfile,
// WithVersion) for Chatwoot, without WithVersion for Swiftsell.
func generateFirst(platform, event, kind string, seed int64, profile, version string, world ...generator.Option) (*generator.Generator, []byte, error) {
	valid := generator.Events(platform)
	if ev, k, ok := strings.Cut(event, "."); ok && kind == "" && generator.Kinds(platform, ev) != nil {
		event, kind = ev, k // "message.form", as chathook events lists it
	}
	if !containsString(valid, event) {
		return nil, nil, usageErrorf("unknown %s event %q (events: %s)", platform, event, strings.Join(valid, ", "))
	}
	if kind != "" {
		kinds := generator.Kinds(platform, event)
		if kinds == nil {
			return nil, nil, usageErrorf("--kind applies to swiftsell message events only")
		}
		if !containsString(kinds, kind) {
			return nil, nil, usageErrorf("unknown message kind %q (kinds: %s)", kind, strings.Join(kinds, ", "))
		}
	}
	opts := []generator.Option{generator.WithProfile(profile)}
	if platform == mockplatform.PlatformChatwoot {
		opts = append(opts, world...)
		shape, err := payloadShape(version)
		if err != nil {
			return nil, nil, err
		}
		opts = append(opts, generator.WithVersion(shape))
	}
	g, err := generator.New(seed, opts...)
	if err != nil {
		return nil, nil, usageErrorf("%s", strings.TrimPrefix(err.Error(), "generator: "))
	}
	body, err := g.Payload(platform, event, kind)
	if err != nil {
		if errors.Is(err, generator.ErrNotInVersion) {
			return nil, nil, usageErrorf("%s %s: %v (--version %s)", platform, event, err, version)
		}
		return nil, nil, usageErrorf("%s", strings.TrimPrefix(err.Error(), "generator: "))
	}
	return g, body, nil
}

// detectPlatform returns the platform of body (the given one, or detected by
// the schemas) and the first event it delivers, "" when neither can be told.
// A Swiftsell handshake body ({"token":"..."}) is Swiftsell's.
func detectPlatform(set *schemas.Set, body []byte, platform string) (string, string) {
	res, err := set.Validate(body, schemas.Options{Platform: platform})
	if err == nil && res.Platform != "" {
		ev := ""
		if len(res.Events) > 0 {
			ev = res.Events[0]
		}
		return res.Platform, ev
	}
	if platform != "" {
		return platform, ""
	}
	var hs map[string]any
	if jsonObject(body, &hs) && len(hs) == 1 {
		if _, ok := hs[mockplatform.DefaultTokenParam].(string); ok {
			return mockplatform.PlatformSwiftsell, "handshake"
		}
	}
	return "", ""
}

// setFlags returns the names of the flags given on the command line.
func setFlags(fs *flag.FlagSet) map[string]bool {
	m := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { m[fl.Name] = true })
	return m
}

// readFileArg reads a whole file, or stdin for "-"; a failure is a usage
// error (exit 2).
func readFileArg(e *env, name string) ([]byte, error) {
	if name == "-" {
		b, err := io.ReadAll(e.stdin)
		if err != nil {
			return nil, usageErrorf("reading stdin: %v", err)
		}
		return b, nil
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, usageErrorf("cannot read %s: %v", name, unwrapPathError(err))
	}
	return b, nil
}
