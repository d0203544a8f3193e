package load

import (
	"math"
	"math/bits"
	"sync/atomic"
	"time"
)

// Histogram bucket layout: HDR-style log-linear buckets over nanoseconds.
// Values below 2^(subBits+1) ns have a bucket each; above, every power of two
// is split into 2^subBits buckets, so a bucket's width is at most 1/128 of
// its value (relative error < 0.8%). Values above maxTrackable go into the
// last bucket (Max stays exact).
const (
	subBits      = 7
	subCount     = 1 << subBits
	maxBits      = 42 // 2^42 ns ≈ 73 minutes
	numBuckets   = (maxBits-subBits)*subCount + subCount
	maxTrackable = 1<<maxBits - 1
)

// Histogram is a fixed-memory latency histogram (about 36 KiB, whatever the
// number of values). Record is safe for concurrent use and lock-free, but it
// is meant to be written by one goroutine (a worker) and read by others.
// The zero value is empty and ready to use.
type Histogram struct {
	counts [numBuckets]atomic.Uint64
	n      atomic.Uint64
	sum    atomic.Uint64 // nanoseconds
	min    atomic.Uint64 // nanoseconds + 1; 0: none
	max    atomic.Uint64 // nanoseconds
}

// bucketOf returns the bucket of v nanoseconds.
func bucketOf(v uint64) int {
	if v > maxTrackable {
		v = maxTrackable
	}
	if v < 2*subCount {
		return int(v)
	}
	e := bits.Len64(v) - subBits - 1
	return e*subCount + int(v>>e)
}

// bucketRange returns the lowest and highest value of bucket i.
func bucketRange(i int) (lo, hi uint64) {
	if i < 2*subCount {
		return uint64(i), uint64(i)
	}
	e := i/subCount - 1
	m := uint64(i - e*subCount)
	return m << e, (m+1)<<e - 1
}

// Record adds one latency. Negative durations count as 0.
func (h *Histogram) Record(d time.Duration) {
	v := uint64(max(d, 0))
	h.counts[bucketOf(v)].Add(1)
	h.n.Add(1)
	h.sum.Add(v)
	if m := h.max.Load(); v > m {
		for !h.max.CompareAndSwap(m, v) {
			if m = h.max.Load(); v <= m {
				break
			}
		}
	}
	if m := h.min.Load(); m == 0 || v+1 < m {
		for !h.min.CompareAndSwap(m, v+1) {
			if m = h.min.Load(); m != 0 && v+1 >= m {
				break
			}
		}
	}
}

// Merge adds o's values to h.
func (h *Histogram) Merge(o *Histogram) {
	if o.n.Load() == 0 {
		return
	}
	for i := range o.counts {
		if c := o.counts[i].Load(); c != 0 {
			h.counts[i].Add(c)
		}
	}
	h.n.Add(o.n.Load())
	h.sum.Add(o.sum.Load())
	if m := o.max.Load(); m > h.max.Load() {
		h.max.Store(m)
	}
	if m := o.min.Load(); m != 0 && (h.min.Load() == 0 || m < h.min.Load()) {
		h.min.Store(m)
	}
}

// Count returns the number of values recorded.
func (h *Histogram) Count() int64 { return int64(h.n.Load()) }

// Max returns the largest value recorded (0 when empty).
func (h *Histogram) Max() time.Duration { return time.Duration(h.max.Load()) }

// Min returns the smallest value recorded (0 when empty).
func (h *Histogram) Min() time.Duration {
	if m := h.min.Load(); m != 0 {
		return time.Duration(m - 1)
	}
	return 0
}

// Mean returns the average value (0 when empty).
func (h *Histogram) Mean() time.Duration {
	n := h.n.Load()
	if n == 0 {
		return 0
	}
	return time.Duration(h.sum.Load() / n)
}

// Quantile returns the value below or at which a fraction q of the values
// lie (q in [0,1]; 0.99 is p99), as the highest value of its bucket, capped
// at Max. 0 when empty.
func (h *Histogram) Quantile(q float64) time.Duration {
	n := h.n.Load()
	if n == 0 {
		return 0
	}
	if q >= 1 || math.IsNaN(q) {
		return h.Max()
	}
	rank := uint64(math.Ceil(q * float64(n)))
	rank = max(rank, 1)
	var seen uint64
	for i := range h.counts {
		seen += h.counts[i].Load()
		if seen >= rank {
			_, hi := bucketRange(i)
			return min(time.Duration(hi), h.Max())
		}
	}
	return h.Max()
}

// Bin is one range of a Histogram's distribution: Count values in [From, To].
type Bin struct {
	From, To time.Duration
	Count    int64
}

// Bins splits the range from Min to Max into up to n bins of equal width on
// a log scale, for printing; each value is in exactly one bin (by its
// bucket). Empty histogram: nil.
func (h *Histogram) Bins(n int) []Bin {
	if h.n.Load() == 0 || n < 1 {
		return nil
	}
	lo, hi := float64(max(h.Min(), 1)), float64(max(h.Max(), 1))
	if hi <= lo {
		return []Bin{{h.Min(), h.Max(), h.Count()}}
	}
	ratio := math.Pow(hi/lo, 1/float64(n))
	bins := make([]Bin, n)
	edge := lo
	for i := range bins {
		bins[i].From = time.Duration(edge)
		edge *= ratio
		bins[i].To = time.Duration(edge)
	}
	bins[0].From, bins[n-1].To = h.Min(), h.Max()
	for i := range h.counts {
		c := h.counts[i].Load()
		if c == 0 {
			continue
		}
		b0, b1 := bucketRange(i)
		mid := float64(max((b0+b1)/2, 1))
		k := 0
		if mid > lo {
			k = min(int(math.Log(mid/lo)/math.Log(ratio)), n-1)
		}
		bins[k].Count += int64(c)
	}
	return bins
}

// delta returns a histogram of the values in h but not in prev (prev must be
// an earlier state of h); used for per-interval progress.
func (h *Histogram) delta(prev *Histogram) *Histogram {
	d := &Histogram{}
	var n uint64
	for i := range h.counts {
		c := h.counts[i].Load() - prev.counts[i].Load()
		d.counts[i].Store(c)
		n += c
	}
	d.n.Store(n)
	d.max.Store(h.max.Load())
	d.min.Store(h.min.Load())
	return d
}
