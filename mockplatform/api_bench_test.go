package mockplatform_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chathook/chathook/mockplatform"
)

// BenchmarkAPICreateMessage measures the API's hot path, a bot's reply
// (auth, routing, params, state, rendering, recording), in-process, against
// a bare handler writing a body of the same size in the same run: compare
// the two lines (a ratio), not the absolute numbers.
func BenchmarkAPICreateMessage(b *testing.B) {
	s, err := mockplatform.NewAPIServer(mockplatform.APIConfig{World: apiWorld(), MessagesPerMinute: 1 << 30, MaxEvents: 1 << 30, RecordBody: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	body := `{"content":"Thanks! A human will be with you shortly.","message_type":"outgoing"}`
	req := func() *http.Request {
		r := httptest.NewRequest("POST", "/api/v1/accounts/3/conversations/2/messages", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("api_access_token", userToken)
		return r
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req())
	answer := rec.Body.Bytes()
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(answer)
	})
	b.Run("bare", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			bare.ServeHTTP(httptest.NewRecorder(), req())
		}
	})
	b.Run("api", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if i%2000 == 0 {
				b.StopTimer()
				_ = s.Reset(nil) // keep the state small, as one conversation's is
				b.StartTimer()
			}
			s.ServeHTTP(httptest.NewRecorder(), req())
		}
	})
}
