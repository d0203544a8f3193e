package suites

import (
	"github.com/chathook/chathook/mockplatform"
)

// World is the ids every delivery of a run shares (one account and its
// inboxes), for reports; nil when the run draws a world per payload.
type World struct {
	AccountID int64   `json:"account_id,omitempty"`
	InboxIDs  []int64 `json:"inbox_ids,omitempty"`
	// Description says it in one line, and how to match the receiver
	// (--account-id, --inbox-id) when the ids were drawn from the seed.
	Description string `json:"description,omitempty"`
}

// FailureDetail is one failed delivery of a requirement, as fields a CI
// tool can show or group by.
type FailureDetail struct {
	Requirement string `json:"requirement"`
	Event       string `json:"event"`
	Seed        int64  `json:"seed,omitempty"`
	DeliveryID  string `json:"delivery_id,omitempty"`
	Status      int    `json:"status,omitempty"`           // 0: no answer
	Error       string `json:"error,omitempty"`            // why there was no answer (timeout, refused, ...)
	Response    string `json:"response_excerpt,omitempty"` // the start of the last response body
}

// maxDetailsPerSpec bounds the details kept for one requirement.
const maxDetailsPerSpec = 5

// noteFailure records one failed delivery of the current requirement.
func (sc *specContext) noteFailure(s *sent, d *mockplatform.Delivery) {
	fd := FailureDetail{Requirement: sc.current, Event: s.label(), Seed: s.seed, DeliveryID: s.deliveryID}
	if d != nil {
		if d.DeliveryID != "" {
			fd.DeliveryID = d.DeliveryID
		}
		if d.Err != nil {
			fd.Error = string(mockplatform.CauseOf(d.Err))
		} else {
			fd.Status = d.Status
			fd.Response = snippet(d.Last().Body, 200)
		}
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.details == nil {
		sc.details = map[string][]FailureDetail{}
	}
	if len(sc.details[sc.current]) < maxDetailsPerSpec {
		sc.details[sc.current] = append(sc.details[sc.current], fd)
	}
}

// attachFailures copies the recorded details onto the failed requirements.
func (s *Summary) attachFailures(sc *specContext) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	for i := range s.Specs {
		if s.Specs[i].State == "failed" {
			s.Specs[i].Failures = sc.details[s.Specs[i].ID]
		}
	}
}
