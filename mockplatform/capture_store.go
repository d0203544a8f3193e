package mockplatform

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// QuarantineDir is the subdirectory of CaptureConfig.SaveDir holding
// rejected deliveries.
const QuarantineDir = "rejected"

// captureStore saves captures into a directory, never overwriting a file,
// and keeps a bounded quarantine of rejected ones.
type captureStore struct {
	dir string
	// write creates name with data, failing if it exists. Tests replace it
	// to simulate a full disk.
	write func(name string, data []byte) error

	mu          sync.Mutex // guards the quarantine budget
	qCount      int        // files still allowed
	qBytes      int64      // body bytes still allowed
	qDisabled   bool
	qDirCreated bool
}

// openStore creates dir when missing and returns the highest sequence
// number already saved there (and in its quarantine), so a second run
// numbers on instead of overwriting.
func openStore(dir string, qCount int, qBytes int64) (*captureStore, int64, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, 0, fmt.Errorf("mockplatform: save dir: %w", err)
	}
	last, err := lastSeq(dir)
	if err != nil {
		return nil, 0, fmt.Errorf("mockplatform: save dir: %w", err)
	}
	if q, err := lastSeq(filepath.Join(dir, QuarantineDir)); err == nil && q > last {
		last = q
	}
	st := &captureStore{dir: dir, write: writeExclusive, qCount: qCount, qBytes: qBytes,
		qDisabled: qCount < 0 || qBytes < 0}
	return st, last, nil
}

// lastSeq returns the highest <seq>- prefix of the files in dir (0 when
// none, or when dir does not exist).
func lastSeq(dir string) (int64, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var last int64
	for _, e := range entries {
		head, _, ok := strings.Cut(e.Name(), "-")
		if !ok {
			continue
		}
		if n, err := strconv.ParseInt(head, 10, 64); err == nil && n > last {
			last = n
		}
	}
	return last, nil
}

// save writes the body and the headers file of an accepted delivery. On
// any failure nothing of it is left behind.
func (st *captureStore) save(cp *Capture) (bodyFile, headerFile string, err error) {
	return st.saveIn(st.dir, cp)
}

func (st *captureStore) saveIn(dir string, cp *Capture) (bodyFile, headerFile string, err error) {
	base := fmt.Sprintf("%06d-%s", cp.Seq, cp.Event)
	bodyFile = filepath.Join(dir, base+".json")
	headerFile = filepath.Join(dir, base+".headers.json")
	meta, err := json.MarshalIndent(cp, "", "  ")
	if err != nil {
		return "", "", fmt.Errorf("mockplatform: save: %w", err)
	}
	if err := st.write(bodyFile, cp.Body); err != nil {
		return "", "", err
	}
	if err := st.write(headerFile, append(meta, '\n')); err != nil {
		os.Remove(bodyFile)
		return "", "", err
	}
	return bodyFile, headerFile, nil
}

// quarantine saves a rejected delivery under QuarantineDir while the
// budget lasts; it reports whether it did.
func (st *captureStore) quarantine(cp *Capture) (bodyFile, headerFile string, ok bool) {
	st.mu.Lock()
	if st.qDisabled || st.qCount <= 0 || int64(len(cp.Body)) > st.qBytes {
		st.mu.Unlock()
		return "", "", false
	}
	st.qCount--
	st.qBytes -= int64(len(cp.Body))
	dir := filepath.Join(st.dir, QuarantineDir)
	if !st.qDirCreated {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			st.qDisabled = true
			st.mu.Unlock()
			return "", "", false
		}
		st.qDirCreated = true
	}
	st.mu.Unlock()
	b, h, err := st.saveIn(dir, cp)
	return b, h, err == nil
}

// writeExclusive writes data to a temporary file in name's directory and
// links it to name, which must not exist: name never holds a partial file,
// an existing capture is never overwritten, and a delivery acknowledged
// after it returns survives a crash of the process. (It does not fsync, so
// a power loss may still lose recent captures: filesystems report a full
// disk at write time, and an fsync per delivery would make a burst of
// concurrent deliveries time out.)
func writeExclusive(name string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), ".capture-*.tmp")
	if err != nil {
		return fmt.Errorf("mockplatform: save: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o600)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Link(tmp, name)
	}
	if err != nil {
		return fmt.Errorf("mockplatform: save: %w", err)
	}
	return nil
}
