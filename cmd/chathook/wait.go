package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"time"
)

// waitUsage is the --wait flag's help, the same on every command that has it.
const waitUsage = "wait up to this `duration` for the target to accept connections before sending (e.g. 30s for a receiver just started in the background); 0: do not wait"

// addWaitFlag registers --wait on fs.
func addWaitFlag(fs *flag.FlagSet) *time.Duration {
	return fs.Duration("wait", 0, waitUsage)
}

// waitPoll is the pause between connection attempts while waiting.
const waitPoll = 200 * time.Millisecond

// waitForTarget waits up to d for target's host to accept a TCP connection.
// d <= 0 returns at once. It says once on w that it is waiting; a target that
// never accepts is an unreachable error (exit 3), an interrupt too.
func waitForTarget(ctx context.Context, w io.Writer, target string, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	u, err := url.Parse(target)
	if err != nil || u.Host == "" {
		return nil // the command reports the bad URL itself
	}
	addr := u.Host
	if u.Port() == "" {
		port := "80"
		if u.Scheme == "https" {
			port = "443"
		}
		addr = net.JoinHostPort(u.Hostname(), port)
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	start := time.Now()
	said := false
	var dialer net.Dialer
	for {
		attempt, stop := context.WithTimeout(ctx, time.Second)
		conn, err := dialer.DialContext(attempt, "tcp", addr)
		stop()
		if err == nil {
			conn.Close()
			if said {
				fmt.Fprintf(w, "%s accepts connections (after %s)\n", addr, time.Since(start).Round(time.Millisecond))
			}
			return nil
		}
		if !said {
			fmt.Fprintf(w, "waiting up to %s for %s to accept connections...\n", d, addr)
			said = true
		}
		select {
		case <-ctx.Done():
			if ctx.Err() == context.Canceled {
				return unreachableErrorf("interrupted while waiting for %s", addr)
			}
			return unreachableErrorf("--wait %s: %s did not accept connections (last attempt: %v)", d, addr, shortDialError(err))
		case <-time.After(waitPoll):
		}
	}
}

func shortDialError(err error) error {
	if oe, ok := err.(*net.OpError); ok && oe.Err != nil {
		return oe.Err
	}
	return err
}
