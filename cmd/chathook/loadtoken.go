package main

import (
	"net/url"

	"github.com/chathook/chathook/mockplatform"
)

// loadTokenPlacement applies load's --token-placement: header keeps the
// token for the token header; query moves it into the target's "token"
// parameter (the same parameter send uses) and returns no header token.
// body is refused: the pool's bodies are built once and sent unchanged.
func loadTokenPlacement(target *url.URL, placement, token string) (string, error) {
	switch placement {
	case "", mockplatform.TokenInHeader:
		return token, nil
	case mockplatform.TokenInQuery:
		if token != "" {
			q := target.Query()
			q.Set("token", token)
			target.RawQuery = q.Encode()
		}
		return "", nil
	case mockplatform.TokenInBody:
		return "", usageErrorf("--token-placement body is not supported by load (its pool is sent unchanged); use header or query, or send/scenario for body")
	default:
		return "", usageErrorf("--token-placement %q: want header or query", placement)
	}
}
