package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/chathook/chathook/generator"
	"github.com/chathook/chathook/mockplatform"
)

// scenarioSummaries describes the generator's scenarios for --list.
var scenarioSummaries = map[string]string{
	"widget-conversation": "chatwoot account webhook: a widget visitor starts a conversation, an agent replies, assigns and resolves; racing order, one duplicate",
	"agent-bot":           "chatwoot agent bot: widget opened, visitor writes, bot hands off, message updated, resolved; one delivery retried",
	"swiftsell-chat":      "swiftsell: conversation_create, messages of several kinds with responses, assignee change, variables, labels, note, status",
}

func init() {
	c := &command{
		name:    "scenario",
		summary: "deliver a named, seeded sequence of webhooks (a conversation's life) in order",
		usage: "chathook scenario --target URL --name N [--seed S] [--profile P] [--version V] [flags] | --list [--name N]\n\n" +
			"Steps are delivered in the generator's order, each to its receiver kind (account or agent_bot; --receiver\n" +
			"overrides); a duplicate step is re-sent with the SAME X-Chatwoot-Delivery as the step it repeats, as a retry\n" +
			"would be. --fault applies to every step. One line per delivery and a summary; --format json prints one JSON\n" +
			"object per delivery (the summary goes to stderr). --list prints the scenarios, or with --name the steps\n" +
			"of that scenario and seed without sending anything. Exit codes as for send.",
		example: `chathook scenario --list
chathook scenario --list --name widget-conversation --seed 7        # the steps, nothing sent
CHATHOOK_SECRET=s3cret chathook scenario --target http://127.0.0.1:8080/webhooks --name widget-conversation --seed 7
CHATHOOK_TOKEN=t0ken chathook scenario --target http://127.0.0.1:9000/swiftsell --name swiftsell-chat --format json`,
	}
	c.run = func(ctx context.Context, e *env, args []string) error {
		fs := newFlagSet(c, e)
		f := addDeliveryFlags(fs, true)
		name := fs.String("name", "", "scenario `name`: "+strings.Join(generator.Scenarios(), ", "))
		seed := fs.Int64("seed", 0, "generator `seed`; 0 draws one (printed to stderr as \"seed: S\")")
		profile := fs.String("profile", generator.ProfileRealistic, "generator `profile`: "+strings.Join(generator.Profiles(), " | "))
		world := addWorldFlags(fs, false)
		list := fs.Bool("list", false, "list the scenarios (with --name: that scenario's steps) and send nothing")
		pos, err := parseFlags(fs, args)
		if err != nil {
			return err
		}
		if len(pos) > 0 {
			return usageErrorf("unexpected argument %q", pos[0])
		}
		if *list && *name == "" {
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "SCENARIO\tDESCRIPTION")
			for _, n := range generator.Scenarios() {
				fmt.Fprintf(tw, "%s\t%s\n", n, scenarioSummaries[n])
			}
			return tw.Flush()
		}
		if *name == "" {
			return usageErrorf("--name is required (scenarios: %s)", strings.Join(generator.Scenarios(), ", "))
		}
		if !slices.Contains(generator.Scenarios(), *name) {
			return usageErrorf("unknown scenario %q (scenarios: %s)", *name, strings.Join(generator.Scenarios(), ", "))
		}
		shape, err := payloadShape(f.version)
		if err != nil {
			return err
		}
		if err := world.check(); err != nil {
			return err
		}
		g, err := generator.New(*seed, append(world.options(f.receiver), generator.WithProfile(*profile), generator.WithVersion(shape))...)
		if err != nil {
			return usageErrorf("%s", strings.TrimPrefix(err.Error(), "generator: "))
		}
		steps, err := g.Scenario(*name)
		if err != nil {
			return usageErrorf("%s", strings.TrimPrefix(err.Error(), "generator: "))
		}
		if *seed == 0 {
			fmt.Fprintf(e.stderr, "seed: %d\n", g.Seed())
		}
		if steps[0].Platform == "chatwoot" && !*list {
			world.print(e.stderr, g, "chatwoot")
		}
		if *list {
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "STEP\tPLATFORM\tEVENT\tRECEIVER\tBYTES\tNOTE")
			for i, st := range steps {
				note := ""
				if st.Duplicate {
					note = fmt.Sprintf("duplicate of step %d (same delivery id)", i)
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\n", i+1, st.Platform, stepLabel(st), orDash(st.Receiver), len(st.Body), note)
			}
			return tw.Flush()
		}
		if err := f.setup(e); err != nil {
			return err
		}
		if err := waitForTarget(ctx, e.stderr, f.target, *f.wait); err != nil {
			return err
		}
		defer f.close()
		if f.platform != "" {
			set, err := loadSchemas()
			if err != nil {
				return err
			}
			p, err := resolvePlatform(set, f.platform)
			if err != nil {
				return err
			}
			if len(steps) > 0 && p.Name != steps[0].Platform {
				return usageErrorf("scenario %s delivers %s webhooks, not %s", *name, steps[0].Platform, p.Name)
			}
		}
		t := f.newTally(e, len(steps))
		prevID := ""
		for i, st := range steps {
			if interrupted(ctx, t) {
				break
			}
			mp, err := f.platformFor(st.Platform, st.Receiver)
			if err != nil {
				return err
			}
			opts := f.options()
			if st.Duplicate && prevID != "" {
				opts = append(opts, mockplatform.WithDeliveryID(prevID))
			}
			d, err := mp.Deliver(ctx, f.target, st.Body, opts...)
			if err != nil {
				if t.sent() > 0 {
					_ = t.finish(e, true)
				}
				return usageErrorf("step %d: %s", i+1, trimMP(err))
			}
			rec := deliveryRecord{Source: fmt.Sprintf("step %d", i+1), Platform: st.Platform, Event: stepLabel(st),
				Seed: g.Seed(), Duplicate: st.Duplicate, Faults: f.faults}
			if st.Platform == mockplatform.PlatformChatwoot {
				rec.Receiver = mp.Config().Receiver
			}
			prevID = d.DeliveryID
			if t.record(rec, d) {
				break
			}
		}
		return t.finish(e, true)
	}
	register(c)
}

func stepLabel(st generator.Step) string {
	if st.Kind != "" {
		return st.Event + "." + st.Kind
	}
	return st.Event
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
