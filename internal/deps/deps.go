package deps

import (
	_ "github.com/brianvoe/gofakeit/v6"
	_ "github.com/onsi/ginkgo/v2"
	_ "github.com/onsi/gomega"
	_ "github.com/santhosh-tekuri/jsonschema/v5"
	_ "go.uber.org/goleak"
)
