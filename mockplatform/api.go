package mockplatform

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Defaults of APIConfig, as documented on its fields.
const (
	DefaultMessagesPerMinute = 200  // Chatwoot's CONVERSATION_MESSAGE_PER_MINUTE_LIMIT
	DefaultMaxEvents         = 1000 // events one server emits before it reports a loop
	DefaultAPIRecordBody     = 16 << 10
	DefaultAPIMaxBody        = 1 << 20
)

// APIConfig configures an [APIServer]. A zero value means the documented
// default; World is the state the server starts from.
type APIConfig struct {
	// World is the account, inboxes, contacts, agents, bots and
	// conversations the API serves. The server keeps its own copy.
	World APIWorld

	// Addr is the address to listen on. Default "127.0.0.1:0".
	Addr string

	// Events delivers what the platform does in reaction to API calls and
	// to Inject calls (message_created for a created message, the status
	// events of toggle_status, ...). It is called from one goroutine, one
	// event at a time, in order, never inside an API request, as Chatwoot
	// delivers from its job queue. Nil: events are recorded, not delivered.
	Events EventSink

	// MessagesPerMinute is how many messages one conversation may get in a
	// minute; one more is refused 422 "Validation failed: Too many
	// messages", as Chatwoot's prevent_message_flooding does. Default 200.
	MessagesPerMinute int

	// MaxEvents bounds the events the server emits in its life; once it is
	// reached, further events are dropped and recorded as a loop (see
	// APIServer.Looped), so a bot talking to itself stops. Default 1000.
	MaxEvents int

	// KeepPendingOnBotFailure is the account setting
	// keep_pending_on_bot_failure: when false (Chatwoot's default), an agent
	// bot that fails a message delivery moves the pending conversation to
	// open with an activity message, handing it to humans.
	KeepPendingOnBotFailure bool

	// RecordBody is how many request and response body bytes each APICall
	// keeps. Default 16 KiB; negative: none.
	RecordBody int

	// MaxBody is the largest request body accepted (larger: 413). Default
	// 1 MiB.
	MaxBody int64

	// Now is the clock. Default time.Now.
	Now func() time.Time
}

func (c APIConfig) withDefaults() APIConfig {
	if c.Addr == "" {
		c.Addr = "127.0.0.1:0"
	}
	if c.MessagesPerMinute == 0 {
		c.MessagesPerMinute = DefaultMessagesPerMinute
	}
	if c.MaxEvents == 0 {
		c.MaxEvents = DefaultMaxEvents
	}
	if c.RecordBody == 0 {
		c.RecordBody = DefaultAPIRecordBody
	}
	if c.MaxBody == 0 {
		c.MaxBody = DefaultAPIMaxBody
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

func (c APIConfig) validate() error {
	w := c.World
	if w.Account.ID <= 0 {
		return fmt.Errorf("%w: api world: account id %d is not positive", ErrInvalidConfig, w.Account.ID)
	}
	tokens := map[string]bool{}
	for _, a := range w.Agents {
		if a.Token != "" {
			if tokens[a.Token] {
				return fmt.Errorf("%w: api world: two principals share one access token", ErrInvalidConfig)
			}
			tokens[a.Token] = true
		}
	}
	for _, b := range w.Bots {
		if b.Token != "" {
			if tokens[b.Token] {
				return fmt.Errorf("%w: api world: two principals share one access token", ErrInvalidConfig)
			}
			tokens[b.Token] = true
		}
	}
	seen := map[int]bool{}
	for _, cv := range w.Conversations {
		if cv.DisplayID <= 0 || seen[cv.DisplayID] {
			return fmt.Errorf("%w: api world: conversation display id %d is not positive or not unique", ErrInvalidConfig, cv.DisplayID)
		}
		seen[cv.DisplayID] = true
	}
	if c.MessagesPerMinute < 0 || c.MaxEvents < 0 || c.MaxBody < 0 {
		return fmt.Errorf("%w: api: negative limit", ErrInvalidConfig)
	}
	return nil
}

// APIServer is a mock of Chatwoot's Application API (the endpoints bots and
// integrations use), shaped like httptest.Server: NewAPIServer starts it on
// a loopback port, URL is its base URL, Close stops it. Every call is
// recorded (Calls), every reaction is delivered through APIConfig.Events and
// recorded (Transcript). It is safe for concurrent use.
type APIServer struct {
	// URL is the base URL, http://ipaddr:port with no trailing slash: what a
	// bot is configured with as its Chatwoot URL.
	URL string

	cfg  APIConfig
	ln   net.Listener
	srv  *http.Server
	done chan struct{} // closed when the event loop ends

	mu        sync.Mutex // guards everything below
	w         APIWorld
	nextID    map[string]int
	calls     []APICall
	log       []TranscriptEntry
	queue     []APIEvent
	emitted   int
	looped    bool
	inflight  int // API requests and event deliveries under way
	lastBusy  time.Time
	faults    []apiFault
	gen       int // counts Resets
	closed    bool
	wake      chan struct{}
	ctx       context.Context
	cancel    context.CancelFunc
	closeOnce sync.Once
}

// NewAPIServer validates cfg, binds cfg.Addr and starts serving. Errors wrap
// ErrInvalidConfig, or are the listen error.
func NewAPIServer(cfg APIConfig) (*APIServer, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("mockplatform: api: %w", err)
	}
	s := newAPIServer(cfg)
	s.ln = ln
	s.URL = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

func newAPIServer(cfg APIConfig) *APIServer {
	s := &APIServer{cfg: cfg, w: cfg.World.clone(), nextID: map[string]int{},
		done: make(chan struct{}), wake: make(chan struct{}, 1)}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.seedIDs()
	s.lastBusy = cfg.Now()
	go s.eventLoop()
	return s
}

// Close stops the server: it stops accepting calls, waits for calls under
// way, abandons queued events and waits for the delivery under way to end.
func (s *APIServer) Close() {
	s.closeOnce.Do(func() {
		if s.srv != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_ = s.srv.Shutdown(ctx)
			cancel()
		}
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		s.cancel()
		s.poke()
		<-s.done
	})
}

// Calls returns a copy of every API call recorded so far, in arrival order.
func (s *APIServer) Calls() []APICall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]APICall(nil), s.calls...)
}

