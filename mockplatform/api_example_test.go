package mockplatform_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/chathook/chathook/mockplatform"
)

// A bot under test calls the mock Chatwoot API as it would call Chatwoot;
// the platform's reactions (here the bot's own reply coming back as
// message_created, as Chatwoot sends it to agent bots) go to an EventSink.
func ExampleNewAPIServer() {
	api, err := mockplatform.NewAPIServer(mockplatform.APIConfig{
		World: mockplatform.APIWorld{
			Account:       mockplatform.APIAccount{ID: 1, Name: "Acme"},
			Inboxes:       []mockplatform.APIInbox{{ID: 1, Name: "API", ChannelType: mockplatform.ChannelAPI, BotID: 1}},
			Contacts:      []mockplatform.APIContact{{ID: 1, Name: "Ana"}},
			Bots:          []mockplatform.APIBot{{ID: 1, Name: "Helper", Token: "bot-token"}},
			Conversations: []mockplatform.APIConversation{{DisplayID: 1, InboxID: 1, ContactID: 1, Status: mockplatform.StatusPending}},
		},
		Events: mockplatform.EventSinkFunc(func(_ context.Context, ev mockplatform.APIEvent) []mockplatform.EventDelivery {
			if ev.Message != nil {
				fmt.Printf("%s: %s from %s %d: %s\n", ev.Name, ev.Message.MessageType, ev.Message.SenderType, ev.Message.SenderID, *ev.Message.Content)
			}
			return nil
		}),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer api.Close()

	// What the bot does: reply in conversation 1 with its token.
	req, _ := http.NewRequest("POST", api.URL+"/api/v1/accounts/1/conversations/1/messages", strings.NewReader(`{"content":"Hello!"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("api_access_token", "bot-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()

	_ = api.WaitIdle(context.Background(), 50*time.Millisecond)
	for _, c := range api.Calls() {
		fmt.Println(c.Method, c.Path, c.Principal, c.Status)
	}
	// Output:
	// message_created: outgoing from AgentBot 1: Hello!
	// POST /api/v1/accounts/1/conversations/1/messages AgentBot 1 200
}
