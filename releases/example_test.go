package releases_test

import (
	"fmt"

	"github.com/chathook/chathook/releases"
)

func Example() {
	r, err := releases.Lookup("4.12")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Version())
	fmt.Println(r.Signs(releases.Account), r.Signs(releases.AgentBot))
	fmt.Println(r.Events(releases.AgentBot))
	fmt.Println(r.UserAgent())
	fmt.Println(r.Redirects().FollowsPOST, r.Retries(releases.AgentBot).Attempts)
	first, _ := releases.First(func(r releases.Release) bool { return r.Signs(releases.AgentBot) })
	fmt.Println(first)
	// Output:
	// 4.12.1
	// true false
	// [conversation_opened conversation_resolved message_created message_updated webwidget_triggered]
	// rest-client/2.1.0 (linux-musl x86_64) ruby/3.4.4p34
	// false 3
	// 4.13.0
}
