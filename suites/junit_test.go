package suites

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// sampleSummary has every state a report shows, and text that needs
// escaping.
func sampleSummary(interrupted bool) *Summary {
	s := &Summary{
		Version: "v1.2.3", Target: "http://127.0.0.1:1/hook", Platform: "chatwoot", Seed: 42,
		Started: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Duration: 1234567890 * time.Nanosecond,
		Specs: []SpecResult{
			{ID: "delivery.message_created", Label: "delivery", Text: "message_created is acknowledged", State: "passed", Duration: 83 * time.Microsecond},
			{ID: "signature.valid", Label: "signature", Text: "signed deliveries <verify> & pass", State: "failed", Duration: 12 * time.Millisecond,
				Failure: "requirement [signature.valid]: \"quoted\" <tag> & \x01 control\ngot: 401"},
			{ID: "token.valid", Label: "token", Text: "token checked", State: "skipped", Failure: "no --token: token requirements skip"},
		},
	}
	if interrupted {
		s.Interrupted, s.InterruptReason = true, "interrupted by user"
		s.Specs = append(s.Specs, SpecResult{ID: "ordering.conversation", Label: "ordering", Text: "in order", State: StateNotRun, Failure: "not run"})
	}
	return s
}

// junitDoc is what the structural check reads back.
type junitDoc struct {
	XMLName xml.Name   `xml:"testsuites"`
	Attrs   []xml.Attr `xml:",any,attr"`
	Suites  []struct {
		Name      string                         `xml:"name,attr"`
		Tests     string                         `xml:"tests,attr"`
		Failures  string                         `xml:"failures,attr"`
		Errors    string                         `xml:"errors,attr"`
		Skipped   string                         `xml:"skipped,attr"`
		Time      string                         `xml:"time,attr"`
		Timestamp string                         `xml:"timestamp,attr"`
		Hostname  string                         `xml:"hostname,attr"`
		ID        string                         `xml:"id,attr"`
		Package   string                         `xml:"package,attr"`
		Props     []struct{ Name, Value string } `xml:"properties>property"`
		Cases     []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			Time      string `xml:"time,attr"`
			Skipped   *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
			Failure *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
			} `xml:"failure"`
			Error *struct{} `xml:"error"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

var (
	decimal   = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)
	zoneless  = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$`)
	caseName  = regexp.MustCompile(`^\[[a-z0-9_.-]+\] \S`)
	childName = regexp.MustCompile(`<(/?)(properties|testcase|system-out|system-err)[ >/]`)
)

// checkJUnit is the Go structural check: what the Ant and Jenkins schemas
// require and what CI parsers count, without an XSD validator.
func checkJUnit(t reporter, raw []byte) {
	t.Helper()
	var doc junitDoc
	if err := xml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("not XML: %v", err)
		return
	}
	if len(doc.Attrs) != 0 {
		t.Errorf("testsuites has attributes %v: the Ant schema allows none", doc.Attrs)
	}
	if len(doc.Suites) != 1 {
		t.Fatalf("%d testsuites, want 1", len(doc.Suites))
		return
	}
	s := doc.Suites[0]
	if s.Name == "" || s.Hostname == "" || s.Package == "" || s.ID != "0" {
		t.Errorf("testsuite name %q hostname %q package %q id %q: all required by the Ant schema", s.Name, s.Hostname, s.Package, s.ID)
	}
	if strings.Contains(s.Package, string(filepath.Separator)) {
		t.Errorf("package %q looks like a directory", s.Package)
	}
	if !zoneless.MatchString(s.Timestamp) {
		t.Errorf("timestamp %q: the Ant schema wants YYYY-MM-DDTHH:MM:SS without a zone", s.Timestamp)
	}
	if !decimal.MatchString(s.Time) {
		t.Errorf("testsuite time %q is not a decimal", s.Time)
	}
	var failures, skipped int
	for _, c := range s.Cases {
		if !decimal.MatchString(c.Time) {
			t.Errorf("%s: time %q is not a decimal", c.Name, c.Time)
		}
		if !caseName.MatchString(c.Name) || c.Classname == "" || strings.Contains(c.Name, "ReportAfterSuite") {
			t.Errorf("testcase name %q classname %q: want \"[id] text\" and the label", c.Name, c.Classname)
		}
		n := 0
		if c.Failure != nil {
			n++
			failures++
			if c.Failure.Type == "" {
				t.Errorf("%s: failure without the type the Ant schema requires", c.Name)
			}
		}
		if c.Skipped != nil {
			n++
			skipped++
			if c.Skipped.Message == "" {
				t.Errorf("%s: skipped without its reason", c.Name)
			}
		}
		if c.Error != nil {
			n++
		}
		if n > 1 {
			t.Errorf("%s: more than one of skipped, error, failure", c.Name)
		}
	}
	for _, c := range []struct {
		name, got string
		want      int
	}{{"tests", s.Tests, len(s.Cases)}, {"failures", s.Failures, failures}, {"skipped", s.Skipped, skipped}, {"errors", s.Errors, 0}} {
		if n, err := strconv.Atoi(c.got); err != nil || n != c.want {
			t.Errorf("testsuite %s=%q, want %d (counted from the testcases)", c.name, c.got, c.want)
		}
	}
	// Ant's sequence: properties, testcase*, system-out, system-err.
	var order []string
	for _, m := range childName.FindAllSubmatch(raw, -1) {
		if len(m[1]) == 0 {
			order = append(order, string(m[2]))
		}
	}
	seq := strings.Join(order, " ")
	if !regexp.MustCompile(`^properties( testcase)* system-out system-err$`).MatchString(seq) {
		t.Errorf("children in order %q; the Ant schema wants properties, testcases, system-out, system-err", seq)
	}
}

