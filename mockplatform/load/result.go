package load

import (
	"time"
)

// Result is the outcome of a run. Sent == OK + Non2xx + Errors always.
type Result struct {
	Sent   int64 // requests that went out
	OK     int64 // answered 2xx
	Non2xx int64 // answered with another status (3xx included: redirects are not followed)
	Errors int64 // no usable answer; see ByCause

	// ByStatus counts answered requests by status code (2xx included).
	ByStatus map[int]int64
	// ByCause counts errors by cause (mockplatform.Cause names: refused,
	// timeout, reset, tls, dns, body_too_large, canceled, other). Only
	// causes that occurred are present.
	ByCause map[string]int64

	// Scheduled counts the open-loop arrivals the scheduler produced:
	// Sent + Dropped + Unsent. In a closed loop it equals Sent.
	Scheduled int64
	// Dropped counts open-loop arrivals not sent because the backlog was
	// full (client overloaded). Always 0 in a closed loop.
	Dropped int64
	// Unsent counts open-loop arrivals still queued when the run was
	// interrupted.
	Unsent int64

	// Interrupted is set when ctx ended before the run did.
	Interrupted bool

	// Duration is the time from the start to the last answer.
	Duration time.Duration

	// Latency holds the latency of every answered request (any status),
	// from its start (closed loop) or its intended send time (open loop).
	Latency *Histogram

	// FirstErrors holds the first few errors, in the order they happened.
	FirstErrors []ErrorSample

	// Concurrency and Rate are the run's settings (defaults applied).
	Concurrency int
	Rate        float64
}

// ErrorSample is one failed request.
type ErrorSample struct {
	Cause string
	Err   string
}

// maxErrorSamples bounds Result.FirstErrors.
const maxErrorSamples = 5

// Throughput returns the requests sent per second of Duration.
func (r *Result) Throughput() float64 {
	if r.Duration <= 0 {
		return 0
	}
	return float64(r.Sent) / r.Duration.Seconds()
}

// ErrorRate returns (Non2xx + Errors) / Sent, 0 when nothing was sent.
func (r *Result) ErrorRate() float64 {
	if r.Sent == 0 {
		return 0
	}
	return float64(r.Non2xx+r.Errors) / float64(r.Sent)
}

// Snapshot is a run's progress, passed to Config.Progress.
type Snapshot struct {
	Elapsed  time.Duration
	Sent     int64 // so far, in flight included
	OK       int64
	Non2xx   int64
	Errors   int64
	Dropped  int64
	InFlight int64
	// Rate and P99 cover the interval since the previous snapshot.
	Rate float64       // answered (or failed) requests per second
	P99  time.Duration // of the requests answered in the interval
}
