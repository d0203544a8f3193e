package load_test

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// pool reads the payloads of testdata/<name>.jsonl (made by chathook
// generate; this package must not import the generator).
func pool(tb testing.TB, name string) [][]byte {
	tb.Helper()
	f, err := os.Open("testdata/" + name + ".jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if line := bytes.TrimSpace(sc.Bytes()); len(line) > 0 {
			out = append(out, bytes.Clone(line))
		}
	}
	if err := sc.Err(); err != nil || len(out) == 0 {
		tb.Fatalf("testdata/%s.jsonl: %d payloads, %v", name, len(out), err)
	}
	return out
}

// minimalHandler drains the body and answers 200: the cheapest receiver.
func minimalHandler(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	w.WriteHeader(http.StatusOK)
}

// newServer starts h on 127.0.0.1:0 and closes it when the test ends.
func newServer(tb testing.TB, h http.HandlerFunc) *httptest.Server {
	tb.Helper()
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return srv
}
