package releases

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Release is one Chatwoot release and its facts. The zero Release is not a
// release; get one from Lookup, Latest, Oldest or All. Releases are small
// values, safe to copy and to use from many goroutines.
type Release struct{ e *entry }

// All returns every release in the table, oldest first.
func All() []Release {
	t := mustTable()
	out := make([]Release, len(t))
	for i, e := range t {
		out[i] = Release{e}
	}
	return out
}

// Latest returns the newest release in the table (4.16.2).
func Latest() Release { t := mustTable(); return Release{t[len(t)-1]} }

// Oldest returns the oldest release in the table (1.18.0).
func Oldest() Release { return Release{mustTable()[0]} }

// Lookup finds a release by number:
//
//   - "X.Y.Z" (or "vX.Y.Z") is that exact release;
//   - "X.Y" is the last patch release of that minor line (4.12 is 4.12.1,
//     4.0 is 4.0.4), the one an install of that line runs once it updates;
//   - "X" is the last release of that major line (2 is 2.18.0);
//   - "" and "latest" are Latest().
//
// A number the table does not hold is an error wrapping ErrUnknown that
// names the range the table covers.
func Lookup(s string) (Release, error) {
	t := strings.TrimSpace(s)
	if t == "" || strings.EqualFold(t, "latest") {
		return Latest(), nil
	}
	n, parts, err := parseNumber(t)
	if err != nil {
		return Release{}, err
	}
	var found *entry
	for _, e := range mustTable() {
		match := true
		for i := 0; i < parts; i++ {
			if e.num[i] != n[i] {
				match = false
			}
		}
		if match {
			found = e // the table is ascending: the last match is the newest
		}
	}
	if found == nil {
		return Release{}, fmt.Errorf("releases: %w %q (chathook knows %s to %s)", ErrUnknown, s, Oldest().Version(), Latest().Version())
	}
	return Release{found}, nil
}

// MustLookup is Lookup for release numbers written in code; it panics when
// the number is not in the table.
func MustLookup(s string) Release {
	r, err := Lookup(s)
	if err != nil {
		panic(err)
	}
	return r
}

// First returns the oldest release for which ok is true.
func First(ok func(Release) bool) (Release, bool) {
	for _, r := range All() {
		if ok(r) {
			return r, true
		}
	}
	return Release{}, false
}

// Version is the release number, "X.Y.Z".
func (r Release) Version() string { return r.e.num.String() }

// String is the release number.
func (r Release) String() string { return r.Version() }

// Commit is the commit of chatwoot/chatwoot the facts were read at.
func (r Release) Commit() string { return r.e.commit }

// Date is the release date, "YYYY-MM-DD".
func (r Release) Date() string { return r.e.date }

// Compare returns -1, 0 or +1 as r is older than, the same as or newer than o.
func (r Release) Compare(o Release) int { return r.e.num.compare(o.e.num) }

// AtLeast reports whether r is o or newer.
func (r Release) AtLeast(o Release) bool { return r.Compare(o) >= 0 }

// Events returns the events a receiver of kind k gets from r, sorted. For an
// account webhook that is every event it can subscribe to that r delivers
// (before 2.5.0, every event: there was no subscription filter). Inbox
// events also need the server's ENABLE_INBOX_EVENTS. For a macro in 2.8.0 to
// 2.10.x the single name holds the placeholder {macro_name}.
func (r Release) Events(k Kind) []string {
	var list []string
	if k == Account && r.e.facts.Subscriptions != nil {
		for _, ev := range r.e.facts.Subscriptions {
			if !contains(r.e.facts.Undeliverable, ev) {
				list = append(list, ev)
			}
		}
	} else {
		list = append(list, r.e.facts.Events[k]...)
	}
	sort.Strings(list)
	return list
}

// Sends reports whether a receiver of kind k gets event from r.
func (r Release) Sends(k Kind, event string) bool { return contains(r.Events(k), event) }

// Subscriptions returns the events an account webhook can subscribe to
// (Webhook::ALLOWED_WEBHOOK_EVENTS), sorted, or nil before 2.5.0, when
// account webhooks got every event and had no subscriptions.
func (r Release) Subscriptions() []string {
	if r.e.facts.Subscriptions == nil {
		return nil
	}
	list := append([]string(nil), r.e.facts.Subscriptions...)
	sort.Strings(list)
	return list
}

// Undeliverable returns the events r lets a webhook subscribe to but can
// never deliver (inbox_created and inbox_updated from 3.2.0 to 4.14.0).
func (r Release) Undeliverable() []string {
	list := append([]string(nil), r.e.facts.Undeliverable...)
	sort.Strings(list)
	return list
}

