package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/chathook/chathook/mockplatform"
	"github.com/chathook/chathook/mockplatform/receivertest"
)

// serverTimeouts are the HTTP server timeouts of listen and receiver (tests
// shorten them).
var serverTimeouts = func() struct{ ReadHeader, Read, Write, Idle time.Duration } {
	d := mockplatform.NewCaptureConfig()
	return struct{ ReadHeader, Read, Write, Idle time.Duration }{d.ReadHeaderTimeout, d.ReadTimeout, d.WriteTimeout, d.IdleTimeout}
}()

// receiverShutdownTimeout bounds the graceful shutdown after Ctrl-C.
const receiverShutdownTimeout = 5 * time.Second

func init() {
	c := &command{
		name:    "receiver",
		summary: "serve a reference webhook receiver: the correct one, or one with a known defect",
		usage:   "chathook receiver [--addr HOST:PORT] [--platform P] [--variant V] [--secret S] [--token T] [--token-placement header|query|body] | --list",
		example: `chathook receiver --list
CHATHOOK_SECRET=s3cret chathook receiver --platform chatwoot --variant reserializes
chathook receiver --platform replycx --variant wrong-handshake-reply --token t0ken --addr 127.0.0.1:9000
# one line per request on stdout: method, status, event ("POST 401 message_created")`,
	}
	c.run = func(ctx context.Context, e *env, args []string) error {
		fs := newFlagSet(c, e)
		addr := fs.String("addr", "127.0.0.1:8788", "`address` to listen on (port 0: any free port)")
		platform := fs.String("platform", "chatwoot", "`platform` (name or alias) whose deliveries to receive")
		variant := fs.String("variant", receivertest.Correct, "receiver `variant` (see --list)")
		secret := fs.String("secret", "", "chatwoot signing `secret`: deliveries must be signed (default $CHATHOOK_SECRET)")
		token := fs.String("token", "", "swiftsell `token`: deliveries must carry it (default $CHATHOOK_TOKEN)")
		placement := fs.String("token-placement", mockplatform.TokenInHeader, "where the swiftsell token travels: `header` (X-Swiftsell-Token), query or body (param token)")
		slowDelay := fs.Duration("slow-delay", receivertest.DefaultSlowDelay, "how long the slow-ack variant stalls on message events")
		list := fs.Bool("list", false, "list the variants, their platforms and the requirements they break, and exit")
		pos, err := parseFlags(fs, args)
		if err != nil {
			return err
		}
		if len(pos) > 0 {
			return usageErrorf("unexpected argument %q", pos[0])
		}
		set, err := loadSchemas()
		if err != nil {
			return err
		}
		p, err := resolvePlatform(set, *platform)
		if err != nil {
			return err
		}
		if *list {
			only := ""
			fs.Visit(func(f *flag.Flag) {
				if f.Name == "platform" {
					only = p.Name
				}
			})
			return listReceiverVariants(e.stdout, only)
		}
		cfg := receivertest.Config{
			Platform:       p.Name,
			Variant:        *variant,
			TokenPlacement: *placement,
			SlowDelay:      *slowDelay,
		}
		if p.Name == mockplatform.PlatformSwiftsell {
			cfg.Token = secretFrom(*token, "CHATHOOK_TOKEN", e)
		} else {
			cfg.Secret = secretFrom(*secret, "CHATHOOK_SECRET", e)
		}
		h, err := receivertest.NewHandler(cfg)
		if err != nil {
			return usageErrorf("%v", err)
		}
		if err := checkListenAddr(*addr); err != nil {
			return err
		}
		return serveReceiver(ctx, e, *addr, cfg, h)
	}
	register(c)
}

// listReceiverVariants prints the variants table, only those of platform
// when it is not empty.
func listReceiverVariants(w io.Writer, platform string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VARIANT\tPLATFORMS\tBREAKS")
	for _, v := range receivertest.Variants() {
		if platform != "" && !slices.Contains(v.Platforms, platform) {
			continue
		}
		breaks := v.Breaks
		if breaks == "" {
			breaks = "nothing: passes every requirement"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", v.Name, strings.Join(v.Platforms, ","), breaks)
	}
	return tw.Flush()
}

// serveReceiver serves h on addr until ctx ends, then shuts down gracefully.
func serveReceiver(ctx context.Context, e *env, addr string, cfg receivertest.Config, h http.Handler) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return unreachableErrorf("cannot listen on %s: %v", addr, err)
	}
	// The same timeouts as listen: a client that trickles its request, never
	// reads the answer or idles forever costs a bounded time.
	srv := &http.Server{
		Handler:           &receiverLog{next: h, platform: cfg.Platform, w: e.stdout},
		ReadHeaderTimeout: serverTimeouts.ReadHeader,
		ReadTimeout:       serverTimeouts.Read,
		WriteTimeout:      serverTimeouts.Write,
		IdleTimeout:       serverTimeouts.Idle,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          log.New(io.Discard, "", 0),
		// Requests end with ctx, so a stalling variant lets Shutdown finish.
		BaseContext: func(net.Listener) context.Context { return ctx },
	}
	auth := "secret " + redact(cfg.Secret)
	if cfg.Platform == mockplatform.PlatformSwiftsell {
		auth = "token " + redact(cfg.Token) + ", in " + cfg.TokenPlacement
	}
	fmt.Fprintf(e.stderr, "listening on http://%s (%s, %s, %s)\n", ln.Addr(), cfg.Platform, cfg.Variant, auth)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return unreachableErrorf("serving on %s: %v", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), receiverShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
		fmt.Fprintf(e.stderr, "chathook receiver: shutdown: %v\n", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return unreachableErrorf("serving on %s: %v", ln.Addr(), err)
	}
	return nil
}

// receiverLog prints one line per request: method, status and event.
type receiverLog struct {
	next     http.Handler
	platform string
	mu       sync.Mutex // guards w
	w        io.Writer
}

func (l *receiverLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Peek at the body (the receiver's own limit, plus one byte to let it
	// answer 413) and give the receiver all of it.
	head, _ := io.ReadAll(io.LimitReader(r.Body, receivertest.MaxBody+1))
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
	rec := &receiverStatus{ResponseWriter: w, status: http.StatusOK}
	l.next.ServeHTTP(rec, r)
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "%s %d %s\n", r.Method, rec.status, receiverEventLabel(l.platform, head))
}

// receiverEventLabel names what a body delivers: the Chatwoot event, the
// Swiftsell event types or "handshake", or "-".
func receiverEventLabel(platform string, body []byte) string {
	var v struct {
		Event  any     `json:"event"`
		Token  *string `json:"token"`
		Events []struct {
			Event struct {
				Type string `json:"type"`
			} `json:"event"`
		} `json:"events"`
	}
	if json.Unmarshal(body, &v) != nil {
		return "-"
	}
	if platform != mockplatform.PlatformSwiftsell {
		if s, ok := v.Event.(string); ok && s != "" {
			return s
		}
		return "-"
	}
	if v.Events == nil {
		if v.Token != nil {
			return "handshake"
		}
		return "-"
	}
	types := make([]string, len(v.Events))
	for i, ev := range v.Events {
		types[i] = ev.Event.Type
	}
	return strings.Join(types, ",")
}

// receiverStatus records the status a handler writes.
type receiverStatus struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *receiverStatus) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *receiverStatus) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}

func (s *receiverStatus) Unwrap() http.ResponseWriter { return s.ResponseWriter }
