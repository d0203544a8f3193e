package main

import (
	"fmt"
	"net"
	"strings"

	"github.com/chathook/chathook/mockplatform"
	"github.com/chathook/chathook/mockplatform/receivertest"
	"github.com/chathook/chathook/suites"
)

// isBuiltinBot reports a builtin-bot[:VARIANT] target and its variant.
func isBuiltinBot(target string) (string, bool) {
	v, ok := strings.CutPrefix(target, "builtin-bot")
	if !ok || (v != "" && v[0] != ':') {
		return "", false
	}
	v = strings.TrimPrefix(v, ":")
	if v == "" {
		v = receivertest.BotCorrect
	}
	return v, true
}

// startBuiltinBot starts the reference agent bot of a builtin-bot target
// for conform: an agent bot whose Chatwoot URL is --api and whose token is
// --api-token (generated when not given). It returns a stop function.
func startBuiltinBot(f *conformFlags, cfg *suites.Config, e *env) (func(), error) {
	variant, ok := isBuiltinBot(f.target)
	if !ok {
		return func() {}, nil
	}
	if cfg.API == "" {
		return nil, usageErrorf("--target %s needs --api HOST:PORT: the bot acts through the mock Chatwoot API", f.target)
	}
	if f.platform == "" {
		f.platform = "chatwoot"
	}
	cfg.Receiver = mockplatform.ReceiverAgentBot
	if cfg.APIToken == "" {
		cfg.APIToken = "builtin-bot-" + randomHex(12)
	}
	if cfg.Secret == "" {
		cfg.Secret = "builtin-" + randomHex(12)
	}
	// The bot needs the API's address before the API starts: resolve port 0.
	if host, port, err := net.SplitHostPort(cfg.API); err == nil && port == "0" {
		ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
		if err != nil {
			return nil, unreachableErrorf("cannot listen on %s: %v", cfg.API, err)
		}
		cfg.API = ln.Addr().String()
		ln.Close()
	}
	b, err := receivertest.NewBot(receivertest.BotConfig{Variant: variant, BaseURL: "http://" + cfg.API, Token: cfg.APIToken, Secret: cfg.Secret})
	if err != nil {
		return nil, usageErrorf("--target %s: %v", f.target, err)
	}
	f.target = b.URL + "/"
	fmt.Fprintf(e.stderr, "builtin bot: %s at %s, calling the mock API at http://%s\n", variant, f.target, cfg.API)
	return b.Close, nil
}