// Signs reports whether r signs deliveries to kind k when the receiver has
// a secret: X-Chatwoot-Timestamp and X-Chatwoot-Signature.
func (r Release) Signs(k Kind) bool { return r.e.facts.Signs[k] }

// SendsDeliveryID reports whether r sends X-Chatwoot-Delivery to kind k.
func (r Release) SendsDeliveryID(k Kind) bool { return r.e.facts.DeliveryID[k] }

// Retry is how a delivery that fails is tried again.
type Retry struct {
	// Attempts is the number of tries in all; 1 means no retry.
	Attempts int
	// Wait is the pause before each further attempt.
	Wait time.Duration
	// Statuses are the answers that cause another attempt; a transport
	// error or any other status is final.
	Statuses []int
}

// Retries returns how r retries deliveries to kind k.
func (r Release) Retries(k Kind) Retry {
	rj := r.e.facts.Retry[k]
	if rj == nil {
		return Retry{Attempts: 1}
	}
	return Retry{Attempts: rj.Attempts, Wait: time.Duration(rj.WaitSeconds) * time.Second, Statuses: append([]int(nil), rj.Statuses...)}
}

// Transport is the HTTP client r posts with: "rest-client/2.1.0" (RestClient
// over Net::HTTP) up to 4.13.0, "net-http" (SafeFetch over ssrf_filter and
// plain Net::HTTP) from 4.14.0.
func (r Release) Transport() string { return r.e.facts.Transport }

// Ruby is the Ruby version and patchlevel r runs on, such as "3.4.4p34".
func (r Release) Ruby() string { return r.e.facts.Ruby }

// UserAgent is the User-Agent header r sends. Up to 4.13 it is RestClient's
// "rest-client/2.1.0 (<host_os> <host_cpu>) ruby/<version>p<patchlevel>" as
// the official Docker image (Alpine, x86_64) reports it; an install built on
// glibc says linux-gnu and an ARM host aarch64, so a receiver must not rely
// on it. From 4.14 it is Net::HTTP's "Ruby".
func (r Release) UserAgent() string {
	if strings.HasPrefix(r.e.facts.Transport, "rest-client/") {
		return fmt.Sprintf("%s (%s) ruby/%s", r.e.facts.Transport, r.e.facts.Host, r.e.facts.Ruby)
	}
	return "Ruby"
}

// Redirects is what r does when a receiver answers a POST with a 3xx.
type Redirects struct {
	// FollowsPOST: 301, 302, 307 and 308 are followed by re-sending the same
	// POST (body and headers). When false they are the final answer (and
	// a failed delivery).
	FollowsPOST bool
	// SeeOtherAsGET: a 303 is followed with a GET without a body (the
	// headers kept), and the GET's answer is the delivery's. When false
	// a 303 is treated as FollowsPOST says.
	SeeOtherAsGET bool
	// Max is how many redirects one attempt follows.
	Max int
}

// Redirects returns r's redirect behaviour.
func (r Release) Redirects() Redirects {
	f := r.e.facts.Redirects
	return Redirects{FollowsPOST: f.Post == "follow", SeeOtherAsGET: f.SeeOther == "get_without_body", Max: f.Max}
}

// FollowsRedirects reports whether r follows a redirected POST as a POST.
func (r Release) FollowsRedirects() bool { return r.Redirects().FollowsPOST }

// Timeouts are the limits of one attempt.
type Timeouts struct {
	Open, Read time.Duration
	// Configurable: the installation can change both (WEBHOOK_TIMEOUT,
	// from 4.8.0); Open and Read are then the defaults.
	Configurable bool
}

// Timeouts returns r's connect and read timeouts.
func (r Release) Timeouts() Timeouts {
	t := r.e.facts.Timeout
	return Timeouts{Open: time.Duration(t.OpenSeconds) * time.Second, Read: time.Duration(t.ReadSeconds) * time.Second, Configurable: t.Configurable}
}

// PrivateTargets says whether r posts to private, loopback and link-local
// addresses.
type PrivateTargets string

// The private-target policies.
const (
	PrivateAllowed       PrivateTargets = "allowed"                // up to 4.13
	PrivateRefused       PrivateTargets = "refused"                // 4.14.0
	PrivateRefusedUnless PrivateTargets = "refused_unless_allowed" // from 4.14.1: SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true allows them
)

// PrivateTargets returns r's policy for private targets.
func (r Release) PrivateTargets() PrivateTargets { return r.e.facts.PrivateTargets }

// Provenance returns the release that last set fact (a name of
// chatwoot.json such as "signs.account") as of r, and the source that says so.
func (r Release) Provenance(fact string) (since, source string, ok bool) {
	p, ok := r.e.prov[fact]
	return p.since, p.source, ok
}
