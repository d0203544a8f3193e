package mockplatform_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chathook/chathook/mockplatform"
)

// FuzzAPIRequest sends arbitrary bodies, content types and paths to the API
// handler: it must answer every one with a status Chatwoot uses and never
// panic.
func FuzzAPIRequest(f *testing.F) {
	f.Add("POST", "/api/v1/accounts/3/conversations/1/messages", "application/json", `{"content":"hi","content_attributes":{"a":[1,{"b":null}]}}`)
	f.Add("POST", "/api/v1/accounts/3/conversations/1/labels", "application/x-www-form-urlencoded", "labels[]=a&labels[]=b&x[y]=z")
	f.Add("POST", "/api/v1/accounts/3/conversations/1/toggle_status", "application/json", `{"status":["open"],"snoozed_until":"x"}`)
	f.Add("PATCH", "/api/v1/accounts/3/contacts/21", "", `[1,2]`)
	f.Add("GET", "/api/v1/accounts/3/contacts/search?q=%00&page=-1", "", "")
	s, err := mockplatform.NewAPIServer(mockplatform.APIConfig{World: apiWorld(), MaxEvents: 1 << 20, MessagesPerMinute: 1 << 20})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	ok := map[int]bool{200: true, 400: true, 401: true, 403: true, 404: true, 413: true, 422: true, 500: true}
	f.Fuzz(func(t *testing.T, method, path, ctype, body string) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(method, " \t\r\n") || method == "" {
			return
		}
		req, err := http.NewRequest(method, "http://api.test"+path, strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("api_access_token", userToken)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if !ok[rec.Code] {
			t.Errorf("%s %s %q: status %d", method, path, body, rec.Code)
		}
	})
}
