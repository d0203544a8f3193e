package load

import (
	"math/rand/v2"
	"sort"
	"testing"
	"time"
)

func TestBucketLayout(t *testing.T) {
	prevHi := int64(-1)
	for i := 0; i < numBuckets; i++ {
		lo, hi := bucketRange(i)
		if int64(lo) != prevHi+1 || hi < lo {
			t.Fatalf("bucket %d = [%d,%d] after %d: not contiguous", i, lo, hi, prevHi)
		}
		if bucketOf(lo) != i || bucketOf(hi) != i {
			t.Fatalf("bucket %d = [%d,%d] but bucketOf gives %d, %d", i, lo, hi, bucketOf(lo), bucketOf(hi))
		}
		if lo >= 2*subCount && float64(hi-lo+1)/float64(lo) > 1.0/subCount {
			t.Fatalf("bucket %d [%d,%d] wider than 1/%d of its value", i, lo, hi, subCount)
		}
		prevHi = int64(hi)
	}
	if prevHi != maxTrackable {
		t.Fatalf("last bucket ends at %d, want %d", prevHi, maxTrackable)
	}
	if bucketOf(1<<62) != numBuckets-1 {
		t.Fatal("huge values must clamp to the last bucket")
	}
}

func TestHistogramQuantiles(t *testing.T) {
	var h Histogram
	r := rand.New(rand.NewPCG(1, 2))
	vals := make([]time.Duration, 100000)
	for i := range vals {
		vals[i] = time.Duration(r.ExpFloat64() * float64(time.Millisecond))
		h.Record(vals[i])
	}
	sort.Slice(vals, func(i, j int) bool { return vals[i] < vals[j] })
	for _, q := range []float64{0.5, 0.9, 0.99, 0.999} {
		want := vals[int(q*float64(len(vals)))-1]
		got := h.Quantile(q)
		if diff := float64(got-want) / float64(want); diff < -0.01 || diff > 0.01 {
			t.Errorf("q%.3f = %s, want %s ±1%%", q, got, want)
		}
	}
	if h.Max() != vals[len(vals)-1] || h.Min() != vals[0] || h.Quantile(1) != h.Max() {
		t.Errorf("min/max %s/%s, want %s/%s", h.Min(), h.Max(), vals[0], vals[len(vals)-1])
	}
	var total int64
	for _, b := range h.Bins(20) {
		total += b.Count
	}
	if total != h.Count() || h.Count() != int64(len(vals)) {
		t.Errorf("bins hold %d values, count %d, want %d", total, h.Count(), len(vals))
	}
}

func TestHistogramMergeAndEmpty(t *testing.T) {
	var a, b, m Histogram
	if a.Quantile(0.99) != 0 || a.Max() != 0 || a.Min() != 0 || a.Mean() != 0 || a.Bins(5) != nil {
		t.Fatal("empty histogram must report zeros")
	}
	a.Record(time.Millisecond)
	b.Record(3 * time.Millisecond)
	b.Record(-time.Second) // counts as 0
	m.Merge(&a)
	m.Merge(&b)
	if m.Count() != 3 || m.Min() != 0 || m.Max() != 3*time.Millisecond {
		t.Fatalf("merged: count %d min %s max %s", m.Count(), m.Min(), m.Max())
	}
	if bins := m.Bins(4); len(bins) != 4 || bins[0].From != 0 || bins[3].To != 3*time.Millisecond {
		t.Fatalf("bins %v", bins)
	}
}

func BenchmarkHistogramRecord(b *testing.B) {
	var h Histogram
	for i := 0; b.Loop(); i++ {
		h.Record(time.Duration(i&0xfffff) * time.Microsecond)
	}
}
