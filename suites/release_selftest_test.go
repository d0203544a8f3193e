package suites_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chathook/chathook/suites"
)

// A run pinned to an old Chatwoot release sends that release's payloads
// (its key sets, its events) and delivery: the correct reference receiver,
// verifying no signature as a 2.4 receiver cannot, passes it.
func TestPinnedReleaseRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole suite")
	}
	out := filepath.Join(t.TempDir(), "report.json")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CHATHOOK_SELFTEST=chatwoot:correct:"+out, "CHATHOOK_SELFTEST_VERSION=2.4", "TMPDIR="+t.TempDir())
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("suite run: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var sum suites.Summary
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	if ids := sum.FailedIDs(); len(ids) != 0 {
		t.Errorf("the correct receiver fails %v pinned to 2.4", ids)
	}
	sawSignatureSkip := false
	for _, r := range sum.Specs {
		if strings.HasPrefix(r.ID, "signature.") && r.State == "skipped" {
			sawSignatureSkip = true
		}
	}
	if !sawSignatureSkip {
		t.Error("no signature requirement skipped")
	}
}