// Transcript returns every API call, event and delivery so far, in order.
func (s *APIServer) Transcript() []TranscriptEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]TranscriptEntry(nil), s.log...)
}

// Looped reports whether MaxEvents was reached and events were dropped.
func (s *APIServer) Looped() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.looped
}

// World returns a copy of the current state.
func (s *APIServer) World() APIWorld {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.clone()
}

// Conversation returns the current state of the conversation with display
// id id.
func (s *APIServer) Conversation(id int) (APIConversation, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.conv(id)
	if c == nil {
		return APIConversation{}, false
	}
	return c.clone(), true
}

// Messages returns the messages of conversation id (display id), oldest
// first.
func (s *APIServer) Messages(id int) []APIMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []APIMessage
	for _, m := range s.w.Messages {
		if m.ConversationID == id {
			out = append(out, m.clone())
		}
	}
	return out
}

// Reset replaces the state with w (the configured World when w is nil) and
// forgets calls, transcript, queued events, faults and the loop count, so
// one server can serve independent runs; new ids continue after the ones
// already given. The event under delivery, if any,
// finishes first.
func (s *APIServer) Reset(w *APIWorld) error {
	next := s.cfg.World
	if w != nil {
		next = *w
	}
	c := s.cfg
	c.World = next
	if err := c.validate(); err != nil {
		return err
	}
	for {
		s.mu.Lock()
		if s.inflight == 0 || s.closed {
			break
		}
		s.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
	defer s.mu.Unlock()
	s.w = next.clone()
	// Ids keep counting: Chatwoot never reuses a message id, and bots
	// deduplicate by it.
	s.seedIDs()
	s.calls, s.log, s.queue, s.faults = nil, nil, nil, nil
	s.emitted, s.looped = 0, false
	s.gen++
	s.lastBusy = s.cfg.Now()
	return nil
}

// ErrAPIClosed is returned by calls on a closed APIServer.
var ErrAPIClosed = errors.New("mockplatform: api server closed")

// WaitIdle blocks until nothing has happened for quiet: no API call and no
// event delivery under way, no event queued, and none of these in the last
// quiet. It returns ctx's error if ctx ends first. Use it to let a bot
// finish its turn before reading Calls.
func (s *APIServer) WaitIdle(ctx context.Context, quiet time.Duration) error {
	tick := time.NewTicker(quiet / 10)
	if quiet < 10*time.Millisecond {
		tick.Reset(time.Millisecond)
	}
	defer tick.Stop()
	for {
		s.mu.Lock()
		idle := s.inflight == 0 && len(s.queue) == 0 && s.cfg.Now().Sub(s.lastBusy) >= quiet
		closed := s.closed
		s.mu.Unlock()
		if idle {
			return nil
		}
		if closed {
			return ErrAPIClosed
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// busy marks the start (+1) or end (-1) of an API call or delivery.
func (s *APIServer) busy(d int) {
	s.mu.Lock()
	s.inflight += d
	s.lastBusy = s.cfg.Now()
	s.mu.Unlock()
}
