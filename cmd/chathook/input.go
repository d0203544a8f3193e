package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// payload is one body read from the user's input, with where it came from
// ("file.json", "file.jsonl:12", "stdin:3").
type payload struct {
	source string
	body   []byte // nil when oversize
	// size is the payload's length in bytes; oversize says it was over the
	// reader's limit, so its bytes were counted but not kept.
	size     int64
	oversize bool
}

// inputError is a file that could not be read (exit 2).
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }

// readPayloads calls fn for every payload in files, in order, streaming:
// memory stays bounded by the largest payload, whatever the input's size.
// "-" is stdin. A .jsonl or .ndjson file holds one payload per line (blank
// lines skipped); so does stdin when its first line is a whole JSON document
// and more lines follow. Any other file is one payload, its bytes untouched.
// A payload over max bytes is passed with oversize set and no body (its
// bytes are read past, never held). An unreadable file is reported on
// stderr and as an *inputError, and reading goes on with the next file.
func readPayloads(e *env, files []string, max int64, fn func(payload) error) error {
	var firstErr error
	for _, f := range files {
		err := readOne(e, f, max, fn)
		var ie *inputError
		if err != nil && !errors.As(err, &ie) {
			return err // fn's own error stops everything
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "chathook: %v\n", err)
			if firstErr == nil {
				firstErr = err
			}
		}
	}
	return firstErr
}

func readOne(e *env, name string, max int64, fn func(payload) error) error {
	if name == "-" {
		return readStdin(bufio.NewReaderSize(e.stdin, 64<<10), max, fn)
	}
	f, err := os.Open(name)
	if err != nil {
		return &inputError{fmt.Errorf("cannot read %s: %w", name, unwrapPathError(err))}
	}
	defer f.Close()
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".ndjson":
		lr := &lineReader{r: bufio.NewReaderSize(f, 64<<10), max: max, source: name}
		return lr.each(fn, nil)
	}
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > max {
		return fn(payload{source: name, size: st.Size(), oversize: true})
	}
	p, err := readBounded(f, nil, max)
	if err != nil {
		return &inputError{fmt.Errorf("cannot read %s: %w", name, unwrapPathError(err))}
	}
	p.source = name
	return fn(p)
}

// readBounded reads r to its end after head, keeping at most max bytes.
func readBounded(r io.Reader, head []byte, max int64) (payload, error) {
	var buf bytes.Buffer
	buf.Write(head)
	n, err := io.Copy(&buf, io.LimitReader(r, max+1-int64(len(head))))
	size := int64(len(head)) + n
	if err != nil {
		return payload{}, err
	}
	if size <= max {
		return payload{body: buf.Bytes(), size: size}, nil
	}
	rest, err := io.Copy(io.Discard, r)
	if err != nil {
		return payload{}, err
	}
	return payload{size: size + rest, oversize: true}, nil
}

// readStdin tells JSONL from one document by the first non-blank line: a
// whole JSON document followed by another non-blank line means JSONL (a
// pretty-printed document fails the first test).
func readStdin(r *bufio.Reader, max int64, fn func(payload) error) error {
	lr := &lineReader{r: r, max: max, source: "stdin"}
	var held [][]byte // raw lines read before the decision, to replay
	var first *line
	for {
		l, err := lr.next()
		if err != nil {
			return &inputError{fmt.Errorf("reading stdin: %w", err)}
		}
		if l == nil { // end of input
			break
		}
		if l.blank() {
			held = append(held, l.raw)
			continue
		}
		if first == nil {
			if l.oversize {
				// Far over the limit already: count the rest, keep nothing.
				n, err := io.Copy(io.Discard, r)
				if err != nil {
					return &inputError{fmt.Errorf("reading stdin: %w", err)}
				}
				size := n + l.rawSize
				for _, h := range held {
					size += int64(len(h))
				}
				return fn(payload{source: "stdin", size: size, oversize: true})
			}
			if !json.Valid(l.text()) {
				held = append(held, l.raw)
				return oneDocument(r, held, max, fn)
			}
			first = l
			held = append(held, l.raw)
			continue
		}
		// A second document: JSONL. Yield the first, then this one and the rest.
		if err := fn(first.payload("stdin")); err != nil {
			return err
		}
		return lr.each(fn, l)
	}
	return oneDocument(r, held, max, fn)
}

// oneDocument yields stdin as one payload: the lines already read, then the
// rest of r.
func oneDocument(r io.Reader, held [][]byte, max int64, fn func(payload) error) error {
	head := bytes.Join(held, nil)
	p, err := readBounded(r, head, max)
	if err != nil {
		return &inputError{fmt.Errorf("reading stdin: %w", err)}
	}
	if !p.oversize && p.body == nil {
		p.body = []byte{}
	}
	p.source = "stdin"
	return fn(p)
}

// line is one physical line of input; raw (with its line break) is kept
// only while it is at most the reader's limit.
type line struct {
	n        int // line number from 1
	raw      []byte
	size     int64 // without the line break
	rawSize  int64 // with it
	oversize bool
	allBlank bool // only white space (known even when oversize)
}

func (l *line) text() []byte { return bytes.TrimRight(bytes.TrimRight(l.raw, "\n"), "\r") }

func (l *line) blank() bool { return l.allBlank }

func (l *line) payload(source string) payload {
	src := fmt.Sprintf("%s:%d", source, l.n)
	if l.oversize {
		return payload{source: src, size: l.size, oversize: true}
	}
	b := l.text()
	return payload{source: src, body: b, size: int64(len(b))}
}

// lineReader reads lines of at most max bytes; a longer line is counted
// and skipped, never held whole.
type lineReader struct {
	r      *bufio.Reader
	max    int64
	source string
	n      int
}

// next returns the next line, nil at the end of the input.
func (lr *lineReader) next() (*line, error) {
	var buf []byte
	var size int64
	blank := true
	for {
		chunk, err := lr.r.ReadSlice('\n')
		size += int64(len(chunk))
		if blank && len(bytes.TrimSpace(chunk)) > 0 {
			blank = false
		}
		if size <= lr.max+2 { // room for "\r\n"
			buf = append(buf, chunk...)
		} else {
			buf = nil
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && size == 0:
			return nil, nil
		case err != nil && err != io.EOF:
			return nil, err
		}
		lr.n++
		l := &line{n: lr.n, raw: buf, size: size, rawSize: size, allBlank: blank}
		if size > lr.max+2 || int64(len(l.text())) > lr.max {
			l.raw, l.oversize = nil, true
			l.size = size - int64(len(chunk)-len(bytes.TrimRight(chunk, "\r\n"))) // without the line break
		}
		return l, nil
	}
}

// each yields every non-blank line from first (already read, may be nil) on.
func (lr *lineReader) each(fn func(payload) error, first *line) error {
	l := first
	for {
		if l == nil {
			var err error
			if l, err = lr.next(); err != nil {
				return &inputError{fmt.Errorf("reading %s: %w", lr.source, err)}
			}
			if l == nil {
				return nil
			}
		}
		if !l.blank() {
			if err := fn(l.payload(lr.source)); err != nil {
				return err
			}
		}
		l = nil
	}
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
