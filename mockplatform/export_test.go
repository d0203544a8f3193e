package mockplatform

// SetCaptureWriter replaces how c writes a saved file (tests simulate a
// full disk with it).
func SetCaptureWriter(c *Capturer, write func(name string, data []byte, real func(string, []byte) error) error) {
	c.store.write = func(name string, data []byte) error { return write(name, data, writeExclusive) }
}
