package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/chathook/chathook/schemas"
)

// mixedJSONL returns n lines cycling over valid, invalid, drifting and
// broken bodies.
func mixedJSONL(t *testing.T, n int) []byte {
	t.Helper()
	good := firstPayload(t, "chatwoot", "message_created", "", 5, "realistic", "latest")
	drift := bytes.Replace(good, []byte(`{"account":{`), []byte(`{"account":{"new_key":1,`), 1)
	var b bytes.Buffer
	for i := range n {
		switch i % 5 {
		case 0, 1:
			b.Write(good)
		case 2:
			b.WriteString(`{"event":"message_created","id":"x"}`)
		case 3:
			b.Write(drift)
		case 4:
			b.WriteString(`{"event":`)
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// TestValidateParallelKeepsOrder: the output of a parallel run is exactly
// what validating each payload in turn prints, in text and JSON.
func TestValidateParallelKeepsOrder(t *testing.T) {
	data := mixedJSONL(t, 300)
	file := filepath.Join(t.TempDir(), "mixed.jsonl")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	set, err := schemas.Default()
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	type rep = payloadReport
	var reps []rep
	invalid, drifted := 0, 0
	for i, l := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
		src := fmt.Sprintf("%s:%d", file, i+1)
		res, _ := set.Validate(l, schemas.Options{})
		for _, p := range res.Errors {
			fmt.Fprintf(&want, "%s: %s\n", src, p)
		}
		for _, p := range res.Drift {
			fmt.Fprintf(&want, "%s: warning: %s\n", src, p)
		}
		if res.OK(false) {
			fmt.Fprintf(&want, "%s: ok (%s %s%s)\n", src, res.Platform, joinEvents(res.Events), releaseNote(res))
		} else {
			invalid++
		}
		if len(res.Drift) > 0 {
			drifted++
		}
		reps = append(reps, rep{src, res.Platform, res.Events, res.OK(false), res.Errors, res.Drift, res.Release, res.Releases})
	}
	fmt.Fprintf(&want, "300 payload(s): %d valid, %d invalid, %d with drift\n", 300-invalid, invalid, drifted)
	code, stdout, stderr := execCLI(t, "", "validate", file)
	if code != exitFailed || stdout != want.String() {
		t.Fatalf("exit %d, stderr %s; output differs from a sequential run:\n%.2000s\nwant\n%.2000s", code, stderr, stdout, want.String())
	}
	var wantJSON bytes.Buffer
	_ = writeJSON(&wantJSON, struct {
		Payloads []rep `json:"payloads"`
		Summary  any   `json:"summary"`
	}{reps, map[string]int{"total": 300, "valid": 300 - invalid, "invalid": invalid, "drift": drifted}})
	if _, stdout, _ = execCLI(t, "", "validate", "--format", "json", file); stdout != wantJSON.String() {
		t.Fatalf("streamed JSON differs from the whole document:\n%.1500s\nwant\n%.1500s", stdout, wantJSON.String())
	}
	empty := filepath.Join(t.TempDir(), "empty.jsonl")
	_ = os.WriteFile(empty, nil, 0o600)
	if _, stdout, _ = execCLI(t, "", "validate", "--format", "json", empty); !json.Valid([]byte(stdout)) ||
		!strings.Contains(stdout, `"payloads": [],`) {
		t.Fatalf("empty input: %s", stdout)
	}
}

// endless is a reader of n bytes of one JSON string ("xxxx...), made on
// the fly.
type endless struct{ n, off int64 }

func (r *endless) Read(p []byte) (int, error) {
	if r.off >= r.n {
		return 0, io.EOF
	}
	k := min(int64(len(p)), r.n-r.off)
	for i := range p[:k] {
		p[i] = 'x'
	}
	if r.off == 0 && k > 0 {
		p[0] = '"'
	}
	r.off += k
	return int(k), nil
}

// TestValidateMaxSizeStreams: --max-size is enforced while reading: 300 MB
// of stdin (one document, then as one JSONL line after a valid one) costs
// a few megabytes, not the input's size.
func TestValidateMaxSizeStreams(t *testing.T) {
	good := firstPayload(t, "chatwoot", "message_created", "", 5, "realistic", "latest")
	for _, tc := range []struct {
		name  string
		stdin func() io.Reader
		want  string
	}{
		{"one document", func() io.Reader { return &endless{n: 300 << 20} }, "stdin: (root): payload of 314572800 bytes exceeds --max-size 1048576"},
		{"a long line", func() io.Reader {
			return io.MultiReader(bytes.NewReader(append(good, '\n')), &endless{n: 300 << 20}, strings.NewReader("\n"))
		}, "stdin:2: (root): payload of 314572800 bytes exceeds --max-size 1048576"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			code := run(t.Context(), []string{"validate", "--max-size", "1048576", "-"},
				&env{stdin: tc.stdin(), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }})
			runtime.ReadMemStats(&after)
			if code != exitFailed || !strings.Contains(stdout.String(), tc.want) {
				t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
				t.Fatalf("reading 300 MB allocated %d MB; want it streamed", alloc>>20)
			}
		})
	}
}
