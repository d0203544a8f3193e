package suites

import (
	"context"
	"fmt"

	"github.com/onsi/ginkgo/v2"

	"github.com/chathook/chathook/generator"
	"github.com/chathook/chathook/mockplatform"
)

// token and handshake: a Swiftsell receiver with a token accepts deliveries
// carrying it, rejects those without it, and echoes it in the handshake.
var _ = describe(LabelToken, 40, func(sc *specContext) {
	withToken := func(tag string) *sent {
		ginkgo.GinkgoHelper()
		if sc.run.Platform != "swiftsell" {
			ginkgo.Skip("the token is a Swiftsell feature (Chatwoot signs its deliveries)")
		}
		if sc.run.Token == "" {
			ginkgo.Skip("no token configured: the receiver does not claim to check one (set --token or CHATHOOK_TOKEN)")
		}
		return sc.generate("note", "", generator.ProfileRealistic, "")
	}
	sc.it("token.valid", "a delivery carrying the token is "+wantAck, func(ctx ginkgo.SpecContext) {
		s := withToken("valid")
		sc.check(s, sc.deliver(ctx, s), fmt.Sprintf("a delivery with the configured token (in the %s) must be %s", sc.tokenWhere(), wantAck), acked)
	})
	sc.it("token.missing", "a delivery without the token is "+wantReject, func(ctx ginkgo.SpecContext) {
		s := withToken("missing")
		s.fault = mockplatform.MissingToken
		sc.check(s, sc.deliver(ctx, s), fmt.Sprintf("a delivery without the token (no %s) must be %s", sc.tokenWhere(), wantReject), rejected)
		sc.controlToken(ctx, withToken("missing-control"))
	})
	sc.it("token.wrong", "a delivery carrying another token (different, case-flipped or truncated) is "+wantReject, func(ctx ginkgo.SpecContext) {
		s := withToken("wrong")
		s.fault = mockplatform.WrongToken
		sc.check(s, sc.deliver(ctx, s), fmt.Sprintf("a delivery with a wrong token (in the %s) must be %s", sc.tokenWhere(), wantReject), rejected)
		for _, w := range wrongTokens(sc.run.Token) {
			mc, err := sc.run.platformConfig()
			if err != nil {
				ginkgo.Fail("harness: " + err.Error())
			}
			mc.Token = w.token
			p, err := mockplatform.New(mc)
			if err != nil {
				ginkgo.Fail("harness: " + err.Error())
			}
			d, err := p.Deliver(ctx, sc.run.Target, s.body)
			p.Close()
			if err != nil {
				ginkgo.Fail("harness: " + err.Error())
			}
			ws := *s
			ws.fault, ws.edit = "", "token replaced by the "+w.what+" token"
			sc.check(&ws, d, fmt.Sprintf("a delivery whose token is the %s token must be %s: compare the token exactly (and in constant time)", w.what, wantReject), rejected)
		}
		sc.controlToken(ctx, withToken("wrong-control"))
	})
})

var _ = describe(LabelHandshake, 45, func(sc *specContext) {
	sc.it("handshake", "the token handshake is answered 200 with the token echoed", func(ctx ginkgo.SpecContext) {
		if sc.run.Platform != "swiftsell" {
			ginkgo.Skip("the handshake is a Swiftsell feature")
		}
		if sc.run.Token == "" {
			ginkgo.Skip("no token configured: the handshake needs one (set --token or CHATHOOK_TOKEN)")
		}
		h, err := sc.platform.Handshake(ctx, sc.run.Target)
		if err != nil {
			ginkgo.Fail("harness: handshake: " + err.Error())
		}
		if h.Passed {
			ginkgo.AddReportEntry("handshake form", h.Form, ginkgo.ReportEntryVisibilityFailureOrVerbose)
			return
		}
		got := fmt.Sprintf("%d: %s", h.Status, snippet(h.Body, 120))
		if h.Err != nil {
			got = fmt.Sprintf("no answer: %v", h.Err)
		}
		ginkgo.Fail(fmt.Sprintf("requirement [handshake]: on saving the webhook Swiftsell POSTs {\"token\":\"<token>\"} and expects 200 with the same token back "+
			"(raw, a JSON string, or a JSON object member)\nsent:      POST %s  {\"%s\":\"%s\"} (token also in the %s)\ngot:       %s (%s)\nreproduce: CHATHOOK_TOKEN=... %s handshake --target %s",
			sc.run.DisplayTarget(), sc.run.TokenParam, mockplatform.Redact(sc.run.Token), sc.tokenWhere(), got, h.Reason, sc.run.Command, sc.run.DisplayTarget()))
	})
})

// controlToken delivers a copy with the right token after faulty ones were
// rejected; if it is refused too, the rejections prove nothing and the
// requirement is inconclusive (skipped), not passed.
func (sc *specContext) controlToken(ctx context.Context, s *sent) {
	ginkgo.GinkgoHelper()
	if d := sc.deliver(ctx, s); !acked(d) {
		ginkgo.Skip(fmt.Sprintf("inconclusive: the receiver also refuses a delivery carrying the right token (%s), so its rejection proves nothing; fix [token.valid] first", outcomeText(d)))
	}
}

// tokenWhere says where the token travels, for messages.
func (sc *specContext) tokenWhere() string {
	switch sc.run.TokenPlacement {
	case mockplatform.TokenInQuery:
		return "query parameter " + sc.run.TokenParam
	case mockplatform.TokenInBody:
		return "body member " + sc.run.TokenParam
	}
	return "header " + sc.run.TokenHeader
}

// wrongTokens are near misses of the configured token that a loose
// comparison would accept.
func wrongTokens(token string) []struct{ what, token string } {
	var out []struct{ what, token string }
	if flipped := flipCase(token); flipped != token {
		out = append(out, struct{ what, token string }{"case-flipped", flipped})
	}
	if len(token) > 1 {
		out = append(out, struct{ what, token string }{"truncated", token[:len(token)-1]})
	}
	return out
}

func flipCase(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z':
			b[i] = c - 32
		case c >= 'A' && c <= 'Z':
			b[i] = c + 32
		}
	}
	return string(b)
}
