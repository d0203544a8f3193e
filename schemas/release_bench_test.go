package schemas

import (
	"os"
	"testing"
)

// BenchmarkReleaseCheck measures the release dimension of one unpinned
// validation (every payload-shape line) against decoding the same body, a
// peer measured in the same run.
func BenchmarkReleaseCheck(b *testing.B) {
	body, err := os.ReadFile("testdata/chatwoot/valid/message_created-multiple-attachments-image-file-video.json")
	if err != nil {
		b.Fatal(err)
	}
	v, _ := decode(body)
	b.Run("decode", func(b *testing.B) {
		for b.Loop() {
			decode(body)
		}
	})
	b.Run("all-lines", func(b *testing.B) {
		for b.Loop() {
			var res Result
			res.Platform = chatwootPlatform
			_ = applyRelease(&res, v, []eventRef{{name: "message_created"}}, "")
		}
	})
}
