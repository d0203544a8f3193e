package suites

import (
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// JUnit XML, written from the Summary (not Ginkgo's raw report), so that CI
// tools count it right and strict schemas accept it: the counts (tests,
// failures, errors, skipped) on the testsuite, times in decimal seconds,
// one testcase per requirement with classname = its label and name =
// "[id] text", a skip's reason in <skipped message>, no pseudo cases.
//
// One document satisfies both the Apache Ant schema (windyroad JUnit.xsd:
// no attributes on testsuites; package, id, hostname and a zone-less
// timestamp required on each testsuite; properties, system-out and
// system-err required, in that order; a testcase has at most one of
// skipped, error or failure) and the Jenkins xunit schema (junit-10.xsd).
// Requirements a stopped run never reached are not run: they are neither
// skipped nor failed, so they are not testcases; the testsuite's
// "interrupted" and "not_run" properties say how many.

type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Hostname   string          `xml:"hostname,attr"`
	ID         int             `xml:"id,attr"`
	Package    string          `xml:"package,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
	SystemOut  string          `xml:"system-out"`
	SystemErr  string          `xml:"system-err"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
	Failure   *junitMessage `xml:"failure,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr,omitempty"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// seconds renders d as decimal seconds with millisecond precision ("0.012",
// never "1.2e-05").
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 3, 64)
}

// WriteJUnit writes the summary as JUnit XML (see the comment above).
func (s *Summary) WriteJUnit(w io.Writer) error {
	host, err := os.Hostname()
	if err != nil || strings.TrimSpace(host) == "" {
		host = "localhost"
	}
	started := s.Started
	if started.IsZero() {
		started = time.Now().UTC()
	}
	suite := junitSuite{
		Name:      "chathook conformance: " + s.Platform,
		Time:      seconds(s.Duration),
		Timestamp: started.UTC().Format("2006-01-02T15:04:05"),
		Hostname:  host,
		Package:   "chathook." + s.Platform,
	}
	notRun := 0
	for _, sp := range s.Specs {
		if sp.State == StateNotRun {
			notRun++
			continue
		}
		label := sp.Label
		if label == "" {
			label = "chathook"
		}
		c := junitCase{Name: "[" + sp.ID + "] " + sp.Text, Classname: label, Time: seconds(sp.Duration)}
		switch sp.State {
		case "failed":
			suite.Failures++
			c.Failure = &junitMessage{Message: firstLine(sp.Failure), Type: "requirement", Text: sp.Failure}
		case "skipped":
			suite.Skipped++
			reason := sp.Failure
			if reason == "" {
				reason = "skipped"
			}
			c.Skipped = &junitMessage{Message: firstLine(reason)}
			if strings.Contains(strings.TrimSpace(reason), "\n") {
				c.Skipped.Text = reason
			}
		}
		suite.Cases = append(suite.Cases, c)
	}
	suite.Tests = len(suite.Cases)
	props := [][2]string{
		{"chathook_version", s.Version}, {"target", s.Target}, {"platform", s.Platform},
		{"seed", strconv.FormatInt(s.Seed, 10)}, {"interrupted", strconv.FormatBool(s.Interrupted)},
		{"not_run", strconv.Itoa(notRun)},
	}
	if s.InterruptReason != "" {
		props = append(props, [2]string{"interrupt_reason", oneLineReason(s.InterruptReason)})
	}
	if s.World != nil && s.World.AccountID != 0 {
		props = append(props, [2]string{"account_id", strconv.FormatInt(s.World.AccountID, 10)})
	}
	for _, p := range props {
		if p[1] != "" {
			suite.Properties = append(suite.Properties, junitProperty{p[0], p[1]})
		}
	}
	if s.Interrupted {
		suite.SystemErr = fmt.Sprintf("the run was interrupted: %d requirements not run (%s)", notRun, oneLineReason(s.InterruptReason))
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(junitSuites{Suites: []junitSuite{suite}}); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
