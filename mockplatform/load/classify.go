package load

import (
	"context"

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

// classify returns the cause index of a transport error of one request,
// named by mockplatform.Classify; runCtx is the run's context: its end
// means canceled.
func classify(err error, runCtx context.Context) int {
	if runCtx.Err() != nil {
		return causeCanceled
	}
	c := mockplatform.Classify(err)
	for i, known := range causes {
		if c == known {
			return i
		}
	}
	return causeOther // too_many_redirects cannot happen: load does not follow redirects
}
