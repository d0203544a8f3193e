package suites

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/chathook/chathook/generator"
	"github.com/chathook/chathook/mockplatform"
)

// A diagnosis first: when many requirements fail alike, the report leads
// with one line saying why and what to do. The run records every delivery
// that had to be acknowledged; after the specs, diagnose looks for one cause
// behind the failures (every correct delivery refused, refusals only on
// escaped bodies, failures only on one payload shape) and, when correctly
// signed deliveries are refused, probes the target with the common signing
// mistakes to say which one the receiver makes.

// maxOutcomes bounds the deliveries kept for the diagnosis.
const maxOutcomes = 4000

// outcome is one delivery that should have been acknowledged.
type outcome struct {
	event  string
	body   []byte
	status int  // 0 without an answer
	ok     bool // acknowledged
	err    error
	answer string // the start of the receiver's answer
}

func (o outcome) auth() bool { return o.status == 401 || o.status == 403 }

// recordOutcome keeps a delivery of a correct payload (no fault, JSON,
// application/json) for the diagnosis.
func (sc *specContext) recordOutcome(s *sent, d *mockplatform.Delivery) {
	if s.fault != "" || s.contentType != "" || s.event == "malformed" || len(s.header) > 0 {
		return
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if len(sc.outcomes) >= maxOutcomes {
		return
	}
	o := outcome{event: s.event, body: s.body, status: d.Status, ok: acked(d), err: d.Err}
	if d.Err == nil && !o.ok {
		o.answer = snippet(bytes.TrimSpace(d.Last().Body), 120)
	}
	sc.outcomes = append(sc.outcomes, o)
}

// diagnose returns the diagnosis lines of a finished run (none when the
// failures have no common cause or nothing failed).
func (sc *specContext) diagnose(ctx context.Context) []string {
	sc.mu.Lock()
	outs := append([]outcome(nil), sc.outcomes...)
	sc.mu.Unlock()
	if sc.platform == nil || len(outs) == 0 {
		return nil
	}
	var okN, authN, failN int
	statuses := map[int]int{}
	for _, o := range outs {
		switch {
		case o.ok:
			okN++
		case o.auth():
			authN++
			statuses[o.status]++
		default:
			failN++
		}
	}
	if okN == len(outs) {
		return nil
	}
	if authN == len(outs) && authN >= 3 {
		return []string{sc.refusedAll(ctx, authN, statuses)}
	}
	var lines []string
	if authN >= 3 {
		if l := sc.refusedAccount(outs); l != "" {
			return []string{l}
		}
	}
	if authN >= 2 {
		if l := sc.refusedEscapes(outs); l != "" {
			lines = append(lines, l)
		}
	}
	if failN >= 2 {
		if l := shapeDiagnosis(outs); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

func statusText(statuses map[int]int) string {
	var keys []int
	for k := range statuses {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, strconv.Itoa(k))
	}
	return strings.Join(parts, "/")
}

// refusedAll explains a receiver that refused every correct delivery with
// 401/403.
func (sc *specContext) refusedAll(ctx context.Context, n int, statuses map[int]int) string {
	st := statusText(statuses)
	c := sc.run
	switch {
	case c.Platform == "chatwoot" && c.Secret == "" && !sc.unsigned:
		return fmt.Sprintf("diagnosis: every one of %d deliveries was refused with %s, and no --secret was given: the receiver verifies signatures; "+
			"pass the webhook's secret with --secret (or CHATHOOK_SECRET) so chathook signs as Chatwoot does", n, st)
	case c.Platform == "swiftsell" && c.Token == "":
		return fmt.Sprintf("diagnosis: every one of %d deliveries was refused with %s, and no --token was given: the receiver checks a token; "+
			"pass it with --token (or CHATHOOK_TOKEN)", n, st)
	case c.Platform == "chatwoot" && c.Secret != "" && sc.platform.Signs():
		if l := sc.probeSignature(ctx); l != "" {
			return l
		}
		return fmt.Sprintf("diagnosis: every one of %d correctly signed deliveries was refused with %s, and none of the common signing mistakes "+
			"(bare hex without sha256=, HMAC of the body alone, without the timestamp, an empty secret) was accepted either: check that --secret is "+
			"this webhook's secret (each account webhook, API inbox and agent bot has its own), or, if the receiver is bound to one account or inbox, "+
			"pass --account-id/--inbox-id (the deliveries came from %s)", n, st, sc.worldText())
	case c.Platform == "swiftsell":
		if l := sc.probeToken(ctx); l != "" {
			return l
		}
		return fmt.Sprintf("diagnosis: every one of %d deliveries carrying the token was refused with %s, in the %s, and also with the token in "+
			"the other places: check that --token is the one configured in Swiftsell", n, st, sc.tokenWhere())
	}
	return fmt.Sprintf("diagnosis: every one of %d deliveries was refused with %s: if the receiver is bound to one account or inbox, "+
		"pass --account-id/--inbox-id (the deliveries came from %s)", n, st, sc.worldText())
}

func (sc *specContext) worldText() string {
	w := sc.run
	w.Seed = sc.seed
	s, err := w.World()
	if err != nil {
		return "the seed's world"
	}
	// keep "account N" and the inbox, drop the hints
	return strings.NewReplacer(" (drawn from the seed; set --account-id to match your receiver)", "",
		" (drawn from the seed; set --inbox-id to match)", "").Replace(s)
}

// signingMistake is one way receivers get Chatwoot's signature wrong, and
// the headers a receiver making it accepts.
type signingMistake struct {
	what string // what the receiver does
	sign func(secret string, ts int64, body []byte) (sig string, sendTS bool)
}

func hmacHex(key string, parts ...[]byte) string {
	m := hmac.New(sha256.New, []byte(key))
	for _, p := range parts {
		m.Write(p)
	}
	return hex.EncodeToString(m.Sum(nil))
}

// signingMistakes are the probes, most specific first. Chatwoot signs
// "sha256=" + hex(HMAC-SHA256(secret, "<X-Chatwoot-Timestamp>.<raw body>"))
// (lib/webhooks/trigger.rb, 4.12.0+).
var signingMistakes = []signingMistake{
	{"expects the HMAC as bare hex, without the \"sha256=\" prefix Chatwoot puts in X-Chatwoot-Signature", func(s string, ts int64, b []byte) (string, bool) {
		return hmacHex(s, []byte(strconv.FormatInt(ts, 10)), []byte{'.'}, b), true
	}},
	{"accepts an HMAC of the body alone: Chatwoot signs \"<X-Chatwoot-Timestamp>.<raw body>\", so compute HMAC-SHA256(secret, timestamp + \".\" + raw body)", func(s string, ts int64, b []byte) (string, bool) {
		return "sha256=" + hmacHex(s, b), true
	}},
	{"accepts a bare-hex HMAC of the body alone: Chatwoot signs \"<X-Chatwoot-Timestamp>.<raw body>\" and sends \"sha256=<hex>\"", func(s string, ts int64, b []byte) (string, bool) {
		return hmacHex(s, b), true
	}},
	{"signs without the timestamp (an HMAC of \".<raw body>\"): it does not read X-Chatwoot-Timestamp; Chatwoot signs \"<X-Chatwoot-Timestamp>.<raw body>\"", func(s string, ts int64, b []byte) (string, bool) {
		return "sha256=" + hmacHex(s, []byte{'.'}, b), true
	}},
	{"verifies with an empty secret: no secret is configured on the receiver; set it to the webhook's secret", func(s string, ts int64, b []byte) (string, bool) {
		return "sha256=" + hmacHex("", []byte(strconv.FormatInt(ts, 10)), []byte{'.'}, b), true
	}},
}

// probeSignature delivers a correct payload signed each mistaken way and
// names the first mistake the receiver accepts.
func (sc *specContext) probeSignature(ctx context.Context) string {
	evs := sc.cases
	if len(evs) == 0 {
		return ""
	}
	ec := evs[0]
	if sc.has("message_created") {
		ec = eventCase{event: "message_created"}
	}
	for _, m := range signingMistakes {
		s, err := sc.tryGenerate(ec.event, ec.kind, generator.ProfileRealistic, generator.VersionLatest)
		if err != nil {
			return ""
		}
		ts := time.Now().Unix()
		sig, sendTS := m.sign(sc.run.Secret, ts, s.body)
		opts := []mockplatform.DeliverOption{mockplatform.WithFault(mockplatform.MissingSignature), mockplatform.WithHeader(mockplatform.HeaderSignature, sig)}
		if sendTS {
			opts = append(opts, mockplatform.WithHeader(mockplatform.HeaderTimestamp, strconv.FormatInt(ts, 10)))
		}
		pctx, cancel := context.WithTimeout(ctx, sc.run.Timeout+time.Second)
		d, err := sc.platform.Deliver(pctx, sc.run.Target, s.body, opts...)
		cancel()
		if err != nil || d.Err != nil {
			return ""
		}
		if acked(d) {
			return "diagnosis: every correctly signed delivery was refused, but a probe signed the mistaken way was accepted: your receiver " + m.what +
				" (Chatwoot's lib/webhooks/trigger.rb, 4.12.0 and later; chathook sign shows the right headers for a body)"
		}
	}
	return ""
}

// probeToken delivers a correct payload with the token in each other place
// and names the one the receiver accepts.
func (sc *specContext) probeToken(ctx context.Context) string {
	for _, place := range []string{mockplatform.TokenInHeader, mockplatform.TokenInQuery, mockplatform.TokenInBody} {
		if place == sc.run.TokenPlacement {
			continue
		}
		mc, err := sc.run.platformConfig()
		if err != nil {
			return ""
		}
		mc.TokenPlacement = place
		p, err := mockplatform.New(mc)
		if err != nil {
			return ""
		}
		s, err := sc.tryGenerate("note", "", generator.ProfileRealistic, "")
		if err != nil {
			p.Close()
			return ""
		}
		pctx, cancel := context.WithTimeout(ctx, sc.run.Timeout+time.Second)
		d, err := p.Deliver(pctx, sc.run.Target, s.body)
		cancel()
		p.Close()
		if err == nil && acked(d) {
			probe := sc.run
			probe.TokenPlacement = place
			return fmt.Sprintf("diagnosis: every delivery with the token in the %s was refused, but one with the token in the %s was accepted: "+
				"your receiver reads the token there; pass --token-placement %s (Swiftsell does not document where the token travels)",
				sc.tokenWhere(), (&specContext{run: probe}).tokenWhere(), place)
		}
	}
	return ""
}

// refusedAccount explains refusals (401/403) of exactly the deliveries that
// name an account, when those naming none (older payload shapes) were
// accepted: a receiver bound to another account than the run's world.
func (sc *specContext) refusedAccount(outs []outcome) string {
	refused := 0
	account := ""
	for _, o := range outs {
		id := accountIn(o.body)
		switch {
		case o.auth() && id == "", o.ok && id != "":
			return ""
		case o.auth():
			refused++
			account = id
		}
	}
	return fmt.Sprintf("diagnosis: the %d deliveries naming account %s were refused with 401/403 and those naming no account were accepted: your receiver is bound to another account; "+
		"pass its id with --account-id (and --inbox-id for an inbox-bound receiver) so every delivery comes from its account", refused, account)
}

// accountIn returns the account id a Chatwoot payload names (its account,
// its conversation's or its contact's), "" for none.
func accountIn(body []byte) string {
	var p struct {
		Account      *struct{ ID json.Number } `json:"account"`
		Conversation *struct {
			Account *struct{ ID json.Number } `json:"account"`
		} `json:"conversation"`
		Contact *struct {
			Account *struct{ ID json.Number } `json:"account"`
		} `json:"contact"`
	}
	if json.Unmarshal(body, &p) != nil {
		return ""
	}
	switch {
	case p.Account != nil:
		return p.Account.ID.String()
	case p.Conversation != nil && p.Conversation.Account != nil:
		return p.Conversation.Account.ID.String()
	case p.Contact != nil && p.Contact.Account != nil:
		return p.Contact.Account.ID.String()
	}
	return ""
}

// refusedEscapes explains refusals (401/403) that happen exactly on bodies
// whose raw bytes carry the escapes Chatwoot writes (\u003c \u003e \u0026
// \u2028 \u2029: ActiveSupport's escape_html_entities_in_json): a receiver
// that verifies over a re-serialized body.
func (sc *specContext) refusedEscapes(outs []outcome) string {
	esc := func(b []byte) bool {
		for _, e := range []string{`\u003c`, `\u003e`, `\u0026`, `\u2028`, `\u2029`} {
			if bytes.Contains(b, []byte(e)) {
				return true
			}
		}
		return false
	}
	refused := 0
	for _, o := range outs {
		switch {
		case o.auth() && !esc(o.body), o.ok && esc(o.body):
			return ""
		case o.auth():
			refused++
		}
	}
	return fmt.Sprintf("diagnosis: %d signed deliveries were refused with 401/403, each one whose raw body carries \\u003c \\u003e \\u0026 escapes, and every other was accepted: "+
		"your receiver verifies the signature over a re-serialized body (e.g. JSON.stringify(req.body)); compute the HMAC over the raw request bytes, before parsing", refused)
}

// shapeDiagnosis looks for one payload feature (a field null, absent or of
// a type, or the event itself) shared by every failed delivery and by no
// acknowledged one.
func shapeDiagnosis(outs []outcome) string {
	type doc struct {
		event string
		shape string
		feats map[string]bool // "path=state"
		paths map[string]bool
	}
	docs := make([]doc, len(outs))
	pathsOfEvent := map[string]map[string]bool{} // by shape: message_created and message_updated share one
	for i, o := range outs {
		d := doc{event: o.event, shape: shapeOf(o.event), feats: map[string]bool{}, paths: map[string]bool{}}
		var v any
		dec := json.NewDecoder(bytes.NewReader(o.body))
		dec.UseNumber()
		if dec.Decode(&v) == nil {
			walk(v, "", d.feats, d.paths)
		}
		docs[i] = d
		if pathsOfEvent[d.shape] == nil {
			pathsOfEvent[d.shape] = map[string]bool{}
		}
		for p := range d.paths {
			pathsOfEvent[d.shape][p] = true
		}
	}
	// Absent: a path the event's other payloads have.
	for i := range docs {
		for p := range pathsOfEvent[docs[i].shape] {
			if !docs[i].paths[p] {
				docs[i].feats[p+"=absent"] = true
			}
		}
	}
	var failed, okDocs []doc
	failedEvents := map[string]bool{}
	var how []string
	answer := ""
	for i, o := range outs {
		if o.ok {
			okDocs = append(okDocs, docs[i])
			continue
		}
		if o.auth() {
			continue
		}
		failed = append(failed, docs[i])
		failedEvents[o.event] = true
		if answer == "" && o.answer != "" {
			answer = fmt.Sprintf(" (it answered %d: %s)", o.status, o.answer)
		}
		h := "no answer in time"
		if o.err == nil {
			h = strconv.Itoa(o.status)
		}
		if !contains(how, h) {
			how = append(how, h)
		}
	}
	if len(failed) < 2 {
		return ""
	}
	var cands []string
	for f := range failed[0].feats {
		all := true
		for _, d := range failed[1:] {
			if !d.feats[f] {
				all = false
				break
			}
		}
		if !all {
			continue
		}
		for _, d := range okDocs {
			if d.feats[f] {
				all = false
				break
			}
		}
		if !all {
			continue
		}
		// A feature every payload of the failed events has only marks the
		// event; it does not say what in it fails.
		marker := true
		for _, d := range okDocs {
			if failedEvents[d.event] && !d.feats[f] {
				marker = false
			}
		}
		if !marker {
			cands = append(cands, f)
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if da, db := strings.Count(a, "/"), strings.Count(b, "/"); da != db {
			return da < db
		}
		return a < b
	})
	// The event itself explains it when no acknowledged delivery had a
	// failed delivery's event.
	byEvent := true
	for _, d := range okDocs {
		if failedEvents[d.event] {
			byEvent = false
		}
	}
	var events []string
	for ev := range failedEvents {
		events = append(events, ev)
	}
	sort.Strings(events)
	head := fmt.Sprintf("diagnosis: %d deliveries failed (%s)", len(failed), strings.Join(how, ", "))
	switch {
	case len(cands) > 0:
		path, state, _ := strings.Cut(cands[0], "=")
		line := fmt.Sprintf("%s, each one where %s, which no acknowledged delivery had: your receiver fails when %s%s",
			head, featureText(path, state), featureText(path, state), answer)
		if byEvent && len(events) <= 3 {
			line += " (" + strings.Join(events, ", ") + ")"
		}
		return line
	case byEvent:
		return fmt.Sprintf("%s, every one a %s delivery, and every other event was acknowledged: your receiver fails on %s deliveries whatever their content%s", head,
			strings.Join(events, " or "), strings.Join(events, " and "), answer)
	}
	return ""
}

func featureText(path, state string) string {
	if strings.HasSuffix(path, "/x_future_field") {
		return "an unknown key is present (" + path + ", as a future Chatwoot version adds keys)"
	}
	switch state {
	case "absent":
		return path + " is absent"
	case "null":
		return path + " is null"
	case "present":
		return path + " is present"
	}
	return path + " is a" + map[bool]string{true: "n", false: ""}[state == "object" || state == "array"] + " " + state
}

// walk records, for every path of v (array items as []), its JSON type.
func walk(v any, path string, feats, paths map[string]bool) {
	p := path
	if p == "" {
		p = "/"
	}
	if path != "" {
		paths[p] = true
	}
	state := ""
	switch x := v.(type) {
	case nil:
		state = "null"
	case string:
		state = "string"
	case json.Number:
		state = "number"
	case bool:
		state = "bool"
	case map[string]any:
		state = "object"
		for k, c := range x {
			walk(c, path+"/"+k, feats, paths)
		}
	case []any:
		state = "array"
		for _, c := range x {
			walk(c, path+"/[]", feats, paths)
		}
	}
	if path != "" {
		feats[p+"="+state] = true
	}
}

// shapeOf groups events whose payloads share a shape (message_created and
// message_updated; the conversation events), for telling an absent key.
func shapeOf(event string) string {
	if i := strings.IndexAny(event, "_."); i > 0 {
		return event[:i]
	}
	return event
}
