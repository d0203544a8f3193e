package receivertest

import "sync"

// seenCapacity bounds the delivery ids a receiver remembers.
const seenCapacity = 4096

// seenSet remembers the last seenCapacity keys (delivery ids or body hashes)
// in a fixed ring, forgetting the oldest first. It is safe for concurrent use.
type seenSet struct {
	mu   sync.Mutex // guards keys, ring and next
	keys map[string]struct{}
	ring []string // insertion order; ring[next] is overwritten next
	next int
}

func newSeenSet(capacity int) *seenSet {
	return &seenSet{keys: make(map[string]struct{}, capacity), ring: make([]string, 0, capacity)}
}

func (s *seenSet) has(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.keys[key]
	return ok
}

func (s *seenSet) add(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.keys[key]; ok {
		return
	}
	s.keys[key] = struct{}{}
	if len(s.ring) < cap(s.ring) {
		s.ring = append(s.ring, key)
		return
	}
	delete(s.keys, s.ring[s.next])
	s.ring[s.next] = key
	s.next = (s.next + 1) % len(s.ring)
}
