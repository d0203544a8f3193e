package main

import (
	"bufio"
	"bytes"
	"encoding/json"
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
	body   []byte
}

// inputError is a file that could not be read (exit 2).
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }

// readPayloads calls fn for every payload in files, in order. "-" is stdin.
// A .jsonl or .ndjson file holds one payload per line (blank lines skipped);
// so does stdin when its first line is a whole JSON document and more lines
// follow. Any other file is one payload, its bytes untouched. An unreadable
// file is reported through fn's caller as an *inputError and reading goes
// on with the next file.
func readPayloads(e *env, files []string, fn func(payload) error) error {
	var firstErr error
	for _, f := range files {
		err := readOne(e, f, fn)
		var ie *inputError
		if err != nil && !asInputError(err, &ie) {
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

func asInputError(err error, target **inputError) bool {
	ie, ok := err.(*inputError)
	if ok {
		*target = ie
	}
	return ok
}

func readOne(e *env, name string, fn func(payload) error) error {
	if name == "-" {
		data, err := io.ReadAll(e.stdin)
		if err != nil {
			return &inputError{fmt.Errorf("reading stdin: %w", err)}
		}
		if looksLikeJSONL(data) {
			return eachLine("stdin", data, fn)
		}
		return fn(payload{source: "stdin", body: data})
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return &inputError{fmt.Errorf("cannot read %s: %w", name, unwrapPathError(err))}
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".ndjson":
		return eachLine(name, data, fn)
	}
	return fn(payload{source: name, body: data})
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// eachLine calls fn for every non-blank line, as "source:line".
func eachLine(source string, data []byte, fn func(payload) error) error {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), len(data)+1)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimRight(sc.Bytes(), "\r")
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		if err := fn(payload{source: fmt.Sprintf("%s:%d", source, line), body: b}); err != nil {
			return err
		}
	}
	return sc.Err()
}

// looksLikeJSONL reports whether data is several JSON documents, one per
// line: its first non-blank line is a complete document and another
// non-blank line follows. A pretty-printed document fails the first test.
func looksLikeJSONL(data []byte) bool {
	lines := 0
	for _, l := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		lines++
		if lines == 1 && !json.Valid(l) {
			return false
		}
		if lines == 2 {
			return true
		}
	}
	return false
}
