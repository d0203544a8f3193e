package load

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"syscall"

	"github.com/chathook/chathook/mockplatform"
)

// Causes, in the order they are reported; the names are mockplatform's.
var causes = []mockplatform.Cause{
	mockplatform.CauseRefused,
	mockplatform.CauseTimeout,
	mockplatform.CauseReset,
	mockplatform.CauseTLS,
	mockplatform.CauseDNS,
	mockplatform.CauseBodyTooLarge,
	mockplatform.CauseCanceled,
	mockplatform.CauseOther,
}

const (
	causeRefused = iota
	causeTimeout
	causeReset
	causeTLS
	causeDNS
	causeBodyTooLarge
	causeCanceled
	causeOther
	numCauses
)

// classify returns the cause index of a transport error of one request. It
// follows mockplatform's classification (errors.go), which is unexported;
// runCtx is the run's context: its end means canceled.
func classify(err error, runCtx context.Context) int {
	if runCtx.Err() != nil {
		return causeCanceled
	}
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
	case errors.Is(err, context.Canceled):
		return causeCanceled
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return causeTimeout
	case errors.As(err, &dnsErr):
		return causeDNS
	case errors.Is(err, syscall.ECONNREFUSED):
		return causeRefused
	case errors.As(err, &recErr), errors.As(err, &alertErr), errors.As(err, &verErr),
		errors.As(err, &uaErr), errors.As(err, &ciErr), errors.As(err, &hostErr):
		return causeTLS
	case strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return causeTLS
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, syscall.ECONNABORTED), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, net.ErrClosed):
		return causeReset
	case errors.As(err, &timeout) && timeout.Timeout():
		return causeTimeout
	case strings.Contains(err.Error(), "server closed idle connection"),
		strings.Contains(err.Error(), "connection reset"),
		strings.Contains(err.Error(), "transport connection broken"):
		return causeReset
	}
	return causeOther
}
