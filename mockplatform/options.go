package mockplatform

import (
	"net/http"
	"time"
)

// DeliverOption adjusts one call of Deliver, DeliverBatch or Handshake.
type DeliverOption func(*deliverOptions)

type deliverOptions struct {
	deliveryID   string
	noDeliveryID bool
	timestamp    time.Time // zero: the clock, per attempt
	header       http.Header
	faults       []Fault
}

func collect(opts []DeliverOption) *deliverOptions {
	o := &deliverOptions{header: http.Header{}}
	for _, opt := range opts {
		if opt != nil {
			opt(o)
		}
	}
	return o
}

// WithDeliveryID sends id as X-Chatwoot-Delivery instead of a fresh UUID:
// give two deliveries the same id to send the same delivery twice.
func WithDeliveryID(id string) DeliverOption {
	return func(o *deliverOptions) { o.deliveryID = id }
}

// NoDeliveryID sends no X-Chatwoot-Delivery header, as Chatwoot's
// automation ("automation_event.*"), macro and installation senders do.
func NoDeliveryID() DeliverOption {
	return func(o *deliverOptions) { o.noDeliveryID = true }
}

// WithTimestamp pins X-Chatwoot-Timestamp (and so the signature) of every
// attempt of the delivery to t, instead of reading Config.Now per attempt.
func WithTimestamp(t time.Time) DeliverOption {
	return func(o *deliverOptions) { o.timestamp = t }
}

// WithHeader sets a request header for this delivery, after the platform's
// headers and Config.Header, so it replaces a header of the same name.
func WithHeader(key, value string) DeliverOption {
	return func(o *deliverOptions) { o.header.Set(key, value) }
}

// WithFault makes the delivery deliberately wrong in the way f says.
// It may be given more than once for different faults.
func WithFault(f Fault) DeliverOption {
	return func(o *deliverOptions) { o.faults = append(o.faults, f) }
}

func (o *deliverOptions) has(f Fault) bool {
	for _, g := range o.faults {
		if g == f {
			return true
		}
	}
	return false
}
