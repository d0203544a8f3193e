package mockplatform

import (
	"fmt"
	"sync"
)

// checker validates captured bodies off the request path, on at most
// workers goroutines, with at most backlog bytes of bodies waiting (a body
// that does not fit is passed on unchecked, so a flood of large bodies costs
// bounded memory and never delays an answer), and reports every capture in
// the order it was submitted (the order of arrival), validated or not.
type checker struct {
	workers  int
	backlog  int64
	validate func(cp Capture, skipped string) Capture
	report   func(Capture)

	mu       sync.Mutex
	queue    []ticketed
	pending  int64 // bytes in queue
	running  int
	closed   bool
	next     int64             // next ticket to hand out
	head     int64             // next ticket to report
	ready    map[int64]Capture // finished, waiting for their turn
	emitting bool              // a goroutine is reporting
	idle     sync.Cond
}

type ticketed struct {
	n  int64
	cp Capture
}

func newChecker(workers int, backlog int64, validate func(Capture, string) Capture, report func(Capture)) *checker {
	k := &checker{workers: workers, backlog: backlog, validate: validate, report: report, ready: map[int64]Capture{}}
	k.idle.L = &k.mu
	return k
}

// submit queues cp for validation when check is set, or for reporting in
// its turn otherwise.
func (k *checker) submit(cp Capture, check bool) {
	n := int64(len(cp.Body))
	k.mu.Lock()
	t := k.next
	k.next++
	if check && (k.closed || k.pending+n > k.backlog) {
		why := fmt.Sprintf("not validated: %d bytes already waiting for validation (limit %d)", k.pending, k.backlog)
		if k.closed {
			why = "not validated: the listener was stopping"
		}
		cp.Unchecked = why
		check = false
	}
	if !check {
		k.ready[t] = cp
		k.mu.Unlock()
		k.flush()
		return
	}
	k.queue = append(k.queue, ticketed{t, cp})
	k.pending += n
	if k.running < k.workers {
		k.running++
		go k.work()
	}
	k.mu.Unlock()
}

// work validates queued captures until the queue is empty.
func (k *checker) work() {
	k.mu.Lock()
	for len(k.queue) > 0 {
		j := k.queue[0]
		k.queue[0] = ticketed{}
		k.queue = k.queue[1:]
		k.mu.Unlock()
		cp := k.validate(j.cp, "")
		k.mu.Lock()
		k.pending -= int64(len(j.cp.Body))
		k.ready[j.n] = cp
		k.mu.Unlock()
		k.flush()
		k.mu.Lock()
	}
	k.running--
	k.idle.Broadcast()
	k.mu.Unlock()
}

// flush reports the ready captures whose turn it is; one goroutine at a
// time does, so reports never overtake each other.
func (k *checker) flush() {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.emitting {
		return
	}
	k.emitting = true
	for {
		cp, ok := k.ready[k.head]
		if !ok {
			break
		}
		delete(k.ready, k.head)
		k.head++
		k.mu.Unlock()
		k.report(cp)
		k.mu.Lock()
	}
	k.emitting = false
	k.idle.Broadcast()
}

// close waits until every submitted capture is validated and reported;
// later submissions are reported unchecked.
func (k *checker) close() {
	k.mu.Lock()
	k.closed = true
	for k.running > 0 || k.emitting || k.head < k.next {
		k.idle.Wait()
	}
	k.mu.Unlock()
}
