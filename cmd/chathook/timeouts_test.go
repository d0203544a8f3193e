package main

import (
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// TestServerTimeouts: listen and receiver close a connection that trickles
// its headers or its body, or idles after an answer, within their timeouts
// (shortened here); neither waits forever on a client.
func TestServerTimeouts(t *testing.T) {
	saved := serverTimeouts
	t.Cleanup(func() { serverTimeouts = saved })
	serverTimeouts.ReadHeader, serverTimeouts.Read, serverTimeouts.Write, serverTimeouts.Idle =
		200*time.Millisecond, 400*time.Millisecond, 400*time.Millisecond, 400*time.Millisecond
	getenv := func(string) string { return "" }
	for _, cmd := range []string{"listen", "receiver"} {
		var url string
		var stop func() int
		if cmd == "listen" {
			url, _, _, stop = startListen(t, nil)
		} else {
			url, _, _, stop = startReceiver(t, getenv)
		}
		addr := strings.TrimPrefix(url, "http://")
		for _, tc := range []struct{ name, send string }{
			{"headers never end", "POST / HTTP/1.1\r\nHost: x\r\n"},
			{"body never comes", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{"},
			{"idle after an answer", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"},
		} {
			t.Run(cmd+"/"+tc.name, func(t *testing.T) {
				conn, err := net.Dial("tcp", addr)
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				io.WriteString(conn, tc.send)
				// A liveness bound, far above the timeouts: the server must
				// close the connection by itself.
				conn.SetReadDeadline(time.Now().Add(10 * time.Second))
				_, err = io.Copy(io.Discard, conn)
				var ne net.Error
				if errors.As(err, &ne) && ne.Timeout() {
					t.Fatalf("%s kept the connection open", cmd)
				}
			})
		}
		stop()
	}
}
