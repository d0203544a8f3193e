package suites

import (
	"fmt"
	"strings"
	"time"

	"github.com/chathook/chathook/mockplatform"
)

// FormatTranscript renders a mock platform transcript for people, one line
// per entry; with more than max entries it keeps the first and last halves.
// max <= 0: every entry.
func FormatTranscript(entries []mockplatform.TranscriptEntry, max int) string {
	var b strings.Builder
	if len(entries) == 0 {
		return "  (nothing happened)\n"
	}
	skip0, skip1 := -1, -1
	if max > 0 && len(entries) > max {
		skip0, skip1 = max/2, len(entries)-max/2
	}
	var t0 time.Time
	for i, e := range entries {
		if i == 0 {
			t0 = e.Time
		}
		if i == skip0 {
			fmt.Fprintf(&b, "  ... %d more entries ...\n", skip1-skip0)
		}
		if i >= skip0 && i < skip1 {
			continue
		}
		fmt.Fprintf(&b, "  %+7.3fs %s\n", e.Time.Sub(t0).Seconds(), TranscriptLine(e))
	}
	return b.String()
}

// TranscriptLine renders one entry on one line, without its time.
func TranscriptLine(e mockplatform.TranscriptEntry) string {
	switch {
	case e.Call != nil:
		c := e.Call
		who := c.Principal
		if who == "" {
			who = "unauthenticated"
		}
		line := fmt.Sprintf("api call #%d  %s %s", c.Seq, c.Method, c.Path)
		if c.Query != "" {
			line += "?" + c.Query
		}
		line += fmt.Sprintf(" (%s)", who)
		if c.Request != "" {
			line += " " + oneLine(c.Request, 100)
		}
		line += fmt.Sprintf(" -> %d", c.Status)
		if c.Fault {
			line += " (injected)"
		}
		if c.Response != "" {
			line += " " + oneLine(c.Response, 80)
		}
		return line
	case e.Event != nil:
		ev := e.Event
		line := fmt.Sprintf("event #%d     %s conversation %d", ev.Seq, ev.Name, ev.Conversation)
		if ev.Message != 0 {
			line += fmt.Sprintf(" message %d %s", ev.Message, ev.MessageType)
			if ev.Private {
				line += " private"
			}
			if ev.Sender != "" {
				line += " from " + ev.Sender
			}
			if ev.Content != "" {
				line += " " + oneLine(fmt.Sprintf("%q", ev.Content), 60)
			}
		}
		if ev.Cause != 0 {
			line += fmt.Sprintf(" (caused by api call #%d)", ev.Cause)
		}
		return line
	case e.Delivery != nil:
		d := e.Delivery
		line := fmt.Sprintf("delivery     %s -> %s %s", d.Event, d.Receiver, d.URL)
		if d.Error != "" {
			return line + ": " + oneLine(d.Error, 100)
		}
		line += fmt.Sprintf(": %d in %s", d.Status, d.Duration.Round(time.Millisecond))
		if d.Attempts > 1 {
			line += fmt.Sprintf(" after %d attempts", d.Attempts)
		}
		if d.DeliveryID != "" {
			line += " (delivery id " + d.DeliveryID + ")"
		}
		return line
	}
	return "note         " + e.Note
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n]) + "…"
	}
	return printable(s)
}
