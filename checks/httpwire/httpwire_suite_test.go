package httpwire_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/httpwire"
)

func TestHTTPWire(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "httpwire")
}

// responseSeeds and requestSeeds collect every input of the tables, as the
// tables are built, to seed the fuzz tests: FuzzParseResponse starts from
// exactly the bytes the specifications describe.
var responseSeeds, requestSeeds []string

// response marks raw as a response input of a table, and a fuzz seed.
func response(raw string) []byte {
	responseSeeds = append(responseSeeds, raw)
	return []byte(raw)
}

// request marks raw as a request input of a table, and a fuzz seed.
func request(raw string) []byte {
	requestSeeds = append(requestSeeds, raw)
	return []byte(raw)
}

func fault(k httpwire.Kind, off int, detail string) httpwire.Deviation {
	return httpwire.Deviation{Kind: k, Offset: off, Detail: detail, Severity: httpwire.Fault}
}

func notice(k httpwire.Kind, off int, detail string) httpwire.Deviation {
	return httpwire.Deviation{Kind: k, Offset: off, Detail: detail, Severity: httpwire.Notice}
}

// expectDeviations compares deviations in order, an empty list with nil.
func expectDeviations(got, want []httpwire.Deviation) {
	GinkgoHelper()
	if len(want) == 0 {
		Expect(got).To(BeEmpty())
		return
	}
	Expect(got).To(Equal(want))
}

// expectError checks that err is exactly the *httpwire.Error want.
func expectError(err error, want *httpwire.Error) {
	GinkgoHelper()
	var e *httpwire.Error
	Expect(err).To(BeAssignableToTypeOf(e))
	Expect(err).To(Equal(want))
}
