package mockplatform

import (
	"fmt"
	"sync"
)

// checker validates captured bodies off the request path: at most workers
// at once, with at most backlog bytes of bodies waiting. A body that does
// not fit is handed back at once as unchecked, so a flood of large bodies
// costs bounded memory and never delays an answer.
type checker struct {
	workers int
	backlog int64
	done    func(cp Capture, skipped string)

	mu      sync.Mutex
	queue   []Capture
	pending int64 // bytes in queue
	running int
	closed  bool
	idle    sync.Cond
}

func newChecker(workers int, backlog int64, done func(Capture, string)) *checker {
	k := &checker{workers: workers, backlog: backlog, done: done}
	k.idle.L = &k.mu
	return k
}

// submit queues cp for validation, or reports it unchecked when the
// backlog is full or the checker closed.
func (k *checker) submit(cp Capture) {
	n := int64(len(cp.Body))
	k.mu.Lock()
	if k.closed || k.pending+n > k.backlog {
		why := fmt.Sprintf("not validated: %d bytes already waiting for validation (limit %d)", k.pending, k.backlog)
		if k.closed {
			why = "not validated: the listener was stopping"
		}
		k.mu.Unlock()
		k.done(cp, why)
		return
	}
	k.queue = append(k.queue, cp)
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
		cp := k.queue[0]
		k.queue[0] = Capture{}
		k.queue = k.queue[1:]
		k.mu.Unlock()
		k.done(cp, "")
		k.mu.Lock()
		k.pending -= int64(len(cp.Body))
	}
	k.running--
	if k.running == 0 {
		k.idle.Broadcast()
	}
	k.mu.Unlock()
}

// close waits for every queued capture to be validated and reported; later
// submissions are reported unchecked.
func (k *checker) close() {
	k.mu.Lock()
	k.closed = true
	for k.running > 0 {
		k.idle.Wait()
	}
	k.mu.Unlock()
}
