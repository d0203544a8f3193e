package mockplatform

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"
)

// ErrInvalidConfig is wrapped by New's errors for a bad Config, and
// ErrInvalidArgument by errors for a call that could not send anything (a bad
// target URL, a fault that does not apply, a body that cannot carry the
// token). Test them with errors.Is.
var (
	ErrInvalidConfig   = errors.New("mockplatform: invalid config")
	ErrInvalidArgument = errors.New("mockplatform: invalid argument")
)

// Cause says why a delivery failed at the transport level.
type Cause string

// Delivery failure causes. A non-2xx answer is not a failure cause: the
// receiver answered, and Delivery.Status says what.
const (
	CauseRefused          Cause = "refused"            // connection refused
	CauseTimeout          Cause = "timeout"            // Config.Timeout elapsed (connect, headers or body)
	CauseReset            Cause = "reset"              // connection reset or closed before a full response
	CauseTLS              Cause = "tls"                // handshake failed, untrusted or invalid certificate
	CauseTooManyRedirects Cause = "too_many_redirects" // more than Config.MaxRedirects 3xx answers
	CauseBodyTooLarge     Cause = "body_too_large"     // response body over Config.MaxResponseBody
	CauseDNS              Cause = "dns"                // the host name did not resolve
	CauseCanceled         Cause = "canceled"           // the caller's context ended
	CauseOther            Cause = "other"              // anything else (bad Location, protocol error)
)

// DeliveryError is a delivery that got no usable answer. Err is the
// underlying error (a *url.Error, a context error, ...); URLs in it have the
// token redacted.
type DeliveryError struct {
	Cause Cause
	Err   error
}

func (e *DeliveryError) Error() string {
	if e.Err == nil {
		return "mockplatform: delivery failed: " + string(e.Cause)
	}
	return fmt.Sprintf("mockplatform: delivery failed (%s): %v", e.Cause, e.Err)
}

func (e *DeliveryError) Unwrap() error { return e.Err }

// CauseOf returns the Cause of a *DeliveryError in err's chain, or "" when
// there is none.
func CauseOf(err error) Cause {
	var de *DeliveryError
	if errors.As(err, &de) {
		return de.Cause
	}
	return ""
}

var (
	errHopTimeout       = errors.New("mockplatform: request timed out")
	errTooManyRedirects = errors.New("mockplatform: too many redirects")
	errBodyTooLarge     = errors.New("mockplatform: response body too large")
)

// classify turns a transport error of one request into a *DeliveryError.
// parent is the caller's context and hop the per-request one.
func classify(err error, parent, hop context.Context) *DeliveryError {
	return &DeliveryError{Cause: causeOf(err, parent, hop), Err: err}
}

func causeOf(err error, parent, hop context.Context) Cause {
	if parent.Err() != nil {
		return CauseCanceled
	}
	if hop != nil && context.Cause(hop) == errHopTimeout {
		return CauseTimeout
	}
	return Classify(err)
}

// Classify names the cause of a transport error from net/http (refused,
// timeout, reset, tls, dns, ...), for callers that make their own requests,
// such as the load engine. It returns CauseOther when it cannot tell.
func Classify(err error) Cause {
	var (
		dnsErr   *net.DNSError
		recErr   tls.RecordHeaderError
		alertErr tls.AlertError
		verErr   *tls.CertificateVerificationError
		uaErr    x509.UnknownAuthorityError
		ciErr    x509.CertificateInvalidError
		hostErr  x509.HostnameError
		timeout  interface{ Timeout() bool }
	)
	switch {
	case err == nil:
		return ""
	case errors.Is(err, errTooManyRedirects):
		return CauseTooManyRedirects
	case errors.Is(err, errBodyTooLarge):
		return CauseBodyTooLarge
	case errors.Is(err, context.Canceled):
		return CauseCanceled
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return CauseTimeout
	case errors.As(err, &dnsErr):
		return CauseDNS
	case errors.Is(err, syscall.ECONNREFUSED):
		return CauseRefused
	case errors.As(err, &recErr), errors.As(err, &alertErr), errors.As(err, &verErr),
		errors.As(err, &uaErr), errors.As(err, &ciErr), errors.As(err, &hostErr):
		return CauseTLS
	case strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return CauseTLS
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNABORTED),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed):
		return CauseReset
	case errors.As(err, &timeout) && timeout.Timeout():
		return CauseTimeout
	case strings.Contains(err.Error(), "server closed idle connection"),
		strings.Contains(err.Error(), "connection reset"),
		strings.Contains(err.Error(), "transport connection broken"):
		return CauseReset
	}
	return CauseOther
}

// redactURLError replaces the URL inside a *url.Error with its redacted
// form (RedactURL), so that no credential in the URL reaches error text.
func redactURLError(err error, secrets ...string) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = RedactURL(ue.URL, secrets...)
	}
	return err
}