func TestWriteJUnit(t *testing.T) {
	for _, interrupted := range []bool{false, true} {
		t.Run("interrupted="+strconv.FormatBool(interrupted), func(t *testing.T) {
			var b bytes.Buffer
			if err := sampleSummary(interrupted).WriteJUnit(&b); err != nil {
				t.Fatal(err)
			}
			raw := b.Bytes()
			checkJUnit(t, raw)
			for _, want := range []string{`tests="3"`, `failures="1"`, `skipped="1"`, `time="1.235"`, `time="0.000"`, `time="0.012"`,
				`classname="signature"`, `name="[signature.valid] signed deliveries &lt;verify&gt; &amp; pass"`, `<skipped message="no --token: token requirements skip">`} {
				if !bytes.Contains(raw, []byte(want)) {
					t.Errorf("missing %s in\n%s", want, raw)
				}
			}
			if bytes.Contains(raw, []byte("ordering.conversation")) {
				t.Errorf("a requirement that did not run is a testcase:\n%s", raw)
			}
			if interrupted && !bytes.Contains(raw, []byte(`<property name="interrupted" value="true">`)) {
				t.Errorf("interrupted run not marked:\n%s", raw)
			}
			validateXSD(t, raw)
		})
	}
}

// TestJUnitCheckCatchesGinkgoShape shows the structural check fails the
// shape the report used to have (Ginkgo's raw JUnit): attributes on
// testsuites, exponent times, a pseudo case, the working directory.
func TestJUnitCheckCatchesGinkgoShape(t *testing.T) {
	raw := []byte(`<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="2" disabled="1" errors="0" failures="0" time="8.3e-05">
  <testsuite name="chathook conformance" package="/home/me/src" tests="2" disabled="1" skipped="0" errors="0" failures="0" time="8.3e-05" timestamp="2026-01-02T03:04:05" id="0">
    <properties></properties>
    <testcase name="[ReportAfterSuite] chathook summary" classname="chathook conformance" status="passed" time="1e-06"></testcase>
    <testcase name="chathook conformance delivery [delivery.x] x" classname="chathook conformance" status="skipped" time="0"><skipped message="skipped"></skipped></testcase>
    <system-out></system-out><system-err></system-err>
  </testsuite>
</testsuites>`)
	var c collector
	checkJUnit(&c, raw)
	if len(c.problems) < 4 {
		t.Errorf("the structural check found only %q in Ginkgo's raw JUnit shape", c.problems)
	}
	if len(c.problems) == 0 {
		t.Error("the structural check accepted Ginkgo's raw JUnit shape")
	}
	if _, err := exec.LookPath("xmllint"); err == nil {
		if xmllint(t, raw, "ant-junit.xsd") == nil {
			t.Error("xmllint accepted Ginkgo's raw JUnit shape under the Ant schema")
		}
	}
}

// reporter is what checkJUnit reports through: a *testing.T or a collector.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// collector gathers problems instead of failing a test.
type collector struct{ problems []string }

func (c *collector) Helper() {}
func (c *collector) Errorf(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}
func (c *collector) Fatalf(format string, args ...any) { c.Errorf(format, args...) }

// validateXSD checks raw against the Ant and Jenkins schemas with xmllint,
// when it is installed (apt-get install libxml2-utils).
func validateXSD(t *testing.T, raw []byte) {
	t.Helper()
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Log("xmllint not installed: XSD validation not run (the structural check ran)")
		return
	}
	for _, xsd := range []string{"ant-junit.xsd", "jenkins-junit-10.xsd"} {
		if err := xmllint(t, raw, xsd); err != nil {
			t.Errorf("%s: %v", xsd, err)
		}
	}
}

func xmllint(t *testing.T, raw []byte, xsd string) error {
	t.Helper()
	f := filepath.Join(t.TempDir(), "report.xml")
	if err := os.WriteFile(f, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("xmllint", "--noout", "--schema", filepath.Join("testdata", "junit", xsd), f).CombinedOutput()
	if err != nil {
		return &xmllintError{string(out)}
	}
	return nil
}

type xmllintError struct{ out string }

func (e *xmllintError) Error() string { return "xmllint: " + e.out }

func TestMarkdownSkipReasons(t *testing.T) {
	s := sampleSummary(false)
	s.Specs = append(s.Specs,
		SpecResult{ID: "delivery.account_created", Label: "delivery", State: "skipped", Failure: "account_created comes from an automation rule"},
		SpecResult{ID: "delivery.macro.executed", Label: "delivery", State: "skipped", Failure: "macro.executed comes from an automation rule"},
		SpecResult{ID: "signature.valid2", Label: "signature", State: "skipped", Failure: "no | secret"})
	var b bytes.Buffer
	if err := s.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{"### Skipped requirements", "- the event comes from an automation rule (2): `delivery.account_created`, `delivery.macro.executed`",
		"- no --token: token requirements skip (1): `token.valid`", `no \| secret`} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
}
