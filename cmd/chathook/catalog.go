package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/chathook/chathook/schemas"
)

// loadSchemas returns the embedded schema set; failing to compile it means the
// harness cannot run (exit 3).
func loadSchemas() (*schemas.Set, error) {
	s, err := schemas.Default()
	if err != nil {
		return nil, withCode(exitUnreachable, err)
	}
	return s, nil
}

// resolvePlatform maps a --platform value (name or alias) to its canonical
// platform; an unknown name is a usage error listing the valid ones.
func resolvePlatform(set *schemas.Set, name string) (*schemas.Platform, error) {
	p, err := set.Platform(name)
	if err != nil {
		return nil, usageErrorf("--platform %q is not a platform (valid: %s)", name, strings.Join(set.PlatformNames(), ", "))
	}
	return p, nil
}

func checkFormat(format string) error {
	if format != "text" && format != "json" {
		return usageErrorf("--format %q: want text or json", format)
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func init() {
	c := &command{
		name:    "platforms",
		summary: "list the platforms, their aliases and event counts",
		usage:   "chathook platforms [--format text|json]",
		example: "chathook platforms\nchathook platforms --format json | jq '.[].aliases'",
	}
	c.run = func(ctx context.Context, e *env, args []string) error {
		fs := newFlagSet(c, e)
		format := fs.String("format", "text", "output `format`: text or json")
		if _, err := parseFlags(fs, args); err != nil {
			return err
		}
		if err := checkFormat(*format); err != nil {
			return err
		}
		set, err := loadSchemas()
		if err != nil {
			return err
		}
		type row struct {
			Name        string   `json:"name"`
			Title       string   `json:"title"`
			Aliases     []string `json:"aliases"`
			Events      int      `json:"events"`
			Description string   `json:"description"`
		}
		var rows []row
		for _, p := range set.Platforms() {
			rows = append(rows, row{p.Name, p.Title, p.Aliases, len(p.Events), p.Description})
		}
		if *format == "json" {
			return writeJSON(e.stdout, rows)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "PLATFORM\tALIASES\tEVENTS\tDESCRIPTION")
		for _, r := range rows {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", r.Name, strings.Join(r.Aliases, ", "), r.Events, r.Description)
		}
		return tw.Flush()
	}
	register(c)
}

func init() {
	c := &command{
		name:    "events",
		summary: "list the event names (and Swiftsell message kinds) of each platform",
		usage:   "chathook events [--platform P] [--format text|json]",
		example: "chathook events --platform chatwoot\nchathook events --platform replycx --format json",
	}
	c.run = func(ctx context.Context, e *env, args []string) error {
		fs := newFlagSet(c, e)
		platform := fs.String("platform", "", "only this `platform` (name or alias)")
		format := fs.String("format", "text", "output `format`: text or json")
		if _, err := parseFlags(fs, args); err != nil {
			return err
		}
		if err := checkFormat(*format); err != nil {
			return err
		}
		set, err := loadSchemas()
		if err != nil {
			return err
		}
		platforms := set.Platforms()
		if *platform != "" {
			p, err := resolvePlatform(set, *platform)
			if err != nil {
				return err
			}
			platforms = []*schemas.Platform{p}
		}
		type entry struct {
			Platform string              `json:"platform"`
			Events   []string            `json:"events"`
			Kinds    map[string][]string `json:"kinds,omitempty"`
		}
		var out []entry
		for _, p := range platforms {
			out = append(out, entry{p.Name, p.Events, p.Kinds})
		}
		if *format == "json" {
			return writeJSON(e.stdout, out)
		}
		for i, en := range out {
			if len(out) > 1 {
				if i > 0 {
					fmt.Fprintln(e.stdout)
				}
				fmt.Fprintf(e.stdout, "# %s\n", en.Platform)
			}
			for _, ev := range en.Events {
				fmt.Fprintln(e.stdout, ev)
				for _, k := range en.Kinds[ev] {
					fmt.Fprintf(e.stdout, "  %s.%s\n", ev, k)
				}
			}
		}
		return nil
	}
	register(c)
}

func init() {
	c := &command{
		name:    "schemas",
		summary: "list, show or export the embedded JSON Schemas (draft 2020-12)",
		usage:   "chathook schemas list | show NAME | export DIR",
		example: "chathook schemas list\nchathook schemas show chatwoot/objects/message.json\nchathook schemas export ./contract   # for other validators; $ids intact",
	}
	c.run = func(ctx context.Context, e *env, args []string) error {
		fs := newFlagSet(c, e)
		pos, err := parseFlags(fs, args)
		if err != nil {
			return err
		}
		if len(pos) == 0 {
			return usageErrorf("want a subcommand: list, show NAME or export DIR")
		}
		set, err := loadSchemas()
		if err != nil {
			return err
		}
		switch sub := pos[0]; {
		case sub == "list" && len(pos) == 1:
			for _, f := range set.Files() {
				fmt.Fprintln(e.stdout, f)
			}
			return nil
		case sub == "show" && len(pos) == 2:
			_, b, err := set.File(pos[1])
			if err != nil {
				return withCode(exitUsage, err)
			}
			_, err = e.stdout.Write(b)
			return err
		case sub == "export" && len(pos) == 2:
			if err := set.Export(pos[1]); err != nil {
				return withCode(exitUsage, err)
			}
			fmt.Fprintf(e.stderr, "exported %d schemas to %s (base URI %s)\n", len(set.Files()), pos[1], schemas.BaseURI)
			return nil
		default:
			return usageErrorf("unknown or incomplete subcommand %q: want list, show NAME or export DIR", strings.Join(pos, " "))
		}
	}
	register(c)
}
