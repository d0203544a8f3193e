package mockplatform

// Authentication and authorization, as Chatwoot 4.16's Api::BaseController,
// AccessTokenAuthHelper and EnsureCurrentAccountHelper do it:
//
//   - the token travels in the api_access_token header (HTTP_API_ACCESS_TOKEN,
//     so "api_access_token" and "Api-Access-Token" both work);
//   - an unknown token is 401 {"error":"Invalid Access Token"};
//   - no token at all falls through to devise_token_auth's
//     authenticate_user!: 401 {"errors":["You need to sign in or sign up
//     before continuing."]};
//   - an agent-bot token may only reach BOT_ACCESSIBLE_ENDPOINTS, anything
//     else is 401 {"error":"Access to this endpoint is not authorized for
//     bots"};
//   - then the account: unknown 404 {"error":"Resource could not be found"},
//     suspended 401 "Account is suspended", a user outside it 401 "You are
//     not authorized to access this account", a bot without an inbox in it
//     401 "Bot is not authorized to access this account", API access off
//     403 "API access is not enabled for this account".

// botAccessibleEndpoints is AccessTokenAuthHelper::BOT_ACCESSIBLE_ENDPOINTS.
var botAccessibleEndpoints = map[string][]string{
	"conversations":             {"show", "toggle_status", "toggle_typing_status", "toggle_priority", "create", "update", "custom_attributes"},
	"conversations/messages":    {"create"},
	"conversations/assignments": {"create"},
	"conversations/labels":      {"index", "create"},
}

func botAccessible(controller, action string) bool {
	for _, a := range botAccessibleEndpoints[controller] {
		if a == action {
			return true
		}
	}
	return false
}

func (q *apiRequest) token() string {
	if t := q.r.Header.Get("Api_access_token"); t != "" {
		return t
	}
	return q.r.Header.Get("Api-Access-Token")
}

// authenticate resolves the principal and checks the endpoint; it answers
// and returns false when the call is refused.
func (q *apiRequest) authenticate(controller, action string) bool {
	tok := q.token()
	if tok == "" {
		q.json(401, jo{{"errors", []string{"You need to sign in or sign up before continuing."}}})
		return false
	}
	s := q.s
	for i := range s.w.Agents {
		if s.w.Agents[i].Token != "" && s.w.Agents[i].Token == tok {
			a := s.w.Agents[i]
			q.user = &a
		}
	}
	for i := range s.w.Bots {
		if s.w.Bots[i].Token != "" && s.w.Bots[i].Token == tok {
			b := s.w.Bots[i]
			q.bot = &b
		}
	}
	if q.user == nil && q.bot == nil {
		q.errorJSON(401, "Invalid Access Token")
		return false
	}
	if q.bot != nil && !botAccessible(controller, action) {
		q.errorJSON(401, "Access to this endpoint is not authorized for bots")
		return false
	}
	return true
}

// account checks the account_id of the path for the principal.
func (q *apiRequest) account(id string) bool {
	s := q.s
	if id != itoa(s.w.Account.ID) {
		q.errorJSON(404, "Resource could not be found")
		return false
	}
	if s.w.Account.Suspended {
		q.errorJSON(401, "Account is suspended")
		return false
	}
	if q.bot != nil {
		in := false
		for _, ib := range s.w.Inboxes {
			if ib.BotID == q.bot.ID {
				in = true
			}
		}
		if !in {
			q.errorJSON(401, "Bot is not authorized to access this account")
			return false
		}
	}
	if s.w.Account.APIDisabled {
		q.errorJSON(403, "API access is not enabled for this account")
		return false
	}
	return true
}
